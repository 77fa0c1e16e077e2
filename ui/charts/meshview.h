#pragma once

#include "metrics/istiometrics.h"

#include <QPointer>
#include <QWidget>

class QComboBox;
class QLabel;
class QListWidget;
class QStackedWidget;
class QTabWidget;
class QTimer;

namespace orchestra::ui {

class EmptyState;
class IstioConfigView;
class ServiceGraphView;
class TrafficView;

/// The Mesh area: meshed namespaces on the left, the namespace's traffic graph, and the charts of what was
/// clicked in the graph below it.
class MeshView final : public QWidget
{
    Q_OBJECT
public:
    explicit MeshView(QWidget *parent = nullptr);

    /// The metrics source (not owned); lists namespaces with Istio traffic from it.
    void setMetrics(metrics::IstioMetrics *metrics);
    /// Overrides the namespace list (e.g. namespaces labelled istio-injection=enabled from the cluster).
    void setNamespaces(const QStringList &namespaces);
    void selectNamespace(const QString &nameSpace);
    /// Graph window in seconds (60, 300, 900, 3600).
    void setGraphWindowSecs(qint64 seconds);
    /// Use a fixed "now" (screenshots, tests); invalid = the current time.
    void setEndTime(const QDateTime &end);
    void refresh();

    [[nodiscard]] ServiceGraphView *graphView() const { return m_graph; }
    [[nodiscard]] TrafficView *trafficView() const { return m_traffic; }
    /// The "Istio config" tab beside the charts; feed it with setConfig() (objects listed from the cluster).
    [[nodiscard]] IstioConfigView *istioConfigView() const { return m_config; }
    [[nodiscard]] QStringList namespaces() const;
    [[nodiscard]] QString currentNamespace() const;
    [[nodiscard]] QString statusText() const;

signals:
    /// The graph of the current namespace was loaded (or failed; see statusText()).
    void graphLoaded();

private:
    void loadGraph();

    QPointer<metrics::IstioMetrics> m_metrics;
    QDateTime m_fixedEnd;
    quint64 m_generation = 0;
    QListWidget *m_namespaces;
    QComboBox *m_window;
    QLabel *m_status;
    QStackedWidget *m_graphStack;
    EmptyState *m_graphEmpty;
    ServiceGraphView *m_graph;
    TrafficView *m_traffic;
    IstioConfigView *m_config;
    QTabWidget *m_tabs;
    QTimer *m_timer;
};

} // namespace orchestra::ui
