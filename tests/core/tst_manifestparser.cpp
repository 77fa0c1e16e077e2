#include "manifests/manifest.h"

#include "testmain.h"

#include <QJsonArray>

using orchestra::manifests::ManifestDocument;
using orchestra::manifests::parseManifest;
using orchestra::manifests::Problem;
using orchestra::manifests::SourcePosition;

namespace {

QString errorsText(const QList<Problem> &problems)
{
    QStringList out;
    for (const Problem &p : problems)
        out.append(QStringLiteral("%1:%2 %3").arg(p.line).arg(p.column).arg(p.message));
    return out.join(QLatin1Char('\n'));
}

} // namespace

class TestManifestParser : public QObject
{
    Q_OBJECT

private slots:
    void multiDocument_keepsLinesOfEveryDocumentAndKeyField()
    {
        const QString text = QStringLiteral("# leading comment\n"
                                            "apiVersion: v1\n"
                                            "kind: ConfigMap\n"
                                            "metadata:\n"
                                            "  name: one\n"
                                            "  namespace: lab\n"
                                            "---\n"
                                            "---\n"
                                            "# only a comment\n"
                                            "---\n"
                                            "apiVersion: apps/v1\n"
                                            "kind: Deployment\n"
                                            "metadata:\n"
                                            "    name: web\n");
        const auto parsed = parseManifest(text);
        QVERIFY2(parsed.problems.isEmpty(), qPrintable(errorsText(parsed.problems)));
        QCOMPARE(parsed.documents.size(), 2);
        const ManifestDocument &first = parsed.documents.at(0);
        QCOMPARE(first.kind, QStringLiteral("ConfigMap"));
        QCOMPARE(first.name, QStringLiteral("one"));
        QCOMPARE(first.nameSpace, QStringLiteral("lab"));
        QCOMPARE(first.start, (SourcePosition{2, 1}));
        QCOMPARE(first.positions.value(QStringLiteral("kind")), (SourcePosition{3, 1}));
        QCOMPARE(first.positions.value(QStringLiteral("metadata.name")), (SourcePosition{5, 3}));
        QCOMPARE(first.positions.value(QStringLiteral("metadata.namespace")), (SourcePosition{6, 3}));
        const ManifestDocument &second = parsed.documents.at(1);
        QCOMPARE(second.index, 1);
        QCOMPARE(second.apiVersion, QStringLiteral("apps/v1"));
        QCOMPARE(second.firstLine, 10);
        QCOMPARE(second.start, (SourcePosition{11, 1}));
        QCOMPARE(second.positions.value(QStringLiteral("metadata.name")), (SourcePosition{14, 5}));
    }

    void scalars_followTheCoreSchema()
    {
        const auto parsed = parseManifest(QStringLiteral("apiVersion: v1\n"
                                                         "kind: ConfigMap\n"
                                                         "metadata: {name: x}\n"
                                                         "spec:\n"
                                                         "  int: 3\n"
                                                         "  quotedInt: \"3\"\n"
                                                         "  single: '80'\n"
                                                         "  float: 1.5\n"
                                                         "  yes: true\n"
                                                         "  quotedBool: \"true\"\n"
                                                         "  word: yes\n"
                                                         "  nothing: ~\n"
                                                         "  empty:\n"
                                                         "  nullWord: null\n"
                                                         "  hex: 0x1F\n"
                                                         "  octal: 0o17\n"
                                                         "  tagged: !!str 42\n"
                                                         "  version: 1.10.0\n"
                                                         "  list: [1, 'a', false]\n"));
        QVERIFY2(parsed.problems.isEmpty(), qPrintable(errorsText(parsed.problems)));
        const QJsonObject spec = parsed.documents.first().object.value(QStringLiteral("spec")).toObject();
        QCOMPARE(spec.value(QStringLiteral("int")), QJsonValue(3));
        QCOMPARE(spec.value(QStringLiteral("quotedInt")), QJsonValue(QStringLiteral("3")));
        QCOMPARE(spec.value(QStringLiteral("single")), QJsonValue(QStringLiteral("80")));
        QCOMPARE(spec.value(QStringLiteral("float")), QJsonValue(1.5));
        QCOMPARE(spec.value(QStringLiteral("yes")), QJsonValue(true));
        QCOMPARE(spec.value(QStringLiteral("quotedBool")), QJsonValue(QStringLiteral("true")));
        QCOMPARE(spec.value(QStringLiteral("word")), QJsonValue(QStringLiteral("yes")));
        QVERIFY(spec.value(QStringLiteral("nothing")).isNull());
        QVERIFY(spec.value(QStringLiteral("empty")).isNull());
        QVERIFY(spec.value(QStringLiteral("nullWord")).isNull());
        QCOMPARE(spec.value(QStringLiteral("hex")), QJsonValue(31));
        QCOMPARE(spec.value(QStringLiteral("octal")), QJsonValue(15));
        QCOMPARE(spec.value(QStringLiteral("tagged")), QJsonValue(QStringLiteral("42")));
        QCOMPARE(spec.value(QStringLiteral("version")), QJsonValue(QStringLiteral("1.10.0")));
        QCOMPARE(spec.value(QStringLiteral("list")).toArray(), (QJsonArray{1, QStringLiteral("a"), false}));
    }

    void brokenInputs_reportLineAndColumn_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("line");
        QTest::addColumn<int>("column");
        QTest::addColumn<QString>("messagePart");

        QTest::newRow("tab indentation") << QStringLiteral("apiVersion: v1\nkind: Pod\nmetadata:\n\tname: x\n") << 4
                                         << 1 << QStringLiteral("Tab character");
        QTest::newRow("tab after spaces")
            << QStringLiteral("apiVersion: v1\nmetadata:\n  \tname: x\n") << 3 << 3 << QStringLiteral("Tab character");
        QTest::newRow("bad indentation") << QStringLiteral("apiVersion: v1\nmetadata:\n  name: x\n labels: {}\n") << 4
                                         << 2 << QStringLiteral("indentation");
        QTest::newRow("unclosed double quote")
            << QStringLiteral("apiVersion: v1\nkind: ConfigMap\ndata:\n  a: \"abc\n  b: 2\n") << 4 << 6
            << QStringLiteral("Unclosed quote");
        QTest::newRow("unclosed single quote")
            << QStringLiteral("apiVersion: v1\nkind: ConfigMap\ndata:\n  a: 'it''s\n") << 4 << 6
            << QStringLiteral("Unclosed quote");
        QTest::newRow("duplicate key") << QStringLiteral("apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  name: b\n")
                                       << 5 << 3 << QStringLiteral("Duplicate key \"name\" (first on line 4)");
        QTest::newRow("duplicate top-level key") << QStringLiteral("apiVersion: v1\nkind: Pod\nkind: Service\n") << 3
                                                 << 1 << QStringLiteral("Duplicate key");
        QTest::newRow("unclosed flow sequence") << QStringLiteral("apiVersion: v1\nargs: [1, 2\nkind: Pod\n") << 3 << 5
                                                << QStringLiteral("\"[\" is never closed");
        QTest::newRow("two values on a line") << QStringLiteral("apiVersion: v1\nkind: Pod\nmetadata: name: x\n") << 3
                                              << 15 << QStringLiteral("Illegal map value");
        QTest::newRow("error in second document")
            << QStringLiteral("apiVersion: v1\nkind: Pod\n---\napiVersion: v1\nkind: [\n") << 6 << 1
            << QStringLiteral("YAML syntax error");
        QTest::newRow("non-ASCII column")
            << QStringLiteral("a: \"한국어\"\nb: 설명: x\n") << 2 << 6 << QStringLiteral("Illegal map value");
        QTest::newRow("not a mapping") << QStringLiteral("- a\n- b\n") << 1 << 1 << QStringLiteral("not a mapping");
    }

    void brokenInputs_reportLineAndColumn()
    {
        QFETCH(QString, text);
        QFETCH(int, line);
        QFETCH(int, column);
        QFETCH(QString, messagePart);
        const auto parsed = parseManifest(text);
        QVERIFY2(!parsed.problems.isEmpty(), "expected a problem");
        const Problem &problem = parsed.problems.first();
        QVERIFY2(problem.message.contains(messagePart), qPrintable(errorsText(parsed.problems)));
        QCOMPARE(problem.severity, Problem::Severity::Error);
        QCOMPARE(problem.line, line);
        QCOMPARE(problem.column, column);
        QVERIFY(parsed.hasErrors());
    }

    void brokenDocument_doesNotHideTheOthers()
    {
        const auto parsed = parseManifest(QStringLiteral("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: good\n"
                                                         "---\nkind: Pod\nmetadata:\n  name: broken\n  x: [\n"
                                                         "---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n"));
        QCOMPARE(parsed.documents.size(), 3);
        QVERIFY(parsed.documents.at(0).parsed);
        QVERIFY(!parsed.documents.at(1).parsed);
        QCOMPARE(parsed.documents.at(1).kind, QStringLiteral("Pod")); // guessed from the text
        QCOMPARE(parsed.documents.at(1).name, QStringLiteral("broken"));
        QVERIFY(parsed.documents.at(2).parsed);
        QCOMPARE(parsed.documents.at(2).kind, QStringLiteral("Secret"));
        QCOMPARE(parsed.problems.size(), 1);
        QCOMPARE(parsed.problems.first().document, 1);
    }

    void tab_doesNotHideOtherProblemsOfTheDocument()
    {
        const auto parsed = parseManifest(QStringLiteral("apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n"
                                                         "  name: b\nspec:\n  containers:\n\t- name: c\n"
                                                         "    image: 'x\n"));
        QCOMPARE(parsed.problems.size(), 3);
        QCOMPARE(parsed.problems.at(0).line, 5);
        QVERIFY(parsed.problems.at(0).message.contains(QStringLiteral("Duplicate key")));
        QCOMPARE(parsed.problems.at(1).line, 8);
        QVERIFY(parsed.problems.at(1).message.contains(QStringLiteral("Tab character")));
        QCOMPARE(parsed.problems.at(2).line, 9);
        QVERIFY(parsed.problems.at(2).message.contains(QStringLiteral("Unclosed quote")));
        QVERIFY(parsed.hasErrors());
    }

    void locate_mapsStatusFieldPathsToLines()
    {
        const auto parsed = parseManifest(QStringLiteral("apiVersion: apps/v1\n"             // 1
                                                         "kind: Deployment\n"                // 2
                                                         "metadata:\n"                       // 3
                                                         "  name: web\n"                     // 4
                                                         "  labels:\n"                       // 5
                                                         "    app.kubernetes.io/name: web\n" // 6
                                                         "spec:\n"                           // 7
                                                         "  replicas: 2\n"                   // 8
                                                         "  template:\n"                     // 9
                                                         "    spec:\n"                       // 10
                                                         "      containers:\n"               // 11
                                                         "        - name: sidecar\n"         // 12
                                                         "          image: busybox\n"        // 13
                                                         "        - name: nginx\n"           // 14
                                                         "          image: nginx\n"));       // 15
        const ManifestDocument &document = parsed.documents.first();
        QCOMPARE(document.locate(QStringLiteral(".spec.replicas")).line, 8);
        QCOMPARE(document.locate(QStringLiteral("spec.template.spec.containers[1].image")), (SourcePosition{15, 11}));
        QCOMPARE(document.locate(QStringLiteral(".spec.template.spec.containers[name=\"nginx\"].image")).line, 15);
        QCOMPARE(document.locate(QStringLiteral("spec.template.spec.containers[0].ports")).line, 12);
        QCOMPARE(document.locate(QStringLiteral(".metadata.labels.app.kubernetes.io/name")).line, 6);
        QCOMPARE(document.locate(QStringLiteral("spec.unknown.deep")).line, 7);
        QCOMPARE(document.locate(QStringLiteral("status")).line, 1);
        QCOMPARE(document.canonicalPath(QStringLiteral(".spec.template.spec.containers[name=\"nginx\"].image")),
                 QStringLiteral("spec.template.spec.containers[1].image"));
    }

    void blockScalarEndingADocument_keepsItsLastNewline()
    {
        const auto parsed = parseManifest(QStringLiteral("kind: ConfigMap\ndata:\n  script: |\n    echo a\n    echo b\n"
                                                         "---\nkind: ConfigMap\ndata:\n  kept: |\n    x\n"
                                                         "  stripped: |-\n    y"));
        QCOMPARE(parsed.documents.size(), 2);
        QCOMPARE(parsed.documents.at(0).object.value(QStringLiteral("data")).toObject().value(QStringLiteral("script")),
                 QJsonValue(QStringLiteral("echo a\necho b\n")));
        const QJsonObject data = parsed.documents.at(1).object.value(QStringLiteral("data")).toObject();
        QCOMPARE(data.value(QStringLiteral("kept")), QJsonValue(QStringLiteral("x\n")));
        QCOMPARE(data.value(QStringLiteral("stripped")), QJsonValue(QStringLiteral("y")));
    }

    void windowsLineEndings_areAccepted()
    {
        const auto parsed = parseManifest(QStringLiteral("apiVersion: v1\r\nkind: Pod\r\nmetadata:\r\n  name: p\r\n"));
        QVERIFY(parsed.problems.isEmpty());
        QCOMPARE(parsed.documents.first().name, QStringLiteral("p"));
    }

    void emptyText_hasNoDocuments()
    {
        QVERIFY(parseManifest(QString()).documents.isEmpty());
        QVERIFY(parseManifest(QStringLiteral("# nothing\n---\n\n")).documents.isEmpty());
    }
};

ORCHESTRA_TEST_MAIN(TestManifestParser)
#include "tst_manifestparser.moc"
