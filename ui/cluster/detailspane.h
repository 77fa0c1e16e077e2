#pragma once

#include "kube/resourcekind.h"

#include <QJsonObject>
#include <QPointer>
#include <QWidget>

#include <functional>
#include <memory>

class QCheckBox;
class QLabel;
class QPlainTextEdit;
class QTabWidget;
class QTextBrowser;
class QTimer;
class QTreeWidget;

namespace orchestra::kube {
class ApiClient;
class ResourceRegistry;
} // namespace orchestra::kube
namespace orchestra::watch {
class Informer;
class InformerFactory;
} // namespace orchestra::watch
namespace orchestra::metrics {
class IstioMetrics;
} // namespace orchestra::metrics

namespace orchestra::ui {

class CodeHighlighter;
class LogView;
class TrafficView;

/// The selected object: Overview (kind-specific fields, conditions, labels, annotations, owner links), YAML
/// (read-only, highlighted, managedFields on request), Events, Related objects and, for pods, Logs. Secret values
/// appear only after an explicit Reveal.
class DetailsPane final : public QWidget
{
    Q_OBJECT
public:
    explicit DetailsPane(QWidget *parent = nullptr);
    ~DetailsPane() override;

    /// The cluster to read from (null clears everything).
    void setCluster(kube::ApiClient *client, watch::InformerFactory *factory, kube::ResourceRegistry *registry);
    /// Shows an object; `stored` (may be empty or a Table row) fills the Overview until the full object arrives.
    void showObject(const kube::ResourceKind &kind, const QString &ns, const QString &name, const QJsonObject &stored);
    /// Reads the shown object again (it changed on the server).
    void refresh();
    void clear();

    kube::ResourceKind kind() const { return m_kind; }
    QString objectName() const { return m_name; }
    QString objectNamespace() const { return m_namespace; }
    /// The full object as last read from the server (empty until it arrived).
    QJsonObject object() const { return m_object; }

    QTabWidget *tabs() const { return m_tabs; }
    LogView *logView() const { return m_logs; }
    QTextBrowser *overview() const { return m_overview; }
    QPlainTextEdit *yamlView() const { return m_yaml; }
    QCheckBox *managedFieldsBox() const { return m_managedFields; }
    QTreeWidget *eventsView() const { return m_events; }
    /// How often the Events tab's "Last seen" ages are recomputed (default 10 s; tests shorten it).
    void setEventAgeRefreshInterval(int ms);
    QTreeWidget *relatedView() const { return m_related; }
    /// Shows Secret values (the Reveal link does the same).
    void setSecretsRevealed(bool revealed);
    bool secretsRevealed() const { return m_revealed; }
    /// Switches to the Logs tab when the object is a pod.
    void showLogs();
    /// Istio traffic charts for Services, Deployments and Pods in namespaces where `meshed` is true (null metrics
    /// hides the Traffic tab).
    void setTraffic(metrics::IstioMetrics *metrics, std::function<bool(const QString &nameSpace)> meshed);
    /// True when the Traffic tab is offered for the shown object.
    bool hasTrafficTab() const;
    TrafficView *trafficView() const { return m_traffic; }

    /// HTML for the Overview of `object` (exposed for tests).
    static QString overviewHtml(const kube::ResourceKind &kind, const QJsonObject &object, bool revealSecrets);

signals:
    /// A link to another object (owner reference, related object) was followed.
    void openObjectRequested(const QString &apiVersion, const QString &kind, const QString &ns, const QString &name);
    /// The full object arrived (or was re-read).
    void objectLoaded();

private:
    void load();
    void render();
    void renderYaml();
    void loadEvents();
    void renderEvents();
    void showEventsError(const QString &message);
    void stopEvents();
    void loadRelated();
    void fillRelated();
    void onLink(const QUrl &url);
    void updateTrafficTab();

    QPointer<kube::ApiClient> m_client;
    QPointer<watch::InformerFactory> m_factory;
    QPointer<kube::ResourceRegistry> m_registry;
    kube::ResourceKind m_kind;
    QString m_namespace;
    QString m_name;
    QJsonObject m_object;
    bool m_revealed = false;
    int m_generation = 0;
    /// The shown object's Events (a fieldSelector for it), live while it is shown.
    std::shared_ptr<watch::Informer> m_eventsInformer;
    QList<QMetaObject::Connection> m_eventsConnections;
    std::shared_ptr<watch::Informer> m_relatedPods;
    std::shared_ptr<watch::Informer> m_relatedServices;
    QList<QMetaObject::Connection> m_relatedConnections;

    QLabel *m_title;
    QTabWidget *m_tabs;
    QTextBrowser *m_overview;
    QWidget *m_yamlPage;
    QPlainTextEdit *m_yaml;
    CodeHighlighter *m_highlighter;
    QCheckBox *m_managedFields;
    QTreeWidget *m_events;
    QTimer *m_eventAges; ///< re-ages "Last seen" while Events are shown
    QTreeWidget *m_related;
    LogView *m_logs;
    TrafficView *m_traffic;
    QPointer<metrics::IstioMetrics> m_metrics;
    std::function<bool(const QString &)> m_meshed;
};

} // namespace orchestra::ui
