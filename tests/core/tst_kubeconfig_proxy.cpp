#include "testmain.h"

#include "kubeconfigtestsupport.h"

#include "apiserver.h"

#include "kube/apiclient.h"
#include "kubeconfig/connectioncheck.h"
#include "kubeconfig/kubeconfig.h"

#include <QSignalSpy>

using namespace orchestra::kubeconfig;
using orchestra::test::TestConnectProxy;
using orchestra::test::TestHttpServer;

// proxy-url end to end: a plain http:// proxy and an https:// proxy (TLS to the proxy, then CONNECT through it,
// which Qt cannot do itself and goes through HttpsProxyRelay) in front of a local TLS "API server". kubectl is the
// oracle for what must connect and what must fail: it checks an https proxy's certificate with the cluster's TLS
// settings and sends the URL's credentials as Proxy-Authorization on CONNECT.
class TestKubeconfigProxy : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    orchestra::test::TestPki m_pki;
    int m_counter = 0;

    struct Setup
    {
        QString file;
        orchestra::Result<RestConfig> config = orchestra::Error{};
    };

    Setup kubeconfig(quint16 serverPort, const QByteArray &proxyUrl, const QByteArray &tls)
    {
        const QString file = m_dir.filePath(QStringLiteral("config-%1").arg(++m_counter));
        QFile out(file);
        if (!out.open(QIODevice::WriteOnly))
            qFatal("cannot write %s", qPrintable(file));
        out.write("apiVersion: v1\nkind: Config\nclusters:\n- name: test\n  cluster:\n    server: https://127.0.0.1:" +
                  QByteArray::number(serverPort) + "\n    proxy-url: " + proxyUrl + "\n" + tls +
                  "users:\n- name: tester\n  user:\n    token: proxied-token\n"
                  "contexts:\n- name: test\n  context: {cluster: test, user: tester}\ncurrent-context: test\n");
        out.close();
        Setup setup;
        setup.file = file;
        const auto loaded = Kubeconfig::load({file, {}, {}, {}});
        setup.config = loaded ? restConfig(loaded.value()) : orchestra::Result<RestConfig>(loaded.error());
        return setup;
    }

    QByteArray ca() const
    {
        return "    certificate-authority: " + m_pki.path(QStringLiteral("ca.crt")).toUtf8() + "\n";
    }

    static ConnectionCheckResult check(const RestConfig &config)
    {
        ConnectionCheck check(config);
        check.setTimeoutMs(20000);
        QSignalSpy spy(&check, &ConnectionCheck::finished);
        check.start();
        if (!spy.wait(40000))
            qFatal("ConnectionCheck never finished");
        return spy.first().first().value<ConnectionCheckResult>();
    }

    /// `kubectl get --raw /version` with that kubeconfig, run while our servers keep serving: exit code and output.
    static std::pair<int, QString> kubectl(const QString &file)
    {
        QProcess process;
        process.setProcessChannelMode(QProcess::MergedChannels);
        QSignalSpy finished(&process, &QProcess::finished);
        process.start(QStandardPaths::findExecutable(QStringLiteral("kubectl")),
                      {QStringLiteral("--kubeconfig"), file, QStringLiteral("get"), QStringLiteral("--raw"),
                       QStringLiteral("/version")});
        if (!finished.wait(60000))
            qFatal("kubectl did not finish");
        return {process.exitCode(), QString::fromUtf8(process.readAll())};
    }

    static QByteArray explain(const ConnectionCheckResult &result)
    {
        return (QStringLiteral("problem %1: ").arg(int(result.problem)) + result.error.toString()).toUtf8();
    }

    void requireKubectl()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("kubectl")).isEmpty())
            QSKIP("kubectl is not installed");
    }

    bool listenServer(TestHttpServer &server)
    {
        return server.listenTls(m_pki.certificate(QStringLiteral("server")), m_pki.key(QStringLiteral("server")));
    }

private slots:
    void initTestCase()
    {
        const QString error = m_pki.generate();
        if (!error.isEmpty())
            QSKIP(qPrintable(error));
    }

    void httpProxy_tunnelsToTheServer()
    {
        TestHttpServer server;
        QVERIFY(listenServer(server));
        TestConnectProxy proxy;
        QVERIFY(proxy.listenPlain());
        proxy.requireCredentials("web-user:web pass");
        const Setup setup =
            kubeconfig(server.port(), "http://web-user:web%20pass@127.0.0.1:" + QByteArray::number(proxy.port()), ca());
        QVERIFY(setup.config.ok());
        QVERIFY(!setup.config->proxyRelay); // Qt speaks to http:// proxies itself
        const ConnectionCheckResult result = check(setup.config.value());
        QVERIFY2(result.ok(), explain(result));
        QCOMPARE(proxy.requests().last().method, QByteArray("CONNECT"));
        QCOMPARE(proxy.requests().last().path, "127.0.0.1:" + QByteArray::number(server.port()));
        QCOMPARE(proxy.requests().last().headers("Proxy-Authorization").value(0),
                 "Basic " + QByteArray("web-user:web pass").toBase64());
        QCOMPARE(server.requests().value(0).headers("Authorization").value(0), QByteArray("Bearer proxied-token"));
    }

    void socks5Proxy_tunnelsLikeKubectl()
    {
        requireKubectl();
        TestHttpServer server;
        QVERIFY(listenServer(server));
        orchestra::test::TestSocks5Proxy proxy;
        QVERIFY(proxy.listen());
        proxy.requireCredentials("sock-user", "sock-pass");
        const Setup setup = kubeconfig(
            server.port(), "socks5://sock-user:sock-pass@127.0.0.1:" + QByteArray::number(proxy.port()), ca());
        QVERIFY(setup.config.ok());
        QCOMPARE(setup.config->networkProxy().type(), QNetworkProxy::Socks5Proxy);
        const ConnectionCheckResult result = check(setup.config.value());
        QVERIFY2(result.ok(), explain(result));
        const QByteArray target = "127.0.0.1:" + QByteArray::number(server.port());
        QCOMPARE(proxy.targets().value(0), target);
        const qsizetype ours = proxy.targets().size();

        const auto [code, output] = kubectl(setup.file);
        QVERIFY2(code == 0, qPrintable(output));
        QVERIFY(proxy.targets().size() > ours);
        QCOMPARE(proxy.targets().last(), target);

        const Setup wrong =
            kubeconfig(server.port(), "socks5://sock-user:nope@127.0.0.1:" + QByteArray::number(proxy.port()), ca());
        const ConnectionCheckResult refused = check(wrong.config.value());
        QVERIFY2(refused.problem == ConnectionProblem::Proxy, explain(refused));
        QVERIFY(!refused.error.toString().contains(QLatin1String("nope")));
        QVERIFY(kubectl(wrong.file).first != 0);
    }

    void httpsProxy_tunnelsLikeKubectl()
    {
        requireKubectl();
        TestHttpServer server;
        QVERIFY(listenServer(server));
        TestConnectProxy proxy; // its certificate is signed by the cluster's CA, as kubectl requires
        QVERIFY(proxy.listenTls(m_pki.certificate(QStringLiteral("server")), m_pki.key(QStringLiteral("server"))));
        const Setup setup = kubeconfig(server.port(), "https://127.0.0.1:" + QByteArray::number(proxy.port()), ca());
        QVERIFY(setup.config.ok());
        QVERIFY(setup.config->proxyRelay);

        const ConnectionCheckResult result = check(setup.config.value());
        QVERIFY2(result.ok(), explain(result));
        QCOMPARE(result.serverVersion, QStringLiteral("v1.20.15"));
        QVERIFY(setup.config->proxyRelay->connectionCount() >= 1);
        const int ours = proxy.requests().size();
        QVERIFY(ours >= 1);
        for (const auto &request : proxy.requests()) {
            QCOMPARE(request.method, QByteArray("CONNECT"));
            QCOMPARE(request.path, "127.0.0.1:" + QByteArray::number(server.port()));
        }
        QCOMPARE(server.requests().value(0).headers("Authorization").value(0), QByteArray("Bearer proxied-token"));

        const auto [code, output] = kubectl(setup.file);
        QVERIFY2(code == 0, qPrintable(output));
        QVERIFY(output.contains(QLatin1String("v1.20.15")));
        QVERIFY(proxy.requests().size() > ours); // kubectl tunnelled the same way
        QCOMPARE(proxy.requests().last().method, QByteArray("CONNECT"));
        QCOMPARE(proxy.requests().last().path, proxy.requests().first().path);
    }

    void httpsProxy_apiClientRequestsGoThroughIt()
    {
        TestHttpServer server;
        QVERIFY(listenServer(server));
        TestConnectProxy proxy;
        QVERIFY(proxy.listenTls(m_pki.certificate(QStringLiteral("server")), m_pki.key(QStringLiteral("server"))));
        const Setup setup = kubeconfig(server.port(), "https://localhost:" + QByteArray::number(proxy.port()), ca());
        QVERIFY(setup.config.ok());
        orchestra::kube::ApiClient client(setup.config.value());
        std::optional<orchestra::Result<QJsonObject>> answer;
        client.getJson(QStringLiteral("/version"), this,
                       [&answer](orchestra::Result<QJsonObject> result) { answer = std::move(result); });
        QTRY_VERIFY_WITH_TIMEOUT(answer.has_value(), 30000);
        QVERIFY2(answer->ok(), qPrintable(answer->ok() ? QString() : answer->error().toString()));
        QCOMPARE(answer->value().value(QStringLiteral("gitVersion")).toString(), QStringLiteral("v1.20.15"));
        QCOMPARE(proxy.requests().size(), 1);
    }

    void httpsProxy_carriesWatchStreamsFromTheTestApiServer()
    {
        // The test API server over TLS (its own CA); the proxy shows the server's certificate, which that CA signed.
        orchestra::testing::ApiServer apiServer;
        QVERIFY2(apiServer.start(), qPrintable(apiServer.lastError()));
        const QString tls = apiServer.tlsDirectory();
        TestConnectProxy proxy;
        QVERIFY(proxy.listenTls(orchestra::test::TestPki::certificateFile(tls + QStringLiteral("/server.crt")),
                                orchestra::test::TestPki::keyFile(tls + QStringLiteral("/server.key"))));
        const QString file = m_dir.filePath(QStringLiteral("apiserver-config"));
        QVERIFY(apiServer.writeKubeconfig(file));
        QFile config(file);
        QVERIFY(config.open(QIODevice::ReadWrite));
        QByteArray text = config.readAll();
        const QByteArray serverLine = "    server: " + apiServer.url().toString().toUtf8() + "\n";
        QVERIFY2(text.contains(serverLine), text.constData());
        text.replace(serverLine,
                     serverLine + "    proxy-url: https://127.0.0.1:" + QByteArray::number(proxy.port()) + "\n");
        config.resize(0);
        config.write(text);
        config.close();
        const auto loaded = Kubeconfig::load({file, {}, {}, {}});
        QVERIFY(loaded.ok());
        const auto rest = restConfig(loaded.value());
        QVERIFY(rest.ok() && rest->proxyRelay);

        orchestra::kube::ApiClient client(rest.value());
        orchestra::kube::Request request;
        request.path = QStringLiteral("/api/v1/namespaces/default/pods?watch=1&timeoutSeconds=5");
        request.timeoutMs = 0;
        std::unique_ptr<orchestra::kube::StreamReply> stream(client.openStream(request));
        QByteArray bytes;
        connect(stream.get(), &orchestra::kube::StreamReply::dataReceived, this,
                [&bytes](const QByteArray &chunk) { bytes += chunk; });
        QSignalSpy opened(stream.get(), &orchestra::kube::StreamReply::opened);
        QVERIFY(opened.wait(20000));
        apiServer.addPods(3, QStringLiteral("default")); // events after the watch opened arrive through the tunnel
        QTRY_COMPARE_WITH_TIMEOUT(bytes.count("\"ADDED\""), 3, 20000);
        QVERIFY(proxy.requests().size() >= 1);

        if (QStandardPaths::findExecutable(QStringLiteral("kubectl")).isEmpty())
            return;
        QProcess kubectl;
        kubectl.setProcessChannelMode(QProcess::MergedChannels);
        QSignalSpy finished(&kubectl, &QProcess::finished);
        kubectl.start(QStandardPaths::findExecutable(QStringLiteral("kubectl")),
                      {QStringLiteral("--kubeconfig"), file, QStringLiteral("get"), QStringLiteral("pods"),
                       QStringLiteral("-o"), QStringLiteral("name")});
        QVERIFY(finished.wait(60000));
        const QString output = QString::fromUtf8(kubectl.readAll());
        QVERIFY2(kubectl.exitCode() == 0, qPrintable(output));
        QCOMPARE(output.count(QLatin1String("pod/")), 3);
    }

    void httpsProxy_sendsTheUrlsCredentialsLikeKubectl()
    {
        requireKubectl();
        TestHttpServer server;
        QVERIFY(listenServer(server));
        TestConnectProxy proxy;
        QVERIFY(proxy.listenTls(m_pki.certificate(QStringLiteral("server")), m_pki.key(QStringLiteral("server"))));
        proxy.requireCredentials("proxy-user:s3cret pass@word");
        const QByteArray port = QByteArray::number(proxy.port());
        const Setup setup =
            kubeconfig(server.port(), "https://proxy-user:s3cret%20pass%40word@127.0.0.1:" + port, ca());
        QVERIFY(setup.config.ok());
        const ConnectionCheckResult result = check(setup.config.value());
        QVERIFY2(result.ok(), explain(result));
        const QByteArray ours = proxy.requests().value(0).headers("Proxy-Authorization").value(0);

        const auto [code, output] = kubectl(setup.file);
        QVERIFY2(code == 0, qPrintable(output));
        QCOMPARE(proxy.requests().last().headers("Proxy-Authorization").value(0), ours);

        // Wrong password: a proxy problem, and the password appears nowhere in the message.
        const Setup wrong = kubeconfig(server.port(), "https://proxy-user:wrong-secret@127.0.0.1:" + port, ca());
        QVERIFY(wrong.config.ok());
        const ConnectionCheckResult refused = check(wrong.config.value());
        QVERIFY2(refused.problem == ConnectionProblem::Proxy, explain(refused));
        QVERIFY2(refused.error.message.contains(QStringLiteral("https://127.0.0.1:") + QString::fromLatin1(port)),
                 explain(refused));
        QVERIFY(!refused.error.toString().contains(QLatin1String("wrong-secret")));
        QVERIFY(kubectl(wrong.file).first != 0);
    }

    void httpsProxy_askingForAClientCertificate_getsTheUsersLikeKubectl()
    {
        requireKubectl();
        TestHttpServer server;
        QVERIFY(listenServer(server));
        TestConnectProxy proxy; // wants a client certificate signed by client-ca
        QVERIFY(proxy.listenTls(m_pki.certificate(QStringLiteral("server")), m_pki.key(QStringLiteral("server")),
                                {m_pki.certificate(QStringLiteral("client-ca"))}));
        const QString file = m_dir.filePath(QStringLiteral("client-cert-proxy"));
        QFile out(file);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write("apiVersion: v1\nkind: Config\nclusters:\n- name: test\n  cluster:\n    server: https://127.0.0.1:" +
                  QByteArray::number(server.port()) +
                  "\n    proxy-url: https://127.0.0.1:" + QByteArray::number(proxy.port()) + "\n" + ca() +
                  "users:\n- name: tester\n  user:\n    client-certificate: " +
                  m_pki.path(QStringLiteral("client-rsa8.crt")).toUtf8() +
                  "\n    client-key: " + m_pki.path(QStringLiteral("client-rsa8.key")).toUtf8() +
                  "\ncontexts:\n- name: test\n  context: {cluster: test, user: tester}\ncurrent-context: test\n");
        out.close();
        const auto loaded = Kubeconfig::load({file, {}, {}, {}});
        QVERIFY(loaded.ok());
        const auto rest = restConfig(loaded.value());
        QVERIFY(rest.ok());
        const ConnectionCheckResult result = check(rest.value());
        QVERIFY2(result.ok(), explain(result));
        QCOMPARE(proxy.requests().value(0).peerCertificate.subjectInfo(QSslCertificate::CommonName).value(0),
                 QStringLiteral("client-rsa8"));
        const auto [code, output] = kubectl(file);
        QVERIFY2(code == 0, qPrintable(output));
        QCOMPARE(proxy.requests().last().peerCertificate.subjectInfo(QSslCertificate::CommonName).value(0),
                 QStringLiteral("client-rsa8"));
    }

    void httpsProxy_certificateFromAnotherCa_failsLikeKubectl()
    {
        requireKubectl();
        TestHttpServer server;
        QVERIFY(listenServer(server));
        TestConnectProxy proxy;
        QVERIFY(proxy.listenTls(m_pki.certificate(QStringLiteral("proxy-other")),
                                m_pki.key(QStringLiteral("proxy-other"))));
        const QByteArray url = "https://127.0.0.1:" + QByteArray::number(proxy.port());
        const Setup setup = kubeconfig(server.port(), url, ca());
        QVERIFY(setup.config.ok());
        const ConnectionCheckResult result = check(setup.config.value());
        QVERIFY2(result.problem == ConnectionProblem::Proxy, explain(result));
        QVERIFY2(result.error.message.startsWith(QStringLiteral("The proxy ") + QString::fromLatin1(url)),
                 explain(result));
        QVERIFY2(result.error.message.contains(QLatin1String("TLS verification failed for its certificate")),
                 explain(result));
        QVERIFY2(result.error.message.contains(QLatin1String("CN=test-proxy-other")), explain(result));
        QVERIFY2(result.error.hint.contains(QLatin1String("certificate-authority of cluster \"test\"")),
                 explain(result));
        QVERIFY(server.requests().isEmpty());
        QVERIFY(kubectl(setup.file).first != 0);

        // insecure-skip-tls-verify covers the proxy too, for kubectl and for us.
        const Setup insecure = kubeconfig(server.port(), url, "    insecure-skip-tls-verify: true\n");
        QVERIFY(insecure.config.ok());
        const ConnectionCheckResult accepted = check(insecure.config.value());
        QVERIFY2(accepted.ok(), explain(accepted));
        const auto [code, output] = kubectl(insecure.file);
        QVERIFY2(code == 0, qPrintable(output));
    }

    void realCluster_throughHttpAndHttpsProxies()
    {
        // With ORCHESTRA_IT_KUBECONFIG our two proxies stand in front of that cluster. The https one is checked
        // insecurely (its certificate is ours, not signed by the cluster's CA); the cluster hop keeps its own TLS.
        const QString file = qEnvironmentVariable("ORCHESTRA_IT_KUBECONFIG");
        if (file.isEmpty())
            QSKIP("ORCHESTRA_IT_KUBECONFIG is not set");
        const auto loaded = Kubeconfig::load({file, {}, {}, {}});
        QVERIFY2(loaded.ok(), qPrintable(loaded.ok() ? QString() : loaded.error().toString()));
        const auto rest = restConfig(loaded.value(), qEnvironmentVariable("ORCHESTRA_IT_CONTEXT"));
        QVERIFY2(rest.ok(), qPrintable(rest.ok() ? QString() : rest.error().toString()));
        const QUrl server = rest->server;
        const QString target = QStringLiteral("%1:%2").arg(server.host()).arg(server.port(443));

        TestConnectProxy plain;
        QVERIFY(plain.listenPlain());
        RestConfig viaHttp = rest.value();
        viaHttp.proxyUrl = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(plain.port()));
        viaHttp.proxyRelay.reset();
        const ConnectionCheckResult first = check(viaHttp);
        QVERIFY2(first.ok(), explain(first));
        QCOMPARE(plain.requests().value(0).path, target.toUtf8());

        TestConnectProxy secure;
        QVERIFY(secure.listenTls(m_pki.certificate(QStringLiteral("proxy-other")),
                                 m_pki.key(QStringLiteral("proxy-other"))));
        RestConfig viaHttps = rest.value();
        viaHttps.proxyUrl = QUrl(QStringLiteral("https://127.0.0.1:%1").arg(secure.port()));
        ProxyTlsSettings insecure;
        insecure.insecureSkipTlsVerify = true;
        viaHttps.proxyRelay = std::make_shared<HttpsProxyRelay>(viaHttps.proxyUrl, insecure, target);
        const ConnectionCheckResult second = check(viaHttps);
        QVERIFY2(second.ok(), explain(second));
        QCOMPARE(secure.requests().value(0).path, target.toUtf8());
        QCOMPARE(second.serverVersion, first.serverVersion);
    }

    void httpsProxy_closedPort_isProxyProblem()
    {
        quint16 port = 0;
        {
            QTcpServer probe;
            QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
            port = probe.serverPort();
        }
        const Setup setup = kubeconfig(6443, "https://127.0.0.1:" + QByteArray::number(port), ca());
        QVERIFY(setup.config.ok());
        const ConnectionCheckResult result = check(setup.config.value());
        QVERIFY2(result.problem == ConnectionProblem::Proxy, explain(result));
        QVERIFY2(result.error.message.contains(QLatin1String("refused")), explain(result));
        QVERIFY2(result.error.message.contains(QStringLiteral("https://127.0.0.1:%1").arg(port)), explain(result));
    }
};

ORCHESTRA_TEST_MAIN(TestKubeconfigProxy)
#include "tst_kubeconfig_proxy.moc"
