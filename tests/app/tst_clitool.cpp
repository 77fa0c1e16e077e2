#include "testmain.h"

#include "kubeconfigtestsupport.h"

#include <QProcess>
#include <QSignalSpy>
#include <QTcpServer>

using orchestra::test::TestHttpServer;
using orchestra::test::TestRequest;
using orchestra::test::TestResponse;

// `orchestra --list-contexts` must print exactly what `kubectl config get-contexts` prints for the same files, and
// `orchestra --check` exits 0 with the server version or 1 with a message a user can act on. The local servers run
// in this process, so the executable runs asynchronously while the event loop serves them.
class TestCliTool : public QObject
{
    Q_OBJECT

private:
    struct Run
    {
        int exitCode = -1;
        QString out;
        QString err;
    };

    QTemporaryDir m_dir;
    orchestra::test::TestPki m_pki;
    QString m_pkiError;
    int m_counter = 0;

    static QString dataDir() { return QStringLiteral(ORCHESTRA_TEST_DATA_DIR "/kubeconfig"); }

    static Run run(const QString &program, const QStringList &arguments, const QString &kubeconfigEnv,
                   const QStringList &extraEnv = {})
    {
        QProcess process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("DISPLAY"));
        env.remove(QStringLiteral("WAYLAND_DISPLAY"));
        env.insert(QStringLiteral("KUBECONFIG"), kubeconfigEnv);
        for (const QString &pair : extraEnv)
            env.insert(pair.section(QLatin1Char('='), 0, 0), pair.section(QLatin1Char('='), 1));
        process.setProcessEnvironment(env);
        QSignalSpy finished(&process, &QProcess::finished);
        process.start(program, arguments);
        if (!finished.wait(60000))
            qFatal("%s did not finish", qPrintable(program));
        return {process.exitCode(), QString::fromUtf8(process.readAllStandardOutput()),
                QString::fromUtf8(process.readAllStandardError())};
    }

    static Run orchestra(const QStringList &arguments, const QString &kubeconfigEnv = {},
                         const QStringList &extraEnv = {})
    {
        return run(QStringLiteral(ORCHESTRA_BINARY), arguments, kubeconfigEnv, extraEnv);
    }

    QString writeConfig(const QString &server, const QByteArray &clusterExtra, const QByteArray &userBody)
    {
        const QString file = m_dir.filePath(QStringLiteral("config-%1").arg(++m_counter));
        QFile out(file);
        if (!out.open(QIODevice::WriteOnly))
            qFatal("cannot write %s", qPrintable(file));
        out.write("clusters:\n- name: test\n  cluster:\n    server: " + server.toUtf8() + "\n" + clusterExtra +
                  "users:\n- name: tester\n  user:\n" + userBody +
                  "contexts:\n- name: test\n  context: {cluster: test, user: tester}\n"
                  "- name: other\n  context: {cluster: test, user: tester, namespace: apps}\n"
                  "current-context: test\n");
        return file;
    }

    QByteArray ca(const QString &name) { return "    certificate-authority: " + m_pki.path(name).toUtf8() + "\n"; }

    static quint16 closedPort()
    {
        QTcpServer probe;
        if (!probe.listen(QHostAddress::LocalHost, 0))
            qFatal("cannot listen");
        return probe.serverPort();
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_pkiError = m_pki.generate();
    }

    void listContexts_matchesKubectl_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("kubeconfigEnv");
        const QString d = dataDir();
        const QChar sep = QDir::listSeparator();
        QTest::newRow("single") << QStringList{} << d + "/01-single/config";
        QTest::newRow("three merged") << QStringList{}
                                      << QStringList{d + "/03-merge-three/one.yaml", d + "/03-merge-three/two.yaml",
                                                     d + "/03-merge-three/three.yaml"}
                                             .join(sep);
        QTest::newRow("missing entries") << QStringList{}
                                         << QStringList{d + "/06-missing-entries/nope",
                                                        d + "/06-missing-entries/first.yaml",
                                                        d + "/06-missing-entries/second.yaml"}
                                                .join(sep);
        QTest::newRow("minikube") << QStringList{} << d + "/07-minikube/config";
        QTest::newRow("rancher") << QStringList{} << d + "/08-rancher/config";
        QTest::newRow("eks long names") << QStringList{} << d + "/10-eks/config";
        QTest::newRow("--kubeconfig wins")
            << QStringList{"--kubeconfig", d + "/13-explicit/chosen.yaml"} << d + "/13-explicit/ignored.yaml";
        QTest::newRow("empty") << QStringList{} << d + "/15-empty/config";
    }

    void listContexts_matchesKubectl()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, kubeconfigEnv);
        const QString kubectl = QStandardPaths::findExecutable(QStringLiteral("kubectl"));
        if (kubectl.isEmpty())
            QSKIP("kubectl is not installed");
        const Run theirs = run(kubectl, QStringList{"config", "get-contexts"} + arguments, kubeconfigEnv);
        QCOMPARE(theirs.exitCode, 0);
        const Run mine = orchestra(QStringList{"--list-contexts"} + arguments, kubeconfigEnv);
        QCOMPARE(mine.exitCode, 0);
        QCOMPARE(mine.out.toUtf8(), theirs.out.toUtf8()); // byte for byte
        QVERIFY(mine.err.isEmpty());
    }

    void listContexts_brokenFile_exits1WithLocation()
    {
        const QString file = m_dir.filePath(QStringLiteral("broken"));
        QFile out(file);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write("clusters: [\n");
        out.close();
        const Run mine = orchestra({"--list-contexts", "--kubeconfig", file});
        QCOMPARE(mine.exitCode, 1);
        QVERIFY2(mine.err.startsWith(QStringLiteral("orchestra: ") + file + QLatin1Char(':')), qPrintable(mine.err));
    }

    void check_succeeds()
    {
        if (!m_pkiError.isEmpty())
            QSKIP(qPrintable(m_pkiError));
        TestHttpServer server;
        QVERIFY(server.listenTls(m_pki.certificate(QStringLiteral("server")), m_pki.key(QStringLiteral("server"))));
        const QString config = writeConfig(QStringLiteral("https://127.0.0.1:%1").arg(server.port()),
                                           ca(QStringLiteral("ca.crt")), "    token: cli-token\n");
        const Run result = orchestra({"--check", "--kubeconfig", config});
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        QVERIFY2(result.out.contains(QStringLiteral("Version:  v1.20.15 (linux/amd64)")), qPrintable(result.out));
        QVERIFY(result.out.contains(QStringLiteral("Context:  test (cluster \"test\", user \"tester\")")));
        QVERIFY(result.out.contains(QStringLiteral("Access:   can list pods in namespace \"default\"")));
    }

    void check_contextAndNamespaceOptions()
    {
        if (!m_pkiError.isEmpty())
            QSKIP(qPrintable(m_pkiError));
        TestHttpServer server;
        QVERIFY(server.listenTls(m_pki.certificate(QStringLiteral("server")), m_pki.key(QStringLiteral("server"))));
        const QString config = writeConfig(QStringLiteral("https://127.0.0.1:%1").arg(server.port()),
                                           ca(QStringLiteral("ca.crt")), "    token: t\n");
        Run result = orchestra({"--check", "--kubeconfig", config, "--context", "other"});
        QCOMPARE(result.exitCode, 0);
        QVERIFY(result.out.contains(QStringLiteral("Context:  other")));
        QVERIFY(result.out.contains(QStringLiteral("namespace \"apps\"")));
        result = orchestra({"--check", "--kubeconfig", config, "--context", "other", "--namespace", "ops"});
        QVERIFY(result.out.contains(QStringLiteral("namespace \"ops\"")));
        result = orchestra({"--check", "--kubeconfig", config, "--context", "nope"});
        QCOMPARE(result.exitCode, 1);
        QVERIFY(result.err.contains(QStringLiteral("Context \"nope\" was not found")));
    }

    void check_throughAnHttpsProxy()
    {
        if (!m_pkiError.isEmpty())
            QSKIP(qPrintable(m_pkiError));
        TestHttpServer server;
        QVERIFY(server.listenTls(m_pki.certificate(QStringLiteral("server")), m_pki.key(QStringLiteral("server"))));
        orchestra::test::TestConnectProxy proxy;
        QVERIFY(proxy.listenTls(m_pki.certificate(QStringLiteral("server")), m_pki.key(QStringLiteral("server"))));
        proxy.requireCredentials("cli-user:cli-proxy-secret");
        const QByteArray proxyUrl = "https://cli-user:cli-proxy-secret@127.0.0.1:" + QByteArray::number(proxy.port());
        const QString config =
            writeConfig(QStringLiteral("https://127.0.0.1:%1").arg(server.port()),
                        ca(QStringLiteral("ca.crt")) + "    proxy-url: " + proxyUrl + "\n", "    token: t\n");
        const Run result = orchestra({"--check", "--kubeconfig", config});
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        QVERIFY2(result.out.contains(QStringLiteral("Proxy:    https://127.0.0.1:%1\n").arg(proxy.port())),
                 qPrintable(result.out));
        QVERIFY(result.out.contains(QStringLiteral("Version:  v1.20.15")));
        QCOMPARE(proxy.requests().value(0).method, QByteArray("CONNECT"));
        QVERIFY(!(result.out + result.err).contains(QLatin1String("cli-proxy-secret")));
    }

    void check_closedPort_exits1()
    {
        const QString config =
            writeConfig(QStringLiteral("https://127.0.0.1:%1").arg(closedPort()), {}, "    token: t\n");
        const Run result = orchestra({"--check", "--kubeconfig", config});
        QCOMPARE(result.exitCode, 1);
        QVERIFY2(result.err.contains(QStringLiteral("Connection refused")), qPrintable(result.err));
        QVERIFY(result.err.contains(QStringLiteral("Is the cluster running?")));
    }

    void check_wrongCa_exits1()
    {
        if (!m_pkiError.isEmpty())
            QSKIP(qPrintable(m_pkiError));
        TestHttpServer server;
        QVERIFY(server.listenTls(m_pki.certificate(QStringLiteral("server")), m_pki.key(QStringLiteral("server"))));
        const QString config = writeConfig(QStringLiteral("https://127.0.0.1:%1").arg(server.port()),
                                           ca(QStringLiteral("other-ca.crt")), "    token: t\n");
        const Run result = orchestra({"--check", "--kubeconfig", config});
        QCOMPARE(result.exitCode, 1);
        QVERIFY2(result.err.contains(QStringLiteral("TLS verification")), qPrintable(result.err));
        QVERIFY(result.err.contains(QStringLiteral("CN=test-apiserver")));
    }

    void check_badToken_exits1()
    {
        if (!m_pkiError.isEmpty())
            QSKIP(qPrintable(m_pkiError));
        TestHttpServer server;
        QVERIFY(server.listenTls(m_pki.certificate(QStringLiteral("server")), m_pki.key(QStringLiteral("server"))));
        server.setHandler([](const TestRequest &) { return TestResponse{401, "{}"}; });
        const QString config = writeConfig(QStringLiteral("https://127.0.0.1:%1").arg(server.port()),
                                           ca(QStringLiteral("ca.crt")), "    token: stale-token-value\n");
        const Run result = orchestra({"--check", "--kubeconfig", config});
        QCOMPARE(result.exitCode, 1);
        QVERIFY2(result.err.contains(QStringLiteral("401 Unauthorized")), qPrintable(result.err));
        QVERIFY(!(result.out + result.err).contains(QStringLiteral("stale-token-value")));
    }

    void check_noKubeconfig_exits1Friendly()
    {
        const Run result = orchestra({"--check"});
        QCOMPARE(result.exitCode, 1);
        QVERIFY2(result.err.contains(QStringLiteral("No clusters yet")), qPrintable(result.err));
    }

    void check_verboseLogging_neverShowsSecrets()
    {
        if (!m_pkiError.isEmpty())
            QSKIP(qPrintable(m_pkiError));
        TestHttpServer server;
        QVERIFY(server.listenTls(m_pki.certificate(QStringLiteral("server")), m_pki.key(QStringLiteral("server"))));
        server.setHandler([](const TestRequest &request) {
            // First answer 401 so the retry and the error paths run and log too.
            static int calls = 0;
            if (++calls == 1)
                return TestResponse{401, "{}"};
            return TestHttpServer::kubeLike(request);
        });
        const QString counter = m_dir.filePath(QStringLiteral("cli-secret-counter"));
        const QString execConfig =
            writeConfig(QStringLiteral("https://127.0.0.1:%1").arg(server.port()), ca(QStringLiteral("ca.crt")),
                        "    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: " +
                            (dataDir() + QStringLiteral("/exec-plugin.sh")).toUtf8() +
                            "\n      interactiveMode: Never\n      env:\n      - {name: PLUGIN_COUNTER, value: '" +
                            counter.toUtf8() + "'}\n");
        const QStringList verbose{QStringLiteral("QT_LOGGING_RULES=*.debug=true")};
        const Run result = orchestra({"--check", "--kubeconfig", execConfig}, {}, verbose);
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        QVERIFY2(result.err.contains(QStringLiteral("orchestra.kubeconfig")), "verbose logging was not on");
        QVERIFY(!(result.out + result.err).contains(QStringLiteral("plugin-secret-token")));

        const QString tokenConfig = writeConfig(QStringLiteral("https://127.0.0.1:%1").arg(closedPort()),
                                                ca(QStringLiteral("ca.crt")), "    token: very-secret-token-42\n");
        const Run failed = orchestra({"--check", "--kubeconfig", tokenConfig}, {}, verbose);
        QCOMPARE(failed.exitCode, 1);
        QVERIFY(!(failed.out + failed.err).contains(QStringLiteral("very-secret-token-42")));
    }
};

ORCHESTRA_TEST_MAIN(TestCliTool)
#include "tst_clitool.moc"
