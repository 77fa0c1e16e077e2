// Integration tests of the cluster core against the test API server, or a real cluster when
// ORCHESTRA_IT_KUBECONFIG is set (see clustersession.h).

#include "clustersession.h"

#include "kube/operations.h"
#include "kube/resourceregistry.h"
#include "models/resourcefilterproxy.h"
#include "models/resourcetablemodel.h"
#include "models/roles.h"
#include "watch/informerfactory.h"

#include "testmain.h"

#include <QAbstractItemModelTester>

using namespace orchestra;

namespace {

QHash<QString, QString> storeState(watch::ObjectStore *store)
{
    QHash<QString, QString> result;
    for (const watch::ObjectPtr &object : store->objects())
        result.insert(object->uid, object->resourceVersion);
    return result;
}

} // namespace

class TestClusterIntegration : public QObject
{
    Q_OBJECT

private:
    test::ClusterSession m_cluster;
    std::unique_ptr<kube::ResourceRegistry> m_registry;

    kube::ResourceKind kindOf(const QString &group, const QString &kind)
    {
        const std::optional<kube::ResourceKind> found = m_registry->find(group, kind);
        if (!found)
            qFatal("discovery did not find %s", qPrintable(kind));
        return *found;
    }

private slots:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_cluster.setUp(&error), qPrintable(error));
        m_registry = std::make_unique<kube::ResourceRegistry>(m_cluster.client());
        QSignalSpy refreshed(m_registry.get(), &kube::ResourceRegistry::refreshed);
        m_registry->refresh();
        QVERIFY(refreshed.wait(30000));
    }

    void cleanupTestCase()
    {
        m_registry.reset();
        m_cluster.tearDown();
    }

    void discovery_findsKindsWithoutPluralisingByHand()
    {
        const kube::ResourceKind pods = kindOf(QString(), QStringLiteral("Pod"));
        QCOMPARE(pods.plural, QStringLiteral("pods"));
        QVERIFY(pods.namespaced);
        QVERIFY(pods.supports(QStringLiteral("watch")));
        QVERIFY(pods.hasSubresource(QStringLiteral("log")));
        const auto deploy = m_registry->resolve(QStringLiteral("deploy"));
        QVERIFY(deploy);
        QCOMPARE(deploy->qualifiedPlural(), QStringLiteral("deployments.apps"));
        QVERIFY(deploy->hasSubresource(QStringLiteral("scale")));
        QCOMPARE(m_registry->resolve(QStringLiteral("po"))->kind, QStringLiteral("Pod"));
        QVERIFY(!kindOf(QString(), QStringLiteral("Namespace")).namespaced);
        const auto policies = m_registry->find(QStringLiteral("networking.k8s.io"), QStringLiteral("Ingress"));
        QVERIFY(policies);
        QCOMPARE(policies->plural, QStringLiteral("ingresses"));
    }

    void discovery_followsCustomResourceDefinitions()
    {
        watch::InformerFactory factory(m_cluster.client());
        factory.keepFresh(m_registry.get());
        const QString group = m_cluster.ns + QStringLiteral(".example.com");
        QVERIFY(!m_registry->find(group, QStringLiteral("Widget")));
        const QString crdPath = QStringLiteral("/apis/apiextensions.k8s.io/v1/customresourcedefinitions");
        QTRY_VERIFY_WITH_TIMEOUT(factory.activeCount() == 1, 10000); // the CRD informer
        const QJsonObject schema{{QStringLiteral("type"), QStringLiteral("object")},
                                 {QStringLiteral("x-kubernetes-preserve-unknown-fields"), true}};
        const kube::Response created = m_cluster.send(
            "POST", crdPath,
            QJsonObject{
                {QStringLiteral("apiVersion"), QStringLiteral("apiextensions.k8s.io/v1")},
                {QStringLiteral("kind"), QStringLiteral("CustomResourceDefinition")},
                {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), QStringLiteral("widgets.") + group}}},
                {QStringLiteral("spec"),
                 QJsonObject{{QStringLiteral("group"), group},
                             {QStringLiteral("scope"), QStringLiteral("Namespaced")},
                             {QStringLiteral("names"),
                              QJsonObject{{QStringLiteral("plural"), QStringLiteral("widgets")},
                                          {QStringLiteral("singular"), QStringLiteral("widget")},
                                          {QStringLiteral("kind"), QStringLiteral("Widget")},
                                          {QStringLiteral("shortNames"), QJsonArray{QStringLiteral("wdg")}}}},
                             {QStringLiteral("versions"),
                              QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("v1")},
                                                     {QStringLiteral("served"), true},
                                                     {QStringLiteral("storage"), true},
                                                     {QStringLiteral("schema"),
                                                      QJsonObject{{QStringLiteral("openAPIV3Schema"), schema}}}}}}}}});
        QVERIFY2(created.ok(), qPrintable(created.error().toString()));
        // No manual refresh: the CRD watch notices the new kind and refreshes discovery.
        QTRY_VERIFY_WITH_TIMEOUT(m_registry->find(group, QStringLiteral("Widget")).has_value(), 30000);
        const kube::ResourceKind widgets = *m_registry->find(group, QStringLiteral("Widget"));
        QCOMPARE(widgets.plural, QStringLiteral("widgets"));
        QVERIFY(widgets.namespaced);
        QVERIFY(!resources::hasNativeRenderer(widgets.group, widgets.kind));
        QVERIFY(m_cluster.send("DELETE", crdPath + QStringLiteral("/widgets.") + group).ok());
        QTRY_VERIFY_WITH_TIMEOUT(!m_registry->find(group, QStringLiteral("Widget")).has_value(), 30000);
    }

    void informer_pagesThenFollowsChanges()
    {
        QList<QJsonObject> created;
        for (int i = 0; i < 7; ++i)
            created.append(m_cluster.createConfigMap(QStringLiteral("page-%1").arg(i),
                                                     QJsonObject{{QStringLiteral("suite"), QStringLiteral("paging")}}));
        watch::Informer informer(m_cluster.client(), kindOf(QString(), QStringLiteral("ConfigMap")), m_cluster.ns,
                                 watch::Informer::Format::Objects);
        informer.setPageSize(3);
        models::ResourceTableModel model(informer.store(),
                                         resources::nativeRenderer(QString(), QStringLiteral("ConfigMap")), false);
        models::ResourceFilterProxy proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy synced(&informer, &watch::Informer::synced);
        informer.start();
        QVERIFY(synced.wait(30000));
        const QString path = QStringLiteral("/api/v1/namespaces/%1/configmaps").arg(m_cluster.ns);
        QCOMPARE(storeState(informer.store()), m_cluster.freshList(path));
        if (m_cluster.server()) {
            int pagedRequests = 0;
            for (const testing::RecordedRequest &request : m_cluster.server()->requests())
                if (request.path == path && request.query.contains(QStringLiteral("continue=")))
                    ++pagedRequests;
            QCOMPARE(pagedRequests, 2); // 7 objects in pages of 3
        }

        QTRY_COMPARE_WITH_TIMEOUT(informer.phase(), watch::Informer::Phase::Watching, 10000);
        m_cluster.createConfigMap(QStringLiteral("late"),
                                  QJsonObject{{QStringLiteral("suite"), QStringLiteral("paging")}});
        QVERIFY(m_cluster
                    .send("PATCH", path + QStringLiteral("/page-1"),
                          QJsonObject{{QStringLiteral("data"),
                                       QJsonObject{{QStringLiteral("key"), QStringLiteral("changed")}}}},
                          "application/merge-patch+json")
                    .ok());
        QVERIFY(m_cluster.send("DELETE", path + QStringLiteral("/page-2")).ok());
        const QHash<QString, QString> expected = m_cluster.freshList(path);
        QTRY_COMPARE_WITH_TIMEOUT(storeState(informer.store()), expected, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), int(expected.size()), 5000);
        QVERIFY(proxy.setLabelSelector(QStringLiteral("suite=paging")).ok());
        QCOMPARE(proxy.rowCount(), 7); // 7 - 1 deleted + 1 late
        QCOMPARE(informer.listCount(), 1);
    }

    void kindsWithoutRenderer_useTheServerTable()
    {
        const kube::ResourceKind accounts = kindOf(QString(), QStringLiteral("ServiceAccount"));
        QVERIFY(!resources::hasNativeRenderer(accounts.group, accounts.kind));
        const kube::Response created = m_cluster.send(
            "POST", accounts.path(m_cluster.ns),
            QJsonObject{{QStringLiteral("apiVersion"), QStringLiteral("v1")},
                        {QStringLiteral("kind"), QStringLiteral("ServiceAccount")},
                        {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), QStringLiteral("robot")}}}});
        QVERIFY2(created.ok(), qPrintable(created.error().toString()));
        watch::InformerFactory factory(m_cluster.client());
        const std::shared_ptr<watch::Informer> informer = factory.informer(accounts, m_cluster.ns);
        QCOMPARE(informer->format(), watch::Informer::Format::Table);
        models::ResourceTableModel model(informer->store(), nullptr, false);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QTRY_VERIFY_WITH_TIMEOUT(informer->hasSynced(), 30000);
        QTRY_VERIFY_WITH_TIMEOUT(
            model.rowOf(created.json()[QLatin1String("metadata")][QLatin1String("uid")].toString()) >= 0, 10000);
        QCOMPARE(model.headerData(0, Qt::Horizontal).toString(), QStringLiteral("NAME"));
        const int row = model.rowOf(created.json()[QLatin1String("metadata")][QLatin1String("uid")].toString());
        QCOMPARE(model.index(row, 0).data().toString(), QStringLiteral("robot"));
        // Watch events in Table form update the same rows.
        QVERIFY(m_cluster.send("DELETE", accounts.path(m_cluster.ns, QStringLiteral("robot"))).ok());
        QTRY_COMPARE_WITH_TIMEOUT(
            model.rowOf(created.json()[QLatin1String("metadata")][QLatin1String("uid")].toString()), -1, 10000);
    }

    void factory_sharesOneInformerAndStopsItWhenUnused()
    {
        watch::InformerFactory factory(m_cluster.client());
        const kube::ResourceKind configMaps = kindOf(QString(), QStringLiteral("ConfigMap"));
        std::shared_ptr<watch::Informer> first = factory.informer(configMaps, m_cluster.ns);
        std::shared_ptr<watch::Informer> second = factory.informer(configMaps, m_cluster.ns);
        QCOMPARE(first.get(), second.get());
        QVERIFY(factory.informer(configMaps, QString()).get() != first.get()); // another scope, another informer
        QCOMPARE(factory.activeCount(), 1); // the all-namespaces one was released at once
        QTRY_COMPARE_WITH_TIMEOUT(first->phase(), watch::Informer::Phase::Watching, 30000);
        QPointer<watch::Informer> watcher(first.get());
        first.reset();
        QVERIFY(watcher);
        second.reset();
        QCOMPARE(factory.activeCount(), 0);
        QCOMPARE(watcher->phase(), watch::Informer::Phase::Stopped);
        QTRY_VERIFY(watcher.isNull());
        if (m_cluster.server())
            QTRY_COMPARE(m_cluster.server()->openWatchCount(), 0);
    }

    void operations_scaleRestartEventsDelete()
    {
        const kube::ResourceKind deployments = kindOf(QStringLiteral("apps"), QStringLiteral("Deployment"));
        const QJsonObject labels{{QStringLiteral("app"), QStringLiteral("web")}};
        const kube::Response created = m_cluster.send(
            "POST", deployments.path(m_cluster.ns),
            QJsonObject{
                {QStringLiteral("apiVersion"), QStringLiteral("apps/v1")},
                {QStringLiteral("kind"), QStringLiteral("Deployment")},
                {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), QStringLiteral("web")}}},
                {QStringLiteral("spec"),
                 QJsonObject{
                     {QStringLiteral("replicas"), 1},
                     {QStringLiteral("selector"), QJsonObject{{QStringLiteral("matchLabels"), labels}}},
                     {QStringLiteral("template"),
                      QJsonObject{{QStringLiteral("metadata"), QJsonObject{{QStringLiteral("labels"), labels}}},
                                  {QStringLiteral("spec"),
                                   QJsonObject{{QStringLiteral("containers"),
                                                QJsonArray{QJsonObject{
                                                    {QStringLiteral("name"), QStringLiteral("nginx")},
                                                    {QStringLiteral("image"), QStringLiteral("nginx:1.25")}}}}}}}}}}});
        QVERIFY2(created.ok(), qPrintable(created.error().toString()));
        const QString uid = created.json()[QLatin1String("metadata")][QLatin1String("uid")].toString();
        kube::Operations operations(m_cluster.client());

        std::optional<Result<void>> scaled;
        operations.scale(deployments, m_cluster.ns, QStringLiteral("web"), 3, this,
                         [&](Result<void> r) { scaled = r; });
        QTRY_VERIFY_WITH_TIMEOUT(scaled.has_value(), 30000);
        QVERIFY2(scaled->ok(), scaled->ok() ? "" : qPrintable(scaled->error().toString()));

        std::optional<Result<void>> restarted;
        operations.rolloutRestart(deployments, m_cluster.ns, QStringLiteral("web"), this,
                                  [&](Result<void> r) { restarted = r; });
        QTRY_VERIFY_WITH_TIMEOUT(restarted.has_value(), 30000);
        QVERIFY2(restarted->ok(), restarted->ok() ? "" : qPrintable(restarted->error().toString()));

        std::optional<Result<QJsonObject>> got;
        operations.get(deployments, m_cluster.ns, QStringLiteral("web"), this, [&](Result<QJsonObject> r) { got = r; });
        QTRY_VERIFY_WITH_TIMEOUT(got.has_value(), 30000);
        QVERIFY(got->ok());
        QCOMPARE(got->value()[QLatin1String("spec")][QLatin1String("replicas")].toInt(), 3);
        QVERIFY(!got->value()[QLatin1String("spec")][QLatin1String("template")][QLatin1String("metadata")]
                             [QLatin1String("annotations")][QLatin1String("kubectl.kubernetes.io/restartedAt")]
                                 .toString()
                                 .isEmpty());

        // Events about this object only.
        for (const QString &name : {QStringLiteral("scaled"), QStringLiteral("other")}) {
            const kube::Response event = m_cluster.send(
                "POST", QStringLiteral("/api/v1/namespaces/%1/events").arg(m_cluster.ns),
                QJsonObject{
                    {QStringLiteral("apiVersion"), QStringLiteral("v1")},
                    {QStringLiteral("kind"), QStringLiteral("Event")},
                    {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), QStringLiteral("web.") + name}}},
                    {QStringLiteral("involvedObject"),
                     QJsonObject{
                         {QStringLiteral("kind"), QStringLiteral("Deployment")},
                         {QStringLiteral("namespace"), m_cluster.ns},
                         {QStringLiteral("name"), QStringLiteral("web")},
                         {QStringLiteral("uid"), name == QLatin1String("scaled") ? uid : QStringLiteral("0000")}}},
                    {QStringLiteral("reason"), QStringLiteral("ScalingReplicaSet")},
                    {QStringLiteral("message"), QStringLiteral("Scaled up")},
                    {QStringLiteral("type"), QStringLiteral("Normal")}});
            QVERIFY2(event.ok(), qPrintable(event.error().toString()));
        }
        std::optional<Result<QList<QJsonObject>>> events;
        operations.events(m_cluster.ns, uid, this, [&](Result<QList<QJsonObject>> r) { events = r; });
        QTRY_VERIFY_WITH_TIMEOUT(events.has_value(), 30000);
        QVERIFY(events->ok());
        QCOMPARE(events->value().size(), 1);
        QCOMPARE(events->value().first()[QLatin1String("metadata")][QLatin1String("name")].toString(),
                 QStringLiteral("web.scaled"));

        std::optional<Result<void>> deleted;
        operations.remove(deployments, m_cluster.ns, QStringLiteral("web"), kube::Propagation::Background, this,
                          [&](Result<void> r) { deleted = r; });
        QTRY_VERIFY_WITH_TIMEOUT(deleted.has_value(), 30000);
        QVERIFY(deleted->ok());
        if (m_cluster.server()) {
            const auto requests = m_cluster.server()->requests();
            bool sawPolicy = false;
            for (const testing::RecordedRequest &request : requests)
                sawPolicy |= request.method == QLatin1String("DELETE") &&
                             request.body.contains("\"propagationPolicy\":\"Background\"");
            QVERIFY(sawPolicy);
        }
        QTRY_VERIFY_WITH_TIMEOUT(
            m_cluster.send("GET", deployments.path(m_cluster.ns, QStringLiteral("web"))).status &&
                m_cluster.send("GET", deployments.path(m_cluster.ns, QStringLiteral("web"))).status->isNotFound(),
            30000);
        std::optional<Result<QJsonObject>> missing;
        operations.get(deployments, m_cluster.ns, QStringLiteral("web"), this,
                       [&](Result<QJsonObject> r) { missing = r; });
        QTRY_VERIFY_WITH_TIMEOUT(missing.has_value(), 30000);
        QVERIFY(!missing->ok());
        QCOMPARE(missing->error().code, 404);
        QVERIFY(missing->error().location.contains(QStringLiteral("deployment/web")));
    }

    void logs_tailAndKubeletUnreachable()
    {
        if (!m_cluster.server())
            QSKIP("needs the test API server (a real cluster may run no pods)");
        const kube::Response pod = m_cluster.send(
            "POST", QStringLiteral("/api/v1/namespaces/%1/pods").arg(m_cluster.ns),
            QJsonObject{
                {QStringLiteral("apiVersion"), QStringLiteral("v1")},
                {QStringLiteral("kind"), QStringLiteral("Pod")},
                {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), QStringLiteral("logger")}}},
                {QStringLiteral("spec"),
                 QJsonObject{{QStringLiteral("containers"),
                              QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("main")},
                                                     {QStringLiteral("image"), QStringLiteral("busybox")}}}}}}});
        QVERIFY2(pod.ok(), qPrintable(pod.error().toString()));
        m_cluster.server()->setPodLogs(m_cluster.ns, QStringLiteral("logger"), QStringLiteral("main"),
                                       {QStringLiteral("one"), QStringLiteral("two"), QStringLiteral("three")});
        kube::LogOptions options;
        options.container = QStringLiteral("main");
        options.tailLines = 2;
        kube::LogStream stream(m_cluster.client(), m_cluster.ns, QStringLiteral("logger"), options);
        QString text;
        connect(&stream, &kube::LogStream::textReceived, this, [&](const QString &chunk) { text += chunk; });
        QSignalSpy finished(&stream, &kube::LogStream::finished);
        stream.start();
        QVERIFY(finished.wait(30000));
        QVERIFY(finished.first().first().value<Result<void>>().ok());
        QCOMPARE(text, QStringLiteral("two\nthree\n"));

        // follow: lines appended later arrive while the stream stays open.
        kube::LogOptions followOptions;
        followOptions.follow = true;
        followOptions.tailLines = 0;
        kube::LogStream follower(m_cluster.client(), m_cluster.ns, QStringLiteral("logger"), followOptions);
        QString followed;
        connect(&follower, &kube::LogStream::textReceived, this, [&](const QString &chunk) { followed += chunk; });
        follower.start();
        const auto followRequested = [&] {
            for (const testing::RecordedRequest &request : m_cluster.server()->requests())
                if (request.path.endsWith(QLatin1String("/logger/log")) &&
                    request.query.contains(QStringLiteral("follow=true")))
                    return true;
            return false;
        };
        QTRY_VERIFY_WITH_TIMEOUT(followRequested(), 10000);
        m_cluster.server()->appendPodLog(m_cluster.ns, QStringLiteral("logger"), QStringLiteral("main"),
                                         QStringLiteral("four"));
        QTRY_VERIFY_WITH_TIMEOUT(followed.contains(QStringLiteral("four")), 10000);
        QVERIFY(!followed.contains(QStringLiteral("three")));
        follower.stop();
        QVERIFY(!follower.isRunning());

        m_cluster.server()->setKubeletReachable(false);
        finished.clear();
        stream.start();
        QVERIFY(finished.wait(30000));
        const Result<void> result = finished.first().first().value<Result<void>>();
        m_cluster.server()->setKubeletReachable(true);
        QVERIFY(!result.ok());
        QVERIFY2(result.error().message.contains(QStringLiteral("kubelet")), qPrintable(result.error().message));
        QCOMPARE(result.error().code, 500);
    }
};

ORCHESTRA_TEST_MAIN(TestClusterIntegration)
#include "tst_cluster_integration.moc"
