#pragma once

#include <QWidget>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;

namespace orchestra::ui {

/// Find and replace for one text editor (Ctrl+F / Ctrl+H, Enter = next, Shift+Enter = previous, Esc closes).
class FindBar final : public QWidget
{
    Q_OBJECT
public:
    explicit FindBar(QPlainTextEdit *editor, QWidget *parent = nullptr);

    /// Shows the bar with the selection (if any) as the search text; `replace` also shows the replace row.
    void activate(bool replace);
    void setFindText(const QString &text);
    void setReplaceText(const QString &text);
    /// Selects the next (or previous) match, wrapping around; false when there is none.
    bool findNext(bool backward = false);
    /// Replaces the selected match (if it is one) and finds the next.
    void replaceCurrent();
    /// Replaces every match in one undo step; returns how many.
    int replaceAll();

protected:
    void keyPressEvent(QKeyEvent *event) override;

private:
    QPlainTextEdit *m_editor;
    QLineEdit *m_find;
    QLineEdit *m_replace;
    QCheckBox *m_caseSensitive;
    QLabel *m_status;
    QWidget *m_replaceRow;
};

} // namespace orchestra::ui
