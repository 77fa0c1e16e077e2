#pragma once

#include "kube/resourcekind.h"

#include <QHash>
#include <QTreeWidget>

#include <optional>

namespace orchestra::ui {

/// The left-hand list of resource kinds, grouped like Lens: Workloads, Network, Config, Storage, Access, Cluster,
/// Istio (when its CRDs are served) and Custom resources by API group. Kinds the user may not list carry a lock.
class ResourceNavigator final : public QTreeWidget
{
    Q_OBJECT
public:
    /// Item data roles.
    enum Role { KindKeyRole = Qt::UserRole + 1, LockedRole };

    explicit ResourceNavigator(QWidget *parent = nullptr);

    /// Rebuilds the tree from discovery (one entry per group/kind); keeps the current kind selected when it exists.
    void setKinds(const QList<kube::ResourceKind> &kinds);
    QList<kube::ResourceKind> kinds() const { return m_kinds.values(); }
    /// Marks a kind (by kindKey()) as not listable for `user`; an empty user clears the lock.
    void setLocked(const QString &kindKey, const QString &user);
    bool isLocked(const QString &kindKey) const;
    /// Selects a kind; returns false when the navigator does not show it.
    bool selectKind(const QString &kindKey);
    QString currentKindKey() const;
    std::optional<kube::ResourceKind> kind(const QString &kindKey) const;
    /// The item showing a kind (for tests), or nullptr.
    QTreeWidgetItem *itemFor(const QString &kindKey) const;
    /// The top-level group titles in order (for tests).
    QStringList groupTitles() const;

    /// The navigator's category for a kind: "Workloads", ..., "Istio", or "Custom resources" (API group as
    /// `subgroup`).
    static QString categoryOf(const kube::ResourceKind &kind, QString *subgroup = nullptr);
    /// The key identifying a kind across refreshes ("pods", "deployments.apps").
    static QString kindKey(const kube::ResourceKind &kind) { return kind.qualifiedPlural(); }
    /// A plural display title ("Pods", "Deployments", "VirtualServices").
    static QString titleOf(const kube::ResourceKind &kind);

signals:
    void kindSelected(const orchestra::kube::ResourceKind &kind);

private:
    void onCurrentItemChanged(QTreeWidgetItem *current);

    QHash<QString, kube::ResourceKind> m_kinds;
    QHash<QString, QTreeWidgetItem *> m_items;
    QHash<QString, QString> m_lockedFor;
};

} // namespace orchestra::ui
