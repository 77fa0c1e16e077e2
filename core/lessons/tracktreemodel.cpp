#include "lessons/tracktreemodel.h"

#include "lessons/catalog.h"
#include "lessons/progressstore.h"

namespace orchestra::lessons {

// internalId 0 marks a track row; a lesson row stores its track row + 1.
TrackTreeModel::TrackTreeModel(QObject *parent)
    : QAbstractItemModel(parent)
{}

void TrackTreeModel::setCatalog(const Catalog *catalog)
{
    beginResetModel();
    m_catalog = catalog;
    endResetModel();
}

void TrackTreeModel::setProgress(const ProgressStore *progress)
{
    m_progress = progress;
    progressChanged();
}

void TrackTreeModel::setLanguage(const QString &language)
{
    if (language == m_language)
        return;
    m_language = language;
    const int tracks = rowCount();
    if (tracks == 0)
        return;
    emit dataChanged(index(0, 0), index(tracks - 1, 0));
    for (int t = 0; t < tracks; ++t) {
        const QModelIndex track = index(t, 0);
        if (const int lessons = rowCount(track); lessons > 0)
            emit dataChanged(index(0, 0, track), index(lessons - 1, 0, track));
    }
}

void TrackTreeModel::progressChanged()
{
    const int tracks = rowCount();
    for (int t = 0; t < tracks; ++t) {
        const QModelIndex track = index(t, 0);
        emit dataChanged(track, track, {CompletedRole, CompletedCountRole, Qt::DisplayRole});
        if (const int lessons = rowCount(track); lessons > 0)
            emit dataChanged(index(0, 0, track), index(lessons - 1, 0, track), {CompletedRole});
    }
}

QModelIndex TrackTreeModel::indexForLesson(const QString &lessonId) const
{
    if (!m_catalog)
        return {};
    const QList<Track> &tracks = m_catalog->tracks();
    for (int t = 0; t < tracks.size(); ++t) {
        for (int l = 0; l < tracks[t].lessons.size(); ++l) {
            if (tracks[t].lessons[l].id == lessonId)
                return index(l, 0, index(t, 0));
        }
    }
    return {};
}

QModelIndex TrackTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    if (!parent.isValid())
        return createIndex(row, column, quintptr(0));
    return createIndex(row, column, quintptr(parent.row() + 1));
}

QModelIndex TrackTreeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || child.internalId() == 0)
        return {};
    return createIndex(static_cast<int>(child.internalId() - 1), 0, quintptr(0));
}

int TrackTreeModel::rowCount(const QModelIndex &parent) const
{
    if (!m_catalog || parent.column() > 0)
        return 0;
    if (!parent.isValid())
        return static_cast<int>(m_catalog->tracks().size());
    if (parent.internalId() != 0)
        return 0;
    return static_cast<int>(m_catalog->tracks().at(parent.row()).lessons.size());
}

int TrackTreeModel::columnCount(const QModelIndex &) const
{
    return 1;
}

int TrackTreeModel::completedCount(int trackRow) const
{
    if (!m_progress)
        return 0;
    int done = 0;
    for (const TrackLesson &lesson : m_catalog->tracks().at(trackRow).lessons)
        done += m_progress->isCompleted(lesson.id) ? 1 : 0;
    return done;
}

QVariant TrackTreeModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid) || !m_catalog)
        return {};
    if (index.internalId() == 0) {
        const Track &track = m_catalog->tracks().at(index.row());
        const int total = static_cast<int>(track.lessons.size());
        switch (role) {
        case Qt::DisplayRole:
            return track.title(m_language);
        case Qt::ToolTipRole:
            return track.description(m_language);
        case IdRole:
            return track.id;
        case IsTrackRole:
            return true;
        case CompletedCountRole:
            return completedCount(index.row());
        case LessonCountRole:
            return total;
        case CompletedRole:
            return total > 0 && completedCount(index.row()) == total;
        default:
            return {};
        }
    }
    const Track &track = m_catalog->tracks().at(static_cast<int>(index.internalId() - 1));
    const TrackLesson &entry = track.lessons.at(index.row());
    const Lesson *lesson = m_catalog->lessonOrFallback(entry.id, m_language);
    switch (role) {
    case Qt::DisplayRole:
        return QStringLiteral("%1. %2").arg(index.row() + 1).arg(lesson ? lesson->title : entry.id);
    case Qt::ToolTipRole:
        return lesson ? lesson->objectives.join(QLatin1Char('\n')) : QString();
    case IdRole:
        return entry.id;
    case IsTrackRole:
        return false;
    case StageRole:
        return stageToString(entry.stage);
    case MinutesRole:
        return lesson ? lesson->minutes : 0;
    case CompletedRole:
        return m_progress && m_progress->isCompleted(entry.id);
    case FallbackLanguageRole:
        return lesson && lesson->language != m_language ? lesson->language : QString();
    default:
        return {};
    }
}

QHash<int, QByteArray> TrackTreeModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractItemModel::roleNames();
    names.insert(IdRole, "id");
    names.insert(IsTrackRole, "isTrack");
    names.insert(StageRole, "stage");
    names.insert(MinutesRole, "minutes");
    names.insert(CompletedRole, "completed");
    names.insert(CompletedCountRole, "completedCount");
    names.insert(LessonCountRole, "lessonCount");
    names.insert(FallbackLanguageRole, "fallbackLanguage");
    return names;
}

} // namespace orchestra::lessons
