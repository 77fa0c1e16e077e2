#include "metrics/istiometrics.h"

#include <cmath>
#include <memory>

namespace orchestra::metrics {

bool TrafficData::hasTraffic() const
{
    for (const QList<TimeSeries> *list : {&requestRate, &tcpSent, &tcpReceived})
        for (const TimeSeries &series : *list)
            for (const Sample &sample : series.samples)
                if (std::isfinite(sample.value) && sample.value > 0)
                    return true;
    return false;
}

IstioMetrics::IstioMetrics(PrometheusTransport *transport, QObject *parent)
    : QObject(parent)
    , m_client(transport)
{}

void IstioMetrics::fetchTraffic(const TrafficRequest &request, QObject *context,
                                std::function<void(orchestra::Result<TrafficData>)> done)
{
    struct Pending
    {
        TrafficData data;
        int remaining = 0;
        std::optional<Error> error;
        std::function<void(orchestra::Result<TrafficData>)> done;
    };
    auto pending = std::make_shared<Pending>();
    pending->data.request = request;
    pending->done = std::move(done);
    const qint64 window = rateWindowSecs(request.range.stepSecs, request.scrapeIntervalSecs);
    pending->data.rateWindowSecs = window;
    const IstioQueries queries(request.target, request.direction);
    TrafficData &data = pending->data;
    const QList<QPair<QString, QList<TimeSeries> *>> jobs = {
        {queries.requestRate(request.groupBy, window), &data.requestRate},
        {queries.errorRate(ErrorClass::ServerErrors, request.groupBy, window), &data.serverErrors},
        {queries.errorRate(ErrorClass::ClientErrors, request.groupBy, window), &data.clientErrors},
        {queries.latencyQuantile(0.5, request.latencyGroupBy, window), &data.latencyP50},
        {queries.latencyQuantile(0.95, request.latencyGroupBy, window), &data.latencyP95},
        {queries.latencyQuantile(0.99, request.latencyGroupBy, window), &data.latencyP99},
        {queries.latencyAverage(request.latencyGroupBy, window), &data.latencyAverage},
        {queries.tcpBytes(true, request.groupBy, window), &data.tcpSent},
        {queries.tcpBytes(false, request.groupBy, window), &data.tcpReceived},
    };
    pending->remaining = int(jobs.size());
    for (const auto &job : jobs) {
        QList<TimeSeries> *target = job.second;
        m_client.queryRange(job.first, request.range, context, [pending, target](Result<QueryResult> result) {
            if (result) {
                *target = result->series;
                pending->data.warnings += result->warnings;
            } else if (!pending->error) {
                pending->error = result.error();
            }
            if (--pending->remaining > 0)
                return;
            if (pending->error)
                pending->done(*pending->error);
            else
                pending->done(std::move(pending->data));
        });
    }
}

void IstioMetrics::fetchGraph(const QString &nameSpace, qint64 windowSecs, const QDateTime &at, QObject *context,
                              std::function<void(orchestra::Result<ServiceGraph>)> done)
{
    m_client.query(IstioQueries::graphEdges(nameSpace, windowSecs), at, context,
                   [nameSpace, windowSecs, done = std::move(done)](Result<QueryResult> result) {
                       if (!result)
                           return done(result.error());
                       done(buildServiceGraph(*result, nameSpace, windowSecs));
                   });
}

void IstioMetrics::fetchMeshNamespaces(QObject *context, std::function<void(orchestra::Result<QStringList>)> done)
{
    m_client.labelValues(QStringLiteral("destination_workload_namespace"), {QStringLiteral("istio_requests_total")},
                         context, [done = std::move(done)](Result<QStringList> result) {
                             if (!result)
                                 return done(result.error());
                             QStringList names = *result;
                             names.removeAll(QStringLiteral("unknown"));
                             names.sort();
                             done(names);
                         });
}

} // namespace orchestra::metrics
