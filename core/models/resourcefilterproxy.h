#pragma once

#include "common/result.h"
#include "resources/labelselector.h"

#include <QSortFilterProxyModel>

namespace orchestra::models {

/// Filters and sorts a ResourceTableModel: free text (any column, case-insensitive), a label selector
/// (`app=web,tier!=db,env in (a,b),!key`) and a namespace; sorts by typed values (numbers, ages), not by text.
class ResourceFilterProxy final : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit ResourceFilterProxy(QObject *parent = nullptr);

    void setFilterText(const QString &text);
    QString filterText() const { return m_text; }
    /// Sets the label selector; on a parse error the previous selector stays and the error is returned.
    Result<void> setLabelSelector(const QString &selector);
    QString labelSelector() const { return m_selectorText; }
    /// Only rows of this namespace; empty = all namespaces.
    void setNamespaceFilter(const QString &ns);
    QString namespaceFilter() const { return m_namespace; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    QString m_text;
    QString m_selectorText;
    resources::LabelSelector m_selector;
    QString m_namespace;
};

} // namespace orchestra::models
