#include "metrics/serviceproxytransport.h"

#include "metrics/timeseries.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTimer>

namespace orchestra::metrics {

namespace {

bool isPrometheusLabelled(const QJsonObject &labels)
{
    return labels.value(QStringLiteral("app")).toString() == QLatin1String("prometheus") ||
           labels.value(QStringLiteral("app.kubernetes.io/name")).toString() == QLatin1String("prometheus");
}

/// Prometheus queries are idempotent GETs, so a throttled API server (429, or 5xx with Retry-After) may be asked
/// again; charts refresh on their own, though, so a couple of waits is enough before the error is shown.
constexpr int maxProxyRetries = 2;

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

ServiceProxyPrometheusTransport::ServiceProxyPrometheusTransport(kube::ApiClient *client, PrometheusService service,
                                                                 QObject *parent)
    : PrometheusTransport(parent)
    , m_client(client)
    , m_contextName(client ? client->config().contextName : QString())
    , m_service(std::move(service))
{}

QString ServiceProxyPrometheusTransport::describe() const
{
    return m_contextName.isEmpty() ? m_service.describe()
                                   : QStringLiteral("%1 in context %2").arg(m_service.describe(), m_contextName);
}

void ServiceProxyPrometheusTransport::send(const QString &apiPath, QObject *context, RawCallback done)
{
    QPointer<QObject> guard(context);
    const bool hadContext = context != nullptr;
    auto deliver = [guard, hadContext, done = std::move(done)](const kube::Response &response) {
        if (hadContext && guard.isNull())
            return;
        done(response);
    };
    if (!m_client) {
        kube::Response response;
        response.status = kube::Status::fromNetworkError(QStringLiteral("There is no connection to the cluster."));
        QTimer::singleShot(0, this, [deliver, response] { deliver(response); });
        return;
    }
    kube::Request request;
    request.path = apiPath;
    request.timeoutMs = timeoutMs();
    request.maxRetries = maxProxyRetries;
    // The transport is the client's context (nothing runs once it is gone); deliver checks the caller's.
    m_client->send(request, this, std::move(deliver));
}

Error ServiceProxyPrometheusTransport::noAnswerError(const kube::Response &response) const
{
    if (response.status && response.status->isTimeout())
        return Error{
            QStringLiteral("Prometheus (%1) did not answer within %2 s.").arg(describe()).arg(timeoutMs() / 1000),
            QStringLiteral("Check the Prometheus pod's load, or choose a shorter time range."), describe(), 0};
    // Unreachable API server, TLS trouble, or credentials that could not be made ready (code 401).
    return response.error(describe());
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
    send(service.proxyPath() + suffix, context,
         [this, service, pathAndQuery, guard, mayDetect, done = std::move(done)](const kube::Response &response) {
             // No answer at all: the API server's (or ApiClient's) account of why wins.
             if (response.httpStatus == 0) {
                 done(noAnswerError(response));
                 return;
             }
             // An answer: the service proxy's own account (it reads the raw body) beats the generic Status.
             auto error = describeServiceProxyFailure(service, response.httpStatus, response.body, m_contextName);
             if (!error) {
                 done(response.body);
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
        QStringLiteral("/api/v1/namespaces/%1/services").arg(nameSpace), context,
        [this, nameSpace, done = std::move(done)](const kube::Response &response) {
            if (response.httpStatus == 0) {
                done(response.error(m_contextName));
                return;
            }
            const int status = response.httpStatus;
            const QByteArray &body = response.body;
            const QString message = statusObject(body).value(QStringLiteral("message")).toString();
            if (status == 403) {
                done(Error{
                    QStringLiteral("Not allowed to list Services in %1 to find Prometheus: %2").arg(nameSpace, message),
                    QStringLiteral("Set Prometheus' namespace, Service and port yourself, or enter its URL."),
                    m_contextName, 403});
                return;
            }
            if (status < 200 || status >= 300) {
                done(Error{QStringLiteral("Listing Services in %1 failed (HTTP %2): %3")
                               .arg(nameSpace)
                               .arg(status)
                               .arg(message),
                           {},
                           m_contextName,
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
                       m_contextName, 404});
        });
}

} // namespace orchestra::metrics
