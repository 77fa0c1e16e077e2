#pragma once

#include "metrics/istiometrics.h"

#include <QPointer>
#include <QWidget>

class QComboBox;
class QLabel;
class QStackedWidget;
class QTimer;
class QToolButton;

namespace orchestra::ui {

class EmptyState;
class TrafficChart;

/// Istio traffic charts for one Service or Workload (the cluster panel's Traffic tab): request rate, error rate,
/// latency p50/p95/p99 and TCP bytes, inbound or outbound, over a preset time range with optional auto-refresh.
class TrafficView final : public QWidget
{
    Q_OBJECT
public:
    enum class Chart { RequestRate, ErrorRate, Latency, TcpBytes };

    explicit TrafficView(QWidget *parent = nullptr);

    /// The metrics source (not owned); null shows "no Prometheus" until set.
    void setMetrics(metrics::IstioMetrics *metrics);
    /// What to chart; loads immediately when a metrics source is set.
    void setTarget(metrics::TargetKind kind, const QString &nameSpace, const QString &name);
    [[nodiscard]] metrics::Target target() const { return m_target; }

    /// One of the presets 300, 900, 3600, 21600, 86400 seconds.
    void setTimeRangeSecs(qint64 seconds);
    /// 0 (off), 10, 30 or 60 seconds.
    void setAutoRefreshSecs(int seconds);
    void setDirection(metrics::Direction direction);
    void setGroupBy(metrics::GroupBy groupBy);

    /// Fetches again now (ends at the current time).
    void refresh();
    /// Use a fixed end time instead of "now" (screenshots, tests); invalid = now.
    void setEndTime(const QDateTime &end) { m_fixedEnd = end; }

    [[nodiscard]] TrafficChart *chart(Chart which) const;
    /// True while the "no traffic" / error / "choose a target" page is shown instead of the charts.
    [[nodiscard]] bool isShowingPlaceholder() const;
    [[nodiscard]] QString placeholderTitle() const;
    [[nodiscard]] QString statusText() const;

signals:
    /// A fetch finished and the charts show its data (or the empty state).
    void loaded();
    /// A fetch failed; the view shows the error.
    void failed(const orchestra::Error &error);

private:
    void showData(const metrics::TrafficData &data);
    void showPlaceholder(const QString &title, const QString &message);
    void updateAutoRefresh();

    QPointer<metrics::IstioMetrics> m_metrics;
    metrics::Target m_target;
    QDateTime m_fixedEnd;
    quint64 m_generation = 0;

    QLabel *m_title;
    QComboBox *m_direction;
    QComboBox *m_groupBy;
    QComboBox *m_range;
    QComboBox *m_autoRefresh;
    QToolButton *m_refreshButton;
    QLabel *m_status;
    QStackedWidget *m_stack;
    EmptyState *m_placeholder;
    TrafficChart *m_requestChart;
    TrafficChart *m_errorChart;
    TrafficChart *m_latencyChart;
    TrafficChart *m_tcpChart;
    QTimer *m_timer;
};

} // namespace orchestra::ui
