#pragma once

#include "kube/apiclient.h"
#include "metrics/prometheustransport.h"

#include <QJsonObject>
#include <QPointer>

#include <optional>

namespace orchestra::metrics {

/// A Service that serves Prometheus, addressed through the API server's service proxy.
struct PrometheusService final
{
    QString nameSpace = QStringLiteral("istio-system");
    QString name = QStringLiteral("prometheus");
    int port = 9090;
    QString scheme; ///< "" (http) or "https"

    /// "/api/v1/namespaces/<ns>/services/[https:]<name>:<port>/proxy"
    [[nodiscard]] QString proxyPath() const;
    [[nodiscard]] QString describe() const;
};

/// Picks the Prometheus Service from a ServiceList (JSON): name "prometheus", else labels app=prometheus or
/// app.kubernetes.io/name=prometheus; the port named http/http-prometheus/web, else 9090, else the first one.
std::optional<PrometheusService> findPrometheusService(const QJsonObject &serviceList);

/// The Error for a failed service-proxy answer (404 no such Service, 503 no endpoints, 403 no services/proxy
/// permission, Prometheus' own error bodies), or nullopt for 2xx. `body` is the answer's body.
std::optional<Error> describeServiceProxyFailure(const PrometheusService &service, int httpStatus,
                                                 const QByteArray &body, const QString &contextName);

/// Reaches Prometheus through GET <server>/api/v1/namespaces/<ns>/services/<svc>:<port>/proxy/... on a
/// kube::ApiClient, which brings credentials (exec plugins, the 401 re-authentication), TLS, proxy and timeouts.
class ServiceProxyPrometheusTransport final : public PrometheusTransport
{
    Q_OBJECT
public:
    /// `client` is not owned. Requests pending when it is destroyed are dropped; later ones fail with an Error.
    ServiceProxyPrometheusTransport(kube::ApiClient *client, PrometheusService service, QObject *parent = nullptr);

    void get(const QString &pathAndQuery, QObject *context, Callback done) override;
    QString describe() const override;
    [[nodiscard]] PrometheusService service() const { return m_service; }
    void setService(const PrometheusService &service) { m_service = service; }

    /// Lists Services in `nameSpace` and picks Prometheus (findPrometheusService); `done` gets the Service or an
    /// Error saying none was found there.
    void detect(const QString &nameSpace, QObject *context,
                std::function<void(orchestra::Result<PrometheusService>)> done);

    /// When the configured Service answers 404, detect() once in its namespace and retry with what it finds
    /// (on by default).
    void setAutoDetect(bool enabled) { m_autoDetect = enabled; }

private:
    using RawCallback = std::function<void(const kube::Response &)>;
    void send(const QString &apiPath, QObject *context, RawCallback done);
    void getWithDetection(const QString &pathAndQuery, QObject *context, Callback done, bool mayDetect);
    /// The Error for an exchange without an HTTP answer (timeout, unreachable, credentials not ready).
    [[nodiscard]] Error noAnswerError(const kube::Response &response) const;

    QPointer<kube::ApiClient> m_client;
    QString m_contextName; ///< the client's context, for messages
    PrometheusService m_service;
    bool m_autoDetect = true;
    bool m_detectionTried = false;
};

} // namespace orchestra::metrics
