#include "jsonutil.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QUuid>

#include <yaml-cpp/yaml.h>

namespace orchestra::testing::json {

namespace {

QJsonValue fromYaml(const YAML::Node &node)
{
    switch (node.Type()) {
    case YAML::NodeType::Map: {
        QJsonObject object;
        for (auto it = node.begin(); it != node.end(); ++it)
            object.insert(QString::fromStdString(it->first.as<std::string>()), fromYaml(it->second));
        return object;
    }
    case YAML::NodeType::Sequence: {
        QJsonArray array;
        for (const auto &item : node)
            array.append(fromYaml(item));
        return array;
    }
    case YAML::NodeType::Scalar: {
        const QString text = QString::fromStdString(node.Scalar());
        if (node.Tag() == "!")
            return text; // quoted: always a string
        if (text == QLatin1String("true") || text == QLatin1String("True"))
            return true;
        if (text == QLatin1String("false") || text == QLatin1String("False"))
            return false;
        if (text == QLatin1String("null") || text == QLatin1String("~") || text.isEmpty())
            return QJsonValue::Null;
        bool ok = false;
        const qlonglong integer = text.toLongLong(&ok);
        if (ok)
            return integer;
        static const QRegularExpression floatRe(QStringLiteral("^-?[0-9]+\\.[0-9]+([eE][-+]?[0-9]+)?$"));
        if (floatRe.match(text).hasMatch())
            return text.toDouble();
        return text;
    }
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
        break;
    }
    return QJsonValue::Null;
}

QStringList splitPath(const QString &joined)
{
    return joined.isEmpty() ? QStringList() : joined.split(QLatin1Char('\n'));
}

/// Merge keys of a list of objects, empty when the list is atomic.
QStringList mergeKeysFor(const QJsonArray &array)
{
    if (array.isEmpty())
        return {};
    static const QList<QStringList> candidates = {
        {QStringLiteral("containerPort"), QStringLiteral("protocol")},
        {QStringLiteral("port"), QStringLiteral("protocol")},
        {QStringLiteral("name")},
        {QStringLiteral("mountPath")},
        {QStringLiteral("ip")},
        {QStringLiteral("type")},
    };
    for (const QStringList &keys : candidates) {
        bool all = true;
        for (const QJsonValue &item : array) {
            if (!item.isObject() || !item.toObject().contains(keys.first())) {
                all = false;
                break;
            }
        }
        if (all)
            return keys;
    }
    return {};
}

QJsonObject keyOf(const QJsonObject &item, const QStringList &keys)
{
    QJsonObject key;
    for (const QString &k : keys) {
        if (item.contains(k))
            key.insert(k, item.value(k));
        else if (k == QLatin1String("protocol"))
            key.insert(k, QStringLiteral("TCP"));
    }
    return key;
}

QString keySegment(const QJsonObject &key)
{
    return QStringLiteral("k:") + QString::fromUtf8(QJsonDocument(key).toJson(QJsonDocument::Compact));
}

bool itemHasKey(const QJsonObject &item, const QJsonObject &key)
{
    for (auto it = key.begin(); it != key.end(); ++it) {
        QJsonValue v = item.value(it.key());
        if (v.isUndefined() && it.key() == QLatin1String("protocol"))
            v = QStringLiteral("TCP");
        if (v != it.value())
            return false;
    }
    return true;
}

void walk(const QJsonValue &value, const QString &path, FieldSet &set);

void walkArray(const QJsonArray &array, const QString &path, FieldSet &set)
{
    const QStringList keys = mergeKeysFor(array);
    if (keys.isEmpty()) {
        set.insert(path);
        return;
    }
    for (const QJsonValue &item : array) {
        const QString itemPath = path + QLatin1Char('\n') + keySegment(keyOf(item.toObject(), keys));
        if (item.toObject().isEmpty())
            set.insert(itemPath);
        else
            walk(item, itemPath, set);
    }
}

void walk(const QJsonValue &value, const QString &path, FieldSet &set)
{
    if (value.isObject() && !value.toObject().isEmpty()) {
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            const QString child =
                (path.isEmpty() ? QString() : path + QLatin1Char('\n')) + QStringLiteral("f:") + it.key();
            if (it->isArray())
                walkArray(it->toArray(), child, set);
            else
                walk(*it, child, set);
        }
        return;
    }
    if (!path.isEmpty())
        set.insert(path);
}

QJsonObject strippedForFields(const QJsonObject &object)
{
    QJsonObject copy = object;
    copy.remove(QStringLiteral("apiVersion"));
    copy.remove(QStringLiteral("kind"));
    QJsonObject metadata = copy.value(QStringLiteral("metadata")).toObject();
    for (const char *key : {"name", "namespace", "uid", "resourceVersion", "creationTimestamp", "generation",
                            "managedFields", "selfLink", "deletionTimestamp", "deletionGracePeriodSeconds"})
        metadata.remove(QLatin1String(key));
    if (metadata.isEmpty())
        copy.remove(QStringLiteral("metadata"));
    else
        copy.insert(QStringLiteral("metadata"), metadata);
    return copy;
}

QJsonValue navigate(const QJsonValue &current, const QString &segment, bool *found)
{
    if (segment.startsWith(QLatin1String("f:"))) {
        const QJsonObject object = current.toObject();
        const QString key = segment.mid(2);
        if (!current.isObject() || !object.contains(key)) {
            *found = false;
            return {};
        }
        return object.value(key);
    }
    const QJsonObject key = QJsonDocument::fromJson(segment.mid(2).toUtf8()).object();
    for (const QJsonValue &item : current.toArray()) {
        if (item.isObject() && itemHasKey(item.toObject(), key))
            return item;
    }
    *found = false;
    return {};
}

void removeIn(QJsonValue &value, const QStringList &segments, int index)
{
    const QString &segment = segments.at(index);
    const bool last = index == segments.size() - 1;
    if (segment.startsWith(QLatin1String("f:"))) {
        if (!value.isObject())
            return;
        QJsonObject object = value.toObject();
        const QString key = segment.mid(2);
        if (!object.contains(key))
            return;
        if (last) {
            object.remove(key);
        } else {
            QJsonValue child = object.value(key);
            removeIn(child, segments, index + 1);
            object.insert(key, child);
        }
        value = object;
        return;
    }
    if (!value.isArray())
        return;
    const QJsonObject key = QJsonDocument::fromJson(segment.mid(2).toUtf8()).object();
    QJsonArray array = value.toArray();
    for (int i = 0; i < array.size(); ++i) {
        if (!array.at(i).isObject() || !itemHasKey(array.at(i).toObject(), key))
            continue;
        if (last) {
            array.removeAt(i);
        } else {
            QJsonValue child = array.at(i);
            removeIn(child, segments, index + 1);
            array.replace(i, child);
        }
        break;
    }
    value = array;
}

QJsonValue mergeApplied(const QJsonValue &live, const QJsonValue &applied)
{
    if (live.isObject() && applied.isObject()) {
        QJsonObject result = live.toObject();
        const QJsonObject patch = applied.toObject();
        for (auto it = patch.begin(); it != patch.end(); ++it)
            result.insert(it.key(), mergeApplied(result.value(it.key()), *it));
        return result;
    }
    if (live.isArray() && applied.isArray()) {
        const QJsonArray appliedArray = applied.toArray();
        const QStringList keys = mergeKeysFor(appliedArray);
        if (keys.isEmpty() || !mergeKeysFor(live.toArray()).startsWith(keys.first()))
            return applied;
        QJsonArray result = live.toArray();
        for (const QJsonValue &item : appliedArray) {
            const QJsonObject key = keyOf(item.toObject(), keys);
            bool merged = false;
            for (int i = 0; i < result.size(); ++i) {
                if (itemHasKey(result.at(i).toObject(), key)) {
                    result.replace(i, mergeApplied(result.at(i), item));
                    merged = true;
                    break;
                }
            }
            if (!merged)
                result.append(item);
        }
        return result;
    }
    return applied;
}

// JSON pointer helpers for RFC 6902.
QStringList pointerTokens(const QString &pointer)
{
    QStringList tokens = pointer.split(QLatin1Char('/'));
    if (!tokens.isEmpty())
        tokens.removeFirst();
    for (QString &token : tokens)
        token = token.replace(QLatin1String("~1"), QLatin1String("/")).replace(QLatin1String("~0"), QLatin1String("~"));
    return tokens;
}

bool pointerGet(const QJsonValue &root, const QStringList &tokens, QJsonValue *out)
{
    QJsonValue current = root;
    for (const QString &token : tokens) {
        if (current.isObject()) {
            if (!current.toObject().contains(token))
                return false;
            current = current.toObject().value(token);
        } else if (current.isArray()) {
            bool ok = false;
            const int index = token.toInt(&ok);
            if (!ok || index < 0 || index >= current.toArray().size())
                return false;
            current = current.toArray().at(index);
        } else {
            return false;
        }
    }
    *out = current;
    return true;
}

// mode: 0 add, 1 replace, 2 remove
bool pointerSet(QJsonValue &current, const QStringList &tokens, int index, const QJsonValue &value, int mode)
{
    if (index == tokens.size()) {
        current = value;
        return true;
    }
    const QString &token = tokens.at(index);
    const bool last = index == tokens.size() - 1;
    if (current.isObject()) {
        QJsonObject object = current.toObject();
        if (last) {
            if (mode != 0 && !object.contains(token))
                return false;
            if (mode == 2)
                object.remove(token);
            else
                object.insert(token, value);
        } else {
            if (!object.contains(token))
                return false;
            QJsonValue child = object.value(token);
            if (!pointerSet(child, tokens, index + 1, value, mode))
                return false;
            object.insert(token, child);
        }
        current = object;
        return true;
    }
    if (current.isArray()) {
        QJsonArray array = current.toArray();
        int position = -1;
        if (token == QLatin1String("-")) {
            position = int(array.size());
        } else {
            bool ok = false;
            position = token.toInt(&ok);
            if (!ok)
                return false;
        }
        if (last) {
            if (mode == 0) {
                if (position > array.size())
                    return false;
                array.insert(position, value);
            } else {
                if (position >= array.size())
                    return false;
                if (mode == 2)
                    array.removeAt(position);
                else
                    array.replace(position, value);
            }
        } else {
            if (position >= array.size())
                return false;
            QJsonValue child = array.at(position);
            if (!pointerSet(child, tokens, index + 1, value, mode))
                return false;
            array.replace(position, child);
        }
        current = array;
        return true;
    }
    return false;
}

} // namespace

QList<QJsonObject> parseYamlDocuments(const QByteArray &yaml, QString *error)
{
    QList<QJsonObject> documents;
    try {
        const std::vector<YAML::Node> nodes = YAML::LoadAll(yaml.toStdString());
        for (const YAML::Node &node : nodes) {
            const QJsonValue value = fromYaml(node);
            if (value.isObject() && !value.toObject().isEmpty()) {
                const QJsonObject object = value.toObject();
                if (object.value(QStringLiteral("kind")).toString().endsWith(QLatin1String("List")) &&
                    object.value(QStringLiteral("items")).isArray()) {
                    for (const QJsonValue &item : object.value(QStringLiteral("items")).toArray())
                        documents.append(item.toObject());
                } else {
                    documents.append(object);
                }
            }
        }
    } catch (const YAML::Exception &e) {
        if (error)
            *error = QString::fromStdString(e.what());
    }
    return documents;
}

QJsonValue mergePatch(const QJsonValue &target, const QJsonValue &patch)
{
    if (!patch.isObject())
        return patch;
    QJsonObject result = target.isObject() ? target.toObject() : QJsonObject();
    const QJsonObject patchObject = patch.toObject();
    for (auto it = patchObject.begin(); it != patchObject.end(); ++it) {
        if (it->isNull())
            result.remove(it.key());
        else
            result.insert(it.key(), mergePatch(result.value(it.key()), *it));
    }
    return result;
}

bool jsonPatch(QJsonValue &document, const QJsonArray &operations, QString *error)
{
    for (const QJsonValue &operationValue : operations) {
        const QJsonObject operation = operationValue.toObject();
        const QString op = operation.value(QStringLiteral("op")).toString();
        const QStringList path = pointerTokens(operation.value(QStringLiteral("path")).toString());
        const QJsonValue value = operation.value(QStringLiteral("value"));
        bool ok = false;
        if (op == QLatin1String("add")) {
            ok = pointerSet(document, path, 0, value, 0);
        } else if (op == QLatin1String("replace")) {
            ok = pointerSet(document, path, 0, value, 1);
        } else if (op == QLatin1String("remove")) {
            ok = pointerSet(document, path, 0, {}, 2);
        } else if (op == QLatin1String("test")) {
            QJsonValue current;
            ok = pointerGet(document, path, &current) && current == value;
            if (!ok) {
                *error =
                    QStringLiteral("testing value %1 failed").arg(operation.value(QStringLiteral("path")).toString());
                return false;
            }
        } else if (op == QLatin1String("move") || op == QLatin1String("copy")) {
            const QStringList from = pointerTokens(operation.value(QStringLiteral("from")).toString());
            QJsonValue moved;
            ok = pointerGet(document, from, &moved);
            if (ok && op == QLatin1String("move"))
                ok = pointerSet(document, from, 0, {}, 2);
            if (ok)
                ok = pointerSet(document, path, 0, moved, 0);
        } else {
            *error = QStringLiteral("Unexpected kind: %1").arg(op);
            return false;
        }
        if (!ok) {
            *error = QStringLiteral("the server rejected our request due to an error in our request: %1 operation "
                                    "does not apply: doc is missing path: \"%2\"")
                         .arg(op, operation.value(QStringLiteral("path")).toString());
            return false;
        }
    }
    return true;
}

QString nowTimestamp()
{
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODate);
}

QString age(const QString &timestamp)
{
    const QDateTime then = QDateTime::fromString(timestamp, Qt::ISODate);
    if (!then.isValid())
        return QStringLiteral("<unknown>");
    const qint64 seconds = std::max<qint64>(0, then.secsTo(QDateTime::currentDateTimeUtc()));
    const qint64 minutes = seconds / 60;
    const qint64 hours = seconds / 3600;
    if (seconds < 120)
        return QStringLiteral("%1s").arg(seconds);
    if (minutes < 10)
        return seconds % 60 == 0 ? QStringLiteral("%1m").arg(minutes)
                                 : QStringLiteral("%1m%2s").arg(minutes).arg(seconds % 60);
    if (minutes < 180)
        return QStringLiteral("%1m").arg(minutes);
    if (hours < 8)
        return minutes % 60 == 0 ? QStringLiteral("%1h").arg(hours)
                                 : QStringLiteral("%1h%2m").arg(hours).arg(minutes % 60);
    if (hours < 48)
        return QStringLiteral("%1h").arg(hours);
    if (hours < 192)
        return hours % 24 == 0 ? QStringLiteral("%1d").arg(hours / 24)
                               : QStringLiteral("%1d%2h").arg(hours / 24).arg(hours % 24);
    if (hours < 24 * 365 * 2)
        return QStringLiteral("%1d").arg(hours / 24);
    return QStringLiteral("%1y").arg(hours / 24 / 365);
}

QString newUid()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

QByteArray base64Url(const QByteArray &data)
{
    return data.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QByteArray fromBase64Url(const QByteArray &data)
{
    QByteArray normalized = data;
    normalized.replace('+', '-').replace('/', '_');
    return QByteArray::fromBase64(normalized, QByteArray::Base64UrlEncoding);
}

bool labelsMatch(const QList<QPair<QString, QString>> &labels, const QString &selector)
{
    if (selector.trimmed().isEmpty())
        return true;
    auto lookup = [&labels](const QString &key, QString *value) {
        for (const auto &label : labels) {
            if (label.first == key) {
                *value = label.second;
                return true;
            }
        }
        return false;
    };
    // Split on commas outside parentheses.
    QStringList requirements;
    int depth = 0;
    QString current;
    for (const QChar c : selector) {
        if (c == QLatin1Char('('))
            ++depth;
        else if (c == QLatin1Char(')'))
            --depth;
        if (c == QLatin1Char(',') && depth == 0) {
            requirements.append(current.trimmed());
            current.clear();
        } else {
            current.append(c);
        }
    }
    requirements.append(current.trimmed());
    static const QRegularExpression setRe(QStringLiteral("^([^\\s]+)\\s+(in|notin)\\s*\\((.*)\\)$"));
    for (const QString &requirement : std::as_const(requirements)) {
        if (requirement.isEmpty())
            continue;
        QString value;
        const QRegularExpressionMatch set = setRe.match(requirement);
        if (set.hasMatch()) {
            QStringList values = set.captured(3).split(QLatin1Char(','));
            for (QString &v : values)
                v = v.trimmed();
            const bool has = lookup(set.captured(1), &value);
            const bool in = has && values.contains(value);
            if (set.captured(2) == QLatin1String("in") ? !in : in)
                return false;
            continue;
        }
        const int notEqual = requirement.indexOf(QLatin1String("!="));
        if (notEqual > 0) {
            if (lookup(requirement.left(notEqual).trimmed(), &value) &&
                value == requirement.mid(notEqual + 2).trimmed())
                return false;
            continue;
        }
        const int equal = requirement.indexOf(QLatin1Char('='));
        if (equal > 0) {
            QString expected = requirement.mid(equal + 1);
            if (expected.startsWith(QLatin1Char('=')))
                expected = expected.mid(1);
            if (!lookup(requirement.left(equal).trimmed(), &value) || value != expected.trimmed())
                return false;
            continue;
        }
        if (requirement.startsWith(QLatin1Char('!'))) {
            if (lookup(requirement.mid(1).trimmed(), &value))
                return false;
            continue;
        }
        if (!lookup(requirement, &value))
            return false;
    }
    return true;
}

FieldSet fieldSetOf(const QJsonObject &object)
{
    FieldSet set;
    walk(strippedForFields(object), QString(), set);
    return set;
}

FieldSet changedFields(const QJsonObject &before, const QJsonObject &after)
{
    FieldSet result;
    const FieldSet all = fieldSetOf(after);
    for (const QString &path : all) {
        bool foundBefore = true;
        bool foundAfter = true;
        const QJsonValue old = valueAt(before, path, &foundBefore);
        const QJsonValue now = valueAt(after, path, &foundAfter);
        if (!foundBefore || old != now)
            result.insert(path);
    }
    return result;
}

static void collectFieldsV1(const QJsonObject &node, const QString &prefix, FieldSet &set)
{
    for (auto it = node.begin(); it != node.end(); ++it) {
        if (it.key() == QLatin1String("."))
            continue;
        const QString path = prefix.isEmpty() ? it.key() : prefix + QLatin1Char('\n') + it.key();
        const QJsonObject child = it->toObject();
        bool hasChildren = false;
        for (auto c = child.begin(); c != child.end(); ++c) {
            if (c.key() != QLatin1String(".")) {
                hasChildren = true;
                break;
            }
        }
        if (hasChildren)
            collectFieldsV1(child, path, set);
        else
            set.insert(path);
    }
}

FieldSet fieldSetFromFieldsV1(const QJsonObject &fieldsV1)
{
    FieldSet set;
    collectFieldsV1(fieldsV1, QString(), set);
    return set;
}

static void insertPath(QJsonObject &node, const QStringList &segments, int index)
{
    const QString &segment = segments.at(index);
    QJsonObject child = node.value(segment).toObject();
    if (index + 1 < segments.size())
        insertPath(child, segments, index + 1);
    node.insert(segment, child);
}

QJsonObject fieldsV1FromSet(const FieldSet &set)
{
    QJsonObject root;
    for (const QString &path : set)
        insertPath(root, splitPath(path), 0);
    return root;
}

QString displayPath(const QString &joinedPath)
{
    QString out;
    for (const QString &segment : splitPath(joinedPath)) {
        if (segment.startsWith(QLatin1String("f:"))) {
            out += QLatin1Char('.') + segment.mid(2);
            continue;
        }
        const QJsonObject key = QJsonDocument::fromJson(segment.mid(2).toUtf8()).object();
        QStringList parts;
        for (auto it = key.begin(); it != key.end(); ++it) {
            const QString value =
                it->isString() ? QLatin1Char('"') + it->toString() + QLatin1Char('"') : QString::number(it->toDouble());
            parts.append(it.key() + QLatin1Char('=') + value);
        }
        out += QLatin1Char('[') + parts.join(QLatin1Char(',')) + QLatin1Char(']');
    }
    return out;
}

QJsonValue valueAt(const QJsonObject &object, const QString &joinedPath, bool *found)
{
    *found = true;
    QJsonValue current = object;
    for (const QString &segment : splitPath(joinedPath)) {
        current = navigate(current, segment, found);
        if (!*found)
            return {};
    }
    return current;
}

void removeAt(QJsonObject &object, const QString &joinedPath)
{
    const QStringList segments = splitPath(joinedPath);
    if (segments.isEmpty())
        return;
    QJsonValue value = object;
    removeIn(value, segments, 0);
    object = value.toObject();
}

QJsonObject applyMerge(const QJsonObject &live, const QJsonObject &applied)
{
    return mergeApplied(live, applied).toObject();
}

} // namespace orchestra::testing::json
