#include "editor/editorarea.h"

#include "editor/findbar.h"
#include "editor/manifesteditor.h"
#include "kube/apiclient.h"
#include "kube/resourceregistry.h"
#include "manifests/diff.h"
#include "widgets/emptystate.h"

#include <QAction>
#include <QApplication>
#include <QCursor>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QMimeData>
#include <QSettings>
#include <QShortcut>
#include <QStackedWidget>
#include <QTabBar>
#include <QTabWidget>
#include <QTimer>
#include <QVBoxLayout>

namespace orchestra::ui {

namespace {

constexpr int autosaveIntervalMs = 5000;
constexpr int maxRecentFiles = 10;
const QLatin1String recentFilesKey("editor/recentFiles");

QString templateText(const QString &resource)
{
    QFile file(resource);
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

} // namespace

EditorArea::EditorArea(const QString &recoveryDirectory, QWidget *parent)
    : QWidget(parent)
    , m_stack(new QStackedWidget(this))
    , m_empty(new EmptyState(QStringLiteral(":/icons/editor.svg"), tr("No file open"),
                             tr("Open a manifest (Ctrl+O), drop one here, start from a template (File > New from "
                                "Template) or open one from a lesson."),
                             this))
    , m_tabs(new QTabWidget(this))
    , m_autosaveTimer(new QTimer(this))
    , m_store(std::make_unique<manifests::RecoveryStore>(recoveryDirectory))
    , m_snapshot(std::make_shared<manifests::BuiltinKinds>())
{
    setObjectName(QStringLiteral("editorArea"));
    setAcceptDrops(true);
    m_empty->setActionText(tr("New from Template…"));
    connect(m_empty, &EmptyState::actionTriggered, this, [this] {
        QMenu menu(this);
        for (const Template &entry : templates()) {
            const QString resource = entry.resource;
            menu.addAction(entry.title, this, [this, resource] { newFromTemplate(resource); });
        }
        menu.exec(QCursor::pos());
    });
    m_tabs->setObjectName(QStringLiteral("editorTabs"));
    m_tabs->setTabsClosable(true);
    m_tabs->setMovable(true);
    m_tabs->setDocumentMode(true);
    connect(m_tabs, &QTabWidget::tabCloseRequested, this,
            [this](int index) { closeTab(qobject_cast<EditorTab *>(m_tabs->widget(index))); });
    connect(m_tabs, &QTabWidget::currentChanged, this, [this] {
        emit currentTabChanged(currentTab());
        for (QAction *action : std::as_const(m_tabActions))
            action->setEnabled(currentTab() != nullptr);
    });
    m_stack->addWidget(m_empty);
    m_stack->addWidget(m_tabs);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_stack);

    auto *find = new QShortcut(QKeySequence::Find, this, nullptr, nullptr, Qt::WidgetWithChildrenShortcut);
    connect(find, &QShortcut::activated, this, [this] {
        if (EditorTab *tab = currentTab())
            tab->findBar()->activate(false);
    });
    auto *replace =
        new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_H), this, nullptr, nullptr, Qt::WidgetWithChildrenShortcut);
    connect(replace, &QShortcut::activated, this, [this] {
        if (EditorTab *tab = currentTab())
            tab->findBar()->activate(true);
    });

    // Autosave every few seconds and whenever the user leaves the editor or the app.
    m_autosaveTimer->setInterval(autosaveIntervalMs);
    connect(m_autosaveTimer, &QTimer::timeout, this, &EditorArea::autosaveNow);
    m_autosaveTimer->start();
    connect(qApp, &QApplication::focusChanged, this, [this](QWidget *old, QWidget *now) {
        if (old && isAncestorOf(old) && !(now && isAncestorOf(now)))
            autosaveNow();
    });
    connect(qApp, &QGuiApplication::applicationStateChanged, this, [this](Qt::ApplicationState state) {
        if (state != Qt::ApplicationActive)
            autosaveNow();
    });

    askRestore = [this](const QList<manifests::RecoveryEntry> &entries) {
        QStringList names;
        for (const manifests::RecoveryEntry &entry : entries)
            names.append(QStringLiteral("• %1 (%2)")
                             .arg(entry.title.isEmpty() ? tr("untitled") : entry.title,
                                  QLocale().toString(entry.savedAt.toLocalTime(), QLocale::ShortFormat)));
        return QMessageBox::question(this, tr("Restore unsaved work?"),
                                     tr("Orchestra did not close normally last time. These editor buffers had "
                                        "unsaved changes:\n\n%1\n\nRestore them?")
                                         .arg(names.join(QLatin1Char('\n'))),
                                     QMessageBox::Yes | QMessageBox::Discard, QMessageBox::Yes) == QMessageBox::Yes;
    };
    askSaveChanges = [this](EditorTab *tab) {
        return QMessageBox::question(this, tr("Unsaved changes"),
                                     tr("\"%1\" has unsaved changes. Save them?").arg(tab->title()),
                                     QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    };
    askSavePath = [this](EditorTab *tab) {
        const QString suggested =
            tab->filePath().isEmpty()
                ? QDir::homePath() + QLatin1Char('/') +
                      (tab->parsed().documents.isEmpty()                ? QStringLiteral("manifest")
                       : tab->parsed().documents.first().name.isEmpty() ? QStringLiteral("manifest")
                                                                        : tab->parsed().documents.first().name) +
                      QStringLiteral(".yaml")
                : tab->filePath();
        return QFileDialog::getSaveFileName(this, tr("Save Manifest"), suggested,
                                            tr("YAML manifests (*.yaml *.yml);;All files (*)"));
    };
    updateEmptyState();
}

EditorArea::~EditorArea() = default;

QList<EditorArea::Template> EditorArea::templates()
{
    return {
        {tr("Pod"), QStringLiteral(":/templates/pod.yaml")},
        {tr("Deployment"), QStringLiteral(":/templates/deployment.yaml")},
        {tr("Service"), QStringLiteral(":/templates/service.yaml")},
        {tr("Ingress"), QStringLiteral(":/templates/ingress.yaml")},
        {tr("ConfigMap"), QStringLiteral(":/templates/configmap.yaml")},
        {tr("Secret"), QStringLiteral(":/templates/secret.yaml")},
        {tr("NetworkPolicy"), QStringLiteral(":/templates/networkpolicy.yaml")},
        {tr("Role + RoleBinding"), QStringLiteral(":/templates/role-rolebinding.yaml")},
        {tr("HorizontalPodAutoscaler"), QStringLiteral(":/templates/horizontalpodautoscaler.yaml")},
        {tr("Istio VirtualService"), QStringLiteral(":/templates/virtualservice.yaml")},
        {tr("Istio DestinationRule"), QStringLiteral(":/templates/destinationrule.yaml")},
        {tr("Istio PeerAuthentication"), QStringLiteral(":/templates/peerauthentication.yaml")},
        {tr("Istio Gateway"), QStringLiteral(":/templates/gateway.yaml")},
    };
}

int EditorArea::tabCount() const
{
    return m_tabs->count();
}

EditorTab *EditorArea::tab(int index) const
{
    return qobject_cast<EditorTab *>(m_tabs->widget(index));
}

EditorTab *EditorArea::currentTab() const
{
    return qobject_cast<EditorTab *>(m_tabs->currentWidget());
}

void EditorArea::addFileMenuActions(QMenu *menu, QAction *before)
{
    auto add = [menu, before](QAction *action) { menu->insertAction(before, action); };
    auto *newAction = new QAction(tr("&New"), menu);
    newAction->setShortcut(QKeySequence::New);
    connect(newAction, &QAction::triggered, this, [this] { newFile(); });
    add(newAction);

    auto *templatesMenu = new QMenu(tr("New from &Template"), menu);
    templatesMenu->setObjectName(QStringLiteral("templatesMenu"));
    for (const Template &entry : templates()) {
        const QString resource = entry.resource;
        templatesMenu->addAction(entry.title, this, [this, resource] { newFromTemplate(resource); });
    }
    menu->insertMenu(before, templatesMenu);

    auto *open = new QAction(tr("&Open…"), menu);
    open->setShortcut(QKeySequence::Open);
    connect(open, &QAction::triggered, this, &EditorArea::showOpenDialog);
    add(open);

    m_recentMenu = new QMenu(tr("Open &Recent"), menu);
    m_recentMenu->setObjectName(QStringLiteral("recentMenu"));
    menu->insertMenu(before, m_recentMenu);
    rebuildRecentMenu();
    menu->insertSeparator(before);

    auto *saveAction = new QAction(tr("&Save"), menu);
    saveAction->setShortcut(QKeySequence::Save);
    connect(saveAction, &QAction::triggered, this, [this] { save(); });
    add(saveAction);
    auto *saveAsAction = new QAction(tr("Save &As…"), menu);
    saveAsAction->setShortcut(QKeySequence::SaveAs);
    connect(saveAsAction, &QAction::triggered, this, [this] { saveAs(); });
    add(saveAsAction);
    auto *closeAction = new QAction(tr("&Close Tab"), menu);
    closeAction->setShortcut(QKeySequence::Close);
    connect(closeAction, &QAction::triggered, this, [this] { closeTab(); });
    add(closeAction);
    menu->insertSeparator(before);
    m_tabActions += {saveAction, saveAsAction, closeAction};
    for (QAction *action : std::as_const(m_tabActions))
        action->setEnabled(currentTab() != nullptr);
}

void EditorArea::addEditMenuActions(QMenu *menu)
{
    menu->addSeparator();
    const auto add = [this, menu](const QString &text, const QKeySequence &keys, auto slot) {
        QAction *action = menu->addAction(text);
        // Shown in the menu, handled by the editor's own shortcuts: a window-wide one would clash with the
        // other areas' (the lesson reader's Find).
        action->setShortcut(keys);
        action->setShortcutContext(Qt::WidgetShortcut);
        connect(action, &QAction::triggered, this, [this, slot] {
            if (EditorTab *tab = currentTab())
                slot(tab);
        });
        m_tabActions.append(action);
        action->setEnabled(currentTab() != nullptr);
    };
    add(tr("&Find…"), QKeySequence::Find, [](EditorTab *tab) { tab->findBar()->activate(false); });
    add(tr("&Replace…"), QKeySequence(Qt::CTRL | Qt::Key_H), [](EditorTab *tab) { tab->findBar()->activate(true); });
    add(tr("&Go to Line…"), QKeySequence(Qt::CTRL | Qt::Key_L), [](EditorTab *tab) { tab->editor()->askGoToLine(); });
    add(tr("Toggle &Comment"), QKeySequence(Qt::CTRL | Qt::Key_Slash),
        [](EditorTab *tab) { tab->editor()->toggleComment(); });
    add(tr("Convert &Tabs to Spaces"), QKeySequence(), [this](EditorTab *tab) {
        const int count = tab->editor()->convertTabsToSpaces();
        emit statusMessage(tr("Replaced %n tab(s) with spaces.", nullptr, count));
    });
}

QStringList EditorArea::recentFiles() const
{
    return QSettings().value(recentFilesKey).toStringList();
}

void EditorArea::addRecentFile(const QString &path)
{
    QStringList files = recentFiles();
    files.removeAll(path);
    files.prepend(path);
    while (files.size() > maxRecentFiles)
        files.removeLast();
    QSettings().setValue(recentFilesKey, files);
    rebuildRecentMenu();
}

void EditorArea::rebuildRecentMenu()
{
    if (!m_recentMenu)
        return;
    m_recentMenu->clear();
    const QStringList files = recentFiles();
    for (const QString &path : files)
        m_recentMenu->addAction(path, this, [this, path] { openFile(path); });
    if (files.isEmpty()) {
        m_recentMenu->addAction(tr("No recent files"))->setEnabled(false);
        return;
    }
    m_recentMenu->addSeparator();
    m_recentMenu->addAction(tr("Clear List"), this, [this] {
        QSettings().remove(recentFilesKey);
        rebuildRecentMenu();
    });
}

QString EditorArea::nextUntitledName()
{
    return tr("untitled %1").arg(++m_untitledCounter);
}

EditorTab *EditorArea::addTab(EditorTab *tab)
{
    if (tab->recoveryId().isEmpty())
        tab->setRecoveryId(m_store->newId());
    applyClusterTo(tab);
    connect(tab, &EditorTab::titleChanged, this, [this, tab] { updateTabTitle(tab); });
    connect(tab, &EditorTab::statusMessage, this, &EditorArea::statusMessage);
    connect(tab->editor(), &ManifestEditor::filesDropped, this, &EditorArea::openFiles);
    const int index = m_tabs->addTab(tab, tab->title());
    updateTabTitle(tab);
    m_tabs->setCurrentIndex(index);
    updateEmptyState();
    if (tabCreated)
        tabCreated(tab);
    tab->editor()->setFocus();
    return tab;
}

void EditorArea::updateTabTitle(EditorTab *tab)
{
    const int index = m_tabs->indexOf(tab);
    if (index < 0)
        return;
    m_tabs->setTabText(index, tab->title() + (tab->isModified() ? QStringLiteral(" ●") : QString()));
    QString tip = tab->filePath().isEmpty() ? tab->title() : tab->filePath();
    if (!tab->label().isEmpty())
        tip += QStringLiteral("\n") + tr("From lesson: %1").arg(tab->label());
    if (!tab->boundObject().isEmpty())
        tip += QStringLiteral("\n") + tr("Bound to the live object (resourceVersion %1)")
                                          .arg(tab->boundObject().value(QStringLiteral("resourceVersion")).toString());
    m_tabs->setTabToolTip(index, tip);
}

void EditorArea::updateEmptyState()
{
    m_stack->setCurrentWidget(m_tabs->count() > 0 ? static_cast<QWidget *>(m_tabs) : m_empty);
}

EditorTab *EditorArea::newFile(const QString &text)
{
    auto *tab = new EditorTab;
    tab->setUntitledName(nextUntitledName());
    if (!text.isEmpty()) {
        tab->setText(text);
        tab->setModified(true); // never saved anywhere yet
    }
    return addTab(tab);
}

EditorTab *EditorArea::newFromTemplate(const QString &resource)
{
    const QString text = templateText(resource);
    if (text.isEmpty()) {
        emit statusMessage(tr("The template %1 is missing from this build.").arg(resource));
        return nullptr;
    }
    return newFile(text);
}

EditorTab *EditorArea::openFile(const QString &path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    for (int i = 0; i < m_tabs->count(); ++i) {
        if (tab(i)->filePath() == absolute) {
            m_tabs->setCurrentIndex(i);
            return tab(i);
        }
    }
    auto *tab = new EditorTab;
    if (const Result<void> loaded = tab->load(absolute); !loaded) {
        delete tab;
        emit statusMessage(loaded.error().toString());
        return nullptr;
    }
    addRecentFile(absolute);
    return addTab(tab);
}

void EditorArea::openFiles(const QStringList &paths)
{
    for (const QString &path : paths)
        openFile(path);
}

void EditorArea::showOpenDialog()
{
    const QStringList paths = QFileDialog::getOpenFileNames(
        this, tr("Open Manifests"),
        recentFiles().isEmpty() ? QDir::homePath() : QFileInfo(recentFiles().first()).path(),
        tr("YAML manifests (*.yaml *.yml);;JSON (*.json);;All files (*)"));
    openFiles(paths);
}

bool EditorArea::save(EditorTab *tab)
{
    tab = tab ? tab : currentTab();
    if (!tab)
        return false;
    if (tab->filePath().isEmpty())
        return saveAs(tab);
    return writeTab(tab, tab->filePath());
}

bool EditorArea::saveAs(EditorTab *tab)
{
    tab = tab ? tab : currentTab();
    if (!tab || !askSavePath)
        return false;
    const QString path = askSavePath(tab);
    if (path.isEmpty())
        return false;
    return writeTab(tab, path);
}

bool EditorArea::writeTab(EditorTab *tab, const QString &path)
{
    if (const Result<void> saved = tab->saveTo(path); !saved) {
        emit statusMessage(saved.error().toString());
        return false; // the text stays in the tab (and in its recovery copy)
    }
    forget(tab);
    addRecentFile(tab->filePath());
    emit statusMessage(tr("Saved %1").arg(tab->filePath()));
    return true;
}

bool EditorArea::closeTab(EditorTab *tab)
{
    tab = tab ? tab : currentTab();
    if (!tab)
        return false;
    if (tab->isModified()) {
        m_tabs->setCurrentWidget(tab);
        const QMessageBox::StandardButton answer = askSaveChanges ? askSaveChanges(tab) : QMessageBox::Cancel;
        if (answer == QMessageBox::Cancel)
            return false;
        if (answer == QMessageBox::Save && !save(tab))
            return false;
    }
    forget(tab);
    m_tabs->removeTab(m_tabs->indexOf(tab));
    tab->deleteLater();
    updateEmptyState();
    return true;
}

bool EditorArea::maybeClose()
{
    for (int i = 0; i < m_tabs->count(); ++i) {
        EditorTab *current = tab(i);
        if (!current->isModified())
            continue;
        m_tabs->setCurrentIndex(i);
        const QMessageBox::StandardButton answer = askSaveChanges ? askSaveChanges(current) : QMessageBox::Cancel;
        if (answer == QMessageBox::Cancel)
            return false;
        if (answer == QMessageBox::Save && !save(current))
            return false;
        if (answer == QMessageBox::Discard)
            forget(current);
    }
    return true;
}

EditorTab *EditorArea::openManifest(const QString &text, const QString &label, bool dryRunFirst)
{
    auto *tab = new EditorTab;
    tab->setUntitledName(nextUntitledName());
    tab->setLabel(label);
    tab->setText(text);
    tab->setModified(true);
    addTab(tab);
    if (dryRunFirst) {
        if (!tab->dryRun())
            emit statusMessage(tr("Connect to a cluster to dry-run and apply \"%1\".").arg(label));
    }
    return tab;
}

EditorTab *EditorArea::openLiveObject(const QJsonObject &object)
{
    const QJsonObject metadata = object.value(QStringLiteral("metadata")).toObject();
    const QJsonObject bound{{QStringLiteral("apiVersion"), object.value(QStringLiteral("apiVersion"))},
                            {QStringLiteral("kind"), object.value(QStringLiteral("kind"))},
                            {QStringLiteral("namespace"), metadata.value(QStringLiteral("namespace"))},
                            {QStringLiteral("name"), metadata.value(QStringLiteral("name"))},
                            {QStringLiteral("resourceVersion"), metadata.value(QStringLiteral("resourceVersion"))}};
    for (int i = 0; i < m_tabs->count(); ++i) {
        QJsonObject existing = tab(i)->boundObject();
        existing.remove(QStringLiteral("resourceVersion"));
        QJsonObject wanted = bound;
        wanted.remove(QStringLiteral("resourceVersion"));
        if (!existing.isEmpty() && existing == wanted) {
            m_tabs->setCurrentIndex(i);
            return tab(i);
        }
    }
    auto *tab = new EditorTab;
    tab->setBoundObject(bound);
    tab->setText(manifests::toYaml(manifests::editableObject(object)));
    tab->setModified(false);
    return addTab(tab);
}

void EditorArea::setCluster(kube::ApiClient *client, kube::ResourceRegistry *registry, const ApplyTargetInfo &target)
{
    if (m_registry)
        disconnect(m_registry, nullptr, this, nullptr);
    m_client = client;
    m_registry = registry;
    m_target = target;
    m_resolver = std::make_unique<manifests::RegistryKindResolver>(registry);
    m_snapshot = manifests::snapshotKinds(registry);
    if (registry) {
        connect(registry, &kube::ResourceRegistry::refreshed, this, [this] {
            m_snapshot = manifests::snapshotKinds(m_registry);
            for (int i = 0; i < m_tabs->count(); ++i)
                applyClusterTo(tab(i));
        });
    }
    for (int i = 0; i < m_tabs->count(); ++i)
        applyClusterTo(tab(i));
}

void EditorArea::applyClusterTo(EditorTab *tab)
{
    tab->setCluster(m_client, m_client ? m_resolver.get() : nullptr, m_snapshot,
                    m_client ? m_target : ApplyTargetInfo{});
}

void EditorArea::autosave(EditorTab *tab)
{
    const QString text = tab->text();
    if (!tab->isModified() || text == tab->autosavedText())
        return;
    manifests::RecoveryEntry entry;
    entry.id = tab->recoveryId();
    entry.originalPath = tab->filePath();
    entry.title = tab->title();
    entry.label = tab->label();
    entry.boundObject = tab->boundObject();
    entry.text = text;
    if (const Result<void> saved = m_store->save(entry); saved)
        tab->setAutosavedText(text);
    else
        emit statusMessage(saved.error().toString());
}

void EditorArea::autosaveNow()
{
    for (int i = 0; i < m_tabs->count(); ++i)
        autosave(tab(i));
}

void EditorArea::forget(EditorTab *tab)
{
    m_store->remove(tab->recoveryId());
    tab->setAutosavedText(QString());
}

int EditorArea::offerRecovery()
{
    const QList<manifests::RecoveryEntry> entries = m_store->orphanedEntries();
    if (entries.isEmpty())
        return 0;
    const bool restore = askRestore && askRestore(entries);
    int restored = 0;
    for (const manifests::RecoveryEntry &entry : entries) {
        m_store->remove(entry.id);
        if (!restore)
            continue;
        auto *tab = new EditorTab;
        tab->setUntitledName(entry.originalPath.isEmpty() && entry.boundObject.isEmpty() && entry.label.isEmpty()
                                 ? nextUntitledName()
                                 : QString());
        tab->setLabel(entry.label);
        if (!entry.boundObject.isEmpty())
            tab->setBoundObject(entry.boundObject);
        if (!entry.originalPath.isEmpty())
            tab->setFilePath(entry.originalPath);
        tab->setText(entry.text);
        tab->setModified(true);
        addTab(tab);
        autosave(tab); // keep it safe under this run's session from now on
        ++restored;
    }
    if (restored > 0)
        emit statusMessage(tr("Restored %n unsaved buffer(s).", nullptr, restored));
    return restored;
}

void EditorArea::dragEnterEvent(QDragEnterEvent *event)
{
    if (event->mimeData()->hasUrls()) {
        for (const QUrl &url : event->mimeData()->urls()) {
            if (url.isLocalFile()) {
                event->acceptProposedAction();
                return;
            }
        }
    }
    QWidget::dragEnterEvent(event);
}

void EditorArea::dropEvent(QDropEvent *event)
{
    QStringList paths;
    for (const QUrl &url : event->mimeData()->urls()) {
        if (url.isLocalFile())
            paths.append(url.toLocalFile());
    }
    if (paths.isEmpty()) {
        QWidget::dropEvent(event);
        return;
    }
    openFiles(paths);
    event->acceptProposedAction();
}

} // namespace orchestra::ui
