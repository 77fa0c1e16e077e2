#pragma once

#include <QString>

namespace orchestra::kubeconfig {

/// The app's own choice of context and namespace, kept in QSettings so switching never rewrites the user's
/// kubeconfig (kubectl's current-context stays untouched).
class ContextChoice final
{
public:
    /// The context to use: `commandLine` if given, else the remembered one if it still exists in
    /// `available`, else `currentContext`.
    static QString resolve(const QString &commandLine, const QString &currentContext, const QStringList &available);
    static QString rememberedContext();
    static void rememberContext(const QString &contextName);
    /// Namespace remembered per context; empty when none.
    static QString rememberedNamespace(const QString &contextName);
    static void rememberNamespace(const QString &contextName, const QString &nameSpace);
};

} // namespace orchestra::kubeconfig
