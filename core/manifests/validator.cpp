#include "manifests/validator.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QSet>

namespace orchestra::manifests {

namespace {

// What a CustomResourceDefinition in the same file will make the server serve.
std::optional<KindInfo> kindFromCrds(const ParsedManifest &manifest, const QString &apiVersion, const QString &kind)
{
    const auto [group, version] = splitApiVersion(apiVersion);
    for (const ManifestDocument &document : manifest.documents) {
        if (document.kind != QLatin1String("CustomResourceDefinition"))
            continue;
        const QJsonObject spec = document.object.value(QStringLiteral("spec")).toObject();
        const QJsonObject names = spec.value(QStringLiteral("names")).toObject();
        if (spec.value(QStringLiteral("group")).toString() != group ||
            names.value(QStringLiteral("kind")).toString() != kind)
            continue;
        bool servesVersion = spec.value(QStringLiteral("version")).toString() == version;
        for (const QJsonValue &v : spec.value(QStringLiteral("versions")).toArray())
            servesVersion = servesVersion || v.toObject().value(QStringLiteral("name")).toString() == version;
        if (!servesVersion)
            continue;
        return KindInfo{group, version, kind, names.value(QStringLiteral("plural")).toString(),
                        spec.value(QStringLiteral("scope")).toString() != QLatin1String("Cluster")};
    }
    return std::nullopt;
}

SourcePosition at(const ManifestDocument &document, const char *path)
{
    const auto it = document.positions.constFind(QLatin1String(path));
    return it != document.positions.constEnd() ? it.value() : document.start;
}

} // namespace

std::optional<KindInfo> resolveKind(const ParsedManifest &manifest, const ManifestDocument &document,
                                    const KindResolver &resolver)
{
    if (auto info = resolver.find(document.apiVersion, document.kind))
        return info;
    return kindFromCrds(manifest, document.apiVersion, document.kind);
}

QList<Problem> validateManifest(const ParsedManifest &manifest, const KindResolver &resolver)
{
    static const QRegularExpression dnsSubdomain(
        QStringLiteral("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"));
    QList<Problem> problems;
    auto add = [&problems](const ManifestDocument &document, const SourcePosition &position, Problem::Severity severity,
                           const QString &message) {
        problems.append(Problem{position.line, position.column, severity, message, document.index});
    };

    if (!resolver.connected() && !manifest.documents.isEmpty()) {
        problems.append(Problem{manifest.documents.first().start.line, 1, Problem::Severity::Warning,
                                QStringLiteral("Not connected to a cluster: kinds are checked against the built-in "
                                               "list only, and the server may still reject fields"),
                                -1});
    }

    QHash<QString, int> seen; // identity -> first line
    for (const ManifestDocument &document : manifest.documents) {
        if (!document.parsed)
            continue;
        const QJsonObject &object = document.object;
        bool complete = true;
        if (!object.value(QStringLiteral("apiVersion")).isString() || document.apiVersion.isEmpty()) {
            add(document, document.start, Problem::Severity::Error,
                QStringLiteral("Missing apiVersion (for example \"v1\" or \"apps/v1\")"));
            complete = false;
        }
        if (!object.value(QStringLiteral("kind")).isString() || document.kind.isEmpty()) {
            add(document, document.start, Problem::Severity::Error,
                QStringLiteral("Missing kind (for example \"Deployment\")"));
            complete = false;
        }
        const QJsonObject metadata = object.value(QStringLiteral("metadata")).toObject();
        if (!object.contains(QStringLiteral("metadata"))) {
            add(document, document.start, Problem::Severity::Error, QStringLiteral("Missing metadata with a name"));
            complete = false;
        } else if (document.name.isEmpty()) {
            const bool generated = metadata.contains(QStringLiteral("generateName"));
            add(document, at(document, "metadata"), Problem::Severity::Error,
                generated ? QStringLiteral("metadata.generateName cannot be applied: server-side apply needs "
                                           "metadata.name")
                          : QStringLiteral("Missing metadata.name"));
            complete = false;
        } else if (!dnsSubdomain.match(document.name).hasMatch() || document.name.size() > 253) {
            add(document, at(document, "metadata.name"), Problem::Severity::Warning,
                QStringLiteral("\"%1\" is not a valid name for most kinds: use lower case letters, digits, '-' and "
                               "'.'")
                    .arg(document.name));
        }
        if (!complete)
            continue;

        const std::optional<KindInfo> info = resolveKind(manifest, document, resolver);
        if (!info) {
            if (resolver.connected())
                add(document, at(document, "kind"), Problem::Severity::Error,
                    QStringLiteral("The cluster does not serve kind %1 in %2: check apiVersion, or install the "
                                   "CustomResourceDefinition first")
                        .arg(document.kind, document.apiVersion));
            else
                add(document, at(document, "kind"), Problem::Severity::Warning,
                    QStringLiteral("Kind %1 (%2) is not in the built-in list; it is checked when connected")
                        .arg(document.kind, document.apiVersion));
        } else if (!info->namespaced && !document.nameSpace.isEmpty()) {
            add(document, at(document, "metadata.namespace"), Problem::Severity::Error,
                QStringLiteral("%1 is cluster-scoped: remove metadata.namespace").arg(document.kind));
        }

        const bool namespaced = !info || info->namespaced;
        const QString identity = QStringList{splitApiVersion(document.apiVersion).first, document.kind,
                                             namespaced ? document.nameSpace : QString(), document.name}
                                     .join(QLatin1Char('/'));
        if (const auto first = seen.constFind(identity); first != seen.constEnd()) {
            add(document, at(document, "metadata.name"), Problem::Severity::Error,
                QStringLiteral("Duplicate object: %1 is already defined on line %2")
                    .arg(document.displayName())
                    .arg(first.value()));
        } else {
            seen.insert(identity, document.start.line);
        }
    }
    return problems;
}

ParsedManifest parseAndValidate(const QString &text, const KindResolver &resolver)
{
    ParsedManifest manifest = parseManifest(text);
    manifest.problems += validateManifest(manifest, resolver);
    std::stable_sort(manifest.problems.begin(), manifest.problems.end(), [](const Problem &a, const Problem &b) {
        return a.line != b.line ? a.line < b.line : a.column < b.column;
    });
    return manifest;
}

} // namespace orchestra::manifests
