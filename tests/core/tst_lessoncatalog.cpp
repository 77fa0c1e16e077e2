#include "lessons/catalog.h"
#include "lessons/lessonfile.h"
#include "lessons/markdownscan.h"

#include "lessontestutil.h"
#include "testmain.h"

using namespace orchestra::lessons;
using orchestra::test::writeFile;
using orchestra::test::writeSampleContent;

class TestLessonCatalog : public QObject
{
    Q_OBJECT

private:
    static QStringList errors(const Catalog &catalog, Problem::Severity severity = Problem::Severity::Error)
    {
        QStringList out;
        for (const Problem &problem : catalog.problems()) {
            if (problem.severity == severity)
                out << problem.toString();
        }
        return out;
    }

    static bool anyContains(const QStringList &list, const QString &a, const QString &b = {})
    {
        return std::any_of(list.cbegin(), list.cend(),
                           [&](const QString &s) { return s.contains(a) && (b.isEmpty() || s.contains(b)); });
    }

private slots:
    void parseLesson_readsFrontMatterAndBody()
    {
        const QByteArray text = "---\nid: t/a\ntitle: \"A lesson\"\nstage: practice\nminutes: 15\n"
                                "prerequisites: [t/b]\nobjectives:\n  - One\n  - Two\nsources:\n"
                                "  - title: Docs\n    url: https://kubernetes.io/\n---\n\n# A lesson\n\n## Part\n";
        const orchestra::Result<Lesson> lesson = parseLesson(QStringLiteral("/c/en/t/01-a.md"), text);
        QVERIFY2(lesson.ok(), lesson.ok() ? "" : qPrintable(lesson.error().toString()));
        QCOMPARE(lesson->id, QStringLiteral("t/a"));
        QCOMPARE(lesson->title, QStringLiteral("A lesson"));
        QCOMPARE(lesson->stage, Stage::Practice);
        QCOMPARE(lesson->minutes, 15);
        QCOMPARE(lesson->prerequisites, QStringList{QStringLiteral("t/b")});
        QCOMPARE(lesson->objectives.size(), 2);
        QCOMPARE(lesson->sources.size(), 1);
        QCOMPARE(lesson->sources[0].url, QStringLiteral("https://kubernetes.io/"));
        QCOMPARE(lesson->bodyLine, 14);
        QCOMPARE(lesson->headings.size(), 2);
        QCOMPARE(lesson->headings[1].text, QStringLiteral("Part"));
        QCOMPARE(lesson->headings[1].line, 17);
    }

    void parseLesson_malformedYaml_namesFileLineColumn()
    {
        const QByteArray text = "---\nid: t/a\ntitle: [unclosed\nstage: theory\n---\n# x\n";
        const orchestra::Result<Lesson> lesson = parseLesson(QStringLiteral("/c/en/t/01-a.md"), text);
        QVERIFY(!lesson.ok());
        QVERIFY2(lesson.error().location.startsWith(QStringLiteral("/c/en/t/01-a.md:")),
                 qPrintable(lesson.error().location));
        QVERIFY2(lesson.error().message.contains(QStringLiteral("malformed front matter")),
                 qPrintable(lesson.error().toString()));
    }

    void parseLesson_badStage_pointsAtTheStageLine()
    {
        const QByteArray text = "---\nid: t/a\ntitle: A\nstage: lecture\n---\n# x\n";
        const orchestra::Result<Lesson> lesson = parseLesson(QStringLiteral("f.md"), text);
        QVERIFY(!lesson.ok());
        QCOMPARE(lesson.error().location, QStringLiteral("f.md:4:8"));
        QVERIFY(lesson.error().message.contains(QStringLiteral("lecture")));
    }

    void parseLesson_missingFrontMatter_isAnError()
    {
        QVERIFY(!parseLesson(QStringLiteral("f.md"), "# Just markdown\n").ok());
        QVERIFY(!parseLesson(QStringLiteral("f.md"), "---\nid: x\n# never closed\n").ok());
        QVERIFY(!parseLesson(QStringLiteral("f.md"), "---\ntitle: no id\nstage: theory\n---\n").ok());
    }

    void scan_skipsCodeBlocksAndFindsLinksImagesManifests()
    {
        Lesson lesson;
        lesson.bodyLine = 10;
        lesson.body = QStringLiteral("# T\n\n```bash\n# not a heading [x](nope.md)\n```\n\nSee [a](a.md) and "
                                     "`[b](b.md)` ![i](../../assets/x.svg)\n\n```yaml file=track/m.yaml\n```\n");
        orchestra::lessons::scanBody(lesson);
        QCOMPARE(lesson.headings.size(), 1);
        QCOMPARE(lesson.links.size(), 2);
        QCOMPARE(lesson.links[0].target, QStringLiteral("a.md"));
        QCOMPARE(lesson.links[0].line, 16);
        QCOMPARE(lesson.links[0].column, 5);
        QVERIFY(lesson.links[1].image);
        QCOMPARE(lesson.manifests.size(), 1);
        QCOMPARE(lesson.manifests[0].path, QStringLiteral("track/m.yaml"));
        QCOMPARE(lesson.manifests[0].line, 18);
    }

    void load_validSample_hasNoProblems()
    {
        QTemporaryDir dir;
        writeSampleContent(dir.path());
        const Catalog catalog = Catalog::load(dir.path());
        QVERIFY2(catalog.problems().isEmpty(), qPrintable(errors(catalog).join(QLatin1Char('\n'))));
        QCOMPARE(catalog.tracks().size(), 2);
        QCOMPARE(catalog.lessonIds(), (QStringList{QStringLiteral("basics/intro"), QStringLiteral("basics/pods"),
                                                   QStringLiteral("extra/more")}));
        QCOMPARE(catalog.lesson(QStringLiteral("basics/pods"), QStringLiteral("ko"))->title,
                 QStringLiteral("파드(Pod)"));
        QCOMPARE(catalog.nextLessonId(QStringLiteral("basics/pods")), QStringLiteral("extra/more"));
        QVERIFY(catalog.nextLessonId(QStringLiteral("extra/more")).isEmpty());
        const Lesson *more = catalog.lesson(QStringLiteral("extra/more"), QStringLiteral("en"));
        QCOMPARE(catalog.resolveLessonLink(*more, QStringLiteral("../basics/01-intro.md#why-orchestration")),
                 QStringLiteral("basics/intro"));
    }

    void load_reportsEveryKindOfBrokenContent()
    {
        QTemporaryDir dir;
        const QString d = dir.path();
        writeSampleContent(d);
        // duplicate id across tracks, missing prerequisite, broken link and image,
        // missing manifest, invalid manifest YAML, a lesson in one language only,
        // an unlisted file and malformed front matter.
        writeFile(d + QStringLiteral("/tracks/extra.yaml"),
                  "id: extra\ntitle:\n  en: Extra\n  ko: 추가\nlessons:\n  - id: extra/more\n    stage: project\n"
                  "  - id: extra/solo\n    stage: theory\n  - id: extra/broken\n    stage: theory\n");
        writeFile(d + QStringLiteral("/tracks.yaml"), "tracks:\n  - basics\n  - extra\n  - dup\n");
        writeFile(d + QStringLiteral("/tracks/dup.yaml"),
                  "id: dup\ntitle:\n  en: Dup\n  ko: 중복\nlessons:\n  - id: basics/intro\n    stage: theory\n");
        writeFile(d + QStringLiteral("/en/extra/01-more.md"),
                  orchestra::test::lessonText(
                      QStringLiteral("extra/more"), QStringLiteral("More"), QStringLiteral("project"),
                      QStringLiteral("# More\n\n[gone](../basics/09-gone.md)\n\n![img](../../assets/none.png)\n\n"
                                     "```yaml file=extra/missing.yaml\n```\n\n```yaml file=extra/bad.yaml\n```\n")));
        writeFile(d + QStringLiteral("/manifests/extra/bad.yaml"), "kind: Pod\nmetadata: {name: x\n");
        writeFile(d + QStringLiteral("/en/extra/02-solo.md"),
                  orchestra::test::lessonText(QStringLiteral("extra/solo"), QStringLiteral("Solo"),
                                              QStringLiteral("theory"), QStringLiteral("# Solo\n")));
        writeFile(d + QStringLiteral("/en/extra/03-broken.md"), "---\nid: extra/broken\ntitle: [unclosed\n---\n");
        writeFile(d + QStringLiteral("/ko/extra/03-broken.md"),
                  "---\nid: extra/broken\ntitle: 고장\nstage: theory\nprerequisites: [basics/nope]\n---\n# 고장\n");
        writeFile(d + QStringLiteral("/en/extra/99-stray.md"), "---\nid: extra/stray\n---\n");

        const Catalog catalog = Catalog::load(d);
        QVERIFY(catalog.hasErrors());
        const QStringList e = errors(catalog);
        const QString moreFile = d + QStringLiteral("/en/extra/01-more.md");
        QVERIFY2(anyContains(e, QStringLiteral("duplicate lesson id 'basics/intro'")), qPrintable(e.join('\n')));
        QVERIFY2(anyContains(e, moreFile + QStringLiteral(":16:1: error: broken link '../basics/09-gone.md'")),
                 qPrintable(e.join('\n')));
        QVERIFY(anyContains(e, moreFile + QStringLiteral(":18:1: error: broken image")));
        QVERIFY(anyContains(e, moreFile + QStringLiteral(":20: error: manifest 'extra/missing.yaml' not found")));
        QVERIFY(anyContains(e, QStringLiteral("manifests/extra/bad.yaml:"), QStringLiteral("not valid YAML")));
        QVERIFY(anyContains(e, QStringLiteral("/en/extra/03-broken.md:"), QStringLiteral("malformed front matter")));
        QVERIFY(anyContains(e, QStringLiteral("prerequisite 'basics/nope' is not a lesson id")));
        QVERIFY(anyContains(e, QStringLiteral("99-stray.md"), QStringLiteral("not listed")));
        const QStringList warnings = errors(catalog, Problem::Severity::Warning);
        QVERIFY2(anyContains(warnings, QStringLiteral("/ko/extra/02-solo.md"), QStringLiteral("exists only as en/")),
                 qPrintable(warnings.join('\n')));
        // What could be read is still usable.
        QVERIFY(catalog.lesson(QStringLiteral("extra/solo"), QStringLiteral("en")));
        QCOMPARE(catalog.lessonOrFallback(QStringLiteral("extra/solo"), QStringLiteral("ko"))->language,
                 QStringLiteral("en"));
    }

    void load_missingDirectory_reportsInsteadOfCrashing()
    {
        const Catalog catalog = Catalog::load(QStringLiteral("/nonexistent/content"));
        QVERIFY(catalog.hasErrors());
        QVERIFY(catalog.tracks().isEmpty());
        QVERIFY(catalog.lessonIds().isEmpty());
    }
};

ORCHESTRA_TEST_MAIN(TestLessonCatalog)
#include "tst_lessoncatalog.moc"
