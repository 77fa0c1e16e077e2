#pragma once

#include "common/result.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

namespace orchestra::metrics {

/// A series' label set (sorted by name, as Prometheus prints it).
using Labels = QMap<QString, QString>;

/// One point: Unix time in milliseconds and a value (NaN and +/-Inf are kept as such).
struct Sample final
{
    qint64 timestampMs = 0;
    double value = 0;
};

/// One labelled series; a vector result has one sample per series, a matrix many.
struct TimeSeries final
{
    Labels labels;
    QList<Sample> samples;

    /// The value of label `name`, empty when absent.
    [[nodiscard]] QString label(const QString &name) const { return labels.value(name); }
    /// The last sample's value, NaN when the series has no samples.
    [[nodiscard]] double lastValue() const;
};

/// The kind of data a query returned (Prometheus' "resultType").
enum class ResultType { Matrix, Vector, Scalar, String };

/// A parsed /api/v1/query or /api/v1/query_range answer. A scalar becomes one series without labels.
struct QueryResult final
{
    ResultType type = ResultType::Vector;
    QList<TimeSeries> series;
    QStringList warnings; ///< Prometheus' "warnings", shown but not fatal
    [[nodiscard]] bool isEmpty() const { return series.isEmpty(); }
};

/// A time window for a range query: [end - duration, end] sampled every step.
struct TimeRange final
{
    QDateTime end;
    qint64 durationSecs = 3600;
    qint64 stepSecs = 30;

    [[nodiscard]] QDateTime start() const { return end.addSecs(-durationSecs); }
    /// The preset's step: about 120 points per chart, never below the 15 s scrape interval.
    static TimeRange lastSeconds(qint64 durationSecs, const QDateTime &end = QDateTime::currentDateTimeUtc());
};

/// Parses a sample value as Prometheus prints it ("1.5", "NaN", "+Inf", "-Inf"); NaN when unreadable.
double parseSampleValue(const QString &text);

/// Parses a query/query_range body; a "status":"error" body becomes an Error with Prometheus' errorType and error.
Result<QueryResult> parseQueryResponse(const QByteArray &body);
/// Parses /api/v1/label/<name>/values.
Result<QStringList> parseLabelValuesResponse(const QByteArray &body);
/// Parses /api/v1/series.
Result<QList<Labels>> parseSeriesResponse(const QByteArray &body);
/// The Error for a Prometheus error body ({"status":"error","errorType":..,"error":..}); nullopt when the body is not
/// one. `httpStatus` goes into Error::code.
std::optional<Error> prometheusError(const QByteArray &body, int httpStatus);

/// Places the samples of `series` on the grid start, start+step, ..., end; missing points become NaN so charts show
/// gaps instead of joining distant points.
QList<Sample> alignToGrid(const TimeSeries &series, const TimeRange &range);

} // namespace orchestra::metrics
