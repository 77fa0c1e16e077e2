#include "testmain.h"

#include "apiserver.h"

#include "kubeconfig/connectioncheck.h"
#include "kubeconfig/kubeconfig.h"

#include <QSignalSpy>

using namespace orchestra::kubeconfig;

// The connection check against the test API server (client certificate and token users, RBAC) and, when
// ORCHESTRA_IT_KUBECONFIG (and optionally ORCHESTRA_IT_CONTEXT) is set, against that real cluster.
class TestKubeconfigIntegration : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    static ConnectionCheckResult check(const QString &kubeconfig, const QString &context = {})
    {
        const auto config = Kubeconfig::load({kubeconfig, {}, {}, {}});
        if (!config)
            qFatal("cannot load %s: %s", qPrintable(kubeconfig), qPrintable(config.error().toString()));
        const auto rest = restConfig(config.value(), context);
        if (!rest) {
            ConnectionCheckResult result;
            result.problem = ConnectionProblem::Configuration;
            result.error = rest.error();
            return result;
        }
        ConnectionCheck check(rest.value());
        QSignalSpy spy(&check, &ConnectionCheck::finished);
        check.start();
        if (!spy.wait(60000))
            qFatal("ConnectionCheck never finished");
        return spy.first().first().value<ConnectionCheckResult>();
    }

    static QByteArray explain(const ConnectionCheckResult &result) { return result.error.toString().toUtf8(); }

private slots:
    void testApiServer_adminWithClientCertificate()
    {
        orchestra::testing::ApiServer server;
        QVERIFY2(server.start(), qPrintable(server.lastError()));
        const QString kubeconfig = m_dir.filePath(QStringLiteral("admin"));
        QVERIFY(server.writeKubeconfig(kubeconfig));
        const ConnectionCheckResult result = check(kubeconfig);
        QVERIFY2(result.ok(), explain(result));
        QVERIFY(result.serverVersion.startsWith(QLatin1Char('v')));
        QVERIFY(result.canListPods);
    }

    void testApiServer_learnerTokenWithoutPermissions()
    {
        orchestra::testing::ApiServer server;
        QVERIFY2(server.start(), qPrintable(server.lastError()));
        const QString kubeconfig = m_dir.filePath(QStringLiteral("learner"));
        QVERIFY(server.writeKubeconfig(kubeconfig, QStringLiteral("learner")));
        ConnectionCheckResult result = check(kubeconfig);
        QVERIFY2(result.ok(), explain(result));
        QVERIFY(!result.canListPods);
        QVERIFY2(result.permissionSummary.contains(QStringLiteral("not allowed to list pods")),
                 qPrintable(result.permissionSummary));
        server.allow(QStringLiteral("learner"), QStringLiteral("list"), QStringLiteral("pods"));
        result = check(kubeconfig);
        QVERIFY(result.canListPods);
    }

    void testApiServer_unknownToken_is401()
    {
        orchestra::testing::ApiServer server;
        QVERIFY2(server.start(), qPrintable(server.lastError()));
        const QString kubeconfig = m_dir.filePath(QStringLiteral("bad"));
        QFile out(kubeconfig);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write("clusters:\n- name: t\n  cluster:\n    server: " + server.url().toString().toUtf8() +
                  "\n    certificate-authority-data: " + server.caCertificatePem().toBase64() +
                  "\nusers:\n- name: bad\n  user: {token: not-a-known-token}\n"
                  "contexts:\n- name: t\n  context: {cluster: t, user: bad}\ncurrent-context: t\n");
        out.close();
        const ConnectionCheckResult result = check(kubeconfig);
        QCOMPARE(result.problem, ConnectionProblem::Unauthorized);
    }

    void realCluster()
    {
        const QString kubeconfig = qEnvironmentVariable("ORCHESTRA_IT_KUBECONFIG");
        if (kubeconfig.isEmpty())
            QSKIP("ORCHESTRA_IT_KUBECONFIG is not set");
        const ConnectionCheckResult result = check(kubeconfig, qEnvironmentVariable("ORCHESTRA_IT_CONTEXT"));
        QVERIFY2(result.ok(), explain(result));
        QVERIFY(result.serverVersion.startsWith(QLatin1Char('v')));
    }
};

ORCHESTRA_TEST_MAIN(TestKubeconfigIntegration)
#include "tst_kubeconfig_integration.moc"
