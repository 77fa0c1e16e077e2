#include "testmain.h"

#include "kubeconfigtestsupport.h"

#include "kubeconfig/credentials.h"
#include "kubeconfig/kubeconfig.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace orchestra::kubeconfig;
using orchestra::Result;

// RestConfig resolution and credentials: certificates and keys, tokens, tokenFile, basic auth, impersonation,
// proxies, legacy auth-providers and exec plugins (driven by tests/data/kubeconfig/exec-plugin.sh).
class TestKubeconfigCredentials : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    orchestra::test::TestPki m_pki;
    QString m_pkiError;
    int m_fileCounter = 0;

    static QString plugin() { return QStringLiteral(ORCHESTRA_TEST_DATA_DIR "/kubeconfig/exec-plugin.sh"); }

    /// Writes a one-context kubeconfig with the given cluster and user bodies (YAML, indented by 4) and loads it.
    Result<Kubeconfig> load(const QByteArray &clusterBody, const QByteArray &userBody)
    {
        const QString file = m_dir.filePath(QStringLiteral("config-%1").arg(++m_fileCounter));
        QFile out(file);
        if (!out.open(QIODevice::WriteOnly))
            qFatal("cannot write %s", qPrintable(file));
        out.write("apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n" + clusterBody +
                  "users:\n- name: u\n  user:\n" + userBody +
                  "contexts:\n- name: ctx\n  context: {cluster: c, user: u, namespace: team}\ncurrent-context: ctx\n");
        out.close();
        return Kubeconfig::load({file, {}, {}, {}});
    }

    Result<RestConfig> rest(const QByteArray &clusterBody, const QByteArray &userBody)
    {
        const Result<Kubeconfig> config = load(clusterBody, userBody);
        if (!config)
            return config.error();
        return restConfig(config.value(), {});
    }

    /// A counter file per test keeps exec sessions (cached per exec config) apart.
    QByteArray execUser(const QByteArray &apiVersion, const QByteArray &mode, const QString &counter,
                        const QByteArray &extraEnv = {}, const QByteArray &extra = {})
    {
        return "    exec:\n      apiVersion: " + apiVersion + "\n      command: " + plugin().toUtf8() +
               "\n      interactiveMode: IfAvailable\n      env:\n      - {name: PLUGIN_MODE, value: " + mode +
               "}\n      - {name: PLUGIN_COUNTER, value: '" + counter.toUtf8() + "'}\n" + extraEnv + extra;
    }

    QString counterFile() { return m_dir.filePath(QStringLiteral("counter-%1").arg(++m_fileCounter)); }

    static int runs(const QString &counter)
    {
        QFile file(counter);
        if (!file.open(QIODevice::ReadOnly))
            return 0;
        return int(file.readAll().count('\n'));
    }

    /// Runs ensureReady and waits for its answer.
    Result<void> ready(Credentials &credentials)
    {
        std::optional<Result<void>> outcome;
        credentials.ensureReady(this, [&outcome](Result<void> result) { outcome = result; });
        if (!QTest::qWaitFor([&outcome]() { return outcome.has_value(); }, 20000))
            return orchestra::Error{QStringLiteral("ensureReady never answered"), {}, {}, 0};
        return *outcome;
    }

    static QByteArray authorization(const RestConfig &config)
    {
        QNetworkRequest request = config.request(QStringLiteral("/version"));
        config.credentials->apply(request);
        return request.rawHeader("Authorization");
    }

    static QByteArray b64File(const QString &path)
    {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            qFatal("cannot read %s", qPrintable(path));
        return file.readAll().toBase64();
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_pkiError = m_pki.generate();
        setExecTimeoutMs(30000);
    }

    void basics_contextNamespaceServerUrl()
    {
        const auto config =
            rest("    server: https://rancher.example.com/k8s/clusters/c-m-1/\n", "    token: fixture\n");
        QVERIFY2(config.ok(), qPrintable(config.ok() ? QString() : config.error().toString()));
        QCOMPARE(config->contextName, QStringLiteral("ctx"));
        QCOMPARE(config->clusterName, QStringLiteral("c"));
        QCOMPARE(config->userName, QStringLiteral("u"));
        QCOMPARE(config->defaultNamespace, QStringLiteral("team"));
        QCOMPARE(config->url(QStringLiteral("/api/v1/pods?limit=500")).toString(),
                 QStringLiteral("https://rancher.example.com/k8s/clusters/c-m-1/api/v1/pods?limit=500"));
        QVERIFY(config->caCertificates.isEmpty());
        QVERIFY(config->proxyUrl.isEmpty());
        QCOMPARE(config->networkProxy().type(), QNetworkProxy::NoProxy);
    }

    void disableCompression_asksForIdentityEncoding()
    {
        const auto plain = rest("    server: https://a\n", "    token: t\n");
        const auto uncompressed = rest("    server: https://a\n    disable-compression: true\n", "    token: t\n");
        QVERIFY(plain.ok() && uncompressed.ok());
        QVERIFY(!plain->request(QStringLiteral("/")).hasRawHeader("Accept-Encoding"));
        QCOMPARE(uncompressed->request(QStringLiteral("/")).rawHeader("Accept-Encoding"), QByteArray("identity"));
    }

    void emptyNamespace_isDefault()
    {
        const auto kube =
            Kubeconfig::load({QStringLiteral(ORCHESTRA_TEST_DATA_DIR "/kubeconfig/08-rancher/config"), {}, {}, {}});
        QVERIFY(kube.ok());
        const auto config = restConfig(kube.value(), QStringLiteral("prod-fqdn"));
        QVERIFY2(config.ok(), qPrintable(config.ok() ? QString() : config.error().toString()));
        QCOMPARE(config->defaultNamespace, QStringLiteral("default"));
        QCOMPARE(config->caCertificates.size(), 1);
    }

    void unknownContext_listsTheOthers()
    {
        const auto kube = load("    server: https://a\n", "    token: t\n");
        QVERIFY(kube.ok());
        const auto config = restConfig(kube.value(), QStringLiteral("nope"));
        QVERIFY(!config.ok());
        QVERIFY(config.error().message.contains(QStringLiteral("\"nope\"")));
        QVERIFY(config.error().hint.contains(QStringLiteral("ctx")));
    }

    void caAndInsecure_rejectedAsKubectlDoes()
    {
        const auto config = rest("    server: https://a\n    insecure-skip-tls-verify: true\n"
                                 "    certificate-authority-data: " +
                                     QByteArray("-----BEGIN CERTIFICATE-----").toBase64() + "\n",
                                 "    token: t\n");
        QVERIFY(!config.ok());
        QVERIFY(config.error().message.contains(QStringLiteral("insecure-skip-tls-verify")));
    }

    void clientKeys_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("algorithm");
        QTest::newRow("RSA PKCS#1") << "client-rsa1" << int(QSsl::Rsa);
        QTest::newRow("RSA PKCS#8") << "client-rsa8" << int(QSsl::Rsa);
        QTest::newRow("EC SEC1") << "client-ec1" << int(QSsl::Ec);
        QTest::newRow("EC PKCS#8") << "client-ec8" << int(QSsl::Ec);
    }

    void clientKeys()
    {
        QFETCH(QString, name);
        QFETCH(int, algorithm);
        if (!m_pkiError.isEmpty())
            QSKIP(qPrintable(m_pkiError));
        // From files...
        auto config =
            rest("    server: https://a\n", "    client-certificate: " + m_pki.path(name + ".crt").toUtf8() +
                                                "\n    client-key: " + m_pki.path(name + ".key").toUtf8() + "\n");
        QVERIFY2(config.ok(), qPrintable(config.ok() ? QString() : config.error().toString()));
        QVERIFY(!config->credentials->clientCertificate().isNull());
        QCOMPARE(int(config->credentials->clientKey().algorithm()), algorithm);
        QCOMPARE(config->credentials->clientCertificate().subjectInfo(QSslCertificate::CommonName).value(0), name);
        QVERIFY(config->credentials->describe().contains(QStringLiteral("CN=") + name));
        // ... and from -data.
        config =
            rest("    server: https://a\n", "    client-certificate-data: " + b64File(m_pki.path(name + ".crt")) +
                                                "\n    client-key-data: " + b64File(m_pki.path(name + ".key")) + "\n");
        QVERIFY(config.ok());
        QCOMPARE(int(config->credentials->clientKey().algorithm()), algorithm);
        // request() presents them.
        const QSslConfiguration ssl = config->request(QStringLiteral("/")).sslConfiguration();
        QCOMPARE(ssl.localCertificate(), config->credentials->clientCertificate());
        QVERIFY(!ssl.privateKey().isNull());
    }

    void certificateWithoutKey_isError()
    {
        const auto config =
            rest("    server: https://a\n", "    client-certificate-data: " + QByteArray("x").toBase64() + "\n");
        QVERIFY(!config.ok());
        QVERIFY(config.error().message.contains(QStringLiteral("without a client key")));
    }

    void unreadableCertificateFile_namesIt()
    {
        const auto config = rest("    server: https://a\n",
                                 "    client-certificate: /nope/client.crt\n    client-key: /nope/client.key\n");
        QVERIFY(!config.ok());
        QVERIFY(config.error().message.contains(QStringLiteral("/nope/client.crt")));
    }

    void token_setsBearer()
    {
        const auto config = rest("    server: https://a\n", "    token: static-token\n");
        QVERIFY(config.ok());
        QVERIFY(ready(*config->credentials).ok());
        QCOMPARE(authorization(config.value()), QByteArray("Bearer static-token"));
        QVERIFY(!config->credentials->invalidate()); // re-trying a static token cannot help
    }

    void tokenFile_isReReadWhenItChanges()
    {
        const QString tokenPath = m_dir.filePath(QStringLiteral("token"));
        auto write = [&tokenPath](const QByteArray &text) {
            QFile file(tokenPath);
            QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
            file.write(text);
        };
        write("first-token\n");
        const auto config = rest("    server: https://a\n", "    tokenFile: " + tokenPath.toUtf8() + "\n");
        QVERIFY(config.ok());
        QVERIFY(ready(*config->credentials).ok());
        QCOMPARE(authorization(config.value()), QByteArray("Bearer first-token"));
        write("rotated-longer-token\n"); // a different size is noticed even within the same mtime second
        QVERIFY(ready(*config->credentials).ok());
        QCOMPARE(authorization(config.value()), QByteArray("Bearer rotated-longer-token"));
        QVERIFY(config->credentials->invalidate());
        QFile::remove(tokenPath);
        const Result<void> missing = ready(*config->credentials);
        QVERIFY(!missing.ok());
        QVERIFY(missing.error().message.contains(tokenPath));
    }

    void basicAuth()
    {
        const auto config = rest("    server: https://a\n", "    username: learner\n    password: pw\n");
        QVERIFY(config.ok());
        QVERIFY(ready(*config->credentials).ok());
        QCOMPARE(authorization(config.value()), "Basic " + QByteArray("learner:pw").toBase64());
    }

    void tokenAndBasic_isError()
    {
        const auto config = rest("    server: https://a\n", "    token: t\n    username: a\n    password: b\n");
        QVERIFY(!config.ok());
    }

    void impersonation_headers()
    {
        const auto config =
            rest("    server: https://a\n", "    token: t\n    as: jane\n    as-uid: '42'\n    as-groups: [dev, ops]\n"
                                            "    as-user-extra: {'acme.com/project': [p1]}\n");
        QVERIFY(config.ok());
        QNetworkRequest request = config->request(QStringLiteral("/"));
        config->credentials->apply(request);
        QCOMPARE(request.rawHeader("Impersonate-User"), QByteArray("jane"));
        QCOMPARE(request.rawHeader("Impersonate-Uid"), QByteArray("42"));
        QVERIFY(request.rawHeader("Impersonate-Group").startsWith("dev"));
        QCOMPARE(request.rawHeader("Impersonate-Extra-acme.com%2Fproject"), QByteArray("p1"));
    }

    void authProvider_namesProviderAndPlugin_data()
    {
        QTest::addColumn<QString>("context");
        QTest::addColumn<QString>("provider");
        QTest::addColumn<QString>("plugin");
        QTest::newRow("gcp") << "old-gke"
                             << "gcp"
                             << "gke-gcloud-auth-plugin";
        QTest::newRow("azure") << "old-aks"
                               << "azure"
                               << "kubelogin";
        QTest::newRow("oidc") << "old-oidc"
                              << "oidc"
                              << "oidc-login";
    }

    void authProvider_namesProviderAndPlugin()
    {
        QFETCH(QString, context);
        QFETCH(QString, provider);
        QFETCH(QString, plugin);
        const auto kube = Kubeconfig::load(
            {QStringLiteral(ORCHESTRA_TEST_DATA_DIR "/kubeconfig/14-auth-provider/config"), {}, {}, {}});
        QVERIFY(kube.ok());
        const auto config = restConfig(kube.value(), context);
        QVERIFY(!config.ok());
        QVERIFY2(config.error().message.contains(QStringLiteral("auth-provider \"%1\"").arg(provider)),
                 qPrintable(config.error().message));
        QVERIFY2(config.error().hint.contains(plugin), qPrintable(config.error().hint));
        QCOMPARE(config.error().location, context);
    }

    void proxyUrl_data()
    {
        QTest::addColumn<QByteArray>("url");
        QTest::addColumn<int>("type");
        QTest::addColumn<QString>("host");
        QTest::addColumn<int>("port");
        QTest::newRow("http") << QByteArray("http://proxy.example.com:3128") << int(QNetworkProxy::HttpProxy)
                              << "proxy.example.com" << 3128;
        QTest::newRow("socks5") << QByteArray("socks5://127.0.0.1:1080") << int(QNetworkProxy::Socks5Proxy)
                                << "127.0.0.1" << 1080;
        QTest::newRow("no scheme, default port")
            << QByteArray("proxy.example.com") << int(QNetworkProxy::HttpProxy) << "proxy.example.com" << 80;
    }

    void proxyUrl()
    {
        QFETCH(QByteArray, url);
        QFETCH(int, type);
        QFETCH(QString, host);
        QFETCH(int, port);
        const auto config = rest("    server: https://a\n    proxy-url: " + url + "\n", "    token: t\n");
        QVERIFY(config.ok());
        QVERIFY(!config->proxyRelay);
        const QNetworkProxy proxy = config->networkProxy();
        QCOMPARE(int(proxy.type()), type);
        QCOMPARE(proxy.hostName(), host);
        QCOMPARE(int(proxy.port()), port);
    }

    void httpsProxy_goesThroughTheLoopbackRelay()
    {
        const auto config =
            rest("    server: https://a:6443\n    proxy-url: https://user:secret@p.example.com\n", "    token: t\n");
        QVERIFY(config.ok());
        QVERIFY(config->proxyRelay);
        QCOMPARE(config->proxyName(), QStringLiteral("https://p.example.com:443"));
        const QNetworkProxy proxy = config->networkProxy();
        QCOMPARE(proxy.type(), QNetworkProxy::HttpProxy);
        QCOMPARE(proxy.hostName(), QStringLiteral("127.0.0.1"));
        QVERIFY(proxy.port() != 0);
        QCOMPARE(config->networkProxy().port(), proxy.port()); // one relay per config, started once
    }

    void unsupportedProxyScheme_isClearError()
    {
        const auto config = rest("    server: https://a\n    proxy-url: ftp://p:21\n", "    token: t\n");
        QVERIFY(!config.ok());
        QVERIFY2(config.error().message.contains(QStringLiteral("\"ftp\"")), qPrintable(config.error().message));
        QVERIFY(config.error().hint.contains(QStringLiteral("https://")));
    }

    void proxyEnvironment_andNoProxy()
    {
        qputenv("HTTPS_PROXY", "http://envproxy:8080");
        qputenv("NO_PROXY", ".internal.example,10.0.0.0/8");
        auto proxied = rest("    server: https://api.example.com\n", "    token: t\n");
        auto skipped = rest("    server: https://k8s.internal.example\n", "    token: t\n");
        auto cidr = rest("    server: https://10.1.2.3:6443\n", "    token: t\n");
        auto loopback = rest("    server: https://127.0.0.1:6443\n", "    token: t\n");
        qunsetenv("HTTPS_PROXY");
        qunsetenv("NO_PROXY");
        QVERIFY(proxied.ok() && skipped.ok() && cidr.ok() && loopback.ok());
        QCOMPARE(proxied->networkProxy().hostName(), QStringLiteral("envproxy"));
        QCOMPARE(int(proxied->networkProxy().port()), 8080);
        QVERIFY(skipped->proxyUrl.isEmpty());
        QVERIFY(cidr->proxyUrl.isEmpty());
        QVERIFY(loopback->proxyUrl.isEmpty());

        qputenv("HTTPS_PROXY", "https://secure-proxy.example:8443");
        auto tls = rest("    server: https://api.example.com\n", "    token: t\n");
        qunsetenv("HTTPS_PROXY");
        QVERIFY(tls.ok());
        QVERIFY(tls->proxyRelay);
        QCOMPARE(tls->proxyName(), QStringLiteral("https://secure-proxy.example:8443"));
    }

    void exec_token_data()
    {
        QTest::addColumn<QByteArray>("apiVersion");
        QTest::newRow("v1") << QByteArray("client.authentication.k8s.io/v1");
        QTest::newRow("v1beta1") << QByteArray("client.authentication.k8s.io/v1beta1");
    }

    void exec_token()
    {
        QFETCH(QByteArray, apiVersion);
        const QString counter = counterFile();
        const QString info = m_dir.filePath(QStringLiteral("info-%1").arg(++m_fileCounter));
        const auto config = rest(
            "    server: https://cluster.example.com\n",
            execUser(apiVersion, "token", counter, "      - {name: PLUGIN_INFO, value: '" + info.toUtf8() + "'}\n"));
        QVERIFY2(config.ok(), qPrintable(config.ok() ? QString() : config.error().toString()));
        const Result<void> result = ready(*config->credentials);
        QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().toString()));
        QCOMPARE(authorization(config.value()), QByteArray("Bearer plugin-secret-token-1"));
        QFile infoFile(info);
        QVERIFY(infoFile.open(QIODevice::ReadOnly));
        const QJsonObject execInfo = QJsonDocument::fromJson(infoFile.readAll()).object();
        QCOMPARE(execInfo.value(QStringLiteral("apiVersion")).toString(), QString::fromUtf8(apiVersion));
        QCOMPARE(execInfo.value(QStringLiteral("kind")).toString(), QStringLiteral("ExecCredential"));
        const QJsonObject spec = execInfo.value(QStringLiteral("spec")).toObject();
        QCOMPARE(spec.value(QStringLiteral("interactive")).toBool(true), false);
        QVERIFY(!spec.contains(QStringLiteral("cluster"))); // provideClusterInfo is off
        // No expiry: cached until the server rejects it.
        QVERIFY(ready(*config->credentials).ok());
        QCOMPARE(runs(counter), 1);
    }

    void exec_provideClusterInfo()
    {
        const QString counter = counterFile();
        const QString info = m_dir.filePath(QStringLiteral("info-%1").arg(++m_fileCounter));
        const auto kube = load("    server: https://gke.example.com\n    tls-server-name: gke.internal\n"
                               "    extensions:\n    - name: client.authentication.k8s.io/exec\n"
                               "      extension: {audience: a1}\n",
                               execUser("client.authentication.k8s.io/v1beta1", "token", counter,
                                        "      - {name: PLUGIN_INFO, value: '" + info.toUtf8() + "'}\n",
                                        "      provideClusterInfo: true\n"));
        QVERIFY(kube.ok());
        const auto good = restConfig(kube.value());
        QVERIFY(good.ok());
        QVERIFY(ready(*good->credentials).ok());
        QFile infoFile(info);
        QVERIFY(infoFile.open(QIODevice::ReadOnly));
        const QJsonObject cluster = QJsonDocument::fromJson(infoFile.readAll())
                                        .object()
                                        .value(QStringLiteral("spec"))
                                        .toObject()
                                        .value(QStringLiteral("cluster"))
                                        .toObject();
        QCOMPARE(cluster.value(QStringLiteral("server")).toString(), QStringLiteral("https://gke.example.com"));
        QCOMPARE(cluster.value(QStringLiteral("tls-server-name")).toString(), QStringLiteral("gke.internal"));
        QCOMPARE(cluster.value(QStringLiteral("config")).toObject().value(QStringLiteral("audience")).toString(),
                 QStringLiteral("a1"));
    }

    void exec_expiry_cachedThenRefreshed()
    {
        const QString counter = counterFile();
        const QByteArray far = QDateTime::currentDateTimeUtc().addSecs(3600).toString(Qt::ISODate).toUtf8();
        auto config =
            rest("    server: https://a\n", execUser("client.authentication.k8s.io/v1", "token", counter,
                                                     "      - {name: PLUGIN_EXPIRY, value: '" + far + "'}\n"));
        QVERIFY(config.ok());
        QVERIFY(ready(*config->credentials).ok());
        QVERIFY(ready(*config->credentials).ok());
        QCOMPARE(runs(counter), 1); // valid for an hour: cached

        const QString counter2 = counterFile();
        // Expires inside the refresh margin: every use runs the plugin again.
        const QByteArray soon = QDateTime::currentDateTimeUtc().addSecs(3).toString(Qt::ISODate).toUtf8();
        config = rest("    server: https://a\n", execUser("client.authentication.k8s.io/v1", "token", counter2,
                                                          "      - {name: PLUGIN_EXPIRY, value: '" + soon + "'}\n"));
        QVERIFY(config.ok());
        QVERIFY(ready(*config->credentials).ok());
        QCOMPARE(authorization(config.value()), QByteArray("Bearer plugin-secret-token-1"));
        QVERIFY(ready(*config->credentials).ok());
        QCOMPARE(runs(counter2), 2);
        QCOMPARE(authorization(config.value()), QByteArray("Bearer plugin-secret-token-2"));
    }

    void exec_invalidateOn401_rerunsOnce()
    {
        const QString counter = counterFile();
        const auto config =
            rest("    server: https://a\n", execUser("client.authentication.k8s.io/v1", "token", counter));
        QVERIFY(config.ok());
        QVERIFY(ready(*config->credentials).ok());
        QCOMPARE(authorization(config.value()), QByteArray("Bearer plugin-secret-token-1"));
        QVERIFY(config->credentials->invalidate());
        QVERIFY(ready(*config->credentials).ok());
        QCOMPARE(runs(counter), 2);
        QCOMPARE(authorization(config.value()), QByteArray("Bearer plugin-secret-token-2"));
    }

    void exec_concurrentCallers_shareOneRun()
    {
        const QString counter = counterFile();
        const auto config =
            rest("    server: https://a\n", execUser("client.authentication.k8s.io/v1", "token", counter));
        QVERIFY(config.ok());
        int answered = 0;
        for (int i = 0; i < 3; ++i)
            config->credentials->ensureReady(this, [&answered](Result<void> r) { answered += r.ok() ? 1 : 100; });
        QTRY_COMPARE_WITH_TIMEOUT(answered, 3, 20000);
        QCOMPARE(runs(counter), 1);
    }

    void exec_clientCertificate()
    {
        if (!m_pkiError.isEmpty())
            QSKIP(qPrintable(m_pkiError));
        const auto config = rest("    server: https://a\n",
                                 execUser("client.authentication.k8s.io/v1", "cert", counterFile(),
                                          "      - {name: PLUGIN_CERT, value: '" +
                                              m_pki.path(QStringLiteral("client-ec8.crt")).toUtf8() +
                                              "'}\n      - {name: PLUGIN_KEY, value: '" +
                                              m_pki.path(QStringLiteral("client-ec8.key")).toUtf8() + "'}\n"));
        QVERIFY(config.ok());
        QVERIFY(config->credentials->clientCertificate().isNull());
        const Result<void> result = ready(*config->credentials);
        QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().toString()));
        QCOMPARE(config->credentials->clientCertificate(), m_pki.certificate(QStringLiteral("client-ec8")));
        QCOMPARE(config->credentials->clientKey().algorithm(), QSsl::Ec);
        QVERIFY(authorization(config.value()).isEmpty());
    }

    void exec_failure_showsStderr()
    {
        const auto config =
            rest("    server: https://a\n", execUser("client.authentication.k8s.io/v1", "fail", counterFile()));
        QVERIFY(config.ok());
        const Result<void> result = ready(*config->credentials);
        QVERIFY(!result.ok());
        QVERIFY2(result.error().message.contains(QStringLiteral("exit code 3")), qPrintable(result.error().message));
        QVERIFY(result.error().message.contains(QStringLiteral("run 'test-login' first")));
        QVERIFY(result.error().message.contains(QStringLiteral("exec-plugin.sh")));
        QVERIFY(result.error().hint.contains(QStringLiteral("terminal")));
    }

    void exec_badOutput_isErrorWithoutQuotingIt_data()
    {
        QTest::addColumn<QByteArray>("mode");
        QTest::addColumn<QString>("expected");
        QTest::newRow("not json") << QByteArray("garbage") << "not an ExecCredential";
        QTest::newRow("wrong apiVersion") << QByteArray("wrong-version") << "v1alpha1";
    }

    void exec_badOutput_isErrorWithoutQuotingIt()
    {
        QFETCH(QByteArray, mode);
        QFETCH(QString, expected);
        const auto config =
            rest("    server: https://a\n", execUser("client.authentication.k8s.io/v1", mode, counterFile()));
        QVERIFY(config.ok());
        const Result<void> result = ready(*config->credentials);
        QVERIFY(!result.ok());
        QVERIFY2(result.error().message.contains(expected), qPrintable(result.error().message));
        QVERIFY(!result.error().toString().contains(QStringLiteral("not json at all")));
    }

    void exec_missingCommand_showsInstallHint()
    {
        const auto config = rest("    server: https://a\n",
                                 "    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n"
                                 "      command: orchestra-no-such-plugin\n"
                                 "      installHint: Install it with `apt install orchestra-no-such-plugin`.\n");
        QVERIFY(config.ok());
        const Result<void> result = ready(*config->credentials);
        QVERIFY(!result.ok());
        QVERIFY(result.error().message.contains(QStringLiteral("orchestra-no-such-plugin")));
        QCOMPARE(result.error().hint, QStringLiteral("Install it with `apt install orchestra-no-such-plugin`."));
    }

    void exec_timeout()
    {
        setExecTimeoutMs(300);
        const auto config =
            rest("    server: https://a\n", execUser("client.authentication.k8s.io/v1", "sleep", counterFile()));
        QVERIFY(config.ok());
        const Result<void> result = ready(*config->credentials);
        setExecTimeoutMs(30000);
        QVERIFY(!result.ok());
        QVERIFY2(result.error().message.contains(QStringLiteral("did not finish within 0.3 s")),
                 qPrintable(result.error().message));
    }

    void exec_interactiveAlways_fails()
    {
        const auto config =
            rest("    server: https://a\n",
                 "    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: " + plugin().toUtf8() +
                     "\n      interactiveMode: Always\n");
        QVERIFY(config.ok());
        const Result<void> result = ready(*config->credentials);
        QVERIFY(!result.ok());
        QVERIFY(result.error().message.contains(QStringLiteral("interactive terminal")));
    }

    void exec_v1WithoutInteractiveMode_fails()
    {
        const auto config = rest(
            "    server: https://a\n",
            "    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: " + plugin().toUtf8() + "\n");
        QVERIFY(config.ok());
        const Result<void> result = ready(*config->credentials);
        QVERIFY(!result.ok());
        QVERIFY(result.error().message.contains(QStringLiteral("interactiveMode")));
    }
};

ORCHESTRA_TEST_MAIN(TestKubeconfigCredentials)
#include "tst_kubeconfig_credentials.moc"
