#include "kubeconfig/execplugin.h"

#include "kubeconfig/credentials.h"

#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QMutex>
#include <QProcess>
#include <QThread>
#include <QTimer>

namespace orchestra::kubeconfig {

Q_LOGGING_CATEGORY(lcExec, "orchestra.kubeconfig.exec")

namespace {

const QString kV1 = QStringLiteral("client.authentication.k8s.io/v1");
const QString kV1beta1 = QStringLiteral("client.authentication.k8s.io/v1beta1");

QMutex &sessionsMutex()
{
    static QMutex mutex;
    return mutex;
}

QHash<QString, std::weak_ptr<ExecSession>> &sessions()
{
    static QHash<QString, std::weak_ptr<ExecSession>> map;
    return map;
}

/// spec.cluster of KUBERNETES_EXEC_INFO, as client-go builds it for provideClusterInfo.
QJsonObject clusterInfo(const Cluster &cluster)
{
    QJsonObject info{{QStringLiteral("server"), cluster.server}};
    if (!cluster.tlsServerName.isEmpty())
        info.insert(QStringLiteral("tls-server-name"), cluster.tlsServerName);
    if (cluster.insecureSkipTlsVerify)
        info.insert(QStringLiteral("insecure-skip-tls-verify"), true);
    QByteArray ca = cluster.certificateAuthorityData;
    if (ca.isEmpty() && !cluster.certificateAuthority.isEmpty()) {
        QFile file(cluster.certificateAuthority);
        if (file.open(QIODevice::ReadOnly))
            ca = file.readAll();
    }
    if (!ca.isEmpty())
        info.insert(QStringLiteral("certificate-authority-data"), QString::fromLatin1(ca.toBase64()));
    if (!cluster.proxyUrl.isEmpty())
        info.insert(QStringLiteral("proxy-url"), cluster.proxyUrl);
    if (cluster.disableCompression)
        info.insert(QStringLiteral("disable-compression"), true);
    for (const NamedExtension &extension : cluster.extensions) {
        if (extension.name == QLatin1String("client.authentication.k8s.io/exec"))
            info.insert(QStringLiteral("config"), extension.extension);
    }
    return info;
}

QString commandLine(const ExecConfig &exec)
{
    QStringList parts{exec.command};
    parts += exec.args;
    return parts.join(QLatin1Char(' '));
}

} // namespace

Result<ExecCredential> parseExecCredential(const QByteArray &stdoutData, const QString &apiVersion)
{
    QJsonParseError parseError{};
    const QJsonDocument document = QJsonDocument::fromJson(stdoutData, &parseError);
    if (!document.isObject())
        return Error{
            QStringLiteral("its output is not an ExecCredential JSON object (%1)").arg(parseError.errorString()),
            {},
            {},
            0};
    const QJsonObject root = document.object();
    if (root.value(QStringLiteral("kind")).toString() != QLatin1String("ExecCredential"))
        return Error{QStringLiteral("its output is not an ExecCredential (kind is \"%1\")")
                         .arg(root.value(QStringLiteral("kind")).toString()),
                     {},
                     {},
                     0};
    const QString version = root.value(QStringLiteral("apiVersion")).toString();
    if (version != apiVersion)
        return Error{QStringLiteral("it answered with apiVersion \"%1\" but the kubeconfig asked for \"%2\"")
                         .arg(version, apiVersion),
                     {},
                     {},
                     0};
    const QJsonObject status = root.value(QStringLiteral("status")).toObject();
    if (status.isEmpty())
        return Error{QStringLiteral("its ExecCredential has no status"), {}, {}, 0};
    ExecCredential credential;
    credential.token = status.value(QStringLiteral("token")).toString();
    const QByteArray certificate = status.value(QStringLiteral("clientCertificateData")).toString().toUtf8();
    const QByteArray key = status.value(QStringLiteral("clientKeyData")).toString().toUtf8();
    if (certificate.isEmpty() != key.isEmpty())
        return Error{
            QStringLiteral("its ExecCredential has only one of clientCertificateData and clientKeyData"), {}, {}, 0};
    if (!certificate.isEmpty()) {
        const QList<QSslCertificate> certificates = QSslCertificate::fromData(certificate, QSsl::Pem);
        if (certificates.isEmpty())
            return Error{QStringLiteral("its clientCertificateData is not a PEM certificate"), {}, {}, 0};
        credential.clientCertificate = certificates.first();
        credential.clientKey = parsePrivateKey(key);
        if (credential.clientKey.isNull())
            return Error{QStringLiteral("its clientKeyData is not a PEM RSA or EC private key"), {}, {}, 0};
    }
    if (credential.token.isEmpty() && credential.clientCertificate.isNull())
        return Error{QStringLiteral("its ExecCredential has neither a token nor a client certificate"), {}, {}, 0};
    const QString expiration = status.value(QStringLiteral("expirationTimestamp")).toString();
    if (!expiration.isEmpty()) {
        credential.expiration = QDateTime::fromString(expiration, Qt::ISODateWithMs);
        if (!credential.expiration.isValid())
            return Error{
                QStringLiteral("its expirationTimestamp \"%1\" is not an RFC 3339 time").arg(expiration), {}, {}, 0};
    }
    return credential;
}

std::shared_ptr<ExecSession> ExecSession::forConfig(const ExecConfig &exec, const Cluster &cluster,
                                                    const QString &userName)
{
    const QJsonObject info = clusterInfo(cluster);
    QJsonArray env;
    for (const auto &[name, value] : exec.env)
        env.append(QJsonArray{name, value});
    // client-go keys its exec cache on the exec config and the cluster it authenticates to.
    const QString key =
        QString::fromUtf8(QJsonDocument(QJsonObject{{QStringLiteral("command"), exec.command},
                                                    {QStringLiteral("args"), QJsonArray::fromStringList(exec.args)},
                                                    {QStringLiteral("env"), env},
                                                    {QStringLiteral("apiVersion"), exec.apiVersion},
                                                    {QStringLiteral("interactiveMode"), exec.interactiveMode},
                                                    {QStringLiteral("provideClusterInfo"), exec.provideClusterInfo},
                                                    {QStringLiteral("cluster"), info}})
                              .toJson(QJsonDocument::Compact));
    QMutexLocker locker(&sessionsMutex());
    if (std::shared_ptr<ExecSession> existing = sessions().value(key).lock())
        return existing;
    auto session = std::make_shared<ExecSession>(exec, info, userName);
    sessions().insert(key, session);
    return session;
}

ExecSession::ExecSession(const ExecConfig &exec, QJsonObject clusterInfo, QString userName)
    : m_exec(exec)
    , m_clusterInfo(std::move(clusterInfo))
    , m_userName(std::move(userName))
{}

ExecSession::~ExecSession()
{
    if (m_process) {
        m_process->disconnect(this);
        m_process->kill();
        m_process->waitForFinished(1000);
    }
}

std::optional<ExecCredential> ExecSession::cached() const
{
    if (!m_cached)
        return std::nullopt;
    if (m_cached->expiration.isValid() &&
        QDateTime::currentDateTimeUtc().addSecs(kRefreshMarginSeconds) >= m_cached->expiration)
        return std::nullopt;
    return m_cached;
}

void ExecSession::invalidate()
{
    m_cached.reset();
}

void ExecSession::get(QObject *context, std::function<void(Result<ExecCredential>)> done)
{
    if (QThread::currentThread() != thread()) {
        // The process and its timer belong to the session's thread; hop there instead of racing on state.
        QPointer<QObject> target(context);
        QMetaObject::invokeMethod(
            this,
            [this, target, done = std::move(done)]() mutable {
                if (target)
                    get(target, std::move(done));
            },
            Qt::QueuedConnection);
        return;
    }
    if (const auto credential = cached()) {
        QMetaObject::invokeMethod(
            context, [done = std::move(done), value = *credential]() { done(value); }, Qt::QueuedConnection);
        return;
    }
    m_waiters.append({context, std::move(done)});
    if (!m_process)
        start();
}

Error ExecSession::failure(const QString &message, const QString &hint) const
{
    const QString program = m_exec.command.section(QLatin1Char('/'), -1);
    return Error{
        QStringLiteral("The exec plugin \"%1\" for user \"%2\" %3").arg(program, m_userName, message), hint, {}, 0};
}

void ExecSession::start()
{
    const QString rerun = QStringLiteral("Run it once in a terminal to see what it needs: %1").arg(commandLine(m_exec));
    if (m_exec.apiVersion != kV1 && m_exec.apiVersion != kV1beta1) {
        finish(failure(QStringLiteral("uses apiVersion \"%1\", which is not supported").arg(m_exec.apiVersion),
                       QStringLiteral("Use client.authentication.k8s.io/v1 or v1beta1 (v1alpha1 was removed).")));
        return;
    }
    if (m_exec.apiVersion == kV1 && m_exec.interactiveMode.isEmpty()) {
        finish(failure(QStringLiteral("has no interactiveMode, which client.authentication.k8s.io/v1 requires"),
                       QStringLiteral("Add interactiveMode: IfAvailable (or Never) to the exec section.")));
        return;
    }
    if (m_exec.interactiveMode == QLatin1String("Always")) {
        // A desktop app has no terminal for the plugin to prompt on.
        finish(failure(QStringLiteral("needs an interactive terminal (interactiveMode: Always), which Orchestra "
                                      "cannot provide"),
                       QStringLiteral("Log in from a terminal first (e.g. `kubectl get ns`), or set interactiveMode: "
                                      "IfAvailable if the plugin can work without prompting.")));
        return;
    }

    QJsonObject spec{{QStringLiteral("interactive"), false}};
    if (m_exec.provideClusterInfo)
        spec.insert(QStringLiteral("cluster"), m_clusterInfo);
    const QJsonObject execInfo{{QStringLiteral("kind"), QStringLiteral("ExecCredential")},
                               {QStringLiteral("apiVersion"), m_exec.apiVersion},
                               {QStringLiteral("spec"), spec}};

    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const auto &[name, value] : m_exec.env)
        environment.insert(name, value);
    environment.insert(QStringLiteral("KUBERNETES_EXEC_INFO"),
                       QString::fromUtf8(QJsonDocument(execInfo).toJson(QJsonDocument::Compact)));

    m_process = new QProcess(this);
    m_process->setProcessEnvironment(environment);
    m_process->setStandardInputFile(QProcess::nullDevice());
    m_timer = new QTimer(this);
    m_timer->setSingleShot(true);
    m_timedOut = false;
    connect(m_timer, &QTimer::timeout, this, [this]() {
        m_timedOut = true;
        m_process->kill();
    });
    connect(m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error != QProcess::FailedToStart || m_timedOut)
            return;
        const QString hint = !m_exec.installHint.isEmpty()
                                 ? m_exec.installHint
                                 : QStringLiteral("Install it or fix users[].user.exec.command in the kubeconfig.");
        finish(failure(
            QStringLiteral("could not be started: \"%1\" was not found or is not executable").arg(m_exec.command),
            hint));
    });
    connect(m_process, &QProcess::finished, this, [this, rerun](int exitCode, QProcess::ExitStatus status) {
        QString stderrText = QString::fromLocal8Bit(m_process->readAllStandardError()).trimmed();
        if (stderrText.size() > 2000)
            stderrText = QStringLiteral("…") + stderrText.right(2000);
        if (m_timedOut) {
            finish(failure(QStringLiteral("did not finish within %1 s").arg(execTimeoutMs() / 1000.0),
                           QStringLiteral("It may be waiting for a login in a browser or a prompt. ") + rerun));
            return;
        }
        if (status != QProcess::NormalExit || exitCode != 0) {
            const QString what = status != QProcess::NormalExit
                                     ? QStringLiteral("crashed")
                                     : QStringLiteral("failed with exit code %1").arg(exitCode);
            finish(failure(stderrText.isEmpty() ? what + QLatin1Char('.') : what + QStringLiteral(": ") + stderrText,
                           rerun));
            return;
        }
        Result<ExecCredential> parsed = parseExecCredential(m_process->readAllStandardOutput(), m_exec.apiVersion);
        if (!parsed) {
            finish(failure(QStringLiteral("returned an unusable answer: ") + parsed.error().message, rerun));
            return;
        }
        finish(std::move(parsed));
    });
    ++m_runCount;
    qCDebug(lcExec) << "running exec plugin" << m_exec.command << "for user" << m_userName;
    m_timer->start(execTimeoutMs());
    m_process->start(m_exec.command, m_exec.args);
}

void ExecSession::finish(Result<ExecCredential> result)
{
    if (m_timer) {
        m_timer->stop();
        m_timer->deleteLater();
        m_timer = nullptr;
    }
    if (m_process) {
        m_process->disconnect(this);
        m_process->deleteLater();
        m_process = nullptr;
    }
    if (result.ok()) {
        m_cached = result.value();
        qCDebug(lcExec) << "exec plugin" << m_exec.command << "succeeded; expires"
                        << (m_cached->expiration.isValid() ? m_cached->expiration.toString(Qt::ISODate)
                                                           : QStringLiteral("never"));
    } else {
        qCDebug(lcExec) << "exec plugin failed:" << result.error().message;
    }
    const QList<Waiter> waiters = std::exchange(m_waiters, {});
    for (const Waiter &waiter : waiters) {
        if (!waiter.context)
            continue;
        QMetaObject::invokeMethod(
            waiter.context, [done = waiter.done, result]() { done(result); }, Qt::QueuedConnection);
    }
}

} // namespace orchestra::kubeconfig
