#include "manifests/applyrequest.h"
#include "manifests/status.h"

#include "testmain.h"

#include <QFile>
#include <QJsonDocument>

using namespace orchestra::manifests;

namespace {

ManifestDocument document(const QString &text)
{
    const ParsedManifest parsed = parseManifest(text);
    Q_ASSERT(parsed.documents.size() == 1);
    return parsed.documents.first();
}

KindInfo kindOf(const ManifestDocument &doc)
{
    return *BuiltinKinds::lookup(doc.apiVersion, doc.kind);
}

QByteArray fixture(const QString &name)
{
    QFile file(QStringLiteral(ORCHESTRA_FIXTURES_DIR "/kube-apiserver-1.20/") + name);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class TestManifestRequest : public QObject
{
    Q_OBJECT

private slots:
    void ssaRequest_urlAndBody_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("editorNamespace");
        QTest::addColumn<QString>("contextNamespace");
        QTest::addColumn<bool>("dryRun");
        QTest::addColumn<bool>("force");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("bodyNamespace");

        const QString configMap = QStringLiteral("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: lesson-config\n"
                                                 "data:\n  level: basic\n");
        QTest::newRow("core, context namespace")
            << configMap << QString() << QStringLiteral("team") << false << false
            << QStringLiteral("/api/v1/namespaces/team/configmaps/lesson-config?fieldManager=orchestra")
            << QStringLiteral("team");
        QTest::newRow("core, editor namespace wins over context")
            << configMap << QStringLiteral("lab") << QStringLiteral("team") << false << false
            << QStringLiteral("/api/v1/namespaces/lab/configmaps/lesson-config?fieldManager=orchestra")
            << QStringLiteral("lab");
        QTest::newRow("core, no namespace anywhere = default")
            << configMap << QString() << QString() << true << false
            << QStringLiteral("/api/v1/namespaces/default/configmaps/lesson-config?fieldManager=orchestra&dryRun=All")
            << QStringLiteral("default");
        QTest::newRow("object namespace wins over everything")
            << QStringLiteral("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\n")
            << QStringLiteral("lab") << QStringLiteral("team") << false << true
            << QStringLiteral("/apis/apps/v1/namespaces/shop/deployments/web?fieldManager=orchestra&force=true")
            << QStringLiteral("shop");
        QTest::newRow("group kind, force + dry run")
            << QStringLiteral("apiVersion: networking.istio.io/v1beta1\nkind: VirtualService\nmetadata:\n"
                              "  name: reviews\n")
            << QString() << QStringLiteral("bookinfo") << true << true
            << QStringLiteral("/apis/networking.istio.io/v1beta1/namespaces/bookinfo/virtualservices/reviews"
                              "?fieldManager=orchestra&force=true&dryRun=All")
            << QStringLiteral("bookinfo");
        QTest::newRow("cluster-scoped core kind")
            << QStringLiteral("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: lab\n") << QStringLiteral("x")
            << QStringLiteral("y") << false << false << QStringLiteral("/api/v1/namespaces/lab?fieldManager=orchestra")
            << QString();
        QTest::newRow("cluster-scoped group kind")
            << QStringLiteral("apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n"
                              "  name: reader\n")
            << QStringLiteral("x") << QString() << true << false
            << QStringLiteral("/apis/rbac.authorization.k8s.io/v1/clusterroles/reader?fieldManager=orchestra"
                              "&dryRun=All")
            << QString();
    }

    void ssaRequest_urlAndBody()
    {
        QFETCH(QString, text);
        QFETCH(QString, editorNamespace);
        QFETCH(QString, contextNamespace);
        QFETCH(bool, dryRun);
        QFETCH(bool, force);
        QFETCH(QString, path);
        QFETCH(QString, bodyNamespace);

        const ManifestDocument doc = document(text);
        const auto request =
            buildApplyRequest(doc, kindOf(doc), editorNamespace, contextNamespace, ApplyOptions{dryRun, force});
        QVERIFY(request.ok());
        QCOMPARE(request->method, QStringLiteral("PATCH"));
        QCOMPARE(request->path, path);
        QCOMPARE(request->objectPath, path.section(QLatin1Char('?'), 0, 0));
        QCOMPARE(request->contentType, QByteArrayLiteral("application/apply-patch+yaml"));
        QCOMPARE(request->nameSpace, bodyNamespace);

        QJsonParseError error;
        const QJsonObject body = QJsonDocument::fromJson(request->body, &error).object();
        QCOMPARE(error.error, QJsonParseError::NoError);
        QJsonObject expected = doc.object;
        if (!bodyNamespace.isEmpty()) {
            QJsonObject metadata = expected.value(QStringLiteral("metadata")).toObject();
            metadata.insert(QStringLiteral("namespace"), bodyNamespace);
            expected.insert(QStringLiteral("metadata"), metadata);
        }
        QCOMPARE(body, expected);
    }

    void ssaRequest_refusesWhatCannotBeApplied()
    {
        const ManifestDocument noName = document(QStringLiteral("apiVersion: v1\nkind: Pod\nmetadata: {}\n"));
        QVERIFY(!buildApplyRequest(noName, kindOf(noName), {}, {}).ok());
        const ManifestDocument scoped =
            document(QStringLiteral("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n  namespace: b\n"));
        const auto refused = buildApplyRequest(scoped, kindOf(scoped), {}, {});
        QVERIFY(!refused.ok());
        QVERIFY(refused.error().message.contains(QStringLiteral("cluster-scoped")));
    }

    void applyOrder_namespacesAndCrdsFirst_stableOtherwise()
    {
        const ParsedManifest parsed = parseManifest(QStringLiteral(
            "kind: Deployment\n---\nkind: Service\n---\nkind: VirtualService\n---\nkind: RoleBinding\n---\n"
            "kind: Namespace\n---\nkind: ConfigMap\n---\nkind: CustomResourceDefinition\n---\nkind: Role\n---\n"
            "kind: ServiceAccount\n---\nkind: ConfigMap\n---\nkind: Namespace\n"));
        QStringList kinds;
        QList<int> order = applyOrder(parsed.documents);
        for (int index : order)
            kinds.append(parsed.documents.at(index).kind + QString::number(index));
        QCOMPARE(kinds,
                 (QStringList{"Namespace4", "Namespace10", "CustomResourceDefinition6", "ServiceAccount8", "ConfigMap5",
                              "ConfigMap9", "Role7", "RoleBinding3", "Service1", "Deployment0", "VirtualService2"}));
    }

    void conflictStatus_listsFieldsAndManagers()
    {
        const auto status =
            orchestra::kube::Status::fromHttp(409, fixture(QStringLiteral("ssa-deployment-dryrun.body")));
        const QList<FieldConflict> conflicts = conflictsOf(status);
        QCOMPARE(conflicts.size(), 1);
        QCOMPARE(conflicts.first().field, QStringLiteral(".spec.replicas"));
        QCOMPARE(conflicts.first().manager, QStringLiteral("kubectl-client-side-apply"));
        QCOMPARE(conflicts.first().apiVersion, QStringLiteral("apps/v1"));

        const auto other = orchestra::kube::Status::fromHttp(409, fixture(QStringLiteral("ssa-conflict.body")));
        QCOMPARE(conflictsOf(other).first().manager, QStringLiteral("orchestra"));
        QCOMPARE(conflictsOf(other).first().apiVersion, QString());
    }

    void invalidStatus_causesMapToLines()
    {
        const auto status = orchestra::kube::Status::fromHttp(422, fixture(QStringLiteral("create-pod-invalid.body")));
        const ManifestDocument doc = document(QStringLiteral("apiVersion: v1\n"
                                                             "kind: Pod\n"
                                                             "metadata:\n"
                                                             "  name: Bad_Name\n"
                                                             "spec:\n"
                                                             "  restartPolicy: Never\n"));
        const QList<MappedCause> mapped = mapCauses(status, doc);
        QCOMPARE(mapped.size(), 2);
        QCOMPARE(mapped.at(0).cause.field, QStringLiteral("metadata.name"));
        QCOMPARE(mapped.at(0).position.line, 4);
        QVERIFY(mapped.at(0).exact);
        QCOMPARE(mapped.at(1).cause.field, QStringLiteral("spec.containers"));
        QCOMPARE(mapped.at(1).position.line, 5); // the nearest ancestor that exists
        QVERIFY(!mapped.at(1).exact);
    }
};

ORCHESTRA_TEST_MAIN(TestManifestRequest)
#include "tst_manifestrequest.moc"
