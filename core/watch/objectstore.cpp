#include "watch/objectstore.h"

namespace orchestra::watch {

namespace {

ObjectPtr rowObject(const QJsonObject &row)
{
    QJsonObject object;
    object.insert(QLatin1String("metadata"),
                  row.value(QLatin1String("object")).toObject().value(QLatin1String("metadata")));
    object.insert(QLatin1String("cells"), row.value(QLatin1String("cells")));
    return makeObject(object);
}

} // namespace

QList<ObjectPtr> objectsFromTable(const QJsonObject &table)
{
    QList<ObjectPtr> result;
    const QJsonArray rows = table.value(QLatin1String("rows")).toArray();
    result.reserve(rows.size());
    for (const QJsonValue &row : rows)
        result.append(rowObject(row.toObject()));
    return result;
}

ObjectPtr objectFromEventObject(const QJsonObject &object)
{
    if (object.value(QLatin1String("kind")).toString() == QLatin1String("Table")) {
        const QJsonArray rows = object.value(QLatin1String("rows")).toArray();
        if (rows.isEmpty())
            return {};
        return rowObject(rows.first().toObject());
    }
    return makeObject(object);
}

void ObjectStore::replace(const QList<ObjectPtr> &objects, const QString &resourceVersion)
{
    m_objects.clear();
    m_objects.reserve(objects.size());
    for (const ObjectPtr &object : objects)
        m_objects.insert(object->key(), object);
    m_resourceVersion = resourceVersion;
    emit reset();
}

StoreDelta ObjectStore::apply(const QList<WatchEvent> &events)
{
    StoreDelta delta;
    for (const WatchEvent &event : events) {
        if (event.type == WatchEvent::Type::Error)
            continue;
        const QString rv = event.resourceVersion();
        if (!rv.isEmpty())
            m_resourceVersion = rv;
        if (event.type == WatchEvent::Type::Bookmark)
            continue;
        ObjectPtr object = objectFromEventObject(event.object);
        if (!object)
            continue;
        // Table-format events may carry the version only on the row's object, not on the Table itself.
        if (rv.isEmpty() && !object->resourceVersion.isEmpty())
            m_resourceVersion = object->resourceVersion;
        const QString key = object->key();
        if (event.type == WatchEvent::Type::Deleted) {
            if (m_objects.remove(key) > 0)
                delta.removed.append(key);
        } else {
            const bool existed = m_objects.contains(key);
            m_objects.insert(key, std::move(object));
            (existed ? delta.updated : delta.added).append(key);
        }
    }
    if (!delta.isEmpty())
        emit changed(delta);
    return delta;
}

void ObjectStore::clear()
{
    m_objects.clear();
    m_resourceVersion.clear();
    emit reset();
}

} // namespace orchestra::watch
