#pragma once

#include "manifests/applier.h"
#include "manifests/kinds.h"
#include "manifests/manifest.h"

#include <QJsonObject>
#include <QPointer>
#include <QWidget>

#include <functional>
#include <memory>

class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QStandardItemModel;
class QTabWidget;
class QTimer;
class QTreeView;
class QTreeWidget;

namespace orchestra::kube {
class ApiClient;
}

namespace orchestra::ui {

class DiffView;
class FindBar;
class ManifestEditor;

/// What the apply bar shows: where objects go.
struct ApplyTargetInfo
{
    QString contextName; ///< empty = not connected
    QString server;
    QString contextNamespace;
};

/// One editor tab: the text, validation as you type, problems, the apply bar, results per object and a diff.
class EditorTab final : public QWidget
{
    Q_OBJECT
public:
    explicit EditorTab(QWidget *parent = nullptr);
    ~EditorTab() override;

    ManifestEditor *editor() const { return m_editor; }
    FindBar *findBar() const { return m_findBar; }
    DiffView *diffView() const { return m_diff; }
    QTreeView *problemsView() const { return m_problemsView; }
    QTreeWidget *resultsView() const { return m_results; }

    QString text() const;
    /// Replaces the text (one undo step when `undoable`), validates at once.
    void setText(const QString &text, bool undoable = false);
    bool isModified() const;
    void setModified(bool modified);

    QString filePath() const { return m_filePath; }
    void setFilePath(const QString &path);
    /// "deployment.yaml", or "untitled 2" / the lesson label for untitled tabs.
    QString title() const;
    QString untitledName() const { return m_untitledName; }
    void setUntitledName(const QString &name) { m_untitledName = name; }
    QString label() const { return m_label; }
    void setLabel(const QString &label) { m_label = label; }
    /// {apiVersion, kind, namespace, name, resourceVersion} of the live object this tab edits; empty otherwise.
    QJsonObject boundObject() const { return m_boundObject; }
    void setBoundObject(const QJsonObject &object);
    QString recoveryId() const { return m_recoveryId; }
    void setRecoveryId(const QString &id) { m_recoveryId = id; }
    /// Text as last written to the recovery store (skip autosave when unchanged).
    QString autosavedText() const { return m_autosavedText; }
    void setAutosavedText(const QString &text) { m_autosavedText = text; }

    /// The namespace typed in the apply bar (may be empty: the context's is used).
    QString editorNamespace() const;
    void setEditorNamespace(const QString &nameSpace);

    /// The cluster to validate against and apply to. `client` null = not connected.
    void setCluster(kube::ApiClient *client, const manifests::KindResolver *resolver,
                    std::shared_ptr<const manifests::KindResolver> snapshot, const ApplyTargetInfo &target);

    /// Validates now (synchronously for small texts); validated() follows.
    void validateNow();
    manifests::ParsedManifest parsed() const { return m_parsed; }
    QList<manifests::Problem> problems() const { return m_parsed.problems; }

    /// Reads/writes the file; errors name the file.
    Result<void> load(const QString &path);
    Result<void> saveTo(const QString &path);

    /// Runs a dry run + diff of every object; false (with a status message) when it cannot start.
    bool dryRun();
    /// Applies every object after the first-time-per-context confirmation; false when it cannot start.
    bool apply();
    bool isBusy() const;
    QList<manifests::ObjectOutcome> outcomes() const { return m_outcomes; }
    /// The namespace objects without one go to (editor's, else the context's, else "default").
    QString targetNamespace() const;

    /// Hooks (tests replace them): confirmation before applying to `context` for the first time, the conflict
    /// dialog's answer (true = force), and whether to apply over a newer server version.
    std::function<bool(const QString &context, const QString &server)> confirmApply;
    std::function<void(const QList<manifests::ObjectOutcome> &conflicts, std::function<void(bool)> answer)>
        resolveConflicts;
    std::function<bool(const QString &message)> confirmOverwriteNewer;

signals:
    void modificationChanged(bool modified);
    void titleChanged();
    void validated();
    /// A dry run or apply finished.
    void runFinished(bool dryRun, const QList<orchestra::manifests::ObjectOutcome> &outcomes);
    void statusMessage(const QString &message);

private:
    void scheduleValidation();
    void showValidation(const manifests::ParsedManifest &parsed, int generation);
    void updateProblemsModel();
    void updateApplyBar();
    void startRun(bool dryRun, const QSet<int> &only, bool force, bool ignoreNewer);
    void onObjectFinished(const manifests::ObjectOutcome &outcome);
    void onRunFinished(const QList<manifests::ObjectOutcome> &outcomes);
    void showOutcome(int row);
    void jumpTo(int line, int column);
    void defaultResolveConflicts(const QList<manifests::ObjectOutcome> &conflicts, std::function<void(bool)> answer);

    ManifestEditor *m_editor;
    FindBar *m_findBar;
    QLabel *m_contextLabel;
    QLabel *m_serverLabel;
    QLineEdit *m_namespaceEdit;
    QLabel *m_targetLabel;
    QPushButton *m_dryRunButton;
    QPushButton *m_applyButton;
    QPushButton *m_cancelButton;
    QProgressBar *m_progress;
    QTabWidget *m_bottom;
    QTreeView *m_problemsView;
    QStandardItemModel *m_problemsModel;
    QTreeWidget *m_results;
    DiffView *m_diff;
    QTimer *m_validateTimer;

    QPointer<kube::ApiClient> m_client;
    const manifests::KindResolver *m_resolver = nullptr;
    std::shared_ptr<const manifests::KindResolver> m_snapshot;
    ApplyTargetInfo m_target;
    manifests::ApplySession *m_session = nullptr;

    manifests::ParsedManifest m_parsed;
    QList<manifests::Problem> m_serverProblems; ///< causes of the last run, until the next edit
    QList<manifests::ObjectOutcome> m_outcomes;
    int m_generation = 0;
    bool m_lastRunDryRun = false;
    bool m_runForced = false;

    QString m_filePath;
    QString m_untitledName;
    QString m_label;
    QJsonObject m_boundObject;
    QString m_recoveryId;
    QString m_autosavedText;
};

/// Contexts confirmed for apply in this run of the app (the confirmation is asked once per context).
QSet<QString> &confirmedApplyContexts();

} // namespace orchestra::ui
