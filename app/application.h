#pragma once

#include "common/commandline.h"

#include <QObject>

#include <memory>

namespace orchestra::ui {
class ClusterPanel;
class EditorArea;
class LessonBrowser;
class MainWindow;
} // namespace orchestra::ui

namespace orchestra::app {

/// Builds the core services and the window from the command line, and wires
/// them together. The only place that knows every concrete type.
class Application final : public QObject
{
    Q_OBJECT
public:
    explicit Application(CommandLineOptions options, QObject *parent = nullptr);
    ~Application() override;

    /// Creates and shows the main window.
    void start();

    ui::MainWindow *mainWindow() const { return m_window.get(); }
    ui::EditorArea *editor() const { return m_editor; }
    ui::ClusterPanel *clusterPanel() const { return m_cluster; }
    ui::LessonBrowser *lessonBrowser() const { return m_lessons; }

protected:
    /// Asks the editor about unsaved changes before the main window closes.
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void installLessons();
    void installCluster();
    void installEditor();

    CommandLineOptions m_options;
    ui::LessonBrowser *m_lessons = nullptr;
    ui::ClusterPanel *m_cluster = nullptr;
    ui::EditorArea *m_editor = nullptr;
    std::unique_ptr<ui::MainWindow> m_window;
};

/// The non-GUI modes (--list-contexts, --check): prints to stdout/stderr and
/// returns the process exit code.
int runCommandLineTool(const CommandLineOptions &options);

} // namespace orchestra::app
