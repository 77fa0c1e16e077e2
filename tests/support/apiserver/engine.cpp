// Registry, object store, request dispatch and the REST handlers.

#include "engine.h"
#include "jsonutil.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSslSocket>
#include <QTimer>

#include <algorithm>
#include <functional>
#include <initializer_list>
#include <optional>
#include <utility>

namespace orchestra::testing {

namespace {

/// Marks a loop over the watches or log streams; when the outermost ends, ended ones are erased.
class StreamLoop final
{
public:
    StreamLoop(int &depth, std::function<void()> purge)
        : m_depth(depth)
        , m_purge(std::move(purge))
    {
        ++m_depth;
    }
    ~StreamLoop()
    {
        if (--m_depth == 0)
            m_purge();
    }
    StreamLoop(const StreamLoop &) = delete;
    StreamLoop &operator=(const StreamLoop &) = delete;

private:
    int &m_depth;
    std::function<void()> m_purge;
};

/// Marks a watch as over and stops its timer for good: the timer's slot holds a raw Watch
/// pointer, so it must never fire once the Watch may be erased.
void detachWatch(Watch &watch)
{
    watch.ended = true;
    if (watch.timeout) {
        watch.timeout->stop();
        watch.timeout->disconnect();
        watch.timeout->deleteLater();
        watch.timeout = nullptr;
    }
}

const QStringList kStandardVerbs = {
    QStringLiteral("create"), QStringLiteral("delete"), QStringLiteral("deletecollection"), QStringLiteral("get"),
    QStringLiteral("list"),   QStringLiteral("patch"),  QStringLiteral("update"),           QStringLiteral("watch")};

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QJsonObject parseObject(const QByteArray &json)
{
    return QJsonDocument::fromJson(json).object();
}

/// Version priority as Kubernetes sorts them: GA > beta > alpha, higher numbers first.
int versionPriority(const QString &version)
{
    static const QRegularExpression re(QStringLiteral("^v(\\d+)(?:(alpha|beta)(\\d+))?$"));
    const QRegularExpressionMatch m = re.match(version);
    if (!m.hasMatch())
        return 0;
    const int major = m.captured(1).toInt();
    const QString stage = m.captured(2);
    const int minor = m.captured(3).toInt();
    const int stageRank = stage.isEmpty() ? 3 : stage == QLatin1String("beta") ? 2 : 1;
    return stageRank * 1000000 + major * 1000 + minor;
}

QJsonObject statusObject(int code, const QString &reason, const QString &message, const QJsonObject &details)
{
    QJsonObject status{{QStringLiteral("kind"), QStringLiteral("Status")},
                       {QStringLiteral("apiVersion"), QStringLiteral("v1")},
                       {QStringLiteral("metadata"), QJsonObject()},
                       {QStringLiteral("status"), QStringLiteral("Failure")},
                       {QStringLiteral("message"), message},
                       {QStringLiteral("code"), code}};
    if (!reason.isEmpty())
        status.insert(QStringLiteral("reason"), reason);
    if (!details.isEmpty())
        status.insert(QStringLiteral("details"), details);
    return status;
}

QString qualified(const ResourceType &type)
{
    return type.group.isEmpty() ? type.resource : type.resource + QLatin1Char('.') + type.group;
}

QJsonObject details(const ResourceType &type, const QString &name)
{
    QJsonObject d;
    if (!name.isEmpty())
        d.insert(QStringLiteral("name"), name);
    if (!type.group.isEmpty())
        d.insert(QStringLiteral("group"), type.group);
    d.insert(QStringLiteral("kind"), type.resource);
    return d;
}

bool isTrue(const QString &value)
{
    return value == QLatin1String("1") || value == QLatin1String("true") || value == QLatin1String("True");
}

QString reasonFor(int code)
{
    switch (code) {
    case 429:
        return QStringLiteral("TooManyRequests");
    case 500:
        return QStringLiteral("InternalError");
    case 503:
        return QStringLiteral("ServiceUnavailable");
    case 504:
        return QStringLiteral("Timeout");
    default:
        return QString();
    }
}

const QRegularExpression &nameRe()
{
    static const QRegularExpression re(
        QStringLiteral("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"));
    return re;
}

QJsonObject withoutTypeMeta(QJsonObject object)
{
    object.remove(QStringLiteral("kind"));
    object.remove(QStringLiteral("apiVersion"));
    return object;
}

QJsonObject metadataOf(const QJsonObject &object)
{
    return object.value(QStringLiteral("metadata")).toObject();
}

QString nameOf(const QJsonObject &object)
{
    return metadataOf(object).value(QStringLiteral("name")).toString();
}

QString managerName(const HttpRequest &request, const QString &fallback)
{
    const QString manager = request.param(QStringLiteral("fieldManager"));
    if (!manager.isEmpty())
        return manager;
    const QString agent = QString::fromUtf8(request.header("user-agent")).section(QLatin1Char('/'), 0, 0);
    return agent.isEmpty() ? fallback : agent;
}

QJsonArray setManagedFields(const QJsonArray &entries, const QString &manager, const QString &operation,
                            const QString &apiVersion, const json::FieldSet &owned, bool replace)
{
    QJsonArray result;
    bool found = false;
    for (const QJsonValue &value : entries) {
        QJsonObject entry = value.toObject();
        if (entry.value(QStringLiteral("manager")).toString() == manager &&
            entry.value(QStringLiteral("operation")).toString() == operation) {
            json::FieldSet set =
                replace ? owned
                        : json::fieldSetFromFieldsV1(entry.value(QStringLiteral("fieldsV1")).toObject()).unite(owned);
            entry.insert(QStringLiteral("fieldsV1"), json::fieldsV1FromSet(set));
            entry.insert(QStringLiteral("time"), json::nowTimestamp());
            entry.insert(QStringLiteral("apiVersion"), apiVersion);
            found = true;
            if (set.isEmpty())
                continue;
        } else if (!replace || operation == QLatin1String("Update")) {
            // Others lose the fields this manager now owns (an Update takes them over).
            json::FieldSet theirs = json::fieldSetFromFieldsV1(entry.value(QStringLiteral("fieldsV1")).toObject());
            if (operation == QLatin1String("Update"))
                theirs.subtract(owned);
            if (theirs.isEmpty())
                continue;
            entry.insert(QStringLiteral("fieldsV1"), json::fieldsV1FromSet(theirs));
        }
        result.append(entry);
    }
    if (!found && !owned.isEmpty()) {
        result.append(QJsonObject{{QStringLiteral("manager"), manager},
                                  {QStringLiteral("operation"), operation},
                                  {QStringLiteral("apiVersion"), apiVersion},
                                  {QStringLiteral("time"), json::nowTimestamp()},
                                  {QStringLiteral("fieldsType"), QStringLiteral("FieldsV1")},
                                  {QStringLiteral("fieldsV1"), json::fieldsV1FromSet(owned)}});
    }
    return result;
}

QJsonObject withManagedFields(QJsonObject object, const QJsonArray &managed)
{
    QJsonObject metadata = metadataOf(object);
    if (managed.isEmpty())
        metadata.remove(QStringLiteral("managedFields"));
    else
        metadata.insert(QStringLiteral("managedFields"), managed);
    object.insert(QStringLiteral("metadata"), metadata);
    return object;
}

/// A new object's managedFields: one entry, `manager` owning `fields` through `operation` ("Update" or "Apply").
QJsonObject withCreator(QJsonObject object, const QString &manager, const QString &operation, const ResourceType &type,
                        const json::FieldSet &fields)
{
    return withManagedFields(std::move(object),
                             setManagedFields({}, manager, operation, type.groupVersion(), fields, false));
}

/// `object` as a write of `live` stores it: a changed spec makes the generation one more than the live one
/// (for objects that count generations).
QJsonObject withNextGeneration(const QJsonObject &live, QJsonObject object)
{
    const QJsonObject liveMetadata = metadataOf(live);
    if (live.value(QStringLiteral("spec")) == object.value(QStringLiteral("spec")) ||
        !liveMetadata.contains(QStringLiteral("generation")))
        return object;
    QJsonObject metadata = metadataOf(object);
    metadata.insert(QStringLiteral("generation"), liveMetadata.value(QStringLiteral("generation")).toInt() + 1);
    object.insert(QStringLiteral("metadata"), metadata);
    return object;
}

/// `object` with the live status when the status has a subresource of its own: a write of the object leaves it alone.
QJsonObject withLiveStatus(const ResourceType &type, const QJsonObject &live, QJsonObject object)
{
    if (type.subresources.contains(QStringLiteral("status")) && live.contains(QStringLiteral("status")))
        object.insert(QStringLiteral("status"), live.value(QStringLiteral("status")));
    return object;
}

/// What a write through `sub` changes of `live`: through "status" only the status, otherwise the object.
QJsonObject scopedToSubresource(const ResourceType &type, const QString &sub, const QJsonObject &live,
                                const QJsonObject &object)
{
    if (sub != QLatin1String("status"))
        return withLiveStatus(type, live, object);
    QJsonObject onlyStatus = live;
    onlyStatus.insert(QStringLiteral("status"), object.value(QStringLiteral("status")));
    return onlyStatus;
}

/// `object` as an update or patch of `live` stores it: the metadata fields `keptFromLive` stay as they are live (or
/// absent), a
/// changed spec bumps the generation, and the request's field manager owns the fields it changed.
QJsonObject asUpdateOf(const QJsonObject &live, QJsonObject object, std::initializer_list<const char *> keptFromLive,
                       const HttpRequest &request, const ResourceType &type)
{
    const QJsonObject liveMetadata = metadataOf(live);
    QJsonObject metadata = metadataOf(object);
    for (const char *field : keptFromLive) {
        if (liveMetadata.contains(QLatin1String(field)))
            metadata.insert(QLatin1String(field), liveMetadata.value(QLatin1String(field)));
        else
            metadata.remove(QLatin1String(field)); // e.g. a Pod has no generation, and a request cannot add one
    }
    object.insert(QStringLiteral("metadata"), metadata);
    object = withNextGeneration(live, object);
    return withManagedFields(object,
                             setManagedFields(liveMetadata.value(QStringLiteral("managedFields")).toArray(),
                                              managerName(request, QStringLiteral("unknown")), QStringLiteral("Update"),
                                              type.groupVersion(), json::changedFields(live, object), false));
}

/// A Secret as the API server stores it: stringData is write-only, its entries land base64-encoded in data
/// (overriding keys already there).
QJsonObject withStringDataMerged(const ResourceType &type, QJsonObject object)
{
    if (type.storeKey() != QLatin1String("/secrets") || !object.contains(QLatin1String("stringData")))
        return object;
    QJsonObject data = object.value(QStringLiteral("data")).toObject();
    const QJsonObject stringData = object.value(QStringLiteral("stringData")).toObject();
    for (auto it = stringData.begin(); it != stringData.end(); ++it)
        data.insert(it.key(), QString::fromLatin1(it.value().toString().toUtf8().toBase64()));
    object.remove(QStringLiteral("stringData"));
    object.insert(QStringLiteral("data"), data);
    return object;
}

bool isDryRun(const HttpRequest &request)
{
    return request.param(QStringLiteral("dryRun")) == QLatin1String("All");
}

bool isCrd(const ResourceType &type)
{
    return type.storeKey() == QLatin1String("apiextensions.k8s.io/customresourcedefinitions");
}

} // namespace

Engine::Engine(QObject *parent)
    : QTcpServer(parent)
{
    registerBuiltins();
    m_bookmarkTimer = new QTimer(this);
    connect(m_bookmarkTimer, &QTimer::timeout, this, &Engine::sendBookmarks);
    tokens.insert(QStringLiteral("learner-token"), {QStringLiteral("learner"), false});
    m_rv = 100;
    for (const char *ns : {"default", "kube-system", "kube-public", "istio-system"}) {
        createObject(
            QJsonObject{{QStringLiteral("apiVersion"), QStringLiteral("v1")},
                        {QStringLiteral("kind"), QStringLiteral("Namespace")},
                        {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), QLatin1String(ns)}}}});
    }
    // One node, shaped like a real kubelet-registered node.
    const QString now = json::nowTimestamp();
    QByteArray node = R"json({"apiVersion":"v1","kind":"Node","metadata":{"name":"node-1",
        "labels":{"kubernetes.io/hostname":"node-1","kubernetes.io/os":"linux","kubernetes.io/arch":"amd64"},
        "annotations":{"node.alpha.kubernetes.io/ttl":"0"}},"spec":{},
        "status":{"capacity":{"cpu":"8","memory":"32Gi","pods":"110"},"allocatable":{"cpu":"8","memory":"32Gi","pods":"110"},
        "conditions":[{"type":"Ready","status":"True","lastHeartbeatTime":"@NOW@","lastTransitionTime":"@NOW@",
        "reason":"KubeletReady","message":"kubelet is posting ready status"}],
        "addresses":[{"type":"InternalIP","address":"127.0.0.1"},{"type":"Hostname","address":"node-1"}],
        "daemonEndpoints":{"kubeletEndpoint":{"Port":10250}},
        "nodeInfo":{"machineID":"","systemUUID":"","bootID":"","kernelVersion":"6.1.0","osImage":"Debian GNU/Linux 12 (bookworm)",
        "containerRuntimeVersion":"containerd://1.6.20","kubeletVersion":"v1.20.2","kubeProxyVersion":"v1.20.2",
        "operatingSystem":"linux","architecture":"amd64"}}})json";
    node.replace("@NOW@", now.toLatin1());
    createObject(QJsonDocument::fromJson(node).object());
    m_historyStart = 0;
}

Engine::~Engine()
{
    stopServer();
}

bool Engine::startServer(quint16 port)
{
    if (!ensureTls())
        return false;
    if (!listen(QHostAddress::LocalHost, port)) {
        lastError = errorString();
        return false;
    }
    m_bookmarkTimer->start(bookmarkInterval);
    return true;
}

void Engine::stopServer()
{
    closeAllWatches();
    close();
    const auto connections = m_connections;
    for (HttpConnection *connection : connections)
        connection->abort();
    m_connections.clear();
}

// ---------------------------------------------------------------- registry

void Engine::addType(const ResourceType &type)
{
    ResourceType t = type;
    if (t.verbs.isEmpty())
        t.verbs = kStandardVerbs;
    m_types.append(t);
}

void Engine::registerBuiltins()
{
    auto add = [this](const QString &group, const QString &version, const QString &resource, const QString &kind,
                      bool namespaced, const QStringList &shortNames, const QStringList &subresources,
                      bool all = false) {
        ResourceType type;
        type.group = group;
        type.version = version;
        type.resource = resource;
        type.kind = kind;
        type.namespaced = namespaced;
        type.shortNames = shortNames;
        type.subresources = subresources;
        if (all)
            type.categories = {QStringLiteral("all")};
        addType(type);
    };
    const QString core;
    const QString v1 = QStringLiteral("v1");
    const QString status = QStringLiteral("status");
    const QString scale = QStringLiteral("scale");
    add(core, v1, QStringLiteral("configmaps"), QStringLiteral("ConfigMap"), true, {QStringLiteral("cm")}, {});
    add(core, v1, QStringLiteral("endpoints"), QStringLiteral("Endpoints"), true, {QStringLiteral("ep")}, {});
    add(core, v1, QStringLiteral("events"), QStringLiteral("Event"), true, {QStringLiteral("ev")}, {});
    add(core, v1, QStringLiteral("limitranges"), QStringLiteral("LimitRange"), true, {QStringLiteral("limits")}, {});
    add(core, v1, QStringLiteral("namespaces"), QStringLiteral("Namespace"), false, {QStringLiteral("ns")},
        {status, QStringLiteral("finalize")});
    add(core, v1, QStringLiteral("nodes"), QStringLiteral("Node"), false, {QStringLiteral("no")},
        {QStringLiteral("proxy"), status});
    add(core, v1, QStringLiteral("persistentvolumeclaims"), QStringLiteral("PersistentVolumeClaim"), true,
        {QStringLiteral("pvc")}, {status});
    add(core, v1, QStringLiteral("persistentvolumes"), QStringLiteral("PersistentVolume"), false,
        {QStringLiteral("pv")}, {status});
    add(core, v1, QStringLiteral("pods"), QStringLiteral("Pod"), true, {QStringLiteral("po")},
        {QStringLiteral("exec"), QStringLiteral("log"), QStringLiteral("portforward"), QStringLiteral("proxy"), status},
        true);
    add(core, v1, QStringLiteral("resourcequotas"), QStringLiteral("ResourceQuota"), true, {QStringLiteral("quota")},
        {status});
    add(core, v1, QStringLiteral("secrets"), QStringLiteral("Secret"), true, {}, {});
    add(core, v1, QStringLiteral("serviceaccounts"), QStringLiteral("ServiceAccount"), true, {QStringLiteral("sa")},
        {});
    add(core, v1, QStringLiteral("services"), QStringLiteral("Service"), true, {QStringLiteral("svc")},
        {QStringLiteral("proxy"), status}, true);
    const QString apps = QStringLiteral("apps");
    add(apps, v1, QStringLiteral("controllerrevisions"), QStringLiteral("ControllerRevision"), true, {}, {});
    add(apps, v1, QStringLiteral("daemonsets"), QStringLiteral("DaemonSet"), true, {QStringLiteral("ds")}, {status},
        true);
    add(apps, v1, QStringLiteral("deployments"), QStringLiteral("Deployment"), true, {QStringLiteral("deploy")},
        {scale, status}, true);
    add(apps, v1, QStringLiteral("replicasets"), QStringLiteral("ReplicaSet"), true, {QStringLiteral("rs")},
        {scale, status}, true);
    add(apps, v1, QStringLiteral("statefulsets"), QStringLiteral("StatefulSet"), true, {QStringLiteral("sts")},
        {scale, status}, true);
    const QString batch = QStringLiteral("batch");
    add(batch, v1, QStringLiteral("cronjobs"), QStringLiteral("CronJob"), true, {QStringLiteral("cj")}, {status}, true);
    add(batch, v1, QStringLiteral("jobs"), QStringLiteral("Job"), true, {}, {status}, true);
    const QString networking = QStringLiteral("networking.k8s.io");
    add(networking, v1, QStringLiteral("ingressclasses"), QStringLiteral("IngressClass"), false, {}, {});
    add(networking, v1, QStringLiteral("ingresses"), QStringLiteral("Ingress"), true, {QStringLiteral("ing")},
        {status});
    add(networking, v1, QStringLiteral("networkpolicies"), QStringLiteral("NetworkPolicy"), true,
        {QStringLiteral("netpol")}, {});
    const QString rbac = QStringLiteral("rbac.authorization.k8s.io");
    add(rbac, v1, QStringLiteral("clusterrolebindings"), QStringLiteral("ClusterRoleBinding"), false, {}, {});
    add(rbac, v1, QStringLiteral("clusterroles"), QStringLiteral("ClusterRole"), false, {}, {});
    add(rbac, v1, QStringLiteral("rolebindings"), QStringLiteral("RoleBinding"), true, {}, {});
    add(rbac, v1, QStringLiteral("roles"), QStringLiteral("Role"), true, {}, {});
    add(QStringLiteral("scheduling.k8s.io"), v1, QStringLiteral("priorityclasses"), QStringLiteral("PriorityClass"),
        false, {QStringLiteral("pc")}, {});
    add(QStringLiteral("storage.k8s.io"), v1, QStringLiteral("storageclasses"), QStringLiteral("StorageClass"), false,
        {QStringLiteral("sc")}, {});
    add(QStringLiteral("policy"), v1, QStringLiteral("poddisruptionbudgets"), QStringLiteral("PodDisruptionBudget"),
        true, {QStringLiteral("pdb")}, {status});
    add(QStringLiteral("autoscaling"), QStringLiteral("v2"), QStringLiteral("horizontalpodautoscalers"),
        QStringLiteral("HorizontalPodAutoscaler"), true, {QStringLiteral("hpa")}, {status}, true);
    add(QStringLiteral("autoscaling"), v1, QStringLiteral("horizontalpodautoscalers"),
        QStringLiteral("HorizontalPodAutoscaler"), true, {QStringLiteral("hpa")}, {status}, true);
    add(QStringLiteral("apiextensions.k8s.io"), v1, QStringLiteral("customresourcedefinitions"),
        QStringLiteral("CustomResourceDefinition"), false, {QStringLiteral("crd"), QStringLiteral("crds")}, {status});
    for (const char *review : {"selfsubjectaccessreviews", "selfsubjectrulesreviews"}) {
        ResourceType type;
        type.group = QStringLiteral("authorization.k8s.io");
        type.version = v1;
        type.resource = QLatin1String(review);
        type.kind = QLatin1String(review) == QLatin1String("selfsubjectaccessreviews")
                        ? QStringLiteral("SelfSubjectAccessReview")
                        : QStringLiteral("SelfSubjectRulesReview");
        type.namespaced = false;
        type.verbs = {QStringLiteral("create")};
        addType(type);
    }
}

const ResourceType *Engine::findType(const QString &group, const QString &version, const QString &resource) const
{
    for (const ResourceType &type : m_types) {
        if (type.group == group && type.version == version && type.resource == resource)
            return &type;
    }
    return nullptr;
}

const ResourceType *Engine::findTypeByKind(const QString &apiVersion, const QString &kind) const
{
    const QString group =
        apiVersion.contains(QLatin1Char('/')) ? apiVersion.section(QLatin1Char('/'), 0, 0) : QString();
    const QString version = apiVersion.section(QLatin1Char('/'), -1);
    for (const ResourceType &type : m_types) {
        if (type.group == group && type.version == version && type.kind == kind)
            return &type;
    }
    return nullptr;
}

void Engine::registerCrd(const QJsonObject &crd)
{
    unregisterCrd(crd);
    const QJsonObject spec = crd.value(QStringLiteral("spec")).toObject();
    const QJsonObject names = spec.value(QStringLiteral("names")).toObject();
    QList<QJsonObject> versions;
    for (const QJsonValue &v : spec.value(QStringLiteral("versions")).toArray()) {
        if (v.toObject().value(QStringLiteral("served")).toBool(true))
            versions.append(v.toObject());
    }
    std::stable_sort(versions.begin(), versions.end(), [](const QJsonObject &a, const QJsonObject &b) {
        return versionPriority(a.value(QStringLiteral("name")).toString()) >
               versionPriority(b.value(QStringLiteral("name")).toString());
    });
    for (const QJsonObject &version : versions) {
        ResourceType type;
        type.group = spec.value(QStringLiteral("group")).toString();
        type.version = version.value(QStringLiteral("name")).toString();
        type.resource = names.value(QStringLiteral("plural")).toString();
        type.singular = names.value(QStringLiteral("singular")).toString(type.resource);
        type.kind = names.value(QStringLiteral("kind")).toString();
        type.namespaced = spec.value(QStringLiteral("scope")).toString() != QLatin1String("Cluster");
        type.custom = true;
        for (const QJsonValue &s : names.value(QStringLiteral("shortNames")).toArray())
            type.shortNames.append(s.toString());
        for (const QJsonValue &c : names.value(QStringLiteral("categories")).toArray())
            type.categories.append(c.toString());
        const QJsonObject subresources = version.value(QStringLiteral("subresources")).toObject();
        if (subresources.contains(QStringLiteral("status")))
            type.subresources.append(QStringLiteral("status"));
        if (subresources.contains(QStringLiteral("scale")))
            type.subresources.append(QStringLiteral("scale"));
        type.printerColumns = version.value(QStringLiteral("additionalPrinterColumns")).toArray();
        type.verbs = {QStringLiteral("delete"), QStringLiteral("deletecollection"),
                      QStringLiteral("get"),    QStringLiteral("list"),
                      QStringLiteral("patch"),  QStringLiteral("create"),
                      QStringLiteral("update"), QStringLiteral("watch")};
        m_types.append(type);
    }
}

void Engine::unregisterCrd(const QJsonObject &crd)
{
    const QJsonObject spec = crd.value(QStringLiteral("spec")).toObject();
    const QString group = spec.value(QStringLiteral("group")).toString();
    const QString plural = spec.value(QStringLiteral("names")).toObject().value(QStringLiteral("plural")).toString();
    m_types.erase(
        std::remove_if(m_types.begin(), m_types.end(),
                       [&](const ResourceType &t) { return t.custom && t.group == group && t.resource == plural; }),
        m_types.end());
}

// ---------------------------------------------------------------- store

const Engine::Collection &Engine::storeOf(const QString &storeKey) const
{
    static const Collection empty;
    const auto it = m_store.find(storeKey);
    return it == m_store.end() ? empty : it->second;
}

QString Engine::objectKey(const QString &ns, const QString &name) const
{
    return ns.isEmpty() ? name : ns + QLatin1Char('/') + name;
}

QString Engine::objectKey(const ResourceType &type, const QString &ns, const QString &name) const
{
    return objectKey(type.namespaced ? ns : QString(), name);
}

const StoredObject *Engine::findStored(const ResourceType &type, const QString &ns, const QString &name) const
{
    const Collection &collection = storeOf(type.storeKey());
    const auto it = collection.find(objectKey(type, ns, name));
    return it == collection.end() ? nullptr : &it.value();
}

StoredObject Engine::makeStored(const QJsonObject &body) const
{
    StoredObject stored;
    const QJsonObject metadata = metadataOf(body);
    stored.body = compact(body);
    stored.name = metadata.value(QStringLiteral("name")).toString();
    stored.nameSpace = metadata.value(QStringLiteral("namespace")).toString();
    stored.uid = metadata.value(QStringLiteral("uid")).toString();
    stored.rv = metadata.value(QStringLiteral("resourceVersion")).toString().toULongLong();
    const QJsonObject labels = metadata.value(QStringLiteral("labels")).toObject();
    for (auto it = labels.begin(); it != labels.end(); ++it)
        stored.labels.append({it.key(), it->toString()});
    return stored;
}

QByteArray Engine::fullJson(const ResourceType &type, const StoredObject &object) const
{
    QByteArray out = "{\"kind\":\"" + type.kind.toUtf8() + "\",\"apiVersion\":\"" + type.groupVersion().toUtf8() + '"';
    if (object.body.size() > 2)
        out += ',' + object.body.mid(1);
    else
        out += '}';
    return out;
}

QJsonObject Engine::fullObject(const ResourceType &type, const StoredObject &object) const
{
    return parseObject(fullJson(type, object));
}

StoredObject Engine::commit(const ResourceType &type, QJsonObject object, const QByteArray &eventType)
{
    object = withStringDataMerged(type, withoutTypeMeta(object));
    QJsonObject metadata = metadataOf(object);
    metadata.insert(QStringLiteral("resourceVersion"), QString::number(++m_rv));
    object.insert(QStringLiteral("metadata"), metadata);
    const StoredObject stored = makeStored(object);
    m_store[type.storeKey()].insert(objectKey(stored.nameSpace, stored.name), stored);
    emitEvent(type.storeKey(), eventType, stored);
    return stored;
}

StoredObject Engine::commitAndRegister(const ResourceType &type, const QJsonObject &object, const QByteArray &eventType)
{
    const StoredObject stored = commit(type, object, eventType);
    if (isCrd(type))
        registerCrd(object);
    return stored;
}

void Engine::emitEvent(const QString &storeKey, const QByteArray &type, const StoredObject &object)
{
    WatchEvent event{storeKey, type, object};
    m_history.push_back(event);
    while (m_history.size() > 200000) {
        m_historyStart = std::max(m_historyStart, m_history.front().object.rv);
        m_history.pop_front();
    }
    StreamLoop loop(m_streamLoops, [this] { purgeStreams(); });
    for (auto &watch : m_watches)
        deliver(*watch, event);
    if (type == "DELETED" && storeKey == QLatin1String("/pods")) {
        const QString prefix = object.nameSpace + QLatin1Char('/') + object.name + QLatin1Char('/');
        for (LogStream &stream : m_logStreams) {
            if (stream.key.startsWith(prefix) && stream.conn)
                std::exchange(stream.conn, nullptr)->endChunked();
        }
    }
}

void Engine::deleteStored(const ResourceType &type, const QString &key, bool cascade)
{
    auto &collection = m_store[type.storeKey()];
    auto it = collection.find(key);
    if (it == collection.end())
        return;
    StoredObject removed = it.value();
    collection.erase(it);
    QJsonObject body = parseObject(removed.body);
    QJsonObject metadata = metadataOf(body);
    metadata.insert(QStringLiteral("resourceVersion"), QString::number(++m_rv));
    if (type.storeKey() == QLatin1String("/pods") && !metadata.contains(QStringLiteral("deletionTimestamp"))) {
        // A pod goes away through graceful deletion: its last state says so.
        metadata.insert(QStringLiteral("deletionTimestamp"), json::nowTimestamp());
        metadata.insert(QStringLiteral("deletionGracePeriodSeconds"), 0);
    }
    body.insert(QStringLiteral("metadata"), metadata);
    removed = makeStored(body);
    emitEvent(type.storeKey(), "DELETED", removed);

    if (type.group == QLatin1String("apiextensions.k8s.io")) {
        const QJsonObject spec = body.value(QStringLiteral("spec")).toObject();
        const QString storeKey =
            spec.value(QStringLiteral("group")).toString() + QLatin1Char('/') +
            spec.value(QStringLiteral("names")).toObject().value(QStringLiteral("plural")).toString();
        const ResourceType *crType = nullptr;
        for (const ResourceType &t : m_types) {
            if (t.custom && t.storeKey() == storeKey)
                crType = &t;
        }
        if (crType) {
            const ResourceType copy = *crType;
            const QStringList keys = storeOf(storeKey).keys();
            for (const QString &k : keys)
                deleteStored(copy, k, false);
        }
        unregisterCrd(body);
        m_store.erase(storeKey);
        return;
    }
    if (type.storeKey() == QLatin1String("/namespaces")) {
        const QString prefix = removed.name + QLatin1Char('/');
        const QList<ResourceType> types = m_types;
        QSet<QString> done;
        for (const ResourceType &t : types) {
            if (!t.namespaced || done.contains(t.storeKey()))
                continue;
            done.insert(t.storeKey());
            QStringList keys;
            const auto &objects = storeOf(t.storeKey());
            for (auto o = objects.lowerBound(prefix); o != objects.end() && o.key().startsWith(prefix); ++o)
                keys.append(o.key());
            for (const QString &k : keys)
                deleteStored(t, k, false);
        }
        return;
    }
    if (!cascade || removed.uid.isEmpty())
        return;
    // Garbage collection: everything whose ownerReferences name the removed uid.
    const QByteArray needle = "\"uid\":\"" + removed.uid.toUtf8() + '"';
    const QList<ResourceType> types = m_types;
    QSet<QString> done;
    for (const ResourceType &t : types) {
        if (done.contains(t.storeKey()))
            continue;
        done.insert(t.storeKey());
        QStringList dependents;
        const auto &objects = storeOf(t.storeKey());
        for (auto o = objects.begin(); o != objects.end(); ++o) {
            if (!o->body.contains(needle) || !o->body.contains("\"ownerReferences\""))
                continue;
            const QJsonArray owners =
                metadataOf(parseObject(o->body)).value(QStringLiteral("ownerReferences")).toArray();
            for (const QJsonValue &owner : owners) {
                if (owner.toObject().value(QStringLiteral("uid")).toString() == removed.uid)
                    dependents.append(o.key());
            }
        }
        for (const QString &k : dependents)
            deleteStored(t, k, true);
    }
}

QJsonObject Engine::prepareCreate(const ResourceType &type, QJsonObject object, const QString &ns) const
{
    QJsonObject metadata = metadataOf(object);
    if (metadata.value(QStringLiteral("name")).toString().isEmpty() &&
        metadata.contains(QStringLiteral("generateName"))) {
        static const char alphabet[] = "bcdfghjklmnpqrstvwxz2456789";
        QString suffix;
        for (int i = 0; i < 5; ++i)
            suffix += QLatin1Char(alphabet[QRandomGenerator::global()->bounded(int(sizeof(alphabet) - 1))]);
        metadata.insert(QStringLiteral("name"), metadata.value(QStringLiteral("generateName")).toString() + suffix);
    }
    if (type.namespaced)
        metadata.insert(QStringLiteral("namespace"), ns);
    else
        metadata.remove(QStringLiteral("namespace"));
    metadata.insert(QStringLiteral("uid"), json::newUid());
    metadata.insert(QStringLiteral("creationTimestamp"), json::nowTimestamp());
    metadata.remove(QStringLiteral("resourceVersion"));
    metadata.remove(QStringLiteral("deletionTimestamp"));
    if (type.custom || (!type.group.isEmpty() && object.contains(QStringLiteral("spec"))))
        metadata.insert(QStringLiteral("generation"), 1);
    object.insert(QStringLiteral("metadata"), metadata);

    QJsonObject spec = object.value(QStringLiteral("spec")).toObject();
    QJsonObject status = object.value(QStringLiteral("status")).toObject();
    const QString key = type.storeKey();
    if (key == QLatin1String("/pods")) {
        if (!spec.contains(QStringLiteral("restartPolicy")))
            spec.insert(QStringLiteral("restartPolicy"), QStringLiteral("Always"));
        if (!spec.contains(QStringLiteral("dnsPolicy")))
            spec.insert(QStringLiteral("dnsPolicy"), QStringLiteral("ClusterFirst"));
        if (!spec.contains(QStringLiteral("schedulerName")))
            spec.insert(QStringLiteral("schedulerName"), QStringLiteral("default-scheduler"));
        if (!spec.contains(QStringLiteral("serviceAccountName")))
            spec.insert(QStringLiteral("serviceAccountName"), QStringLiteral("default"));
        QJsonArray containers = spec.value(QStringLiteral("containers")).toArray();
        for (int i = 0; i < containers.size(); ++i) {
            QJsonObject c = containers.at(i).toObject();
            if (!c.contains(QStringLiteral("imagePullPolicy")))
                c.insert(QStringLiteral("imagePullPolicy"), QStringLiteral("IfNotPresent"));
            if (!c.contains(QStringLiteral("terminationMessagePath")))
                c.insert(QStringLiteral("terminationMessagePath"), QStringLiteral("/dev/termination-log"));
            if (!c.contains(QStringLiteral("resources")))
                c.insert(QStringLiteral("resources"), QJsonObject());
            containers.replace(i, c);
        }
        spec.insert(QStringLiteral("containers"), containers);
        if (!status.contains(QStringLiteral("phase")))
            status.insert(QStringLiteral("phase"), QStringLiteral("Pending"));
        if (!status.contains(QStringLiteral("qosClass")))
            status.insert(QStringLiteral("qosClass"), QStringLiteral("BestEffort"));
    } else if (key == QLatin1String("/namespaces")) {
        spec.insert(QStringLiteral("finalizers"), QJsonArray{QStringLiteral("kubernetes")});
        status.insert(QStringLiteral("phase"), QStringLiteral("Active"));
    } else if (key == QLatin1String("/services")) {
        if (!spec.contains(QStringLiteral("type")))
            spec.insert(QStringLiteral("type"), QStringLiteral("ClusterIP"));
        if (!spec.contains(QStringLiteral("clusterIP")) &&
            spec.value(QStringLiteral("type")) != QLatin1String("ExternalName")) {
            const int n = const_cast<Engine *>(this)->m_nextIp++;
            const QString ip = QStringLiteral("10.96.%1.%2").arg(n / 250).arg(n % 250 + 1);
            spec.insert(QStringLiteral("clusterIP"), ip);
            spec.insert(QStringLiteral("clusterIPs"), QJsonArray{ip});
        }
        if (!spec.contains(QStringLiteral("sessionAffinity")))
            spec.insert(QStringLiteral("sessionAffinity"), QStringLiteral("None"));
        QJsonArray ports = spec.value(QStringLiteral("ports")).toArray();
        for (int i = 0; i < ports.size(); ++i) {
            QJsonObject p = ports.at(i).toObject();
            if (!p.contains(QStringLiteral("protocol")))
                p.insert(QStringLiteral("protocol"), QStringLiteral("TCP"));
            if (!p.contains(QStringLiteral("targetPort")))
                p.insert(QStringLiteral("targetPort"), p.value(QStringLiteral("port")));
            ports.replace(i, p);
        }
        if (!ports.isEmpty())
            spec.insert(QStringLiteral("ports"), ports);
        if (!status.contains(QStringLiteral("loadBalancer")))
            status.insert(QStringLiteral("loadBalancer"), QJsonObject());
    } else if (key == QLatin1String("apps/deployments") || key == QLatin1String("apps/replicasets") ||
               key == QLatin1String("apps/statefulsets")) {
        if (!spec.contains(QStringLiteral("replicas")))
            spec.insert(QStringLiteral("replicas"), 1);
        if (key == QLatin1String("apps/deployments") && !spec.contains(QStringLiteral("strategy")))
            spec.insert(QStringLiteral("strategy"),
                        QJsonObject{{QStringLiteral("type"), QStringLiteral("RollingUpdate")},
                                    {QStringLiteral("rollingUpdate"),
                                     QJsonObject{{QStringLiteral("maxUnavailable"), QStringLiteral("25%")},
                                                 {QStringLiteral("maxSurge"), QStringLiteral("25%")}}}});
        if (status.isEmpty())
            status.insert(QStringLiteral("replicas"), 0);
    } else if (key == QLatin1String("apiextensions.k8s.io/customresourcedefinitions")) {
        status.insert(QStringLiteral("acceptedNames"), spec.value(QStringLiteral("names")));
        status.insert(
            QStringLiteral("conditions"),
            QJsonArray{QJsonObject{{QStringLiteral("type"), QStringLiteral("Established")},
                                   {QStringLiteral("status"), QStringLiteral("True")},
                                   {QStringLiteral("reason"), QStringLiteral("InitialNamesAccepted")},
                                   {QStringLiteral("message"), QStringLiteral("the initial names have been accepted")},
                                   {QStringLiteral("lastTransitionTime"), json::nowTimestamp()}}});
        QJsonArray storedVersions;
        for (const QJsonValue &v : spec.value(QStringLiteral("versions")).toArray()) {
            if (v.toObject().value(QStringLiteral("storage")).toBool())
                storedVersions.append(v.toObject().value(QStringLiteral("name")));
        }
        status.insert(QStringLiteral("storedVersions"), storedVersions);
    }
    if (object.contains(QStringLiteral("spec")) || !spec.isEmpty())
        object.insert(QStringLiteral("spec"), spec);
    if (!status.isEmpty())
        object.insert(QStringLiteral("status"), status);
    return object;
}

QJsonArray Engine::validate(const ResourceType &type, const QJsonObject &object, bool create) const
{
    Q_UNUSED(create)
    QJsonArray causes;
    auto cause = [&causes](const QString &reason, const QString &message, const QString &field) {
        causes.append(QJsonObject{{QStringLiteral("reason"), reason},
                                  {QStringLiteral("message"), message},
                                  {QStringLiteral("field"), field}});
    };
    const QJsonObject metadata = metadataOf(object);
    const QString name = metadata.value(QStringLiteral("name")).toString();
    if (name.isEmpty() && !metadata.contains(QStringLiteral("generateName"))) {
        cause(QStringLiteral("FieldValueRequired"), QStringLiteral("Required value: name or generateName is required"),
              QStringLiteral("metadata.name"));
    } else if (!name.isEmpty() && !nameRe().match(name).hasMatch()) {
        cause(QStringLiteral("FieldValueInvalid"),
              QStringLiteral("Invalid value: \"%1\": a lowercase RFC 1123 subdomain must consist of lower case "
                             "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric "
                             "character (e.g. 'example.com', regex used for validation is "
                             "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")
                  .arg(name),
              QStringLiteral("metadata.name"));
    }
    auto checkContainers = [&](const QJsonArray &containers, const QString &path) {
        if (containers.isEmpty()) {
            cause(QStringLiteral("FieldValueRequired"), QStringLiteral("Required value"), path);
            return;
        }
        for (int i = 0; i < containers.size(); ++i) {
            const QJsonObject c = containers.at(i).toObject();
            if (c.value(QStringLiteral("name")).toString().isEmpty())
                cause(QStringLiteral("FieldValueRequired"), QStringLiteral("Required value"),
                      QStringLiteral("%1[%2].name").arg(path).arg(i));
            if (c.value(QStringLiteral("image")).toString().isEmpty())
                cause(QStringLiteral("FieldValueRequired"), QStringLiteral("Required value"),
                      QStringLiteral("%1[%2].image").arg(path).arg(i));
        }
    };
    const QJsonObject spec = object.value(QStringLiteral("spec")).toObject();
    const QString key = type.storeKey();
    if (key == QLatin1String("/pods")) {
        checkContainers(spec.value(QStringLiteral("containers")).toArray(), QStringLiteral("spec.containers"));
    } else if (key == QLatin1String("apps/deployments") || key == QLatin1String("apps/replicasets") ||
               key == QLatin1String("apps/statefulsets") || key == QLatin1String("apps/daemonsets")) {
        if (!spec.contains(QStringLiteral("selector")))
            cause(QStringLiteral("FieldValueRequired"), QStringLiteral("Required value"),
                  QStringLiteral("spec.selector"));
        checkContainers(spec.value(QStringLiteral("template"))
                            .toObject()
                            .value(QStringLiteral("spec"))
                            .toObject()
                            .value(QStringLiteral("containers"))
                            .toArray(),
                        QStringLiteral("spec.template.spec.containers"));
        // Like apps/v1 validation: the selector must select the template's own labels.
        const QJsonObject matchLabels =
            spec.value(QStringLiteral("selector")).toObject().value(QStringLiteral("matchLabels")).toObject();
        const QJsonObject templateLabels = spec.value(QStringLiteral("template"))
                                               .toObject()
                                               .value(QStringLiteral("metadata"))
                                               .toObject()
                                               .value(QStringLiteral("labels"))
                                               .toObject();
        for (auto it = matchLabels.begin(); it != matchLabels.end(); ++it) {
            if (templateLabels.value(it.key()) != it.value()) {
                QStringList pairs;
                for (auto label = templateLabels.begin(); label != templateLabels.end(); ++label)
                    pairs << QStringLiteral("\"%1\":\"%2\"").arg(label.key(), label.value().toString());
                cause(
                    QStringLiteral("FieldValueInvalid"),
                    QStringLiteral("Invalid value: map[string]string{%1}: `selector` does not match template `labels`")
                        .arg(pairs.join(QStringLiteral(", "))),
                    QStringLiteral("spec.template.metadata.labels"));
                break;
            }
        }
    } else if (key == QLatin1String("/services")) {
        const bool headless = spec.value(QStringLiteral("clusterIP")).toString() == QLatin1String("None");
        const bool external = spec.value(QStringLiteral("type")).toString() == QLatin1String("ExternalName");
        if (!headless && !external && spec.value(QStringLiteral("ports")).toArray().isEmpty())
            cause(QStringLiteral("FieldValueRequired"), QStringLiteral("Required value"), QStringLiteral("spec.ports"));
    }
    return causes;
}

bool Engine::matches(const StoredObject &object, const QString &labelSelector, const QString &fieldSelector,
                     const ResourceType &type) const
{
    Q_UNUSED(type)
    if (!labelSelector.isEmpty() && !json::labelsMatch(object.labels, labelSelector))
        return false;
    if (fieldSelector.isEmpty())
        return true;
    QJsonObject parsed;
    bool haveParsed = false;
    for (const QString &part : fieldSelector.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const bool negate = part.contains(QLatin1String("!="));
        const QString field = part.section(negate ? QStringLiteral("!=") : QStringLiteral("="), 0, 0).trimmed();
        QString expected = part.section(negate ? QStringLiteral("!=") : QStringLiteral("="), 1).trimmed();
        if (expected.startsWith(QLatin1Char('=')))
            expected = expected.mid(1);
        QString actual;
        if (field == QLatin1String("metadata.name")) {
            actual = object.name;
        } else if (field == QLatin1String("metadata.namespace")) {
            actual = object.nameSpace;
        } else {
            if (!haveParsed) {
                parsed = parseObject(object.body);
                haveParsed = true;
            }
            QJsonValue value = parsed;
            for (const QString &segment : field.split(QLatin1Char('.')))
                value = value.toObject().value(segment);
            actual = value.isDouble() ? QString::number(value.toDouble()) : value.toString();
        }
        if ((actual == expected) == negate)
            return false;
    }
    return true;
}

QJsonObject Engine::createObject(const QJsonObject &object, QString *error)
{
    const ResourceType *type = findTypeByKind(object.value(QStringLiteral("apiVersion")).toString(),
                                              object.value(QStringLiteral("kind")).toString());
    if (!type) {
        if (error)
            *error = QStringLiteral("no resource for %1 %2")
                         .arg(object.value(QStringLiteral("apiVersion")).toString(),
                              object.value(QStringLiteral("kind")).toString());
        return {};
    }
    const ResourceType t = *type;
    QString ns = metadataOf(object).value(QStringLiteral("namespace")).toString();
    if (t.namespaced && ns.isEmpty())
        ns = QStringLiteral("default");
    if (t.namespaced)
        ensureNamespace(ns);
    QJsonObject prepared = prepareCreate(t, object, ns);
    prepared = withCreator(prepared, QStringLiteral("orchestra-test"), QStringLiteral("Update"), t,
                           json::fieldSetOf(prepared));
    if (findStored(t, ns, nameOf(prepared))) {
        if (error)
            *error = QStringLiteral("already exists");
        return {};
    }
    return fullObject(t, commitAndRegister(t, prepared, "ADDED"));
}

void Engine::ensureNamespace(const QString &ns)
{
    if (!storeOf(QStringLiteral("/namespaces")).contains(ns)) {
        createObject(QJsonObject{{QStringLiteral("apiVersion"), QStringLiteral("v1")},
                                 {QStringLiteral("kind"), QStringLiteral("Namespace")},
                                 {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), ns}}}});
    }
}

int Engine::createFromYaml(const QByteArray &yaml)
{
    int created = 0;
    const QList<QJsonObject> documents = json::parseYamlDocuments(yaml);
    // CRDs first so that their custom resources in the same file can be stored.
    for (int pass = 0; pass < 2; ++pass) {
        for (const QJsonObject &document : documents) {
            const bool isCrd = document.value(QStringLiteral("kind")) == QLatin1String("CustomResourceDefinition");
            if ((pass == 0) != isCrd)
                continue;
            if (!createObject(document).isEmpty())
                ++created;
        }
    }
    return created;
}

void Engine::addPods(int count, const QString &nameSpace)
{
    const ResourceType *type = findType(QString(), QStringLiteral("v1"), QStringLiteral("pods"));
    if (!type || count <= 0)
        return;
    ensureNamespace(nameSpace);
    const QString now = json::nowTimestamp();
    // One serialized template; each pod only substitutes its identity (fast for 50,000 pods).
    const QJsonObject templ{
        {QStringLiteral("metadata"),
         QJsonObject{{QStringLiteral("name"), QStringLiteral("@NAME@")},
                     {QStringLiteral("generateName"), QStringLiteral("@APP@-5d894c86f5-")},
                     {QStringLiteral("namespace"), nameSpace},
                     {QStringLiteral("uid"), QStringLiteral("@UID@")},
                     {QStringLiteral("resourceVersion"), QStringLiteral("@RV@")},
                     {QStringLiteral("creationTimestamp"), now},
                     {QStringLiteral("labels"),
                      QJsonObject{{QStringLiteral("app"), QStringLiteral("@APP@")},
                                  {QStringLiteral("pod-template-hash"), QStringLiteral("5d894c86f5")}}},
                     {QStringLiteral("ownerReferences"),
                      QJsonArray{QJsonObject{{QStringLiteral("apiVersion"), QStringLiteral("apps/v1")},
                                             {QStringLiteral("kind"), QStringLiteral("ReplicaSet")},
                                             {QStringLiteral("name"), QStringLiteral("@APP@-5d894c86f5")},
                                             {QStringLiteral("uid"), QStringLiteral("@OWNER@")},
                                             {QStringLiteral("controller"), true},
                                             {QStringLiteral("blockOwnerDeletion"), true}}}},
                     {QStringLiteral("managedFields"),
                      QJsonArray{QJsonObject{
                          {QStringLiteral("manager"), QStringLiteral("kube-controller-manager")},
                          {QStringLiteral("operation"), QStringLiteral("Update")},
                          {QStringLiteral("apiVersion"), QStringLiteral("v1")},
                          {QStringLiteral("time"), now},
                          {QStringLiteral("fieldsType"), QStringLiteral("FieldsV1")},
                          {QStringLiteral("fieldsV1"),
                           QJsonObject{{QStringLiteral("f:metadata"),
                                        QJsonObject{{QStringLiteral("f:generateName"), QJsonObject()},
                                                    {QStringLiteral("f:labels"),
                                                     QJsonObject{{QStringLiteral("f:app"), QJsonObject()}}}}},
                                       {QStringLiteral("f:spec"),
                                        QJsonObject{{QStringLiteral("f:containers"), QJsonObject()},
                                                    {QStringLiteral("f:restartPolicy"), QJsonObject()}}}}}}}}}},
        {QStringLiteral("spec"),
         QJsonObject{
             {QStringLiteral("containers"),
              QJsonArray{QJsonObject{
                  {QStringLiteral("name"), QStringLiteral("app")},
                  {QStringLiteral("image"), QStringLiteral("nginx:1.25")},
                  {QStringLiteral("ports"),
                   QJsonArray{QJsonObject{{QStringLiteral("containerPort"), 80},
                                          {QStringLiteral("protocol"), QStringLiteral("TCP")}}}},
                  {QStringLiteral("resources"), QJsonObject()},
                  {QStringLiteral("volumeMounts"),
                   QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("default-token-x7k2p")},
                                          {QStringLiteral("readOnly"), true},
                                          {QStringLiteral("mountPath"),
                                           QStringLiteral("/var/run/secrets/kubernetes.io/serviceaccount")}}}},
                  {QStringLiteral("terminationMessagePath"), QStringLiteral("/dev/termination-log")},
                  {QStringLiteral("terminationMessagePolicy"), QStringLiteral("File")},
                  {QStringLiteral("imagePullPolicy"), QStringLiteral("IfNotPresent")}}}},
             {QStringLiteral("restartPolicy"), QStringLiteral("Always")},
             {QStringLiteral("terminationGracePeriodSeconds"), 30},
             {QStringLiteral("dnsPolicy"), QStringLiteral("ClusterFirst")},
             {QStringLiteral("serviceAccountName"), QStringLiteral("default")},
             {QStringLiteral("serviceAccount"), QStringLiteral("default")},
             {QStringLiteral("nodeName"), QStringLiteral("node-1")},
             {QStringLiteral("securityContext"), QJsonObject()},
             {QStringLiteral("schedulerName"), QStringLiteral("default-scheduler")},
             {QStringLiteral("priority"), 0},
             {QStringLiteral("preemptionPolicy"), QStringLiteral("PreemptLowerPriority")},
             {QStringLiteral("volumes"),
              QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("default-token-x7k2p")},
                                     {QStringLiteral("secret"),
                                      QJsonObject{{QStringLiteral("secretName"), QStringLiteral("default-token-x7k2p")},
                                                  {QStringLiteral("defaultMode"), 420}}}}}},
             {QStringLiteral("tolerations"),
              QJsonArray{QJsonObject{{QStringLiteral("key"), QStringLiteral("node.kubernetes.io/not-ready")},
                                     {QStringLiteral("operator"), QStringLiteral("Exists")},
                                     {QStringLiteral("effect"), QStringLiteral("NoExecute")},
                                     {QStringLiteral("tolerationSeconds"), 300}},
                         QJsonObject{{QStringLiteral("key"), QStringLiteral("node.kubernetes.io/unreachable")},
                                     {QStringLiteral("operator"), QStringLiteral("Exists")},
                                     {QStringLiteral("effect"), QStringLiteral("NoExecute")},
                                     {QStringLiteral("tolerationSeconds"), 300}}}},
             {QStringLiteral("enableServiceLinks"), true}}},
        {QStringLiteral("status"),
         QJsonObject{
             {QStringLiteral("phase"), QStringLiteral("Running")},
             {QStringLiteral("conditions"),
              QJsonArray{QJsonObject{{QStringLiteral("type"), QStringLiteral("Ready")},
                                     {QStringLiteral("status"), QStringLiteral("True")},
                                     {QStringLiteral("lastProbeTime"), QJsonValue::Null},
                                     {QStringLiteral("lastTransitionTime"), now}},
                         QJsonObject{{QStringLiteral("type"), QStringLiteral("PodScheduled")},
                                     {QStringLiteral("status"), QStringLiteral("True")},
                                     {QStringLiteral("lastProbeTime"), QJsonValue::Null},
                                     {QStringLiteral("lastTransitionTime"), now}}}},
             {QStringLiteral("hostIP"), QStringLiteral("127.0.0.1")},
             {QStringLiteral("podIP"), QStringLiteral("@IP@")},
             {QStringLiteral("podIPs"), QJsonArray{QJsonObject{{QStringLiteral("ip"), QStringLiteral("@IP@")}}}},
             {QStringLiteral("startTime"), now},
             {QStringLiteral("containerStatuses"),
              QJsonArray{QJsonObject{
                  {QStringLiteral("name"), QStringLiteral("app")},
                  {QStringLiteral("state"),
                   QJsonObject{{QStringLiteral("running"), QJsonObject{{QStringLiteral("startedAt"), now}}}}},
                  {QStringLiteral("lastState"), QJsonObject()},
                  {QStringLiteral("ready"), true},
                  {QStringLiteral("restartCount"), 0},
                  {QStringLiteral("image"), QStringLiteral("nginx:1.25")},
                  {QStringLiteral("imageID"), QString()},
                  {QStringLiteral("started"), true}}}},
             {QStringLiteral("qosClass"), QStringLiteral("BestEffort")}}}};
    const QByteArray bytes = compact(templ);
    auto &collection = m_store[type->storeKey()];
    const QByteArray ownerUid = json::newUid().toLatin1();
    const int existing = int(collection.size());
    for (int i = 0; i < count; ++i) {
        const int n = existing + i;
        const QByteArray app = "app-" + QByteArray::number(n / 100);
        const QByteArray name = app + "-5d894c86f5-" + QByteArray::number(n, 36).rightJustified(5, '0');
        const QByteArray uid = json::newUid().toLatin1();
        const QByteArray ip = "10.244." + QByteArray::number((n / 250) % 250) + '.' + QByteArray::number(n % 250 + 1);
        const QByteArray rv = QByteArray::number(++m_rv);
        QByteArray body = bytes;
        body.replace("@NAME@", name).replace("@APP@", app).replace("@UID@", uid).replace("@RV@", rv);
        body.replace("@OWNER@", ownerUid).replace("@IP@", ip);
        StoredObject stored;
        stored.body = body;
        stored.name = QString::fromLatin1(name);
        stored.nameSpace = nameSpace;
        stored.uid = QString::fromLatin1(uid);
        stored.rv = m_rv;
        stored.labels = {{QStringLiteral("app"), QString::fromLatin1(app)},
                         {QStringLiteral("pod-template-hash"), QStringLiteral("5d894c86f5")}};
        collection.insert(objectKey(nameSpace, stored.name), stored);
        emitEvent(type->storeKey(), "ADDED", stored);
    }
}

QJsonObject Engine::getObject(const QString &group, const QString &version, const QString &resource, const QString &ns,
                              const QString &name) const
{
    const ResourceType *type = findType(group, version, resource);
    if (!type)
        return {};
    const StoredObject *stored = findStored(*type, ns, name);
    return stored ? fullObject(*type, *stored) : QJsonObject();
}

bool Engine::removeObject(const QString &group, const QString &resource, const QString &ns, const QString &name)
{
    for (const ResourceType &type : m_types) {
        if (type.group == group && type.resource == resource) {
            const ResourceType copy = type;
            const QString key = objectKey(copy, ns, name);
            if (!storeOf(copy.storeKey()).contains(key))
                return false;
            deleteStored(copy, key, true);
            return true;
        }
    }
    return false;
}

QJsonObject Engine::modifyObject(const QString &group, const QString &version, const QString &resource,
                                 const QString &ns, const QString &name, const QJsonObject &patch)
{
    const ResourceType *type = findType(group, version, resource);
    if (!type)
        return {};
    const ResourceType copy = *type;
    const StoredObject *stored = findStored(copy, ns, name);
    if (!stored)
        return {};
    // commit() replaces the object in place (O(log n)); nothing here may copy the collection.
    const QJsonObject merged = json::mergePatch(parseObject(stored->body), patch).toObject();
    return fullObject(copy, commit(copy, merged, "MODIFIED"));
}

int Engine::countObjects(const QString &group, const QString &resource) const
{
    return int(storeOf(group + QLatin1Char('/') + resource).size());
}

// ---------------------------------------------------------------- logs

void Engine::setLogs(const QString &ns, const QString &pod, const QString &container, const QStringList &lines)
{
    QList<QPair<QString, QString>> entries;
    const QString now = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
    for (const QString &line : lines)
        entries.append({now, line});
    m_logs.insert(ns + QLatin1Char('/') + pod + QLatin1Char('/') + container, entries);
}

void Engine::appendLog(const QString &ns, const QString &pod, const QString &container, const QString &line)
{
    const QString key = ns + QLatin1Char('/') + pod + QLatin1Char('/') + container;
    const QString now = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
    m_logs[key].append({now, line});
    StreamLoop loop(m_streamLoops, [this] { purgeStreams(); });
    for (LogStream &stream : m_logStreams) {
        if (stream.key == key && stream.conn)
            stream.conn->sendChunk(
                ((stream.timestamps ? now + QLatin1Char(' ') : QString()) + line + QLatin1Char('\n')).toUtf8());
    }
}

// ---------------------------------------------------------------- faults

void Engine::closeAllWatches()
{
    StreamLoop loop(m_streamLoops, [this] { purgeStreams(); });
    for (auto &watch : m_watches)
        endWatch(watch.get());
    for (LogStream &stream : m_logStreams) {
        if (stream.conn)
            std::exchange(stream.conn, nullptr)->endChunked();
    }
}

void Engine::restartServer()
{
    closeAllWatches();
    m_rv += 1000;
    m_history.clear();
    m_historyStart = m_rv;
}

// ---------------------------------------------------------------- responses

void Engine::sendJson(HttpConnection *conn, int status, const QByteArray &json,
                      const QList<QPair<QByteArray, QByteArray>> &headers)
{
    conn->sendResponse(status, "application/json", json, headers);
}

void Engine::sendObject(HttpConnection *conn, int status, const QJsonObject &object)
{
    sendJson(conn, status, compact(object));
}

void Engine::sendStatus(HttpConnection *conn, int code, const QString &reason, const QString &message,
                        const QJsonObject &detailsObject, const QList<QPair<QByteArray, QByteArray>> &headers)
{
    sendJson(conn, code, compact(statusObject(code, reason, message, detailsObject)), headers);
}

void Engine::sendNotFound(HttpConnection *conn, const ResourceType &type, const QString &name)
{
    sendStatus(conn, 404, QStringLiteral("NotFound"), QStringLiteral("%1 \"%2\" not found").arg(qualified(type), name),
               details(type, name));
}

void Engine::sendUnknownResource(HttpConnection *conn)
{
    QJsonObject status =
        statusObject(404, QStringLiteral("NotFound"),
                     QStringLiteral("the server could not find the requested resource"), QJsonObject());
    status.insert(QStringLiteral("details"), QJsonObject());
    sendObject(conn, 404, status);
}

void Engine::sendInvalid(HttpConnection *conn, const ResourceType &type, const QString &name, const QJsonArray &causes,
                         const QString &summary)
{
    QString message = QStringLiteral("%1 \"%2\" is invalid").arg(type.kind, name);
    if (!summary.isEmpty())
        message += QStringLiteral(": ") + summary;
    sendStatus(conn, 422, QStringLiteral("Invalid"), message,
               QJsonObject{{QStringLiteral("name"), name},
                           {QStringLiteral("kind"), type.kind},
                           {QStringLiteral("causes"), causes}});
}

void Engine::sendUnstored(HttpConnection *conn, int status, const ResourceType &type, QJsonObject object)
{
    object = withStringDataMerged(type, object);
    object.insert(QStringLiteral("kind"), type.kind);
    object.insert(QStringLiteral("apiVersion"), type.groupVersion());
    sendObject(conn, status, object);
}

void Engine::finishWrite(HttpConnection *conn, const HttpRequest &request, const ResourceType &type,
                         const QJsonObject &object, const QByteArray &eventType)
{
    const int status = eventType == "ADDED" ? 201 : 200;
    if (isDryRun(request))
        sendUnstored(conn, status, type, object);
    else
        sendJson(conn, status, fullJson(type, commitAndRegister(type, object, eventType)));
}

std::optional<QJsonObject> Engine::jsonBody(HttpConnection *conn, const HttpRequest &request, const ResourceType &type)
{
    QJsonParseError parseError{};
    const QJsonDocument document = QJsonDocument::fromJson(request.body, &parseError);
    if (parseError.error == QJsonParseError::NoError && document.isObject())
        return document.object();
    sendStatus(conn, 400, QStringLiteral("BadRequest"),
               QStringLiteral("the object provided is unrecognized (must be of type %1): couldn't get "
                              "version/kind; json parse error: unexpected end of JSON input (%2)")
                   .arg(type.kind, QString::fromUtf8(request.body.left(200))));
    return std::nullopt;
}

bool Engine::requireSameName(HttpConnection *conn, const QJsonObject &object, const QString &name)
{
    if (nameOf(object) == name)
        return true;
    sendStatus(conn, 400, QStringLiteral("BadRequest"),
               QStringLiteral("the name of the object (%1) does not match the name on the URL (%2)")
                   .arg(nameOf(object), name));
    return false;
}

bool Engine::requireNamespace(HttpConnection *conn, const ResourceType &type, const QString &ns)
{
    if (!type.namespaced || storeOf(QStringLiteral("/namespaces")).contains(ns))
        return true;
    sendStatus(conn, 404, QStringLiteral("NotFound"), QStringLiteral("namespaces \"%1\" not found").arg(ns),
               QJsonObject{{QStringLiteral("name"), ns}, {QStringLiteral("kind"), QStringLiteral("namespaces")}});
    return false;
}

// ---------------------------------------------------------------- dispatch

void Engine::handle(HttpConnection *conn, HttpRequest request)
{
    RecordedRequest record{QString::fromLatin1(request.method),
                           request.path,
                           QString::fromUtf8(request.rawQuery),
                           QString::fromUtf8(request.header("content-type")),
                           QString::fromUtf8(request.header("accept")),
                           QString(),
                           request.body};
    {
        QMutexLocker lock(&requestMutex);
        requestLog.append(record);
    }
    emit requestReceived(record.method, record.path);
    if (responseDelay > 0) {
        QPointer<HttpConnection> guard(conn);
        QTimer::singleShot(responseDelay, this, [this, guard, request]() mutable {
            if (guard)
                dispatch(guard, request);
        });
        return;
    }
    dispatch(conn, request);
}

bool Engine::isAllowed(const HttpRequest &request, const QString &verb, const QString &resource) const
{
    if (request.groups.contains(QStringLiteral("system:masters")))
        return true;
    const QSet<QString> granted = permissions.value(request.user);
    for (const QString &v : {verb, QStringLiteral("*")}) {
        for (const QString &r : {resource, QStringLiteral("*")}) {
            if (granted.contains(v + QLatin1Char(' ') + r))
                return true;
        }
    }
    return false;
}

bool Engine::authorize(HttpConnection *conn, const HttpRequest &request, const QString &verb, const ResourceType &type,
                       const QString &ns, const QString &name, const QString &sub)
{
    const QString resource = sub.isEmpty() ? type.resource : type.resource + QLatin1Char('/') + sub;
    if (type.group == QLatin1String("authorization.k8s.io") && request.authenticated)
        return true;
    if (isAllowed(request, verb, resource))
        return true;
    QString message = name.isEmpty() ? QStringLiteral("%1 is forbidden: ").arg(qualified(type))
                                     : QStringLiteral("%1 \"%2\" is forbidden: ").arg(qualified(type), name);
    message += QStringLiteral("User \"%1\" cannot %2 resource \"%3\" in API group \"%4\"")
                   .arg(request.user, verb, resource, type.group);
    message +=
        ns.isEmpty() ? QStringLiteral(" at the cluster scope") : QStringLiteral(" in the namespace \"%1\"").arg(ns);
    sendStatus(conn, 403, QStringLiteral("Forbidden"), message, details(type, name));
    return false;
}

// kubectl auth can-i posts its SelfSubjectAccessReview as protobuf (the "k8s\0"
// envelope around runtime.Unknown, whose `raw` field holds the review). Decoding
// just the resource and non-resource attributes lets kubectl's own check work
// against this JSON-only server; any other protobuf body still gets a 415.
namespace protobuf {

bool readVarint(const QByteArray &data, qsizetype &pos, quint64 &value)
{
    value = 0;
    for (int shift = 0; pos < data.size() && shift < 64; shift += 7) {
        const auto byte = static_cast<quint8>(data[pos++]);
        value |= quint64(byte & 0x7f) << shift;
        if (!(byte & 0x80))
            return true;
    }
    return false;
}

// Calls visit(field, bytes) for every length-delimited field of `message`.
template<typename Visit>
bool forEachBytesField(const QByteArray &message, Visit visit)
{
    qsizetype pos = 0;
    while (pos < message.size()) {
        quint64 key = 0;
        if (!readVarint(message, pos, key))
            return false;
        const int field = int(key >> 3);
        switch (key & 7) {
        case 0: {
            quint64 ignored = 0;
            if (!readVarint(message, pos, ignored))
                return false;
            break;
        }
        case 1:
            pos += 8;
            break;
        case 5:
            pos += 4;
            break;
        case 2: {
            quint64 length = 0;
            if (!readVarint(message, pos, length) || pos + qsizetype(length) > message.size())
                return false;
            visit(field, message.mid(pos, qsizetype(length)));
            pos += qsizetype(length);
            break;
        }
        default:
            return false;
        }
    }
    return pos == message.size();
}

// authorization.k8s.io/v1 SelfSubjectAccessReview -> its JSON form (spec only).
std::optional<QByteArray> selfSubjectAccessReviewJson(const QByteArray &body)
{
    if (!body.startsWith(QByteArray("k8s\0", 4)))
        return std::nullopt;
    QByteArray raw;
    if (!forEachBytesField(body.mid(4), [&](int field, const QByteArray &bytes) {
            if (field == 2) // runtime.Unknown.raw
                raw = bytes;
        }))
        return std::nullopt;
    QJsonObject spec;
    const bool ok = forEachBytesField(raw, [&](int field, const QByteArray &bytes) {
        if (field != 2) // SelfSubjectAccessReview.spec
            return;
        forEachBytesField(bytes, [&](int specField, const QByteArray &attributes) {
            static const char *const resourceNames[] = {nullptr,   "namespace", "verb",        "group",
                                                        "version", "resource",  "subresource", "name"};
            static const char *const nonResourceNames[] = {nullptr, "path", "verb"};
            QJsonObject object;
            forEachBytesField(attributes, [&](int attribute, const QByteArray &value) {
                if (specField == 1 && attribute >= 1 && attribute <= 7)
                    object.insert(QLatin1String(resourceNames[attribute]), QString::fromUtf8(value));
                else if (specField == 2 && attribute >= 1 && attribute <= 2)
                    object.insert(QLatin1String(nonResourceNames[attribute]), QString::fromUtf8(value));
            });
            spec.insert(specField == 1 ? QStringLiteral("resourceAttributes") : QStringLiteral("nonResourceAttributes"),
                        object);
        });
    });
    if (!ok || spec.isEmpty())
        return std::nullopt;
    return QJsonDocument(QJsonObject{{QStringLiteral("spec"), spec}}).toJson(QJsonDocument::Compact);
}

} // namespace protobuf

void Engine::dispatch(HttpConnection *conn, HttpRequest &request)
{
    const QByteArray authorization = request.header("authorization");
    if (authorization.startsWith("Bearer ")) {
        const QString token = QString::fromUtf8(authorization.mid(7).trimmed());
        if (!tokens.contains(token)) {
            sendStatus(conn, 401, QStringLiteral("Unauthorized"), QStringLiteral("Unauthorized"));
            return;
        }
        const auto user = tokens.value(token);
        request.user = user.first;
        request.groups = {QStringLiteral("system:authenticated")};
        if (user.second)
            request.groups.append(QStringLiteral("system:masters"));
        request.authenticated = true;
    } else if (!request.user.isEmpty()) {
        request.groups.append(QStringLiteral("system:authenticated"));
        request.authenticated = true;
    } else {
        request.user = QStringLiteral("system:anonymous");
        request.groups = {QStringLiteral("system:unauthenticated")};
    }
    {
        QMutexLocker lock(&requestMutex);
        if (!requestLog.isEmpty())
            requestLog.last().user = request.user;
    }
    if (failCount > 0) {
        --failCount;
        sendStatus(conn, failStatus, reasonFor(failStatus),
                   QStringLiteral("the server is currently unable to handle the request"), QJsonObject(),
                   {{"Retry-After", QByteArray::number(failRetryAfter)}});
        return;
    }
    // Clients built on client-go may send protobuf bodies; without this they would get a
    // misleading JSON parse error from whichever handler tried to decode the body.
    const QByteArray mediaType = request.header("content-type").split(';').value(0).trimmed().toLower();
    const bool sendsBody =
        !request.body.isEmpty() || request.method == "POST" || request.method == "PUT" || request.method == "PATCH";
    if (sendsBody && mediaType == "application/vnd.kubernetes.protobuf" &&
        request.path.endsWith(QLatin1String("/selfsubjectaccessreviews"))) {
        if (const auto json = protobuf::selfSubjectAccessReviewJson(request.body)) {
            request.body = *json;
            request.headers.insert(QByteArrayLiteral("content-type"), QByteArrayLiteral("application/json"));
        }
    }
    const QByteArray bodyType = request.header("content-type").split(';').value(0).trimmed().toLower();
    if (sendsBody && bodyType == "application/vnd.kubernetes.protobuf") {
        sendStatus(conn, 415, QStringLiteral("UnsupportedMediaType"),
                   QStringLiteral("the body of the request was in an unknown format - the Orchestra test API server "
                                  "speaks JSON only (application/vnd.kubernetes.protobuf is not supported); accepted "
                                  "media types include: application/json, application/yaml, "
                                  "application/json-patch+json, application/merge-patch+json, "
                                  "application/apply-patch+yaml"));
        return;
    }

    const QStringList segments = request.path.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    const QString first = segments.value(0);
    if (first == QLatin1String("version") && segments.size() == 1) {
        sendObject(
            conn, 200,
            QJsonObject{{QStringLiteral("major"), QStringLiteral("1")},
                        {QStringLiteral("minor"), QStringLiteral("20")},
                        {QStringLiteral("gitVersion"), QStringLiteral("v1.20.2")},
                        {QStringLiteral("gitCommit"), QStringLiteral("faecb196815e248d3ecfb03c680a4507229c2a56")},
                        {QStringLiteral("gitTreeState"), QStringLiteral("clean")},
                        {QStringLiteral("buildDate"), QStringLiteral("2021-01-13T13:20:00Z")},
                        {QStringLiteral("goVersion"), QStringLiteral("go1.15.5")},
                        {QStringLiteral("compiler"), QStringLiteral("gc")},
                        {QStringLiteral("platform"), QStringLiteral("linux/amd64")}});
        return;
    }
    if (first == QLatin1String("healthz") || first == QLatin1String("readyz") || first == QLatin1String("livez")) {
        conn->sendResponse(200, "text/plain; charset=utf-8", "ok");
        return;
    }
    if (first == QLatin1String("openapi") && segments.value(1) == QLatin1String("v3")) {
        serveOpenApi(conn, segments.mid(2));
        return;
    }
    if (first != QLatin1String("api") && first != QLatin1String("apis")) {
        conn->sendResponse(404, "text/plain; charset=utf-8", "404 page not found\n");
        return;
    }
    const bool legacy = first == QLatin1String("api");
    const int prefix = legacy ? 2 : 3;
    if (segments.size() < prefix || (legacy && segments.value(1) != QLatin1String("v1"))) {
        serveDiscovery(conn, request, segments);
        return;
    }
    if (!request.authenticated) {
        // Anonymous requests get the real server's 403 for system:anonymous.
    }
    const QString group = legacy ? QString() : segments.at(1);
    const QString version = segments.at(prefix - 1);
    QStringList rest = segments.mid(prefix);
    if (rest.isEmpty()) {
        serveDiscovery(conn, request, segments);
        return;
    }
    QString ns;
    if (rest.value(0) == QLatin1String("namespaces") && rest.size() >= 3 && rest.at(2) != QLatin1String("status") &&
        rest.at(2) != QLatin1String("finalize")) {
        ns = rest.at(1);
        rest = rest.mid(2);
    }
    const ResourceType *type = findType(group, version, rest.value(0));
    if (!type || (!type->namespaced && !ns.isEmpty())) {
        sendUnknownResource(conn);
        return;
    }
    const ResourceType copy = *type;
    serveResource(conn, request, copy, ns, rest.value(1), rest.value(2), rest.mid(3));
}

void Engine::serveOpenApi(HttpConnection *conn, const QStringList &gvSegments)
{
    // Just enough OpenAPI v3 for kubectl to see that PATCH takes fieldValidation
    // (so it validates on the server instead of downloading schemas).
    QStringList groupVersions;
    for (const ResourceType &type : m_types) {
        const QString gv =
            type.group.isEmpty() ? QStringLiteral("api/v1") : QStringLiteral("apis/") + type.groupVersion();
        if (!groupVersions.contains(gv))
            groupVersions.append(gv);
    }
    const QByteArray hash =
        QCryptographicHash::hash(groupVersions.join(QLatin1Char(',')).toUtf8() + QByteArray::number(m_types.size()),
                                 QCryptographicHash::Sha256)
            .toHex()
            .left(32)
            .toUpper();
    if (gvSegments.isEmpty()) {
        QJsonObject paths;
        for (const QString &gv : std::as_const(groupVersions))
            paths.insert(gv,
                         QJsonObject{{QStringLiteral("serverRelativeURL"),
                                      QStringLiteral("/openapi/v3/%1?hash=%2").arg(gv, QString::fromLatin1(hash))}});
        sendObject(conn, 200, QJsonObject{{QStringLiteral("paths"), paths}});
        return;
    }
    const QString gv = gvSegments.join(QLatin1Char('/'));
    if (!groupVersions.contains(gv)) {
        conn->sendResponse(404, "text/plain; charset=utf-8", "404 page not found\n");
        return;
    }
    QJsonObject paths;
    for (const ResourceType &type : m_types) {
        const QString typeGv =
            type.group.isEmpty() ? QStringLiteral("api/v1") : QStringLiteral("apis/") + type.groupVersion();
        if (typeGv != gv || !type.verbs.contains(QStringLiteral("patch")))
            continue;
        const QJsonObject gvk{{QStringLiteral("group"), type.group},
                              {QStringLiteral("version"), type.version},
                              {QStringLiteral("kind"), type.kind}};
        QJsonArray parameters;
        for (const char *name : {"dryRun", "fieldManager", "fieldValidation", "force"})
            parameters.append(QJsonObject{
                {QStringLiteral("name"), QLatin1String(name)},
                {QStringLiteral("in"), QStringLiteral("query")},
                {QStringLiteral("schema"), QJsonObject{{QStringLiteral("type"), QStringLiteral("string")}}}});
        const QJsonObject patch{
            {QStringLiteral("x-kubernetes-group-version-kind"), gvk},
            {QStringLiteral("x-kubernetes-action"), QStringLiteral("patch")},
            {QStringLiteral("parameters"), parameters},
            {QStringLiteral("responses"),
             QJsonObject{{QStringLiteral("200"), QJsonObject{{QStringLiteral("description"), QStringLiteral("OK")}}}}}};
        const QString path = QLatin1Char('/') + gv +
                             (type.namespaced ? QStringLiteral("/namespaces/{namespace}/") : QStringLiteral("/")) +
                             type.resource + QStringLiteral("/{name}");
        paths.insert(path, QJsonObject{{QStringLiteral("patch"), patch}});
    }
    sendObject(
        conn, 200,
        QJsonObject{{QStringLiteral("openapi"), QStringLiteral("3.0.0")},
                    {QStringLiteral("info"), QJsonObject{{QStringLiteral("title"), QStringLiteral("Kubernetes")},
                                                         {QStringLiteral("version"), QStringLiteral("v1.20.2")}}},
                    {QStringLiteral("paths"), paths},
                    {QStringLiteral("components"), QJsonObject{{QStringLiteral("schemas"), QJsonObject()}}}});
}

void Engine::serveDiscovery(HttpConnection *conn, const HttpRequest &request, const QStringList &segments)
{
    Q_UNUSED(request)
    if (segments.size() == 1 && segments.at(0) == QLatin1String("api")) {
        sendObject(conn, 200,
                   QJsonObject{{QStringLiteral("kind"), QStringLiteral("APIVersions")},
                               {QStringLiteral("versions"), QJsonArray{QStringLiteral("v1")}},
                               {QStringLiteral("serverAddressByClientCIDRs"),
                                QJsonArray{QJsonObject{{QStringLiteral("clientCIDR"), QStringLiteral("0.0.0.0/0")},
                                                       {QStringLiteral("serverAddress"),
                                                        QStringLiteral("127.0.0.1:%1").arg(serverPort())}}}}});
        return;
    }
    // Groups in registration order, versions by priority.
    QStringList groups;
    QHash<QString, QStringList> versions;
    for (const ResourceType &type : m_types) {
        if (type.group.isEmpty())
            continue;
        if (!groups.contains(type.group))
            groups.append(type.group);
        if (!versions[type.group].contains(type.version))
            versions[type.group].append(type.version);
    }
    auto groupJson = [&versions](const QString &group) {
        QStringList list = versions.value(group);
        std::stable_sort(list.begin(), list.end(),
                         [](const QString &a, const QString &b) { return versionPriority(a) > versionPriority(b); });
        QJsonArray array;
        for (const QString &v : list)
            array.append(QJsonObject{{QStringLiteral("groupVersion"), group + QLatin1Char('/') + v},
                                     {QStringLiteral("version"), v}});
        return QJsonObject{{QStringLiteral("name"), group},
                           {QStringLiteral("versions"), array},
                           {QStringLiteral("preferredVersion"), array.first()}};
    };
    if (segments.size() == 1) {
        QJsonArray list;
        for (const QString &group : std::as_const(groups))
            list.append(groupJson(group));
        sendObject(conn, 200,
                   QJsonObject{{QStringLiteral("kind"), QStringLiteral("APIGroupList")},
                               {QStringLiteral("apiVersion"), QStringLiteral("v1")},
                               {QStringLiteral("groups"), list}});
        return;
    }
    const bool legacy = segments.at(0) == QLatin1String("api");
    if (!legacy && segments.size() == 2) {
        if (!groups.contains(segments.at(1))) {
            sendUnknownResource(conn);
            return;
        }
        QJsonObject group = groupJson(segments.at(1));
        group.insert(QStringLiteral("kind"), QStringLiteral("APIGroup"));
        group.insert(QStringLiteral("apiVersion"), QStringLiteral("v1"));
        sendObject(conn, 200, group);
        return;
    }
    const QString group = legacy ? QString() : segments.at(1);
    const QString version = legacy ? segments.value(1) : segments.value(2);
    QList<QJsonObject> resources;
    for (const ResourceType &type : m_types) {
        if (type.group != group || type.version != version)
            continue;
        QJsonObject entry{{QStringLiteral("name"), type.resource},
                          {QStringLiteral("singularName"), type.custom ? type.singular : QString()},
                          {QStringLiteral("namespaced"), type.namespaced},
                          {QStringLiteral("kind"), type.kind},
                          {QStringLiteral("verbs"), QJsonArray::fromStringList(type.verbs)}};
        if (!type.shortNames.isEmpty())
            entry.insert(QStringLiteral("shortNames"), QJsonArray::fromStringList(type.shortNames));
        if (!type.categories.isEmpty())
            entry.insert(QStringLiteral("categories"), QJsonArray::fromStringList(type.categories));
        if (type.verbs.size() > 1) {
            const QByteArray hash =
                QCryptographicHash::hash((type.groupVersion() + type.kind).toUtf8(), QCryptographicHash::Sha256);
            entry.insert(QStringLiteral("storageVersionHash"), QString::fromLatin1(hash.left(8).toBase64()));
        }
        resources.append(entry);
        for (const QString &sub : type.subresources) {
            QJsonObject subEntry{{QStringLiteral("name"), type.resource + QLatin1Char('/') + sub},
                                 {QStringLiteral("singularName"), QString()},
                                 {QStringLiteral("namespaced"), type.namespaced},
                                 {QStringLiteral("kind"), type.kind}};
            QStringList verbs = {QStringLiteral("get"), QStringLiteral("patch"), QStringLiteral("update")};
            if (sub == QLatin1String("scale")) {
                subEntry.insert(QStringLiteral("group"), QStringLiteral("autoscaling"));
                subEntry.insert(QStringLiteral("version"), QStringLiteral("v1"));
                subEntry.insert(QStringLiteral("kind"), QStringLiteral("Scale"));
            } else if (sub == QLatin1String("log")) {
                verbs = {QStringLiteral("get")};
            } else if (sub == QLatin1String("exec")) {
                subEntry.insert(QStringLiteral("kind"), QStringLiteral("PodExecOptions"));
                verbs = {QStringLiteral("create"), QStringLiteral("get")};
            } else if (sub == QLatin1String("portforward")) {
                subEntry.insert(QStringLiteral("kind"), QStringLiteral("PodPortForwardOptions"));
                verbs = {QStringLiteral("create"), QStringLiteral("get")};
            } else if (sub == QLatin1String("proxy")) {
                subEntry.insert(QStringLiteral("kind"), type.kind + QStringLiteral("ProxyOptions"));
                verbs = {QStringLiteral("create"), QStringLiteral("delete"), QStringLiteral("get"),
                         QStringLiteral("patch"), QStringLiteral("update")};
            } else if (sub == QLatin1String("finalize")) {
                verbs = {QStringLiteral("update")};
            }
            subEntry.insert(QStringLiteral("verbs"), QJsonArray::fromStringList(verbs));
            resources.append(subEntry);
        }
    }
    if (resources.isEmpty()) {
        sendUnknownResource(conn);
        return;
    }
    std::sort(resources.begin(), resources.end(), [](const QJsonObject &a, const QJsonObject &b) {
        return a.value(QStringLiteral("name")).toString() < b.value(QStringLiteral("name")).toString();
    });
    QJsonArray array;
    for (const QJsonObject &r : std::as_const(resources))
        array.append(r);
    QJsonObject list{{QStringLiteral("kind"), QStringLiteral("APIResourceList")},
                     {QStringLiteral("groupVersion"), legacy ? version : group + QLatin1Char('/') + version},
                     {QStringLiteral("resources"), array}};
    if (!legacy)
        list.insert(QStringLiteral("apiVersion"), QStringLiteral("v1"));
    sendObject(conn, 200, list);
}

void Engine::serveResource(HttpConnection *conn, HttpRequest &request, const ResourceType &type, const QString &ns,
                           const QString &name, const QString &sub, const QStringList &rest)
{
    const QByteArray method = request.method;
    if (!sub.isEmpty() && !type.subresources.contains(sub)) {
        sendUnknownResource(conn);
        return;
    }
    if (type.namespaced && ns.isEmpty() && !name.isEmpty()) {
        sendUnknownResource(conn);
        return;
    }
    // Reviews are create-only.
    if (type.group == QLatin1String("authorization.k8s.io")) {
        if (method != "POST" || !name.isEmpty()) {
            sendStatus(conn, 405, QStringLiteral("MethodNotAllowed"),
                       QStringLiteral("the server does not allow this method on the requested resource"));
            return;
        }
        serveReview(conn, request, type);
        return;
    }
    if (sub == QLatin1String("proxy") && type.resource == QLatin1String("services")) {
        if (authorize(conn, request, method == "GET" ? QStringLiteral("get") : QStringLiteral("create"), type, ns, name,
                      sub))
            serveProxy(conn, request, ns, name, rest);
        return;
    }
    if (sub == QLatin1String("log")) {
        if (authorize(conn, request, QStringLiteral("get"), type, ns, name, sub))
            serveLog(conn, request, ns, name);
        return;
    }
    if (sub == QLatin1String("exec") || sub == QLatin1String("portforward") || sub == QLatin1String("proxy") ||
        sub == QLatin1String("finalize")) {
        sendStatus(conn, 400, QStringLiteral("BadRequest"), QStringLiteral("Upgrade request required"), QJsonObject());
        return;
    }
    if (method == "GET") {
        if (name.isEmpty()) {
            const bool watch = isTrue(request.param(QStringLiteral("watch")));
            if (!authorize(conn, request, watch ? QStringLiteral("watch") : QStringLiteral("list"), type, ns, name,
                           sub))
                return;
            if (watch)
                serveWatch(conn, request, type, ns);
            else
                serveList(conn, request, type, ns);
            return;
        }
        if (!authorize(conn, request, QStringLiteral("get"), type, ns, name, sub))
            return;
        if (sub == QLatin1String("scale")) {
            serveScale(conn, request, type, ns, name);
            return;
        }
        const StoredObject *stored = findStored(type, ns, name);
        if (!stored) {
            sendNotFound(conn, type, name);
            return;
        }
        if (request.header("accept").contains("as=Table")) {
            QList<const StoredObject *> one{stored};
            QJsonObject table = tableFor(type, one, request.param(QStringLiteral("includeObject")), true);
            sendObject(conn, 200, table);
            return;
        }
        sendJson(conn, 200, fullJson(type, *stored));
        return;
    }
    if (method == "POST") {
        if (!name.isEmpty()) {
            sendStatus(conn, 405, QStringLiteral("MethodNotAllowed"),
                       QStringLiteral("the server does not allow this method on the requested resource"));
            return;
        }
        if (authorize(conn, request, QStringLiteral("create"), type, ns, name, sub))
            serveCreate(conn, request, type, ns);
        return;
    }
    if (method == "PUT" && !name.isEmpty()) {
        if (!authorize(conn, request, QStringLiteral("update"), type, ns, name, sub))
            return;
        if (sub == QLatin1String("scale"))
            serveScale(conn, request, type, ns, name);
        else
            serveUpdate(conn, request, type, ns, name, sub);
        return;
    }
    if (method == "PATCH" && !name.isEmpty()) {
        if (!authorize(conn, request, QStringLiteral("patch"), type, ns, name, sub))
            return;
        if (sub == QLatin1String("scale"))
            serveScale(conn, request, type, ns, name);
        else if (request.header("content-type").startsWith("application/apply-patch"))
            serveApply(conn, request, type, ns, name);
        else
            servePatch(conn, request, type, ns, name, sub);
        return;
    }
    if (method == "DELETE") {
        if (!authorize(conn, request, name.isEmpty() ? QStringLiteral("deletecollection") : QStringLiteral("delete"),
                       type, ns, name, sub))
            return;
        if (name.isEmpty())
            serveDeleteCollection(conn, request, type, ns);
        else
            serveDelete(conn, request, type, ns, name);
        return;
    }
    sendStatus(conn, 405, QStringLiteral("MethodNotAllowed"),
               QStringLiteral("the server does not allow this method on the requested resource"));
}

void Engine::serveList(HttpConnection *conn, const HttpRequest &request, const ResourceType &type, const QString &ns)
{
    const QString labelSelector = request.param(QStringLiteral("labelSelector"));
    const QString fieldSelector = request.param(QStringLiteral("fieldSelector"));
    int limit = request.param(QStringLiteral("limit")).toInt();
    if (request.param(QStringLiteral("resourceVersion")) == QLatin1String("0") &&
        request.param(QStringLiteral("continue")).isEmpty())
        limit = 0;
    quint64 listRv = m_rv;
    QString start;
    const QString token = request.param(QStringLiteral("continue"));
    if (!token.isEmpty()) {
        const QJsonObject decoded = parseObject(json::fromBase64Url(token.toLatin1()));
        if (decoded.isEmpty() || !decoded.contains(QStringLiteral("rv"))) {
            sendStatus(conn, 400, QStringLiteral("BadRequest"),
                       QStringLiteral("continue key is not valid: incorrect encoded start resourceVersion (version "
                                      "meta.k8s.io/v1)"));
            return;
        }
        listRv = quint64(decoded.value(QStringLiteral("rv")).toDouble());
        if (listRv < m_historyStart) {
            sendStatus(conn, 410, QStringLiteral("Expired"),
                       QStringLiteral("The provided continue parameter is too old to display a consistent list "
                                      "result. You can start a new list without the continue parameter, or use the "
                                      "continue token in this response to retrieve the remainder of the results. "
                                      "Continuing with the provided token results in an inconsistent list - objects "
                                      "that were created, modified, or deleted between the time the first chunk was "
                                      "returned and now may show up in the list."));
            return;
        }
        start = decoded.value(QStringLiteral("start")).toString();
    }
    const auto &collection = storeOf(type.storeKey());
    const QString prefix = ns.isEmpty() ? QString() : ns + QLatin1Char('/');
    auto it = collection.lowerBound(std::max(prefix, start));
    QList<const StoredObject *> selected;
    QString lastKey;
    bool more = false;
    int remaining = 0;
    for (; it != collection.end(); ++it) {
        if (!prefix.isEmpty() && !it.key().startsWith(prefix))
            break;
        if (!matches(it.value(), labelSelector, fieldSelector, type))
            continue;
        if (limit > 0 && selected.size() >= limit) {
            more = true;
            ++remaining;
            continue;
        }
        selected.append(&it.value());
        lastKey = it.key();
    }
    QByteArray metadata = "{\"resourceVersion\":\"" + QByteArray::number(listRv) + '"';
    QString continueToken;
    if (!more && type.custom)
        metadata += ",\"continue\":\"\"";
    if (more) {
        const QJsonObject next{{QStringLiteral("v"), QStringLiteral("meta.k8s.io/v1")},
                               {QStringLiteral("rv"), double(listRv)},
                               {QStringLiteral("start"), lastKey + QChar(0)}};
        continueToken = QString::fromLatin1(json::base64Url(compact(next)));
        metadata += ",\"continue\":\"" + continueToken.toLatin1() + '"';
        if (labelSelector.isEmpty() && fieldSelector.isEmpty())
            metadata += ",\"remainingItemCount\":" + QByteArray::number(remaining);
    }
    metadata += '}';

    if (request.header("accept").contains("as=Table")) {
        QJsonObject table = tableFor(type, selected, request.param(QStringLiteral("includeObject")), true);
        QJsonObject tableMetadata = parseObject(metadata);
        if (tableMetadata.value(QStringLiteral("continue")).toString().isEmpty())
            tableMetadata.remove(QStringLiteral("continue"));
        table.insert(QStringLiteral("metadata"), tableMetadata);
        sendObject(conn, 200, table);
        return;
    }
    QByteArray out;
    qsizetype size = 256;
    for (const StoredObject *object : std::as_const(selected))
        size += object->body.size() + 80;
    out.reserve(size);
    out += "{\"kind\":\"" + type.kind.toUtf8() + "List\",\"apiVersion\":\"" + type.groupVersion().toUtf8() +
           "\",\"metadata\":" + metadata + ",\"items\":[";
    bool firstItem = true;
    for (const StoredObject *object : std::as_const(selected)) {
        if (!firstItem)
            out += ',';
        firstItem = false;
        if (type.custom)
            out += fullJson(type, *object);
        else
            out += object->body;
    }
    out += "]}";
    sendJson(conn, 200, out);
}

void Engine::serveWatch(HttpConnection *conn, const HttpRequest &request, const ResourceType &type, const QString &ns)
{
    auto watch = std::make_unique<Watch>();
    watch->conn = conn;
    watch->type = type;
    watch->nameSpace = ns;
    watch->labelSelector = request.param(QStringLiteral("labelSelector"));
    watch->fieldSelector = request.param(QStringLiteral("fieldSelector"));
    watch->table = request.header("accept").contains("as=Table");
    watch->includeObject = request.param(QStringLiteral("includeObject"));
    watch->bookmarks = isTrue(request.param(QStringLiteral("allowWatchBookmarks")));
    const QString rvParam = request.param(QStringLiteral("resourceVersion"));
    conn->startChunked(200, "application/json");
    if (m_stall) {
        // Accepted, and then nothing at all: the client must notice by itself.
        watch->lastRv = quint64(-1);
        m_watches.push_back(std::move(watch));
        return; // dropConnection() ends it when the client goes away
    }
    if (!rvParam.isEmpty() && rvParam != QLatin1String("0")) {
        const quint64 rv = rvParam.toULongLong();
        if (rv < m_historyStart) {
            const QJsonObject status = statusObject(
                410, QStringLiteral("Expired"),
                QStringLiteral("too old resource version: %1 (%2)").arg(rv).arg(m_historyStart), QJsonObject());
            conn->sendChunk("{\"type\":\"ERROR\",\"object\":" + compact(status) + "}\n");
            conn->endChunked();
            return;
        }
        watch->lastRv = rv;
        for (const WatchEvent &event : m_history) {
            if (event.object.rv > rv)
                deliver(*watch, event);
        }
    } else {
        const auto &collection = storeOf(type.storeKey());
        const QString prefix = ns.isEmpty() ? QString() : ns + QLatin1Char('/');
        for (auto it = collection.lowerBound(prefix); it != collection.end(); ++it) {
            if (!prefix.isEmpty() && !it.key().startsWith(prefix))
                break;
            if (matches(it.value(), watch->labelSelector, watch->fieldSelector, type))
                conn->sendChunk(encodeWatchEvent(*watch, "ADDED", it.value()));
        }
        watch->lastRv = m_rv;
    }
    int timeout = request.param(QStringLiteral("timeoutSeconds")).toInt();
    if (timeout <= 0)
        timeout = 1800;
    Watch *raw = watch.get();
    raw->timeout = new QTimer(this);
    raw->timeout->setSingleShot(true);
    // endWatch() disconnects the timer before the Watch goes, so `raw` is never used dangling.
    connect(raw->timeout, &QTimer::timeout, this, [this, raw] { endWatch(raw); });
    raw->timeout->start(timeout * 1000);
    m_watches.push_back(std::move(watch));
}

QByteArray Engine::encodeWatchEvent(Watch &watch, const QByteArray &type, const StoredObject &object)
{
    QByteArray payload;
    if (watch.table) {
        QList<const StoredObject *> one{&object};
        QJsonObject table = tableFor(watch.type, one, watch.includeObject, watch.firstTable);
        watch.firstTable = false;
        table.insert(QStringLiteral("metadata"),
                     QJsonObject{{QStringLiteral("resourceVersion"), QString::number(object.rv)}});
        payload = compact(table);
    } else {
        payload = fullJson(watch.type, object);
    }
    return "{\"type\":\"" + type + "\",\"object\":" + payload + "}\n";
}

void Engine::deliver(Watch &watch, const WatchEvent &event)
{
    if (watch.ended || !watch.conn || watch.lastRv == quint64(-1) || event.storeKey != watch.type.storeKey())
        return;
    if (!watch.nameSpace.isEmpty() && event.object.nameSpace != watch.nameSpace)
        return;
    if (!matches(event.object, watch.labelSelector, watch.fieldSelector, watch.type))
        return;
    if (event.object.rv <= watch.lastRv && watch.lastRv != 0)
        return;
    watch.lastRv = event.object.rv;
    watch.conn->sendChunk(encodeWatchEvent(watch, event.type, event.object));
}

void Engine::endWatch(Watch *watch)
{
    if (watch->ended)
        return;
    StreamLoop loop(m_streamLoops, [this] { purgeStreams(); });
    detachWatch(*watch);
    // Cleared first: endChunked() may report the connection closed, which re-enters dropConnection().
    if (HttpConnection *conn = std::exchange(watch->conn, nullptr))
        conn->endChunked();
}

void Engine::dropConnection(HttpConnection *conn)
{
    StreamLoop loop(m_streamLoops, [this] { purgeStreams(); });
    for (auto &watch : m_watches) {
        if (watch->conn.isNull() || watch->conn == conn) {
            watch->conn = nullptr;
            detachWatch(*watch);
        }
    }
    for (LogStream &stream : m_logStreams) {
        if (stream.conn == conn)
            stream.conn = nullptr;
    }
}

void Engine::purgeStreams()
{
    if (m_streamLoops > 0)
        return;
    for (auto it = m_watches.begin(); it != m_watches.end();) {
        if ((*it)->ended || (*it)->conn.isNull()) {
            detachWatch(**it);
            it = m_watches.erase(it);
        } else {
            ++it;
        }
    }
    m_logStreams.remove_if([](const LogStream &stream) { return stream.conn.isNull(); });
}

int Engine::watchCount() const
{
    return int(std::count_if(m_watches.begin(), m_watches.end(),
                             [](const std::unique_ptr<Watch> &watch) { return !watch->ended && watch->conn; }));
}

void Engine::sendBookmarks()
{
    StreamLoop loop(m_streamLoops, [this] { purgeStreams(); });
    for (auto &watch : m_watches) {
        if (watch->ended || !watch->bookmarks || !watch->conn || watch->lastRv == quint64(-1) || watch->table)
            continue;
        QByteArray object = "{\"kind\":\"" + watch->type.kind.toUtf8() + "\",\"apiVersion\":\"" +
                            watch->type.groupVersion().toUtf8() + "\",\"metadata\":{\"resourceVersion\":\"" +
                            QByteArray::number(m_rv) + "\",\"creationTimestamp\":null}";
        if (watch->type.kind == QLatin1String("Pod"))
            object += ",\"spec\":{\"containers\":null},\"status\":{}";
        object += '}';
        watch->conn->sendChunk("{\"type\":\"BOOKMARK\",\"object\":" + object + "}\n");
    }
}

void Engine::serveCreate(HttpConnection *conn, const HttpRequest &request, const ResourceType &type, const QString &ns)
{
    const QByteArray contentType = request.header("content-type");
    QJsonObject object;
    if (contentType.contains("yaml")) {
        QString error;
        const QList<QJsonObject> docs = json::parseYamlDocuments(request.body, &error);
        if (!error.isEmpty() || docs.isEmpty()) {
            sendStatus(
                conn, 400, QStringLiteral("BadRequest"),
                QStringLiteral("the object provided is unrecognized (must be of type %1): %2").arg(type.kind, error));
            return;
        }
        object = docs.first();
    } else {
        const std::optional<QJsonObject> body = jsonBody(conn, request, type);
        if (!body)
            return;
        object = *body;
    }
    const QString bodyNs = metadataOf(object).value(QStringLiteral("namespace")).toString();
    if (type.namespaced && !bodyNs.isEmpty() && bodyNs != ns) {
        sendStatus(conn, 400, QStringLiteral("BadRequest"),
                   QStringLiteral("the namespace of the provided object does not match the namespace sent on the "
                                  "request"));
        return;
    }
    const QJsonArray causes = validate(type, object, true);
    if (!causes.isEmpty()) {
        // A create lists what is wrong in the message too.
        QStringList parts;
        for (const QJsonValue &c : causes)
            parts.append(c.toObject().value(QStringLiteral("field")).toString() + QStringLiteral(": ") +
                         c.toObject().value(QStringLiteral("message")).toString());
        sendInvalid(conn, type, nameOf(object), causes,
                    parts.size() == 1 ? parts.first()
                                      : QLatin1Char('[') + parts.join(QStringLiteral(", ")) + QLatin1Char(']'));
        return;
    }
    if (!requireNamespace(conn, type, ns))
        return;
    const QJsonObject prepared = prepareCreate(type, object, ns);
    const QString name = nameOf(prepared);
    if (findStored(type, ns, name)) {
        sendStatus(conn, 409, QStringLiteral("AlreadyExists"),
                   QStringLiteral("%1 \"%2\" already exists").arg(qualified(type), name), details(type, name));
        return;
    }
    finishWrite(conn, request, type,
                withCreator(prepared, managerName(request, QStringLiteral("unknown")), QStringLiteral("Update"), type,
                            json::fieldSetOf(prepared)),
                "ADDED");
}

void Engine::serveUpdate(HttpConnection *conn, const HttpRequest &request, const ResourceType &type, const QString &ns,
                         const QString &name, const QString &sub)
{
    const std::optional<QJsonObject> object = jsonBody(conn, request, type);
    if (!object || !requireSameName(conn, *object, name))
        return;
    const StoredObject *current = findStored(type, ns, name);
    if (!current) {
        sendNotFound(conn, type, name);
        return;
    }
    const QString sentRv = metadataOf(*object).value(QStringLiteral("resourceVersion")).toString();
    if (!sentRv.isEmpty() && sentRv.toULongLong() != current->rv) {
        sendStatus(conn, 409, QStringLiteral("Conflict"),
                   QStringLiteral("Operation cannot be fulfilled on %1 \"%2\": the object has been modified; please "
                                  "apply your changes to the latest version and try again")
                       .arg(qualified(type), name),
                   details(type, name));
        return;
    }
    const QJsonArray causes = validate(type, *object, false);
    if (!causes.isEmpty()) {
        sendInvalid(conn, type, name, causes);
        return;
    }
    const QJsonObject live = parseObject(current->body);
    const QJsonObject updated = scopedToSubresource(type, sub, live, withoutTypeMeta(*object));
    finishWrite(conn, request, type,
                asUpdateOf(live, updated, {"uid", "creationTimestamp", "namespace", "generation"}, request, type),
                "MODIFIED");
}

void Engine::servePatch(HttpConnection *conn, const HttpRequest &request, const ResourceType &type, const QString &ns,
                        const QString &name, const QString &sub)
{
    const QByteArray contentType = request.header("content-type").split(';').value(0).trimmed();
    const StoredObject *current = findStored(type, ns, name);
    if (!current) {
        sendNotFound(conn, type, name);
        return;
    }
    const QJsonObject live = parseObject(current->body);
    QJsonObject patched;
    QJsonParseError parseError{};
    const QJsonDocument document = QJsonDocument::fromJson(request.body, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        sendStatus(conn, 400, QStringLiteral("BadRequest"),
                   QStringLiteral("error decoding patch: %1").arg(parseError.errorString()));
        return;
    }
    if (contentType == "application/json-patch+json") {
        QJsonValue value = fullObject(type, *current);
        QString error;
        if (!json::jsonPatch(value, document.array(), &error)) {
            sendStatus(conn, 422, QStringLiteral("Invalid"), error);
            return;
        }
        patched = value.toObject();
    } else if (contentType == "application/merge-patch+json" ||
               contentType == "application/strategic-merge-patch+json") {
        patched = json::mergePatch(live, document.object()).toObject();
    } else {
        sendStatus(conn, 415, QStringLiteral("UnsupportedMediaType"),
                   QStringLiteral("the body of the request was in an unknown format - accepted media types include: "
                                  "application/json-patch+json, application/merge-patch+json, "
                                  "application/apply-patch+yaml"));
        return;
    }
    patched = scopedToSubresource(type, sub, live, withoutTypeMeta(patched));
    const QJsonArray causes = validate(type, patched, false);
    if (!causes.isEmpty()) {
        sendInvalid(conn, type, name, causes);
        return;
    }
    // As for an update, the client cannot set the generation; a patched CRD serves its new versions at once.
    finishWrite(
        conn, request, type,
        asUpdateOf(live, patched, {"uid", "creationTimestamp", "namespace", "name", "generation"}, request, type),
        "MODIFIED");
}

void Engine::serveApply(HttpConnection *conn, const HttpRequest &request, const ResourceType &type, const QString &ns,
                        const QString &name)
{
    const QString manager = request.param(QStringLiteral("fieldManager"));
    if (manager.isEmpty()) {
        sendStatus(conn, 422, QStringLiteral("Invalid"),
                   QStringLiteral("PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is "
                                  "required for apply patch"),
                   QJsonObject{{QStringLiteral("group"), QStringLiteral("meta.k8s.io")},
                               {QStringLiteral("kind"), QStringLiteral("PatchOptions")},
                               {QStringLiteral("causes"),
                                QJsonArray{QJsonObject{{QStringLiteral("reason"), QStringLiteral("FieldValueRequired")},
                                                       {QStringLiteral("message"),
                                                        QStringLiteral("Required value: is required for apply patch")},
                                                       {QStringLiteral("field"), QStringLiteral("fieldManager")}}}}});
        return;
    }
    QString error;
    const QList<QJsonObject> documents = json::parseYamlDocuments(request.body, &error);
    if (!error.isEmpty() || documents.size() != 1) {
        sendStatus(conn, 400, QStringLiteral("BadRequest"),
                   error.isEmpty() ? QStringLiteral("couldn't get version/kind; json parse error") : error);
        return;
    }
    const QJsonObject applied = documents.first();
    const bool force = isTrue(request.param(QStringLiteral("force")));
    if (!requireSameName(conn, applied, name))
        return;
    if (applied.value(QStringLiteral("kind")).toString() != type.kind) {
        sendStatus(conn, 400, QStringLiteral("BadRequest"),
                   QStringLiteral("the object provided is unrecognized (must be of type %1)").arg(type.kind));
        return;
    }
    const json::FieldSet appliedSet = json::fieldSetOf(applied);
    const StoredObject *current = findStored(type, ns, name);
    if (!current) {
        const QJsonArray causes = validate(type, applied, true);
        if (!causes.isEmpty()) {
            sendInvalid(conn, type, name, causes);
            return;
        }
        if (!requireNamespace(conn, type, ns))
            return;
        finishWrite(conn, request, type,
                    withCreator(prepareCreate(type, withoutTypeMeta(applied), ns), manager, QStringLiteral("Apply"),
                                type, appliedSet),
                    "ADDED");
        return;
    }

    const QJsonObject live = parseObject(current->body);
    const QJsonArray managed = metadataOf(live).value(QStringLiteral("managedFields")).toArray();
    // Conflicts: fields another manager owns that this apply sets to a different value.
    struct Conflict
    {
        QString manager;
        QStringList fields;
    };
    QList<Conflict> conflicts;
    json::FieldSet conflicting;
    json::FieldSet ownedByOthers;
    json::FieldSet previouslyMine;
    for (const QJsonValue &value : managed) {
        const QJsonObject entry = value.toObject();
        const json::FieldSet theirs = json::fieldSetFromFieldsV1(entry.value(QStringLiteral("fieldsV1")).toObject());
        const bool mine = entry.value(QStringLiteral("manager")).toString() == manager &&
                          entry.value(QStringLiteral("operation")).toString() == QLatin1String("Apply");
        if (mine) {
            previouslyMine = theirs;
            continue;
        }
        ownedByOthers.unite(theirs);
        QStringList fields;
        for (const QString &path : theirs) {
            if (!appliedSet.contains(path))
                continue;
            bool foundLive = true;
            bool foundApplied = true;
            const QJsonValue liveValue = json::valueAt(live, path, &foundLive);
            const QJsonValue appliedValue = json::valueAt(applied, path, &foundApplied);
            if (foundLive && liveValue != appliedValue) {
                fields.append(json::displayPath(path));
                conflicting.insert(path);
            }
        }
        if (fields.isEmpty())
            continue;
        fields.sort();
        QString who = QStringLiteral("\"%1\"").arg(entry.value(QStringLiteral("manager")).toString());
        if (entry.value(QStringLiteral("operation")).toString() == QLatin1String("Update"))
            who += QStringLiteral(" using ") + entry.value(QStringLiteral("apiVersion")).toString();
        conflicts.append({who, fields});
    }
    if (!conflicts.isEmpty() && !force) {
        int total = 0;
        QJsonArray causes;
        QStringList parts;
        for (const Conflict &c : std::as_const(conflicts)) {
            total += int(c.fields.size());
            for (const QString &field : c.fields)
                causes.append(
                    QJsonObject{{QStringLiteral("reason"), QStringLiteral("FieldManagerConflict")},
                                {QStringLiteral("message"), QStringLiteral("conflict with %1").arg(c.manager)},
                                {QStringLiteral("field"), field}});
        }
        QString message;
        if (total == 1) {
            message = QStringLiteral("Apply failed with 1 conflict: conflict with %1: %2")
                          .arg(conflicts.first().manager, conflicts.first().fields.first());
        } else {
            for (const Conflict &c : std::as_const(conflicts)) {
                QString part =
                    (c.fields.size() == 1 ? QStringLiteral("conflict with %1:") : QStringLiteral("conflicts with %1:"))
                        .arg(c.manager);
                for (const QString &field : c.fields)
                    part += QStringLiteral("\n- ") + field;
                parts.append(part);
            }
            message =
                QStringLiteral("Apply failed with %1 conflicts: %2").arg(total).arg(parts.join(QLatin1Char('\n')));
        }
        sendStatus(conn, 409, QStringLiteral("Conflict"), message, QJsonObject{{QStringLiteral("causes"), causes}});
        return;
    }
    QJsonObject merged = live;
    for (const QString &path : previouslyMine) {
        if (!appliedSet.contains(path) && !ownedByOthers.contains(path))
            json::removeAt(merged, path);
    }
    QJsonObject appliedBody = withoutTypeMeta(applied);
    QJsonObject appliedMetadata = metadataOf(appliedBody);
    for (const char *drop : {"managedFields", "resourceVersion", "uid", "creationTimestamp", "generation"})
        appliedMetadata.remove(QLatin1String(drop));
    appliedBody.insert(QStringLiteral("metadata"), appliedMetadata);
    merged = withLiveStatus(type, live, json::applyMerge(merged, appliedBody));

    QJsonArray newManaged;
    for (const QJsonValue &value : managed) {
        QJsonObject entry = value.toObject();
        const bool mine = entry.value(QStringLiteral("manager")).toString() == manager &&
                          entry.value(QStringLiteral("operation")).toString() == QLatin1String("Apply");
        if (mine)
            continue;
        if (force && !conflicting.isEmpty()) {
            json::FieldSet theirs = json::fieldSetFromFieldsV1(entry.value(QStringLiteral("fieldsV1")).toObject());
            theirs.subtract(conflicting);
            if (theirs.isEmpty())
                continue;
            entry.insert(QStringLiteral("fieldsV1"), json::fieldsV1FromSet(theirs));
        }
        newManaged.append(entry);
    }
    bool unchangedOwnership = previouslyMine == appliedSet && conflicting.isEmpty();
    QJsonObject myEntry{{QStringLiteral("manager"), manager},
                        {QStringLiteral("operation"), QStringLiteral("Apply")},
                        {QStringLiteral("apiVersion"), type.groupVersion()},
                        {QStringLiteral("time"), json::nowTimestamp()},
                        {QStringLiteral("fieldsType"), QStringLiteral("FieldsV1")},
                        {QStringLiteral("fieldsV1"), json::fieldsV1FromSet(appliedSet)}};
    // Keep the entry's position when the manager already had one.
    int position = -1;
    for (int i = 0; i < managed.size(); ++i) {
        const QJsonObject entry = managed.at(i).toObject();
        if (entry.value(QStringLiteral("manager")).toString() == manager &&
            entry.value(QStringLiteral("operation")).toString() == QLatin1String("Apply")) {
            position = i;
            if (unchangedOwnership)
                myEntry.insert(QStringLiteral("time"), entry.value(QStringLiteral("time")));
        }
    }
    if (position >= 0 && position <= newManaged.size())
        newManaged.insert(position, myEntry);
    else
        newManaged.append(myEntry);
    merged = withNextGeneration(live, withManagedFields(merged, newManaged));
    if (merged == live) {
        // Nothing changed: nothing is stored (no new resourceVersion, no watch event).
        sendUnstored(conn, 200, type, merged);
        return;
    }
    finishWrite(conn, request, type, merged, "MODIFIED");
}

void Engine::serveDelete(HttpConnection *conn, const HttpRequest &request, const ResourceType &type, const QString &ns,
                         const QString &name)
{
    const StoredObject *current = findStored(type, ns, name);
    if (!current) {
        sendNotFound(conn, type, name);
        return;
    }
    QString policy = request.param(QStringLiteral("propagationPolicy"));
    if (policy.isEmpty() && !request.body.isEmpty())
        policy = parseObject(request.body).value(QStringLiteral("propagationPolicy")).toString();
    const StoredObject stored = *current;
    QJsonObject object = fullObject(type, stored);
    const bool dryRun =
        isDryRun(request) ||
        parseObject(request.body).value(QStringLiteral("dryRun")).toArray().contains(QStringLiteral("All"));
    if (!dryRun)
        deleteStored(type, objectKey(type, ns, name), policy != QLatin1String("Orphan"));
    if (type.storeKey() == QLatin1String("/pods") || type.storeKey() == QLatin1String("/namespaces")) {
        QJsonObject metadata = metadataOf(object);
        metadata.insert(QStringLiteral("deletionTimestamp"), json::nowTimestamp());
        if (type.storeKey() == QLatin1String("/pods"))
            metadata.insert(QStringLiteral("deletionGracePeriodSeconds"), 0);
        object.insert(QStringLiteral("metadata"), metadata);
        if (type.storeKey() == QLatin1String("/namespaces"))
            object.insert(QStringLiteral("status"),
                          QJsonObject{{QStringLiteral("phase"), QStringLiteral("Terminating")}});
        sendObject(conn, 200, object);
        return;
    }
    QJsonObject d = details(type, name);
    d.insert(QStringLiteral("uid"), stored.uid);
    sendObject(conn, 200,
               QJsonObject{{QStringLiteral("kind"), QStringLiteral("Status")},
                           {QStringLiteral("apiVersion"), QStringLiteral("v1")},
                           {QStringLiteral("metadata"), QJsonObject()},
                           {QStringLiteral("status"), QStringLiteral("Success")},
                           {QStringLiteral("details"), d}});
}

void Engine::serveDeleteCollection(HttpConnection *conn, const HttpRequest &request, const ResourceType &type,
                                   const QString &ns)
{
    const QString labelSelector = request.param(QStringLiteral("labelSelector"));
    const QString fieldSelector = request.param(QStringLiteral("fieldSelector"));
    const auto &collection = storeOf(type.storeKey());
    const QString prefix = ns.isEmpty() ? QString() : ns + QLatin1Char('/');
    QStringList keys;
    QByteArray items;
    for (auto it = collection.lowerBound(prefix); it != collection.end(); ++it) {
        if (!prefix.isEmpty() && !it.key().startsWith(prefix))
            break;
        if (!matches(it.value(), labelSelector, fieldSelector, type))
            continue;
        keys.append(it.key());
        if (!items.isEmpty())
            items += ',';
        items += it->body;
    }
    for (const QString &key : std::as_const(keys))
        deleteStored(type, key, true);
    sendJson(conn, 200,
             "{\"kind\":\"" + type.kind.toUtf8() + "List\",\"apiVersion\":\"" + type.groupVersion().toUtf8() +
                 "\",\"metadata\":{\"resourceVersion\":\"" + QByteArray::number(m_rv) + "\"},\"items\":[" + items +
                 "]}");
}

void Engine::serveLog(HttpConnection *conn, const HttpRequest &request, const QString &ns, const QString &name)
{
    const ResourceType *podType = findType(QString(), QStringLiteral("v1"), QStringLiteral("pods"));
    const auto &pods = storeOf(QStringLiteral("/pods"));
    auto it = pods.find(objectKey(ns, name));
    if (it == pods.end()) {
        sendNotFound(conn, *podType, name);
        return;
    }
    const QJsonObject pod = parseObject(it->body);
    QStringList containers;
    for (const QJsonValue &c :
         pod.value(QStringLiteral("spec")).toObject().value(QStringLiteral("containers")).toArray())
        containers.append(c.toObject().value(QStringLiteral("name")).toString());
    QString container = request.param(QStringLiteral("container"));
    if (container.isEmpty()) {
        if (containers.size() != 1) {
            sendStatus(conn, 400, QStringLiteral("BadRequest"),
                       QStringLiteral("a container name must be specified for pod %1, choose one of: [%2]")
                           .arg(name, containers.join(QLatin1Char(' '))));
            return;
        }
        container = containers.first();
    } else if (!containers.contains(container)) {
        sendStatus(conn, 400, QStringLiteral("BadRequest"),
                   QStringLiteral("container %1 is not valid for pod %2").arg(container, name));
        return;
    }
    if (!kubeletReachable) {
        QUrlQuery kubeletQuery;
        for (const auto &item : request.query.queryItems()) {
            if (item.first != QLatin1String("container"))
                kubeletQuery.addQueryItem(item.first, item.second);
        }
        QString url = QStringLiteral("https://127.0.0.1:10250/containerLogs/%1/%2/%3").arg(ns, name, container);
        if (!kubeletQuery.isEmpty())
            url += QLatin1Char('?') + kubeletQuery.toString(QUrl::FullyEncoded);
        sendStatus(conn, 500, QString(),
                   QStringLiteral("Get \"%1\": dial tcp 127.0.0.1:10250: connect: connection refused").arg(url));
        return;
    }
    const bool previous = isTrue(request.param(QStringLiteral("previous")));
    const QString key = ns + QLatin1Char('/') + name + QLatin1Char('/') + container +
                        (previous ? QStringLiteral("#previous") : QString());
    if (previous && !m_logs.contains(key)) {
        sendStatus(conn, 400, QStringLiteral("BadRequest"),
                   QStringLiteral("previous terminated container \"%1\" in pod \"%2\" not found").arg(container, name));
        return;
    }
    QList<QPair<QString, QString>> lines = m_logs.value(key);
    if (request.hasParam(QStringLiteral("tailLines"))) {
        const int tail = std::max(0, request.param(QStringLiteral("tailLines")).toInt());
        if (lines.size() > tail)
            lines = lines.mid(lines.size() - tail);
    }
    const bool timestamps = isTrue(request.param(QStringLiteral("timestamps")));
    QByteArray body;
    for (const auto &line : std::as_const(lines))
        body += ((timestamps ? line.first + QLatin1Char(' ') : QString()) + line.second + QLatin1Char('\n')).toUtf8();
    if (!isTrue(request.param(QStringLiteral("follow"))) || previous) {
        conn->sendResponse(200, "text/plain", body);
        return;
    }
    conn->startChunked(200, "text/plain");
    conn->sendChunk(body);
    // dropConnection() detaches it when the client goes away.
    m_logStreams.push_back({conn, key, timestamps});
}

void Engine::serveProxy(HttpConnection *conn, const HttpRequest &request, const QString &ns, const QString &service,
                        const QStringList &rest)
{
    QString target = service;
    if (target.startsWith(QLatin1String("http:")) || target.startsWith(QLatin1String("https:")))
        target = target.section(QLatin1Char(':'), 1);
    const QString serviceName = target.section(QLatin1Char(':'), 0, 0);
    QUrl upstream = proxyUpstreams.value(ns + QLatin1Char('/') + target);
    if (!upstream.isValid())
        upstream = proxyUpstreams.value(ns + QLatin1Char('/') + serviceName);
    if (!upstream.isValid()) {
        sendStatus(conn, 503, QStringLiteral("ServiceUnavailable"),
                   QStringLiteral("no endpoints available for service \"%1\"").arg(serviceName));
        return;
    }
    if (!m_network)
        m_network = new QNetworkAccessManager(this);
    QUrl url = upstream;
    QString path = upstream.path();
    if (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    path += QLatin1Char('/') + rest.join(QLatin1Char('/'));
    url.setPath(path);
    if (!request.rawQuery.isEmpty())
        url.setQuery(QString::fromUtf8(request.rawQuery), QUrl::StrictMode);
    QNetworkRequest forward(url);
    const QByteArray contentType = request.header("content-type");
    if (!contentType.isEmpty())
        forward.setHeader(QNetworkRequest::ContentTypeHeader, contentType);
    QNetworkReply *reply = m_network->sendCustomRequest(forward, request.method, request.body);
    QPointer<HttpConnection> guard(conn);
    connect(reply, &QNetworkReply::finished, this, [reply, guard] {
        reply->deleteLater();
        if (!guard)
            return;
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QByteArray body = reply->readAll();
        if (status == 0) {
            guard->sendResponse(
                503, "application/json",
                QJsonDocument(
                    statusObject(503, QStringLiteral("ServiceUnavailable"),
                                 QStringLiteral("error trying to reach service: %1").arg(reply->errorString()),
                                 QJsonObject()))
                    .toJson(QJsonDocument::Compact));
            return;
        }
        QByteArray type = reply->header(QNetworkRequest::ContentTypeHeader).toByteArray();
        if (type.isEmpty())
            type = "application/octet-stream";
        guard->sendResponse(status, type, body);
    });
}

void Engine::serveScale(HttpConnection *conn, const HttpRequest &request, const ResourceType &type, const QString &ns,
                        const QString &name)
{
    const StoredObject *current = findStored(type, ns, name);
    if (!current) {
        sendNotFound(conn, type, name);
        return;
    }
    const QJsonObject live = parseObject(current->body);
    auto scaleOf = [&type](const QJsonObject &object, quint64 rv) {
        const QJsonObject metadata = metadataOf(object);
        const QJsonObject spec = object.value(QStringLiteral("spec")).toObject();
        QStringList selector;
        const QJsonObject matchLabels =
            spec.value(QStringLiteral("selector")).toObject().value(QStringLiteral("matchLabels")).toObject();
        for (auto l = matchLabels.begin(); l != matchLabels.end(); ++l)
            selector.append(l.key() + QLatin1Char('=') + l->toString());
        QJsonObject status{
            {QStringLiteral("replicas"),
             object.value(QStringLiteral("status")).toObject().value(QStringLiteral("replicas")).toInt()}};
        if (!selector.isEmpty())
            status.insert(QStringLiteral("selector"), selector.join(QLatin1Char(',')));
        Q_UNUSED(type)
        return QJsonObject{
            {QStringLiteral("kind"), QStringLiteral("Scale")},
            {QStringLiteral("apiVersion"), QStringLiteral("autoscaling/v1")},
            {QStringLiteral("metadata"),
             QJsonObject{{QStringLiteral("name"), metadata.value(QStringLiteral("name"))},
                         {QStringLiteral("namespace"), metadata.value(QStringLiteral("namespace"))},
                         {QStringLiteral("uid"), metadata.value(QStringLiteral("uid"))},
                         {QStringLiteral("resourceVersion"), QString::number(rv)},
                         {QStringLiteral("creationTimestamp"), metadata.value(QStringLiteral("creationTimestamp"))}}},
            {QStringLiteral("spec"),
             QJsonObject{{QStringLiteral("replicas"), spec.value(QStringLiteral("replicas")).toInt()}}},
            {QStringLiteral("status"), status}};
    };
    const QJsonObject scale = scaleOf(live, current->rv);
    if (request.method == "GET") {
        sendObject(conn, 200, scale);
        return;
    }
    QJsonObject wanted;
    const QJsonDocument document = QJsonDocument::fromJson(request.body);
    const QByteArray contentType = request.header("content-type");
    if (request.method == "PUT") {
        wanted = document.object();
    } else if (contentType.startsWith("application/json-patch+json")) {
        QJsonValue value = scale;
        QString error;
        if (!json::jsonPatch(value, document.array(), &error)) {
            sendStatus(conn, 422, QStringLiteral("Invalid"), error);
            return;
        }
        wanted = value.toObject();
    } else {
        wanted = json::mergePatch(scale, document.object()).toObject();
    }
    const int replicas = wanted.value(QStringLiteral("spec")).toObject().value(QStringLiteral("replicas")).toInt(-1);
    if (replicas < 0) {
        sendStatus(conn, 422, QStringLiteral("Invalid"),
                   QStringLiteral("Scale.autoscaling \"%1\" is invalid: spec.replicas: Invalid value: %2: must be "
                                  "greater than or equal to 0")
                       .arg(name)
                       .arg(replicas));
        return;
    }
    QJsonObject spec = live.value(QStringLiteral("spec")).toObject();
    if (spec.value(QStringLiteral("replicas")).toInt() != replicas) {
        spec.insert(QStringLiteral("replicas"), replicas);
        QJsonObject scaled = live;
        scaled.insert(QStringLiteral("spec"), spec);
        scaled = withNextGeneration(live, scaled);
        const StoredObject stored = commit(type, scaled, "MODIFIED");
        sendObject(conn, 200, scaleOf(scaled, stored.rv));
        return;
    }
    sendObject(conn, 200, scale);
}

void Engine::serveReview(HttpConnection *conn, const HttpRequest &request, const ResourceType &type)
{
    QJsonObject review = QJsonDocument::fromJson(request.body).object();
    const QJsonObject spec = review.value(QStringLiteral("spec")).toObject();
    review.insert(QStringLiteral("kind"), type.kind);
    review.insert(QStringLiteral("apiVersion"), type.groupVersion());
    QJsonObject metadata = metadataOf(review);
    metadata.insert(QStringLiteral("creationTimestamp"), QJsonValue::Null);
    review.insert(QStringLiteral("metadata"), metadata);
    const bool admin = request.groups.contains(QStringLiteral("system:masters"));
    if (type.resource == QLatin1String("selfsubjectaccessreviews")) {
        const QJsonObject attributes = spec.value(QStringLiteral("resourceAttributes")).toObject();
        QString resource = attributes.value(QStringLiteral("resource")).toString();
        const QString sub = attributes.value(QStringLiteral("subresource")).toString();
        if (!sub.isEmpty())
            resource += QLatin1Char('/') + sub;
        const bool allowed = spec.contains(QStringLiteral("nonResourceAttributes"))
                                 ? admin
                                 : isAllowed(request, attributes.value(QStringLiteral("verb")).toString(), resource);
        QJsonObject status{{QStringLiteral("allowed"), allowed}};
        if (allowed)
            status.insert(QStringLiteral("reason"),
                          admin ? QStringLiteral("system:masters") : QStringLiteral("allowed by test RBAC"));
        review.insert(QStringLiteral("status"), status);
    } else {
        QJsonArray resourceRules;
        QJsonArray nonResourceRules;
        if (admin) {
            resourceRules.append(QJsonObject{{QStringLiteral("verbs"), QJsonArray{QStringLiteral("*")}},
                                             {QStringLiteral("apiGroups"), QJsonArray{QStringLiteral("*")}},
                                             {QStringLiteral("resources"), QJsonArray{QStringLiteral("*")}}});
            nonResourceRules.append(QJsonObject{{QStringLiteral("verbs"), QJsonArray{QStringLiteral("*")}},
                                                {QStringLiteral("nonResourceURLs"), QJsonArray{QStringLiteral("*")}}});
        } else {
            resourceRules.append(
                QJsonObject{{QStringLiteral("verbs"), QJsonArray{QStringLiteral("create")}},
                            {QStringLiteral("apiGroups"), QJsonArray{QStringLiteral("authorization.k8s.io")}},
                            {QStringLiteral("resources"), QJsonArray{QStringLiteral("selfsubjectaccessreviews"),
                                                                     QStringLiteral("selfsubjectrulesreviews")}}});
            for (const QString &grant : permissions.value(request.user)) {
                const QString resource = grant.section(QLatin1Char(' '), 1);
                QString group = QStringLiteral("*");
                for (const ResourceType &t : m_types) {
                    if (t.resource == resource.section(QLatin1Char('/'), 0, 0))
                        group = t.group;
                }
                resourceRules.append(
                    QJsonObject{{QStringLiteral("verbs"), QJsonArray{grant.section(QLatin1Char(' '), 0, 0)}},
                                {QStringLiteral("apiGroups"), QJsonArray{group}},
                                {QStringLiteral("resources"), QJsonArray{resource}}});
            }
            nonResourceRules.append(QJsonObject{
                {QStringLiteral("verbs"), QJsonArray{QStringLiteral("get")}},
                {QStringLiteral("nonResourceURLs"),
                 QJsonArray{QStringLiteral("/api"), QStringLiteral("/api/*"), QStringLiteral("/apis"),
                            QStringLiteral("/apis/*"), QStringLiteral("/version"), QStringLiteral("/healthz")}}});
        }
        review.insert(QStringLiteral("status"), QJsonObject{{QStringLiteral("resourceRules"), resourceRules},
                                                            {QStringLiteral("nonResourceRules"), nonResourceRules},
                                                            {QStringLiteral("incomplete"), false}});
    }
    sendObject(conn, 201, review);
}

} // namespace orchestra::testing
