#include "testmain.h"

#include "apiserver.h"

#include <QProcess>
#include <QSignalSpy>

// `orchestra --check` against the test API server, and against a real cluster when ORCHESTRA_IT_KUBECONFIG
// (optionally ORCHESTRA_IT_CONTEXT) is set.
class TestCliToolIntegration : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    struct Run
    {
        int exitCode = -1;
        QString out;
        QString err;
    };

    static Run check(const QStringList &arguments)
    {
        QProcess process;
        QSignalSpy finished(&process, &QProcess::finished);
        process.start(QStringLiteral(ORCHESTRA_BINARY), QStringList{QStringLiteral("--check")} + arguments);
        if (!finished.wait(120000))
            qFatal("orchestra --check did not finish");
        return {process.exitCode(), QString::fromUtf8(process.readAllStandardOutput()),
                QString::fromUtf8(process.readAllStandardError())};
    }

private slots:
    void testApiServer_admin()
    {
        orchestra::testing::ApiServer server;
        QVERIFY2(server.start(), qPrintable(server.lastError()));
        const QString kubeconfig = m_dir.filePath(QStringLiteral("admin"));
        QVERIFY(server.writeKubeconfig(kubeconfig));
        const Run result = check({QStringLiteral("--kubeconfig"), kubeconfig});
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        QVERIFY(result.out.contains(QStringLiteral("Version:  v")));
        QVERIFY(result.out.contains(QStringLiteral("can list pods")));
    }

    void testApiServer_learnerWithoutPermissions()
    {
        orchestra::testing::ApiServer server;
        QVERIFY2(server.start(), qPrintable(server.lastError()));
        const QString kubeconfig = m_dir.filePath(QStringLiteral("learner"));
        QVERIFY(server.writeKubeconfig(kubeconfig, QStringLiteral("learner"), QStringLiteral("team")));
        const Run result = check({QStringLiteral("--kubeconfig"), kubeconfig});
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        QVERIFY2(result.out.contains(QStringLiteral("not allowed to list pods in namespace \"team\"")),
                 qPrintable(result.out));
    }

    void realCluster()
    {
        const QString kubeconfig = qEnvironmentVariable("ORCHESTRA_IT_KUBECONFIG");
        if (kubeconfig.isEmpty())
            QSKIP("ORCHESTRA_IT_KUBECONFIG is not set");
        QStringList arguments{QStringLiteral("--kubeconfig"), kubeconfig};
        const QString context = qEnvironmentVariable("ORCHESTRA_IT_CONTEXT");
        if (!context.isEmpty())
            arguments << QStringLiteral("--context") << context;
        const Run result = check(arguments);
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        QVERIFY(result.out.contains(QStringLiteral("Version:  v")));
    }
};

ORCHESTRA_TEST_MAIN(TestCliToolIntegration)
#include "tst_clitool_integration.moc"
