#pragma once

#include "resources/renderer.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>

namespace orchestra::resources {

/// A pod's READY / STATUS / RESTARTS the way kubectl get pods computes them (printPod in
/// kubernetes/pkg/printers/internalversion/printers.go).
struct PodStatus final
{
    int readyContainers = 0;
    int totalContainers = 0;
    QString reason; ///< STATUS: Running, Pending, Init:0/2, CrashLoopBackOff, Completed, Terminating, ...
    int restarts = 0;
    QDateTime lastRestart; ///< invalid when no container has terminated before
    State state = State::None;

    QString ready() const { return QStringLiteral("%1/%2").arg(readyContainers).arg(totalContainers); }
    /// "3" or "3 (5m ago)" like kubectl 1.22+.
    QString restartsText(const QDateTime &now = QDateTime::currentDateTimeUtc()) const;
};

/// Computes kubectl's pod status for a Pod object.
PodStatus podStatus(const QJsonObject &pod);

} // namespace orchestra::resources
