#include "editor/diffview.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QEvent>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QSplitter>
#include <QStackedWidget>
#include <QTextBlock>
#include <QToolButton>
#include <QVBoxLayout>

namespace orchestra::ui {

namespace {

QColor mix(const QColor &base, const QColor &tint, double amount)
{
    return QColor::fromRgbF(float(base.redF() * (1 - amount) + tint.redF() * amount),
                            float(base.greenF() * (1 - amount) + tint.greenF() * amount),
                            float(base.blueF() * (1 - amount) + tint.blueF() * amount));
}

QPlainTextEdit *makeText(QWidget *parent, const QString &name)
{
    auto *edit = new QPlainTextEdit(parent);
    edit->setObjectName(name);
    edit->setReadOnly(true);
    edit->setLineWrapMode(QPlainTextEdit::NoWrap);
    edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    return edit;
}

// Colours whole lines: one ExtraSelection per changed line.
void colourLines(QPlainTextEdit *edit, const QList<QPair<int, QColor>> &lines)
{
    QList<QTextEdit::ExtraSelection> selections;
    for (const auto &[line, color] : lines) {
        QTextEdit::ExtraSelection selection;
        selection.cursor = QTextCursor(edit->document()->findBlockByNumber(line));
        selection.format.setBackground(color);
        selection.format.setProperty(QTextFormat::FullWidthSelection, true);
        selections.append(selection);
    }
    edit->setExtraSelections(selections);
}

} // namespace

DiffView::DiffView(QWidget *parent)
    : QWidget(parent)
    , m_title(new QLabel(this))
    , m_sideBySideButton(new QToolButton(this))
    , m_unifiedButton(new QToolButton(this))
    , m_showStatus(new QCheckBox(tr("Show status"), this))
    , m_stack(new QStackedWidget(this))
    , m_unified(makeText(this, QStringLiteral("unifiedDiff")))
    , m_left(makeText(this, QStringLiteral("diffLeft")))
    , m_right(makeText(this, QStringLiteral("diffRight")))
    , m_message(new QLabel(this))
{
    setObjectName(QStringLiteral("diffView"));
    m_title->setObjectName(QStringLiteral("diffTitle"));
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_sideBySideButton->setText(tr("Side by side"));
    m_unifiedButton->setText(tr("Unified"));
    for (QToolButton *button : {m_sideBySideButton, m_unifiedButton}) {
        button->setCheckable(true);
        button->setAutoRaise(true);
    }
    auto *group = new QButtonGroup(this);
    group->addButton(m_sideBySideButton);
    group->addButton(m_unifiedButton);
    m_sideBySideButton->setChecked(true);
    connect(m_sideBySideButton, &QToolButton::clicked, this, [this] { setMode(Mode::SideBySide); });
    connect(m_unifiedButton, &QToolButton::clicked, this, [this] { setMode(Mode::Unified); });

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(m_left);
    splitter->addWidget(m_right);
    // One scroll position for both columns: rows line up.
    connect(m_left->verticalScrollBar(), &QScrollBar::valueChanged, m_right->verticalScrollBar(),
            &QScrollBar::setValue);
    connect(m_right->verticalScrollBar(), &QScrollBar::valueChanged, m_left->verticalScrollBar(),
            &QScrollBar::setValue);
    m_message->setObjectName(QStringLiteral("diffMessage"));
    m_message->setAlignment(Qt::AlignCenter);
    m_message->setWordWrap(true);
    m_stack->addWidget(splitter);
    m_stack->addWidget(m_unified);
    m_stack->addWidget(m_message);

    auto *header = new QHBoxLayout;
    header->addWidget(m_title, 1);
    m_showStatus->setObjectName(QStringLiteral("showStatus"));
    m_showStatus->setToolTip(tr("Include the status the server reports (left out: apply never changes it)."));
    connect(m_showStatus, &QCheckBox::toggled, this, &DiffView::showStatusChanged);
    header->addWidget(m_showStatus);
    header->addWidget(m_sideBySideButton);
    header->addWidget(m_unifiedButton);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(header);
    layout->addWidget(m_stack, 1);
    setMessage(tr("Diff"), tr("Run \"Dry run + diff\" to compare the file with the cluster."));
}

void DiffView::setDiff(const QString &title, const QList<manifests::DiffLine> &diff, const QString &beforeLabel,
                       const QString &afterLabel)
{
    m_title->setText(title);
    m_diff = diff;
    m_beforeLabel = beforeLabel;
    m_afterLabel = afterLabel;
    m_showingMessage = false;
    render();
}

void DiffView::setMessage(const QString &title, const QString &message)
{
    m_title->setText(title);
    m_message->setText(message);
    m_diff.clear();
    m_showingMessage = true;
    m_unified->clear();
    m_left->clear();
    m_right->clear();
    m_stack->setCurrentWidget(m_message);
}

void DiffView::setMode(Mode mode)
{
    m_mode = mode;
    m_sideBySideButton->setChecked(mode == Mode::SideBySide);
    m_unifiedButton->setChecked(mode == Mode::Unified);
    if (!m_showingMessage)
        m_stack->setCurrentIndex(mode == Mode::SideBySide ? 0 : 1);
}

QString DiffView::title() const
{
    return m_title->text();
}

bool DiffView::showStatus() const
{
    return m_showStatus->isChecked();
}

void DiffView::setShowStatus(bool show)
{
    m_showStatus->setChecked(show);
}

QString DiffView::unifiedText() const
{
    return m_unified->toPlainText();
}

QString DiffView::leftText() const
{
    return m_left->toPlainText();
}

QString DiffView::rightText() const
{
    return m_right->toPlainText();
}

void DiffView::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange && !m_showingMessage)
        render();
}

void DiffView::render()
{
    const QColor base = palette().color(QPalette::Base);
    const QColor added = mix(base, QColor(46, 160, 67), 0.28);
    const QColor removed = mix(base, QColor(218, 54, 51), 0.28);
    const QColor filler = mix(base, palette().color(QPalette::Text), 0.06);

    m_unified->setPlainText(manifests::unifiedDiff(m_diff, m_beforeLabel, m_afterLabel, 1000000).trimmed());
    QList<QPair<int, QColor>> unifiedColours;
    for (QTextBlock block = m_unified->document()->begin(); block.isValid(); block = block.next()) {
        const QString text = block.text();
        if (block.blockNumber() < 2)
            continue;
        if (text.startsWith(QLatin1Char('+')))
            unifiedColours.append({block.blockNumber(), added});
        else if (text.startsWith(QLatin1Char('-')))
            unifiedColours.append({block.blockNumber(), removed});
    }
    colourLines(m_unified, unifiedColours);

    QStringList left, right;
    QList<QPair<int, QColor>> leftColours, rightColours;
    const QList<manifests::SideBySideRow> rows = manifests::sideBySide(m_diff);
    const int width = int(QString::number(qMax(1, int(rows.size()))).size());
    auto cell = [width](int line, const QString &text) {
        return line > 0 ? QStringLiteral("%1  %2").arg(line, width).arg(text) : QString();
    };
    for (int i = 0; i < rows.size(); ++i) {
        const manifests::SideBySideRow &row = rows.at(i);
        left.append(cell(row.leftLine, row.left));
        right.append(cell(row.rightLine, row.right));
        using Kind = manifests::SideBySideRow::Kind;
        if (row.kind == Kind::Changed || row.kind == Kind::Removed)
            leftColours.append({i, removed});
        if (row.kind == Kind::Changed || row.kind == Kind::Added)
            rightColours.append({i, added});
        if (row.kind == Kind::Added)
            leftColours.append({i, filler});
        if (row.kind == Kind::Removed)
            rightColours.append({i, filler});
    }
    m_left->setPlainText(left.join(QLatin1Char('\n')));
    m_right->setPlainText(right.join(QLatin1Char('\n')));
    colourLines(m_left, leftColours);
    colourLines(m_right, rightColours);
    m_left->setToolTip(m_beforeLabel);
    m_right->setToolTip(m_afterLabel);
    m_stack->setCurrentIndex(m_mode == Mode::SideBySide ? 0 : 1);
}

} // namespace orchestra::ui
