#include "lessons/lessonbrowser.h"
#include "lessons/lessonview.h"
#include "lessons/tracktreemodel.h"

#include "../core/lessontestutil.h"
#include "testmain.h"

#include <QAbstractItemModelTester>
#include <QClipboard>
#include <QGuiApplication>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTextBlock>
#include <QTextTable>
#include <QTreeView>

using orchestra::ui::LessonBrowser;
using orchestra::ui::LessonView;

class TestLessonBrowser : public QObject
{
    Q_OBJECT

    QTemporaryDir m_content;
    QTemporaryDir m_state;

    QString progressFile() const { return m_state.filePath(QStringLiteral("progress.json")); }

private slots:
    void initTestCase() { orchestra::test::writeSampleContent(m_content.path()); }
    void init() { QFile::remove(progressFile()); }

    void loadsTracksAndOpensALesson()
    {
        LessonBrowser browser(nullptr, progressFile());
        QAbstractItemModelTester tester(browser.treeModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        browser.loadContent(m_content.path());
        QCOMPARE(browser.treeModel()->rowCount(), 2);
        QVERIFY(browser.openLesson(QStringLiteral("basics/pods")));
        QCOMPARE(browser.currentLessonId(), QStringLiteral("basics/pods"));
        const QString text = browser.view()->toPlainText();
        QVERIFY(text.contains(QStringLiteral("A pod groups containers")));
        QVERIFY(text.contains(QStringLiteral("kind: Pod"))); // the manifest file, inlined
        QVERIFY(!browser.openLesson(QStringLiteral("no/such")));
    }

    void rendering_stylesCodeTablesAndHeadings()
    {
        LessonBrowser browser(nullptr, progressFile());
        browser.loadContent(m_content.path());
        browser.openLesson(QStringLiteral("basics/pods"));
        QTextDocument *doc = browser.view()->document();
        bool sawCodeBackground = false, sawHeading = false, sawTable = false;
        for (QTextBlock block = doc->begin(); block.isValid(); block = block.next()) {
            if (block.blockFormat().hasProperty(QTextFormat::BlockCodeFence))
                sawCodeBackground |= block.blockFormat().background().style() != Qt::NoBrush;
            if (block.blockFormat().headingLevel() == 1)
                sawHeading |= block.charFormat().fontWeight() >= QFont::DemiBold ||
                              block.begin().fragment().charFormat().fontWeight() >= QFont::DemiBold;
        }
        for (QTextFrame *frame : doc->rootFrame()->childFrames()) {
            if (auto *table = qobject_cast<QTextTable *>(frame))
                sawTable = table->format().border() > 0 && table->format().cellPadding() > 0;
        }
        QVERIFY(sawCodeBackground);
        QVERIFY(sawHeading);
        QVERIFY(sawTable);
    }

    void answers_revealOnDemand()
    {
        LessonBrowser browser(nullptr, progressFile());
        browser.loadContent(m_content.path());
        browser.openLesson(QStringLiteral("basics/pods"));
        QVERIFY(!browser.view()->toPlainText().contains(QStringLiteral("A group of containers")));
        emit browser.view()->linkActivated(QUrl(QStringLiteral("orchestra:answer/0")));
        QVERIFY(browser.view()->toPlainText().contains(QStringLiteral("A group of containers")));
        emit browser.view()->linkActivated(QUrl(QStringLiteral("orchestra:answer/0")));
        QVERIFY(!browser.view()->toPlainText().contains(QStringLiteral("A group of containers")));
    }

    void manifestActions_copyAndRequestTheEditor()
    {
        LessonBrowser browser(nullptr, progressFile());
        browser.loadContent(m_content.path());
        browser.openLesson(QStringLiteral("basics/pods"));
        emit browser.view()->linkActivated(QUrl(QStringLiteral("orchestra:copy/0")));
        QVERIFY(QGuiApplication::clipboard()->text().startsWith(QStringLiteral("apiVersion: v1")));

        QSignalSpy status(&browser, &LessonBrowser::statusMessage);
        emit browser.view()->linkActivated(QUrl(QStringLiteral("orchestra:open/0")));
        QCOMPARE(status.count(), 1); // nobody listens: say so instead of doing nothing
        QSignalSpy spy(&browser, &LessonBrowser::openManifestRequested);
        emit browser.view()->linkActivated(QUrl(QStringLiteral("orchestra:apply/0")));
        QCOMPARE(spy.count(), 1);
        QVERIFY(spy[0][0].toString().contains(QStringLiteral("kind: Pod")));
        QCOMPARE(spy[0][1].toString(), QStringLiteral("Pods — pod.yaml"));
        QCOMPARE(spy[0][2].toBool(), true);
    }

    void internalLinks_navigateWithHistory()
    {
        LessonBrowser browser(nullptr, progressFile());
        browser.loadContent(m_content.path());
        browser.openLesson(QStringLiteral("basics/intro"));
        emit browser.view()->linkActivated(QUrl(QStringLiteral("02-pods.md")));
        QCOMPARE(browser.currentLessonId(), QStringLiteral("basics/pods"));
        QVERIFY(browser.canGoBack());
        browser.back();
        QCOMPARE(browser.currentLessonId(), QStringLiteral("basics/intro"));
        QVERIFY(browser.canGoForward());
        browser.forward();
        QCOMPARE(browser.currentLessonId(), QStringLiteral("basics/pods"));
    }

    void remoteImages_areNeverLoaded()
    {
        LessonView view;
        const QVariant remote =
            view.loadResource(QTextDocument::ImageResource, QUrl(QStringLiteral("https://example.com/x.png")));
        QVERIFY(!remote.isValid());
    }

    void languageSwitch_andFallbackNotice()
    {
        orchestra::test::writeFile(
            m_content.path() + QStringLiteral("/tracks/extra.yaml"),
            "id: extra\ntitle:\n  en: Extra\n  ko: 추가\nlessons:\n  - id: extra/more\n    stage: project\n"
            "  - id: extra/solo\n    stage: theory\n");
        orchestra::test::writeFile(m_content.path() + QStringLiteral("/en/extra/02-solo.md"),
                                   orchestra::test::lessonText(QStringLiteral("extra/solo"), QStringLiteral("Solo"),
                                                               QStringLiteral("theory"), QStringLiteral("# Solo\n")));
        LessonBrowser browser(nullptr, progressFile());
        browser.loadContent(m_content.path());
        browser.setLanguage(QStringLiteral("ko"));
        browser.openLesson(QStringLiteral("basics/pods"));
        QVERIFY(browser.view()->toPlainText().contains(QStringLiteral("파드(Pod)")));
        QVERIFY(browser.view()->toPlainText().contains(QStringLiteral("학습 목표")));
        QVERIFY(browser.notice().isEmpty());
        browser.openLesson(QStringLiteral("extra/solo"));
        QVERIFY(browser.notice().contains(QStringLiteral("English")));
        QVERIFY(browser.view()->toPlainText().contains(QStringLiteral("Solo")));
        QFile::remove(m_content.path() + QStringLiteral("/en/extra/02-solo.md"));
        orchestra::test::writeFile(
            m_content.path() + QStringLiteral("/tracks/extra.yaml"),
            "id: extra\ntitle:\n  en: Extra\n  ko: 추가\nlessons:\n  - id: extra/more\n    stage: project\n");
    }

    void completion_persistsAndNextLessonWorks()
    {
        {
            LessonBrowser browser(nullptr, progressFile());
            browser.loadContent(m_content.path());
            browser.openLesson(QStringLiteral("basics/intro"));
            auto *complete = browser.findChild<QPushButton *>(QStringLiteral("markComplete"));
            complete->click();
            QVERIFY(complete->isChecked());
            QCOMPARE(
                browser.treeModel()->index(0, 0).data(orchestra::lessons::TrackTreeModel::CompletedCountRole).toInt(),
                1);
            browser.findChild<QPushButton *>(QStringLiteral("nextLesson"))->click();
            QCOMPARE(browser.currentLessonId(), QStringLiteral("basics/pods"));
        } // destructor saves
        LessonBrowser again(nullptr, progressFile());
        again.loadContent(m_content.path());
        again.openLastLesson();
        QCOMPARE(again.currentLessonId(), QStringLiteral("basics/pods"));
        QCOMPARE(again.treeModel()->index(0, 0).data(orchestra::lessons::TrackTreeModel::CompletedCountRole).toInt(),
                 1);
    }

    void corruptProgress_showsNotice()
    {
        orchestra::test::writeFile(progressFile(), "{ not json");
        LessonBrowser browser(nullptr, progressFile());
        browser.loadContent(m_content.path());
        QVERIFY(browser.notice().contains(QStringLiteral("damaged")));
    }

    void searchAcrossLessons_listsAndOpensHits()
    {
        LessonBrowser browser(nullptr, progressFile());
        browser.loadContent(m_content.path());
        auto *search = browser.findChild<QLineEdit *>(QStringLiteral("lessonSearch"));
        search->setText(QStringLiteral("orchestration"));
        auto *results = browser.findChild<QListWidget *>(QStringLiteral("searchResults"));
        QCOMPARE(results->count(), 1);
        emit results->itemActivated(results->item(0));
        QCOMPARE(browser.currentLessonId(), QStringLiteral("basics/intro"));
    }

    void findInLesson_highlightsMatches()
    {
        LessonBrowser browser(nullptr, progressFile());
        browser.loadContent(m_content.path());
        browser.openLesson(QStringLiteral("basics/pods"));
        QCOMPARE(browser.view()->findAll(QStringLiteral("pod")) > 2, true);
        QCOMPARE(browser.view()->extraSelections().size() > 2, true);
        QCOMPARE(browser.view()->findAll(QString()), 0);
    }

    void missingContent_saysSo()
    {
        LessonBrowser browser(nullptr, progressFile());
        browser.loadContent(QStringLiteral("/nonexistent"));
        QVERIFY(browser.notice().contains(QStringLiteral("/nonexistent")));
    }
};

ORCHESTRA_TEST_MAIN(TestLessonBrowser)
#include "tst_lessonbrowser.moc"
