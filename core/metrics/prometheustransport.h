#pragma once

#include "common/result.h"

#include <QByteArray>
#include <QObject>
#include <QString>
#include <QUrl>

#include <functional>

class QNetworkAccessManager;

namespace orchestra::metrics {

/// How the Prometheus HTTP API is reached: a direct URL, or the cluster's service proxy (implemented by kube).
class PrometheusTransport : public QObject
{
    Q_OBJECT
public:
    using Callback = std::function<void(orchestra::Result<QByteArray>)>;
    using QObject::QObject;

    /// GETs `pathAndQuery` (e.g. "/api/v1/query?query=up") relative to the Prometheus root. `done` runs later on
    /// this object's thread with the body of a 2xx answer, or an Error naming the endpoint and what to do; it is
    /// not called when `context` was destroyed meanwhile. Prometheus error bodies become prometheusError().
    virtual void get(const QString &pathAndQuery, QObject *context, Callback done) = 0;
    /// Where requests go, for messages and the UI ("http://127.0.0.1:9090", "service istio-system/prometheus:9090").
    [[nodiscard]] virtual QString describe() const = 0;

    void setTimeoutMs(int milliseconds) { m_timeoutMs = milliseconds; }
    [[nodiscard]] int timeoutMs() const { return m_timeoutMs; }

private:
    int m_timeoutMs = 30000;
};

/// Talks to Prometheus at a URL the user entered (port-forward, ingress, a local Prometheus).
class DirectPrometheusTransport final : public PrometheusTransport
{
    Q_OBJECT
public:
    explicit DirectPrometheusTransport(QUrl baseUrl, QObject *parent = nullptr);

    void get(const QString &pathAndQuery, QObject *context, Callback done) override;
    QString describe() const override;
    [[nodiscard]] QUrl baseUrl() const { return m_baseUrl; }
    /// The full URL for `pathAndQuery` (keeps a path prefix such as https://host/prometheus).
    [[nodiscard]] QUrl urlFor(const QString &pathAndQuery) const;

private:
    QUrl m_baseUrl;
    QNetworkAccessManager *m_network;
};

/// Joins a base URL (with an optional path prefix) and an API path with its query, keeping percent-encoding.
QUrl joinUrl(const QUrl &base, const QString &pathAndQuery);

} // namespace orchestra::metrics
