#include "lessons/progressstore.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QStandardPaths>

#include <algorithm>

namespace orchestra::lessons {

namespace {
constexpr int kFormatVersion = 1;
}

ProgressStore::ProgressStore(QString filePath)
    : m_path(std::move(filePath))
{
    if (m_path.isEmpty())
        m_path = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/progress.json");
}

bool ProgressStore::load()
{
    m_notice.clear();
    m_completed.clear();
    m_lastLesson.clear();
    m_scroll.clear();

    QFile file(m_path);
    if (!file.exists())
        return true;
    if (!file.open(QIODevice::ReadOnly)) {
        m_notice = QStringLiteral("Could not read your progress from %1: %2").arg(m_path, file.errorString());
        return false;
    }
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &error);
    file.close();
    const QJsonObject root = document.object();
    if (error.error != QJsonParseError::NoError || !document.isObject() ||
        !root.value(QStringLiteral("completed")).isArray()) {
        const QString backup = m_path + QStringLiteral(".corrupt-") +
                               QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMddThhmmss"));
        QFile::rename(m_path, backup);
        m_notice =
            QStringLiteral("Your lesson progress file was damaged and has been reset. The old file was kept as %1.")
                .arg(QFileInfo(backup).fileName());
        return false;
    }
    for (const QJsonValue &id : root.value(QStringLiteral("completed")).toArray())
        m_completed.insert(id.toString());
    m_lastLesson = root.value(QStringLiteral("lastLesson")).toString();
    const QJsonObject scroll = root.value(QStringLiteral("scroll")).toObject();
    for (auto it = scroll.begin(); it != scroll.end(); ++it)
        m_scroll.insert(it.key(), std::clamp(it.value().toDouble(), 0.0, 1.0));
    return true;
}

bool ProgressStore::save()
{
    QJsonArray completed;
    QStringList ids(m_completed.cbegin(), m_completed.cend());
    ids.sort(); // stable files diff well
    for (const QString &id : std::as_const(ids))
        completed.append(id);
    QJsonObject scroll;
    for (auto it = m_scroll.cbegin(); it != m_scroll.cend(); ++it)
        scroll.insert(it.key(), it.value());
    const QJsonObject root{{QStringLiteral("version"), kFormatVersion},
                           {QStringLiteral("completed"), completed},
                           {QStringLiteral("lastLesson"), m_lastLesson},
                           {QStringLiteral("scroll"), scroll}};

    QDir().mkpath(QFileInfo(m_path).absolutePath());
    QSaveFile file(m_path);
    if (!file.open(QIODevice::WriteOnly) || file.write(QJsonDocument(root).toJson(QJsonDocument::Indented)) < 0 ||
        !file.commit()) {
        m_notice = QStringLiteral("Could not save your progress to %1: %2").arg(m_path, file.errorString());
        return false;
    }
    return true;
}

void ProgressStore::setCompleted(const QString &lessonId, bool completed)
{
    if (completed)
        m_completed.insert(lessonId);
    else
        m_completed.remove(lessonId);
}

void ProgressStore::setScrollPosition(const QString &lessonId, double fraction)
{
    m_scroll.insert(lessonId, std::clamp(fraction, 0.0, 1.0));
}

} // namespace orchestra::lessons
