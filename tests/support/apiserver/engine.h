#pragma once

// Internals of the test API server: everything runs in the Engine's thread.

#include "apiserver.h"

#include <QByteArray>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QMap>
#include <QMutex>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QSslCertificate>
#include <QSslKey>
#include <QTcpServer>
#include <QUrl>
#include <QUrlQuery>

#include <deque>
#include <list>
#include <map>
#include <memory>
#include <optional>

class QSslSocket;
class QTimer;
class QNetworkAccessManager;

namespace orchestra::testing {

/// One served resource (plural) in one group/version.
struct ResourceType
{
    QString group;
    QString version;
    QString resource;
    QString singular;
    QString kind;
    bool namespaced = true;
    bool custom = false;
    QStringList shortNames;
    QStringList categories;
    QStringList subresources;
    QStringList verbs;
    QJsonArray printerColumns;

    QString groupVersion() const { return group.isEmpty() ? version : group + QLatin1Char('/') + version; }
    QString storeKey() const { return group + QLatin1Char('/') + resource; }
};

/// An object as stored: compact JSON without kind/apiVersion plus index fields.
struct StoredObject
{
    QByteArray body;
    QString nameSpace;
    QString name;
    QString uid;
    quint64 rv = 0;
    QList<QPair<QString, QString>> labels;
};

struct WatchEvent
{
    QString storeKey;
    QByteArray type;
    StoredObject object;
};

/// A parsed HTTP/1.1 request.
struct HttpRequest
{
    QByteArray method;
    QString path;
    QByteArray rawQuery;
    QUrlQuery query;
    QHash<QByteArray, QByteArray> headers;
    QByteArray body;
    QString user;
    QStringList groups;
    bool authenticated = false;
    bool badToken = false;

    QByteArray header(const char *name) const { return headers.value(QByteArray(name)); }
    QString param(const QString &name) const { return query.queryItemValue(name, QUrl::FullyDecoded); }
    bool hasParam(const QString &name) const { return query.hasQueryItem(name); }
};

class Engine;

/// One TLS client connection; parses requests and writes responses.
class HttpConnection final : public QObject
{
    Q_OBJECT
public:
    HttpConnection(QSslSocket *socket, Engine *engine);
    void sendResponse(int status, const QByteArray &contentType, const QByteArray &body,
                      const QList<QPair<QByteArray, QByteArray>> &extraHeaders = {});
    void startChunked(int status, const QByteArray &contentType);
    void sendChunk(const QByteArray &data);
    void endChunked();
    void abort();
    bool isStreaming() const { return m_streaming; }
    /// False once the peer went away: writes are then dropped instead of reaching a dead socket.
    bool isOpen() const;
    QSslSocket *socket() const { return m_socket; }
    QString certUser;
    QStringList certGroups;

signals:
    void closed();

private:
    void onReadyRead();
    void processBuffer();
    void finishResponse();
    void markClosed();

    QSslSocket *m_socket;
    Engine *m_engine;
    QByteArray m_buffer;
    bool m_busy = false;
    bool m_streaming = false;
    bool m_closeAfter = false;
    bool m_closed = false;
};

/// A running watch stream.
struct Watch
{
    QPointer<HttpConnection> conn;
    ResourceType type;
    QString nameSpace;
    QString labelSelector;
    QString fieldSelector;
    bool table = false;
    QString includeObject;
    bool bookmarks = false;
    bool firstTable = true;
    quint64 lastRv = 0;
    QTimer *timeout = nullptr;
    /// Set when the stream is over; the Watch is erased once no loop over the watches runs.
    bool ended = false;
};

struct LogStream
{
    QPointer<HttpConnection> conn;
    QString key;
    bool timestamps = false;
};

/// The server itself (lives in the serving thread).
class Engine final : public QTcpServer
{
    Q_OBJECT
public:
    explicit Engine(QObject *parent = nullptr);
    ~Engine() override;

    bool startServer(quint16 port);
    void stopServer();
    void handle(HttpConnection *conn, HttpRequest request);

    // TLS and auth
    QString tlsDir;
    QString explicitTlsDir;
    QString lastError;
    QByteArray caPem;
    QSslCertificate serverCert;
    QSslKey serverKey;
    QSet<QByteArray> issuedDigests;
    QHash<QString, QPair<QString, bool>> tokens; // token -> (user, admin)
    QHash<QString, QSet<QString>> permissions;   // user -> "verb resource"
    bool ensureTls();
    QPair<QByteArray, QByteArray> issueClientCert(const QString &user, const QStringList &groups);
    bool writeKubeconfig(const QString &path, const QString &user, const QString &nameSpace) const;

    // Store API
    QJsonObject createObject(const QJsonObject &object, QString *error = nullptr);
    int createFromYaml(const QByteArray &yaml);
    void addPods(int count, const QString &nameSpace);
    QJsonObject getObject(const QString &group, const QString &version, const QString &resource, const QString &ns,
                          const QString &name) const;
    bool removeObject(const QString &group, const QString &resource, const QString &ns, const QString &name);
    QJsonObject modifyObject(const QString &group, const QString &version, const QString &resource, const QString &ns,
                             const QString &name, const QJsonObject &patch);
    int countObjects(const QString &group, const QString &resource) const;
    quint64 currentRv() const { return m_rv; }

    void setLogs(const QString &ns, const QString &pod, const QString &container, const QStringList &lines);
    void appendLog(const QString &ns, const QString &pod, const QString &container, const QString &line);
    bool kubeletReachable = true;
    QHash<QString, QUrl> proxyUpstreams; // "ns/service:port" -> url

    void closeAllWatches();
    void setStall(bool stall) { m_stall = stall; }
    void restartServer();
    int failCount = 0;
    int failStatus = 503;
    int failRetryAfter = 1;
    int responseDelay = 0;
    int bookmarkInterval = 1000;
    int watchCount() const;

    mutable QMutex requestMutex;
    QList<RecordedRequest> requestLog;

signals:
    void requestReceived(const QString &method, const QString &path);

protected:
    void incomingConnection(qintptr handle) override;

private:
    // registry
    void registerBuiltins();
    void addType(const ResourceType &type);
    const ResourceType *findType(const QString &group, const QString &version, const QString &resource) const;
    const ResourceType *findTypeByKind(const QString &apiVersion, const QString &kind) const;
    void registerCrd(const QJsonObject &crd);
    void unregisterCrd(const QJsonObject &crd);

    // dispatch
    void dispatch(HttpConnection *conn, HttpRequest &request);
    void serveDiscovery(HttpConnection *conn, const HttpRequest &request, const QStringList &segments);
    void serveOpenApi(HttpConnection *conn, const QStringList &gvSegments);
    void serveResource(HttpConnection *conn, HttpRequest &request, const ResourceType &type, const QString &ns,
                       const QString &name, const QString &sub, const QStringList &rest);
    void serveList(HttpConnection *conn, const HttpRequest &request, const ResourceType &type, const QString &ns);
    void serveWatch(HttpConnection *conn, const HttpRequest &request, const ResourceType &type, const QString &ns);
    void serveCreate(HttpConnection *conn, const HttpRequest &request, const ResourceType &type, const QString &ns);
    void serveUpdate(HttpConnection *conn, const HttpRequest &request, const ResourceType &type, const QString &ns,
                     const QString &name, const QString &sub);
    void servePatch(HttpConnection *conn, const HttpRequest &request, const ResourceType &type, const QString &ns,
                    const QString &name, const QString &sub);
    void serveApply(HttpConnection *conn, const HttpRequest &request, const ResourceType &type, const QString &ns,
                    const QString &name);
    void serveDelete(HttpConnection *conn, const HttpRequest &request, const ResourceType &type, const QString &ns,
                     const QString &name);
    void serveDeleteCollection(HttpConnection *conn, const HttpRequest &request, const ResourceType &type,
                               const QString &ns);
    void serveLog(HttpConnection *conn, const HttpRequest &request, const QString &ns, const QString &name);
    void serveProxy(HttpConnection *conn, const HttpRequest &request, const QString &ns, const QString &service,
                    const QStringList &rest);
    void serveScale(HttpConnection *conn, const HttpRequest &request, const ResourceType &type, const QString &ns,
                    const QString &name);
    void serveReview(HttpConnection *conn, const HttpRequest &request, const ResourceType &type);
    bool authorize(HttpConnection *conn, const HttpRequest &request, const QString &verb, const ResourceType &type,
                   const QString &ns, const QString &name, const QString &sub);
    bool isAllowed(const HttpRequest &request, const QString &verb, const QString &resource) const;

    // store internals
    using Collection = QMap<QString, StoredObject>;
    /// The objects of one resource (an empty collection if there are none), by reference: a
    /// copy would make the next change to the collection deep-copy it (O(n) per change).
    const Collection &storeOf(const QString &storeKey) const;
    QString objectKey(const QString &ns, const QString &name) const;
    /// The key of a named object of `type` (a cluster-scoped type ignores ns).
    QString objectKey(const ResourceType &type, const QString &ns, const QString &name) const;
    /// The stored object, or null; valid until the collection changes.
    const StoredObject *findStored(const ResourceType &type, const QString &ns, const QString &name) const;
    StoredObject makeStored(const QJsonObject &bodyWithoutTypeMeta) const;
    QJsonObject fullObject(const ResourceType &type, const StoredObject &object) const;
    QByteArray fullJson(const ResourceType &type, const StoredObject &object) const;
    /// Stores a new or changed object (assigning the next resourceVersion) and emits the watch event.
    StoredObject commit(const ResourceType &type, QJsonObject object, const QByteArray &eventType);
    /// commit(), and a CustomResourceDefinition created or replaced (re)registers the types it serves.
    StoredObject commitAndRegister(const ResourceType &type, const QJsonObject &object, const QByteArray &eventType);
    /// Creates namespace ns unless it exists.
    void ensureNamespace(const QString &ns);
    void deleteStored(const ResourceType &type, const QString &key, bool cascade);
    void emitEvent(const QString &storeKey, const QByteArray &type, const StoredObject &object);
    QJsonObject prepareCreate(const ResourceType &type, QJsonObject object, const QString &ns) const;
    QJsonArray validate(const ResourceType &type, const QJsonObject &object, bool create) const;
    bool matches(const StoredObject &object, const QString &labelSelector, const QString &fieldSelector,
                 const ResourceType &type) const;

    // watch internals
    void deliver(Watch &watch, const WatchEvent &event);
    QByteArray encodeWatchEvent(Watch &watch, const QByteArray &type, const StoredObject &object);
    void endWatch(Watch *watch);
    /// Detaches every watch and log stream of a connection that went away.
    void dropConnection(HttpConnection *conn);
    /// Erases ended watches and dead log streams, unless a loop over them is running.
    void purgeStreams();
    void sendBookmarks();

    // tables
    QJsonObject tableFor(const ResourceType &type, const QList<const StoredObject *> &objects,
                         const QString &includeObject, bool withColumns) const;

    // responses
    void sendJson(HttpConnection *conn, int status, const QByteArray &json,
                  const QList<QPair<QByteArray, QByteArray>> &headers = {});
    void sendObject(HttpConnection *conn, int status, const QJsonObject &object);
    void sendStatus(HttpConnection *conn, int code, const QString &reason, const QString &message,
                    const QJsonObject &details = {}, const QList<QPair<QByteArray, QByteArray>> &headers = {});
    void sendNotFound(HttpConnection *conn, const ResourceType &type, const QString &name);
    void sendUnknownResource(HttpConnection *conn);
    /// 422 Invalid with the causes; `summary`, when given, follows the message's "is invalid: ".
    void sendInvalid(HttpConnection *conn, const ResourceType &type, const QString &name, const QJsonArray &causes,
                     const QString &summary = QString());
    /// Answers with an object that is not stored (a dry run, or an apply that changes nothing).
    void sendUnstored(HttpConnection *conn, int status, const ResourceType &type, QJsonObject object);
    /// The end of a create (eventType "ADDED", 201) or an update or apply ("MODIFIED", 200): a dry run answers with
    /// the object as it would be stored; otherwise it is committed (see commitAndRegister) and answered as stored.
    void finishWrite(HttpConnection *conn, const HttpRequest &request, const ResourceType &type,
                     const QJsonObject &object, const QByteArray &eventType);
    /// The request body as a JSON object, or nothing when it is not one (answered 400 as the real server does).
    std::optional<QJsonObject> jsonBody(HttpConnection *conn, const HttpRequest &request, const ResourceType &type);
    /// False (answered 400) when the object in the body names another object than the URL.
    bool requireSameName(HttpConnection *conn, const QJsonObject &object, const QString &name);
    /// False (answered 404) when a namespaced type's namespace does not exist.
    bool requireNamespace(HttpConnection *conn, const ResourceType &type, const QString &ns);

    QList<ResourceType> m_types;
    // storeKey -> ("ns/name" -> object). A std::map: references to a collection stay valid
    // while other collections are added or removed.
    std::map<QString, Collection> m_store;
    std::deque<WatchEvent> m_history;
    quint64 m_rv = 0;
    quint64 m_historyStart = 0; // oldest resourceVersion a watch or continue may start from
    std::list<std::unique_ptr<Watch>> m_watches;
    // Loops over m_watches / m_logStreams in progress: a write inside them can report the
    // connection closed synchronously, so erasing is deferred until they finish.
    int m_streamLoops = 0;
    std::list<LogStream> m_logStreams;
    QHash<QString, QList<QPair<QString, QString>>> m_logs; // "ns/pod/container" -> (timestamp, line)
    QSet<HttpConnection *> m_connections;
    QTimer *m_bookmarkTimer = nullptr;
    QNetworkAccessManager *m_network = nullptr;
    bool m_stall = false;
    QString m_clusterIpBase;
    int m_nextIp = 10;
};

} // namespace orchestra::testing
