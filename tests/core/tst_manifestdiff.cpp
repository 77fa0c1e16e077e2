#include "manifests/diff.h"
#include "manifests/manifest.h"

#include "testmain.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

using namespace orchestra::manifests;

namespace {

QJsonObject fixtureObject(const QString &name)
{
    QFile file(QStringLiteral(ORCHESTRA_FIXTURES_DIR "/kube-apiserver-1.20/") + name);
    return file.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(file.readAll()).object() : QJsonObject();
}

QStringList lines(const QString &text)
{
    return text.split(QLatin1Char('\n'));
}

QString render(const QList<DiffLine> &diff)
{
    QString out;
    for (const DiffLine &line : diff)
        out += (line.kind == DiffLine::Kind::Same    ? QLatin1Char(' ')
                : line.kind == DiffLine::Kind::Added ? QLatin1Char('+')
                                                     : QLatin1Char('-')) +
               line.text + QLatin1Char('\n');
    return out;
}

} // namespace

class TestManifestDiff : public QObject
{
    Q_OBJECT

private slots:
    void stripNoise_removesServerBookkeeping()
    {
        QJsonObject live = fixtureObject(QStringLiteral("ssa-create.body"));
        QVERIFY(!live.isEmpty());
        QJsonObject metadata = live.value(QStringLiteral("metadata")).toObject();
        metadata.insert(QStringLiteral("generation"), 3);
        metadata.insert(QStringLiteral("selfLink"), QStringLiteral("/api/v1/x"));
        metadata.insert(
            QStringLiteral("annotations"),
            QJsonObject{{QStringLiteral("kubectl.kubernetes.io/last-applied-configuration"), QStringLiteral("{}")}});
        live.insert(QStringLiteral("metadata"), metadata);
        live.insert(QStringLiteral("status"), QJsonObject{{QStringLiteral("phase"), QStringLiteral("Active")}});

        const QJsonObject stripped = stripNoise(live);
        const QJsonObject expected{
            {QStringLiteral("kind"), QStringLiteral("ConfigMap")},
            {QStringLiteral("apiVersion"), QStringLiteral("v1")},
            {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), QStringLiteral("lesson-config")},
                                                     {QStringLiteral("namespace"), QStringLiteral("default")}}},
            {QStringLiteral("data"), QJsonObject{{QStringLiteral("level"), QStringLiteral("basic")}}}};
        QCOMPARE(stripped, expected);

        const QJsonObject withStatus = stripNoise(live, true);
        QCOMPARE(withStatus.value(QStringLiteral("status")).toObject().value(QStringLiteral("phase")),
                 QJsonValue(QStringLiteral("Active")));
    }

    void stripNoise_keepsOtherAnnotations()
    {
        const QJsonObject object{
            {QStringLiteral("metadata"),
             QJsonObject{{QStringLiteral("annotations"),
                          QJsonObject{{QStringLiteral("kubectl.kubernetes.io/last-applied-configuration"),
                                       QStringLiteral("{}")},
                                      {QStringLiteral("team"), QStringLiteral("a")}}}}}};
        const QJsonObject annotations = stripNoise(object)
                                            .value(QStringLiteral("metadata"))
                                            .toObject()
                                            .value(QStringLiteral("annotations"))
                                            .toObject();
        QCOMPARE(annotations.keys(), QStringList{QStringLiteral("team")});
    }

    void liveVersusDryRun_afterNoiseRemoval_onlyTheRealChangeRemains()
    {
        const QJsonObject live = stripNoise(fixtureObject(QStringLiteral("ssa-create.body")));
        const QJsonObject dryRun = stripNoise(fixtureObject(QStringLiteral("ssa-dryrun-force.body")));
        const QList<DiffLine> diff = diffLines(lines(toYaml(live)), lines(toYaml(dryRun)));
        QVERIFY(hasChanges(diff));
        int changed = 0;
        for (const DiffLine &line : diff) {
            if (line.kind != DiffLine::Kind::Same) {
                ++changed;
                QVERIFY2(line.text.contains(QStringLiteral("level:")), qPrintable(line.text));
            }
        }
        QCOMPARE(changed, 2);
        QVERIFY(!hasChanges(diffLines(lines(toYaml(live)), lines(toYaml(live)))));
    }

    void toYaml_isReadableAndParsesBack()
    {
        const QJsonObject object{
            {QStringLiteral("apiVersion"), QStringLiteral("v1")},
            {QStringLiteral("kind"), QStringLiteral("Pod")},
            {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), QStringLiteral("p")}}},
            {QStringLiteral("spec"),
             QJsonObject{{QStringLiteral("containers"),
                          QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("c")},
                                                 {QStringLiteral("args"), QJsonArray{QStringLiteral("true"), 1}},
                                                 {QStringLiteral("ports"), QJsonArray{}}}}},
                         {QStringLiteral("script"), QStringLiteral("echo a\necho b\n")},
                         {QStringLiteral("enabled"), false},
                         {QStringLiteral("empty"), QJsonObject{}},
                         {QStringLiteral("version"), QStringLiteral("1.10")}}}};
        const QString yaml = toYaml(object);
        QVERIFY2(yaml.startsWith(QStringLiteral("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n")),
                 qPrintable(yaml));
        QVERIFY2(yaml.contains(QStringLiteral("  containers:\n  - args:\n    - \"true\"\n    - 1\n    name: c\n")),
                 qPrintable(yaml));
        const ParsedManifest back = parseManifest(yaml);
        QVERIFY(back.problems.isEmpty());
        QCOMPARE(back.documents.first().object, object);
    }

    void diffLines_isMinimalAndKeepsLineNumbers()
    {
        const QStringList before{"a", "b", "c", "d", "e"};
        const QStringList after{"a", "c", "d", "x", "e", "f"};
        const QList<DiffLine> diff = diffLines(before, after);
        QCOMPARE(render(diff), QStringLiteral(" a\n-b\n c\n d\n+x\n e\n+f\n"));
        QCOMPARE(diff.at(1).oldLine, 2);
        QCOMPARE(diff.at(4).newLine, 4);
        QCOMPARE(render(diffLines({}, {"a"})), QStringLiteral("+a\n"));
        QCOMPARE(render(diffLines({"a"}, {})), QStringLiteral("-a\n"));
        QVERIFY(diffLines({}, {}).isEmpty());
    }

    void unifiedDiff_hasHunkHeaders()
    {
        QStringList before, after;
        for (int i = 1; i <= 20; ++i)
            before.append(QStringLiteral("line %1").arg(i));
        after = before;
        after[1] = QStringLiteral("changed 2");
        after[17] = QStringLiteral("changed 18");
        const QString text =
            unifiedDiff(diffLines(before, after), QStringLiteral("live"), QStringLiteral("applied"), 2);
        QCOMPARE(text,
                 QStringLiteral("--- live\n+++ applied\n"
                                "@@ -1,4 +1,4 @@\n line 1\n-line 2\n+changed 2\n line 3\n line 4\n"
                                "@@ -16,5 +16,5 @@\n line 16\n line 17\n-line 18\n+changed 18\n line 19\n line 20\n"));
    }

    void sideBySide_pairsReplacements()
    {
        const QList<SideBySideRow> rows = sideBySide(diffLines({"a", "b", "c"}, {"a", "B", "c", "d"}));
        QCOMPARE(rows.size(), 4);
        QCOMPARE(rows.at(0).kind, SideBySideRow::Kind::Same);
        QCOMPARE(rows.at(1).kind, SideBySideRow::Kind::Changed);
        QCOMPARE(rows.at(1).left, QStringLiteral("b"));
        QCOMPARE(rows.at(1).right, QStringLiteral("B"));
        QCOMPARE(rows.at(1).leftLine, 2);
        QCOMPARE(rows.at(1).rightLine, 2);
        QCOMPARE(rows.at(3).kind, SideBySideRow::Kind::Added);
        QCOMPARE(rows.at(3).leftLine, 0);
        QCOMPARE(rows.at(3).right, QStringLiteral("d"));
    }
};

ORCHESTRA_TEST_MAIN(TestManifestDiff)
#include "tst_manifestdiff.moc"
