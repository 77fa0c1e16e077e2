#pragma once

#include <QWidget>

class QLabel;
class QToolButton;

namespace orchestra::ui {

/// The status bar's connection state: a coloured dot, a short text, the full
/// message as tooltip, and a Retry button while in the Error state.
class ConnectionIndicator final : public QWidget
{
    Q_OBJECT
public:
    enum class State { NoClusters, Disconnected, Connecting, Connected, Error };
    Q_ENUM(State)

    explicit ConnectionIndicator(QWidget *parent = nullptr);

    /// `text` is shown in the bar; `detail` (e.g. the whole error) in the tooltip.
    void setState(State state, const QString &text, const QString &detail = {});
    State state() const { return m_state; }
    QString text() const;

signals:
    void retryRequested();

private:
    State m_state = State::NoClusters;
    QLabel *m_dot;
    QLabel *m_text;
    QToolButton *m_retry;
};

} // namespace orchestra::ui
