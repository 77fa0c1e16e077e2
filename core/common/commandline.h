#pragma once

#include <QString>
#include <QStringList>

namespace orchestra {

/// What the user asked for on the command line.
struct CommandLineOptions final
{
    QStringList files;  ///< Manifests to open in the editor (absolute paths).
    QString kubeconfig; ///< --kubeconfig: load this file alone.
    QString context;    ///< --context
    QString nameSpace;  ///< --namespace
    QString lesson;     ///< --lesson ID
    QString language;   ///< --lang ko|en; empty means the system locale.
    bool listContexts = false;
    bool check = false;
};

/// The outcome of parsing: run the app, print something and exit, or fail.
struct CommandLineResult final
{
    enum class Action { Run, PrintVersion, PrintHelp, UsageError };
    Action action = Action::Run;
    CommandLineOptions options;
    QString output;   ///< Text for PrintVersion/PrintHelp (stdout) or UsageError (stderr).
    int exitCode = 0; ///< 0 for version/help, 2 for usage errors.
};

/// Parses `arguments` (argv including the program name). Never exits the process.
/// Unknown options, bad values and missing FILE arguments are usage errors (exit code 2).
CommandLineResult parseCommandLine(const QStringList &arguments);

} // namespace orchestra
