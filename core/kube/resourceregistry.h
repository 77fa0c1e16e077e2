#pragma once

#include "common/result.h"
#include "kube/resourcekind.h"

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPointer>

#include <optional>

namespace orchestra::kube {

class ApiClient;

/// Every resource type the cluster serves, from discovery (aggregated discovery when the server offers it, the
/// legacy /api + /apis + per-group-version documents otherwise). A group version that fails (metrics.k8s.io with
/// its backend down) is reported in failures(), never fatal.
class ResourceRegistry final : public QObject
{
    Q_OBJECT
public:
    explicit ResourceRegistry(ApiClient *client, QObject *parent = nullptr);

    /// Starts (or restarts) discovery; emits refreshed() or failed() once done.
    void refresh();
    bool isReady() const { return m_ready; }
    bool isRefreshing() const { return m_pending > 0; }

    /// One entry per (group, kind): the preferred version.
    QList<ResourceKind> kinds() const;
    /// Every (group, version, resource) served.
    QList<ResourceKind> allKinds() const { return m_kinds; }
    /// The preferred version of group/kind.
    std::optional<ResourceKind> find(const QString &group, const QString &kind) const;
    /// The exact apiVersion ("apps/v1") and kind, as written in a manifest.
    std::optional<ResourceKind> findByApiVersion(const QString &apiVersion, const QString &kind) const;
    /// Resolves what a user types: "po", "pods", "pod", "Pod", "deployments.apps", "deploy".
    std::optional<ResourceKind> resolve(const QString &name) const;
    /// Group versions that could not be discovered in the last refresh.
    QList<Error> failures() const { return m_failures; }

    /// Replaces the contents (tests, or a cache).
    void setKinds(QList<ResourceKind> kinds);

    /// Parses an APIResourceList (/api/v1, /apis/{g}/{v}); subresources ("pods/log") are folded into their parent.
    static QList<ResourceKind> parseResourceList(const QJsonObject &list, bool preferred);
    /// One group and its versions from an APIGroupList (or /api's APIVersions, as the core group).
    struct GroupVersions
    {
        QString group;
        QStringList versions;
        QString preferredVersion;
    };
    static QList<GroupVersions> parseGroupList(const QJsonObject &list);
    /// Parses an aggregated APIGroupDiscoveryList (v2 / v2beta1); stale group versions are added to `failures`.
    static QList<ResourceKind> parseAggregated(const QJsonObject &list, QList<Error> *failures);
    /// True when a /api or /apis body is an aggregated discovery document.
    static bool isAggregated(const QJsonObject &body);

signals:
    void refreshed();
    /// Discovery itself failed (/api or /apis unreachable); the previous kinds are kept.
    void failed(const orchestra::Error &error);

private:
    void onRoot(const QString &root, const Result<QJsonObject> &result);
    void fetchGroupVersion(const QString &group, const QString &version, bool preferred);
    void finishOne();

    QPointer<ApiClient> m_client;
    QList<ResourceKind> m_kinds;
    QList<ResourceKind> m_building;
    QList<Error> m_failures;
    QList<Error> m_buildingFailures;
    std::optional<Error> m_rootError;
    int m_pending = 0;
    int m_generation = 0;
    bool m_ready = false;
};

} // namespace orchestra::kube
