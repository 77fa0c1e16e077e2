// Informer behaviour that the test API server cannot produce on demand: a plain HTTP 410 on the watch, garbage in
// the stream, a bookmark moving the resourceVersion, and watches that end at once. A scripted HTTP/1.1 server
// answers each request with the next canned response for its kind (list or watch).

#include "watch/informer.h"
#include "watch/informerfactory.h"

#include "testmain.h"

#include <QTcpServer>
#include <QTcpSocket>
#include <QUrlQuery>

using namespace orchestra;

namespace {

QByteArray podJson(const char *name, const char *rv)
{
    return QByteArray(R"({"kind":"Pod","apiVersion":"v1","metadata":{"name":")") + name +
           R"(","namespace":"default","uid":"uid-)" + name + R"(","resourceVersion":")" + rv + R"("}})";
}

QByteArray listResponse(const QList<QByteArray> &items, const char *rv)
{
    const QByteArray body = R"({"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":")" + QByteArray(rv) +
                            R"("},"items":[)" + items.join(',') + "]}";
    return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) +
           "\r\nConnection: close\r\n\r\n" + body;
}

QByteArray chunk(const QByteArray &data)
{
    return QByteArray::number(data.size(), 16) + "\r\n" + data + "\r\n";
}

// A watch response: the given events, then either the end of the stream or nothing (kept open).
QByteArray watchResponse(const QList<QByteArray> &events, bool end)
{
    QByteArray response = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
    for (const QByteArray &event : events)
        response += chunk(event + "\n");
    if (end)
        response += "0\r\n\r\n";
    return response;
}

QByteArray statusResponse(int code, const char *reason)
{
    const QByteArray body = R"({"kind":"Status","apiVersion":"v1","status":"Failure","message":"scripted","reason":")" +
                            QByteArray(reason) + R"(","code":)" + QByteArray::number(code) + "}";
    return "HTTP/1.1 " + QByteArray::number(code) +
           " Scripted\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) +
           "\r\nConnection: close\r\n\r\n" + body;
}

class ScriptedServer final : public QObject
{
public:
    ScriptedServer()
    {
        m_server.listen(QHostAddress::LocalHost, 0);
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                m_sockets.append(socket);
                connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onRead(socket); });
            }
        });
    }

    QUrl url() const { return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_server.serverPort())); }

    QList<QByteArray> lists;   // next responses to list requests
    QList<QByteArray> watches; // next responses to watch requests
    QList<QByteArray> requests;

    /// Cuts every open connection (an open watch ends with an error, as when the network drops).
    void dropConnections()
    {
        for (QTcpSocket *socket : std::as_const(m_sockets))
            socket->abort();
    }

    int watchRequests() const
    {
        int count = 0;
        for (const QByteArray &request : requests)
            count += request.contains("watch=1") ? 1 : 0;
        return count;
    }

private:
    void onRead(QTcpSocket *socket)
    {
        QByteArray &buffer = m_buffers[socket];
        buffer += socket->readAll();
        if (!buffer.contains("\r\n\r\n"))
            return;
        const QByteArray line = buffer.left(buffer.indexOf("\r\n"));
        buffer.clear();
        requests.append(line);
        QList<QByteArray> &queue = line.contains("watch=1") ? watches : lists;
        // When the script runs out, a watch stays open and silent; a list fails.
        const QByteArray response = queue.isEmpty() ? (line.contains("watch=1") ? watchResponse({}, false)
                                                                                : statusResponse(500, "InternalError"))
                                                    : queue.takeFirst();
        socket->write(response);
        if (response.contains("Connection: close"))
            socket->disconnectFromHost();
    }

    QTcpServer m_server;
    QList<QTcpSocket *> m_sockets;
    QHash<QTcpSocket *, QByteArray> m_buffers;
};

/// The decoded query item `key` of a request line ("GET /path?query HTTP/1.1").
QString queryItem(const QByteArray &requestLine, const QString &key)
{
    const QUrl target(QString::fromLatin1(requestLine.split(' ').value(1)));
    return QUrlQuery(target).queryItemValue(key, QUrl::FullyDecoded);
}

kube::ResourceKind podsKind()
{
    kube::ResourceKind pods;
    pods.version = QStringLiteral("v1");
    pods.kind = QStringLiteral("Pod");
    pods.plural = QStringLiteral("pods");
    pods.namespaced = true;
    return pods;
}

} // namespace

class TestInformer : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<ScriptedServer> m_server;
    std::unique_ptr<kube::ApiClient> m_client;
    std::unique_ptr<watch::Informer> m_informer;

private slots:
    void init()
    {
        m_server = std::make_unique<ScriptedServer>();
        kubeconfig::RestConfig config;
        config.server = m_server->url();
        m_client = std::make_unique<kube::ApiClient>(config);
        m_informer = std::make_unique<watch::Informer>(m_client.get(), podsKind(), QStringLiteral("default"),
                                                       watch::Informer::Format::Objects);
        m_informer->setBackoff(50, 400);
    }

    void cleanup()
    {
        m_informer.reset();
        m_client.reset();
        m_server.reset();
    }

    void watch_startsFromTheListVersionWithBookmarks()
    {
        m_server->lists = {listResponse({podJson("a", "10")}, "17")};
        m_informer->start();
        QTRY_COMPARE(m_server->watchRequests(), 1);
        const QByteArray watch = m_server->requests.last();
        QVERIFY(watch.contains("/api/v1/namespaces/default/pods?"));
        QVERIFY(watch.contains("resourceVersion=17"));
        QVERIFY(watch.contains("allowWatchBookmarks=true"));
        const int timeout =
            watch.mid(watch.indexOf("timeoutSeconds=") + 15).split(' ').first().split('&').first().toInt();
        QVERIFY(timeout >= 300 && timeout <= 600);
        QVERIFY(m_server->requests.first().contains("limit=500"));
        QCOMPARE(m_informer->store()->size(), 1);
    }

    void http410OnWatch_relists()
    {
        m_server->lists = {listResponse({podJson("a", "10")}, "17"), listResponse({podJson("b", "30")}, "31")};
        m_server->watches = {statusResponse(410, "Expired")};
        m_informer->start();
        QTRY_COMPARE(m_informer->listCount(), 2);
        QTRY_VERIFY(m_informer->store()->contains(QStringLiteral("uid-b")));
        QVERIFY(!m_informer->store()->contains(QStringLiteral("uid-a")));
        QTRY_COMPARE(m_server->watchRequests(), 2);
        QVERIFY(m_server->requests.last().contains("resourceVersion=31"));
    }

    void endedWatch_resumesFromTheLastBookmark()
    {
        m_server->lists = {listResponse({podJson("a", "10")}, "17")};
        m_server->watches = {watchResponse(
            {R"({"type":"ADDED","object":)" + podJson("b", "20") + "}",
             R"({"type":"BOOKMARK","object":{"kind":"Pod","apiVersion":"v1","metadata":{"resourceVersion":"25"}}})"},
            true)};
        m_informer->start();
        QTRY_COMPARE(m_server->watchRequests(), 2);
        QVERIFY(m_server->requests.last().contains("resourceVersion=25"));
        QCOMPARE(m_informer->listCount(), 1);
        QCOMPARE(m_informer->store()->size(), 2);
    }

    void garbageInStream_rewatchesWithoutRelist()
    {
        m_server->lists = {listResponse({podJson("a", "10")}, "17")};
        m_server->watches = {
            watchResponse({R"({"type":"ADDED","object":)" + podJson("b", "20") + "}", "<html>oops</html>"}, false)};
        QSignalSpy errors(m_informer.get(), &watch::Informer::errorOccurred);
        m_informer->start();
        QTRY_COMPARE(m_server->watchRequests(), 2);
        QVERIFY(m_server->requests.last().contains("resourceVersion=20"));
        QCOMPARE(m_informer->listCount(), 1);
        QVERIFY(!errors.isEmpty());
        QVERIFY(m_informer->store()->contains(QStringLiteral("uid-b")));
    }

    void failingList_backsOffAndRetries()
    {
        m_server->lists = {statusResponse(500, "InternalError"), statusResponse(500, "InternalError"),
                           listResponse({podJson("a", "10")}, "17")};
        QSignalSpy phases(m_informer.get(), &watch::Informer::phaseChanged);
        m_informer->start();
        QTRY_VERIFY(m_informer->hasSynced());
        QCOMPARE(m_informer->listCount(), 3);
        QVERIFY(phases.contains(QVariantList{QVariant::fromValue(watch::Informer::Phase::Waiting)}));
        QCOMPARE(m_informer->lastError().has_value(), false); // cleared by the successful list
    }

    void watchEndingAtOnce_isNotASpin()
    {
        m_server->lists = {listResponse({}, "17")};
        for (int i = 0; i < 50; ++i)
            m_server->watches.append(watchResponse({}, true));
        m_informer->start();
        QTRY_VERIFY(m_server->watchRequests() >= 3);
        // With the backoff (50 ms doubling to 400 ms) a second can hold only a handful of attempts, not hundreds.
        QTest::qWait(1000);
        QVERIFY2(m_server->watchRequests() < 15, QByteArray::number(m_server->watchRequests()));
    }

    void backoff_resetsAfterAHealthyWatch()
    {
        m_informer->setBackoff(50, 400, 300);
        m_server->lists = {listResponse({}, "17")};
        for (int i = 0; i < 4; ++i) // four watches that end at once: 50, 100, 200, 400 ms
            m_server->watches.append(watchResponse({}, true));
        m_informer->start();
        QTRY_COMPARE_WITH_TIMEOUT(m_server->watchRequests(), 5, 10000); // the fifth stays open
        QCOMPARE(m_informer->backoffMs(), 400);
        QTest::qWait(400); // longer than resetAfterHealthyMs; the backoff is only looked at when the watch ends
        m_server->dropConnections();
        QTRY_COMPARE(m_server->watchRequests(), 6);
        QCOMPARE(m_informer->backoffMs(), 50);
        QCOMPARE(m_informer->listCount(), 1);
    }

    void backoff_keepsGrowingWithoutAHealthyWatch()
    {
        m_informer->setBackoff(50, 400, 60000);
        m_server->lists = {listResponse({}, "17")};
        for (int i = 0; i < 4; ++i)
            m_server->watches.append(watchResponse({}, true));
        m_informer->start();
        QTRY_COMPARE_WITH_TIMEOUT(m_server->watchRequests(), 5, 10000);
        m_server->dropConnections();
        QTRY_COMPARE(m_server->watchRequests(), 6);
        QCOMPARE(m_informer->backoffMs(), 400); // capped, not reset
    }

    void fieldSelector_isSentWithEveryListAndWatch()
    {
        // The list, the watch and the relist after a 410 all ask for the same subset.
        m_server->lists = {listResponse({podJson("a", "10")}, "17"), listResponse({podJson("a", "10")}, "31")};
        m_server->watches = {statusResponse(410, "Expired")};
        m_informer->setFieldSelector(QStringLiteral("involvedObject.kind=Node,involvedObject.name=node-1"));
        m_informer->start();
        QTRY_COMPARE(m_server->watchRequests(), 2);
        QCOMPARE(m_informer->listCount(), 2);
        QCOMPARE(m_server->requests.size(), 4);
        for (const QByteArray &request : std::as_const(m_server->requests))
            QCOMPARE(queryItem(request, QStringLiteral("fieldSelector")),
                     QStringLiteral("involvedObject.kind=Node,involvedObject.name=node-1"));
    }

    void factory_givesAFieldSelectorAnInformerOfItsOwn()
    {
        m_server->lists = {listResponse({podJson("a", "10")}, "17"), listResponse({}, "17")};
        watch::InformerFactory factory(m_client.get());
        std::shared_ptr<watch::Informer> all =
            factory.informer(podsKind(), QStringLiteral("default"), watch::Informer::Format::Objects);
        std::shared_ptr<watch::Informer> one = factory.informer(
            podsKind(), QStringLiteral("default"), watch::Informer::Format::Objects, QStringLiteral("metadata.name=b"));
        QVERIFY(all != one);
        QCOMPARE(all->fieldSelector(), QString());
        QCOMPARE(one->fieldSelector(), QStringLiteral("metadata.name=b"));
        QCOMPARE(factory.informer(podsKind(), QStringLiteral("default"), watch::Informer::Format::Objects,
                                  QStringLiteral("metadata.name=b")),
                 one);
        QCOMPARE(factory.activeCount(), 2);
        QTRY_VERIFY(all->hasSynced() && one->hasSynced());
        // The last holder stops it; the unfiltered one is not affected.
        one.reset();
        QCOMPARE(factory.activeCount(), 1);
        QCOMPARE(all->phase(), watch::Informer::Phase::Watching);
    }

    void silentWatch_reconnectsAfterInactivity()
    {
        m_server->lists = {listResponse({podJson("a", "10")}, "17")};
        m_informer->setInactivityTimeout(200);
        m_informer->start();
        QTRY_VERIFY(m_server->watchRequests() >= 3);
        QCOMPARE(m_informer->listCount(), 1);
        QVERIFY(m_server->requests.last().contains("resourceVersion=17"));
    }
};

ORCHESTRA_TEST_MAIN(TestInformer)
#include "tst_informer.moc"
