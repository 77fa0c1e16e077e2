#include "metrics/servicegraph.h"

#include <QHash>

#include <cmath>

namespace orchestra::metrics {

namespace {

bool isServerError(const QString &code)
{
    return code == QLatin1String("0") || code.startsWith(QLatin1Char('5'));
}

struct Accumulator
{
    double rate = 0;
    double serverErrors = 0;
    double clientErrors = 0;
};

} // namespace

Health healthForErrorShare(double errorShare, double requestRate)
{
    if (!(requestRate > 0))
        return Health::NoTraffic;
    if (errorShare >= 0.10)
        return Health::Failing;
    if (errorShare >= 0.01)
        return Health::Degraded;
    return Health::Healthy;
}

QString healthName(Health health)
{
    switch (health) {
    case Health::NoTraffic:
        return QStringLiteral("no traffic");
    case Health::Healthy:
        return QStringLiteral("healthy");
    case Health::Degraded:
        return QStringLiteral("degraded");
    case Health::Failing:
        return QStringLiteral("failing");
    }
    return {};
}

int ServiceGraph::indexOf(const QString &id) const
{
    for (int i = 0; i < nodes.size(); ++i)
        if (nodes.at(i).id == id)
            return i;
    return -1;
}

const GraphNode *ServiceGraph::node(const QString &id) const
{
    const int index = indexOf(id);
    return index < 0 ? nullptr : &nodes.at(index);
}

const GraphEdge *ServiceGraph::edge(const QString &from, const QString &to) const
{
    for (const GraphEdge &edge : edges)
        if (edge.from == from && edge.to == to)
            return &edge;
    return nullptr;
}

QList<int> ServiceGraph::layers() const
{
    QList<int> layer(nodes.size(), 0);
    // Longest path from a source, by relaxation; nodes.size() rounds bound it so cycles terminate.
    for (int round = 0; round < nodes.size(); ++round) {
        bool changed = false;
        for (const GraphEdge &edge : edges) {
            const int from = indexOf(edge.from);
            const int to = indexOf(edge.to);
            if (from < 0 || to < 0 || from == to)
                continue;
            if (layer[to] < layer[from] + 1 && layer[from] + 1 < nodes.size()) {
                layer[to] = layer[from] + 1;
                changed = true;
            }
        }
        if (!changed)
            break;
    }
    return layer;
}

ServiceGraph buildServiceGraph(const QueryResult &edges, const QString &nameSpace, qint64 windowSecs)
{
    ServiceGraph graph;
    graph.nameSpace = nameSpace;
    graph.windowSecs = windowSecs;
    QHash<QString, int> nodeIndex;
    auto nodeFor = [&](GraphNode::Type type, const QString &ns, const QString &name) -> QString {
        QString id;
        if (type == GraphNode::Type::Unknown || name.isEmpty() || name == QLatin1String("unknown")) {
            type = GraphNode::Type::Unknown;
            id = QStringLiteral("unknown");
        } else {
            id = (type == GraphNode::Type::Service ? QStringLiteral("service:") : QStringLiteral("workload:")) + ns +
                 QLatin1Char('/') + name;
        }
        if (!nodeIndex.contains(id)) {
            GraphNode node;
            node.id = id;
            node.type = type;
            node.nameSpace = type == GraphNode::Type::Unknown ? QString() : ns;
            node.name = type == GraphNode::Type::Unknown ? QStringLiteral("unknown") : name;
            node.outside = type != GraphNode::Type::Unknown && ns != nameSpace;
            nodeIndex.insert(id, int(graph.nodes.size()));
            graph.nodes.append(node);
        }
        return id;
    };

    QHash<QPair<QString, QString>, Accumulator> totals;
    QList<QPair<QString, QString>> order;
    auto add = [&](const QString &from, const QString &to, const QString &code, double rate) {
        const auto key = qMakePair(from, to);
        if (!totals.contains(key))
            order.append(key);
        Accumulator &acc = totals[key];
        acc.rate += rate;
        if (isServerError(code))
            acc.serverErrors += rate;
        else if (code.startsWith(QLatin1Char('4')))
            acc.clientErrors += rate;
    };

    for (const TimeSeries &series : edges.series) {
        const double rate = series.lastValue();
        if (!std::isfinite(rate) || rate <= 0)
            continue;
        const QString code = series.label(QStringLiteral("response_code"));
        const QString source =
            nodeFor(GraphNode::Type::Workload, series.label(QStringLiteral("source_workload_namespace")),
                    series.label(QStringLiteral("source_workload")));
        const QString serviceName = series.label(QStringLiteral("destination_service_name"));
        const QString destination =
            nodeFor(GraphNode::Type::Workload, nameSpace, series.label(QStringLiteral("destination_workload")));
        if (serviceName.isEmpty() || serviceName == QLatin1String("unknown")) {
            add(source, destination, code, rate);
            continue;
        }
        const QString service = nodeFor(GraphNode::Type::Service, nameSpace, serviceName);
        add(source, service, code, rate);
        add(service, destination, code, rate);
    }

    QHash<QString, Accumulator> inbound;
    for (const auto &key : order) {
        const Accumulator &acc = totals.value(key);
        GraphEdge edge;
        edge.from = key.first;
        edge.to = key.second;
        edge.rate = acc.rate;
        edge.errorShare = acc.rate > 0 ? acc.serverErrors / acc.rate : 0;
        edge.clientErrorShare = acc.rate > 0 ? acc.clientErrors / acc.rate : 0;
        edge.health = healthForErrorShare(edge.errorShare, edge.rate);
        graph.edges.append(edge);
        Accumulator &in = inbound[key.second];
        in.rate += acc.rate;
        in.serverErrors += acc.serverErrors;
    }
    for (GraphNode &node : graph.nodes) {
        const Accumulator in = inbound.value(node.id);
        node.inboundRate = in.rate;
        node.errorShare = in.rate > 0 ? in.serverErrors / in.rate : 0;
        node.health = healthForErrorShare(node.errorShare, in.rate > 0 ? in.rate : 1.0);
    }
    return graph;
}

} // namespace orchestra::metrics
