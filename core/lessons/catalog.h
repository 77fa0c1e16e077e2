#pragma once

#include "lessons/lesson.h"

#include <QHash>

namespace orchestra::lessons {

/// One finding of the content validator.
struct Problem final
{
    enum class Severity { Warning, Error };
    Severity severity = Severity::Error;
    QString location; ///< "file:line:col" or "file".
    QString message;

    QString toString() const;
};

/// The curriculum under content/: tracks in order and every lesson in every
/// language, plus what the validator found. Loading never fails: problems are
/// listed, and whatever could be read is usable.
class Catalog final
{
public:
    static const QStringList &languages(); ///< {"en", "ko"}

    /// How much load() checks beyond what reading needs.
    enum class Checks {
        Full,   ///< Also parses every referenced manifest (the content test, the validator).
        Reading ///< Manifests are only checked to exist (app start: the reader parses a file when shown).
    };

    /// Loads and validates `contentDir` (tracks.yaml, tracks/*.yaml, <lang>/<track>/*.md, manifests/, assets/).
    static Catalog load(const QString &contentDir, Checks checks = Checks::Full);

    QString contentDirectory() const { return m_dir; }
    const QList<Track> &tracks() const { return m_tracks; }
    const Track *track(const QString &trackId) const;

    /// The lesson in `language`, or nullptr.
    const Lesson *lesson(const QString &id, const QString &language) const;
    /// The lesson in `language`, else in the other language (for the "shown in English" notice).
    const Lesson *lessonOrFallback(const QString &id, const QString &language) const;
    /// Every lesson id in reading order (tracks in order, lessons in track order).
    QStringList lessonIds() const;
    /// The id after `id` in reading order, empty at the end.
    QString nextLessonId(const QString &id) const;
    /// The lesson id a relative link in `from` points to ("../minikube/02-clusters.md#x" -> "minikube/clusters").
    QString resolveLessonLink(const Lesson &from, const QString &target) const;
    /// Absolute path of a manifest referenced as `path` (relative to content/manifests).
    QString manifestPath(const QString &path) const;

    const QList<Problem> &problems() const { return m_problems; }
    bool hasErrors() const;

private:
    void loadTracks();
    void loadLessons();
    void validate(Checks checks);
    void addProblem(Problem::Severity severity, const QString &location, const QString &message);

    QString m_dir;
    QList<Track> m_tracks;
    QHash<QString, QHash<QString, Lesson>> m_lessons; ///< language -> id -> lesson
    QHash<QString, QString> m_idByFile;               ///< absolute .md path -> id
    QList<Problem> m_problems;
};

} // namespace orchestra::lessons
