#include "cluster/commandpalette.h"

#include <QKeyEvent>
#include <QLineEdit>
#include <QListWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace orchestra::ui {

CommandPalette::CommandPalette(QWidget *parent)
    : QFrame(parent)
    , m_input(new QLineEdit(this))
    , m_list(new QListWidget(this))
{
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    setBackgroundRole(QPalette::Base);
    m_input->setPlaceholderText(tr("Go to a kind (po, svc, deploy, vs), a context, a namespace, or run an action"));
    m_input->setAccessibleName(tr("Command"));
    m_input->installEventFilter(this);
    m_list->setUniformItemSizes(true);
    m_list->setFocusPolicy(Qt::NoFocus);
    connect(m_input, &QLineEdit::textChanged, this, &CommandPalette::refill);
    connect(m_list, &QListWidget::itemActivated, this, [this](QListWidgetItem *item) { runRow(m_list->row(item)); });
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(m_input);
    layout->addWidget(m_list);
    hide();
}

void CommandPalette::setCommands(QList<Command> commands)
{
    m_commands = std::move(commands);
    if (isVisible())
        refill();
}

void CommandPalette::popup()
{
    if (QWidget *parent = parentWidget()) {
        const int width = std::min(640, parent->width() - 40);
        setGeometry((parent->width() - width) / 2, 40, width, std::min(420, parent->height() - 80));
    }
    m_input->clear();
    refill();
    show();
    raise();
    m_input->setFocus(Qt::PopupFocusReason);
}

int CommandPalette::score(const Command &command, const QString &query)
{
    const QString q = query.trimmed().toLower();
    if (q.isEmpty())
        return 1;
    const QString title = command.title.toLower();
    int best = 0;
    const auto consider = [&](const QString &candidate, int exact, int prefix, int contains) {
        const QString c = candidate.toLower();
        if (c == q)
            best = std::max(best, exact);
        else if (c.startsWith(q))
            best = std::max(best, prefix);
        else if (c.contains(q))
            best = std::max(best, contains);
    };
    consider(title, 100, 60, 30);
    for (const QString &keyword : command.keywords)
        consider(keyword, 90, 50, 20);
    // Every word of the query somewhere ("ctx prod", "ns kube").
    if (best == 0 && q.contains(QLatin1Char(' '))) {
        const QString haystack = (command.title + QLatin1Char(' ') + command.keywords.join(QLatin1Char(' '))).toLower();
        const QStringList words = q.split(QLatin1Char(' '), Qt::SkipEmptyParts);
        if (std::all_of(words.begin(), words.end(), [&](const QString &w) { return haystack.contains(w); }))
            best = 10;
    }
    return best;
}

QList<int> CommandPalette::ranked(const QString &query) const
{
    QList<QPair<int, int>> scored;
    for (int i = 0; i < m_commands.size(); ++i) {
        const int s = score(m_commands.at(i), query);
        if (s > 0)
            scored.append({s, i});
    }
    std::stable_sort(scored.begin(), scored.end(), [](const auto &a, const auto &b) { return a.first > b.first; });
    QList<int> rows;
    for (const auto &entry : scored)
        rows.append(entry.second);
    return rows;
}

QStringList CommandPalette::matches(const QString &query) const
{
    QStringList titles;
    for (int index : ranked(query))
        titles.append(m_commands.at(index).title);
    return titles;
}

bool CommandPalette::runQuery(const QString &query)
{
    const QList<int> rows = ranked(query);
    if (rows.isEmpty())
        return false;
    hide();
    if (m_commands.at(rows.first()).run)
        m_commands.at(rows.first()).run();
    return true;
}

void CommandPalette::refill()
{
    m_list->clear();
    for (int index : ranked(m_input->text())) {
        const Command &command = m_commands.at(index);
        auto *item = new QListWidgetItem(
            command.detail.isEmpty() ? command.title : command.title + QStringLiteral("    — ") + command.detail);
        item->setData(Qt::UserRole, index);
        m_list->addItem(item);
    }
    if (m_list->count() > 0)
        m_list->setCurrentRow(0);
}

void CommandPalette::runRow(int row)
{
    QListWidgetItem *item = m_list->item(row);
    if (!item)
        return;
    const int index = item->data(Qt::UserRole).toInt();
    hide();
    if (index >= 0 && index < m_commands.size() && m_commands.at(index).run)
        m_commands.at(index).run();
}

bool CommandPalette::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_input && event->type() == QEvent::KeyPress) {
        const auto *key = static_cast<QKeyEvent *>(event);
        switch (key->key()) {
        case Qt::Key_Escape:
            hide();
            return true;
        case Qt::Key_Down:
            m_list->setCurrentRow(std::min(m_list->currentRow() + 1, m_list->count() - 1));
            return true;
        case Qt::Key_Up:
            m_list->setCurrentRow(std::max(m_list->currentRow() - 1, 0));
            return true;
        case Qt::Key_Return:
        case Qt::Key_Enter:
            runRow(m_list->currentRow());
            return true;
        default:
            break;
        }
    }
    if (watched == m_input && event->type() == QEvent::FocusOut && !m_list->underMouse())
        hide();
    return QFrame::eventFilter(watched, event);
}

} // namespace orchestra::ui
