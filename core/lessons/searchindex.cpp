#include "lessons/searchindex.h"

#include "lessons/markdownscan.h"

#include <QRegularExpression>

#include <algorithm>

namespace orchestra::lessons {

namespace {

constexpr int kTitleScore = 1000;
constexpr int kHeadingScore = 100;
constexpr int kBodyScore = 1;
constexpr int kBodyCap = 50;
constexpr qsizetype kSnippetRadius = 70;

QString collapseWhitespace(const QString &text)
{
    static const QRegularExpression ws(QStringLiteral("\\s+"));
    return QString(text).replace(ws, QStringLiteral(" ")).trimmed();
}

// toCaseFolded() keeps the length for the scripts we teach in (Latin, Hangul),
// so offsets found in the folded text index the original; guard anyway.
QString foldSameLength(const QString &text)
{
    QString folded = text.toCaseFolded();
    return folded.size() == text.size() ? folded : text.toLower();
}

} // namespace

SearchIndex::SearchIndex(const Catalog &catalog, const QString &language)
{
    int order = 0;
    for (const QString &id : catalog.lessonIds()) {
        const Lesson *lesson = catalog.lesson(id, language);
        if (!lesson)
            continue;
        Entry entry;
        entry.id = id;
        entry.title = lesson->title;
        entry.titleFolded = foldSameLength(lesson->title);
        for (const Heading &heading : lesson->headings) {
            entry.headings.append(heading.text);
            entry.headingsFolded.append(foldSameLength(heading.text));
        }
        entry.body = collapseWhitespace(plainText(lesson->body));
        entry.bodyFolded = foldSameLength(entry.body);
        entry.order = order++;
        m_entries.append(std::move(entry));
    }
}

QList<SearchResult> SearchIndex::search(const QString &query, int limit) const
{
    const QStringList terms =
        foldSameLength(query).split(QRegularExpression(QStringLiteral("\\s+")), Qt::SkipEmptyParts);
    if (terms.isEmpty())
        return {};

    QList<std::pair<int, SearchResult>> hits; // (order, result)
    for (const Entry &entry : m_entries) {
        SearchResult result;
        bool allFound = true;
        int best = 3; // 0 title, 1 heading, 2 body
        qsizetype firstBodyMatch = -1;
        qsizetype firstMatchLength = 0;
        for (const QString &term : terms) {
            int termScore = 0;
            if (entry.titleFolded.contains(term)) {
                termScore += kTitleScore;
                best = std::min(best, 0);
            }
            for (qsizetype h = 0; h < entry.headingsFolded.size(); ++h) {
                if (entry.headingsFolded[h].contains(term)) {
                    termScore += kHeadingScore;
                    if (best > 1 || (best == 1 && result.heading.isEmpty()))
                        result.heading = entry.headings[h];
                    best = std::min(best, 1);
                    break;
                }
            }
            const qsizetype first = entry.bodyFolded.indexOf(term);
            if (first >= 0 && (firstBodyMatch < 0 || first < firstBodyMatch)) {
                firstBodyMatch = first;
                firstMatchLength = term.size();
            }
            int bodyCount = 0;
            for (qsizetype pos = first; pos >= 0 && bodyCount < kBodyCap;
                 pos = entry.bodyFolded.indexOf(term, pos + term.size()))
                ++bodyCount;
            if (bodyCount > 0)
                best = std::min(best, 2);
            termScore += bodyCount * kBodyScore;
            if (termScore == 0) {
                allFound = false;
                break;
            }
            result.score += termScore;
        }
        if (!allFound)
            continue;
        result.lessonId = entry.id;
        result.title = entry.title;
        result.field = best == 0   ? SearchResult::Field::Title
                       : best == 1 ? SearchResult::Field::Heading
                                   : SearchResult::Field::Body;
        if (firstBodyMatch >= 0) {
            const qsizetype start = std::max<qsizetype>(0, firstBodyMatch - kSnippetRadius);
            const qsizetype end = std::min(entry.body.size(), firstBodyMatch + firstMatchLength + kSnippetRadius);
            result.snippet = (start > 0 ? QStringLiteral("…") : QString()) + entry.body.mid(start, end - start) +
                             (end < entry.body.size() ? QStringLiteral("…") : QString());
        } else if (!result.heading.isEmpty()) {
            result.snippet = result.heading;
        }
        hits.append({entry.order, result});
    }
    std::stable_sort(hits.begin(), hits.end(), [](const auto &a, const auto &b) {
        return a.second.score != b.second.score ? a.second.score > b.second.score : a.first < b.first;
    });
    QList<SearchResult> results;
    for (qsizetype i = 0; i < hits.size() && i < limit; ++i)
        results.append(hits[i].second);
    return results;
}

} // namespace orchestra::lessons
