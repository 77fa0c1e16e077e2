#include "testmain.h"

#include "kubeconfig/kubeconfig.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSslCertificate>
#include <QStandardPaths>

using namespace orchestra::kubeconfig;

// Loading and merging, with kubectl as the oracle: `kubectl config view --raw -o json` over the same files must
// describe the same contexts, clusters, users and current-context.
class TestKubeconfig : public QObject
{
    Q_OBJECT

private:
    static QString dataDir() { return QStringLiteral(ORCHESTRA_TEST_DATA_DIR "/kubeconfig"); }

    /// Drops what kubectl prints as null/empty so "absent" and "empty" compare equal.
    static QJsonValue normalize(const QJsonValue &value)
    {
        if (value.isObject()) {
            QJsonObject out;
            const QJsonObject in = value.toObject();
            for (auto it = in.begin(); it != in.end(); ++it) {
                const QJsonValue v = normalize(it.value());
                if (v.isNull() || (v.isArray() && v.toArray().isEmpty()) || (v.isObject() && v.toObject().isEmpty()))
                    continue;
                out.insert(it.key(), v);
            }
            return out;
        }
        if (value.isArray()) {
            QJsonArray out;
            for (const QJsonValue &v : value.toArray())
                out.append(normalize(v));
            return out;
        }
        return value;
    }

    /// kubectl's view prints paths as written; resolve them against the directory of the file that defined the
    /// stanza (which the flatten comparison below checks independently).
    static void resolveKubectlPaths(QJsonObject &json, const Kubeconfig &config)
    {
        auto resolve = [](QJsonObject &body, const QString &key, const QString &sourceFile) {
            const QString path = body.value(key).toString();
            if (!path.isEmpty() && !QDir::isAbsolutePath(path))
                body.insert(key, QDir::cleanPath(QFileInfo(sourceFile).absoluteDir().absoluteFilePath(path)));
        };
        QJsonArray clusters = json.value(QStringLiteral("clusters")).toArray();
        for (qsizetype i = 0; i < clusters.size(); ++i) {
            QJsonObject item = clusters.at(i).toObject();
            QJsonObject body = item.value(QStringLiteral("cluster")).toObject();
            const Cluster *mine = config.cluster(item.value(QStringLiteral("name")).toString());
            if (mine)
                resolve(body, QStringLiteral("certificate-authority"), mine->sourceFile);
            item.insert(QStringLiteral("cluster"), body);
            clusters.replace(i, item);
        }
        json.insert(QStringLiteral("clusters"), clusters);
        QJsonArray users = json.value(QStringLiteral("users")).toArray();
        for (qsizetype i = 0; i < users.size(); ++i) {
            QJsonObject item = users.at(i).toObject();
            QJsonObject body = item.value(QStringLiteral("user")).toObject();
            const AuthInfo *mine = config.user(item.value(QStringLiteral("name")).toString());
            if (mine) {
                for (const char *key : {"client-certificate", "client-key", "tokenFile"})
                    resolve(body, QLatin1String(key), mine->sourceFile);
                QJsonObject exec = body.value(QStringLiteral("exec")).toObject();
                if (exec.value(QStringLiteral("command")).toString().contains(QLatin1Char('/'))) {
                    resolve(exec, QStringLiteral("command"), mine->sourceFile);
                    body.insert(QStringLiteral("exec"), exec);
                }
            }
            item.insert(QStringLiteral("user"), body);
            users.replace(i, item);
        }
        json.insert(QStringLiteral("users"), users);
    }

    /// What `kubectl config view --flatten` does, from our resolved paths: file contents become -data.
    static QJsonObject flatten(const Kubeconfig &config)
    {
        QJsonObject json = config.toKubectlJson();
        auto embed = [](QJsonObject &body, const QString &pathKey, const QString &dataKey) {
            const QString path = body.value(pathKey).toString();
            if (path.isEmpty())
                return;
            QFile file(path);
            if (!file.open(QIODevice::ReadOnly))
                qFatal("flatten: cannot read %s", qPrintable(path));
            body.insert(dataKey, QString::fromLatin1(file.readAll().toBase64()));
            body.remove(pathKey);
        };
        for (const char *list : {"clusters", "users"}) {
            const QString itemKey =
                QLatin1String(list) == QLatin1String("clusters") ? QStringLiteral("cluster") : QStringLiteral("user");
            QJsonArray array = json.value(QLatin1String(list)).toArray();
            for (qsizetype i = 0; i < array.size(); ++i) {
                QJsonObject item = array.at(i).toObject();
                QJsonObject body = item.value(itemKey).toObject();
                embed(body, QStringLiteral("certificate-authority"), QStringLiteral("certificate-authority-data"));
                embed(body, QStringLiteral("client-certificate"), QStringLiteral("client-certificate-data"));
                embed(body, QStringLiteral("client-key"), QStringLiteral("client-key-data"));
                item.insert(itemKey, body);
                array.replace(i, item);
            }
            json.insert(QLatin1String(list), array);
        }
        return json;
    }

    static QJsonObject kubectlView(const QString &workingDir, const QString &kubeconfigEnv, const QString &explicitFile,
                                   bool flattened)
    {
        QProcess process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("KUBECONFIG"), kubeconfigEnv);
        process.setProcessEnvironment(env);
        process.setWorkingDirectory(workingDir);
        QStringList args{QStringLiteral("config"), QStringLiteral("view"), QStringLiteral("--raw"),
                         QStringLiteral("-o"), QStringLiteral("json")};
        if (flattened)
            args << QStringLiteral("--flatten");
        if (!explicitFile.isEmpty())
            args << QStringLiteral("--kubeconfig") << explicitFile;
        process.start(QStandardPaths::findExecutable(QStringLiteral("kubectl")), args);
        if (!process.waitForFinished(60000) || process.exitCode() != 0)
            qFatal("kubectl failed: %s", process.readAllStandardError().constData());
        return QJsonDocument::fromJson(process.readAllStandardOutput()).object();
    }

    static QString diff(const QJsonObject &mine, const QJsonObject &theirs)
    {
        return QStringLiteral("\nmine:   %1\nkubectl: %2")
            .arg(QString::fromUtf8(QJsonDocument(mine).toJson(QJsonDocument::Compact)),
                 QString::fromUtf8(QJsonDocument(theirs).toJson(QJsonDocument::Compact)));
    }

    static QString writeFile(const QString &dir, const QString &name, const QByteArray &text)
    {
        QFile file(dir + QLatin1Char('/') + name);
        if (!file.open(QIODevice::WriteOnly))
            qFatal("cannot write %s", qPrintable(file.fileName()));
        file.write(text);
        return file.fileName();
    }

private slots:
    void initTestCase() { qunsetenv("KUBECONFIG"); }

    void matchesKubectl_data()
    {
        QTest::addColumn<QString>("set");
        QTest::addColumn<QString>("kubeconfigEnv"); // relative to the set's directory, as a user would type it
        QTest::addColumn<QString>("explicitFile");
        QTest::addColumn<bool>("flattenToo");
        const QChar sep = QDir::listSeparator();
        auto join = [sep](const QStringList &parts) { return parts.join(sep); };
        QTest::newRow("single file") << "01-single"
                                     << "config"
                                     << "" << true;
        QTest::newRow("two files overlapping") << "02-merge-two" << join({"a.yaml", "b.yaml"}) << "" << true;
        QTest::newRow("two files reversed") << "02-merge-two" << join({"b.yaml", "a.yaml"}) << "" << true;
        QTest::newRow("three files, first current-context wins")
            << "03-merge-three" << join({"one.yaml", "two.yaml", "three.yaml"}) << "" << true;
        QTest::newRow("three files reversed")
            << "03-merge-three" << join({"three.yaml", "two.yaml", "one.yaml"}) << "" << true;
        QTest::newRow("relative paths from two directories")
            << "04-relative-paths" << join({"team/config", "home/.kube/config"}) << "" << true;
        QTest::newRow("data and file both set") << "05-data-vs-file"
                                                << "config"
                                                << "" << false;
        QTest::newRow("missing, empty and duplicate KUBECONFIG entries")
            << "06-missing-entries"
            << join({"", "nope.yaml", "first.yaml", "", "first.yaml", "second.yaml", "also-missing"}) << "" << true;
        QTest::newRow("minikube") << "07-minikube"
                                  << "config"
                                  << "" << false; // its CA path is not on this machine
        QTest::newRow("rancher escaped CA, authorized endpoints") << "08-rancher"
                                                                  << "config"
                                                                  << "" << true;
        QTest::newRow("gke exec") << "09-gke"
                                  << "config"
                                  << "" << true;
        QTest::newRow("eks exec") << "10-eks"
                                  << "config"
                                  << "" << true;
        QTest::newRow("impersonation") << "11-impersonation"
                                       << "config"
                                       << "" << true;
        QTest::newRow("proxy-url, tls-server-name, insecure") << "12-proxy-tls"
                                                              << "config"
                                                              << "" << true;
        QTest::newRow("--kubeconfig overrides KUBECONFIG") << "13-explicit"
                                                           << "ignored.yaml"
                                                           << "chosen.yaml" << true;
        QTest::newRow("legacy auth-provider") << "14-auth-provider"
                                              << "config"
                                              << "" << true;
        QTest::newRow("empty file") << "15-empty"
                                    << "config"
                                    << "" << true;
    }

    void matchesKubectl()
    {
        QFETCH(QString, set);
        QFETCH(QString, kubeconfigEnv);
        QFETCH(QString, explicitFile);
        QFETCH(bool, flattenToo);
        if (QStandardPaths::findExecutable(QStringLiteral("kubectl")).isEmpty())
            QSKIP("kubectl is not installed");
        const QString dir = dataDir() + QLatin1Char('/') + set;
        const QString previous = QDir::currentPath();
        QVERIFY(QDir::setCurrent(dir));
        LoadOptions options;
        options.kubeconfigEnv = kubeconfigEnv;
        options.explicitFile = explicitFile;
        const orchestra::Result<Kubeconfig> loaded = Kubeconfig::load(options);
        QDir::setCurrent(previous);
        QVERIFY2(loaded.ok(), qPrintable(loaded.ok() ? QString() : loaded.error().toString()));

        QJsonObject theirs = kubectlView(dir, kubeconfigEnv, explicitFile, false);
        resolveKubectlPaths(theirs, loaded.value());
        const QJsonObject mine = normalize(loaded->toKubectlJson()).toObject();
        theirs = normalize(theirs).toObject();
        QVERIFY2(mine == theirs, qPrintable(diff(mine, theirs)));

        if (flattenToo) {
            const QJsonObject flatMine = normalize(flatten(loaded.value())).toObject();
            // --flatten embeds certificates but leaves tokenFile and exec.command as written.
            QJsonObject flatTheirs = kubectlView(dir, kubeconfigEnv, explicitFile, true);
            resolveKubectlPaths(flatTheirs, loaded.value());
            flatTheirs = normalize(flatTheirs).toObject();
            QVERIFY2(flatMine == flatTheirs, qPrintable(diff(flatMine, flatTheirs)));
        }
    }

    void merge_firstDefinitionWinsWhole()
    {
        LoadOptions options;
        const QString dir = dataDir() + QStringLiteral("/02-merge-two/");
        options.kubeconfigEnv = dir + QStringLiteral("a.yaml") + QDir::listSeparator() + dir + QStringLiteral("b.yaml");
        const auto config = Kubeconfig::load(options);
        QVERIFY(config.ok());
        const Cluster *shared = config->cluster(QStringLiteral("shared"));
        QVERIFY(shared);
        QCOMPARE(shared->server, QStringLiteral("https://from-a.example.com"));
        QVERIFY(shared->tlsServerName.isEmpty()); // b's extra field is not merged in
        QCOMPARE(shared->sourceFile, dir + QStringLiteral("a.yaml"));
        QCOMPARE(config->user(QStringLiteral("shared-user"))->token, QStringLiteral("token-from-a"));
        QVERIFY(config->user(QStringLiteral("shared-user"))->username.isEmpty());
        QCOMPARE(config->currentContext, QStringLiteral("b-ctx")); // a sets none
        QCOMPARE(config->files.size(), 2);
    }

    void relativePaths_resolveAgainstTheirFile()
    {
        const QString dir = dataDir() + QStringLiteral("/04-relative-paths");
        LoadOptions options;
        options.kubeconfigEnv = dir + QStringLiteral("/home/.kube/config");
        const auto config = Kubeconfig::load(options);
        QVERIFY(config.ok());
        const AuthInfo *user = config->user(QStringLiteral("home-user"));
        QCOMPARE(user->tokenFile, dir + QStringLiteral("/home/.kube/token"));
        QCOMPARE(user->exec->command, dir + QStringLiteral("/home/.kube/bin/login-plugin"));
        QCOMPARE(config->cluster(QStringLiteral("home"))->certificateAuthority,
                 dir + QStringLiteral("/team/certs/ca.crt"));
    }

    void bareExecCommand_staysForPathLookup()
    {
        const auto config = Kubeconfig::load({dataDir() + QStringLiteral("/09-gke/config"), {}, {}, {}});
        QVERIFY(config.ok());
        const AuthInfo &user = config->users.first();
        QCOMPARE(user.exec->command, QStringLiteral("gke-gcloud-auth-plugin"));
        QVERIFY(user.exec->provideClusterInfo);
        QVERIFY(user.exec->installHint.startsWith(QStringLiteral("Install gke-gcloud-auth-plugin")));
    }

    void rancherEscapedCa_decodesToPem()
    {
        const auto config = Kubeconfig::load({dataDir() + QStringLiteral("/08-rancher/config"), {}, {}, {}});
        QVERIFY(config.ok());
        const Cluster *cluster = config->cluster(QStringLiteral("prod"));
        QVERIFY(cluster->certificateAuthorityData.startsWith("-----BEGIN CERTIFICATE-----\n"));
        QVERIFY(cluster->certificateAuthorityData.trimmed().endsWith("-----END CERTIFICATE-----"));
        QCOMPARE(QSslCertificate::fromData(cluster->certificateAuthorityData).size(), 1);
        QCOMPARE(cluster->server, QStringLiteral("https://rancher.example.com/k8s/clusters/c-m-7x9k2"));
    }

    void noKubeconfigAtAll_isEmptyNotError()
    {
        LoadOptions options;
        options.homeDirectory = QDir::homePath(); // the test's temporary HOME has no .kube
        const auto config = Kubeconfig::load(options);
        QVERIFY(config.ok());
        QVERIFY(config->isEmpty());
        QVERIFY(config->files.isEmpty());
        QVERIFY(config->warnings.isEmpty()); // no kubeconfig yet is normal, not worth a warning
        QCOMPARE(Kubeconfig::candidateFiles(options), QStringList{QDir::homePath() + QStringLiteral("/.kube/config")});
    }

    void missingKubeconfigEntries_areSkippedWithWarning()
    {
        const QString dir = dataDir() + QStringLiteral("/06-missing-entries/");
        LoadOptions options;
        options.kubeconfigEnv =
            dir + QStringLiteral("nope.yaml") + QDir::listSeparator() + dir + QStringLiteral("first.yaml");
        const auto config = Kubeconfig::load(options);
        QVERIFY(config.ok());
        QCOMPARE(config->files, QStringList{dir + QStringLiteral("first.yaml")});
        QCOMPARE(config->warnings, QStringList{dir + QStringLiteral("nope.yaml does not exist; skipped.")});
    }

    void homeConfig_isUsedWithoutKubeconfigVariable()
    {
        QTemporaryDir home;
        QDir(home.path()).mkpath(QStringLiteral(".kube"));
        QFile::copy(dataDir() + QStringLiteral("/01-single/config"), home.path() + QStringLiteral("/.kube/config"));
        LoadOptions options;
        options.kubeconfigEnv = QString();
        options.homeDirectory = home.path();
        const auto config = Kubeconfig::load(options);
        QVERIFY(config.ok());
        QCOMPARE(config->contextNames(), (QStringList{QStringLiteral("dev"), QStringLiteral("prod-web")}));
    }

    void windowsHomeRules_preferTheHomeWithAKubeconfig()
    {
        QTemporaryDir home, profile, drive;
        QDir(profile.path()).mkpath(QStringLiteral(".kube"));
        QFile config(profile.path() + QStringLiteral("/.kube/config"));
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.close();
        QProcessEnvironment env;
        env.insert(QStringLiteral("HOME"), home.path());
        env.insert(QStringLiteral("HOMEDRIVE"), drive.path());
        env.insert(QStringLiteral("HOMEPATH"), QStringLiteral("/nope"));
        env.insert(QStringLiteral("USERPROFILE"), profile.path());
        QCOMPARE(kubeHomeDirectory(env, true), profile.path()); // the only one holding .kube/config
        QCOMPARE(kubeHomeDirectory(env, false), home.path());   // Unix: $HOME, always
        QFile::remove(config.fileName());
        QCOMPARE(kubeHomeDirectory(env, true), home.path()); // then the first that exists
        env.remove(QStringLiteral("HOME"));
        env.insert(QStringLiteral("USERPROFILE"), QStringLiteral("/missing/profile"));
        QCOMPARE(kubeHomeDirectory(env, true), drive.path() + QStringLiteral("/nope")); // then the first set
    }

    void explicitMissingFile_isError()
    {
        const auto config = Kubeconfig::load({QStringLiteral("/does/not/exist/config"), {}, {}, {}});
        QVERIFY(!config.ok());
        QCOMPARE(config.error().location, QStringLiteral("/does/not/exist/config"));
    }

    void syntaxError_namesFileLineColumn()
    {
        QTemporaryDir dir;
        const QString file = writeFile(dir.path(), QStringLiteral("broken"),
                                       "apiVersion: v1\nclusters:\n- name: c\n  cluster: {server: https://a\n");
        LoadOptions options;
        options.kubeconfigEnv = file;
        const auto config = Kubeconfig::load(options);
        QVERIFY(!config.ok());
        // yaml-cpp reports where it gave up (the end of the flow map), as line:column.
        QVERIFY2(QRegularExpression(QRegularExpression::escape(file) + QStringLiteral(":[45]:\\d+$"))
                     .match(config.error().location)
                     .hasMatch(),
                 qPrintable(config.error().location));
        QVERIFY(config.error().toString().contains(QStringLiteral("not valid YAML")));
    }

    void wrongShape_namesFileLineColumn()
    {
        QTemporaryDir dir;
        const QString file = writeFile(dir.path(), QStringLiteral("shape"),
                                       "apiVersion: v1\nclusters:\n- name: c\n  cluster:\n    server: [a, b]\n");
        const auto config = Kubeconfig::load({file, {}, {}, {}});
        QVERIFY(!config.ok());
        QCOMPARE(config.error().location, file + QStringLiteral(":5:13"));
        QVERIFY(config.error().message.contains(QStringLiteral("'server'")));
    }

    void duplicateNameInOneFile_isError()
    {
        QTemporaryDir dir;
        const QString file = writeFile(dir.path(), QStringLiteral("dup"),
                                       "clusters:\n- name: c\n  cluster: {server: https://a}\n"
                                       "- name: c\n  cluster: {server: https://b}\n");
        const auto config = Kubeconfig::load({file, {}, {}, {}});
        QVERIFY(!config.ok());
        QVERIFY(config.error().message.contains(QStringLiteral("duplicate name \"c\"")));
        QCOMPARE(config.error().location, file + QStringLiteral(":4:3"));
    }

    void badBase64_isError()
    {
        QTemporaryDir dir;
        const QString file =
            writeFile(dir.path(), QStringLiteral("b64"),
                      "clusters:\n- name: c\n  cluster:\n    certificate-authority-data: 'not*base64'\n");
        const auto config = Kubeconfig::load({file, {}, {}, {}});
        QVERIFY(!config.ok());
        QVERIFY(config.error().message.contains(QStringLiteral("certificate-authority-data")));
        QCOMPARE(config.error().location, file + QStringLiteral(":4:33"));
    }

    void extraFiles_areMergedLast()
    {
        LoadOptions options;
        options.kubeconfigEnv = dataDir() + QStringLiteral("/03-merge-three/one.yaml");
        options.extraFiles = {dataDir() + QStringLiteral("/13-explicit/chosen.yaml")};
        const auto config = Kubeconfig::load(options);
        QVERIFY(config.ok());
        QVERIFY(config->context(QStringLiteral("chosen")));
        QCOMPARE(config->currentContext, QStringLiteral("chosen")); // one.yaml sets none
        QCOMPARE(config->files.size(), 2);
    }
};

ORCHESTRA_TEST_MAIN(TestKubeconfig)
#include "tst_kubeconfig.moc"
