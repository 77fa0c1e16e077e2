#include "kube/apiclient.h"

#include "kubeconfig/connectioncheck.h"

#include <QJsonDocument>
#include <algorithm>

namespace orchestra::kube {

namespace {

int retryAfterSeconds(QNetworkReply *reply)
{
    bool ok = false;
    const int seconds = reply->rawHeader("Retry-After").trimmed().toInt(&ok);
    return ok ? seconds : -1;
}

} // namespace

QJsonObject Response::json() const
{
    return QJsonDocument::fromJson(body).object();
}

Error Response::error(const QString &location) const
{
    if (!status)
        return Error{QStringLiteral("No error."), {}, location, httpStatus};
    return status->toError(location);
}

Response responseFromReply(QNetworkReply *reply, const QByteArray &body)
{
    Response response;
    response.httpStatus = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    response.body = body;
    response.contentType = reply->header(QNetworkRequest::ContentTypeHeader).toByteArray();
    response.http2 = reply->attribute(QNetworkRequest::Http2WasUsedAttribute).toBool();
    if (response.httpStatus == 0) {
        // ApiClient never aborts a plain request itself, so a cancelled one ran into its transfer timeout.
        if (reply->error() == QNetworkReply::OperationCanceledError || reply->error() == QNetworkReply::TimeoutError)
            response.status = Status::fromTimeout(
                QStringLiteral("The API server at %1 did not answer in time.").arg(reply->url().host()));
        else
            response.status = Status::fromNetworkError(reply->errorString());
    } else if (response.httpStatus < 200 || response.httpStatus >= 300) {
        Status status = Status::fromHttp(response.httpStatus, body);
        const int retryAfter = retryAfterSeconds(reply);
        if (retryAfter >= 0)
            status.retryAfterSeconds = retryAfter;
        response.status = status;
    }
    return response;
}

namespace {

/// A failure without an HTTP answer, described as the connection check does: DNS, refused, TLS naming the
/// certificate and host, client certificate rejected, proxy (with what the https-proxy relay saw).
void describeTransportFailure(Response &response, const kubeconfig::RestConfig &config, QNetworkReply *reply,
                              const QList<QSslError> &sslErrors)
{
    if (response.httpStatus != 0 || !response.status || response.status->isTimeout())
        return;
    const Error described = kubeconfig::describeReplyError(config, reply, sslErrors, false).second;
    Status status = Status::fromNetworkError(described.message);
    status.hint = described.hint;
    response.status = status;
}

/// The credentials could not be made ready (exec plugin failed, token file unreadable): nothing was sent, and the
/// caller sees it as the 401 the server would have answered.
Response credentialFailure(const Error &error)
{
    Status status;
    status.code = 401;
    status.reason = QStringLiteral("Unauthorized");
    status.message = error.message;
    status.hint = error.hint;
    Response response;
    response.status = status;
    return response;
}

} // namespace

ApiClient::ApiClient(kubeconfig::RestConfig config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
{
    m_network.setProxy(m_config.networkProxy());
    m_network.setAutoDeleteReplies(false);
}

QNetworkRequest ApiClient::prepare(const Request &request) const
{
    QNetworkRequest networkRequest = m_config.request(request.path);
    networkRequest.setRawHeader("Accept", request.accept);
    networkRequest.setRawHeader("User-Agent", "orchestra/0.1 (Qt)");
    if (!request.contentType.isEmpty())
        networkRequest.setHeader(QNetworkRequest::ContentTypeHeader, request.contentType);
    networkRequest.setTransferTimeout(request.timeoutMs);
    if (m_config.credentials)
        m_config.credentials->apply(networkRequest);
    return networkRequest;
}

void ApiClient::withCredentials(QObject *context, std::function<void(Result<void>)> then)
{
    if (!m_config.credentials) {
        then(Result<void>());
        return;
    }
    m_config.credentials->ensureReady(context, std::move(then));
}

void ApiClient::send(const Request &request, QObject *context, std::function<void(const Response &)> done)
{
    attempt(request, QPointer<QObject>(context), std::move(done), 0, false);
}

void ApiClient::attempt(Request request, QPointer<QObject> context, std::function<void(const Response &)> done,
                        int retry, bool reauthenticated)
{
    withCredentials(this, [this, request, context, done = std::move(done), retry,
                           reauthenticated](Result<void> ready) mutable {
        if (!context)
            return;
        if (!ready.ok()) {
            done(credentialFailure(ready.error()));
            return;
        }
        ++m_requestCount;
        QNetworkReply *reply = m_network.sendCustomRequest(prepare(request), request.verb, request.body);
        auto sslErrors = std::make_shared<QList<QSslError>>();
        connect(reply, &QNetworkReply::sslErrors, this,
                [sslErrors](const QList<QSslError> &list) { *sslErrors += list; });
        connect(reply, &QNetworkReply::finished, this,
                [this, reply, request, context, done = std::move(done), retry, reauthenticated, sslErrors]() mutable {
                    reply->deleteLater();
                    Response response = responseFromReply(reply, reply->readAll());
                    describeTransportFailure(response, m_config, reply, *sslErrors);
                    if (!context)
                        return;
                    const int code = response.httpStatus;
                    if (code == 401 && !reauthenticated && m_config.credentials && m_config.credentials->invalidate()) {
                        attempt(request, context, std::move(done), retry, true);
                        return;
                    }
                    const bool hasRetryAfter = retryAfterSeconds(reply) >= 0;
                    const bool retryable = code == 429 || (code >= 500 && hasRetryAfter);
                    if (retryable && retry < request.maxRetries) {
                        // client-go's checkWait: wait what the server asked (bounded), then try again.
                        const int seconds = std::clamp(response.status->retryAfterSeconds, 1, 30);
                        QTimer::singleShot(
                            seconds * 1000, this,
                            [this, request, context, done = std::move(done), retry, reauthenticated]() mutable {
                                attempt(request, context, std::move(done), retry + 1, reauthenticated);
                            });
                        return;
                    }
                    done(response);
                });
    });
}

void ApiClient::getJson(const QString &path, QObject *context, std::function<void(Result<QJsonObject>)> done)
{
    Request request;
    request.path = path;
    send(request, context, [done = std::move(done), path](const Response &response) {
        if (!response.ok()) {
            done(response.error(path));
            return;
        }
        done(response.json());
    });
}

StreamReply *ApiClient::openStream(const Request &request)
{
    auto *stream = new StreamReply(nullptr);
    stream->m_network->setProxy(m_config.networkProxy());
    QPointer<StreamReply> guard(stream);
    // The reply may outlive this client (owners delete streams later), so the client is guarded too.
    QPointer<ApiClient> self(this);
    withCredentials(stream, [this, self, guard, request](Result<void> ready) {
        if (!guard || !self)
            return;
        if (!ready.ok()) {
            guard->fail(credentialFailure(ready.error()));
            return;
        }
        ++m_requestCount;
        guard->m_config = m_config;
        guard->attach(guard->m_network->sendCustomRequest(prepare(request), request.verb, request.body));
    });
    return stream;
}

StreamReply::StreamReply(QObject *parent)
    : QObject(parent)
    , m_network(new QNetworkAccessManager(this))
{}

StreamReply::~StreamReply()
{
    m_done = true;
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
    }
}

void StreamReply::abort()
{
    m_done = true;
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
    }
}

void StreamReply::fail(const Response &response)
{
    if (m_done)
        return;
    m_done = true;
    emit finished(response);
}

void StreamReply::attach(QNetworkReply *reply)
{
    m_reply = reply;
    connect(reply, &QNetworkReply::sslErrors, this, [this](const QList<QSslError> &list) { m_sslErrors += list; });
    connect(reply, &QNetworkReply::metaDataChanged, this, [this, reply] {
        m_httpStatus = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        m_http2 = reply->attribute(QNetworkRequest::Http2WasUsedAttribute).toBool();
        if (m_httpStatus >= 200 && m_httpStatus < 300)
            emit opened();
    });
    connect(reply, &QIODevice::readyRead, this, [this, reply] {
        if (m_done)
            return;
        const QByteArray bytes = reply->readAll();
        if (m_httpStatus >= 200 && m_httpStatus < 300)
            emit dataReceived(bytes);
        else
            m_errorBody += bytes;
    });
    connect(reply, &QNetworkReply::finished, this, [this, reply] {
        reply->deleteLater();
        if (m_done)
            return;
        m_errorBody += reply->readAll();
        Response response = responseFromReply(reply, m_errorBody);
        describeTransportFailure(response, m_config, reply, m_sslErrors);
        // A stream cut by the network after a 200 is a failure even though the status code was fine.
        if (response.ok() && reply->error() != QNetworkReply::NoError &&
            reply->error() != QNetworkReply::RemoteHostClosedError)
            response.status = Status::fromNetworkError(reply->errorString());
        m_done = true;
        emit finished(response);
    });
}

} // namespace orchestra::kube
