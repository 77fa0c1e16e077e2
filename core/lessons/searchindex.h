#pragma once

#include "lessons/catalog.h"

namespace orchestra::lessons {

/// One hit of a full-text search.
struct SearchResult final
{
    enum class Field { Title, Heading, Body };
    QString lessonId;
    QString title;
    Field field = Field::Body; ///< The best field that matched.
    QString heading;           ///< The matching heading when field == Heading.
    QString snippet;           ///< Text around the first body match (or the heading).
    int score = 0;
};

/// Full-text search over titles, headings and bodies of one language.
/// Ranking: title matches > heading matches > body matches; every query word
/// must occur somewhere. Case-insensitive substring matching, which also works
/// for Korean (no word boundaries needed).
class SearchIndex final
{
public:
    SearchIndex() = default;
    SearchIndex(const Catalog &catalog, const QString &language);

    QList<SearchResult> search(const QString &query, int limit = 50) const;
    qsizetype size() const { return m_entries.size(); }

private:
    struct Entry
    {
        QString id;
        QString title;
        QString titleFolded;
        QStringList headings;
        QStringList headingsFolded;
        QString body;       ///< Plain text with whitespace collapsed.
        QString bodyFolded; ///< body.toCaseFolded(), same length as body.
        int order = 0;
    };
    QList<Entry> m_entries;
};

} // namespace orchestra::lessons
