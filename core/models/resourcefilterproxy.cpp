#include "models/resourcefilterproxy.h"

#include "models/roles.h"

namespace orchestra::models {

ResourceFilterProxy::ResourceFilterProxy(QObject *parent)
    : QSortFilterProxyModel(parent)
    , m_selector(resources::LabelSelector::parse(QString()).value())
{
    setSortRole(SortRole);
    setDynamicSortFilter(true);
}

void ResourceFilterProxy::setFilterText(const QString &text)
{
    if (text == m_text)
        return;
    m_text = text;
    invalidateFilter();
}

Result<void> ResourceFilterProxy::setLabelSelector(const QString &selector)
{
    Result<resources::LabelSelector> parsed = resources::LabelSelector::parse(selector);
    if (!parsed)
        return parsed.error();
    m_selectorText = selector;
    m_selector = std::move(parsed).value();
    invalidateFilter();
    return {};
}

void ResourceFilterProxy::setNamespaceFilter(const QString &ns)
{
    if (ns == m_namespace)
        return;
    m_namespace = ns;
    invalidateFilter();
}

bool ResourceFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QAbstractItemModel *model = sourceModel();
    const QModelIndex first = model->index(sourceRow, 0, sourceParent);
    if (!m_namespace.isEmpty() && first.data(NamespaceRole).toString() != m_namespace)
        return false;
    if (!m_selector.isEmpty() && !m_selector.matches(first.data(LabelsRole).toMap()))
        return false;
    if (m_text.isEmpty())
        return true;
    const int columns = model->columnCount(sourceParent);
    for (int column = 0; column < columns; ++column) {
        if (model->index(sourceRow, column, sourceParent)
                .data(Qt::DisplayRole)
                .toString()
                .contains(m_text, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

bool ResourceFilterProxy::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    const QVariant a = left.data(SortRole);
    const QVariant b = right.data(SortRole);
    if (a.typeId() == QMetaType::LongLong && b.typeId() == QMetaType::LongLong)
        return a.toLongLong() < b.toLongLong();
    const int byText = QString::compare(a.toString(), b.toString(), Qt::CaseInsensitive);
    if (byText != 0)
        return byText < 0;
    // Equal keys (e.g. same STATUS): fall back to the name so the order is stable and predictable.
    return left.data(NameRole).toString() < right.data(NameRole).toString();
}

} // namespace orchestra::models
