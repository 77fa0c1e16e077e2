#include "mainwindow/mainwindow.h"

#include "common/version.h"
#include "widgets/connectionindicator.h"
#include "widgets/emptystate.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QButtonGroup>
#include <QCloseEvent>
#include <QDialog>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>
#include <QToolButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace orchestra::ui {

namespace {

struct AreaInfo
{
    const char *name;
    const char *icon;
    QKeySequence shortcut;
};

const std::array<AreaInfo, 3> &areaInfos()
{
    static const std::array<AreaInfo, 3> infos{{
        {QT_TRANSLATE_NOOP("MainWindow", "Learn"), ":/icons/learn.svg", QKeySequence(Qt::CTRL | Qt::Key_1)},
        {QT_TRANSLATE_NOOP("MainWindow", "Cluster"), ":/icons/cluster.svg", QKeySequence(Qt::CTRL | Qt::Key_2)},
        {QT_TRANSLATE_NOOP("MainWindow", "Editor"), ":/icons/editor.svg", QKeySequence(Qt::CTRL | Qt::Key_3)},
    }};
    return infos;
}

// Forwards an Edit menu command to whichever widget has focus, if it has that slot.
void invokeOnFocusWidget(const char *slot)
{
    if (QWidget *widget = QApplication::focusWidget())
        QMetaObject::invokeMethod(widget, slot);
}

} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_stack(new QStackedWidget(this))
    , m_modeButtons(new QButtonGroup(this))
    , m_areaActions(new QActionGroup(this))
    , m_contextLabel(new QLabel(this))
    , m_connection(new ConnectionIndicator(this))
{
    setWindowTitle(QStringLiteral("Orchestra"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/orchestra.svg")));
    setObjectName(QStringLiteral("MainWindow"));

    // The mode bar: one large checkable button per area, as in IDEs.
    auto *modeBar = new QWidget(this);
    modeBar->setObjectName(QStringLiteral("modeBar"));
    modeBar->setAutoFillBackground(true);
    modeBar->setBackgroundRole(QPalette::AlternateBase);
    auto *modeLayout = new QVBoxLayout(modeBar);
    modeLayout->setContentsMargins(4, 8, 4, 8);
    modeLayout->setSpacing(4);
    m_modeButtons->setExclusive(true);

    const QStringList emptyTitles{tr("No lessons loaded"), tr("Not connected"), tr("No file open")};
    const QStringList emptyMessages{
        tr("The lesson browser is not available in this build."),
        tr("The cluster panel is not available in this build."),
        tr("The manifest editor is not available in this build."),
    };
    for (int i = 0; i < 3; ++i) {
        const AreaInfo &info = areaInfos()[static_cast<size_t>(i)];
        const QString name = tr(info.name);
        auto *button = new QToolButton(modeBar);
        button->setText(name);
        button->setIcon(QIcon(QLatin1String(info.icon)));
        button->setIconSize(QSize(28, 28));
        button->setToolButtonStyle(Qt::ToolButtonTextUnderIcon);
        button->setCheckable(true);
        button->setAutoRaise(true);
        button->setMinimumWidth(68);
        button->setToolTip(QStringLiteral("%1 (%2)").arg(name, info.shortcut.toString(QKeySequence::NativeText)));
        button->setObjectName(QStringLiteral("modeButton%1").arg(i));
        m_modeButtons->addButton(button, i);
        modeLayout->addWidget(button);

        auto *action = new QAction(name, this);
        action->setShortcut(info.shortcut);
        action->setCheckable(true);
        action->setObjectName(QStringLiteral("areaAction%1").arg(i));
        m_areaActions->addAction(action);
        m_areaActionList[static_cast<size_t>(i)] = action;
        connect(action, &QAction::triggered, this, [this, i] { setCurrentArea(static_cast<Area>(i)); });

        m_stack->addWidget(new EmptyState(QLatin1String(info.icon), emptyTitles[i], emptyMessages[i], m_stack));
    }
    modeLayout->addStretch();
    connect(m_modeButtons, &QButtonGroup::idClicked, this, [this](int id) { setCurrentArea(static_cast<Area>(id)); });

    auto *central = new QWidget(this);
    auto *centralLayout = new QHBoxLayout(central);
    centralLayout->setContentsMargins(0, 0, 0, 0);
    centralLayout->setSpacing(0);
    centralLayout->addWidget(modeBar);
    centralLayout->addWidget(m_stack, 1);
    setCentralWidget(central);

    createMenus();

    m_contextLabel->setObjectName(QStringLiteral("contextLabel"));
    m_contextLabel->setVisible(false);
    statusBar()->addPermanentWidget(m_contextLabel);
    statusBar()->addPermanentWidget(m_connection);

    resize(1280, 800);
    setCurrentArea(Area::Learn);
}

MainWindow::~MainWindow() = default;

void MainWindow::createMenus()
{
    m_fileMenu = menuBar()->addMenu(tr("&File"));
    m_fileMenu->setObjectName(QStringLiteral("fileMenu"));
    auto *quit = m_fileMenu->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    quit->setMenuRole(QAction::QuitRole);

    m_editMenu = menuBar()->addMenu(tr("&Edit"));
    m_editMenu->setObjectName(QStringLiteral("editMenu"));
    const struct
    {
        const char *text;
        QKeySequence::StandardKey key;
        const char *slot;
    } editActions[] = {
        {QT_TR_NOOP("&Undo"), QKeySequence::Undo, "undo"},
        {QT_TR_NOOP("&Redo"), QKeySequence::Redo, "redo"},
        {nullptr, QKeySequence::UnknownKey, nullptr},
        {QT_TR_NOOP("Cu&t"), QKeySequence::Cut, "cut"},
        {QT_TR_NOOP("&Copy"), QKeySequence::Copy, "copy"},
        {QT_TR_NOOP("&Paste"), QKeySequence::Paste, "paste"},
        {nullptr, QKeySequence::UnknownKey, nullptr},
        {QT_TR_NOOP("Select &All"), QKeySequence::SelectAll, "selectAll"},
    };
    for (const auto &entry : editActions) {
        if (!entry.text) {
            m_editMenu->addSeparator();
            continue;
        }
        auto *action = m_editMenu->addAction(tr(entry.text));
        // The shortcut is shown in the menu but left to the focused widget, which
        // handles it natively; a window-wide shortcut would steal it.
        action->setShortcut(entry.key);
        action->setShortcutContext(Qt::WidgetShortcut);
        const char *slot = entry.slot;
        connect(action, &QAction::triggered, this, [slot] { invokeOnFocusWidget(slot); });
    }

    m_viewMenu = menuBar()->addMenu(tr("&View"));
    m_viewMenu->setObjectName(QStringLiteral("viewMenu"));
    for (QAction *action : m_areaActionList)
        m_viewMenu->addAction(action);
    m_viewMenu->addSeparator();
    auto *fullScreen = m_viewMenu->addAction(tr("&Full Screen"));
    fullScreen->setShortcut(QKeySequence::FullScreen);
    fullScreen->setCheckable(true);
    connect(fullScreen, &QAction::toggled, this, [this](bool on) {
        setWindowState(on ? (windowState() | Qt::WindowFullScreen) : (windowState() & ~Qt::WindowFullScreen));
    });

    m_helpMenu = menuBar()->addMenu(tr("&Help"));
    m_helpMenu->setObjectName(QStringLiteral("helpMenu"));
    m_helpMenu->addAction(tr("&Keyboard Shortcuts"), this, &MainWindow::showKeyboardShortcuts);
    m_helpMenu->addSeparator();
    auto *about = m_helpMenu->addAction(tr("&About Orchestra"), this, &MainWindow::showAbout);
    about->setMenuRole(QAction::AboutRole);
    auto *aboutQt = m_helpMenu->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);
    aboutQt->setMenuRole(QAction::AboutQtRole);
}

void MainWindow::setAreaWidget(Area area, QWidget *widget)
{
    const int index = static_cast<int>(area);
    QWidget *old = m_stack->widget(index);
    const bool wasCurrent = m_stack->currentIndex() == index;
    m_stack->insertWidget(index, widget);
    m_stack->removeWidget(old);
    old->deleteLater();
    if (wasCurrent)
        m_stack->setCurrentIndex(index);
}

QWidget *MainWindow::areaWidget(Area area) const
{
    return m_stack->widget(static_cast<int>(area));
}

Area MainWindow::currentArea() const
{
    return static_cast<Area>(m_stack->currentIndex());
}

void MainWindow::setCurrentArea(Area area)
{
    const int index = static_cast<int>(area);
    if (index < 0 || index >= m_stack->count())
        return;
    const bool changed = m_stack->currentIndex() != index;
    m_stack->setCurrentIndex(index);
    m_modeButtons->button(index)->setChecked(true);
    m_areaActionList[static_cast<size_t>(index)]->setChecked(true);
    if (changed)
        emit currentAreaChanged(area);
}

void MainWindow::setContextText(const QString &text)
{
    m_contextLabel->setText(text);
    m_contextLabel->setVisible(!text.isEmpty());
}

void MainWindow::restoreSettings()
{
    QSettings settings;
    settings.beginGroup(QStringLiteral("mainwindow"));
    restoreGeometry(settings.value(QStringLiteral("geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("state")).toByteArray());
    const int area = settings.value(QStringLiteral("area"), 0).toInt();
    if (area >= 0 && area < m_stack->count())
        setCurrentArea(static_cast<Area>(area));
}

void MainWindow::saveSettings() const
{
    QSettings settings;
    settings.beginGroup(QStringLiteral("mainwindow"));
    settings.setValue(QStringLiteral("geometry"), saveGeometry());
    settings.setValue(QStringLiteral("state"), saveState());
    settings.setValue(QStringLiteral("area"), m_stack->currentIndex());
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveSettings();
    QMainWindow::closeEvent(event);
}

QString MainWindow::aboutText()
{
#ifdef ORCHESTRA_WITH_KSYNTAXHIGHLIGHTING
    const QString highlighting = tr("KSyntaxHighlighting (KDE Frameworks 6)");
#else
    const QString highlighting = tr("built-in highlighter (KSyntaxHighlighting not found at build time)");
#endif
    return tr("<h3>Orchestra %1</h3>"
              "<p>Learn and run Kubernetes: lessons, a live cluster panel and a manifest editor.</p>"
              "<p>Qt %2 (built with %3)<br>Syntax highlighting: %4</p>")
        .arg(QLatin1String(kVersion), QLatin1String(qVersion()), QLatin1String(kBuildQtVersion), highlighting);
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About Orchestra"), aboutText());
}

void MainWindow::showKeyboardShortcuts()
{
    // Built from the menus themselves, so the list can never go stale.
    QDialog dialog(this);
    dialog.setWindowTitle(tr("Keyboard Shortcuts"));
    auto *tree = new QTreeWidget(&dialog);
    tree->setHeaderLabels({tr("Action"), tr("Shortcut")});
    tree->setRootIsDecorated(false);
    const auto collect = [tree](const QString &group, const QList<QAction *> &actions) {
        for (const QAction *action : actions) {
            if (action->shortcut().isEmpty())
                continue;
            QString text = action->text();
            text.remove(QLatin1Char('&'));
            tree->addTopLevelItem(new QTreeWidgetItem(
                {group + QStringLiteral(" › ") + text, action->shortcut().toString(QKeySequence::NativeText)}));
        }
    };
    for (QAction *menuAction : menuBar()->actions()) {
        if (QMenu *menu = menuAction->menu()) {
            QString group = menu->title();
            group.remove(QLatin1Char('&'));
            collect(group, menu->actions());
        }
    }
    collect(tr("Window"), actions());
    tree->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, &dialog);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    auto *layout = new QVBoxLayout(&dialog);
    layout->addWidget(tree);
    layout->addWidget(buttons);
    dialog.resize(520, 440);
    dialog.exec();
}

} // namespace orchestra::ui
