#include "common/paths.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

namespace orchestra {

QString contentDirectory()
{
    const QString fromEnvironment = qEnvironmentVariable("ORCHESTRA_CONTENT_DIR");
    if (!fromEnvironment.isEmpty())
        return QFileInfo(fromEnvironment).isDir() ? QDir(fromEnvironment).absolutePath() : QString();

    QStringList candidates;
    if (QCoreApplication::instance()) {
        const QDir appDir(QCoreApplication::applicationDirPath());
        // <prefix>/bin/orchestra -> <prefix>/share/orchestra/content (Linux, Windows);
        // Orchestra.app/Contents/MacOS -> Contents/Resources/content (macOS bundle).
        candidates << appDir.filePath(QStringLiteral("../share/orchestra/content"))
                   << appDir.filePath(QStringLiteral("../Resources/content"));
    }
#ifdef ORCHESTRA_SOURCE_CONTENT_DIR
    candidates << QStringLiteral(ORCHESTRA_SOURCE_CONTENT_DIR);
#endif
    for (const QString &candidate : std::as_const(candidates)) {
        if (QFileInfo(candidate + QStringLiteral("/tracks.yaml")).isFile())
            return QDir(candidate).absolutePath();
    }
    return {};
}

} // namespace orchestra
