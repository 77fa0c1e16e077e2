#include "kubeconfig/kubeconfig.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QRegularExpression>
#include <QSet>

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <string>

namespace orchestra::kubeconfig {

namespace {

QString str(const std::string &s)
{
    return QString::fromStdString(s);
}

QString location(const QString &file, const YAML::Mark &mark)
{
    if (mark.is_null())
        return file;
    return QStringLiteral("%1:%2:%3").arg(file).arg(mark.line + 1).arg(mark.column + 1);
}

/// Thrown inside the parser only; turned into an Error at the boundary.
struct ParseFailure
{
    Error error;
};

[[noreturn]] void fail(const QString &file, const YAML::Node &node, const QString &message)
{
    throw ParseFailure{Error{message, QStringLiteral("Fix the kubeconfig file or remove it from KUBECONFIG."),
                             location(file, node.Mark()), 0}};
}

/// Plain YAML scalars follow YAML 1.1 typing, as sigs.k8s.io/yaml (kubectl) does.
QJsonValue scalarToJson(const YAML::Node &node)
{
    const QString value = str(node.Scalar());
    if (node.Tag() != "?")
        return value; // quoted: always a string
    static const QRegularExpression integer(QStringLiteral("^[-+]?(0|[1-9][0-9]*)$"));
    static const QRegularExpression real(QStringLiteral("^[-+]?([0-9]+\\.[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?$"));
    const QString lower = value.toLower();
    if (value.isEmpty() || value == QLatin1String("~") || lower == QLatin1String("null"))
        return QJsonValue::Null;
    if (lower == QLatin1String("true") || lower == QLatin1String("yes") || lower == QLatin1String("on") ||
        lower == QLatin1String("y"))
        return true;
    if (lower == QLatin1String("false") || lower == QLatin1String("no") || lower == QLatin1String("off") ||
        lower == QLatin1String("n"))
        return false;
    if (integer.match(value).hasMatch() || real.match(value).hasMatch())
        return value.toDouble();
    return value;
}

QJsonValue toJson(const YAML::Node &node)
{
    switch (node.Type()) {
    case YAML::NodeType::Scalar:
        return scalarToJson(node);
    case YAML::NodeType::Sequence: {
        QJsonArray array;
        for (const auto &item : node)
            array.append(toJson(item));
        return array;
    }
    case YAML::NodeType::Map: {
        QJsonObject object;
        for (const auto &item : node)
            object.insert(str(item.first.as<std::string>()), toJson(item.second));
        return object;
    }
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
        break;
    }
    return QJsonValue::Null;
}

bool isNull(const YAML::Node &node)
{
    return !node.IsDefined() || node.IsNull();
}

QString stringField(const QString &file, const YAML::Node &map, const char *key)
{
    const YAML::Node node = map[key];
    if (isNull(node))
        return {};
    if (!node.IsScalar())
        fail(file, node, QStringLiteral("'%1' must be a string").arg(QLatin1String(key)));
    return str(node.Scalar());
}

bool boolField(const QString &file, const YAML::Node &map, const char *key)
{
    const YAML::Node node = map[key];
    if (isNull(node))
        return false;
    const QJsonValue value = node.IsScalar() ? scalarToJson(node) : QJsonValue();
    if (!value.isBool())
        fail(file, node, QStringLiteral("'%1' must be true or false").arg(QLatin1String(key)));
    return value.toBool();
}

QStringList stringList(const QString &file, const YAML::Node &map, const char *key)
{
    const YAML::Node node = map[key];
    QStringList list;
    if (isNull(node))
        return list;
    if (!node.IsSequence())
        fail(file, node, QStringLiteral("'%1' must be a list of strings").arg(QLatin1String(key)));
    for (const auto &item : node) {
        if (!item.IsScalar())
            fail(file, item, QStringLiteral("'%1' must be a list of strings").arg(QLatin1String(key)));
        list.append(str(item.Scalar()));
    }
    return list;
}

QByteArray base64Field(const QString &file, const YAML::Node &map, const char *key)
{
    const QString text = stringField(file, map, key);
    if (text.isEmpty())
        return {};
    auto decoded = QByteArray::fromBase64Encoding(text.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        fail(file, map[key], QStringLiteral("'%1' is not valid base64").arg(QLatin1String(key)));
    return *decoded;
}

/// Relative paths are relative to the kubeconfig file that names them (kubectl's ResolveLocalPaths).
QString resolvePath(const QString &file, const QString &path)
{
    if (path.isEmpty() || QDir::isAbsolutePath(path))
        return path;
    return QDir::cleanPath(QFileInfo(file).absoluteDir().absoluteFilePath(path));
}

QList<NamedExtension> extensions(const QString &file, const YAML::Node &map)
{
    QList<NamedExtension> result;
    const YAML::Node node = map["extensions"];
    if (isNull(node))
        return result;
    if (!node.IsSequence())
        fail(file, node, QStringLiteral("'extensions' must be a list"));
    for (const auto &item : node) {
        if (!item.IsMap())
            fail(file, item, QStringLiteral("an extension must be a map with 'name' and 'extension'"));
        result.append({stringField(file, item, "name"), toJson(item["extension"])});
    }
    return result;
}

Cluster parseCluster(const QString &file, const QString &name, const YAML::Node &node)
{
    Cluster cluster;
    cluster.name = name;
    cluster.sourceFile = file;
    cluster.server = stringField(file, node, "server");
    cluster.certificateAuthority = resolvePath(file, stringField(file, node, "certificate-authority"));
    cluster.certificateAuthorityData = base64Field(file, node, "certificate-authority-data");
    cluster.insecureSkipTlsVerify = boolField(file, node, "insecure-skip-tls-verify");
    cluster.tlsServerName = stringField(file, node, "tls-server-name");
    cluster.proxyUrl = stringField(file, node, "proxy-url");
    cluster.disableCompression = boolField(file, node, "disable-compression");
    cluster.extensions = extensions(file, node);
    return cluster;
}

ExecConfig parseExec(const QString &file, const YAML::Node &node)
{
    ExecConfig exec;
    exec.apiVersion = stringField(file, node, "apiVersion");
    exec.command = stringField(file, node, "command");
    // A bare name is looked up in PATH; only a command with a separator is a path relative to the file.
    if (exec.command.contains(QLatin1Char('/')) || exec.command.contains(QLatin1Char('\\')))
        exec.command = resolvePath(file, exec.command);
    exec.args = stringList(file, node, "args");
    const YAML::Node env = node["env"];
    if (!isNull(env)) {
        if (!env.IsSequence())
            fail(file, env, QStringLiteral("'env' must be a list of {name, value}"));
        for (const auto &item : env) {
            if (!item.IsMap())
                fail(file, item, QStringLiteral("'env' must be a list of {name, value}"));
            exec.env.append({stringField(file, item, "name"), stringField(file, item, "value")});
        }
    }
    exec.installHint = stringField(file, node, "installHint");
    exec.provideClusterInfo = boolField(file, node, "provideClusterInfo");
    exec.interactiveMode = stringField(file, node, "interactiveMode");
    // kubectl defaults the mode for v1beta1 only; v1 requires it (checked when the plugin runs).
    if (exec.interactiveMode.isEmpty() && exec.apiVersion == QLatin1String("client.authentication.k8s.io/v1beta1"))
        exec.interactiveMode = QStringLiteral("IfAvailable");
    return exec;
}

AuthInfo parseUser(const QString &file, const QString &name, const YAML::Node &node)
{
    AuthInfo user;
    user.name = name;
    user.sourceFile = file;
    user.clientCertificate = resolvePath(file, stringField(file, node, "client-certificate"));
    user.clientCertificateData = base64Field(file, node, "client-certificate-data");
    user.clientKey = resolvePath(file, stringField(file, node, "client-key"));
    user.clientKeyData = base64Field(file, node, "client-key-data");
    user.token = stringField(file, node, "token");
    user.tokenFile = resolvePath(file, stringField(file, node, "tokenFile"));
    user.impersonate = stringField(file, node, "as");
    user.impersonateUid = stringField(file, node, "as-uid");
    user.impersonateGroups = stringList(file, node, "as-groups");
    const YAML::Node extra = node["as-user-extra"];
    if (!isNull(extra)) {
        if (!extra.IsMap())
            fail(file, extra, QStringLiteral("'as-user-extra' must map keys to lists of strings"));
        for (const auto &item : extra) {
            YAML::Node holder;
            holder["v"] = item.second;
            user.impersonateUserExtra.insert(str(item.first.as<std::string>()), stringList(file, holder, "v"));
        }
    }
    user.username = stringField(file, node, "username");
    user.password = stringField(file, node, "password");
    const YAML::Node provider = node["auth-provider"];
    if (!isNull(provider)) {
        if (!provider.IsMap())
            fail(file, provider, QStringLiteral("'auth-provider' must be a map"));
        user.authProviderName = stringField(file, provider, "name");
        const YAML::Node config = provider["config"];
        if (config.IsMap()) {
            for (const auto &item : config)
                user.authProviderConfig.insert(str(item.first.as<std::string>()),
                                               item.second.IsScalar() ? str(item.second.Scalar()) : QString());
        }
    }
    const YAML::Node exec = node["exec"];
    if (!isNull(exec)) {
        if (!exec.IsMap())
            fail(file, exec, QStringLiteral("'exec' must be a map"));
        user.exec = parseExec(file, exec);
    }
    user.extensions = extensions(file, node);
    return user;
}

Context parseContext(const QString &file, const QString &name, const YAML::Node &node)
{
    Context context;
    context.name = name;
    context.sourceFile = file;
    context.cluster = stringField(file, node, "cluster");
    context.user = stringField(file, node, "user");
    context.nameSpace = stringField(file, node, "namespace");
    context.extensions = extensions(file, node);
    return context;
}

/// Reads `clusters`/`users`/`contexts`: a list of {name, <item>}; a name twice in one file is an error, as in kubectl.
template<typename T, typename Parse>
QList<T> namedList(const QString &file, const YAML::Node &root, const char *key, const char *itemKey, Parse parse)
{
    QList<T> result;
    const YAML::Node list = root[key];
    if (isNull(list))
        return result;
    if (!list.IsSequence())
        fail(file, list, QStringLiteral("'%1' must be a list").arg(QLatin1String(key)));
    QSet<QString> seen;
    for (const auto &item : list) {
        if (!item.IsMap())
            fail(file, item,
                 QStringLiteral("each entry of '%1' must be a map with 'name' and '%2'")
                     .arg(QLatin1String(key), QLatin1String(itemKey)));
        const QString name = stringField(file, item, "name");
        if (seen.contains(name))
            fail(file, item, QStringLiteral("duplicate name \"%1\" in '%2'").arg(name, QLatin1String(key)));
        seen.insert(name);
        const YAML::Node body = item[itemKey];
        if (!isNull(body) && !body.IsMap())
            fail(file, body, QStringLiteral("'%1' must be a map").arg(QLatin1String(itemKey)));
        result.append(parse(file, name, isNull(body) ? YAML::Node(YAML::NodeType::Map) : body));
    }
    return result;
}

template<typename T>
void sortByName(QList<T> &list)
{
    std::sort(list.begin(), list.end(), [](const T &a, const T &b) { return a.name < b.name; });
}

template<typename T>
const T *findByName(const QList<T> &list, const QString &name)
{
    for (const T &item : list) {
        if (item.name == name)
            return &item;
    }
    return nullptr;
}

QJsonArray extensionsJson(const QList<NamedExtension> &list)
{
    QJsonArray array;
    for (const NamedExtension &extension : list)
        array.append(
            QJsonObject{{QStringLiteral("name"), extension.name}, {QStringLiteral("extension"), extension.extension}});
    return array;
}

void insertIf(QJsonObject &object, const QString &key, const QString &value)
{
    if (!value.isEmpty())
        object.insert(key, value);
}

void insertIf(QJsonObject &object, const QString &key, const QByteArray &data)
{
    if (!data.isEmpty())
        object.insert(key, QString::fromLatin1(data.toBase64()));
}

void insertIf(QJsonObject &object, const QString &key, const QList<NamedExtension> &list)
{
    if (!list.isEmpty())
        object.insert(key, extensionsJson(list));
}

} // namespace

Result<Kubeconfig> Kubeconfig::parse(const QByteArray &yaml, const QString &fileName)
{
    Kubeconfig config;
    config.files.append(fileName);
    try {
        const YAML::Node root = YAML::Load(yaml.toStdString());
        if (isNull(root))
            return config;
        if (!root.IsMap())
            fail(fileName, root, QStringLiteral("a kubeconfig must be a YAML map (apiVersion, clusters, users, ...)"));
        config.clusters = namedList<Cluster>(fileName, root, "clusters", "cluster", parseCluster);
        config.users = namedList<AuthInfo>(fileName, root, "users", "user", parseUser);
        config.contexts = namedList<Context>(fileName, root, "contexts", "context", parseContext);
        config.currentContext = stringField(fileName, root, "current-context");
    } catch (const ParseFailure &failure) {
        return failure.error;
    } catch (const YAML::Exception &exception) {
        return Error{QStringLiteral("not valid YAML: %1").arg(str(exception.msg)),
                     QStringLiteral("Fix the kubeconfig file or remove it from KUBECONFIG."),
                     location(fileName, exception.mark), 0};
    }
    sortByName(config.clusters);
    sortByName(config.users);
    sortByName(config.contexts);
    return config;
}

QStringList Kubeconfig::candidateFiles(const LoadOptions &options)
{
    QStringList files;
    // --kubeconfig replaces KUBECONFIG and ~/.kube/config, but files opened in the app still join it.
    if (!options.explicitFile.isEmpty()) {
        files.append(QFileInfo(options.explicitFile).absoluteFilePath());
        for (const QString &extra : options.extraFiles) {
            const QString path = QFileInfo(extra).absoluteFilePath();
            if (!files.contains(path))
                files.append(path);
        }
        return files;
    }
    const QString env = options.kubeconfigEnv ? *options.kubeconfigEnv : qEnvironmentVariable("KUBECONFIG");
    if (!env.isEmpty()) {
        for (const QString &entry : env.split(QDir::listSeparator(), Qt::SkipEmptyParts)) {
            const QString path = QFileInfo(entry).absoluteFilePath();
            if (!files.contains(path))
                files.append(path);
        }
    } else {
#ifdef Q_OS_WIN
        constexpr bool windows = true;
#else
        constexpr bool windows = false;
#endif
        QString home = options.homeDirectory;
        if (home.isEmpty())
            home = kubeHomeDirectory(QProcessEnvironment::systemEnvironment(), windows);
        if (home.isEmpty())
            home = QDir::homePath();
        files.append(QDir(home).absoluteFilePath(QStringLiteral(".kube/config")));
    }
    for (const QString &extra : options.extraFiles) {
        const QString path = QFileInfo(extra).absoluteFilePath();
        if (!files.contains(path))
            files.append(path);
    }
    return files;
}

QString kubeHomeDirectory(const QProcessEnvironment &environment, bool windows)
{
    if (!windows)
        return environment.value(QStringLiteral("HOME"));
    QStringList candidates;
    candidates << environment.value(QStringLiteral("HOME"));
    const QString drive = environment.value(QStringLiteral("HOMEDRIVE"));
    const QString path = environment.value(QStringLiteral("HOMEPATH"));
    candidates << (!drive.isEmpty() && !path.isEmpty() ? drive + path : QString());
    candidates << environment.value(QStringLiteral("USERPROFILE"));
    for (const QString &candidate : std::as_const(candidates)) {
        if (!candidate.isEmpty() && QFileInfo::exists(QDir(candidate).filePath(QStringLiteral(".kube/config"))))
            return candidate;
    }
    for (const QString &candidate : std::as_const(candidates)) {
        if (!candidate.isEmpty() && QFileInfo(candidate).isDir())
            return candidate;
    }
    for (const QString &candidate : std::as_const(candidates)) {
        if (!candidate.isEmpty())
            return candidate;
    }
    return {};
}

Result<Kubeconfig> Kubeconfig::load(const LoadOptions &options)
{
    Kubeconfig merged;
    const QStringList candidates = candidateFiles(options);
    for (const QString &path : candidates) {
        QFile file(path);
        if (!file.exists()) {
            // --kubeconfig names one file the user asked for: missing is an error there only.
            if (!options.explicitFile.isEmpty() && path == QFileInfo(options.explicitFile).absoluteFilePath())
                return Error{QStringLiteral("kubeconfig file not found"),
                             QStringLiteral("Check the --kubeconfig path."), path, 0};
            // kubectl skips missing KUBECONFIG entries silently; say so where the UI can show it.
            if (candidates.size() > 1 || !options.kubeconfigEnv.value_or(qEnvironmentVariable("KUBECONFIG")).isEmpty())
                merged.warnings.append(QStringLiteral("%1 does not exist; skipped.").arg(path));
            continue;
        }
        if (!file.open(QIODevice::ReadOnly))
            return Error{QStringLiteral("cannot read the kubeconfig file: %1").arg(file.errorString()),
                         QStringLiteral("Check the file's permissions."), path, 0};
        Result<Kubeconfig> parsed = parse(file.readAll(), path);
        if (!parsed)
            return parsed.error();
        const Kubeconfig &one = parsed.value();
        merged.files.append(path);
        // First definition of a name wins whole (client-go's mergo with overwrite=false on maps of pointers).
        for (const Cluster &cluster : one.clusters) {
            if (!merged.cluster(cluster.name))
                merged.clusters.append(cluster);
        }
        for (const AuthInfo &user : one.users) {
            if (!merged.user(user.name))
                merged.users.append(user);
        }
        for (const Context &context : one.contexts) {
            if (!merged.context(context.name))
                merged.contexts.append(context);
        }
        if (merged.currentContext.isEmpty())
            merged.currentContext = one.currentContext;
    }
    sortByName(merged.clusters);
    sortByName(merged.users);
    sortByName(merged.contexts);
    return merged;
}

const Context *Kubeconfig::context(const QString &name) const
{
    return findByName(contexts, name);
}

const Cluster *Kubeconfig::cluster(const QString &name) const
{
    return findByName(clusters, name);
}

const AuthInfo *Kubeconfig::user(const QString &name) const
{
    return findByName(users, name);
}

QStringList Kubeconfig::contextNames() const
{
    QStringList names;
    for (const Context &context : contexts)
        names.append(context.name);
    return names;
}

QJsonObject Kubeconfig::toKubectlJson() const
{
    QJsonArray clusterArray;
    for (const Cluster &cluster : clusters) {
        QJsonObject body;
        insertIf(body, QStringLiteral("server"), cluster.server);
        insertIf(body, QStringLiteral("tls-server-name"), cluster.tlsServerName);
        if (cluster.insecureSkipTlsVerify)
            body.insert(QStringLiteral("insecure-skip-tls-verify"), true);
        insertIf(body, QStringLiteral("certificate-authority"), cluster.certificateAuthority);
        insertIf(body, QStringLiteral("certificate-authority-data"), cluster.certificateAuthorityData);
        insertIf(body, QStringLiteral("proxy-url"), cluster.proxyUrl);
        if (cluster.disableCompression)
            body.insert(QStringLiteral("disable-compression"), true);
        insertIf(body, QStringLiteral("extensions"), cluster.extensions);
        clusterArray.append(QJsonObject{{QStringLiteral("name"), cluster.name}, {QStringLiteral("cluster"), body}});
    }
    QJsonArray userArray;
    for (const AuthInfo &user : users) {
        QJsonObject body;
        insertIf(body, QStringLiteral("client-certificate"), user.clientCertificate);
        insertIf(body, QStringLiteral("client-certificate-data"), user.clientCertificateData);
        insertIf(body, QStringLiteral("client-key"), user.clientKey);
        insertIf(body, QStringLiteral("client-key-data"), user.clientKeyData);
        insertIf(body, QStringLiteral("token"), user.token);
        insertIf(body, QStringLiteral("tokenFile"), user.tokenFile);
        insertIf(body, QStringLiteral("as"), user.impersonate);
        insertIf(body, QStringLiteral("as-uid"), user.impersonateUid);
        if (!user.impersonateGroups.isEmpty())
            body.insert(QStringLiteral("as-groups"), QJsonArray::fromStringList(user.impersonateGroups));
        if (!user.impersonateUserExtra.isEmpty()) {
            QJsonObject extra;
            for (auto it = user.impersonateUserExtra.cbegin(); it != user.impersonateUserExtra.cend(); ++it)
                extra.insert(it.key(), QJsonArray::fromStringList(it.value()));
            body.insert(QStringLiteral("as-user-extra"), extra);
        }
        insertIf(body, QStringLiteral("username"), user.username);
        insertIf(body, QStringLiteral("password"), user.password);
        if (!user.authProviderName.isEmpty()) {
            QJsonObject provider{{QStringLiteral("name"), user.authProviderName}};
            if (!user.authProviderConfig.isEmpty()) {
                QJsonObject config;
                for (auto it = user.authProviderConfig.cbegin(); it != user.authProviderConfig.cend(); ++it)
                    config.insert(it.key(), it.value());
                provider.insert(QStringLiteral("config"), config);
            }
            body.insert(QStringLiteral("auth-provider"), provider);
        }
        if (user.exec) {
            const ExecConfig &exec = *user.exec;
            QJsonObject execJson{{QStringLiteral("command"), exec.command},
                                 {QStringLiteral("apiVersion"), exec.apiVersion},
                                 {QStringLiteral("provideClusterInfo"), exec.provideClusterInfo}};
            if (!exec.args.isEmpty())
                execJson.insert(QStringLiteral("args"), QJsonArray::fromStringList(exec.args));
            if (!exec.env.isEmpty()) {
                QJsonArray env;
                for (const auto &[name, value] : exec.env)
                    env.append(QJsonObject{{QStringLiteral("name"), name}, {QStringLiteral("value"), value}});
                execJson.insert(QStringLiteral("env"), env);
            }
            insertIf(execJson, QStringLiteral("installHint"), exec.installHint);
            insertIf(execJson, QStringLiteral("interactiveMode"), exec.interactiveMode);
            body.insert(QStringLiteral("exec"), execJson);
        }
        insertIf(body, QStringLiteral("extensions"), user.extensions);
        userArray.append(QJsonObject{{QStringLiteral("name"), user.name}, {QStringLiteral("user"), body}});
    }
    QJsonArray contextArray;
    for (const Context &context : contexts) {
        QJsonObject body;
        insertIf(body, QStringLiteral("cluster"), context.cluster);
        insertIf(body, QStringLiteral("user"), context.user);
        insertIf(body, QStringLiteral("namespace"), context.nameSpace);
        insertIf(body, QStringLiteral("extensions"), context.extensions);
        contextArray.append(QJsonObject{{QStringLiteral("name"), context.name}, {QStringLiteral("context"), body}});
    }
    return QJsonObject{{QStringLiteral("kind"), QStringLiteral("Config")},
                       {QStringLiteral("apiVersion"), QStringLiteral("v1")},
                       {QStringLiteral("preferences"), QJsonObject()},
                       {QStringLiteral("clusters"), clusterArray},
                       {QStringLiteral("users"), userArray},
                       {QStringLiteral("contexts"), contextArray},
                       {QStringLiteral("current-context"), currentContext}};
}

} // namespace orchestra::kubeconfig
