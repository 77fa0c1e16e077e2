#include "kubeconfig/contextchoice.h"

#include <QSettings>
#include <QStringList>

namespace orchestra::kubeconfig {

namespace {

QString namespaceKey(const QString &contextName)
{
    // Context names contain '/' and ':' (EKS ARNs), which QSettings would treat as groups.
    return QStringLiteral("kubeconfig/namespaces/") +
           QString::fromLatin1(contextName.toUtf8().toBase64(QByteArray::Base64UrlEncoding));
}

} // namespace

QString ContextChoice::resolve(const QString &commandLine, const QString &currentContext, const QStringList &available)
{
    if (!commandLine.isEmpty())
        return commandLine;
    const QString remembered = rememberedContext();
    if (!remembered.isEmpty() && available.contains(remembered))
        return remembered;
    return currentContext;
}

QString ContextChoice::rememberedContext()
{
    return QSettings().value(QStringLiteral("kubeconfig/context")).toString();
}

void ContextChoice::rememberContext(const QString &contextName)
{
    QSettings().setValue(QStringLiteral("kubeconfig/context"), contextName);
}

QString ContextChoice::rememberedNamespace(const QString &contextName)
{
    return QSettings().value(namespaceKey(contextName)).toString();
}

void ContextChoice::rememberNamespace(const QString &contextName, const QString &nameSpace)
{
    QSettings().setValue(namespaceKey(contextName), nameSpace);
}

} // namespace orchestra::kubeconfig
