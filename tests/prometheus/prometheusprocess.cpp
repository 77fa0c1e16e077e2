#include "prometheusprocess.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QStandardPaths>
#include <QTcpServer>
#include <QThread>
#include <QTimer>

#ifdef Q_OS_LINUX
#include <csignal>
#include <sys/prctl.h>
#endif

namespace orchestra::testing {

PrometheusProcess::PrometheusProcess() = default;

PrometheusProcess::~PrometheusProcess()
{
    stop();
}

QString PrometheusProcess::prometheusExecutable()
{
    return QStandardPaths::findExecutable(QStringLiteral("prometheus"));
}

QString PrometheusProcess::promtoolExecutable()
{
    return QStandardPaths::findExecutable(QStringLiteral("promtool"));
}

int PrometheusProcess::freePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

bool PrometheusProcess::start(const QString &openMetricsFile, int readyTimeoutMs)
{
    if (!m_dir.isValid()) {
        m_error = QStringLiteral("cannot create a temporary directory");
        return false;
    }
    const QString tsdb = m_dir.filePath(QStringLiteral("tsdb"));
    QProcess promtool;
    promtool.setProcessChannelMode(QProcess::MergedChannels);
    promtool.start(promtoolExecutable(), {QStringLiteral("tsdb"), QStringLiteral("create-blocks-from"),
                                          QStringLiteral("openmetrics"), openMetricsFile, tsdb});
    if (!promtool.waitForFinished(300000) || promtool.exitStatus() != QProcess::NormalExit ||
        promtool.exitCode() != 0) {
        m_error = QStringLiteral("promtool failed: ") + QString::fromUtf8(promtool.readAll()).right(2000);
        return false;
    }

    const QString config = m_dir.filePath(QStringLiteral("prometheus.yml"));
    QFile configFile(config);
    if (!configFile.open(QIODevice::WriteOnly) ||
        configFile.write("global:\n  scrape_interval: 15s\nscrape_configs: []\n") < 0) {
        m_error = QStringLiteral("cannot write ") + config;
        return false;
    }
    configFile.close();

    // The port may be taken between probing and binding; retry a few times.
    for (int attempt = 0; attempt < 3; ++attempt) {
        const int port = freePort();
        m_url = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port));
        m_process = std::make_unique<QProcess>();
        // A log file, not a pipe: an unread pipe would stall Prometheus once it fills.
        const QString log = m_dir.filePath(QStringLiteral("prometheus-%1.log").arg(attempt));
        m_process->setProcessChannelMode(QProcess::MergedChannels);
        m_process->setStandardOutputFile(log);
#ifdef Q_OS_LINUX
        // If the test or demo dies (crash, ctest timeout), Prometheus must not outlive it on the port.
        m_process->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
#endif
        m_process->start(prometheusExecutable(),
                         {QStringLiteral("--config.file=") + config, QStringLiteral("--storage.tsdb.path=") + tsdb,
                          QStringLiteral("--web.listen-address=127.0.0.1:%1").arg(port),
                          QStringLiteral("--storage.tsdb.retention.time=30d"),
                          QStringLiteral("--query.lookback-delta=5m")});
        if (!m_process->waitForStarted(10000)) {
            m_error = QStringLiteral("prometheus did not start: ") + m_process->errorString();
            return false;
        }
        QNetworkAccessManager network;
        QElapsedTimer elapsed;
        elapsed.start();
        while (elapsed.elapsed() < readyTimeoutMs && m_process->state() == QProcess::Running) {
            QNetworkReply *reply = network.get(QNetworkRequest(m_url.resolved(QUrl(QStringLiteral("/-/ready")))));
            QEventLoop loop;
            QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
            QTimer::singleShot(2000, &loop, &QEventLoop::quit);
            loop.exec();
            const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            reply->abort();
            reply->deleteLater();
            if (status == 200)
                return true;
            QThread::msleep(100);
        }
        QFile logFile(log);
        const QString output = logFile.open(QIODevice::ReadOnly) ? QString::fromUtf8(logFile.readAll()) : QString();
        stop();
        m_error = QStringLiteral("prometheus was not ready: ") + output.right(3000);
        if (!output.contains(QLatin1String("address already in use")))
            return false;
    }
    return false;
}

void PrometheusProcess::stop()
{
    if (!m_process)
        return;
    if (m_process->state() != QProcess::NotRunning) {
        m_process->terminate();
        if (!m_process->waitForFinished(10000)) {
            m_process->kill();
            m_process->waitForFinished(5000);
        }
    }
    m_process.reset();
}

} // namespace orchestra::testing
