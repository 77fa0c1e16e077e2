#include "charts/trafficchart.h"

#include <QChart>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QLabel>
#include <QLegendMarker>
#include <QLineSeries>
#include <QToolTip>
#include <QValueAxis>

#include <cmath>

namespace orchestra::ui {

namespace {

// Distinguishable on light and dark backgrounds, in the order series get them (Kiali-like).
const QList<QColor> &seriesColors()
{
    static const QList<QColor> colors{QColor(0x00, 0x66, 0xcc), QColor(0xec, 0x7a, 0x08), QColor(0x3e, 0x86, 0x35),
                                      QColor(0x88, 0x41, 0xa0), QColor(0x00, 0x95, 0x96), QColor(0xc9, 0x19, 0x0b),
                                      QColor(0x6a, 0x6e, 0x73), QColor(0xf4, 0xc1, 0x45)};
    return colors;
}

/// Upper axis bound: a round number above `max` so labels read 0, 0.5, 1.0 ... instead of 0, 0.43, 0.86.
double niceCeiling(double max)
{
    if (!(max > 0))
        return 1.0;
    const double magnitude = std::pow(10.0, std::floor(std::log10(max)));
    for (const double step : {1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0})
        if (max <= step * magnitude * 1.0001)
            return step * magnitude;
    return 10.0 * magnitude;
}

} // namespace

QString chartUnitName(ChartUnit unit)
{
    switch (unit) {
    case ChartUnit::RequestsPerSecond:
        return TrafficChart::tr("req/s");
    case ChartUnit::Percent:
        return TrafficChart::tr("%");
    case ChartUnit::Milliseconds:
        return TrafficChart::tr("ms");
    case ChartUnit::BytesPerSecond:
        return TrafficChart::tr("bytes/s");
    }
    return {};
}

QString formatChartValue(double value, ChartUnit unit)
{
    if (std::isnan(value))
        return TrafficChart::tr("no data");
    switch (unit) {
    case ChartUnit::RequestsPerSecond:
        return QStringLiteral("%1 req/s").arg(value, 0, 'f', value < 10 ? 2 : 1);
    case ChartUnit::Percent:
        return QStringLiteral("%1 %").arg(value * 100.0, 0, 'f', value * 100.0 < 10 ? 2 : 1);
    case ChartUnit::Milliseconds:
        if (std::isinf(value))
            return QStringLiteral("> max bucket");
        return value >= 1000 ? QStringLiteral("%1 s").arg(value / 1000.0, 0, 'f', 2)
                             : QStringLiteral("%1 ms").arg(value, 0, 'f', value < 10 ? 2 : 1);
    case ChartUnit::BytesPerSecond:
        if (value >= 1024 * 1024)
            return QStringLiteral("%1 MiB/s").arg(value / 1024.0 / 1024.0, 0, 'f', 2);
        if (value >= 1024)
            return QStringLiteral("%1 KiB/s").arg(value / 1024.0, 0, 'f', 2);
        return QStringLiteral("%1 B/s").arg(value, 0, 'f', 0);
    }
    return {};
}

TrafficChart::TrafficChart(const QString &title, ChartUnit unit, QWidget *parent)
    : QChartView(parent)
    , m_unit(unit)
    , m_timeAxis(new QDateTimeAxis)
    , m_valueAxis(new QValueAxis)
    , m_emptyLabel(new QLabel(this))
{
    auto *chart = new QChart;
    chart->setTitle(title);
    QFont titleFont = chart->titleFont();
    titleFont.setBold(true);
    chart->setTitleFont(titleFont);
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->legend()->setShowToolTips(true);
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->setBackgroundRoundness(0);
    chart->addAxis(m_timeAxis, Qt::AlignBottom);
    chart->addAxis(m_valueAxis, Qt::AlignLeft);
    // No setTickCount() here: Qt Charts 6.4 then never draws this axis' labels; setLines() sets it with the range.
    m_timeAxis->setFormat(QStringLiteral("HH:mm"));
    m_valueAxis->setTitleText(chartUnitName(unit));
    m_valueAxis->setMin(0);
    m_valueAxis->setTickCount(5);
    m_valueAxis->setLabelFormat(unit == ChartUnit::Percent ? QStringLiteral("%.3g") : QStringLiteral("%.4g"));
    setChart(chart);
    setRenderHint(QPainter::Antialiasing);
    setMinimumSize(320, 220);

    m_emptyLabel->setAlignment(Qt::AlignCenter);
    m_emptyLabel->setWordWrap(true);
    m_emptyLabel->setForegroundRole(QPalette::PlaceholderText);
    m_emptyLabel->setAttribute(Qt::WA_TransparentForMouseEvents);
    m_emptyLabel->hide();
}

QStringList TrafficChart::lineNames() const
{
    return m_names;
}

QString TrafficChart::emptyMessage() const
{
    return m_emptyLabel->isVisible() || !m_emptyLabel->isHidden() ? m_emptyLabel->text() : QString();
}

void TrafficChart::setEmptyMessage(const QString &message)
{
    m_emptyLabel->setText(message);
    m_emptyLabel->setVisible(!message.isEmpty());
    placeEmptyLabel();
}

void TrafficChart::resizeEvent(QResizeEvent *event)
{
    QChartView::resizeEvent(event);
    placeEmptyLabel();
}

void TrafficChart::placeEmptyLabel()
{
    const QRectF plot = chart()->plotArea();
    const QRect area = plot.isEmpty() ? rect() : plot.toRect();
    m_emptyLabel->setGeometry(area.adjusted(8, 8, -8, -8));
}

QString TrafficChart::tooltipText(const QString &name, qint64 timestampMs, double value) const
{
    const QDateTime time = QDateTime::fromMSecsSinceEpoch(timestampMs).toLocalTime();
    return QStringLiteral("<b>%1</b><br>%2<br>%3")
        .arg(name.toHtmlEscaped(), formatChartValue(m_unit == ChartUnit::Percent ? value / 100.0 : value, m_unit),
             time.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")));
}

void TrafficChart::showTooltip(QLineSeries *series, const QPointF &point, bool state)
{
    if (!state || series->count() == 0) {
        QToolTip::hideText();
        return;
    }
    // `point` is where the cursor touches the line; show the nearest sample, not an interpolated value.
    int nearest = 0;
    double best = std::abs(series->at(0).x() - point.x());
    for (int i = 1; i < series->count(); ++i) {
        const double distance = std::abs(series->at(i).x() - point.x());
        if (distance < best) {
            best = distance;
            nearest = i;
        }
    }
    const QPointF sample = series->at(nearest);
    QToolTip::showText(QCursor::pos(), tooltipText(series->name(), qint64(sample.x()), sample.y()), this);
}

void TrafficChart::setLines(const QList<ChartLine> &lines, const metrics::TimeRange &range)
{
    QChart *c = chart();
    c->removeAllSeries();
    m_names.clear();
    double maxValue = 0;
    int colorIndex = 0;
    for (const ChartLine &line : lines) {
        const QColor color =
            line.color.isValid() ? line.color : seriesColors().at(colorIndex++ % seriesColors().size());
        QPen pen(color);
        pen.setWidthF(2.0);
        pen.setStyle(line.style);
        // Round joins: antialiased miter joins between many short segments look like a dotted line.
        pen.setCapStyle(Qt::RoundCap);
        pen.setJoinStyle(Qt::RoundJoin);
        // QLineSeries cannot skip NaN: each run of finite points becomes its own series sharing name and colour,
        // and only the first keeps a legend entry.
        QList<QLineSeries *> parts;
        QLineSeries *current = nullptr;
        for (const metrics::Sample &sample : line.points) {
            const double value = m_unit == ChartUnit::Percent ? sample.value * 100.0 : sample.value;
            if (!std::isfinite(value)) {
                current = nullptr;
                continue;
            }
            if (!current) {
                current = new QLineSeries;
                current->setName(line.name);
                current->setPen(pen);
                parts.append(current);
            }
            current->append(double(sample.timestampMs), value);
            maxValue = std::max(maxValue, value);
        }
        if (parts.isEmpty()) {
            // Keep the legend honest: the series exists but has no finite point in the window.
            auto *placeholder = new QLineSeries;
            placeholder->setName(line.name + tr(" (no data)"));
            placeholder->setPen(pen);
            parts.append(placeholder);
        }
        m_names.append(line.name);
        for (QLineSeries *part : parts) {
            c->addSeries(part);
            part->attachAxis(m_timeAxis);
            part->attachAxis(m_valueAxis);
            // A single isolated point would be invisible as a line; show point markers for short runs.
            part->setPointsVisible(part->count() <= 2);
            connect(part, &QLineSeries::hovered, this,
                    [this, part](const QPointF &point, bool state) { showTooltip(part, point, state); });
        }
        for (int i = 1; i < parts.size(); ++i)
            for (QLegendMarker *marker : c->legend()->markers(parts.at(i)))
                marker->setVisible(false);
    }
    m_rangeSecs = range.durationSecs;
    m_timeAxis->setFormat(range.durationSecs > 12 * 3600 ? QStringLiteral("MMM d HH:mm")
                          : range.durationSecs <= 300    ? QStringLiteral("HH:mm:ss")
                                                         : QStringLiteral("HH:mm"));
    m_timeAxis->setTickCount(range.durationSecs > 12 * 3600 ? 5 : 7);
    m_timeAxis->setRange(range.start().toLocalTime(), range.end.toLocalTime());
    m_valueAxis->setRange(0, m_unit == ChartUnit::Percent && maxValue <= 0 ? 1.0 : niceCeiling(maxValue * 1.05));
    // Round tick steps (0, 5, 10, ...) instead of quarters of the maximum (0, 6.25, 12.5, ...).
    m_valueAxis->applyNiceNumbers();
    c->legend()->setVisible(!lines.isEmpty());
    placeEmptyLabel();
}

} // namespace orchestra::ui
