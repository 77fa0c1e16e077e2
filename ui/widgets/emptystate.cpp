#include "widgets/emptystate.h"

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
    // A word-wrapped label centred in a layout gets a tiny width hint; give it a real one.
    m_message->setMinimumWidth(360);
    m_message->setMaximumWidth(520);
    m_message->setForegroundRole(QPalette::PlaceholderText);
    m_message->setObjectName(QStringLiteral("emptyStateMessage"));

    m_action->setVisible(false);
    connect(m_action, &QPushButton::clicked, this, &EmptyState::actionTriggered);

    auto *layout = new QVBoxLayout(this);
    layout->addStretch(2);
    layout->addWidget(m_icon, 0, Qt::AlignHCenter);
    layout->addSpacing(8);
    layout->addWidget(m_title, 0, Qt::AlignHCenter);
    layout->addWidget(m_message, 0, Qt::AlignHCenter);
    layout->addSpacing(8);
    layout->addWidget(m_action, 0, Qt::AlignHCenter);
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
