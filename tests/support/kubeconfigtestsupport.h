#pragma once

// Test-only helpers for the kubeconfig tests: a throw-away PKI made by openssl at test time, and a tiny HTTPS (or
// HTTP) server that answers like a kube-apiserver for /version and the access reviews.

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QHash>
#include <QHostAddress>
#include <QNetworkProxy>
#include <QProcess>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslServer>
#include <QSslSocket>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtEndian>

#include <functional>
#include <memory>

namespace orchestra::test {

/// Certificates for TLS tests. Files live in dir(): ca.crt, other-ca.crt, server.{crt,key} (localhost, 127.0.0.1),
/// named.{crt,key} (only api.internal.test), proxy-other.{crt,key} (localhost, 127.0.0.1, signed by other-ca),
/// expired.{crt,key}, and client certificates signed by client-ca.crt:
/// client-rsa1.{crt,key} (PKCS#1), client-rsa8 (PKCS#8), client-ec1 (SEC1), client-ec8 (PKCS#8).
class TestPki final
{
public:
    /// Empty on success, else why it failed (openssl missing...).
    QString generate()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("openssl")).isEmpty())
            return QStringLiteral("openssl is not installed");
        const QString script = QStringLiteral(R"(set -e
o() { openssl "$@" 2>/dev/null; }
cat > ca.cnf <<'CNF'
[ca]
default_ca = test
[test]
database = index.txt
new_certs_dir = .
serial = serial
default_md = sha256
policy = any
copy_extensions = copy
[any]
commonName = supplied
CNF
: > index.txt; echo 1000 > serial
mkca() { o req -x509 -newkey rsa:2048 -nodes -keyout $1.key -out $1.crt -days 3650 -subj "/CN=$2"; }
mkca ca orchestra-test-ca
mkca other-ca orchestra-other-ca
mkca client-ca orchestra-client-ca
leaf() { # name cn san signer
  o req -newkey rsa:2048 -nodes -keyout $1.key -out $1.csr -subj "/CN=$2" -addext "subjectAltName=$3"
  o x509 -req -in $1.csr -CA $4.crt -CAkey $4.key -CAcreateserial -out $1.crt -days 3650 -copy_extensions copy
}
leaf server test-apiserver "DNS:localhost,IP:127.0.0.1" ca
leaf named test-apiserver-named "DNS:api.internal.test" ca
leaf proxy-other test-proxy-other "DNS:localhost,IP:127.0.0.1" other-ca
o req -newkey rsa:2048 -nodes -keyout expired.key -out expired.csr -subj "/CN=test-apiserver-expired" -addext "subjectAltName=DNS:localhost,IP:127.0.0.1"
o ca -batch -config ca.cnf -cert ca.crt -keyfile ca.key -in expired.csr -out expired.crt -startdate 20200101000000Z -enddate 20210101000000Z -notext
client() { # name keygen-command
  sh -c "$2" > $1.key 2>/dev/null
  o req -new -key $1.key -out $1.csr -subj "/O=system:masters/CN=$1"
  o x509 -req -in $1.csr -CA client-ca.crt -CAkey client-ca.key -CAcreateserial -out $1.crt -days 3650
}
client client-rsa1 "openssl genrsa -traditional 2048"
client client-rsa8 "openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048"
client client-ec1 "openssl ecparam -name prime256v1 -genkey -noout"
client client-ec8 "openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256"
)");
        QProcess process;
        process.setWorkingDirectory(m_dir.path());
        process.start(QStringLiteral("/bin/sh"), {QStringLiteral("-c"), script});
        if (!process.waitForFinished(120000) || process.exitCode() != 0)
            return QStringLiteral("openssl failed: ") + QString::fromLocal8Bit(process.readAllStandardError());
        return {};
    }

    QString dir() const { return m_dir.path(); }
    QString path(const QString &name) const { return m_dir.filePath(name); }
    QSslCertificate certificate(const QString &name) const { return certificateFile(path(name + ".crt")); }
    QSslKey key(const QString &name) const { return keyFile(path(name + ".key")); }
    /// PEM files anywhere (e.g. the test API server's TLS folder); the key may be RSA or EC.
    static QSslCertificate certificateFile(const QString &path) { return QSslCertificate(readFile(path)); }
    static QSslKey keyFile(const QString &path)
    {
        const QByteArray pem = readFile(path);
        const QSslKey rsa(pem, QSsl::Rsa);
        return rsa.isNull() ? QSslKey(pem, QSsl::Ec) : rsa;
    }

private:
    static QByteArray readFile(const QString &path)
    {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            qFatal("TestPki: cannot read %s", qPrintable(path));
        return file.readAll();
    }

    QTemporaryDir m_dir;
};

/// A TLS server with that certificate; `clientCa` non-empty = client certificates required.
inline std::unique_ptr<QSslServer> tlsServer(const QSslCertificate &certificate, const QSslKey &key,
                                             const QList<QSslCertificate> &clientCa = {})
{
    auto server = std::make_unique<QSslServer>();
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setLocalCertificate(certificate);
    config.setPrivateKey(key);
    if (!clientCa.isEmpty()) {
        config.setCaCertificates(clientCa);
        config.setPeerVerifyMode(QSslSocket::VerifyPeer);
    } else {
        config.setPeerVerifyMode(QSslSocket::VerifyNone);
    }
    server->setSslConfiguration(config);
    return server;
}

/// For a proxy: the socket to the requested target, child of `client`, whose bytes go back to the client; either
/// side closing closes the other. The caller connects it and forwards the client's bytes.
inline QTcpSocket *relayTarget(QTcpSocket *client)
{
    auto *target = new QTcpSocket(client);
    target->setProxy(QNetworkProxy::NoProxy);
    QObject::connect(client, &QTcpSocket::disconnected, client, [client, target]() {
        target->disconnectFromHost();
        client->deleteLater();
    });
    QObject::connect(target, &QTcpSocket::readyRead, client, [client, target]() { client->write(target->readAll()); });
    QObject::connect(target, &QTcpSocket::disconnected, client, [client]() { client->disconnectFromHost(); });
    return target;
}

/// One HTTP request as the test server saw it.
struct TestRequest
{
    QByteArray method;
    QByteArray path;
    QByteArray head; ///< the raw request line + headers
    QByteArray body;
    QSslCertificate peerCertificate;
    /// All values of a header, in order (case-insensitive name).
    QList<QByteArray> headers(const QByteArray &name) const
    {
        QList<QByteArray> values;
        for (const QByteArray &line : head.split('\n')) {
            const qsizetype colon = line.indexOf(':');
            if (colon > 0 && line.left(colon).trimmed().toLower() == name.toLower())
                values.append(line.mid(colon + 1).trimmed());
        }
        return values;
    }
};

struct TestResponse
{
    int status = 200;
    QByteArray body;
};

/// A minimal HTTP/1.1 server (TLS when configured) that answers each request from a handler; Connection: close.
class TestHttpServer final : public QObject
{
public:
    using Handler = std::function<TestResponse(const TestRequest &)>;

    /// TLS server with the given certificate; `clientCa` non-empty = client certificates required.
    bool listenTls(const QSslCertificate &certificate, const QSslKey &key, const QList<QSslCertificate> &clientCa = {})
    {
        auto server = tlsServer(certificate, key, clientCa);
        QObject::connect(server.get(), &QSslServer::errorOccurred, this,
                         [this](QSslSocket *, QAbstractSocket::SocketError) { ++m_handshakeFailures; });
        QObject::connect(server.get(), &QSslServer::peerVerifyError, this,
                         [this](QSslSocket *, const QSslError &) { ++m_handshakeFailures; });
        m_server = std::move(server);
        return start();
    }

    bool listenPlain()
    {
        m_server = std::make_unique<QTcpServer>();
        return start();
    }

    void setHandler(Handler handler) { m_handler = std::move(handler); }
    quint16 port() const { return m_server->serverPort(); }
    QList<TestRequest> requests() const { return m_requests; }
    int handshakeFailures() const { return m_handshakeFailures; }

    /// A kube-apiserver-like default: /version, access reviews allowed, everything else 404.
    static TestResponse kubeLike(const TestRequest &request)
    {
        if (request.path == "/version")
            return {200, R"({"major":"1","minor":"20","gitVersion":"v1.20.15","platform":"linux/amd64"})"};
        if (request.path.endsWith("/selfsubjectaccessreviews"))
            return {201, R"({"kind":"SelfSubjectAccessReview","apiVersion":"authorization.k8s.io/v1",)"
                         R"("status":{"allowed":true}})"};
        if (request.path.endsWith("/selfsubjectrulesreviews"))
            return {201, R"({"kind":"SelfSubjectRulesReview","apiVersion":"authorization.k8s.io/v1",)"
                         R"("status":{"resourceRules":[{"verbs":["*"],"apiGroups":["*"],"resources":["*"]}],)"
                         R"("incomplete":false}})"};
        return {404, R"({"kind":"Status","apiVersion":"v1","status":"Failure","reason":"NotFound","code":404})"};
    }

private:
    bool start()
    {
        QObject::connect(m_server.get(), &QTcpServer::pendingConnectionAvailable, this, [this]() {
            while (QTcpSocket *socket = m_server->nextPendingConnection())
                serve(socket);
        });
        return m_server->listen(QHostAddress::LocalHost, 0);
    }

    void serve(QTcpSocket *socket)
    {
        auto buffer = std::make_shared<QByteArray>();
        QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        QObject::connect(socket, &QTcpSocket::readyRead, this, [this, socket, buffer]() {
            buffer->append(socket->readAll());
            const qsizetype end = buffer->indexOf("\r\n\r\n");
            if (end < 0)
                return;
            TestRequest request;
            request.head = buffer->left(end);
            const QList<QByteArray> lengths = request.headers("Content-Length");
            const qsizetype length = lengths.isEmpty() ? 0 : lengths.first().toLongLong();
            if (buffer->size() < end + 4 + length)
                return;
            request.body = buffer->mid(end + 4, length);
            const QList<QByteArray> first = request.head.left(request.head.indexOf('\r')).split(' ');
            request.method = first.value(0);
            request.path = first.value(1);
            if (auto *ssl = qobject_cast<QSslSocket *>(socket))
                request.peerCertificate = ssl->peerCertificate();
            m_requests.append(request);
            const TestResponse response = m_handler ? m_handler(request) : kubeLike(request);
            QByteArray reply = "HTTP/1.1 " + QByteArray::number(response.status) + " X\r\n" +
                               "Content-Type: application/json\r\nConnection: close\r\nContent-Length: " +
                               QByteArray::number(response.body.size()) + "\r\n\r\n" + response.body;
            socket->write(reply);
            socket->disconnectFromHost();
            buffer->clear();
        });
    }

    std::unique_ptr<QTcpServer> m_server;
    Handler m_handler;
    QList<TestRequest> m_requests;
    int m_handshakeFailures = 0;
};

/// A forward proxy for tests: answers CONNECT host:port by connecting there and relaying bytes both ways. It
/// speaks TLS on its own port after listenTls() (an https:// proxy), plain text after listenPlain(). With
/// requireCredentials() it answers 407 unless Proxy-Authorization: Basic matches. Records every request head.
class TestConnectProxy final : public QObject
{
public:
    /// `clientCa` non-empty: the proxy demands a client certificate signed by it.
    bool listenTls(const QSslCertificate &certificate, const QSslKey &key, const QList<QSslCertificate> &clientCa = {})
    {
        auto server = tlsServer(certificate, key, clientCa);
        QObject::connect(server.get(), &QSslServer::errorOccurred, this,
                         [this](QSslSocket *, QAbstractSocket::SocketError) { ++m_handshakeFailures; });
        m_server = std::move(server);
        return start();
    }
    bool listenPlain()
    {
        m_server = std::make_unique<QTcpServer>();
        return start();
    }
    /// "user:password" the client must send.
    void requireCredentials(const QByteArray &userColonPassword) { m_credentials = userColonPassword; }
    quint16 port() const { return m_server->serverPort(); }
    QList<TestRequest> requests() const { return m_requests; }
    int handshakeFailures() const { return m_handshakeFailures; }

private:
    bool start()
    {
        m_server->setProxy(QNetworkProxy::NoProxy);
        QObject::connect(m_server.get(), &QTcpServer::pendingConnectionAvailable, this, [this]() {
            while (QTcpSocket *socket = m_server->nextPendingConnection())
                serve(socket);
        });
        return m_server->listen(QHostAddress::LocalHost, 0);
    }

    void serve(QTcpSocket *client)
    {
        auto head = std::make_shared<QByteArray>();
        QTcpSocket *target = relayTarget(client);
        QObject::connect(target, &QTcpSocket::errorOccurred, client, [client, target](QAbstractSocket::SocketError) {
            if (target->state() != QAbstractSocket::ConnectedState && client->isOpen()) {
                client->write("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                client->disconnectFromHost();
            }
        });
        QObject::connect(client, &QTcpSocket::readyRead, this, [this, client, target, head]() {
            if (target->state() == QAbstractSocket::ConnectedState && head->isEmpty()) {
                target->write(client->readAll());
                return;
            }
            head->append(client->readAll());
            const qsizetype end = head->indexOf("\r\n\r\n");
            if (end < 0)
                return;
            TestRequest request;
            request.head = head->left(end);
            const QList<QByteArray> first = request.head.left(request.head.indexOf('\r')).split(' ');
            request.method = first.value(0);
            request.path = first.value(1);
            if (auto *ssl = qobject_cast<QSslSocket *>(client))
                request.peerCertificate = ssl->peerCertificate();
            m_requests.append(request);
            const QByteArray rest = head->mid(end + 4);
            head->clear();
            auto refuse = [client](const QByteArray &status, const QByteArray &extra = {}) {
                client->write("HTTP/1.1 " + status + "\r\n" + extra + "Content-Length: 0\r\nConnection: close\r\n\r\n");
                client->disconnectFromHost();
            };
            if (request.method != "CONNECT")
                return refuse("405 Method Not Allowed");
            if (!m_credentials.isEmpty() &&
                request.headers("Proxy-Authorization").value(0) != "Basic " + m_credentials.toBase64())
                return refuse("407 Proxy Authentication Required", "Proxy-Authenticate: Basic realm=\"test\"\r\n");
            const qsizetype colon = request.path.lastIndexOf(':');
            QObject::connect(target, &QTcpSocket::connected, client, [client, target, rest]() {
                client->write("HTTP/1.1 200 Connection established\r\n\r\n");
                if (!rest.isEmpty())
                    target->write(rest);
            });
            QByteArray host = request.path.left(colon);
            if (host.startsWith('['))
                host = host.mid(1, host.size() - 2);
            target->connectToHost(QString::fromLatin1(host), quint16(request.path.mid(colon + 1).toUInt()));
        });
    }

    std::unique_ptr<QTcpServer> m_server;
    QByteArray m_credentials;
    QList<TestRequest> m_requests;
    int m_handshakeFailures = 0;
};

/// A SOCKS5 proxy for tests (RFC 1928 CONNECT, no authentication or RFC 1929 username/password): relays to the
/// requested address and records each target as "host:port".
class TestSocks5Proxy final : public QObject
{
public:
    bool listen()
    {
        m_server.setProxy(QNetworkProxy::NoProxy);
        QObject::connect(&m_server, &QTcpServer::pendingConnectionAvailable, this, [this]() {
            while (QTcpSocket *socket = m_server.nextPendingConnection())
                serve(socket);
        });
        return m_server.listen(QHostAddress::LocalHost, 0);
    }
    /// "user", "password" the client must send (RFC 1929).
    void requireCredentials(const QByteArray &user, const QByteArray &password)
    {
        m_user = user;
        m_password = password;
    }
    quint16 port() const { return m_server.serverPort(); }
    QList<QByteArray> targets() const { return m_targets; }

private:
    enum class Stage { Greeting, Credentials, Request, Relaying };

    void serve(QTcpSocket *client)
    {
        auto stage = std::make_shared<Stage>(Stage::Greeting);
        auto buffer = std::make_shared<QByteArray>();
        QTcpSocket *target = relayTarget(client);
        QObject::connect(target, &QTcpSocket::connected, client, [client, stage]() {
            *stage = Stage::Relaying;
            client->write(QByteArray("\x05\x00\x00\x01\x7f\x00\x00\x01\x00\x00", 10));
        });
        QObject::connect(target, &QTcpSocket::errorOccurred, client, [client, stage](QAbstractSocket::SocketError) {
            if (*stage != Stage::Relaying) {
                client->write(QByteArray("\x05\x05\x00\x01\x00\x00\x00\x00\x00\x00", 10)); // refused
                client->disconnectFromHost();
            }
        });
        QObject::connect(client, &QTcpSocket::readyRead, this, [this, client, target, stage, buffer]() {
            buffer->append(client->readAll());
            const QByteArray &b = *buffer;
            auto byte = [&b](qsizetype i) { return quint8(b.at(i)); };
            if (*stage == Stage::Relaying) {
                target->write(b);
                buffer->clear();
                return;
            }
            if (*stage == Stage::Greeting) {
                if (b.size() < 2 || b.size() < 2 + byte(1))
                    return;
                const QByteArray methods = b.mid(2, byte(1));
                const char wanted = m_user.isEmpty() ? '\x00' : '\x02';
                const bool version5 = byte(0) == 5;
                buffer->remove(0, 2 + byte(1));
                if (!version5 || !methods.contains(wanted)) {
                    client->write(QByteArray("\x05\xff", 2));
                    client->disconnectFromHost();
                    return;
                }
                client->write(QByteArray("\x05", 1) + wanted);
                *stage = m_user.isEmpty() ? Stage::Request : Stage::Credentials;
                return;
            }
            if (*stage == Stage::Credentials) {
                if (b.size() < 2 || b.size() < 3 + byte(1) || b.size() < 3 + byte(1) + byte(2 + byte(1)))
                    return;
                const QByteArray user = b.mid(2, byte(1));
                const QByteArray password = b.mid(3 + byte(1), byte(2 + byte(1)));
                buffer->remove(0, 3 + byte(1) + byte(2 + byte(1)));
                const bool ok = user == m_user && password == m_password;
                client->write(QByteArray(ok ? "\x01\x00" : "\x01\x01", 2));
                if (!ok)
                    client->disconnectFromHost();
                *stage = Stage::Request;
                return;
            }
            // Request: VER CMD RSV ATYP ADDR PORT
            if (b.size() < 5)
                return;
            const qsizetype addressLength = byte(3) == 1 ? 4 : byte(3) == 4 ? 16 : 1 + byte(4);
            if (b.size() < 4 + addressLength + 2)
                return;
            QString host;
            if (byte(3) == 1)
                host = QHostAddress(qFromBigEndian<quint32>(b.constData() + 4)).toString();
            else if (byte(3) == 4)
                host = QHostAddress(reinterpret_cast<const quint8 *>(b.constData() + 4)).toString();
            else
                host = QString::fromLatin1(b.mid(5, byte(4)));
            const quint16 port = qFromBigEndian<quint16>(b.constData() + 4 + addressLength);
            buffer->remove(0, 4 + addressLength + 2);
            m_targets.append(host.toLatin1() + ':' + QByteArray::number(port));
            target->connectToHost(host, port);
        });
    }

    QTcpServer m_server;
    QByteArray m_user, m_password;
    QList<QByteArray> m_targets;
};

} // namespace orchestra::test
