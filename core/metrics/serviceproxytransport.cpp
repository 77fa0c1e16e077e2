#include "metrics/serviceproxytransport.h"

#include "kubeconfig/connectioncheck.h"
#include "metrics/timeseries.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QPointer>
#include <QTimer>

#include <memory>

namespace orchestra::metrics {

namespace {

bool isPrometheusLabelled(const QJsonObject &labels)
{
    return labels.value(QStringLiteral("app")).toString() == QLatin1String("prometheus") ||
           labels.value(QStringLiteral("app.kubernetes.io/name")).toString() == QLatin1String("prometheus");
}

QJsonObject statusObject(const QByteArray &body)
{
    const QJsonObject object = QJsonDocument::fromJson(body).object();
    return object.value(QStringLiteral("kind")).toString() == QLatin1String("Status") ? object : QJsonObject();
}

} // namespace

QString PrometheusService::proxyPath() const
{
    const QString target =
        (scheme.isEmpty() ? QString() : scheme + QLatin1Char(':')) + name + QLatin1Char(':') + QString::number(port);
    return QStringLiteral("/api/v1/namespaces/%1/services/%2/proxy").arg(nameSpace, target);
}

QString PrometheusService::describe() const
{
    return QStringLiteral("service %1/%2:%3").arg(nameSpace, name).arg(port);
}

std::optional<PrometheusService> findPrometheusService(const QJsonObject &serviceList)
{
    const QJsonArray items = serviceList.value(QStringLiteral("items")).toArray();
    QJsonObject chosen;
    for (const QJsonValue &item : items) {
        const QJsonObject metadata = item.toObject().value(QStringLiteral("metadata")).toObject();
        if (metadata.value(QStringLiteral("name")).toString() == QLatin1String("prometheus")) {
            chosen = item.toObject();
            break;
        }
        if (chosen.isEmpty() && isPrometheusLabelled(metadata.value(QStringLiteral("labels")).toObject()))
            chosen = item.toObject();
    }
    if (chosen.isEmpty())
        return std::nullopt;
    const QJsonObject metadata = chosen.value(QStringLiteral("metadata")).toObject();
    PrometheusService service;
    service.nameSpace = metadata.value(QStringLiteral("namespace")).toString();
    service.name = metadata.value(QStringLiteral("name")).toString();
    const QJsonArray ports = chosen.value(QStringLiteral("spec")).toObject().value(QStringLiteral("ports")).toArray();
    int byName = 0, byNumber = 0;
    for (const QJsonValue &value : ports) {
        const QJsonObject port = value.toObject();
        const QString name = port.value(QStringLiteral("name")).toString();
        const int number = port.value(QStringLiteral("port")).toInt();
        if (!byName && (name == QLatin1String("http") || name == QLatin1String("http-prometheus") ||
                        name == QLatin1String("web") || name == QLatin1String("http-web")))
            byName = number;
        if (number == 9090)
            byNumber = number;
    }
    service.port = byName            ? byName
                   : byNumber        ? byNumber
                   : ports.isEmpty() ? 9090
                                     : ports.first().toObject().value(QStringLiteral("port")).toInt();
    return service;
}

std::optional<Error> describeServiceProxyFailure(const PrometheusService &service, int httpStatus,
                                                 const QByteArray &body, const QString &contextName)
{
    if (httpStatus >= 200 && httpStatus < 300)
        return std::nullopt;
    // Prometheus' own errors (bad query, query timeout) come back through the proxy unchanged.
    if (auto error = prometheusError(body, httpStatus)) {
        error->location = service.describe();
        return error;
    }
    const QJsonObject status = statusObject(body);
    const QString message = status.value(QStringLiteral("message")).toString();
    const QString svc = QStringLiteral("%1/%2").arg(service.nameSpace, service.name);
    const QString where = contextName.isEmpty() ? service.describe() : contextName;
    if (httpStatus == 404 && !status.isEmpty())
        return Error{QStringLiteral("There is no Service %1 for Prometheus in this cluster (%2).")
                         .arg(svc, message.isEmpty() ? QStringLiteral("404 Not Found") : message),
                     QStringLiteral("Install Istio's Prometheus add-on (`kubectl apply -f "
                                    "samples/addons/prometheus.yaml` from the Istio release), or set the namespace, "
                                    "Service and port of your Prometheus, or enter its URL."),
                     where, 404};
    if (httpStatus == 503 && (status.isEmpty() || message.contains(QLatin1String("endpoints")) ||
                              message.contains(QLatin1String("error trying to reach"))))
        return Error{QStringLiteral("The Prometheus Service %1 has no ready pod behind it: %2")
                         .arg(svc, message.isEmpty() ? QStringLiteral("503 Service Unavailable") : message),
                     QStringLiteral("Check the Prometheus pod: `kubectl -n %1 get pods -l app=prometheus` and its "
                                    "events; it may still be starting.")
                         .arg(service.nameSpace),
                     where, 503};
    if (httpStatus == 403)
        return Error{QStringLiteral("Not allowed to reach Prometheus through the API server: %1")
                         .arg(message.isEmpty() ? QStringLiteral("403 Forbidden") : message),
                     QStringLiteral("This needs `get` on services/proxy in namespace %1; ask the cluster's "
                                    "administrator for it, or port-forward Prometheus and enter its URL.")
                         .arg(service.nameSpace),
                     where, 403};
    if (httpStatus == 401)
        return Error{QStringLiteral("The API server rejected the credentials (401 Unauthorized)."),
                     QStringLiteral("Log in again or get a new kubeconfig."), where, 401};
    return Error{QStringLiteral("The API server answered HTTP %1 for Prometheus' %2%3")
                     .arg(httpStatus)
                     .arg(service.describe(), message.isEmpty() ? QStringLiteral(".") : QStringLiteral(": ") + message),
                 {},
                 where,
                 httpStatus};
}

ServiceProxyPrometheusTransport::ServiceProxyPrometheusTransport(kubeconfig::RestConfig config,
                                                                 PrometheusService service, QObject *parent)
    : PrometheusTransport(parent)
    , m_config(std::move(config))
    , m_service(std::move(service))
    , m_network(new QNetworkAccessManager(this))
{
    m_network->setProxy(m_config.networkProxy());
}

QString ServiceProxyPrometheusTransport::describe() const
{
    return m_config.contextName.isEmpty()
               ? m_service.describe()
               : QStringLiteral("%1 in context %2").arg(m_service.describe(), m_config.contextName);
}

void ServiceProxyPrometheusTransport::send(const QString &apiPath, bool retried, QObject *context, RawCallback done)
{
    QPointer<QObject> guard(context);
    const bool hadContext = context != nullptr;
    auto callback = std::make_shared<RawCallback>(std::move(done));
    auto issue = [this, apiPath, retried, guard, hadContext, callback]() {
        if (hadContext && guard.isNull())
            return;
        QNetworkRequest request = m_config.request(apiPath);
        if (m_config.credentials)
            m_config.credentials->apply(request);
        request.setRawHeader("Accept", "application/json");
        QNetworkReply *reply = m_network->get(request);
        auto sslErrors = std::make_shared<QList<QSslError>>();
        auto timedOut = std::make_shared<bool>(false);
        connect(reply, &QNetworkReply::sslErrors, this,
                [sslErrors](const QList<QSslError> &list) { *sslErrors += list; });
        auto *timer = new QTimer(reply);
        timer->setSingleShot(true);
        connect(timer, &QTimer::timeout, reply, [reply, timedOut] {
            *timedOut = true;
            reply->abort();
        });
        timer->start(timeoutMs());
        connect(reply, &QNetworkReply::finished, this,
                [this, reply, apiPath, retried, guard, hadContext, sslErrors, timedOut, callback] {
                    const RawCallback &done = *callback;
                    reply->deleteLater();
                    if (hadContext && guard.isNull())
                        return;
                    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
                    if (status == 401 && !retried && m_config.credentials && m_config.credentials->invalidate()) {
                        send(apiPath, true, guard.data(), done);
                        return;
                    }
                    const QByteArray body = reply->readAll();
                    if (*timedOut) {
                        done(0, {},
                             QStringLiteral("Prometheus (%1) did not answer within %2 s.")
                                 .arg(describe())
                                 .arg(timeoutMs() / 1000));
                        return;
                    }
                    if (status == 0) {
                        const auto problem = kubeconfig::describeReplyError(m_config, reply, *sslErrors, false);
                        done(0, {}, problem.second.toString());
                        return;
                    }
                    done(status, body, {});
                });
    };
    if (!m_config.credentials) {
        issue();
        return;
    }
    m_config.credentials->ensureReady(this, [issue, guard, hadContext, callback](orchestra::Result<void> ready) {
        if (!ready) {
            if (!(hadContext && guard.isNull()))
                (*callback)(0, {}, ready.error().toString());
            return;
        }
        issue();
    });
}

void ServiceProxyPrometheusTransport::get(const QString &pathAndQuery, QObject *context, Callback done)
{
    getWithDetection(pathAndQuery, context, std::move(done), m_autoDetect && !m_detectionTried);
}

void ServiceProxyPrometheusTransport::getWithDetection(const QString &pathAndQuery, QObject *context, Callback done,
                                                       bool mayDetect)
{
    const QString suffix = pathAndQuery.startsWith(QLatin1Char('/')) ? pathAndQuery : QLatin1Char('/') + pathAndQuery;
    const PrometheusService service = m_service;
    QPointer<QObject> guard(context);
    send(service.proxyPath() + suffix, false, context,
         [this, service, pathAndQuery, guard, mayDetect, done = std::move(done)](int status, const QByteArray &body,
                                                                                 const QString &failure) {
             if (!failure.isEmpty()) {
                 const bool timeout = status == 0 && failure.contains(QLatin1String("did not answer within"));
                 done(Error{failure,
                            timeout ? QStringLiteral("Check the Prometheus pod's load, or choose a shorter time range.")
                                    : QString(),
                            describe(), 0});
                 return;
             }
             auto error = describeServiceProxyFailure(service, status, body, m_config.contextName);
             if (!error) {
                 done(body);
                 return;
             }
             // The configured Service does not exist: look once for Prometheus under another name or port in the
             // same namespace (Helm charts name it prometheus-server, kube-prometheus prometheus-k8s, ...).
             if (error->code == 404 && mayDetect && !m_detectionTried) {
                 m_detectionTried = true;
                 detect(service.nameSpace, guard.data(),
                        [this, service, pathAndQuery, guard, error = *error,
                         done](orchestra::Result<PrometheusService> found) {
                            if (!found || (found->name == service.name && found->port == service.port)) {
                                done(error);
                                return;
                            }
                            getWithDetection(pathAndQuery, guard.data(), done, false);
                        });
                 return;
             }
             done(*error);
         });
}

void ServiceProxyPrometheusTransport::detect(const QString &nameSpace, QObject *context,
                                             std::function<void(orchestra::Result<PrometheusService>)> done)
{
    send(
        QStringLiteral("/api/v1/namespaces/%1/services").arg(nameSpace), false, context,
        [this, nameSpace, done = std::move(done)](int status, const QByteArray &body, const QString &failure) {
            if (!failure.isEmpty()) {
                done(Error{failure, {}, m_config.contextName, 0});
                return;
            }
            const QString message = statusObject(body).value(QStringLiteral("message")).toString();
            if (status == 403) {
                done(Error{
                    QStringLiteral("Not allowed to list Services in %1 to find Prometheus: %2").arg(nameSpace, message),
                    QStringLiteral("Set Prometheus' namespace, Service and port yourself, or enter its URL."),
                    m_config.contextName, 403});
                return;
            }
            if (status < 200 || status >= 300) {
                done(Error{QStringLiteral("Listing Services in %1 failed (HTTP %2): %3")
                               .arg(nameSpace)
                               .arg(status)
                               .arg(message),
                           {},
                           m_config.contextName,
                           status});
                return;
            }
            if (auto found = findPrometheusService(QJsonDocument::fromJson(body).object())) {
                m_service = *found;
                done(*found);
                return;
            }
            done(Error{QStringLiteral("No Prometheus Service in namespace %1.").arg(nameSpace),
                       QStringLiteral("Install Istio's Prometheus add-on (samples/addons/prometheus.yaml), or set "
                                      "the namespace and Service of your Prometheus, or enter its URL."),
                       m_config.contextName, 404});
        });
}

} // namespace orchestra::metrics
