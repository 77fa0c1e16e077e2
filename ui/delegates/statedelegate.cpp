#include "delegates/statedelegate.h"

#include "models/roles.h"

#include <QHash>
#include <QPainter>
#include <QPainterPath>
#include <QPalette>
#include <QPixmap>

namespace orchestra::ui {

using resources::State;

namespace {

// Base hues chosen to stay distinguishable for the common colour-vision deficiencies when paired with the icon
// shapes (colour is never the only signal).
QColor baseColor(State state)
{
    switch (state) {
    case State::Healthy:
        return QColor(0x2e, 0xa0, 0x43);
    case State::Succeeded:
        return QColor(0x57, 0x60, 0x6a);
    case State::Pending:
        return QColor(0x1f, 0x6f, 0xeb);
    case State::Warning:
        return QColor(0xbf, 0x87, 0x00);
    case State::Failed:
        return QColor(0xd1, 0x24, 0x2f);
    case State::Terminating:
        return QColor(0x8b, 0x5c, 0xf6);
    case State::Unknown:
        return QColor(0x8c, 0x95, 0x9f);
    case State::None:
        break;
    }
    return {};
}

QPixmap paintIcon(State state, int size)
{
    QPixmap pixmap(size, size);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    const QColor colour = baseColor(state);
    const QRectF box(1.5, 1.5, size - 3.0, size - 3.0);
    QPen pen(Qt::white, size / 8.0, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin);
    const auto at = [&](qreal x, qreal y) {
        return QPointF(box.left() + x * box.width(), box.top() + y * box.height());
    };
    switch (state) {
    case State::Warning: {
        QPainterPath triangle;
        triangle.moveTo(at(0.5, 0.0));
        triangle.lineTo(at(1.0, 0.95));
        triangle.lineTo(at(0.0, 0.95));
        triangle.closeSubpath();
        painter.fillPath(triangle, colour);
        painter.setPen(pen);
        painter.drawLine(at(0.5, 0.35), at(0.5, 0.6));
        painter.drawPoint(at(0.5, 0.8));
        break;
    }
    default:
        painter.setPen(Qt::NoPen);
        painter.setBrush(colour);
        painter.drawEllipse(box);
        painter.setPen(pen);
        painter.setBrush(Qt::NoBrush);
        if (state == State::Healthy || state == State::Succeeded) {
            painter.drawPolyline(QList<QPointF>{at(0.27, 0.52), at(0.44, 0.69), at(0.74, 0.34)});
        } else if (state == State::Failed) {
            painter.drawLine(at(0.32, 0.32), at(0.68, 0.68));
            painter.drawLine(at(0.68, 0.32), at(0.32, 0.68));
        } else if (state == State::Pending) {
            painter.drawLine(at(0.5, 0.5), at(0.5, 0.24));
            painter.drawLine(at(0.5, 0.5), at(0.7, 0.6));
        } else if (state == State::Terminating) {
            painter.drawLine(at(0.28, 0.5), at(0.72, 0.5));
        } else {
            painter.drawPoint(at(0.5, 0.5));
        }
        break;
    }
    return pixmap;
}

} // namespace

QColor stateColor(State state, const QPalette &palette)
{
    QColor colour = baseColor(state);
    if (!colour.isValid())
        return palette.color(QPalette::Text);
    // On dark bases the saturated hues are too dim to read: lift them.
    if (palette.color(QPalette::Base).lightness() < 128)
        colour = colour.lighter(150);
    return colour;
}

QIcon stateIcon(State state)
{
    if (state == State::None)
        return {};
    static QHash<int, QIcon> cache;
    auto it = cache.find(int(state));
    if (it == cache.end()) {
        QIcon icon;
        for (int size : {16, 24, 32})
            icon.addPixmap(paintIcon(state, size));
        it = cache.insert(int(state), icon);
    }
    return *it;
}

QIcon lockIcon()
{
    static const QIcon icon = [] {
        QIcon result;
        for (int size : {16, 24, 32}) {
            QPixmap pixmap(size, size);
            pixmap.fill(Qt::transparent);
            QPainter painter(&pixmap);
            painter.setRenderHint(QPainter::Antialiasing);
            const QColor colour(0x8c, 0x6d, 0x1f);
            painter.setPen(QPen(colour, size / 9.0));
            painter.setBrush(Qt::NoBrush);
            const qreal s = size;
            painter.drawArc(QRectF(s * 0.3, s * 0.1, s * 0.4, s * 0.5), 0, 180 * 16);
            painter.drawLine(QPointF(s * 0.3, s * 0.35), QPointF(s * 0.3, s * 0.45));
            painter.drawLine(QPointF(s * 0.7, s * 0.35), QPointF(s * 0.7, s * 0.45));
            painter.setPen(Qt::NoPen);
            painter.setBrush(colour);
            painter.drawRoundedRect(QRectF(s * 0.18, s * 0.45, s * 0.64, s * 0.45), s * 0.08, s * 0.08);
            result.addPixmap(pixmap);
        }
        return result;
    }();
    return icon;
}

StateDelegate::StateDelegate(QObject *parent)
    : QStyledItemDelegate(parent)
{}

void StateDelegate::setColumns(int iconColumn, int statusColumn)
{
    m_iconColumn = iconColumn;
    m_statusColumn = statusColumn;
}

void StateDelegate::initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    const QVariant value = index.data(models::StateRole);
    if (!value.isValid())
        return;
    const auto state = State(value.toInt());
    if (state == State::None)
        return;
    if (index.column() == m_iconColumn) {
        option->icon = stateIcon(state);
        option->features |= QStyleOptionViewItem::HasDecoration;
        option->decorationSize = QSize(14, 14);
    }
    if (index.column() == m_statusColumn && !(option->state & QStyle::State_Selected)) {
        option->palette.setColor(QPalette::Text, stateColor(state, option->palette));
        if (state == State::Failed || state == State::Warning)
            option->font.setBold(true);
    }
}

} // namespace orchestra::ui
