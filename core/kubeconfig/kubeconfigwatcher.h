#pragma once

#include <QHash>
#include <QObject>
#include <QStringList>
#include <QTimer>

class QFileSystemWatcher;

namespace orchestra::kubeconfig {

/// Watches kubeconfig files (and their directories, for files that do not exist yet or that editors replace by
/// rename) and emits changed() once per burst of changes.
class KubeconfigWatcher final : public QObject
{
    Q_OBJECT
public:
    explicit KubeconfigWatcher(QObject *parent = nullptr);
    ~KubeconfigWatcher() override;

    /// Replaces the watched set (typically Kubeconfig::candidateFiles()).
    void setFiles(const QStringList &files);
    QStringList files() const { return m_files; }
    /// Debounce interval (default 300 ms).
    void setDebounceMs(int milliseconds);

signals:
    void changed();

private:
    void onPathChanged(const QString &path);
    void rewatch();

    QFileSystemWatcher *m_watcher;
    QTimer m_debounce;
    QStringList m_files;
    QHash<QString, QString> m_stamps;
};

} // namespace orchestra::kubeconfig
