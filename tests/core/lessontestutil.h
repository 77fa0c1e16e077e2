#pragma once

// Builds small content/ trees in a temporary directory for the lesson tests.

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QString>

namespace orchestra::test {

inline void writeFile(const QString &path, const QByteArray &content)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        qFatal("cannot write %s", qPrintable(path));
    file.write(content);
}

inline QByteArray lessonText(const QString &id, const QString &title, const QString &stage, const QString &body,
                             const QString &extraFrontMatter = {})
{
    return QStringLiteral("---\nid: %1\ntitle: \"%2\"\nstage: %3\nminutes: 10\nprerequisites: []\n"
                          "objectives:\n  - Learn %2\nsources:\n  - title: Docs\n    url: "
                          "https://kubernetes.io/docs/\n%4---\n\n%5")
        .arg(id, title, stage, extraFrontMatter, body)
        .toUtf8();
}

/// A valid two-track, two-language tree: basics/{intro,pods}, extra/{more}.
inline void writeSampleContent(const QString &dir)
{
    writeFile(dir + QStringLiteral("/tracks.yaml"), "tracks:\n  - basics\n  - extra\n");
    writeFile(dir + QStringLiteral("/tracks/basics.yaml"),
              "id: basics\ntitle:\n  en: Basics\n  ko: 기초\ndescription:\n  en: The basics\n  ko: 기초 내용\n"
              "lessons:\n  - id: basics/intro\n    stage: theory\n  - id: basics/pods\n    stage: practice\n");
    writeFile(dir + QStringLiteral("/tracks/extra.yaml"),
              "id: extra\ntitle:\n  en: Extra\n  ko: 추가\nlessons:\n  - id: extra/more\n    stage: project\n");
    writeFile(
        dir + QStringLiteral("/manifests/basics/pod.yaml"),
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: web\n    image: nginx\n");
    writeFile(dir + QStringLiteral("/assets/basics-diagram.svg"),
              "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"/>");
    writeFile(dir + QStringLiteral("/en/basics/01-intro.md"),
              lessonText(QStringLiteral("basics/intro"), QStringLiteral("Introduction"), QStringLiteral("theory"),
                         QStringLiteral("# Introduction\n\nKubernetes runs containers.\n\n## Why orchestration\n\n"
                                        "![Diagram](../../assets/basics-diagram.svg)\n\nNext: [Pods](02-pods.md).\n")));
    writeFile(
        dir + QStringLiteral("/ko/basics/01-intro.md"),
        lessonText(QStringLiteral("basics/intro"), QStringLiteral("소개"), QStringLiteral("theory"),
                   QStringLiteral("# 소개\n\n쿠버네티스는 컨테이너를 실행합니다.\n\n## 오케스트레이션이 필요한 이유\n\n"
                                  "다음: [파드](02-pods.md).\n")));
    const QString podsBody = QStringLiteral(
        "# Pods\n\nA pod groups containers.\n\n```yaml file=basics/pod.yaml\n```\n\n```bash\nkubectl get pods\n```\n\n"
        "> [!NOTE]\n> Pods are ephemeral.\n\n1. What is a pod?\n\n> [!ANSWER]\n> A group of containers.\n\n"
        "| Field | Meaning |\n|---|---|\n| image | what runs |\n");
    writeFile(dir + QStringLiteral("/en/basics/02-pods.md"),
              lessonText(QStringLiteral("basics/pods"), QStringLiteral("Pods"), QStringLiteral("practice"), podsBody));
    writeFile(
        dir + QStringLiteral("/ko/basics/02-pods.md"),
        lessonText(QStringLiteral("basics/pods"), QStringLiteral("파드(Pod)"), QStringLiteral("practice"), podsBody));
    writeFile(
        dir + QStringLiteral("/en/extra/01-more.md"),
        lessonText(QStringLiteral("extra/more"), QStringLiteral("More pods"), QStringLiteral("project"),
                   QStringLiteral("# More pods\n\nBack to [the intro](../basics/01-intro.md#why-orchestration).\n")));
    writeFile(dir + QStringLiteral("/ko/extra/01-more.md"),
              lessonText(QStringLiteral("extra/more"), QStringLiteral("파드 더 알아보기"), QStringLiteral("project"),
                         QStringLiteral("# 파드 더 알아보기\n\n[소개](../basics/01-intro.md)로 돌아가기.\n")));
}

} // namespace orchestra::test
