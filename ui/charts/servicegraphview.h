#pragma once

#include "metrics/istioqueries.h"
#include "metrics/servicegraph.h"

#include <QGraphicsView>

namespace orchestra::ui {

/// Colour of a health state (healthy green, degraded amber, failing red, grey without traffic).
QColor healthColor(metrics::Health health);
/// The label drawn on an edge: "9.90 rps · 6.1 % err".
QString edgeLabel(const metrics::GraphEdge &edge);

/// A namespace's traffic graph (Kiali-like): workloads and Services left to right by hop, edges labelled with
/// request rate and error share and coloured by health. Clicking a node or an edge asks for its charts.
class ServiceGraphView final : public QGraphicsView
{
    Q_OBJECT
public:
    explicit ServiceGraphView(QWidget *parent = nullptr);

    void setGraph(const metrics::ServiceGraph &graph);
    [[nodiscard]] const metrics::ServiceGraph &graph() const { return m_graph; }
    /// Scene position of a node's centre (tests click there); null point when unknown.
    [[nodiscard]] QPointF nodePosition(const QString &id) const;
    /// Emits targetActivated for a node id as a click on it would.
    void activateNode(const QString &id);
    /// Emits targetActivated for an edge as a click on it would (its destination, inbound).
    void activateEdge(const QString &from, const QString &to);

signals:
    /// Open the traffic charts of this Service or Workload.
    void targetActivated(orchestra::metrics::TargetKind kind, const QString &nameSpace, const QString &name);

protected:
    void mousePressEvent(QMouseEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void fitGraph();

    metrics::ServiceGraph m_graph;
    QHash<QString, QPointF> m_positions;
};

} // namespace orchestra::ui
