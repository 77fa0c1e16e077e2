#include "testmain.h"

#include <QProcess>

// Runs the real executable: exit codes and output are the contract scripts rely on.
class TestCli : public QObject
{
    Q_OBJECT

private:
    struct Run
    {
        int exitCode;
        QString out;
        QString err;
    };

    static Run run(const QStringList &arguments)
    {
        QProcess process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("DISPLAY")); // --version etc. must not need a display
        env.remove(QStringLiteral("WAYLAND_DISPLAY"));
        env.remove(QStringLiteral("QT_QPA_PLATFORM"));
        process.setProcessEnvironment(env);
        process.start(QStringLiteral(ORCHESTRA_BINARY), arguments);
        if (!process.waitForFinished(30000))
            qFatal("orchestra %s did not finish", qPrintable(arguments.join(QLatin1Char(' '))));
        return {process.exitCode(), QString::fromUtf8(process.readAllStandardOutput()),
                QString::fromUtf8(process.readAllStandardError())};
    }

private slots:
    void version_printsAndExits0()
    {
        const Run result = run({QStringLiteral("--version")});
        QCOMPARE(result.exitCode, 0);
        QVERIFY2(result.out.startsWith(QStringLiteral("orchestra 0.")), qPrintable(result.out));
    }

    void help_exits0()
    {
        const Run result = run({QStringLiteral("--help")});
        QCOMPARE(result.exitCode, 0);
        QVERIFY(result.out.contains(QStringLiteral("--kubeconfig")));
    }

    void bogusOption_exits2WithOneLineMessage()
    {
        const Run result = run({QStringLiteral("--bogus")});
        QCOMPARE(result.exitCode, 2);
        QVERIFY(result.out.isEmpty());
        QVERIFY2(result.err.startsWith(QStringLiteral("orchestra: Unknown option 'bogus'")), qPrintable(result.err));
    }

    void missingFile_exits2()
    {
        const Run result = run({QStringLiteral("/does/not/exist.yaml")});
        QCOMPARE(result.exitCode, 2);
        QVERIFY(result.err.contains(QStringLiteral("/does/not/exist.yaml")));
    }
};

ORCHESTRA_TEST_MAIN(TestCli)
#include "tst_cli.moc"
