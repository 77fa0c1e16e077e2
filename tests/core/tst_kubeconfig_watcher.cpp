#include "testmain.h"

#include "kubeconfig/contextchoice.h"
#include "kubeconfig/kubeconfig.h"
#include "kubeconfig/kubeconfigwatcher.h"

#include <QSignalSpy>

using namespace orchestra::kubeconfig;

// The kubeconfig files are watched (in-place edits, editors' rename-over, files appearing later) and the app's
// context choice lives in its own settings, never in the user's kubeconfig.
class TestKubeconfigWatcher : public QObject
{
    Q_OBJECT

private:
    static void write(const QString &path, const QByteArray &text)
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(text);
    }

    static QByteArray config(const QByteArray &context)
    {
        return "contexts:\n- name: " + context + "\n  context: {cluster: c, user: u}\ncurrent-context: " + context +
               "\n";
    }

private slots:
    void inPlaceEdit_emitsChangedOnce()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("config"));
        write(path, config("one"));
        KubeconfigWatcher watcher;
        watcher.setDebounceMs(100);
        watcher.setFiles({path});
        QSignalSpy spy(&watcher, &KubeconfigWatcher::changed);
        write(path, config("two"));
        write(path, config("three-longer"));
        QVERIFY(spy.wait(5000));
        QCOMPARE(spy.count(), 1); // both writes fall into one debounce window
        const auto loaded = Kubeconfig::load({path, {}, {}, {}});
        QVERIFY(loaded.ok());
        QCOMPARE(loaded->currentContext, QStringLiteral("three-longer"));
    }

    void replacedByRename_isStillWatched()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("config"));
        write(path, config("one"));
        KubeconfigWatcher watcher;
        watcher.setDebounceMs(50);
        watcher.setFiles({path});
        QSignalSpy spy(&watcher, &KubeconfigWatcher::changed);
        const QString temp = dir.filePath(QStringLiteral("config.tmp"));
        write(temp, config("renamed-over"));
        QVERIFY(QFile::remove(path));
        QVERIFY(QFile::rename(temp, path));
        QVERIFY(spy.wait(5000));
        // The new inode is watched again: a later in-place edit is seen too.
        write(path, config("edited-after-rename"));
        QTRY_VERIFY_WITH_TIMEOUT(spy.count() >= 2, 5000);
    }

    void fileAppearingLater_isNoticed()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("config"));
        KubeconfigWatcher watcher;
        watcher.setDebounceMs(50);
        watcher.setFiles({path});
        QSignalSpy spy(&watcher, &KubeconfigWatcher::changed);
        write(path, config("new"));
        QVERIFY(spy.wait(5000));
    }

    void unrelatedFileInSameDirectory_isIgnored()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("config"));
        write(path, config("one"));
        KubeconfigWatcher watcher;
        watcher.setDebounceMs(50);
        watcher.setFiles({path});
        QSignalSpy spy(&watcher, &KubeconfigWatcher::changed);
        write(dir.filePath(QStringLiteral("unrelated")), "x");
        QVERIFY(!spy.wait(500));
    }

    void contextChoice_prefersCommandLineThenRememberedThenCurrent()
    {
        const QStringList available{QStringLiteral("a"), QStringLiteral("b")};
        QCOMPARE(ContextChoice::resolve({}, QStringLiteral("a"), available), QStringLiteral("a"));
        ContextChoice::rememberContext(QStringLiteral("b"));
        QCOMPARE(ContextChoice::resolve({}, QStringLiteral("a"), available), QStringLiteral("b"));
        QCOMPARE(ContextChoice::resolve(QStringLiteral("c"), QStringLiteral("a"), available), QStringLiteral("c"));
        // A remembered context that no longer exists falls back to current-context.
        ContextChoice::rememberContext(QStringLiteral("gone"));
        QCOMPARE(ContextChoice::resolve({}, QStringLiteral("a"), available), QStringLiteral("a"));
    }

    void contextChoice_neverTouchesTheKubeconfig()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("config"));
        write(path, config("one"));
        QFile before(path);
        QVERIFY(before.open(QIODevice::ReadOnly));
        const QByteArray original = before.readAll();
        const QDateTime modified = QFileInfo(path).lastModified();
        ContextChoice::rememberContext(QStringLiteral("two"));
        const QString eks = QStringLiteral("arn:aws:eks:eu-west-1:1:cluster/x");
        ContextChoice::rememberNamespace(eks, QStringLiteral("kube-system"));
        QCOMPARE(ContextChoice::rememberedNamespace(eks), QStringLiteral("kube-system"));
        QCOMPARE(ContextChoice::rememberedNamespace(QStringLiteral("other")), QString());
        QFile after(path);
        QVERIFY(after.open(QIODevice::ReadOnly));
        QCOMPARE(after.readAll(), original);
        QCOMPARE(QFileInfo(path).lastModified(), modified);
    }
};

ORCHESTRA_TEST_MAIN(TestKubeconfigWatcher)
#include "tst_kubeconfig_watcher.moc"
