#include "editor/manifesteditor.h"

#include "highlighting/codehighlighter.h"

#include <QFontDatabase>
#include <QHelpEvent>
#include <QInputDialog>
#include <QMimeData>
#include <QPainter>
#include <QScrollBar>
#include <QTextBlock>
#include <QToolTip>

namespace orchestra::ui {

namespace {

class LineNumberArea final : public QWidget
{
public:
    explicit LineNumberArea(ManifestEditor *editor)
        : QWidget(editor)
        , m_editor(editor)
    {}
    QSize sizeHint() const override { return {m_editor->lineNumberAreaWidth(), 0}; }

protected:
    void paintEvent(QPaintEvent *event) override { m_editor->paintLineNumbers(event); }

private:
    ManifestEditor *m_editor;
};

QColor problemColor(manifests::Problem::Severity severity)
{
    switch (severity) {
    case manifests::Problem::Severity::Error:
        return QColor(0xd3, 0x2f, 0x2f);
    case manifests::Problem::Severity::Warning:
        return QColor(0xe0, 0x8a, 0x00);
    case manifests::Problem::Severity::Info:
        return QColor(0x1e, 0x88, 0xe5);
    }
    return Qt::red;
}

} // namespace

ManifestEditor::ManifestEditor(QWidget *parent)
    : QPlainTextEdit(parent)
    , m_lineNumberArea(new LineNumberArea(this))
    , m_highlighter(new CodeHighlighter(document()))
{
    setObjectName(QStringLiteral("manifestEditor"));
    m_highlighter->setLanguage(QStringLiteral("yaml"));
    m_highlighter->setPalette(palette());
    QFont font = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    setFont(font);
    setLineWrapMode(QPlainTextEdit::NoWrap);
    setTabChangesFocus(false);
    setTabStopDistance(fontMetrics().horizontalAdvance(QLatin1Char(' ')) * indentWidth);
    connect(this, &QPlainTextEdit::blockCountChanged, this, &ManifestEditor::updateLineNumberAreaWidth);
    connect(this, &QPlainTextEdit::updateRequest, this, &ManifestEditor::updateLineNumberArea);
    connect(this, &QPlainTextEdit::cursorPositionChanged, this, &ManifestEditor::updateExtraSelections);
    updateLineNumberAreaWidth();
    updateExtraSelections();
}

ManifestEditor::~ManifestEditor() = default;

int ManifestEditor::lineNumberAreaWidth() const
{
    int digits = 1;
    for (int max = qMax(1, blockCount()); max >= 10; max /= 10)
        ++digits;
    return 12 + fontMetrics().horizontalAdvance(QLatin1Char('9')) * qMax(3, digits);
}

void ManifestEditor::updateLineNumberAreaWidth()
{
    setViewportMargins(lineNumberAreaWidth(), 0, 0, 0);
}

void ManifestEditor::updateLineNumberArea(const QRect &rect, int dy)
{
    if (dy)
        m_lineNumberArea->scroll(0, dy);
    else
        m_lineNumberArea->update(0, rect.y(), m_lineNumberArea->width(), rect.height());
    if (rect.contains(viewport()->rect()))
        updateLineNumberAreaWidth();
}

void ManifestEditor::resizeEvent(QResizeEvent *event)
{
    QPlainTextEdit::resizeEvent(event);
    const QRect cr = contentsRect();
    m_lineNumberArea->setGeometry(QRect(cr.left(), cr.top(), lineNumberAreaWidth(), cr.height()));
}

void ManifestEditor::paintLineNumbers(QPaintEvent *event)
{
    QPainter painter(m_lineNumberArea);
    const QPalette pal = palette();
    painter.fillRect(event->rect(), pal.color(QPalette::AlternateBase));
    QSet<int> errorLines, warningLines;
    for (const manifests::Problem &problem : std::as_const(m_problems))
        (problem.severity == manifests::Problem::Severity::Error ? errorLines : warningLines).insert(problem.line);

    QTextBlock block = firstVisibleBlock();
    int number = block.blockNumber();
    int top = qRound(blockBoundingGeometry(block).translated(contentOffset()).top());
    int bottom = top + qRound(blockBoundingRect(block).height());
    const int current = textCursor().blockNumber();
    while (block.isValid() && top <= event->rect().bottom()) {
        if (block.isVisible() && bottom >= event->rect().top()) {
            const int line = number + 1;
            QColor color = pal.color(QPalette::PlaceholderText);
            if (errorLines.contains(line))
                color = problemColor(manifests::Problem::Severity::Error);
            else if (warningLines.contains(line))
                color = problemColor(manifests::Problem::Severity::Warning);
            else if (number == current)
                color = pal.color(QPalette::Text);
            painter.setPen(color);
            QFont font = this->font();
            font.setBold(number == current || errorLines.contains(line));
            painter.setFont(font);
            painter.drawText(0, top, m_lineNumberArea->width() - 6, fontMetrics().height(), Qt::AlignRight,
                             QString::number(line));
        }
        block = block.next();
        top = bottom;
        bottom = top + qRound(blockBoundingRect(block).height());
        ++number;
    }
}

void ManifestEditor::setProblems(const QList<manifests::Problem> &problems)
{
    m_problems = problems;
    updateExtraSelections();
    m_lineNumberArea->update();
}

void ManifestEditor::updateExtraSelections()
{
    QList<QTextEdit::ExtraSelection> selections;
    QTextEdit::ExtraSelection currentLine;
    QColor lineColor = palette().color(QPalette::Highlight);
    lineColor.setAlpha(28);
    currentLine.format.setBackground(lineColor);
    currentLine.format.setProperty(QTextFormat::FullWidthSelection, true);
    currentLine.cursor = textCursor();
    currentLine.cursor.clearSelection();
    selections.append(currentLine);

    for (const manifests::Problem &problem : std::as_const(m_problems)) {
        const QTextBlock block = document()->findBlockByNumber(problem.line - 1);
        if (!block.isValid())
            continue;
        const QString text = block.text();
        int start = problem.column > 0 ? qMin(problem.column - 1, int(text.size())) : 0;
        if (problem.column <= 0) {
            while (start < text.size() && text.at(start).isSpace())
                ++start;
        }
        int end = start;
        while (end < text.size() && !text.at(end).isSpace())
            ++end;
        if (end == start)
            end = qMin(int(text.size()), start + 1);
        if (end == start) { // empty line: mark the line itself
            start = 0;
            end = int(text.size());
        }
        QTextEdit::ExtraSelection selection;
        selection.format.setUnderlineStyle(QTextCharFormat::WaveUnderline);
        selection.format.setUnderlineColor(problemColor(problem.severity));
        selection.format.setToolTip(problem.message);
        const bool onTab = start < text.size() && text.at(start) == QLatin1Char('\t');
        if (onTab || text.isEmpty()) { // an underline under whitespace is invisible
            QColor background = problemColor(problem.severity);
            background.setAlpha(60);
            selection.format.setBackground(background);
        }
        selection.cursor = QTextCursor(block);
        selection.cursor.setPosition(block.position() + start);
        selection.cursor.setPosition(block.position() + end, QTextCursor::KeepAnchor);
        selections.append(selection);
    }
    setExtraSelections(selections);
}

bool ManifestEditor::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        const QTextCursor cursor = cursorForPosition(viewport()->mapFromGlobal(help->globalPos()));
        const int line = cursor.blockNumber() + 1;
        QStringList messages;
        for (const manifests::Problem &problem : std::as_const(m_problems)) {
            if (problem.line == line)
                messages.append(problem.message);
        }
        if (messages.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), messages.join(QLatin1Char('\n')), this);
        return true;
    }
    return QPlainTextEdit::event(event);
}

void ManifestEditor::changeEvent(QEvent *event)
{
    QPlainTextEdit::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) {
        m_highlighter->setPalette(palette());
        updateExtraSelections();
    }
}

namespace {

QStringList localFiles(const QMimeData *source)
{
    QStringList paths;
    if (source->hasUrls()) {
        for (const QUrl &url : source->urls()) {
            if (url.isLocalFile())
                paths.append(url.toLocalFile());
        }
    }
    return paths;
}

} // namespace

bool ManifestEditor::canInsertFromMimeData(const QMimeData *source) const
{
    return !localFiles(source).isEmpty() || QPlainTextEdit::canInsertFromMimeData(source);
}

void ManifestEditor::insertFromMimeData(const QMimeData *source)
{
    if (const QStringList paths = localFiles(source); !paths.isEmpty()) {
        emit filesDropped(paths);
        return;
    }
    QPlainTextEdit::insertFromMimeData(source);
}

void ManifestEditor::keyPressEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Tab && !(event->modifiers() & (Qt::ControlModifier | Qt::AltModifier))) {
        if (textCursor().hasSelection() && textCursor().selectedText().contains(QChar::ParagraphSeparator)) {
            indentSelection(false);
        } else {
            QTextCursor cursor = textCursor();
            const int column = cursor.positionInBlock();
            cursor.insertText(QString(indentWidth - column % indentWidth, QLatin1Char(' ')));
        }
        return;
    }
    if (event->key() == Qt::Key_Backtab) {
        indentSelection(true);
        return;
    }
    if ((event->key() == Qt::Key_Slash) && (event->modifiers() & Qt::ControlModifier)) {
        toggleComment();
        return;
    }
    if ((event->key() == Qt::Key_L) && (event->modifiers() & Qt::ControlModifier)) {
        askGoToLine();
        return;
    }
    if (event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter) {
        // Keep the indentation; one level deeper after "key:" or "- key:".
        const QString line = textCursor().block().text().left(textCursor().positionInBlock());
        int indent = 0;
        while (indent < line.size() && line.at(indent) == QLatin1Char(' '))
            ++indent;
        if (line.trimmed().endsWith(QLatin1Char(':')))
            indent += indentWidth;
        else if (line.trimmed().startsWith(QLatin1String("- ")))
            indent += 2;
        QPlainTextEdit::keyPressEvent(event);
        textCursor().insertText(QString(indent, QLatin1Char(' ')));
        return;
    }
    QPlainTextEdit::keyPressEvent(event);
}

void ManifestEditor::indentSelection(bool outdent)
{
    QTextCursor cursor = textCursor();
    const int startBlock = document()->findBlock(cursor.selectionStart()).blockNumber();
    int endBlock = document()->findBlock(cursor.selectionEnd()).blockNumber();
    if (cursor.hasSelection() && document()->findBlock(cursor.selectionEnd()).position() == cursor.selectionEnd() &&
        endBlock > startBlock)
        --endBlock;
    cursor.beginEditBlock();
    for (int number = startBlock; number <= endBlock; ++number) {
        const QTextBlock block = document()->findBlockByNumber(number);
        QTextCursor lineCursor(block);
        if (outdent) {
            int spaces = 0;
            while (spaces < indentWidth && spaces < block.text().size() && block.text().at(spaces) == QLatin1Char(' '))
                ++spaces;
            lineCursor.movePosition(QTextCursor::Right, QTextCursor::KeepAnchor, spaces);
            lineCursor.removeSelectedText();
        } else {
            lineCursor.insertText(QString(indentWidth, QLatin1Char(' ')));
        }
    }
    cursor.endEditBlock();
}

void ManifestEditor::toggleComment()
{
    QTextCursor cursor = textCursor();
    const int startBlock = document()->findBlock(cursor.selectionStart()).blockNumber();
    int endBlock = document()->findBlock(cursor.selectionEnd()).blockNumber();
    if (cursor.hasSelection() && document()->findBlock(cursor.selectionEnd()).position() == cursor.selectionEnd() &&
        endBlock > startBlock)
        --endBlock;
    // Uncomment only when every non-empty line is a comment, as most editors do.
    bool allCommented = true;
    int minIndent = std::numeric_limits<int>::max();
    for (int number = startBlock; number <= endBlock; ++number) {
        const QString text = document()->findBlockByNumber(number).text();
        if (text.trimmed().isEmpty())
            continue;
        int indent = 0;
        while (indent < text.size() && text.at(indent) == QLatin1Char(' '))
            ++indent;
        minIndent = qMin(minIndent, indent);
        allCommented = allCommented && text.mid(indent).startsWith(QLatin1Char('#'));
    }
    if (minIndent == std::numeric_limits<int>::max())
        minIndent = 0;
    cursor.beginEditBlock();
    for (int number = startBlock; number <= endBlock; ++number) {
        const QTextBlock block = document()->findBlockByNumber(number);
        const QString text = block.text();
        if (text.trimmed().isEmpty() && startBlock != endBlock)
            continue;
        QTextCursor lineCursor(block);
        if (allCommented) {
            const int hash = int(text.indexOf(QLatin1Char('#')));
            if (hash < 0)
                continue;
            const int length = text.mid(hash + 1).startsWith(QLatin1Char(' ')) ? 2 : 1;
            lineCursor.setPosition(block.position() + hash);
            lineCursor.setPosition(block.position() + hash + length, QTextCursor::KeepAnchor);
            lineCursor.removeSelectedText();
        } else {
            lineCursor.setPosition(block.position() + qMin(minIndent, int(text.size())));
            lineCursor.insertText(QStringLiteral("# "));
        }
    }
    cursor.endEditBlock();
}

int ManifestEditor::convertTabsToSpaces()
{
    const QString text = toPlainText();
    const int count = int(text.count(QLatin1Char('\t')));
    if (count == 0)
        return 0;
    QTextCursor cursor(document());
    cursor.beginEditBlock();
    for (QTextBlock block = document()->begin(); block.isValid(); block = block.next()) {
        const QString line = block.text();
        if (!line.contains(QLatin1Char('\t')))
            continue;
        QString expanded;
        for (const QChar c : line) {
            if (c == QLatin1Char('\t'))
                expanded += QString(indentWidth - expanded.size() % indentWidth, QLatin1Char(' '));
            else
                expanded += c;
        }
        QTextCursor lineCursor(block);
        lineCursor.movePosition(QTextCursor::EndOfBlock, QTextCursor::KeepAnchor);
        lineCursor.insertText(expanded);
    }
    cursor.endEditBlock();
    return count;
}

void ManifestEditor::goToLine(int line, int column)
{
    const QTextBlock block = document()->findBlockByNumber(qBound(1, line, blockCount()) - 1);
    QTextCursor cursor(block);
    int offset = column > 0 ? column - 1 : 0;
    if (column <= 0) {
        while (offset < block.text().size() && block.text().at(offset) == QLatin1Char(' '))
            ++offset;
    }
    cursor.setPosition(block.position() + qMin(offset, int(block.text().size())));
    setTextCursor(cursor);
    centerCursor();
    setFocus();
}

void ManifestEditor::askGoToLine()
{
    bool ok = false;
    const int line = QInputDialog::getInt(this, tr("Go to Line"), tr("Line (1–%1):").arg(blockCount()),
                                          textCursor().blockNumber() + 1, 1, blockCount(), 1, &ok);
    if (ok)
        goToLine(line);
}

} // namespace orchestra::ui
