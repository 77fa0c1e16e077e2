// Every manifest the curriculum ships is accepted by an API server: the real
// kubectl applies each track's manifests with server-side apply and
// --dry-run=server, against the test API server (Istio CRDs installed), or
// against ORCHESTRA_IT_KUBECONFIG's cluster in a fresh namespace.

#include "apiserver.h"

#include "testmain.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>

using orchestra::testing::ApiServer;

namespace {
const QString kKubectl = QStringLiteral("/usr/bin/kubectl");
const QString kManifests = QStringLiteral(ORCHESTRA_SOURCE_DIR "/content/manifests");
} // namespace

class TestContentManifests : public QObject
{
    Q_OBJECT

    ApiServer *m_server = nullptr;
    QTemporaryDir m_dir;
    QString m_kubeconfig;
    QStringList m_context; // --context C when a real cluster is used
    QString m_namespace;
    bool m_realCluster = false;
    bool m_istio = true;

    struct Run
    {
        int exitCode = -1;
        QString out;
        QString err;
    };

    Run kubectl(const QStringList &arguments)
    {
        QProcess process;
        process.start(kKubectl, QStringList{QStringLiteral("--kubeconfig"), m_kubeconfig} << m_context << arguments);
        Run run;
        if (!process.waitForFinished(180000)) {
            process.kill();
            process.waitForFinished();
        }
        run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
        run.out = QString::fromUtf8(process.readAllStandardOutput());
        run.err = QString::fromUtf8(process.readAllStandardError());
        return run;
    }

private slots:
    void initTestCase()
    {
        if (!QFile::exists(kKubectl))
            QSKIP("kubectl is not installed");
        const QString real = qEnvironmentVariable("ORCHESTRA_IT_KUBECONFIG");
        m_namespace = QStringLiteral("orchestra-it-%1").arg(QRandomGenerator::global()->bounded(100000, 999999));
        if (!real.isEmpty()) {
            m_realCluster = true;
            m_kubeconfig = real;
            if (const QString context = qEnvironmentVariable("ORCHESTRA_IT_CONTEXT"); !context.isEmpty())
                m_context = {QStringLiteral("--context"), context};
            m_istio = kubectl({QStringLiteral("get"), QStringLiteral("crd"),
                               QStringLiteral("virtualservices.networking.istio.io")})
                          .exitCode == 0;
        } else {
            m_server = new ApiServer(this);
            QVERIFY2(m_server->startInThread(), qPrintable(m_server->lastError()));
            QFile crds(QStringLiteral(ORCHESTRA_FIXTURES_DIR "/istio/crds.yaml"));
            QVERIFY2(crds.open(QIODevice::ReadOnly), "the Istio CRDs fixture is missing");
            QVERIFY(m_server->createFromYaml(crds.readAll()) > 0);
            m_kubeconfig = m_dir.filePath(QStringLiteral("admin.kubeconfig"));
            QVERIFY(m_server->writeKubeconfig(m_kubeconfig));
        }
        // From a file: `kubectl create namespace` sends protobuf, which the test server does not speak.
        const QString namespaceFile = m_dir.filePath(QStringLiteral("namespace.yaml"));
        QFile file(namespaceFile);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(
            QStringLiteral("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: %1\n").arg(m_namespace).toUtf8());
        file.close();
        const Run created = kubectl({QStringLiteral("create"), QStringLiteral("-f"), namespaceFile});
        QVERIFY2(created.exitCode == 0, qPrintable(created.err));
    }

    void cleanupTestCase()
    {
        if (!m_kubeconfig.isEmpty())
            kubectl(
                {QStringLiteral("delete"), QStringLiteral("namespace"), m_namespace, QStringLiteral("--wait=false")});
        delete m_server;
    }

    // Proves the check can fail: a Deployment whose selector misses its template's labels.
    void brokenManifest_isRejected()
    {
        const QString path = m_dir.filePath(QStringLiteral("broken.yaml"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: broken\nspec:\n  selector:\n"
                   "    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: api\n"
                   "    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n");
        file.close();
        const Run run =
            kubectl({QStringLiteral("apply"), QStringLiteral("--server-side"), QStringLiteral("--dry-run=server"),
                     QStringLiteral("-n"), m_namespace, QStringLiteral("-f"), path});
        QVERIFY(run.exitCode != 0);
        QVERIFY2(run.err.contains(QStringLiteral("selector")), qPrintable(run.err));
    }

    void trackManifests_passServerSideDryRun_data()
    {
        QTest::addColumn<QString>("directory");
        const QStringList tracks = QDir(kManifests).entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
        QVERIFY(!tracks.isEmpty());
        for (const QString &track : tracks)
            QTest::newRow(qPrintable(track)) << QDir(kManifests).filePath(track);
    }

    void trackManifests_passServerSideDryRun()
    {
        QFETCH(QString, directory);
        QStringList files;
        QDirIterator it(directory, {QStringLiteral("*.yaml"), QStringLiteral("*.yml")}, QDir::Files,
                        QDirIterator::Subdirectories);
        while (it.hasNext())
            files << it.next();
        files.sort();
        if (files.isEmpty())
            QSKIP("no manifests");
        if (!m_istio && directory.endsWith(QStringLiteral("/istio")))
            QSKIP("the cluster has no Istio CRDs");
        QStringList failures;
        for (const QString &file : std::as_const(files)) {
            const Run run =
                kubectl({QStringLiteral("apply"), QStringLiteral("--server-side"), QStringLiteral("--dry-run=server"),
                         QStringLiteral("--field-manager=orchestra-content-check"), QStringLiteral("-n"), m_namespace,
                         QStringLiteral("-f"), file});
            if (run.exitCode != 0)
                failures << QStringLiteral("%1:\n%2").arg(QDir(kManifests).relativeFilePath(file), run.err.trimmed());
        }
        QVERIFY2(failures.isEmpty(), qPrintable(QStringLiteral("\n") + failures.join(QStringLiteral("\n\n"))));
    }
};

ORCHESTRA_TEST_MAIN(TestContentManifests)
#include "tst_contentmanifests.moc"
