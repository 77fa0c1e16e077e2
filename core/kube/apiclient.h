#pragma once

#include "common/result.h"
#include "kube/status.h"
#include "kubeconfig/restconfig.h"

#include <QByteArray>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <functional>
#include <optional>

namespace orchestra::kube {

/// Accept header asking for the server-side Table format (kubectl's printer columns, CRD additionalPrinterColumns).
inline constexpr char tableAcceptHeader[] =
    "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";

/// One API request. `path` is the API path with its query, e.g. "/api/v1/namespaces/default/pods?limit=500".
struct Request final
{
    QByteArray verb = "GET";
    QString path;
    QByteArray body;
    QByteArray contentType; ///< e.g. application/json, application/merge-patch+json
    QByteArray accept = "application/json";
    int timeoutMs = 30000; ///< no bytes for this long = failure (0 = none, for streams)
    int maxRetries = 5;    ///< retries on 429 and on 5xx carrying Retry-After
};

/// The outcome of a request: a 2xx body, or a Status (from the server or synthesized for transport failures).
struct Response final
{
    int httpStatus = 0; ///< 0 when no response arrived
    QByteArray body;
    QByteArray contentType;
    bool http2 = false;           ///< the answer came over HTTP/2 (what API servers speak over TLS)
    std::optional<Status> status; ///< set when the request failed

    bool ok() const { return !status.has_value(); }
    /// The body as a JSON object (empty when it is not one).
    QJsonObject json() const;
    /// The failure as a user-facing Error naming `location` (an object or a path).
    Error error(const QString &location = {}) const;
};

class ApiClient;

/// A long-running response (watch, follow logs): bytes as they arrive, then finished(). A non-2xx answer is not
/// streamed: its body is collected and reported as the Status of finished().
class StreamReply final : public QObject
{
    Q_OBJECT
public:
    ~StreamReply() override;
    /// Stops the stream; finished() is not emitted afterwards.
    void abort();
    int httpStatus() const { return m_httpStatus; }
    /// The stream runs over HTTP/2 (known once opened()).
    bool http2() const { return m_http2; }

signals:
    /// The server accepted the request (2xx headers received).
    void opened();
    void dataReceived(const QByteArray &bytes);
    /// The stream ended: ok() when the server closed it normally.
    void finished(const orchestra::kube::Response &response);

private:
    friend class ApiClient;
    explicit StreamReply(QObject *parent);
    void attach(QNetworkReply *reply);
    void fail(const Response &response);

    QNetworkAccessManager *m_network = nullptr; // own connection: HTTP/1.1 allows only 6 per host and manager
    kubeconfig::RestConfig m_config;            // for describing transport failures
    QList<QSslError> m_sslErrors;
    QPointer<QNetworkReply> m_reply;
    int m_httpStatus = 0;
    bool m_http2 = false;
    QByteArray m_errorBody;
    bool m_done = false;
};

/// Talks to one cluster as one user (from a kubeconfig RestConfig): async requests with credentials applied,
/// timeouts, bounded retries honouring Retry-After, and Status errors; plus streams for watches and logs.
class ApiClient final : public QObject
{
    Q_OBJECT
public:
    explicit ApiClient(kubeconfig::RestConfig config, QObject *parent = nullptr);

    const kubeconfig::RestConfig &config() const { return m_config; }

    /// Sends `request`; `done` runs on `context`'s thread unless `context` was destroyed first.
    void send(const Request &request, QObject *context, std::function<void(const Response &)> done);
    /// Convenience: GET `path` and hand back the JSON body or the error.
    void getJson(const QString &path, QObject *context, std::function<void(Result<QJsonObject>)> done);
    /// Opens a stream (watch, follow logs). The caller owns the reply (parent it or delete it).
    StreamReply *openStream(const Request &request);

    /// Requests sent so far, including retries (for tests and the benchmark).
    int requestCount() const { return m_requestCount; }

private:
    void attempt(Request request, QPointer<QObject> context, std::function<void(const Response &)> done, int retry,
                 bool reauthenticated);
    QNetworkRequest prepare(const Request &request) const;
    void withCredentials(QObject *context, std::function<void(Result<void>)> then);

    kubeconfig::RestConfig m_config;
    QNetworkAccessManager m_network;
    int m_requestCount = 0;
};

/// Reads a finished reply into a Response (status set for transport errors and non-2xx answers).
Response responseFromReply(QNetworkReply *reply, const QByteArray &body);

} // namespace orchestra::kube
