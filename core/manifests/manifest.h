#pragma once

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace orchestra::manifests {

/// A place in the editor's text: 1-based line and 1-based column in UTF-16 characters (0 = unknown).
struct SourcePosition final
{
    int line = 0;
    int column = 0;
    bool isValid() const { return line > 0; }
    bool operator==(const SourcePosition &other) const = default;
};

/// One thing wrong (or worth knowing) about a manifest, at a line and column.
struct Problem final
{
    enum class Severity { Error, Warning, Info };
    int line = 0;   ///< 1-based
    int column = 0; ///< 1-based, UTF-16 characters
    Severity severity = Severity::Error;
    QString message;
    int document = -1; ///< index into ParsedManifest::documents, -1 for the whole file
    bool operator==(const Problem &other) const = default;
};

/// One YAML document of a multi-document file, converted to the JSON a real API server expects.
struct ManifestDocument final
{
    int index = 0;       ///< position among the file's non-empty documents
    int firstLine = 1;   ///< 1-based, the first line of the document's text (its "---" line when present)
    int lastLine = 1;    ///< 1-based, inclusive
    bool parsed = false; ///< false when the document has a YAML syntax error (object is then empty)
    QString text;        ///< the document's own source text
    QJsonObject object;  ///< the document as JSON (YAML core schema: unquoted true/1/null are typed)
    QString apiVersion, kind, name, nameSpace;
    /// Positions of keys and sequence items, by canonical path: "metadata.name", "spec.containers[0].image".
    QHash<QString, SourcePosition> positions;
    SourcePosition start; ///< first content line of the document

    /// "Deployment web" / "Deployment (no name)", for messages and lists.
    QString displayName() const;
    /// The position of `path` (canonical form), else of its nearest ancestor, else the document start.
    /// Accepts Status cause fields too: ".spec.replicas", "spec.containers[0].image",
    /// `.spec.containers[name="nginx"].image` (resolved against `object`).
    SourcePosition locate(const QString &fieldPath) const;
    /// `fieldPath` in canonical form (leading dot dropped, [key="value"] selectors resolved to indexes).
    QString canonicalPath(const QString &fieldPath) const;
};

/// A parsed file: its documents (empty ones skipped) and every syntax problem found.
struct ParsedManifest final
{
    QList<ManifestDocument> documents;
    QList<Problem> problems;
    bool hasErrors() const;
};

/// Parses a multi-document YAML text. Never throws: YAML syntax errors become Problems at the line:column of
/// yaml-cpp's mark; a broken document does not hide the others. Also flags what yaml-cpp 0.7 accepts but a
/// real API server would not: tabs in indentation, duplicate keys, unclosed quotes, non-scalar keys.
/// Thread-safe (no shared state): the editor runs it off the GUI thread for big files.
ParsedManifest parseManifest(const QString &text);

} // namespace orchestra::manifests
