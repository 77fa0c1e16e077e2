// Fidelity proof: the real kubectl works against the test API server, over
// both authentication paths (admin client certificate, bearer tokens).

#include "apiserver.h"

#include "testmain.h"

#include <QFile>
#include <QJsonArray>
#include <QProcess>
#include <QTemporaryDir>

using orchestra::testing::ApiServer;

namespace {

struct Run
{
    int exitCode = -1;
    QString out;
    QString err;
};

const QString kKubectl = QStringLiteral("/usr/bin/kubectl");

QJsonObject configMap(const QString &name, const QString &level)
{
    return QJsonObject{{QStringLiteral("apiVersion"), QStringLiteral("v1")},
                       {QStringLiteral("kind"), QStringLiteral("ConfigMap")},
                       {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), name}}},
                       {QStringLiteral("data"), QJsonObject{{QStringLiteral("level"), level}}}};
}

QJsonObject deployment(const QString &name, int replicas)
{
    const QJsonObject labels{{QStringLiteral("app"), name}};
    return QJsonObject{
        {QStringLiteral("apiVersion"), QStringLiteral("apps/v1")},
        {QStringLiteral("kind"), QStringLiteral("Deployment")},
        {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), name}}},
        {QStringLiteral("spec"),
         QJsonObject{{QStringLiteral("replicas"), replicas},
                     {QStringLiteral("selector"), QJsonObject{{QStringLiteral("matchLabels"), labels}}},
                     {QStringLiteral("template"),
                      QJsonObject{{QStringLiteral("metadata"), QJsonObject{{QStringLiteral("labels"), labels}}},
                                  {QStringLiteral("spec"),
                                   QJsonObject{{QStringLiteral("containers"),
                                                QJsonArray{QJsonObject{
                                                    {QStringLiteral("name"), QStringLiteral("nginx")},
                                                    {QStringLiteral("image"), QStringLiteral("nginx:1.25")}}}}}}}}}}};
}

} // namespace

class TestApiServerKubectl : public QObject
{
    Q_OBJECT

    ApiServer *m_server = nullptr;
    QTemporaryDir m_dir;
    QString m_admin;
    QString m_learner;

    Run kubectl(const QStringList &arguments, const QString &kubeconfig = QString(), const QByteArray &input = {})
    {
        QProcess process;
        process.start(kKubectl, QStringList{QStringLiteral("--kubeconfig"), kubeconfig.isEmpty() ? m_admin : kubeconfig}
                                    << arguments);
        if (!input.isEmpty())
            process.write(input);
        process.closeWriteChannel();
        Run run;
        if (!process.waitForFinished(60000)) {
            process.kill();
            process.waitForFinished();
        }
        run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
        run.out = QString::fromUtf8(process.readAllStandardOutput());
        run.err = QString::fromUtf8(process.readAllStandardError());
        return run;
    }

    QString writeFile(const QString &name, const QByteArray &content)
    {
        const QString path = m_dir.filePath(name);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            return {};
        file.write(content);
        return path;
    }

private slots:
    void initTestCase()
    {
        if (!QFile::exists(kKubectl))
            QSKIP("kubectl is not installed");
        QVERIFY(m_dir.isValid());
        m_server = new ApiServer(this);
        // kubectl runs through blocking QProcess calls: the server needs its own thread.
        QVERIFY2(m_server->startInThread(), qPrintable(m_server->lastError()));
        m_admin = m_dir.filePath(QStringLiteral("admin.kubeconfig"));
        m_learner = m_dir.filePath(QStringLiteral("learner.kubeconfig"));
        QVERIFY(m_server->writeKubeconfig(m_admin));
        QVERIFY(m_server->writeKubeconfig(m_learner, QStringLiteral("learner")));
    }

    void cleanupTestCase() { delete m_server; }

    void getPodsAllNamespaces_listsEveryNamespace()
    {
        m_server->addPods(3, QStringLiteral("default"));
        m_server->addPods(2, QStringLiteral("team-a"));
        const Run run = kubectl({QStringLiteral("get"), QStringLiteral("pods"), QStringLiteral("-A")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const QStringList lines = run.out.trimmed().split(QLatin1Char('\n'));
        QVERIFY(lines.first().startsWith(QStringLiteral("NAMESPACE")));
        QVERIFY(lines.first().contains(QStringLiteral("READY")));
        QCOMPARE(lines.size(), 1 + 5);
        QCOMPARE(lines.filter(QStringLiteral("team-a")).size(), 2);
        QVERIFY(lines.at(1).contains(QStringLiteral("Running")));
    }

    void getPodsWatch_seesAnAddedPodUntilTimeout()
    {
        QProcess process;
        process.start(kKubectl, {QStringLiteral("--kubeconfig"), m_admin, QStringLiteral("get"), QStringLiteral("pods"),
                                 QStringLiteral("-w"), QStringLiteral("--request-timeout=3s")});
        QVERIFY(process.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(m_server->openWatchCount() > 0, 20000);
        QJsonObject pod{
            {QStringLiteral("apiVersion"), QStringLiteral("v1")},
            {QStringLiteral("kind"), QStringLiteral("Pod")},
            {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), QStringLiteral("watched-pod")},
                                                     {QStringLiteral("namespace"), QStringLiteral("default")}}},
            {QStringLiteral("spec"),
             QJsonObject{{QStringLiteral("containers"),
                          QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("c")},
                                                 {QStringLiteral("image"), QStringLiteral("busybox")}}}}}}};
        QVERIFY(!m_server->create(pod).isEmpty());
        QVERIFY(process.waitForFinished(30000));
        const QString out = QString::fromUtf8(process.readAllStandardOutput());
        QVERIFY2(out.contains(QStringLiteral("watched-pod")), qPrintable(out));
        QVERIFY(out.contains(QStringLiteral("Pending")));
    }

    void applyServerSide_createsUpdatesAndConflicts()
    {
        const QString file = writeFile(QStringLiteral("cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n"
                                                                  "  name: lesson-config\ndata:\n  level: basic\n");
        Run run = kubectl({QStringLiteral("apply"), QStringLiteral("--server-side"), QStringLiteral("-f"), file});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY(run.out.contains(QStringLiteral("configmap/lesson-config serverside-applied")));
        QCOMPARE(m_server
                     ->get(QString(), QStringLiteral("v1"), QStringLiteral("configmaps"), QStringLiteral("default"),
                           QStringLiteral("lesson-config"))
                     .value(QStringLiteral("data"))
                     .toObject()
                     .value(QStringLiteral("level"))
                     .toString(),
                 QStringLiteral("basic"));

        const QString changed =
            writeFile(QStringLiteral("cm2.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n"
                                                  "  name: lesson-config\ndata:\n  level: expert\n");
        run = kubectl({QStringLiteral("apply"), QStringLiteral("--server-side"), QStringLiteral("-f"), changed});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));

        run = kubectl({QStringLiteral("apply"), QStringLiteral("--server-side"),
                       QStringLiteral("--field-manager=other"), QStringLiteral("-f"), file});
        QVERIFY(run.exitCode != 0);
        QVERIFY2(
            run.err.contains(QStringLiteral("Apply failed with 1 conflict: conflict with \"kubectl\": .data.level")),
            qPrintable(run.err));

        run =
            kubectl({QStringLiteral("apply"), QStringLiteral("--server-side"), QStringLiteral("--field-manager=other"),
                     QStringLiteral("--force-conflicts"), QStringLiteral("-f"), file});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const QJsonObject live = m_server->get(QString(), QStringLiteral("v1"), QStringLiteral("configmaps"),
                                               QStringLiteral("default"), QStringLiteral("lesson-config"));
        QCOMPARE(live.value(QStringLiteral("data")).toObject().value(QStringLiteral("level")).toString(),
                 QStringLiteral("basic"));
        const QJsonArray managed =
            live.value(QStringLiteral("metadata")).toObject().value(QStringLiteral("managedFields")).toArray();
        QCOMPARE(managed.size(), 1);
        QCOMPARE(managed.first().toObject().value(QStringLiteral("manager")).toString(), QStringLiteral("other"));
    }

    void delete_removesTheObject()
    {
        QVERIFY(!m_server->create(configMap(QStringLiteral("doomed"), QStringLiteral("x"))).isEmpty());
        const Run run = kubectl({QStringLiteral("delete"), QStringLiteral("configmap"), QStringLiteral("doomed")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY(run.out.contains(QStringLiteral("configmap \"doomed\" deleted")));
        QVERIFY(m_server
                    ->get(QString(), QStringLiteral("v1"), QStringLiteral("configmaps"), QStringLiteral("default"),
                          QStringLiteral("doomed"))
                    .isEmpty());
        const Run again = kubectl({QStringLiteral("delete"), QStringLiteral("configmap"), QStringLiteral("doomed")});
        QVERIFY(again.exitCode != 0);
        QVERIFY(again.err.contains(QStringLiteral("configmaps \"doomed\" not found")));
    }

    void logs_printsAndTailsTheContainerLog()
    {
        m_server->addPods(1, QStringLiteral("logs"));
        const QJsonObject pod = [this] {
            Run list = kubectl({QStringLiteral("get"), QStringLiteral("pods"), QStringLiteral("-n"),
                                QStringLiteral("logs"), QStringLiteral("-o"), QStringLiteral("name")});
            return QJsonObject{{QStringLiteral("name"), list.out.trimmed().section(QLatin1Char('/'), 1)}};
        }();
        const QString name = pod.value(QStringLiteral("name")).toString();
        QVERIFY(!name.isEmpty());
        m_server->setPodLogs(QStringLiteral("logs"), name, QStringLiteral("app"),
                             {QStringLiteral("starting"), QStringLiteral("listening on :80"), QStringLiteral("ready")});
        Run run = kubectl({QStringLiteral("logs"), QStringLiteral("-n"), QStringLiteral("logs"), name});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QCOMPARE(run.out, QStringLiteral("starting\nlistening on :80\nready\n"));
        run = kubectl(
            {QStringLiteral("logs"), QStringLiteral("-n"), QStringLiteral("logs"), name, QStringLiteral("--tail=1")});
        QCOMPARE(run.out, QStringLiteral("ready\n"));

        m_server->setKubeletReachable(false);
        run = kubectl({QStringLiteral("logs"), QStringLiteral("-n"), QStringLiteral("logs"), name});
        m_server->setKubeletReachable(true);
        QVERIFY(run.exitCode != 0);
        QVERIFY2(run.err.contains(QStringLiteral("dial tcp 127.0.0.1:10250: connect: connection refused")),
                 qPrintable(run.err));
    }

    void getDeploymentsWide_showsContainersImagesSelector()
    {
        QVERIFY(!m_server->create(deployment(QStringLiteral("web"), 3)).isEmpty());
        const Run run =
            kubectl({QStringLiteral("get"), QStringLiteral("deploy"), QStringLiteral("-o"), QStringLiteral("wide")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const QStringList lines = run.out.trimmed().split(QLatin1Char('\n'));
        for (const char *column :
             {"NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE", "CONTAINERS", "IMAGES", "SELECTOR"})
            QVERIFY2(lines.first().contains(QLatin1String(column)), column);
        const QString row = lines.filter(QStringLiteral("web")).value(0);
        QVERIFY(row.contains(QStringLiteral("0/3")));
        QVERIFY(row.contains(QStringLiteral("nginx:1.25")));
        QVERIFY(row.contains(QStringLiteral("app=web")));
    }

    void scale_updatesReplicas()
    {
        const Run run = kubectl(
            {QStringLiteral("scale"), QStringLiteral("deploy"), QStringLiteral("web"), QStringLiteral("--replicas=5")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QCOMPARE(m_server
                     ->get(QStringLiteral("apps"), QStringLiteral("v1"), QStringLiteral("deployments"),
                           QStringLiteral("default"), QStringLiteral("web"))
                     .value(QStringLiteral("spec"))
                     .toObject()
                     .value(QStringLiteral("replicas"))
                     .toInt(),
                 5);
    }

    void apiResources_includesBuiltinsAndCrds()
    {
        QFile crds(QStringLiteral(ORCHESTRA_FIXTURES_DIR "/istio/crds.yaml"));
        QVERIFY(crds.open(QIODevice::ReadOnly));
        QVERIFY(m_server->createFromYaml(crds.readAll()) >= 6);
        const Run run = kubectl({QStringLiteral("api-resources")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        for (const char *resource : {"pods", "deployments", "customresourcedefinitions", "virtualservices",
                                     "selfsubjectaccessreviews", "horizontalpodautoscalers"})
            QVERIFY2(run.out.contains(QLatin1String(resource)), resource);
        QVERIFY(run.out.contains(QStringLiteral("networking.istio.io/v1")));

        const QString vs = writeFile(QStringLiteral("vs.yaml"),
                                     "apiVersion: networking.istio.io/v1beta1\nkind: VirtualService\nmetadata:\n"
                                     "  name: reviews\nspec:\n  hosts: [reviews]\n  http:\n  - route:\n"
                                     "    - destination: {host: reviews, subset: v1}\n");
        Run apply = kubectl({QStringLiteral("apply"), QStringLiteral("--server-side"), QStringLiteral("-f"), vs});
        QVERIFY2(apply.exitCode == 0, qPrintable(apply.err));
        Run get = kubectl({QStringLiteral("get"), QStringLiteral("vs")});
        QVERIFY2(get.exitCode == 0, qPrintable(get.err));
        QVERIFY(get.out.contains(QStringLiteral("HOSTS")));
        QVERIFY(get.out.contains(QStringLiteral("[\"reviews\"]")));
    }

    void tokenUserWithoutPermissions_getsForbidden()
    {
        const Run run = kubectl({QStringLiteral("get"), QStringLiteral("pods")}, m_learner);
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(QStringLiteral("Error from server (Forbidden): pods is forbidden: User \"learner\" "
                                                 "cannot list resource \"pods\" in API group \"\" in the namespace "
                                                 "\"default\"")),
                 qPrintable(run.err));
        const Run canI =
            kubectl({QStringLiteral("auth"), QStringLiteral("can-i"), QStringLiteral("list"), QStringLiteral("pods")},
                    m_learner);
        QCOMPARE(canI.out.trimmed(), QStringLiteral("no"));
    }

    void tokenUserWithGrants_isAllowed()
    {
        m_server->addTokenUser(QStringLiteral("viewer-token"), QStringLiteral("viewer"), false);
        m_server->allow(QStringLiteral("viewer"), QStringLiteral("list"), QStringLiteral("pods"));
        const QString config = m_dir.filePath(QStringLiteral("viewer.kubeconfig"));
        QVERIFY(m_server->writeKubeconfig(config, QStringLiteral("viewer")));
        const Run list = kubectl({QStringLiteral("get"), QStringLiteral("pods")}, config);
        QVERIFY2(list.exitCode == 0, qPrintable(list.err));
        const Run forbidden = kubectl({QStringLiteral("get"), QStringLiteral("configmaps")}, config);
        QCOMPARE(forbidden.exitCode, 1);
        QVERIFY(forbidden.err.contains(QStringLiteral("User \"viewer\" cannot list resource \"configmaps\"")));
    }

    void unknownToken_isUnauthorized()
    {
        const QString config = m_dir.filePath(QStringLiteral("bad.kubeconfig"));
        QVERIFY(m_server->writeKubeconfig(config, QStringLiteral("learner")));
        QFile file(config);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QByteArray text = file.readAll();
        file.close();
        text.replace("learner-token", "not-a-token");
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(text);
        file.close();
        const Run run = kubectl({QStringLiteral("get"), QStringLiteral("pods")}, config);
        QVERIFY(run.exitCode != 0);
        QVERIFY2(run.err.contains(QStringLiteral("Unauthorized")), qPrintable(run.err));
    }
};

ORCHESTRA_TEST_MAIN(TestApiServerKubectl)
#include "tst_apiserverkubectl.moc"
