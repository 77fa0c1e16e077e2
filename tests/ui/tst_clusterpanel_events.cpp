// The Events tab of the cluster panel's details pane against the in-process test API server. The pane lists the
// Events whose involvedObject.uid is the selected object's uid (in its namespace; across namespaces for
// cluster-scoped objects; for a Node also those whose uid is the node's name, as the kubelet records them), newest
// first by lastTimestamp (eventTime when that is empty), and follows them live while the object is selected: a
// watch on Events with a fieldSelector for that object, stopped when the selection changes.

#include "testmain.h"

#include "clusterpaneltesting.h"

#include "cluster/detailspane.h"
#include "resources/humanize.h"
#include "watch/informerfactory.h"

#include <QPointer>
#include <QTreeWidget>
#include <QUrlQuery>

using namespace orchestra;
using orchestra::test::kPanelTimeoutMs;
using orchestra::ui::ClusterPanel;

namespace {

QString ago(qint64 seconds)
{
    return QDateTime::currentDateTimeUtc().addSecs(-seconds).toString(Qt::ISODate);
}

struct EventSpec
{
    QString name = {};
    QString reason = {};
    QString type = QStringLiteral("Normal");
    QString message = {};
    int count = 1;
    QString lastTimestamp = {};   ///< empty: none (an events.k8s.io-style Event with only eventTime)
    QString eventTime = {};       ///< MicroTime
    QString sourceComponent = {}; ///< source.component (core/v1 recorders)
    QString reportingComponent = {};
};

QJsonObject eventObject(const EventSpec &spec, const QString &ns, const QJsonObject &involved)
{
    QJsonObject event{
        {QStringLiteral("apiVersion"), QStringLiteral("v1")},
        {QStringLiteral("kind"), QStringLiteral("Event")},
        {QStringLiteral("metadata"),
         QJsonObject{{QStringLiteral("name"), spec.name}, {QStringLiteral("namespace"), ns}}},
        {QStringLiteral("involvedObject"), involved},
        {QStringLiteral("reason"), spec.reason},
        {QStringLiteral("message"), spec.message},
        {QStringLiteral("type"), spec.type},
        {QStringLiteral("count"), spec.count},
    };
    if (!spec.lastTimestamp.isEmpty()) {
        event.insert(QStringLiteral("firstTimestamp"), ago(3 * 3600));
        event.insert(QStringLiteral("lastTimestamp"), spec.lastTimestamp);
    }
    if (!spec.eventTime.isEmpty())
        event.insert(QStringLiteral("eventTime"), spec.eventTime);
    if (!spec.sourceComponent.isEmpty())
        event.insert(QStringLiteral("source"), QJsonObject{{QStringLiteral("component"), spec.sourceComponent}});
    if (!spec.reportingComponent.isEmpty())
        event.insert(QStringLiteral("reportingComponent"), spec.reportingComponent);
    return event;
}

QJsonObject involvedPod(const QString &name, const QString &uid, const QString &ns = QStringLiteral("default"))
{
    return QJsonObject{{QStringLiteral("apiVersion"), QStringLiteral("v1")},
                       {QStringLiteral("kind"), QStringLiteral("Pod")},
                       {QStringLiteral("name"), name},
                       {QStringLiteral("namespace"), ns},
                       {QStringLiteral("uid"), uid}};
}

QString uidOf(const QJsonObject &object)
{
    return object.value(QLatin1String("metadata")).toObject().value(QLatin1String("uid")).toString();
}

/// Column `column` of every row of the Events tab.
QStringList column(QTreeWidget *events, int column)
{
    QStringList texts;
    for (int i = 0; i < events->topLevelItemCount(); ++i)
        texts.append(events->topLevelItem(i)->text(column));
    return texts;
}

QTreeWidgetItem *rowWithReason(QTreeWidget *events, const QString &reason)
{
    for (int i = 0; i < events->topLevelItemCount(); ++i) {
        if (events->topLevelItem(i)->text(2) == reason)
            return events->topLevelItem(i);
    }
    return nullptr;
}

} // namespace

class TestClusterPanelEvents final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<testing::ApiServer> m_server;
    QTemporaryDir m_dir;
    QString m_apiUid;

    /// Selects pod `name` in the default namespace and waits for its full object.
    std::unique_ptr<ClusterPanel> panelOnPod(const QString &name, const QString &user = QStringLiteral("admin"))
    {
        auto panel = test::openPanel(*m_server, m_dir, user);
        if (!test::waitForKind(panel.get(), QStringLiteral("pods")))
            return nullptr;
        QElapsedTimer timer;
        timer.start();
        while (timer.elapsed() < kPanelTimeoutMs) {
            if (panel->table()->selectName(name) && !panel->details()->object().isEmpty() &&
                panel->details()->objectName() == name)
                return panel;
            QTest::qWait(10);
        }
        return nullptr;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_server = std::make_unique<testing::ApiServer>();
        QVERIFY2(m_server->start(), qPrintable(m_server->lastError()));
        const QJsonObject api = m_server->create(test::podObject(QStringLiteral("api-0")));
        m_apiUid = uidOf(api);
        QVERIFY(!m_apiUid.isEmpty());
        const QJsonObject web = m_server->create(test::podObject(QStringLiteral("web-1")));
        m_server->create(test::podObject(QStringLiteral("quiet-0")));

        // api-0's own Events, seeded out of order.
        const QJsonObject involved = involvedPod(QStringLiteral("api-0"), m_apiUid);
        const auto seed = [&](const EventSpec &spec, const QString &ns, const QJsonObject &about) {
            return !m_server->create(eventObject(spec, ns, about)).isEmpty();
        };
        QVERIFY(seed({.name = QStringLiteral("api-0.backoff"),
                      .reason = QStringLiteral("BackOff"),
                      .type = QStringLiteral("Warning"),
                      .message = QStringLiteral("Back-off restarting failed container app in pod api-0"),
                      .count = 7,
                      .lastTimestamp = ago(20 * 60 + 30),
                      .sourceComponent = QStringLiteral("kubelet")},
                     QStringLiteral("default"), involved));
        QVERIFY(seed({.name = QStringLiteral("api-0.scheduled"),
                      .reason = QStringLiteral("Scheduled"),
                      .message = QStringLiteral("Successfully assigned default/api-0 to node-1"),
                      .lastTimestamp = ago(40 * 60 + 30),
                      .sourceComponent = QStringLiteral("default-scheduler")},
                     QStringLiteral("default"), involved));
        // An events.k8s.io-style Event: no lastTimestamp, only eventTime and reportingComponent.
        QVERIFY(seed({.name = QStringLiteral("api-0.killing"),
                      .reason = QStringLiteral("Killing"),
                      .message = QStringLiteral("Stopping container app"),
                      .eventTime = QDateTime::currentDateTimeUtc()
                                       .addSecs(-(10 * 60 + 30))
                                       .toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzz000Z")),
                      .reportingComponent = QStringLiteral("kubelet")},
                     QStringLiteral("default"), involved));

        // Decoys: an earlier pod of the same name (other uid), and another pod in the same namespace.
        QVERIFY(seed({.name = QStringLiteral("api-0.old"),
                      .reason = QStringLiteral("OldIncarnation"),
                      .message = QStringLiteral("about a deleted pod that had the same name"),
                      .lastTimestamp = ago(5 * 60),
                      .sourceComponent = QStringLiteral("kubelet")},
                     QStringLiteral("default"),
                     involvedPod(QStringLiteral("api-0"), QStringLiteral("uid-of-old-api-0"))));
        QVERIFY(seed({.name = QStringLiteral("web-1.pulled"),
                      .reason = QStringLiteral("OtherPod"),
                      .message = QStringLiteral("about web-1"),
                      .lastTimestamp = ago(60),
                      .sourceComponent = QStringLiteral("kubelet")},
                     QStringLiteral("default"), involvedPod(QStringLiteral("web-1"), uidOf(web))));
    }

    void init() { test::failOnStaleModelIndex(); }

    void selection_showsOnlyThatObjectsEventsNewestFirst()
    {
        auto panel = panelOnPod(QStringLiteral("api-0"));
        QVERIFY(panel);
        ui::DetailsPane *details = panel->details();
        QTreeWidget *events = details->eventsView();
        QCOMPARE(details->tabs()->tabText(details->tabs()->indexOf(events)), QStringLiteral("Events"));
        QTRY_COMPARE_WITH_TIMEOUT(events->topLevelItemCount(), 3, kPanelTimeoutMs);

        // Newest first; the eventTime-only Event sorts by its eventTime.
        QCOMPARE(column(events, 2),
                 (QStringList{QStringLiteral("Killing"), QStringLiteral("BackOff"), QStringLiteral("Scheduled")}));
        // "Last seen" is the age of lastTimestamp (not firstTimestamp), else of eventTime.
        QCOMPARE(column(events, 0), (QStringList{QStringLiteral("10m"), QStringLiteral("20m"), QStringLiteral("40m")}));

        QTreeWidgetItem *backOff = rowWithReason(events, QStringLiteral("BackOff"));
        QVERIFY(backOff);
        QCOMPARE(backOff->text(1), QStringLiteral("Warning"));
        QCOMPARE(backOff->text(3), QStringLiteral("Back-off restarting failed container app in pod api-0"));
        QCOMPARE(backOff->text(4), QStringLiteral("7"));
        QCOMPARE(backOff->text(5), QStringLiteral("kubelet"));
        QVERIFY(!backOff->icon(1).isNull()); // warnings are marked

        QTreeWidgetItem *scheduled = rowWithReason(events, QStringLiteral("Scheduled"));
        QCOMPARE(scheduled->text(1), QStringLiteral("Normal"));
        QCOMPARE(scheduled->text(5), QStringLiteral("default-scheduler"));
        QVERIFY(scheduled->icon(1).isNull());
        QCOMPARE(rowWithReason(events, QStringLiteral("Killing"))->text(5), QStringLiteral("kubelet"));

        // Same kind, name and namespace but another uid, or another object: not shown.
        QVERIFY(!rowWithReason(events, QStringLiteral("OldIncarnation")));
        QVERIFY(!rowWithReason(events, QStringLiteral("OtherPod")));
    }

    void otherSelection_replacesTheEvents()
    {
        auto panel = panelOnPod(QStringLiteral("api-0"));
        QVERIFY(panel);
        QTreeWidget *events = panel->details()->eventsView();
        QTRY_COMPARE_WITH_TIMEOUT(events->topLevelItemCount(), 3, kPanelTimeoutMs);

        QVERIFY(panel->table()->selectName(QStringLiteral("web-1")));
        QTRY_COMPARE_WITH_TIMEOUT(column(events, 2), QStringList{QStringLiteral("OtherPod")}, kPanelTimeoutMs);

        // An object without Events says so instead of showing an empty list.
        QVERIFY(panel->table()->selectName(QStringLiteral("quiet-0")));
        QTRY_VERIFY_WITH_TIMEOUT(events->topLevelItemCount() == 1 && events->topLevelItem(0)->text(3).startsWith(
                                                                         QLatin1String("No events for this object")),
                                 kPanelTimeoutMs);
        QVERIFY(!rowWithReason(events, QStringLiteral("OtherPod")));
    }

    void clusterScopedObject_findsItsEventsInAnyNamespace()
    {
        const QJsonObject node = m_server->get(QString(), QStringLiteral("v1"), QStringLiteral("nodes"), QString(),
                                               QStringLiteral("node-1"));
        QVERIFY(!uidOf(node).isEmpty());
        // Node Events live in a namespace ("default") although the Node has none.
        QVERIFY(!m_server
                     ->create(eventObject({.name = QStringLiteral("node-1.pressure"),
                                           .reason = QStringLiteral("NodeHasDiskPressure"),
                                           .type = QStringLiteral("Warning"),
                                           .message = QStringLiteral("Node node-1 status is now: NodeHasDiskPressure"),
                                           .lastTimestamp = ago(15 * 60 + 30),
                                           .sourceComponent = QStringLiteral("node-controller")},
                                          QStringLiteral("default"),
                                          QJsonObject{{QStringLiteral("kind"), QStringLiteral("Node")},
                                                      {QStringLiteral("name"), QStringLiteral("node-1")},
                                                      {QStringLiteral("uid"), uidOf(node)}}))
                     .isEmpty());
        auto panel = test::openPanel(*m_server, m_dir);
        QVERIFY(test::waitForKind(panel.get(), QStringLiteral("pods")));
        QVERIFY(panel->showKind(QStringLiteral("nodes")));
        QVERIFY(test::waitForKind(panel.get(), QStringLiteral("nodes")));
        QTRY_VERIFY_WITH_TIMEOUT(panel->table()->selectName(QStringLiteral("node-1")), kPanelTimeoutMs);
        QTreeWidget *events = panel->details()->eventsView();
        QTRY_COMPARE_WITH_TIMEOUT(column(events, 2), QStringList{QStringLiteral("NodeHasDiskPressure")},
                                  kPanelTimeoutMs);
        QCOMPARE(events->topLevelItem(0)->text(5), QStringLiteral("node-controller"));
    }

    void newEvent_appearsWhenTheObjectIsReadAgain()
    {
        auto panel = panelOnPod(QStringLiteral("api-0"));
        QVERIFY(panel);
        QTreeWidget *events = panel->details()->eventsView();
        QTRY_COMPARE_WITH_TIMEOUT(events->topLevelItemCount(), 3, kPanelTimeoutMs);

        // An Event written together with a change of the object (here: its status, as the kubelet would write it
        // with such an Event): the object is re-read, and the Events stay complete and in order.
        QVERIFY(!m_server
                     ->create(eventObject({.name = QStringLiteral("api-0.unhealthy"),
                                           .reason = QStringLiteral("Unhealthy"),
                                           .type = QStringLiteral("Warning"),
                                           .message = QStringLiteral("Readiness probe failed: connection refused"),
                                           .count = 3,
                                           .lastTimestamp = ago(0),
                                           .sourceComponent = QStringLiteral("kubelet")},
                                          QStringLiteral("default"), involvedPod(QStringLiteral("api-0"), m_apiUid)))
                     .isEmpty());
        QSignalSpy loaded(panel->details(), &ui::DetailsPane::objectLoaded);
        m_server->modify(
            QString(), QStringLiteral("v1"), QStringLiteral("pods"), QStringLiteral("default"), QStringLiteral("api-0"),
            QJsonObject{{QStringLiteral("status"),
                         QJsonObject{{QStringLiteral("conditions"),
                                      QJsonArray{QJsonObject{{QStringLiteral("type"), QStringLiteral("Ready")},
                                                             {QStringLiteral("status"), QStringLiteral("False")}}}}}}});
        QTRY_VERIFY_WITH_TIMEOUT(loaded.count() >= 1, kPanelTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(events->topLevelItemCount(), 4, kPanelTimeoutMs);
        QCOMPARE(column(events, 2), (QStringList{QStringLiteral("Unhealthy"), QStringLiteral("Killing"),
                                                 QStringLiteral("BackOff"), QStringLiteral("Scheduled")}));
        QCOMPARE(events->topLevelItem(0)->text(4), QStringLiteral("3"));
        QCOMPARE(panel->table()->currentName(), QStringLiteral("api-0"));
    }

    void lastSeen_agesWhileShown()
    {
        const QString uid = uidOf(m_server->create(test::podObject(QStringLiteral("aging-0"))));
        QVERIFY(!m_server
                     ->create(eventObject({.name = QStringLiteral("aging-0.started"),
                                           .reason = QStringLiteral("Started"),
                                           .message = QStringLiteral("Started container app"),
                                           .lastTimestamp = ago(20),
                                           .sourceComponent = QStringLiteral("kubelet")},
                                          QStringLiteral("default"), involvedPod(QStringLiteral("aging-0"), uid)))
                     .isEmpty());
        auto panel = panelOnPod(QStringLiteral("aging-0"));
        QVERIFY(panel);
        panel->details()->setEventAgeRefreshInterval(100);
        QTreeWidget *events = panel->details()->eventsView();
        QTRY_COMPARE_WITH_TIMEOUT(column(events, 2), QStringList{QStringLiteral("Started")}, kPanelTimeoutMs);
        const QString first = events->topLevelItem(0)->text(0);
        QVERIFY2(first.endsWith(QLatin1Char('s')), qPrintable(first)); // seconds: it moves every second
        // Nothing about the Event changes, yet "Last seen" keeps counting.
        QTRY_VERIFY_WITH_TIMEOUT(events->topLevelItem(0)->text(0) != first, 5000);
        QCOMPARE(events->topLevelItemCount(), 1);
    }

    void newEvent_appearsLiveWhileTheObjectIsSelected()
    {
        const QString uid = uidOf(m_server->create(test::podObject(QStringLiteral("live-0"))));
        QVERIFY(!uid.isEmpty());
        auto panel = test::openPanel(*m_server, m_dir);
        QVERIFY(test::waitForKind(panel.get(), QStringLiteral("pods")));
        QSignalSpy created(panel->informers(), &watch::InformerFactory::informerCreated);
        QTRY_VERIFY_WITH_TIMEOUT(panel->table()->selectName(QStringLiteral("live-0")), kPanelTimeoutMs);
        QTreeWidget *events = panel->details()->eventsView();
        QTRY_VERIFY_WITH_TIMEOUT(events->topLevelItemCount() == 1 && events->topLevelItem(0)->text(3).startsWith(
                                                                         QLatin1String("No events for this object")),
                                 kPanelTimeoutMs);

        // One watch for this object's Events in its namespace: the server sends those alone.
        QPointer<watch::Informer> eventsInformer;
        for (const QList<QVariant> &arguments : std::as_const(created)) {
            auto *informer = arguments.at(0).value<watch::Informer *>();
            if (informer->kind().plural == QLatin1String("events")) {
                QVERIFY2(!eventsInformer, "one Events informer per selected object");
                eventsInformer = informer;
            }
        }
        QVERIFY(eventsInformer);
        QCOMPARE(eventsInformer->ns(), QStringLiteral("default"));
        QCOMPARE(eventsInformer->fieldSelector(), QStringLiteral("involvedObject.uid=") + uid);
        QTRY_COMPARE_WITH_TIMEOUT(eventsInformer->phase(), watch::Informer::Phase::Watching, kPanelTimeoutMs);

        // A new Event while nothing else changes: it appears without the pod being read again.
        QSignalSpy loaded(panel->details(), &ui::DetailsPane::objectLoaded);
        QVERIFY(!m_server
                     ->create(eventObject({.name = QStringLiteral("live-0.pulled"),
                                           .reason = QStringLiteral("Pulled"),
                                           .message = QStringLiteral("Container image \"nginx:1.25\" already present"),
                                           .lastTimestamp = ago(12 * 60 + 30),
                                           .sourceComponent = QStringLiteral("kubelet")},
                                          QStringLiteral("default"), involvedPod(QStringLiteral("live-0"), uid)))
                     .isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(column(events, 2), QStringList{QStringLiteral("Pulled")}, kPanelTimeoutMs);
        QCOMPARE(events->topLevelItem(0)->text(0), QStringLiteral("12m"));
        QCOMPARE(events->topLevelItem(0)->text(3), QStringLiteral("Container image \"nginx:1.25\" already present"));

        // A repeated Event is the same object with a higher count: the row follows it, newest first.
        QVERIFY(!m_server
                     ->create(eventObject({.name = QStringLiteral("live-0.unhealthy"),
                                           .reason = QStringLiteral("Unhealthy"),
                                           .type = QStringLiteral("Warning"),
                                           .message = QStringLiteral("Liveness probe failed"),
                                           .lastTimestamp = ago(2 * 60 + 30),
                                           .sourceComponent = QStringLiteral("kubelet")},
                                          QStringLiteral("default"), involvedPod(QStringLiteral("live-0"), uid)))
                     .isEmpty());
        m_server->modify(QString(), QStringLiteral("v1"), QStringLiteral("events"), QStringLiteral("default"),
                         QStringLiteral("live-0.pulled"),
                         QJsonObject{{QStringLiteral("count"), 4}, {QStringLiteral("lastTimestamp"), ago(30)}});
        QTRY_COMPARE_WITH_TIMEOUT(column(events, 4), (QStringList{QStringLiteral("4"), QStringLiteral("1")}),
                                  kPanelTimeoutMs);
        QCOMPARE(column(events, 2), (QStringList{QStringLiteral("Pulled"), QStringLiteral("Unhealthy")}));
        QCOMPARE(loaded.count(), 0);
        QCOMPARE(panel->table()->currentName(), QStringLiteral("live-0"));

        // Another selection stops that watch.
        QVERIFY(panel->table()->selectName(QStringLiteral("quiet-0")));
        QTRY_VERIFY_WITH_TIMEOUT(!eventsInformer, kPanelTimeoutMs);
    }

    void nodeEvents_matchByUidOrByName()
    {
        // kubectl describe node shows both: Events recorded with the node's uid (node controller) and those the
        // kubelet records with the node's *name* as involvedObject.uid.
        const QString nodeUid = uidOf(m_server->get(QString(), QStringLiteral("v1"), QStringLiteral("nodes"), QString(),
                                                    QStringLiteral("node-1")));
        QVERIFY(!nodeUid.isEmpty());
        const auto involvedNode = [](const QString &uid) {
            return QJsonObject{{QStringLiteral("kind"), QStringLiteral("Node")},
                               {QStringLiteral("name"), QStringLiteral("node-1")},
                               {QStringLiteral("uid"), uid}};
        };
        const auto seed = [&](const EventSpec &spec, const QJsonObject &about) {
            return !m_server->create(eventObject(spec, QStringLiteral("default"), about)).isEmpty();
        };
        QVERIFY(seed({.name = QStringLiteral("node-1.registered"),
                      .reason = QStringLiteral("RegisteredNode"),
                      .message = QStringLiteral("Node node-1 event: Registered Node node-1 in Controller"),
                      .lastTimestamp = ago(50 * 60 + 30),
                      .sourceComponent = QStringLiteral("node-controller")},
                     involvedNode(nodeUid)));
        QVERIFY(seed({.name = QStringLiteral("node-1.starting"),
                      .reason = QStringLiteral("Starting"),
                      .message = QStringLiteral("Starting kubelet."),
                      .lastTimestamp = ago(45 * 60 + 30),
                      .sourceComponent = QStringLiteral("kubelet")},
                     involvedNode(QStringLiteral("node-1"))));
        // Not this node: an earlier node of the same name, and a Pod whose uid happens to be "node-1".
        QVERIFY(seed({.name = QStringLiteral("node-1.earlier"),
                      .reason = QStringLiteral("EarlierNode"),
                      .lastTimestamp = ago(40 * 60),
                      .sourceComponent = QStringLiteral("node-controller")},
                     involvedNode(QStringLiteral("uid-of-an-earlier-node-1"))));
        QVERIFY(seed({.name = QStringLiteral("node-1.pod"),
                      .reason = QStringLiteral("NotTheNode"),
                      .lastTimestamp = ago(40 * 60),
                      .sourceComponent = QStringLiteral("kubelet")},
                     involvedPod(QStringLiteral("node-1"), QStringLiteral("node-1"))));

        auto panel = test::openPanel(*m_server, m_dir);
        QVERIFY(test::waitForKind(panel.get(), QStringLiteral("pods")));
        QVERIFY(panel->showKind(QStringLiteral("nodes")));
        QVERIFY(test::waitForKind(panel.get(), QStringLiteral("nodes")));
        QTRY_VERIFY_WITH_TIMEOUT(panel->table()->selectName(QStringLiteral("node-1")), kPanelTimeoutMs);
        QTreeWidget *events = panel->details()->eventsView();
        QTRY_VERIFY_WITH_TIMEOUT(column(events, 2).contains(QStringLiteral("Starting")) &&
                                     column(events, 2).contains(QStringLiteral("RegisteredNode")),
                                 kPanelTimeoutMs);
        const QStringList reasons = column(events, 2);
        QVERIFY2(!reasons.contains(QStringLiteral("EarlierNode")), qPrintable(reasons.join(QLatin1Char(','))));
        QVERIFY2(!reasons.contains(QStringLiteral("NotTheNode")), qPrintable(reasons.join(QLatin1Char(','))));
        QVERIFY(reasons.indexOf(QStringLiteral("Starting")) < reasons.indexOf(QStringLiteral("RegisteredNode")));
        QCOMPARE(rowWithReason(events, QStringLiteral("Starting"))->text(5), QStringLiteral("kubelet"));

        // Live for the kubelet's kind of Event too.
        QVERIFY(seed({.name = QStringLiteral("node-1.rebooted"),
                      .reason = QStringLiteral("Rebooted"),
                      .type = QStringLiteral("Warning"),
                      .message = QStringLiteral("Node node-1 has been rebooted"),
                      .lastTimestamp = ago(0),
                      .sourceComponent = QStringLiteral("kubelet")},
                     involvedNode(QStringLiteral("node-1"))));
        QTRY_COMPARE_WITH_TIMEOUT(column(events, 2).value(0), QStringLiteral("Rebooted"), kPanelTimeoutMs);
    }

    void eventsForbidden_showsTheError()
    {
        // May read pods but not list Events: the tab says why instead of "no events".
        m_server->addTokenUser(QStringLiteral("viewer-token"), QStringLiteral("viewer"), false);
        for (const char *verb : {"get", "list", "watch"})
            m_server->allow(QStringLiteral("viewer"), QLatin1String(verb), QStringLiteral("pods"));
        auto panel = panelOnPod(QStringLiteral("api-0"), QStringLiteral("viewer"));
        QVERIFY(panel);
        QTreeWidget *events = panel->details()->eventsView();
        QTRY_COMPARE_WITH_TIMEOUT(events->topLevelItemCount(), 1, kPanelTimeoutMs);
        QCOMPARE(events->topLevelItem(0)->text(1), QStringLiteral("Error"));
        QVERIFY2(events->topLevelItem(0)->text(3).contains(QLatin1String("forbidden")),
                 qPrintable(events->topLevelItem(0)->text(3)));
        QVERIFY(!events->topLevelItem(0)->text(3).startsWith(QLatin1String("No events")));
    }
};

ORCHESTRA_TEST_MAIN(TestClusterPanelEvents)
#include "tst_clusterpanel_events.moc"
