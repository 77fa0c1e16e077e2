#pragma once

// A test Kubernetes API server: HTTPS with its own CA, client-certificate and
// bearer-token users, an in-memory object store, discovery, Table output,
// paging, watches, server-side apply, logs, scale, the service proxy and fault
// knobs. Responses are shaped like the recorded kube-apiserver 1.20 fixtures.

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <functional>
#include <type_traits>

class QThread;

namespace orchestra::testing {

class Engine;

/// One request as the server received it (for client tests to assert on).
struct RecordedRequest
{
    QString method;
    QString path;
    QString query;
    QString contentType;
    QString accept;
    QString user;
    QByteArray body;
};

/// An in-process Kubernetes API server for tests and for developers.
class ApiServer final : public QObject
{
    Q_OBJECT

public:
    explicit ApiServer(QObject *parent = nullptr);
    ~ApiServer() override;

    /// Listens on 127.0.0.1:port (0 = any free port), serving from this thread.
    bool start(quint16 port = 0);
    /// Like start(), but serves from a thread of its own so that a client in
    /// this thread may block (QProcess::waitForFinished, benchmarks).
    bool startInThread(quint16 port = 0);
    /// Loads ca.crt/ca.key/server.crt/server.key/admin.crt/admin.key from dir
    /// instead of generating them (call before start; missing files are generated there).
    void setTlsDirectory(const QString &dir);
    void stop();

    QUrl url() const;
    quint16 port() const;
    QByteArray caCertificatePem() const;
    /// Folder with ca.crt, server.crt/key and admin.crt/key.
    QString tlsDirectory() const;
    QString lastError() const;

    // --- authentication and authorization
    void addTokenUser(const QString &token, const QString &user, bool admin);
    /// Lets `user` do `verb` (get, list, watch, create, update, patch, delete, * ...)
    /// on `resource` (pods, pods/log, * ...) in every namespace.
    void allow(const QString &user, const QString &verb, const QString &resource);
    /// Issues a client certificate signed by the CA (CN = user, O = groups);
    /// returns {certPem, keyPem}.
    QPair<QByteArray, QByteArray> issueClientCertificate(const QString &user, const QStringList &groups = {});
    /// A kubeconfig for `user`: "admin" uses the client certificate, any other
    /// user the bearer token registered for it (addTokenUser; "learner" built in).
    bool writeKubeconfig(const QString &path, const QString &user = QStringLiteral("admin"),
                         const QString &nameSpace = QStringLiteral("default")) const;

    // --- object store
    /// Stores `object` (apiVersion + kind decide the resource) as a create by
    /// the API would: uid, resourceVersion, creationTimestamp, generation. Returns it.
    QJsonObject create(const QJsonObject &object);
    /// Creates every document of a YAML or JSON manifest; returns how many.
    int createFromYaml(const QByteArray &yaml);
    /// Adds `count` realistic running pods (owned by ReplicaSets) to nameSpace.
    void addPods(int count, const QString &nameSpace = QStringLiteral("default"));
    QJsonObject get(const QString &group, const QString &version, const QString &resource, const QString &nameSpace,
                    const QString &name) const;
    bool remove(const QString &group, const QString &version, const QString &resource, const QString &nameSpace,
                const QString &name);
    /// Merges `mergePatch` (RFC 7386) into the object; emits MODIFIED.
    QJsonObject modify(const QString &group, const QString &version, const QString &resource, const QString &nameSpace,
                       const QString &name, const QJsonObject &mergePatch);
    void setPodPhase(const QString &nameSpace, const QString &name, const QString &phase);
    int count(const QString &group, const QString &resource) const;
    QString resourceVersion() const;

    // --- logs and proxy
    void setPodLogs(const QString &nameSpace, const QString &pod, const QString &container, const QStringList &lines);
    void appendPodLog(const QString &nameSpace, const QString &pod, const QString &container, const QString &line);
    void setKubeletReachable(bool reachable);
    void setServiceProxyUpstream(const QString &nameSpace, const QString &service, int port, const QUrl &upstream);

    // --- faults
    void closeWatches();
    void setStallWatches(bool stall);
    /// Drops every watch; every resourceVersion and continue token issued before becomes too old (410).
    void restart();
    void failNext(int count, int httpStatus = 503, int retryAfterSeconds = 1);
    void setResponseDelay(int ms);
    /// How often watches with allowWatchBookmarks get a BOOKMARK (default 1000 ms).
    void setBookmarkInterval(int ms);
    int openWatchCount() const;

    // --- request log
    QList<RecordedRequest> requests() const;
    void clearRequests();

signals:
    void requestReceived(const QString &method, const QString &path);

private:
    template<typename F>
    auto call(F &&f) const -> std::invoke_result_t<F>;

    Engine *m_engine = nullptr;
    QThread *m_thread = nullptr;
};

} // namespace orchestra::testing
