#include "manifests/manifest.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QStringList>

#include <yaml-cpp/yaml.h>

#include <limits>

namespace orchestra::manifests {

namespace {

constexpr int maxDepth = 256; // aliases can make a tree arbitrarily deep; a real manifest never is

bool isDocumentStart(const QString &line)
{
    return line.startsWith(QLatin1String("---")) && (line.size() == 3 || line.at(3).isSpace());
}

bool isDocumentEnd(const QString &line)
{
    return line.startsWith(QLatin1String("...")) && line.mid(3).trimmed().isEmpty();
}

bool isBlankOrComment(const QString &line)
{
    const QString trimmed = line.trimmed();
    return trimmed.isEmpty() || trimmed.startsWith(QLatin1Char('#'));
}

QString capitalized(QString text)
{
    if (!text.isEmpty())
        text[0] = text.at(0).toUpper();
    return text;
}

// yaml-cpp's messages are terse; say what usually causes them.
QString explainYamlError(const std::string &message)
{
    QString text = capitalized(QString::fromStdString(message));
    if (text.startsWith(QLatin1String("End of map not found")))
        text += QStringLiteral(": check this line's indentation against the lines above it");
    else if (text.startsWith(QLatin1String("Illegal map value")))
        text += QStringLiteral(": a value cannot start here (a tab, or two \"key:\" on one line?)");
    else if (text.startsWith(QLatin1String("End of sequence flow not found")))
        text += QStringLiteral(": a \"[\" is never closed with \"]\"");
    else if (text.startsWith(QLatin1String("End of map flow not found")))
        text += QStringLiteral(": a \"{\" is never closed with \"}\"");
    else if (text.startsWith(QLatin1String("Illegal EOF in scalar")))
        text += QStringLiteral(": a quoted string is never closed (a missing \" or ')");
    else if (text.startsWith(QLatin1String("Illegal tab")))
        text += QStringLiteral(": YAML indentation uses spaces only");
    return QStringLiteral("YAML syntax error: ") + text;
}

/// Converts one document's yaml-cpp tree into JSON, recording positions and problems.
class Converter
{
public:
    Converter(const QStringList &lines, int lineOffset, int documentIndex, QList<Problem> &problems,
              QHash<QString, SourcePosition> &positions)
        : m_lines(lines)
        , m_lineOffset(lineOffset)
        , m_document(documentIndex)
        , m_problems(problems)
        , m_positions(positions)
    {}

    SourcePosition position(const YAML::Mark &mark) const
    {
        if (mark.is_null() || mark.line < 0)
            return {m_lineOffset + 1, 1};
        return {m_lineOffset + mark.line + 1, charColumn(mark.line, mark.column) + 1};
    }

    // yaml-cpp counts columns in UTF-8 bytes; the editor counts UTF-16 characters.
    int charColumn(int line, int byteColumn) const
    {
        if (line < 0 || line >= m_lines.size() || byteColumn <= 0)
            return qMax(0, byteColumn);
        const QByteArray utf8 = m_lines.at(line).toUtf8();
        return int(QString::fromUtf8(utf8.left(byteColumn)).size());
    }

    void addProblem(const SourcePosition &at, Problem::Severity severity, const QString &message)
    {
        m_problems.append(Problem{at.line, at.column, severity, message, m_document});
    }

    QJsonValue convert(const YAML::Node &node, const QString &path, int depth = 0)
    {
        if (depth > maxDepth) {
            addProblem(position(node.Mark()), Problem::Severity::Error,
                       QStringLiteral("The document nests too deeply (a recursive alias?)"));
            return QJsonValue::Null;
        }
        switch (node.Type()) {
        case YAML::NodeType::Map:
            return convertMap(node, path, depth);
        case YAML::NodeType::Sequence: {
            QJsonArray array;
            int index = 0;
            for (const YAML::Node &item : node) {
                const QString itemPath = path + QStringLiteral("[%1]").arg(index++);
                m_positions.insert(itemPath, position(item.Mark()));
                array.append(convert(item, itemPath, depth + 1));
            }
            return array;
        }
        case YAML::NodeType::Scalar:
            checkQuotes(node);
            return scalar(node);
        case YAML::NodeType::Null:
        case YAML::NodeType::Undefined:
            return QJsonValue::Null;
        }
        return QJsonValue::Null;
    }

private:
    QJsonValue convertMap(const YAML::Node &node, const QString &path, int depth)
    {
        QJsonObject object;
        QHash<QString, int> firstLines;
        for (const auto &item : node) {
            const YAML::Node keyNode = item.first;
            const YAML::Node valueNode = item.second;
            const SourcePosition keyPosition = position(keyNode.Mark());
            QString key;
            if (keyNode.IsScalar()) {
                checkQuotes(keyNode);
                key = QString::fromStdString(keyNode.Scalar());
            } else if (keyNode.IsNull()) {
                key = QStringLiteral("null");
            } else {
                addProblem(keyPosition, Problem::Severity::Error,
                           QStringLiteral("A key must be a plain string, not a list or a map"));
                continue;
            }
            const QString keyPath = path.isEmpty() ? key : path + QLatin1Char('.') + key;
            if (const auto previous = firstLines.constFind(key); previous != firstLines.constEnd()) {
                addProblem(keyPosition, Problem::Severity::Error,
                           QStringLiteral("Duplicate key \"%1\" (first on line %2): the API server rejects it")
                               .arg(key)
                               .arg(previous.value()));
            } else {
                firstLines.insert(key, keyPosition.line);
                m_positions.insert(keyPath, keyPosition);
            }
            object.insert(key, convert(valueNode, keyPath, depth + 1));
        }
        return object;
    }

    // yaml-cpp 0.7 silently ends an unclosed quoted scalar at the end of the stream; a real server would not.
    void checkQuotes(const YAML::Node &node)
    {
        if (node.Tag() != "!")
            return;
        const YAML::Mark mark = node.Mark();
        if (mark.is_null() || mark.line < 0 || mark.line >= m_lines.size())
            return;
        const int column = charColumn(mark.line, mark.column);
        const QString &first = m_lines.at(mark.line);
        if (column >= first.size())
            return;
        const QChar quote = first.at(column);
        if (quote != QLatin1Char('"') && quote != QLatin1Char('\''))
            return;
        int line = mark.line;
        int i = column + 1;
        while (line < m_lines.size()) {
            const QString &text = m_lines.at(line);
            while (i < text.size()) {
                const QChar c = text.at(i);
                if (quote == QLatin1Char('"') && c == QLatin1Char('\\')) {
                    i += 2;
                    continue;
                }
                if (c == quote) {
                    if (quote == QLatin1Char('\'') && i + 1 < text.size() && text.at(i + 1) == quote) {
                        i += 2; // '' is an escaped quote
                        continue;
                    }
                    return;
                }
                ++i;
            }
            ++line;
            i = 0;
        }
        addProblem(position(mark), Problem::Severity::Error,
                   QStringLiteral("Unclosed quote: the string that starts here with %1 never ends").arg(quote));
    }

    static QJsonValue scalar(const YAML::Node &node)
    {
        const QString text = QString::fromStdString(node.Scalar());
        const std::string &tag = node.Tag();
        if (tag == "!" || tag == "tag:yaml.org,2002:str" || tag == "tag:yaml.org,2002:binary")
            return text;
        if (tag == "?")
            return resolvePlain(text);
        if (tag == "tag:yaml.org,2002:int" || tag == "tag:yaml.org,2002:float" || tag == "tag:yaml.org,2002:bool" ||
            tag == "tag:yaml.org,2002:null") {
            const QJsonValue value = resolvePlain(text);
            return value.isString() ? QJsonValue(text) : value;
        }
        return text; // local tags (!Ref and friends) mean nothing to Kubernetes
    }

    // YAML 1.2 core schema, as sigs.k8s.io/yaml reads unquoted scalars (minus 1.1's yes/no/on/off).
    static QJsonValue resolvePlain(const QString &text)
    {
        static const QRegularExpression decimal(QStringLiteral("^[-+]?[0-9]+$"));
        static const QRegularExpression octal(QStringLiteral("^0o[0-7]+$"));
        static const QRegularExpression hex(QStringLiteral("^0x[0-9a-fA-F]+$"));
        static const QRegularExpression floating(
            QStringLiteral("^[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?$"));
        if (text.isEmpty() || text == QLatin1String("~") || text == QLatin1String("null") ||
            text == QLatin1String("Null") || text == QLatin1String("NULL"))
            return QJsonValue::Null;
        if (text == QLatin1String("true") || text == QLatin1String("True") || text == QLatin1String("TRUE"))
            return true;
        if (text == QLatin1String("false") || text == QLatin1String("False") || text == QLatin1String("FALSE"))
            return false;
        bool ok = false;
        if (decimal.match(text).hasMatch()) {
            const qlonglong value = text.toLongLong(&ok);
            if (ok)
                return QJsonValue(qint64(value));
            return text.toDouble();
        }
        if (octal.match(text).hasMatch()) {
            const qlonglong value = text.mid(2).toLongLong(&ok, 8);
            if (ok)
                return QJsonValue(qint64(value));
        }
        if (hex.match(text).hasMatch()) {
            const qlonglong value = text.mid(2).toLongLong(&ok, 16);
            if (ok)
                return QJsonValue(qint64(value));
        }
        if (floating.match(text).hasMatch()) {
            const double value = text.toDouble(&ok);
            if (ok)
                return value;
        }
        return text;
    }

    const QStringList &m_lines;
    int m_lineOffset;
    int m_document;
    QList<Problem> &m_problems;
    QHash<QString, SourcePosition> &m_positions;
};

struct Chunk
{
    int firstLine = 0; // 0-based
    QStringList lines;
};

QList<Chunk> splitDocuments(const QStringList &lines)
{
    QList<Chunk> chunks;
    Chunk current;
    for (int i = 0; i < lines.size(); ++i) {
        const QString &line = lines.at(i);
        if (isDocumentStart(line)) {
            if (!current.lines.isEmpty())
                chunks.append(current);
            current = Chunk{i, {line}};
            continue;
        }
        if (isDocumentEnd(line)) {
            current.lines.append(QString()); // keep line numbers; "..." itself belongs to no document
            chunks.append(current);
            current = Chunk{i + 1, {}};
            continue;
        }
        if (current.lines.isEmpty())
            current.firstLine = i;
        current.lines.append(line);
    }
    if (!current.lines.isEmpty())
        chunks.append(current);
    return chunks;
}

bool chunkIsEmpty(const Chunk &chunk)
{
    for (const QString &line : chunk.lines) {
        if (isDocumentStart(line)) {
            if (!isBlankOrComment(line.mid(3)))
                return false;
            continue;
        }
        if (!isBlankOrComment(line))
            return false;
    }
    return true;
}

// For a document that does not parse: the top-level kind/apiVersion and metadata.name, read line by line,
// so the results list can still name it.
void guessIdentity(ManifestDocument &document, const QStringList &lines)
{
    static const QRegularExpression topLevel(QStringLiteral("^(apiVersion|kind):\\s*[\"']?([^\"'#\\s]+)"));
    static const QRegularExpression nameLine(QStringLiteral("^\\s+name:\\s*[\"']?([^\"'#\\s]+)"));
    bool inMetadata = false;
    for (const QString &line : lines) {
        if (const auto match = topLevel.match(line); match.hasMatch()) {
            (match.captured(1) == QLatin1String("kind") ? document.kind : document.apiVersion) = match.captured(2);
        }
        if (line.startsWith(QLatin1String("metadata:"))) {
            inMetadata = true;
            continue;
        }
        if (!line.isEmpty() && !line.at(0).isSpace())
            inMetadata = false;
        if (inMetadata && document.name.isEmpty()) {
            if (const auto match = nameLine.match(line); match.hasMatch())
                document.name = match.captured(1);
        }
    }
}

} // namespace

QString ManifestDocument::displayName() const
{
    const QString kindText = kind.isEmpty() ? QStringLiteral("(no kind)") : kind;
    return kindText + QLatin1Char(' ') + (name.isEmpty() ? QStringLiteral("(no name)") : name);
}

QString ManifestDocument::canonicalPath(const QString &fieldPath) const
{
    QString path = fieldPath.trimmed();
    QString out;
    QJsonValue current = object;
    qsizetype i = 0;
    while (i < path.size()) {
        const QChar c = path.at(i);
        if (c == QLatin1Char('.')) {
            ++i;
            continue;
        }
        if (c == QLatin1Char('[')) {
            const qsizetype close = path.indexOf(QLatin1Char(']'), i);
            if (close < 0)
                break;
            const QString inner = path.mid(i + 1, close - i - 1);
            const QJsonArray array = current.toArray();
            bool isIndex = false;
            int index = inner.toInt(&isIndex);
            if (!isIndex) {
                // [name="nginx"] selects the item whose key has that value (SSA conflict field paths).
                const qsizetype equals = inner.indexOf(QLatin1Char('='));
                if (equals < 0)
                    break;
                const QString key = inner.left(equals).trimmed();
                QString wanted = inner.mid(equals + 1).trimmed();
                if (wanted.size() >= 2 && (wanted.startsWith(QLatin1Char('"')) || wanted.startsWith(QLatin1Char('\''))))
                    wanted = wanted.mid(1, wanted.size() - 2);
                index = -1;
                for (int k = 0; k < array.size(); ++k) {
                    const QJsonValue value = array.at(k).toObject().value(key);
                    const QString text = value.isDouble() ? QString::number(value.toDouble()) : value.toString();
                    if (text == wanted) {
                        index = k;
                        break;
                    }
                }
                if (index < 0)
                    break;
            }
            out += QStringLiteral("[%1]").arg(index);
            current = array.at(index);
            i = close + 1;
            continue;
        }
        qsizetype end = i;
        while (end < path.size() && path.at(end) != QLatin1Char('.') && path.at(end) != QLatin1Char('['))
            ++end;
        QString key = path.mid(i, end - i);
        // Keys may contain dots (app.kubernetes.io/name): take the shortest run of segments that exists.
        const QJsonObject currentObject = current.toObject();
        if (!currentObject.contains(key)) {
            qsizetype probe = end;
            while (probe < path.size() && path.at(probe) == QLatin1Char('.')) {
                qsizetype next = probe + 1;
                while (next < path.size() && path.at(next) != QLatin1Char('.') && path.at(next) != QLatin1Char('['))
                    ++next;
                const QString longer = path.mid(i, next - i);
                if (currentObject.contains(longer)) {
                    key = longer;
                    end = next;
                    break;
                }
                probe = next;
            }
        }
        out += (out.isEmpty() ? QString() : QStringLiteral(".")) + key;
        current = currentObject.value(key);
        i = end;
    }
    return out;
}

SourcePosition ManifestDocument::locate(const QString &fieldPath) const
{
    QString path = canonicalPath(fieldPath);
    while (!path.isEmpty()) {
        if (const auto it = positions.constFind(path); it != positions.constEnd())
            return it.value();
        const qsizetype cut = qMax(path.lastIndexOf(QLatin1Char('.')), path.lastIndexOf(QLatin1Char('[')));
        if (cut <= 0)
            break;
        path.truncate(cut);
    }
    return start;
}

bool ParsedManifest::hasErrors() const
{
    return std::any_of(problems.cbegin(), problems.cend(),
                       [](const Problem &p) { return p.severity == Problem::Severity::Error; });
}

ParsedManifest parseManifest(const QString &text)
{
    ParsedManifest result;
    QString normalized = text;
    normalized.replace(QStringLiteral("\r\n"), QStringLiteral("\n"));
    const QStringList lines = normalized.split(QLatin1Char('\n'));

    for (const Chunk &chunk : splitDocuments(lines)) {
        if (chunkIsEmpty(chunk))
            continue;
        ManifestDocument document;
        document.index = int(result.documents.size());
        document.firstLine = chunk.firstLine + 1;
        document.lastLine = chunk.firstLine + int(chunk.lines.size());
        document.text = chunk.lines.join(QLatin1Char('\n'));
        for (int i = 0; i < chunk.lines.size(); ++i) {
            const QString &line = chunk.lines.at(i);
            if (!isBlankOrComment(line) && !(isDocumentStart(line) && isBlankOrComment(line.mid(3)))) {
                document.start = {chunk.firstLine + i + 1, 1};
                break;
            }
        }

        QList<Problem> problems;
        QSet<int> tabLines;
        // Tabs in indentation become two spaces for parsing, so one tab does not hide every other problem of the
        // document; the tab itself stays an error and blocks apply.
        QStringList parseLines = chunk.lines;
        for (int i = 0; i < chunk.lines.size(); ++i) {
            QString &line = parseLines[i];
            int c = 0;
            bool reported = false;
            while (c < line.size() && line.at(c).isSpace()) {
                if (line.at(c) == QLatin1Char('\t')) {
                    if (!reported) {
                        problems.append(Problem{chunk.firstLine + i + 1, c + 1, Problem::Severity::Error,
                                                QStringLiteral("Tab character in indentation: YAML allows only spaces"),
                                                document.index});
                        tabLines.insert(chunk.firstLine + i + 1);
                        reported = true;
                    }
                    line.replace(c, 1, QStringLiteral("  "));
                }
                ++c;
            }
        }
        Converter converter(parseLines, chunk.firstLine, document.index, problems, document.positions);

        try {
            const YAML::Node root =
                // The final newline matters: a block scalar (|) ending the document keeps its last line break.
                YAML::Load(
                    ((tabLines.isEmpty() ? document.text : parseLines.join(QLatin1Char('\n'))) + QLatin1Char('\n'))
                        .toStdString());
            const QJsonValue value = converter.convert(root, QString());
            if (value.isObject()) {
                document.object = value.toObject();
                document.parsed = true;
            } else if (!root.IsNull()) {
                problems.append(Problem{document.start.line, 1, Problem::Severity::Error,
                                        QStringLiteral("This document is not a mapping: a Kubernetes object starts "
                                                       "with apiVersion:, kind: and metadata:"),
                                        document.index});
            }
        } catch (const YAML::Exception &error) {
            SourcePosition at = converter.position(error.mark);
            if (at.line > document.lastLine) // "end of stream" errors point past the newline we appended
                at = {document.lastLine, int(chunk.lines.constLast().size()) + 1};
            // A tab already explains an error on its own line.
            if (!tabLines.contains(at.line))
                problems.append(
                    Problem{at.line, at.column, Problem::Severity::Error, explainYamlError(error.msg), document.index});
        }

        if (document.parsed) {
            const QJsonObject metadata = document.object.value(QStringLiteral("metadata")).toObject();
            document.apiVersion = document.object.value(QStringLiteral("apiVersion")).toString();
            document.kind = document.object.value(QStringLiteral("kind")).toString();
            document.name = metadata.value(QStringLiteral("name")).toString();
            document.nameSpace = metadata.value(QStringLiteral("namespace")).toString();
        } else {
            guessIdentity(document, chunk.lines);
        }
        std::sort(problems.begin(), problems.end(), [](const Problem &a, const Problem &b) {
            return a.line != b.line ? a.line < b.line : a.column < b.column;
        });
        result.problems += problems;
        result.documents.append(document);
    }
    return result;
}

} // namespace orchestra::manifests
