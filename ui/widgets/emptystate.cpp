#include "widgets/emptystate.h"

#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace orchestra::ui {

EmptyState::EmptyState(const QString &iconPath, const QString &title, const QString &message, QWidget *parent)
    : QWidget(parent)
    , m_icon(new QLabel(this))
    , m_title(new QLabel(title, this))
    , m_message(new QLabel(message, this))
    , m_action(new QPushButton(this))
{
    m_icon->setPixmap(QIcon(iconPath).pixmap(64, 64));
    m_icon->setAlignment(Qt::AlignCenter);

    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.4);
    titleFont.setWeight(QFont::DemiBold);
    m_title->setFont(titleFont);
    m_title->setAlignment(Qt::AlignCenter);
    m_title->setObjectName(QStringLiteral("emptyStateTitle"));

    m_message->setAlignment(Qt::AlignCenter);
    m_message->setWordWrap(true);
    m_message->setForegroundRole(QPalette::PlaceholderText);
    m_message->setObjectName(QStringLiteral("emptyStateMessage"));
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_action->setVisible(false);
    connect(m_action, &QPushButton::clicked, this, &EmptyState::actionTriggered);

    // A fixed-width column: word-wrapped labels added with an alignment flag get a
    // one-line size hint and clip, so they fill the column and centre their text.
    auto *column = new QWidget(this);
    column->setMaximumWidth(560);
    auto *columnLayout = new QVBoxLayout(column);
    columnLayout->setContentsMargins(0, 0, 0, 0);
    columnLayout->addWidget(m_icon);
    columnLayout->addSpacing(8);
    columnLayout->addWidget(m_title);
    columnLayout->addWidget(m_message);
    columnLayout->addSpacing(8);
    columnLayout->addWidget(m_action, 0, Qt::AlignHCenter);

    auto *row = new QHBoxLayout;
    row->addStretch(1);
    row->addWidget(column, 4);
    row->addStretch(1);
    auto *layout = new QVBoxLayout(this);
    layout->addStretch(2);
    layout->addLayout(row);
    layout->addStretch(3);
}

void EmptyState::setTitle(const QString &title)
{
    m_title->setText(title);
}
void EmptyState::setMessage(const QString &message)
{
    m_message->setText(message);
}

void EmptyState::setActionText(const QString &text)
{
    m_action->setText(text);
    m_action->setVisible(!text.isEmpty());
}

QString EmptyState::title() const
{
    return m_title->text();
}
QString EmptyState::message() const
{
    return m_message->text();
}

} // namespace orchestra::ui
