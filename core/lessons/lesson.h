#pragma once

#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

namespace orchestra::lessons {

/// Where a lesson sits on the learning path.
enum class Stage { Theory, Practice, Project, CaseStudy };

/// Parses "theory", "practice", "project", "case-study"; false when unknown.
bool stageFromString(const QString &text, Stage *stage);
QString stageToString(Stage stage);

/// A cited source from a lesson's front matter.
struct Source final
{
    QString title;
    QString url;
};

/// An ATX heading of a lesson body (outside code blocks).
struct Heading final
{
    int level = 1;
    QString text; ///< Inline markdown removed.
    int line = 0; ///< 1-based line in the lesson file.
};

/// A link or image target found in a lesson body.
struct LinkRef final
{
    QString target; ///< As written, e.g. "../kubernetes-basics/03-pods.md#probes".
    int line = 0;   ///< 1-based line in the lesson file.
    int column = 0; ///< 1-based column.
    bool image = false;
};

/// A fenced block that references a manifest under content/manifests/.
struct ManifestRef final
{
    QString path; ///< Relative to content/manifests/.
    int line = 0;
};

/// One lesson in one language: front matter plus the markdown body.
struct Lesson final
{
    QString id; ///< "<track>/<slug>", the same in every language.
    QString track;
    QString language; ///< "en" or "ko".
    QString filePath; ///< Absolute path of the .md file.
    int position = 0; ///< NN from the file name.
    QString title;
    Stage stage = Stage::Theory;
    int minutes = 0;
    QStringList prerequisites;
    QStringList objectives;
    QList<Source> sources;
    QString body;     ///< Markdown after the front matter.
    int bodyLine = 1; ///< File line of the body's first line.
    QList<Heading> headings;
    QList<LinkRef> links;
    QList<ManifestRef> manifests;
};

/// One entry of a track file: a lesson id and its stage.
struct TrackLesson final
{
    QString id;
    Stage stage = Stage::Theory;
};

/// A track from content/tracks/<id>.yaml.
struct Track final
{
    QString id;
    QMap<QString, QString> titles;       ///< language -> title
    QMap<QString, QString> descriptions; ///< language -> one line
    QList<TrackLesson> lessons;          ///< In reading order.

    /// The title in `language`, falling back to English, then the id.
    QString title(const QString &language) const;
    QString description(const QString &language) const;
};

} // namespace orchestra::lessons
