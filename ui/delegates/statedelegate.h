#pragma once

#include "resources/renderer.h"

#include <QColor>
#include <QIcon>
#include <QStyledItemDelegate>

class QPalette;

namespace orchestra::ui {

/// The colour for a semantic row state, readable on `palette`'s base colour (light or dark). The only place that
/// maps resource states to colours.
QColor stateColor(resources::State state, const QPalette &palette);
/// A small painted icon for a state (check, clock, warning triangle, cross, ...); null for State::None.
QIcon stateIcon(resources::State state);
/// The padlock shown for kinds the user may not list.
QIcon lockIcon();

/// Paints cluster tables: the state icon in the first column and the state colour on the status column, read from
/// models::StateRole, so models and renderers stay free of colours.
class StateDelegate final : public QStyledItemDelegate
{
    Q_OBJECT
public:
    explicit StateDelegate(QObject *parent = nullptr);

    /// The column whose text takes the state colour (-1 = none); the icon always goes to `iconColumn`.
    void setColumns(int iconColumn, int statusColumn);
    int iconColumn() const { return m_iconColumn; }
    int statusColumn() const { return m_statusColumn; }
    /// The style option a view paints `index` with (for tests).
    QStyleOptionViewItem optionFor(const QModelIndex &index) const
    {
        QStyleOptionViewItem option;
        initStyleOption(&option, index);
        return option;
    }

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;

private:
    int m_iconColumn = 0;
    int m_statusColumn = -1;
};

} // namespace orchestra::ui
