// The live cluster panel against the in-process test API server: discovery groups, live rows, selection across
// watch events, filters, permission locks, actions, logs, and context switches.

#include "testmain.h"

#include "clusterpaneltesting.h"
#include "kubeconfigtestsupport.h"

#include "apiserver.h"
#include "cluster/clusterpanel.h"
#include "cluster/commandpalette.h"
#include "cluster/detailspane.h"
#include "cluster/logview.h"
#include "cluster/resourcenavigator.h"
#include "cluster/resourcetable.h"
#include "kubeconfig/kubeconfig.h"
#include "models/resourcefilterproxy.h"
#include "models/resourcetablemodel.h"
#include "models/roles.h"
#include "resources/renderer.h"
#include "watch/informer.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QRegularExpression>
#include <QTableView>
#include <QTemporaryDir>
#include <QTextBrowser>
#include <QTreeWidget>

using namespace orchestra;
using orchestra::ui::ClusterPanel;

namespace {

constexpr int timeoutMs = test::kPanelTimeoutMs;
using test::tableHasName;
using test::waitForKind;

QJsonObject podObject(const QString &name, const QJsonObject &labels, const QString &ns = QStringLiteral("default"))
{
    return QJsonObject{
        {QStringLiteral("apiVersion"), QStringLiteral("v1")},
        {QStringLiteral("kind"), QStringLiteral("Pod")},
        {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), name},
                                                 {QStringLiteral("namespace"), ns},
                                                 {QStringLiteral("labels"), labels}}},
        {QStringLiteral("spec"),
         QJsonObject{{QStringLiteral("nodeName"), QStringLiteral("node-1")},
                     {QStringLiteral("initContainers"),
                      QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("setup")},
                                             {QStringLiteral("image"), QStringLiteral("busybox")}}}},
                     {QStringLiteral("containers"),
                      QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("app")},
                                             {QStringLiteral("image"), QStringLiteral("nginx:1.25")}}}}}},
        {QStringLiteral("status"), QJsonObject{{QStringLiteral("phase"), QStringLiteral("Running")}}}};
}

QJsonObject crd(const QString &group, const QString &kind, const QString &plural, const QStringList &shortNames)
{
    return QJsonObject{
        {QStringLiteral("apiVersion"), QStringLiteral("apiextensions.k8s.io/v1")},
        {QStringLiteral("kind"), QStringLiteral("CustomResourceDefinition")},
        {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), plural + QLatin1Char('.') + group}}},
        {QStringLiteral("spec"),
         QJsonObject{{QStringLiteral("group"), group},
                     {QStringLiteral("scope"), QStringLiteral("Namespaced")},
                     {QStringLiteral("names"),
                      QJsonObject{{QStringLiteral("kind"), kind},
                                  {QStringLiteral("plural"), plural},
                                  {QStringLiteral("singular"), kind.toLower()},
                                  {QStringLiteral("shortNames"), QJsonArray::fromStringList(shortNames)}}},
                     {QStringLiteral("versions"), QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("v1")},
                                                                         {QStringLiteral("served"), true},
                                                                         {QStringLiteral("storage"), true}}}}}}};
}

} // namespace

class TestClusterPanel final : public QObject
{
    Q_OBJECT

private:
    kubeconfig::RestConfig restConfigFor(testing::ApiServer &server, const QString &user)
    {
        return test::restConfigFor(server, m_dir, user);
    }

    std::unique_ptr<ClusterPanel> openPanel(const QString &user = QStringLiteral("admin"),
                                            const QString &ns = QStringLiteral("default"))
    {
        return test::openPanel(*m_server, m_dir, user, ns);
    }

    std::unique_ptr<testing::ApiServer> m_server;
    QTemporaryDir m_dir;

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_server = std::make_unique<testing::ApiServer>();
        QVERIFY2(m_server->start(), qPrintable(m_server->lastError()));
        m_server->create(crd(QStringLiteral("example.com"), QStringLiteral("Widget"), QStringLiteral("widgets"),
                             {QStringLiteral("wd")}));
        m_server->create(crd(QStringLiteral("networking.istio.io"), QStringLiteral("VirtualService"),
                             QStringLiteral("virtualservices"), {QStringLiteral("vs")}));
        m_server->create(podObject(QStringLiteral("web-1"), {{QStringLiteral("app"), QStringLiteral("web")}}));
        m_server->create(podObject(QStringLiteral("web-2"), {{QStringLiteral("app"), QStringLiteral("web")}}));
        m_server->create(podObject(QStringLiteral("db-0"), {{QStringLiteral("app"), QStringLiteral("db")}}));
        const int created = m_server->createFromYaml(R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: default
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: app
        image: nginx
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: default
spec:
  selector:
    app: web
  ports:
  - port: 80
---
apiVersion: v1
kind: Secret
metadata:
  name: db-password
  namespace: default
  annotations:
    # what kubectl apply leaves behind: the whole Secret, values included
    kubectl.kubernetes.io/last-applied-configuration: '{"apiVersion":"v1","kind":"Secret","stringData":{"password":"s3cr3t"}}'
data:
  password: czNjcjN0
)");
        QCOMPARE(created, 3);
    }

    void init()
    {
        // A stale index of the previous kind's model handed to the proxy (kind switches, teardown) is a bug.
        QTest::failOnWarning(QRegularExpression(QStringLiteral("index from wrong model")));
    }

    void navigator_showsDiscoveryGroupsAndCrds()
    {
        auto panel = openPanel();
        QVERIFY(waitForKind(panel.get(), QStringLiteral("pods")));
        QCOMPARE(panel->connectionState(), ClusterPanel::ConnectionState::Connected);
        const QStringList groups = panel->navigator()->groupTitles();
        for (const char *group :
             {"Workloads", "Network", "Config", "Storage", "Access", "Cluster", "Istio", "Custom resources"})
            QVERIFY2(groups.contains(QLatin1String(group)), group);
        QVERIFY(groups.indexOf(QStringLiteral("Workloads")) < groups.indexOf(QStringLiteral("Network")));
        QTreeWidgetItem *widget = panel->navigator()->itemFor(QStringLiteral("widgets.example.com"));
        QVERIFY(widget);
        QCOMPARE(widget->text(0), QStringLiteral("Widgets"));
        QCOMPARE(widget->parent()->text(0), QStringLiteral("example.com"));
        QCOMPARE(widget->parent()->parent()->text(0), QStringLiteral("Custom resources"));
        QTreeWidgetItem *vs = panel->navigator()->itemFor(QStringLiteral("virtualservices.networking.istio.io"));
        QVERIFY(vs);
        QCOMPARE(vs->parent()->text(0), QStringLiteral("Istio"));
        QCOMPARE(panel->navigator()->itemFor(QStringLiteral("deployments.apps"))->parent()->text(0),
                 QStringLiteral("Workloads"));
        QCOMPARE(panel->navigator()->itemFor(QStringLiteral("services"))->parent()->text(0), QStringLiteral("Network"));
        QVERIFY(!panel->navigator()->isLocked(QStringLiteral("pods")));
    }

    void podsTable_fillsAndFollowsWatchEvents()
    {
        auto panel = openPanel();
        QVERIFY(waitForKind(panel.get(), QStringLiteral("pods")));
        ui::ResourceTable *table = panel->table();
        QTRY_VERIFY_WITH_TIMEOUT(tableHasName(table, QStringLiteral("web-1")), timeoutMs);
        QVERIFY(tableHasName(table, QStringLiteral("db-0")));
        const int before = table->visibleRows();
        QCOMPARE(table->view()->model()->headerData(0, Qt::Horizontal).toString(), QStringLiteral("NAME"));

        m_server->create(podObject(QStringLiteral("cache-0"), {{QStringLiteral("app"), QStringLiteral("cache")}}));
        QTRY_VERIFY_WITH_TIMEOUT(tableHasName(table, QStringLiteral("cache-0")), timeoutMs);
        QCOMPARE(table->visibleRows(), before + 1);

        m_server->setPodPhase(QStringLiteral("default"), QStringLiteral("cache-0"), QStringLiteral("Failed"));
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                for (int row = 0; row < table->proxy()->rowCount(); ++row) {
                    const QModelIndex index = table->proxy()->index(row, 0);
                    if (index.data(models::NameRole).toString() == QLatin1String("cache-0"))
                        return index.data(models::StateRole).toInt() == int(resources::State::Failed);
                }
                return false;
            }(),
            timeoutMs);

        QVERIFY(m_server->remove(QString(), QStringLiteral("v1"), QStringLiteral("pods"), QStringLiteral("default"),
                                 QStringLiteral("cache-0")));
        QTRY_VERIFY_WITH_TIMEOUT(!tableHasName(table, QStringLiteral("cache-0")), timeoutMs);
        QCOMPARE(table->visibleRows(), before);
    }

    void podsTable_keepsSelectionAcrossUpdates()
    {
        auto panel = openPanel();
        QVERIFY(waitForKind(panel.get(), QStringLiteral("pods")));
        ui::ResourceTable *table = panel->table();
        QTRY_VERIFY_WITH_TIMEOUT(tableHasName(table, QStringLiteral("web-2")), timeoutMs);
        QVERIFY(table->selectName(QStringLiteral("web-2")));
        const QString uid = table->currentUid();
        QVERIFY(!uid.isEmpty());
        QSignalSpy changed(table, &ui::ResourceTable::currentChanged);

        // Rows sorting before and after the selection appear, change and go away.
        m_server->create(podObject(QStringLiteral("aaa-first"), {}));
        m_server->create(podObject(QStringLiteral("zzz-last"), {}));
        m_server->modify(QString(), QStringLiteral("v1"), QStringLiteral("pods"), QStringLiteral("default"),
                         QStringLiteral("web-2"),
                         QJsonObject{{QStringLiteral("metadata"),
                                      QJsonObject{{QStringLiteral("labels"),
                                                   QJsonObject{{QStringLiteral("touched"), QStringLiteral("yes")}}}}}});
        QTRY_VERIFY_WITH_TIMEOUT(tableHasName(table, QStringLiteral("aaa-first")) &&
                                     tableHasName(table, QStringLiteral("zzz-last")),
                                 timeoutMs);
        QVERIFY(m_server->remove(QString(), QStringLiteral("v1"), QStringLiteral("pods"), QStringLiteral("default"),
                                 QStringLiteral("aaa-first")));
        QVERIFY(m_server->remove(QString(), QStringLiteral("v1"), QStringLiteral("pods"), QStringLiteral("default"),
                                 QStringLiteral("zzz-last")));
        QTRY_VERIFY_WITH_TIMEOUT(!tableHasName(table, QStringLiteral("aaa-first")), timeoutMs);
        QCOMPARE(table->currentUid(), uid);
        QCOMPARE(table->currentName(), QStringLiteral("web-2"));
        QTRY_COMPARE_WITH_TIMEOUT(table->model()->rowCount(), table->visibleRows(), timeoutMs);
        QCOMPARE(table->countText(), QStringLiteral("%1 rows").arg(table->visibleRows()));
        QCOMPARE(table->view()->selectionModel()->selectedRows().size(), 1);
        QCOMPARE(table->view()->selectionModel()->selectedRows().first().data(models::UidRole).toString(), uid);
        QCOMPARE(changed.count(), 0);
        // The details pane followed the modification.
        QTRY_VERIFY_WITH_TIMEOUT(panel->details()->overview()->toPlainText().contains(QLatin1String("touched=yes")),
                                 timeoutMs);
    }

    void filterAndLabelSelector_narrowRows()
    {
        auto panel = openPanel();
        QVERIFY(waitForKind(panel.get(), QStringLiteral("pods")));
        ui::ResourceTable *table = panel->table();
        QTRY_VERIFY_WITH_TIMEOUT(tableHasName(table, QStringLiteral("db-0")), timeoutMs);
        const int all = table->visibleRows();
        QVERIFY(all >= 3);

        panel->focusFilter();
        QVERIFY(table->filterEdit()->hasFocus() || !table->isActiveWindow());
        QTest::keyClicks(table->filterEdit(), QStringLiteral("web"));
        QCOMPARE(table->visibleRows(), 2);
        QVERIFY(table->countText().contains(QLatin1String("2 of")));
        table->filterEdit()->clear();
        QCOMPARE(table->visibleRows(), all);

        table->selectorEdit()->setText(QStringLiteral("app=db"));
        QCOMPARE(table->visibleRows(), 1);
        QVERIFY(tableHasName(table, QStringLiteral("db-0")));
        table->selectorEdit()->setText(QStringLiteral("app in (web,db)"));
        QCOMPARE(table->visibleRows(), 3);
        table->selectorEdit()->setText(QStringLiteral("app in (web"));
        QVERIFY(!table->selectorEdit()->toolTip().isEmpty());
        table->selectorEdit()->clear();
        QCOMPARE(table->visibleRows(), all);
    }

    void sort_anyColumn()
    {
        auto panel = openPanel();
        QVERIFY(waitForKind(panel.get(), QStringLiteral("pods")));
        ui::ResourceTable *table = panel->table();
        QTRY_VERIFY_WITH_TIMEOUT(tableHasName(table, QStringLiteral("db-0")), timeoutMs);
        table->view()->sortByColumn(0, Qt::DescendingOrder);
        const QString first = table->proxy()->index(0, 0).data().toString();
        const QString last = table->proxy()->index(table->visibleRows() - 1, 0).data().toString();
        QVERIFY2(first > last, qPrintable(first + QLatin1Char(' ') + last));
    }

    void forbiddenKind_showsLock()
    {
        m_server->allow(QStringLiteral("learner"), QStringLiteral("list"), QStringLiteral("pods"));
        m_server->allow(QStringLiteral("learner"), QStringLiteral("watch"), QStringLiteral("pods"));
        m_server->allow(QStringLiteral("learner"), QStringLiteral("get"), QStringLiteral("pods"));
        auto panel = openPanel(QStringLiteral("learner"));
        QVERIFY(waitForKind(panel.get(), QStringLiteral("pods")));
        QTRY_VERIFY_WITH_TIMEOUT(panel->navigator()->isLocked(QStringLiteral("secrets")), timeoutMs);
        QVERIFY(!panel->navigator()->isLocked(QStringLiteral("pods")));
        QTreeWidgetItem *item = panel->navigator()->itemFor(QStringLiteral("secrets"));
        QVERIFY(item->data(0, ui::ResourceNavigator::LockedRole).toBool());
        QVERIFY(!item->icon(0).isNull());
        QVERIFY(item->toolTip(0).contains(QLatin1String("not permitted for learner")));
        QVERIFY(panel->table()->visibleRows() >= 3);

        panel->navigator()->selectKind(QStringLiteral("secrets"));
        QVERIFY(panel->emptyStateText().contains(QLatin1String("not permitted for learner")));
        QCOMPARE(panel->table()->visibleRows(), 0);
    }

    void forbiddenList_locksOnTheFirst403()
    {
        // The rules review locks up front; a kind it missed is locked by the first 403 of its list.
        auto panel = openPanel(QStringLiteral("learner"));
        QTRY_VERIFY_WITH_TIMEOUT(panel->navigator()->isLocked(QStringLiteral("configmaps")), timeoutMs);
        panel->navigator()->setLocked(QStringLiteral("configmaps"), {});
        m_server->clearRequests();
        panel->navigator()->selectKind(QStringLiteral("configmaps"));
        QTRY_VERIFY_WITH_TIMEOUT(panel->navigator()->isLocked(QStringLiteral("configmaps")), timeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(panel->emptyStateText().contains(QLatin1String("not permitted for learner")),
                                 timeoutMs);
        bool listed = false;
        for (const testing::RecordedRequest &request : m_server->requests())
            listed = listed || request.path == QLatin1String("/api/v1/namespaces/default/configmaps");
        QVERIFY(listed);
        QVERIFY(panel->bannerText().isEmpty());
    }

    void actions_sendTheRightRequests()
    {
        auto panel = openPanel();
        QVERIFY(waitForKind(panel.get(), QStringLiteral("pods")));
        QStringList confirmations;
        panel->setConfirmHandler([&](const QString &, const QString &text) {
            confirmations.append(text);
            return true;
        });
        panel->setScaleHandler(
            [](const QString &, const QString &, int current) -> std::optional<int> { return current + 3; });
        QVERIFY(panel->showKind(QStringLiteral("deploy")));
        QVERIFY(waitForKind(panel.get(), QStringLiteral("deployments.apps")));
        QTRY_VERIFY_WITH_TIMEOUT(panel->table()->selectName(QStringLiteral("web")), timeoutMs);
        m_server->clearRequests();

        panel->scaleSelected();
        QTRY_VERIFY_WITH_TIMEOUT(m_server->get(QStringLiteral("apps"), QStringLiteral("v1"),
                                               QStringLiteral("deployments"), QStringLiteral("default"),
                                               QStringLiteral("web"))
                                         .value(QLatin1String("spec"))
                                         .toObject()
                                         .value(QLatin1String("replicas"))
                                         .toInt() == 5,
                                 timeoutMs);
        bool sawScale = false;
        for (const testing::RecordedRequest &request : m_server->requests()) {
            if (request.path.endsWith(QLatin1String("/namespaces/default/deployments/web/scale")) &&
                (request.method == QLatin1String("PATCH") || request.method == QLatin1String("PUT")))
                sawScale = true;
        }
        QVERIFY(sawScale);

        panel->restartSelected();
        QCOMPARE(confirmations.size(), 1);
        QVERIFY(confirmations.last().contains(QLatin1String("\"web\"")));
        QVERIFY(confirmations.last().contains(QLatin1String("orchestra-test-admin")));
        QTRY_VERIFY_WITH_TIMEOUT(
            QJsonDocument(m_server->get(QStringLiteral("apps"), QStringLiteral("v1"), QStringLiteral("deployments"),
                                        QStringLiteral("default"), QStringLiteral("web")))
                .toJson()
                .contains("kubectl.kubernetes.io/restartedAt"),
            timeoutMs);

        // Delete asks first (naming the object and the context), and sends nothing when refused.
        panel->setConfirmHandler([&](const QString &, const QString &text) {
            confirmations.append(text);
            return false;
        });
        m_server->clearRequests();
        panel->deleteSelected();
        QCOMPARE(confirmations.size(), 2);
        QVERIFY(confirmations.last().contains(QLatin1String("Deployment \"web\" in namespace \"default\"")));
        QVERIFY(confirmations.last().contains(QLatin1String("context \"orchestra-test-admin\"")));
        QTest::qWait(50);
        for (const testing::RecordedRequest &request : m_server->requests())
            QVERIFY(request.method != QLatin1String("DELETE"));

        // The Delete key on the table asks too; this time the answer is yes.
        panel->setConfirmHandler([&](const QString &, const QString &text) {
            confirmations.append(text);
            return true;
        });
        panel->table()->view()->setFocus();
        QTest::keyClick(panel->table()->view(), Qt::Key_Delete);
        QCOMPARE(confirmations.size(), 3);
        QTRY_VERIFY_WITH_TIMEOUT(!tableHasName(panel->table(), QStringLiteral("web")), timeoutMs);
        bool sawDelete = false;
        for (const testing::RecordedRequest &request : m_server->requests()) {
            if (request.method == QLatin1String("DELETE") &&
                request.path == QLatin1String("/apis/apps/v1/namespaces/default/deployments/web"))
                sawDelete = true;
        }
        QVERIFY(sawDelete);
    }

    void details_overviewYamlRelatedAndSecrets()
    {
        auto panel = openPanel();
        QVERIFY(waitForKind(panel.get(), QStringLiteral("pods")));
        QVERIFY(panel->showKind(QStringLiteral("svc")));
        QVERIFY(waitForKind(panel.get(), QStringLiteral("services")));
        QTRY_VERIFY_WITH_TIMEOUT(panel->table()->selectName(QStringLiteral("web")), timeoutMs);
        ui::DetailsPane *details = panel->details();
        QTRY_VERIFY_WITH_TIMEOUT(!details->object().isEmpty(), timeoutMs);
        QVERIFY(details->overview()->toPlainText().contains(QLatin1String("app=web")));
        // Related: the pods the Service selects.
        QTRY_VERIFY_WITH_TIMEOUT(
            details->relatedView()->findItems(QStringLiteral("web-1"), Qt::MatchExactly, 1).size() == 1, timeoutMs);
        QVERIFY(details->relatedView()->findItems(QStringLiteral("db-0"), Qt::MatchExactly, 1).isEmpty());
        QVERIFY(!details->yamlView()->toPlainText().contains(QLatin1String("managedFields")));
        QVERIFY(details->yamlView()->toPlainText().contains(QLatin1String("kind: Service")));

        m_server->clearRequests();
        QVERIFY(panel->showKind(QStringLiteral("secrets")));
        QVERIFY(waitForKind(panel.get(), QStringLiteral("secrets")));
        // Secrets are listed as server Tables with metadata only, as kubectl does: no value reaches the app...
        bool listedAsTable = false;
        for (const testing::RecordedRequest &request : m_server->requests()) {
            if (request.method == QLatin1String("GET") && request.path.endsWith(QLatin1String("/secrets")) &&
                !request.query.contains(QLatin1String("watch=")))
                listedAsTable = request.accept.startsWith(QLatin1String("application/json;as=Table"));
        }
        QVERIFY(listedAsTable);
        QTRY_VERIFY_WITH_TIMEOUT(panel->table()->selectName(QStringLiteral("db-password")), timeoutMs);
        QCOMPARE(panel->table()->proxy()->index(0, 1).data().toString(), QStringLiteral("Opaque")); // server's TYPE
        // The server's columns get the same widths as native ones once its first page brought them.
        QTRY_COMPARE_WITH_TIMEOUT(panel->table()->view()->horizontalHeader()->sectionSize(0), 300, timeoutMs);
        // ...until the details pane reads the one selected (and shows values only after Reveal).
        QTRY_VERIFY_WITH_TIMEOUT(!details->object().isEmpty(), timeoutMs);
        QVERIFY(details->overview()->toPlainText().contains(QLatin1String("password")));
        QVERIFY(!details->overview()->toPlainText().contains(QLatin1String("s3cr3t")));
        QVERIFY(!details->yamlView()->toPlainText().contains(QLatin1String("czNjcjN0")));
        QVERIFY(!details->yamlView()->toPlainText().contains(QLatin1String("s3cr3t"))); // nor kubectl's copy
        details->setSecretsRevealed(true);
        QVERIFY(details->overview()->toPlainText().contains(QLatin1String("s3cr3t")));
    }

    void traffic_tabInMeshedNamespacesOnly()
    {
        m_server->createFromYaml(R"(apiVersion: v1
kind: Namespace
metadata: {name: mesh, labels: {istio-injection: enabled}}
---
apiVersion: v1
kind: Service
metadata: {name: reviews, namespace: mesh}
spec: {selector: {app: reviews}, ports: [{port: 9080}]}
)");
        auto panel = openPanel(QStringLiteral("admin"), QStringLiteral("mesh"));
        QVERIFY(waitForKind(panel.get(), QStringLiteral("pods")));
        QVERIFY(panel->showKind(QStringLiteral("svc")));
        QVERIFY(waitForKind(panel.get(), QStringLiteral("services")));
        QTRY_VERIFY_WITH_TIMEOUT(panel->table()->selectName(QStringLiteral("reviews")), timeoutMs);
        QVERIFY(panel->details()->hasTrafficTab());
        panel->setNamespace(QStringLiteral("default"));
        QVERIFY(waitForKind(panel.get(), QStringLiteral("services")));
        QTRY_VERIFY_WITH_TIMEOUT(panel->table()->selectName(QStringLiteral("web")), timeoutMs);
        QVERIFY(!panel->details()->hasTrafficTab());
    }

    void logs_followAppendsLines()
    {
        m_server->setPodLogs(QStringLiteral("default"), QStringLiteral("web-1"), QStringLiteral("app"),
                             {QStringLiteral("starting"), QStringLiteral("listening on :80")});
        auto panel = openPanel();
        QVERIFY(waitForKind(panel.get(), QStringLiteral("pods")));
        QTRY_VERIFY_WITH_TIMEOUT(panel->table()->selectName(QStringLiteral("web-1")), timeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(!panel->details()->object().isEmpty(), timeoutMs);
        panel->details()->showLogs();
        ui::LogView *logs = panel->details()->logView();
        QCOMPARE(logs->containerBox()->count(), 2); // the init container too
        QCOMPARE(logs->containerBox()->currentData().toString(), QStringLiteral("app"));
        QTRY_VERIFY_WITH_TIMEOUT(logs->text().contains(QLatin1String("listening on :80")), timeoutMs);
        QVERIFY(logs->followBox()->isChecked());
        m_server->appendPodLog(QStringLiteral("default"), QStringLiteral("web-1"), QStringLiteral("app"),
                               QStringLiteral("GET / 200"));
        QTRY_VERIFY_WITH_TIMEOUT(logs->text().contains(QLatin1String("GET / 200")), timeoutMs);

        logs->searchEdit()->setText(QStringLiteral("GET"));
        QCOMPARE(logs->matchCount(), 1);

        // The ring buffer keeps only the newest lines.
        logs->setMaximumLines(3);
        for (int i = 0; i < 10; ++i)
            m_server->appendPodLog(QStringLiteral("default"), QStringLiteral("web-1"), QStringLiteral("app"),
                                   QStringLiteral("line %1").arg(i));
        QTRY_VERIFY_WITH_TIMEOUT(logs->text().contains(QLatin1String("line 9")), timeoutMs);
        QVERIFY(!logs->text().contains(QLatin1String("starting")));
        QVERIFY(logs->text().split(QLatin1Char('\n')).size() <= 3);

        const QString saved = m_dir.filePath(QStringLiteral("web-1.log"));
        QVERIFY(logs->saveTo(saved));
        QFile file(saved);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(file.readAll().contains("line 9"));
    }

    void logs_kubeletUnreachableIsExplained()
    {
        auto panel = openPanel();
        QVERIFY(waitForKind(panel.get(), QStringLiteral("pods")));
        QTRY_VERIFY_WITH_TIMEOUT(panel->table()->selectName(QStringLiteral("db-0")), timeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(!panel->details()->object().isEmpty(), timeoutMs);
        m_server->setKubeletReachable(false);
        panel->details()->showLogs();
        ui::LogView *logs = panel->details()->logView();
        logs->reload();
        QTRY_VERIFY_WITH_TIMEOUT(!logs->errorText().isEmpty(), timeoutMs);
        m_server->setKubeletReachable(true);
        QVERIFY2(logs->errorText().contains(QLatin1String("kubelet")), qPrintable(logs->errorText()));
    }

    void commandPalette_jumpsByShortName()
    {
        auto panel = openPanel();
        QVERIFY(waitForKind(panel.get(), QStringLiteral("pods")));
        ui::CommandPalette *palette = panel->commandPalette();
        panel->openCommandPalette();
        QVERIFY(palette->isVisible());
        QCOMPARE(palette->matches(QStringLiteral("po")).value(0), QStringLiteral("Pods"));
        QCOMPARE(palette->matches(QStringLiteral("deploy")).value(0), QStringLiteral("Deployments"));
        QCOMPARE(palette->matches(QStringLiteral("vs")).value(0), QStringLiteral("VirtualServices"));
        QVERIFY(palette->runQuery(QStringLiteral("svc")));
        QVERIFY(!palette->isVisible());
        QVERIFY(waitForKind(panel.get(), QStringLiteral("services")));
        QVERIFY(palette->matches(QStringLiteral("ns default")).contains(QStringLiteral("Namespace: default")) ||
                palette->matches(QStringLiteral("namespace")).contains(QStringLiteral("Namespace: all namespaces")));
        QVERIFY(palette->runQuery(QStringLiteral("Namespace: all namespaces")));
        QCOMPARE(panel->currentNamespace(), QString());
    }

    void contextSwitch_clearsRows()
    {
        testing::ApiServer other;
        QVERIFY(other.start());
        other.create(podObject(QStringLiteral("other-cluster-pod"), {}));
        auto panel = openPanel();
        QVERIFY(waitForKind(panel.get(), QStringLiteral("pods")));
        QTRY_VERIFY_WITH_TIMEOUT(tableHasName(panel->table(), QStringLiteral("web-1")), timeoutMs);
        QVERIFY(panel->table()->selectName(QStringLiteral("web-1")));

        // Slow the new cluster down so the switch is observable before its first list arrives.
        other.setResponseDelay(300);
        QSignalSpy states(panel.get(), &ClusterPanel::connectionStateChanged);
        panel->openRestConfig(restConfigFor(other, QStringLiteral("admin")), QStringLiteral("default"));
        QCOMPARE(panel->table()->visibleRows(), 0);
        QVERIFY(panel->table()->currentUid().isEmpty());
        QVERIFY(panel->details()->object().isEmpty());
        QCOMPARE(panel->connectionState(), ClusterPanel::ConnectionState::Connecting);
        QVERIFY(waitForKind(panel.get(), QStringLiteral("pods")));
        QTRY_VERIFY_WITH_TIMEOUT(tableHasName(panel->table(), QStringLiteral("other-cluster-pod")), timeoutMs);
        QVERIFY(!tableHasName(panel->table(), QStringLiteral("web-1")));
        QVERIFY(states.count() >= 2);
    }

    void namespaceSwitch_showsOnlyThatNamespace()
    {
        m_server->addPods(3, QStringLiteral("team-b"));
        auto panel = openPanel();
        QVERIFY(waitForKind(panel.get(), QStringLiteral("pods")));
        QTRY_VERIFY_WITH_TIMEOUT(tableHasName(panel->table(), QStringLiteral("web-1")), timeoutMs);
        panel->setNamespace(QStringLiteral("team-b"));
        QCOMPARE(panel->table()->visibleRows(), 0);
        QVERIFY(waitForKind(panel.get(), QStringLiteral("pods")));
        QCOMPARE(panel->table()->visibleRows(), 3);
        QVERIFY(!tableHasName(panel->table(), QStringLiteral("web-1")));
        panel->setNamespace({});
        QVERIFY(waitForKind(panel.get(), QStringLiteral("pods")));
        QTRY_VERIFY_WITH_TIMEOUT(panel->table()->visibleRows() >= 6, timeoutMs);
        QCOMPARE(panel->table()->view()->model()->headerData(0, Qt::Horizontal).toString(),
                 QStringLiteral("NAMESPACE"));
        QCOMPARE(panel->contextText(), QStringLiteral("orchestra-test-admin · all namespaces"));
    }

    void httpsProxy_panelWorksThroughItAndSaysSo()
    {
        // An https:// proxy (TLS to the proxy, which Qt cannot do itself): discovery, lists and watches all go
        // through the relay, and the connection indicator names the proxy without its credentials.
        test::TestConnectProxy proxy;
        const QString tls = m_server->tlsDirectory();
        QVERIFY(proxy.listenTls(test::TestPki::certificateFile(tls + QStringLiteral("/server.crt")),
                                test::TestPki::keyFile(tls + QStringLiteral("/server.key"))));
        proxy.requireCredentials("panel-user:panel-secret");
        kubeconfig::RestConfig config = restConfigFor(*m_server, QStringLiteral("admin"));
        config.proxyUrl = QUrl(QStringLiteral("https://panel-user:panel-secret@127.0.0.1:%1").arg(proxy.port()));
        kubeconfig::ProxyTlsSettings proxyTls;
        proxyTls.caCertificates = config.caCertificates;
        config.proxyRelay = std::make_shared<kubeconfig::HttpsProxyRelay>(
            config.proxyUrl, proxyTls, QStringLiteral("127.0.0.1:%1").arg(m_server->port()));
        auto panel = std::make_unique<ClusterPanel>();
        panel->resize(1200, 800);
        panel->show();
        QSignalSpy states(panel.get(), &ClusterPanel::connectionStateChanged);
        panel->openRestConfig(config, QStringLiteral("default"));
        QVERIFY(waitForKind(panel.get(), QStringLiteral("pods")));
        QTRY_VERIFY_WITH_TIMEOUT(tableHasName(panel->table(), QStringLiteral("web-1")), timeoutMs);
        QString detail;
        for (const QList<QVariant> &state : std::as_const(states)) {
            if (state.at(0).value<ClusterPanel::ConnectionState>() == ClusterPanel::ConnectionState::Connected)
                detail = state.at(2).toString();
        }
        QVERIFY2(detail.endsWith(QStringLiteral(" via proxy https://127.0.0.1:%1").arg(proxy.port())),
                 qPrintable(detail));
        QVERIFY(!detail.contains(QLatin1String("panel-secret")));
        // A pod created now arrives through the tunnelled watch.
        m_server->create(podObject(QStringLiteral("via-proxy-0"), {{QStringLiteral("app"), QStringLiteral("x")}}));
        QTRY_VERIFY_WITH_TIMEOUT(tableHasName(panel->table(), QStringLiteral("via-proxy-0")), timeoutMs);
        QVERIFY(proxy.requests().size() >= 2); // discovery/lists and the watch, each its own tunnel
        for (const auto &request : proxy.requests())
            QCOMPARE(request.method, QByteArray("CONNECT"));
        QVERIFY(m_server->remove(QString(), QStringLiteral("v1"), QStringLiteral("pods"), QStringLiteral("default"),
                                 QStringLiteral("via-proxy-0")));
    }

    void unreachable_showsBannerAndRecovers()
    {
        testing::ApiServer flaky;
        QVERIFY(flaky.start());
        const quint16 port = flaky.port();
        const kubeconfig::RestConfig config = restConfigFor(flaky, QStringLiteral("admin"));
        flaky.stop();
        auto panel = std::make_unique<ClusterPanel>();
        panel->setInformerTuning([](watch::Informer *informer) { informer->setBackoff(50, 200); });
        panel->show();
        panel->openRestConfig(config, QStringLiteral("default"));
        QTRY_COMPARE_WITH_TIMEOUT(panel->connectionState(), ClusterPanel::ConnectionState::Unreachable, timeoutMs);
        QVERIFY2(panel->bannerText().contains(QLatin1String("orchestra-test-admin")), qPrintable(panel->bannerText()));
        QVERIFY(panel->bannerText().contains(QLatin1String("Checking again in")));
        QVERIFY(panel->emptyStateText().contains(QLatin1String("Cannot reach")));

        QVERIFY(flaky.start(port));
        panel->retryNow();
        QVERIFY(waitForKind(panel.get(), QStringLiteral("pods")));
        QTRY_COMPARE_WITH_TIMEOUT(panel->connectionState(), ClusterPanel::ConnectionState::Connected, timeoutMs);
        QVERIFY(panel->bannerText().isEmpty());
    }
};

ORCHESTRA_TEST_MAIN(TestClusterPanel)
#include "tst_clusterpanel.moc"
