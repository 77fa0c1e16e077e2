#pragma once

#include "kube/status.h"
#include "manifests/manifest.h"

#include <QList>
#include <QString>

namespace orchestra::manifests {

/// One field another manager owns, from a 409 apply conflict.
struct FieldConflict final
{
    QString field;      ///< ".spec.replicas"
    QString manager;    ///< "kubectl-client-side-apply"
    QString apiVersion; ///< from `using apps/v1`, empty when the other manager applied
};

/// The conflicts of a 409 Conflict Status (causes of reason FieldManagerConflict).
QList<FieldConflict> conflictsOf(const kube::Status &status);

/// A cause mapped back to the editor: the line of the field in `document`.
struct MappedCause final
{
    kube::Status::Cause cause;
    SourcePosition position;
    bool exact = false; ///< false when only an ancestor (or the document start) was found
};

/// Maps every cause of `status` to a position in `document`.
QList<MappedCause> mapCauses(const kube::Status &status, const ManifestDocument &document);

} // namespace orchestra::manifests
