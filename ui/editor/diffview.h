#pragma once

#include "manifests/diff.h"

#include <QWidget>

class QCheckBox;
class QLabel;
class QPlainTextEdit;
class QStackedWidget;
class QToolButton;

namespace orchestra::ui {

/// A line diff between the live object and what apply produces: side by side or unified, added and removed
/// lines coloured from the palette (light or dark).
class DiffView final : public QWidget
{
    Q_OBJECT
public:
    enum class Mode { SideBySide, Unified };

    explicit DiffView(QWidget *parent = nullptr);

    /// Shows `diff` under a one-line `title` ("Deployment web: will be configured").
    void setDiff(const QString &title, const QList<manifests::DiffLine> &diff, const QString &beforeLabel,
                 const QString &afterLabel);
    /// Shows only a message (no changes, failure, nothing selected).
    void setMessage(const QString &title, const QString &message);
    void setMode(Mode mode);
    Mode mode() const { return m_mode; }

    QString title() const;
    /// "Show status": off by default, the status is noise for a diff of what apply changes.
    bool showStatus() const;
    void setShowStatus(bool show);
    /// The unified text currently shown (for tests and copy).
    QString unifiedText() const;
    /// The left and right columns of the side-by-side view.
    QString leftText() const;
    QString rightText() const;

signals:
    void showStatusChanged(bool show);

protected:
    void changeEvent(QEvent *event) override;

private:
    void render();

    QLabel *m_title;
    QToolButton *m_sideBySideButton;
    QToolButton *m_unifiedButton;
    QCheckBox *m_showStatus;
    QStackedWidget *m_stack;
    QPlainTextEdit *m_unified;
    QPlainTextEdit *m_left;
    QPlainTextEdit *m_right;
    QLabel *m_message;
    Mode m_mode = Mode::SideBySide;
    QList<manifests::DiffLine> m_diff;
    QString m_beforeLabel, m_afterLabel;
    bool m_showingMessage = true;
};

} // namespace orchestra::ui
