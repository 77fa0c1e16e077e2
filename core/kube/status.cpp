#include "kube/status.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace orchestra::kube {

std::optional<Status> Status::fromBody(const QByteArray &body)
{
    const QJsonDocument document = QJsonDocument::fromJson(body);
    const QJsonObject root = document.object();
    if (root.value(QLatin1String("kind")).toString() != QLatin1String("Status"))
        return std::nullopt;
    Status status;
    status.code = root.value(QLatin1String("code")).toInt();
    status.reason = root.value(QLatin1String("reason")).toString();
    status.message = root.value(QLatin1String("message")).toString();
    const QJsonObject details = root.value(QLatin1String("details")).toObject();
    status.detailsName = details.value(QLatin1String("name")).toString();
    status.detailsKind = details.value(QLatin1String("kind")).toString();
    status.detailsGroup = details.value(QLatin1String("group")).toString();
    status.retryAfterSeconds = details.value(QLatin1String("retryAfterSeconds")).toInt();
    for (const QJsonValue &value : details.value(QLatin1String("causes")).toArray()) {
        const QJsonObject cause = value.toObject();
        status.causes.append(Cause{cause.value(QLatin1String("reason")).toString(),
                                   cause.value(QLatin1String("message")).toString(),
                                   cause.value(QLatin1String("field")).toString()});
    }
    return status;
}

Status Status::fromHttp(int httpCode, const QByteArray &body)
{
    if (std::optional<Status> parsed = fromBody(body)) {
        if (parsed->code == 0)
            parsed->code = httpCode;
        return *parsed;
    }
    Status status;
    status.code = httpCode;
    QString text = QString::fromUtf8(body.left(300)).simplified();
    if (text.startsWith(QLatin1Char('<')))
        text.clear(); // an HTML page from a proxy says nothing useful in one line
    status.message = text.isEmpty() ? QStringLiteral("the server answered HTTP %1").arg(httpCode) : text;
    return status;
}

Status Status::fromNetworkError(const QString &message)
{
    Status status;
    status.reason = QStringLiteral("NetworkError");
    status.message = message;
    return status;
}

Status Status::fromTimeout(const QString &message)
{
    Status status;
    status.reason = QStringLiteral("Timeout");
    status.message = message;
    return status;
}

bool Status::isKubeletUnreachable() const
{
    // The apiserver proxies logs/exec to the kubelet (port 10250); when it cannot connect it answers 500 with the
    // dial error, as in the recorded pod-log-no-kubelet response.
    if (code != 500 && code != 502 && code != 503)
        return false;
    return message.contains(QLatin1String(":10250")) || message.contains(QLatin1String("containerLogs")) ||
           (message.contains(QLatin1String("dial tcp")) && message.contains(QLatin1String("connect:")));
}

Error Status::toError(const QString &location) const
{
    Error error;
    error.code = code;
    error.location = location;
    error.message =
        message.isEmpty()
            ? QStringLiteral("The request failed (%1).").arg(reason.isEmpty() ? QString::number(code) : reason)
            : message;
    if (!causes.isEmpty()) {
        QStringList parts;
        for (const Cause &cause : causes)
            parts.append(cause.field.isEmpty() ? cause.message : cause.field + QStringLiteral(": ") + cause.message);
        // The message usually repeats the causes already; add them only when it does not.
        if (!error.message.contains(causes.first().message))
            error.message += QStringLiteral(" (") + parts.join(QStringLiteral("; ")) + QLatin1Char(')');
    }
    switch (code) {
    case 0:
        error.hint = hint.isEmpty()
                         ? QStringLiteral("Check that the cluster is running and reachable from this machine.")
                         : hint;
        break;
    case 401:
        error.hint = hint.isEmpty()
                         ? QStringLiteral("The cluster did not accept the credentials; refresh them or pick another "
                                          "context.")
                         : hint;
        break;
    case 403:
        error.hint = QStringLiteral("Your user lacks the RBAC permission for this; ask an administrator or use "
                                    "another context.");
        break;
    case 404:
        error.hint = QStringLiteral("It may have been deleted, or the resource type is not served by this cluster.");
        break;
    case 409:
        error.hint = reason == QLatin1String("Conflict")
                         ? QStringLiteral("Someone else changed it; reload and try again.")
                         : QString();
        break;
    case 429:
    case 503:
        error.hint = QStringLiteral("The API server is busy or unavailable; try again shortly.");
        break;
    default:
        break;
    }
    return error;
}

} // namespace orchestra::kube
