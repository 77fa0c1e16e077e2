#include "lessons/catalog.h"

#include "lessons/lessonfile.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QUrl>

#include <yaml-cpp/yaml.h>

namespace orchestra::lessons {

namespace {

QString yamlLocation(const QString &file, const YAML::Mark &mark)
{
    if (mark.line < 0)
        return file;
    return fileLocation(file, mark.line + 1, mark.column + 1);
}

QString slugOf(const QString &id)
{
    return id.section(QLatin1Char('/'), 1);
}

QString lessonFileName(int position, const QString &id)
{
    return QStringLiteral("%1-%2.md").arg(position, 2, 10, QLatin1Char('0')).arg(slugOf(id));
}

QMap<QString, QString> languageMap(const YAML::Node &node)
{
    QMap<QString, QString> out;
    if (node && node.IsMap()) {
        for (const auto &entry : node)
            out.insert(QString::fromStdString(entry.first.Scalar()), QString::fromStdString(entry.second.Scalar()));
    } else if (node && node.IsScalar()) {
        out.insert(QStringLiteral("en"), QString::fromStdString(node.Scalar()));
    }
    return out;
}

} // namespace

QString Problem::toString() const
{
    return QStringLiteral("%1: %2: %3")
        .arg(location, severity == Severity::Error ? QStringLiteral("error") : QStringLiteral("warning"), message);
}

const QStringList &Catalog::languages()
{
    static const QStringList languages{QStringLiteral("en"), QStringLiteral("ko")};
    return languages;
}

Catalog Catalog::load(const QString &contentDir, Checks checks)
{
    Catalog catalog;
    catalog.m_dir = QDir(contentDir).absolutePath();
    catalog.loadTracks();
    catalog.loadLessons();
    catalog.validate(checks);
    return catalog;
}

void Catalog::addProblem(Problem::Severity severity, const QString &location, const QString &message)
{
    m_problems.append({severity, location, message});
}

bool Catalog::hasErrors() const
{
    return std::any_of(m_problems.cbegin(), m_problems.cend(),
                       [](const Problem &p) { return p.severity == Problem::Severity::Error; });
}

void Catalog::loadTracks()
{
    const QString tracksFile = m_dir + QStringLiteral("/tracks.yaml");
    QStringList trackIds;
    try {
        const YAML::Node root = YAML::LoadFile(tracksFile.toStdString());
        const YAML::Node list = root["tracks"];
        if (!list || !list.IsSequence()) {
            addProblem(Problem::Severity::Error, tracksFile, QStringLiteral("needs a 'tracks' list"));
            return;
        }
        for (const YAML::Node &item : list)
            trackIds.append(QString::fromStdString(item.Scalar()));
    } catch (const YAML::BadFile &) {
        addProblem(Problem::Severity::Error, tracksFile, QStringLiteral("cannot be read"));
        return;
    } catch (const YAML::Exception &error) {
        addProblem(Problem::Severity::Error, yamlLocation(tracksFile, error.mark), QString::fromStdString(error.msg));
        return;
    }

    for (const QString &trackId : std::as_const(trackIds)) {
        const QString file = QStringLiteral("%1/tracks/%2.yaml").arg(m_dir, trackId);
        if (!QFileInfo::exists(file)) {
            addProblem(Problem::Severity::Error, tracksFile,
                       QStringLiteral("track '%1' has no file tracks/%1.yaml").arg(trackId));
            continue;
        }
        try {
            const YAML::Node root = YAML::LoadFile(file.toStdString());
            Track track;
            track.id = QString::fromStdString(root["id"].as<std::string>(""));
            if (track.id != trackId)
                addProblem(Problem::Severity::Error, yamlLocation(file, root["id"].Mark()),
                           QStringLiteral("id '%1' does not match the file name '%2'").arg(track.id, trackId));
            track.id = trackId;
            track.titles = languageMap(root["title"]);
            track.descriptions = languageMap(root["description"]);
            for (const QString &language : languages()) {
                if (!track.titles.contains(language))
                    addProblem(Problem::Severity::Error, file, QStringLiteral("no '%1' title").arg(language));
            }
            for (const YAML::Node &entry : root["lessons"]) {
                TrackLesson lesson;
                lesson.id = QString::fromStdString(entry["id"].as<std::string>(""));
                const QString stage = QString::fromStdString(entry["stage"].as<std::string>(""));
                if (!lesson.id.startsWith(trackId + QLatin1Char('/')))
                    addProblem(Problem::Severity::Error, yamlLocation(file, entry.Mark()),
                               QStringLiteral("lesson id '%1' must start with '%2/'").arg(lesson.id, trackId));
                if (!stageFromString(stage, &lesson.stage))
                    addProblem(Problem::Severity::Error, yamlLocation(file, entry.Mark()),
                               QStringLiteral("unknown stage '%1' for '%2'").arg(stage, lesson.id));
                track.lessons.append(lesson);
            }
            if (track.lessons.isEmpty())
                addProblem(Problem::Severity::Warning, file, QStringLiteral("the track has no lessons"));
            m_tracks.append(track);
        } catch (const YAML::Exception &error) {
            addProblem(Problem::Severity::Error, yamlLocation(file, error.mark), QString::fromStdString(error.msg));
        }
    }
}

void Catalog::loadLessons()
{
    for (const Track &track : std::as_const(m_tracks)) {
        for (qsizetype i = 0; i < track.lessons.size(); ++i) {
            const TrackLesson &entry = track.lessons[i];
            for (const QString &language : languages()) {
                const QString file =
                    QStringLiteral("%1/%2/%3/%4")
                        .arg(m_dir, language, track.id, lessonFileName(static_cast<int>(i) + 1, entry.id));
                QFile f(file);
                if (!f.open(QIODevice::ReadOnly))
                    continue; // reported by validate()
                Result<Lesson> parsed = parseLesson(file, f.readAll());
                if (!parsed) {
                    addProblem(Problem::Severity::Error, parsed.error().location, parsed.error().message);
                    continue;
                }
                Lesson lesson = std::move(parsed).value();
                lesson.track = track.id;
                lesson.language = language;
                lesson.position = static_cast<int>(i) + 1;
                if (lesson.id != entry.id) {
                    addProblem(Problem::Severity::Error, fileLocation(file, 2),
                               QStringLiteral("id '%1' does not match '%2' in tracks/%3.yaml")
                                   .arg(lesson.id, entry.id, track.id));
                    lesson.id = entry.id;
                }
                if (lesson.stage != entry.stage)
                    addProblem(Problem::Severity::Error, fileLocation(file, 2),
                               QStringLiteral("stage '%1' differs from '%2' in tracks/%3.yaml")
                                   .arg(stageToString(lesson.stage), stageToString(entry.stage), track.id));
                m_idByFile.insert(QFileInfo(file).absoluteFilePath(), lesson.id);
                m_lessons[language].insert(lesson.id, lesson);
            }
        }
    }
}

void Catalog::validate(Checks checks)
{
    QHash<QString, QString> seenIds; // id -> track
    for (const Track &track : std::as_const(m_tracks)) {
        for (qsizetype i = 0; i < track.lessons.size(); ++i) {
            const QString &id = track.lessons[i].id;
            if (seenIds.contains(id))
                addProblem(Problem::Severity::Error, QStringLiteral("%1/tracks/%2.yaml").arg(m_dir, track.id),
                           QStringLiteral("duplicate lesson id '%1' (also in track '%2')").arg(id, seenIds.value(id)));
            seenIds.insert(id, track.id);

            const QString name = lessonFileName(static_cast<int>(i) + 1, id);
            QStringList present, missing;
            for (const QString &language : languages()) {
                const QString file = QStringLiteral("%1/%2/%3/%4").arg(m_dir, language, track.id, name);
                (QFileInfo::exists(file) ? present : missing)
                    .append(language + QLatin1Char('/') + track.id + QLatin1Char('/') + name);
            }
            if (present.isEmpty())
                addProblem(Problem::Severity::Error, QStringLiteral("%1/tracks/%2.yaml").arg(m_dir, track.id),
                           QStringLiteral("lesson '%1' has no file (expected %2)")
                               .arg(id, missing.join(QStringLiteral(", "))));
            else
                for (const QString &m : std::as_const(missing))
                    addProblem(
                        Problem::Severity::Warning, m_dir + QLatin1Char('/') + m,
                        QStringLiteral("lesson '%1' exists only as %2").arg(id, present.join(QStringLiteral(", "))));
        }
    }

    // Files that no track lists would never be shown.
    for (const QString &language : languages()) {
        QDirIterator it(m_dir + QLatin1Char('/') + language, {QStringLiteral("*.md")}, QDir::Files,
                        QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString file = QFileInfo(it.next()).absoluteFilePath();
            if (!m_idByFile.contains(file) && !QFileInfo(file).fileName().startsWith(QLatin1Char('_')))
                addProblem(
                    Problem::Severity::Error, file,
                    QStringLiteral("not listed in any track file, or its NN- prefix does not match its position"));
        }
    }

    for (const QString &language : languages()) {
        for (const Lesson &lesson : std::as_const(m_lessons[language])) {
            for (const QString &prerequisite : lesson.prerequisites) {
                if (!seenIds.contains(prerequisite))
                    addProblem(Problem::Severity::Error, fileLocation(lesson.filePath, 2),
                               QStringLiteral("prerequisite '%1' is not a lesson id").arg(prerequisite));
            }
            if (lesson.objectives.isEmpty())
                addProblem(Problem::Severity::Warning, fileLocation(lesson.filePath, 2),
                           QStringLiteral("no objectives"));
            for (const Source &source : lesson.sources) {
                if (!source.url.startsWith(QStringLiteral("https://")) &&
                    !source.url.startsWith(QStringLiteral("http://")))
                    addProblem(Problem::Severity::Error, fileLocation(lesson.filePath, 2),
                               QStringLiteral("source '%1' needs an http(s) URL").arg(source.title));
            }
            const QDir lessonDir = QFileInfo(lesson.filePath).dir();
            for (const LinkRef &link : lesson.links) {
                const QString location = fileLocation(lesson.filePath, link.line, link.column);
                const QUrl url(link.target);
                const QString scheme = url.scheme();
                if (scheme == QLatin1String("http") || scheme == QLatin1String("https")) {
                    if (link.image)
                        addProblem(
                            Problem::Severity::Error, location,
                            QStringLiteral("remote image '%1': put images under content/assets/").arg(link.target));
                    continue;
                }
                if (scheme == QLatin1String("mailto") || link.target.startsWith(QLatin1Char('#')))
                    continue;
                if (!scheme.isEmpty()) {
                    addProblem(Problem::Severity::Error, location,
                               QStringLiteral("unsupported link '%1'").arg(link.target));
                    continue;
                }
                const QString path = QUrl::fromPercentEncoding(link.target.section(QLatin1Char('#'), 0, 0).toUtf8());
                const QString absolute = QDir::cleanPath(lessonDir.absoluteFilePath(path));
                if (!QFileInfo::exists(absolute)) {
                    addProblem(Problem::Severity::Error, location,
                               QStringLiteral("broken %1 '%2'")
                                   .arg(link.image ? QStringLiteral("image") : QStringLiteral("link"), link.target));
                } else if (!absolute.startsWith(m_dir + QLatin1Char('/'))) {
                    addProblem(Problem::Severity::Error, location,
                               QStringLiteral("'%1' points outside content/").arg(link.target));
                } else if (!link.image && absolute.endsWith(QStringLiteral(".md")) && !m_idByFile.contains(absolute)) {
                    addProblem(Problem::Severity::Error, location,
                               QStringLiteral("'%1' is not a lesson listed in a track").arg(link.target));
                }
            }
            for (const ManifestRef &manifest : lesson.manifests) {
                const QString file = manifestPath(manifest.path);
                const QString location = fileLocation(lesson.filePath, manifest.line);
                if (!QFileInfo(file).isFile()) {
                    addProblem(Problem::Severity::Error, location,
                               QStringLiteral("manifest '%1' not found under content/manifests/").arg(manifest.path));
                    continue;
                }
                if (checks == Checks::Reading)
                    continue;
                try {
                    YAML::LoadAllFromFile(file.toStdString());
                } catch (const YAML::Exception &error) {
                    addProblem(Problem::Severity::Error, yamlLocation(file, error.mark),
                               QStringLiteral("manifest is not valid YAML: %1").arg(QString::fromStdString(error.msg)));
                }
            }
        }
    }
}

const Track *Catalog::track(const QString &trackId) const
{
    for (const Track &track : m_tracks) {
        if (track.id == trackId)
            return &track;
    }
    return nullptr;
}

const Lesson *Catalog::lesson(const QString &id, const QString &language) const
{
    const auto byLanguage = m_lessons.constFind(language);
    if (byLanguage == m_lessons.cend())
        return nullptr;
    const auto it = byLanguage->constFind(id);
    return it == byLanguage->cend() ? nullptr : &*it;
}

const Lesson *Catalog::lessonOrFallback(const QString &id, const QString &language) const
{
    if (const Lesson *found = lesson(id, language))
        return found;
    for (const QString &other : languages()) {
        if (const Lesson *found = lesson(id, other))
            return found;
    }
    return nullptr;
}

QStringList Catalog::lessonIds() const
{
    QStringList ids;
    for (const Track &track : m_tracks) {
        for (const TrackLesson &lesson : track.lessons)
            ids.append(lesson.id);
    }
    return ids;
}

QString Catalog::nextLessonId(const QString &id) const
{
    const QStringList ids = lessonIds();
    const qsizetype index = ids.indexOf(id);
    return index >= 0 && index + 1 < ids.size() ? ids[index + 1] : QString();
}

QString Catalog::resolveLessonLink(const Lesson &from, const QString &target) const
{
    const QString path = QUrl::fromPercentEncoding(target.section(QLatin1Char('#'), 0, 0).toUtf8());
    if (path.isEmpty())
        return {};
    const QString absolute = QDir::cleanPath(QFileInfo(from.filePath).dir().absoluteFilePath(path));
    return m_idByFile.value(absolute);
}

QString Catalog::manifestPath(const QString &path) const
{
    return QDir::cleanPath(m_dir + QStringLiteral("/manifests/") + path);
}

} // namespace orchestra::lessons
