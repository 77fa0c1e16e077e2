#pragma once

#include "common/result.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <QVariantMap>

namespace orchestra::resources {

/// A parsed Kubernetes label selector (`app=web,tier!=db,env in (a,b),env notin (c),key,!key`).
class LabelSelector final
{
public:
    /// Parses `text`; an empty text selects everything.
    static Result<LabelSelector> parse(const QString &text);

    bool isEmpty() const { return m_requirements.isEmpty(); }
    /// True when every requirement holds for `labels` (key -> string value).
    bool matches(const QVariantMap &labels) const;

private:
    enum class Op { Equals, NotEquals, In, NotIn, Exists, DoesNotExist };
    struct Requirement
    {
        QString key;
        Op op;
        QStringList values;
    };
    QList<Requirement> m_requirements;
};

} // namespace orchestra::resources
