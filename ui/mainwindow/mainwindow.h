#pragma once

#include <QMainWindow>

#include <array>

class QActionGroup;
class QButtonGroup;
class QLabel;
class QMenu;
class QStackedWidget;

namespace orchestra::ui {

class ConnectionIndicator;

/// The three top-level areas of the window, in mode-bar order.
enum class Area { Learn = 0, Cluster = 1, Editor = 2 };

/// Orchestra's main window: a mode bar (Learn / Cluster / Editor, Ctrl+1/2/3),
/// the standard menus, and a status bar with the context and connection state.
/// Areas start as honest empty states; app/ installs the real widgets.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    /// Replaces the widget shown for `area` (the window takes ownership).
    void setAreaWidget(Area area, QWidget *widget);
    QWidget *areaWidget(Area area) const;

    Area currentArea() const;
    void setCurrentArea(Area area);

    QMenu *fileMenu() const { return m_fileMenu; }
    QMenu *editMenu() const { return m_editMenu; }
    QMenu *viewMenu() const { return m_viewMenu; }
    QMenu *helpMenu() const { return m_helpMenu; }

    /// Shows the kubeconfig context (and namespace) in the status bar; empty hides it.
    void setContextText(const QString &text);
    ConnectionIndicator *connectionIndicator() const { return m_connection; }

    /// Restores geometry, window state and the last area from QSettings.
    void restoreSettings();
    /// Saves what restoreSettings() reads; also called on close.
    void saveSettings() const;

    /// The text shown by Help > About (version, Qt, highlighting engine).
    static QString aboutText();

signals:
    void currentAreaChanged(orchestra::ui::Area area);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createMenus();
    void showKeyboardShortcuts();
    void showAbout();

    QStackedWidget *m_stack;
    QButtonGroup *m_modeButtons;
    QActionGroup *m_areaActions;
    std::array<QAction *, 3> m_areaActionList{};
    QMenu *m_fileMenu = nullptr;
    QMenu *m_editMenu = nullptr;
    QMenu *m_viewMenu = nullptr;
    QMenu *m_helpMenu = nullptr;
    QLabel *m_contextLabel;
    ConnectionIndicator *m_connection;
};

} // namespace orchestra::ui
