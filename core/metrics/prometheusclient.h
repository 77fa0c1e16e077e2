#pragma once

#include "metrics/prometheustransport.h"
#include "metrics/timeseries.h"

#include <QDateTime>
#include <QPointer>

#include <functional>

namespace orchestra::metrics {

/// Prometheus' HTTP API (query, query_range, label values, series) over a PrometheusTransport. Asynchronous:
/// every callback runs later on the GUI thread and is skipped when its `context` was destroyed.
class PrometheusClient final
{
public:
    template<typename T>
    using Callback = std::function<void(orchestra::Result<T>)>;

    explicit PrometheusClient(PrometheusTransport *transport);

    [[nodiscard]] PrometheusTransport *transport() const { return m_transport; }

    /// GET /api/v1/query: the instant value of `promql` at `time` (now when invalid).
    void query(const QString &promql, const QDateTime &time, QObject *context, Callback<QueryResult> done) const;
    /// GET /api/v1/query_range over `range`.
    void queryRange(const QString &promql, const TimeRange &range, QObject *context, Callback<QueryResult> done) const;
    /// GET /api/v1/label/<label>/values, optionally restricted by series selectors (`match[]`).
    void labelValues(const QString &label, const QStringList &matchers, QObject *context,
                     Callback<QStringList> done) const;
    /// GET /api/v1/series for `matchers` between start and end.
    void series(const QStringList &matchers, const QDateTime &start, const QDateTime &end, QObject *context,
                Callback<QList<Labels>> done) const;

    /// The request path of a query (percent-encoded), for tests and logs.
    static QString queryPath(const QString &promql, const QDateTime &time);
    static QString queryRangePath(const QString &promql, const TimeRange &range);

private:
    QPointer<PrometheusTransport> m_transport;
};

} // namespace orchestra::metrics
