#include "kubeconfig/connectioncheck.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QPointer>
#include <QTimer>

namespace orchestra::kubeconfig {

Q_LOGGING_CATEGORY(lcCheck, "orchestra.kubeconfig.check")

namespace {

QString hostPort(const RestConfig &config)
{
    return QStringLiteral("%1:%2")
        .arg(config.server.host())
        .arg(config.server.port(config.server.scheme() == QLatin1String("http") ? 80 : 443));
}

/// The server's Status message, if the body is a Status.
QString statusMessage(const QByteArray &body)
{
    const QJsonObject object = QJsonDocument::fromJson(body).object();
    if (object.value(QStringLiteral("kind")).toString() == QLatin1String("Status"))
        return object.value(QStringLiteral("message")).toString();
    return {};
}

QString who(const RestConfig &config)
{
    const QString described = config.credentials ? config.credentials->describe() : QString();
    return described.isEmpty() ? QStringLiteral("user \"%1\"").arg(config.userName)
                               : QStringLiteral("user \"%1\" (%2)").arg(config.userName, described);
}

} // namespace

QString certificateName(const QSslCertificate &certificate)
{
    if (certificate.isNull())
        return QStringLiteral("(none)");
    QString subject = certificate.subjectInfo(QSslCertificate::CommonName).join(QStringLiteral(", "));
    if (subject.isEmpty())
        subject = certificate.subjectDisplayName();
    const QString issuer = certificate.issuerInfo(QSslCertificate::CommonName).join(QStringLiteral(", "));
    return QStringLiteral("\"CN=%1\" (issued by \"CN=%2\")").arg(subject, issuer);
}

std::pair<ConnectionProblem, Error> describeReplyError(const RestConfig &config, QNetworkReply *reply,
                                                       const QList<QSslError> &sslErrors, bool timedOut)
{
    const QString host = hostPort(config);
    const QString cluster = config.clusterName;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    auto make = [&](ConnectionProblem problem, const QString &message, const QString &hint, int code = 0) {
        return std::make_pair(problem, Error{message, hint, config.contextName, code});
    };
    if (timedOut)
        return make(ConnectionProblem::Timeout, QStringLiteral("The server %1 did not answer in time.").arg(host),
                    !config.proxyUrl.isEmpty()
                        ? QStringLiteral("Check the proxy %1 and your network or VPN.").arg(config.proxyName())
                        : QStringLiteral("Check that the cluster is running and reachable from this "
                                         "machine (network, VPN, firewall)."));
    if (status == 401) {
        QString hint;
        const QString described = config.credentials ? config.credentials->describe() : QString();
        if (described.contains(QLatin1String("exec plugin")))
            hint = QStringLiteral("The credential from the %1 was refused; run it in a terminal to log in again "
                                  "(for example `kubectl get ns --context %2`).")
                       .arg(described.section(QLatin1Char(','), 0, 0), config.contextName);
        else if (described.contains(QLatin1String("token")))
            hint = QStringLiteral("The token is expired or revoked; get a new kubeconfig or token from the cluster's "
                                  "administrator (Rancher: download the kubeconfig again).");
        else if (described.contains(QLatin1String("certificate")))
            hint = QStringLiteral("The client certificate is not accepted; it may have expired (minikube: "
                                  "`minikube update-context`).");
        else
            hint = QStringLiteral("The server does not accept anonymous requests; add credentials to user \"%1\".")
                       .arg(config.userName);
        return make(
            ConnectionProblem::Unauthorized,
            QStringLiteral("The server %1 rejected the credentials of %2 (401 Unauthorized).").arg(host, who(config)),
            hint, 401);
    }
    if (status == 403) {
        const QString message = statusMessage(reply->readAll());
        return make(ConnectionProblem::Forbidden,
                    QStringLiteral("Connected to %1 as %2, but not allowed: %3")
                        .arg(host, who(config), message.isEmpty() ? QStringLiteral("403 Forbidden") : message),
                    QStringLiteral("Ask the cluster's administrator for a role that allows it."), 403);
    }
    if (status >= 300) {
        const QString message = statusMessage(reply->readAll());
        return make(
            ConnectionProblem::Http,
            QStringLiteral("The server %1 answered %2 %3 for %4.")
                    .arg(host)
                    .arg(status)
                    .arg(reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString(), reply->url().path()) +
                (message.isEmpty() ? QString() : QStringLiteral(" ") + message),
            status == 404 ? QStringLiteral("Check that the server URL of cluster \"%1\" points at a "
                                           "Kubernetes API server (including any path prefix).")
                                .arg(cluster)
                          : QString(),
            status);
    }

    // Qt reports some proxy failures (CONNECT refused over HTTPS) with a generic code but a proxy message; the relay
    // to an https proxy knows what failed between it and the proxy.
    const QString relayFailure = config.proxyFailure();
    const bool proxyText =
        !config.proxyUrl.isEmpty() &&
        (!relayFailure.isEmpty() || reply->errorString().contains(QLatin1String("proxy"), Qt::CaseInsensitive));
    switch (proxyText ? QNetworkReply::UnknownProxyError : reply->error()) {
    case QNetworkReply::HostNotFoundError:
        return make(ConnectionProblem::Dns,
                    QStringLiteral("The server name \"%1\" of cluster \"%2\" could not be resolved (DNS).")
                        .arg(config.server.host(), cluster),
                    QStringLiteral("Check the server address in the kubeconfig and your network or VPN."));
    case QNetworkReply::ConnectionRefusedError:
        return make(ConnectionProblem::Refused,
                    QStringLiteral("Connection refused by %1: nothing is listening there.").arg(host),
                    QStringLiteral("Is the cluster running? (minikube: `minikube start`; kind/k3d: start the "
                                   "container.)"));
    case QNetworkReply::TimeoutError:
        return make(ConnectionProblem::Timeout, QStringLiteral("The server %1 did not answer in time.").arg(host),
                    QStringLiteral("Check that the cluster is running and reachable (network, VPN, firewall)."));
    case QNetworkReply::ProxyConnectionRefusedError:
    case QNetworkReply::ProxyConnectionClosedError:
    case QNetworkReply::ProxyNotFoundError:
    case QNetworkReply::ProxyTimeoutError:
    case QNetworkReply::ProxyAuthenticationRequiredError:
    case QNetworkReply::UnknownProxyError: {
        const QString proxy = config.proxyUrl.isEmpty() ? QStringLiteral("(from the environment)") : config.proxyName();
        QString hint =
            QStringLiteral("Check proxy-url of cluster \"%1\" or the HTTPS_PROXY/NO_PROXY variables.").arg(cluster);
        if (relayFailure.startsWith(QLatin1String("TLS verification")))
            hint = config.caCertificates.isEmpty()
                       ? QStringLiteral("Like kubectl, Orchestra checks the proxy's certificate with the system CAs "
                                        "when cluster \"%1\" has no certificate-authority.")
                             .arg(cluster)
                       : QStringLiteral("Like kubectl, Orchestra checks an https proxy's certificate with the "
                                        "certificate-authority of cluster \"%1\"; that CA must also sign the "
                                        "proxy's certificate.")
                             .arg(cluster);
        return make(ConnectionProblem::Proxy,
                    QStringLiteral("The proxy %1 failed on the way to %2: %3")
                        .arg(proxy, host, relayFailure.isEmpty() ? reply->errorString() : relayFailure),
                    hint);
    }
    default:
        break;
    }

    if (!sslErrors.isEmpty()) {
        const QSslError &first = sslErrors.first();
        const QString certificate = certificateName(first.certificate());
        const QString verifyName = config.tlsServerName.isEmpty() ? config.server.host() : config.tlsServerName;
        QString hint;
        switch (first.error()) {
        case QSslError::HostNameMismatch:
            hint = QStringLiteral("The certificate is for another name than \"%1\". Fix the server address, or set "
                                  "tls-server-name on cluster \"%2\" to a name in the certificate.")
                       .arg(verifyName, cluster);
            break;
        case QSslError::CertificateExpired:
            hint = QStringLiteral("The certificate expired on %1; renew the cluster's certificates.")
                       .arg(first.certificate().expiryDate().toString(Qt::ISODate));
            break;
        case QSslError::CertificateNotYetValid:
            hint = QStringLiteral("Check this machine's clock.");
            break;
        default:
            hint = config.caCertificates.isEmpty()
                       ? QStringLiteral("Cluster \"%1\" has no certificate-authority, so only system CAs are "
                                        "trusted; add the cluster's CA to the kubeconfig.")
                             .arg(cluster)
                       : QStringLiteral("Only the certificate-authority of cluster \"%1\" is trusted; check that it "
                                        "is this cluster's CA (the kubeconfig may be for an older cluster).")
                             .arg(cluster);
        }
        return make(ConnectionProblem::TlsVerification,
                    QStringLiteral("TLS verification of %1 failed for server certificate %2 (checked as \"%3\"): %4")
                        .arg(host, certificate, verifyName, first.errorString()),
                    hint);
    }

    const QString text = reply->errorString();
    const bool tlsFailure = reply->error() == QNetworkReply::SslHandshakeFailedError ||
                            text.contains(QLatin1String("certificate"), Qt::CaseInsensitive) ||
                            text.contains(QLatin1String("alert"), Qt::CaseInsensitive);
    if (tlsFailure || reply->error() == QNetworkReply::RemoteHostClosedError) {
        if (config.server.scheme() == QLatin1String("https")) {
            const QSslCertificate presented =
                config.credentials ? config.credentials->clientCertificate() : QSslCertificate();
            return make(ConnectionProblem::ClientCertificateRejected,
                        QStringLiteral("The server %1 ended the TLS handshake: %2. It did not accept the client "
                                       "certificate %3 of user \"%4\".")
                            .arg(host, text,
                                 presented.isNull() ? QStringLiteral("(none presented)") : certificateName(presented),
                                 config.userName),
                        presented.isNull()
                            ? QStringLiteral("This server requires a client certificate; add client-certificate and "
                                             "client-key to the user.")
                            : QStringLiteral("The client certificate may be expired or signed by a CA this cluster "
                                             "does not trust (minikube: `minikube update-context`)."));
        }
    }
    return make(ConnectionProblem::Network, QStringLiteral("Cannot reach %1: %2").arg(host, text),
                QStringLiteral("Check the server address and your network."));
}

ConnectionCheck::ConnectionCheck(RestConfig config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_network(new QNetworkAccessManager(this))
{
    qRegisterMetaType<ConnectionCheckResult>();
    m_network->setProxy(m_config.networkProxy());
}

ConnectionCheck::~ConnectionCheck() = default;

void ConnectionCheck::start()
{
    if (!m_config.credentials) {
        getVersion(false);
        return;
    }
    m_config.credentials->ensureReady(this, [this](Result<void> ready) {
        if (!ready) {
            fail(ConnectionProblem::Credentials, ready.error());
            return;
        }
        getVersion(false);
    });
}

void ConnectionCheck::send(const QByteArray &verb, const QString &path, const QByteArray &body, ReplyHandler handler)
{
    QNetworkRequest request = m_config.request(path);
    if (m_config.credentials)
        m_config.credentials->apply(request);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setRawHeader("Accept", "application/json");
    QNetworkReply *reply = m_network->sendCustomRequest(request, verb, body);
    auto errors = std::make_shared<QList<QSslError>>();
    auto timedOut = std::make_shared<bool>(false);
    connect(reply, &QNetworkReply::sslErrors, this, [errors](const QList<QSslError> &list) { *errors += list; });
    auto *timer = new QTimer(reply);
    timer->setSingleShot(true);
    connect(timer, &QTimer::timeout, reply, [reply, timedOut]() {
        *timedOut = true;
        reply->abort();
    });
    timer->start(m_timeoutMs);
    connect(reply, &QNetworkReply::finished, this, [reply, errors, timedOut, handler = std::move(handler)]() {
        reply->deleteLater();
        handler(reply, *timedOut, *errors);
    });
}

void ConnectionCheck::getVersion(bool retried)
{
    qCDebug(lcCheck) << "checking" << m_config.server.toDisplayString(QUrl::RemoveUserInfo);
    send("GET", QStringLiteral("/version"), {},
         [this, retried](QNetworkReply *reply, bool timedOut, const QList<QSslError> &errors) {
             const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
             if (status == 401 && !retried && m_config.credentials && m_config.credentials->invalidate()) {
                 // A cached exec/tokenFile credential may just have expired: refresh it once and retry.
                 m_config.credentials->ensureReady(this, [this](Result<void> ready) {
                     if (!ready)
                         fail(ConnectionProblem::Credentials, ready.error());
                     else
                         getVersion(true);
                 });
                 return;
             }
             if (reply->error() != QNetworkReply::NoError || status >= 300) {
                 auto [problem, error] = describeReplyError(m_config, reply, errors, timedOut);
                 fail(problem, error);
                 return;
             }
             const QJsonObject version = QJsonDocument::fromJson(reply->readAll()).object();
             m_result.serverVersion = version.value(QStringLiteral("gitVersion")).toString();
             m_result.platform = version.value(QStringLiteral("platform")).toString();
             if (m_result.serverVersion.isEmpty()) {
                 fail(ConnectionProblem::Http,
                      Error{QStringLiteral("%1 answered /version without a Kubernetes version; is it an API server?")
                                .arg(hostPort(m_config)),
                            QStringLiteral("Check the server URL of cluster \"%1\".").arg(m_config.clusterName),
                            m_config.contextName, 0});
                 return;
             }
             reviewSelf();
         });
}

void ConnectionCheck::reviewSelf()
{
    // SelfSubjectReview (Kubernetes 1.28+ GA) says who the server thinks we are; older servers answer 404.
    const QByteArray body = R"({"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview"})";
    send("POST", QStringLiteral("/apis/authentication.k8s.io/v1/selfsubjectreviews"), body,
         [this](QNetworkReply *reply, bool, const QList<QSslError> &) {
             const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
             if (reply->error() == QNetworkReply::NoError && status < 300) {
                 const QJsonObject user = QJsonDocument::fromJson(reply->readAll())
                                              .object()
                                              .value(QStringLiteral("status"))
                                              .toObject()
                                              .value(QStringLiteral("userInfo"))
                                              .toObject();
                 m_result.identity = user.value(QStringLiteral("username")).toString();
                 for (const QJsonValue &group : user.value(QStringLiteral("groups")).toArray())
                     m_result.groups.append(group.toString());
             }
             if (m_result.identity.isEmpty())
                 m_result.identity = who(m_config);
             reviewAccess();
         });
}

void ConnectionCheck::reviewAccess()
{
    const QJsonObject review{
        {QStringLiteral("apiVersion"), QStringLiteral("authorization.k8s.io/v1")},
        {QStringLiteral("kind"), QStringLiteral("SelfSubjectAccessReview")},
        {QStringLiteral("spec"), QJsonObject{{QStringLiteral("resourceAttributes"),
                                              QJsonObject{{QStringLiteral("namespace"), m_config.defaultNamespace},
                                                          {QStringLiteral("verb"), QStringLiteral("list")},
                                                          {QStringLiteral("resource"), QStringLiteral("pods")}}}}}};
    send("POST", QStringLiteral("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews"),
         QJsonDocument(review).toJson(QJsonDocument::Compact),
         [this](QNetworkReply *reply, bool timedOut, const QList<QSslError> &errors) {
             const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
             const QString where = QStringLiteral("namespace \"%1\"").arg(m_config.defaultNamespace);
             if (reply->error() != QNetworkReply::NoError || status >= 300) {
                 auto [problem, error] = describeReplyError(m_config, reply, errors, timedOut);
                 m_result.permissionSummary =
                     QStringLiteral("could not check permissions in %1: %2").arg(where, error.message);
                 succeed();
                 return;
             }
             const QJsonObject result = QJsonDocument::fromJson(reply->readAll()).object();
             const QJsonObject statusObject = result.value(QStringLiteral("status")).toObject();
             m_result.canListPods = statusObject.value(QStringLiteral("allowed")).toBool();
             m_result.permissionSummary =
                 m_result.canListPods ? QStringLiteral("can list pods in %1").arg(where)
                                      : QStringLiteral("connected as %1 but not allowed to list pods in %2%3")
                                            .arg(m_result.identity, where,
                                                 statusObject.value(QStringLiteral("reason")).toString().isEmpty()
                                                     ? QString()
                                                     : QStringLiteral(" (%1)").arg(
                                                           statusObject.value(QStringLiteral("reason")).toString()));
             succeed();
         });
}

void ConnectionCheck::fail(ConnectionProblem problem, Error error)
{
    if (m_done)
        return;
    m_done = true;
    m_result.problem = problem;
    m_result.error = std::move(error);
    qCDebug(lcCheck) << "check failed:" << m_result.error.message;
    emit finished(m_result);
}

void ConnectionCheck::succeed()
{
    if (m_done)
        return;
    m_done = true;
    qCDebug(lcCheck) << "connected; server" << m_result.serverVersion;
    emit finished(m_result);
}

} // namespace orchestra::kubeconfig
