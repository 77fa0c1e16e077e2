#include "manifests/validator.h"

#include "testmain.h"

using namespace orchestra::manifests;

namespace {

/// A "connected" resolver that serves a fixed set of kinds, like discovery would.
class FakeCluster final : public KindResolver
{
public:
    bool connected() const override { return true; }
    std::optional<KindInfo> find(const QString &apiVersion, const QString &kind) const override
    {
        if (kind == QLatin1String("Gadget"))
            return std::nullopt;
        return BuiltinKinds::lookup(apiVersion, kind);
    }
};

QStringList messages(const QList<Problem> &problems)
{
    QStringList out;
    for (const Problem &p : problems)
        out.append(QStringLiteral("%1:%2 %3").arg(p.line).arg(p.column).arg(p.message));
    return out;
}

bool anyContains(const QList<Problem> &problems, const QString &part, int line)
{
    for (const Problem &p : problems) {
        if (p.message.contains(part) && p.line == line)
            return true;
    }
    return false;
}

} // namespace

class TestManifestValidator : public QObject
{
    Q_OBJECT

private slots:
    void requiredFields_areReportedPerObject()
    {
        const auto parsed = parseAndValidate(QStringLiteral("kind: Pod\nmetadata:\n  name: a\n"
                                                            "---\napiVersion: v1\nmetadata:\n  name: b\n"
                                                            "---\napiVersion: v1\nkind: Pod\nmetadata:\n  labels: {}\n"
                                                            "---\napiVersion: v1\nkind: Pod\n"
                                                            "---\napiVersion: v1\nkind: Pod\nmetadata:\n"
                                                            "  generateName: x-\n"),
                                             FakeCluster());
        const QList<Problem> &p = parsed.problems;
        QVERIFY2(anyContains(p, QStringLiteral("Missing apiVersion"), 1), qPrintable(messages(p).join('\n')));
        QVERIFY2(anyContains(p, QStringLiteral("Missing kind"), 5), qPrintable(messages(p).join('\n')));
        QVERIFY2(anyContains(p, QStringLiteral("Missing metadata.name"), 11), qPrintable(messages(p).join('\n')));
        QVERIFY2(anyContains(p, QStringLiteral("Missing metadata with a name"), 14),
                 qPrintable(messages(p).join('\n')));
        QVERIFY2(anyContains(p, QStringLiteral("generateName cannot be applied"), 19),
                 qPrintable(messages(p).join('\n')));
        QCOMPARE(p.size(), 5);
    }

    void unknownKind_isAnErrorWhenConnected_andAWarningOtherwise()
    {
        const QString text = QStringLiteral("apiVersion: example.com/v1\nkind: Gadget\nmetadata:\n  name: g\n");
        const auto connected = parseAndValidate(text, FakeCluster());
        QCOMPARE(connected.problems.size(), 1);
        QCOMPARE(connected.problems.first().severity, Problem::Severity::Error);
        QCOMPARE(connected.problems.first().line, 2);
        QVERIFY(connected.problems.first().message.contains(QStringLiteral("does not serve kind Gadget")));

        const auto offline = parseAndValidate(text, BuiltinKinds());
        QCOMPARE(offline.problems.size(), 2);
        QCOMPARE(offline.problems.at(0).severity, Problem::Severity::Warning);
        QVERIFY(offline.problems.at(0).message.contains(QStringLiteral("Not connected")));
        QCOMPARE(offline.problems.at(1).severity, Problem::Severity::Warning);
        QVERIFY(offline.problems.at(1).message.contains(QStringLiteral("not in the built-in list")));
        QVERIFY(!offline.hasErrors());
    }

    void kindDefinedByCrdInTheSameFile_isKnown()
    {
        const auto parsed = parseAndValidate(QStringLiteral("apiVersion: apiextensions.k8s.io/v1\n"
                                                            "kind: CustomResourceDefinition\n"
                                                            "metadata:\n  name: gadgets.example.com\n"
                                                            "spec:\n  group: example.com\n  scope: Cluster\n"
                                                            "  names: {kind: Gadget, plural: gadgets}\n"
                                                            "  versions: [{name: v1, served: true, storage: true}]\n"
                                                            "---\napiVersion: example.com/v1\nkind: Gadget\n"
                                                            "metadata:\n  name: g\n  namespace: nope\n"),
                                             FakeCluster());
        // Known through the CRD, which also says it is cluster-scoped: the namespace is the only problem.
        QCOMPARE(parsed.problems.size(), 1);
        QVERIFY(parsed.problems.first().message.contains(QStringLiteral("Gadget is cluster-scoped")));
        QCOMPARE(parsed.problems.first().line, 15);
    }

    void clusterScopedKind_mustNotCarryANamespace()
    {
        const auto parsed =
            parseAndValidate(QStringLiteral("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: lab\n  namespace: x\n"
                                            "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\n"
                                            "metadata:\n  name: reader\n"),
                             FakeCluster());
        QCOMPARE(parsed.problems.size(), 1);
        QCOMPARE(parsed.problems.first().line, 5);
        QCOMPARE(parsed.problems.first().column, 3);
        QVERIFY(parsed.problems.first().message.contains(QStringLiteral("Namespace is cluster-scoped")));
    }

    void duplicateObjects_inOneFile()
    {
        const auto parsed = parseAndValidate(QStringLiteral("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n"
                                                            "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n"
                                                            "  name: a\n  namespace: other\n"
                                                            "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n"
                                                            "  name: a\n"),
                                             FakeCluster());
        QCOMPARE(parsed.problems.size(), 1);
        QCOMPARE(parsed.problems.first().line, 15);
        QVERIFY(parsed.problems.first().message.contains(QStringLiteral("already defined on line 1")));
    }

    void invalidName_isAWarning()
    {
        const auto parsed =
            parseAndValidate(QStringLiteral("apiVersion: v1\nkind: Pod\nmetadata:\n  name: Bad_Name\n"), FakeCluster());
        QCOMPARE(parsed.problems.size(), 1);
        QCOMPARE(parsed.problems.first().severity, Problem::Severity::Warning);
        QCOMPARE(parsed.problems.first().line, 4);
    }
};

ORCHESTRA_TEST_MAIN(TestManifestValidator)
#include "tst_manifestvalidator.moc"
