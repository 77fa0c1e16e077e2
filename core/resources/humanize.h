#pragma once

#include <QDateTime>
#include <QString>

namespace orchestra::resources {

/// A duration the way kubectl prints it (apimachinery duration.HumanDuration): "45s", "5m30s", "3h", "2d4h", "3y".
QString humanDuration(qint64 seconds);

/// kubectl's AGE column: the time since `timestamp` at `now`, "<unknown>" for an invalid timestamp.
QString age(const QDateTime &timestamp, const QDateTime &now = QDateTime::currentDateTimeUtc());

/// Parses an RFC 3339 timestamp as Kubernetes writes it ("2026-11-26T05:49:20Z"); invalid when empty or malformed.
QDateTime parseTimestamp(const QString &text);

} // namespace orchestra::resources
