#include "lessons/markdownscan.h"

#include <QRegularExpression>

namespace orchestra::lessons {

namespace {

// A fence opens with 3+ backticks or tildes (up to 3 spaces of indent) and
// closes with at least as many of the same character.
struct Fence
{
    QChar marker;
    qsizetype length = 0;
};

bool fenceStart(const QString &line, Fence *fence, QString *info)
{
    static const QRegularExpression re(QStringLiteral("^ {0,3}(`{3,}|~{3,})(.*)$"));
    const QRegularExpressionMatch match = re.match(line);
    if (!match.hasMatch())
        return false;
    const QString run = match.captured(1);
    if (run.front() == QLatin1Char('`') && match.captured(2).contains(QLatin1Char('`')))
        return false; // backtick fences may not have backticks in the info string
    fence->marker = run.front();
    fence->length = run.size();
    *info = match.captured(2).trimmed();
    return true;
}

bool fenceEnd(const QString &line, const Fence &fence)
{
    qsizetype indent = 0;
    while (indent < line.size() && line[indent] == QLatin1Char(' '))
        ++indent;
    if (indent > 3)
        return false;
    const QString rest = line.mid(indent).trimmed();
    if (rest.size() < fence.length)
        return false;
    for (QChar c : rest) {
        if (c != fence.marker)
            return false;
    }
    return true;
}

QString removeCodeSpans(const QString &line)
{
    static const QRegularExpression re(QStringLiteral("(`+)(.+?)\\1"));
    QString out = line;
    // Same length, so link columns stay right.
    QRegularExpressionMatchIterator it = re.globalMatch(line);
    while (it.hasNext()) {
        const QRegularExpressionMatch m = it.next();
        out.replace(m.capturedStart(), m.capturedLength(), QString(m.capturedLength(), QLatin1Char(' ')));
    }
    return out;
}

} // namespace

QString manifestPathFromFence(const QString &infoString)
{
    static const QRegularExpression re(QStringLiteral("(?:^|\\s)file=(\\S+)"));
    const QRegularExpressionMatch match = re.match(infoString);
    if (!match.hasMatch())
        return {};
    QString path = match.captured(1);
    if (path.size() >= 2 && (path.startsWith(QLatin1Char('"')) || path.startsWith(QLatin1Char('\''))))
        path = path.mid(1, path.size() - 2);
    return path;
}

QString stripInlineMarkdown(const QString &text)
{
    static const QRegularExpression link(QStringLiteral("!?\\[([^\\]]*)\\]\\([^)]*\\)"));
    static const QRegularExpression emphasis(QStringLiteral("(\\*\\*|__|\\*|_|~~)(?=\\S)(.+?)(?<=\\S)\\1"));
    QString out = text;
    out.replace(link, QStringLiteral("\\1"));
    out.replace(emphasis, QStringLiteral("\\2"));
    out.remove(QLatin1Char('`'));
    return out.trimmed();
}

void scanBody(Lesson &lesson)
{
    static const QRegularExpression heading(QStringLiteral("^ {0,3}(#{1,6})\\s+(.*?)\\s*#*\\s*$"));
    static const QRegularExpression linkRe(
        QStringLiteral("(!?)\\[(?:[^\\]\\\\]|\\\\.)*\\]\\(\\s*<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\s*\\)"));

    lesson.headings.clear();
    lesson.links.clear();
    lesson.manifests.clear();

    const QStringList lines = lesson.body.split(QLatin1Char('\n'));
    bool inFence = false;
    Fence fence;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QString &line = lines[i];
        const int fileLine = lesson.bodyLine + static_cast<int>(i);
        QString info;
        if (inFence) {
            if (fenceEnd(line, fence))
                inFence = false;
            continue;
        }
        if (fenceStart(line, &fence, &info)) {
            inFence = true;
            const QString manifest = manifestPathFromFence(info);
            if (!manifest.isEmpty())
                lesson.manifests.append({manifest, fileLine});
            continue;
        }
        if (line.startsWith(QStringLiteral("    ")) || line.startsWith(QLatin1Char('\t')))
            continue; // indented code
        const QRegularExpressionMatch h = heading.match(line);
        if (h.hasMatch())
            lesson.headings.append(
                {static_cast<int>(h.capturedLength(1)), stripInlineMarkdown(h.captured(2)), fileLine});
        const QString scanned = removeCodeSpans(line);
        QRegularExpressionMatchIterator it = linkRe.globalMatch(scanned);
        while (it.hasNext()) {
            const QRegularExpressionMatch m = it.next();
            lesson.links.append(
                {m.captured(2), fileLine, static_cast<int>(m.capturedStart(0)) + 1, !m.captured(1).isEmpty()});
        }
    }
}

QString plainText(const QString &markdown)
{
    static const QRegularExpression fenceLine(QStringLiteral("^ {0,3}(`{3,}|~{3,}).*$"),
                                              QRegularExpression::MultilineOption);
    static const QRegularExpression callout(QStringLiteral("^\\s*>\\s*\\[![A-Z]+\\]\\s*$"),
                                            QRegularExpression::MultilineOption);
    static const QRegularExpression lineMarkup(QStringLiteral("^\\s*(#{1,6}\\s+|>\\s?|[-*+]\\s+|\\d+[.)]\\s+|\\|)"),
                                               QRegularExpression::MultilineOption);
    static const QRegularExpression tableRule(QStringLiteral("^[\\s|:-]+$"), QRegularExpression::MultilineOption);
    QString text = markdown;
    text.remove(fenceLine);
    text.remove(callout);
    text.remove(tableRule);
    text.replace(lineMarkup, QString());
    text = stripInlineMarkdown(text);
    text.replace(QLatin1Char('|'), QLatin1Char(' '));
    return text;
}

} // namespace orchestra::lessons

namespace orchestra::lessons {

QString headingSlug(const QString &heading)
{
    QString slug;
    for (const QChar c : stripInlineMarkdown(heading).toLower()) {
        if (c.isLetterOrNumber() || c == QLatin1Char('-') || c == QLatin1Char('_'))
            slug += c;
        else if (c.isSpace())
            slug += QLatin1Char('-');
    }
    return slug;
}

} // namespace orchestra::lessons
