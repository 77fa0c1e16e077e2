#pragma once

#include <QWidget>

class QLabel;
class QPushButton;

namespace orchestra::ui {

/// An honest "nothing here yet" panel: icon, title, explanation and an optional action.
class EmptyState final : public QWidget
{
    Q_OBJECT
public:
    explicit EmptyState(const QString &iconPath, const QString &title, const QString &message,
                        QWidget *parent = nullptr);

    void setTitle(const QString &title);
    void setMessage(const QString &message);
    /// Shows a button with `text`; clicking it emits actionTriggered(). Empty text hides it.
    void setActionText(const QString &text);

    QString title() const;
    QString message() const;

signals:
    void actionTriggered();

private:
    QLabel *m_icon;
    QLabel *m_title;
    QLabel *m_message;
    QPushButton *m_action;
};

} // namespace orchestra::ui
