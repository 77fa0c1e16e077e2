#include "kubeconfig/credentials.h"

#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QUrl>

namespace orchestra::kubeconfig {

Q_LOGGING_CATEGORY(lcCredentials, "orchestra.kubeconfig.credentials")

namespace {

Error userError(const AuthInfo &user, const QString &message, const QString &hint)
{
    return Error{QStringLiteral("User \"%1\" %2").arg(user.name, message), hint, user.sourceFile, 0};
}

/// The exec plugin that replaced each legacy auth-provider, per the provider's own migration guide.
QString authProviderHint(const QString &provider)
{
    if (provider == QLatin1String("gcp"))
        return QStringLiteral("Install gke-gcloud-auth-plugin (`gcloud components install gke-gcloud-auth-plugin`) "
                              "and run `gcloud container clusters get-credentials CLUSTER` to rewrite the user with "
                              "the exec plugin.");
    if (provider == QLatin1String("azure"))
        return QStringLiteral("Use kubelogin: install it and run `kubelogin convert-kubeconfig -l azurecli` to "
                              "rewrite the user with the exec plugin.");
    if (provider == QLatin1String("oidc"))
        return QStringLiteral("Use the kubectl oidc-login exec plugin (int128/kubelogin): install it and run "
                              "`kubectl oidc-login setup` for the exec configuration to use.");
    return QStringLiteral("Replace it with an exec credential plugin from your cluster provider.");
}

Result<QByteArray> readFile(const AuthInfo &user, const QString &path, const QString &what)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return userError(
            user, QStringLiteral("has a %1 file that cannot be read: %2 (%3)").arg(what, path, file.errorString()),
            QStringLiteral("Check that the file exists and is readable, or fix the path in %1.").arg(user.sourceFile));
    return file.readAll();
}

} // namespace

QSslKey parsePrivateKey(const QByteArray &pem)
{
    // QSslKey needs the algorithm up front; PKCS#8 ("BEGIN PRIVATE KEY") does not say which, so try each.
    for (const QSsl::KeyAlgorithm algorithm : {QSsl::Rsa, QSsl::Ec, QSsl::Dsa}) {
        QSslKey key(pem, algorithm, QSsl::Pem, QSsl::PrivateKey);
        if (!key.isNull())
            return key;
    }
    return {};
}

Result<std::shared_ptr<UserCredentials>> UserCredentials::create(const AuthInfo &user, const Cluster &cluster)
{
    if (!user.authProviderName.isEmpty())
        return userError(user,
                         QStringLiteral("uses the legacy auth-provider \"%1\", which kubectl and Orchestra no longer "
                                        "support.")
                             .arg(user.authProviderName),
                         authProviderHint(user.authProviderName));
    const bool hasToken = !user.token.isEmpty() || !user.tokenFile.isEmpty();
    const bool hasBasic = !user.username.isEmpty() || !user.password.isEmpty();
    if (hasToken && hasBasic)
        return userError(user, QStringLiteral("sets both a token and username/password; only one may be set."),
                         QStringLiteral("Remove one of them from %1.").arg(user.sourceFile));
    if (user.exec && hasBasic)
        return userError(user, QStringLiteral("sets both an exec plugin and username/password; only one may be set."),
                         QStringLiteral("Remove one of them from %1.").arg(user.sourceFile));

    std::shared_ptr<UserCredentials> credentials(new UserCredentials);
    credentials->m_user = user;

    QByteArray certificate = user.clientCertificateData;
    if (certificate.isEmpty() && !user.clientCertificate.isEmpty()) {
        auto data = readFile(user, user.clientCertificate, QStringLiteral("client-certificate"));
        if (!data)
            return data.error();
        certificate = data.value();
    }
    QByteArray key = user.clientKeyData;
    if (key.isEmpty() && !user.clientKey.isEmpty()) {
        auto data = readFile(user, user.clientKey, QStringLiteral("client-key"));
        if (!data)
            return data.error();
        key = data.value();
    }
    if (certificate.isEmpty() != key.isEmpty())
        return userError(
            user,
            QStringLiteral("has a client %1 without a client %2; both are needed.")
                .arg(certificate.isEmpty() ? QStringLiteral("key") : QStringLiteral("certificate"),
                     certificate.isEmpty() ? QStringLiteral("certificate") : QStringLiteral("key")),
            QStringLiteral("Add client-certificate(-data) and client-key(-data) together in %1.").arg(user.sourceFile));
    if (!certificate.isEmpty()) {
        const QList<QSslCertificate> certificates = QSslCertificate::fromData(certificate, QSsl::Pem);
        if (certificates.isEmpty())
            return userError(user, QStringLiteral("has a client certificate that is not a PEM certificate."),
                             QStringLiteral("Check client-certificate(-data) in %1.").arg(user.sourceFile));
        credentials->m_certificate = certificates.first();
        credentials->m_key = parsePrivateKey(key);
        if (credentials->m_key.isNull())
            return userError(user,
                             QStringLiteral("has a client key that cannot be read; RSA and EC keys in PEM (PKCS#1, "
                                            "SEC1 or PKCS#8, unencrypted) are supported."),
                             QStringLiteral("Check client-key(-data) in %1.").arg(user.sourceFile));
    }
    if (user.exec)
        credentials->m_exec = ExecSession::forConfig(*user.exec, cluster, user.name);
    return credentials;
}

Result<void> UserCredentials::refreshTokenFile()
{
    if (m_user.tokenFile.isEmpty())
        return {};
    // client-go re-reads tokenFile periodically; a stat per request is cheap and picks up rotations at once.
    const QFileInfo info(m_user.tokenFile);
    if (!m_tokenFileToken.isEmpty() && info.exists() && info.lastModified() == m_tokenFileModified &&
        info.size() == m_tokenFileSize)
        return {};
    QFile file(m_user.tokenFile);
    if (!file.open(QIODevice::ReadOnly))
        return userError(
            m_user,
            QStringLiteral("has a tokenFile that cannot be read: %1 (%2)").arg(m_user.tokenFile, file.errorString()),
            QStringLiteral("Check that the file exists, or fix tokenFile in %1.").arg(m_user.sourceFile));
    const QString token = QString::fromUtf8(file.readAll()).trimmed();
    if (token.isEmpty())
        return userError(m_user, QStringLiteral("has an empty tokenFile: %1").arg(m_user.tokenFile),
                         QStringLiteral("Write the token into the file."));
    m_tokenFileToken = token;
    m_tokenFileModified = info.lastModified();
    m_tokenFileSize = info.size();
    qCDebug(lcCredentials) << "read tokenFile" << m_user.tokenFile;
    return {};
}

void UserCredentials::ensureReady(QObject *context, std::function<void(orchestra::Result<void>)> done)
{
    Result<void> tokenFile = refreshTokenFile();
    if (!tokenFile || !m_exec) {
        QMetaObject::invokeMethod(
            context, [done = std::move(done), tokenFile]() { done(tokenFile); }, Qt::QueuedConnection);
        return;
    }
    if (const auto cached = m_exec->cached()) {
        m_execCredential = cached;
        QMetaObject::invokeMethod(
            context, [done = std::move(done)]() { done({}); }, Qt::QueuedConnection);
        return;
    }
    // The session answers on `this`'s thread; the caller hears back on `context`'s thread.
    QPointer<QObject> target(context);
    m_exec->get(this, [this, target, done = std::move(done)](Result<ExecCredential> result) {
        if (result)
            m_execCredential = result.value();
        else
            m_execCredential.reset();
        if (!target)
            return;
        Result<void> outcome = result ? Result<void>() : Result<void>(result.error());
        QMetaObject::invokeMethod(
            target, [done, outcome]() { done(outcome); }, Qt::QueuedConnection);
    });
}

void UserCredentials::apply(QNetworkRequest &request) const
{
    QString token = m_user.token;
    if (token.isEmpty())
        token = m_tokenFileToken;
    // As in client-go, a static token wins over the exec plugin.
    if (token.isEmpty() && m_execCredential)
        token = m_execCredential->token;
    if (!token.isEmpty()) {
        request.setRawHeader("Authorization", "Bearer " + token.toUtf8());
    } else if (!m_user.username.isEmpty() || !m_user.password.isEmpty()) {
        request.setRawHeader("Authorization",
                             "Basic " + (m_user.username + QLatin1Char(':') + m_user.password).toUtf8().toBase64());
    }
    if (!m_user.impersonate.isEmpty())
        request.setRawHeader("Impersonate-User", m_user.impersonate.toUtf8());
    if (!m_user.impersonateUid.isEmpty())
        request.setRawHeader("Impersonate-Uid", m_user.impersonateUid.toUtf8());
    // The API server reads each group and extra value from its own header line; QNetworkRequest (Qt 6.4) keeps one
    // value per name, so further lines are folded into the value and HTTP/2 (which could not carry them) is off.
    auto multi = [&request](const QByteArray &name, const QStringList &values) {
        if (values.isEmpty())
            return;
        QByteArray value = values.first().toUtf8();
        for (qsizetype i = 1; i < values.size(); ++i)
            value += "\r\n" + name + ": " + values.at(i).toUtf8();
        request.setRawHeader(name, value);
        if (values.size() > 1)
            request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    };
    multi("Impersonate-Group", m_user.impersonateGroups);
    for (auto it = m_user.impersonateUserExtra.cbegin(); it != m_user.impersonateUserExtra.cend(); ++it)
        multi("Impersonate-Extra-" + QUrl::toPercentEncoding(it.key()), it.value());
}

bool UserCredentials::invalidate()
{
    bool retry = false;
    if (m_exec) {
        m_exec->invalidate();
        m_execCredential.reset();
        retry = true;
    }
    if (!m_user.tokenFile.isEmpty()) {
        m_tokenFileToken.clear();
        m_tokenFileModified = {};
        m_tokenFileSize = -1;
        retry = true;
    }
    return retry;
}

QSslCertificate UserCredentials::clientCertificate() const
{
    if (m_execCredential && !m_execCredential->clientCertificate.isNull())
        return m_execCredential->clientCertificate;
    return m_certificate;
}

QSslKey UserCredentials::clientKey() const
{
    if (m_execCredential && !m_execCredential->clientKey.isNull())
        return m_execCredential->clientKey;
    return m_key;
}

QString UserCredentials::describe() const
{
    QStringList parts;
    if (m_user.exec)
        parts << QStringLiteral("exec plugin %1").arg(m_user.exec->command.section(QLatin1Char('/'), -1));
    if (!m_user.token.isEmpty())
        parts << QStringLiteral("token");
    if (!m_user.tokenFile.isEmpty())
        parts << QStringLiteral("token file %1").arg(m_user.tokenFile);
    if (!m_user.username.isEmpty())
        parts << QStringLiteral("basic auth as %1").arg(m_user.username);
    if (!m_certificate.isNull()) {
        const QStringList cn = m_certificate.subjectInfo(QSslCertificate::CommonName);
        parts << QStringLiteral("client certificate CN=%1").arg(cn.isEmpty() ? QString() : cn.first());
    }
    if (!m_user.impersonate.isEmpty())
        parts << QStringLiteral("impersonating %1").arg(m_user.impersonate);
    return parts.isEmpty() ? QStringLiteral("anonymous") : parts.join(QStringLiteral(", "));
}

} // namespace orchestra::kubeconfig
