#include "testmain.h"

#include "kubeconfigtestsupport.h"

#include "kubeconfig/connectioncheck.h"
#include "kubeconfig/contextchoice.h"
#include "kubeconfig/kubeconfig.h"

#include <QLoggingCategory>
#include <QMutex>
#include <QSettings>
#include <QSignalSpy>

using namespace orchestra::kubeconfig;
using orchestra::test::TestHttpServer;
using orchestra::test::TestRequest;
using orchestra::test::TestResponse;

namespace {

QMutex g_logMutex;
QString g_log;

void capture(QtMsgType, const QMessageLogContext &context, const QString &message)
{
    QMutexLocker locker(&g_logMutex);
    g_log +=
        QString::fromUtf8(context.category ? context.category : "") + QLatin1Char(' ') + message + QLatin1Char('\n');
}

} // namespace

// Credentials never show up in logs (with every debug category on), error messages or settings.
class TestKubeconfigSecrets : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    orchestra::test::TestPki m_pki;
    QtMessageHandler m_previous = nullptr;
    QStringList m_secrets{QStringLiteral("static-secret-token-7f3a"), QStringLiteral("plugin-secret-token"),
                          QStringLiteral("basic-secret-password-9c1e"), QStringLiteral("file-secret-token-2b8d"),
                          QStringLiteral("proxy-secret-password-5d2e")};
    QStringList m_seen; ///< every Error string the code produced

    QString writeConfig(quint16 port, quint16 proxyPort)
    {
        const QString tokenFile = m_dir.filePath(QStringLiteral("token"));
        QFile token(tokenFile);
        if (!token.open(QIODevice::WriteOnly))
            qFatal("cannot write token");
        token.write("file-secret-token-2b8d\n");
        token.close();
        const QString file = m_dir.filePath(QStringLiteral("config"));
        QFile out(file);
        if (!out.open(QIODevice::WriteOnly))
            qFatal("cannot write config");
        const QByteArray server = "https://127.0.0.1:" + QByteArray::number(port);
        const QByteArray ca = "    certificate-authority: " + m_pki.path(QStringLiteral("ca.crt")).toUtf8() + "\n";
        out.write("clusters:\n- name: c\n  cluster:\n    server: " + server + "\n" + ca +
                  "- name: proxied\n  cluster:\n    server: " + server + "\n" + ca +
                  "    proxy-url: https://proxy-user:proxy-secret-password-5d2e@127.0.0.1:" +
                  QByteArray::number(proxyPort) + "\n" +
                  "users:\n"
                  "- name: token\n  user: {token: static-secret-token-7f3a}\n"
                  "- name: file\n  user: {tokenFile: " +
                  tokenFile.toUtf8() +
                  "}\n"
                  "- name: basic\n  user: {username: learner, password: basic-secret-password-9c1e}\n"
                  "- name: exec\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1\n"
                  "      command: " ORCHESTRA_TEST_DATA_DIR "/kubeconfig/exec-plugin.sh\n"
                  "      interactiveMode: Never\n"
                  "- name: broken-exec\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1\n"
                  "      command: " ORCHESTRA_TEST_DATA_DIR "/kubeconfig/exec-plugin.sh\n"
                  "      interactiveMode: Never\n      env: [{name: PLUGIN_MODE, value: garbage}]\n"
                  "contexts:\n"
                  "- name: token\n  context: {cluster: c, user: token}\n"
                  "- name: file\n  context: {cluster: c, user: file}\n"
                  "- name: basic\n  context: {cluster: c, user: basic}\n"
                  "- name: exec\n  context: {cluster: c, user: exec}\n"
                  "- name: broken-exec\n  context: {cluster: c, user: broken-exec}\n"
                  "- name: proxied\n  context: {cluster: proxied, user: token}\n"
                  "current-context: token\n");
        return file;
    }

    void runCheck(const Kubeconfig &config, const QString &context)
    {
        const auto rest = restConfig(config, context);
        QVERIFY2(rest.ok(), qPrintable(rest.ok() ? QString() : rest.error().toString()));
        qDebug() << "credentials:" << rest->credentials->describe();
        ConnectionCheck check(rest.value());
        QSignalSpy spy(&check, &ConnectionCheck::finished);
        check.start();
        QVERIFY(spy.wait(20000));
        const auto result = spy.first().first().value<ConnectionCheckResult>();
        m_seen << result.error.toString() << result.identity << result.permissionSummary;
    }

private slots:
    void initTestCase()
    {
        const QString error = m_pki.generate();
        if (!error.isEmpty())
            QSKIP(qPrintable(error));
        // A filter (unlike setFilterRules) wins over QT_LOGGING_RULES, which ctest sets to *.debug=false.
        QLoggingCategory::installFilter([](QLoggingCategory *category) {
            category->setEnabled(QtDebugMsg, true);
            category->setEnabled(QtInfoMsg, true);
        });
        m_previous = qInstallMessageHandler(capture);
    }

    void cleanupTestCase() { qInstallMessageHandler(m_previous); }

    void verboseRun_neverLogsSecrets()
    {
        TestHttpServer server;
        QVERIFY(server.listenTls(m_pki.certificate(QStringLiteral("server")), m_pki.key(QStringLiteral("server"))));
        int calls = 0;
        server.setHandler([&calls](const TestRequest &request) {
            // Every other request is refused, so success, retry and failure paths all run and log.
            if (++calls % 3 == 1)
                return TestResponse{401, "{\"kind\":\"Status\",\"message\":\"Unauthorized\",\"code\":401}"};
            return TestHttpServer::kubeLike(request);
        });
        orchestra::test::TestConnectProxy proxy; // an https:// proxy that wants a password
        QVERIFY(proxy.listenTls(m_pki.certificate(QStringLiteral("server")), m_pki.key(QStringLiteral("server"))));
        proxy.requireCredentials("proxy-user:proxy-secret-password-5d2e");
        const auto config = Kubeconfig::load({writeConfig(server.port(), proxy.port()), {}, {}, {}});
        QVERIFY(config.ok());
        for (const char *context : {"token", "file", "basic", "exec", "broken-exec", "proxied"})
            runCheck(config.value(), QString::fromLatin1(context));
        ContextChoice::rememberContext(QStringLiteral("token"));

        // The credentials did reach the server (so they were really in play)...
        QByteArrayList authorizations;
        for (const TestRequest &request : server.requests())
            authorizations += request.headers("Authorization");
        QVERIFY(authorizations.contains("Bearer static-secret-token-7f3a"));
        QVERIFY(authorizations.contains("Bearer file-secret-token-2b8d"));
        const QByteArray proxyAuthorization = "Basic " + QByteArray("proxy-user:proxy-secret-password-5d2e").toBase64();
        QCOMPARE(proxy.requests().value(0).headers("Proxy-Authorization").value(0), proxyAuthorization);
        // ...and logging was on.
        QVERIFY2(g_log.contains(QStringLiteral("orchestra.kubeconfig")), qPrintable(g_log));

        QSettings settings;
        settings.sync();
        QFile settingsFile(settings.fileName());
        const QString settingsText =
            settingsFile.open(QIODevice::ReadOnly) ? QString::fromUtf8(settingsFile.readAll()) : QString();
        const QString everything = g_log + m_seen.join(QLatin1Char('\n')) + settingsText;
        for (const QString &secret : m_secrets)
            QVERIFY2(!everything.contains(secret), qPrintable(QStringLiteral("leaked: ") + secret));
        QVERIFY(!everything.contains(QByteArray("learner:basic-secret-password-9c1e").toBase64()));
        QVERIFY(!everything.contains(QString::fromLatin1(proxyAuthorization)));
    }
};

ORCHESTRA_TEST_MAIN(TestKubeconfigSecrets)
#include "tst_kubeconfig_secrets.moc"
