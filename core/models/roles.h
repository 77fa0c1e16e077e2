#pragma once

#include <Qt>

namespace orchestra::models {

/// Item data roles every cluster model answers (beyond Qt::DisplayRole / Qt::ToolTipRole).
enum Role : int {
    UidRole = Qt::UserRole + 1, ///< QString: the store key (uid)
    NameRole,                   ///< QString: metadata.name
    NamespaceRole,              ///< QString: metadata.namespace, empty for cluster-scoped objects
    LabelsRole,                 ///< QVariantMap: metadata.labels
    StateRole,                  ///< int: resources::State of the row (same value in every column)
    SortRole,                   ///< the cell's typed value (QString, qint64, QDateTime) for sorting
    ObjectRole,                 ///< QJsonObject: the object as stored (no managedFields, no secret values)
    ResourceVersionRole,        ///< QString: metadata.resourceVersion
};

/// Header data roles (horizontal headers).
enum HeaderRole : int {
    ColumnPriorityRole = Qt::UserRole + 100, ///< int: 0 = default column, >0 = "wide" column (kubectl -o wide)
    ColumnTypeRole,                          ///< int: resources::ColumnType
};

} // namespace orchestra::models
