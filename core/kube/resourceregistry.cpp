#include "kube/resourceregistry.h"

#include "kube/apiclient.h"

#include <QHash>
#include <QJsonArray>

namespace orchestra::kube {

namespace {

constexpr char aggregatedAccept[] = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,"
                                    "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,"
                                    "application/json";

QStringList strings(const QJsonValue &value)
{
    QStringList result;
    for (const QJsonValue &item : value.toArray())
        result.append(item.toString());
    return result;
}

} // namespace

ResourceRegistry::ResourceRegistry(ApiClient *client, QObject *parent)
    : QObject(parent)
    , m_client(client)
{}

QList<ResourceKind> ResourceRegistry::parseResourceList(const QJsonObject &list, bool preferred)
{
    const QString groupVersion = list.value(QLatin1String("groupVersion")).toString();
    const qsizetype slash = groupVersion.indexOf(QLatin1Char('/'));
    const QString group = slash < 0 ? QString() : groupVersion.left(slash);
    const QString version = slash < 0 ? groupVersion : groupVersion.mid(slash + 1);
    QList<ResourceKind> result;
    QHash<QString, QStringList> subresources;
    for (const QJsonValue &value : list.value(QLatin1String("resources")).toArray()) {
        const QJsonObject resource = value.toObject();
        const QString name = resource.value(QLatin1String("name")).toString();
        if (const qsizetype sub = name.indexOf(QLatin1Char('/')); sub >= 0) {
            subresources[name.left(sub)].append(name.mid(sub + 1));
            continue;
        }
        ResourceKind kind;
        kind.group =
            resource.contains(QLatin1String("group")) ? resource.value(QLatin1String("group")).toString() : group;
        kind.version =
            resource.contains(QLatin1String("version")) ? resource.value(QLatin1String("version")).toString() : version;
        kind.kind = resource.value(QLatin1String("kind")).toString();
        kind.plural = name;
        kind.singular = resource.value(QLatin1String("singularName")).toString();
        if (kind.singular.isEmpty())
            kind.singular = kind.kind.toLower(); // what kubectl does for servers that leave it empty (1.20)
        kind.namespaced = resource.value(QLatin1String("namespaced")).toBool();
        kind.verbs = strings(resource.value(QLatin1String("verbs")));
        kind.shortNames = strings(resource.value(QLatin1String("shortNames")));
        kind.categories = strings(resource.value(QLatin1String("categories")));
        kind.preferred = preferred;
        result.append(kind);
    }
    for (ResourceKind &kind : result)
        kind.subresources = subresources.value(kind.plural);
    return result;
}

QList<ResourceRegistry::GroupVersions> ResourceRegistry::parseGroupList(const QJsonObject &list)
{
    QList<GroupVersions> result;
    if (list.value(QLatin1String("kind")).toString() == QLatin1String("APIVersions")) {
        const QStringList versions = strings(list.value(QLatin1String("versions")));
        result.append(GroupVersions{QString(), versions, versions.value(0)});
        return result;
    }
    for (const QJsonValue &value : list.value(QLatin1String("groups")).toArray()) {
        const QJsonObject group = value.toObject();
        GroupVersions entry;
        entry.group = group.value(QLatin1String("name")).toString();
        for (const QJsonValue &version : group.value(QLatin1String("versions")).toArray())
            entry.versions.append(version.toObject().value(QLatin1String("version")).toString());
        entry.preferredVersion =
            group.value(QLatin1String("preferredVersion")).toObject().value(QLatin1String("version")).toString();
        if (entry.preferredVersion.isEmpty())
            entry.preferredVersion = entry.versions.value(0);
        result.append(entry);
    }
    return result;
}

bool ResourceRegistry::isAggregated(const QJsonObject &body)
{
    return body.value(QLatin1String("kind")).toString() == QLatin1String("APIGroupDiscoveryList");
}

QList<ResourceKind> ResourceRegistry::parseAggregated(const QJsonObject &list, QList<Error> *failures)
{
    QList<ResourceKind> result;
    for (const QJsonValue &groupValue : list.value(QLatin1String("items")).toArray()) {
        const QJsonObject group = groupValue.toObject();
        const QString groupName =
            group.value(QLatin1String("metadata")).toObject().value(QLatin1String("name")).toString();
        bool first = true;
        for (const QJsonValue &versionValue : group.value(QLatin1String("versions")).toArray()) {
            const QJsonObject version = versionValue.toObject();
            const QString versionName = version.value(QLatin1String("version")).toString();
            // Versions are listed in preference order: the first one is the preferred version.
            const bool preferred = std::exchange(first, false);
            if (version.value(QLatin1String("freshness")).toString() == QLatin1String("Stale") && failures) {
                const QString gv = groupName.isEmpty() ? versionName : groupName + QLatin1Char('/') + versionName;
                failures->append(
                    Error{QStringLiteral("The API group %1 is unavailable (its discovery is stale).").arg(gv),
                          QStringLiteral("Its backend service may be down; other resources still work."), gv, 503});
            }
            for (const QJsonValue &resourceValue : version.value(QLatin1String("resources")).toArray()) {
                const QJsonObject resource = resourceValue.toObject();
                const QJsonObject responseKind = resource.value(QLatin1String("responseKind")).toObject();
                ResourceKind kind;
                kind.group = groupName;
                kind.version = versionName;
                kind.kind = responseKind.value(QLatin1String("kind")).toString();
                kind.plural = resource.value(QLatin1String("resource")).toString();
                kind.singular = resource.value(QLatin1String("singularResource")).toString();
                kind.namespaced = resource.value(QLatin1String("scope")).toString() == QLatin1String("Namespaced");
                kind.verbs = strings(resource.value(QLatin1String("verbs")));
                kind.shortNames = strings(resource.value(QLatin1String("shortNames")));
                kind.categories = strings(resource.value(QLatin1String("categories")));
                for (const QJsonValue &sub : resource.value(QLatin1String("subresources")).toArray())
                    kind.subresources.append(sub.toObject().value(QLatin1String("subresource")).toString());
                kind.preferred = preferred;
                result.append(kind);
            }
        }
    }
    return result;
}

QList<ResourceKind> ResourceRegistry::kinds() const
{
    QList<ResourceKind> result;
    for (const ResourceKind &kind : m_kinds) {
        if (kind.preferred)
            result.append(kind);
    }
    return result;
}

std::optional<ResourceKind> ResourceRegistry::find(const QString &group, const QString &kind) const
{
    std::optional<ResourceKind> fallback;
    for (const ResourceKind &candidate : m_kinds) {
        if (candidate.group != group || candidate.kind != kind)
            continue;
        if (candidate.preferred)
            return candidate;
        if (!fallback)
            fallback = candidate;
    }
    return fallback;
}

std::optional<ResourceKind> ResourceRegistry::findByApiVersion(const QString &apiVersion, const QString &kind) const
{
    for (const ResourceKind &candidate : m_kinds) {
        if (candidate.apiVersion() == apiVersion && candidate.kind == kind)
            return candidate;
    }
    return std::nullopt;
}

std::optional<ResourceKind> ResourceRegistry::resolve(const QString &name) const
{
    const QString lower = name.trimmed().toLower();
    const qsizetype dot = lower.indexOf(QLatin1Char('.'));
    const QString resource = dot < 0 ? lower : lower.left(dot);
    const QString group = dot < 0 ? QString() : lower.mid(dot + 1);
    std::optional<ResourceKind> best;
    for (const ResourceKind &candidate : m_kinds) {
        if (dot >= 0 && candidate.group != group)
            continue;
        const bool matches = candidate.plural == resource || candidate.singular == resource ||
                             candidate.kind.toLower() == resource || candidate.shortNames.contains(resource);
        if (!matches)
            continue;
        // kubectl prefers the core group and preferred versions when a short name is ambiguous.
        const auto rank = [](const ResourceKind &k) { return (k.preferred ? 2 : 0) + (k.group.isEmpty() ? 1 : 0); };
        if (!best || rank(candidate) > rank(*best))
            best = candidate;
    }
    return best;
}

void ResourceRegistry::setKinds(QList<ResourceKind> kinds)
{
    m_kinds = std::move(kinds);
    m_ready = true;
    emit refreshed();
}

void ResourceRegistry::refresh()
{
    if (!m_client)
        return;
    ++m_generation;
    m_building.clear();
    m_buildingFailures.clear();
    m_rootError.reset();
    m_pending = 2;
    const int generation = m_generation;
    for (const QString &root : {QStringLiteral("/api"), QStringLiteral("/apis")}) {
        Request request;
        request.path = root;
        request.accept = aggregatedAccept;
        m_client->send(request, this, [this, root, generation](const Response &response) {
            if (generation != m_generation)
                return;
            if (!response.ok())
                onRoot(root, response.error(root));
            else
                onRoot(root, response.json());
        });
    }
}

void ResourceRegistry::onRoot(const QString &root, const Result<QJsonObject> &result)
{
    if (!result.ok()) {
        m_rootError = result.error();
    } else if (isAggregated(result.value())) {
        m_building += parseAggregated(result.value(), &m_buildingFailures);
    } else {
        for (const GroupVersions &group : parseGroupList(result.value())) {
            for (const QString &version : group.versions)
                fetchGroupVersion(group.group, version, version == group.preferredVersion);
        }
    }
    Q_UNUSED(root);
    finishOne();
}

void ResourceRegistry::fetchGroupVersion(const QString &group, const QString &version, bool preferred)
{
    ++m_pending;
    const QString path = group.isEmpty() ? QStringLiteral("/api/") + version
                                         : QStringLiteral("/apis/") + group + QLatin1Char('/') + version;
    const int generation = m_generation;
    m_client->getJson(path, this, [this, path, preferred, generation](Result<QJsonObject> result) {
        if (generation != m_generation)
            return;
        if (!result.ok()) {
            Error error = result.error();
            error.message = QStringLiteral("Discovery of %1 failed: %2").arg(path, error.message);
            error.hint = QStringLiteral("Its backend service may be down; other resources still work.");
            m_buildingFailures.append(error);
        } else {
            m_building += parseResourceList(result.value(), preferred);
        }
        finishOne();
    });
}

void ResourceRegistry::finishOne()
{
    if (--m_pending > 0)
        return;
    if (m_rootError && m_building.isEmpty()) {
        emit failed(*m_rootError);
        return;
    }
    if (m_rootError)
        m_buildingFailures.append(*m_rootError);
    m_kinds = std::move(m_building);
    m_building.clear();
    m_failures = std::move(m_buildingFailures);
    m_buildingFailures.clear();
    m_ready = true;
    emit refreshed();
}

} // namespace orchestra::kube
