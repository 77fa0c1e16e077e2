#include "models/resourcetablemodel.h"

#include "models/roles.h"
#include "resources/humanize.h"

#include <QJsonObject>

#include <algorithm>

namespace orchestra::models {

using resources::ColumnType;

ResourceTableModel::ResourceTableModel(watch::ObjectStore *store, std::shared_ptr<const resources::Renderer> renderer,
                                       bool showNamespace, QObject *parent)
    : QAbstractTableModel(parent)
    , m_store(store)
    , m_fixedRenderer(std::move(renderer))
    , m_showNamespace(showNamespace)
{
    m_timer.setSingleShot(true);
    m_timer.setInterval(50);
    connect(&m_timer, &QTimer::timeout, this, &ResourceTableModel::flush);
    connect(&m_ageTimer, &QTimer::timeout, this, &ResourceTableModel::refreshAges);
    m_ageTimer.start(10000);
    connect(store, &watch::ObjectStore::reset, this, &ResourceTableModel::onReset);
    connect(store, &watch::ObjectStore::changed, this, &ResourceTableModel::onChanged);
    connect(store, &QObject::destroyed, this, [this] {
        beginResetModel();
        m_rows.clear();
        m_index.clear();
        m_dirty.clear();
        m_resetPending = false;
        endResetModel();
    });
    updateRenderer();
    rebuild();
}

int ResourceTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ResourceTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_columns.size()) + (m_showNamespace ? 1 : 0);
}

QVariant ResourceTableModel::display(const Entry &entry, int column) const
{
    const QVariant value = entry.row.values.value(column);
    switch (m_columns.at(column).type) {
    case ColumnType::Age: {
        if (value.typeId() == QMetaType::QDateTime) {
            const QDateTime time = value.toDateTime();
            return time.isValid() ? resources::age(time) : QStringLiteral("<none>");
        }
        return value.isValid() ? value.toString() : QStringLiteral("<none>");
    }
    case ColumnType::Number:
        return value.typeId() == QMetaType::LongLong ? QString::number(value.toLongLong()) : value.toString();
    case ColumnType::Text:
        break;
    }
    return value.toString();
}

QVariant ResourceTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Entry &entry = m_rows.at(size_t(index.row()));
    const int column = index.column() - (m_showNamespace ? 1 : 0);
    const QJsonObject metadata = entry.object->json.value(QLatin1String("metadata")).toObject();
    switch (role) {
    case Qt::DisplayRole:
    case Qt::ToolTipRole:
        return column < 0 ? QVariant(entry.object->ns) : display(entry, column);
    case SortRole:
        if (column < 0)
            return entry.object->ns;
        if (m_columns.at(column).type == ColumnType::Age) {
            // Oldest last when sorting ascending by age, as "1m" < "2d".
            const QDateTime time = entry.row.values.value(column).toDateTime();
            return time.isValid() ? QVariant(-time.toSecsSinceEpoch()) : QVariant(qint64(0));
        }
        return entry.row.values.value(column);
    case UidRole:
        return entry.object->key();
    case NameRole:
        return entry.object->name;
    case NamespaceRole:
        return entry.object->ns;
    case LabelsRole:
        return metadata.value(QLatin1String("labels")).toObject().toVariantMap();
    case StateRole:
        return int(entry.row.state);
    case ObjectRole:
        return entry.object->json;
    case ResourceVersionRole:
        return entry.object->resourceVersion;
    default:
        return {};
    }
}

QVariant ResourceTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= columnCount())
        return QAbstractTableModel::headerData(section, orientation, role);
    const int column = section - (m_showNamespace ? 1 : 0);
    switch (role) {
    case Qt::DisplayRole:
        return column < 0 ? QStringLiteral("NAMESPACE") : m_columns.at(column).name;
    case ColumnPriorityRole:
        return column < 0 ? 0 : m_columns.at(column).priority;
    case ColumnTypeRole:
        return int(column < 0 ? ColumnType::Text : m_columns.at(column).type);
    default:
        return {};
    }
}

void ResourceTableModel::setBatchInterval(int milliseconds)
{
    m_timer.setInterval(milliseconds);
}

void ResourceTableModel::setAgeRefreshInterval(int milliseconds)
{
    if (milliseconds <= 0)
        m_ageTimer.stop();
    else
        m_ageTimer.start(milliseconds);
}

void ResourceTableModel::refreshAges()
{
    if (m_rows.empty())
        return;
    // Only the text changes; the sort key (the timestamp) does not, so proxies need not re-sort.
    const int offset = m_showNamespace ? 1 : 0;
    for (int column = 0; column < int(m_columns.size()); ++column) {
        if (m_columns.at(column).type == ColumnType::Age)
            emit dataChanged(index(0, column + offset), index(int(m_rows.size()) - 1, column + offset),
                             {Qt::DisplayRole, Qt::ToolTipRole});
    }
}

int ResourceTableModel::rowOf(const QString &uid) const
{
    return m_index.value(uid, -1);
}

void ResourceTableModel::onReset()
{
    m_resetPending = true;
    m_dirty.clear();
    scheduleFlush();
}

void ResourceTableModel::onChanged(const watch::StoreDelta &delta)
{
    if (m_resetPending)
        return;
    for (const QString &key : delta.added)
        m_dirty.insert(key);
    for (const QString &key : delta.updated)
        m_dirty.insert(key);
    for (const QString &key : delta.removed)
        m_dirty.insert(key);
    scheduleFlush();
}

void ResourceTableModel::scheduleFlush()
{
    if (!m_timer.isActive())
        m_timer.start();
}

void ResourceTableModel::updateRenderer()
{
    m_renderer = m_fixedRenderer;
    if (!m_renderer)
        m_renderer = std::make_shared<resources::TableRenderer>(m_store ? m_store->tableColumns() : QJsonArray());
    m_columns = m_renderer->columns();
}

ResourceTableModel::Entry ResourceTableModel::render(const watch::ObjectPtr &object) const
{
    Entry entry{object, m_renderer->row(object->json)};
    // Renderers are total over columns, but a server Table row may be short; keep every row as wide as the header.
    while (entry.row.values.size() < m_columns.size())
        entry.row.values.append(QString());
    return entry;
}

void ResourceTableModel::rebuild()
{
    m_rows.clear();
    m_index.clear();
    if (!m_store)
        return;
    QList<watch::ObjectPtr> objects = m_store->objects();
    std::sort(objects.begin(), objects.end(), [](const watch::ObjectPtr &a, const watch::ObjectPtr &b) {
        return a->ns != b->ns ? a->ns < b->ns : a->name < b->name;
    });
    m_rows.reserve(size_t(objects.size()));
    for (const watch::ObjectPtr &object : objects)
        m_rows.push_back(render(object));
    reindex(0);
}

void ResourceTableModel::reindex(int from)
{
    for (int row = from; row < int(m_rows.size()); ++row)
        m_index.insert(m_rows[size_t(row)].object->key(), row);
}

void ResourceTableModel::flush()
{
    m_timer.stop();
    if (m_resetPending) {
        m_resetPending = false;
        m_dirty.clear();
        beginResetModel();
        updateRenderer();
        rebuild();
        endResetModel();
        ++m_batches;
        emit batchApplied();
        return;
    }
    if (m_dirty.isEmpty() || !m_store)
        return;

    std::vector<int> removed;
    QList<watch::ObjectPtr> added;
    int firstUpdated = -1;
    int lastUpdated = -1;
    for (const QString &key : std::as_const(m_dirty)) {
        const watch::ObjectPtr object = m_store->get(key);
        const int row = m_index.value(key, -1);
        if (!object) {
            if (row >= 0)
                removed.push_back(row);
        } else if (row >= 0) {
            m_rows[size_t(row)] = render(object);
            firstUpdated = firstUpdated < 0 ? row : std::min(firstUpdated, row);
            lastUpdated = std::max(lastUpdated, row);
        } else {
            added.append(object);
        }
    }
    m_dirty.clear();

    const int rows = int(m_rows.size());
    if (rows > 100 && int(removed.size() + added.size()) > rows / 2) {
        // Over half the table changed: one reset is cheaper than thousands of row signals (qBittorrent's rule).
        beginResetModel();
        rebuild();
        endResetModel();
        ++m_batches;
        emit batchApplied();
        return;
    }

    // One dataChanged spanning every updated row: views repaint once whatever the number of events.
    if (firstUpdated >= 0)
        emit dataChanged(index(firstUpdated, 0), index(lastUpdated, columnCount() - 1));

    if (!removed.empty()) {
        std::sort(removed.begin(), removed.end(), std::greater<int>());
        size_t i = 0;
        while (i < removed.size()) {
            // Contiguous descending run [last .. first].
            size_t j = i;
            while (j + 1 < removed.size() && removed[j + 1] == removed[j] - 1)
                ++j;
            const int last = removed[i];
            const int first = removed[j];
            beginRemoveRows({}, first, last);
            for (int row = first; row <= last; ++row)
                m_index.remove(m_rows[size_t(row)].object->key());
            m_rows.erase(m_rows.begin() + first, m_rows.begin() + last + 1);
            endRemoveRows();
            i = j + 1;
        }
        reindex(removed.back());
    }

    if (!added.isEmpty()) {
        std::sort(added.begin(), added.end(), [](const watch::ObjectPtr &a, const watch::ObjectPtr &b) {
            return a->ns != b->ns ? a->ns < b->ns : a->name < b->name;
        });
        const int first = int(m_rows.size());
        beginInsertRows({}, first, first + int(added.size()) - 1);
        for (const watch::ObjectPtr &object : std::as_const(added))
            m_rows.push_back(render(object));
        reindex(first);
        endInsertRows();
    }
    ++m_batches;
    emit batchApplied();
}

} // namespace orchestra::models
