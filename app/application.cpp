#include "application.h"

#include "clitool.h"
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
    QTextStream out(stdout);
    QTextStream err(stderr);
    return options.listContexts ? runListContexts(options, out, err) : runCheck(options, out, err);
}

} // namespace orchestra::app
