#pragma once

#include <QProcess>
#include <QString>
#include <QTemporaryDir>
#include <QUrl>

#include <memory>

namespace orchestra::testing {

/// A real Prometheus on a loopback port, serving a TSDB backfilled from OpenMetrics text with promtool.
class PrometheusProcess final
{
public:
    PrometheusProcess();
    ~PrometheusProcess();

    /// Paths of the prometheus and promtool executables; empty when not installed.
    static QString prometheusExecutable();
    static QString promtoolExecutable();

    /// Backfills `openMetricsFile` into a fresh TSDB, starts Prometheus and waits until /-/ready (blocking, for
    /// test setup only). False with lastError() on failure.
    bool start(const QString &openMetricsFile, int readyTimeoutMs = 60000);
    void stop();

    [[nodiscard]] QUrl url() const { return m_url; }
    [[nodiscard]] QString lastError() const { return m_error; }
    [[nodiscard]] QString dataDirectory() const { return m_dir.path(); }

private:
    static int freePort();

    QTemporaryDir m_dir;
    std::unique_ptr<QProcess> m_process;
    QUrl m_url;
    QString m_error;
};

} // namespace orchestra::testing
