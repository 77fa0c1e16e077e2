#include "manifests/applyrequest.h"

#include <QJsonDocument>
#include <QUrl>

#include <algorithm>
#include <array>
#include <numeric>

namespace orchestra::manifests {

QString effectiveNamespace(const ManifestDocument &document, const KindInfo &kind, const QString &editorNamespace,
                           const QString &contextNamespace)
{
    if (!kind.namespaced)
        return {};
    if (!document.nameSpace.isEmpty())
        return document.nameSpace;
    if (!editorNamespace.isEmpty())
        return editorNamespace;
    if (!contextNamespace.isEmpty())
        return contextNamespace;
    return QStringLiteral("default");
}

QString objectPath(const KindInfo &kind, const QString &nameSpace, const QString &name)
{
    QString path = kind.group.isEmpty() ? QStringLiteral("/api/") + kind.version
                                        : QStringLiteral("/apis/%1/%2").arg(kind.group, kind.version);
    if (kind.namespaced)
        path += QStringLiteral("/namespaces/") + QString::fromUtf8(QUrl::toPercentEncoding(nameSpace));
    path += QLatin1Char('/') + kind.plural + QLatin1Char('/') + QString::fromUtf8(QUrl::toPercentEncoding(name));
    return path;
}

Result<ApplyRequest> buildApplyRequest(const ManifestDocument &document, const KindInfo &kind,
                                       const QString &editorNamespace, const QString &contextNamespace,
                                       const ApplyOptions &options)
{
    const QString location = QStringLiteral("line %1").arg(document.start.line);
    if (!document.parsed)
        return Error{QStringLiteral("%1 has YAML errors").arg(document.displayName()),
                     QStringLiteral("Fix the problems listed for it first."), location};
    if (document.name.isEmpty())
        return Error{QStringLiteral("%1 has no metadata.name").arg(document.displayName()),
                     QStringLiteral("Server-side apply needs a name."), location};
    if (kind.plural.isEmpty())
        return Error{QStringLiteral("The resource name (plural) of %1 is unknown").arg(document.kind),
                     QStringLiteral("Connect to a cluster that serves it."), location};
    if (!kind.namespaced && !document.nameSpace.isEmpty())
        return Error{QStringLiteral("%1 is cluster-scoped but sets metadata.namespace").arg(document.displayName()),
                     QStringLiteral("Remove metadata.namespace."), location};

    ApplyRequest request;
    request.kind = kind;
    request.name = document.name;
    request.document = document.index;
    request.nameSpace = effectiveNamespace(document, kind, editorNamespace, contextNamespace);
    request.objectPath = objectPath(kind, request.nameSpace, document.name);
    QString query = QStringLiteral("?fieldManager=") + QLatin1String(fieldManager);
    if (options.force)
        query += QStringLiteral("&force=true");
    if (options.dryRun)
        query += QStringLiteral("&dryRun=All");
    request.path = request.objectPath + query;

    QJsonObject body = document.object;
    if (kind.namespaced && document.nameSpace.isEmpty()) {
        QJsonObject metadata = body.value(QStringLiteral("metadata")).toObject();
        metadata.insert(QStringLiteral("namespace"), request.nameSpace);
        body.insert(QStringLiteral("metadata"), metadata);
    }
    request.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    return request;
}

int applyRank(const QString &kind)
{
    // Helm's install order, with CRDs moved up next to Namespaces: a custom resource can only be applied after
    // its definition, and everything namespaced after its Namespace.
    static const std::array order{
        "Namespace",
        "CustomResourceDefinition",
        "PriorityClass",
        "NetworkPolicy",
        "ResourceQuota",
        "LimitRange",
        "PodDisruptionBudget",
        "ServiceAccount",
        "Secret",
        "ConfigMap",
        "StorageClass",
        "PersistentVolume",
        "PersistentVolumeClaim",
        "ClusterRole",
        "ClusterRoleBinding",
        "Role",
        "RoleBinding",
        "Service",
        "DaemonSet",
        "Pod",
        "ReplicationController",
        "ReplicaSet",
        "Deployment",
        "HorizontalPodAutoscaler",
        "StatefulSet",
        "Job",
        "CronJob",
        "IngressClass",
        "Ingress",
        "APIService",
        "ValidatingWebhookConfiguration",
        "MutatingWebhookConfiguration",
    };
    for (int i = 0; i < int(order.size()); ++i) {
        if (kind == QLatin1String(order[size_t(i)]))
            return i;
    }
    return int(order.size());
}

QList<int> applyOrder(const QList<ManifestDocument> &documents)
{
    QList<int> indexes(documents.size());
    std::iota(indexes.begin(), indexes.end(), 0);
    std::stable_sort(indexes.begin(), indexes.end(), [&documents](int a, int b) {
        return applyRank(documents.at(a).kind) < applyRank(documents.at(b).kind);
    });
    return indexes;
}

} // namespace orchestra::manifests
