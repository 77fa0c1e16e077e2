#include "resources/labelselector.h"

namespace orchestra::resources {

namespace {

// Splits on commas that are not inside a parenthesised value set.
QStringList splitTopLevel(const QString &text)
{
    QStringList parts;
    int depth = 0;
    QString current;
    for (const QChar c : text) {
        if (c == QLatin1Char('('))
            ++depth;
        else if (c == QLatin1Char(')'))
            --depth;
        if (c == QLatin1Char(',') && depth == 0) {
            parts.append(current);
            current.clear();
        } else {
            current.append(c);
        }
    }
    parts.append(current);
    return parts;
}

bool validKey(const QString &key)
{
    if (key.isEmpty())
        return false;
    for (const QChar c : key) {
        if (!(c.isLetterOrNumber() || c == QLatin1Char('-') || c == QLatin1Char('_') || c == QLatin1Char('.') ||
              c == QLatin1Char('/')))
            return false;
    }
    return true;
}

} // namespace

Result<LabelSelector> LabelSelector::parse(const QString &text)
{
    LabelSelector selector;
    if (text.trimmed().isEmpty())
        return selector;
    const auto invalid = [&](const QString &part) {
        return Error{QStringLiteral("The label selector part \"%1\" is not valid.").arg(part.trimmed()),
                     QStringLiteral("Use key=value, key!=value, key in (a,b), key notin (a,b), key or !key."), text, 0};
    };
    for (const QString &rawPart : splitTopLevel(text)) {
        const QString part = rawPart.trimmed();
        if (part.isEmpty())
            return invalid(rawPart);
        Requirement requirement;
        if (part.startsWith(QLatin1Char('!'))) {
            requirement.key = part.mid(1).trimmed();
            requirement.op = Op::DoesNotExist;
        } else if (const qsizetype ne = part.indexOf(QLatin1String("!=")); ne > 0) {
            requirement.key = part.left(ne).trimmed();
            requirement.op = Op::NotEquals;
            requirement.values = {part.mid(ne + 2).trimmed()};
        } else if (const qsizetype eq = part.indexOf(QLatin1Char('=')); eq > 0) {
            requirement.key = part.left(eq).trimmed();
            requirement.op = Op::Equals;
            QString value = part.mid(eq + 1);
            if (value.startsWith(QLatin1Char('=')))
                value.remove(0, 1);
            requirement.values = {value.trimmed()};
        } else if (const qsizetype open = part.indexOf(QLatin1Char('(')); open > 0) {
            if (!part.endsWith(QLatin1Char(')')))
                return invalid(part);
            const QStringList words = part.left(open).simplified().split(QLatin1Char(' '));
            if (words.size() != 2)
                return invalid(part);
            requirement.key = words.at(0);
            if (words.at(1) == QLatin1String("in"))
                requirement.op = Op::In;
            else if (words.at(1) == QLatin1String("notin"))
                requirement.op = Op::NotIn;
            else
                return invalid(part);
            const QString inner = part.mid(open + 1, part.size() - open - 2);
            for (const QString &value : inner.split(QLatin1Char(',')))
                requirement.values.append(value.trimmed());
        } else {
            requirement.key = part;
            requirement.op = Op::Exists;
        }
        if (!validKey(requirement.key))
            return invalid(part);
        selector.m_requirements.append(requirement);
    }
    return selector;
}

bool LabelSelector::matches(const QVariantMap &labels) const
{
    for (const Requirement &r : m_requirements) {
        const auto it = labels.constFind(r.key);
        const bool has = it != labels.constEnd();
        const QString value = has ? it->toString() : QString();
        switch (r.op) {
        case Op::Equals:
            if (!has || value != r.values.first())
                return false;
            break;
        case Op::NotEquals:
            if (has && value == r.values.first())
                return false;
            break;
        case Op::In:
            if (!has || !r.values.contains(value))
                return false;
            break;
        case Op::NotIn:
            if (has && r.values.contains(value))
                return false;
            break;
        case Op::Exists:
            if (!has)
                return false;
            break;
        case Op::DoesNotExist:
            if (has)
                return false;
            break;
        }
    }
    return true;
}

} // namespace orchestra::resources
