#include "kubeconfig/kubeconfigsource.h"

#include "testmain.h"

#include <QSignalSpy>

using namespace orchestra::kubeconfig;

namespace {

QByteArray configWith(const QString &context, const QString &server)
{
    return QStringLiteral("apiVersion: v1\nkind: Config\ncurrent-context: %1\nclusters:\n- name: %1\n  cluster:\n"
                          "    server: %2\nusers:\n- name: %1\n  user:\n    token: t-%1\ncontexts:\n- name: %1\n"
                          "  context:\n    cluster: %1\n    user: %1\n")
        .arg(context, server)
        .toUtf8();
}

void write(const QString &path, const QByteArray &text)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(text);
}

} // namespace

// File > Open Kubeconfig…: a file joins the merge for this run of the app only.
class TestKubeconfigSource : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

private slots:
    void addedFile_joinsTheMergeAfterTheOthers()
    {
        const QString home = m_dir.filePath(QStringLiteral("home"));
        QDir().mkpath(home + QStringLiteral("/.kube"));
        write(home + QStringLiteral("/.kube/config"),
              configWith(QStringLiteral("minikube"), QStringLiteral("https://192.0.2.1:8443")));
        const QString extra = m_dir.filePath(QStringLiteral("rancher.yaml"));
        write(extra, configWith(QStringLiteral("rancher"), QStringLiteral("https://rancher.example/k8s/clusters/c-1")));
        const QByteArray homeBefore = [&] {
            QFile f(home + QStringLiteral("/.kube/config"));
            return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
        }();

        LoadOptions options;
        options.kubeconfigEnv = QString();
        options.homeDirectory = home;
        KubeconfigSource source(options);
        QCOMPARE(source.load()->contextNames(), QStringList{QStringLiteral("minikube")});

        QVERIFY(source.addFile(extra));
        QVERIFY(!source.addFile(extra));                                  // once only
        QVERIFY(!source.addFile(m_dir.filePath(QStringLiteral("nope")))); // missing
        const auto merged = source.load();
        QVERIFY(merged.ok());
        QCOMPARE(merged->contextNames(), (QStringList{QStringLiteral("minikube"), QStringLiteral("rancher")}));
        QCOMPARE(merged->currentContext, QStringLiteral("minikube")); // the first file still wins

        // Nothing was written: the user's kubeconfig is untouched, and a new session starts without the file.
        QFile f(home + QStringLiteral("/.kube/config"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), homeBefore);
        KubeconfigSource nextRun(options);
        QCOMPARE(nextRun.load()->contextNames(), QStringList{QStringLiteral("minikube")});
    }

    void addedFile_alsoJoinsAnExplicitKubeconfig_andIsWatched()
    {
        const QString main = m_dir.filePath(QStringLiteral("main.yaml"));
        write(main, configWith(QStringLiteral("main"), QStringLiteral("https://192.0.2.2:6443")));
        const QString extra = m_dir.filePath(QStringLiteral("extra.yaml"));
        write(extra, configWith(QStringLiteral("extra"), QStringLiteral("https://192.0.2.3:6443")));
        LoadOptions options;
        options.explicitFile = main;
        KubeconfigSource source(options);
        source.setDebounceMs(20);
        QVERIFY(source.addFile(extra));
        QCOMPARE(source.load()->contextNames(), (QStringList{QStringLiteral("extra"), QStringLiteral("main")}));

        QSignalSpy changed(&source, &KubeconfigSource::changed);
        write(extra, configWith(QStringLiteral("extra2"), QStringLiteral("https://192.0.2.4:6443")));
        QVERIFY(changed.wait(5000));
        QCOMPARE(source.load()->contextNames(), (QStringList{QStringLiteral("extra2"), QStringLiteral("main")}));

        // An added file that disappears is skipped, not an error (only --kubeconfig itself must exist).
        QFile::remove(extra);
        QVERIFY(source.load().ok());
        QCOMPARE(source.load()->contextNames(), QStringList{QStringLiteral("main")});
    }
};

ORCHESTRA_TEST_MAIN(TestKubeconfigSource)
#include "tst_kubeconfig_source.moc"
