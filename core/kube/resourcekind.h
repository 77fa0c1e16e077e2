#pragma once

#include <QString>
#include <QStringList>

namespace orchestra::kube {

/// One resource type as discovery reports it: never derived by hand (no pluralising of kinds).
struct ResourceKind final
{
    QString group;   ///< "" for the core group
    QString version; ///< e.g. v1
    QString kind;    ///< e.g. Deployment
    QString plural;  ///< the resource name in URLs, e.g. deployments
    QString singular;
    bool namespaced = true;
    QStringList verbs;
    QStringList shortNames;
    QStringList categories;
    QStringList subresources; ///< e.g. status, scale, log
    bool preferred = false;   ///< this version is the group's preferred version

    bool isValid() const { return !plural.isEmpty(); }
    /// "apps/v1", or "v1" for the core group.
    QString apiVersion() const { return group.isEmpty() ? version : group + QLatin1Char('/') + version; }
    /// "deployments.apps", or "pods" for the core group (kubectl's resource.group form).
    QString qualifiedPlural() const { return group.isEmpty() ? plural : plural + QLatin1Char('.') + group; }
    bool supports(const QString &verb) const { return verbs.contains(verb); }
    bool hasSubresource(const QString &name) const { return subresources.contains(name); }
    /// The REST path: collection when `name` is empty; cluster-wide when `ns` is empty or the kind is cluster-scoped.
    QString path(const QString &ns = {}, const QString &name = {}, const QString &subresource = {}) const;
};

} // namespace orchestra::kube
