#include "lessons/lessonfile.h"

#include "lessons/markdownscan.h"

#include <yaml-cpp/yaml.h>

namespace orchestra::lessons {

namespace {

// Front matter starts on line 2 of the file (line 1 is "---").
constexpr int kFrontMatterFirstLine = 2;

struct FrontMatterError
{
    QString message;
    YAML::Mark mark;
};

QString scalar(const YAML::Node &node, const char *key, bool required)
{
    const YAML::Node value = node[key];
    if (!value || value.IsNull()) {
        if (required)
            throw FrontMatterError{QStringLiteral("front matter has no '%1'").arg(QLatin1String(key)), node.Mark()};
        return {};
    }
    if (!value.IsScalar())
        throw FrontMatterError{QStringLiteral("'%1' must be a string").arg(QLatin1String(key)), value.Mark()};
    return QString::fromStdString(value.Scalar());
}

QStringList stringList(const YAML::Node &node, const char *key)
{
    const YAML::Node value = node[key];
    if (!value || value.IsNull())
        return {};
    if (!value.IsSequence())
        throw FrontMatterError{QStringLiteral("'%1' must be a list").arg(QLatin1String(key)), value.Mark()};
    QStringList out;
    for (const YAML::Node &item : value) {
        if (!item.IsScalar())
            throw FrontMatterError{QStringLiteral("'%1' entries must be strings").arg(QLatin1String(key)), item.Mark()};
        out.append(QString::fromStdString(item.Scalar()));
    }
    return out;
}

} // namespace

QString fileLocation(const QString &filePath, int line, int column)
{
    return column > 0 ? QStringLiteral("%1:%2:%3").arg(filePath).arg(line).arg(column)
                      : QStringLiteral("%1:%2").arg(filePath).arg(line);
}

Result<Lesson> parseLesson(const QString &filePath, const QByteArray &content)
{
    QString text = QString::fromUtf8(content);
    text.remove(QLatin1Char('\r'));
    if (!text.startsWith(QStringLiteral("---\n")))
        return Error{
            QStringLiteral("a lesson must start with a '---' front matter block"), {}, fileLocation(filePath, 1, 1)};
    const qsizetype end = text.indexOf(QStringLiteral("\n---\n"), 3);
    const qsizetype endAtEof = text.endsWith(QStringLiteral("\n---")) ? text.size() - 4 : -1;
    const qsizetype close = end >= 0 ? end : endAtEof;
    if (close < 0)
        return Error{
            QStringLiteral("the front matter block is not closed with '---'"), {}, fileLocation(filePath, 1, 1)};

    const QString frontMatter = text.mid(4, close - 4 + 1);
    Lesson lesson;
    lesson.filePath = filePath;
    lesson.bodyLine = kFrontMatterFirstLine + static_cast<int>(frontMatter.count(QLatin1Char('\n'))) + 1;
    lesson.body = close + 5 <= text.size() ? text.mid(close + 5) : QString();

    try {
        const YAML::Node root = YAML::Load(frontMatter.toStdString());
        if (!root.IsMap())
            throw FrontMatterError{QStringLiteral("the front matter must be a YAML mapping"), root.Mark()};
        lesson.id = scalar(root, "id", true);
        lesson.title = scalar(root, "title", true);
        const QString stage = scalar(root, "stage", true);
        if (!stageFromString(stage, &lesson.stage))
            throw FrontMatterError{
                QStringLiteral("unknown stage '%1' (use theory, practice, project or case-study)").arg(stage),
                root["stage"].Mark()};
        const QString minutes = scalar(root, "minutes", false);
        if (!minutes.isEmpty()) {
            bool ok = false;
            lesson.minutes = minutes.toInt(&ok);
            if (!ok || lesson.minutes <= 0)
                throw FrontMatterError{QStringLiteral("'minutes' must be a positive number"), root["minutes"].Mark()};
        }
        lesson.prerequisites = stringList(root, "prerequisites");
        lesson.objectives = stringList(root, "objectives");
        if (const YAML::Node sources = root["sources"]; sources && !sources.IsNull()) {
            if (!sources.IsSequence())
                throw FrontMatterError{QStringLiteral("'sources' must be a list of {title, url}"), sources.Mark()};
            for (const YAML::Node &source : sources) {
                if (!source.IsMap())
                    throw FrontMatterError{QStringLiteral("each source needs a title and a url"), source.Mark()};
                lesson.sources.append({scalar(source, "title", true), scalar(source, "url", true)});
            }
        }
    } catch (const FrontMatterError &error) {
        const int line = error.mark.line >= 0 ? error.mark.line + kFrontMatterFirstLine : 1;
        const int column = error.mark.column >= 0 ? error.mark.column + 1 : 0;
        return Error{error.message, {}, fileLocation(filePath, line, column)};
    } catch (const YAML::Exception &error) {
        const int line = error.mark.line >= 0 ? error.mark.line + kFrontMatterFirstLine : 1;
        const int column = error.mark.column >= 0 ? error.mark.column + 1 : 0;
        return Error{QStringLiteral("malformed front matter: %1").arg(QString::fromStdString(error.msg)),
                     {},
                     fileLocation(filePath, line, column)};
    }
    scanBody(lesson);
    return lesson;
}

} // namespace orchestra::lessons
