#include "manifests/diff.h"

#include <QJsonArray>
#include <QRegularExpression>

#include <vector>

namespace orchestra::manifests {

namespace {

const QLatin1String lastAppliedAnnotation("kubectl.kubernetes.io/last-applied-configuration");

QString yamlScalar(const QString &text)
{
    static const QRegularExpression plainSafe(QStringLiteral("^[A-Za-z_/][A-Za-z0-9_./:@-]*$"));
    static const QRegularExpression reserved(
        QStringLiteral("^(true|false|yes|no|on|off|y|n|null|~|True|False|TRUE|FALSE|Null|NULL|Yes|No|On|Off)$"));
    if (plainSafe.match(text).hasMatch() && !reserved.match(text).hasMatch() && !text.endsWith(QLatin1Char(':')))
        return text;
    QString escaped = text;
    escaped.replace(QLatin1Char('\\'), QStringLiteral("\\\\"));
    escaped.replace(QLatin1Char('"'), QStringLiteral("\\\""));
    escaped.replace(QLatin1Char('\n'), QStringLiteral("\\n"));
    escaped.replace(QLatin1Char('\t'), QStringLiteral("\\t"));
    return QLatin1Char('"') + escaped + QLatin1Char('"');
}

QString yamlKey(const QString &key)
{
    return yamlScalar(key);
}

QString scalarText(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Double: {
        const double number = value.toDouble();
        if (number == double(qint64(number)) && qAbs(number) < 1e15)
            return QString::number(qint64(number));
        return QString::number(number, 'g', 17);
    }
    case QJsonValue::String:
        return yamlScalar(value.toString());
    default:
        return {};
    }
}

QStringList orderedKeys(const QJsonObject &object, bool topLevel)
{
    QStringList keys = object.keys(); // sorted
    if (topLevel) {
        QStringList first;
        for (const char *key : {"apiVersion", "kind", "metadata"}) {
            if (keys.removeOne(QLatin1String(key)))
                first.append(QLatin1String(key));
        }
        keys = first + keys;
    }
    return keys;
}

void emitValue(QStringList &out, const QString &indent, const QString &prefix, const QJsonValue &value);

void emitObject(QStringList &out, const QString &indent, const QJsonObject &object, bool topLevel,
                QString firstPrefix = {})
{
    // firstPrefix carries "- " for a map that is a sequence item: its first key shares the dash's line.
    const QStringList keys = orderedKeys(object, topLevel);
    for (int i = 0; i < keys.size(); ++i) {
        const QString lead = i == 0 && !firstPrefix.isEmpty() ? firstPrefix : indent;
        emitValue(out, indent, lead + yamlKey(keys.at(i)) + QLatin1Char(':'), object.value(keys.at(i)));
    }
}

void emitValue(QStringList &out, const QString &indent, const QString &prefix, const QJsonValue &value)
{
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        if (object.isEmpty()) {
            out.append(prefix + QStringLiteral(" {}"));
            return;
        }
        out.append(prefix);
        emitObject(out, indent + QStringLiteral("  "), object, false);
        return;
    }
    if (value.isArray()) {
        const QJsonArray array = value.toArray();
        if (array.isEmpty()) {
            out.append(prefix + QStringLiteral(" []"));
            return;
        }
        out.append(prefix);
        for (const QJsonValue &item : array) {
            if (item.isObject() && !item.toObject().isEmpty()) {
                emitObject(out, indent + QStringLiteral("  "), item.toObject(), false, indent + QStringLiteral("- "));
            } else if (item.isArray() && !item.toArray().isEmpty()) {
                emitValue(out, indent + QStringLiteral("  "), indent + QStringLiteral("-"), item);
            } else {
                emitValue(out, indent + QStringLiteral("  "), indent + QStringLiteral("-"), item);
            }
        }
        return;
    }
    if (value.isString() && value.toString().contains(QLatin1Char('\n'))) {
        QString text = value.toString();
        const bool trailingNewline = text.endsWith(QLatin1Char('\n'));
        if (trailingNewline)
            text.chop(1);
        out.append(prefix + (trailingNewline ? QStringLiteral(" |") : QStringLiteral(" |-")));
        for (const QString &line : text.split(QLatin1Char('\n')))
            out.append(line.isEmpty() ? QString() : indent + QStringLiteral("  ") + line);
        return;
    }
    out.append(prefix + QLatin1Char(' ') + scalarText(value));
}

} // namespace

QJsonObject stripNoise(const QJsonObject &object, bool keepStatus)
{
    QJsonObject result = object;
    QJsonObject metadata = result.value(QStringLiteral("metadata")).toObject();
    for (const char *key : {"managedFields", "resourceVersion", "generation", "uid", "creationTimestamp", "selfLink"})
        metadata.remove(QLatin1String(key));
    QJsonObject annotations = metadata.value(QStringLiteral("annotations")).toObject();
    if (annotations.contains(lastAppliedAnnotation)) {
        annotations.remove(lastAppliedAnnotation);
        if (annotations.isEmpty())
            metadata.remove(QStringLiteral("annotations"));
        else
            metadata.insert(QStringLiteral("annotations"), annotations);
    }
    if (result.contains(QStringLiteral("metadata")))
        result.insert(QStringLiteral("metadata"), metadata);
    if (!keepStatus)
        result.remove(QStringLiteral("status"));
    return result;
}

QJsonObject editableObject(const QJsonObject &liveObject)
{
    QJsonObject result = stripNoise(liveObject, false);
    QJsonObject metadata = result.value(QStringLiteral("metadata")).toObject();
    for (const char *key : {"deletionTimestamp", "deletionGracePeriodSeconds", "ownerReferences"})
        metadata.remove(QLatin1String(key));
    if (!metadata.isEmpty())
        result.insert(QStringLiteral("metadata"), metadata);
    return result;
}

QString toYaml(const QJsonObject &object)
{
    QStringList out;
    emitObject(out, QString(), object, true);
    return out.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

QList<DiffLine> diffLines(const QStringList &before, const QStringList &after)
{
    const int n = int(before.size());
    const int m = int(after.size());
    const int max = n + m;
    // Myers: v[k] = furthest x on diagonal k; keep every round's v to walk the path back.
    std::vector<std::vector<int>> trace;
    std::vector<int> v(size_t(2 * max + 3), 0);
    const int offset = max + 1;
    int finalD = 0;
    bool done = false;
    for (int d = 0; d <= max && !done; ++d) {
        for (int k = -d; k <= d; k += 2) {
            int x;
            if (k == -d || (k != d && v[size_t(offset + k - 1)] < v[size_t(offset + k + 1)]))
                x = v[size_t(offset + k + 1)];
            else
                x = v[size_t(offset + k - 1)] + 1;
            int y = x - k;
            while (x < n && y < m && before.at(x) == after.at(y)) {
                ++x;
                ++y;
            }
            v[size_t(offset + k)] = x;
            if (x >= n && y >= m) {
                finalD = d;
                done = true;
                break;
            }
        }
        trace.push_back(v);
    }

    QList<DiffLine> reversed;
    int x = n;
    int y = m;
    for (int d = finalD; d >= 0; --d) {
        const std::vector<int> &vd = d > 0 ? trace[size_t(d - 1)] : trace[0];
        const int k = x - y;
        int prevK;
        if (d == 0)
            prevK = 0;
        else if (k == -d || (k != d && vd[size_t(offset + k - 1)] < vd[size_t(offset + k + 1)]))
            prevK = k + 1;
        else
            prevK = k - 1;
        const int prevX = d == 0 ? 0 : vd[size_t(offset + prevK)];
        const int prevY = prevX - prevK;
        while (x > prevX && y > prevY) {
            --x;
            --y;
            reversed.append(DiffLine{DiffLine::Kind::Same, before.at(x), x + 1, y + 1});
        }
        if (d == 0)
            break;
        if (x == prevX) {
            --y;
            reversed.append(DiffLine{DiffLine::Kind::Added, after.at(y), 0, y + 1});
        } else {
            --x;
            reversed.append(DiffLine{DiffLine::Kind::Removed, before.at(x), x + 1, 0});
        }
    }
    std::reverse(reversed.begin(), reversed.end());
    return reversed;
}

bool hasChanges(const QList<DiffLine> &diff)
{
    return std::any_of(diff.cbegin(), diff.cend(), [](const DiffLine &l) { return l.kind != DiffLine::Kind::Same; });
}

QString unifiedDiff(const QList<DiffLine> &diff, const QString &beforeLabel, const QString &afterLabel, int context)
{
    QStringList out{QStringLiteral("--- ") + beforeLabel, QStringLiteral("+++ ") + afterLabel};
    const int size = int(diff.size());
    int i = 0;
    while (i < size) {
        while (i < size && diff.at(i).kind == DiffLine::Kind::Same)
            ++i;
        if (i >= size)
            break;
        int start = qMax(0, i - context);
        int end = i;
        // Extend the hunk while the next change is within 2*context same lines.
        while (end < size) {
            if (diff.at(end).kind != DiffLine::Kind::Same) {
                ++end;
                continue;
            }
            int run = end;
            while (run < size && diff.at(run).kind == DiffLine::Kind::Same)
                ++run;
            if (run >= size || run - end > 2 * context) {
                end = qMin(size, end + context);
                break;
            }
            end = run;
        }
        int oldStart = 0, newStart = 0, oldCount = 0, newCount = 0;
        int oldCursor = 0, newCursor = 0;
        for (int j = 0; j < start; ++j) {
            if (diff.at(j).kind != DiffLine::Kind::Added)
                ++oldCursor;
            if (diff.at(j).kind != DiffLine::Kind::Removed)
                ++newCursor;
        }
        QStringList body;
        for (int j = start; j < end; ++j) {
            const DiffLine &line = diff.at(j);
            switch (line.kind) {
            case DiffLine::Kind::Same:
                body.append(QLatin1Char(' ') + line.text);
                ++oldCount;
                ++newCount;
                break;
            case DiffLine::Kind::Removed:
                body.append(QLatin1Char('-') + line.text);
                ++oldCount;
                break;
            case DiffLine::Kind::Added:
                body.append(QLatin1Char('+') + line.text);
                ++newCount;
                break;
            }
        }
        oldStart = oldCount ? oldCursor + 1 : oldCursor;
        newStart = newCount ? newCursor + 1 : newCursor;
        out.append(QStringLiteral("@@ -%1,%2 +%3,%4 @@").arg(oldStart).arg(oldCount).arg(newStart).arg(newCount));
        out += body;
        i = end;
    }
    return out.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

QList<SideBySideRow> sideBySide(const QList<DiffLine> &diff)
{
    QList<SideBySideRow> rows;
    int i = 0;
    const int size = int(diff.size());
    while (i < size) {
        const DiffLine &line = diff.at(i);
        if (line.kind == DiffLine::Kind::Same) {
            rows.append({SideBySideRow::Kind::Same, line.oldLine, line.text, line.newLine, line.text});
            ++i;
            continue;
        }
        QList<DiffLine> removed, added;
        while (i < size && diff.at(i).kind != DiffLine::Kind::Same) {
            (diff.at(i).kind == DiffLine::Kind::Removed ? removed : added).append(diff.at(i));
            ++i;
        }
        const qsizetype count = qMax(removed.size(), added.size());
        for (qsizetype r = 0; r < count; ++r) {
            SideBySideRow row;
            if (r < removed.size()) {
                row.leftLine = removed.at(r).oldLine;
                row.left = removed.at(r).text;
            }
            if (r < added.size()) {
                row.rightLine = added.at(r).newLine;
                row.right = added.at(r).text;
            }
            row.kind = r < removed.size() && r < added.size() ? SideBySideRow::Kind::Changed
                       : r < removed.size()                   ? SideBySideRow::Kind::Removed
                                                              : SideBySideRow::Kind::Added;
            rows.append(row);
        }
    }
    return rows;
}

} // namespace orchestra::manifests
