#include "metrics/prometheustransport.h"

#include "metrics/timeseries.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPointer>
#include <QTimer>

#include <memory>

namespace orchestra::metrics {

QUrl joinUrl(const QUrl &base, const QString &pathAndQuery)
{
    QString prefix = base.toString(QUrl::RemoveQuery | QUrl::RemoveFragment | QUrl::FullyEncoded);
    while (prefix.endsWith(QLatin1Char('/')))
        prefix.chop(1);
    const QString suffix = pathAndQuery.startsWith(QLatin1Char('/')) ? pathAndQuery : QLatin1Char('/') + pathAndQuery;
    return QUrl::fromEncoded((prefix + suffix).toUtf8(), QUrl::StrictMode);
}

DirectPrometheusTransport::DirectPrometheusTransport(QUrl baseUrl, QObject *parent)
    : PrometheusTransport(parent)
    , m_baseUrl(std::move(baseUrl))
    , m_network(new QNetworkAccessManager(this))
{}

QString DirectPrometheusTransport::describe() const
{
    return m_baseUrl.toString(QUrl::RemoveUserInfo);
}

QUrl DirectPrometheusTransport::urlFor(const QString &pathAndQuery) const
{
    return joinUrl(m_baseUrl, pathAndQuery);
}

void DirectPrometheusTransport::get(const QString &pathAndQuery, QObject *context, Callback done)
{
    QNetworkRequest request(urlFor(pathAndQuery));
    request.setRawHeader("Accept", "application/json");
    QNetworkReply *reply = m_network->get(request);
    auto timedOut = std::make_shared<bool>(false);
    auto *timer = new QTimer(reply);
    timer->setSingleShot(true);
    connect(timer, &QTimer::timeout, reply, [reply, timedOut] {
        *timedOut = true;
        reply->abort();
    });
    timer->start(timeoutMs());
    QPointer<QObject> guard(context);
    const bool hadContext = context != nullptr;
    connect(reply, &QNetworkReply::finished, this, [this, reply, timedOut, guard, hadContext, done = std::move(done)] {
        reply->deleteLater();
        if (hadContext && guard.isNull())
            return;
        const QString where = describe();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QByteArray body = reply->readAll();
        if (*timedOut) {
            done(Error{
                QStringLiteral("Prometheus at %1 did not answer within %2 s.").arg(where).arg(timeoutMs() / 1000),
                QStringLiteral("Check that the address is reachable, or choose a shorter time range."), where, 0});
            return;
        }
        if (status >= 200 && status < 300) {
            done(body);
            return;
        }
        if (auto error = prometheusError(body, status)) {
            error->location = where;
            done(*error);
            return;
        }
        if (status != 0) {
            done(Error{QStringLiteral("Prometheus at %1 answered HTTP %2 for %3.")
                           .arg(where)
                           .arg(status)
                           .arg(reply->url().path()),
                       status == 404 ? QStringLiteral("Check the URL: it must be Prometheus' root (the page with "
                                                      "/graph), including any path prefix.")
                                     : QString(),
                       where, status});
            return;
        }
        QString hint = QStringLiteral("Check the address; for a cluster's Prometheus run `kubectl -n istio-system "
                                      "port-forward svc/prometheus 9090` or use the cluster connection instead.");
        done(Error{QStringLiteral("Cannot reach Prometheus at %1: %2").arg(where, reply->errorString()), hint, where,
                   0});
    });
}

} // namespace orchestra::metrics
