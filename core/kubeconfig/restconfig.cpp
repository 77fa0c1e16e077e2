#include "kubeconfig/restconfig.h"

#include "kubeconfig/credentials.h"
#include "kubeconfig/kubeconfig.h"

#include <QFile>
#include <QHostAddress>
#include <QSslConfiguration>
#include <QSslSocket>

#include <atomic>

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

QNetworkProxy RestConfig::networkProxy() const
{
    if (proxyRelay)
        return proxyRelay->networkProxy();
    if (proxyUrl.isEmpty())
        return QNetworkProxy(QNetworkProxy::NoProxy);
    const bool socks = proxyUrl.scheme().startsWith(QLatin1String("socks"));
    return QNetworkProxy(socks ? QNetworkProxy::Socks5Proxy : QNetworkProxy::HttpProxy, proxyUrl.host(),
                         quint16(proxyUrl.port()), proxyUrl.userName(QUrl::FullyDecoded),
                         proxyUrl.password(QUrl::FullyDecoded));
}

QString RestConfig::proxyName() const
{
    return proxyUrl.isEmpty() ? QString() : proxyUrl.toDisplayString(QUrl::RemoveUserInfo | QUrl::RemovePath);
}

QString RestConfig::proxyFailure() const
{
    return proxyRelay ? proxyRelay->lastError() : QString();
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

/// Checks a proxy URL as Go's http.ProxyURL sees it: no scheme means http://, default ports 80/443/1080.
Result<QUrl> proxyFromUrl(const QString &text, const QString &origin)
{
    QUrl url(text.contains(QStringLiteral("://")) ? text : QStringLiteral("http://") + text);
    const QString scheme = url.scheme().toLower();
    int defaultPort = 0;
    if (scheme == QLatin1String("http"))
        defaultPort = 80;
    else if (scheme == QLatin1String("https"))
        defaultPort = 443;
    else if (scheme == QLatin1String("socks5") || scheme == QLatin1String("socks5h"))
        defaultPort = 1080;
    else
        return Error{QStringLiteral("The proxy URL %1 (%2) has an unsupported scheme \"%3\".")
                         .arg(url.toDisplayString(QUrl::RemoveUserInfo), origin, scheme),
                     QStringLiteral("Use http://, https:// or socks5://."),
                     {},
                     0};
    if (!url.isValid() || url.host().isEmpty())
        return Error{QStringLiteral("The proxy URL (%1) has no host.").arg(origin), {}, {}, 0};
    url.setScheme(scheme);
    url.setPort(url.port(defaultPort));
    return url;
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

    QString proxyText, proxyOrigin;
    if (!cluster->proxyUrl.isEmpty()) {
        proxyText = cluster->proxyUrl;
        proxyOrigin = QStringLiteral("proxy-url of cluster \"%1\"").arg(cluster->name);
    } else {
        const bool https = rest.server.scheme() == QLatin1String("https");
        auto env = [](const char *upper, const char *lower) {
            const QString value = qEnvironmentVariable(upper);
            return value.isEmpty() ? qEnvironmentVariable(lower) : value;
        };
        const QString proxyEnv = https ? env("HTTPS_PROXY", "https_proxy") : env("HTTP_PROXY", "http_proxy");
        if (!proxyEnv.isEmpty() && !bypassesProxy(rest.server, env("NO_PROXY", "no_proxy"))) {
            proxyText = proxyEnv;
            proxyOrigin = https ? QStringLiteral("from HTTPS_PROXY") : QStringLiteral("from HTTP_PROXY");
        }
    }
    if (!proxyText.isEmpty()) {
        auto proxy = proxyFromUrl(proxyText, proxyOrigin);
        if (!proxy)
            return contextError(name, proxy.error().message, proxy.error().hint);
        rest.proxyUrl = proxy.value();
    }

    auto credentials = UserCredentials::create(*user, *cluster);
    if (!credentials) {
        Error error = credentials.error();
        error.location = name;
        return error;
    }
    rest.credentials = credentials.value();
    if (rest.proxyUrl.scheme() == QLatin1String("https")) {
        const QString host = rest.server.host().contains(QLatin1Char(':'))
                                 ? QLatin1Char('[') + rest.server.host() + QLatin1Char(']')
                                 : rest.server.host();
        const int port = rest.server.port(rest.server.scheme() == QLatin1String("http") ? 80 : 443);
        ProxyTlsSettings tls;
        tls.caCertificates = rest.caCertificates;
        tls.insecureSkipTlsVerify = rest.insecureSkipTlsVerify;
        tls.serverName = rest.tlsServerName;
        tls.clientCertificate = rest.credentials->clientCertificate();
        tls.clientKey = rest.credentials->clientKey();
        rest.proxyRelay =
            std::make_shared<HttpsProxyRelay>(rest.proxyUrl, tls, QStringLiteral("%1:%2").arg(host).arg(port));
    }
    return rest;
}

} // namespace orchestra::kubeconfig
