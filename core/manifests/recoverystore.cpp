#include "manifests/recoverystore.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QLockFile>
#include <QSaveFile>
#include <QStandardPaths>
#include <QUuid>

namespace orchestra::manifests {

namespace {

QString lockPath(const QString &directory, const QString &session)
{
    return directory + QStringLiteral("/session-") + session + QStringLiteral(".lock");
}

Result<void> writeAtomically(const QString &path, const QByteArray &data)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(data) != data.size() || !file.commit())
        return Error{QStringLiteral("Cannot write the recovery file"), QStringLiteral("Check free disk space."), path};
    return {};
}

} // namespace

RecoveryStore::RecoveryStore(const QString &directory)
    : m_directory(directory.isEmpty()
                      ? QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/recovery")
                      : directory)
    , m_session(QUuid::createUuid().toString(QUuid::Id128).left(12))
{
    QDir().mkpath(m_directory);
    m_lock = std::make_unique<QLockFile>(lockPath(m_directory, m_session));
    m_lock->setStaleLockTime(0); // only a dead process makes it stale, never age
    m_lock->tryLock(0);
}

RecoveryStore::~RecoveryStore() = default;

QString RecoveryStore::newId()
{
    return QStringLiteral("%1-%2").arg(m_session).arg(m_nextId++);
}

Result<void> RecoveryStore::save(RecoveryEntry entry)
{
    if (entry.id.isEmpty())
        entry.id = newId();
    if (entry.session.isEmpty())
        entry.session = m_session;
    if (!entry.savedAt.isValid())
        entry.savedAt = QDateTime::currentDateTimeUtc();
    const QString base = m_directory + QLatin1Char('/') + entry.id;
    // Text first: metadata without its text is never listed, text without metadata is ignored.
    if (auto written = writeAtomically(base + QStringLiteral(".yaml"), entry.text.toUtf8()); !written)
        return written;
    const QJsonObject metadata{{QStringLiteral("id"), entry.id},
                               {QStringLiteral("session"), entry.session},
                               {QStringLiteral("originalPath"), entry.originalPath},
                               {QStringLiteral("title"), entry.title},
                               {QStringLiteral("label"), entry.label},
                               {QStringLiteral("boundObject"), entry.boundObject},
                               {QStringLiteral("savedAt"), entry.savedAt.toString(Qt::ISODateWithMs)}};
    return writeAtomically(base + QStringLiteral(".json"), QJsonDocument(metadata).toJson());
}

void RecoveryStore::remove(const QString &id)
{
    const QString base = m_directory + QLatin1Char('/') + id;
    QFile::remove(base + QStringLiteral(".json"));
    QFile::remove(base + QStringLiteral(".yaml"));
}

QList<RecoveryEntry> RecoveryStore::entries() const
{
    QList<RecoveryEntry> result;
    const QDir dir(m_directory);
    for (const QString &name : dir.entryList({QStringLiteral("*.json")}, QDir::Files)) {
        QFile metaFile(dir.filePath(name));
        QFile textFile(dir.filePath(name.chopped(5) + QStringLiteral(".yaml")));
        if (!metaFile.open(QIODevice::ReadOnly) || !textFile.open(QIODevice::ReadOnly))
            continue;
        const QJsonObject meta = QJsonDocument::fromJson(metaFile.readAll()).object();
        if (meta.value(QStringLiteral("id")).toString().isEmpty())
            continue;
        RecoveryEntry entry;
        entry.id = meta.value(QStringLiteral("id")).toString();
        entry.session = meta.value(QStringLiteral("session")).toString();
        entry.originalPath = meta.value(QStringLiteral("originalPath")).toString();
        entry.title = meta.value(QStringLiteral("title")).toString();
        entry.label = meta.value(QStringLiteral("label")).toString();
        entry.boundObject = meta.value(QStringLiteral("boundObject")).toObject();
        entry.savedAt = QDateTime::fromString(meta.value(QStringLiteral("savedAt")).toString(), Qt::ISODateWithMs);
        entry.text = QString::fromUtf8(textFile.readAll());
        result.append(entry);
    }
    std::sort(result.begin(), result.end(),
              [](const RecoveryEntry &a, const RecoveryEntry &b) { return a.savedAt > b.savedAt; });
    return result;
}

bool RecoveryStore::sessionAlive(const QString &session) const
{
    if (session == m_session)
        return true;
    QLockFile lock(lockPath(m_directory, session));
    lock.setStaleLockTime(0);
    if (lock.tryLock(0)) {
        lock.unlock(); // nobody held it: that run is gone (removes the stale file too)
        return false;
    }
    return lock.error() == QLockFile::LockFailedError;
}

QList<RecoveryEntry> RecoveryStore::orphanedEntries() const
{
    QList<RecoveryEntry> result;
    for (const RecoveryEntry &entry : entries()) {
        if (!sessionAlive(entry.session))
            result.append(entry);
    }
    return result;
}

} // namespace orchestra::manifests
