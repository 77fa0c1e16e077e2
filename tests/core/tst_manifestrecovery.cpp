#include "manifests/recoverystore.h"

#include "testmain.h"

#include <QDir>
#include <QTemporaryDir>

using orchestra::manifests::RecoveryEntry;
using orchestra::manifests::RecoveryStore;

class TestManifestRecovery : public QObject
{
    Q_OBJECT

private slots:
    void saveListRemove_roundTrips()
    {
        QTemporaryDir dir;
        RecoveryStore store(dir.path());
        RecoveryEntry entry;
        entry.id = store.newId();
        entry.title = QStringLiteral("untitled 1");
        entry.label = QStringLiteral("Lesson 3: Services");
        entry.boundObject = QJsonObject{{QStringLiteral("kind"), QStringLiteral("Deployment")},
                                        {QStringLiteral("resourceVersion"), QStringLiteral("42")}};
        entry.text = QStringLiteral("apiVersion: v1\n# 한국어\n");
        QVERIFY(store.save(entry).ok());

        const QList<RecoveryEntry> entries = store.entries();
        QCOMPARE(entries.size(), 1);
        QCOMPARE(entries.first().id, entry.id);
        QCOMPARE(entries.first().session, store.session());
        QCOMPARE(entries.first().title, entry.title);
        QCOMPARE(entries.first().label, entry.label);
        QCOMPARE(entries.first().boundObject, entry.boundObject);
        QCOMPARE(entries.first().text, entry.text);
        QVERIFY(entries.first().savedAt.isValid());

        // Our own live session's entries are not orphans.
        QVERIFY(store.orphanedEntries().isEmpty());

        entry.text = QStringLiteral("changed\n");
        QVERIFY(store.save(entry).ok());
        QCOMPARE(store.entries().size(), 1);
        QCOMPARE(store.entries().first().text, QStringLiteral("changed\n"));

        store.remove(entry.id);
        QVERIFY(store.entries().isEmpty());
        QCOMPARE(QDir(dir.path()).entryList({QStringLiteral("*.yaml"), QStringLiteral("*.json")}, QDir::Files).size(),
                 0);
    }

    void anotherRunningInstance_isNotOrphaned_butADeadOneIs()
    {
        QTemporaryDir dir;
        RecoveryStore mine(dir.path());
        QString otherSession;
        {
            RecoveryStore other(dir.path()); // alive while in scope (same process, lock held)
            otherSession = other.session();
            RecoveryEntry entry;
            entry.id = other.newId();
            entry.text = QStringLiteral("x: 1\n");
            QVERIFY(other.save(entry).ok());
            QVERIFY(mine.orphanedEntries().isEmpty());
        }
        // Its lock is released (as after a crash the stale lock is): the entry is offered.
        const QList<RecoveryEntry> orphans = mine.orphanedEntries();
        QCOMPARE(orphans.size(), 1);
        QCOMPARE(orphans.first().session, otherSession);
    }

    void defaultDirectory_isUnderAppData()
    {
        RecoveryStore store;
        QVERIFY(store.directory().endsWith(QStringLiteral("/recovery")));
        QVERIFY(QDir(store.directory()).exists());
    }
};

ORCHESTRA_TEST_MAIN(TestManifestRecovery)
#include "tst_manifestrecovery.moc"
