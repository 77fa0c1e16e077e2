#pragma once

#include "common/result.h"
#include "kubeconfig/kubeconfig.h"

#include <QObject>

namespace orchestra::kubeconfig {

class KubeconfigWatcher;

/// The kubeconfig files of one run of the app: kubectl's loading rules plus the
/// files added with File > Open Kubeconfig…, which join the merge until the app
/// quits and are never written anywhere. Watches every candidate file and emits
/// changed() when one of them changes on disk.
class KubeconfigSource final : public QObject
{
    Q_OBJECT
public:
    explicit KubeconfigSource(LoadOptions options, QObject *parent = nullptr);
    ~KubeconfigSource() override;

    /// Loads the merged kubeconfig as it is on disk now.
    Result<Kubeconfig> load() const;
    /// Adds `file` to the merge for this session (after the others; first definition still wins).
    /// False when it does not exist or was already added.
    bool addFile(const QString &file);

    const LoadOptions &options() const { return m_options; }
    /// Debounce of the file watcher (tests shorten it).
    void setDebounceMs(int milliseconds);

signals:
    /// A watched file was created, edited, replaced or removed.
    void changed();

private:
    LoadOptions m_options;
    KubeconfigWatcher *m_watcher;
};

} // namespace orchestra::kubeconfig
