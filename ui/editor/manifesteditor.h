#pragma once

#include "manifests/manifest.h"

#include <QPlainTextEdit>

namespace orchestra::ui {

class CodeHighlighter;

/// The YAML text editor: line numbers, current-line highlight, spaces-only indentation (Tab inserts two
/// spaces), comment toggle (Ctrl+/), go to line (Ctrl+L), problems underlined with their message as tooltip.
/// Highlighting goes through the shared CodeHighlighter.
class ManifestEditor final : public QPlainTextEdit
{
    Q_OBJECT
public:
    explicit ManifestEditor(QWidget *parent = nullptr);
    ~ManifestEditor() override;

    static constexpr int indentWidth = 2;

    /// Underlines each problem (from its column to the end of the token, or the whole line when unknown).
    void setProblems(const QList<manifests::Problem> &problems);
    QList<manifests::Problem> problems() const { return m_problems; }

    /// Moves the cursor to `line` (1-based) and `column` (1-based, 0 = first non-space) and centres it.
    void goToLine(int line, int column = 0);
    /// Asks for a line number (Ctrl+L).
    void askGoToLine();
    /// Comments or uncomments the selected lines (or the current one) with "# " (Ctrl+/).
    void toggleComment();
    /// Replaces every tab with two spaces; returns how many were replaced.
    int convertTabsToSpaces();

    int lineNumberAreaWidth() const;
    void paintLineNumbers(QPaintEvent *event);
    CodeHighlighter *highlighter() const { return m_highlighter; }

signals:
    /// Local files were dropped or pasted onto the text: open them instead of inserting their paths.
    void filesDropped(const QStringList &paths);

protected:
    bool canInsertFromMimeData(const QMimeData *source) const override;
    void insertFromMimeData(const QMimeData *source) override;
    void keyPressEvent(QKeyEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    bool event(QEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void updateExtraSelections();
    void updateLineNumberAreaWidth();
    void updateLineNumberArea(const QRect &rect, int dy);
    void indentSelection(bool outdent);

    QWidget *m_lineNumberArea;
    CodeHighlighter *m_highlighter;
    QList<manifests::Problem> m_problems;
};

} // namespace orchestra::ui
