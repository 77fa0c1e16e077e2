#pragma once

#include "manifests/status.h"

#include <QDialog>

class QTreeWidget;

namespace orchestra::ui {

/// Explains a 409 apply conflict: each field and the manager that owns it, with "Force apply these fields" as
/// an explicit choice (accepted = force) and Cancel as the default.
class ConflictDialog final : public QDialog
{
    Q_OBJECT
public:
    struct Entry
    {
        QString object; ///< "Deployment web"
        manifests::FieldConflict conflict;
        int line = 0; ///< where the field is in the editor, 0 when unknown
    };

    /// `dryRun`: the conflicts came from a dry run, and forcing repeats the dry run with force=true.
    explicit ConflictDialog(const QList<Entry> &entries, bool dryRun = false, QWidget *parent = nullptr);

    QList<Entry> entries() const { return m_entries; }

signals:
    /// The user double-clicked a field: show it in the editor.
    void lineActivated(int line);

private:
    QList<Entry> m_entries;
    QTreeWidget *m_tree;
};

} // namespace orchestra::ui
