#pragma once

// A bookinfo-like Istio mesh as a deterministic model: constant request rates per edge and response code, latency
// histograms whose bucket shares change halfway through, TCP bytes to a database. It writes OpenMetrics text for
// `promtool tsdb create-blocks-from openmetrics` and computes what each Istio query must return, so tests compare
// Prometheus' numbers with the model's rather than with numbers copied from a run.

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QString>

#include <functional>

namespace orchestra::testing {

/// Istio's default request-duration buckets we emit (ms), +Inf implied.
const QList<double> &istioBuckets();

/// Share of requests per bucket (same order as istioBuckets(), summing to 1) plus the mean duration in ms.
struct LatencyProfile
{
    QList<double> shares;
    double meanMs = 0;
};

/// One client -> server hop; `codeRates` are requests per second by response code.
struct MeshEdge
{
    QString sourceWorkload, sourceNamespace, sourceApp, sourceVersion;
    QString destinationWorkload, destinationNamespace, destinationService, destinationApp, destinationVersion;
    QMap<QString, double> codeRates;
    LatencyProfile before, after;                  ///< before and after the model's midpoint
    bool tcp = false;                              ///< a TCP edge: bytes instead of requests
    double tcpSentBytes = 0, tcpReceivedBytes = 0; ///< bytes/s (server's view: sent = server -> client)

    [[nodiscard]] double totalRate() const;
};

/// The mesh and its time span; samples every `scrapeSecs` from start to end (Unix seconds).
class MeshModel
{
public:
    /// bookinfo in namespace `nameSpace`: ingress -> productpage -> details, reviews v1/v2/v3 -> ratings -> mongodb.
    static MeshModel bookinfo(qint64 endUnixSecs, qint64 durationSecs = 2 * 3600,
                              const QString &nameSpace = QStringLiteral("bookinfo"));

    QList<MeshEdge> edges;
    qint64 startSecs = 0, endSecs = 0, scrapeSecs = 15;
    qint64 changeSecs = 0; ///< when latency profiles switch from `before` to `after` (bookinfo: the midpoint)
    [[nodiscard]] qint64 midpointSecs() const { return changeSecs; }

    /// The whole data set as OpenMetrics text, `# EOF` terminated; both reporters for every edge.
    [[nodiscard]] QByteArray openMetrics() const;
    /// Writes it to `path`; false on I/O errors.
    bool writeOpenMetrics(const QString &path) const;

    /// Expected req/s over edges matching `filter`, by the value of `groupLabel` (or "" for all).
    [[nodiscard]] QMap<QString, double> requestRate(const std::function<bool(const MeshEdge &)> &filter,
                                                    const std::function<QString(const MeshEdge &)> &group) const;
    /// Expected share (0..1) of requests whose code matches `isError`.
    [[nodiscard]] QMap<QString, double> errorShare(const std::function<bool(const MeshEdge &)> &filter,
                                                   const std::function<QString(const MeshEdge &)> &group,
                                                   const std::function<bool(const QString &)> &isError) const;
    /// Expected histogram_quantile over the merged histograms of matching edges at time `atSecs`.
    [[nodiscard]] double latencyQuantile(double q, qint64 atSecs,
                                         const std::function<bool(const MeshEdge &)> &filter) const;
    /// Expected _sum/_count mean in ms.
    [[nodiscard]] double latencyAverage(qint64 atSecs, const std::function<bool(const MeshEdge &)> &filter) const;

    /// Prometheus' histogram_quantile on cumulative (upper bound, count) pairs ending with +Inf.
    static double histogramQuantile(double q, const QList<QPair<double, double>> &cumulative);
};

} // namespace orchestra::testing
