#include "clitool.h"

#include "kubeconfig/connectioncheck.h"
#include "kubeconfig/contextchoice.h"
#include "kubeconfig/kubeconfig.h"

#include <QDir>
#include <QEventLoop>
#include <QTextStream>

namespace orchestra::app {

namespace {

kubeconfig::LoadOptions loadOptions(const CommandLineOptions &options)
{
    kubeconfig::LoadOptions load;
    load.explicitFile = options.kubeconfig;
    return load;
}

/// Go's text/tabwriter as kubectl configures it (minwidth 6, padding 3): every cell but the last of a line is
/// padded to its column's width.
QString tabwrite(const QList<QStringList> &rows)
{
    constexpr int kMinWidth = 6;
    constexpr int kPadding = 3;
    QList<int> widths;
    for (const QStringList &row : rows) {
        for (qsizetype i = 0; i + 1 < row.size(); ++i) {
            if (widths.size() <= i)
                widths.append(kMinWidth);
            widths[i] = std::max(widths[i], int(row[i].size()) + kPadding);
        }
    }
    QString text;
    for (const QStringList &row : rows) {
        for (qsizetype i = 0; i < row.size(); ++i)
            text += i + 1 < row.size() ? row[i].leftJustified(widths[i], QLatin1Char(' ')) : row[i];
        text += QLatin1Char('\n');
    }
    return text;
}

void printError(QTextStream &err, const Error &error)
{
    err << "orchestra: " << error.toString() << Qt::endl;
}

} // namespace

QString formatContextTable(const kubeconfig::Kubeconfig &config)
{
    QList<QStringList> rows{{QStringLiteral("CURRENT"), QStringLiteral("NAME"), QStringLiteral("CLUSTER"),
                             QStringLiteral("AUTHINFO"), QStringLiteral("NAMESPACE")}};
    for (const kubeconfig::Context &context : config.contexts) // sorted by name, as kubectl prints them
        rows.append({context.name == config.currentContext ? QStringLiteral("*") : QString(), context.name,
                     context.cluster, context.user, context.nameSpace});
    return tabwrite(rows);
}

int runListContexts(const CommandLineOptions &options, QTextStream &out, QTextStream &err)
{
    const auto config = kubeconfig::Kubeconfig::load(loadOptions(options));
    if (!config) {
        printError(err, config.error());
        return 1;
    }
    out << formatContextTable(config.value());
    out.flush();
    return 0;
}

int runCheck(const CommandLineOptions &options, QTextStream &out, QTextStream &err)
{
    const kubeconfig::LoadOptions load = loadOptions(options);
    const auto config = kubeconfig::Kubeconfig::load(load);
    if (!config) {
        printError(err, config.error());
        return 1;
    }
    if (config->contexts.isEmpty()) {
        printError(err,
                   Error{QStringLiteral("No clusters yet: no kubeconfig context found (looked at %1).")
                             .arg(kubeconfig::Kubeconfig::candidateFiles(load).join(QStringLiteral(", "))),
                         QStringLiteral("Start a cluster (for example `minikube start`) or pass --kubeconfig FILE."),
                         {},
                         0});
        return 1;
    }
    const QString contextName =
        kubeconfig::ContextChoice::resolve(options.context, config->currentContext, config->contextNames());
    auto rest = kubeconfig::restConfig(config.value(), contextName);
    if (!rest) {
        printError(err, rest.error());
        return 1;
    }
    if (!options.nameSpace.isEmpty())
        rest.value().defaultNamespace = options.nameSpace;
    if (rest->insecureSkipTlsVerify)
        err << "orchestra: warning: TLS verification is off for cluster \"" << rest->clusterName
            << "\" (insecure-skip-tls-verify); anyone on the network path could impersonate it." << Qt::endl;

    kubeconfig::ConnectionCheck check(rest.value());
    kubeconfig::ConnectionCheckResult result;
    QEventLoop loop;
    QObject::connect(&check, &kubeconfig::ConnectionCheck::finished, &loop,
                     [&](const kubeconfig::ConnectionCheckResult &r) {
                         result = r;
                         loop.quit();
                     });
    check.start();
    loop.exec();

    out << "Context:  " << rest->contextName << " (cluster \"" << rest->clusterName << "\", user \"" << rest->userName
        << "\")\n";
    out << "Server:   " << rest->server.toDisplayString(QUrl::RemoveUserInfo) << "\n";
    if (!rest->proxyUrl.isEmpty())
        out << "Proxy:    " << rest->proxyName() << "\n"; // never its user info
    if (!result.ok()) {
        out.flush();
        printError(err, result.error);
        return 1;
    }
    out << "Version:  " << result.serverVersion;
    if (!result.platform.isEmpty())
        out << " (" << result.platform << ")";
    out << "\nIdentity: " << result.identity;
    if (!result.groups.isEmpty())
        out << " (groups: " << result.groups.join(QStringLiteral(", ")) << ")";
    out << "\nAccess:   " << result.permissionSummary << "\n";
    out.flush();
    return 0;
}

} // namespace orchestra::app
