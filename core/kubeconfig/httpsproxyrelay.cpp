#include "kubeconfig/httpsproxyrelay.h"

#include "kubeconfig/connectioncheck.h"

#include <QHostAddress>
#include <QLoggingCategory>
#include <QMutex>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>
#include <QTimer>

#include <atomic>

namespace orchestra::kubeconfig {

Q_LOGGING_CATEGORY(lcRelay, "orchestra.kubeconfig.proxyrelay", QtWarningMsg)

namespace {

constexpr qsizetype maxRequestHead = 64 * 1024;
constexpr int proxyConnectTimeoutMs = 30000;

} // namespace

/// State shared by the owner and the relay thread: settings are fixed after construction, the rest is locked or
/// atomic.
struct RelayShared
{
    QUrl proxy;
    ProxyTlsSettings tls;
    QByteArray tunnelTarget;       // lower-case "host:port"
    QByteArray proxyAuthorization; // "Basic ..." or empty
    mutable QMutex mutex;
    QString lastError;
    std::atomic<int> connections{0};

    void setLastError(const QString &text)
    {
        QMutexLocker lock(&mutex);
        lastError = text;
    }
};

namespace {

/// One relayed connection: Qt's plain-text side <-> TLS to the proxy. Lives in the relay thread.
class RelayConnection final : public QObject
{
public:
    RelayConnection(QTcpSocket *client, std::shared_ptr<RelayShared> shared, QObject *parent)
        : QObject(parent)
        , m_shared(std::move(shared))
        , m_client(client)
        , m_upstream(new QSslSocket(this))
    {
        m_client->setParent(this);
        ++m_shared->connections;
        connect(m_client, &QTcpSocket::readyRead, this, &RelayConnection::readClient);
        connect(m_client, &QTcpSocket::disconnected, this, &RelayConnection::clientGone);
        connect(m_upstream, &QSslSocket::encrypted, this, &RelayConnection::upstreamReady);
        connect(m_upstream, &QSslSocket::readyRead, this, [this]() { m_client->write(m_upstream->readAll()); });
        connect(m_upstream, &QSslSocket::sslErrors, this, &RelayConnection::checkSslErrors);
        connect(m_upstream, &QSslSocket::errorOccurred, this, &RelayConnection::upstreamError);
        connect(m_upstream, &QSslSocket::disconnected, this, &RelayConnection::upstreamGone);

        const ProxyTlsSettings &tls = m_shared->tls;
        QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
        if (tls.insecureSkipTlsVerify)
            ssl.setPeerVerifyMode(QSslSocket::VerifyNone);
        else if (!tls.caCertificates.isEmpty())
            ssl.setCaCertificates(tls.caCertificates);
        if (!tls.clientCertificate.isNull() && !tls.clientKey.isNull()) {
            ssl.setLocalCertificate(tls.clientCertificate);
            ssl.setPrivateKey(tls.clientKey);
        }
        m_upstream->setSslConfiguration(ssl);
        m_upstream->setProxy(QNetworkProxy::NoProxy);
        m_timer.setSingleShot(true);
        connect(&m_timer, &QTimer::timeout, this, [this]() {
            fail(QStringLiteral("it did not complete the TLS handshake within %1 s").arg(proxyConnectTimeoutMs / 1000));
        });
        m_timer.start(proxyConnectTimeoutMs);
        const QUrl &proxy = m_shared->proxy;
        m_upstream->connectToHostEncrypted(proxy.host(), quint16(proxy.port(443)),
                                           tls.serverName.isEmpty() ? proxy.host() : tls.serverName);
        readClient();
    }

private:
    void readClient()
    {
        if (m_headDone) {
            m_toUpstream += m_client->readAll();
            flush();
            return;
        }
        m_head += m_client->readAll();
        const qsizetype end = m_head.indexOf("\r\n\r\n");
        if (end < 0) {
            if (m_head.size() > maxRequestHead)
                answerAndClose("400 Bad Request", "request head too large");
            return;
        }
        m_headDone = true;
        m_toUpstream += withProxyAuthorization(m_head.left(end + 2)) + m_head.mid(end + 2);
        m_head.clear();
        flush();
    }

    /// Adds Proxy-Authorization to a CONNECT for the cluster when the proxy URL carries credentials and Qt did
    /// not send its own. Other requests pass unchanged (Qt answers a 407 itself with the same credentials).
    QByteArray withProxyAuthorization(QByteArray head) const
    {
        if (m_shared->proxyAuthorization.isEmpty())
            return head;
        const qsizetype lineEnd = head.indexOf("\r\n");
        const QList<QByteArray> requestLine = head.left(lineEnd).split(' ');
        if (requestLine.size() != 3 || requestLine[0] != "CONNECT" ||
            requestLine[1].toLower() != m_shared->tunnelTarget)
            return head;
        if (head.toLower().contains("\r\nproxy-authorization:"))
            return head;
        return head + "Proxy-Authorization: " + m_shared->proxyAuthorization + "\r\n";
    }

    void flush()
    {
        if (m_ready && !m_toUpstream.isEmpty()) {
            m_upstream->write(m_toUpstream);
            m_toUpstream.clear();
        }
    }

    void upstreamReady()
    {
        m_timer.stop();
        m_ready = true;
        m_shared->setLastError({});
        flush();
    }

    void checkSslErrors(const QList<QSslError> &errors)
    {
        if (m_shared->tls.insecureSkipTlsVerify) {
            m_upstream->ignoreSslErrors();
            return;
        }
        const QSslError &first = errors.first();
        const QString verifyName =
            m_shared->tls.serverName.isEmpty() ? m_shared->proxy.host() : m_shared->tls.serverName;
        m_sslFailure = QStringLiteral("TLS verification failed for its certificate %1 (checked as \"%2\"): %3")
                           .arg(certificateName(first.certificate()), verifyName, first.errorString());
    }

    void upstreamError(QAbstractSocket::SocketError error)
    {
        if (m_ready)
            return; // a closed tunnel is reported through disconnected()
        QString text = m_sslFailure;
        if (text.isEmpty()) {
            switch (error) {
            case QAbstractSocket::HostNotFoundError:
                text = QStringLiteral("its host name could not be resolved (DNS)");
                break;
            case QAbstractSocket::ConnectionRefusedError:
                text = QStringLiteral("it refused the connection");
                break;
            default:
                text = QStringLiteral("the TLS connection to it failed: %1").arg(m_upstream->errorString());
            }
        }
        fail(text);
    }

    void fail(const QString &text)
    {
        if (m_failed)
            return;
        m_failed = true;
        m_timer.stop();
        qCDebug(lcRelay) << "relay failed:" << text;
        m_shared->setLastError(text);
        m_upstream->abort();
        answerAndClose("502 Bad Gateway", text.toUtf8());
    }

    void answerAndClose(const QByteArray &status, const QByteArray &body)
    {
        m_client->write("HTTP/1.1 " + status + "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: " +
                        QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
        m_client->disconnectFromHost();
        if (m_client->state() == QAbstractSocket::UnconnectedState)
            deleteLater();
    }

    void clientGone()
    {
        if (m_upstream->state() == QAbstractSocket::ConnectedState) {
            m_upstream->disconnectFromHost(); // upstreamGone() finishes
            return;
        }
        m_failed = true; // Qt gave up before the proxy answered: nothing to report
        m_timer.stop();
        m_upstream->abort();
        deleteLater();
    }

    void upstreamGone()
    {
        if (m_failed)
            return;
        if (m_upstream->bytesAvailable() > 0)
            m_client->write(m_upstream->readAll());
        if (m_client->state() == QAbstractSocket::UnconnectedState)
            deleteLater();
        else
            m_client->disconnectFromHost();
    }

    std::shared_ptr<RelayShared> m_shared;
    QTcpSocket *m_client;
    QSslSocket *m_upstream;
    QTimer m_timer;
    QByteArray m_head;
    QByteArray m_toUpstream;
    QString m_sslFailure;
    bool m_headDone = false;
    bool m_ready = false;
    bool m_failed = false;
};

} // namespace

class HttpsProxyRelay::Private
{
public:
    std::shared_ptr<RelayShared> shared = std::make_shared<RelayShared>();
    QMutex startMutex;
    QThread *thread = nullptr;
    QObject *root = nullptr; // lives in `thread`; the server and connections are its children
    quint16 port = 0;
};

HttpsProxyRelay::HttpsProxyRelay(QUrl proxy, ProxyTlsSettings tls, QString tunnelTarget)
    : d(std::make_unique<Private>())
{
    RelayShared &shared = *d->shared;
    if (!proxy.userName().isEmpty())
        shared.proxyAuthorization =
            "Basic " + (proxy.userName(QUrl::FullyDecoded) + QLatin1Char(':') + proxy.password(QUrl::FullyDecoded))
                           .toUtf8()
                           .toBase64();
    shared.proxy = std::move(proxy);
    shared.tls = std::move(tls);
    shared.tunnelTarget = tunnelTarget.toLower().toUtf8();
}

HttpsProxyRelay::~HttpsProxyRelay()
{
    if (d->thread) {
        d->thread->quit(); // finished() deletes root (and with it the server and open connections) in the thread
        d->thread->wait();
        delete d->thread;
    }
}

QNetworkProxy HttpsProxyRelay::networkProxy()
{
    QMutexLocker lock(&d->startMutex);
    if (!d->thread) {
        d->thread = new QThread;
        d->thread->setObjectName(QStringLiteral("https-proxy-relay"));
        d->root = new QObject;
        d->root->moveToThread(d->thread);
        QObject::connect(d->thread, &QThread::finished, d->root, &QObject::deleteLater);
        d->thread->start();
        std::shared_ptr<RelayShared> shared = d->shared;
        QObject *root = d->root;
        quint16 port = 0;
        QMetaObject::invokeMethod(
            root,
            [root, shared, &port]() {
                auto *server = new QTcpServer(root);
                server->setProxy(QNetworkProxy::NoProxy);
                if (!server->listen(QHostAddress::LocalHost, 0)) {
                    shared->setLastError(
                        QStringLiteral("the local relay to it could not listen: %1").arg(server->errorString()));
                    return;
                }
                port = server->serverPort();
                QObject::connect(server, &QTcpServer::newConnection, server, [server, shared, root]() {
                    while (QTcpSocket *client = server->nextPendingConnection())
                        new RelayConnection(client, shared, root);
                });
            },
            Qt::BlockingQueuedConnection);
        d->port = port;
    }
    // Qt answers a 407 for plain-HTTP requests itself with these; CONNECTs get them from the relay up front.
    return QNetworkProxy(QNetworkProxy::HttpProxy, QStringLiteral("127.0.0.1"), d->port,
                         d->shared->proxy.userName(QUrl::FullyDecoded), d->shared->proxy.password(QUrl::FullyDecoded));
}

QString HttpsProxyRelay::lastError() const
{
    QMutexLocker lock(&d->shared->mutex);
    return d->shared->lastError;
}

int HttpsProxyRelay::connectionCount() const
{
    return d->shared->connections;
}

} // namespace orchestra::kubeconfig
