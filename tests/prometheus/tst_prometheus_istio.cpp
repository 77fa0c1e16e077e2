// The Istio domain queries against a real Prometheus serving generated bookinfo data: every number is compared
// with the generator's model. The same runs through the test API server's service proxy, and against
// ORCHESTRA_IT_PROMETHEUS_URL when set (there only shapes are checked, never data).

#include "meshmodel.h"
#include "prometheusprocess.h"
#include "syncwait.h"

#include "apiserver.h"
#include "kube/apiclient.h"
#include "kubeconfig/kubeconfig.h"
#include "metrics/istiometrics.h"
#include "metrics/serviceproxytransport.h"

#include "testmain.h"

#include <QJsonDocument>

#include <cmath>
#include <memory>

using namespace orchestra::metrics;
using orchestra::Result;
using orchestra::testing::ApiServer;
using orchestra::testing::MeshEdge;
using orchestra::testing::MeshModel;
using orchestra::testing::PrometheusProcess;
using orchestra::testing::waitFor;

namespace {

bool near(double actual, double expected, double relative = 1e-3, double absolute = 1e-6)
{
    return std::abs(actual - expected) <= std::max(absolute, relative * std::abs(expected));
}

QString describe(const QMap<QString, double> &values)
{
    QStringList parts;
    for (auto it = values.begin(); it != values.end(); ++it)
        parts.append(QStringLiteral("%1=%2").arg(it.key()).arg(it.value(), 0, 'g', 8));
    return parts.join(QStringLiteral(", "));
}

/// value by group label from a vector result
QMap<QString, double> byLabel(const QueryResult &result, const QString &label)
{
    QMap<QString, double> values;
    for (const TimeSeries &series : result.series)
        values.insert(label.isEmpty() ? QString() : series.label(label), series.lastValue());
    return values;
}

} // namespace

class TestPrometheusIstio : public QObject
{
    Q_OBJECT

private:
    MeshModel m_model;
    PrometheusProcess m_prometheus;
    std::unique_ptr<ApiServer> m_apiServer;
    QTemporaryDir m_dir;
    std::unique_ptr<DirectPrometheusTransport> m_direct;
    std::unique_ptr<orchestra::kube::ApiClient> m_client; ///< the admin's, for the proxy transports
    std::unique_ptr<ServiceProxyPrometheusTransport> m_proxy;
    qint64 m_before = 0; ///< a time in the first half (before the latency change)
    qint64 m_after = 0;  ///< a time in the second half

    PrometheusTransport *transport()
    {
        QFETCH_GLOBAL(QString, via);
        return via == QLatin1String("proxy") ? static_cast<PrometheusTransport *>(m_proxy.get()) : m_direct.get();
    }

    Result<QueryResult> instant(const QString &promql, qint64 atSecs)
    {
        PrometheusClient client(transport());
        return waitFor<QueryResult>(
            [&](auto done) { client.query(promql, QDateTime::fromSecsSinceEpoch(atSecs, Qt::UTC), this, done); });
    }

    /// Checks a vector result against expected values per group label.
    void compare(const QString &promql, qint64 atSecs, const QString &label, const QMap<QString, double> &expected)
    {
        const Result<QueryResult> result = instant(promql, atSecs);
        QVERIFY2(result.ok(), qPrintable(result ? QString() : result.error().toString()));
        const QMap<QString, double> actual = byLabel(*result, label);
        const QString message =
            QStringLiteral("%1\n expected %2\n actual   %3").arg(promql, describe(expected), describe(actual));
        QVERIFY2(actual.keys() == expected.keys(), qPrintable(message));
        for (auto it = expected.begin(); it != expected.end(); ++it)
            QVERIFY2(near(actual.value(it.key()), it.value()), qPrintable(message));
    }

    static bool inbound(const MeshEdge &e, const QString &service) { return !e.tcp && e.destinationService == service; }

private slots:
    void initTestCase()
    {
        if (PrometheusProcess::prometheusExecutable().isEmpty() || PrometheusProcess::promtoolExecutable().isEmpty())
            QSKIP("prometheus/promtool are not installed (Debian package `prometheus`)");
        QVERIFY(m_dir.isValid());
        m_model = MeshModel::bookinfo(QDateTime::currentSecsSinceEpoch() - 60);
        m_before = m_model.startSecs + 1800;
        m_after = m_model.endSecs - 300;
        const QString file = m_dir.filePath(QStringLiteral("bookinfo.om"));
        QVERIFY(m_model.writeOpenMetrics(file));
        QVERIFY2(m_prometheus.start(file), qPrintable(m_prometheus.lastError()));
        m_direct = std::make_unique<DirectPrometheusTransport>(m_prometheus.url());

        m_apiServer = std::make_unique<ApiServer>();
        QVERIFY(m_apiServer->start());
        m_apiServer->setServiceProxyUpstream(QStringLiteral("istio-system"), QStringLiteral("prometheus"), 9090,
                                             m_prometheus.url());
        const QString kubeconfig = m_dir.filePath(QStringLiteral("kubeconfig"));
        QVERIFY(m_apiServer->writeKubeconfig(kubeconfig));
        const auto loaded = orchestra::kubeconfig::Kubeconfig::load({kubeconfig, {}, {}, {}});
        QVERIFY(loaded.ok());
        const auto rest = orchestra::kubeconfig::restConfig(*loaded);
        QVERIFY2(rest.ok(), qPrintable(rest ? QString() : rest.error().toString()));
        m_client = std::make_unique<orchestra::kube::ApiClient>(*rest);
        m_proxy = std::make_unique<ServiceProxyPrometheusTransport>(m_client.get(), PrometheusService{});
    }

    void initTestCase_data()
    {
        QTest::addColumn<QString>("via");
        QTest::newRow("direct") << QStringLiteral("direct");
        QTest::newRow("proxy") << QStringLiteral("proxy");
    }

    void requestRate_inboundService_byWorkload()
    {
        const IstioQueries queries({TargetKind::Service, QStringLiteral("bookinfo"), QStringLiteral("reviews")},
                                   Direction::Inbound);
        compare(queries.requestRate(GroupBy::DestinationWorkload, 60), m_before, QStringLiteral("destination_workload"),
                m_model.requestRate([](const MeshEdge &e) { return inbound(e, QStringLiteral("reviews")); },
                                    [](const MeshEdge &e) { return e.destinationWorkload; }));
        compare(queries.requestRate(GroupBy::DestinationVersion, 60), m_after, QStringLiteral("destination_version"),
                m_model.requestRate([](const MeshEdge &e) { return inbound(e, QStringLiteral("reviews")); },
                                    [](const MeshEdge &e) { return e.destinationVersion; }));
        compare(queries.requestRate(GroupBy::None, 120), m_after, QString(),
                m_model.requestRate([](const MeshEdge &e) { return inbound(e, QStringLiteral("reviews")); }, {}));
    }

    void requestRate_inboundWorkload_bySourceAndCode()
    {
        const IstioQueries queries({TargetKind::Workload, QStringLiteral("bookinfo"), QStringLiteral("ratings-v1")},
                                   Direction::Inbound);
        auto filter = [](const MeshEdge &e) { return !e.tcp && e.destinationWorkload == QLatin1String("ratings-v1"); };
        compare(queries.requestRate(GroupBy::SourceWorkload, 60), m_before, QStringLiteral("source_workload"),
                m_model.requestRate(filter, [](const MeshEdge &e) { return e.sourceWorkload; }));
        QMap<QString, double> byCode;
        for (const MeshEdge &e : m_model.edges)
            if (filter(e))
                for (auto code = e.codeRates.begin(); code != e.codeRates.end(); ++code)
                    byCode[code.key()] += code.value();
        compare(queries.requestRate(GroupBy::ResponseCode, 60), m_before, QStringLiteral("response_code"), byCode);
    }

    void requestRate_outbound_workloadAndService()
    {
        const IstioQueries workload(
            {TargetKind::Workload, QStringLiteral("bookinfo"), QStringLiteral("productpage-v1")}, Direction::Outbound);
        auto fromProductpage = [](const MeshEdge &e) {
            return !e.tcp && e.sourceWorkload == QLatin1String("productpage-v1");
        };
        compare(workload.requestRate(GroupBy::DestinationService, 60), m_before,
                QStringLiteral("destination_service_name"),
                m_model.requestRate(fromProductpage, [](const MeshEdge &e) { return e.destinationService; }));
        // A Service's outbound traffic is what its workloads send (source_canonical_service).
        const IstioQueries service({TargetKind::Service, QStringLiteral("bookinfo"), QStringLiteral("reviews")},
                                   Direction::Outbound);
        compare(service.requestRate(GroupBy::SourceWorkload, 60), m_after, QStringLiteral("source_workload"),
                m_model.requestRate([](const MeshEdge &e) { return !e.tcp && e.sourceApp == QLatin1String("reviews"); },
                                    [](const MeshEdge &e) { return e.sourceWorkload; }));
    }

    void errorRate_serverAndClientErrors_asShares()
    {
        const IstioQueries reviews({TargetKind::Service, QStringLiteral("bookinfo"), QStringLiteral("reviews")},
                                   Direction::Inbound);
        auto toReviews = [](const MeshEdge &e) { return inbound(e, QStringLiteral("reviews")); };
        auto byWorkload = [](const MeshEdge &e) { return e.destinationWorkload; };
        auto server = [](const QString &code) {
            return code == QLatin1String("0") || code.startsWith(QLatin1Char('5'));
        };
        auto client = [](const QString &code) { return code.startsWith(QLatin1Char('4')); };
        const QMap<QString, double> serverShares = m_model.errorShare(toReviews, byWorkload, server);
        QVERIFY(near(serverShares.value(QStringLiteral("reviews-v2")), 0.2));
        QCOMPARE(serverShares.value(QStringLiteral("reviews-v1")), 0.0); // present as 0, not absent
        compare(reviews.errorRate(ErrorClass::ServerErrors, GroupBy::DestinationWorkload, 60), m_before,
                QStringLiteral("destination_workload"), serverShares);
        compare(reviews.errorRate(ErrorClass::ClientErrors, GroupBy::DestinationWorkload, 60), m_before,
                QStringLiteral("destination_workload"), m_model.errorShare(toReviews, byWorkload, client));
        // Code 0 (no response) counts as a server error.
        const IstioQueries ratings({TargetKind::Service, QStringLiteral("bookinfo"), QStringLiteral("ratings")},
                                   Direction::Inbound);
        compare(
            ratings.errorRate(ErrorClass::ServerErrors, GroupBy::None, 60), m_after, QString(),
            m_model.errorShare([](const MeshEdge &e) { return inbound(e, QStringLiteral("ratings")); }, {}, server));
    }

    void latency_quantilesAndAverage_followTheChange()
    {
        const IstioQueries v3({TargetKind::Workload, QStringLiteral("bookinfo"), QStringLiteral("reviews-v3")},
                              Direction::Inbound);
        auto toV3 = [](const MeshEdge &e) { return !e.tcp && e.destinationWorkload == QLatin1String("reviews-v3"); };
        for (const qint64 at : {m_before, m_after}) {
            for (const double q : {0.5, 0.95, 0.99})
                compare(v3.latencyQuantile(q, GroupBy::None, 60), at, QString(),
                        {{QString(), m_model.latencyQuantile(q, at, toV3)}});
            compare(v3.latencyAverage(GroupBy::None, 60), at, QString(),
                    {{QString(), m_model.latencyAverage(at, toV3)}});
        }
        // The change is visible: p95 after is several times p95 before.
        QVERIFY(m_model.latencyQuantile(0.95, m_after, toV3) > 3 * m_model.latencyQuantile(0.95, m_before, toV3));

        // Per version over the reviews Service, merged histograms of each workload.
        const IstioQueries reviews({TargetKind::Service, QStringLiteral("bookinfo"), QStringLiteral("reviews")},
                                   Direction::Inbound);
        QMap<QString, double> expected;
        for (const QString &workload :
             {QStringLiteral("reviews-v1"), QStringLiteral("reviews-v2"), QStringLiteral("reviews-v3")})
            expected.insert(workload, m_model.latencyQuantile(0.95, m_after, [workload](const MeshEdge &e) {
                return !e.tcp && e.destinationWorkload == workload;
            }));
        compare(reviews.latencyQuantile(0.95, GroupBy::DestinationWorkload, 60), m_after,
                QStringLiteral("destination_workload"), expected);
        compare(reviews.latencyQuantile(0.5, GroupBy::None, 60), m_after, QString(),
                {{QString(), m_model.latencyQuantile(0.5, m_after, [](const MeshEdge &e) {
                      return inbound(e, QStringLiteral("reviews"));
                  })}});
    }

    void tcpBytes_forTcpService()
    {
        const IstioQueries mongo({TargetKind::Service, QStringLiteral("bookinfo"), QStringLiteral("mongodb")},
                                 Direction::Inbound);
        compare(mongo.tcpBytes(true, GroupBy::None, 60), m_before, QString(), {{QString(), 2048.0}});
        compare(mongo.tcpBytes(false, GroupBy::SourceWorkload, 60), m_before, QStringLiteral("source_workload"),
                {{QStringLiteral("ratings-v1"), 512.0}});
        // HTTP queries on a TCP service are empty, not an error.
        const Result<QueryResult> http = instant(mongo.requestRate(GroupBy::None, 60), m_before);
        QVERIFY(http.ok());
        QVERIFY(http->isEmpty());
    }

    void fetchTraffic_rangeOverBothPhases()
    {
        IstioMetrics metrics(transport());
        TrafficRequest request;
        request.target = {TargetKind::Workload, QStringLiteral("bookinfo"), QStringLiteral("reviews-v3")};
        request.groupBy = GroupBy::SourceWorkload;
        request.range.end = QDateTime::fromSecsSinceEpoch(m_after, Qt::UTC);
        request.range.durationSecs = m_after - m_before;
        request.range.stepSecs = 60;
        const Result<TrafficData> data =
            waitFor<TrafficData>([&](auto done) { metrics.fetchTraffic(request, this, done); });
        QVERIFY2(data.ok(), qPrintable(data ? QString() : data.error().toString()));
        QVERIFY(data->hasTraffic());
        QCOMPARE(data->rateWindowSecs, 60);
        QCOMPARE(data->requestRate.size(), 1);
        QCOMPARE(data->requestRate.first().label(QStringLiteral("source_workload")), QStringLiteral("productpage-v1"));
        const QList<Sample> points = alignToGrid(data->requestRate.first(), request.range);
        QCOMPARE(points.size(), int(request.range.durationSecs / 60) + 1);
        for (const Sample &point : points)
            QVERIFY2(near(point.value, 3.9), qPrintable(QString::number(point.value)));
        QCOMPARE(data->serverErrors.size(), 1);
        QCOMPARE(data->serverErrors.first().lastValue(), 0.0);
        QVERIFY(data->tcpSent.isEmpty());

        auto toV3 = [](const MeshEdge &e) { return !e.tcp && e.destinationWorkload == QLatin1String("reviews-v3"); };
        const double p95Before = m_model.latencyQuantile(0.95, m_before, toV3);
        const double p95After = m_model.latencyQuantile(0.95, m_after, toV3);
        QCOMPARE(data->latencyP95.size(), 1);
        const QList<Sample> &p95 = data->latencyP95.first().samples;
        QVERIFY(p95.size() > 10);
        QVERIFY2(near(p95.first().value, p95Before), qPrintable(QString::number(p95.first().value)));
        QVERIFY2(near(p95.last().value, p95After), qPrintable(QString::number(p95.last().value)));
        QVERIFY(near(data->latencyAverage.first().lastValue(), m_model.latencyAverage(m_after, toV3)));
    }

    void graph_edgesRatesAndHealth()
    {
        IstioMetrics metrics(transport());
        const Result<ServiceGraph> graph = waitFor<ServiceGraph>([&](auto done) {
            metrics.fetchGraph(QStringLiteral("bookinfo"), 60, QDateTime::fromSecsSinceEpoch(m_before, Qt::UTC), this,
                               done);
        });
        QVERIFY2(graph.ok(), qPrintable(graph ? QString() : graph.error().toString()));
        const QString productpage = QStringLiteral("workload:bookinfo/productpage-v1");
        const QString reviews = QStringLiteral("service:bookinfo/reviews");
        const GraphEdge *toReviews = graph->edge(productpage, reviews);
        QVERIFY(toReviews);
        const double toReviewsRate =
            m_model.requestRate([](const MeshEdge &e) { return inbound(e, QStringLiteral("reviews")); }, {}).value({});
        QVERIFY(near(toReviews->rate, toReviewsRate));
        QVERIFY(near(toReviews->errorShare, 0.6 / toReviewsRate));
        QCOMPARE(toReviews->health, Health::Degraded);
        const GraphEdge *toV2 = graph->edge(reviews, QStringLiteral("workload:bookinfo/reviews-v2"));
        QVERIFY(toV2);
        QCOMPARE(toV2->health, Health::Failing);
        QVERIFY(near(toV2->errorShare, 0.2));
        const GraphEdge *front = graph->edge(QStringLiteral("workload:istio-system/istio-ingressgateway"),
                                             QStringLiteral("service:bookinfo/productpage"));
        QVERIFY(front);
        QVERIFY(near(front->rate, 10.0));
        QCOMPARE(front->health, Health::Degraded);
        QVERIFY(graph->node(QStringLiteral("workload:istio-system/istio-ingressgateway"))->outside);
        const GraphEdge *details =
            graph->edge(QStringLiteral("service:bookinfo/details"), QStringLiteral("workload:bookinfo/details-v1"));
        QVERIFY(details);
        QCOMPARE(details->health, Health::Healthy);
        // ingress, productpage svc+wl, details svc+wl, reviews svc + 3 wl, ratings svc+wl (TCP edges are not here)
        QCOMPARE(graph->nodes.size(), 11);
        const QList<int> layers = graph->layers();
        QCOMPARE(layers.at(graph->indexOf(QStringLiteral("workload:istio-system/istio-ingressgateway"))), 0);
        QVERIFY(layers.at(graph->indexOf(QStringLiteral("workload:bookinfo/ratings-v1"))) >
                layers.at(graph->indexOf(QStringLiteral("workload:bookinfo/reviews-v2"))));
    }

    void labelValuesAndSeries()
    {
        IstioMetrics metrics(transport());
        const Result<QStringList> namespaces =
            waitFor<QStringList>([&](auto done) { metrics.fetchMeshNamespaces(this, done); });
        QVERIFY2(namespaces.ok(), qPrintable(namespaces ? QString() : namespaces.error().toString()));
        QCOMPARE(*namespaces, QStringList{QStringLiteral("bookinfo")});

        const Result<QStringList> versions = waitFor<QStringList>([&](auto done) {
            metrics.client().labelValues(QStringLiteral("destination_version"),
                                         {QStringLiteral("istio_requests_total{destination_service_name=\"reviews\"}")},
                                         this, done);
        });
        QVERIFY(versions.ok());
        QCOMPARE(*versions, (QStringList{QStringLiteral("v1"), QStringLiteral("v2"), QStringLiteral("v3")}));

        const Result<QList<Labels>> series = waitFor<QList<Labels>>([&](auto done) {
            metrics.client().series(
                {QStringLiteral("istio_requests_total{reporter=\"destination\",destination_service_name=\"reviews\"}")},
                QDateTime::fromSecsSinceEpoch(m_before - 600, Qt::UTC),
                QDateTime::fromSecsSinceEpoch(m_before, Qt::UTC), this, done);
        });
        QVERIFY(series.ok());
        int expected = 0;
        for (const MeshEdge &e : m_model.edges)
            if (inbound(e, QStringLiteral("reviews")))
                expected += int(e.codeRates.size());
        QCOMPARE(series->size(), expected);
        for (const Labels &labels : *series)
            QCOMPARE(labels.value(QStringLiteral("__name__")), QStringLiteral("istio_requests_total"));
    }

    void badQuery_showsPrometheusErrorTypeAndMessage()
    {
        const Result<QueryResult> result = instant(QStringLiteral("sum(rate(istio_requests_total[5m])"), m_before);
        QVERIFY(!result.ok());
        QVERIFY2(result.error().message.contains(QLatin1String("bad_data")), qPrintable(result.error().message));
        QVERIFY2(result.error().message.contains(QLatin1String("parse error")), qPrintable(result.error().message));
        QCOMPARE(result.error().code, 400);
    }

    void proxy_noEndpointsAndForbidden_areClear()
    {
        QFETCH_GLOBAL(QString, via);
        if (via != QLatin1String("proxy"))
            QSKIP("service proxy only");
        PrometheusService other;
        other.name = QStringLiteral("prometheus-server");
        ServiceProxyPrometheusTransport noEndpoints(m_client.get(), other);
        const Result<QByteArray> unavailable = waitFor<QByteArray>(
            [&](auto done) { noEndpoints.get(QStringLiteral("/api/v1/query?query=up"), this, done); });
        QVERIFY(!unavailable.ok());
        QCOMPARE(unavailable.error().code, 503);
        QVERIFY2(unavailable.error().message.contains(QLatin1String("istio-system/prometheus-server")),
                 qPrintable(unavailable.error().message));
        QVERIFY(unavailable.error().hint.contains(QLatin1String("kubectl -n istio-system get pods")));

        const QString learnerConfig = m_dir.filePath(QStringLiteral("learner"));
        QVERIFY(m_apiServer->writeKubeconfig(learnerConfig, QStringLiteral("learner")));
        const auto loaded = orchestra::kubeconfig::Kubeconfig::load({learnerConfig, {}, {}, {}});
        QVERIFY(loaded.ok());
        const auto rest = orchestra::kubeconfig::restConfig(*loaded);
        QVERIFY(rest.ok());
        orchestra::kube::ApiClient learnerClient(*rest);
        ServiceProxyPrometheusTransport learner(&learnerClient, PrometheusService{});
        const Result<QByteArray> forbidden =
            waitFor<QByteArray>([&](auto done) { learner.get(QStringLiteral("/api/v1/query?query=up"), this, done); });
        QVERIFY(!forbidden.ok());
        QCOMPARE(forbidden.error().code, 403);
        QVERIFY2(forbidden.error().message.contains(QLatin1String("forbidden")), qPrintable(forbidden.error().message));
        QVERIFY(forbidden.error().hint.contains(QLatin1String("services/proxy")));
    }

    void proxy_detectsThePrometheusService()
    {
        QFETCH_GLOBAL(QString, via);
        if (via != QLatin1String("proxy"))
            QSKIP("service proxy only");
        ServiceProxyPrometheusTransport transport(m_client.get(), PrometheusService{});
        const Result<PrometheusService> none =
            waitFor<PrometheusService>([&](auto done) { transport.detect(QStringLiteral("monitoring"), this, done); });
        QVERIFY(!none.ok());
        QVERIFY(none.error().message.contains(QLatin1String("No Prometheus Service in namespace monitoring")));

        m_apiServer->create(QJsonDocument::fromJson(
                                "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"kube-prom\","
                                "\"namespace\":\"monitoring\",\"labels\":{\"app.kubernetes.io/name\":\"prometheus\"}},"
                                "\"spec\":{\"ports\":[{\"name\":\"web\",\"port\":9090}]}}")
                                .object());
        const Result<PrometheusService> found =
            waitFor<PrometheusService>([&](auto done) { transport.detect(QStringLiteral("monitoring"), this, done); });
        QVERIFY2(found.ok(), qPrintable(found ? QString() : found.error().toString()));
        QCOMPARE(found->name, QStringLiteral("kube-prom"));
        QCOMPARE(found->port, 9090);
        QCOMPARE(transport.service().nameSpace, QStringLiteral("monitoring"));
        // The detected Service is used from then on; it has no upstream here, so the answer is "no endpoints".
        const Result<QByteArray> answer = waitFor<QByteArray>(
            [&](auto done) { transport.get(QStringLiteral("/api/v1/query?query=up"), this, done); });
        QVERIFY(!answer.ok());
        QVERIFY2(answer.error().message.contains(QLatin1String("monitoring/kube-prom")),
                 qPrintable(answer.error().message));
    }

    void externalPrometheus_answersEveryDomainQuery()
    {
        QFETCH_GLOBAL(QString, via);
        const QByteArray url = qgetenv("ORCHESTRA_IT_PROMETHEUS_URL");
        if (url.isEmpty())
            QSKIP("set ORCHESTRA_IT_PROMETHEUS_URL to run the queries against a mesh's Prometheus");
        if (via != QLatin1String("direct"))
            QSKIP("ORCHESTRA_IT_PROMETHEUS_URL is queried directly (see the direct row)");
        DirectPrometheusTransport external(QUrl(QString::fromUtf8(url)));
        IstioMetrics metrics(&external);
        const Result<QStringList> namespaces =
            waitFor<QStringList>([&](auto done) { metrics.fetchMeshNamespaces(this, done); });
        QVERIFY2(namespaces.ok(), qPrintable(namespaces ? QString() : namespaces.error().toString()));
        if (namespaces->isEmpty())
            QSKIP("that Prometheus has no istio_requests_total yet");
        const QString ns = namespaces->first();
        const Result<ServiceGraph> graph =
            waitFor<ServiceGraph>([&](auto done) { metrics.fetchGraph(ns, 300, {}, this, done); });
        QVERIFY2(graph.ok(), qPrintable(graph ? QString() : graph.error().toString()));
        for (const GraphEdge &edge : graph->edges) {
            QVERIFY(edge.rate > 0);
            QVERIFY(edge.errorShare >= 0 && edge.errorShare <= 1);
        }
        QString service;
        for (const GraphNode &node : graph->nodes)
            if (node.type == GraphNode::Type::Service && !node.outside)
                service = node.name;
        if (service.isEmpty())
            QSKIP("no Service with traffic in the last 5 minutes");
        TrafficRequest request;
        request.target = {TargetKind::Service, ns, service};
        request.range = TimeRange::lastSeconds(900);
        const Result<TrafficData> data =
            waitFor<TrafficData>([&](auto done) { metrics.fetchTraffic(request, this, done); });
        QVERIFY2(data.ok(), qPrintable(data ? QString() : data.error().toString()));
        for (const TimeSeries &series : data->serverErrors)
            for (const Sample &sample : series.samples)
                QVERIFY(std::isnan(sample.value) || (sample.value >= 0 && sample.value <= 1));
        for (const TimeSeries &series : data->requestRate)
            for (const Sample &sample : series.samples)
                QVERIFY(std::isnan(sample.value) || sample.value >= 0);
    }
};

ORCHESTRA_TEST_MAIN(TestPrometheusIstio)
#include "tst_prometheus_istio.moc"
