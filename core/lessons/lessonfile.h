#pragma once

#include "common/result.h"
#include "lessons/lesson.h"

#include <QByteArray>

namespace orchestra::lessons {

/// Parses a lesson file: the YAML front matter between "---" lines, then the
/// markdown body. Errors name the file and line:column (yaml-cpp marks,
/// shifted to file lines). Does not check ids against tracks (Catalog does).
Result<Lesson> parseLesson(const QString &filePath, const QByteArray &content);

/// "file:line:col" as used in every content error.
QString fileLocation(const QString &filePath, int line, int column = 0);

} // namespace orchestra::lessons
