#pragma once

#include "lessons/displaydocument.h"

#include <QTextBrowser>

namespace orchestra::ui {

class CodeHighlighter;

/// The reader: renders a lesson's display markdown like good documentation
/// (readable line length, styled headings, tables with borders, callouts,
/// code blocks with a background and highlighting). Never loads remote
/// content; links are reported through linkActivated().
class LessonView final : public QTextBrowser
{
    Q_OBJECT
public:
    explicit LessonView(QWidget *parent = nullptr);
    ~LessonView() override;

    /// Shows `document`; relative images resolve against `baseFile`.
    /// `calloutLabels` are the label texts that start Note/Tip/Warning/Answer callouts.
    void showDocument(const lessons::DisplayDocument &document, const QString &baseFile,
                      const lessons::DisplayLabels &labels);
    const lessons::DisplayDocument &displayDocument() const { return m_document; }

    /// Scroll position as a fraction 0..1 of the scrollable height.
    double scrollFraction() const;
    void setScrollFraction(double fraction);

    /// Scrolls to the first heading whose text equals `heading`.
    bool scrollToHeading(const QString &heading);

    /// Highlights every occurrence of `text` (case-insensitive) and moves to the next one.
    /// Returns the number of occurrences.
    int findAll(const QString &text, bool backwards = false);

    static constexpr int kMaxTextWidth = 820;

    /// Only local files next to the lesson load; remote URLs return nothing.
    QVariant loadResource(int type, const QUrl &name) override;

signals:
    /// Any link: lesson-relative .md paths, http(s) URLs, "#anchor" and "orchestra:" actions.
    void linkActivated(const QUrl &url);

protected:
    void resizeEvent(QResizeEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void restyle(const lessons::DisplayLabels &labels);
    void updateMargins();
    int imageWidth(int naturalWidth) const;

    lessons::DisplayDocument m_document;
    QString m_baseFile;
    CodeHighlighter *m_highlighter;
    QString m_findText;
};

} // namespace orchestra::ui
