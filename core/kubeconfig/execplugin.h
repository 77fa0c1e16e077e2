#pragma once

#include "common/result.h"
#include "kubeconfig/kubeconfig.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QSslCertificate>
#include <QSslKey>

#include <functional>
#include <memory>

class QProcess;
class QTimer;

namespace orchestra::kubeconfig {

/// What an exec credential plugin returned (ExecCredential.status).
struct ExecCredential final
{
    QString token;
    QSslCertificate clientCertificate;
    QSslKey clientKey;
    QDateTime expiration; ///< invalid = never expires
};

/// Parses a plugin's stdout; `apiVersion` is the one the kubeconfig asked for. Errors never quote the output
/// (it holds the credential).
Result<ExecCredential> parseExecCredential(const QByteArray &stdoutData, const QString &apiVersion);

/// One exec plugin for one cluster: runs it asynchronously (QProcess, no shell), coalesces concurrent requests and
/// caches the result until shortly before it expires. Shared between every Credentials with the same (exec, cluster).
class ExecSession final : public QObject
{
    Q_OBJECT
public:
    /// The session for (exec config, cluster); created on first use.
    static std::shared_ptr<ExecSession> forConfig(const ExecConfig &exec, const Cluster &cluster,
                                                  const QString &userName);
    ExecSession(const ExecConfig &exec, QJsonObject clusterInfo, QString userName);
    ~ExecSession() override;

    /// Calls `done` (on `context`'s thread) with the credential, running the plugin when nothing valid is cached.
    void get(QObject *context, std::function<void(Result<ExecCredential>)> done);
    /// The cached credential, if still valid.
    std::optional<ExecCredential> cached() const;
    /// Forgets the cached credential (the server rejected it).
    void invalidate();
    /// How many times the plugin was started (tests).
    int runCount() const { return m_runCount; }
    const ExecConfig &config() const { return m_exec; }

    /// Credentials expiring within this margin are refreshed before use.
    static constexpr int kRefreshMarginSeconds = 10;

private:
    void start();
    void finish(Result<ExecCredential> result);
    Error failure(const QString &message, const QString &hint) const;

    ExecConfig m_exec;
    QJsonObject m_clusterInfo;
    QString m_userName;
    std::optional<ExecCredential> m_cached;
    QProcess *m_process = nullptr;
    QTimer *m_timer = nullptr;
    bool m_timedOut = false;
    int m_runCount = 0;
    struct Waiter
    {
        QPointer<QObject> context;
        std::function<void(Result<ExecCredential>)> done;
    };
    QList<Waiter> m_waiters;
};

} // namespace orchestra::kubeconfig
