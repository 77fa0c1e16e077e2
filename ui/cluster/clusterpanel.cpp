#include "cluster/clusterpanel.h"

#include "cluster/commandpalette.h"
#include "cluster/contextswitcher.h"
#include "cluster/detailspane.h"
#include "cluster/logview.h"
#include "cluster/namespaceselector.h"
#include "cluster/resourcenavigator.h"
#include "cluster/resourcetable.h"
#include "delegates/statedelegate.h"
#include "kube/apiclient.h"
#include "kube/operations.h"
#include "kube/resourceregistry.h"
#include "kubeconfig/contextchoice.h"
#include "metrics/istiometrics.h"
#include "metrics/serviceproxytransport.h"
#include "resources/renderer.h"
#include "watch/informer.h"
#include "watch/informerfactory.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QHBoxLayout>
#include <QIcon>
#include <QInputDialog>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

namespace orchestra::ui {

namespace {
constexpr int firstRetrySeconds = 2;
constexpr int maxRetrySeconds = 30;
const QString allNamespacesText = QStringLiteral("All namespaces");

/// `word` as one POSIX shell word: unchanged when it has only characters no shell treats specially (as
/// Python's shlex.quote decides), else in single quotes with each ' written as '\''.
QString shellWord(const QString &word)
{
    const auto plain = [](QChar c) {
        return (c >= QLatin1Char('a') && c <= QLatin1Char('z')) || (c >= QLatin1Char('A') && c <= QLatin1Char('Z')) ||
               (c >= QLatin1Char('0') && c <= QLatin1Char('9')) || QStringLiteral("@%+=:,./_-").contains(c);
    };
    if (!word.isEmpty() && std::all_of(word.begin(), word.end(), plain))
        return word;
    QString quoted = word;
    quoted.replace(QLatin1Char('\''), QStringLiteral("'\\''"));
    return QLatin1Char('\'') + quoted + QLatin1Char('\'');
}
} // namespace

/// Everything that belongs to one connection. Destroying it aborts every request and watch of that connection;
/// callbacks use `root` as their context, so none of them runs afterwards.
struct ClusterPanel::Session
{
    std::unique_ptr<QObject> root = std::make_unique<QObject>();
    kube::ApiClient *client = nullptr;
    kube::ResourceRegistry *registry = nullptr;
    watch::InformerFactory *factory = nullptr;
    metrics::ServiceProxyPrometheusTransport *prometheus = nullptr;
    metrics::IstioMetrics *istio = nullptr;

    ~Session()
    {
        delete istio;
        delete prometheus;
        delete factory;
        delete registry;
        delete client;
    }
};

ClusterPanel::ClusterPanel(QWidget *parent)
    : QWidget(parent)
    , m_contextSwitcher(new ContextSwitcher(this))
    , m_namespaceSelector(new NamespaceSelector(this))
    , m_paletteButton(new QPushButton(this))
    , m_user(new QLabel(this))
    , m_banner(new QWidget(this))
    , m_bannerText(new QLabel(m_banner))
    , m_bannerRetry(new QPushButton(tr("Retry now"), m_banner))
    , m_splitter(new QSplitter(Qt::Horizontal, this))
    , m_navigator(new ResourceNavigator(this))
    , m_stack(new QStackedWidget(this))
    , m_table(new ResourceTable(this))
    , m_empty(new QWidget(this))
    , m_emptyTitle(new QLabel(m_empty))
    , m_emptyMessage(new QLabel(m_empty))
    , m_connecting(new QWidget(this))
    , m_connectingText(new QLabel(m_connecting))
    , m_details(new DetailsPane(this))
    , m_palette(new CommandPalette(this))
    , m_menu(new QMenu(tr("&Cluster"), this))
{
    setObjectName(QStringLiteral("ClusterPanel"));
    m_contextSwitcher->setToolTip(tr("Kubeconfig context (switching never changes kubectl's current-context)"));
    m_paletteButton->setText(tr("Commands…  Ctrl+K"));
    m_paletteButton->setFlat(true);
    m_user->setTextInteractionFlags(Qt::TextSelectableByMouse);

    // The unreachable banner: the error, a countdown to the next check, and Retry now.
    m_banner->setAutoFillBackground(true);
    QPalette bannerPalette = m_banner->palette();
    bannerPalette.setColor(QPalette::Window, stateColor(resources::State::Failed, palette()));
    bannerPalette.setColor(QPalette::WindowText, Qt::white);
    m_banner->setPalette(bannerPalette);
    m_bannerText->setWordWrap(true);
    m_bannerText->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *bannerLayout = new QHBoxLayout(m_banner);
    bannerLayout->setContentsMargins(10, 6, 10, 6);
    bannerLayout->addWidget(m_bannerText, 1);
    bannerLayout->addWidget(m_bannerRetry);
    m_banner->setVisible(false);
    connect(m_bannerRetry, &QPushButton::clicked, this, &ClusterPanel::retryNow);

    auto *spinner = new QProgressBar(m_connecting);
    spinner->setRange(0, 0); // indeterminate: a busy indicator
    spinner->setMaximumWidth(260);
    spinner->setTextVisible(false);
    m_connectingText->setAlignment(Qt::AlignCenter);
    m_connectingText->setWordWrap(true);
    auto *connectingLayout = new QVBoxLayout(m_connecting);
    connectingLayout->addStretch();
    connectingLayout->addWidget(m_connectingText);
    connectingLayout->addWidget(spinner, 0, Qt::AlignHCenter);
    connectingLayout->addStretch();

    m_stack->addWidget(m_table);
    m_stack->addWidget(m_empty);
    m_stack->addWidget(m_connecting);
    // A message page of our own: EmptyState centres a word-wrapped label at its size hint, which clips the
    // multi-line explanations this panel shows (locks, connection errors).
    auto *emptyIcon = new QLabel(m_empty);
    emptyIcon->setPixmap(QIcon(QStringLiteral(":/icons/cluster.svg")).pixmap(64, 64));
    emptyIcon->setAlignment(Qt::AlignCenter);
    QFont emptyFont = m_emptyTitle->font();
    emptyFont.setBold(true);
    emptyFont.setPointSizeF(emptyFont.pointSizeF() * 1.3);
    m_emptyTitle->setFont(emptyFont);
    m_emptyTitle->setAlignment(Qt::AlignCenter);
    m_emptyTitle->setWordWrap(true);
    m_emptyMessage->setAlignment(Qt::AlignHCenter | Qt::AlignTop);
    m_emptyMessage->setWordWrap(true);
    m_emptyMessage->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_emptyMessage->setForegroundRole(QPalette::PlaceholderText);
    auto *emptyLayout = new QVBoxLayout(m_empty);
    emptyLayout->setContentsMargins(40, 20, 40, 20);
    emptyLayout->addStretch(2);
    emptyLayout->addWidget(emptyIcon);
    emptyLayout->addWidget(m_emptyTitle);
    emptyLayout->addWidget(m_emptyMessage);
    emptyLayout->addStretch(3);

    auto *right = new QSplitter(Qt::Vertical, this);
    right->addWidget(m_stack);
    right->addWidget(m_details);
    right->setStretchFactor(0, 3);
    right->setStretchFactor(1, 2);
    // The details pane's minimum size hint (its widest tab, ~560 px tall) would
    // leave the table a handful of rows: its tabs scroll, so let it shrink.
    m_details->setMinimumHeight(160);
    right->setSizes({620, 380});
    right->setChildrenCollapsible(false);
    auto *left = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->setSpacing(4);
    auto *contextLabel = new QLabel(tr("Context"), left);
    auto *namespaceLabel = new QLabel(tr("Namespace"), left);
    for (QLabel *label : {contextLabel, namespaceLabel, m_user}) {
        QFont font = label->font();
        font.setPointSizeF(font.pointSizeF() * 0.9);
        label->setFont(font);
        label->setForegroundRole(QPalette::PlaceholderText);
    }
    leftLayout->addWidget(contextLabel);
    leftLayout->addWidget(m_contextSwitcher);
    leftLayout->addWidget(m_user);
    leftLayout->addSpacing(4);
    leftLayout->addWidget(namespaceLabel);
    leftLayout->addWidget(m_namespaceSelector);
    leftLayout->addSpacing(4);
    leftLayout->addWidget(m_navigator, 1);
    leftLayout->addWidget(m_paletteButton);
    m_splitter->addWidget(left);
    m_splitter->addWidget(right);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setSizes({240, 1000});
    m_splitter->setChildrenCollapsible(false);
    m_navigator->setMinimumWidth(160);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->setSpacing(6);
    layout->addWidget(m_banner);
    layout->addWidget(m_splitter, 1);

    m_retryTick.setInterval(1000);
    connect(&m_retryTick, &QTimer::timeout, this, &ClusterPanel::tickRetry);
    m_detailsRefresh.setSingleShot(true);
    m_detailsRefresh.setInterval(250);
    connect(&m_detailsRefresh, &QTimer::timeout, m_details, &DetailsPane::refresh);
    m_namespaceRefresh.setSingleShot(true);
    m_namespaceRefresh.setInterval(200);
    connect(&m_namespaceRefresh, &QTimer::timeout, this, &ClusterPanel::updateNamespaces);

    connect(m_navigator, &ResourceNavigator::kindSelected, this, &ClusterPanel::onKindSelected);
    connect(m_table, &ResourceTable::currentChanged, this, [this](const QString &uid) {
        updateActions();
        if (uid.isEmpty()) {
            m_details->clear();
            return;
        }
        m_details->showObject(m_kind, m_kind.namespaced ? m_table->currentNamespace() : QString(),
                              m_table->currentName(), m_table->currentObject());
    });
    connect(m_table, &ResourceTable::currentUpdated, this, [this] { m_detailsRefresh.start(); });
    connect(m_table, &ResourceTable::activated, this, &ClusterPanel::openDetails);
    connect(m_details, &DetailsPane::openObjectRequested, this, &ClusterPanel::openObject);
    connect(m_contextSwitcher, &ContextSwitcher::contextChosen, this, [this](const QString &name) {
        if (!name.isEmpty() && name != currentContext())
            openContext(name, {}, true);
    });
    connect(m_namespaceSelector, &NamespaceSelector::namespaceChosen, this, [this](const QString &ns) {
        if (ns != m_namespace)
            setNamespace(ns);
    });
    connect(m_paletteButton, &QPushButton::clicked, this, &ClusterPanel::openCommandPalette);

    createActions();
    updateActions();
    showEmpty(tr("No cluster"), tr("Choose a context to connect to, or add one to your kubeconfig."));
}

ClusterPanel::~ClusterPanel()
{
    blockSignals(true); // nobody should hear from a panel being destroyed
    teardown();
}

void ClusterPanel::createActions()
{
    const auto add = [this](const QString &text, const QKeySequence &shortcut, auto slot,
                            Qt::ShortcutContext context = Qt::WidgetWithChildrenShortcut) {
        auto *action = new QAction(text, this);
        action->setShortcut(shortcut);
        action->setShortcutContext(context);
        connect(action, &QAction::triggered, this, slot);
        addAction(action);
        m_menu->addAction(action);
        return action;
    };
    m_paletteAction =
        add(tr("Command &Palette…"), QKeySequence(Qt::CTRL | Qt::Key_K), &ClusterPanel::openCommandPalette);
    m_filterAction = add(tr("&Filter Rows"), QKeySequence(Qt::Key_Slash), &ClusterPanel::focusFilter);
    m_menu->addSeparator();
    // Return and Delete act on the table only, so typing in the filter or the editor never triggers them.
    m_detailsAction =
        add(tr("Open &Details"), QKeySequence(Qt::Key_Return), &ClusterPanel::openDetails, Qt::WidgetShortcut);
    m_table->view()->addAction(m_detailsAction);
    m_logsAction = add(tr("Show &Logs"), QKeySequence(Qt::Key_L), &ClusterPanel::openDetails, Qt::WidgetShortcut);
    disconnect(m_logsAction, nullptr, this, nullptr);
    connect(m_logsAction, &QAction::triggered, this, [this] {
        openDetails();
        m_details->showLogs();
    });
    m_table->view()->addAction(m_logsAction);
    m_menu->addSeparator();
    m_deleteAction =
        add(tr("De&lete…"), QKeySequence(QKeySequence::Delete), &ClusterPanel::deleteSelected, Qt::WidgetShortcut);
    m_table->view()->addAction(m_deleteAction);
    m_scaleAction = add(tr("&Scale…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S), &ClusterPanel::scaleSelected);
    m_restartAction =
        add(tr("Rollout &Restart…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R), &ClusterPanel::restartSelected);
    m_editAction = add(tr("&Edit in Editor"), QKeySequence(Qt::CTRL | Qt::Key_E), &ClusterPanel::editSelected);
    m_menu->addSeparator();
    m_copyNameAction = add(tr("Copy &Name"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C), &ClusterPanel::copyName);
    m_copyKubectlAction = add(tr("Copy &kubectl Command"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_K),
                              &ClusterPanel::copyKubectlCommand);

    m_table->view()->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_table->view(), &QWidget::customContextMenuRequested, this, [this](const QPoint &pos) {
        if (!m_table->view()->indexAt(pos).isValid())
            return;
        QMenu menu(this);
        for (QAction *action : {m_detailsAction, m_logsAction, m_deleteAction, m_scaleAction, m_restartAction,
                                m_editAction, m_copyNameAction, m_copyKubectlAction}) {
            if (action->isEnabled() && action->isVisible())
                menu.addAction(action);
        }
        menu.exec(m_table->view()->viewport()->mapToGlobal(pos));
    });
}

void ClusterPanel::updateActions()
{
    const bool selected = !m_table->currentUid().isEmpty();
    const bool pod = m_kind.group.isEmpty() && m_kind.kind == QLatin1String("Pod");
    const bool restartable = m_kind.group == QLatin1String("apps") &&
                             (m_kind.kind == QLatin1String("Deployment") ||
                              m_kind.kind == QLatin1String("StatefulSet") || m_kind.kind == QLatin1String("DaemonSet"));
    m_detailsAction->setEnabled(selected);
    m_logsAction->setEnabled(selected && pod);
    m_deleteAction->setEnabled(selected && m_kind.supports(QStringLiteral("delete")));
    m_scaleAction->setEnabled(selected && m_kind.hasSubresource(QStringLiteral("scale")));
    m_restartAction->setEnabled(selected && restartable);
    m_editAction->setEnabled(selected);
    m_copyNameAction->setEnabled(selected);
    m_copyKubectlAction->setEnabled(selected);
}

kube::ApiClient *ClusterPanel::client() const
{
    return m_session ? m_session->client : nullptr;
}

metrics::IstioMetrics *ClusterPanel::istioMetrics() const
{
    return m_session ? m_session->istio : nullptr;
}

kube::ResourceRegistry *ClusterPanel::registry() const
{
    return m_session ? m_session->registry : nullptr;
}

watch::InformerFactory *ClusterPanel::informers() const
{
    return m_session ? m_session->factory : nullptr;
}

void ClusterPanel::setKubeconfig(const kubeconfig::Kubeconfig &config)
{
    m_kubeconfig = config;
    updateContextBox();
    rebuildPalette();
}

void ClusterPanel::updateContextBox()
{
    m_contextSwitcher->setKubeconfig(m_kubeconfig);
    m_contextSwitcher->setCurrentContext(m_restConfig.contextName);
}

void ClusterPanel::openContext(const QString &context, const QString &nameSpace, bool remember)
{
    const QString name =
        kubeconfig::ContextChoice::resolve(context, m_kubeconfig.currentContext, m_kubeconfig.contextNames());
    // A namespace asked for without remembering it (--namespace) must survive reconnects to the same context
    // (kubeconfig reloads), which ask for no namespace; a choice of the user ends it.
    if (remember) {
        m_pinnedContext.clear();
        m_pinnedNamespace.clear();
    } else if (!nameSpace.isEmpty()) {
        m_pinnedContext = name;
        m_pinnedNamespace = nameSpace;
    }
    const QString requestedNamespace =
        nameSpace.isEmpty() && !remember && !name.isEmpty() && name == m_pinnedContext ? m_pinnedNamespace : nameSpace;
    if (name.isEmpty()) {
        showNoCluster(tr("No cluster"), m_kubeconfig.isEmpty()
                                            ? tr("No kubeconfig was found (KUBECONFIG or ~/.kube/config). Start a "
                                                 "cluster (minikube start, kind create cluster) or open a kubeconfig.")
                                            : tr("The kubeconfig has no current context. Choose one above."));
        return;
    }
    const Result<kubeconfig::RestConfig> config = kubeconfig::restConfig(m_kubeconfig, name);
    if (!config.ok()) {
        teardown();
        m_restConfig = {};
        m_restConfig.contextName = name;
        updateContextBox();
        showEmpty(tr("Cannot use context %1").arg(name), config.error().toString());
        setState(ConnectionState::Unreachable, tr("Context error"), config.error().toString());
        emit contextTextChanged(name);
        return;
    }
    QString ns = requestedNamespace;
    if (ns.isEmpty())
        ns = kubeconfig::ContextChoice::rememberedNamespace(name);
    if (ns.isEmpty())
        ns = config->defaultNamespace;
    if (remember) {
        kubeconfig::ContextChoice::rememberContext(name);
        kubeconfig::ContextChoice::rememberNamespace(name, ns);
    }
    openRestConfig(config.value(), ns == allNamespacesText ? QString() : ns);
}

void ClusterPanel::showNoCluster(const QString &title, const QString &message)
{
    teardown();
    m_restConfig = {};
    updateContextBox();
    showEmpty(title, message);
    setState(ConnectionState::NoClusters, tr("No cluster"), message);
    emit contextTextChanged({});
}

void ClusterPanel::teardown()
{
    // Order matters: views let go of their informers before the factory and client go away.
    for (const auto &connection : std::as_const(m_kindConnections))
        disconnect(connection);
    m_kindConnections.clear();
    m_table->clear();
    m_details->setCluster(nullptr, nullptr, nullptr);
    m_details->setTraffic(nullptr, {});
    m_namespaceInformer.reset();
    m_retryTick.stop();
    m_banner->setVisible(false);
    if (m_session) {
        // Holders of client() (the editor) let go before the client is destroyed.
        setState(ConnectionState::Connecting, tr("Disconnecting from %1…").arg(m_restConfig.contextName));
    }
    m_session.reset();
    m_navigator->setKinds({});
    m_kind = {};
}

void ClusterPanel::openRestConfig(const kubeconfig::RestConfig &config, const QString &nameSpace)
{
    const QString previousKind = m_navigator->currentKindKey();
    if (!previousKind.isEmpty())
        m_lastKindKey = previousKind;
    teardown();
    m_restConfig = config;
    m_namespace = nameSpace;
    m_retryDelay = 0;
    updateContextBox();
    m_namespaceSelector->setNamespaces(m_namespace.isEmpty() ? QStringList() : QStringList{m_namespace}, false);
    m_namespaceSelector->setNamespace(m_namespace);
    m_user->setText(tr("as %1 on %2").arg(config.userName, config.server.host()));
    // The switcher already names server and user for contexts of the kubeconfig.
    m_user->setVisible(!m_kubeconfig.context(config.contextName));
    m_user->setToolTip(config.server.toString());
    emit contextTextChanged(contextText());

    m_session = std::make_unique<Session>();
    m_session->client = new kube::ApiClient(config);
    m_session->registry = new kube::ResourceRegistry(m_session->client);
    m_session->factory = new watch::InformerFactory(m_session->client);
    if (m_tuning)
        m_session->factory->setInformerTuning(m_tuning);
    m_details->setCluster(m_session->client, m_session->factory, m_session->registry);
    // Traffic charts read Istio's Prometheus through the API server's service proxy (istio-system/prometheus).
    m_session->prometheus =
        new metrics::ServiceProxyPrometheusTransport(m_session->client, metrics::PrometheusService{});
    m_session->istio = new metrics::IstioMetrics(m_session->prometheus);
    m_details->setTraffic(m_session->istio, [this](const QString &ns) {
        if (!m_session ||
            !m_session->registry->find(QStringLiteral("networking.istio.io"), QStringLiteral("VirtualService")) ||
            !m_namespaceInformer)
            return false;
        for (const watch::ObjectPtr &object : m_namespaceInformer->store()->objects()) {
            if (object->name != ns)
                continue;
            const QJsonObject labels =
                object->json.value(QLatin1String("metadata")).toObject().value(QLatin1String("labels")).toObject();
            return labels.value(QLatin1String("istio-injection")) == QLatin1String("enabled") ||
                   labels.contains(QLatin1String("istio.io/rev"));
        }
        return false;
    });
    QObject *root = m_session->root.get();
    connect(m_session->registry, &kube::ResourceRegistry::refreshed, root, [this] { onDiscovered(); });
    connect(m_session->registry, &kube::ResourceRegistry::failed, root,
            [this](const Error &error) { onDiscoveryFailed(error); });

    m_connectingText->setText(tr("Connecting to %1 (%2)…").arg(config.contextName, config.server.toString()));
    showPage(m_connecting);
    setState(ConnectionState::Connecting, tr("Connecting to %1…").arg(config.contextName), config.server.toString());
    m_session->registry->refresh();
    rebuildPalette();
}

QString ClusterPanel::contextText() const
{
    if (m_restConfig.contextName.isEmpty())
        return {};
    return QStringLiteral("%1 · %2").arg(m_restConfig.contextName,
                                         m_namespace.isEmpty() ? tr("all namespaces") : m_namespace);
}

void ClusterPanel::setState(ConnectionState state, const QString &text, const QString &detail)
{
    m_state = state;
    emit connectionStateChanged(state, text, detail);
}

QString ClusterPanel::connectedDetail() const
{
    const QString where = tr("%1 as %2").arg(m_restConfig.server.toString(), m_restConfig.userName);
    const QString proxy = m_restConfig.proxyName(); // without the proxy's credentials
    return proxy.isEmpty() ? where : tr("%1 via proxy %2").arg(where, proxy);
}

void ClusterPanel::onDiscovered()
{
    const bool first = m_state != ConnectionState::Connected || m_navigator->topLevelItemCount() == 0;
    hideBanner();
    setState(ConnectionState::Connected, tr("Connected to %1").arg(m_restConfig.contextName), connectedDetail());
    {
        const QSignalBlocker blocker(m_navigator);
        m_navigator->setKinds(m_session->registry->kinds());
    }
    if (first) {
        m_session->factory->keepFresh(m_session->registry);
        if (const auto namespaces = m_session->registry->find(QString(), QStringLiteral("Namespace"))) {
            m_namespaceInformer = m_session->factory->informer(*namespaces, QString());
            connect(m_namespaceInformer->store(), &watch::ObjectStore::reset, m_session->root.get(),
                    [this] { m_namespaceRefresh.start(); });
            connect(m_namespaceInformer->store(), &watch::ObjectStore::changed, m_session->root.get(),
                    [this] { m_namespaceRefresh.start(); });
            connect(m_namespaceInformer.get(), &watch::Informer::errorOccurred, m_session->root.get(),
                    [this](const Error &error) {
                        if (error.code != 403)
                            return;
                        // May not list namespaces: free text only, and no point in retrying the list.
                        m_namespaceSelector->setNamespaces(
                            m_namespace.isEmpty() ? QStringList() : QStringList{m_namespace}, false);
                        m_namespaceSelector->setNamespace(m_namespace);
                        QTimer::singleShot(0, m_session->root.get(), [this] { m_namespaceInformer.reset(); });
                    });
        }
        checkPermissions();
        QString key = m_lastKindKey.isEmpty() ? QStringLiteral("pods") : m_lastKindKey;
        if (!m_navigator->itemFor(key))
            key = QStringLiteral("pods");
        if (!m_navigator->selectKind(key))
            showEmpty(tr("Nothing to show"), tr("The cluster serves no kinds that can be listed."));
    } else if (!m_kind.isValid() || !m_navigator->itemFor(ResourceNavigator::kindKey(m_kind))) {
        m_navigator->selectKind(QStringLiteral("pods"));
    } else {
        const QSignalBlocker blocker(m_navigator);
        m_navigator->selectKind(ResourceNavigator::kindKey(m_kind));
    }
    rebuildPalette();
}

void ClusterPanel::onDiscoveryFailed(const Error &error)
{
    if (m_navigator->topLevelItemCount() == 0) {
        showEmpty(tr("Cannot reach %1").arg(m_restConfig.contextName), error.toString());
    }
    startRetryCountdown(error);
}

void ClusterPanel::checkPermissions()
{
    // One SelfSubjectRulesReview tells which kinds may be listed, so a restricted user sees locks up front
    // instead of one 403 per click. A failed or incomplete review locks nothing: 403s still lock on use.
    if (!m_session)
        return;
    kube::Request request;
    request.verb = "POST";
    request.path = QStringLiteral("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews");
    request.contentType = "application/json";
    const QString ns = m_namespace.isEmpty() ? m_restConfig.defaultNamespace : m_namespace;
    request.body = QJsonDocument(QJsonObject{{QStringLiteral("apiVersion"), QStringLiteral("authorization.k8s.io/v1")},
                                             {QStringLiteral("kind"), QStringLiteral("SelfSubjectRulesReview")},
                                             {QStringLiteral("spec"), QJsonObject{{QStringLiteral("namespace"), ns}}}})
                       .toJson(QJsonDocument::Compact);
    m_session->client->send(request, m_session->root.get(), [this](const kube::Response &response) {
        if (!response.ok())
            return;
        const QJsonObject status = response.json().value(QLatin1String("status")).toObject();
        if (status.value(QLatin1String("incomplete")).toBool())
            return;
        const QJsonArray rules = status.value(QLatin1String("resourceRules")).toArray();
        const auto has = [](const QJsonArray &list, const QString &value) {
            for (const QJsonValue &entry : list) {
                if (entry.toString() == value || entry.toString() == QLatin1String("*"))
                    return true;
            }
            return false;
        };
        for (const kube::ResourceKind &kind : m_navigator->kinds()) {
            bool allowed = false;
            for (const QJsonValue &value : rules) {
                const QJsonObject rule = value.toObject();
                if (has(rule.value(QLatin1String("apiGroups")).toArray(), kind.group) &&
                    has(rule.value(QLatin1String("resources")).toArray(), kind.plural) &&
                    has(rule.value(QLatin1String("verbs")).toArray(), QStringLiteral("list"))) {
                    allowed = true;
                    break;
                }
            }
            const QString key = ResourceNavigator::kindKey(kind);
            m_navigator->setLocked(key, allowed ? QString() : m_restConfig.userName);
            if (!allowed && key == ResourceNavigator::kindKey(m_kind))
                showKindNow(m_kind);
        }
    });
}

void ClusterPanel::onKindSelected(const kube::ResourceKind &kind)
{
    showKindNow(kind);
}

bool ClusterPanel::showKind(const QString &name)
{
    if (!m_session)
        return false;
    std::optional<kube::ResourceKind> kind = m_session->registry->resolve(name);
    if (!kind)
        return false;
    const QString key = ResourceNavigator::kindKey(*kind);
    if (m_navigator->currentKindKey() == key) {
        showKindNow(*kind);
        return true;
    }
    return m_navigator->selectKind(key);
}

void ClusterPanel::showKindNow(const kube::ResourceKind &kind)
{
    for (const auto &connection : std::as_const(m_kindConnections))
        disconnect(connection);
    m_kindConnections.clear();
    m_table->clear();
    m_details->clear();
    m_kind = kind;
    m_lastKindKey = ResourceNavigator::kindKey(kind);
    updateActions();
    if (!m_session || !kind.isValid())
        return;
    const QString title = ResourceNavigator::titleOf(kind);
    if (m_navigator->isLocked(ResourceNavigator::kindKey(kind))) {
        showEmpty(tr("%1: not permitted for %2").arg(title, m_restConfig.userName),
                  tr("%1 may not list %2 (%3)%4. Ask a cluster admin for a Role or ClusterRole that grants "
                     "\"list\" and \"watch\" on %5, or pick another kind.")
                      .arg(m_restConfig.userName, kind.plural, kind.apiVersion(),
                           kind.namespaced ? (m_namespace.isEmpty() ? tr(" in all namespaces")
                                                                    : tr(" in namespace %1").arg(m_namespace))
                                           : QString(),
                           kind.qualifiedPlural()));
        return;
    }
    const QString ns = kind.namespaced ? m_namespace : QString();
    std::shared_ptr<watch::Informer> informer = m_session->factory->informer(kind, ns);
    m_table->setInformer(informer, kind.namespaced && m_namespace.isEmpty());
    watch::Informer *raw = informer.get();
    m_kindConnections.append(connect(raw, &watch::Informer::synced, this, [this] {
        showPage(m_table);
        hideBanner();
        selectPending();
    }));
    m_kindConnections.append(connect(raw, &watch::Informer::phaseChanged, this, [this](watch::Informer::Phase phase) {
        if (phase == watch::Informer::Phase::Watching)
            hideBanner();
    }));
    m_kindConnections.append(connect(raw, &watch::Informer::errorOccurred, this,
                                     [this, kind](const Error &error) { onInformerError(kind, error); }));
    if (raw->hasSynced()) {
        showPage(m_table);
        selectPending();
    } else if (raw->lastError() && raw->lastError()->code == 403) {
        onInformerError(kind, *raw->lastError());
    } else {
        m_connectingText->setText(tr("Listing %1…").arg(title));
        showPage(m_connecting);
    }
}

void ClusterPanel::onInformerError(const kube::ResourceKind &kind, const Error &error)
{
    if (error.code == 403) {
        m_navigator->setLocked(ResourceNavigator::kindKey(kind), m_restConfig.userName);
        if (ResourceNavigator::kindKey(kind) == ResourceNavigator::kindKey(m_kind))
            showKindNow(m_kind);
        return;
    }
    if (error.code == 0 || error.code >= 500 || error.code == 429)
        startRetryCountdown(error);
}

void ClusterPanel::showPage(QWidget *page)
{
    m_stack->setCurrentWidget(page);
    // Without a table there is nothing to detail: the message (a lock, an error) gets the whole area.
    m_details->setVisible(page == m_table);
}

void ClusterPanel::showEmpty(const QString &title, const QString &message)
{
    m_emptyTitle->setText(title);
    m_emptyMessage->setText(message);
    showPage(m_empty);
}

QString ClusterPanel::emptyStateText() const
{
    if (m_stack->currentWidget() != m_empty)
        return {};
    return m_emptyTitle->text() + QLatin1Char('\n') + m_emptyMessage->text();
}

QString ClusterPanel::bannerText() const
{
    return m_banner->isVisible() || !m_banner->isHidden() ? m_bannerText->text() : QString();
}

void ClusterPanel::startRetryCountdown(const Error &error)
{
    m_retryError = error.message;
    if (m_retryTick.isActive())
        return; // already counting down; the informers retry by themselves meanwhile
    m_retryDelay = m_retryDelay == 0 ? firstRetrySeconds : std::min(m_retryDelay * 2, maxRetrySeconds);
    m_retryRemaining = m_retryDelay;
    m_banner->setVisible(true);
    tickRetry();
    m_retryTick.start();
    setState(ConnectionState::Unreachable, tr("%1 unreachable").arg(m_restConfig.contextName), error.toString());
}

void ClusterPanel::tickRetry()
{
    if (m_retryRemaining <= 0) {
        m_retryTick.stop();
        retryNow();
        return;
    }
    m_bannerText->setText(tr("Cannot reach the cluster of context %1: %2\nChecking again in %n s. The tables "
                             "reconnect by themselves.",
                             nullptr, m_retryRemaining)
                              .arg(m_restConfig.contextName, m_retryError));
    --m_retryRemaining;
}

void ClusterPanel::retryNow()
{
    m_retryTick.stop();
    if (!m_session)
        return;
    m_bannerText->setText(
        tr("Cannot reach the cluster of context %1: %2\nChecking now…").arg(m_restConfig.contextName, m_retryError));
    if (!m_session->registry->isReady()) {
        m_session->registry->refresh();
        return;
    }
    m_session->client->getJson(QStringLiteral("/version"), m_session->root.get(), [this](Result<QJsonObject> result) {
        if (result.ok()) {
            hideBanner();
            setState(ConnectionState::Connected, tr("Connected to %1").arg(m_restConfig.contextName),
                     connectedDetail());
        } else {
            startRetryCountdown(result.error());
        }
    });
}

void ClusterPanel::hideBanner()
{
    m_retryTick.stop();
    m_retryDelay = 0;
    if (!m_banner->isHidden()) {
        m_banner->setVisible(false);
        if (m_session && m_session->registry->isReady())
            setState(ConnectionState::Connected, tr("Connected to %1").arg(m_restConfig.contextName),
                     connectedDetail());
    }
}

void ClusterPanel::setNamespace(const QString &nameSpace)
{
    m_namespace = nameSpace;
    // The user's pick replaces the command line's namespace, also for later reconnects.
    m_pinnedContext.clear();
    m_pinnedNamespace.clear();
    if (!m_restConfig.contextName.isEmpty())
        kubeconfig::ContextChoice::rememberNamespace(m_restConfig.contextName,
                                                     nameSpace.isEmpty() ? allNamespacesText : nameSpace);
    m_namespaceSelector->setNamespace(nameSpace);
    emit contextTextChanged(contextText());
    if (m_session && m_session->registry->isReady())
        checkPermissions();
    if (m_kind.isValid())
        showKindNow(m_kind);
    rebuildPalette();
}

void ClusterPanel::updateNamespaces()
{
    if (!m_namespaceInformer)
        return;
    QStringList names;
    for (const watch::ObjectPtr &object : m_namespaceInformer->store()->objects())
        names.append(object->name);
    if (!m_namespace.isEmpty() && !names.contains(m_namespace))
        names.append(m_namespace);
    names.sort();
    m_namespaceSelector->setNamespaces(names, true);
    m_namespaceSelector->setNamespace(m_namespace);
    rebuildPalette();
}

void ClusterPanel::rebuildPalette()
{
    QList<CommandPalette::Command> commands;
    for (const kube::ResourceKind &kind : m_navigator->kinds()) {
        QString subgroup;
        const QString category = ResourceNavigator::categoryOf(kind, &subgroup);
        QStringList keywords = kind.shortNames;
        keywords << kind.plural << kind.singular << kind.kind << category << kind.qualifiedPlural();
        QString detail = category;
        if (!subgroup.isEmpty())
            detail += QStringLiteral(" · ") + subgroup;
        if (!kind.shortNames.isEmpty())
            detail += QStringLiteral(" · ") + kind.shortNames.join(QStringLiteral(", "));
        const QString key = ResourceNavigator::kindKey(kind);
        commands.append(CommandPalette::Command{ResourceNavigator::titleOf(kind), detail, keywords, [this, key] {
                                                    m_navigator->selectKind(key);
                                                    m_table->view()->setFocus();
                                                }});
    }
    for (const kubeconfig::Context &context : m_kubeconfig.contexts) {
        const QString name = context.name;
        commands.append(CommandPalette::Command{tr("Switch context: %1").arg(name),
                                                tr("context"),
                                                {QStringLiteral("context"), QStringLiteral("ctx"), name},
                                                [this, name] { openContext(name, {}, true); }});
    }
    if (m_session) {
        commands.append(
            CommandPalette::Command{tr("Namespace: all namespaces"),
                                    tr("namespace"),
                                    {QStringLiteral("namespace"), QStringLiteral("ns"), QStringLiteral("all")},
                                    [this] { setNamespace({}); }});
        for (const QString &name : m_namespaceSelector->namespaces()) {
            commands.append(CommandPalette::Command{tr("Namespace: %1").arg(name),
                                                    tr("namespace"),
                                                    {QStringLiteral("namespace"), QStringLiteral("ns"), name},
                                                    [this, name] { setNamespace(name); }});
        }
    }
    for (QAction *action : {m_deleteAction, m_scaleAction, m_restartAction, m_editAction, m_logsAction,
                            m_copyNameAction, m_copyKubectlAction, m_filterAction}) {
        QString title = action->text();
        title.remove(QLatin1Char('&'));
        QPointer<QAction> guarded(action);
        commands.append(
            CommandPalette::Command{title, tr("action on the selected object"), {QStringLiteral("action")}, [guarded] {
                                        if (guarded && guarded->isEnabled())
                                            guarded->trigger();
                                    }});
    }
    m_palette->setCommands(std::move(commands));
}

void ClusterPanel::openCommandPalette()
{
    rebuildPalette();
    m_palette->popup();
}

void ClusterPanel::focusFilter()
{
    m_table->focusFilter();
}

void ClusterPanel::openDetails()
{
    if (m_table->currentUid().isEmpty())
        return;
    m_details->tabs()->currentWidget()->setFocus(Qt::OtherFocusReason);
    auto *splitter = qobject_cast<QSplitter *>(m_details->parentWidget());
    if (splitter && splitter->sizes().value(1) < 120)
        splitter->setSizes({splitter->height() / 2, splitter->height() / 2});
}

void ClusterPanel::openObject(const QString &apiVersion, const QString &kind, const QString &ns, const QString &name)
{
    if (!m_session)
        return;
    const std::optional<kube::ResourceKind> found = m_session->registry->findByApiVersion(apiVersion, kind);
    if (!found) {
        emit statusMessage(tr("%1 %2 is not served by this cluster.").arg(apiVersion, kind));
        return;
    }
    m_pendingName = name;
    m_pendingNamespace = ns;
    if (found->namespaced && !m_namespace.isEmpty() && ns != m_namespace && !ns.isEmpty())
        setNamespace(ns);
    const QString key = ResourceNavigator::kindKey(*found);
    if (m_navigator->currentKindKey() == key)
        selectPending();
    else
        m_navigator->selectKind(key);
}

void ClusterPanel::selectPending()
{
    if (m_pendingName.isEmpty())
        return;
    if (m_table->selectName(m_pendingName, m_pendingNamespace))
        m_pendingName.clear();
}

bool ClusterPanel::confirm(const QString &title, const QString &text)
{
    if (m_confirm)
        return m_confirm(title, text);
    return QMessageBox::question(this, title, text, QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel) ==
           QMessageBox::Yes;
}

QString ClusterPanel::kubectlResource(const kube::ResourceKind &kind) const
{
    const QString singular = kind.singular.isEmpty() ? kind.kind.toLower() : kind.singular;
    return kind.group.isEmpty() ? singular : singular + QLatin1Char('.') + kind.group;
}

QString ClusterPanel::objectPhrase() const
{
    const QString ns = m_table->currentNamespace();
    QString phrase = QStringLiteral("%1 \"%2\"").arg(m_kind.kind, m_table->currentName());
    if (!ns.isEmpty())
        phrase += tr(" in namespace \"%1\"").arg(ns);
    return phrase + tr(" on context \"%1\"").arg(m_restConfig.contextName);
}

void ClusterPanel::deleteSelected()
{
    if (!m_session || m_table->currentUid().isEmpty() || !m_deleteAction->isEnabled())
        return;
    const kube::ResourceKind kind = m_kind;
    const QString name = m_table->currentName();
    const QString ns = kind.namespaced ? m_table->currentNamespace() : QString();
    QString text = tr("Delete %1?").arg(objectPhrase());
    if (kind.group == QLatin1String("apps") || kind.kind == QLatin1String("Job"))
        text += tr("\n\nIts pods are deleted too (background cascading).");
    if (kind.group.isEmpty() && kind.kind == QLatin1String("Pod") &&
        !m_table->currentObject()
             .value(QLatin1String("metadata"))
             .toObject()
             .value(QLatin1String("ownerReferences"))
             .toArray()
             .isEmpty())
        text += tr("\n\nIts controller will create a replacement pod.");
    if (!confirm(tr("Delete %1").arg(name), text))
        return;
    kube::Operations(m_session->client)
        .remove(kind, ns, name, kube::Propagation::Background, m_session->root.get(),
                [this, kind, name](Result<void> result) {
                    emit statusMessage(result.ok() ? tr("Deleted %1 %2.").arg(kind.kind.toLower(), name)
                                                   : result.error().toString());
                });
}

void ClusterPanel::scaleSelected()
{
    if (!m_session || m_table->currentUid().isEmpty() || !m_scaleAction->isEnabled())
        return;
    const kube::ResourceKind kind = m_kind;
    const QString name = m_table->currentName();
    const QString ns = m_table->currentNamespace();
    const int current =
        m_table->currentObject().value(QLatin1String("spec")).toObject().value(QLatin1String("replicas")).toInt(1);
    const QString title = tr("Scale %1").arg(name);
    const QString text = tr("Replicas for %1:").arg(objectPhrase());
    std::optional<int> replicas;
    if (m_askReplicas) {
        replicas = m_askReplicas(title, text, current);
    } else {
        bool ok = false;
        const int value = QInputDialog::getInt(this, title, text, current, 0, 10000, 1, &ok);
        if (ok)
            replicas = value;
    }
    if (!replicas || *replicas == current)
        return;
    kube::Operations(m_session->client)
        .scale(kind, ns, name, *replicas, m_session->root.get(), [this, kind, name, replicas](Result<void> result) {
            emit statusMessage(result.ok() ? tr("Scaled %1 %2 to %3.").arg(kind.kind.toLower(), name).arg(*replicas)
                                           : result.error().toString());
        });
}

void ClusterPanel::restartSelected()
{
    if (!m_session || m_table->currentUid().isEmpty() || !m_restartAction->isEnabled())
        return;
    const kube::ResourceKind kind = m_kind;
    const QString name = m_table->currentName();
    const QString ns = m_table->currentNamespace();
    if (!confirm(tr("Restart %1").arg(name),
                 tr("Restart the pods of %1, one by one as its rollout strategy allows?").arg(objectPhrase())))
        return;
    kube::Operations(m_session->client)
        .rolloutRestart(kind, ns, name, m_session->root.get(), [this, kind, name](Result<void> result) {
            emit statusMessage(result.ok() ? tr("Restarted %1 %2.").arg(kind.kind.toLower(), name)
                                           : result.error().toString());
        });
}

void ClusterPanel::editSelected()
{
    if (!m_session || m_table->currentUid().isEmpty())
        return;
    kube::Operations(m_session->client)
        .get(m_kind, m_kind.namespaced ? m_table->currentNamespace() : QString(), m_table->currentName(),
             m_session->root.get(), [this](Result<QJsonObject> result) {
                 if (result.ok())
                     emit editObjectRequested(result.value());
                 else
                     emit statusMessage(result.error().toString());
             });
}

void ClusterPanel::copyName()
{
    if (m_table->currentUid().isEmpty())
        return;
    QApplication::clipboard()->setText(m_table->currentName());
    emit statusMessage(tr("Copied %1").arg(m_table->currentName()));
}

void ClusterPanel::copyKubectlCommand()
{
    if (m_table->currentUid().isEmpty())
        return;
    // Pasted into a shell: context names are free text (spaces, quotes, $), so every word is quoted as needed.
    QString command = QStringLiteral("kubectl --context %1").arg(shellWord(m_restConfig.contextName));
    if (m_kind.namespaced)
        command += QStringLiteral(" -n %1").arg(shellWord(m_table->currentNamespace()));
    command +=
        QStringLiteral(" get %1 %2 -o yaml").arg(shellWord(kubectlResource(m_kind)), shellWord(m_table->currentName()));
    QApplication::clipboard()->setText(command);
    emit statusMessage(tr("Copied: %1").arg(command));
}

void ClusterPanel::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    // So Ctrl+K and / work right after switching to the Cluster area.
    QWidget *focus = QApplication::focusWidget();
    if (!focus || !isAncestorOf(focus))
        m_table->view()->setFocus(Qt::OtherFocusReason);
}

} // namespace orchestra::ui
