#pragma once

#include "metrics/istioqueries.h"
#include "metrics/prometheusclient.h"
#include "metrics/servicegraph.h"

#include <QObject>

namespace orchestra::metrics {

/// What a traffic chart set asks for.
struct TrafficRequest final
{
    Target target;
    Direction direction = Direction::Inbound;
    GroupBy groupBy = GroupBy::DestinationWorkload; ///< splits request and error rates
    GroupBy latencyGroupBy = GroupBy::None;         ///< splits latency quantiles
    TimeRange range;
    qint64 scrapeIntervalSecs = 15;
};

/// The series of one target's traffic charts; each list may be empty (no traffic, or a TCP-only service).
struct TrafficData final
{
    TrafficRequest request;
    qint64 rateWindowSecs = 0;
    QList<TimeSeries> requestRate;                                        ///< req/s per group
    QList<TimeSeries> serverErrors;                                       ///< 5xx and 0 share, 0..1, per group
    QList<TimeSeries> clientErrors;                                       ///< 4xx share, 0..1, per group
    QList<TimeSeries> latencyP50, latencyP95, latencyP99, latencyAverage; ///< ms
    QList<TimeSeries> tcpSent, tcpReceived;                               ///< bytes/s
    QStringList warnings;

    /// True when any request or TCP series has a finite value above 0.
    [[nodiscard]] bool hasTraffic() const;
};

/// The domain client the charts and the graph use: runs the IstioQueries through Prometheus and shapes results.
class IstioMetrics final : public QObject
{
    Q_OBJECT
public:
    explicit IstioMetrics(PrometheusTransport *transport, QObject *parent = nullptr);

    [[nodiscard]] const PrometheusClient &client() const { return m_client; }
    [[nodiscard]] PrometheusTransport *transport() const { return m_client.transport(); }

    /// Runs every chart query of `request` in parallel; `done` gets all series, or the first error.
    void fetchTraffic(const TrafficRequest &request, QObject *context,
                      std::function<void(orchestra::Result<TrafficData>)> done);
    /// The namespace graph over the last `windowSecs` before `at` (now when invalid).
    void fetchGraph(const QString &nameSpace, qint64 windowSecs, const QDateTime &at, QObject *context,
                    std::function<void(orchestra::Result<ServiceGraph>)> done);
    /// Namespaces with Istio request metrics (destination_workload_namespace values), sorted.
    void fetchMeshNamespaces(QObject *context, std::function<void(orchestra::Result<QStringList>)> done);

private:
    PrometheusClient m_client;
};

} // namespace orchestra::metrics
