#pragma once

#include "common/commandline.h"

#include <QString>

class QTextStream;

namespace orchestra::kubeconfig {
class Kubeconfig;
}

namespace orchestra::app {

/// `kubectl config get-contexts` as text: the same columns, order, current marker and tabwriter padding.
QString formatContextTable(const kubeconfig::Kubeconfig &config);

/// --list-contexts: prints the table; exit code 0, or 1 when the kubeconfig cannot be read.
int runListContexts(const CommandLineOptions &options, QTextStream &out, QTextStream &err);

/// --check: connects to the chosen context (--context, else the app's choice, else current-context), prints the
/// server version and identity/permission summary (0) or the error with what to do (1). Needs a QCoreApplication.
int runCheck(const CommandLineOptions &options, QTextStream &out, QTextStream &err);

} // namespace orchestra::app
