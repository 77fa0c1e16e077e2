#include "testmain.h"

#include "kubeconfigtestsupport.h"

#include "kubeconfig/connectioncheck.h"
#include "kubeconfig/kubeconfig.h"

#include <QSignalSpy>
#include <QTcpServer>

using namespace orchestra::kubeconfig;
using orchestra::test::TestHttpServer;
using orchestra::test::TestRequest;
using orchestra::test::TestResponse;

// TLS and the connection check against local servers with certificates made for the test: the right CA is
// accepted, a wrong CA / host / expired certificate refused with a message naming certificate and host,
// tls-server-name, client certificates, and the error taxonomy (refused, DNS, timeout, proxy, 401, 403).
class TestKubeconfigTls : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    orchestra::test::TestPki m_pki;
    QString m_pkiError;
    int m_counter = 0;

    orchestra::Result<RestConfig> rest(const QString &server, const QByteArray &clusterExtra,
                                       const QByteArray &userBody)
    {
        const QString file = m_dir.filePath(QStringLiteral("config-%1").arg(++m_counter));
        QFile out(file);
        if (!out.open(QIODevice::WriteOnly))
            qFatal("cannot write %s", qPrintable(file));
        out.write("clusters:\n- name: test\n  cluster:\n    server: " + server.toUtf8() + "\n" + clusterExtra +
                  "users:\n- name: tester\n  user:\n" + userBody +
                  "contexts:\n- name: test\n  context: {cluster: test, user: tester}\ncurrent-context: test\n");
        out.close();
        const auto config = Kubeconfig::load({file, {}, {}, {}});
        if (!config)
            return config.error();
        return restConfig(config.value());
    }

    QByteArray ca(const QString &name) { return "    certificate-authority: " + m_pki.path(name).toUtf8() + "\n"; }
    QByteArray clientCert(const QString &name)
    {
        return "    client-certificate: " + m_pki.path(name + ".crt").toUtf8() +
               "\n    client-key: " + m_pki.path(name + ".key").toUtf8() + "\n";
    }

    static ConnectionCheckResult check(const RestConfig &config, int timeoutMs = 15000)
    {
        ConnectionCheck check(config);
        check.setTimeoutMs(timeoutMs);
        QSignalSpy spy(&check, &ConnectionCheck::finished);
        check.start();
        if (!spy.wait(30000))
            qFatal("ConnectionCheck never finished");
        return spy.first().first().value<ConnectionCheckResult>();
    }

    static QString https(quint16 port, const QString &host = QStringLiteral("127.0.0.1"))
    {
        return QStringLiteral("https://%1:%2").arg(host).arg(port);
    }

    static QByteArray explain(const ConnectionCheckResult &result)
    {
        return (QStringLiteral("problem %1: ").arg(int(result.problem)) + result.error.toString()).toUtf8();
    }

private slots:
    void initTestCase()
    {
        m_pkiError = m_pki.generate();
        if (!m_pkiError.isEmpty())
            QSKIP(qPrintable(m_pkiError));
    }

    void rightCa_isAccepted_data()
    {
        QTest::addColumn<QString>("host");
        QTest::newRow("ip") << "127.0.0.1";
        QTest::newRow("localhost") << "localhost";
    }

    void rightCa_isAccepted()
    {
        QFETCH(QString, host);
        TestHttpServer server;
        QVERIFY(server.listenTls(m_pki.certificate(QStringLiteral("server")), m_pki.key(QStringLiteral("server"))));
        const auto config = rest(https(server.port(), host), ca(QStringLiteral("ca.crt")), "    token: tls-token\n");
        QVERIFY(config.ok());
        const ConnectionCheckResult result = check(config.value());
        QVERIFY2(result.ok(), explain(result));
        QCOMPARE(result.serverVersion, QStringLiteral("v1.20.15"));
        QVERIFY(result.canListPods);
        QCOMPARE(result.permissionSummary, QStringLiteral("can list pods in namespace \"default\""));
        QCOMPARE(server.requests().first().headers("Authorization").value(0), QByteArray("Bearer tls-token"));
    }

    void wrongCa_isRefusedNamingCertificateAndHost()
    {
        TestHttpServer server;
        QVERIFY(server.listenTls(m_pki.certificate(QStringLiteral("server")), m_pki.key(QStringLiteral("server"))));
        const auto config = rest(https(server.port()), ca(QStringLiteral("other-ca.crt")), "    token: t\n");
        QVERIFY(config.ok());
        const ConnectionCheckResult result = check(config.value());
        QCOMPARE(result.problem, ConnectionProblem::TlsVerification);
        QVERIFY2(result.error.message.contains(QStringLiteral("CN=test-apiserver")), explain(result));
        QVERIFY2(result.error.message.contains(QStringLiteral("127.0.0.1:%1").arg(server.port())), explain(result));
        QVERIFY(result.error.hint.contains(QStringLiteral("certificate-authority")));
        QVERIFY(server.requests().isEmpty());
    }

    void systemCas_doNotTrustTheTestCa()
    {
        TestHttpServer server;
        QVERIFY(server.listenTls(m_pki.certificate(QStringLiteral("server")), m_pki.key(QStringLiteral("server"))));
        const auto config = rest(https(server.port()), {}, "    token: t\n");
        QVERIFY(config.ok());
        QCOMPARE(check(config.value()).problem, ConnectionProblem::TlsVerification);
    }

    void wrongHost_isRefused()
    {
        TestHttpServer server;
        QVERIFY(server.listenTls(m_pki.certificate(QStringLiteral("named")), m_pki.key(QStringLiteral("named"))));
        const auto config = rest(https(server.port()), ca(QStringLiteral("ca.crt")), "    token: t\n");
        QVERIFY(config.ok());
        const ConnectionCheckResult result = check(config.value());
        QCOMPARE(result.problem, ConnectionProblem::TlsVerification);
        QVERIFY2(result.error.message.contains(QStringLiteral("CN=test-apiserver-named")), explain(result));
        QVERIFY2(result.error.hint.contains(QStringLiteral("tls-server-name")), explain(result));
    }

    void tlsServerName_isUsedForVerification()
    {
        TestHttpServer server;
        QVERIFY(server.listenTls(m_pki.certificate(QStringLiteral("named")), m_pki.key(QStringLiteral("named"))));
        const auto config =
            rest(https(server.port()), ca(QStringLiteral("ca.crt")) + "    tls-server-name: api.internal.test\n",
                 "    token: t\n");
        QVERIFY(config.ok());
        const ConnectionCheckResult result = check(config.value());
        QVERIFY2(result.ok(), explain(result));
    }

    void expiredCertificate_isRefused()
    {
        TestHttpServer server;
        QVERIFY(server.listenTls(m_pki.certificate(QStringLiteral("expired")), m_pki.key(QStringLiteral("expired"))));
        const auto config = rest(https(server.port()), ca(QStringLiteral("ca.crt")), "    token: t\n");
        QVERIFY(config.ok());
        const ConnectionCheckResult result = check(config.value());
        QCOMPARE(result.problem, ConnectionProblem::TlsVerification);
        QVERIFY2(result.error.message.contains(QStringLiteral("CN=test-apiserver-expired")), explain(result));
        QVERIFY2(result.error.hint.contains(QStringLiteral("expired on 2021-01-01")), explain(result));
    }

    void insecureSkipTlsVerify_connectsAnyway()
    {
        TestHttpServer server;
        QVERIFY(server.listenTls(m_pki.certificate(QStringLiteral("named")), m_pki.key(QStringLiteral("named"))));
        const auto config = rest(https(server.port()), "    insecure-skip-tls-verify: true\n", "    token: t\n");
        QVERIFY(config.ok());
        QVERIFY(check(config.value()).ok());
    }

    void clientCertificate_requiredAndPresented_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("RSA PKCS#1") << "client-rsa1";
        QTest::newRow("EC PKCS#8") << "client-ec8";
    }

    void clientCertificate_requiredAndPresented()
    {
        QFETCH(QString, name);
        TestHttpServer server;
        QVERIFY(server.listenTls(m_pki.certificate(QStringLiteral("server")), m_pki.key(QStringLiteral("server")),
                                 {m_pki.certificate(QStringLiteral("client-ca"))}));
        const auto config = rest(https(server.port()), ca(QStringLiteral("ca.crt")), clientCert(name));
        QVERIFY(config.ok());
        const ConnectionCheckResult result = check(config.value());
        QVERIFY2(result.ok(), explain(result));
        QCOMPARE(server.requests().first().peerCertificate.subjectInfo(QSslCertificate::CommonName).value(0), name);
        QVERIFY(server.requests().first().headers("Authorization").isEmpty());
    }

    void clientCertificate_requiredButMissing()
    {
        TestHttpServer server;
        QVERIFY(server.listenTls(m_pki.certificate(QStringLiteral("server")), m_pki.key(QStringLiteral("server")),
                                 {m_pki.certificate(QStringLiteral("client-ca"))}));
        const auto config = rest(https(server.port()), ca(QStringLiteral("ca.crt")), "    token: t\n");
        QVERIFY(config.ok());
        const ConnectionCheckResult result = check(config.value());
        QCOMPARE(result.problem, ConnectionProblem::ClientCertificateRejected);
        QVERIFY2(result.error.message.contains(QStringLiteral("none presented")), explain(result));
    }

    void clientCertificate_fromAnotherCa_isRejected()
    {
        TestHttpServer server;
        // The server trusts only other-ca for clients, so our client-ca-signed certificate is refused.
        QVERIFY(server.listenTls(m_pki.certificate(QStringLiteral("server")), m_pki.key(QStringLiteral("server")),
                                 {m_pki.certificate(QStringLiteral("other-ca"))}));
        const auto config = rest(https(server.port()), ca(QStringLiteral("ca.crt")), clientCert("client-rsa8"));
        QVERIFY(config.ok());
        const ConnectionCheckResult result = check(config.value());
        QCOMPARE(result.problem, ConnectionProblem::ClientCertificateRejected);
        QVERIFY2(result.error.message.contains(QStringLiteral("CN=client-rsa8")), explain(result));
    }

    void closedPort_isRefused()
    {
        quint16 port = 0;
        {
            QTcpServer probe;
            QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
            port = probe.serverPort();
        }
        const auto config = rest(https(port), ca(QStringLiteral("ca.crt")), "    token: t\n");
        QVERIFY(config.ok());
        const ConnectionCheckResult result = check(config.value());
        QCOMPARE(result.problem, ConnectionProblem::Refused);
        QVERIFY(result.error.message.contains(QStringLiteral("127.0.0.1:%1").arg(port)));
    }

    void unknownHost_isDns()
    {
        const auto config = rest(QStringLiteral("https://orchestra-test.invalid:6443"), {}, "    token: t\n");
        QVERIFY(config.ok());
        const ConnectionCheckResult result = check(config.value(), 10000);
        // Sandboxes without any resolver time out instead of failing the lookup.
        QVERIFY2(result.problem == ConnectionProblem::Dns || result.problem == ConnectionProblem::Timeout,
                 explain(result));
        QVERIFY(result.error.message.contains(QStringLiteral("orchestra-test.invalid")));
    }

    void silentServer_timesOut()
    {
        QTcpServer silent; // accepts, never answers
        QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
        const auto config = rest(https(silent.serverPort()), ca(QStringLiteral("ca.crt")), "    token: t\n");
        QVERIFY(config.ok());
        const ConnectionCheckResult result = check(config.value(), 300);
        QCOMPARE(result.problem, ConnectionProblem::Timeout);
    }

    void brokenProxy_isProxyProblem()
    {
        quint16 port = 0;
        {
            QTcpServer probe;
            QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
            port = probe.serverPort();
        }
        const auto config =
            rest(QStringLiteral("https://kubernetes.example.com"),
                 "    proxy-url: http://127.0.0.1:" + QByteArray::number(port) + "\n", "    token: t\n");
        QVERIFY(config.ok());
        const ConnectionCheckResult result = check(config.value());
        QVERIFY2(result.problem == ConnectionProblem::Proxy, explain(result));
        QVERIFY2(result.error.message.contains(QStringLiteral("127.0.0.1:%1").arg(port)), explain(result));
    }

    void badToken_is401WithTokenHint()
    {
        TestHttpServer server;
        QVERIFY(server.listenTls(m_pki.certificate(QStringLiteral("server")), m_pki.key(QStringLiteral("server"))));
        server.setHandler([](const TestRequest &) {
            return TestResponse{401, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
                                     "\"message\":\"Unauthorized\",\"reason\":\"Unauthorized\",\"code\":401}"};
        });
        const auto config = rest(https(server.port()), ca(QStringLiteral("ca.crt")), "    token: expired-token\n");
        QVERIFY(config.ok());
        const ConnectionCheckResult result = check(config.value());
        QCOMPARE(result.problem, ConnectionProblem::Unauthorized);
        QCOMPARE(result.error.code, 401);
        QVERIFY(result.error.hint.contains(QStringLiteral("token is expired")));
        QVERIFY(!result.error.toString().contains(QStringLiteral("expired-token")));
        QCOMPARE(server.requests().size(), 1); // a static token is not retried
    }

    void execPlugin_401_rerunsOnceThenNamesPlugin()
    {
        TestHttpServer server;
        QVERIFY(server.listenTls(m_pki.certificate(QStringLiteral("server")), m_pki.key(QStringLiteral("server"))));
        server.setHandler([](const TestRequest &) { return TestResponse{401, "{}"}; });
        const QString counter = m_dir.filePath(QStringLiteral("exec-401-counter"));
        const auto config =
            rest(https(server.port()), ca(QStringLiteral("ca.crt")),
                 "    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: " ORCHESTRA_TEST_DATA_DIR
                 "/kubeconfig/exec-plugin.sh\n      interactiveMode: Never\n      env:\n"
                 "      - {name: PLUGIN_COUNTER, value: '" +
                     counter.toUtf8() + "'}\n");
        QVERIFY(config.ok());
        const ConnectionCheckResult result = check(config.value());
        QCOMPARE(result.problem, ConnectionProblem::Unauthorized);
        QVERIFY2(result.error.hint.contains(QStringLiteral("exec plugin exec-plugin.sh")), explain(result));
        QCOMPARE(server.requests().size(), 2);
        QCOMPARE(server.requests().at(0).headers("Authorization").value(0), QByteArray("Bearer plugin-secret-token-1"));
        QCOMPARE(server.requests().at(1).headers("Authorization").value(0), QByteArray("Bearer plugin-secret-token-2"));
    }

    void execPlugin_401ThenFreshToken_succeeds()
    {
        TestHttpServer server;
        QVERIFY(server.listenTls(m_pki.certificate(QStringLiteral("server")), m_pki.key(QStringLiteral("server"))));
        server.setHandler([](const TestRequest &request) {
            if (request.headers("Authorization").value(0) != "Bearer plugin-secret-token-2")
                return TestResponse{401, "{}"};
            return TestHttpServer::kubeLike(request);
        });
        const QString counter = m_dir.filePath(QStringLiteral("exec-retry-counter"));
        const auto config = rest(
            https(server.port()), ca(QStringLiteral("ca.crt")),
            "    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n      command: " ORCHESTRA_TEST_DATA_DIR
            "/kubeconfig/exec-plugin.sh\n      env:\n      - {name: PLUGIN_COUNTER, value: '" +
                counter.toUtf8() + "'}\n");
        QVERIFY(config.ok());
        const ConnectionCheckResult result = check(config.value());
        QVERIFY2(result.ok(), explain(result));
    }

    void forbidden_namesUserAndAction()
    {
        TestHttpServer server;
        QVERIFY(server.listenTls(m_pki.certificate(QStringLiteral("server")), m_pki.key(QStringLiteral("server"))));
        server.setHandler([](const TestRequest &) {
            return TestResponse{403, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":"
                                     "\"forbidden: User \\\"system:anonymous\\\" cannot get path \\\"/version\\\"\","
                                     "\"reason\":\"Forbidden\",\"code\":403}"};
        });
        const auto config = rest(https(server.port()), ca(QStringLiteral("ca.crt")), "    token: t\n");
        QVERIFY(config.ok());
        const ConnectionCheckResult result = check(config.value());
        QCOMPARE(result.problem, ConnectionProblem::Forbidden);
        QVERIFY2(result.error.message.contains(QStringLiteral("user \"tester\"")), explain(result));
        QVERIFY2(
            result.error.message.contains(QStringLiteral("cannot get path \\\"/version\\\"").remove(QLatin1Char('\\'))),
            explain(result));
    }

    void notAllowedToListPods_isSuccessWithSummary()
    {
        TestHttpServer server;
        QVERIFY(server.listenTls(m_pki.certificate(QStringLiteral("server")), m_pki.key(QStringLiteral("server"))));
        server.setHandler([](const TestRequest &request) {
            if (request.path.endsWith("/selfsubjectaccessreviews"))
                return TestResponse{201, "{\"status\":{\"allowed\":false,\"reason\":\"no RBAC policy matched\"}}"};
            if (request.path.endsWith("/selfsubjectreviews"))
                return TestResponse{201, "{\"status\":{\"userInfo\":{\"username\":\"jane\",\"groups\":[\"dev\"]}}}"};
            return TestHttpServer::kubeLike(request);
        });
        const auto config = rest(https(server.port()), ca(QStringLiteral("ca.crt")), "    token: t\n");
        QVERIFY(config.ok());
        const ConnectionCheckResult result = check(config.value());
        QVERIFY(result.ok());
        QCOMPARE(result.identity, QStringLiteral("jane"));
        QCOMPARE(result.groups, QStringList{QStringLiteral("dev")});
        QVERIFY(!result.canListPods);
        QCOMPARE(result.permissionSummary, QStringLiteral("connected as jane but not allowed to list pods in namespace "
                                                          "\"default\" (no RBAC policy matched)"));
        // The review asked about the context's namespace.
        const TestRequest review = server.requests().last();
        QVERIFY(review.body.contains("\"namespace\":\"default\""));
        QVERIFY(review.body.contains("\"resource\":\"pods\""));
    }

    void impersonation_reachesTheServerAsSeparateHeaders()
    {
        TestHttpServer server;
        QVERIFY(server.listenTls(m_pki.certificate(QStringLiteral("server")), m_pki.key(QStringLiteral("server"))));
        const auto config = rest(https(server.port()), ca(QStringLiteral("ca.crt")),
                                 "    token: t\n    as: jane\n    as-groups: [dev, ops]\n"
                                 "    as-user-extra: {scopes: [view, edit]}\n");
        QVERIFY(config.ok());
        QVERIFY(check(config.value()).ok());
        const TestRequest request = server.requests().first();
        QCOMPARE(request.headers("Impersonate-User"), QList<QByteArray>{"jane"});
        QCOMPARE(request.headers("Impersonate-Group"), (QList<QByteArray>{"dev", "ops"}));
        QCOMPARE(request.headers("Impersonate-Extra-scopes"), (QList<QByteArray>{"view", "edit"}));
    }

    void serverPathPrefix_isKept()
    {
        TestHttpServer server;
        QVERIFY(server.listenTls(m_pki.certificate(QStringLiteral("server")), m_pki.key(QStringLiteral("server"))));
        server.setHandler([](const TestRequest &request) {
            TestRequest stripped = request;
            if (!stripped.path.startsWith("/k8s/clusters/c-m-1/"))
                return TestResponse{404, "{}"};
            stripped.path = stripped.path.mid(int(qstrlen("/k8s/clusters/c-m-1")));
            return TestHttpServer::kubeLike(stripped);
        });
        const auto config = rest(https(server.port()) + QStringLiteral("/k8s/clusters/c-m-1"),
                                 ca(QStringLiteral("ca.crt")), "    token: t\n");
        QVERIFY(config.ok());
        const ConnectionCheckResult result = check(config.value());
        QVERIFY2(result.ok(), explain(result));
        QCOMPARE(server.requests().first().path, QByteArray("/k8s/clusters/c-m-1/version"));
    }
};

ORCHESTRA_TEST_MAIN(TestKubeconfigTls)
#include "tst_kubeconfig_tls.moc"
