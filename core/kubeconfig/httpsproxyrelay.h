#pragma once

// Qt's QNetworkProxy speaks plain TCP to an HTTP proxy, so an https:// proxy-url (TLS to the proxy itself, then
// CONNECT through it) cannot be given to QNetworkAccessManager directly. HttpsProxyRelay is a small loopback HTTP
// proxy in its own thread: Qt connects to it in plain text, and every connection is relayed byte for byte over a
// TLS connection to the real proxy. The relay adds Proxy-Authorization from the proxy URL to CONNECT requests for
// the cluster's host, as Go's net/http (kubectl) does.

#include <QList>
#include <QNetworkProxy>
#include <QSslCertificate>
#include <QSslKey>
#include <QString>
#include <QUrl>

#include <memory>

namespace orchestra::kubeconfig {

/// How the TLS connection to the proxy is verified. kubectl (Go's net/http) uses the cluster's TLS settings for
/// the proxy too: only the cluster's certificate-authority is trusted when it has one (else the system CAs),
/// insecure-skip-tls-verify applies, tls-server-name replaces the proxy's host name in verification, and the client
/// certificate is presented to the proxy too.
struct ProxyTlsSettings
{
    QList<QSslCertificate> caCertificates; ///< empty = system CAs
    bool insecureSkipTlsVerify = false;
    QString serverName; ///< empty = the proxy's host
    /// The kubeconfig's client certificate, offered when the proxy asks for one (as kubectl does); an exec plugin's
    /// certificate is not known when the relay is made and is not offered.
    QSslCertificate clientCertificate;
    QSslKey clientKey;
};

class HttpsProxyRelay final
{
public:
    /// `proxy` is the https:// proxy URL (user info, if any, becomes Proxy-Authorization: Basic); `tunnelTarget`
    /// is the "host:port" CONNECT target credentials may be sent for (the cluster's API server). Nothing listens
    /// until networkProxy() is first called.
    HttpsProxyRelay(QUrl proxy, ProxyTlsSettings tls, QString tunnelTarget);
    ~HttpsProxyRelay();
    HttpsProxyRelay(const HttpsProxyRelay &) = delete;
    HttpsProxyRelay &operator=(const HttpsProxyRelay &) = delete;

    /// The loopback HTTP proxy to give QNetworkAccessManager (starts the relay on first use; thread-safe). When the
    /// relay cannot listen, a proxy on port 0 that fails at once (lastError() says why).
    QNetworkProxy networkProxy();
    /// Why the last relayed connection failed on the proxy side (TLS verification naming the certificate and
    /// host, DNS, refused, timeout), phrased to follow "the proxy X failed: " ("it refused the connection"); empty
    /// when none did. Never contains credentials.
    QString lastError() const;
    /// Connections relayed so far (for tests).
    int connectionCount() const;

private:
    class Private;
    std::unique_ptr<Private> d;
};

} // namespace orchestra::kubeconfig
