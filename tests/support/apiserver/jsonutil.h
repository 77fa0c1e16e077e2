#pragma once

// JSON helpers of the test API server: YAML conversion, merge and JSON patch,
// label selectors and the FieldsV1 field sets of server-side apply.

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

namespace orchestra::testing::json {

/// Every document of a YAML (or JSON) stream; sets *error on a syntax error.
QList<QJsonObject> parseYamlDocuments(const QByteArray &yaml, QString *error = nullptr);

/// RFC 7386 merge patch.
QJsonValue mergePatch(const QJsonValue &target, const QJsonValue &patch);
/// RFC 6902 JSON patch; returns false (with *error) when an operation fails.
bool jsonPatch(QJsonValue &document, const QJsonArray &operations, QString *error);

/// "2026-11-26T05:47:32Z"
QString nowTimestamp();
/// kubectl's short age: 45s, 12m, 5h, 3d.
QString age(const QString &timestamp);
QString newUid();
QByteArray base64Url(const QByteArray &data);
QByteArray fromBase64Url(const QByteArray &data);

/// Label selector (equality, !=, in, notin, exists, !exists) against labels.
bool labelsMatch(const QList<QPair<QString, QString>> &labels, const QString &selector);

/// A field path as FieldsV1 segments ("f:spec", "k:{\"name\":\"nginx\"}").
using FieldPath = QStringList;
using FieldSet = QSet<QString>; // paths joined with '\n'

/// The leaf fields an applied object sets (metadata identity fields skipped).
FieldSet fieldSetOf(const QJsonObject &object);
/// Leaf fields whose value differs between before and after (added or changed).
FieldSet changedFields(const QJsonObject &before, const QJsonObject &after);
FieldSet fieldSetFromFieldsV1(const QJsonObject &fieldsV1);
QJsonObject fieldsV1FromSet(const FieldSet &set);
/// ".spec.replicas", ".spec.containers[name=\"nginx\"].image"
QString displayPath(const QString &joinedPath);
QJsonValue valueAt(const QJsonObject &object, const QString &joinedPath, bool *found);
void removeAt(QJsonObject &object, const QString &joinedPath);
/// Merges an applied configuration into the live object (keyed lists by merge key).
QJsonObject applyMerge(const QJsonObject &live, const QJsonObject &applied);

} // namespace orchestra::testing::json
