#pragma once

// The cluster an integration test talks to: the in-process test API server by default, or the real cluster named
// by ORCHESTRA_IT_KUBECONFIG (+ ORCHESTRA_IT_CONTEXT). Every test works in a fresh namespace orchestra-it-<random>
// that is deleted afterwards, and never assumes that pods run (a real cluster may have no kubelet).

#include "apiserver.h"
#include "kube/apiclient.h"
#include "kubeconfig/kubeconfig.h"

#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

#include <memory>

namespace orchestra::test {

class ClusterSession final
{
public:
    /// Starts the test server (or connects to the real cluster) and creates the test namespace.
    bool setUp(QString *error)
    {
        QString kubeconfigPath = qEnvironmentVariable("ORCHESTRA_IT_KUBECONFIG");
        const QString context = qEnvironmentVariable("ORCHESTRA_IT_CONTEXT");
        if (kubeconfigPath.isEmpty()) {
            m_server = std::make_unique<testing::ApiServer>();
            if (!m_server->start()) {
                *error = QStringLiteral("test API server: ") + m_server->lastError();
                return false;
            }
            kubeconfigPath = m_dir.filePath(QStringLiteral("kubeconfig"));
            if (!m_server->writeKubeconfig(kubeconfigPath)) {
                *error = QStringLiteral("could not write the test kubeconfig");
                return false;
            }
        }
        kubeconfig::LoadOptions options;
        options.explicitFile = kubeconfigPath;
        const Result<kubeconfig::Kubeconfig> config = kubeconfig::Kubeconfig::load(options);
        if (!config) {
            *error = config.error().toString();
            return false;
        }
        Result<kubeconfig::RestConfig> rest = kubeconfig::restConfig(config.value(), context);
        if (!rest) {
            *error = rest.error().toString();
            return false;
        }
        m_client = std::make_unique<kube::ApiClient>(rest.value());
        ns = QStringLiteral("orchestra-it-%1").arg(QRandomGenerator::global()->bounded(100000, 999999));
        const kube::Response created =
            send("POST", QStringLiteral("/api/v1/namespaces"),
                 QJsonObject{{QStringLiteral("apiVersion"), QStringLiteral("v1")},
                             {QStringLiteral("kind"), QStringLiteral("Namespace")},
                             {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), ns}}}});
        if (!created.ok()) {
            *error = created.error(ns).toString();
            return false;
        }
        return true;
    }

    void tearDown()
    {
        if (m_client && !ns.isEmpty())
            (void)send("DELETE", QStringLiteral("/api/v1/namespaces/") + ns);
        m_client.reset();
        m_server.reset();
    }

    bool isRealCluster() const { return !m_server; }
    testing::ApiServer *server() const { return m_server.get(); }
    kube::ApiClient *client() const { return m_client.get(); }

    /// Sends a request and waits for its answer (tests only).
    kube::Response send(const QByteArray &verb, const QString &path, const QJsonObject &body = {},
                        const QByteArray &contentType = "application/json")
    {
        kube::Request request;
        request.verb = verb;
        request.path = path;
        if (!body.isEmpty()) {
            request.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
            request.contentType = contentType;
        }
        kube::Response result;
        bool done = false;
        QEventLoop loop;
        m_client->send(request, &loop, [&](const kube::Response &response) {
            result = response;
            done = true;
            loop.quit();
        });
        QTimer::singleShot(60000, &loop, &QEventLoop::quit);
        if (!done)
            loop.exec();
        return result;
    }

    /// A ConfigMap in the test namespace (works on any cluster, no kubelet needed).
    QJsonObject createConfigMap(const QString &name, const QJsonObject &labels = {}, const QString &value = {})
    {
        const kube::Response response =
            send("POST", QStringLiteral("/api/v1/namespaces/%1/configmaps").arg(ns),
                 QJsonObject{{QStringLiteral("apiVersion"), QStringLiteral("v1")},
                             {QStringLiteral("kind"), QStringLiteral("ConfigMap")},
                             {QStringLiteral("metadata"),
                              QJsonObject{{QStringLiteral("name"), name}, {QStringLiteral("labels"), labels}}},
                             {QStringLiteral("data"), QJsonObject{{QStringLiteral("key"), value}}}});
        return response.ok() ? response.json() : QJsonObject();
    }

    /// uid -> resourceVersion of a fresh, unpaged list of `path` (the server's true state).
    QHash<QString, QString> freshList(const QString &path)
    {
        QHash<QString, QString> result;
        const kube::Response response = send("GET", path);
        if (!response.ok())
            return {{QStringLiteral("error"), response.error(path).toString()}};
        for (const QJsonValue &item : response.json().value(QLatin1String("items")).toArray()) {
            const QJsonObject metadata = item[QLatin1String("metadata")].toObject();
            result.insert(metadata.value(QLatin1String("uid")).toString(),
                          metadata.value(QLatin1String("resourceVersion")).toString());
        }
        return result;
    }

    QString ns;

private:
    QTemporaryDir m_dir;
    std::unique_ptr<testing::ApiServer> m_server;
    std::unique_ptr<kube::ApiClient> m_client;
};

} // namespace orchestra::test
