#include "kube/operations.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QUrlQuery>

#include <algorithm>

namespace orchestra::kube {

namespace {

QString objectName(const ResourceKind &kind, const QString &ns, const QString &name)
{
    const QString base = kind.kind.toLower() + QLatin1Char('/') + name;
    return ns.isEmpty() || !kind.namespaced ? base : ns + QLatin1Char('/') + base;
}

std::function<void(const Response &)> toVoid(QString location, std::function<void(Result<void>)> done)
{
    return [location = std::move(location), done = std::move(done)](const Response &response) {
        if (!response.ok())
            done(response.error(location));
        else
            done(Result<void>());
    };
}

} // namespace

void Operations::get(const ResourceKind &kind, const QString &ns, const QString &name, QObject *context,
                     std::function<void(Result<QJsonObject>)> done) const
{
    if (!m_client)
        return;
    Request request;
    request.path = kind.path(ns, name);
    const QString location = objectName(kind, ns, name);
    m_client->send(request, context, [location, done = std::move(done)](const Response &response) {
        if (!response.ok())
            done(response.error(location));
        else
            done(response.json());
    });
}

void Operations::remove(const ResourceKind &kind, const QString &ns, const QString &name, Propagation propagation,
                        QObject *context, std::function<void(Result<void>)> done) const
{
    if (!m_client)
        return;
    Request request;
    request.verb = "DELETE";
    request.path = kind.path(ns, name);
    if (propagation != Propagation::Default) {
        const char *policy = propagation == Propagation::Background   ? "Background"
                             : propagation == Propagation::Foreground ? "Foreground"
                                                                      : "Orphan";
        QJsonObject options{{QStringLiteral("kind"), QStringLiteral("DeleteOptions")},
                            {QStringLiteral("apiVersion"), QStringLiteral("v1")},
                            {QStringLiteral("propagationPolicy"), QLatin1String(policy)}};
        request.body = QJsonDocument(options).toJson(QJsonDocument::Compact);
        request.contentType = "application/json";
    }
    m_client->send(request, context, toVoid(objectName(kind, ns, name), std::move(done)));
}

void Operations::scale(const ResourceKind &kind, const QString &ns, const QString &name, int replicas, QObject *context,
                       std::function<void(Result<void>)> done) const
{
    if (!m_client)
        return;
    if (!kind.subresources.isEmpty() && !kind.hasSubresource(QStringLiteral("scale"))) {
        done(Error{QStringLiteral("%1 cannot be scaled.").arg(kind.kind), {}, objectName(kind, ns, name), 0});
        return;
    }
    Request request;
    request.verb = "PATCH";
    request.path = kind.path(ns, name, QStringLiteral("scale"));
    request.contentType = "application/merge-patch+json";
    request.body =
        QJsonDocument(QJsonObject{{QStringLiteral("spec"), QJsonObject{{QStringLiteral("replicas"), replicas}}}})
            .toJson(QJsonDocument::Compact);
    m_client->send(request, context, toVoid(objectName(kind, ns, name), std::move(done)));
}

QByteArray Operations::restartPatch(const QDateTime &now)
{
    const QJsonObject annotations{
        {QStringLiteral("kubectl.kubernetes.io/restartedAt"), now.toUTC().toString(Qt::ISODate)}};
    const QJsonObject patch{{QStringLiteral("spec"),
                             QJsonObject{{QStringLiteral("template"),
                                          QJsonObject{{QStringLiteral("metadata"),
                                                       QJsonObject{{QStringLiteral("annotations"), annotations}}}}}}}};
    return QJsonDocument(patch).toJson(QJsonDocument::Compact);
}

void Operations::rolloutRestart(const ResourceKind &kind, const QString &ns, const QString &name, QObject *context,
                                std::function<void(Result<void>)> done, const QDateTime &now) const
{
    if (!m_client)
        return;
    static const QStringList restartable{QStringLiteral("Deployment"), QStringLiteral("StatefulSet"),
                                         QStringLiteral("DaemonSet")};
    if (kind.group != QLatin1String("apps") || !restartable.contains(kind.kind)) {
        done(Error{QStringLiteral("Only Deployments, StatefulSets and DaemonSets can be restarted."),
                   {},
                   objectName(kind, ns, name),
                   0});
        return;
    }
    Request request;
    request.verb = "PATCH";
    request.path = kind.path(ns, name);
    request.contentType = "application/strategic-merge-patch+json";
    request.body = restartPatch(now);
    m_client->send(request, context, toVoid(objectName(kind, ns, name), std::move(done)));
}

void Operations::events(const QString &ns, const QString &uid, QObject *context,
                        std::function<void(Result<QList<QJsonObject>>)> done) const
{
    if (!m_client)
        return;
    Request request;
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("fieldSelector"), QStringLiteral("involvedObject.uid=") + uid);
    request.path =
        (ns.isEmpty() ? QStringLiteral("/api/v1/events") : QStringLiteral("/api/v1/namespaces/%1/events").arg(ns)) +
        QLatin1Char('?') + query.toString(QUrl::FullyEncoded);
    m_client->send(request, context, [done = std::move(done), uid](const Response &response) {
        if (!response.ok()) {
            done(response.error(QStringLiteral("events of %1").arg(uid)));
            return;
        }
        QList<QJsonObject> events;
        for (const QJsonValue &item : response.json().value(QLatin1String("items")).toArray())
            events.append(item.toObject());
        const auto when = [](const QJsonObject &e) {
            QString t = e.value(QLatin1String("lastTimestamp")).toString();
            if (t.isEmpty())
                t = e.value(QLatin1String("eventTime")).toString();
            return t;
        };
        std::stable_sort(events.begin(), events.end(),
                         [&](const QJsonObject &a, const QJsonObject &b) { return when(a) < when(b); });
        done(events);
    });
}

QString LogOptions::query() const
{
    QUrlQuery query;
    if (!container.isEmpty())
        query.addQueryItem(QStringLiteral("container"), container);
    if (follow)
        query.addQueryItem(QStringLiteral("follow"), QStringLiteral("true"));
    if (tailLines >= 0)
        query.addQueryItem(QStringLiteral("tailLines"), QString::number(tailLines));
    if (previous)
        query.addQueryItem(QStringLiteral("previous"), QStringLiteral("true"));
    if (timestamps)
        query.addQueryItem(QStringLiteral("timestamps"), QStringLiteral("true"));
    return query.toString(QUrl::FullyEncoded);
}

LogStream::LogStream(ApiClient *client, QString ns, QString pod, LogOptions options, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_namespace(std::move(ns))
    , m_pod(std::move(pod))
    , m_options(std::move(options))
{}

LogStream::~LogStream()
{
    delete m_reply;
}

Error LogStream::errorFor(const Response &response, const QString &ns, const QString &pod)
{
    const QString location = QStringLiteral("pod/%1 in %2").arg(pod, ns);
    if (response.status && response.status->isKubeletUnreachable()) {
        return Error{QStringLiteral("The logs cannot be read because the API server cannot reach the kubelet on the "
                                    "pod's node."),
                     QStringLiteral("Check that the node is Ready (kubectl get nodes) and that the API server can "
                                    "reach the kubelet on port 10250. Details: %1")
                         .arg(response.status->message),
                     location, response.status->code};
    }
    if (response.status && response.status->code == 400 &&
        response.status->message.contains(QLatin1String("previous terminated")))
        return Error{response.status->message,
                     QStringLiteral("The container has not restarted, so there is no previous log."), location, 400};
    return response.error(location);
}

void LogStream::start()
{
    stop();
    if (!m_client)
        return;
    Request request;
    const QString query = m_options.query();
    request.path = QStringLiteral("/api/v1/namespaces/%1/pods/%2/log").arg(m_namespace, m_pod) +
                   (query.isEmpty() ? QString() : QLatin1Char('?') + query);
    request.accept = "*/*";
    request.timeoutMs = 0;
    m_decoder.resetState();
    m_reply = m_client->openStream(request);
    m_reply->setParent(this);
    connect(m_reply, &StreamReply::dataReceived, this,
            [this](const QByteArray &bytes) { emit textReceived(m_decoder.decode(bytes)); });
    connect(m_reply, &StreamReply::finished, this, [this](const Response &response) {
        m_reply->deleteLater();
        m_reply = nullptr;
        if (response.ok())
            emit finished(Result<void>());
        else
            emit finished(errorFor(response, m_namespace, m_pod));
    });
}

void LogStream::stop()
{
    if (!m_reply)
        return;
    m_reply->abort();
    m_reply->deleteLater();
    m_reply = nullptr;
}

} // namespace orchestra::kube
