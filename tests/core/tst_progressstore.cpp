#include "lessons/progressstore.h"

#include "testmain.h"

using orchestra::lessons::ProgressStore;

class TestProgressStore : public QObject
{
    Q_OBJECT

private slots:
    void defaultPath_isUnderAppData()
    {
        const ProgressStore store;
        QVERIFY(store.filePath().startsWith(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)));
        QVERIFY(store.filePath().endsWith(QStringLiteral("progress.json")));
    }

    void saveAndLoad_roundTrips()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("sub/progress.json"));
        {
            ProgressStore store(path);
            QVERIFY(store.load()); // no file yet is fine
            store.setCompleted(QStringLiteral("a/b"), true);
            store.setCompleted(QStringLiteral("c/d"), true);
            store.setCompleted(QStringLiteral("c/d"), false);
            store.setLastLesson(QStringLiteral("a/b"));
            store.setScrollPosition(QStringLiteral("a/b"), 0.42);
            store.setScrollPosition(QStringLiteral("x/y"), 7.0); // clamped
            QVERIFY(store.save());
        }
        ProgressStore again(path);
        QVERIFY(again.load());
        QVERIFY(again.notice().isEmpty());
        QVERIFY(again.isCompleted(QStringLiteral("a/b")));
        QVERIFY(!again.isCompleted(QStringLiteral("c/d")));
        QCOMPARE(again.lastLesson(), QStringLiteral("a/b"));
        QCOMPARE(again.scrollPosition(QStringLiteral("a/b")), 0.42);
        QCOMPARE(again.scrollPosition(QStringLiteral("x/y")), 1.0);
        QCOMPARE(again.scrollPosition(QStringLiteral("unknown")), 0.0);
    }

    void corruptFile_isBackedUpAndStartsFreshWithNotice()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("progress.json"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{\"completed\": [\"a/b\", tru");
        file.close();

        ProgressStore store(path);
        QVERIFY(!store.load());
        QVERIFY(store.notice().contains(QStringLiteral("damaged")));
        QVERIFY(store.completed().isEmpty());
        const QStringList backups = QDir(dir.path()).entryList({QStringLiteral("progress.json.corrupt-*")});
        QCOMPARE(backups.size(), 1);
        QVERIFY(store.notice().contains(backups[0]));
        QVERIFY(!QFile::exists(path));
        store.setCompleted(QStringLiteral("a/b"), true);
        QVERIFY(store.save());
        ProgressStore again(path);
        QVERIFY(again.load());
        QVERIFY(again.isCompleted(QStringLiteral("a/b")));
    }

    void wrongShape_countsAsCorrupt()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("progress.json"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("[1, 2, 3]");
        file.close();
        ProgressStore store(path);
        QVERIFY(!store.load());
        QVERIFY(!store.notice().isEmpty());
    }

    void unwritableLocation_failsWithNotice()
    {
        ProgressStore store(QStringLiteral("/proc/orchestra-cannot-write/progress.json"));
        QVERIFY(!store.save());
        QVERIFY(store.notice().contains(QStringLiteral("Could not save")));
    }
};

ORCHESTRA_TEST_MAIN(TestProgressStore)
#include "tst_progressstore.moc"
