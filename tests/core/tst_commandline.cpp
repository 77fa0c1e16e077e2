#include "common/commandline.h"

#include "testmain.h"

#include <QTemporaryDir>

using orchestra::CommandLineResult;
using orchestra::parseCommandLine;

class TestCommandLine : public QObject
{
    Q_OBJECT

private:
    static CommandLineResult parse(QStringList args)
    {
        args.prepend(QStringLiteral("orchestra"));
        return parseCommandLine(args);
    }

private slots:
    void noArguments_runsWithDefaults()
    {
        const CommandLineResult result = parse({});
        QCOMPARE(result.action, CommandLineResult::Action::Run);
        QVERIFY(result.options.files.isEmpty());
        QVERIFY(result.options.language.isEmpty());
        QCOMPARE(result.exitCode, 0);
    }

    void version_printsVersion()
    {
        const CommandLineResult result = parse({QStringLiteral("--version")});
        QCOMPARE(result.action, CommandLineResult::Action::PrintVersion);
        QVERIFY(result.output.startsWith(QStringLiteral("orchestra 0.")));
        QCOMPARE(result.exitCode, 0);
    }

    void help_listsEveryOption()
    {
        const CommandLineResult result = parse({QStringLiteral("--help")});
        QCOMPARE(result.action, CommandLineResult::Action::PrintHelp);
        for (const char *option : {"--kubeconfig", "--context", "--namespace", "--lesson", "--lang", "--list-contexts",
                                   "--check", "--version", "[FILE...]"})
            QVERIFY2(result.output.contains(QLatin1String(option)), option);
    }

    void unknownOption_isUsageErrorWithExitCode2()
    {
        const CommandLineResult result = parse({QStringLiteral("--bogus")});
        QCOMPARE(result.action, CommandLineResult::Action::UsageError);
        QCOMPARE(result.exitCode, 2);
        QVERIFY(result.output.contains(QStringLiteral("bogus")));
    }

    void missingFile_isUsageErrorNamingIt()
    {
        const CommandLineResult result = parse({QStringLiteral("/nonexistent/deploy.yaml")});
        QCOMPARE(result.exitCode, 2);
        QVERIFY(result.output.contains(QStringLiteral("/nonexistent/deploy.yaml")));
    }

    void directoryAsFile_isUsageError()
    {
        QTemporaryDir dir;
        QCOMPARE(parse({dir.path()}).exitCode, 2);
    }

    void files_areMadeAbsolute()
    {
        QTemporaryDir dir;
        QFile file(dir.filePath(QStringLiteral("pod.yaml")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.close();
        QDir::setCurrent(dir.path());
        const CommandLineResult result = parse({QStringLiteral("pod.yaml")});
        QCOMPARE(result.action, CommandLineResult::Action::Run);
        QCOMPARE(result.options.files, QStringList{file.fileName()});
    }

    void allOptions_areParsed()
    {
        QTemporaryDir dir;
        const QString config = dir.filePath(QStringLiteral("config"));
        QFile file(config);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.close();
        const CommandLineResult result =
            parse({QStringLiteral("--kubeconfig"), config, QStringLiteral("--context"), QStringLiteral("minikube"),
                   QStringLiteral("-n"), QStringLiteral("kube-system"), QStringLiteral("--lesson"),
                   QStringLiteral("kubernetes-basics/pods"), QStringLiteral("--lang"), QStringLiteral("ko")});
        QCOMPARE(result.action, CommandLineResult::Action::Run);
        QCOMPARE(result.options.kubeconfig, config);
        QCOMPARE(result.options.context, QStringLiteral("minikube"));
        QCOMPARE(result.options.nameSpace, QStringLiteral("kube-system"));
        QCOMPARE(result.options.lesson, QStringLiteral("kubernetes-basics/pods"));
        QCOMPARE(result.options.language, QStringLiteral("ko"));
    }

    void badLanguage_isUsageError()
    {
        const CommandLineResult result = parse({QStringLiteral("--lang"), QStringLiteral("fr")});
        QCOMPARE(result.exitCode, 2);
        QVERIFY(result.output.contains(QStringLiteral("'fr'")));
    }

    void missingKubeconfig_isUsageError()
    {
        const CommandLineResult result = parse({QStringLiteral("--kubeconfig"), QStringLiteral("/nope/config")});
        QCOMPARE(result.exitCode, 2);
        QVERIFY(result.output.contains(QStringLiteral("/nope/config")));
    }

    void optionWithoutValue_isUsageError() { QCOMPARE(parse({QStringLiteral("--context")}).exitCode, 2); }

    void listContextsAndCheck_areFlags()
    {
        QVERIFY(parse({QStringLiteral("--list-contexts")}).options.listContexts);
        QVERIFY(parse({QStringLiteral("--check")}).options.check);
        QCOMPARE(parse({QStringLiteral("--check"), QStringLiteral("--list-contexts")}).exitCode, 2);
    }
};

ORCHESTRA_TEST_MAIN(TestCommandLine)
#include "tst_commandline.moc"
