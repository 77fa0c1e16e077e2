#include "application.h"

#include "mainwindow/mainwindow.h"

#include <QTextStream>

namespace orchestra::app {

Application::Application(CommandLineOptions options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
{}

Application::~Application() = default;

void Application::start()
{
    m_window = std::make_unique<ui::MainWindow>();
    m_window->restoreSettings();
    m_window->show();
}

int runCommandLineTool(const CommandLineOptions &options)
{
    QTextStream err(stderr);
    const char *what = options.listContexts ? "--list-contexts" : "--check";
    err << "orchestra: " << what << " is not available in this build yet\n";
    return 1;
}

} // namespace orchestra::app
