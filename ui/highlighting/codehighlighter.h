#pragma once

#include <QSyntaxHighlighter>

#include <memory>

class QPalette;

namespace orchestra::ui {

/// The one highlighting path shared by lesson code blocks and the editor.
///
/// Two modes: with a language set (setLanguage("yaml")) every block is code in
/// that language, as in the editor; without one, only blocks that carry a
/// QTextFormat::BlockCodeLanguage property are highlighted, each in its own
/// language, as in a markdown document. KSyntaxHighlighting does the work when
/// the build found it; otherwise built-in rules cover yaml, bash, json, go,
/// python and dockerfile. Colours follow the palette (light or dark).
class CodeHighlighter final : public QSyntaxHighlighter
{
    Q_OBJECT
public:
    explicit CodeHighlighter(QTextDocument *document);
    ~CodeHighlighter() override;

    /// Highlights the whole document as `language`; empty = per code block.
    void setLanguage(const QString &language);
    QString language() const { return m_language; }

    /// Picks colours for this palette and rehighlights.
    void setPalette(const QPalette &palette);

    /// "KSyntaxHighlighting" or "built-in", for the About dialog.
    static QString engineName();
    /// True when `language` gets colours (by either engine).
    static bool supportsLanguage(const QString &language);

protected:
    void highlightBlock(const QString &text) override;

private:
    class Engine;
    class BuiltinEngine;
    class KsyntaxEngine;

    QString m_language;
    std::unique_ptr<Engine> m_engine;
};

} // namespace orchestra::ui
