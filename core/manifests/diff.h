#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace orchestra::manifests {

/// Removes what the server changes on every write and nobody edits: managedFields, resourceVersion,
/// generation, uid, creationTimestamp, selfLink, the kubectl last-applied annotation (and an annotations map
/// left empty by it), and status unless `keepStatus`.
QJsonObject stripNoise(const QJsonObject &object, bool keepStatus = false);

/// What "Edit" opens for a live object: stripNoise plus the other server-only metadata fields.
QJsonObject editableObject(const QJsonObject &liveObject);

/// Block-style YAML for display and diffs: apiVersion, kind, metadata first, then the other keys sorted;
/// strings quoted only where YAML would read them as something else.
QString toYaml(const QJsonObject &object);

/// One line of a line diff.
struct DiffLine final
{
    enum class Kind { Same, Removed, Added };
    Kind kind = Kind::Same;
    QString text;
    int oldLine = 0; ///< 1-based line in the old text, 0 for added lines
    int newLine = 0; ///< 1-based line in the new text, 0 for removed lines
    bool operator==(const DiffLine &other) const = default;
};

/// A shortest line diff (Myers' O(ND) algorithm) from `before` to `after`.
QList<DiffLine> diffLines(const QStringList &before, const QStringList &after);

/// True when the diff has any added or removed line.
bool hasChanges(const QList<DiffLine> &diff);

/// Unified diff text with `context` lines around changes ("--- a", "+++ b", "@@ -1,3 +1,4 @@" hunks).
QString unifiedDiff(const QList<DiffLine> &diff, const QString &beforeLabel, const QString &afterLabel,
                    int context = 3);

/// One row of a side-by-side diff: removed lines pair up with the added lines that replace them.
struct SideBySideRow final
{
    enum class Kind { Same, Changed, Removed, Added };
    Kind kind = Kind::Same;
    int leftLine = 0; ///< 0 = empty cell
    QString left;
    int rightLine = 0;
    QString right;
};

/// Pairs the lines of `diff` into rows for a two-column view.
QList<SideBySideRow> sideBySide(const QList<DiffLine> &diff);

} // namespace orchestra::manifests
