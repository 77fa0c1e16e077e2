#pragma once

#include "common/result.h"
#include "kube/apiclient.h"
#include "kube/resourcekind.h"

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QStringDecoder>

#include <functional>

namespace orchestra::kube {

/// How a delete cascades to dependents (DeleteOptions.propagationPolicy).
enum class Propagation { Default, Background, Foreground, Orphan };

/// Per-object actions the cluster panel offers, as kubectl performs them. Callbacks run on `context`'s thread and
/// are dropped when `context` is destroyed.
class Operations final
{
public:
    explicit Operations(ApiClient *client)
        : m_client(client)
    {}

    void get(const ResourceKind &kind, const QString &ns, const QString &name, QObject *context,
             std::function<void(Result<QJsonObject>)> done) const;
    void remove(const ResourceKind &kind, const QString &ns, const QString &name, Propagation propagation,
                QObject *context, std::function<void(Result<void>)> done) const;
    /// Sets spec.replicas through the scale subresource (Deployments, ReplicaSets, StatefulSets, CRDs with scale).
    void scale(const ResourceKind &kind, const QString &ns, const QString &name, int replicas, QObject *context,
               std::function<void(Result<void>)> done) const;
    /// `kubectl rollout restart`: a strategic merge patch of the pod template's kubectl.kubernetes.io/restartedAt.
    void rolloutRestart(const ResourceKind &kind, const QString &ns, const QString &name, QObject *context,
                        std::function<void(Result<void>)> done,
                        const QDateTime &now = QDateTime::currentDateTimeUtc()) const;
    /// Events about one object (fieldSelector involvedObject.uid), oldest first.
    void events(const QString &ns, const QString &uid, QObject *context,
                std::function<void(Result<QList<QJsonObject>>)> done) const;

    /// The restart patch body (exposed for tests).
    static QByteArray restartPatch(const QDateTime &now);

private:
    QPointer<ApiClient> m_client;
};

/// What to fetch from a pod's log.
struct LogOptions final
{
    QString container; ///< empty = the pod's only container
    bool follow = false;
    int tailLines = -1; ///< -1 = all
    bool previous = false;
    bool timestamps = false;
    /// The query string for these options ("container=x&follow=true&tailLines=100...").
    QString query() const;
};

/// A pod's log as a text stream (follow keeps it open). Reports a clear error when the kubelet is unreachable.
class LogStream final : public QObject
{
    Q_OBJECT
public:
    LogStream(ApiClient *client, QString ns, QString pod, LogOptions options, QObject *parent = nullptr);
    ~LogStream() override;
    void start();
    void stop();
    bool isRunning() const { return m_reply != nullptr; }

    /// The message for a failed log request (the kubelet-unreachable case explained).
    static Error errorFor(const Response &response, const QString &ns, const QString &pod);

signals:
    /// Decoded text (may end mid-line; UTF-8 sequences split across reads are kept intact).
    void textReceived(const QString &text);
    /// The stream ended: ok when the log was read to its end (or the pod's container exited while following).
    void finished(const orchestra::Result<void> &result);

private:
    QPointer<ApiClient> m_client;
    QString m_namespace;
    QString m_pod;
    LogOptions m_options;
    StreamReply *m_reply = nullptr;
    QStringDecoder m_decoder{QStringDecoder::Utf8};
};

} // namespace orchestra::kube
