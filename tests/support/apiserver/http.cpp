// HTTP/1.1 over TLS, the CA and certificates (openssl), and kubeconfig output.

#include "engine.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QStandardPaths>
#include <QTemporaryDir>

namespace orchestra::testing {

namespace {

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 202:
        return "Accepted";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 406:
        return "Not Acceptable";
    case 409:
        return "Conflict";
    case 410:
        return "Gone";
    case 415:
        return "Unsupported Media Type";
    case 422:
        return "Unprocessable Entity";
    case 429:
        return "Too Many Requests";
    case 500:
        return "Internal Server Error";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 504:
        return "Gateway Timeout";
    default:
        return "Status";
    }
}

const char kOpensslConfig[] = R"([req]
distinguished_name = dn
prompt = no
[dn]
CN = orchestra
[ca_ext]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign,digitalSignature
subjectKeyIdentifier = hash
[server_ext]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1,DNS:localhost
[client_ext]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = clientAuth
)";

bool runOpenssl(const QString &dir, const QStringList &arguments, QString *error)
{
    QProcess process;
    process.setWorkingDirectory(dir);
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(QStringLiteral("openssl"), arguments);
    if (!process.waitForFinished(15000) || process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        *error = QStringLiteral("openssl %1 failed: %2")
                     .arg(arguments.value(0), QString::fromLocal8Bit(process.readAll()).trimmed());
        return false;
    }
    return true;
}

QStringList keyArguments(const QString &name)
{
    return {QStringLiteral("req"),     QStringLiteral("-x509"),       QStringLiteral("-new"),
            QStringLiteral("-config"), QStringLiteral("openssl.cnf"), QStringLiteral("-newkey"),
            QStringLiteral("ec"),      QStringLiteral("-pkeyopt"),    QStringLiteral("ec_paramgen_curve:prime256v1"),
            QStringLiteral("-nodes"),  QStringLiteral("-keyout"),     name + QStringLiteral(".key"),
            QStringLiteral("-out"),    name + QStringLiteral(".crt"), QStringLiteral("-days"),
            QStringLiteral("3650")};
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QString yamlQuote(const QString &value)
{
    QString escaped = value;
    escaped.replace(QLatin1Char('\\'), QLatin1String("\\\\")).replace(QLatin1Char('"'), QLatin1String("\\\""));
    return QLatin1Char('"') + escaped + QLatin1Char('"');
}

} // namespace

HttpConnection::HttpConnection(QSslSocket *socket, Engine *engine)
    : QObject(engine)
    , m_socket(socket)
    , m_engine(engine)
{
    socket->setParent(this);
    connect(socket, &QSslSocket::readyRead, this, &HttpConnection::onReadyRead);
    // A write to a peer that is gone fails inside QSslSocket::write/flush, which then emits
    // errorOccurred and disconnected synchronously: closed() can come from inside sendChunk().
    connect(socket, &QSslSocket::disconnected, this, &HttpConnection::markClosed);
    connect(socket, &QSslSocket::errorOccurred, this, [this](QAbstractSocket::SocketError error) {
        if (error != QAbstractSocket::RemoteHostClosedError && m_socket->state() != QAbstractSocket::ConnectedState)
            markClosed();
    });
    connect(socket, &QSslSocket::encrypted, this, [this] {
        const QSslCertificate peer = m_socket->peerCertificate();
        if (!peer.isNull() && m_engine->issuedDigests.contains(peer.digest(QCryptographicHash::Sha256))) {
            certUser = peer.subjectInfo(QSslCertificate::CommonName).value(0);
            certGroups = peer.subjectInfo(QSslCertificate::Organization);
        }
        onReadyRead();
    });
}

void HttpConnection::markClosed()
{
    if (m_closed)
        return;
    m_closed = true;
    m_streaming = false;
    emit closed();
    deleteLater();
}

bool HttpConnection::isOpen() const
{
    return !m_closed && m_socket->state() == QAbstractSocket::ConnectedState;
}

void HttpConnection::onReadyRead()
{
    m_buffer.append(m_socket->readAll());
    processBuffer();
}

void HttpConnection::processBuffer()
{
    if (m_busy || m_streaming)
        return;
    const qsizetype headerEnd = m_buffer.indexOf("\r\n\r\n");
    if (headerEnd < 0)
        return;
    const QList<QByteArray> lines = m_buffer.left(headerEnd).split('\n');
    const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
    if (requestLine.size() < 2) {
        m_socket->disconnectFromHost();
        return;
    }
    HttpRequest request;
    request.method = requestLine.at(0);
    for (int i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines.at(i).trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon > 0)
            request.headers.insert(line.left(colon).trimmed().toLower(), line.mid(colon + 1).trimmed());
    }
    qsizetype bodyStart = headerEnd + 4;
    qsizetype consumed = bodyStart;
    if (request.header("transfer-encoding").toLower().contains("chunked")) {
        qsizetype position = bodyStart;
        QByteArray body;
        for (;;) {
            const qsizetype lineEnd = m_buffer.indexOf("\r\n", position);
            if (lineEnd < 0)
                return;
            bool ok = false;
            const qsizetype size = m_buffer.mid(position, lineEnd - position).split(';').value(0).toLongLong(&ok, 16);
            if (!ok) {
                m_socket->disconnectFromHost();
                return;
            }
            if (m_buffer.size() < lineEnd + 2 + size + 2)
                return;
            if (size == 0) {
                consumed = lineEnd + 4;
                break;
            }
            body.append(m_buffer.mid(lineEnd + 2, size));
            position = lineEnd + 2 + size + 2;
        }
        request.body = body;
    } else {
        const qsizetype length = request.header("content-length").toLongLong();
        if (m_buffer.size() < bodyStart + length)
            return;
        request.body = m_buffer.mid(bodyStart, length);
        consumed = bodyStart + length;
    }
    m_buffer.remove(0, consumed);
    m_closeAfter = request.header("connection").toLower() == "close";

    const QByteArray target = requestLine.at(1);
    const qsizetype question = target.indexOf('?');
    const QByteArray rawPath = question >= 0 ? target.left(question) : target;
    request.rawQuery = question >= 0 ? target.mid(question + 1) : QByteArray();
    request.path = QUrl::fromPercentEncoding(rawPath);
    QByteArray plusFixed = request.rawQuery;
    plusFixed.replace('+', "%20");
    request.query = QUrlQuery(QString::fromLatin1(plusFixed));
    request.user = certUser;
    request.groups = certGroups;
    m_busy = true;
    m_engine->handle(this, request);
}

void HttpConnection::sendResponse(int status, const QByteArray &contentType, const QByteArray &body,
                                  const QList<QPair<QByteArray, QByteArray>> &extraHeaders)
{
    QByteArray head = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n";
    head += "Cache-Control: no-cache, private\r\n";
    head += "Content-Type: " + contentType + "\r\n";
    for (const auto &header : extraHeaders)
        head += header.first + ": " + header.second + "\r\n";
    head += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    if (m_closeAfter)
        head += "Connection: close\r\n";
    head += "\r\n";
    if (isOpen()) {
        m_socket->write(head);
        m_socket->write(body);
    }
    finishResponse();
}

void HttpConnection::startChunked(int status, const QByteArray &contentType)
{
    QByteArray head = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n";
    head += "Cache-Control: no-cache, private\r\n";
    head += "Content-Type: " + contentType + "\r\n";
    head += "Transfer-Encoding: chunked\r\n\r\n";
    if (!isOpen())
        return;
    m_socket->write(head);
    m_socket->flush();
    m_streaming = true;
}

void HttpConnection::sendChunk(const QByteArray &data)
{
    if (!m_streaming || data.isEmpty() || !isOpen())
        return;
    m_socket->write(QByteArray::number(data.size(), 16) + "\r\n" + data + "\r\n");
    m_socket->flush();
}

void HttpConnection::endChunked()
{
    if (!m_streaming)
        return;
    if (!isOpen()) {
        m_streaming = false;
        return;
    }
    m_socket->write("0\r\n\r\n");
    m_socket->flush();
    m_streaming = false;
    finishResponse();
}

void HttpConnection::abort()
{
    m_streaming = false;
    m_socket->abort();
}

void HttpConnection::finishResponse()
{
    m_busy = false;
    if (m_closed)
        return;
    if (m_closeAfter) {
        m_socket->disconnectFromHost();
        return;
    }
    if (!m_buffer.isEmpty())
        QMetaObject::invokeMethod(this, &HttpConnection::processBuffer, Qt::QueuedConnection);
}

void Engine::incomingConnection(qintptr handle)
{
    auto *socket = new QSslSocket;
    if (!socket->setSocketDescriptor(handle)) {
        delete socket;
        return;
    }
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setLocalCertificate(serverCert);
    configuration.setPrivateKey(serverKey);
    configuration.setCaCertificates(QSslCertificate::fromData(caPem));
    configuration.setPeerVerifyMode(QSslSocket::QueryPeer);
    configuration.setProtocol(QSsl::TlsV1_2OrLater);
    socket->setSslConfiguration(configuration);
    connect(socket, &QSslSocket::sslErrors, socket, [socket](const QList<QSslError> &) { socket->ignoreSslErrors(); });
    auto *connection = new HttpConnection(socket, this);
    m_connections.insert(connection);
    // Watches and log streams must not outlive their connection: detach them right away.
    connect(connection, &HttpConnection::closed, this, [this, connection] {
        m_connections.remove(connection);
        dropConnection(connection);
    });
    connect(connection, &QObject::destroyed, this, [this, connection] {
        m_connections.remove(connection);
        dropConnection(connection);
    });
    socket->startServerEncryption();
}

bool Engine::ensureTls()
{
    if (!serverCert.isNull())
        return true;
    QString dir = explicitTlsDir;
    if (dir.isEmpty()) {
        auto *temp = new QTemporaryDir(QDir::tempPath() + QStringLiteral("/orchestra-apiserver-XXXXXX"));
        if (!temp->isValid()) {
            lastError = QStringLiteral("cannot create a temporary directory");
            delete temp;
            return false;
        }
        temp->setAutoRemove(true);
        // Owned by the engine: removed when the server goes away.
        auto *holder = new QObject(this);
        connect(holder, &QObject::destroyed, [temp] { delete temp; });
        dir = temp->path();
    }
    QDir().mkpath(dir);
    tlsDir = dir;
    {
        QFile config(dir + QStringLiteral("/openssl.cnf"));
        if (!config.open(QIODevice::WriteOnly)) {
            lastError = QStringLiteral("cannot write %1").arg(config.fileName());
            return false;
        }
        config.write(kOpensslConfig);
    }
    auto exists = [&dir](const char *name) { return QFile::exists(dir + QLatin1Char('/') + QLatin1String(name)); };
    if (!exists("ca.crt") || !exists("ca.key")) {
        if (!runOpenssl(dir,
                        keyArguments(QStringLiteral("ca"))
                            << QStringLiteral("-extensions") << QStringLiteral("ca_ext") << QStringLiteral("-subj")
                            << QStringLiteral("/CN=orchestra-test-ca"),
                        &lastError))
            return false;
        QFile::remove(dir + QStringLiteral("/server.crt"));
        QFile::remove(dir + QStringLiteral("/admin.crt"));
    }
    const QStringList signing = {QStringLiteral("-CA"), QStringLiteral("ca.crt"), QStringLiteral("-CAkey"),
                                 QStringLiteral("ca.key")};
    if (!exists("server.crt") || !exists("server.key")) {
        if (!runOpenssl(dir,
                        keyArguments(QStringLiteral("server"))
                            << QStringLiteral("-extensions") << QStringLiteral("server_ext") << QStringLiteral("-subj")
                            << QStringLiteral("/CN=orchestra-test-apiserver") << signing,
                        &lastError))
            return false;
    }
    if (!exists("admin.crt") || !exists("admin.key")) {
        if (!runOpenssl(dir,
                        keyArguments(QStringLiteral("admin"))
                            << QStringLiteral("-extensions") << QStringLiteral("client_ext") << QStringLiteral("-subj")
                            << QStringLiteral("/O=system:masters/CN=admin") << signing,
                        &lastError))
            return false;
    }
    caPem = readFile(dir + QStringLiteral("/ca.crt"));
    serverCert = QSslCertificate(readFile(dir + QStringLiteral("/server.crt")));
    serverKey = QSslKey(readFile(dir + QStringLiteral("/server.key")), QSsl::Ec);
    const QSslCertificate admin(readFile(dir + QStringLiteral("/admin.crt")));
    if (serverCert.isNull() || serverKey.isNull() || admin.isNull() || caPem.isEmpty()) {
        lastError = QStringLiteral("cannot load the certificates in %1").arg(dir);
        serverCert = QSslCertificate();
        return false;
    }
    issuedDigests.insert(admin.digest(QCryptographicHash::Sha256));
    return true;
}

QPair<QByteArray, QByteArray> Engine::issueClientCert(const QString &user, const QStringList &groups)
{
    if (!ensureTls())
        return {};
    QString subject;
    for (const QString &group : groups)
        subject += QStringLiteral("/O=") + group;
    subject += QStringLiteral("/CN=") + user;
    const QString name = QStringLiteral("client-%1").arg(issuedDigests.size());
    if (!runOpenssl(tlsDir,
                    keyArguments(name) << QStringLiteral("-extensions") << QStringLiteral("client_ext")
                                       << QStringLiteral("-subj") << subject << QStringLiteral("-CA")
                                       << QStringLiteral("ca.crt") << QStringLiteral("-CAkey")
                                       << QStringLiteral("ca.key"),
                    &lastError))
        return {};
    const QByteArray cert = readFile(tlsDir + QLatin1Char('/') + name + QStringLiteral(".crt"));
    const QByteArray key = readFile(tlsDir + QLatin1Char('/') + name + QStringLiteral(".key"));
    issuedDigests.insert(QSslCertificate(cert).digest(QCryptographicHash::Sha256));
    return {cert, key};
}

bool Engine::writeKubeconfig(const QString &path, const QString &user, const QString &nameSpace) const
{
    QString userBlock;
    if (user == QLatin1String("admin")) {
        userBlock = QStringLiteral("    client-certificate-data: %1\n    client-key-data: %2\n")
                        .arg(QString::fromLatin1(readFile(tlsDir + QStringLiteral("/admin.crt")).toBase64()),
                             QString::fromLatin1(readFile(tlsDir + QStringLiteral("/admin.key")).toBase64()));
    } else {
        QString token;
        for (auto it = tokens.begin(); it != tokens.end(); ++it) {
            if (it.value().first == user)
                token = it.key();
        }
        if (token.isEmpty())
            return false;
        userBlock = QStringLiteral("    token: %1\n").arg(yamlQuote(token));
    }
    const QString text = QStringLiteral("apiVersion: v1\n"
                                        "kind: Config\n"
                                        "clusters:\n"
                                        "- name: orchestra-test\n"
                                        "  cluster:\n"
                                        "    server: https://127.0.0.1:%1\n"
                                        "    certificate-authority-data: %2\n"
                                        "users:\n"
                                        "- name: %3\n"
                                        "  user:\n"
                                        "%4"
                                        "contexts:\n"
                                        "- name: orchestra-test-%3\n"
                                        "  context:\n"
                                        "    cluster: orchestra-test\n"
                                        "    user: %3\n"
                                        "    namespace: %5\n"
                                        "current-context: orchestra-test-%3\n"
                                        "preferences: {}\n")
                             .arg(serverPort())
                             .arg(QString::fromLatin1(caPem.toBase64()), user, userBlock, nameSpace);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    return file.write(text.toUtf8()) > 0;
}

} // namespace orchestra::testing
