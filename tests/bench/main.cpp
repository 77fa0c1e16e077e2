// orchestra-bench: performance figures of the cluster core, one "name value unit" line each.
//
//   orchestra-bench list-pods   [--pods N] [--kubeconfig F [--context C]]
//   orchestra-bench watch-churn [--pods N] [--rate EVENTS_PER_S] [--seconds S]
//
// list-pods serves N pods from orchestra-test-apiserver in a separate process (or uses any cluster with
// --kubeconfig), then times list -> store -> model complete with the real informer and table model, reports this
// process's peak RSS, and times `kubectl get pods -A -o json` against the same server for comparison.
// watch-churn serves N pods and a watch stream of MODIFIED events at the given rate from a minimal HTTP server in
// another thread (the test API server cannot modify 1,000 pods a second: each change copies its store), attaches
// the informer and the model, and measures with a 5 ms QTimer on the main (GUI) thread how late it fires: the p99
// of that lateness is the GUI-thread stall.

#include "apiserver.h"
#include "kube/apiclient.h"
#include "kube/resourceregistry.h"
#include "kubeconfig/kubeconfig.h"
#include "models/resourcetablemodel.h"
#include "watch/informer.h"

#include "benchoutput.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QProcess>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTextStream>
#include <QThread>
#include <QTimer>

#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <memory>
#include <optional>

using namespace orchestra;
using orchestra::bench::figure;
using orchestra::bench::out;

namespace {

QTextStream &err()
{
    static QTextStream stream(stderr);
    return stream;
}

double peakRssMegabytes()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_maxrss) / 1024.0; // kilobytes on Linux
}

std::unique_ptr<kube::ApiClient> clientFor(const QString &kubeconfigPath, const QString &context)
{
    kubeconfig::LoadOptions options;
    options.explicitFile = kubeconfigPath;
    const Result<kubeconfig::Kubeconfig> config = kubeconfig::Kubeconfig::load(options);
    if (!config) {
        err() << "orchestra-bench: " << config.error().toString() << Qt::endl;
        return nullptr;
    }
    Result<kubeconfig::RestConfig> rest = kubeconfig::restConfig(config.value(), context);
    if (!rest) {
        err() << "orchestra-bench: " << rest.error().toString() << Qt::endl;
        return nullptr;
    }
    return std::make_unique<kube::ApiClient>(rest.value());
}

std::optional<kube::ResourceKind> discoverPods(kube::ApiClient *client)
{
    kube::ResourceRegistry registry(client);
    QEventLoop loop;
    QObject::connect(&registry, &kube::ResourceRegistry::refreshed, &loop, &QEventLoop::quit);
    QObject::connect(&registry, &kube::ResourceRegistry::failed, &loop, [&](const Error &error) {
        err() << "orchestra-bench: discovery failed: " << error.toString() << Qt::endl;
        loop.quit();
    });
    registry.refresh();
    loop.exec();
    return registry.find(QString(), QStringLiteral("Pod"));
}

// Lists every pod through the informer into a model; returns milliseconds until the model holds every row.
double timeModelComplete(kube::ApiClient *client, const kube::ResourceKind &pods, int *rows)
{
    QElapsedTimer clock;
    clock.start();
    watch::Informer informer(client, pods, QString(), watch::Informer::Format::Objects);
    models::ResourceTableModel model(informer.store(), resources::nativeRenderer(QString(), QStringLiteral("Pod")),
                                     true);
    QEventLoop loop;
    double elapsed = -1;
    QObject::connect(&informer, &watch::Informer::synced, &loop, [&] {
        model.flush();
        elapsed = double(clock.nsecsElapsed()) / 1e6;
        *rows = model.rowCount();
        loop.quit();
    });
    QObject::connect(&informer, &watch::Informer::errorOccurred, &loop,
                     [](const Error &error) { err() << "orchestra-bench: " << error.toString() << Qt::endl; });
    informer.start();
    loop.exec();
    return elapsed;
}

double timeKubectl(const QString &kubeconfigPath, const QString &context, const QString &home)
{
    const QString kubectl = QStandardPaths::findExecutable(QStringLiteral("kubectl"));
    if (kubectl.isEmpty())
        return -1;
    QStringList args{QStringLiteral("--kubeconfig"), kubeconfigPath};
    if (!context.isEmpty())
        args << QStringLiteral("--context") << context;
    args << QStringLiteral("get") << QStringLiteral("pods") << QStringLiteral("-A") << QStringLiteral("-o")
         << QStringLiteral("json");
    QProcess process;
    process.setStandardOutputFile(QProcess::nullDevice());
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("HOME"), home); // its discovery cache goes there, not into the real home
    process.setProcessEnvironment(env);
    QElapsedTimer clock;
    clock.start();
    process.start(kubectl, args);
    if (!process.waitForFinished(600000) || process.exitCode() != 0) {
        err() << "orchestra-bench: kubectl failed: " << process.readAllStandardError() << Qt::endl;
        return -1;
    }
    return double(clock.nsecsElapsed()) / 1e6;
}

int listPods(const QCommandLineParser &parser)
{
    QTemporaryDir dir;
    QString kubeconfigPath = parser.value(QStringLiteral("kubeconfig"));
    const QString context = parser.value(QStringLiteral("context"));
    QProcess server;
    if (kubeconfigPath.isEmpty()) {
        const int pods = parser.value(QStringLiteral("pods")).toInt();
        kubeconfigPath = dir.filePath(QStringLiteral("kubeconfig"));
        server.setProcessChannelMode(QProcess::MergedChannels);
        server.start(QStringLiteral(ORCHESTRA_TEST_APISERVER_EXE),
                     {QStringLiteral("--pods"), QString::number(pods), QStringLiteral("--tls-dir"),
                      dir.filePath(QStringLiteral("tls")), QStringLiteral("--kubeconfig-out"), kubeconfigPath});
        QByteArray output;
        while (!output.contains("serving") && server.waitForReadyRead(120000))
            output += server.readAll();
        if (!output.contains("serving")) {
            err() << "orchestra-bench: the test API server did not start: " << output << Qt::endl;
            return 1;
        }
        figure(QStringLiteral("list-pods.server_pods"), pods, QStringLiteral("pods"));
    }
    const std::unique_ptr<kube::ApiClient> client = clientFor(kubeconfigPath, context);
    if (!client)
        return 1;
    const std::optional<kube::ResourceKind> pods = discoverPods(client.get());
    if (!pods)
        return 1;
    int rows = 0;
    const double ours = timeModelComplete(client.get(), *pods, &rows);
    figure(QStringLiteral("list-pods.model_complete"), ours, QStringLiteral("ms"));
    figure(QStringLiteral("list-pods.rows"), rows, QStringLiteral("rows"));
    figure(QStringLiteral("list-pods.peak_rss"), peakRssMegabytes(), QStringLiteral("MB"));
    // kubectl twice: the first run fills its discovery cache, the second is its best case.
    double kubectl = timeKubectl(kubeconfigPath, context, dir.path());
    const double second = timeKubectl(kubeconfigPath, context, dir.path());
    if (second >= 0 && (kubectl < 0 || second < kubectl))
        kubectl = second;
    if (kubectl >= 0) {
        figure(QStringLiteral("list-pods.kubectl_wall"), kubectl, QStringLiteral("ms"));
        figure(QStringLiteral("list-pods.ratio_to_kubectl"), ours / kubectl, QStringLiteral("x"));
    } else {
        out() << "# kubectl not found or failed: no comparison" << Qt::endl;
    }
    if (server.state() != QProcess::NotRunning) {
        server.terminate();
        if (!server.waitForFinished(5000))
            server.kill();
    }
    return 0;
}

// A minimal plain-HTTP server for watch-churn: serves one unpaged pod list and watch streams that carry MODIFIED
// events at a fixed rate. It runs in its own thread so that the main thread does only what the app would do.
class ChurnServer final : public QObject
{
public:
    ChurnServer(int pods, int rate)
        : m_rate(rate)
    {
        for (int i = 0; i < pods; ++i)
            m_names.append(QStringLiteral("web-%1").arg(i, 6, 10, QLatin1Char('0')).toUtf8());
        QByteArray body =
            "{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"1\"},\"items\":[";
        for (int i = 0; i < pods; ++i) {
            if (i > 0)
                body += ',';
            body += pod(i, 1);
        }
        body += "]}";
        m_list = body;
    }

    void start()
    {
        m_server = new QTcpServer(this);
        m_server->listen(QHostAddress::LocalHost, 0);
        m_port = m_server->serverPort();
        connect(m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server->nextPendingConnection())
                connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onRead(socket); });
        });
        auto *tick = new QTimer(this);
        tick->setTimerType(Qt::PreciseTimer);
        connect(tick, &QTimer::timeout, this, [this] { emitEvents(); });
        tick->start(10);
        m_clock.start();
    }

    quint16 port() const { return m_port; }
    qint64 sent() const { return m_sent; }
    /// Events per second from now on (0 = quiet).
    void setRate(int rate)
    {
        m_rate = rate;
        m_base = m_sent;
        m_clock.restart();
    }

private:
    QByteArray pod(int i, qint64 rv) const
    {
        const QByteArray name = m_names.at(i);
        const QByteArray rvText = QByteArray::number(rv);
        return "{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"" + name +
               "\",\"namespace\":\"default\",\"uid\":\"uid-" + name + "\",\"resourceVersion\":\"" + rvText +
               "\",\"creationTimestamp\":\"2026-11-26T05:49:20Z\",\"labels\":{\"app\":\"web\",\"rv\":\"" + rvText +
               "\"}},\"spec\":{\"nodeName\":\"node-1\",\"containers\":[{\"name\":\"nginx\",\"image\":\"nginx:1.25\"}]},"
               "\"status\":{\"phase\":\"Running\",\"podIP\":\"10.244.0.7\",\"conditions\":[{\"type\":\"Ready\","
               "\"status\":\"True\"}],\"containerStatuses\":[{\"name\":\"nginx\",\"ready\":true,\"restartCount\":" +
               QByteArray::number(rv % 3) + ",\"state\":{\"running\":{\"startedAt\":\"2026-11-26T05:49:25Z\"}}}]}}";
    }

    void onRead(QTcpSocket *socket)
    {
        QByteArray &buffer = m_buffers[socket];
        buffer += socket->readAll();
        const qsizetype end = buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        const QByteArray requestLine = buffer.left(buffer.indexOf("\r\n"));
        buffer.clear();
        if (requestLine.contains("watch=1")) {
            socket->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
            m_watchers.append(socket);
            connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
                m_watchers.removeAll(socket);
                socket->deleteLater();
            });
            return;
        }
        socket->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
                      QByteArray::number(m_list.size()) + "\r\n\r\n");
        socket->write(m_list);
    }

    void emitEvents()
    {
        const qint64 due = m_base + m_clock.nsecsElapsed() * m_rate / 1000000000LL;
        QByteArray chunk;
        while (m_sent < due) {
            const int i = int(m_sent % m_names.size());
            ++m_sent;
            chunk += "{\"type\":\"MODIFIED\",\"object\":" + pod(i, m_sent + 1) + "}\n";
        }
        if (chunk.isEmpty())
            return;
        const QByteArray framed = QByteArray::number(chunk.size(), 16) + "\r\n" + chunk + "\r\n";
        for (QTcpSocket *socket : std::as_const(m_watchers))
            socket->write(framed);
    }

    int m_rate;
    QList<QByteArray> m_names;
    QByteArray m_list;
    QTcpServer *m_server = nullptr;
    quint16 m_port = 0;
    QHash<QTcpSocket *, QByteArray> m_buffers;
    QList<QTcpSocket *> m_watchers;
    QElapsedTimer m_clock;
    qint64 m_base = 0;
    std::atomic<qint64> m_sent{0};
};

int watchChurn(const QCommandLineParser &parser)
{
    const int podCount = std::max(1, parser.value(QStringLiteral("pods")).toInt());
    const int rate = std::max(1, parser.value(QStringLiteral("rate")).toInt());
    const int seconds = std::max(1, parser.value(QStringLiteral("seconds")).toInt());

    QThread serverThread;
    auto *server = new ChurnServer(podCount, 0);
    server->moveToThread(&serverThread);
    serverThread.start();
    QMetaObject::invokeMethod(
        server, [server] { server->start(); }, Qt::BlockingQueuedConnection);

    kubeconfig::RestConfig config;
    config.server = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(server->port()));
    kube::ApiClient client(config);
    kube::ResourceKind pods;
    pods.version = QStringLiteral("v1");
    pods.kind = QStringLiteral("Pod");
    pods.plural = QStringLiteral("pods");
    pods.namespaced = true;
    pods.verbs = {QStringLiteral("list"), QStringLiteral("watch")};

    watch::Informer informer(&client, pods, QString(), watch::Informer::Format::Objects);
    models::ResourceTableModel model(informer.store(), resources::nativeRenderer(QString(), QStringLiteral("Pod")),
                                     true);
    {
        QEventLoop loop;
        QObject::connect(&informer, &watch::Informer::phaseChanged, &loop, [&](watch::Informer::Phase phase) {
            if (phase == watch::Informer::Phase::Watching)
                loop.quit();
        });
        informer.start();
        loop.exec();
        model.flush();
    }

    qint64 applied = 0;
    QObject::connect(informer.store(), &watch::ObjectStore::changed,
                     [&](const watch::StoreDelta &delta) { applied += delta.updated.size() + delta.added.size(); });

    // The probe: a 5 ms timer on this (the GUI) thread; how late each tick fires is what a user would feel.
    constexpr int probeMs = 5;
    QList<double> lateness;
    QElapsedTimer probeClock;
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    probe.setInterval(probeMs);
    QObject::connect(&probe, &QTimer::timeout, [&] {
        const double elapsed = double(probeClock.nsecsElapsed()) / 1e6;
        probeClock.restart();
        lateness.append(std::max(0.0, elapsed - probeMs));
    });

    const int batchesBefore = model.batchCount();
    QElapsedTimer run;
    run.start();
    probeClock.start();
    probe.start();
    const qint64 sentBefore = server->sent();
    QMetaObject::invokeMethod(
        server, [server, rate] { server->setRate(rate); }, Qt::BlockingQueuedConnection);
    QEventLoop loop;
    QTimer::singleShot(seconds * 1000, &loop, &QEventLoop::quit);
    loop.exec();
    probe.stop();
    const double elapsedSeconds = double(run.nsecsElapsed()) / 1e9;
    const qint64 sent = server->sent() - sentBefore;
    QMetaObject::invokeMethod(
        server, [server] { server->setRate(0); }, Qt::BlockingQueuedConnection);

    std::sort(lateness.begin(), lateness.end());
    const auto percentile = [&](double p) {
        return lateness.isEmpty() ? 0.0
                                  : lateness.at(std::min(qsizetype(p * double(lateness.size())), lateness.size() - 1));
    };
    figure(QStringLiteral("watch-churn.pods"), model.rowCount(), QStringLiteral("rows"));
    figure(QStringLiteral("watch-churn.events_sent_per_second"), double(sent) / elapsedSeconds,
           QStringLiteral("events/s"));
    figure(QStringLiteral("watch-churn.events_applied_per_second"), double(applied) / elapsedSeconds,
           QStringLiteral("events/s"));
    figure(QStringLiteral("watch-churn.model_batches_per_second"),
           double(model.batchCount() - batchesBefore) / elapsedSeconds, QStringLiteral("batches/s"));
    figure(QStringLiteral("watch-churn.gui_stall_p50"), percentile(0.50), QStringLiteral("ms"));
    figure(QStringLiteral("watch-churn.gui_stall_p99"), percentile(0.99), QStringLiteral("ms"));
    figure(QStringLiteral("watch-churn.gui_stall_max"), lateness.isEmpty() ? 0.0 : lateness.last(),
           QStringLiteral("ms"));
    figure(QStringLiteral("watch-churn.peak_rss"), peakRssMegabytes(), QStringLiteral("MB"));

    informer.stop();
    QMetaObject::invokeMethod(
        server, [server] { delete server; }, Qt::BlockingQueuedConnection);
    serverThread.quit();
    serverThread.wait();
    return 0;
}

} // namespace

namespace orchestra::bench {
int lessonSearch(const QCommandLineParser &parser);
int coldStart(const QCommandLineParser &parser);
} // namespace orchestra::bench

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    app.setApplicationName(QStringLiteral("orchestra-bench"));
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Cluster core benchmarks; prints \"name value unit\" lines."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("scenario"),
                                 QStringLiteral("list-pods, watch-churn, lessons-search or cold-start "
                                                "(default: list-pods and watch-churn)"));
    parser.addOptions({
        {QStringLiteral("pods"), QStringLiteral("Pods on the test API server (default 10000)."), QStringLiteral("N"),
         QStringLiteral("10000")},
        {QStringLiteral("kubeconfig"), QStringLiteral("list-pods against this cluster instead of the test server."),
         QStringLiteral("FILE")},
        {QStringLiteral("context"), QStringLiteral("Context of --kubeconfig."), QStringLiteral("NAME")},
        {QStringLiteral("rate"), QStringLiteral("watch-churn events per second (default 1000)."), QStringLiteral("N"),
         QStringLiteral("1000")},
        {QStringLiteral("seconds"), QStringLiteral("watch-churn duration (default 10)."), QStringLiteral("S"),
         QStringLiteral("10")},
    });
    parser.process(app);
    const QStringList scenarios = parser.positionalArguments().isEmpty()
                                      ? QStringList{QStringLiteral("list-pods"), QStringLiteral("watch-churn")}
                                      : parser.positionalArguments();
    for (const QString &scenario : scenarios) {
        int code = 2;
        if (scenario == QLatin1String("list-pods"))
            code = listPods(parser);
        else if (scenario == QLatin1String("watch-churn"))
            code = watchChurn(parser);
        else if (scenario == QLatin1String("lessons-search"))
            code = orchestra::bench::lessonSearch(parser);
        else if (scenario == QLatin1String("cold-start"))
            code = orchestra::bench::coldStart(parser);
        else
            err() << "orchestra-bench: unknown scenario " << scenario
                  << " (list-pods, watch-churn, lessons-search, cold-start)" << Qt::endl;
        if (code != 0)
            return code;
    }
    return 0;
}
