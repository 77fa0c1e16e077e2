#include "editor/conflictdialog.h"
#include "editor/diffview.h"
#include "editor/editorarea.h"
#include "editor/editortab.h"
#include "editor/findbar.h"
#include "editor/manifesteditor.h"
#include "widgets/emptystate.h"

#include "testmain.h"

#include <QAbstractItemModel>
#include <QJsonArray>
#include <QLabel>
#include <QMenu>
#include <QMimeData>
#include <QPushButton>
#include <QSettings>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTextBlock>
#include <QTreeView>
#include <QTreeWidget>

using namespace orchestra::ui;
using orchestra::manifests::Problem;

namespace {

bool hasProblem(const QList<Problem> &problems, const QString &part, int line)
{
    for (const Problem &p : problems) {
        if (p.message.contains(part) && p.line == line)
            return true;
    }
    return false;
}

} // namespace

class TestEditor : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_recovery;

private slots:
    void init() { QSettings().clear(); }

    void tab_insertsTwoSpaces_andShiftTabOutdents()
    {
        ManifestEditor editor;
        editor.setPlainText(QStringLiteral("a:\nb"));
        QTextCursor cursor(editor.document()->findBlockByNumber(1));
        editor.setTextCursor(cursor);
        QTest::keyClick(&editor, Qt::Key_Tab);
        QCOMPARE(editor.toPlainText(), QStringLiteral("a:\n  b"));
        QTest::keyClick(&editor, Qt::Key_Backtab);
        QCOMPARE(editor.toPlainText(), QStringLiteral("a:\nb"));
        QVERIFY(!editor.toPlainText().contains(QLatin1Char('\t')));
    }

    void enter_keepsIndentation_andIndentsAfterAKey()
    {
        ManifestEditor editor;
        editor.setPlainText(QStringLiteral("spec:"));
        editor.moveCursor(QTextCursor::End);
        QTest::keyClick(&editor, Qt::Key_Return);
        QTest::keyClicks(&editor, QStringLiteral("replicas: 2"));
        QTest::keyClick(&editor, Qt::Key_Return);
        QTest::keyClicks(&editor, QStringLiteral("x: 1"));
        QCOMPARE(editor.toPlainText(), QStringLiteral("spec:\n  replicas: 2\n  x: 1"));
    }

    void ctrlSlash_togglesComments()
    {
        ManifestEditor editor;
        editor.setPlainText(QStringLiteral("a: 1\n  b: 2\nc: 3"));
        QTextCursor cursor(editor.document());
        cursor.setPosition(0);
        cursor.setPosition(editor.document()->findBlockByNumber(1).position() + 3, QTextCursor::KeepAnchor);
        editor.setTextCursor(cursor);
        QTest::keyClick(&editor, Qt::Key_Slash, Qt::ControlModifier);
        QCOMPARE(editor.toPlainText(), QStringLiteral("# a: 1\n#   b: 2\nc: 3"));
        QTest::keyClick(&editor, Qt::Key_Slash, Qt::ControlModifier);
        QCOMPARE(editor.toPlainText(), QStringLiteral("a: 1\n  b: 2\nc: 3"));
    }

    void convertTabs_replacesEveryTab()
    {
        ManifestEditor editor;
        editor.setPlainText(QStringLiteral("a:\n\tb: 1\n\t\tc: 2"));
        QCOMPARE(editor.convertTabsToSpaces(), 3);
        QCOMPARE(editor.toPlainText(), QStringLiteral("a:\n  b: 1\n    c: 2"));
    }

    void goToLine_movesTheCursorToTheFirstNonSpace()
    {
        ManifestEditor editor;
        editor.setPlainText(QStringLiteral("a\nb\n    c\nd"));
        editor.goToLine(3);
        QCOMPARE(editor.textCursor().blockNumber(), 2);
        QCOMPARE(editor.textCursor().positionInBlock(), 4);
    }

    void problems_areUnderlinedWithTheirMessage()
    {
        ManifestEditor editor;
        editor.setPlainText(QStringLiteral("a: 1\nbad line\n"));
        editor.setProblems({Problem{2, 5, Problem::Severity::Error, QStringLiteral("Broken here"), 0}});
        bool found = false;
        for (const QTextEdit::ExtraSelection &selection : editor.extraSelections()) {
            if (selection.format.toolTip() == QLatin1String("Broken here")) {
                found = true;
                QCOMPARE(selection.format.underlineStyle(), QTextCharFormat::WaveUnderline);
                QCOMPARE(selection.cursor.selectedText(), QStringLiteral("line"));
            }
        }
        QVERIFY(found);
    }

    void findBar_findsAndReplacesAll()
    {
        ManifestEditor editor;
        editor.setPlainText(QStringLiteral("image: nginx\nname: nginx\nimage: redis\n"));
        FindBar bar(&editor);
        bar.setFindText(QStringLiteral("nginx"));
        QVERIFY(bar.findNext());
        QCOMPARE(editor.textCursor().blockNumber(), 0);
        QVERIFY(bar.findNext());
        QCOMPARE(editor.textCursor().blockNumber(), 1);
        QVERIFY(bar.findNext()); // wraps
        QCOMPARE(editor.textCursor().blockNumber(), 0);
        bar.setReplaceText(QStringLiteral("httpd"));
        QCOMPARE(bar.replaceAll(), 2);
        QCOMPARE(editor.toPlainText(), QStringLiteral("image: httpd\nname: httpd\nimage: redis\n"));
        bar.setFindText(QStringLiteral("nothing"));
        QVERIFY(!bar.findNext());
    }

    void validationAsYouType_isDebounced_andListsProblemsThatJumpToTheLine()
    {
        EditorTab tab;
        QSignalSpy validated(&tab, &EditorTab::validated);
        tab.editor()->setPlainText(QStringLiteral("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n"));
        validated.clear();
        QTest::keyClicks(tab.editor(), QStringLiteral("x"));
        QTest::keyClicks(tab.editor(), QStringLiteral("y"));
        QVERIFY(validated.isEmpty()); // debounced: nothing yet
        QVERIFY(validated.wait(3000));
        QCOMPARE(validated.size(), 1);

        tab.editor()->setPlainText(QStringLiteral("apiVersion: v1\nkind: Pod\nmetadata:\n\tname: x\n"));
        QVERIFY(validated.wait(3000));
        QVERIFY(hasProblem(tab.problems(), QStringLiteral("Tab character"), 4));
        QAbstractItemModel *model = tab.problemsView()->model();
        QVERIFY(model->rowCount() >= 1);
        int row = -1;
        for (int i = 0; i < model->rowCount(); ++i) {
            if (model->index(i, 2).data().toString().contains(QStringLiteral("Tab character")))
                row = i;
        }
        QVERIFY(row >= 0);
        QCOMPARE(model->index(row, 1).data().toString(), QStringLiteral("4:1"));
        tab.editor()->goToLine(1);
        emit tab.problemsView()->activated(model->index(row, 2));
        QCOMPARE(tab.editor()->textCursor().blockNumber(), 3);
    }

    void bigFile_isValidatedOffTheGuiThread()
    {
        EditorTab tab;
        QString text;
        for (int i = 0; i < 1500; ++i)
            text +=
                QStringLiteral("---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c%1\ndata:\n  k: v\n").arg(i);
        text += QStringLiteral("---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c0\n");
        QVERIFY(text.size() > 64 * 1024);
        QSignalSpy validated(&tab, &EditorTab::validated);
        tab.setText(text);
        QVERIFY(validated.wait(30000));
        QCOMPARE(tab.parsed().documents.size(), 1501);
        QVERIFY(hasProblem(tab.problems(), QStringLiteral("Duplicate object"), 1500 * 7 + 5));
    }

    void area_startsEmpty_andEveryTemplateIsValid()
    {
        EditorArea area(m_recovery.path());
        auto *stack = area.findChild<QStackedWidget *>();
        QVERIFY(stack);
        auto *empty = qobject_cast<EmptyState *>(stack->currentWidget());
        QVERIFY(empty);
        QCOMPARE(empty->title(), QStringLiteral("No file open"));
        QCOMPARE(EditorArea::templates().size(), 13);
        for (const EditorArea::Template &entry : EditorArea::templates()) {
            EditorTab *tab = area.newFromTemplate(entry.resource);
            QVERIFY2(tab, qPrintable(entry.resource));
            tab->validateNow();
            QVERIFY(!tab->parsed().documents.isEmpty());
            for (const Problem &problem : tab->problems())
                QVERIFY2(problem.severity != Problem::Severity::Error,
                         qPrintable(entry.title + QStringLiteral(": ") + problem.message));
            QVERIFY(tab->title().startsWith(QStringLiteral("untitled")));
        }
        QCOMPARE(area.tabCount(), 13);
        QCOMPARE(area.tab(7)->parsed().documents.size(), 2); // Role + RoleBinding
        QCOMPARE(stack->currentWidget(), area.tabWidget());
    }

    void openSaveSaveAs_andRecentFiles()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("cm.yaml"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n");
        file.close();

        EditorArea area(m_recovery.path());
        QMenu menu;
        QAction *quit = menu.addAction(QStringLiteral("Quit"));
        area.addFileMenuActions(&menu, quit);
        QCOMPARE(menu.actions().last(), quit);
        QVERIFY(menu.findChild<QMenu *>(QStringLiteral("templatesMenu")));

        EditorTab *tab = area.openFile(path);
        QVERIFY(tab);
        QCOMPARE(tab->title(), QStringLiteral("cm.yaml"));
        QCOMPARE(area.openFile(path), tab); // already open: switches to it
        QCOMPARE(area.recentFiles().first(), QFileInfo(path).absoluteFilePath());
        QVERIFY(!area.openFile(dir.filePath(QStringLiteral("missing.yaml"))));

        tab->editor()->moveCursor(QTextCursor::End);
        tab->editor()->insertPlainText(QStringLiteral("data: {a: b}\n"));
        QVERIFY(tab->isModified());
        QVERIFY(area.tabWidget()->tabText(0).endsWith(QStringLiteral("●")));
        QVERIFY(area.save(tab));
        QVERIFY(!tab->isModified());
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(file.readAll().endsWith("data: {a: b}\n"));
        file.close();

        const QString other = dir.filePath(QStringLiteral("copy.yaml"));
        area.askSavePath = [other](EditorTab *) { return other; };
        QVERIFY(area.saveAs(tab));
        QCOMPARE(tab->filePath(), QFileInfo(other).absoluteFilePath());
        QVERIFY(QFile::exists(other));
        QCOMPARE(area.recentFiles().first(), QFileInfo(other).absoluteFilePath());
    }

    void editMenu_actionsWorkOnTheCurrentTab()
    {
        EditorArea area(m_recovery.path());
        QMenu menu;
        area.addEditMenuActions(&menu);
        QAction *convert = nullptr;
        for (QAction *action : menu.actions()) {
            if (action->text().contains(QStringLiteral("Convert")))
                convert = action;
        }
        QVERIFY(convert);
        QVERIFY(!convert->isEnabled()); // no tab yet
        EditorTab *tab = area.newFile(QStringLiteral("a:\n\tb: 1\n"));
        QVERIFY(convert->isEnabled());
        convert->trigger();
        QCOMPARE(tab->text(), QStringLiteral("a:\n  b: 1\n"));
    }

    void closingWithUnsavedChanges_asks()
    {
        EditorArea area(m_recovery.path());
        int asked = 0;
        QMessageBox::StandardButton answer = QMessageBox::Cancel;
        area.askSaveChanges = [&](EditorTab *) {
            ++asked;
            return answer;
        };
        EditorTab *tab = area.newFile(QStringLiteral("a: 1\n"));
        QVERIFY(tab->isModified());
        QVERIFY(!area.maybeClose());
        QVERIFY(!area.closeTab(tab));
        QCOMPARE(area.tabCount(), 1);
        QCOMPARE(asked, 2);
        answer = QMessageBox::Discard;
        QVERIFY(area.maybeClose());
        QVERIFY(area.closeTab(tab));
        QCOMPARE(area.tabCount(), 0);
        area.newFile(); // unmodified: no question
        QVERIFY(area.maybeClose());
        QCOMPARE(asked, 4);
    }

    void lessonManifest_opensLabelledUntitledTab()
    {
        EditorArea area(m_recovery.path());
        QSignalSpy status(&area, &EditorArea::statusMessage);
        EditorTab *tab = area.openManifest(QStringLiteral("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n"),
                                           QStringLiteral("Pods: your first pod"), true);
        QCOMPARE(tab->title(), QStringLiteral("Pods: your first pod"));
        QVERIFY(tab->filePath().isEmpty());
        QVERIFY(tab->isModified());
        QVERIFY(!status.isEmpty()); // not connected: says why no dry run happened
        QVERIFY(status.last().first().toString().contains(QStringLiteral("Connect")));
    }

    void liveObject_opensWithoutManagedFieldsAndStatus_boundToIt()
    {
        EditorArea area(m_recovery.path());
        const QJsonObject live{
            {QStringLiteral("apiVersion"), QStringLiteral("apps/v1")},
            {QStringLiteral("kind"), QStringLiteral("Deployment")},
            {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), QStringLiteral("web")},
                                                     {QStringLiteral("namespace"), QStringLiteral("shop")},
                                                     {QStringLiteral("resourceVersion"), QStringLiteral("1234")},
                                                     {QStringLiteral("uid"), QStringLiteral("u-1")},
                                                     {QStringLiteral("managedFields"), QJsonArray{QJsonObject{}}}}},
            {QStringLiteral("spec"), QJsonObject{{QStringLiteral("replicas"), 3}}},
            {QStringLiteral("status"), QJsonObject{{QStringLiteral("readyReplicas"), 3}}}};
        EditorTab *tab = area.openLiveObject(live);
        QVERIFY(!tab->text().contains(QStringLiteral("managedFields")));
        QVERIFY(!tab->text().contains(QStringLiteral("status")));
        QVERIFY(!tab->text().contains(QStringLiteral("resourceVersion")));
        QVERIFY(tab->text().contains(QStringLiteral("replicas: 3")));
        QCOMPARE(tab->boundObject().value(QStringLiteral("resourceVersion")).toString(), QStringLiteral("1234"));
        QCOMPARE(tab->editorNamespace(), QStringLiteral("shop"));
        QCOMPARE(tab->title(), QStringLiteral("Deployment/web"));
        QVERIFY(!tab->isModified());
        QCOMPARE(area.openLiveObject(live), tab);
    }

    void applyBar_notConnected_saysSoAndDisablesApply()
    {
        EditorTab tab;
        auto *apply = tab.findChild<QPushButton *>(QStringLiteral("applyButton"));
        auto *dryRun = tab.findChild<QPushButton *>(QStringLiteral("dryRunButton"));
        QVERIFY(apply && dryRun);
        QVERIFY(!apply->isEnabled());
        QVERIFY(!dryRun->isEnabled());
        QVERIFY(
            tab.findChild<QLabel *>(QStringLiteral("applyContext"))->text().contains(QStringLiteral("not connected")));
        QVERIFY(!tab.dryRun());
        QCOMPARE(tab.targetNamespace(), QStringLiteral("default"));
        tab.setEditorNamespace(QStringLiteral("lab"));
        QCOMPARE(tab.targetNamespace(), QStringLiteral("lab"));
        QVERIFY(tab.findChild<QLabel *>(QStringLiteral("applyTarget"))->text().contains(QStringLiteral("lab")));
    }

    void diffView_showsBothModes()
    {
        DiffView view;
        const auto diff = orchestra::manifests::diffLines({"a: 1", "b: 2"}, {"a: 1", "b: 3"});
        view.setDiff(QStringLiteral("ConfigMap x: will be configured"), diff, QStringLiteral("live"),
                     QStringLiteral("after"));
        QVERIFY(view.unifiedText().contains(QStringLiteral("-b: 2\n+b: 3")));
        QVERIFY(view.leftText().contains(QStringLiteral("b: 2")));
        QVERIFY(view.rightText().contains(QStringLiteral("b: 3")));
        view.setMode(DiffView::Mode::Unified);
        QCOMPARE(view.mode(), DiffView::Mode::Unified);
        view.setMessage(QStringLiteral("t"), QStringLiteral("No changes"));
        QVERIFY(view.unifiedText().isEmpty());
    }

    void conflictDialog_listsFieldsAndOwners()
    {
        ConflictDialog dialog({{QStringLiteral("Deployment web"),
                                {QStringLiteral(".spec.replicas"), QStringLiteral("kubectl-client-side-apply"),
                                 QStringLiteral("apps/v1")},
                                8}});
        auto *list = dialog.findChild<QTreeWidget *>(QStringLiteral("conflictList"));
        QVERIFY(list);
        QCOMPARE(list->topLevelItemCount(), 1);
        QCOMPARE(list->topLevelItem(0)->text(1), QStringLiteral(".spec.replicas"));
        QVERIFY(list->topLevelItem(0)->text(2).contains(QStringLiteral("kubectl-client-side-apply")));
        auto *force = dialog.findChild<QPushButton *>(QStringLiteral("forceButton"));
        QVERIFY(force);
        QVERIFY(!force->isDefault());
        dialog.show();
        force->click();
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
    }

    void droppedFiles_open()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("dropped.yaml"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("a: 1\n");
        file.close();
        EditorArea area(m_recovery.path());
        EditorTab *tab = area.newFile();
        QMimeData data;
        data.setUrls({QUrl::fromLocalFile(path)});
        QVERIFY(tab->editor()->canPaste() || true);
        QSignalSpy dropped(tab->editor(), &ManifestEditor::filesDropped);
        // Pasting (or dropping) a file URL opens the file instead of inserting its path.
        QMetaObject::invokeMethod(tab->editor(), [&] { emit tab->editor()->filesDropped({path}); });
        QTRY_COMPARE(area.tabCount(), 2);
        QCOMPARE(area.currentTab()->title(), QStringLiteral("dropped.yaml"));
    }
};

ORCHESTRA_TEST_MAIN(TestEditor)
#include "tst_editor.moc"
