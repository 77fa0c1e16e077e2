// orchestra-test-apiserver: the test Kubernetes API server as a program, so a
// developer can point the app (or kubectl) at it and click around.

#include "apiserver.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QTextStream>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    app.setApplicationName(QStringLiteral("orchestra-test-apiserver"));
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("A test Kubernetes API server (HTTPS, in memory)."));
    parser.addHelpOption();
    const QCommandLineOption portOption(QStringLiteral("port"), QStringLiteral("Port on 127.0.0.1 (0 = any)."),
                                        QStringLiteral("N"), QStringLiteral("0"));
    const QCommandLineOption podsOption(QStringLiteral("pods"), QStringLiteral("Pods to create in namespace default."),
                                        QStringLiteral("N"), QStringLiteral("0"));
    const QCommandLineOption tlsOption(QStringLiteral("tls-dir"),
                                       QStringLiteral("Keep the CA and certificates here (generated when missing)."),
                                       QStringLiteral("DIR"));
    const QCommandLineOption kubeconfigOption(
        QStringLiteral("kubeconfig-out"), QStringLiteral("Write an admin kubeconfig to FILE."), QStringLiteral("FILE"));
    const QCommandLineOption manifestOption(QStringLiteral("load"),
                                            QStringLiteral("Create the objects of a YAML manifest (repeatable)."),
                                            QStringLiteral("FILE"));
    const QCommandLineOption verboseOption(QStringLiteral("verbose"), QStringLiteral("Print every request."));
    parser.addOptions({portOption, podsOption, tlsOption, kubeconfigOption, manifestOption, verboseOption});
    parser.process(app);

    QTextStream out(stdout);
    QTextStream err(stderr);
    orchestra::testing::ApiServer server;
    if (parser.isSet(tlsOption))
        server.setTlsDirectory(QDir(parser.value(tlsOption)).absolutePath());
    if (parser.isSet(verboseOption)) {
        QObject::connect(
            &server, &orchestra::testing::ApiServer::requestReceived, &app,
            [&out](const QString &method, const QString &path) { out << method << ' ' << path << Qt::endl; });
    }
    if (!server.start(quint16(parser.value(portOption).toUInt()))) {
        err << "orchestra-test-apiserver: " << server.lastError() << Qt::endl;
        return 1;
    }
    for (const QString &file : parser.values(manifestOption)) {
        QFile manifest(file);
        if (!manifest.open(QIODevice::ReadOnly)) {
            err << "orchestra-test-apiserver: cannot read " << file << Qt::endl;
            return 1;
        }
        out << "loaded " << server.createFromYaml(manifest.readAll()) << " objects from " << file << Qt::endl;
    }
    const int pods = parser.value(podsOption).toInt();
    if (pods > 0)
        server.addPods(pods);
    QString kubeconfig = parser.value(kubeconfigOption);
    if (kubeconfig.isEmpty())
        kubeconfig = server.tlsDirectory() + QStringLiteral("/kubeconfig");
    kubeconfig = QDir(kubeconfig).absolutePath();
    if (!server.writeKubeconfig(kubeconfig)) {
        err << "orchestra-test-apiserver: cannot write " << kubeconfig << Qt::endl;
        return 1;
    }
    const QString learner = kubeconfig + QStringLiteral(".learner");
    server.writeKubeconfig(learner, QStringLiteral("learner"));
    out << "serving " << server.url().toString() << Qt::endl;
    out << "kubeconfig (admin): " << kubeconfig << Qt::endl;
    out << "kubeconfig (learner, no permissions): " << learner << Qt::endl;
    out << "try: kubectl --kubeconfig " << kubeconfig << " get pods -A" << Qt::endl;
    return app.exec();
}
