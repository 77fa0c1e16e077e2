#pragma once

#include <QHash>
#include <QSet>
#include <QString>

namespace orchestra::lessons {

/// What the learner has done: completed lessons, the last lesson opened and
/// each lesson's scroll position. Stored as JSON (written atomically with
/// QSaveFile); a corrupt file is moved aside and progress starts fresh, with
/// a notice for the UI.
class ProgressStore final
{
public:
    /// Progress in `filePath`; the default is AppDataLocation/progress.json.
    explicit ProgressStore(QString filePath = {});

    /// Reads the file. Returns false when it was corrupt (see notice()).
    bool load();
    /// Writes the file atomically. Returns false (and sets notice()) on I/O errors.
    bool save();

    QString filePath() const { return m_path; }
    /// A sentence for the user after a corrupt file or a failed save; empty otherwise.
    QString notice() const { return m_notice; }

    bool isCompleted(const QString &lessonId) const { return m_completed.contains(lessonId); }
    void setCompleted(const QString &lessonId, bool completed);
    const QSet<QString> &completed() const { return m_completed; }

    QString lastLesson() const { return m_lastLesson; }
    void setLastLesson(const QString &lessonId) { m_lastLesson = lessonId; }

    /// Scroll position as a fraction 0..1 of the document height (survives font changes).
    double scrollPosition(const QString &lessonId) const { return m_scroll.value(lessonId, 0.0); }
    void setScrollPosition(const QString &lessonId, double fraction);

private:
    QString m_path;
    QString m_notice;
    QSet<QString> m_completed;
    QString m_lastLesson;
    QHash<QString, double> m_scroll;
};

} // namespace orchestra::lessons
