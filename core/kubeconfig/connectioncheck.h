#pragma once

#include "common/result.h"
#include "kubeconfig/restconfig.h"

#include <QList>
#include <QNetworkReply>
#include <QObject>
#include <QSslError>

#include <memory>

class QNetworkAccessManager;
class QTimer;

namespace orchestra::kubeconfig {

/// What kind of failure a connection attempt hit; the UI picks icons and actions from it.
enum class ConnectionProblem {
    None,
    Configuration,             ///< the kubeconfig cannot be used (restConfig failed)
    Credentials,               ///< the exec plugin or tokenFile failed before any request
    Dns,                       ///< the server's host name does not resolve
    Refused,                   ///< nothing listens on the server's port
    Timeout,                   ///< no answer in time
    TlsVerification,           ///< the server certificate is not trusted / expired / for another host
    ClientCertificateRejected, ///< the server refused the handshake because of our client certificate
    Unauthorized,              ///< HTTP 401
    Forbidden,                 ///< HTTP 403
    Proxy,                     ///< the proxy failed
    Http,                      ///< another HTTP error status
    Network,                   ///< any other network failure
};

/// The outcome of a ConnectionCheck: success with a summary, or a problem with an actionable Error.
struct ConnectionCheckResult final
{
    ConnectionProblem problem = ConnectionProblem::None;
    Error error;               ///< set when problem != None; error.code is the HTTP status when there was one
    QString serverVersion;     ///< gitVersion, e.g. "v1.20.15"
    QString platform;          ///< e.g. "linux/amd64"
    QString identity;          ///< user name from SelfSubjectReview, else what the credentials say
    QStringList groups;        ///< from SelfSubjectReview when the server has it
    bool canListPods = false;  ///< SelfSubjectAccessReview: list pods in the context's namespace
    QString permissionSummary; ///< one line for the user
    bool ok() const { return problem == ConnectionProblem::None; }
};

/// A certificate as error messages name it: "CN=subject" (issued by "CN=issuer").
QString certificateName(const QSslCertificate &certificate);

/// Turns a failed reply into a problem and an Error a user can act on (names host, certificate, user, plugin).
/// `sslErrors` are those reported by QNetworkReply::sslErrors for this reply.
std::pair<ConnectionProblem, Error> describeReplyError(const RestConfig &config, QNetworkReply *reply,
                                                       const QList<QSslError> &sslErrors, bool timedOut);

/// Checks a context: credentials, GET /version, who we are (SelfSubjectReview) and whether we may list pods in the
/// context's namespace (SelfSubjectAccessReview). Asynchronous; one 401 triggers a credential refresh and one retry.
class ConnectionCheck final : public QObject
{
    Q_OBJECT
public:
    explicit ConnectionCheck(RestConfig config, QObject *parent = nullptr);
    ~ConnectionCheck() override;

    void setTimeoutMs(int milliseconds) { m_timeoutMs = milliseconds; }
    /// Starts the check; finished() is emitted exactly once.
    void start();

signals:
    void finished(const orchestra::kubeconfig::ConnectionCheckResult &result);

private:
    using ReplyHandler = std::function<void(QNetworkReply *reply, bool timedOut, const QList<QSslError> &errors)>;
    void send(const QByteArray &verb, const QString &path, const QByteArray &body, ReplyHandler handler);
    void getVersion(bool retried);
    void reviewSelf();
    void reviewAccess();
    void fail(ConnectionProblem problem, Error error);
    void succeed();

    RestConfig m_config;
    QNetworkAccessManager *m_network;
    int m_timeoutMs = 15000;
    ConnectionCheckResult m_result;
    bool m_done = false;
};

} // namespace orchestra::kubeconfig

Q_DECLARE_METATYPE(orchestra::kubeconfig::ConnectionCheckResult)
