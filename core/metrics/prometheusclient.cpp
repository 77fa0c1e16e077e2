#include "metrics/prometheusclient.h"

#include <QUrl>

namespace orchestra::metrics {

namespace {

QString encode(const QString &value)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(value));
}

QString seconds(const QDateTime &time)
{
    return QString::number(double(time.toMSecsSinceEpoch()) / 1000.0, 'f', 3);
}

Error noTransport()
{
    return Error{QStringLiteral("No Prometheus is configured."),
                 QStringLiteral("Connect to a cluster with Istio's Prometheus add-on, or enter a Prometheus URL."),
                 {},
                 0};
}

} // namespace

PrometheusClient::PrometheusClient(PrometheusTransport *transport)
    : m_transport(transport)
{}

QString PrometheusClient::queryPath(const QString &promql, const QDateTime &time)
{
    QString path = QStringLiteral("/api/v1/query?query=") + encode(promql);
    if (time.isValid())
        path += QStringLiteral("&time=") + seconds(time);
    return path;
}

QString PrometheusClient::queryRangePath(const QString &promql, const TimeRange &range)
{
    // Concatenated, not arg(): the encoded query is full of "%28"-like sequences arg() would treat as markers.
    return QStringLiteral("/api/v1/query_range?query=") + encode(promql) + QStringLiteral("&start=") +
           seconds(range.start()) + QStringLiteral("&end=") + seconds(range.end) + QStringLiteral("&step=") +
           QString::number(range.stepSecs);
}

void PrometheusClient::query(const QString &promql, const QDateTime &time, QObject *context,
                             Callback<QueryResult> done) const
{
    if (!m_transport)
        return done(noTransport());
    m_transport->get(queryPath(promql, time), context, [done = std::move(done)](Result<QByteArray> body) {
        if (!body)
            return done(body.error());
        done(parseQueryResponse(*body));
    });
}

void PrometheusClient::queryRange(const QString &promql, const TimeRange &range, QObject *context,
                                  Callback<QueryResult> done) const
{
    if (!m_transport)
        return done(noTransport());
    m_transport->get(queryRangePath(promql, range), context, [done = std::move(done)](Result<QByteArray> body) {
        if (!body)
            return done(body.error());
        done(parseQueryResponse(*body));
    });
}

void PrometheusClient::labelValues(const QString &label, const QStringList &matchers, QObject *context,
                                   Callback<QStringList> done) const
{
    if (!m_transport)
        return done(noTransport());
    QString path = QStringLiteral("/api/v1/label/%1/values").arg(encode(label));
    QChar separator = QLatin1Char('?');
    for (const QString &matcher : matchers) {
        path += separator + QStringLiteral("match%5B%5D=") + encode(matcher);
        separator = QLatin1Char('&');
    }
    m_transport->get(path, context, [done = std::move(done)](Result<QByteArray> body) {
        if (!body)
            return done(body.error());
        done(parseLabelValuesResponse(*body));
    });
}

void PrometheusClient::series(const QStringList &matchers, const QDateTime &start, const QDateTime &end,
                              QObject *context, Callback<QList<Labels>> done) const
{
    if (!m_transport)
        return done(noTransport());
    QString path = QStringLiteral("/api/v1/series?start=%1&end=%2").arg(seconds(start), seconds(end));
    for (const QString &matcher : matchers)
        path += QStringLiteral("&match%5B%5D=") + encode(matcher);
    m_transport->get(path, context, [done = std::move(done)](Result<QByteArray> body) {
        if (!body)
            return done(body.error());
        done(parseSeriesResponse(*body));
    });
}

} // namespace orchestra::metrics
