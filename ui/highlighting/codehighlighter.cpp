#include "highlighting/codehighlighter.h"

#include "highlighting/builtinrules.h"

#include <QApplication>
#include <QHash>
#include <QPalette>
#include <QTextBlock>
#include <QTextDocument>

#ifdef ORCHESTRA_WITH_KSYNTAXHIGHLIGHTING
#include <KSyntaxHighlighting/AbstractHighlighter>
#include <KSyntaxHighlighting/Definition>
#include <KSyntaxHighlighting/Format>
#include <KSyntaxHighlighting/Repository>
#include <KSyntaxHighlighting/State>
#include <KSyntaxHighlighting/Theme>
#endif

namespace orchestra::ui {

using highlighting::Token;

namespace {

bool isDark(const QPalette &palette)
{
    return palette.color(QPalette::Base).lightness() < 128;
}

// Colours chosen for contrast on the code-block backgrounds of both themes.
QHash<Token, QTextCharFormat> formatsFor(const QPalette &palette)
{
    const bool dark = isDark(palette);
    const auto make = [](const char *colour, bool bold = false, bool italic = false) {
        QTextCharFormat format;
        format.setForeground(QColor(QLatin1String(colour)));
        if (bold)
            format.setFontWeight(QFont::DemiBold);
        format.setFontItalic(italic);
        return format;
    };
    if (dark) {
        return {{Token::Keyword, make("#c792ea", true)},
                {Token::Key, make("#82aaff")},
                {Token::String, make("#c3e88d")},
                {Token::Number, make("#f78c6c")},
                {Token::Comment, make("#8b95a7", false, true)},
                {Token::Variable, make("#ffcb6b")},
                {Token::Type, make("#89ddff")},
                {Token::Command, make("#82aaff", true)},
                {Token::Option, make("#89ddff")},
                {Token::Punctuation, make("#a6accd")},
                {Token::Heading, make("#ffcb6b", true)}};
    }
    return {{Token::Keyword, make("#8250df", true)},
            {Token::Key, make("#0550ae")},
            {Token::String, make("#0a3069")},
            {Token::Number, make("#953800")},
            {Token::Comment, make("#6e7781", false, true)},
            {Token::Variable, make("#953800")},
            {Token::Type, make("#116329")},
            {Token::Command, make("#0550ae", true)},
            {Token::Option, make("#116329")},
            {Token::Punctuation, make("#57606a")},
            {Token::Heading, make("#0550ae", true)}};
}

} // namespace

/// Highlights one line of one language; returns the block state for the next line.
class CodeHighlighter::Engine
{
public:
    virtual ~Engine() = default;
    virtual void setPalette(const QPalette &palette) = 0;
    virtual bool supports(const QString &language) const = 0;
    virtual void highlight(CodeHighlighter &highlighter, const QString &language, const QString &text) = 0;
};

class CodeHighlighter::BuiltinEngine final : public CodeHighlighter::Engine
{
public:
    void setPalette(const QPalette &palette) override { m_formats = formatsFor(palette); }
    bool supports(const QString &language) const override { return highlighting::builtinGrammar(language); }

    void highlight(CodeHighlighter &h, const QString &language, const QString &text) override
    {
        const highlighting::Grammar *grammar = highlighting::builtinGrammar(language);
        if (!grammar) {
            h.setCurrentBlockState(-1);
            return;
        }
        for (const highlighting::Rule &rule : grammar->rules) {
            QRegularExpressionMatchIterator it = rule.pattern.globalMatch(text);
            while (it.hasNext()) {
                const QRegularExpressionMatch match = it.next();
                if (match.capturedLength(rule.group) > 0)
                    h.setFormat(static_cast<int>(match.capturedStart(rule.group)),
                                static_cast<int>(match.capturedLength(rule.group)), m_formats.value(rule.token));
            }
        }
        // Multi-line constructs: block state = 1 + index of the construct still open, else 0.
        int open = h.previousBlockState() > 0 ? h.previousBlockState() - 1 : -1;
        if (open >= grammar->multiLine.size())
            open = -1;
        qsizetype pos = 0;
        while (true) {
            if (open >= 0) {
                const highlighting::MultiLineRule &rule = grammar->multiLine[open];
                const QRegularExpressionMatch end = rule.end.match(text, pos);
                const qsizetype stop = end.hasMatch() ? end.capturedEnd() : text.size();
                h.setFormat(static_cast<int>(pos), static_cast<int>(stop - pos), m_formats.value(rule.token));
                if (!end.hasMatch())
                    break;
                pos = stop;
                open = -1;
            }
            int best = -1;
            QRegularExpressionMatch bestMatch;
            for (qsizetype i = 0; i < grammar->multiLine.size(); ++i) {
                const QRegularExpressionMatch start = grammar->multiLine[i].start.match(text, pos);
                if (start.hasMatch() && (best < 0 || start.capturedStart() < bestMatch.capturedStart())) {
                    best = static_cast<int>(i);
                    bestMatch = start;
                }
            }
            if (best < 0)
                break;
            // Continue after the opener, so an identical closer (""") is not found at once.
            h.setFormat(static_cast<int>(bestMatch.capturedStart()), static_cast<int>(bestMatch.capturedLength()),
                        m_formats.value(grammar->multiLine[best].token));
            pos = bestMatch.capturedEnd();
            open = best;
        }
        h.setCurrentBlockState(open >= 0 ? open + 1 : 0);
    }

private:
    QHash<Token, QTextCharFormat> m_formats;
};

#ifdef ORCHESTRA_WITH_KSYNTAXHIGHLIGHTING
namespace {
// Keeps the KSyntaxHighlighting state of a line for the next one.
class KsyntaxBlockData final : public QTextBlockUserData
{
public:
    KSyntaxHighlighting::State state;
    QString language;
};
} // namespace

class CodeHighlighter::KsyntaxEngine final : public CodeHighlighter::Engine,
                                             private KSyntaxHighlighting::AbstractHighlighter
{
public:
    void setPalette(const QPalette &palette) override
    {
        setTheme(m_repository.defaultTheme(isDark(palette) ? KSyntaxHighlighting::Repository::DarkTheme
                                                           : KSyntaxHighlighting::Repository::LightTheme));
    }

    bool supports(const QString &language) const override { return definitionFor(language).isValid(); }

    void highlight(CodeHighlighter &h, const QString &language, const QString &text) override
    {
        const KSyntaxHighlighting::Definition definition = definitionFor(language);
        if (!definition.isValid()) {
            h.setCurrentBlockState(-1);
            return;
        }
        if (definition != this->definition())
            setDefinition(definition);
        KSyntaxHighlighting::State previous;
        const QTextBlock prev = h.currentBlock().previous();
        if (auto *data = dynamic_cast<KsyntaxBlockData *>(prev.userData()); data && data->language == language)
            previous = data->state;
        m_current = &h;
        const KSyntaxHighlighting::State next = highlightLine(text, previous);
        m_current = nullptr;
        auto *data = dynamic_cast<KsyntaxBlockData *>(h.currentBlockUserData());
        if (!data) {
            data = new KsyntaxBlockData;
            h.setCurrentBlockUserData(data);
        }
        // A changed end state makes QSyntaxHighlighter continue with the next block.
        const bool changed = !(data->state == next) || data->language != language;
        data->state = next;
        data->language = language;
        h.setCurrentBlockState(changed ? h.currentBlockState() + 1 : h.currentBlockState());
    }

private:
    KSyntaxHighlighting::Definition definitionFor(const QString &language) const
    {
        static const QHash<QString, QString> names{{QStringLiteral("yaml"), QStringLiteral("YAML")},
                                                   {QStringLiteral("yml"), QStringLiteral("YAML")},
                                                   {QStringLiteral("bash"), QStringLiteral("Bash")},
                                                   {QStringLiteral("sh"), QStringLiteral("Bash")},
                                                   {QStringLiteral("shell"), QStringLiteral("Bash")},
                                                   {QStringLiteral("console"), QStringLiteral("Bash")},
                                                   {QStringLiteral("json"), QStringLiteral("JSON")},
                                                   {QStringLiteral("go"), QStringLiteral("Go")},
                                                   {QStringLiteral("python"), QStringLiteral("Python")},
                                                   {QStringLiteral("py"), QStringLiteral("Python")},
                                                   {QStringLiteral("dockerfile"), QStringLiteral("Dockerfile")}};
        const QString lower = language.toLower();
        return m_repository.definitionForName(names.value(lower, language));
    }

    void applyFormat(int offset, int length, const KSyntaxHighlighting::Format &format) override
    {
        if (!m_current || length == 0 || format.isDefaultTextStyle(theme()))
            return;
        QTextCharFormat charFormat;
        if (format.hasTextColor(theme()))
            charFormat.setForeground(format.textColor(theme()));
        if (format.isBold(theme()))
            charFormat.setFontWeight(QFont::DemiBold);
        if (format.isItalic(theme()))
            charFormat.setFontItalic(true);
        m_current->setFormat(offset, length, charFormat);
    }

    KSyntaxHighlighting::Repository m_repository;
    CodeHighlighter *m_current = nullptr;
};
#endif

CodeHighlighter::CodeHighlighter(QTextDocument *document)
    : QSyntaxHighlighter(document)
#ifdef ORCHESTRA_WITH_KSYNTAXHIGHLIGHTING
    , m_engine(std::make_unique<KsyntaxEngine>())
#else
    , m_engine(std::make_unique<BuiltinEngine>())
#endif
{
    m_engine->setPalette(QApplication::palette());
}

CodeHighlighter::~CodeHighlighter() = default;

void CodeHighlighter::setLanguage(const QString &language)
{
    if (language == m_language)
        return;
    m_language = language;
    rehighlight();
}

void CodeHighlighter::setPalette(const QPalette &palette)
{
    m_engine->setPalette(palette);
    rehighlight();
}

QString CodeHighlighter::engineName()
{
#ifdef ORCHESTRA_WITH_KSYNTAXHIGHLIGHTING
    return QStringLiteral("KSyntaxHighlighting");
#else
    return QStringLiteral("built-in");
#endif
}

bool CodeHighlighter::supportsLanguage(const QString &language)
{
#ifdef ORCHESTRA_WITH_KSYNTAXHIGHLIGHTING
    static KsyntaxEngine engine;
    return engine.supports(language);
#else
    return highlighting::builtinGrammar(language) != nullptr;
#endif
}

void CodeHighlighter::highlightBlock(const QString &text)
{
    QString language = m_language;
    if (language.isEmpty())
        language = currentBlock().blockFormat().stringProperty(QTextFormat::BlockCodeLanguage).toLower();
    if (language.isEmpty()) {
        setCurrentBlockState(-1);
        return;
    }
    m_engine->highlight(*this, language, text);
}

} // namespace orchestra::ui
