#include "charts/trafficview.h"

#include "charts/trafficchart.h"
#include "widgets/emptystate.h"

#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QStackedWidget>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace orchestra::ui {

using namespace orchestra::metrics;

namespace {

QList<ChartLine> linesOf(const QList<TimeSeries> &series, GroupBy groupBy, const TimeRange &range,
                         const QString &suffix = {}, Qt::PenStyle style = Qt::SolidLine)
{
    QList<ChartLine> lines;
    for (const TimeSeries &s : series) {
        ChartLine line;
        line.name = groupDisplayName(groupBy, s.label(groupLabel(groupBy))) + suffix;
        line.points = alignToGrid(s, range);
        line.style = style;
        lines.append(line);
    }
    std::sort(lines.begin(), lines.end(), [](const ChartLine &a, const ChartLine &b) { return a.name < b.name; });
    return lines;
}

QString targetText(const Target &target)
{
    return QStringLiteral("%1 %2/%3")
        .arg(target.kind == TargetKind::Service ? TrafficView::tr("Service") : TrafficView::tr("Workload"),
             target.nameSpace, target.name);
}

} // namespace

TrafficView::TrafficView(QWidget *parent)
    : QWidget(parent)
    , m_title(new QLabel(this))
    , m_direction(new QComboBox(this))
    , m_groupBy(new QComboBox(this))
    , m_range(new QComboBox(this))
    , m_autoRefresh(new QComboBox(this))
    , m_refreshButton(new QToolButton(this))
    , m_status(new QLabel(this))
    , m_stack(new QStackedWidget(this))
    , m_placeholder(new EmptyState(QStringLiteral(":/icons/cluster.svg"), tr("No target"),
                                   tr("Choose a Service or Workload in a meshed namespace to see its traffic."), this))
    , m_requestChart(new TrafficChart(tr("Request rate"), ChartUnit::RequestsPerSecond, this))
    , m_errorChart(
          new TrafficChart(tr("Error rate (5xx and failed connections; 4xx dashed)"), ChartUnit::Percent, this))
    , m_latencyChart(new TrafficChart(tr("Request duration"), ChartUnit::Milliseconds, this))
    , m_tcpChart(new TrafficChart(tr("TCP traffic"), ChartUnit::BytesPerSecond, this))
    , m_timer(new QTimer(this))
{
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_title->setObjectName(QStringLiteral("trafficTarget"));

    m_direction->addItem(tr("Inbound"), int(Direction::Inbound));
    m_direction->addItem(tr("Outbound"), int(Direction::Outbound));
    m_direction->setToolTip(tr("Inbound: requests this target received (reported by its proxy). Outbound: requests "
                               "it sent (reported by the caller's proxy)."));
    m_groupBy->addItem(tr("by version (workload)"), int(GroupBy::DestinationWorkload));
    m_groupBy->addItem(tr("by source workload"), int(GroupBy::SourceWorkload));
    m_groupBy->addItem(tr("by destination service"), int(GroupBy::DestinationService));
    m_groupBy->addItem(tr("by response code"), int(GroupBy::ResponseCode));
    m_groupBy->addItem(tr("total"), int(GroupBy::None));
    for (const auto &[label, seconds] :
         {std::pair{tr("Last 5 minutes"), 300}, std::pair{tr("Last 15 minutes"), 900}, std::pair{tr("Last hour"), 3600},
          std::pair{tr("Last 6 hours"), 21600}, std::pair{tr("Last 24 hours"), 86400}})
        m_range->addItem(label, seconds);
    m_range->setCurrentIndex(2);
    for (const auto &[label, seconds] : {std::pair{tr("Auto-refresh off"), 0}, std::pair{tr("Every 10 s"), 10},
                                         std::pair{tr("Every 30 s"), 30}, std::pair{tr("Every minute"), 60}})
        m_autoRefresh->addItem(label, seconds);
    m_refreshButton->setText(tr("Refresh"));
    m_refreshButton->setToolTip(tr("Fetch the charts again (F5)"));
    m_refreshButton->setShortcut(QKeySequence::Refresh);
    m_status->setForegroundRole(QPalette::PlaceholderText);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *controls = new QHBoxLayout;
    controls->addWidget(m_title);
    controls->addStretch(1);
    controls->addWidget(m_direction);
    controls->addWidget(m_groupBy);
    controls->addWidget(m_range);
    controls->addWidget(m_autoRefresh);
    controls->addWidget(m_refreshButton);

    auto *charts = new QWidget(this);
    auto *grid = new QGridLayout(charts);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->addWidget(m_requestChart, 0, 0);
    grid->addWidget(m_errorChart, 0, 1);
    grid->addWidget(m_latencyChart, 1, 0);
    grid->addWidget(m_tcpChart, 1, 1);
    m_stack->addWidget(charts);
    m_stack->addWidget(m_placeholder);
    m_stack->setCurrentWidget(m_placeholder);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addWidget(m_status);
    layout->addWidget(m_stack, 1);

    auto reload = [this] { refresh(); };
    connect(m_direction, &QComboBox::currentIndexChanged, this, [this, reload] {
        // Outbound traffic is naturally split by where it goes; inbound by which version served it.
        const GroupBy natural = m_direction->currentData().toInt() == int(Direction::Outbound)
                                    ? GroupBy::DestinationService
                                    : GroupBy::DestinationWorkload;
        const QSignalBlocker blocker(m_groupBy);
        m_groupBy->setCurrentIndex(m_groupBy->findData(int(natural)));
        reload();
    });
    connect(m_groupBy, &QComboBox::currentIndexChanged, this, reload);
    connect(m_range, &QComboBox::currentIndexChanged, this, reload);
    connect(m_autoRefresh, &QComboBox::currentIndexChanged, this, &TrafficView::updateAutoRefresh);
    connect(m_refreshButton, &QToolButton::clicked, this, reload);
    connect(m_timer, &QTimer::timeout, this, reload);
    m_tcpChart->hide();
}

void TrafficView::setMetrics(IstioMetrics *metrics)
{
    m_metrics = metrics;
    refresh();
}

void TrafficView::setTarget(TargetKind kind, const QString &nameSpace, const QString &name)
{
    m_target = Target{kind, nameSpace, name};
    m_title->setText(targetText(m_target));
    refresh();
}

void TrafficView::setTimeRangeSecs(qint64 seconds)
{
    const int index = m_range->findData(int(seconds));
    if (index >= 0)
        m_range->setCurrentIndex(index);
}

void TrafficView::setAutoRefreshSecs(int seconds)
{
    const int index = m_autoRefresh->findData(seconds);
    if (index >= 0)
        m_autoRefresh->setCurrentIndex(index);
}

void TrafficView::setDirection(Direction direction)
{
    m_direction->setCurrentIndex(m_direction->findData(int(direction)));
}

void TrafficView::setGroupBy(GroupBy groupBy)
{
    const int index = m_groupBy->findData(int(groupBy));
    if (index >= 0)
        m_groupBy->setCurrentIndex(index);
}

void TrafficView::updateAutoRefresh()
{
    const int seconds = m_autoRefresh->currentData().toInt();
    if (seconds > 0)
        m_timer->start(seconds * 1000);
    else
        m_timer->stop();
}

TrafficChart *TrafficView::chart(Chart which) const
{
    switch (which) {
    case Chart::RequestRate:
        return m_requestChart;
    case Chart::ErrorRate:
        return m_errorChart;
    case Chart::Latency:
        return m_latencyChart;
    case Chart::TcpBytes:
        return m_tcpChart;
    }
    return nullptr;
}

bool TrafficView::isShowingPlaceholder() const
{
    return m_stack->currentWidget() == m_placeholder;
}

QString TrafficView::placeholderTitle() const
{
    return m_placeholder->title();
}

QString TrafficView::statusText() const
{
    return m_status->text();
}

void TrafficView::showPlaceholder(const QString &title, const QString &message)
{
    m_placeholder->setTitle(title);
    m_placeholder->setMessage(message);
    m_stack->setCurrentWidget(m_placeholder);
}

void TrafficView::refresh()
{
    ++m_generation;
    if (!m_target.isValid()) {
        showPlaceholder(tr("No target"), tr("Choose a Service or Workload in a meshed namespace to see its traffic."));
        return;
    }
    if (!m_metrics) {
        showPlaceholder(tr("No Prometheus"),
                        tr("Traffic charts read Istio's metrics from Prometheus. Connect to a cluster with Istio's "
                           "Prometheus add-on, or enter a Prometheus URL."));
        return;
    }
    TrafficRequest request;
    request.target = m_target;
    request.direction = Direction(m_direction->currentData().toInt());
    request.groupBy = GroupBy(m_groupBy->currentData().toInt());
    const QDateTime end = m_fixedEnd.isValid() ? m_fixedEnd : QDateTime::currentDateTimeUtc();
    request.range = TimeRange::lastSeconds(m_range->currentData().toInt(), end);
    m_status->setText(
        tr("Loading from %1 …").arg(m_metrics->transport() ? m_metrics->transport()->describe() : QString()));
    const quint64 generation = m_generation;
    m_metrics->fetchTraffic(request, this, [this, generation](Result<TrafficData> result) {
        if (generation != m_generation)
            return; // a newer request (other target or range) superseded this one
        if (!result) {
            m_status->setText(QString());
            showPlaceholder(tr("Cannot load traffic"), result.error().toString());
            emit failed(result.error());
            return;
        }
        showData(*result);
        emit loaded();
    });
}

void TrafficView::showData(const TrafficData &data)
{
    const TimeRange &range = data.request.range;
    const GroupBy groupBy = data.request.groupBy;
    m_status->setText(tr("%1 · rate window %2 s · updated %3%4")
                          .arg(m_metrics && m_metrics->transport() ? m_metrics->transport()->describe() : QString())
                          .arg(data.rateWindowSecs)
                          .arg(QDateTime::currentDateTime().toString(QStringLiteral("HH:mm:ss")),
                               data.warnings.isEmpty()
                                   ? QString()
                                   : tr(" · Prometheus warns: %1").arg(data.warnings.join(QStringLiteral("; ")))));
    if (!data.hasTraffic()) {
        showPlaceholder(tr("No traffic"),
                        tr("Istio recorded no %1 requests for %2 in this time range. Send some traffic (for example "
                           "open the app or run a load generator), choose a longer range, or check that the "
                           "namespace has sidecar injection (istio-injection=enabled).")
                            .arg(data.request.direction == Direction::Inbound ? tr("inbound") : tr("outbound"),
                                 targetText(data.request.target)));
        return;
    }
    m_stack->setCurrentIndex(0);

    const bool http = !data.requestRate.isEmpty();
    m_requestChart->setLines(linesOf(data.requestRate, groupBy, range), range);
    m_requestChart->setEmptyMessage(http ? QString() : tr("No HTTP or gRPC requests (TCP only)"));

    QList<ChartLine> errorLines = linesOf(data.serverErrors, groupBy, range, tr(" 5xx"));
    errorLines += linesOf(data.clientErrors, groupBy, range, tr(" 4xx"), Qt::DashLine);
    // 4xx lines that stay at 0 add only legend noise; keep them when they have something to show.
    errorLines.erase(std::remove_if(errorLines.begin(), errorLines.end(),
                                    [](const ChartLine &line) {
                                        if (line.style != Qt::DashLine)
                                            return false;
                                        for (const Sample &s : line.points)
                                            if (std::isfinite(s.value) && s.value > 0)
                                                return false;
                                        return true;
                                    }),
                     errorLines.end());
    m_errorChart->setLines(errorLines, range);
    m_errorChart->setEmptyMessage(http ? QString() : tr("No HTTP or gRPC requests (TCP only)"));

    QList<ChartLine> latency;
    const GroupBy latencyGroup = data.request.latencyGroupBy;
    latency += linesOf(data.latencyP50, latencyGroup, range, QStringLiteral(" p50"));
    latency += linesOf(data.latencyP95, latencyGroup, range, QStringLiteral(" p95"));
    latency += linesOf(data.latencyP99, latencyGroup, range, QStringLiteral(" p99"));
    latency += linesOf(data.latencyAverage, latencyGroup, range, tr(" average"), Qt::DotLine);
    if (latencyGroup == GroupBy::None)
        for (ChartLine &line : latency)
            line.name = line.name.mid(QStringLiteral("total ").size());
    m_latencyChart->setLines(latency, range);
    m_latencyChart->setEmptyMessage(http ? QString() : tr("No HTTP or gRPC requests (TCP only)"));

    const bool tcp = !data.tcpSent.isEmpty() || !data.tcpReceived.isEmpty();
    m_tcpChart->setVisible(tcp);
    // Without TCP traffic the latency chart takes the whole row instead of leaving a hole.
    if (auto *grid = qobject_cast<QGridLayout *>(m_latencyChart->parentWidget()->layout())) {
        grid->removeWidget(m_latencyChart);
        grid->addWidget(m_latencyChart, 1, 0, 1, tcp ? 1 : 2);
    }
    if (tcp) {
        QList<ChartLine> bytes = linesOf(data.tcpSent, groupBy, range, tr(" sent"));
        bytes += linesOf(data.tcpReceived, groupBy, range, tr(" received"), Qt::DashLine);
        m_tcpChart->setLines(bytes, range);
    }
}

} // namespace orchestra::ui
