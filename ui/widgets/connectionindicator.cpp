#include "widgets/connectionindicator.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>

namespace orchestra::ui {

namespace {

QColor colourFor(ConnectionIndicator::State state, const QPalette &palette)
{
    switch (state) {
    case ConnectionIndicator::State::Connected:
        return QColor(0x2e, 0xa0, 0x43);
    case ConnectionIndicator::State::Connecting:
        return QColor(0xd2, 0x99, 0x22);
    case ConnectionIndicator::State::Error:
        return QColor(0xd1, 0x24, 0x2f);
    case ConnectionIndicator::State::NoClusters:
    case ConnectionIndicator::State::Disconnected:
        break;
    }
    return palette.color(QPalette::Mid);
}

} // namespace

ConnectionIndicator::ConnectionIndicator(QWidget *parent)
    : QWidget(parent)
    , m_dot(new QLabel(this))
    , m_text(new QLabel(this))
    , m_retry(new QToolButton(this))
{
    m_dot->setFixedSize(10, 10);
    m_retry->setText(tr("Retry"));
    m_retry->setAutoRaise(true);
    m_retry->setVisible(false);
    connect(m_retry, &QToolButton::clicked, this, &ConnectionIndicator::retryRequested);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 0, 4, 0);
    layout->setSpacing(6);
    layout->addWidget(m_dot);
    layout->addWidget(m_text);
    layout->addWidget(m_retry);
    setState(State::NoClusters, tr("No cluster"));
}

void ConnectionIndicator::setState(State state, const QString &text, const QString &detail)
{
    m_state = state;
    m_text->setText(text);
    setToolTip(detail.isEmpty() ? text : detail);
    m_retry->setVisible(state == State::Error);
    m_dot->setStyleSheet(QStringLiteral("border-radius: 5px; background: %1;").arg(colourFor(state, palette()).name()));
}

QString ConnectionIndicator::text() const
{
    return m_text->text();
}

} // namespace orchestra::ui
