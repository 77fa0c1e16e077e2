#pragma once

// Every PromQL string Orchestra sends lives here, behind domain names (as Kiali does): the charts and the graph ask
// for "request rate of reviews, inbound, by version", never for a query text.

#include <QString>
#include <QStringList>

namespace orchestra::metrics {

/// What the charts are about: a Service or a Workload (Deployment name, as Istio's *_workload labels).
enum class TargetKind { Service, Workload };
/// Inbound = requests the target received (reporter="destination"); outbound = requests it sent (reporter="source").
enum class Direction { Inbound, Outbound };
/// How series are split.
enum class GroupBy { None, DestinationWorkload, DestinationVersion, DestinationService, SourceWorkload, ResponseCode };
/// Which failed requests an error rate counts.
enum class ErrorClass {
    ServerErrors, ///< 5xx and 0 (Envoy's code for a connection that failed before a response)
    ClientErrors, ///< 4xx
};

/// A Service or Workload in a namespace.
struct Target final
{
    TargetKind kind = TargetKind::Service;
    QString nameSpace;
    QString name;
    [[nodiscard]] bool isValid() const { return !nameSpace.isEmpty() && !name.isEmpty(); }
    bool operator==(const Target &) const = default;
};

/// The label a GroupBy splits on ("" for None).
QString groupLabel(GroupBy groupBy);
/// A human name of a series' group value for legends ("reviews-v2", "v2", "503", "unknown").
QString groupDisplayName(GroupBy groupBy, const QString &value);

/// The rate() window for a chart step: max(step, 4 x scrape interval), so every window holds >= 4 samples.
qint64 rateWindowSecs(qint64 stepSecs, qint64 scrapeIntervalSecs = 15);
/// "60s" for 60.
QString promDuration(qint64 seconds);
/// Escapes a value for a PromQL double-quoted label matcher.
QString escapeLabelValue(const QString &value);

/// Builds the Istio PromQL queries for one target and direction.
class IstioQueries final
{
public:
    IstioQueries(Target target, Direction direction);

    /// {reporter="destination",destination_service_name="S",destination_service_namespace="N"} and friends,
    /// with `extra` matchers (already formatted) appended.
    [[nodiscard]] QString selector(const QString &extra = {}) const;

    /// sum(rate(istio_requests_total{...}[w])) by (g), in requests per second.
    [[nodiscard]] QString requestRate(GroupBy groupBy, qint64 windowSecs) const;
    /// Share (0..1) of requests in `errors`; 0 (not absent) where there was traffic but no such error.
    [[nodiscard]] QString errorRate(ErrorClass errors, GroupBy groupBy, qint64 windowSecs) const;
    /// histogram_quantile(q, sum(rate(istio_request_duration_milliseconds_bucket{...}[w])) by (le, g)), in ms.
    [[nodiscard]] QString latencyQuantile(double quantile, GroupBy groupBy, qint64 windowSecs) const;
    /// Mean request duration in ms from _sum / _count.
    [[nodiscard]] QString latencyAverage(GroupBy groupBy, qint64 windowSecs) const;
    /// Bytes per second of TCP traffic: sent (istio_tcp_sent_bytes_total) or received.
    [[nodiscard]] QString tcpBytes(bool sent, GroupBy groupBy, qint64 windowSecs) const;

    /// Kiali's namespace graph edges: requests per second by source and destination workload and response code.
    static QString graphEdges(const QString &nameSpace, qint64 windowSecs);
    /// Kiali's namespace graph TCP edges: bytes per second sent between workloads.
    static QString graphTcpEdges(const QString &nameSpace, qint64 windowSecs);

    [[nodiscard]] const Target &target() const { return m_target; }
    [[nodiscard]] Direction direction() const { return m_direction; }

private:
    [[nodiscard]] QString sumRate(const QString &metric, const QString &extra, const QString &by,
                                  qint64 windowSecs) const;

    Target m_target;
    Direction m_direction;
};

} // namespace orchestra::metrics
