#pragma once

#include <QAbstractItemModel>

namespace orchestra::lessons {

class Catalog;
class ProgressStore;

/// Tracks (top level) and their lessons (children) for the study desk's tree,
/// in the chosen language, with stage and progress roles for the delegates.
class TrackTreeModel final : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Role {
        IdRole = Qt::UserRole + 1, ///< track id or lesson id
        IsTrackRole,               ///< bool
        StageRole,                 ///< "theory" | "practice" | "project" | "case-study" (lessons)
        MinutesRole,               ///< int (lessons)
        CompletedRole,             ///< bool (lessons); for tracks: all lessons completed
        CompletedCountRole,        ///< int (tracks)
        LessonCountRole,           ///< int (tracks)
        FallbackLanguageRole,      ///< QString: the language shown when the lesson is missing in the chosen one
    };
    Q_ENUM(Role)

    explicit TrackTreeModel(QObject *parent = nullptr);

    /// The catalog and progress must outlive the model (or be reset first).
    void setCatalog(const Catalog *catalog);
    void setProgress(const ProgressStore *progress);
    void setLanguage(const QString &language);
    QString language() const { return m_language; }

    /// Call after the progress store changed (completion toggled).
    void progressChanged();

    QModelIndex indexForLesson(const QString &lessonId) const;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

private:
    int completedCount(int trackRow) const;

    const Catalog *m_catalog = nullptr;
    const ProgressStore *m_progress = nullptr;
    QString m_language = QStringLiteral("en");
};

} // namespace orchestra::lessons
