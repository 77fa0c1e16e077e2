#include "charts/servicegraphview.h"

#include <QGraphicsEllipseItem>
#include <QGraphicsPathItem>
#include <QGraphicsRectItem>
#include <QGraphicsSimpleTextItem>
#include <QMouseEvent>
#include <QPainterPath>

#include <cmath>

namespace orchestra::ui {

using namespace orchestra::metrics;

namespace {

constexpr double columnWidth = 260;
constexpr double rowHeight = 58;
constexpr double nodeWidth = 136;
constexpr double nodeHeight = 36;
const int kindRole = 0; // QGraphicsItem::data keys
const int idRole = 1;
const int toRole = 2;

QString nodeCaption(const GraphNode &node)
{
    switch (node.type) {
    case GraphNode::Type::Service:
        return node.name;
    case GraphNode::Type::Workload:
        return node.outside ? node.name + QStringLiteral("\n(") + node.nameSpace + QLatin1Char(')') : node.name;
    case GraphNode::Type::Unknown:
        return QStringLiteral("unknown");
    }
    return {};
}

} // namespace

QColor healthColor(Health health)
{
    switch (health) {
    case Health::Healthy:
        return QColor(0x3e, 0x86, 0x35);
    case Health::Degraded:
        return QColor(0xe0, 0x8a, 0x00);
    case Health::Failing:
        return QColor(0xc9, 0x19, 0x0b);
    case Health::NoTraffic:
        return QColor(0x8a, 0x8d, 0x90);
    }
    return {};
}

QString edgeLabel(const GraphEdge &edge)
{
    const QString rate = QStringLiteral("%1 rps").arg(edge.rate, 0, 'f', edge.rate < 10 ? 2 : 1);
    if (edge.errorShare <= 0)
        return rate;
    // Two short lines fit between the columns where one long line would run into the nodes.
    return QStringLiteral("%1\n%2 % err").arg(rate).arg(edge.errorShare * 100, 0, 'f', edge.errorShare < 0.1 ? 1 : 0);
}

ServiceGraphView::ServiceGraphView(QWidget *parent)
    : QGraphicsView(parent)
{
    setScene(new QGraphicsScene(this));
    setRenderHint(QPainter::Antialiasing);
    setDragMode(QGraphicsView::ScrollHandDrag);
    setMinimumSize(400, 240);
}

QPointF ServiceGraphView::nodePosition(const QString &id) const
{
    return m_positions.value(id);
}

void ServiceGraphView::setGraph(const ServiceGraph &graph)
{
    m_graph = graph;
    m_positions.clear();
    QGraphicsScene *s = scene();
    s->clear();
    const QPalette pal = palette();

    // Columns by hop; inside a column, Services first then workloads, by name, so versions sit together.
    const QList<int> layers = graph.layers();
    QMap<int, QList<int>> columns;
    for (int i = 0; i < graph.nodes.size(); ++i)
        columns[layers.at(i)].append(i);
    int maxRows = 1;
    for (auto &members : columns) {
        std::sort(members.begin(), members.end(),
                  [&graph](int a, int b) { return graph.nodes.at(a).name < graph.nodes.at(b).name; });
        maxRows = std::max(maxRows, int(members.size()));
    }
    for (auto it = columns.begin(); it != columns.end(); ++it) {
        const QList<int> &members = it.value();
        const double top = (maxRows - members.size()) * rowHeight / 2.0;
        for (int row = 0; row < members.size(); ++row)
            m_positions.insert(graph.nodes.at(members.at(row)).id,
                               QPointF(it.key() * columnWidth, top + row * rowHeight));
    }

    QHash<QString, int> incoming, outgoing;
    for (const GraphEdge &edge : graph.edges) {
        ++incoming[edge.to];
        ++outgoing[edge.from];
    }
    QFont labelFont = font();
    labelFont.setPointSizeF(labelFont.pointSizeF() * 0.9);
    for (const GraphEdge &edge : graph.edges) {
        const QPointF from = m_positions.value(edge.from) + QPointF(nodeWidth / 2, 0);
        const QPointF to = m_positions.value(edge.to) - QPointF(nodeWidth / 2, 0);
        QPainterPath path(from);
        const double dx = std::max(40.0, (to.x() - from.x()) / 2);
        path.cubicTo(from + QPointF(dx, 0), to - QPointF(dx, 0), to);
        const QPainterPath curve = path;
        // Arrow head at the destination.
        const QPointF tip = to;
        path.moveTo(tip);
        path.lineTo(tip + QPointF(-10, -5));
        path.moveTo(tip);
        path.lineTo(tip + QPointF(-10, 5));
        QPen pen(healthColor(edge.health));
        pen.setWidthF(1.5 + std::min(4.0, std::log10(1.0 + edge.rate) * 2.0));
        auto *item = s->addPath(path, pen);
        item->setData(kindRole, QStringLiteral("edge"));
        item->setData(idRole, edge.from);
        item->setData(toRole, edge.to);
        item->setToolTip(tr("%1 → %2\n%3 requests/s, %4 % server errors, %5 % client errors (%6 health)")
                             .arg(graph.node(edge.from) ? graph.node(edge.from)->name : edge.from,
                                  graph.node(edge.to) ? graph.node(edge.to)->name : edge.to)
                             .arg(edge.rate, 0, 'f', 2)
                             .arg(edge.errorShare * 100, 0, 'f', 2)
                             .arg(edge.clientErrorShare * 100, 0, 'f', 2)
                             .arg(healthName(edge.health)));
        item->setCursor(Qt::PointingHandCursor);
        // Labels keep their font size however far the graph is zoomed out (ItemIgnoresTransformations); a
        // backdrop keeps them readable where they cross other edges.
        auto *backdrop = new QGraphicsRectItem;
        auto *label = new QGraphicsSimpleTextItem(edgeLabel(edge), backdrop);
        label->setFont(labelFont);
        label->setBrush(edge.health == Health::Healthy ? pal.color(QPalette::Text) : healthColor(edge.health));
        const QRectF bounds = label->boundingRect();
        label->setPos(-bounds.width() / 2, -bounds.height() / 2);
        backdrop->setRect(label->pos().x() - 3, label->pos().y() - 1, bounds.width() + 6, bounds.height() + 2);
        backdrop->setPen(Qt::NoPen);
        QColor base = pal.color(QPalette::Base);
        base.setAlphaF(0.85);
        backdrop->setBrush(base);
        backdrop->setFlag(QGraphicsItem::ItemIgnoresTransformations);
        // Where several edges meet at one node their midpoints crowd together; move the label towards the end
        // that fans out (the sources are on different rows there).
        double along = 0.5;
        if (incoming.value(edge.to) > 1 && outgoing.value(edge.from) <= 1)
            along = 0.3;
        else if (outgoing.value(edge.from) > 1 && incoming.value(edge.to) <= 1)
            along = 0.7;
        backdrop->setPos(curve.pointAtPercent(along));
        backdrop->setZValue(1);
        s->addItem(backdrop);
        backdrop->setData(kindRole, QStringLiteral("edge"));
        backdrop->setData(idRole, edge.from);
        backdrop->setData(toRole, edge.to);
        label->setData(kindRole, QStringLiteral("edge"));
        label->setData(idRole, edge.from);
        label->setData(toRole, edge.to);
    }

    for (const GraphNode &node : graph.nodes) {
        const QPointF centre = m_positions.value(node.id);
        const QRectF rect(centre.x() - nodeWidth / 2, centre.y() - nodeHeight / 2, nodeWidth, nodeHeight);
        QPen border(node.type == GraphNode::Type::Service || node.inboundRate > 0 ? healthColor(node.health)
                                                                                  : healthColor(Health::NoTraffic));
        border.setWidthF(2.5);
        QAbstractGraphicsShapeItem *shape = nullptr;
        if (node.type == GraphNode::Type::Service) {
            // Services are drawn as pills (rounded ends), workloads as boxes, like Kiali's shapes differ.
            QPainterPath pill;
            pill.addRoundedRect(rect, nodeHeight / 2, nodeHeight / 2);
            shape = s->addPath(pill, border, pal.color(QPalette::Base));
        } else {
            QPainterPath box;
            box.addRoundedRect(rect, 4, 4);
            shape = s->addPath(box, border,
                               node.outside || node.type == GraphNode::Type::Unknown ? pal.color(QPalette::Window)
                                                                                     : pal.color(QPalette::Base));
        }
        shape->setZValue(3);
        shape->setData(kindRole, QStringLiteral("node"));
        shape->setData(idRole, node.id);
        shape->setCursor(Qt::PointingHandCursor);
        shape->setToolTip(tr("%1 %2\n%3 requests/s in, %4 % errors (%5)")
                              .arg(node.type == GraphNode::Type::Service ? tr("Service") : tr("Workload"),
                                   node.nameSpace.isEmpty() ? node.name : node.nameSpace + QLatin1Char('/') + node.name)
                              .arg(node.inboundRate, 0, 'f', 2)
                              .arg(node.errorShare * 100, 0, 'f', 2)
                              .arg(healthName(node.health)));
        QFont nodeFont = font();
        if (node.type == GraphNode::Type::Service)
            nodeFont.setBold(true);
        auto *text = s->addSimpleText(nodeCaption(node), nodeFont);
        text->setBrush(pal.color(QPalette::Text));
        // Long names are elided by scaling down rather than overflowing the shape.
        const QRectF textBounds = text->boundingRect();
        const double scale = std::min(1.0, (nodeWidth - 16) / std::max(1.0, textBounds.width()));
        text->setScale(scale);
        text->setPos(centre - QPointF(textBounds.width() * scale / 2, textBounds.height() * scale / 2));
        text->setZValue(4);
        text->setData(kindRole, QStringLiteral("node"));
        text->setData(idRole, node.id);
    }
    s->setSceneRect(s->itemsBoundingRect().adjusted(-20, -20, 20, 20));
    fitGraph();
}

void ServiceGraphView::fitGraph()
{
    fitInView(sceneRect(), Qt::KeepAspectRatio);
    // Below this the node names get too small to read; scroll instead.
    constexpr double minimumScale = 0.6;
    if (transform().m11() < minimumScale)
        setTransform(QTransform::fromScale(minimumScale, minimumScale));
}

void ServiceGraphView::resizeEvent(QResizeEvent *event)
{
    QGraphicsView::resizeEvent(event);
    if (!scene()->items().isEmpty())
        fitGraph();
}

void ServiceGraphView::activateNode(const QString &id)
{
    const GraphNode *node = m_graph.node(id);
    if (!node || node->type == GraphNode::Type::Unknown)
        return;
    emit targetActivated(node->type == GraphNode::Type::Service ? TargetKind::Service : TargetKind::Workload,
                         node->nameSpace, node->name);
}

void ServiceGraphView::activateEdge(const QString &from, const QString &to)
{
    Q_UNUSED(from)
    activateNode(to);
}

void ServiceGraphView::mousePressEvent(QMouseEvent *event)
{
    if (event->button() == Qt::LeftButton) {
        for (QGraphicsItem *item : items(event->position().toPoint())) {
            const QString kind = item->data(kindRole).toString();
            if (kind == QLatin1String("node")) {
                activateNode(item->data(idRole).toString());
                return;
            }
            if (kind == QLatin1String("edge")) {
                activateEdge(item->data(idRole).toString(), item->data(toRole).toString());
                return;
            }
        }
    }
    QGraphicsView::mousePressEvent(event);
}

} // namespace orchestra::ui
