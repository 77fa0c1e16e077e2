#pragma once

#include "manifests/kinds.h"
#include "manifests/manifest.h"

namespace orchestra::manifests {

/// Checks every object of a parsed file: apiVersion/kind/metadata.name present, the kind served by the cluster
/// (or known to the built-in table when not connected, with a warning), namespace rules, duplicate objects.
/// Kinds defined by a CustomResourceDefinition in the same file count as known. Returns the new problems only
/// (the parser's syntax problems stay in `manifest.problems`).
QList<Problem> validateManifest(const ParsedManifest &manifest, const KindResolver &resolver);

/// parseManifest + validateManifest, problems sorted by line: what the editor shows as you type.
ParsedManifest parseAndValidate(const QString &text, const KindResolver &resolver);

/// The kind of `document` as `resolver` knows it, else as a CRD in `manifest` defines it.
std::optional<KindInfo> resolveKind(const ParsedManifest &manifest, const ManifestDocument &document,
                                    const KindResolver &resolver);

} // namespace orchestra::manifests
