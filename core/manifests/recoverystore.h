#pragma once

#include "common/result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <memory>

class QLockFile;

namespace orchestra::manifests {

/// One unsaved buffer as the recovery folder keeps it.
struct RecoveryEntry final
{
    QString id;              ///< stable per buffer for the whole run: "<session>-<n>"
    QString session;         ///< the run that wrote it
    QString originalPath;    ///< the file it was opened from, empty when untitled
    QString title;           ///< "untitled 2", or the file name
    QString label;           ///< the lesson it came from, may be empty
    QJsonObject boundObject; ///< {apiVersion, kind, namespace, name, resourceVersion} for "Edit" tabs, else empty
    QString text;
    QDateTime savedAt;
};

/// The autosave folder (AppDataLocation/recovery): one <id>.yaml + <id>.json per modified buffer, written
/// atomically, removed on save or close. A lock file per run tells entries of a crashed run (lock stale) from
/// those of another running instance.
class RecoveryStore final
{
public:
    /// `directory` empty = QStandardPaths::AppDataLocation + "/recovery". Takes this run's session lock.
    explicit RecoveryStore(const QString &directory = {});
    ~RecoveryStore();
    RecoveryStore(const RecoveryStore &) = delete;
    RecoveryStore &operator=(const RecoveryStore &) = delete;

    QString directory() const { return m_directory; }
    QString session() const { return m_session; }
    /// A new buffer id in this session.
    QString newId();

    /// Writes `entry` (its id and session are kept; session defaults to this run's). Atomic per file.
    Result<void> save(RecoveryEntry entry);
    /// Forgets a buffer (saved or closed).
    void remove(const QString &id);
    /// Every entry on disk, newest first.
    QList<RecoveryEntry> entries() const;
    /// Entries left behind by runs that are no longer running (crashed or killed): what to offer on start.
    QList<RecoveryEntry> orphanedEntries() const;

private:
    bool sessionAlive(const QString &session) const;

    QString m_directory;
    QString m_session;
    int m_nextId = 1;
    std::unique_ptr<QLockFile> m_lock;
};

} // namespace orchestra::manifests
