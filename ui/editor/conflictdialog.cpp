#include "editor/conflictdialog.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace orchestra::ui {

ConflictDialog::ConflictDialog(const QList<Entry> &entries, bool dryRun, QWidget *parent)
    : QDialog(parent)
    , m_entries(entries)
    , m_tree(new QTreeWidget(this))
{
    setObjectName(QStringLiteral("conflictDialog"));
    setWindowTitle(tr("Apply conflicts"));
    auto *intro = new QLabel(
        tr("<b>Other field managers own %n field(s) that this apply would change.</b><br>"
           "Server-side apply refuses to overwrite them unless you force it. Forcing makes Orchestra the owner of "
           "these fields; the other manager (a controller, kubectl, Helm, an operator) may set them back on its "
           "next change. Usually it is better to remove these fields from the file, or to change them through "
           "the tool that owns them.%1",
           nullptr, int(entries.size()))
            .arg(dryRun ? tr("<br><i>This was a dry run: forcing here only shows the result, nothing is changed.</i>")
                        : QString()),
        this);
    intro->setWordWrap(true);
    m_tree->setObjectName(QStringLiteral("conflictList"));
    m_tree->setRootIsDecorated(false);
    m_tree->setHeaderLabels({tr("Object"), tr("Field"), tr("Owned by"), tr("Line")});
    for (const Entry &entry : entries) {
        const QString owner = entry.conflict.apiVersion.isEmpty()
                                  ? entry.conflict.manager
                                  : tr("%1 (update, %2)").arg(entry.conflict.manager, entry.conflict.apiVersion);
        auto *item = new QTreeWidgetItem(m_tree, {entry.object, entry.conflict.field, owner,
                                                  entry.line > 0 ? QString::number(entry.line) : QString()});
        item->setData(0, Qt::UserRole, entry.line);
    }
    for (int column = 0; column < 4; ++column)
        m_tree->resizeColumnToContents(column);
    connect(m_tree, &QTreeWidget::itemDoubleClicked, this, [this](QTreeWidgetItem *item) {
        if (const int line = item->data(0, Qt::UserRole).toInt(); line > 0)
            emit lineActivated(line);
    });

    auto *buttons = new QDialogButtonBox(this);
    QPushButton *force =
        buttons->addButton(dryRun ? tr("Dry run again, forcing these fields") : tr("Force apply these fields"),
                           QDialogButtonBox::AcceptRole);
    force->setObjectName(QStringLiteral("forceButton"));
    force->setAutoDefault(false);
    QPushButton *cancel = buttons->addButton(QDialogButtonBox::Cancel);
    cancel->setDefault(true);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_tree, 1);
    layout->addWidget(buttons);
    resize(720, 360);
}

} // namespace orchestra::ui
