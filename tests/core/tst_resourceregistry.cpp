#include "kube/resourceregistry.h"

#include "testmain.h"

#include <QJsonDocument>

using orchestra::kube::ResourceKind;
using orchestra::kube::ResourceRegistry;

namespace {

QJsonObject fixture(const QString &name)
{
    QFile file(QStringLiteral(ORCHESTRA_FIXTURES_DIR "/kube-apiserver-1.20/") + name);
    return file.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(file.readAll()).object() : QJsonObject();
}

} // namespace

class TestResourceRegistry : public QObject
{
    Q_OBJECT

private:
    ResourceRegistry m_registry{nullptr};

private slots:
    void initTestCase()
    {
        const QJsonObject core = fixture(QStringLiteral("discovery-api-v1.body"));
        if (core.isEmpty())
            QSKIP("recorded fixtures not found");
        QList<ResourceKind> kinds = ResourceRegistry::parseResourceList(core, true);
        kinds += ResourceRegistry::parseResourceList(fixture(QStringLiteral("discovery-apps-v1.body")), true);
        kinds += ResourceRegistry::parseResourceList(fixture(QStringLiteral("discovery-networking-istio-v1beta1.body")),
                                                     true);
        m_registry.setKinds(kinds);
    }

    void coreGroup_isParsedWithSubresourcesFolded()
    {
        const auto pods = m_registry.find(QString(), QStringLiteral("Pod"));
        QVERIFY(pods);
        QCOMPARE(pods->plural, QStringLiteral("pods"));
        QCOMPARE(pods->apiVersion(), QStringLiteral("v1"));
        QVERIFY(pods->namespaced);
        QVERIFY(pods->shortNames.contains(QStringLiteral("po")));
        QVERIFY(pods->categories.contains(QStringLiteral("all")));
        QVERIFY(pods->subresources.contains(QStringLiteral("log")));
        QVERIFY(pods->subresources.contains(QStringLiteral("exec")));
        QCOMPARE(pods->path(QStringLiteral("default"), QStringLiteral("web"), QStringLiteral("log")),
                 QStringLiteral("/api/v1/namespaces/default/pods/web/log"));
        // No "pods/log" pseudo-kind leaks into the list.
        for (const ResourceKind &kind : m_registry.allKinds())
            QVERIFY2(!kind.plural.contains(QLatin1Char('/')), qPrintable(kind.plural));
    }

    void irregularPlurals_comeFromTheServer()
    {
        QCOMPARE(m_registry.find(QString(), QStringLiteral("Endpoints"))->plural, QStringLiteral("endpoints"));
        QCOMPARE(m_registry.find(QStringLiteral("networking.istio.io"), QStringLiteral("VirtualService"))->plural,
                 QStringLiteral("virtualservices"));
        const auto nodes = m_registry.find(QString(), QStringLiteral("Node"));
        QVERIFY(!nodes->namespaced);
        QCOMPARE(nodes->path(QStringLiteral("ignored")), QStringLiteral("/api/v1/nodes"));
    }

    void resolve_acceptsWhatKubectlAccepts()
    {
        QCOMPARE(m_registry.resolve(QStringLiteral("po"))->kind, QStringLiteral("Pod"));
        QCOMPARE(m_registry.resolve(QStringLiteral("pod"))->kind, QStringLiteral("Pod"));
        QCOMPARE(m_registry.resolve(QStringLiteral("Pods"))->kind, QStringLiteral("Pod"));
        QCOMPARE(m_registry.resolve(QStringLiteral("deploy"))->group, QStringLiteral("apps"));
        QCOMPARE(m_registry.resolve(QStringLiteral("deployments.apps"))->kind, QStringLiteral("Deployment"));
        QCOMPARE(m_registry.resolve(QStringLiteral("vs"))->kind, QStringLiteral("VirtualService"));
        QVERIFY(!m_registry.resolve(QStringLiteral("deployments.example.com")));
        QVERIFY(!m_registry.resolve(QStringLiteral("widgets")));
        QVERIFY(m_registry.findByApiVersion(QStringLiteral("apps/v1"), QStringLiteral("Deployment")));
        QVERIFY(!m_registry.findByApiVersion(QStringLiteral("apps/v1beta1"), QStringLiteral("Deployment")));
        QVERIFY(m_registry.find(QStringLiteral("apps"), QStringLiteral("Deployment"))
                    ->hasSubresource(QStringLiteral("scale")));
    }

    void groupList_givesPreferredVersions()
    {
        const QJsonObject apis = fixture(QStringLiteral("discovery-apis.body"));
        QVERIFY(!ResourceRegistry::isAggregated(apis));
        const QList<ResourceRegistry::GroupVersions> groups = ResourceRegistry::parseGroupList(apis);
        QVERIFY(groups.size() > 10);
        bool sawApps = false;
        for (const auto &group : groups) {
            QVERIFY(group.versions.contains(group.preferredVersion));
            if (group.group == QLatin1String("apps")) {
                sawApps = true;
                QCOMPARE(group.preferredVersion, QStringLiteral("v1"));
            }
        }
        QVERIFY(sawApps);
        // A 1.20 server answers the aggregated Accept with the legacy document: we must notice.
        QVERIFY(!ResourceRegistry::isAggregated(fixture(QStringLiteral("discovery-aggregated-unsupported.body"))));
        const auto core = ResourceRegistry::parseGroupList(fixture(QStringLiteral("discovery-api.body")));
        QCOMPARE(core.size(), 1);
        QCOMPARE(core.first().group, QString());
        QCOMPARE(core.first().preferredVersion, QStringLiteral("v1"));
    }

    void aggregated_parsesAndReportsStaleGroups()
    {
        const QJsonObject list = QJsonDocument::fromJson(R"({
          "kind": "APIGroupDiscoveryList", "apiVersion": "apidiscovery.k8s.io/v2",
          "items": [
            {"metadata": {"name": "apps"}, "versions": [
              {"version": "v1", "freshness": "Current", "resources": [
                {"resource": "deployments", "responseKind": {"group": "apps", "version": "v1", "kind": "Deployment"},
                 "scope": "Namespaced", "singularResource": "deployment", "shortNames": ["deploy"],
                 "categories": ["all"], "verbs": ["get", "list", "watch"],
                 "subresources": [{"subresource": "scale"}, {"subresource": "status"}]}]}]},
            {"metadata": {"name": "metrics.k8s.io"}, "versions": [
              {"version": "v1beta1", "freshness": "Stale", "resources": []}]}
          ]})")
                                     .object();
        QVERIFY(ResourceRegistry::isAggregated(list));
        QList<orchestra::Error> failures;
        const QList<ResourceKind> kinds = ResourceRegistry::parseAggregated(list, &failures);
        QCOMPARE(kinds.size(), 1);
        QCOMPARE(kinds.first().plural, QStringLiteral("deployments"));
        QVERIFY(kinds.first().preferred);
        QVERIFY(kinds.first().subresources.contains(QStringLiteral("scale")));
        QCOMPARE(failures.size(), 1);
        QVERIFY(failures.first().message.contains(QStringLiteral("metrics.k8s.io")));
    }
};

ORCHESTRA_TEST_MAIN(TestResourceRegistry)
#include "tst_resourceregistry.moc"
