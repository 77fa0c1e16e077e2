#pragma once

#include <QFrame>

#include <functional>

class QLineEdit;
class QListWidget;

namespace orchestra::ui {

/// Ctrl+K: a filterable list of commands (jump to a kind by name, short name or category, switch context or
/// namespace, run an action on the selected object). Enter runs the best match.
class CommandPalette final : public QFrame
{
    Q_OBJECT
public:
    struct Command
    {
        QString title;        ///< what the list shows ("Pods")
        QString detail;       ///< the grey hint ("Workloads · po")
        QStringList keywords; ///< also matched: short names, category, plural
        std::function<void()> run;
    };

    explicit CommandPalette(QWidget *parent = nullptr);

    void setCommands(QList<Command> commands);
    /// Shows the palette over the top of its parent with an empty query.
    void popup();
    /// Runs the best match for `query` (what typing it and pressing Enter does); false when nothing matches.
    bool runQuery(const QString &query);
    /// Titles of the matches for `query`, best first (for tests).
    QStringList matches(const QString &query) const;

    QLineEdit *input() const { return m_input; }
    QListWidget *list() const { return m_list; }

    /// How well `command` matches `query`: 0 = not at all; exact short name or title beats prefix beats substring.
    static int score(const Command &command, const QString &query);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QList<int> ranked(const QString &query) const;
    void refill();
    void runRow(int row);

    QList<Command> m_commands;
    QLineEdit *m_input;
    QListWidget *m_list;
};

} // namespace orchestra::ui
