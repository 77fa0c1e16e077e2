#include "kube/resourcekind.h"

#include <QUrl>

namespace orchestra::kube {

QString ResourceKind::path(const QString &ns, const QString &name, const QString &subresource) const
{
    QString result = group.isEmpty() ? QStringLiteral("/api/") + version
                                     : QStringLiteral("/apis/") + group + QLatin1Char('/') + version;
    if (namespaced && !ns.isEmpty())
        result += QStringLiteral("/namespaces/") + QString::fromUtf8(QUrl::toPercentEncoding(ns));
    result += QLatin1Char('/') + plural;
    if (!name.isEmpty())
        result += QLatin1Char('/') + QString::fromUtf8(QUrl::toPercentEncoding(name));
    if (!subresource.isEmpty())
        result += QLatin1Char('/') + subresource;
    return result;
}

} // namespace orchestra::kube
