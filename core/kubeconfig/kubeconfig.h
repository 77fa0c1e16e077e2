#pragma once

#include "common/result.h"
#include "kubeconfig/restconfig.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QPair>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <optional>

namespace orchestra::kubeconfig {

/// A named `extensions[]` entry, kept as JSON so labels (minikube, Rancher) and exec cluster info can read it.
struct NamedExtension final
{
    QString name;
    QJsonValue extension;
};

/// One `clusters[]` stanza; paths are absolute (resolved against `sourceFile`'s directory).
struct Cluster final
{
    QString name;
    QString sourceFile;
    QString server;
    QString certificateAuthority;        ///< absolute path, empty when unset
    QByteArray certificateAuthorityData; ///< decoded PEM (not base64), empty when unset
    bool insecureSkipTlsVerify = false;
    QString tlsServerName;
    QString proxyUrl;
    bool disableCompression = false;
    QList<NamedExtension> extensions;
};

/// `users[].user.exec`: an exec credential plugin.
struct ExecConfig final
{
    QString apiVersion; ///< client.authentication.k8s.io/v1 or v1beta1
    QString command;    ///< absolute when the kubeconfig gave a relative path with a separator
    QStringList args;
    QList<QPair<QString, QString>> env;
    QString installHint;
    bool provideClusterInfo = false;
    QString interactiveMode; ///< Never / IfAvailable / Always; empty = IfAvailable (v1beta1 default)
};

/// One `users[]` stanza (kubectl calls it AuthInfo).
struct AuthInfo final
{
    QString name;
    QString sourceFile;
    QString clientCertificate; ///< absolute path
    QByteArray clientCertificateData;
    QString clientKey; ///< absolute path
    QByteArray clientKeyData;
    QString token;
    QString tokenFile; ///< absolute path
    QString impersonate;
    QString impersonateUid;
    QStringList impersonateGroups;
    QMap<QString, QStringList> impersonateUserExtra;
    QString username;
    QString password;
    QString authProviderName; ///< legacy auth-provider: unsupported, only named in the error
    QMap<QString, QString> authProviderConfig;
    std::optional<ExecConfig> exec;
    QList<NamedExtension> extensions;
};

/// One `contexts[]` stanza.
struct Context final
{
    QString name;
    QString sourceFile;
    QString cluster;
    QString user;
    QString nameSpace; ///< as written; empty means "default"
    QList<NamedExtension> extensions;
};

/// Where to load from; mirrors kubectl's loading rules.
struct LoadOptions final
{
    QString explicitFile;                 ///< --kubeconfig: load this file alone (must exist)
    std::optional<QString> kubeconfigEnv; ///< KUBECONFIG; nullopt = read the process environment
    QString homeDirectory;                ///< empty = kubeHomeDirectory() of the process environment
    QStringList extraFiles;               ///< File > Open kubeconfig…: appended after the others
};

/// The merged kubeconfig, an immutable value: first file defining a name wins whole.
class Kubeconfig final
{
public:
    /// Loads as kubectl does: explicit file, else KUBECONFIG, else ~/.kube/config. No config at all is an empty
    /// Kubeconfig (isEmpty()), not an error; an unparsable file is an error naming file:line:col.
    static Result<Kubeconfig> load(const LoadOptions &options = {});
    /// Parses one file's text (no merge); `fileName` is used for messages and relative paths.
    static Result<Kubeconfig> parse(const QByteArray &yaml, const QString &fileName);
    /// The files `load` would read, in order (existing or not), without reading them.
    static QStringList candidateFiles(const LoadOptions &options = {});

    QList<Context> contexts; ///< sorted by name, as kubectl prints them
    QList<Cluster> clusters; ///< sorted by name
    QList<AuthInfo> users;   ///< sorted by name
    QString currentContext;  ///< from the first file that sets it
    QStringList files;       ///< the files actually read, in merge order
    QStringList warnings;    ///< non-fatal problems (skipped entries, unknown fields worth noting)

    bool isEmpty() const { return contexts.isEmpty() && clusters.isEmpty() && users.isEmpty(); }
    const Context *context(const QString &name) const;
    const Cluster *cluster(const QString &name) const;
    const AuthInfo *user(const QString &name) const;
    QStringList contextNames() const;

    /// The merged config in `kubectl config view --raw -o json` form (for tests and debugging; contains secrets).
    QJsonObject toKubectlJson() const;
};

/// The home directory kubectl uses for ~/.kube/config. Unix: $HOME. Windows (client-go's homedir): the first of
/// %HOME%, %HOMEDRIVE%%HOMEPATH%, %USERPROFILE% that holds .kube\config, else the first that exists, else the first
/// set.
QString kubeHomeDirectory(const QProcessEnvironment &environment, bool windows);

/// Resolves a context (empty = current-context) into everything needed to connect. Errors name the context and
/// say what is wrong (missing cluster/user, CA + insecure, unreadable cert, unsupported auth-provider, ...).
Result<RestConfig> restConfig(const Kubeconfig &config, const QString &contextName = {});

/// The exec plugin timeout used by restConfig (default 30 s); tests and settings may change it.
void setExecTimeoutMs(int milliseconds);
int execTimeoutMs();

} // namespace orchestra::kubeconfig
