#include "cluster/resourcenavigator.h"

#include "delegates/statedelegate.h"

#include <QHeaderView>
#include <QSignalBlocker>

#include <algorithm>

namespace orchestra::ui {

namespace {

struct KnownKind
{
    const char *category;
    const char *group;
    const char *kind;
};

// The order here is the order in the navigator.
constexpr KnownKind knownKinds[] = {
    {"Workloads", "", "Pod"},
    {"Workloads", "apps", "Deployment"},
    {"Workloads", "apps", "ReplicaSet"},
    {"Workloads", "apps", "StatefulSet"},
    {"Workloads", "apps", "DaemonSet"},
    {"Workloads", "batch", "Job"},
    {"Workloads", "batch", "CronJob"},
    {"Workloads", "autoscaling", "HorizontalPodAutoscaler"},
    {"Workloads", "policy", "PodDisruptionBudget"},
    {"Network", "", "Service"},
    {"Network", "", "Endpoints"},
    {"Network", "discovery.k8s.io", "EndpointSlice"},
    {"Network", "networking.k8s.io", "Ingress"},
    {"Network", "networking.k8s.io", "IngressClass"},
    {"Network", "networking.k8s.io", "NetworkPolicy"},
    {"Config", "", "ConfigMap"},
    {"Config", "", "Secret"},
    {"Config", "", "ResourceQuota"},
    {"Config", "", "LimitRange"},
    {"Storage", "", "PersistentVolumeClaim"},
    {"Storage", "", "PersistentVolume"},
    {"Storage", "storage.k8s.io", "StorageClass"},
    {"Access", "", "ServiceAccount"},
    {"Access", "rbac.authorization.k8s.io", "Role"},
    {"Access", "rbac.authorization.k8s.io", "RoleBinding"},
    {"Access", "rbac.authorization.k8s.io", "ClusterRole"},
    {"Access", "rbac.authorization.k8s.io", "ClusterRoleBinding"},
    {"Cluster", "", "Node"},
    {"Cluster", "", "Namespace"},
    {"Cluster", "", "Event"},
    {"Cluster", "apiextensions.k8s.io", "CustomResourceDefinition"},
    {"Istio", "networking.istio.io", "VirtualService"},
    {"Istio", "networking.istio.io", "DestinationRule"},
    {"Istio", "networking.istio.io", "Gateway"},
    {"Istio", "networking.istio.io", "ServiceEntry"},
    {"Istio", "security.istio.io", "PeerAuthentication"},
    {"Istio", "security.istio.io", "AuthorizationPolicy"},
};

const QStringList categoryOrder = {
    QStringLiteral("Workloads"), QStringLiteral("Network"),          QStringLiteral("Config"),
    QStringLiteral("Storage"),   QStringLiteral("Access"),           QStringLiteral("Cluster"),
    QStringLiteral("Istio"),     QStringLiteral("Custom resources"), QStringLiteral("Other built-in kinds")};

int knownIndex(const kube::ResourceKind &kind)
{
    int i = 0;
    for (const KnownKind &known : knownKinds) {
        if (kind.group == QLatin1String(known.group) && kind.kind == QLatin1String(known.kind))
            return i;
        ++i;
    }
    return -1;
}

bool isBuiltInGroup(const QString &group)
{
    return group.isEmpty() || !group.contains(QLatin1Char('.')) || group.endsWith(QLatin1String(".k8s.io"));
}

} // namespace

ResourceNavigator::ResourceNavigator(QWidget *parent)
    : QTreeWidget(parent)
{
    setHeaderHidden(true);
    setColumnCount(1);
    setUniformRowHeights(true);
    setAnimated(false);
    setIndentation(14);
    setAccessibleName(tr("Resource kinds"));
    connect(this, &QTreeWidget::currentItemChanged, this,
            [this](QTreeWidgetItem *current) { onCurrentItemChanged(current); });
}

QString ResourceNavigator::categoryOf(const kube::ResourceKind &kind, QString *subgroup)
{
    const int index = knownIndex(kind);
    if (index >= 0)
        return QLatin1String(knownKinds[index].category);
    if (kind.group.endsWith(QLatin1String(".istio.io")))
        return QStringLiteral("Istio");
    if (subgroup)
        *subgroup = kind.group.isEmpty() ? QStringLiteral("core") : kind.group;
    return isBuiltInGroup(kind.group) ? QStringLiteral("Other built-in kinds") : QStringLiteral("Custom resources");
}

QString ResourceNavigator::titleOf(const kube::ResourceKind &kind)
{
    // Discovery gives the plural in lower case only; CamelCase it from the kind so "virtualservices" reads as
    // "VirtualServices" without pluralising by hand.
    const QString plural = kind.plural;
    const QString lowerKind = kind.kind.toLower();
    if (plural.startsWith(lowerKind))
        return kind.kind + plural.mid(lowerKind.size());
    if (lowerKind.endsWith(QLatin1Char('y')) && plural.startsWith(lowerKind.chopped(1)))
        return kind.kind.chopped(1) + plural.mid(lowerKind.size() - 1); // NetworkPolicy -> NetworkPolicies
    if (plural.isEmpty())
        return kind.kind;
    return plural.at(0).toUpper() + plural.mid(1);
}

void ResourceNavigator::setKinds(const QList<kube::ResourceKind> &kinds)
{
    const QString current = currentKindKey();
    const QSignalBlocker blocker(this);
    clear();
    m_items.clear();
    m_kinds.clear();

    struct Placed
    {
        kube::ResourceKind kind;
        QString category;
        QString subgroup;
        int order;
    };
    QList<Placed> placed;
    for (const kube::ResourceKind &kind : kinds) {
        if (!kind.supports(QStringLiteral("list")))
            continue;
        // events.k8s.io Events are the same objects as core Events: show them once.
        if (kind.group == QLatin1String("events.k8s.io"))
            continue;
        Placed entry{kind, {}, {}, knownIndex(kind)};
        entry.category = categoryOf(kind, &entry.subgroup);
        placed.append(entry);
    }
    std::sort(placed.begin(), placed.end(), [](const Placed &a, const Placed &b) {
        const int ca = int(categoryOrder.indexOf(a.category));
        const int cb = int(categoryOrder.indexOf(b.category));
        if (ca != cb)
            return ca < cb;
        if (a.subgroup != b.subgroup)
            return a.subgroup < b.subgroup;
        if (a.order != b.order)
            return (a.order < 0 ? 1000 : a.order) < (b.order < 0 ? 1000 : b.order);
        return titleOf(a.kind) < titleOf(b.kind);
    });

    QHash<QString, QTreeWidgetItem *> parents;
    for (const Placed &entry : placed) {
        QTreeWidgetItem *&top = parents[entry.category];
        if (!top) {
            top = new QTreeWidgetItem(this, {entry.category});
            top->setFlags(Qt::ItemIsEnabled);
            QFont font = top->font(0);
            font.setBold(true);
            top->setFont(0, font);
            top->setExpanded(entry.category != QLatin1String("Other built-in kinds"));
        }
        QTreeWidgetItem *parent = top;
        if (!entry.subgroup.isEmpty()) {
            QTreeWidgetItem *&sub = parents[entry.category + QLatin1Char('/') + entry.subgroup];
            if (!sub) {
                sub = new QTreeWidgetItem(top, {entry.subgroup});
                sub->setFlags(Qt::ItemIsEnabled);
                sub->setExpanded(entry.category == QLatin1String("Custom resources"));
            }
            parent = sub;
        }
        const QString key = kindKey(entry.kind);
        auto *item = new QTreeWidgetItem(parent, {titleOf(entry.kind)});
        item->setData(0, KindKeyRole, key);
        QString tip = entry.kind.kind + QStringLiteral(" (") + entry.kind.apiVersion() + QLatin1Char(')');
        if (!entry.kind.shortNames.isEmpty())
            tip += QStringLiteral("\nShort names: ") + entry.kind.shortNames.join(QStringLiteral(", "));
        item->setToolTip(0, tip);
        m_items.insert(key, item);
        m_kinds.insert(key, entry.kind);
        if (m_lockedFor.contains(key))
            setLocked(key, m_lockedFor.value(key));
    }
    if (!current.isEmpty())
        selectKind(current);
}

void ResourceNavigator::setLocked(const QString &kindKey, const QString &user)
{
    if (user.isEmpty())
        m_lockedFor.remove(kindKey);
    else
        m_lockedFor.insert(kindKey, user);
    QTreeWidgetItem *item = m_items.value(kindKey);
    if (!item)
        return;
    const kube::ResourceKind kind = m_kinds.value(kindKey);
    item->setData(0, LockedRole, !user.isEmpty());
    item->setIcon(0, user.isEmpty() ? QIcon() : lockIcon());
    item->setForeground(0,
                        user.isEmpty() ? palette().brush(QPalette::Text) : palette().brush(QPalette::PlaceholderText));
    QString tip = kind.kind + QStringLiteral(" (") + kind.apiVersion() + QLatin1Char(')');
    if (!user.isEmpty())
        tip += QLatin1Char('\n') + tr("not permitted for %1").arg(user);
    item->setToolTip(0, tip);
}

bool ResourceNavigator::isLocked(const QString &kindKey) const
{
    return m_lockedFor.contains(kindKey);
}

bool ResourceNavigator::selectKind(const QString &kindKey)
{
    QTreeWidgetItem *item = m_items.value(kindKey);
    if (!item)
        return false;
    for (QTreeWidgetItem *parent = item->parent(); parent; parent = parent->parent())
        parent->setExpanded(true);
    setCurrentItem(item);
    scrollToItem(item);
    return true;
}

QString ResourceNavigator::currentKindKey() const
{
    const QTreeWidgetItem *item = currentItem();
    return item ? item->data(0, KindKeyRole).toString() : QString();
}

std::optional<kube::ResourceKind> ResourceNavigator::kind(const QString &kindKey) const
{
    const auto it = m_kinds.constFind(kindKey);
    if (it == m_kinds.constEnd())
        return std::nullopt;
    return *it;
}

QTreeWidgetItem *ResourceNavigator::itemFor(const QString &kindKey) const
{
    return m_items.value(kindKey);
}

QStringList ResourceNavigator::groupTitles() const
{
    QStringList titles;
    for (int i = 0; i < topLevelItemCount(); ++i)
        titles.append(topLevelItem(i)->text(0));
    return titles;
}

void ResourceNavigator::onCurrentItemChanged(QTreeWidgetItem *current)
{
    if (!current)
        return;
    const QString key = current->data(0, KindKeyRole).toString();
    if (key.isEmpty())
        return;
    emit kindSelected(m_kinds.value(key));
}

} // namespace orchestra::ui
