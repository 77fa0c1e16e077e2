#include "manifests/applier.h"

#include "kube/apiclient.h"
#include "kube/resourceregistry.h"
#include "manifests/validator.h"

namespace orchestra::manifests {

namespace {

QString resourceVersionOf(const QJsonObject &object)
{
    return object.value(QStringLiteral("metadata")).toObject().value(QStringLiteral("resourceVersion")).toString();
}

QStringList yamlLines(const QJsonObject &object)
{
    if (object.isEmpty())
        return {};
    QStringList lines = toYaml(object).split(QLatin1Char('\n'));
    if (!lines.isEmpty() && lines.constLast().isEmpty())
        lines.removeLast();
    return lines;
}

} // namespace

RegistryKindResolver::RegistryKindResolver(const kube::ResourceRegistry *registry)
    : m_registry(registry)
{}

bool RegistryKindResolver::connected() const
{
    return m_registry && m_registry->isReady();
}

std::optional<KindInfo> RegistryKindResolver::find(const QString &apiVersion, const QString &kind) const
{
    if (!m_registry)
        return std::nullopt;
    const std::optional<kube::ResourceKind> found = m_registry->findByApiVersion(apiVersion, kind);
    if (!found)
        return std::nullopt;
    return KindInfo{found->group, found->version, found->kind, found->plural, found->namespaced};
}

std::shared_ptr<const KindResolver> snapshotKinds(const kube::ResourceRegistry *registry)
{
    if (!registry || !registry->isReady())
        return std::make_shared<BuiltinKinds>();
    QList<KindInfo> kinds;
    for (const kube::ResourceKind &kind : registry->allKinds())
        kinds.append(KindInfo{kind.group, kind.version, kind.kind, kind.plural, kind.namespaced});
    return std::make_shared<KindTable>(std::move(kinds), true);
}

QList<DiffLine> ObjectOutcome::diffWithStatus() const
{
    auto withStatus = [](QJsonObject object, const QJsonValue &status) {
        if (!object.isEmpty() && !status.isUndefined())
            object.insert(QStringLiteral("status"), status);
        return object;
    };
    return diffLines(yamlLines(withStatus(live, liveStatus)), yamlLines(withStatus(result, resultStatus)));
}

QString ObjectOutcome::stateText() const
{
    switch (state) {
    case State::Pending:
        return QStringLiteral("pending");
    case State::Created:
        return dryRun ? QStringLiteral("will be created") : QStringLiteral("created");
    case State::Configured:
        return dryRun ? QStringLiteral("will be configured") : QStringLiteral("configured");
    case State::Unchanged:
        return dryRun ? QStringLiteral("no changes") : QStringLiteral("unchanged");
    case State::Conflict:
        return QStringLiteral("conflict");
    case State::Stale:
        return QStringLiteral("changed on the server");
    case State::Failed:
        return QStringLiteral("failed");
    case State::Skipped:
        return QStringLiteral("skipped");
    }
    return {};
}

ApplySession::ApplySession(kube::ApiClient *client, const KindResolver *resolver, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_resolver(resolver)
{}

void ApplySession::setExpectedResourceVersion(int document, const QString &resourceVersion)
{
    if (resourceVersion.isEmpty())
        m_expectedVersions.remove(document);
    else
        m_expectedVersions.insert(document, resourceVersion);
}

void ApplySession::dryRun(const ParsedManifest &manifest, const ApplyTarget &target, const QSet<int> &only, bool force)
{
    m_dryRun = true;
    m_force = force;
    m_ignoreNewer = true;
    start(manifest, target, only);
}

void ApplySession::apply(const ParsedManifest &manifest, const ApplyTarget &target, const QSet<int> &only, bool force,
                         bool ignoreNewer)
{
    m_dryRun = false;
    m_force = force;
    m_ignoreNewer = ignoreNewer;
    start(manifest, target, only);
}

void ApplySession::cancel()
{
    m_cancelled = true;
}

void ApplySession::start(const ParsedManifest &manifest, const ApplyTarget &target, const QSet<int> &only)
{
    ++m_generation;
    m_manifest = manifest;
    m_target = target;
    m_order.clear();
    m_outcomes.clear();
    m_namespacesInFile.clear();
    for (const int index : applyOrder(manifest.documents)) {
        if (!only.isEmpty() && !only.contains(index))
            continue;
        m_order.append(index);
        ObjectOutcome outcome;
        outcome.document = index;
        outcome.dryRun = m_dryRun;
        outcome.displayName = manifest.documents.at(index).displayName();
        m_outcomes.append(outcome);
    }
    for (const ManifestDocument &document : manifest.documents) {
        if (document.kind == QLatin1String("Namespace") && !document.name.isEmpty())
            m_namespacesInFile.insert(document.name);
    }
    m_position = 0;
    m_running = true;
    m_cancelled = false;
    QMetaObject::invokeMethod(this, &ApplySession::next, Qt::QueuedConnection);
}

void ApplySession::next()
{
    if (!m_running)
        return;
    if (m_position >= m_order.size() || m_cancelled || !m_client) {
        for (int i = m_position; i < m_outcomes.size(); ++i) {
            m_outcomes[i].state = ObjectOutcome::State::Skipped;
            m_outcomes[i].message = m_client ? QStringLiteral("Cancelled before it was sent.")
                                             : QStringLiteral("Not connected to a cluster.");
        }
        m_running = false;
        emit finished(m_outcomes);
        return;
    }

    const ManifestDocument &document = m_manifest.documents.at(m_order.at(m_position));
    ObjectOutcome outcome = m_outcomes.at(m_position);

    for (const Problem &problem : std::as_const(m_manifest.problems)) {
        if (problem.document == document.index && problem.severity == Problem::Severity::Error) {
            outcome.state = ObjectOutcome::State::Failed;
            outcome.message = QStringLiteral("Not sent: line %1: %2").arg(problem.line).arg(problem.message);
            finishObject(outcome);
            return;
        }
    }
    const std::optional<KindInfo> fromCluster =
        m_resolver ? m_resolver->find(document.apiVersion, document.kind) : std::nullopt;
    const BuiltinKinds builtin;
    const std::optional<KindInfo> kind =
        fromCluster ? fromCluster : resolveKind(m_manifest, document, m_resolver ? *m_resolver : builtin);
    if (!kind) {
        outcome.state = ObjectOutcome::State::Failed;
        outcome.message =
            QStringLiteral("The cluster does not serve kind %1 in %2.").arg(document.kind, document.apiVersion);
        finishObject(outcome);
        return;
    }
    const Result<ApplyRequest> request = buildApplyRequest(document, *kind, m_target.editorNamespace,
                                                           m_target.contextNamespace, ApplyOptions{m_dryRun, m_force});
    if (!request) {
        outcome.state = ObjectOutcome::State::Failed;
        outcome.message = request.error().message + QLatin1Char('.');
        finishObject(outcome);
        return;
    }
    outcome.nameSpace = request->nameSpace;
    m_outcomes[m_position] = outcome;

    // Defined by a CRD in this same file: the server cannot dry-run it before the CRD exists.
    if (!fromCluster && m_dryRun) {
        outcome.state = ObjectOutcome::State::Created;
        outcome.message = QStringLiteral("Will be created after its CustomResourceDefinition (not checked by the "
                                         "server yet).");
        outcome.result = stripNoise(document.object);
        outcome.diff = diffLines({}, yamlLines(outcome.result));
        finishObject(outcome);
        return;
    }

    const int generation = m_generation;
    const int position = m_position;
    const ApplyRequest applyRequest = *request;
    kube::Request get;
    get.path = applyRequest.objectPath;
    m_client->send(get, this, [this, generation, position, applyRequest](const kube::Response &response) {
        if (generation != m_generation)
            return;
        ObjectOutcome outcome = m_outcomes.at(position);
        if (!response.ok() && response.httpStatus != 404) {
            outcome.state = ObjectOutcome::State::Failed;
            outcome.status = response.status;
            outcome.message = response.status->toError().toString();
            finishObject(outcome);
            return;
        }
        const bool existed = response.ok();
        const QJsonObject live = existed ? response.json() : QJsonObject();
        const int documentIndex = m_order.at(position);
        if (existed && !m_ignoreNewer && m_expectedVersions.contains(documentIndex) &&
            m_expectedVersions.value(documentIndex) != resourceVersionOf(live)) {
            outcome.state = ObjectOutcome::State::Stale;
            outcome.liveResourceVersion = resourceVersionOf(live);
            outcome.live = stripNoise(live);
            outcome.result = stripNoise(m_manifest.documents.at(documentIndex).object);
            outcome.diff = diffLines(yamlLines(outcome.live), yamlLines(outcome.result));
            outcome.message =
                QStringLiteral("%1 changed on the server since it was opened (resourceVersion %2, "
                               "now %3). Review the live version before applying over it.")
                    .arg(outcome.displayName, m_expectedVersions.value(documentIndex), outcome.liveResourceVersion);
            finishObject(outcome);
            return;
        }
        sendApply(position, applyRequest, live, existed);
    });
}

void ApplySession::sendApply(int position, const ApplyRequest &applyRequest, const QJsonObject &live, bool existed)
{
    const int generation = m_generation;
    kube::Request patch;
    patch.verb = "PATCH";
    patch.path = applyRequest.path;
    patch.body = applyRequest.body;
    patch.contentType = applyRequest.contentType;
    m_client->send(patch, this, [this, generation, position, live, existed](const kube::Response &response) {
        if (generation != m_generation)
            return;
        ObjectOutcome outcome = m_outcomes.at(position);
        const ManifestDocument &document = m_manifest.documents.at(m_order.at(position));
        outcome.live = existed ? stripNoise(live) : QJsonObject();
        outcome.liveStatus = live.value(QStringLiteral("status"));
        outcome.liveResourceVersion = resourceVersionOf(live);
        if (response.ok()) {
            const QJsonObject result = response.json();
            outcome.result = stripNoise(result);
            outcome.resultStatus = result.value(QStringLiteral("status"));
            outcome.resultResourceVersion = resourceVersionOf(result);
            outcome.diff = diffLines(yamlLines(outcome.live), yamlLines(outcome.result));
            if (response.httpStatus == 201 || !existed)
                outcome.state = ObjectOutcome::State::Created;
            // Content, not resourceVersion: a change of field ownership alone bumps it but changes nothing visible.
            else if (!hasChanges(outcome.diff) ||
                     (!m_dryRun && resourceVersionOf(result) == outcome.liveResourceVersion))
                outcome.state = ObjectOutcome::State::Unchanged;
            else
                outcome.state = ObjectOutcome::State::Configured;
            if (m_force && outcome.state != ObjectOutcome::State::Unchanged)
                outcome.message = m_dryRun ? QStringLiteral("With force: conflicting fields would become Orchestra's.")
                                           : QStringLiteral("Forced: conflicting fields are now Orchestra's.");
            finishObject(outcome);
            return;
        }
        const kube::Status status = *response.status;
        outcome.status = status;
        outcome.message = status.message;
        outcome.causes = mapCauses(status, document);
        if (status.code == 409 && status.reason == QLatin1String("Conflict")) {
            outcome.state = ObjectOutcome::State::Conflict;
            outcome.conflicts = conflictsOf(status);
        } else if (m_dryRun && status.code == 404 && status.detailsKind == QLatin1String("namespaces") &&
                   m_namespacesInFile.contains(status.detailsName)) {
            outcome.state = ObjectOutcome::State::Created;
            outcome.status.reset();
            outcome.causes.clear();
            outcome.message = QStringLiteral("Will be created after Namespace %1 (not checked by the server yet).")
                                  .arg(status.detailsName);
            outcome.result = stripNoise(document.object);
            outcome.diff = diffLines({}, yamlLines(outcome.result));
        } else {
            outcome.state = ObjectOutcome::State::Failed;
        }
        finishObject(outcome);
    });
}

void ApplySession::finishObject(ObjectOutcome outcome)
{
    m_outcomes[m_position] = outcome;
    emit objectFinished(outcome);
    ++m_position;
    emit progress(m_position, int(m_order.size()));
    QMetaObject::invokeMethod(this, &ApplySession::next, Qt::QueuedConnection);
}

} // namespace orchestra::manifests
