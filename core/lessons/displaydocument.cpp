#include "lessons/displaydocument.h"

#include "lessons/catalog.h"
#include "lessons/markdownscan.h"

#include <QFile>
#include <QRegularExpression>

namespace orchestra::lessons {

namespace {

bool isCommandLanguage(const QString &language)
{
    // "console" and "text" blocks show output (content/README.md), so they get no Copy link.
    static const QStringList commands{QStringLiteral("bash"), QStringLiteral("sh"), QStringLiteral("shell"),
                                      QStringLiteral("powershell"), QStringLiteral("zsh")};
    return commands.contains(language);
}

QString fenceFor(const QString &code)
{
    // A fence longer than any backtick run inside the code.
    static const QRegularExpression runs(QStringLiteral("`{3,}"));
    qsizetype longest = 2;
    QRegularExpressionMatchIterator it = runs.globalMatch(code);
    while (it.hasNext())
        longest = std::max(longest, it.next().capturedLength());
    return QString(longest + 1, QLatin1Char('`'));
}

// Placeholders such as <cluster-id> in prose would be read as raw HTML, and
// Qt's markdown import then drops the rest of the paragraph. Escape them,
// outside code spans (where a backslash would show) and autolinks.
QString escapeAngleBrackets(const QString &line)
{
    if (!line.contains(QLatin1Char('<')))
        return line;
    QString out;
    out.reserve(line.size() + 8);
    qsizetype i = 0;
    while (i < line.size()) {
        const QChar c = line[i];
        if (c == QLatin1Char('`')) {
            qsizetype run = 0;
            while (i + run < line.size() && line[i + run] == QLatin1Char('`'))
                ++run;
            const QString fence(run, QLatin1Char('`'));
            const qsizetype close = line.indexOf(fence, i + run);
            const qsizetype end = close < 0 ? i + run : close + run;
            out += line.mid(i, end - i);
            i = end;
            continue;
        }
        if (c == QLatin1Char('<') && !line.mid(i + 1, 5).startsWith(QStringLiteral("http")) &&
            (i == 0 || line[i - 1] != QLatin1Char('\\')))
            out += QLatin1Char('\\');
        out += c;
        ++i;
    }
    return out;
}

} // namespace

bool DisplayDocument::hasSourcesFooter(const Lesson &lesson, const DisplayLabels &labels)
{
    // Lessons that cite their sources in a section of their own need no second list.
    return !lesson.sources.isEmpty() &&
           std::none_of(lesson.headings.cbegin(), lesson.headings.cend(), [&labels](const Heading &heading) {
               return heading.text.compare(labels.sources, Qt::CaseInsensitive) == 0;
           });
}

DisplayDocument DisplayDocument::build(const Lesson &lesson, const Catalog &catalog, const QSet<int> &revealedAnswers,
                                       const DisplayLabels &labels)
{
    static const QRegularExpression fenceOpen(QStringLiteral("^ {0,3}(`{3,}|~{3,})\\s*([^`\\s]*)(.*)$"));
    static const QRegularExpression calloutRe(QStringLiteral("^\\s*>\\s*\\[!([A-Za-z]+)\\]\\s*$"));
    static const QRegularExpression h1(QStringLiteral("^#\\s+"));

    DisplayDocument doc;
    QStringList out;

    QStringList header;
    header << QStringLiteral("*%1 · %2*")
                  .arg(labels.stages.value(lesson.stage), labels.minutes.arg(lesson.minutes > 0 ? lesson.minutes : 0));
    header << QString();
    if (!lesson.objectives.isEmpty()) {
        header << QStringLiteral("**%1**").arg(labels.objectives) << QString();
        for (const QString &objective : lesson.objectives)
            header << QStringLiteral("- ") + escapeAngleBrackets(objective);
        header << QString();
    }

    QString body = lesson.body;
    while (body.startsWith(QLatin1Char('\n')))
        body.remove(0, 1);
    const QStringList lines = body.split(QLatin1Char('\n'));
    bool headerDone = false;
    if (lines.isEmpty() ||
        !std::any_of(lines.cbegin(), lines.cend(), [](const QString &l) { return h1.match(l).hasMatch(); })) {
        out << QStringLiteral("# ") + lesson.title << QString() << header;
        headerDone = true;
    }

    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QString &line = lines[i];
        if (!headerDone && h1.match(line).hasMatch()) {
            out << line << QString() << header;
            headerDone = true;
            continue;
        }

        const QRegularExpressionMatch fence = fenceOpen.match(line);
        if (fence.hasMatch()) {
            const QString marker = fence.captured(1);
            CodeBlock block;
            block.language = fence.captured(2).toLower();
            block.manifestPath = manifestPathFromFence(fence.captured(2) + fence.captured(3));
            QStringList codeLines;
            qsizetype j = i + 1;
            for (; j < lines.size(); ++j) {
                const QString trimmed = lines[j].trimmed();
                if (trimmed.startsWith(marker) && trimmed.count(marker.front()) == trimmed.size())
                    break;
                codeLines << lines[j];
            }
            i = j; // skip the closing fence (or run to the end of an unclosed block)
            if (!block.manifestPath.isEmpty()) {
                QFile file(catalog.manifestPath(block.manifestPath));
                block.code = file.open(QIODevice::ReadOnly)
                                 ? QString::fromUtf8(file.readAll()).remove(QLatin1Char('\r'))
                                 : labels.missingManifest.arg(block.manifestPath);
                if (block.code.endsWith(QLatin1Char('\n')))
                    block.code.chop(1);
            } else {
                block.code = codeLines.join(QLatin1Char('\n'));
            }
            const int n = static_cast<int>(doc.codeBlocks.size());
            if (!block.manifestPath.isEmpty()) {
                out << QStringLiteral("[%1](orchestra:copy/%4) · [%2](orchestra:open/%4) · [%3](orchestra:apply/%4)")
                           .arg(labels.copy, labels.openInEditor, labels.apply)
                           .arg(n)
                    << QString();
            } else if (isCommandLanguage(block.language)) {
                out << QStringLiteral("[%1](orchestra:copy/%2)").arg(labels.copy).arg(n) << QString();
            }
            const QString fenceText = fenceFor(block.code);
            out << fenceText + block.language << block.code << fenceText;
            doc.codeBlocks.append(block);
            continue;
        }

        const QRegularExpressionMatch callout = calloutRe.match(line);
        if (callout.hasMatch()) {
            const QString kind = callout.captured(1).toUpper();
            if (kind == QLatin1String("ANSWER")) {
                const int n = doc.answerCount++;
                QStringList answer;
                qsizetype j = i + 1;
                for (; j < lines.size() && lines[j].trimmed().startsWith(QLatin1Char('>')); ++j)
                    answer << escapeAngleBrackets(lines[j]);
                i = j - 1;
                if (revealedAnswers.contains(n)) {
                    out << QStringLiteral("> **%1**").arg(labels.answer) << QStringLiteral(">") << answer
                        << QStringLiteral(">")
                        << QStringLiteral("> [%1](orchestra:answer/%2)").arg(labels.hideAnswer).arg(n);
                } else {
                    out << QStringLiteral("[%1](orchestra:answer/%2)").arg(labels.showAnswer).arg(n);
                }
                continue;
            }
            const QString label = kind == QLatin1String("WARNING") || kind == QLatin1String("CAUTION") ||
                                          kind == QLatin1String("IMPORTANT")
                                      ? labels.warning
                                  : kind == QLatin1String("TIP") ? labels.tip
                                                                 : labels.note;
            out << QStringLiteral("> **%1**").arg(label) << QStringLiteral(">");
            continue;
        }
        out << escapeAngleBrackets(line);
    }

    if (hasSourcesFooter(lesson, labels)) {
        out << QString() << QStringLiteral("## %1").arg(labels.sources) << QString();
        for (const Source &source : lesson.sources)
            out << QStringLiteral("- [%1](%2)").arg(source.title, source.url);
    }
    doc.markdown = out.join(QLatin1Char('\n')) + QLatin1Char('\n');
    return doc;
}

} // namespace orchestra::lessons
