#pragma once

#include "editor/editortab.h"
#include "manifests/recoverystore.h"

#include <QJsonObject>
#include <QMessageBox>
#include <QPointer>
#include <QStringList>
#include <QWidget>

#include <functional>
#include <memory>

class QAction;
class QMenu;
class QStackedWidget;
class QTabWidget;
class QTimer;

namespace orchestra::kube {
class ApiClient;
class ResourceRegistry;
} // namespace orchestra::kube

namespace orchestra::ui {

class EmptyState;

/// The Editor area: manifest tabs (New from template, Open, Save, recent files, drag and drop), the cluster
/// they apply to, autosave to a recovery folder and the restore offer after a crash.
class EditorArea final : public QWidget
{
    Q_OBJECT
public:
    /// `recoveryDirectory` empty = AppDataLocation/recovery.
    explicit EditorArea(const QString &recoveryDirectory = {}, QWidget *parent = nullptr);
    ~EditorArea() override;

    /// A File > New template: its menu title and resource path.
    struct Template
    {
        QString title;
        QString resource;
    };
    static QList<Template> templates();

    int tabCount() const;
    EditorTab *tab(int index) const;
    EditorTab *currentTab() const;
    QTabWidget *tabWidget() const { return m_tabs; }

    /// Adds New / New from Template / Open / Open Recent / Save / Save As / Close to `menu` before `before`.
    void addFileMenuActions(QMenu *menu, QAction *before);
    QStringList recentFiles() const;
    /// Adds Find / Replace / Go to Line / Toggle Comment / Convert Tabs to `menu` (the shortcuts work inside the
    /// editor only; the menu shows them).
    void addEditMenuActions(QMenu *menu);

    /// The cluster to validate against and apply to; null client = not connected.
    void setCluster(kube::ApiClient *client, kube::ResourceRegistry *registry, const ApplyTargetInfo &target);

    /// Offers to restore buffers left by a run that crashed or was killed; returns how many were restored.
    int offerRecovery();
    /// Writes every modified buffer to the recovery folder now.
    void autosaveNow();
    manifests::RecoveryStore *recoveryStore() const { return m_store.get(); }

    /// Asks about every modified tab (Save / Discard / Cancel); false when the user cancelled.
    bool maybeClose();

    /// Hooks (tests replace them).
    std::function<bool(const QList<manifests::RecoveryEntry> &entries)> askRestore;
    std::function<QMessageBox::StandardButton(EditorTab *tab)> askSaveChanges;
    std::function<QString(EditorTab *tab)> askSavePath;
    /// Applied to every tab created from now on (tests: confirmApply, resolveConflicts...).
    std::function<void(EditorTab *tab)> tabCreated;

public slots:
    EditorTab *newFile(const QString &text = {});
    EditorTab *newFromTemplate(const QString &resource);
    /// Opens `path` (or switches to it when already open); errors go to statusMessage.
    EditorTab *openFile(const QString &path);
    void openFiles(const QStringList &paths);
    void showOpenDialog();
    bool save(EditorTab *tab = nullptr);
    bool saveAs(EditorTab *tab = nullptr);
    /// Closes a tab, asking first when it has unsaved changes; false when the user cancelled.
    bool closeTab(EditorTab *tab = nullptr);
    /// Lessons: opens `text` in a new untitled tab labelled `label`; dry-runs it first when asked and connected.
    EditorTab *openManifest(const QString &text, const QString &label, bool dryRunFirst);
    /// Cluster panel "Edit": opens the live object without managedFields and status, bound to that object.
    EditorTab *openLiveObject(const QJsonObject &object);

signals:
    void statusMessage(const QString &message);
    void currentTabChanged(orchestra::ui::EditorTab *tab);

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    EditorTab *addTab(EditorTab *tab);
    void updateTabTitle(EditorTab *tab);
    void updateEmptyState();
    void addRecentFile(const QString &path);
    void rebuildRecentMenu();
    void autosave(EditorTab *tab);
    void forget(EditorTab *tab);
    /// Saves `tab` to `path`; on success drops its recovery copy and remembers the file.
    bool writeTab(EditorTab *tab, const QString &path);
    void applyClusterTo(EditorTab *tab);
    QString nextUntitledName();

    QStackedWidget *m_stack;
    EmptyState *m_empty;
    QTabWidget *m_tabs;
    QTimer *m_autosaveTimer;
    QMenu *m_recentMenu = nullptr;
    QList<QAction *> m_tabActions;
    std::unique_ptr<manifests::RecoveryStore> m_store;
    int m_untitledCounter = 0;

    QPointer<kube::ApiClient> m_client;
    QPointer<kube::ResourceRegistry> m_registry;
    std::unique_ptr<manifests::RegistryKindResolver> m_resolver;
    std::shared_ptr<const manifests::KindResolver> m_snapshot;
    ApplyTargetInfo m_target;
};

} // namespace orchestra::ui
