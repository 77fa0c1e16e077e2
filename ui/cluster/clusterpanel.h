#pragma once

#include "common/result.h"
#include "kube/resourcekind.h"
#include "kubeconfig/kubeconfig.h"
#include "kubeconfig/restconfig.h"

#include <QJsonObject>
#include <QPointer>
#include <QTimer>
#include <QWidget>

#include <functional>
#include <memory>
#include <optional>

class QAction;
class QLabel;
class QMenu;
class QProgressBar;
class QPushButton;
class QSplitter;
class QStackedWidget;

namespace orchestra::metrics {
class IstioMetrics;
} // namespace orchestra::metrics

namespace orchestra::kube {
class ApiClient;
class ResourceRegistry;
} // namespace orchestra::kube
namespace orchestra::watch {
class Informer;
class InformerFactory;
} // namespace orchestra::watch

namespace orchestra::ui {

class CommandPalette;
class ContextSwitcher;
class NamespaceSelector;
class DetailsPane;
class ResourceNavigator;
class ResourceTable;

/// The live cluster panel: context and namespace pickers, the kind navigator, a live table per kind, the details
/// pane with logs, actions with confirmation, the command palette and honest connection states. Everything of one
/// connection lives in a session that a context switch destroys, so no request or row of the old context survives.
class ClusterPanel final : public QWidget
{
    Q_OBJECT
public:
    enum class ConnectionState { NoClusters, Connecting, Connected, Unreachable };
    Q_ENUM(ConnectionState)

    /// Asks the user to confirm an action; returns true to go ahead. Tests replace the dialog.
    using ConfirmHandler = std::function<bool(const QString &title, const QString &text)>;
    /// Asks for a replica count; nullopt = cancelled. Tests replace the dialog.
    using ScaleHandler = std::function<std::optional<int>(const QString &title, const QString &text, int current)>;

    explicit ClusterPanel(QWidget *parent = nullptr);
    ~ClusterPanel() override;

    /// The contexts to offer; does not connect.
    void setKubeconfig(const kubeconfig::Kubeconfig &config);
    const kubeconfig::Kubeconfig &kubeconfig() const { return m_kubeconfig; }
    /// Connects to `context` (empty = the remembered one, else current-context) in `nameSpace` (empty = the
    /// remembered namespace, else the context's). `remember` stores the choice for the next start (the user chose).
    /// A `nameSpace` given without `remember` (the command line's --namespace) stays that context's namespace for
    /// this session: later calls for it without a namespace (a kubeconfig reload) keep it, until the user picks
    /// another namespace (setNamespace) or context.
    void openContext(const QString &context, const QString &nameSpace = {}, bool remember = false);
    /// Connects with a resolved RestConfig (used by openContext, and by tests).
    void openRestConfig(const kubeconfig::RestConfig &config, const QString &nameSpace);
    /// Drops the connection and shows `message` (e.g. "No kubeconfig found").
    void showNoCluster(const QString &title, const QString &message);

    /// "" = all namespaces.
    void setNamespace(const QString &nameSpace);
    QString currentNamespace() const { return m_namespace; }
    QString currentContext() const { return m_restConfig.contextName; }
    /// "context · namespace" for the status bar.
    QString contextText() const;
    /// Shows a kind by what a user types ("po", "deploy", "virtualservices"); false when unknown.
    bool showKind(const QString &name);
    /// The kind the table shows.
    kube::ResourceKind currentKind() const { return m_kind; }

    ConnectionState connectionState() const { return m_state; }
    /// The banner text while the cluster is unreachable ("" otherwise).
    QString bannerText() const;
    /// The message of the empty state shown instead of the table ("" when the table shows).
    QString emptyStateText() const;

    ResourceNavigator *navigator() const { return m_navigator; }
    ResourceTable *table() const { return m_table; }
    DetailsPane *details() const { return m_details; }
    CommandPalette *commandPalette() const { return m_palette; }
    ContextSwitcher *contextSwitcher() const { return m_contextSwitcher; }
    NamespaceSelector *namespaceSelector() const { return m_namespaceSelector; }
    kube::ApiClient *client() const;
    /// Istio metrics through this connection's API server (service proxy); null when not connected.
    /// Valid until the context or namespace changes (contextTextChanged).
    metrics::IstioMetrics *istioMetrics() const;
    kube::ResourceRegistry *registry() const;
    watch::InformerFactory *informers() const;
    /// The panel's actions, with their shortcuts (for the Cluster menu and Help > Keyboard Shortcuts).
    QMenu *menu() const { return m_menu; }

    void setConfirmHandler(ConfirmHandler handler) { m_confirm = std::move(handler); }
    void setScaleHandler(ScaleHandler handler) { m_askReplicas = std::move(handler); }
    /// Applied to every informer of the following sessions (tests shorten backoffs).
    void setInformerTuning(std::function<void(watch::Informer *)> tuning) { m_tuning = std::move(tuning); }

public slots:
    void openCommandPalette();
    void focusFilter();
    void openDetails();
    void deleteSelected();
    void scaleSelected();
    void restartSelected();
    void editSelected();
    void copyName();
    void copyKubectlCommand();
    void retryNow();

signals:
    void connectionStateChanged(orchestra::ui::ClusterPanel::ConnectionState state, const QString &text,
                                const QString &detail);
    void contextTextChanged(const QString &text);
    /// "Edit" on an object: the live object (full, with resourceVersion) for the editor.
    void editObjectRequested(const QJsonObject &object);
    /// A one-line outcome of an action ("Deleted pod web-1", or the error).
    void statusMessage(const QString &message);

protected:
    void showEvent(QShowEvent *event) override;

private:
    struct Session;
    void createActions();
    void teardown();
    void setState(ConnectionState state, const QString &text, const QString &detail = {});
    void onDiscovered();
    void onDiscoveryFailed(const Error &error);
    void checkPermissions();
    void onKindSelected(const kube::ResourceKind &kind);
    void showKindNow(const kube::ResourceKind &kind);
    void onInformerError(const kube::ResourceKind &kind, const Error &error);
    void showPage(QWidget *page);
    void showEmpty(const QString &title, const QString &message);
    void startRetryCountdown(const Error &error);
    void tickRetry();
    void hideBanner();
    /// "https://server as user [via proxy https://proxy:port]" for the connection indicator.
    QString connectedDetail() const;
    void updateNamespaces();
    void updateContextBox();
    void rebuildPalette();
    void openObject(const QString &apiVersion, const QString &kind, const QString &ns, const QString &name);
    void selectPending();
    void updateActions();
    bool confirm(const QString &title, const QString &text);
    QString kubectlResource(const kube::ResourceKind &kind) const;
    QString objectPhrase() const;

    kubeconfig::Kubeconfig m_kubeconfig;
    kubeconfig::RestConfig m_restConfig;
    QString m_namespace;
    /// The namespace openContext() was given for a context without `remember` (see there); empty = none.
    QString m_pinnedContext;
    QString m_pinnedNamespace;
    kube::ResourceKind m_kind;
    std::unique_ptr<Session> m_session;
    std::shared_ptr<watch::Informer> m_namespaceInformer;
    QList<QMetaObject::Connection> m_kindConnections;
    std::function<void(watch::Informer *)> m_tuning;
    ConfirmHandler m_confirm;
    ScaleHandler m_askReplicas;
    ConnectionState m_state = ConnectionState::NoClusters;
    QString m_pendingName;
    QString m_pendingNamespace;
    QString m_lastKindKey;

    QTimer m_retryTick;
    QTimer m_detailsRefresh;
    QTimer m_namespaceRefresh;
    int m_retryDelay = 0;
    int m_retryRemaining = 0;
    QString m_retryError;

    ContextSwitcher *m_contextSwitcher;
    NamespaceSelector *m_namespaceSelector;
    QPushButton *m_paletteButton;
    QLabel *m_user;
    QWidget *m_banner;
    QLabel *m_bannerText;
    QPushButton *m_bannerRetry;
    QSplitter *m_splitter;
    ResourceNavigator *m_navigator;
    QStackedWidget *m_stack;
    ResourceTable *m_table;
    QWidget *m_empty;
    QLabel *m_emptyTitle;
    QLabel *m_emptyMessage;
    QWidget *m_connecting;
    QLabel *m_connectingText;
    DetailsPane *m_details;
    CommandPalette *m_palette;
    QMenu *m_menu;
    QAction *m_paletteAction = nullptr;
    QAction *m_filterAction = nullptr;
    QAction *m_detailsAction = nullptr;
    QAction *m_deleteAction = nullptr;
    QAction *m_scaleAction = nullptr;
    QAction *m_restartAction = nullptr;
    QAction *m_editAction = nullptr;
    QAction *m_copyNameAction = nullptr;
    QAction *m_copyKubectlAction = nullptr;
    QAction *m_logsAction = nullptr;
};

} // namespace orchestra::ui
