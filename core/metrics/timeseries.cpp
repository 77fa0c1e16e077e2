#include "metrics/timeseries.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>
#include <limits>

namespace orchestra::metrics {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

Error malformed(const QString &what)
{
    return Error{QStringLiteral("Prometheus returned an answer that is not a valid API response (%1).").arg(what),
                 QStringLiteral("Check that the address points at Prometheus' HTTP API, not another service."),
                 {},
                 0};
}

/// [ <unix seconds as number>, "<value>" ]
bool parsePair(const QJsonValue &value, Sample &sample)
{
    const QJsonArray pair = value.toArray();
    if (pair.size() != 2 || !pair.at(0).isDouble() || !pair.at(1).isString())
        return false;
    sample.timestampMs = qRound64(pair.at(0).toDouble() * 1000.0);
    sample.value = parseSampleValue(pair.at(1).toString());
    return true;
}

Labels parseLabels(const QJsonObject &object)
{
    Labels labels;
    for (auto it = object.begin(); it != object.end(); ++it)
        labels.insert(it.key(), it.value().toString());
    return labels;
}

Result<QJsonObject> successData(const QByteArray &body)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return malformed(QStringLiteral("not JSON: %1").arg(parseError.errorString()));
    if (auto error = prometheusError(body, 0))
        return *error;
    const QJsonObject root = document.object();
    if (root.value(QStringLiteral("status")).toString() != QLatin1String("success"))
        return malformed(QStringLiteral("no \"status\": \"success\""));
    return root;
}

QStringList warningsOf(const QJsonObject &root)
{
    QStringList warnings;
    for (const QJsonValue &warning : root.value(QStringLiteral("warnings")).toArray())
        warnings.append(warning.toString());
    return warnings;
}

} // namespace

double TimeSeries::lastValue() const
{
    return samples.isEmpty() ? nan : samples.last().value;
}

TimeRange TimeRange::lastSeconds(qint64 durationSecs, const QDateTime &end)
{
    TimeRange range;
    range.end = end;
    range.durationSecs = durationSecs;
    range.stepSecs = std::max<qint64>(15, durationSecs / 120);
    return range;
}

double parseSampleValue(const QString &text)
{
    if (text == QLatin1String("+Inf") || text == QLatin1String("Inf"))
        return std::numeric_limits<double>::infinity();
    if (text == QLatin1String("-Inf"))
        return -std::numeric_limits<double>::infinity();
    bool ok = false;
    const double value = text.toDouble(&ok);
    return ok ? value : nan;
}

std::optional<Error> prometheusError(const QByteArray &body, int httpStatus)
{
    const QJsonObject root = QJsonDocument::fromJson(body).object();
    if (root.value(QStringLiteral("status")).toString() != QLatin1String("error"))
        return std::nullopt;
    const QString type = root.value(QStringLiteral("errorType")).toString();
    const QString message = root.value(QStringLiteral("error")).toString();
    QString hint;
    if (type == QLatin1String("bad_data"))
        hint = QStringLiteral("The query or its parameters are invalid; this is a bug in Orchestra's query if you did "
                              "not type it yourself.");
    else if (type == QLatin1String("timeout") || type == QLatin1String("canceled"))
        hint = QStringLiteral("Choose a shorter time range, or give Prometheus more resources.");
    else if (type == QLatin1String("execution"))
        hint = QStringLiteral("Prometheus could not evaluate the query (too many samples or series?); choose a "
                              "shorter time range.");
    return Error{QStringLiteral("Prometheus rejected the query (%1): %2")
                     .arg(type.isEmpty() ? QStringLiteral("error") : type, message),
                 hint, QString(), httpStatus};
}

Result<QueryResult> parseQueryResponse(const QByteArray &body)
{
    Result<QJsonObject> root = successData(body);
    if (!root)
        return root.error();
    const QJsonObject data = root->value(QStringLiteral("data")).toObject();
    const QString type = data.value(QStringLiteral("resultType")).toString();
    const QJsonValue resultValue = data.value(QStringLiteral("result"));
    QueryResult result;
    result.warnings = warningsOf(*root);
    if (type == QLatin1String("scalar") || type == QLatin1String("string")) {
        result.type = type == QLatin1String("scalar") ? ResultType::Scalar : ResultType::String;
        Sample sample;
        if (!parsePair(resultValue, sample))
            return malformed(QStringLiteral("bad %1 result").arg(type));
        result.series.append(TimeSeries{{}, {sample}});
        return result;
    }
    if (type != QLatin1String("matrix") && type != QLatin1String("vector"))
        return malformed(QStringLiteral("unknown resultType \"%1\"").arg(type));
    result.type = type == QLatin1String("matrix") ? ResultType::Matrix : ResultType::Vector;
    for (const QJsonValue &entry : resultValue.toArray()) {
        const QJsonObject object = entry.toObject();
        TimeSeries series;
        series.labels = parseLabels(object.value(QStringLiteral("metric")).toObject());
        if (result.type == ResultType::Vector) {
            Sample sample;
            if (!parsePair(object.value(QStringLiteral("value")), sample))
                return malformed(QStringLiteral("bad vector sample"));
            series.samples.append(sample);
        } else {
            const QJsonArray values = object.value(QStringLiteral("values")).toArray();
            series.samples.reserve(values.size());
            for (const QJsonValue &value : values) {
                Sample sample;
                if (!parsePair(value, sample))
                    return malformed(QStringLiteral("bad matrix sample"));
                series.samples.append(sample);
            }
        }
        result.series.append(std::move(series));
    }
    return result;
}

Result<QStringList> parseLabelValuesResponse(const QByteArray &body)
{
    Result<QJsonObject> root = successData(body);
    if (!root)
        return root.error();
    QStringList values;
    for (const QJsonValue &value : root->value(QStringLiteral("data")).toArray())
        values.append(value.toString());
    return values;
}

Result<QList<Labels>> parseSeriesResponse(const QByteArray &body)
{
    Result<QJsonObject> root = successData(body);
    if (!root)
        return root.error();
    QList<Labels> series;
    for (const QJsonValue &value : root->value(QStringLiteral("data")).toArray())
        series.append(parseLabels(value.toObject()));
    return series;
}

QList<Sample> alignToGrid(const TimeSeries &series, const TimeRange &range)
{
    const qint64 stepMs = std::max<qint64>(1, range.stepSecs) * 1000;
    const qint64 startMs = range.start().toMSecsSinceEpoch();
    const qint64 endMs = range.end.toMSecsSinceEpoch();
    QList<Sample> grid;
    if (endMs < startMs)
        return grid;
    grid.reserve(int((endMs - startMs) / stepMs) + 1);
    auto it = series.samples.cbegin();
    for (qint64 t = startMs; t <= endMs; t += stepMs) {
        // Prometheus aligns to the requested start; tolerate rounding of fractional timestamps.
        while (it != series.samples.cend() && it->timestampMs < t - stepMs / 2)
            ++it;
        if (it != series.samples.cend() && std::llabs(it->timestampMs - t) <= stepMs / 2)
            grid.append({t, it->value});
        else
            grid.append({t, nan});
    }
    return grid;
}

} // namespace orchestra::metrics
