#pragma once

#include "metrics/timeseries.h"

#include <QChartView>
#include <QColor>

class QLabel;
class QDateTimeAxis;
class QValueAxis;
class QLineSeries;

namespace orchestra::ui {

/// The unit a chart's values are in; decides axis labels and tooltips.
enum class ChartUnit { RequestsPerSecond, Percent, Milliseconds, BytesPerSecond };

/// "3.20 req/s", "12.5 %" (from a share 0..1), "250 ms", "1.5 KiB/s"; "no data" for NaN.
QString formatChartValue(double value, ChartUnit unit);
/// The axis title for a unit ("req/s", "%", "ms", "bytes/s").
QString chartUnitName(ChartUnit unit);

/// One line of a chart: a legend name and points (NaN = gap).
struct ChartLine final
{
    QString name;
    QList<metrics::Sample> points;
    Qt::PenStyle style = Qt::SolidLine;
    QColor color; ///< invalid = next colour of the palette
};

/// A time-series line chart: time axis, unit axis from 0, one legend entry per line, gaps for missing points,
/// hover tooltips with the exact value, and a message instead of an empty plot.
class TrafficChart final : public QChartView
{
    Q_OBJECT
public:
    TrafficChart(const QString &title, ChartUnit unit, QWidget *parent = nullptr);

    /// Replaces the lines; `range` fixes the time axis so an empty or partial chart still shows the window.
    void setLines(const QList<ChartLine> &lines, const metrics::TimeRange &range);
    /// Shows `message` over the plot (e.g. "No requests in this time range"); empty hides it.
    void setEmptyMessage(const QString &message);

    [[nodiscard]] ChartUnit unit() const { return m_unit; }
    /// Legend names of the lines shown (for tests and accessibility).
    [[nodiscard]] QStringList lineNames() const;
    /// The tooltip text for a point of line `name` at `timestampMs` (what hovering shows).
    [[nodiscard]] QString tooltipText(const QString &name, qint64 timestampMs, double value) const;
    [[nodiscard]] QString emptyMessage() const;
    [[nodiscard]] QDateTimeAxis *timeAxis() const { return m_timeAxis; }
    [[nodiscard]] QValueAxis *valueAxis() const { return m_valueAxis; }

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void showTooltip(QLineSeries *series, const QPointF &point, bool state);
    void placeEmptyLabel();

    ChartUnit m_unit;
    QDateTimeAxis *m_timeAxis;
    QValueAxis *m_valueAxis;
    QLabel *m_emptyLabel;
    QStringList m_names;
    qint64 m_rangeSecs = 3600;
};

} // namespace orchestra::ui
