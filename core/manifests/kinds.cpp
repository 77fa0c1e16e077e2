#include "manifests/kinds.h"

#include <array>

namespace orchestra::manifests {

QString KindInfo::apiVersion() const
{
    return group.isEmpty() ? version : group + QLatin1Char('/') + version;
}

std::pair<QString, QString> splitApiVersion(const QString &apiVersion)
{
    const qsizetype slash = apiVersion.indexOf(QLatin1Char('/'));
    if (slash < 0)
        return {QString(), apiVersion};
    return {apiVersion.left(slash), apiVersion.mid(slash + 1)};
}

namespace {

struct BuiltinKind
{
    const char *group;
    const char *kind;
    const char *plural;
    bool namespaced;
};

// Scope and plural as kube-apiserver 1.20+ and Istio 1.x serve them (tests/data fixtures agree).
constexpr std::array builtinKinds{
    BuiltinKind{"", "Pod", "pods", true},
    BuiltinKind{"", "Service", "services", true},
    BuiltinKind{"", "ConfigMap", "configmaps", true},
    BuiltinKind{"", "Secret", "secrets", true},
    BuiltinKind{"", "ServiceAccount", "serviceaccounts", true},
    BuiltinKind{"", "PersistentVolumeClaim", "persistentvolumeclaims", true},
    BuiltinKind{"", "Endpoints", "endpoints", true},
    BuiltinKind{"", "Event", "events", true},
    BuiltinKind{"", "LimitRange", "limitranges", true},
    BuiltinKind{"", "ResourceQuota", "resourcequotas", true},
    BuiltinKind{"", "ReplicationController", "replicationcontrollers", true},
    BuiltinKind{"", "PodTemplate", "podtemplates", true},
    BuiltinKind{"", "Namespace", "namespaces", false},
    BuiltinKind{"", "Node", "nodes", false},
    BuiltinKind{"", "PersistentVolume", "persistentvolumes", false},
    BuiltinKind{"apps", "Deployment", "deployments", true},
    BuiltinKind{"apps", "StatefulSet", "statefulsets", true},
    BuiltinKind{"apps", "DaemonSet", "daemonsets", true},
    BuiltinKind{"apps", "ReplicaSet", "replicasets", true},
    BuiltinKind{"apps", "ControllerRevision", "controllerrevisions", true},
    BuiltinKind{"batch", "Job", "jobs", true},
    BuiltinKind{"batch", "CronJob", "cronjobs", true},
    BuiltinKind{"autoscaling", "HorizontalPodAutoscaler", "horizontalpodautoscalers", true},
    BuiltinKind{"policy", "PodDisruptionBudget", "poddisruptionbudgets", true},
    BuiltinKind{"networking.k8s.io", "Ingress", "ingresses", true},
    BuiltinKind{"networking.k8s.io", "NetworkPolicy", "networkpolicies", true},
    BuiltinKind{"networking.k8s.io", "IngressClass", "ingressclasses", false},
    BuiltinKind{"rbac.authorization.k8s.io", "Role", "roles", true},
    BuiltinKind{"rbac.authorization.k8s.io", "RoleBinding", "rolebindings", true},
    BuiltinKind{"rbac.authorization.k8s.io", "ClusterRole", "clusterroles", false},
    BuiltinKind{"rbac.authorization.k8s.io", "ClusterRoleBinding", "clusterrolebindings", false},
    BuiltinKind{"storage.k8s.io", "StorageClass", "storageclasses", false},
    BuiltinKind{"scheduling.k8s.io", "PriorityClass", "priorityclasses", false},
    BuiltinKind{"coordination.k8s.io", "Lease", "leases", true},
    BuiltinKind{"discovery.k8s.io", "EndpointSlice", "endpointslices", true},
    BuiltinKind{"apiextensions.k8s.io", "CustomResourceDefinition", "customresourcedefinitions", false},
    BuiltinKind{"apiregistration.k8s.io", "APIService", "apiservices", false},
    BuiltinKind{"admissionregistration.k8s.io", "ValidatingWebhookConfiguration", "validatingwebhookconfigurations",
                false},
    BuiltinKind{"admissionregistration.k8s.io", "MutatingWebhookConfiguration", "mutatingwebhookconfigurations", false},
    BuiltinKind{"networking.istio.io", "VirtualService", "virtualservices", true},
    BuiltinKind{"networking.istio.io", "DestinationRule", "destinationrules", true},
    BuiltinKind{"networking.istio.io", "Gateway", "gateways", true},
    BuiltinKind{"networking.istio.io", "ServiceEntry", "serviceentries", true},
    BuiltinKind{"networking.istio.io", "Sidecar", "sidecars", true},
    BuiltinKind{"networking.istio.io", "EnvoyFilter", "envoyfilters", true},
    BuiltinKind{"security.istio.io", "PeerAuthentication", "peerauthentications", true},
    BuiltinKind{"security.istio.io", "AuthorizationPolicy", "authorizationpolicies", true},
    BuiltinKind{"security.istio.io", "RequestAuthentication", "requestauthentications", true},
    BuiltinKind{"telemetry.istio.io", "Telemetry", "telemetries", true},
    BuiltinKind{"gateway.networking.k8s.io", "Gateway", "gateways", true},
    BuiltinKind{"gateway.networking.k8s.io", "HTTPRoute", "httproutes", true},
    BuiltinKind{"gateway.networking.k8s.io", "GatewayClass", "gatewayclasses", false},
};

} // namespace

std::optional<KindInfo> BuiltinKinds::find(const QString &apiVersion, const QString &kind) const
{
    return lookup(apiVersion, kind);
}

std::optional<KindInfo> BuiltinKinds::lookup(const QString &apiVersion, const QString &kind)
{
    const auto [group, version] = splitApiVersion(apiVersion);
    if (version.isEmpty())
        return std::nullopt;
    for (const BuiltinKind &entry : builtinKinds) {
        if (group == QLatin1String(entry.group) && kind == QLatin1String(entry.kind))
            return KindInfo{group, version, kind, QString::fromLatin1(entry.plural), entry.namespaced};
    }
    return std::nullopt;
}

std::optional<KindInfo> KindTable::find(const QString &apiVersion, const QString &kind) const
{
    const auto [group, version] = splitApiVersion(apiVersion);
    for (const KindInfo &info : m_kinds) {
        if (info.group == group && info.version == version && info.kind == kind)
            return info;
    }
    return std::nullopt;
}

} // namespace orchestra::manifests
