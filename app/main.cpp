#include "application.h"

#include "common/commandline.h"
#include "common/version.h"

#include <QApplication>
#include <QTextStream>

#include <cstdio>

int main(int argc, char *argv[])
{
    QStringList arguments;
    arguments.reserve(argc);
    for (int i = 0; i < argc; ++i)
        arguments.append(QString::fromLocal8Bit(argv[i]));

    // Parse before creating any application object: --version, --help and
    // usage errors must work without a display.
    const orchestra::CommandLineResult parsed = orchestra::parseCommandLine(arguments);
    switch (parsed.action) {
    case orchestra::CommandLineResult::Action::PrintVersion:
    case orchestra::CommandLineResult::Action::PrintHelp:
        QTextStream(stdout) << parsed.output << Qt::endl;
        return parsed.exitCode;
    case orchestra::CommandLineResult::Action::UsageError:
        QTextStream(stderr) << parsed.output << Qt::endl;
        return parsed.exitCode;
    case orchestra::CommandLineResult::Action::Run:
        break;
    }

    QCoreApplication::setOrganizationName(QStringLiteral("Orchestra"));
    QCoreApplication::setApplicationName(QStringLiteral("Orchestra"));
    QCoreApplication::setApplicationVersion(QLatin1String(orchestra::kVersion));

    if (parsed.options.listContexts || parsed.options.check) {
        QCoreApplication app(argc, argv);
        return orchestra::app::runCommandLineTool(parsed.options);
    }

    QApplication app(argc, argv);
    QApplication::setDesktopFileName(QStringLiteral("io.github.orchestra_k8s.Orchestra"));
    orchestra::app::Application orchestraApp(parsed.options);
    orchestraApp.start();
    return QApplication::exec();
}
