// Real API servers speak HTTP/2 over TLS, and Qt negotiates it by ALPN; the test API server speaks HTTP/1.1 only.
// So these tests put nghttpx (Debian's nghttp2-proxy, a real HTTP/2 server) in front of it and run requests,
// concurrent list+watch informers and server-side apply through it, checking that HTTP/2 was really used. With
// ORCHESTRA_IT_KUBECONFIG set they run against that cluster directly (in a fresh namespace).

#include "clustersession.h"

#include "watch/informer.h"

#include "testmain.h"

#include <QProcess>
#include <QTcpServer>
#include <QTcpSocket>

using namespace orchestra;

class TestHttp2 : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<testing::ApiServer> m_server;
    QProcess m_nghttpx;
    std::unique_ptr<kube::ApiClient> m_client;
    QString m_ns;
    bool m_real = false;

    kube::Response send(const QByteArray &verb, const QString &path, const QByteArray &body = {},
                        const QByteArray &contentType = "application/json")
    {
        kube::Request request;
        request.verb = verb;
        request.path = path;
        request.body = body;
        request.contentType = body.isEmpty() ? QByteArray() : contentType;
        std::optional<kube::Response> result;
        m_client->send(request, this, [&result](const kube::Response &response) { result = response; });
        [&] { QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 60000); }();
        return result.value_or(kube::Response());
    }

    static quint16 freePort()
    {
        QTcpServer probe;
        probe.listen(QHostAddress::LocalHost, 0);
        return probe.serverPort();
    }

    QString accessLog() const
    {
        QFile file(m_dir.filePath(QStringLiteral("access.log")));
        return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
    }

    /// Starts the test API server and nghttpx in front of it; returns the kubeconfig for a token user there.
    QString startTestServerBehindNghttpx()
    {
        const QString nghttpx = QStandardPaths::findExecutable(
            QStringLiteral("nghttpx"), {QStringLiteral("/usr/sbin"), QStringLiteral("/usr/local/sbin")});
        if (nghttpx.isEmpty())
            return {};
        m_server = std::make_unique<testing::ApiServer>();
        if (!m_server->start())
            qFatal("test API server: %s", qPrintable(m_server->lastError()));
        m_server->addTokenUser(QStringLiteral("h2-admin-token"), QStringLiteral("h2-admin"), true);
        const QString tls = m_server->tlsDirectory();
        const quint16 port = freePort();
        m_nghttpx.setProcessChannelMode(QProcess::MergedChannels);
        m_nghttpx.start(nghttpx,
                        {QStringLiteral("--conf=/dev/null"), QStringLiteral("--frontend=127.0.0.1,%1").arg(port),
                         QStringLiteral("--backend=127.0.0.1,%1;;tls").arg(m_server->port()),
                         QStringLiteral("--insecure"), // nghttpx -> test server; we check nghttpx's cert
                         QStringLiteral("--workers=1"), QStringLiteral("--no-ocsp"),
                         QStringLiteral("--backend-read-timeout=10m"), QStringLiteral("--frontend-read-timeout=10m"),
                         QStringLiteral("--accesslog-file=") + m_dir.filePath(QStringLiteral("access.log")),
                         QStringLiteral("--accesslog-format=$alpn $method $path $status"),
                         tls + QStringLiteral("/server.key"), tls + QStringLiteral("/server.crt")});
        if (!m_nghttpx.waitForStarted(10000))
            qFatal("nghttpx did not start: %s", qPrintable(m_nghttpx.errorString()));
        bool listening = false;
        for (int attempt = 0; attempt < 100 && !listening; ++attempt) {
            QTcpSocket socket;
            socket.connectToHost(QHostAddress::LocalHost, port);
            listening = socket.waitForConnected(100);
            if (!listening)
                QTest::qWait(50);
        }
        if (!listening)
            qFatal("nghttpx is not listening: %s", m_nghttpx.readAll().constData());

        const QString file = m_dir.filePath(QStringLiteral("kubeconfig"));
        if (!m_server->writeKubeconfig(file, QStringLiteral("h2-admin")))
            qFatal("cannot write the kubeconfig");
        QFile config(file);
        if (!config.open(QIODevice::ReadWrite))
            qFatal("cannot read the kubeconfig");
        QByteArray text = config.readAll();
        text.replace(":" + QByteArray::number(m_server->port()), ":" + QByteArray::number(port));
        config.resize(0);
        config.write(text);
        return file;
    }

    std::unique_ptr<watch::Informer> configMapInformer()
    {
        kube::ResourceKind kind;
        kind.version = QStringLiteral("v1");
        kind.kind = QStringLiteral("ConfigMap");
        kind.plural = QStringLiteral("configmaps");
        kind.namespaced = true;
        kind.verbs = {QStringLiteral("list"), QStringLiteral("watch")};
        return std::make_unique<watch::Informer>(m_client.get(), kind, m_ns, watch::Informer::Format::Objects);
    }

    static QByteArray configMap(const QString &name, const QString &value)
    {
        return QJsonDocument(QJsonObject{{QStringLiteral("apiVersion"), QStringLiteral("v1")},
                                         {QStringLiteral("kind"), QStringLiteral("ConfigMap")},
                                         {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), name}}},
                                         {QStringLiteral("data"), QJsonObject{{QStringLiteral("v"), value}}}})
            .toJson(QJsonDocument::Compact);
    }

private slots:
    void initTestCase()
    {
        QString file = qEnvironmentVariable("ORCHESTRA_IT_KUBECONFIG");
        m_real = !file.isEmpty();
        if (!m_real) {
            file = startTestServerBehindNghttpx();
            if (file.isEmpty())
                QSKIP("nghttpx (Debian package nghttp2-proxy) is not installed");
        }
        const auto config = kubeconfig::Kubeconfig::load({file, {}, {}, {}});
        QVERIFY2(config.ok(), qPrintable(config.ok() ? QString() : config.error().toString()));
        const auto rest =
            kubeconfig::restConfig(config.value(), m_real ? qEnvironmentVariable("ORCHESTRA_IT_CONTEXT") : QString());
        QVERIFY2(rest.ok(), qPrintable(rest.ok() ? QString() : rest.error().toString()));
        m_client = std::make_unique<kube::ApiClient>(rest.value());
        m_ns = QStringLiteral("orchestra-it-%1").arg(QRandomGenerator::global()->bounded(100000, 999999));
        const kube::Response created =
            send("POST", QStringLiteral("/api/v1/namespaces"),
                 QJsonDocument(QJsonObject{{QStringLiteral("apiVersion"), QStringLiteral("v1")},
                                           {QStringLiteral("kind"), QStringLiteral("Namespace")},
                                           {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), m_ns}}}})
                     .toJson(QJsonDocument::Compact));
        QVERIFY2(created.ok(), qPrintable(created.error(m_ns).toString()));
    }

    void cleanupTestCase()
    {
        if (m_client && !m_ns.isEmpty())
            (void)send("DELETE", QStringLiteral("/api/v1/namespaces/") + m_ns);
        m_client.reset();
        if (m_nghttpx.state() != QProcess::NotRunning) {
            m_nghttpx.terminate();
            m_nghttpx.waitForFinished(5000);
        }
        m_server.reset();
    }

    void request_usesHttp2()
    {
        const kube::Response version = send("GET", QStringLiteral("/version"));
        QVERIFY2(version.ok(), qPrintable(version.error().toString()));
        QVERIFY(version.json().value(QStringLiteral("gitVersion")).toString().startsWith(QLatin1Char('v')));
        if (m_real) {
            qInfo("the cluster answered over %s", version.http2 ? "HTTP/2" : "HTTP/1.1");
            return;
        }
        QVERIFY(version.http2);
        QTRY_VERIFY(accessLog().contains(QLatin1String("h2 GET /version 200")));
    }

    void informers_listAndWatchConcurrentlyOverHttp2()
    {
        // More concurrent watches than HTTP/1.1's six connections per host, each kept current by its events.
        std::vector<std::unique_ptr<watch::Informer>> informers;
        for (int i = 0; i < 8; ++i) {
            informers.push_back(configMapInformer());
            informers.back()->start();
        }
        for (const auto &informer : informers)
            QTRY_VERIFY_WITH_TIMEOUT(informer->hasSynced(), 30000);
        const qsizetype before = informers.front()->store()->size(); // a real cluster adds kube-root-ca.crt
        for (int i = 0; i < 5; ++i) {
            const kube::Response created = send("POST", QStringLiteral("/api/v1/namespaces/%1/configmaps").arg(m_ns),
                                                configMap(QStringLiteral("h2-%1").arg(i), QStringLiteral("x")));
            QVERIFY2(created.ok(), qPrintable(created.error().toString()));
            QVERIFY(m_real || created.http2);
        }
        for (const auto &informer : informers)
            QTRY_COMPARE_WITH_TIMEOUT(informer->store()->size(), before + 5, 30000);
        QCOMPARE(informers.front()->listCount(), 1); // events, not relists, brought them
        if (m_real)
            return;
        // nghttpx logs a request when it ends: the lists now, the watches once the informers close them.
        const auto count = [this](const QString &pattern) {
            return accessLog().count(
                QRegularExpression(QStringLiteral("^h2 GET /api/v1/namespaces/%1/configmaps\\?%2").arg(m_ns, pattern),
                                   QRegularExpression::MultilineOption));
        };
        QCOMPARE(count(QStringLiteral("limit=")), 8);
        informers.clear();
        QTRY_COMPARE_WITH_TIMEOUT(count(QStringLiteral("[^ ]*watch=1")), 8, 20000);
    }

    void serverSideApply_overHttp2()
    {
        const QString path =
            QStringLiteral("/api/v1/namespaces/%1/configmaps/h2-applied?fieldManager=orchestra&force=false").arg(m_ns);
        const kube::Response applied =
            send("PATCH", path, configMap(QStringLiteral("h2-applied"), QStringLiteral("one")),
                 "application/apply-patch+yaml");
        QVERIFY2(applied.ok(), qPrintable(applied.error().toString()));
        QCOMPARE(applied.json()[QLatin1String("data")][QLatin1String("v")].toString(), QStringLiteral("one"));
        const kube::Response conflict = send(
            "PATCH", QStringLiteral("/api/v1/namespaces/%1/configmaps/h2-applied?fieldManager=someone-else").arg(m_ns),
            configMap(QStringLiteral("h2-applied"), QStringLiteral("two")), "application/apply-patch+yaml");
        QVERIFY(!conflict.ok());
        QCOMPARE(conflict.status->code, 409); // the Status body survives HTTP/2 intact
        QVERIFY(conflict.status->message.contains(QLatin1String("orchestra")));
        if (!m_real)
            QVERIFY(applied.http2 && conflict.http2);
    }
};

ORCHESTRA_TEST_MAIN(TestHttp2)
#include "tst_http2.moc"
