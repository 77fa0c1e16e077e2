#include "kube/apiclient.h"
#include "metrics/prometheusclient.h"
#include "metrics/servicegraph.h"
#include "metrics/serviceproxytransport.h"
#include "metrics/timeseries.h"

#include "testmain.h"

#include <QFile>
#include <QJsonDocument>
#include <QTcpServer>
#include <QTcpSocket>

#include <cmath>
#include <memory>
#include <optional>

using namespace orchestra::metrics;
using orchestra::Result;

namespace {

QByteArray fixture(const QString &name)
{
    QFile file(QStringLiteral(ORCHESTRA_FIXTURES_DIR "/kube-apiserver-1.20/") + name);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing fixture %s", qPrintable(name));
    return file.readAll();
}

/// Answers every connection with `response` (raw HTTP), or never when it is empty; records request lines.
class TinyHttpServer : public QTcpServer
{
public:
    QByteArray response;
    QMap<QByteArray, QByteArray> routes; ///< path prefix -> raw response; the longest matching prefix wins
    QList<QByteArray> queued;            ///< raw responses used first, one per request, before routes
    QList<QByteArray> requests;
    QList<QByteArray> rawRequests; ///< request line and headers
    QList<QTcpSocket *> sockets;

protected:
    void incomingConnection(qintptr handle) override
    {
        auto *socket = new QTcpSocket(this);
        socket->setSocketDescriptor(handle);
        sockets.append(socket);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] {
            const QByteArray data = socket->readAll();
            const QByteArray line = data.left(data.indexOf("\r\n"));
            requests.append(line);
            rawRequests.append(data);
            const QByteArray path = line.split(' ').value(1);
            QByteArray answer = response;
            int best = -1;
            for (auto it = routes.begin(); it != routes.end(); ++it)
                if (path.startsWith(it.key()) && it.key().size() > best) {
                    best = int(it.key().size());
                    answer = it.value();
                }
            if (!queued.isEmpty())
                answer = queued.takeFirst();
            if (!answer.isEmpty()) {
                socket->write(answer);
                socket->disconnectFromHost();
            }
        });
    }
};

QByteArray httpResponse(int status, const QByteArray &body)
{
    return "HTTP/1.1 " + QByteArray::number(status) +
           " X\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) +
           "\r\nConnection: close\r\n\r\n" + body;
}

/// Credentials like an exec plugin's whose cached token is stale: a 401 makes the client invalidate them (re-run
/// the plugin) and retry once.
class RotatingToken final : public orchestra::kubeconfig::Credentials
{
public:
    QByteArray token = "stale-token";
    int invalidations = 0;
    bool canRefresh = true;
    bool failReady = false;

    void ensureReady(QObject *context, std::function<void(Result<void>)> done) override
    {
        QMetaObject::invokeMethod(
            context,
            [this, done] {
                if (failReady)
                    done(orchestra::Error{QStringLiteral("the exec plugin failed"), {}, {}, 0});
                else
                    done(Result<void>());
            },
            Qt::QueuedConnection);
    }
    void apply(QNetworkRequest &request) const override { request.setRawHeader("Authorization", "Bearer " + token); }
    bool invalidate() override
    {
        ++invalidations;
        if (!canRefresh)
            return false;
        token = "fresh-token";
        return true;
    }
    QSslCertificate clientCertificate() const override { return QSslCertificate(); }
    QSslKey clientKey() const override { return QSslKey(); }
};

} // namespace

class TestMetrics : public QObject
{
    Q_OBJECT

private:
    template<typename T>
    static Result<T> wait(const std::function<void(std::function<void(Result<T>)>)> &start)
    {
        std::optional<Result<T>> out;
        start([&out](Result<T> result) { out.emplace(std::move(result)); });
        if (!QTest::qWaitFor([&out] { return out.has_value(); }, 10000))
            return orchestra::Error{QStringLiteral("no answer"), {}, {}, 0};
        return std::move(*out);
    }

private slots:
    void sampleValues_includeNaNAndInfinities()
    {
        QCOMPARE(parseSampleValue(QStringLiteral("1.5")), 1.5);
        QVERIFY(std::isnan(parseSampleValue(QStringLiteral("NaN"))));
        QVERIFY(std::isinf(parseSampleValue(QStringLiteral("+Inf"))) && parseSampleValue(QStringLiteral("+Inf")) > 0);
        QVERIFY(parseSampleValue(QStringLiteral("-Inf")) < 0 && std::isinf(parseSampleValue(QStringLiteral("-Inf"))));
        QVERIFY(std::isnan(parseSampleValue(QStringLiteral("garbage"))));
        QCOMPARE(parseSampleValue(QStringLiteral("1e3")), 1000.0);
    }

    void matrix_isParsedWithLabelsAndTimestamps()
    {
        const QByteArray body =
            "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{\"destination_"
            "workload\":\"reviews-v1\"},\"values\":[[1700000000,\"1.5\"],[1700000030.5,\"NaN\"]]},{\"metric\":{"
            "\"destination_workload\":\"reviews-v2\"},\"values\":[[1700000000,\"+Inf\"]]}]}}";
        const Result<QueryResult> result = parseQueryResponse(body);
        QVERIFY(result.ok());
        QCOMPARE(result->type, ResultType::Matrix);
        QCOMPARE(result->series.size(), 2);
        QCOMPARE(result->series[0].label(QStringLiteral("destination_workload")), QStringLiteral("reviews-v1"));
        QCOMPARE(result->series[0].samples.size(), 2);
        QCOMPARE(result->series[0].samples[0].timestampMs, 1700000000000LL);
        QCOMPARE(result->series[0].samples[0].value, 1.5);
        QCOMPARE(result->series[0].samples[1].timestampMs, 1700000030500LL);
        QVERIFY(std::isnan(result->series[0].lastValue()));
        QVERIFY(std::isinf(result->series[1].lastValue()));
    }

    void vectorScalarAndEmpty_areParsed()
    {
        const Result<QueryResult> vector =
            parseQueryResponse("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},"
                               "\"value\":[1700000000.123,\"42\"]}]},\"warnings\":[\"partial\"]}");
        QVERIFY(vector.ok());
        QCOMPARE(vector->type, ResultType::Vector);
        QCOMPARE(vector->series.size(), 1);
        QCOMPARE(vector->series[0].lastValue(), 42.0);
        QCOMPARE(vector->series[0].samples[0].timestampMs, 1700000000123LL);
        QCOMPARE(vector->warnings, QStringList{QStringLiteral("partial")});

        const Result<QueryResult> scalar = parseQueryResponse(
            "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1700000000,\"0.25\"]}}");
        QVERIFY(scalar.ok());
        QCOMPARE(scalar->type, ResultType::Scalar);
        QCOMPARE(scalar->series[0].lastValue(), 0.25);
        QVERIFY(scalar->series[0].labels.isEmpty());

        const Result<QueryResult> empty =
            parseQueryResponse("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}");
        QVERIFY(empty.ok());
        QVERIFY(empty->isEmpty());
    }

    void prometheusErrors_keepTypeAndMessage()
    {
        const QByteArray body =
            "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"1:5: parse error: unexpected end of input\"}";
        const Result<QueryResult> result = parseQueryResponse(body);
        QVERIFY(!result.ok());
        QCOMPARE(result.error().message,
                 QStringLiteral("Prometheus rejected the query (bad_data): 1:5: parse error: unexpected end of input"));
        QVERIFY(!result.error().hint.isEmpty());
        const auto timeout =
            prometheusError("{\"status\":\"error\",\"errorType\":\"timeout\",\"error\":\"query timed out\"}", 503);
        QVERIFY(timeout);
        QCOMPARE(timeout->code, 503);
        QVERIFY(timeout->hint.contains(QLatin1String("shorter time range")));
        QVERIFY(!prometheusError("{\"kind\":\"Status\",\"code\":503}", 503));
    }

    void garbage_isNotAnApiResponse()
    {
        QVERIFY(!parseQueryResponse("<html>Kiali</html>").ok());
        QVERIFY(parseQueryResponse("<html>").error().hint.contains(QLatin1String("Prometheus")));
        QVERIFY(
            !parseQueryResponse("{\"status\":\"success\",\"data\":{\"resultType\":\"histogram\",\"result\":[]}}").ok());
        QVERIFY(!parseQueryResponse(
                     "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"value\":[1]}]}}")
                     .ok());
    }

    void labelValuesAndSeries_areParsed()
    {
        const Result<QStringList> values =
            parseLabelValuesResponse("{\"status\":\"success\",\"data\":[\"bookinfo\",\"default\"]}");
        QVERIFY(values.ok());
        QCOMPARE(*values, (QStringList{QStringLiteral("bookinfo"), QStringLiteral("default")}));
        const Result<QList<Labels>> series = parseSeriesResponse(
            "{\"status\":\"success\",\"data\":[{\"__name__\":\"istio_requests_total\",\"response_code\":\"200\"}]}");
        QVERIFY(series.ok());
        QCOMPARE(series->size(), 1);
        QCOMPARE(series->first().value(QStringLiteral("response_code")), QStringLiteral("200"));
    }

    void alignToGrid_marksMissingPointsAsNaN()
    {
        TimeRange range;
        range.end = QDateTime::fromSecsSinceEpoch(1700000120, Qt::UTC);
        range.durationSecs = 120;
        range.stepSecs = 30;
        TimeSeries series;
        series.samples = {{1700000000000, 1}, {1700000030000, 2}, {1700000090000, 4}};
        const QList<Sample> grid = alignToGrid(series, range);
        QCOMPARE(grid.size(), 5);
        QCOMPARE(grid[0].value, 1.0);
        QCOMPARE(grid[1].value, 2.0);
        QVERIFY(std::isnan(grid[2].value));
        QCOMPARE(grid[3].value, 4.0);
        QVERIFY(std::isnan(grid[4].value));
        QCOMPARE(grid[4].timestampMs, 1700000120000LL);
    }

    void timeRangePresets_haveAboutOneHundredTwentyPoints()
    {
        QCOMPARE(TimeRange::lastSeconds(300).stepSecs, 15);
        QCOMPARE(TimeRange::lastSeconds(3600).stepSecs, 30);
        QCOMPARE(TimeRange::lastSeconds(86400).stepSecs, 720);
    }

    void clientPaths_arePercentEncoded()
    {
        const QString path = PrometheusClient::queryPath(QStringLiteral("sum(rate(x{a=\"b\"}[1m])) + 1"),
                                                         QDateTime::fromSecsSinceEpoch(1700000000, Qt::UTC));
        QCOMPARE(path, QStringLiteral("/api/v1/query?query=sum%28rate%28x%7Ba%3D%22b%22%7D%5B1m%5D%29%29%20%2B%201"
                                      "&time=1700000000.000"));
        TimeRange range;
        range.end = QDateTime::fromSecsSinceEpoch(1700003600, Qt::UTC);
        range.durationSecs = 3600;
        range.stepSecs = 30;
        QCOMPARE(PrometheusClient::queryRangePath(QStringLiteral("rate(up[1m])"), range),
                 QStringLiteral("/api/v1/query_range?query=rate%28up%5B1m%5D%29&start=1700000000.000&end=1700003600.000"
                                "&step=30"));
        QCOMPARE(joinUrl(QUrl(QStringLiteral("https://host/prom/")), path).toString(QUrl::FullyEncoded),
                 QStringLiteral("https://host/prom") + path);
    }

    void serviceProxy_pathAndDetection()
    {
        PrometheusService service;
        QCOMPARE(service.proxyPath(), QStringLiteral("/api/v1/namespaces/istio-system/services/prometheus:9090/proxy"));
        service.scheme = QStringLiteral("https");
        QCOMPARE(service.proxyPath(),
                 QStringLiteral("/api/v1/namespaces/istio-system/services/https:prometheus:9090/proxy"));

        const auto found =
            findPrometheusService(QJsonDocument::fromJson(fixture(QStringLiteral("list-services-all.body"))).object());
        QVERIFY(found);
        QCOMPARE(found->nameSpace, QStringLiteral("istio-system"));
        QCOMPARE(found->name, QStringLiteral("prometheus"));
        QCOMPARE(found->port, 9090);

        const QJsonObject labelled =
            QJsonDocument::fromJson("{\"items\":[{\"metadata\":{\"name\":\"web\",\"namespace\":\"monitoring\"},"
                                    "\"spec\":{\"ports\":[{\"port\":80}]}},{\"metadata\":{\"name\":\"prom-server\","
                                    "\"namespace\":\"monitoring\",\"labels\":{\"app.kubernetes.io/"
                                    "name\":\"prometheus\"}},\"spec\":{\"ports\":[{\"name\":\"grpc\",\"port\":10901},{"
                                    "\"name\":\"web\",\"port\":9091}]}}]}")
                .object();
        const auto byLabel = findPrometheusService(labelled);
        QVERIFY(byLabel);
        QCOMPARE(byLabel->name, QStringLiteral("prom-server"));
        QCOMPARE(byLabel->port, 9091);
        QVERIFY(!findPrometheusService(QJsonDocument::fromJson("{\"items\":[]}").object()));
    }

    void serviceProxyFailures_sayWhatToDo()
    {
        const PrometheusService service;
        const auto noEndpoints = describeServiceProxyFailure(
            service, 503, fixture(QStringLiteral("service-proxy-no-endpoints.body")), QStringLiteral("minikube"));
        QVERIFY(noEndpoints);
        QCOMPARE(noEndpoints->code, 503);
        QVERIFY2(noEndpoints->message.contains(QLatin1String("no endpoints available for service \"prometheus\"")),
                 qPrintable(noEndpoints->message));
        QVERIFY(noEndpoints->hint.contains(QLatin1String("get pods")));
        QCOMPARE(noEndpoints->location, QStringLiteral("minikube"));

        const QByteArray missingBody =
            "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":\"services "
            "\\\"prometheus\\\" not "
            "found\",\"reason\":\"NotFound\",\"details\":{\"name\":\"prometheus\",\"kind\":\"services\"},\"code\":404}";
        const auto missing = describeServiceProxyFailure(service, 404, missingBody, {});
        QVERIFY(missing);
        QCOMPARE(missing->code, 404);
        QVERIFY(missing->message.contains(QLatin1String("istio-system/prometheus")));
        QVERIFY(missing->hint.contains(QLatin1String("samples/addons/prometheus.yaml")));

        QByteArray forbiddenBody = fixture(QStringLiteral("forbidden-list-pods.body"));
        const auto forbidden = describeServiceProxyFailure(service, 403, forbiddenBody, {});
        QVERIFY(forbidden);
        QCOMPARE(forbidden->code, 403);
        QVERIFY(forbidden->message.contains(QLatin1String("forbidden")));
        QVERIFY(forbidden->hint.contains(QLatin1String("services/proxy")));

        const auto queryError = describeServiceProxyFailure(
            service, 422, "{\"status\":\"error\",\"errorType\":\"execution\",\"error\":\"too many samples\"}", {});
        QVERIFY(queryError);
        QVERIFY(queryError->message.contains(QLatin1String("(execution): too many samples")));
        QVERIFY(!describeServiceProxyFailure(service, 200, "{}", {}));
    }

    void directTransport_timesOutWithoutBlocking()
    {
        TinyHttpServer server; // accepts, never answers
        QVERIFY(server.listen(QHostAddress::LocalHost));
        DirectPrometheusTransport transport(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(server.serverPort())));
        transport.setTimeoutMs(300);
        bool called = false;
        std::optional<Result<QByteArray>> out;
        transport.get(QStringLiteral("/api/v1/query?query=up"), this, [&](Result<QByteArray> result) {
            called = true;
            out.emplace(std::move(result));
        });
        QVERIFY(!called); // asynchronous: nothing happens before the event loop runs
        QTRY_VERIFY_WITH_TIMEOUT(out.has_value(), 10000);
        QVERIFY(!out->ok());
        QVERIFY2(out->error().message.contains(QLatin1String("did not answer within")),
                 qPrintable(out->error().message));
    }

    void directTransport_passesPrometheusErrorsAndBodies()
    {
        TinyHttpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost));
        DirectPrometheusTransport transport(QUrl(QStringLiteral("http://127.0.0.1:%1/prom").arg(server.serverPort())));
        PrometheusClient client(&transport);

        server.response = httpResponse(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{"
                                            "\"metric\":{},\"value\":[1,\"3\"]}]}}");
        const Result<QueryResult> ok =
            wait<QueryResult>([&](auto done) { client.query(QStringLiteral("up"), {}, this, done); });
        QVERIFY(ok.ok());
        QCOMPARE(ok->series.first().lastValue(), 3.0);
        QCOMPARE(server.requests.last(), QByteArray("GET /prom/api/v1/query?query=up HTTP/1.1"));

        server.response =
            httpResponse(400, "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"parse error\"}");
        const Result<QueryResult> bad =
            wait<QueryResult>([&](auto done) { client.query(QStringLiteral("up("), {}, this, done); });
        QVERIFY(!bad.ok());
        QCOMPARE(bad.error().code, 400);
        QVERIFY(bad.error().message.contains(QLatin1String("(bad_data): parse error")));

        server.response = httpResponse(404, "404 page not found");
        const Result<QStringList> notFound =
            wait<QStringList>([&](auto done) { client.labelValues(QStringLiteral("job"), {}, this, done); });
        QVERIFY(!notFound.ok());
        QCOMPARE(notFound.error().code, 404);
        QVERIFY(notFound.error().hint.contains(QLatin1String("root")));
    }

    void directTransport_refused_namesTheAddress()
    {
        quint16 port = 0;
        {
            QTcpServer probe;
            QVERIFY(probe.listen(QHostAddress::LocalHost));
            port = probe.serverPort();
        }
        DirectPrometheusTransport transport(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port)));
        const Result<QByteArray> result =
            wait<QByteArray>([&](auto done) { transport.get(QStringLiteral("/api/v1/query?query=up"), this, done); });
        QVERIFY(!result.ok());
        QVERIFY(result.error().message.contains(QStringLiteral("127.0.0.1:%1").arg(port)));
        QVERIFY(result.error().hint.contains(QLatin1String("port-forward")));
    }

    void destroyedContext_skipsTheCallback()
    {
        TinyHttpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost));
        server.response = httpResponse(200, "{\"status\":\"success\",\"data\":[]}");
        DirectPrometheusTransport transport(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(server.serverPort())));
        auto *context = new QObject;
        bool called = false;
        transport.get(QStringLiteral("/api/v1/label/job/values"), context, [&](Result<QByteArray>) { called = true; });
        delete context;
        QTRY_COMPARE_WITH_TIMEOUT(server.requests.size(), 1, 10000);
        QTest::qWait(50);
        QVERIFY(!called);
    }

    void serviceProxy_missingService_detectsAnotherOnce()
    {
        TinyHttpServer api; // plays the API server over plain HTTP
        QVERIFY(api.listen(QHostAddress::LocalHost));
        const QByteArray notFound =
            "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"services "
            "\\\"prometheus\\\" not found\",\"reason\":\"NotFound\",\"code\":404}";
        api.routes.insert("/api/v1/namespaces/istio-system/services/prometheus:9090/proxy",
                          httpResponse(404, notFound));
        api.routes.insert("/api/v1/namespaces/istio-system/services",
                          httpResponse(200, "{\"kind\":\"ServiceList\",\"items\":[{\"metadata\":{\"name\":"
                                            "\"prometheus-server\",\"namespace\":\"istio-system\",\"labels\":{"
                                            "\"app\":\"prometheus\"}},\"spec\":{\"ports\":[{\"name\":\"http\","
                                            "\"port\":80}]}}]}"));
        api.routes.insert("/api/v1/namespaces/istio-system/services/prometheus-server:80/proxy/",
                          httpResponse(200, "{\"status\":\"success\",\"data\":[\"bookinfo\"]}"));
        orchestra::kubeconfig::RestConfig config;
        config.contextName = QStringLiteral("test");
        config.server = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(api.serverPort()));
        orchestra::kube::ApiClient apiClient(config);
        ServiceProxyPrometheusTransport transport(&apiClient, PrometheusService{});
        PrometheusClient client(&transport);
        const Result<QStringList> values = wait<QStringList>(
            [&](auto done) { client.labelValues(QStringLiteral("destination_workload_namespace"), {}, this, done); });
        QVERIFY2(values.ok(), qPrintable(values ? QString() : values.error().toString()));
        QCOMPARE(*values, QStringList{QStringLiteral("bookinfo")});
        QCOMPARE(transport.service().name, QStringLiteral("prometheus-server"));
        QCOMPARE(transport.service().port, 80);
        QCOMPARE(api.requests.size(), 3);

        // Detection runs once: a later 404 is reported as it is.
        api.routes.insert("/api/v1/namespaces/istio-system/services/prometheus-server:80/proxy/",
                          httpResponse(404, notFound));
        const Result<QStringList> missing =
            wait<QStringList>([&](auto done) { client.labelValues(QStringLiteral("job"), {}, this, done); });
        QVERIFY(!missing.ok());
        QCOMPARE(missing.error().code, 404);
        QVERIFY(missing.error().hint.contains(QLatin1String("samples/addons/prometheus.yaml")));
        QCOMPARE(api.requests.size(), 4);
    }

    void serviceProxy_missingServiceAndNoneToDetect_isClear()
    {
        TinyHttpServer api;
        QVERIFY(api.listen(QHostAddress::LocalHost));
        api.routes.insert("/api/v1/namespaces/istio-system/services/prometheus:9090/proxy",
                          httpResponse(404, "{\"kind\":\"Status\",\"message\":\"services \\\"prometheus\\\" not "
                                            "found\",\"code\":404}"));
        api.routes.insert("/api/v1/namespaces/istio-system/services",
                          httpResponse(200, "{\"kind\":\"ServiceList\",\"items\":[]}"));
        orchestra::kubeconfig::RestConfig config;
        config.server = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(api.serverPort()));
        orchestra::kube::ApiClient apiClient(config);
        ServiceProxyPrometheusTransport transport(&apiClient, PrometheusService{});
        const Result<QByteArray> result =
            wait<QByteArray>([&](auto done) { transport.get(QStringLiteral("/api/v1/query?query=up"), this, done); });
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code, 404);
        QVERIFY2(result.error().message.contains(QLatin1String("There is no Service istio-system/prometheus")),
                 qPrintable(result.error().message));
    }

    void serviceProxy_staleCredentials_areRefreshedOnce()
    {
        TinyHttpServer api;
        QVERIFY(api.listen(QHostAddress::LocalHost));
        const QByteArray unauthorized =
            httpResponse(401, "{\"kind\":\"Status\",\"message\":\"Unauthorized\",\"reason\":\"Unauthorized\","
                              "\"code\":401}");
        api.routes.insert("/api/v1/namespaces/istio-system/services/prometheus:9090/proxy/",
                          httpResponse(200, "{\"status\":\"success\",\"data\":[\"bookinfo\"]}"));
        orchestra::kubeconfig::RestConfig config;
        config.server = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(api.serverPort()));
        auto credentials = std::make_shared<RotatingToken>();
        config.credentials = credentials;
        orchestra::kube::ApiClient apiClient(config);
        ServiceProxyPrometheusTransport transport(&apiClient, PrometheusService{});

        // The stale token gets a 401; the credentials are refreshed and the query is sent once more.
        api.queued.append(unauthorized);
        const Result<QByteArray> result =
            wait<QByteArray>([&](auto done) { transport.get(QStringLiteral("/api/v1/label/job/values"), this, done); });
        QVERIFY2(result.ok(), qPrintable(result ? QString() : result.error().toString()));
        QVERIFY(result->contains("bookinfo"));
        QCOMPARE(credentials->invalidations, 1);
        QCOMPARE(api.rawRequests.size(), 2);
        QVERIFY(api.rawRequests[0].contains("Bearer stale-token"));
        QVERIFY(api.rawRequests[1].contains("Bearer fresh-token"));
        QVERIFY(api.rawRequests[1].contains("/services/prometheus:9090/proxy/api/v1/label/job/values"));

        // Credentials that cannot be refreshed: one request, the 401 is reported as the service proxy's.
        credentials->canRefresh = false;
        api.queued.append(unauthorized);
        const Result<QByteArray> rejected =
            wait<QByteArray>([&](auto done) { transport.get(QStringLiteral("/api/v1/label/job/values"), this, done); });
        QVERIFY(!rejected.ok());
        QCOMPARE(rejected.error().code, 401);
        QVERIFY2(rejected.error().message.contains(QLatin1String("rejected the credentials")),
                 qPrintable(rejected.error().message));
        QCOMPARE(api.rawRequests.size(), 3);

        // Credentials that cannot be made ready (a failing exec plugin): nothing is sent.
        credentials->failReady = true;
        const Result<QByteArray> notReady =
            wait<QByteArray>([&](auto done) { transport.get(QStringLiteral("/api/v1/label/job/values"), this, done); });
        QVERIFY(!notReady.ok());
        QCOMPARE(notReady.error().code, 401);
        QVERIFY2(notReady.error().message.contains(QLatin1String("exec plugin failed")),
                 qPrintable(notReady.error().message));
        QCOMPARE(api.rawRequests.size(), 3);
    }

    void serviceProxy_timesOutClearly()
    {
        TinyHttpServer api; // accepts, never answers
        QVERIFY(api.listen(QHostAddress::LocalHost));
        orchestra::kubeconfig::RestConfig config;
        config.contextName = QStringLiteral("test");
        config.server = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(api.serverPort()));
        orchestra::kube::ApiClient apiClient(config);
        ServiceProxyPrometheusTransport transport(&apiClient, PrometheusService{});
        transport.setTimeoutMs(300);
        const Result<QByteArray> result =
            wait<QByteArray>([&](auto done) { transport.get(QStringLiteral("/api/v1/query?query=up"), this, done); });
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code, 0);
        QVERIFY2(result.error().message.contains(
                     QLatin1String("Prometheus (service istio-system/prometheus:9090 in context test) did not answer "
                                   "within")),
                 qPrintable(result.error().message));
        QVERIFY(result.error().hint.contains(QLatin1String("shorter time range")));
        QCOMPARE(api.requests.size(), 1);
    }

    void serviceProxy_unreachableOrGoneClient_isAnError()
    {
        QTcpServer closed; // a port nobody listens on
        QVERIFY(closed.listen(QHostAddress::LocalHost));
        const quint16 port = closed.serverPort();
        closed.close();
        orchestra::kubeconfig::RestConfig config;
        config.server = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port));
        auto apiClient = std::make_unique<orchestra::kube::ApiClient>(config);
        ServiceProxyPrometheusTransport transport(apiClient.get(), PrometheusService{});
        const Result<QByteArray> refused =
            wait<QByteArray>([&](auto done) { transport.get(QStringLiteral("/api/v1/query?query=up"), this, done); });
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().code, 0);
        QVERIFY2(refused.error().message.contains(QLatin1String("refused"), Qt::CaseInsensitive),
                 qPrintable(refused.error().message));
        QCOMPARE(refused.error().location, transport.describe());

        apiClient.reset();
        const Result<QByteArray> gone =
            wait<QByteArray>([&](auto done) { transport.get(QStringLiteral("/api/v1/query?query=up"), this, done); });
        QVERIFY(!gone.ok());
        QVERIFY2(gone.error().message.contains(QLatin1String("no connection to the cluster")),
                 qPrintable(gone.error().message));
    }

    void health_thresholds()
    {
        QCOMPARE(healthForErrorShare(0.0), Health::Healthy);
        QCOMPARE(healthForErrorShare(0.0099), Health::Healthy);
        QCOMPARE(healthForErrorShare(0.01), Health::Degraded);
        QCOMPARE(healthForErrorShare(0.0999), Health::Degraded);
        QCOMPARE(healthForErrorShare(0.10), Health::Failing);
        QCOMPARE(healthForErrorShare(0.5, 0.0), Health::NoTraffic);
        QCOMPARE(healthName(Health::Failing), QStringLiteral("failing"));
    }

    void graph_isBuiltFromEdgeVector()
    {
        const QByteArray body =
            "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{\"source_workload_"
            "namespace\":\"bookinfo\",\"source_workload\":\"productpage-v1\",\"destination_service_name\":\"reviews\","
            "\"destination_workload\":\"reviews-v1\",\"response_code\":\"200\"},\"value\":[1,\"2\"]},{\"metric\":{"
            "\"source_workload_namespace\":\"bookinfo\",\"source_workload\":\"productpage-v1\",\"destination_service_"
            "name\":\"reviews\",\"destination_workload\":\"reviews-v2\",\"response_code\":\"200\"},\"value\":[1,\"1."
            "5\"]},{\"metric\":{\"source_workload_namespace\":\"bookinfo\",\"source_workload\":\"productpage-v1\","
            "\"destination_service_name\":\"reviews\",\"destination_workload\":\"reviews-v2\",\"response_code\":"
            "\"503\"},\"value\":[1,\"0.5\"]},{\"metric\":{\"source_workload_namespace\":\"unknown\",\"source_"
            "workload\":\"unknown\",\"destination_service_name\":\"productpage\",\"destination_workload\":"
            "\"productpage-v1\",\"response_code\":\"200\"},\"value\":[1,\"4\"]},{\"metric\":{\"source_workload_"
            "namespace\":\"bookinfo\",\"source_workload\":\"productpage-v1\",\"destination_service_name\":\"reviews\","
            "\"destination_workload\":\"reviews-v1\",\"response_code\":\"404\"},\"value\":[1,\"NaN\"]}]}}";
        const Result<QueryResult> result = parseQueryResponse(body);
        QVERIFY(result.ok());
        const ServiceGraph graph = buildServiceGraph(*result, QStringLiteral("bookinfo"), 300);
        QCOMPARE(graph.nodes.size(), 6); // productpage wl+svc, reviews svc, v1, v2, unknown
        const GraphEdge *toService =
            graph.edge(QStringLiteral("workload:bookinfo/productpage-v1"), QStringLiteral("service:bookinfo/reviews"));
        QVERIFY(toService);
        QCOMPARE(toService->rate, 4.0);
        QCOMPARE(toService->errorShare, 0.125);
        QCOMPARE(toService->health, Health::Failing);
        const GraphEdge *toV1 =
            graph.edge(QStringLiteral("service:bookinfo/reviews"), QStringLiteral("workload:bookinfo/reviews-v1"));
        QVERIFY(toV1);
        QCOMPARE(toV1->rate, 2.0); // the NaN series is ignored
        QCOMPARE(toV1->health, Health::Healthy);
        QVERIFY(graph.node(QStringLiteral("unknown")));
        QCOMPARE(graph.node(QStringLiteral("workload:bookinfo/reviews-v2"))->errorShare, 0.25);
        const QList<int> layers = graph.layers();
        QCOMPARE(layers.at(graph.indexOf(QStringLiteral("unknown"))), 0);
        QCOMPARE(layers.at(graph.indexOf(QStringLiteral("workload:bookinfo/reviews-v2"))), 4);
    }
};

ORCHESTRA_TEST_MAIN(TestMetrics)
#include "tst_metrics.moc"
