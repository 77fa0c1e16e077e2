#pragma once

#include "common/result.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace orchestra::kube {

/// A Kubernetes Status (the body of every API error): code, reason, message and field-level causes.
struct Status final
{
    struct Cause
    {
        QString reason; ///< e.g. FieldValueInvalid, FieldManagerConflict
        QString message;
        QString field; ///< e.g. metadata.name, .spec.replicas
    };

    int code = 0;   ///< HTTP status; 0 for a transport failure (no response)
    QString reason; ///< NotFound, AlreadyExists, Conflict, Invalid, Forbidden, Unauthorized, Expired, ...
    QString message;
    QString detailsName;
    QString detailsKind;
    QString detailsGroup;
    QList<Cause> causes;
    int retryAfterSeconds = 0; ///< from the Retry-After header or details.retryAfterSeconds
    QString hint;              ///< client-side advice (transport or credential failure; not part of the API's Status)

    /// Parses a Status object body; nullopt when the body is not a Status.
    static std::optional<Status> fromBody(const QByteArray &body);
    /// The Status for a failed HTTP exchange: the parsed body when it is a Status, else one synthesized from the
    /// HTTP code and body text (e.g. an HTML error page from a proxy).
    static Status fromHttp(int httpCode, const QByteArray &body);
    /// A transport failure (DNS, refused, TLS, timeout) that produced no HTTP response.
    static Status fromNetworkError(const QString &message);
    /// No answer within the request's timeout (no response; reason "Timeout").
    static Status fromTimeout(const QString &message);

    bool isNotFound() const { return code == 404; }
    bool isConflict() const { return code == 409; }
    bool isForbidden() const { return code == 403; }
    bool isUnauthorized() const { return code == 401; }
    /// The request timed out: no answer in time (code 0), or the server's own 504 Timeout.
    bool isTimeout() const { return reason == QLatin1String("Timeout"); }
    /// 410 Gone / reason Expired: a resourceVersion or continue token is too old.
    bool isExpired() const
    {
        return code == 410 || reason == QLatin1String("Expired") || reason == QLatin1String("Gone");
    }
    /// The kubelet behind the API server could not be reached (logs, exec, port-forward of a pod).
    bool isKubeletUnreachable() const;

    /// A user-facing Error: the server's message plus causes, with a hint for the common codes.
    Error toError(const QString &location = {}) const;
};

} // namespace orchestra::kube
