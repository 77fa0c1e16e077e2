#include "watch/object.h"

namespace orchestra::watch {

ObjectPtr makeObject(QJsonObject json)
{
    auto object = std::make_shared<Object>();
    QJsonObject metadata = json.value(QLatin1String("metadata")).toObject();
    if (metadata.contains(QLatin1String("managedFields"))) {
        metadata.remove(QLatin1String("managedFields"));
        json.insert(QLatin1String("metadata"), metadata);
    }
    if (json.value(QLatin1String("kind")).toString() == QLatin1String("Secret")) {
        // Views need the key count only; values never stay in memory (Reveal fetches the Secret again).
        QJsonObject annotations = metadata.value(QLatin1String("annotations")).toObject();
        if (annotations.contains(QLatin1String("kubectl.kubernetes.io/last-applied-configuration"))) {
            // kubectl apply keeps the whole Secret, values included, in this annotation.
            annotations.insert(QStringLiteral("kubectl.kubernetes.io/last-applied-configuration"), QString());
            metadata.insert(QLatin1String("annotations"), annotations);
            json.insert(QLatin1String("metadata"), metadata);
        }
        for (const char *field : {"data", "stringData"}) {
            const QJsonObject data = json.value(QLatin1String(field)).toObject();
            if (data.isEmpty())
                continue;
            QJsonObject keys;
            for (auto it = data.begin(); it != data.end(); ++it)
                keys.insert(it.key(), QString());
            json.insert(QLatin1String(field), keys);
        }
    }
    object->uid = metadata.value(QLatin1String("uid")).toString();
    object->name = metadata.value(QLatin1String("name")).toString();
    object->ns = metadata.value(QLatin1String("namespace")).toString();
    object->resourceVersion = metadata.value(QLatin1String("resourceVersion")).toString();
    object->json = std::move(json);
    return object;
}

} // namespace orchestra::watch
