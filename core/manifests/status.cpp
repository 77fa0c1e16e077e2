#include "manifests/status.h"

#include <QRegularExpression>

namespace orchestra::manifests {

QList<FieldConflict> conflictsOf(const kube::Status &status)
{
    static const QRegularExpression pattern(QStringLiteral("conflicts? with \"([^\"]*)\"(?: using ([^\\s:]+))?"));
    QList<FieldConflict> conflicts;
    for (const kube::Status::Cause &cause : status.causes) {
        if (cause.reason != QLatin1String("FieldManagerConflict"))
            continue;
        FieldConflict conflict;
        conflict.field = cause.field;
        if (const auto match = pattern.match(cause.message); match.hasMatch()) {
            conflict.manager = match.captured(1);
            conflict.apiVersion = match.captured(2);
        } else {
            conflict.manager = cause.message;
        }
        conflicts.append(conflict);
    }
    return conflicts;
}

QList<MappedCause> mapCauses(const kube::Status &status, const ManifestDocument &document)
{
    QList<MappedCause> mapped;
    for (const kube::Status::Cause &cause : status.causes) {
        MappedCause entry;
        entry.cause = cause;
        const QString canonical = document.canonicalPath(cause.field);
        entry.position = document.locate(cause.field);
        entry.exact = !canonical.isEmpty() && document.positions.value(canonical) == entry.position &&
                      document.positions.contains(canonical);
        mapped.append(entry);
    }
    return mapped;
}

} // namespace orchestra::manifests
