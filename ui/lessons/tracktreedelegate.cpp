#include "lessons/tracktreedelegate.h"

#include "lessons/tracktreemodel.h"

#include <QApplication>
#include <QPainter>
#include <QPainterPath>

namespace orchestra::ui {

using lessons::TrackTreeModel;

QColor TrackTreeDelegate::stageColour(const QString &stage)
{
    if (stage == QLatin1String("practice"))
        return QColor(0x1a, 0x7f, 0x37);
    if (stage == QLatin1String("project"))
        return QColor(0xbf, 0x5a, 0x00);
    if (stage == QLatin1String("case-study"))
        return QColor(0x82, 0x50, 0xdf);
    return QColor(0x09, 0x69, 0xda); // theory
}

QSize TrackTreeDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    const bool track = index.data(TrackTreeModel::IsTrackRole).toBool();
    size.setHeight(std::max(size.height(), option.fontMetrics.height() + (track ? 18 : 10)));
    return size;
}

void TrackTreeDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QString text = opt.text;
    opt.text.clear();
    QStyle *style = opt.widget ? opt.widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, opt.widget);

    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    const bool selected = opt.state & QStyle::State_Selected;
    const QColor textColour = opt.palette.color(selected ? QPalette::HighlightedText : QPalette::Text);
    QRect rect = opt.rect.adjusted(4, 0, -6, 0);
    QFont font = opt.font;

    if (index.data(TrackTreeModel::IsTrackRole).toBool()) {
        const int done = index.data(TrackTreeModel::CompletedCountRole).toInt();
        const int total = index.data(TrackTreeModel::LessonCountRole).toInt();
        const QString count = QStringLiteral("%1/%2").arg(done).arg(total);
        font.setWeight(QFont::DemiBold);
        painter->setFont(font);
        const QFontMetrics fm(font);
        const int countWidth = fm.horizontalAdvance(count);
        const QRect textRect(rect.left(), rect.top() + 3, rect.width() - countWidth - 8, fm.height());
        painter->setPen(textColour);
        painter->drawText(textRect, Qt::AlignLeft | Qt::AlignVCenter,
                          fm.elidedText(text, Qt::ElideRight, textRect.width()));
        painter->setPen(opt.palette.color(selected ? QPalette::HighlightedText : QPalette::PlaceholderText));
        painter->drawText(QRect(rect.right() - countWidth, rect.top() + 3, countWidth, fm.height()),
                          Qt::AlignRight | Qt::AlignVCenter, count);
        // Progress bar under the title.
        const QRectF bar(rect.left(), rect.bottom() - 7, rect.width(), 4);
        painter->setPen(Qt::NoPen);
        QColor track = textColour;
        track.setAlphaF(0.15f);
        painter->setBrush(track);
        painter->drawRoundedRect(bar, 2, 2);
        if (total > 0 && done > 0) {
            painter->setBrush(stageColour(QStringLiteral("practice")));
            painter->drawRoundedRect(QRectF(bar.left(), bar.top(), bar.width() * done / total, bar.height()), 2, 2);
        }
        painter->restore();
        return;
    }

    const QString stage = index.data(TrackTreeModel::StageRole).toString();
    const QString badge = m_stageLabels.value(stage, stage);
    QFont badgeFont = font;
    badgeFont.setPointSizeF(font.pointSizeF() * 0.78);
    badgeFont.setWeight(QFont::DemiBold);
    const QFontMetrics badgeMetrics(badgeFont);
    const int badgeWidth = badgeMetrics.horizontalAdvance(badge) + 10;
    const QRectF badgeRect(rect.right() - badgeWidth, rect.center().y() - badgeMetrics.height() / 2.0 - 1, badgeWidth,
                           badgeMetrics.height() + 2);
    const bool completed = index.data(TrackTreeModel::CompletedRole).toBool();
    const int checkWidth = 16;

    painter->setFont(font);
    const QFontMetrics fm(font);
    const QRect textRect(rect.left() + checkWidth, rect.top(), rect.width() - badgeWidth - checkWidth - 6,
                         rect.height());
    painter->setPen(textColour);
    painter->drawText(textRect, Qt::AlignLeft | Qt::AlignVCenter,
                      fm.elidedText(text, Qt::ElideRight, textRect.width()));
    if (completed) {
        QPen pen(stageColour(QStringLiteral("practice")), 2);
        painter->setPen(pen);
        const QPointF c(rect.left() + 6, rect.center().y());
        QPainterPath check;
        check.moveTo(c + QPointF(-4, 0));
        check.lineTo(c + QPointF(-1, 3));
        check.lineTo(c + QPointF(5, -4));
        painter->drawPath(check);
    }
    QColor colour = stageColour(stage);
    painter->setPen(Qt::NoPen);
    QColor fill = colour;
    fill.setAlphaF(selected ? 0.9f : 0.14f);
    painter->setBrush(fill);
    painter->drawRoundedRect(badgeRect, badgeRect.height() / 2, badgeRect.height() / 2);
    painter->setFont(badgeFont);
    painter->setPen(selected ? QColor(Qt::white) : colour);
    painter->drawText(badgeRect, Qt::AlignCenter, badge);
    painter->restore();
}

} // namespace orchestra::ui
