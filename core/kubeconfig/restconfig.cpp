#include "kubeconfig/restconfig.h"

#include <QSslConfiguration>
#include <QSslSocket>

namespace orchestra::kubeconfig {

QUrl RestConfig::url(const QString &pathAndQuery) const
{
    QUrl result = server;
    const qsizetype question = pathAndQuery.indexOf(QLatin1Char('?'));
    QString path = question < 0 ? pathAndQuery : pathAndQuery.left(question);
    // Rancher and other proxies serve the API below a prefix (/k8s/clusters/c-xxx); keep it.
    QString prefix = server.path();
    while (prefix.endsWith(QLatin1Char('/')))
        prefix.chop(1);
    if (!path.startsWith(QLatin1Char('/')))
        path.prepend(QLatin1Char('/'));
    result.setPath(prefix + path);
    if (question >= 0)
        result.setQuery(pathAndQuery.mid(question + 1));
    else
        result.setQuery(QString());
    result.setFragment(QString());
    return result;
}

QNetworkRequest RestConfig::request(const QString &pathAndQuery) const
{
    QNetworkRequest request(url(pathAndQuery));
    QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
    if (insecureSkipTlsVerify) {
        ssl.setPeerVerifyMode(QSslSocket::VerifyNone);
    } else if (!caCertificates.isEmpty()) {
        // kubectl trusts only the kubeconfig's CA for this cluster, not the system store.
        ssl.setCaCertificates(caCertificates);
    }
    if (credentials) {
        const QSslCertificate certificate = credentials->clientCertificate();
        const QSslKey key = credentials->clientKey();
        if (!certificate.isNull() && !key.isNull()) {
            ssl.setLocalCertificate(certificate);
            ssl.setPrivateKey(key);
        }
    }
    request.setSslConfiguration(ssl);
    if (!tlsServerName.isEmpty())
        request.setPeerVerifyName(tlsServerName);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    if (disableCompression)
        request.setRawHeader("Accept-Encoding", "identity"); // Qt would otherwise ask for gzip
    return request;
}

} // namespace orchestra::kubeconfig

#include "kubeconfig/credentials.h"
#include "kubeconfig/kubeconfig.h"

#include <QFile>
#include <QHostAddress>

#include <atomic>

namespace orchestra::kubeconfig {

namespace {

std::atomic<int> g_execTimeoutMs{30000};

Error contextError(const QString &contextName, const QString &message, const QString &hint)
{
    return Error{message, hint, contextName, 0};
}

/// Go's httpproxy no_proxy rules: "*", host names matching a suffix, IPs and CIDRs, optional ports.
bool bypassesProxy(const QUrl &server, const QString &noProxy)
{
    const QString host = server.host().toLower();
    const QHostAddress address(host);
    if (host == QLatin1String("localhost") || (!address.isNull() && address.isLoopback()))
        return true; // Go never proxies loopback
    for (QString entry : noProxy.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        entry = entry.trimmed().toLower();
        if (entry == QLatin1String("*"))
            return true;
        if (entry.contains(QLatin1Char('/'))) {
            const auto subnet = QHostAddress::parseSubnet(entry);
            if (!address.isNull() && subnet.first.protocol() != QAbstractSocket::UnknownNetworkLayerProtocol &&
                address.isInSubnet(subnet))
                return true;
            continue;
        }
        const qsizetype colon = entry.lastIndexOf(QLatin1Char(':'));
        if (colon > 0 && !entry.contains(QLatin1Char(']')) && entry.count(QLatin1Char(':')) == 1) {
            if (entry.mid(colon + 1).toInt() != server.port(server.scheme() == QLatin1String("http") ? 80 : 443))
                continue;
            entry = entry.left(colon);
        }
        if (entry.startsWith(QLatin1Char('.')))
            entry = entry.mid(1);
        if (host == entry || host.endsWith(QLatin1Char('.') + entry))
            return true;
    }
    return false;
}

Result<QNetworkProxy> proxyFromUrl(const QString &text, const QString &origin)
{
    QUrl url(text.contains(QStringLiteral("://")) ? text : QStringLiteral("http://") + text);
    const QString scheme = url.scheme().toLower();
    QNetworkProxy::ProxyType type = QNetworkProxy::NoProxy;
    if (scheme == QLatin1String("http"))
        type = QNetworkProxy::HttpProxy;
    else if (scheme == QLatin1String("socks5") || scheme == QLatin1String("socks5h"))
        type = QNetworkProxy::Socks5Proxy;
    else if (scheme == QLatin1String("https"))
        return Error{QStringLiteral("The proxy %1 (%2) uses https://, which Qt cannot speak to a proxy.")
                         .arg(url.toDisplayString(QUrl::RemoveUserInfo), origin),
                     QStringLiteral("Use an http:// or socks5:// proxy URL."),
                     {},
                     0};
    else
        return Error{QStringLiteral("The proxy URL %1 (%2) has an unsupported scheme \"%3\".")
                         .arg(url.toDisplayString(QUrl::RemoveUserInfo), origin, scheme),
                     QStringLiteral("Use http:// or socks5://."),
                     {},
                     0};
    if (url.host().isEmpty())
        return Error{QStringLiteral("The proxy URL (%1) has no host.").arg(origin), {}, {}, 0};
    QNetworkProxy proxy(type, url.host(), quint16(url.port(type == QNetworkProxy::Socks5Proxy ? 1080 : 80)),
                        url.userName(QUrl::FullyDecoded), url.password(QUrl::FullyDecoded));
    return proxy;
}

} // namespace

void setExecTimeoutMs(int milliseconds)
{
    g_execTimeoutMs = milliseconds;
}

int execTimeoutMs()
{
    return g_execTimeoutMs;
}

Result<RestConfig> restConfig(const Kubeconfig &config, const QString &contextName)
{
    const QString name = contextName.isEmpty() ? config.currentContext : contextName;
    if (name.isEmpty())
        return contextError(
            {}, QStringLiteral("No context selected: the kubeconfig has no current-context."),
            config.contexts.isEmpty()
                ? QStringLiteral("Add a cluster first (for example `minikube start`).")
                : QStringLiteral("Choose one of: %1.").arg(config.contextNames().join(QStringLiteral(", "))));
    const Context *context = config.context(name);
    if (!context)
        return contextError(
            name, QStringLiteral("Context \"%1\" was not found in the kubeconfig.").arg(name),
            config.contexts.isEmpty()
                ? QStringLiteral("The kubeconfig has no contexts.")
                : QStringLiteral("Choose one of: %1.").arg(config.contextNames().join(QStringLiteral(", "))));
    const Cluster *cluster = config.cluster(context->cluster);
    if (!cluster)
        return contextError(
            name,
            QStringLiteral("Context \"%1\" uses cluster \"%2\", which is not defined.").arg(name, context->cluster),
            QStringLiteral("Fix the context in %1.").arg(context->sourceFile));
    static const AuthInfo anonymous;
    const AuthInfo *user = context->user.isEmpty() ? &anonymous : config.user(context->user);
    if (!user)
        return contextError(
            name, QStringLiteral("Context \"%1\" uses user \"%2\", which is not defined.").arg(name, context->user),
            QStringLiteral("Fix the context in %1.").arg(context->sourceFile));

    RestConfig rest;
    rest.contextName = name;
    rest.clusterName = cluster->name;
    rest.userName = context->user;
    rest.defaultNamespace = context->nameSpace.isEmpty() ? QStringLiteral("default") : context->nameSpace;

    QString server = cluster->server;
    if (server.isEmpty())
        return contextError(
            name, QStringLiteral("Cluster \"%1\" has no server address.").arg(cluster->name),
            QStringLiteral("Add server: https://HOST:PORT to the cluster in %1.").arg(cluster->sourceFile));
    if (!server.contains(QStringLiteral("://")))
        server.prepend(QStringLiteral("https://"));
    rest.server = QUrl(server, QUrl::StrictMode);
    if (!rest.server.isValid() || rest.server.host().isEmpty() ||
        (rest.server.scheme() != QLatin1String("https") && rest.server.scheme() != QLatin1String("http")))
        return contextError(
            name,
            QStringLiteral("Cluster \"%1\" has an invalid server address \"%2\".").arg(cluster->name, cluster->server),
            QStringLiteral("Use https://HOST:PORT in %1.").arg(cluster->sourceFile));

    const bool hasCa = !cluster->certificateAuthorityData.isEmpty() || !cluster->certificateAuthority.isEmpty();
    if (hasCa && cluster->insecureSkipTlsVerify)
        return contextError(name,
                            QStringLiteral("Cluster \"%1\" sets both a certificate authority and "
                                           "insecure-skip-tls-verify, which kubectl rejects too.")
                                .arg(cluster->name),
                            QStringLiteral("Remove one of them in %1.").arg(cluster->sourceFile));
    rest.insecureSkipTlsVerify = cluster->insecureSkipTlsVerify;
    rest.tlsServerName = cluster->tlsServerName;
    rest.disableCompression = cluster->disableCompression;
    if (hasCa) {
        QByteArray pem = cluster->certificateAuthorityData;
        if (pem.isEmpty()) {
            QFile file(cluster->certificateAuthority);
            if (!file.open(QIODevice::ReadOnly))
                return contextError(name,
                                    QStringLiteral("The certificate authority file of cluster \"%1\" cannot be read: "
                                                   "%2 (%3).")
                                        .arg(cluster->name, cluster->certificateAuthority, file.errorString()),
                                    QStringLiteral("Check the path in %1.").arg(cluster->sourceFile));
            pem = file.readAll();
        }
        rest.caCertificates = QSslCertificate::fromData(pem, QSsl::Pem);
        if (rest.caCertificates.isEmpty())
            return contextError(
                name,
                QStringLiteral("The certificate authority of cluster \"%1\" contains no PEM certificate.")
                    .arg(cluster->name),
                QStringLiteral("Check certificate-authority(-data) in %1.").arg(cluster->sourceFile));
    }

    if (!cluster->proxyUrl.isEmpty()) {
        auto proxy = proxyFromUrl(cluster->proxyUrl, QStringLiteral("proxy-url of cluster \"%1\"").arg(cluster->name));
        if (!proxy)
            return contextError(name, proxy.error().message, proxy.error().hint);
        rest.proxy = proxy.value();
    } else {
        const bool https = rest.server.scheme() == QLatin1String("https");
        auto env = [](const char *upper, const char *lower) {
            const QString value = qEnvironmentVariable(upper);
            return value.isEmpty() ? qEnvironmentVariable(lower) : value;
        };
        const QString proxyEnv = https ? env("HTTPS_PROXY", "https_proxy") : env("HTTP_PROXY", "http_proxy");
        if (!proxyEnv.isEmpty() && !bypassesProxy(rest.server, env("NO_PROXY", "no_proxy"))) {
            auto proxy =
                proxyFromUrl(proxyEnv, https ? QStringLiteral("from HTTPS_PROXY") : QStringLiteral("from HTTP_PROXY"));
            if (!proxy)
                return contextError(name, proxy.error().message, proxy.error().hint);
            rest.proxy = proxy.value();
        }
    }

    auto credentials = UserCredentials::create(*user, *cluster);
    if (!credentials) {
        Error error = credentials.error();
        error.location = name;
        return error;
    }
    rest.credentials = credentials.value();
    return rest;
}

} // namespace orchestra::kubeconfig
