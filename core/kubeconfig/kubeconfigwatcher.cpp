#include "kubeconfig/kubeconfigwatcher.h"

#include <QDir>
#include <QFileInfo>
#include <QFileSystemWatcher>

namespace orchestra::kubeconfig {

namespace {

/// What identifies a file's content cheaply; directory events for unrelated files leave it unchanged.
QString stamp(const QString &path)
{
    const QFileInfo info(path);
    if (!info.exists())
        return QStringLiteral("-");
    return QStringLiteral("%1/%2").arg(info.lastModified().toMSecsSinceEpoch()).arg(info.size());
}

} // namespace

KubeconfigWatcher::KubeconfigWatcher(QObject *parent)
    : QObject(parent)
    , m_watcher(new QFileSystemWatcher(this))
{
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(300);
    connect(&m_debounce, &QTimer::timeout, this, [this]() {
        rewatch();
        emit changed();
    });
    connect(m_watcher, &QFileSystemWatcher::fileChanged, this, &KubeconfigWatcher::onPathChanged);
    connect(m_watcher, &QFileSystemWatcher::directoryChanged, this, &KubeconfigWatcher::onPathChanged);
}

KubeconfigWatcher::~KubeconfigWatcher() = default;

void KubeconfigWatcher::setDebounceMs(int milliseconds)
{
    m_debounce.setInterval(milliseconds);
}

void KubeconfigWatcher::setFiles(const QStringList &files)
{
    m_files.clear();
    for (const QString &file : files)
        m_files.append(QFileInfo(file).absoluteFilePath());
    const QStringList watched = m_watcher->files() + m_watcher->directories();
    if (!watched.isEmpty())
        m_watcher->removePaths(watched);
    m_stamps.clear();
    rewatch();
}

void KubeconfigWatcher::rewatch()
{
    // Editors and `kubectl config` replace the file by renaming a new one over it, which drops the watch on the
    // old inode; watching the directory catches that and files that appear later.
    for (const QString &file : std::as_const(m_files)) {
        const QFileInfo info(file);
        if (info.exists() && !m_watcher->files().contains(file))
            m_watcher->addPath(file);
        const QString dir = info.absolutePath();
        if (QFileInfo::exists(dir) && !m_watcher->directories().contains(dir))
            m_watcher->addPath(dir);
        m_stamps.insert(file, stamp(file));
    }
}

void KubeconfigWatcher::onPathChanged(const QString &path)
{
    bool relevant = false;
    for (const QString &file : std::as_const(m_files)) {
        if (file == path || QFileInfo(file).absolutePath() == path) {
            if (stamp(file) != m_stamps.value(file))
                relevant = true;
        }
    }
    if (relevant)
        m_debounce.start();
}

} // namespace orchestra::kubeconfig
