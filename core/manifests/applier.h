#pragma once

#include "kube/status.h"
#include "manifests/applyrequest.h"
#include "manifests/diff.h"
#include "manifests/kinds.h"
#include "manifests/manifest.h"
#include "manifests/status.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSet>

#include <memory>
#include <optional>

namespace orchestra::kube {
class ApiClient;
class ResourceRegistry;
} // namespace orchestra::kube

namespace orchestra::manifests {

/// A KindResolver over the cluster's discovery (connected once discovery finished).
class RegistryKindResolver final : public KindResolver
{
public:
    explicit RegistryKindResolver(const kube::ResourceRegistry *registry);
    bool connected() const override;
    std::optional<KindInfo> find(const QString &apiVersion, const QString &kind) const override;

private:
    QPointer<const kube::ResourceRegistry> m_registry;
};

/// A copy of the cluster's kinds for a validation worker (KindTable when discovery is ready, else the built-in
/// kinds, not connected). Call on the registry's thread.
std::shared_ptr<const KindResolver> snapshotKinds(const kube::ResourceRegistry *registry);

/// What happened (or, in a dry run, would happen) to one object of the file.
struct ObjectOutcome final
{
    enum class State {
        Pending,
        Created,    ///< did not exist (dry run: will be created)
        Configured, ///< existed and changed
        Unchanged,  ///< existed, nothing to change
        Conflict,   ///< 409: other managers own fields this apply changes; see conflicts
        Stale,      ///< bound to a live object that changed on the server since it was opened
        Failed,     ///< the server (or the file) refused it; see error/causes
        Skipped,    ///< not attempted (cancelled, or depends on an object that failed)
    };
    int document = -1;
    QString displayName; ///< "Deployment web"
    QString nameSpace;   ///< where it goes (empty = cluster-scoped)
    State state = State::Pending;
    bool dryRun = false;
    QJsonObject live;        ///< the live object before, noise removed; empty when it did not exist
    QJsonObject result;      ///< what the server returned, noise removed
    QList<DiffLine> diff;    ///< live -> result, as YAML lines
    QJsonValue liveStatus;   ///< the live object's status (left out of `live` and the diff unless asked for)
    QJsonValue resultStatus; ///< the returned object's status
    QString liveResourceVersion;
    QString resultResourceVersion; ///< the object's resourceVersion after a real apply
    QString message;               ///< the server's Status message, or our explanation
    std::optional<kube::Status> status;
    QList<FieldConflict> conflicts;
    QList<MappedCause> causes; ///< status causes mapped to lines of the editor's text

    /// "created", "configured", "unchanged", "conflict", ... ("will be created" in a dry run).
    QString stateText() const;
    /// The diff again with `status` included (what "Show status" displays).
    QList<DiffLine> diffWithStatus() const;
};

/// Where objects go: the namespace shown in the apply bar.
struct ApplyTarget final
{
    QString editorNamespace;  ///< the editor's namespace choice, may be empty
    QString contextNamespace; ///< the kubeconfig context's namespace, may be empty (= "default")
};

/// Runs server-side dry runs and applies for every object of a parsed file, one object at a time in dependency
/// order, reporting each object's outcome with a diff. One run at a time; start another after finished().
class ApplySession final : public QObject
{
    Q_OBJECT
public:
    ApplySession(kube::ApiClient *client, const KindResolver *resolver, QObject *parent = nullptr);

    /// Documents bound to a live object ("Edit"): apply first checks that the server still has this
    /// resourceVersion and reports Stale otherwise (unless `ignoreNewer`).
    void setExpectedResourceVersion(int document, const QString &resourceVersion);

    /// Dry run (dryRun=All) of every object (or `only`), with a diff against the live object; `force` shows what
    /// forcing the conflicting fields would do.
    void dryRun(const ParsedManifest &manifest, const ApplyTarget &target, const QSet<int> &only = {},
                bool force = false);
    /// Applies every object (or `only`). `force` takes the conflicting fields; `ignoreNewer` applies bound
    /// objects even when the server has a newer version.
    void apply(const ParsedManifest &manifest, const ApplyTarget &target, const QSet<int> &only = {},
               bool force = false, bool ignoreNewer = false);
    /// Stops after the request in flight; remaining objects are Skipped.
    void cancel();
    bool isRunning() const { return m_running; }
    QList<ObjectOutcome> outcomes() const { return m_outcomes; }

signals:
    void progress(int done, int total);
    void objectFinished(const orchestra::manifests::ObjectOutcome &outcome);
    void finished(const QList<orchestra::manifests::ObjectOutcome> &outcomes);

private:
    void start(const ParsedManifest &manifest, const ApplyTarget &target, const QSet<int> &only);
    void next();
    void finishObject(ObjectOutcome outcome);
    void sendApply(int position, const ApplyRequest &request, const QJsonObject &live, bool existed);

    QPointer<kube::ApiClient> m_client;
    const KindResolver *m_resolver;
    ParsedManifest m_manifest;
    ApplyTarget m_target;
    QList<int> m_order;
    QList<ObjectOutcome> m_outcomes;
    QHash<int, QString> m_expectedVersions;
    QSet<QString> m_namespacesInFile;
    int m_position = 0;
    int m_generation = 0;
    bool m_dryRun = false;
    bool m_force = false;
    bool m_ignoreNewer = false;
    bool m_running = false;
    bool m_cancelled = false;
};

} // namespace orchestra::manifests
