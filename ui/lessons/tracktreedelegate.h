#pragma once

#include <QStyledItemDelegate>

namespace orchestra::ui {

/// Paints the study desk's tree: tracks with "n/m" and a progress bar,
/// lessons with a stage badge (theory / practice / project / case study)
/// and a check mark once completed.
class TrackTreeDelegate final : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    /// Badge text per stage id, in the UI language.
    void setStageLabels(const QHash<QString, QString> &labels) { m_stageLabels = labels; }

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    /// Badge colour for a stage id, used by the reader's header too.
    static QColor stageColour(const QString &stage);

private:
    QHash<QString, QString> m_stageLabels;
};

} // namespace orchestra::ui
