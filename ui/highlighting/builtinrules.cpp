#include "highlighting/builtinrules.h"

#include <QHash>

namespace orchestra::ui::highlighting {

namespace {

QRegularExpression re(const char *pattern, QRegularExpression::PatternOptions options = {})
{
    return QRegularExpression(QLatin1String(pattern), options);
}

QRegularExpression words(const char *list)
{
    return QRegularExpression(QStringLiteral("\\b(?:%1)\\b").arg(QLatin1String(list)));
}

const Rule kDoubleQuoted{re(R"("(?:[^"\\]|\\.)*")"), Token::String};
const Rule kSingleQuoted{re(R"('(?:[^'\\]|\\.)*')"), Token::String};
const Rule kNumber{re(R"(\b\d+(?:\.\d+)?(?:[eE][-+]?\d+)?\b)"), Token::Number};
const Rule kHashComment{re(R"((?:^|(?<=\s))#.*$)"), Token::Comment};

Grammar yaml()
{
    Grammar g;
    g.rules = {
        {re(R"(^\s*(?:-\s+)?([^\s#'"{}\[\],][^#]*?|"[^"]*"|'[^']*')\s*:(?=\s|$))"), Token::Key, 1},
        {re(R"(^\s*-(?=\s|$))"), Token::Punctuation},
        {re(R"(^(?:---|\.\.\.)\s*$)"), Token::Punctuation},
        {re(R"(:\s+\K(?:true|false|null|yes|no|on|off|~)\s*$)", QRegularExpression::CaseInsensitiveOption),
         Token::Keyword},
        {re(R"((?:^|(?<=[:\-\[,]\s)|(?<=[:\-]\s))[-+]?\d+(?:\.\d+)?(?=\s*(?:$|#|,|\])))"), Token::Number},
        {re(R"([&*][\w.-]+)"), Token::Variable},
        {re(R"(!{1,2}[\w./:-]*)"), Token::Type},
        {re(R"([|>][-+]?\d*\s*$)"), Token::Punctuation},
        kDoubleQuoted,
        {re(R"('(?:[^']|'')*')"), Token::String},
        kHashComment,
    };
    return g;
}

Grammar shell()
{
    Grammar g;
    g.rules = {
        {re(R"(^\s*(?:[$#>]\s+)?((?:sudo\s+)?[A-Za-z_][\w./-]*))"), Token::Command, 1},
        {re(R"((?<=\s)--?[A-Za-z][\w-]*)"), Token::Option},
        {words(
             "if|then|else|elif|fi|for|while|until|do|done|case|esac|in|function|return|export|local|set|unset|source"),
         Token::Keyword},
        {re(R"(\$\{[^}]*\}|\$[A-Za-z_][\w]*|\$[0-9@#?*!$-])"), Token::Variable},
        {re(R"(^\s*[$#]\s)"), Token::Punctuation},
        {re(R"([|&;<>]+)"), Token::Punctuation},
        kDoubleQuoted,
        {re(R"('[^']*')"), Token::String},
        kHashComment,
    };
    return g;
}

Grammar json()
{
    Grammar g;
    g.rules = {
        kDoubleQuoted,
        {re(R"("(?:[^"\\]|\\.)*"(?=\s*:))"), Token::Key},
        {re(R"(-?\b\d+(?:\.\d+)?(?:[eE][-+]?\d+)?\b)"), Token::Number},
        {words("true|false|null"), Token::Keyword},
        {re(R"([{}\[\],:])"), Token::Punctuation},
    };
    return g;
}

Grammar go()
{
    Grammar g;
    g.rules = {
        {words("break|case|chan|const|continue|default|defer|else|fallthrough|for|func|go|goto|if|import|interface|"
               "map|package|range|return|select|struct|switch|type|var"),
         Token::Keyword},
        {words("bool|byte|complex64|complex128|error|float32|float64|int|int8|int16|int32|int64|rune|string|uint|"
               "uint8|uint16|uint32|uint64|uintptr|any|true|false|nil|iota"),
         Token::Type},
        kNumber,
        kDoubleQuoted,
        {re(R"(`[^`]*`)"), Token::String},
        {re(R"(//.*$)"), Token::Comment},
    };
    g.multiLine = {{re(R"(/\*)"), re(R"(\*/)"), Token::Comment}};
    return g;
}

Grammar python()
{
    Grammar g;
    g.rules = {
        {words("and|as|assert|async|await|break|class|continue|def|del|elif|else|except|finally|for|from|global|if|"
               "import|in|is|lambda|nonlocal|not|or|pass|raise|return|try|while|with|yield"),
         Token::Keyword},
        {words("True|False|None|self|print|len|range|dict|list|str|int|float|open"), Token::Type},
        {re(R"(^\s*@[\w.]+)"), Token::Variable},
        kNumber,
        kDoubleQuoted,
        kSingleQuoted,
        kHashComment,
    };
    g.multiLine = {{re(R"(""")"), re(R"(""")"), Token::String}, {re(R"(''')"), re(R"(''')"), Token::String}};
    return g;
}

Grammar dockerfile()
{
    Grammar g;
    g.rules = {
        {re(R"(^\s*(?:FROM|RUN|CMD|LABEL|MAINTAINER|EXPOSE|ENV|ADD|COPY|ENTRYPOINT|VOLUME|USER|WORKDIR|ARG|ONBUILD|"
            R"(STOPSIGNAL|HEALTHCHECK|SHELL)\b)",
            QRegularExpression::CaseInsensitiveOption),
         Token::Keyword},
        {re(R"(\bAS\b)"), Token::Keyword},
        {re(R"(\$\{[^}]*\}|\$[A-Za-z_]\w*)"), Token::Variable},
        {re(R"((?<=\s)--[\w-]+)"), Token::Option},
        kDoubleQuoted,
        kSingleQuoted,
        {re(R"(^\s*#.*$)"), Token::Comment},
    };
    return g;
}

} // namespace

const Grammar *builtinGrammar(const QString &language)
{
    static const QHash<QString, Grammar> grammars = [] {
        QHash<QString, Grammar> all;
        const Grammar y = yaml(), s = shell();
        for (const char *name : {"yaml", "yml"})
            all.insert(QLatin1String(name), y);
        for (const char *name : {"bash", "sh", "shell", "zsh"})
            all.insert(QLatin1String(name), s);
        all.insert(QStringLiteral("json"), json());
        all.insert(QStringLiteral("go"), go());
        all.insert(QStringLiteral("golang"), go());
        all.insert(QStringLiteral("python"), python());
        all.insert(QStringLiteral("py"), python());
        all.insert(QStringLiteral("dockerfile"), dockerfile());
        all.insert(QStringLiteral("docker"), dockerfile());
        return all;
    }();
    const auto it = grammars.constFind(language.toLower());
    return it == grammars.cend() ? nullptr : &*it;
}

QStringList builtinLanguages()
{
    return {QStringLiteral("yaml"), QStringLiteral("bash"),   QStringLiteral("json"),
            QStringLiteral("go"),   QStringLiteral("python"), QStringLiteral("dockerfile")};
}

} // namespace orchestra::ui::highlighting
