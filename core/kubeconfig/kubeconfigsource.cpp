#include "kubeconfig/kubeconfigsource.h"

#include "kubeconfig/kubeconfigwatcher.h"

#include <QFileInfo>

namespace orchestra::kubeconfig {

KubeconfigSource::KubeconfigSource(LoadOptions options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_watcher(new KubeconfigWatcher(this))
{
    m_watcher->setFiles(Kubeconfig::candidateFiles(m_options));
    connect(m_watcher, &KubeconfigWatcher::changed, this, &KubeconfigSource::changed);
}

KubeconfigSource::~KubeconfigSource() = default;

Result<Kubeconfig> KubeconfigSource::load() const
{
    return Kubeconfig::load(m_options);
}

bool KubeconfigSource::addFile(const QString &file)
{
    const QFileInfo info(file);
    if (!info.isFile())
        return false;
    const QString path = info.absoluteFilePath();
    if (m_options.extraFiles.contains(path) || m_options.explicitFile == path)
        return false;
    m_options.extraFiles.append(path);
    m_watcher->setFiles(Kubeconfig::candidateFiles(m_options));
    return true;
}

void KubeconfigSource::setDebounceMs(int milliseconds)
{
    m_watcher->setDebounceMs(milliseconds);
}

} // namespace orchestra::kubeconfig
