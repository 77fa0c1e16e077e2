// Fault tests: after each fault the informer's store (and the model over it) converges to the server's true state
// (a fresh list) with no lost or duplicate rows. Test API server only: a real cluster cannot be made to fail.

#include "clustersession.h"

#include "kube/resourceregistry.h"
#include "models/resourcetablemodel.h"
#include "models/roles.h"
#include "watch/informer.h"

#include "testmain.h"

#include <QAbstractItemModelTester>

using namespace orchestra;

class TestFaults : public QObject
{
    Q_OBJECT

private:
    test::ClusterSession m_cluster;
    kube::ResourceKind m_pods;
    std::unique_ptr<watch::Informer> m_informer;
    std::unique_ptr<models::ResourceTableModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
    int m_counter = 0;

    QString podsPath() const { return m_pods.path(m_cluster.ns); }

    QHash<QString, QString> storeState() const
    {
        QHash<QString, QString> result;
        for (const watch::ObjectPtr &object : m_informer->store()->objects())
            result.insert(object->uid, object->resourceVersion);
        return result;
    }

    QStringList modelUids() const
    {
        QStringList uids;
        for (int row = 0; row < m_model->rowCount(); ++row)
            uids.append(m_model->index(row, 0).data(models::UidRole).toString());
        return uids;
    }

    // The store equals a fresh list, and the model shows each object exactly once.
    bool converged()
    {
        m_model->flush();
        const QHash<QString, QString> truth = m_cluster.freshList(podsPath());
        if (storeState() != truth)
            return false;
        const QStringList uids = modelUids();
        const QSet<QString> unique(uids.begin(), uids.end());
        return uids.size() == truth.size() && unique.size() == uids.size();
    }

    void startInformer(int pageSize = 500)
    {
        m_informer = std::make_unique<watch::Informer>(m_cluster.client(), m_pods, m_cluster.ns,
                                                       watch::Informer::Format::Objects);
        m_informer->setPageSize(pageSize);
        m_informer->setInactivityTimeout(3000); // the test server sends a bookmark every second
        m_model = std::make_unique<models::ResourceTableModel>(
            m_informer->store(), resources::nativeRenderer(QString(), QStringLiteral("Pod")), false);
        m_tester = std::make_unique<QAbstractItemModelTester>(m_model.get(),
                                                              QAbstractItemModelTester::FailureReportingMode::QtTest);
        m_informer->start();
    }

    // Adds, changes and deletes pods while the fault is active.
    void churn()
    {
        testing::ApiServer *server = m_cluster.server();
        const QString name = QStringLiteral("churn-%1").arg(++m_counter);
        server->create(
            QJsonObject{{QStringLiteral("apiVersion"), QStringLiteral("v1")},
                        {QStringLiteral("kind"), QStringLiteral("Pod")},
                        {QStringLiteral("metadata"),
                         QJsonObject{{QStringLiteral("name"), name}, {QStringLiteral("namespace"), m_cluster.ns}}},
                        {QStringLiteral("spec"),
                         QJsonObject{{QStringLiteral("containers"),
                                      QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("c")},
                                                             {QStringLiteral("image"), QStringLiteral("nginx")}}}}}}});
        const QStringList names = [&] {
            QStringList result;
            for (const watch::ObjectPtr &object : m_informer->store()->objects())
                result.append(object->name);
            result.sort();
            return result;
        }();
        if (names.size() > 2) {
            server->setPodPhase(m_cluster.ns, names.at(0), QStringLiteral("Failed"));
            server->remove(QString(), QStringLiteral("v1"), QStringLiteral("pods"), m_cluster.ns, names.at(1));
        }
    }

private slots:
    void initTestCase()
    {
        if (!qEnvironmentVariableIsEmpty("ORCHESTRA_IT_KUBECONFIG"))
            QSKIP("fault injection needs the test API server");
        QString error;
        QVERIFY2(m_cluster.setUp(&error), qPrintable(error));
        kube::ResourceRegistry registry(m_cluster.client());
        QSignalSpy refreshed(&registry, &kube::ResourceRegistry::refreshed);
        registry.refresh();
        QVERIFY(refreshed.wait(30000));
        m_pods = *registry.find(QString(), QStringLiteral("Pod"));
    }

    void init() { m_cluster.server()->addPods(9, m_cluster.ns); }

    void cleanup()
    {
        m_tester.reset();
        m_model.reset();
        m_informer.reset();
        m_cluster.server()->setStallWatches(false);
        m_cluster.server()->closeWatches();
        // Let the server notice the closed watches before the next test changes objects.
        QTRY_COMPARE_WITH_TIMEOUT(m_cluster.server()->openWatchCount(), 0, 10000);
    }

    void cleanupTestCase() { m_cluster.tearDown(); }

    void watchClosedMidStream_rewatchesFromLastVersion()
    {
        startInformer();
        QTRY_COMPARE_WITH_TIMEOUT(m_informer->phase(), watch::Informer::Phase::Watching, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(converged(), 10000);
        m_cluster.server()->closeWatches();
        churn();
        // The old stream may still carry the churn before it closes, so converging alone does not prove the
        // re-watch: wait for it too.
        QTRY_VERIFY_WITH_TIMEOUT(m_informer->watchCount() >= 2, 5000);
        QTRY_VERIFY_WITH_TIMEOUT(converged(), 5000);
        QCOMPARE(m_informer->listCount(), 1); // resumed from the resourceVersion, no relist needed
    }

    void serverRestart_relistsOn410()
    {
        startInformer();
        QTRY_COMPARE_WITH_TIMEOUT(m_informer->phase(), watch::Informer::Phase::Watching, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(converged(), 10000);
        QSignalSpy resets(m_model.get(), &QAbstractItemModel::modelReset);
        m_cluster.server()->restart();
        churn();
        QTRY_VERIFY_WITH_TIMEOUT(converged(), 5000);
        QTRY_COMPARE_WITH_TIMEOUT(m_informer->listCount(), 2, 5000);
        QVERIFY(resets.size() <= 1); // a relist costs at most one reset
    }

    void stalledStream_isDetectedByInactivity()
    {
        startInformer();
        QTRY_COMPARE_WITH_TIMEOUT(m_informer->phase(), watch::Informer::Phase::Watching, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(converged(), 10000);
        // Counted before closing: the reconnect may happen before the next line runs, and then the count would only
        // move again after a whole inactivity timeout.
        const int watchesBefore = m_informer->watchCount();
        m_cluster.server()->setStallWatches(true);
        m_cluster.server()->closeWatches(); // the reconnect lands on a stalled stream: 200 and then nothing
        QTRY_VERIFY_WITH_TIMEOUT(m_informer->watchCount() > watchesBefore, 10000);
        churn();
        QVERIFY(!converged());
        m_cluster.server()->setStallWatches(false);
        QTRY_VERIFY_WITH_TIMEOUT(converged(), 5000 + 3000); // recovery = the next inactivity timeout
        QCOMPARE(m_informer->listCount(), 1);
    }

    void unavailableWithRetryAfter_isRetried()
    {
        m_cluster.server()->failNext(2, 503, 1);
        startInformer();
        QTRY_VERIFY_WITH_TIMEOUT(m_informer->hasSynced(), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(converged(), 5000);
        // And during the watch: the reconnect fails, then recovers after Retry-After.
        QTRY_COMPARE_WITH_TIMEOUT(m_informer->phase(), watch::Informer::Phase::Watching, 10000);
        m_cluster.server()->failNext(2, 503, 1);
        m_cluster.server()->closeWatches();
        churn();
        // Wait for the informer to meet the 503s itself (the fresh lists of converged() would consume them).
        QTRY_VERIFY_WITH_TIMEOUT(m_informer->lastError().has_value(), 5000);
        QCOMPARE(m_informer->lastError()->code, 503);
        QTRY_VERIFY_WITH_TIMEOUT(converged(), 5000 + 3000);
    }

    void expiredContinue_restartsTheList()
    {
        // Restart the server just before the first continue request is served: that token is now too old (410).
        bool restarted = false;
        testing::ApiServer *server = m_cluster.server();
        const QMetaObject::Connection hook =
            connect(server, &testing::ApiServer::requestReceived, this, [&](const QString &, const QString &path) {
                if (restarted || path != podsPath())
                    return;
                const QList<testing::RecordedRequest> requests = server->requests();
                if (!requests.isEmpty() && requests.last().query.contains(QStringLiteral("continue="))) {
                    restarted = true;
                    server->restart();
                }
            });
        startInformer(2);
        QTRY_VERIFY_WITH_TIMEOUT(m_informer->hasSynced(), 10000);
        disconnect(hook);
        QVERIFY(restarted);
        QTRY_VERIFY_WITH_TIMEOUT(converged(), 5000);
        // Every pod of the server lives in the test namespace.
        QCOMPARE(m_model->rowCount(), m_cluster.server()->count(QString(), QStringLiteral("pods")));
    }
};

ORCHESTRA_TEST_MAIN(TestFaults)
#include "tst_faults.moc"
