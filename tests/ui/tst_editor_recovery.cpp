#include "editor/editorarea.h"
#include "editor/editortab.h"

#include "testmain.h"

#include <QProcess>

using orchestra::ui::EditorArea;
using orchestra::ui::EditorTab;

class TestEditorRecovery : public QObject
{
    Q_OBJECT

private slots:
    void modifiedBuffersOnly_areAutosaved_andSavingClearsThem()
    {
        QTemporaryDir recovery;
        QTemporaryDir files;
        EditorArea area(recovery.path());
        EditorTab *clean = area.newFile();
        EditorTab *dirty = area.newFile(QStringLiteral("a: 1\n"));
        area.autosaveNow();
        QCOMPARE(area.recoveryStore()->entries().size(), 1);
        QCOMPARE(area.recoveryStore()->entries().first().text, QStringLiteral("a: 1\n"));
        QCOMPARE(area.recoveryStore()->entries().first().id, dirty->recoveryId());
        QVERIFY(!clean->isModified());

        area.askSavePath = [&files](EditorTab *) { return files.filePath(QStringLiteral("a.yaml")); };
        QVERIFY(area.save(dirty));
        QVERIFY(area.recoveryStore()->entries().isEmpty());

        dirty->editor(); // edits after saving are autosaved again, and closing (discard) clears them
        dirty->setText(QStringLiteral("a: 2\n"), true);
        area.autosaveNow();
        QCOMPARE(area.recoveryStore()->entries().size(), 1);
        QCOMPARE(area.recoveryStore()->entries().first().originalPath, dirty->filePath());
        area.askSaveChanges = [](EditorTab *) { return QMessageBox::Discard; };
        QVERIFY(area.closeTab(dirty));
        QVERIFY(area.recoveryStore()->entries().isEmpty());
    }

    void killedProcess_unsavedEditsAreOfferedAndRestored()
    {
        QTemporaryDir recovery;
        QProcess child;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        child.setProcessEnvironment(env);
        child.start(QStringLiteral(EDITOR_CRASH_HELPER), {recovery.path()});
        QVERIFY2(child.waitForStarted(30000), qPrintable(child.errorString()));
        QByteArray output;
        QTRY_VERIFY_WITH_TIMEOUT(
            (output += child.readAllStandardOutput()).contains("ready") || child.state() != QProcess::Running, 30000);
        QVERIFY2(child.state() == QProcess::Running, child.readAllStandardError().constData());
        child.kill(); // SIGKILL: no chance to clean up
        QVERIFY(child.waitForFinished(30000));
        QCOMPARE(child.exitStatus(), QProcess::CrashExit);

        EditorArea area(recovery.path());
        QList<orchestra::manifests::RecoveryEntry> offered;
        area.askRestore = [&offered](const QList<orchestra::manifests::RecoveryEntry> &entries) {
            offered = entries;
            return true;
        };
        QCOMPARE(area.offerRecovery(), 2);
        QCOMPARE(offered.size(), 2);
        QCOMPARE(area.tabCount(), 2);
        QStringList texts, titles;
        for (int i = 0; i < area.tabCount(); ++i) {
            texts.append(area.tab(i)->text());
            titles.append(area.tab(i)->title());
            QVERIFY(area.tab(i)->isModified());
        }
        QVERIFY(texts.contains(QStringLiteral("apiVersion: v1\nkind: ConfigMap\n# unsaved edit\n")));
        QVERIFY(titles.contains(QStringLiteral("Lesson 2: Pods")));
        // Now kept under this run's session: not offered again, still safe on disk.
        QCOMPARE(area.recoveryStore()->orphanedEntries().size(), 0);
        QCOMPARE(area.recoveryStore()->entries().size(), 2);
        QCOMPARE(area.offerRecovery(), 0);
    }

    void declinedRestore_discardsTheBuffers()
    {
        QTemporaryDir recovery;
        {
            EditorArea crashed(recovery.path());
            crashed.newFile(QStringLiteral("x: 1\n"));
            crashed.autosaveNow();
        } // the session lock is released as after a crash; the entry stays
        EditorArea area(recovery.path());
        int asked = 0;
        area.askRestore = [&asked](const QList<orchestra::manifests::RecoveryEntry> &) {
            ++asked;
            return false;
        };
        QCOMPARE(area.offerRecovery(), 0);
        QCOMPARE(asked, 1);
        QCOMPARE(area.tabCount(), 0);
        QVERIFY(area.recoveryStore()->entries().isEmpty());
    }
};

ORCHESTRA_TEST_MAIN(TestEditorRecovery)
#include "tst_editor_recovery.moc"
