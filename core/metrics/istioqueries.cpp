#include "metrics/istioqueries.h"

#include <algorithm>

namespace orchestra::metrics {

namespace {

QString byClause(const QString &labels)
{
    return labels.isEmpty() ? QString() : QStringLiteral(" by (%1)").arg(labels);
}

QString joinLabels(const QString &first, const QString &second)
{
    if (first.isEmpty())
        return second;
    if (second.isEmpty())
        return first;
    return first + QLatin1Char(',') + second;
}

} // namespace

QString groupLabel(GroupBy groupBy)
{
    switch (groupBy) {
    case GroupBy::None:
        return {};
    case GroupBy::DestinationWorkload:
        return QStringLiteral("destination_workload");
    case GroupBy::DestinationVersion:
        return QStringLiteral("destination_version");
    case GroupBy::DestinationService:
        return QStringLiteral("destination_service_name");
    case GroupBy::SourceWorkload:
        return QStringLiteral("source_workload");
    case GroupBy::ResponseCode:
        return QStringLiteral("response_code");
    }
    return {};
}

QString groupDisplayName(GroupBy groupBy, const QString &value)
{
    if (groupBy == GroupBy::None)
        return QStringLiteral("total");
    if (value.isEmpty())
        return QStringLiteral("unknown");
    if (groupBy == GroupBy::ResponseCode && value == QLatin1String("0"))
        return QStringLiteral("0 (no response)");
    return value;
}

qint64 rateWindowSecs(qint64 stepSecs, qint64 scrapeIntervalSecs)
{
    return std::max(stepSecs, 4 * scrapeIntervalSecs);
}

QString promDuration(qint64 seconds)
{
    return QString::number(seconds) + QLatin1Char('s');
}

QString escapeLabelValue(const QString &value)
{
    QString escaped = value;
    escaped.replace(QLatin1Char('\\'), QStringLiteral("\\\\"));
    escaped.replace(QLatin1Char('"'), QStringLiteral("\\\""));
    escaped.replace(QLatin1Char('\n'), QStringLiteral("\\n"));
    return escaped;
}

IstioQueries::IstioQueries(Target target, Direction direction)
    : m_target(std::move(target))
    , m_direction(direction)
{}

QString IstioQueries::selector(const QString &extra) const
{
    const QString ns = escapeLabelValue(m_target.nameSpace);
    const QString name = escapeLabelValue(m_target.name);
    QString matchers;
    if (m_direction == Direction::Inbound) {
        matchers = m_target.kind == TargetKind::Service
                       ? QStringLiteral("reporter=\"destination\",destination_service_name=\"%1\","
                                        "destination_service_namespace=\"%2\"")
                       : QStringLiteral("reporter=\"destination\",destination_workload=\"%1\","
                                        "destination_workload_namespace=\"%2\"");
    } else {
        // A Service sends nothing itself; its outbound traffic is what its workloads (the canonical service named
        // like it, as Istio labels them from app=) send.
        matchers = m_target.kind == TargetKind::Service
                       ? QStringLiteral("reporter=\"source\",source_canonical_service=\"%1\","
                                        "source_workload_namespace=\"%2\"")
                       : QStringLiteral("reporter=\"source\",source_workload=\"%1\",source_workload_namespace=\"%2\"");
    }
    matchers = matchers.arg(name, ns);
    if (!extra.isEmpty())
        matchers += QLatin1Char(',') + extra;
    return QLatin1Char('{') + matchers + QLatin1Char('}');
}

QString IstioQueries::sumRate(const QString &metric, const QString &extra, const QString &by, qint64 windowSecs) const
{
    return QStringLiteral("sum(rate(%1%2[%3]))%4").arg(metric, selector(extra), promDuration(windowSecs), byClause(by));
}

QString IstioQueries::requestRate(GroupBy groupBy, qint64 windowSecs) const
{
    return sumRate(QStringLiteral("istio_requests_total"), {}, groupLabel(groupBy), windowSecs);
}

QString IstioQueries::errorRate(ErrorClass errors, GroupBy groupBy, qint64 windowSecs) const
{
    const QString matcher = errors == ErrorClass::ServerErrors ? QStringLiteral("response_code=~\"5..|0\"")
                                                               : QStringLiteral("response_code=~\"4..\"");
    const QString by = groupLabel(groupBy);
    const QString total = sumRate(QStringLiteral("istio_requests_total"), {}, by, windowSecs);
    const QString failed = sumRate(QStringLiteral("istio_requests_total"), matcher, by, windowSecs);
    // `or total * 0` keeps groups that had traffic but no errors at 0 instead of dropping them.
    return QStringLiteral("(%1 or %2 * 0) / %2").arg(failed, total);
}

QString IstioQueries::latencyQuantile(double quantile, GroupBy groupBy, qint64 windowSecs) const
{
    return QStringLiteral("histogram_quantile(%1, %2)")
        .arg(QString::number(quantile, 'g', 4),
             sumRate(QStringLiteral("istio_request_duration_milliseconds_bucket"), {},
                     joinLabels(QStringLiteral("le"), groupLabel(groupBy)), windowSecs));
}

QString IstioQueries::latencyAverage(GroupBy groupBy, qint64 windowSecs) const
{
    const QString by = groupLabel(groupBy);
    return QStringLiteral("%1 / %2").arg(
        sumRate(QStringLiteral("istio_request_duration_milliseconds_sum"), {}, by, windowSecs),
        sumRate(QStringLiteral("istio_request_duration_milliseconds_count"), {}, by, windowSecs));
}

QString IstioQueries::tcpBytes(bool sent, GroupBy groupBy, qint64 windowSecs) const
{
    return sumRate(sent ? QStringLiteral("istio_tcp_sent_bytes_total")
                        : QStringLiteral("istio_tcp_received_bytes_total"),
                   {}, groupLabel(groupBy), windowSecs);
}

QString IstioQueries::graphEdges(const QString &nameSpace, qint64 windowSecs)
{
    return QStringLiteral("sum(rate(istio_requests_total{reporter=\"destination\",destination_workload_namespace="
                          "\"%1\"}[%2])) by (source_workload_namespace,source_workload,destination_service_name,"
                          "destination_workload,response_code) > 0")
        .arg(escapeLabelValue(nameSpace), promDuration(windowSecs));
}

QString IstioQueries::graphTcpEdges(const QString &nameSpace, qint64 windowSecs)
{
    return QStringLiteral("sum(rate(istio_tcp_sent_bytes_total{reporter=\"destination\",destination_workload_namespace="
                          "\"%1\"}[%2])) by (source_workload_namespace,source_workload,destination_service_name,"
                          "destination_workload) > 0")
        .arg(escapeLabelValue(nameSpace), promDuration(windowSecs));
}

} // namespace orchestra::metrics
