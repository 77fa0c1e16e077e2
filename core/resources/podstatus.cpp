#include "resources/podstatus.h"

#include "resources/humanize.h"

#include <QJsonArray>

namespace orchestra::resources {

namespace {

bool hasPodReadyCondition(const QJsonArray &conditions)
{
    for (const QJsonValue &condition : conditions) {
        const QJsonObject c = condition.toObject();
        if (c.value(QLatin1String("type")).toString() == QLatin1String("Ready") &&
            c.value(QLatin1String("status")).toString() == QLatin1String("True"))
            return true;
    }
    return false;
}

void noteLastTermination(const QJsonObject &containerStatus, QDateTime &lastRestart)
{
    const QJsonObject terminated =
        containerStatus.value(QLatin1String("lastState")).toObject().value(QLatin1String("terminated")).toObject();
    if (terminated.isEmpty())
        return;
    const QDateTime finished = parseTimestamp(terminated.value(QLatin1String("finishedAt")).toString());
    if (finished.isValid() && (!lastRestart.isValid() || lastRestart < finished))
        lastRestart = finished;
}

State stateFor(const PodStatus &status, const QString &phase)
{
    const QString &r = status.reason;
    if (r == QLatin1String("Terminating"))
        return State::Terminating;
    if (r == QLatin1String("Completed") || (r == QLatin1String("Succeeded")))
        return State::Succeeded;
    if (r == QLatin1String("Running"))
        return status.readyContainers == status.totalContainers ? State::Healthy : State::Warning;
    if (r == QLatin1String("NotReady"))
        return State::Warning;
    if (r == QLatin1String("Unknown") || r == QLatin1String("NodeLost"))
        return State::Unknown;
    const bool initProgress = r.startsWith(QLatin1String("Init:")) && r.mid(5).contains(QLatin1Char('/'));
    if (r == QLatin1String("Pending") || r == QLatin1String("ContainerCreating") ||
        r == QLatin1String("PodInitializing") || initProgress)
        return State::Pending;
    if (phase == QLatin1String("Pending") && !r.contains(QLatin1String("BackOff")) &&
        !r.contains(QLatin1String("Err")) && !r.startsWith(QLatin1String("Init:")))
        return State::Pending;
    // Everything else is a container waiting or terminated for a reason kubectl prints: CrashLoopBackOff,
    // ImagePullBackOff, ErrImagePull, Error, OOMKilled, ExitCode:N, Init:Error, Evicted, ...
    return State::Failed;
}

} // namespace

QString PodStatus::restartsText(const QDateTime &now) const
{
    if (!lastRestart.isValid())
        return QString::number(restarts);
    return QStringLiteral("%1 (%2 ago)").arg(restarts).arg(age(lastRestart, now));
}

PodStatus podStatus(const QJsonObject &pod)
{
    // A line-by-line port of printPod (kubectl 1.2x) so that STATUS reads exactly as in `kubectl get pods`.
    PodStatus result;
    const QJsonObject spec = pod.value(QLatin1String("spec")).toObject();
    const QJsonObject status = pod.value(QLatin1String("status")).toObject();
    const QJsonObject metadata = pod.value(QLatin1String("metadata")).toObject();
    const QJsonArray initContainers = spec.value(QLatin1String("initContainers")).toArray();
    result.totalContainers = int(spec.value(QLatin1String("containers")).toArray().size());

    const QString phase = status.value(QLatin1String("phase")).toString();
    const QString statusReason = status.value(QLatin1String("reason")).toString();
    QString reason = statusReason.isEmpty() ? phase : statusReason;

    bool initializing = false;
    const QJsonArray initStatuses = status.value(QLatin1String("initContainerStatuses")).toArray();
    for (qsizetype i = 0; i < initStatuses.size(); ++i) {
        const QJsonObject container = initStatuses.at(i).toObject();
        result.restarts += container.value(QLatin1String("restartCount")).toInt();
        noteLastTermination(container, result.lastRestart);
        const QJsonObject state = container.value(QLatin1String("state")).toObject();
        const QJsonObject terminated = state.value(QLatin1String("terminated")).toObject();
        const bool isTerminated = state.contains(QLatin1String("terminated"));
        const QJsonObject waiting = state.value(QLatin1String("waiting")).toObject();
        const QString waitingReason = waiting.value(QLatin1String("reason")).toString();
        if (isTerminated && terminated.value(QLatin1String("exitCode")).toInt() == 0)
            continue;
        if (isTerminated) {
            const QString terminatedReason = terminated.value(QLatin1String("reason")).toString();
            if (terminatedReason.isEmpty()) {
                const int signal = terminated.value(QLatin1String("signal")).toInt();
                reason =
                    signal != 0
                        ? QStringLiteral("Init:Signal:%1").arg(signal)
                        : QStringLiteral("Init:ExitCode:%1").arg(terminated.value(QLatin1String("exitCode")).toInt());
            } else {
                reason = QStringLiteral("Init:") + terminatedReason;
            }
        } else if (!waitingReason.isEmpty() && waitingReason != QLatin1String("PodInitializing")) {
            reason = QStringLiteral("Init:") + waitingReason;
        } else {
            reason = QStringLiteral("Init:%1/%2").arg(i).arg(initContainers.size());
        }
        initializing = true;
        break;
    }

    if (!initializing) {
        result.restarts = 0;
        bool hasRunning = false;
        const QJsonArray statuses = status.value(QLatin1String("containerStatuses")).toArray();
        for (qsizetype i = statuses.size() - 1; i >= 0; --i) {
            const QJsonObject container = statuses.at(i).toObject();
            result.restarts += container.value(QLatin1String("restartCount")).toInt();
            noteLastTermination(container, result.lastRestart);
            const QJsonObject state = container.value(QLatin1String("state")).toObject();
            const QString waitingReason =
                state.value(QLatin1String("waiting")).toObject().value(QLatin1String("reason")).toString();
            const bool isTerminated = state.contains(QLatin1String("terminated"));
            const QJsonObject terminated = state.value(QLatin1String("terminated")).toObject();
            const QString terminatedReason = terminated.value(QLatin1String("reason")).toString();
            if (!waitingReason.isEmpty()) {
                reason = waitingReason;
            } else if (isTerminated && !terminatedReason.isEmpty()) {
                reason = terminatedReason;
            } else if (isTerminated) {
                const int signal = terminated.value(QLatin1String("signal")).toInt();
                reason = signal != 0
                             ? QStringLiteral("Signal:%1").arg(signal)
                             : QStringLiteral("ExitCode:%1").arg(terminated.value(QLatin1String("exitCode")).toInt());
            } else if (container.value(QLatin1String("ready")).toBool() && state.contains(QLatin1String("running"))) {
                hasRunning = true;
                ++result.readyContainers;
            }
        }
        // A pod whose main container completed but a sidecar still runs is shown as Running / NotReady.
        if (reason == QLatin1String("Completed") && hasRunning)
            reason = hasPodReadyCondition(status.value(QLatin1String("conditions")).toArray())
                         ? QStringLiteral("Running")
                         : QStringLiteral("NotReady");
    }

    if (metadata.contains(QLatin1String("deletionTimestamp")) &&
        !metadata.value(QLatin1String("deletionTimestamp")).isNull()) {
        reason = statusReason == QLatin1String("NodeLost") ? QStringLiteral("Unknown") : QStringLiteral("Terminating");
    }
    result.reason = reason;
    result.state = stateFor(result, phase);
    return result;
}

} // namespace orchestra::resources
