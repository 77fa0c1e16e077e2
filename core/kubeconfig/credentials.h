#pragma once

#include "common/result.h"
#include "kubeconfig/execplugin.h"
#include "kubeconfig/kubeconfig.h"
#include "kubeconfig/restconfig.h"

#include <QDateTime>

#include <memory>

namespace orchestra::kubeconfig {

/// Reads a PEM private key: RSA or EC, PKCS#1/SEC1 or PKCS#8 (unencrypted, as kubectl). Null when unreadable.
QSslKey parsePrivateKey(const QByteArray &pem);

/// Credentials of one kubeconfig user for one cluster.
class UserCredentials final : public Credentials
{
    Q_OBJECT
public:
    /// Validates the user stanza and loads static certificates; errors name the user and say what to change.
    static Result<std::shared_ptr<UserCredentials>> create(const AuthInfo &user, const Cluster &cluster);

    void ensureReady(QObject *context, std::function<void(orchestra::Result<void>)> done) override;
    void apply(QNetworkRequest &request) const override;
    bool invalidate() override;
    QSslCertificate clientCertificate() const override;
    QSslKey clientKey() const override;
    QString describe() const override;

    /// The exec session (shared cache), null when the user has no exec plugin (tests).
    ExecSession *execSession() const { return m_exec.get(); }

private:
    UserCredentials() = default;
    Result<void> refreshTokenFile();

    AuthInfo m_user;
    QSslCertificate m_certificate;
    QSslKey m_key;
    QString m_tokenFileToken;
    QDateTime m_tokenFileModified;
    qint64 m_tokenFileSize = -1;
    std::shared_ptr<ExecSession> m_exec;
    std::optional<ExecCredential> m_execCredential;
};

} // namespace orchestra::kubeconfig
