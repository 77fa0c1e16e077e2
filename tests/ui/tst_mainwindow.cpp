#include "mainwindow/mainwindow.h"
#include "widgets/connectionindicator.h"
#include "widgets/emptystate.h"

#include "testmain.h"

#include <QAbstractButton>
#include <QAction>
#include <QLabel>
#include <QMenuBar>
#include <QSettings>
#include <QSignalSpy>

using orchestra::ui::Area;
using orchestra::ui::ConnectionIndicator;
using orchestra::ui::EmptyState;
using orchestra::ui::MainWindow;

class TestMainWindow : public QObject
{
    Q_OBJECT

private slots:
    void init() { QSettings().clear(); }

    void startsOnLearn_withHonestEmptyStates()
    {
        MainWindow window;
        QCOMPARE(window.currentArea(), Area::Learn);
        for (Area area : {Area::Learn, Area::Cluster, Area::Editor}) {
            auto *empty = qobject_cast<EmptyState *>(window.areaWidget(area));
            QVERIFY(empty);
            QVERIFY(!empty->title().isEmpty());
        }
        QCOMPARE(qobject_cast<EmptyState *>(window.areaWidget(Area::Cluster))->title(),
                 QStringLiteral("Not connected"));
        QCOMPARE(qobject_cast<EmptyState *>(window.areaWidget(Area::Editor))->title(), QStringLiteral("No file open"));
    }

    void ctrlNumber_switchesAreas()
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QSignalSpy spy(&window, &MainWindow::currentAreaChanged);
        QTest::keyClick(&window, Qt::Key_2, Qt::ControlModifier);
        QCOMPARE(window.currentArea(), Area::Cluster);
        QTest::keyClick(&window, Qt::Key_3, Qt::ControlModifier);
        QCOMPARE(window.currentArea(), Area::Editor);
        QTest::keyClick(&window, Qt::Key_1, Qt::ControlModifier);
        QCOMPARE(window.currentArea(), Area::Learn);
        QCOMPARE(spy.count(), 3);
    }

    void modeBarButtons_switchAreas()
    {
        MainWindow window;
        auto *button = window.findChild<QAbstractButton *>(QStringLiteral("modeButton2"));
        QVERIFY(button);
        button->click();
        QCOMPARE(window.currentArea(), Area::Editor);
        QVERIFY(button->isChecked());
    }

    void menus_haveTheUsualEntries()
    {
        MainWindow window;
        QStringList titles;
        for (QAction *action : window.menuBar()->actions())
            titles << action->text().remove(QLatin1Char('&'));
        QCOMPARE(titles, (QStringList{QStringLiteral("File"), QStringLiteral("Edit"), QStringLiteral("View"),
                                      QStringLiteral("Help")}));
        QVERIFY(window.fileMenu() && window.editMenu() && window.viewMenu() && window.helpMenu());
        QStringList help;
        for (QAction *action : window.helpMenu()->actions())
            help << action->text().remove(QLatin1Char('&'));
        QVERIFY(help.contains(QStringLiteral("About Orchestra")));
        QVERIFY(help.contains(QStringLiteral("Keyboard Shortcuts")));
    }

    void about_namesVersionQtAndHighlighter()
    {
        const QString text = MainWindow::aboutText();
        QVERIFY(text.contains(QStringLiteral("Orchestra 0.")));
        QVERIFY(text.contains(QLatin1String(qVersion())));
        QVERIFY(text.contains(QStringLiteral("highlight"), Qt::CaseInsensitive));
    }

    void setAreaWidget_replacesTheEmptyState()
    {
        MainWindow window;
        window.setCurrentArea(Area::Cluster);
        auto *widget = new QLabel(QStringLiteral("cluster"));
        window.setAreaWidget(Area::Cluster, widget);
        QCOMPARE(window.areaWidget(Area::Cluster), widget);
        QCOMPARE(window.currentArea(), Area::Cluster);
    }

    void geometryAndArea_restoredOnRestart()
    {
        {
            MainWindow window;
            window.resize(900, 600);
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            window.setCurrentArea(Area::Editor);
            window.close(); // saves
        }
        MainWindow again;
        again.restoreSettings();
        QCOMPARE(again.currentArea(), Area::Editor);
        QCOMPARE(again.size(), QSize(900, 600));
    }

    void emptyState_longMessageWrapsWithoutClipping()
    {
        EmptyState empty(QStringLiteral(":/icons/cluster.svg"), QStringLiteral("Cannot read the kubeconfig"),
                         QStringLiteral("/home/user/.kube/config:12:3: end of map not found. Fix the file or pick "
                                        "another one with File > Open Kubeconfig; the app keeps watching the file "
                                        "and reloads it as soon as it is valid again."));
        empty.resize(700, 500);
        empty.show();
        QVERIFY(QTest::qWaitForWindowExposed(&empty));
        auto *message = empty.findChild<QLabel *>(QStringLiteral("emptyStateMessage"));
        QVERIFY(message);
        const int lineHeight = message->fontMetrics().height();
        QVERIFY2(message->height() >= message->heightForWidth(message->width()),
                 qPrintable(
                     QStringLiteral("%1 < %2").arg(message->height()).arg(message->heightForWidth(message->width()))));
        QVERIFY(message->height() > 2 * lineHeight); // really wrapped onto several lines
    }

    void connectionIndicator_showsRetryOnlyOnError()
    {
        MainWindow window;
        ConnectionIndicator *indicator = window.connectionIndicator();
        QCOMPARE(indicator->state(), ConnectionIndicator::State::NoClusters);
        indicator->setState(ConnectionIndicator::State::Error, QStringLiteral("Connection refused"),
                            QStringLiteral("dial tcp 127.0.0.1:6443: connection refused"));
        auto *retry = indicator->findChild<QAbstractButton *>();
        QVERIFY(retry && !retry->isHidden());
        QSignalSpy spy(indicator, &ConnectionIndicator::retryRequested);
        retry->click();
        QCOMPARE(spy.count(), 1);
        indicator->setState(ConnectionIndicator::State::Connected, QStringLiteral("v1.30.2"));
        QVERIFY(retry->isHidden());
    }
};

ORCHESTRA_TEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
