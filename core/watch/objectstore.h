#pragma once

#include "watch/object.h"
#include "watch/streamparser.h"

#include <QHash>
#include <QJsonArray>
#include <QList>
#include <QObject>
#include <QStringList>

namespace orchestra::watch {

/// What one batch of watch events changed, by store key.
struct StoreDelta final
{
    QStringList added;
    QStringList updated;
    QStringList removed;
    bool isEmpty() const { return added.isEmpty() && updated.isEmpty() && removed.isEmpty(); }
};

/// The objects of one (kind, namespace scope), keyed by uid, fed by an Informer. Lives on the GUI thread; models
/// read it and coalesce its change signals.
class ObjectStore final : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    /// Replaces everything with the result of a (re)list: emits reset() once.
    void replace(const QList<ObjectPtr> &objects, const QString &resourceVersion);
    /// Applies watch events in order (ADDED of a known key updates it, DELETED of an unknown key is ignored, so
    /// replays never duplicate or lose rows); emits changed() once when anything changed.
    StoreDelta apply(const QList<WatchEvent> &events);
    void clear();

    ObjectPtr get(const QString &key) const { return m_objects.value(key); }
    bool contains(const QString &key) const { return m_objects.contains(key); }
    QList<ObjectPtr> objects() const { return m_objects.values(); }
    QStringList keys() const { return m_objects.keys(); }
    qsizetype size() const { return m_objects.size(); }
    /// The last resourceVersion seen (list or event or bookmark); opaque.
    QString resourceVersion() const { return m_resourceVersion; }
    void setResourceVersion(const QString &rv) { m_resourceVersion = rv; }

    /// The server's columnDefinitions when this store holds Table rows, empty for full objects.
    QJsonArray tableColumns() const { return m_tableColumns; }
    void setTableColumns(const QJsonArray &columns) { m_tableColumns = columns; }

signals:
    void reset();
    void changed(const orchestra::watch::StoreDelta &delta);

private:
    QHash<QString, ObjectPtr> m_objects;
    QString m_resourceVersion;
    QJsonArray m_tableColumns;
};

/// Turns a watch event's object into a store object: Table-format events (object kind Table with one row) become
/// the `{metadata, cells}` row objects that TableRenderer reads.
ObjectPtr objectFromEventObject(const QJsonObject &object);

/// The `{metadata, cells}` objects of a server Table's rows.
QList<ObjectPtr> objectsFromTable(const QJsonObject &table);

} // namespace orchestra::watch
