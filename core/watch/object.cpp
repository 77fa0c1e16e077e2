#include "watch/object.h"

namespace orchestra::watch {

namespace {
constexpr char lastAppliedAnnotation[] = "kubectl.kubernetes.io/last-applied-configuration";
} // namespace

ObjectPtr makeObject(QJsonObject json)
{
    auto object = std::make_shared<Object>();
    QJsonObject metadata = json.value(QLatin1String("metadata")).toObject();
    // Stores feed tables; views that need the whole object (details, YAML, editor) fetch it again.
    bool trimmed = false;
    if (metadata.contains(QLatin1String("managedFields"))) {
        metadata.remove(QLatin1String("managedFields"));
        trimmed = true;
    }
    QJsonObject annotations = metadata.value(QLatin1String("annotations")).toObject();
    if (annotations.contains(QLatin1String(lastAppliedAnnotation))) {
        // kubectl apply's copy of the whole object: as big as the object again, and for a Secret it holds the values
        // (also in the metadata of server Table rows).
        annotations.remove(QLatin1String(lastAppliedAnnotation));
        metadata.insert(QLatin1String("annotations"), annotations);
        trimmed = true;
    }
    if (trimmed)
        json.insert(QLatin1String("metadata"), metadata);
    if (json.value(QLatin1String("kind")).toString() == QLatin1String("Secret")) {
        // Views need the key count only; values never stay in memory (Reveal fetches the Secret again).
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
