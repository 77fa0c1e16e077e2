// The test API server's behaviour beyond the recorded fixtures: fault knobs,
// log streaming, the service proxy, subresources, selectors, patches, RBAC
// reviews, CRDs, the request log and 50,000 pods.

#include "apiserver.h"

#include "testmain.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslSocket>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

#include <memory>

using orchestra::testing::ApiServer;

namespace {

struct Response
{
    int status = 0;
    QByteArray body;
    QByteArray retryAfter;
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
};

QJsonObject pod(const QString &name, const QString &ns = QStringLiteral("default"))
{
    return QJsonObject{{QStringLiteral("apiVersion"), QStringLiteral("v1")},
                       {QStringLiteral("kind"), QStringLiteral("Pod")},
                       {QStringLiteral("metadata"),
                        QJsonObject{{QStringLiteral("name"), name},
                                    {QStringLiteral("namespace"), ns},
                                    {QStringLiteral("labels"), QJsonObject{{QStringLiteral("app"), name}}}}},
                       {QStringLiteral("spec"),
                        QJsonObject{{QStringLiteral("containers"),
                                     QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("main")},
                                                            {QStringLiteral("image"), QStringLiteral("busybox")}}}}}}};
}

/// A plain-HTTP upstream (the "Prometheus" behind the service proxy) that echoes the request line.
class Upstream : public QTcpServer
{
public:
    Upstream()
    {
        connect(this, &QTcpServer::newConnection, this, [this] {
            QTcpSocket *socket = nextPendingConnection();
            connect(socket, &QTcpSocket::readyRead, socket, [socket] {
                const QByteArray request = socket->readAll();
                const QByteArray line = request.left(request.indexOf("\r\n"));
                const QByteArray body = R"({"status":"success","requestLine":")" + line + "\"}";
                socket->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
                              QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
                socket->disconnectFromHost();
            });
        });
    }
};

/// A watch opened by hand over TLS (bearer token), so the test decides exactly when the
/// client side goes away. Null if the server did not answer 200 with a chunked stream.
std::unique_ptr<QSslSocket> openRawWatch(ApiServer &server, const QByteArray &pathAndQuery, const QByteArray &token)
{
    auto socket = std::make_unique<QSslSocket>();
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setCaCertificates(QSslCertificate::fromData(server.caCertificatePem()));
    socket->setSslConfiguration(config);
    socket->connectToHostEncrypted(QStringLiteral("127.0.0.1"), server.port());
    if (!QTest::qWaitFor([&] { return socket->isEncrypted(); }, 10000))
        return nullptr;
    socket->write("GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token +
                  "\r\nAccept: application/json\r\n\r\n");
    QByteArray head;
    // Peeked, not read: the stream's first chunks stay unread so that closing sends a reset.
    if (!QTest::qWaitFor([&] { return (head = socket->peek(4096)).contains("\r\n\r\n"); }, 10000))
        return nullptr;
    if (!head.startsWith("HTTP/1.1 200") || !head.contains("Transfer-Encoding: chunked"))
        return nullptr;
    return socket;
}

} // namespace

class TestApiServerBehaviour : public QObject
{
    Q_OBJECT

    ApiServer *m_server = nullptr;
    QNetworkAccessManager m_network;
    QSslConfiguration m_admin;

    QNetworkRequest makeRequest(const QString &pathAndQuery, const QByteArray &contentType = {}) const
    {
        QNetworkRequest req(QUrl(m_server->url().toString() + pathAndQuery));
        req.setSslConfiguration(m_admin);
        req.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
        if (!contentType.isEmpty())
            req.setHeader(QNetworkRequest::ContentTypeHeader, contentType);
        return req;
    }

    Response request(const QByteArray &method, const QString &pathAndQuery, const QByteArray &body = {},
                     const QByteArray &contentType = {})
    {
        QNetworkReply *reply = m_network.sendCustomRequest(makeRequest(pathAndQuery, contentType), method, body);
        QEventLoop loop;
        connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        QTimer::singleShot(60000, &loop, &QEventLoop::quit);
        loop.exec();
        Response response;
        response.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        response.body = reply->readAll();
        response.retryAfter = reply->rawHeader("Retry-After");
        reply->deleteLater();
        return response;
    }

private slots:
    void init()
    {
        m_server = new ApiServer;
        QVERIFY2(m_server->startInThread(), qPrintable(m_server->lastError()));
        const QString tls = m_server->tlsDirectory();
        QFile cert(tls + QStringLiteral("/admin.crt"));
        QFile key(tls + QStringLiteral("/admin.key"));
        QVERIFY(cert.open(QIODevice::ReadOnly) && key.open(QIODevice::ReadOnly));
        m_admin = QSslConfiguration::defaultConfiguration();
        m_admin.setCaCertificates(QSslCertificate::fromData(m_server->caCertificatePem()));
        m_admin.setLocalCertificate(QSslCertificate(cert.readAll()));
        m_admin.setPrivateKey(QSslKey(key.readAll(), QSsl::Ec));
        m_network.clearConnectionCache();
    }

    void cleanup()
    {
        delete m_server;
        m_server = nullptr;
    }

    void failNext_answers5xxWithRetryAfterThenRecovers()
    {
        m_server->failNext(2, 503, 7);
        for (int i = 0; i < 2; ++i) {
            const Response r = request("GET", QStringLiteral("/api/v1/pods"));
            QCOMPARE(r.status, 503);
            QCOMPARE(r.retryAfter, QByteArray("7"));
            QCOMPARE(r.json().value(QStringLiteral("kind")).toString(), QStringLiteral("Status"));
            QCOMPARE(r.json().value(QStringLiteral("reason")).toString(), QStringLiteral("ServiceUnavailable"));
        }
        QCOMPARE(request("GET", QStringLiteral("/api/v1/pods")).status, 200);
    }

    void responseDelay_stillAnswers()
    {
        m_server->setResponseDelay(50);
        QSignalSpy received(m_server, &ApiServer::requestReceived);
        QCOMPARE(request("GET", QStringLiteral("/version")).status, 200);
        QCOMPARE(received.size(), 1);
        QCOMPARE(received.first().at(1).toString(), QStringLiteral("/version"));
    }

    void closeWatches_endsOpenStreamsCleanly()
    {
        QNetworkReply *reply = m_network.get(makeRequest(QStringLiteral("/api/v1/pods?watch=1&resourceVersion=0")));
        QTRY_COMPARE(m_server->openWatchCount(), 1);
        QVERIFY(!m_server->create(pod(QStringLiteral("seen"))).isEmpty());
        QTRY_VERIFY(reply->bytesAvailable() > 0);
        m_server->closeWatches();
        QTRY_VERIFY(reply->isFinished());
        QCOMPARE(reply->error(), QNetworkReply::NoError);
        QCOMPARE(m_server->openWatchCount(), 0);
        QVERIFY(reply->readAll().contains("\"name\":\"seen\""));
        reply->deleteLater();
    }

    void stallWatches_acceptsAndSendsNothing()
    {
        m_server->setStallWatches(true);
        QNetworkReply *reply = m_network.get(makeRequest(QStringLiteral("/api/v1/pods?watch=1&resourceVersion=0")));
        QTRY_COMPARE(m_server->openWatchCount(), 1);
        QVERIFY(!m_server->create(pod(QStringLiteral("unseen"))).isEmpty());
        // Give a live stream every chance to deliver, then prove nothing came.
        QCOMPARE(request("GET", QStringLiteral("/api/v1/namespaces/default/pods/unseen")).status, 200);
        QVERIFY(!reply->isFinished());
        QCOMPARE(reply->bytesAvailable(), 0);
        m_server->restart();
        QTRY_VERIFY(reply->isFinished());
        QVERIFY(reply->readAll().isEmpty());
        reply->deleteLater();
    }

    void watch_fromResourceVersionReplaysLaterEventsAndFilters()
    {
        const QString rv = m_server->resourceVersion();
        QVERIFY(!m_server->create(pod(QStringLiteral("a"))).isEmpty());
        QVERIFY(!m_server->create(pod(QStringLiteral("b"))).isEmpty());
        const Response r = request("GET", QStringLiteral("/api/v1/namespaces/default/pods?watch=true&resourceVersion=%1"
                                                         "&labelSelector=app%3Db&timeoutSeconds=1")
                                              .arg(rv));
        QCOMPARE(r.status, 200);
        const QList<QByteArray> lines = r.body.trimmed().split('\n');
        QCOMPARE(lines.size(), 1);
        const QJsonObject event = QJsonDocument::fromJson(lines.first()).object();
        QCOMPARE(event.value(QStringLiteral("type")).toString(), QStringLiteral("ADDED"));
        QCOMPARE(event.value(QStringLiteral("object"))
                     .toObject()
                     .value(QStringLiteral("metadata"))
                     .toObject()
                     .value(QStringLiteral("name"))
                     .toString(),
                 QStringLiteral("b"));
    }

    void logs_followStreamsAppendedLinesUntilThePodGoes()
    {
        QVERIFY(!m_server->create(pod(QStringLiteral("talker"))).isEmpty());
        m_server->setPodLogs(QStringLiteral("default"), QStringLiteral("talker"), QStringLiteral("main"),
                             {QStringLiteral("one")});
        QNetworkReply *reply =
            m_network.get(makeRequest(QStringLiteral("/api/v1/namespaces/default/pods/talker/log?follow=true")));
        QByteArray received;
        connect(reply, &QNetworkReply::readyRead, this, [&] { received += reply->readAll(); });
        QTRY_COMPARE(received, QByteArray("one\n"));
        m_server->appendPodLog(QStringLiteral("default"), QStringLiteral("talker"), QStringLiteral("main"),
                               QStringLiteral("two"));
        QTRY_COMPARE(received, QByteArray("one\ntwo\n"));
        QVERIFY(!reply->isFinished());
        QVERIFY(m_server->remove(QString(), QStringLiteral("v1"), QStringLiteral("pods"), QStringLiteral("default"),
                                 QStringLiteral("talker")));
        QTRY_VERIFY(reply->isFinished());
        reply->deleteLater();

        const Response missing = request("GET", QStringLiteral("/api/v1/namespaces/default/pods/talker/log"));
        QCOMPARE(missing.status, 404);
    }

    void logs_timestampsAndTail()
    {
        QVERIFY(!m_server->create(pod(QStringLiteral("quiet"))).isEmpty());
        m_server->setPodLogs(QStringLiteral("default"), QStringLiteral("quiet"), QStringLiteral("main"),
                             {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")});
        const Response r =
            request("GET", QStringLiteral("/api/v1/namespaces/default/pods/quiet/log?tailLines=2&timestamps=true"));
        QCOMPARE(r.status, 200);
        const QList<QByteArray> lines = r.body.trimmed().split('\n');
        QCOMPARE(lines.size(), 2);
        QVERIFY(lines.at(0).endsWith(" b"));
        QVERIFY(lines.at(0).contains("Z "));
        const Response previous =
            request("GET", QStringLiteral("/api/v1/namespaces/default/pods/quiet/log?previous=true"));
        QCOMPARE(previous.status, 400);
    }

    void serviceProxy_forwardsToTheUpstream()
    {
        Upstream upstream;
        QVERIFY(upstream.listen(QHostAddress::LocalHost));
        m_server->setServiceProxyUpstream(QStringLiteral("istio-system"), QStringLiteral("prometheus"), 9090,
                                          QUrl(QStringLiteral("http://127.0.0.1:%1").arg(upstream.serverPort())));
        const Response r =
            request("GET", QStringLiteral("/api/v1/namespaces/istio-system/services/prometheus:9090/proxy/"
                                          "api/v1/query?query=up"));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json().value(QStringLiteral("requestLine")).toString(),
                 QStringLiteral("GET /api/v1/query?query=up HTTP/1.1"));
    }

    void scaleSubresource_getPutPatch()
    {
        const QByteArray deployment = R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},
            "spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},
            "spec":{"containers":[{"name":"nginx","image":"nginx"}]}}}})";
        QCOMPARE(request("POST", QStringLiteral("/apis/apps/v1/namespaces/default/deployments"), deployment,
                         "application/json")
                     .status,
                 201);
        const QString url = QStringLiteral("/apis/apps/v1/namespaces/default/deployments/web/scale");
        Response r = request("GET", url);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json().value(QStringLiteral("kind")).toString(), QStringLiteral("Scale"));
        QCOMPARE(r.json().value(QStringLiteral("spec")).toObject().value(QStringLiteral("replicas")).toInt(), 2);
        QCOMPARE(r.json().value(QStringLiteral("status")).toObject().value(QStringLiteral("selector")).toString(),
                 QStringLiteral("app=web"));
        r = request("PATCH", url, R"({"spec":{"replicas":4}})", "application/merge-patch+json");
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json().value(QStringLiteral("spec")).toObject().value(QStringLiteral("replicas")).toInt(), 4);
        QJsonObject scale = r.json();
        scale.insert(QStringLiteral("spec"), QJsonObject{{QStringLiteral("replicas"), 6}});
        r = request("PUT", url, QJsonDocument(scale).toJson(), "application/json");
        QCOMPARE(r.status, 200);
        const QJsonObject live =
            m_server->get(QStringLiteral("apps"), QStringLiteral("v1"), QStringLiteral("deployments"),
                          QStringLiteral("default"), QStringLiteral("web"));
        QCOMPARE(live.value(QStringLiteral("spec")).toObject().value(QStringLiteral("replicas")).toInt(), 6);
        QCOMPARE(live.value(QStringLiteral("metadata")).toObject().value(QStringLiteral("generation")).toInt(), 3);
    }

    void patches_mergeAndJsonPatch()
    {
        QVERIFY(!m_server->create(pod(QStringLiteral("p"))).isEmpty());
        const QString url = QStringLiteral("/api/v1/namespaces/default/pods/p");
        Response r = request("PATCH", url, R"({"metadata":{"labels":{"tier":"web","app":null}}})",
                             "application/merge-patch+json");
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json().value(QStringLiteral("metadata")).toObject().value(QStringLiteral("labels")).toObject(),
                 QJsonObject({{QStringLiteral("tier"), QStringLiteral("web")}}));
        r = request("PATCH", url, R"([{"op":"replace","path":"/spec/containers/0/image","value":"busybox:2"}])",
                    "application/json-patch+json");
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json()[QLatin1String("spec")][QLatin1String("containers")][0][QLatin1String("image")].toString(),
                 QStringLiteral("busybox:2"));
        r = request("PATCH", url, R"([{"op":"remove","path":"/spec/nothing"}])", "application/json-patch+json");
        QCOMPARE(r.status, 422);
        r = request("PATCH", QStringLiteral("/api/v1/namespaces/default/pods/absent"), R"({})",
                    "application/merge-patch+json");
        QCOMPARE(r.status, 404);
        // metadata.generation belongs to the server: a patch cannot set it (a metadata-only change keeps it).
        r = request("PATCH", url, R"({"metadata":{"generation":99,"labels":{"x":"y"}}})",
                    "application/merge-patch+json");
        QCOMPARE(r.status, 200);
        QVERIFY(r.json()[QLatin1String("metadata")][QLatin1String("generation")].toInt() != 99);
        QCOMPARE(r.json()[QLatin1String("metadata")][QLatin1String("generation")].toInt(),
                 request("GET", url).json()[QLatin1String("metadata")][QLatin1String("generation")].toInt());
    }

    void secretStringData_isStoredAsData()
    {
        const QByteArray secret = R"({"apiVersion":"v1","kind":"Secret","metadata":{"name":"sd"},
            "data":{"user":"YWRtaW4=","password":"b2xk"},"stringData":{"password":"s3cr3t"}})";
        const QString url = QStringLiteral("/api/v1/namespaces/default/secrets");
        Response r = request("POST", url + QStringLiteral("?dryRun=All"), secret, "application/json");
        QCOMPARE(r.status, 201);
        QVERIFY(!r.json().contains(QLatin1String("stringData")));
        r = request("POST", url, secret, "application/json");
        QCOMPARE(r.status, 201);
        r = request("GET", url + QStringLiteral("/sd"));
        QVERIFY(!r.json().contains(QLatin1String("stringData")));
        QCOMPARE(r.json()[QLatin1String("data")].toObject(),
                 QJsonObject({{QStringLiteral("user"), QStringLiteral("YWRtaW4=")},
                              {QStringLiteral("password"), QStringLiteral("czNjcjN0")}})); // stringData wins
    }

    void updateWithStaleResourceVersion_conflicts()
    {
        const QJsonObject created = m_server->create(pod(QStringLiteral("u")));
        QJsonObject changed = created;
        QVERIFY(!m_server
                     ->modify(QString(), QStringLiteral("v1"), QStringLiteral("pods"), QStringLiteral("default"),
                              QStringLiteral("u"),
                              QJsonObject{{QStringLiteral("metadata"),
                                           QJsonObject{{QStringLiteral("labels"),
                                                        QJsonObject{{QStringLiteral("x"), QStringLiteral("1")}}}}}})
                     .isEmpty());
        const Response r = request("PUT", QStringLiteral("/api/v1/namespaces/default/pods/u"),
                                   QJsonDocument(changed).toJson(), "application/json");
        QCOMPARE(r.status, 409);
        QCOMPARE(r.json().value(QStringLiteral("reason")).toString(), QStringLiteral("Conflict"));
    }

    void selectors_filterLists()
    {
        QVERIFY(!m_server->create(pod(QStringLiteral("x1"))).isEmpty());
        QVERIFY(!m_server->create(pod(QStringLiteral("x2"))).isEmpty());
        m_server->setPodPhase(QStringLiteral("default"), QStringLiteral("x2"), QStringLiteral("Running"));
        auto names = [this](const QString &query) {
            QStringList out;
            for (const QJsonValue &item : request("GET", QStringLiteral("/api/v1/pods?") + query)
                                              .json()
                                              .value(QStringLiteral("items"))
                                              .toArray())
                out.append(item[QLatin1String("metadata")][QLatin1String("name")].toString());
            return out;
        };
        QCOMPARE(names(QStringLiteral("labelSelector=app%3Dx1")), QStringList{QStringLiteral("x1")});
        QCOMPARE(names(QStringLiteral("labelSelector=app%20in%20(x1,x2)")).size(), 2);
        QCOMPARE(names(QStringLiteral("fieldSelector=metadata.name%3Dx2")), QStringList{QStringLiteral("x2")});
        QCOMPARE(names(QStringLiteral("fieldSelector=status.phase%3DRunning")), QStringList{QStringLiteral("x2")});
        QCOMPARE(names(QStringLiteral("fieldSelector=status.phase!%3DRunning")), QStringList{QStringLiteral("x1")});
    }

    void createInMissingNamespace_isNotFound()
    {
        const Response r =
            request("POST", QStringLiteral("/api/v1/namespaces/nowhere/configmaps"),
                    R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"}})", "application/json");
        QCOMPARE(r.status, 404);
        QCOMPARE(r.json().value(QStringLiteral("message")).toString(),
                 QStringLiteral("namespaces \"nowhere\" not found"));
    }

    void deleteDeployment_cascadesToOwnedObjects()
    {
        const QJsonObject owner =
            m_server->create(QJsonDocument::fromJson(R"({"apiVersion":"apps/v1","kind":"ReplicaSet",
            "metadata":{"name":"rs"},"spec":{"selector":{"matchLabels":{"app":"a"}},"template":{"spec":{"containers":[{"name":"c","image":"i"}]}}}})")
                                 .object());
        QJsonObject child = pod(QStringLiteral("child"));
        QJsonObject metadata = child.value(QStringLiteral("metadata")).toObject();
        metadata.insert(QStringLiteral("ownerReferences"),
                        QJsonArray{QJsonObject{{QStringLiteral("apiVersion"), QStringLiteral("apps/v1")},
                                               {QStringLiteral("kind"), QStringLiteral("ReplicaSet")},
                                               {QStringLiteral("name"), QStringLiteral("rs")},
                                               {QStringLiteral("uid"),
                                                owner[QLatin1String("metadata")][QLatin1String("uid")].toString()}}});
        child.insert(QStringLiteral("metadata"), metadata);
        QVERIFY(!m_server->create(child).isEmpty());
        const Response r = request("DELETE", QStringLiteral("/apis/apps/v1/namespaces/default/replicasets/rs"));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json().value(QStringLiteral("status")).toString(), QStringLiteral("Success"));
        QVERIFY(m_server
                    ->get(QString(), QStringLiteral("v1"), QStringLiteral("pods"), QStringLiteral("default"),
                          QStringLiteral("child"))
                    .isEmpty());
    }

    void accessReviews_answerFromRbac()
    {
        const QByteArray review = R"({"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectAccessReview",
            "spec":{"resourceAttributes":{"namespace":"default","verb":"list","resource":"pods"}}})";
        Response r = request("POST", QStringLiteral("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews"), review,
                             "application/json");
        QCOMPARE(r.status, 201);
        QVERIFY(r.json()[QLatin1String("status")][QLatin1String("allowed")].toBool());
        r = request(
            "POST", QStringLiteral("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews"),
            R"({"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectRulesReview","spec":{"namespace":"default"}})",
            "application/json");
        QCOMPARE(r.status, 201);
        QVERIFY(!r.json()[QLatin1String("status")][QLatin1String("resourceRules")].toArray().isEmpty());
    }

    void postingACrd_servesItsResource()
    {
        const QByteArray crd = R"({"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
            "metadata":{"name":"widgets.example.com"},"spec":{"group":"example.com","scope":"Namespaced",
            "names":{"plural":"widgets","singular":"widget","kind":"Widget","shortNames":["wd"]},
            "versions":[{"name":"v1","served":true,"storage":true,"subresources":{"status":{}},
            "additionalPrinterColumns":[{"name":"Size","type":"integer","jsonPath":".spec.size"}]}]}})";
        QCOMPARE(request("GET", QStringLiteral("/apis/example.com/v1/namespaces/default/widgets")).status, 404);
        const Response created = request(
            "POST", QStringLiteral("/apis/apiextensions.k8s.io/v1/customresourcedefinitions"), crd, "application/json");
        QVERIFY2(created.status == 201, created.body.constData());
        QVERIFY(request("GET", QStringLiteral("/apis")).body.contains("\"example.com\""));
        QCOMPARE(request("POST", QStringLiteral("/apis/example.com/v1/namespaces/default/widgets"),
                         R"({"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w"},"spec":{"size":3}})",
                         "application/json")
                     .status,
                 201);
        QNetworkRequest req = makeRequest(QStringLiteral("/apis/example.com/v1/namespaces/default/widgets"));
        req.setRawHeader("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io,application/json");
        QNetworkReply *reply = m_network.get(req);
        QTRY_VERIFY(reply->isFinished());
        const QJsonObject table = QJsonDocument::fromJson(reply->readAll()).object();
        reply->deleteLater();
        QCOMPARE(table[QLatin1String("columnDefinitions")][1][QLatin1String("name")].toString(),
                 QStringLiteral("Size"));
        QCOMPARE(table[QLatin1String("rows")][0][QLatin1String("cells")][1].toInt(), 3);
        // A patch adding a served version makes it available at once, as an update or apply does.
        QCOMPARE(request("GET", QStringLiteral("/apis/example.com/v2/namespaces/default/widgets")).status, 404);
        const Response patched = request(
            "PATCH", QStringLiteral("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com"),
            R"([{"op":"add","path":"/spec/versions/-","value":{"name":"v2","served":true,"storage":false}}])",
            "application/json-patch+json");
        QVERIFY2(patched.status == 200, patched.body.constData());
        QCOMPARE(request("GET", QStringLiteral("/apis/example.com/v2/namespaces/default/widgets")).status, 200);
        QCOMPARE(request("DELETE",
                         QStringLiteral("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com"))
                     .status,
                 200);
        QCOMPARE(request("GET", QStringLiteral("/apis/example.com/v1/namespaces/default/widgets")).status, 404);
    }

    void protobufBodies_areUnsupportedMediaType_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("contentType");
        QTest::newRow("create") << QByteArray("POST") << QStringLiteral("/api/v1/namespaces/default/pods")
                                << QByteArray("application/vnd.kubernetes.protobuf");
        QTest::newRow("update") << QByteArray("PUT") << QStringLiteral("/api/v1/namespaces/default/pods/proto")
                                << QByteArray("application/vnd.kubernetes.protobuf");
        QTest::newRow("patch") << QByteArray("PATCH") << QStringLiteral("/api/v1/namespaces/default/pods/proto")
                               << QByteArray("application/vnd.kubernetes.protobuf");
        QTest::newRow("with parameters") << QByteArray("POST") << QStringLiteral("/api/v1/namespaces/default/pods")
                                         << QByteArray("application/vnd.kubernetes.protobuf; charset=binary");
    }

    void protobufBodies_areUnsupportedMediaType()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(QByteArray, contentType);
        QVERIFY(!m_server->create(pod(QStringLiteral("proto"))).isEmpty());
        const QString rvBefore = m_server->resourceVersion();
        // The magic prefix of a Kubernetes protobuf envelope, then bytes that are no JSON.
        const QByteArray body = QByteArray("k8s\x00\x0a\x0b\x0a\x02v1\x12\x03Pod", 19);
        const Response r = request(method, path, body, contentType);
        QCOMPARE(r.status, 415);
        const QJsonObject status = r.json();
        QCOMPARE(status.value(QStringLiteral("kind")).toString(), QStringLiteral("Status"));
        QCOMPARE(status.value(QStringLiteral("reason")).toString(), QStringLiteral("UnsupportedMediaType"));
        QCOMPARE(status.value(QStringLiteral("code")).toInt(), 415);
        const QString message = status.value(QStringLiteral("message")).toString();
        QVERIFY2(message.contains(QLatin1String("JSON only")), qPrintable(message));
        QVERIFY2(!message.contains(QLatin1String("decod"), Qt::CaseInsensitive), qPrintable(message));
        QCOMPARE(m_server->resourceVersion(), rvBefore);
        // Reading with a protobuf Content-Type header but no body still works (JSON comes back).
        QCOMPARE(request("GET", QStringLiteral("/api/v1/namespaces/default/pods/proto"), {}, contentType).status, 200);
    }

    void requestLog_recordsWhatTheClientSent()
    {
        m_server->clearRequests();
        request("POST", QStringLiteral("/api/v1/namespaces/default/configmaps?fieldManager=me"),
                R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"logged"}})", "application/json");
        const auto requests = m_server->requests();
        QCOMPARE(requests.size(), 1);
        QCOMPARE(requests.first().method, QStringLiteral("POST"));
        QCOMPARE(requests.first().path, QStringLiteral("/api/v1/namespaces/default/configmaps"));
        QCOMPARE(requests.first().query, QStringLiteral("fieldManager=me"));
        QCOMPARE(requests.first().contentType, QStringLiteral("application/json"));
        QVERIFY(requests.first().body.contains("\"logged\""));
        QCOMPARE(requests.first().user, QStringLiteral("admin"));
    }

    void droppedWatchClients_laterChangesDoNotCrash_data()
    {
        QTest::addColumn<bool>("threaded");
        QTest::newRow("server in the test thread") << false;
        QTest::newRow("server in its own thread") << true;
    }

    // Regression: a watch whose client had gone kept a pointer to its connection; the next
    // events wrote to the dead socket, whose synchronous close erased the watch while
    // emitEvent() was iterating the watches (SIGSEGV in Engine::emitEvent -> deliver).
    void droppedWatchClients_laterChangesDoNotCrash()
    {
        QFETCH(bool, threaded);
        ApiServer server;
        QVERIFY2(threaded ? server.startInThread() : server.start(), qPrintable(server.lastError()));
        server.addTokenUser(QStringLiteral("drop-token"), QStringLiteral("dropper"), true);
        server.addPods(20);
        const QByteArray token = "drop-token";

        auto live = openRawWatch(server, "/api/v1/namespaces/default/pods?watch=1&resourceVersion=0", token);
        QVERIFY(live);
        for (int round = 0; round < 5; ++round) {
            std::vector<std::unique_ptr<QSslSocket>> dropped;
            for (const QByteArray &path :
                 {QByteArray("/api/v1/pods?watch=1&resourceVersion=0"),
                  QByteArray("/api/v1/namespaces/default/pods?watch=1&labelSelector=app%3Dapp-0"),
                  QByteArray("/api/v1/namespaces/default/pods?watch=1&allowWatchBookmarks=true")}) {
                dropped.push_back(openRawWatch(server, path, token));
                QVERIFY(dropped.back());
            }
            QTRY_COMPARE(server.openWatchCount(), 4);
            for (auto &socket : dropped)
                socket->abort();
            // No event processing in between: the server only learns about the drops by writing.
            for (int i = 0; i < 50; ++i) {
                const QString name = QStringLiteral("drop-%1-%2").arg(round).arg(i);
                QVERIFY(!server.create(pod(name)).isEmpty());
                server.setPodPhase(QStringLiteral("default"), name, QStringLiteral("Running"));
                if (i % 10 == 0)
                    QVERIFY(server.remove(QString(), QStringLiteral("v1"), QStringLiteral("pods"),
                                          QStringLiteral("default"), name));
            }
            // The dropped watches go away; the live one keeps its stream.
            QTRY_COMPARE(server.openWatchCount(), 1);
        }
        QByteArray received;
        QTRY_VERIFY((received += live->readAll()).contains("\"name\":\"drop-4-49\""));
        QVERIFY(received.contains("\"type\":\"MODIFIED\""));
        QVERIFY(received.contains("\"type\":\"DELETED\""));
        live->abort();
        QTRY_COMPARE(server.openWatchCount(), 0);

        // A stalled watch (no timeout timer, nothing written) is dropped as well.
        server.setStallWatches(true);
        auto stalled = openRawWatch(server, "/api/v1/pods?watch=1", token);
        QVERIFY(stalled);
        QTRY_COMPARE(server.openWatchCount(), 1);
        stalled->abort();
        QTRY_COMPARE(server.openWatchCount(), 0);
        QVERIFY(!server.create(pod(QStringLiteral("after-stall"))).isEmpty());
    }

    // Not a timed test: it proves that many single-object changes on a big collection finish
    // (each used to copy the whole collection) and prints the rate for the curious.
    void manyModificationsOnManyPods_complete()
    {
        const int pods = 10000;
        const int modifications = 20000;
        m_server->addPods(pods, QStringLiteral("load"));
        auto podName = [](int n) {
            return QStringLiteral("app-%1-5d894c86f5-%2")
                .arg(n / 100)
                .arg(QString::number(n, 36).rightJustified(5, QLatin1Char('0')));
        };
        QVERIFY(!m_server
                     ->get(QString(), QStringLiteral("v1"), QStringLiteral("pods"), QStringLiteral("load"),
                           podName(pods - 1))
                     .isEmpty());
        const quint64 rvBefore = m_server->resourceVersion().toULongLong();
        QElapsedTimer timer;
        timer.start();
        int changed = 0;
        for (int i = 0; i < modifications; ++i) {
            const QJsonObject result = m_server->modify(
                QString(), QStringLiteral("v1"), QStringLiteral("pods"), QStringLiteral("load"), podName(i % pods),
                QJsonObject{{QStringLiteral("metadata"),
                             QJsonObject{{QStringLiteral("annotations"),
                                          QJsonObject{{QStringLiteral("round"), QString::number(i)}}}}}});
            if (!result.isEmpty())
                ++changed;
        }
        const qint64 elapsed = std::max<qint64>(1, timer.elapsed());
        QCOMPARE(changed, modifications);
        QCOMPARE(m_server->resourceVersion().toULongLong(), rvBefore + modifications);
        QCOMPARE(m_server->count(QString(), QStringLiteral("pods")), pods);
        const QJsonObject last = m_server->get(QString(), QStringLiteral("v1"), QStringLiteral("pods"),
                                               QStringLiteral("load"), podName((modifications - 1) % pods));
        QCOMPARE(last[QLatin1String("metadata")][QLatin1String("annotations")][QLatin1String("round")].toString(),
                 QString::number(modifications - 1));
        qInfo("%d modifications on %d pods: %lld ms, %lld per second", modifications, pods, elapsed,
              qint64(modifications) * 1000 / elapsed);
    }

    void holds50000Pods_andPagesThroughThem()
    {
        m_server->addPods(50000, QStringLiteral("load"));
        QCOMPARE(m_server->count(QString(), QStringLiteral("pods")), 50000);
        int total = 0;
        QString token;
        int pages = 0;
        do {
            const Response r = request("GET", QStringLiteral("/api/v1/namespaces/load/pods?limit=10000") +
                                                  (token.isEmpty() ? QString() : QStringLiteral("&continue=") + token));
            QCOMPARE(r.status, 200);
            const QJsonObject list = r.json();
            total += int(list.value(QStringLiteral("items")).toArray().size());
            token = list[QLatin1String("metadata")][QLatin1String("continue")].toString();
            if (!token.isEmpty())
                QCOMPARE(list[QLatin1String("metadata")][QLatin1String("remainingItemCount")].toInt(), 50000 - total);
            ++pages;
        } while (!token.isEmpty() && pages < 10);
        QCOMPARE(total, 50000);
        QCOMPARE(pages, 5);
    }
};

ORCHESTRA_TEST_MAIN(TestApiServerBehaviour)
#include "tst_apiserverbehaviour.moc"
