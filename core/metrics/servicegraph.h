#pragma once

#include "metrics/timeseries.h"

#include <QList>
#include <QString>

namespace orchestra::metrics {

/// Health of an edge or node from its share of failed (5xx/0) requests, with Kiali's default thresholds.
enum class Health { NoTraffic, Healthy, Degraded, Failing };

/// Failing at >= 10 % errors, Degraded at >= 1 %, else Healthy; NoTraffic when `requestRate` is 0.
Health healthForErrorShare(double errorShare, double requestRate = 1.0);
/// "healthy", "degraded", "failing", "no traffic".
QString healthName(Health health);

/// A workload or a Service in the namespace graph.
struct GraphNode final
{
    enum class Type { Workload, Service, Unknown };
    QString id; ///< "workload:<ns>/<name>", "service:<ns>/<name>" or "unknown"
    Type type = Type::Workload;
    QString nameSpace;
    QString name;
    double inboundRate = 0; ///< requests per second received
    double errorShare = 0;  ///< share (0..1) of received requests that failed (5xx/0)
    Health health = Health::NoTraffic;
    bool outside = false; ///< lives in another namespace than the graph's
};

/// Requests per second from one node to another, with the share that failed.
struct GraphEdge final
{
    QString from;
    QString to;
    double rate = 0;             ///< requests per second
    double errorShare = 0;       ///< 5xx and 0 over all, 0..1
    double clientErrorShare = 0; ///< 4xx over all, 0..1
    Health health = Health::NoTraffic;
};

/// The traffic graph of one namespace over a window (Kiali's workload graph with service nodes).
struct ServiceGraph final
{
    QString nameSpace;
    qint64 windowSecs = 0;
    QList<GraphNode> nodes;
    QList<GraphEdge> edges;

    [[nodiscard]] int indexOf(const QString &id) const;
    [[nodiscard]] const GraphNode *node(const QString &id) const;
    [[nodiscard]] const GraphEdge *edge(const QString &from, const QString &to) const;
    [[nodiscard]] bool isEmpty() const { return edges.isEmpty(); }
    /// Column of each node for a left-to-right layout: sources in 0, each hop one further (cycles broken).
    [[nodiscard]] QList<int> layers() const;
};

/// Builds the graph from the vector answer of IstioQueries::graphEdges(): source workload -> Service -> destination
/// workload, with rates summed over response codes and error shares from 5xx/0 codes.
ServiceGraph buildServiceGraph(const QueryResult &edges, const QString &nameSpace, qint64 windowSecs);

} // namespace orchestra::metrics
