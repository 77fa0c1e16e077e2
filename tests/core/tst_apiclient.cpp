#include "kube/apiclient.h"
#include "kubeconfig/kubeconfig.h"

#include "apiserver.h"
#include "testmain.h"

using namespace orchestra;

namespace {

// Credentials whose first token is stale: the 401 must make the client invalidate them and retry once.
class RotatingToken final : public kubeconfig::Credentials
{
public:
    QByteArray token = "stale-token";
    int invalidations = 0;
    bool failReady = false;

    void ensureReady(QObject *context, std::function<void(Result<void>)> done) override
    {
        QMetaObject::invokeMethod(
            context,
            [this, done] {
                if (failReady)
                    done(Error{QStringLiteral("the exec plugin failed"), {}, {}, 0});
                else
                    done(Result<void>());
            },
            Qt::QueuedConnection);
    }
    void apply(QNetworkRequest &request) const override { request.setRawHeader("Authorization", "Bearer " + token); }
    bool invalidate() override
    {
        ++invalidations;
        token = "fresh-token";
        return true;
    }
    QSslCertificate clientCertificate() const override { return QSslCertificate(); }
    QSslKey clientKey() const override { return QSslKey(); }
};

} // namespace

class TestApiClient : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    testing::ApiServer m_server;
    std::unique_ptr<kube::ApiClient> m_client;

    kube::Response send(kube::Request request)
    {
        std::optional<kube::Response> result;
        m_client->send(request, this, [&](const kube::Response &response) { result = response; });
        [&] { QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 30000); }();
        return result.value_or(kube::Response());
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(m_server.start(), qPrintable(m_server.lastError()));
        const QString path = m_dir.filePath(QStringLiteral("config"));
        QVERIFY(m_server.writeKubeconfig(path));
        kubeconfig::LoadOptions options;
        options.explicitFile = path;
        const auto config = kubeconfig::Kubeconfig::load(options);
        QVERIFY(config.ok());
        auto rest = kubeconfig::restConfig(config.value());
        QVERIFY2(rest.ok(), rest.ok() ? "" : qPrintable(rest.error().toString()));
        m_client = std::make_unique<kube::ApiClient>(rest.value());
    }

    void init()
    {
        m_server.failNext(0);
        m_server.setResponseDelay(0);
    }

    void get_returnsJsonOverTls()
    {
        kube::Request request;
        request.path = QStringLiteral("/version");
        const kube::Response response = send(request);
        QVERIFY2(response.ok(), qPrintable(response.error().toString()));
        QCOMPARE(response.httpStatus, 200);
        QCOMPARE(response.json().value(QLatin1String("major")).toString(), QStringLiteral("1"));
    }

    void unavailable_isRetriedAfterRetryAfter()
    {
        m_server.failNext(2, 503, 1);
        const int before = m_client->requestCount();
        kube::Request request;
        request.path = QStringLiteral("/api");
        const kube::Response response = send(request);
        QVERIFY2(response.ok(), qPrintable(response.error().toString()));
        QCOMPARE(m_client->requestCount() - before, 3);
    }

    void retries_areBounded()
    {
        m_server.failNext(5, 429, 1);
        const int before = m_client->requestCount();
        kube::Request request;
        request.path = QStringLiteral("/api");
        request.maxRetries = 1;
        const kube::Response response = send(request);
        QVERIFY(!response.ok());
        QCOMPARE(response.httpStatus, 429);
        QCOMPARE(response.status->code, 429);
        QCOMPARE(response.status->retryAfterSeconds, 1);
        QCOMPARE(m_client->requestCount() - before, 2);
        m_server.failNext(0);
    }

    void notFound_isATypedStatus()
    {
        kube::Request request;
        request.path = QStringLiteral("/api/v1/namespaces/default/pods/does-not-exist");
        const kube::Response response = send(request);
        QVERIFY(!response.ok());
        QVERIFY(response.status->isNotFound());
        QCOMPARE(response.status->reason, QStringLiteral("NotFound"));
        QCOMPARE(response.status->detailsName, QStringLiteral("does-not-exist"));
        const Error error = response.error(QStringLiteral("pod/does-not-exist"));
        QCOMPARE(error.code, 404);
        QCOMPARE(error.location, QStringLiteral("pod/does-not-exist"));
    }

    void slowServer_timesOut()
    {
        m_server.setResponseDelay(3000);
        kube::Request request;
        request.path = QStringLiteral("/version");
        request.timeoutMs = 300;
        const kube::Response response = send(request);
        m_server.setResponseDelay(0);
        QVERIFY(!response.ok());
        QCOMPARE(response.status->code, 0);
        QVERIFY(response.status->isTimeout());
        QVERIFY(response.error().message.contains(QStringLiteral("did not answer in time")));
    }

    void unauthorized_invalidatesCredentialsAndRetriesOnce()
    {
        m_server.addTokenUser(QStringLiteral("fresh-token"), QStringLiteral("robot"), true);
        kubeconfig::RestConfig config = m_client->config();
        auto credentials = std::make_shared<RotatingToken>();
        config.credentials = credentials;
        kube::ApiClient client(config);
        std::optional<kube::Response> result;
        kube::Request request;
        request.path = QStringLiteral("/api/v1/namespaces/default/pods");
        client.send(request, this, [&](const kube::Response &response) { result = response; });
        QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 30000);
        QVERIFY2(result->ok(), qPrintable(result->error().toString()));
        QCOMPARE(credentials->invalidations, 1);
        QCOMPARE(client.requestCount(), 2);

        // Credentials that cannot be made ready (a failing exec plugin): reported as 401, nothing is sent.
        auto broken = std::make_shared<RotatingToken>();
        broken->failReady = true;
        config.credentials = broken;
        kube::ApiClient refused(config);
        result.reset();
        refused.send(request, this, [&](const kube::Response &response) { result = response; });
        QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 30000);
        QVERIFY(!result->ok());
        QCOMPARE(result->status->code, 401);
        QVERIFY(result->error().message.contains(QStringLiteral("exec plugin")));
        QCOMPARE(refused.requestCount(), 0);
    }

    void stream_deliversWatchBytesThenFinishes()
    {
        kube::Request request;
        request.path = QStringLiteral("/api/v1/namespaces/default/pods?watch=1&timeoutSeconds=1");
        request.timeoutMs = 0;
        m_server.addPods(2, QStringLiteral("default"));
        std::unique_ptr<kube::StreamReply> stream(m_client->openStream(request));
        QByteArray bytes;
        connect(stream.get(), &kube::StreamReply::dataReceived, this, [&](const QByteArray &chunk) { bytes += chunk; });
        QSignalSpy opened(stream.get(), &kube::StreamReply::opened);
        QSignalSpy finished(stream.get(), &kube::StreamReply::finished);
        QVERIFY(finished.wait(10000));
        QCOMPARE(opened.size(), 1);
        QVERIFY(finished.first().first().value<kube::Response>().ok());
        QCOMPARE(bytes.count("\"ADDED\""), 2);
    }

    void wrongCa_failureNamesCertificateAndHost()
    {
        // Requests and streams describe transport failures as `orchestra --check` does, not with Qt's bare text.
        kubeconfig::RestConfig config = m_client->config();
        config.caCertificates = {}; // the system CAs do not know the test server's CA
        kube::ApiClient client(config);
        std::optional<kube::Response> result;
        kube::Request request;
        request.path = QStringLiteral("/version");
        client.send(request, this, [&](const kube::Response &response) { result = response; });
        QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 30000);
        QVERIFY(!result->ok());
        const Error error = result->error();
        QVERIFY2(error.message.contains(QStringLiteral("TLS verification of 127.0.0.1:%1").arg(m_server.port())),
                 qPrintable(error.toString()));
        QVERIFY2(error.message.contains(QLatin1String("CN=")), qPrintable(error.toString()));
        QVERIFY2(error.hint.contains(QLatin1String("certificate-authority")), qPrintable(error.toString()));

        request.path = QStringLiteral("/api/v1/pods?watch=1");
        request.timeoutMs = 0;
        std::unique_ptr<kube::StreamReply> stream(client.openStream(request));
        QSignalSpy finished(stream.get(), &kube::StreamReply::finished);
        QVERIFY(finished.wait(30000));
        const Error streamError = finished.first().first().value<kube::Response>().error();
        QVERIFY2(streamError.message.contains(QLatin1String("TLS verification")), qPrintable(streamError.toString()));
    }

    void streamError_isCollectedAsStatus()
    {
        kube::Request request;
        request.path = QStringLiteral("/api/v1/namespaces/default/widgets?watch=1");
        std::unique_ptr<kube::StreamReply> stream(m_client->openStream(request));
        QSignalSpy data(stream.get(), &kube::StreamReply::dataReceived);
        QSignalSpy finished(stream.get(), &kube::StreamReply::finished);
        QVERIFY(finished.wait(10000));
        QCOMPARE(data.size(), 0);
        const kube::Response response = finished.first().first().value<kube::Response>();
        QVERIFY(!response.ok());
        QCOMPARE(response.status->code, 404);
    }
};

ORCHESTRA_TEST_MAIN(TestApiClient)
#include "tst_apiclient.moc"
