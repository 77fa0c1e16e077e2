#pragma once

#include "common/result.h"
#include "kubeconfig/httpsproxyrelay.h"

#include <QList>
#include <QNetworkProxy>
#include <QNetworkRequest>
#include <QObject>
#include <QSslCertificate>
#include <QSslKey>
#include <QString>
#include <QUrl>

#include <functional>
#include <memory>

namespace orchestra::kubeconfig {

/// Async credentials for one (user, cluster): static token/tokenFile/basic/client cert, or an exec plugin.
class Credentials : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    /// Makes credentials ready (runs an exec plugin off the GUI thread when its cached result is missing or
    /// expiring), then calls `done` on `context`'s thread.
    virtual void ensureReady(QObject *context, std::function<void(orchestra::Result<void>)> done) = 0;
    /// Adds Authorization and Impersonate-* headers (only after ensureReady succeeded).
    virtual void apply(QNetworkRequest &request) const = 0;
    /// The server answered 401: forget cached exec/tokenFile credentials. Returns true when re-running could help
    /// (exec plugin, tokenFile), so the caller retries once.
    virtual bool invalidate() = 0;
    /// Client certificate + key to present (from the kubeconfig or the exec plugin), may be null.
    virtual QSslCertificate clientCertificate() const = 0;
    virtual QSslKey clientKey() const = 0;
    /// Who we authenticate as, for messages ("token", "client certificate CN=minikube-user", "exec plugin
    /// gke-gcloud-auth-plugin"); never contains a secret.
    virtual QString describe() const { return {}; }
};

/// Everything needed to talk to one cluster as one user, resolved from a kubeconfig context.
struct RestConfig
{
    QString contextName, clusterName, userName;
    QString defaultNamespace;              // context namespace, "default" when empty
    QUrl server;                           // e.g. https://127.0.0.1:6443 or https://rancher/k8s/clusters/c-xxx
    QList<QSslCertificate> caCertificates; // empty = system CAs
    bool insecureSkipTlsVerify = false;
    QString tlsServerName; // SNI + verification name, empty = host of server
    /// The proxy from proxy-url or HTTPS_PROXY/HTTP_PROXY (http, https or socks5; empty = direct). It may carry
    /// user info: never print it, use proxyName().
    QUrl proxyUrl;
    std::shared_ptr<HttpsProxyRelay> proxyRelay; // set for https:// proxies, shared by copies of this config
    std::shared_ptr<Credentials> credentials;
    bool disableCompression = false; // cluster's disable-compression: ask for identity encoding

    /// What a QNetworkAccessManager must use to reach the server: NoProxy, the http/socks5 proxy, or the loopback
    /// relay that speaks TLS to an https proxy.
    QNetworkProxy networkProxy() const;
    /// The proxy as "scheme://host:port" for messages (no user info), empty when direct.
    QString proxyName() const;
    /// What went wrong between the relay and an https proxy, empty otherwise (see HttpsProxyRelay::lastError).
    QString proxyFailure() const;

    /// The server URL joined with an API path such as "/api/v1/pods?limit=500" (keeps the server's path prefix).
    QUrl url(const QString &pathAndQuery) const;
    /// A request for that path with TLS configured (CA-only trust when CAs are given, client cert/key, peer verify
    /// name); headers from credentials are NOT yet applied.
    QNetworkRequest request(const QString &pathAndQuery) const;
};

} // namespace orchestra::kubeconfig
