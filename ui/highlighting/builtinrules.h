#pragma once

#include <QList>
#include <QRegularExpression>
#include <QString>

namespace orchestra::ui::highlighting {

/// What a piece of code is; the highlighter maps each to a colour per theme.
enum class Token { Keyword, Key, String, Number, Comment, Variable, Type, Command, Option, Punctuation, Heading };

/// A single-line rule: every match (or its capture group) gets `token`.
struct Rule final
{
    QRegularExpression pattern;
    Token token;
    int group = 0;
};

/// A construct that may span lines (block comments, triple-quoted strings).
struct MultiLineRule final
{
    QRegularExpression start;
    QRegularExpression end;
    Token token;
};

/// The built-in fallback grammar of one language.
struct Grammar final
{
    QList<Rule> rules; ///< Applied in order; later rules win where they overlap.
    QList<MultiLineRule> multiLine;
};

/// The grammar for a fence language or file type ("yaml", "yml", "bash", "sh",
/// "shell", "console", "json", "go", "python", "py", "dockerfile"); nullptr when
/// the language has none.
const Grammar *builtinGrammar(const QString &language);

/// Languages the built-in fallback covers.
QStringList builtinLanguages();

} // namespace orchestra::ui::highlighting
