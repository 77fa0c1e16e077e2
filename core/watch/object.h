#pragma once

#include <QJsonObject>
#include <QString>

#include <memory>

namespace orchestra::watch {

/// One object as stores keep it: the JSON without managedFields, kubectl's last-applied copy and Secret values, plus
/// its identity.
struct Object final
{
    QString uid;
    QString name;
    QString ns; ///< empty for cluster-scoped objects
    QString resourceVersion;
    QJsonObject json;

    /// The store key: the uid, or namespace/name for the rare object without one.
    QString key() const { return uid.isEmpty() ? ns + QLatin1Char('/') + name : uid; }
};

using ObjectPtr = std::shared_ptr<const Object>;

/// Builds a compact Object from a full API object (or a server Table row `{metadata, cells}`): drops
/// metadata.managedFields (often half the bytes) and the kubectl.kubernetes.io/last-applied-configuration annotation
/// (a second copy of the object, with a Secret's values), and replaces Secret values with empty strings so no secret
/// is kept.
ObjectPtr makeObject(QJsonObject json);

} // namespace orchestra::watch
