#include "charts/istioconfigview.h"
#include "charts/meshview.h"
#include "charts/servicegraphview.h"
#include "charts/trafficchart.h"
#include "charts/trafficview.h"
#include "metrics/istiometrics.h"

#include "testmain.h"

#include <QDateTimeAxis>
#include <QJsonDocument>
#include <QLegendMarker>
#include <QLineSeries>
#include <QSignalSpy>
#include <QUrlQuery>
#include <QValueAxis>

#include <cmath>

using namespace orchestra::metrics;
using namespace orchestra::ui;
using orchestra::Result;

namespace {

/// Serves canned Prometheus answers chosen by a substring of the query, asynchronously like the network.
class FakeTransport final : public PrometheusTransport
{
public:
    QList<QPair<QString, QByteArray>> answers; ///< first whose key the decoded path contains wins
    QByteArray fallback = "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}";
    QStringList paths;
    std::optional<orchestra::Error> failure;

    void get(const QString &pathAndQuery, QObject *context, Callback done) override
    {
        const QString decoded = QUrl::fromPercentEncoding(pathAndQuery.toUtf8());
        paths.append(decoded);
        QByteArray body = fallback;
        for (const auto &answer : answers)
            if (decoded.contains(answer.first)) {
                body = answer.second;
                break;
            }
        QPointer<QObject> guard(context);
        const auto error = failure;
        QMetaObject::invokeMethod(
            this,
            [guard, body, error, done = std::move(done)] {
                if (!guard)
                    return;
                if (error)
                    done(*error);
                else
                    done(body);
            },
            Qt::QueuedConnection);
    }
    QString describe() const override { return QStringLiteral("fake"); }
};

/// A matrix with one series per (label value, constant value) over [start, end] every step.
QByteArray matrix(const QString &label, const QList<QPair<QString, QString>> &series, qint64 start, qint64 end,
                  qint64 step, qint64 gapFrom = -1, qint64 gapTo = -1)
{
    QByteArray out = "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[";
    for (int i = 0; i < series.size(); ++i) {
        if (i)
            out += ',';
        out += "{\"metric\":{";
        if (!label.isEmpty())
            out += "\"" + label.toUtf8() + "\":\"" + series[i].first.toUtf8() + "\"";
        out += "},\"values\":[";
        bool first = true;
        for (qint64 t = start; t <= end; t += step) {
            if (t >= gapFrom && t <= gapTo)
                continue;
            if (!first)
                out += ',';
            first = false;
            out += "[" + QByteArray::number(t) + ",\"" + series[i].second.toUtf8() + "\"]";
        }
        out += "]}";
    }
    out += "]}}";
    return out;
}

} // namespace

class TestCharts : public QObject
{
    Q_OBJECT

private:
    QDateTime m_end = QDateTime::fromSecsSinceEpoch(1700003600, Qt::UTC);

    void serveReviews(FakeTransport &fake)
    {
        const qint64 end = m_end.toSecsSinceEpoch();
        const qint64 start = end - 3600;
        const QString wl = QStringLiteral("destination_workload");
        fake.answers = {
            // order matters: the error queries also contain the request-rate text
            {QStringLiteral("response_code=~\"5..|0\""), matrix(wl,
                                                                {{QStringLiteral("reviews-v1"), QStringLiteral("0")},
                                                                 {QStringLiteral("reviews-v2"), QStringLiteral("0.2")}},
                                                                start, end, 30)},
            {QStringLiteral("response_code=~\"4..\""), matrix(wl,
                                                              {{QStringLiteral("reviews-v1"), QStringLiteral("0")},
                                                               {QStringLiteral("reviews-v2"), QStringLiteral("0")}},
                                                              start, end, 30)},
            {QStringLiteral("histogram_quantile(0.5,"), matrix({}, {{{}, QStringLiteral("20")}}, start, end, 30)},
            {QStringLiteral("histogram_quantile(0.95,"), matrix({}, {{{}, QStringLiteral("90")}}, start, end, 30)},
            {QStringLiteral("histogram_quantile(0.99,"), matrix({}, {{{}, QStringLiteral("NaN")}}, start, end, 30)},
            {QStringLiteral("_sum"), matrix({}, {{{}, QStringLiteral("31.5")}}, start, end, 30)},
            {QStringLiteral("istio_tcp"),
             QByteArray("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}")},
            {QStringLiteral("istio_requests_total"), matrix(wl,
                                                            {{QStringLiteral("reviews-v2"), QStringLiteral("3")},
                                                             {QStringLiteral("reviews-v1"), QStringLiteral("2.5")}},
                                                            start, end, 30, start + 600, start + 900)},
        };
    }

private slots:
    void formatting_hasUnits()
    {
        QCOMPARE(formatChartValue(3.2, ChartUnit::RequestsPerSecond), QStringLiteral("3.20 req/s"));
        QCOMPARE(formatChartValue(0.125, ChartUnit::Percent), QStringLiteral("12.5 %"));
        QCOMPARE(formatChartValue(0.01, ChartUnit::Percent), QStringLiteral("1.00 %"));
        QCOMPARE(formatChartValue(250, ChartUnit::Milliseconds), QStringLiteral("250.0 ms"));
        QCOMPARE(formatChartValue(2500, ChartUnit::Milliseconds), QStringLiteral("2.50 s"));
        QCOMPARE(formatChartValue(2048, ChartUnit::BytesPerSecond), QStringLiteral("2.00 KiB/s"));
        QCOMPARE(formatChartValue(std::nan(""), ChartUnit::Milliseconds), QStringLiteral("no data"));
        QCOMPARE(chartUnitName(ChartUnit::RequestsPerSecond), QStringLiteral("req/s"));
    }

    void trafficView_showsOneLinePerVersionWithUnits()
    {
        FakeTransport fake;
        serveReviews(fake);
        IstioMetrics metrics(&fake);
        TrafficView view;
        view.resize(1200, 800);
        view.setEndTime(m_end);
        QSignalSpy loaded(&view, &TrafficView::loaded);
        view.setMetrics(&metrics);
        view.setTarget(TargetKind::Service, QStringLiteral("bookinfo"), QStringLiteral("reviews"));
        QVERIFY(loaded.wait(5000));
        QVERIFY(!view.isShowingPlaceholder());
        view.show(); // legend markers report visibility only once the chart is on screen
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        if (qEnvironmentVariableIsSet("ORCHESTRA_CHARTS_GRAB")) {
            view.grab().save(qEnvironmentVariable("ORCHESTRA_CHARTS_GRAB"));
        }

        TrafficChart *rate = view.chart(TrafficView::Chart::RequestRate);
        QCOMPARE(rate->lineNames(), (QStringList{QStringLiteral("reviews-v1"), QStringLiteral("reviews-v2")}));
        QCOMPARE(rate->valueAxis()->titleText(), QStringLiteral("req/s"));
        QCOMPARE(rate->valueAxis()->min(), 0.0);
        QVERIFY(rate->valueAxis()->max() >= 3.0);
        QCOMPARE(rate->timeAxis()->min(), m_end.addSecs(-3600).toLocalTime());
        QCOMPARE(rate->timeAxis()->max(), m_end.toLocalTime());
        // The 5-minute gap in the data splits each line in two, with one legend entry per line.
        int visibleMarkers = 0, series = 0;
        for (QAbstractSeries *s : rate->chart()->series()) {
            ++series;
            for (QLegendMarker *marker : rate->chart()->legend()->markers(s))
                visibleMarkers += marker->isVisible() ? 1 : 0;
        }
        QCOMPARE(series, 4);
        QCOMPARE(visibleMarkers, 2);

        TrafficChart *errors = view.chart(TrafficView::Chart::ErrorRate);
        // 4xx lines that are all zero are dropped; 5xx lines stay (a 0 % line is information).
        QCOMPARE(errors->lineNames(),
                 (QStringList{QStringLiteral("reviews-v1 5xx"), QStringLiteral("reviews-v2 5xx")}));
        QCOMPARE(errors->valueAxis()->titleText(), QStringLiteral("%"));
        QVERIFY(errors->valueAxis()->max() >= 20.0); // shares are shown in percent

        TrafficChart *latency = view.chart(TrafficView::Chart::Latency);
        QCOMPARE(latency->lineNames(), (QStringList{QStringLiteral("p50"), QStringLiteral("p95"), QStringLiteral("p99"),
                                                    QStringLiteral("average")}));
        QVERIFY(latency->valueAxis()->max() >= 90.0);
        QVERIFY(view.chart(TrafficView::Chart::TcpBytes)->isHidden());
        QVERIFY(view.statusText().contains(QLatin1String("rate window 60 s")));

        const QString tooltip = latency->tooltipText(QStringLiteral("p95"), m_end.toMSecsSinceEpoch(), 90.0);
        QVERIFY2(tooltip.contains(QLatin1String("90.0 ms")), qPrintable(tooltip));
        QVERIFY(tooltip.contains(QLatin1String("p95")));
        QVERIFY(errors->tooltipText(QStringLiteral("x"), 0, 20.0).contains(QLatin1String("20.0 %")));
    }

    void trafficView_queriesFollowControls()
    {
        FakeTransport fake;
        serveReviews(fake);
        IstioMetrics metrics(&fake);
        TrafficView view;
        view.setEndTime(m_end);
        QSignalSpy loaded(&view, &TrafficView::loaded);
        view.setMetrics(&metrics);
        view.setTarget(TargetKind::Workload, QStringLiteral("bookinfo"), QStringLiteral("productpage-v1"));
        QVERIFY(loaded.wait(5000));
        fake.paths.clear();
        view.setDirection(Direction::Outbound);
        QVERIFY(loaded.wait(5000));
        QVERIFY(!fake.paths.isEmpty());
        QVERIFY(fake.paths.first().contains(QLatin1String("reporter=\"source\",source_workload=\"productpage-v1\"")));
        QVERIFY(fake.paths.first().contains(QLatin1String("by (destination_service_name)")));
        fake.paths.clear();
        view.setTimeRangeSecs(300);
        QVERIFY(loaded.wait(5000));
        QVERIFY(fake.paths.first().contains(QLatin1String("step=15")));
        QVERIFY(fake.paths.first().contains(QLatin1String("[60s]")));
        fake.paths.clear();
        view.setTimeRangeSecs(86400);
        QVERIFY(loaded.wait(5000));
        QVERIFY(fake.paths.first().contains(QLatin1String("step=720")));
        QVERIFY(fake.paths.first().contains(QLatin1String("[720s]")));
    }

    void trafficView_emptyStateWithoutTraffic()
    {
        FakeTransport fake; // every query answers an empty matrix
        IstioMetrics metrics(&fake);
        TrafficView view;
        QSignalSpy loaded(&view, &TrafficView::loaded);
        view.setMetrics(&metrics);
        view.setTarget(TargetKind::Service, QStringLiteral("bookinfo"), QStringLiteral("quiet"));
        QVERIFY(loaded.wait(5000));
        QVERIFY(view.isShowingPlaceholder());
        QCOMPARE(view.placeholderTitle(), QStringLiteral("No traffic"));
    }

    void trafficView_showsErrors()
    {
        FakeTransport fake;
        fake.failure =
            orchestra::Error{QStringLiteral("The Prometheus Service istio-system/prometheus has no ready pod"),
                             QStringLiteral("Check the Prometheus pod."),
                             {},
                             503};
        IstioMetrics metrics(&fake);
        TrafficView view;
        QSignalSpy failed(&view, &TrafficView::failed);
        view.setMetrics(&metrics);
        view.setTarget(TargetKind::Service, QStringLiteral("bookinfo"), QStringLiteral("reviews"));
        QVERIFY(failed.wait(5000));
        QVERIFY(view.isShowingPlaceholder());
        QCOMPARE(view.placeholderTitle(), QStringLiteral("Cannot load traffic"));
    }

    void trafficView_withoutMetrics_saysSo()
    {
        TrafficView view;
        view.setTarget(TargetKind::Service, QStringLiteral("bookinfo"), QStringLiteral("reviews"));
        QVERIFY(view.isShowingPlaceholder());
        QCOMPARE(view.placeholderTitle(), QStringLiteral("No Prometheus"));
    }

    void trafficView_autoRefreshFetchesAgain()
    {
        FakeTransport fake;
        serveReviews(fake);
        IstioMetrics metrics(&fake);
        TrafficView view;
        QSignalSpy loaded(&view, &TrafficView::loaded);
        view.setMetrics(&metrics);
        view.setTarget(TargetKind::Service, QStringLiteral("bookinfo"), QStringLiteral("reviews"));
        QVERIFY(loaded.wait(5000));
        view.setAutoRefreshSecs(10);
        const int before = int(fake.paths.size());
        QVERIFY(loaded.wait(15000));
        QVERIFY(fake.paths.size() > before);
        view.setAutoRefreshSecs(0);
    }

    void graphView_coloursAndClicks()
    {
        ServiceGraph graph;
        graph.nameSpace = QStringLiteral("bookinfo");
        graph.nodes = {
            {QStringLiteral("workload:bookinfo/productpage-v1"), GraphNode::Type::Workload, QStringLiteral("bookinfo"),
             QStringLiteral("productpage-v1"), 0, 0, Health::Healthy, false},
            {QStringLiteral("service:bookinfo/reviews"), GraphNode::Type::Service, QStringLiteral("bookinfo"),
             QStringLiteral("reviews"), 4, 0.125, Health::Failing, false},
        };
        graph.edges = {{QStringLiteral("workload:bookinfo/productpage-v1"), QStringLiteral("service:bookinfo/reviews"),
                        4, 0.125, 0, Health::Failing}};
        ServiceGraphView view;
        view.resize(800, 400);
        view.show();
        view.setGraph(graph);
        QCOMPARE(edgeLabel(graph.edges.first()), QStringLiteral("4.00 rps\n13 % err"));
        QCOMPARE(healthColor(Health::Failing), QColor(0xc9, 0x19, 0x0b));
        QCOMPARE(healthColor(Health::Degraded), QColor(0xe0, 0x8a, 0x00));

        QSignalSpy activated(&view, &ServiceGraphView::targetActivated);
        const QPoint where = view.mapFromScene(view.nodePosition(QStringLiteral("service:bookinfo/reviews")));
        QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, where);
        QCOMPARE(activated.size(), 1);
        QCOMPARE(activated.first().at(0).value<TargetKind>(), TargetKind::Service);
        QCOMPARE(activated.first().at(2).toString(), QStringLiteral("reviews"));
        view.activateEdge(QStringLiteral("workload:bookinfo/productpage-v1"),
                          QStringLiteral("service:bookinfo/reviews"));
        QCOMPARE(activated.size(), 2);
        view.activateNode(QStringLiteral("workload:bookinfo/productpage-v1"));
        QCOMPARE(activated.last().at(0).value<TargetKind>(), TargetKind::Workload);
    }

    void meshView_listsNamespacesAndOpensChartsFromTheGraph()
    {
        FakeTransport fake;
        serveReviews(fake);
        fake.answers.prepend({QStringLiteral("/api/v1/label/destination_workload_namespace/values"),
                              "{\"status\":\"success\",\"data\":[\"bookinfo\",\"unknown\"]}"});
        fake.answers.prepend(
            {QStringLiteral("> 0"),
             "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{\"source_workload_"
             "namespace\":\"bookinfo\",\"source_workload\":\"productpage-v1\",\"destination_service_name\":\"reviews\","
             "\"destination_workload\":\"reviews-v2\",\"response_code\":\"200\"},\"value\":[1700003600,\"3\"]}]}}"});
        IstioMetrics metrics(&fake);
        MeshView mesh;
        mesh.resize(1300, 850);
        mesh.setEndTime(m_end);
        QSignalSpy graphLoaded(&mesh, &MeshView::graphLoaded);
        mesh.setMetrics(&metrics);
        QVERIFY(graphLoaded.wait(5000));
        QCOMPARE(mesh.namespaces(), QStringList{QStringLiteral("bookinfo")});
        QCOMPARE(mesh.currentNamespace(), QStringLiteral("bookinfo"));
        QCOMPARE(mesh.graphView()->graph().edges.size(), 2);
        QVERIFY(mesh.statusText().contains(QLatin1String("2 edge")));

        QVERIFY(mesh.istioConfigView());
        QSignalSpy loaded(mesh.trafficView(), &TrafficView::loaded);
        mesh.graphView()->activateNode(QStringLiteral("workload:bookinfo/reviews-v2"));
        QVERIFY(mesh.trafficView()->isVisibleTo(&mesh));
        QCOMPARE(mesh.trafficView()->target(),
                 (Target{TargetKind::Workload, QStringLiteral("bookinfo"), QStringLiteral("reviews-v2")}));
        QVERIFY(loaded.wait(5000));
    }

    void istioConfigView_summaryYamlAndWarnings()
    {
        IstioConfigSet set;
        set.add({QJsonDocument::fromJson(
                     "{\"kind\":\"VirtualService\",\"metadata\":{\"name\":\"reviews\",\"namespace\":\"bookinfo\","
                     "\"managedFields\":[{\"manager\":\"kubectl\"}]},\"spec\":{\"hosts\":[\"reviews\"],\"http\":[{"
                     "\"route\":[{\"destination\":{\"host\":\"reviews\",\"subset\":\"v1\"},\"weight\":90},{"
                     "\"destination\":{\"host\":\"reviews\",\"subset\":\"v2\"},\"weight\":10}]}]}}")
                     .object(),
                 QJsonDocument::fromJson("{\"kind\":\"DestinationRule\",\"metadata\":{\"name\":\"reviews\","
                                         "\"namespace\":\"bookinfo\"},\"spec\":{\"host\":\"reviews\",\"subsets\":[{"
                                         "\"name\":\"v1\",\"labels\":{\"version\":\"v1\"}}]}}")
                     .object(),
                 QJsonDocument::fromJson("{\"kind\":\"Service\",\"metadata\":{\"name\":\"reviews\",\"namespace\":"
                                         "\"bookinfo\"}}")
                     .object()});
        IstioConfigView view;
        view.setConfig(set);
        QCOMPARE(view.objectCount(), 2);
        QCOMPARE(view.warnings().size(), 1);
        QVERIFY(view.select(QStringLiteral("VirtualService"), QStringLiteral("bookinfo"), QStringLiteral("reviews")));
        const QString summary = view.summaryText();
        QVERIFY2(summary.contains(QLatin1String("reviews subset v1 90 %, reviews subset v2 10 %")),
                 qPrintable(summary));
        QVERIFY(summary.contains(QLatin1String("no such subset")));
        QVERIFY(view.yamlText().contains(QLatin1String("weight: 90")));
        QVERIFY(!view.yamlText().contains(QLatin1String("managedFields")));
        QVERIFY(view.select(QStringLiteral("DestinationRule"), QStringLiteral("bookinfo"), QStringLiteral("reviews")));
        QVERIFY(view.summaryText().contains(QLatin1String("Subset v1: pods with version=v1")));
        QVERIFY(!view.select(QStringLiteral("Gateway"), QStringLiteral("bookinfo"), QStringLiteral("nope")));
    }
};

ORCHESTRA_TEST_MAIN(TestCharts)
#include "tst_charts.moc"
