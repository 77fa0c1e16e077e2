#include "common/commandline.h"

#include "common/version.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>

namespace orchestra {

namespace {

CommandLineResult usageError(const QString &message)
{
    CommandLineResult result;
    result.action = CommandLineResult::Action::UsageError;
    result.output = QStringLiteral("orchestra: %1\nTry 'orchestra --help' for more information.").arg(message);
    result.exitCode = 2;
    return result;
}

} // namespace

CommandLineResult parseCommandLine(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Orchestra: learn and run Kubernetes -- lessons, a live cluster panel and a manifest editor."));
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    const QCommandLineOption helpOption({QStringLiteral("h"), QStringLiteral("help")},
                                        QStringLiteral("Show this help and exit."));
    const QCommandLineOption versionOption({QStringLiteral("v"), QStringLiteral("version")},
                                           QStringLiteral("Show the version and exit."));
    const QCommandLineOption kubeconfigOption(
        QStringLiteral("kubeconfig"),
        QStringLiteral("Use this kubeconfig file alone (instead of KUBECONFIG or ~/.kube/config)."),
        QStringLiteral("FILE"));
    const QCommandLineOption contextOption(QStringLiteral("context"), QStringLiteral("Use this kubeconfig context."),
                                           QStringLiteral("NAME"));
    const QCommandLineOption namespaceOption({QStringLiteral("n"), QStringLiteral("namespace")},
                                             QStringLiteral("Open the cluster panel on this namespace."),
                                             QStringLiteral("NS"));
    const QCommandLineOption lessonOption(QStringLiteral("lesson"),
                                          QStringLiteral("Open this lesson, e.g. kubernetes-basics/pods."),
                                          QStringLiteral("ID"));
    const QCommandLineOption langOption(QStringLiteral("lang"),
                                        QStringLiteral("Language of the lessons: ko or en (default: system locale)."),
                                        QStringLiteral("ko|en"));
    const QCommandLineOption listContextsOption(
        QStringLiteral("list-contexts"),
        QStringLiteral("Print the kubeconfig contexts like 'kubectl config get-contexts' and exit."));
    const QCommandLineOption checkOption(QStringLiteral("check"),
                                         QStringLiteral("Connect to the cluster, print the server version and what you "
                                                        "may do, and exit (0 on success, 1 on failure)."));
    parser.addOptions({helpOption, versionOption, kubeconfigOption, contextOption, namespaceOption, lessonOption,
                       langOption, listContextsOption, checkOption});
    parser.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Manifests to open in the editor."),
                                 QStringLiteral("[FILE...]"));

    if (!parser.parse(arguments))
        return usageError(parser.errorText());

    CommandLineResult result;
    if (parser.isSet(helpOption)) {
        result.action = CommandLineResult::Action::PrintHelp;
        result.output = parser.helpText();
        return result;
    }
    if (parser.isSet(versionOption)) {
        result.action = CommandLineResult::Action::PrintVersion;
        result.output = QStringLiteral("orchestra %1 (Qt %2)").arg(QLatin1String(kVersion), QLatin1String(qVersion()));
        return result;
    }

    CommandLineOptions &options = result.options;
    options.kubeconfig = parser.value(kubeconfigOption);
    options.context = parser.value(contextOption);
    options.nameSpace = parser.value(namespaceOption);
    options.lesson = parser.value(lessonOption);
    options.language = parser.value(langOption);
    options.listContexts = parser.isSet(listContextsOption);
    options.check = parser.isSet(checkOption);

    if (parser.isSet(langOption) && options.language != QLatin1String("ko") && options.language != QLatin1String("en"))
        return usageError(QStringLiteral("--lang must be 'ko' or 'en', not '%1'").arg(options.language));
    for (const QCommandLineOption &option : {kubeconfigOption, contextOption, namespaceOption, lessonOption}) {
        if (parser.isSet(option) && parser.value(option).isEmpty())
            return usageError(QStringLiteral("--%1 needs a non-empty value").arg(option.names().constLast()));
    }
    if (options.listContexts && options.check)
        return usageError(QStringLiteral("--list-contexts and --check cannot be used together"));
    if (!options.kubeconfig.isEmpty() && !QFileInfo(options.kubeconfig).isFile())
        return usageError(QStringLiteral("kubeconfig file not found: %1").arg(options.kubeconfig));
    if (!options.kubeconfig.isEmpty())
        options.kubeconfig = QFileInfo(options.kubeconfig).absoluteFilePath();

    for (const QString &file : parser.positionalArguments()) {
        const QFileInfo info(file);
        if (!info.exists())
            return usageError(QStringLiteral("no such file: %1").arg(file));
        if (!info.isFile())
            return usageError(QStringLiteral("not a file: %1").arg(file));
        options.files.append(info.absoluteFilePath());
    }
    return result;
}

} // namespace orchestra
