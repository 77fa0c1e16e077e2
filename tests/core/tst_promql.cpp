#include "metrics/istioqueries.h"

#include "testmain.h"

using namespace orchestra::metrics;

class TestPromql : public QObject
{
    Q_OBJECT

private slots:
    void rateWindow_isAtLeastFourScrapes()
    {
        QCOMPARE(rateWindowSecs(15), 60);
        QCOMPARE(rateWindowSecs(30), 60);
        QCOMPARE(rateWindowSecs(60), 60);
        QCOMPARE(rateWindowSecs(720), 720);
        QCOMPARE(rateWindowSecs(10, 30), 120);
        QCOMPARE(promDuration(90), QStringLiteral("90s"));
    }

    void inboundService_usesDestinationReporterAndServiceLabels()
    {
        const IstioQueries queries({TargetKind::Service, QStringLiteral("bookinfo"), QStringLiteral("reviews")},
                                   Direction::Inbound);
        QCOMPARE(queries.requestRate(GroupBy::DestinationWorkload, 60),
                 QStringLiteral("sum(rate(istio_requests_total{reporter=\"destination\",destination_service_name="
                                "\"reviews\",destination_service_namespace=\"bookinfo\"}[60s])) by "
                                "(destination_workload)"));
        QCOMPARE(queries.requestRate(GroupBy::None, 120),
                 QStringLiteral("sum(rate(istio_requests_total{reporter=\"destination\",destination_service_name="
                                "\"reviews\",destination_service_namespace=\"bookinfo\"}[120s]))"));
    }

    void inboundWorkload_filtersOnDestinationWorkload()
    {
        const IstioQueries queries({TargetKind::Workload, QStringLiteral("bookinfo"), QStringLiteral("reviews-v2")},
                                   Direction::Inbound);
        QCOMPARE(queries.selector(), QStringLiteral("{reporter=\"destination\",destination_workload=\"reviews-v2\","
                                                    "destination_workload_namespace=\"bookinfo\"}"));
    }

    void outbound_usesSourceReporter()
    {
        const IstioQueries workload(
            {TargetKind::Workload, QStringLiteral("bookinfo"), QStringLiteral("productpage-v1")}, Direction::Outbound);
        QCOMPARE(workload.selector(), QStringLiteral("{reporter=\"source\",source_workload=\"productpage-v1\","
                                                     "source_workload_namespace=\"bookinfo\"}"));
        const IstioQueries service({TargetKind::Service, QStringLiteral("bookinfo"), QStringLiteral("reviews")},
                                   Direction::Outbound);
        QCOMPARE(service.selector(), QStringLiteral("{reporter=\"source\",source_canonical_service=\"reviews\","
                                                    "source_workload_namespace=\"bookinfo\"}"));
    }

    void errorRate_keepsGroupsWithoutErrorsAtZero()
    {
        const IstioQueries queries({TargetKind::Service, QStringLiteral("ns"), QStringLiteral("svc")},
                                   Direction::Inbound);
        const QString sel = QStringLiteral("reporter=\"destination\",destination_service_name=\"svc\","
                                           "destination_service_namespace=\"ns\"");
        const QString total =
            QStringLiteral("sum(rate(istio_requests_total{%1}[60s])) by (destination_version)").arg(sel);
        QCOMPARE(queries.errorRate(ErrorClass::ServerErrors, GroupBy::DestinationVersion, 60),
                 QStringLiteral("(sum(rate(istio_requests_total{%1,response_code=~\"5..|0\"}[60s])) by "
                                "(destination_version) or %2 * 0) / %2")
                     .arg(sel, total));
        QVERIFY(queries.errorRate(ErrorClass::ClientErrors, GroupBy::DestinationVersion, 60)
                    .contains(QLatin1String("response_code=~\"4..\"")));
    }

    void latency_quantileGroupsByLeAndGroup()
    {
        const IstioQueries queries({TargetKind::Service, QStringLiteral("ns"), QStringLiteral("svc")},
                                   Direction::Inbound);
        QCOMPARE(queries.latencyQuantile(0.95, GroupBy::DestinationWorkload, 60),
                 QStringLiteral("histogram_quantile(0.95, sum(rate(istio_request_duration_milliseconds_bucket{"
                                "reporter=\"destination\",destination_service_name=\"svc\","
                                "destination_service_namespace=\"ns\"}[60s])) by (le,destination_workload))"));
        QVERIFY(queries.latencyQuantile(0.5, GroupBy::None, 60).endsWith(QLatin1String("by (le))")));
        const QString average = queries.latencyAverage(GroupBy::None, 60);
        QVERIFY(average.startsWith(QLatin1String("sum(rate(istio_request_duration_milliseconds_sum{")));
        QVERIFY(average.contains(QLatin1String(" / sum(rate(istio_request_duration_milliseconds_count{")));
    }

    void tcp_usesByteCounters()
    {
        const IstioQueries queries({TargetKind::Service, QStringLiteral("ns"), QStringLiteral("mongodb")},
                                   Direction::Inbound);
        QVERIFY(queries.tcpBytes(true, GroupBy::None, 60)
                    .startsWith(QLatin1String("sum(rate(istio_tcp_sent_bytes_total{")));
        QVERIFY(queries.tcpBytes(false, GroupBy::None, 60)
                    .startsWith(QLatin1String("sum(rate(istio_tcp_received_bytes_total{")));
    }

    void graphEdges_isKialisQuery()
    {
        QCOMPARE(IstioQueries::graphEdges(QStringLiteral("bookinfo"), 600),
                 QStringLiteral("sum(rate(istio_requests_total{reporter=\"destination\",destination_workload_namespace="
                                "\"bookinfo\"}[600s])) by (source_workload_namespace,source_workload,"
                                "destination_service_name,destination_workload,response_code) > 0"));
    }

    void labelValues_areEscaped()
    {
        QCOMPARE(escapeLabelValue(QStringLiteral("a\"b\\c")), QStringLiteral("a\\\"b\\\\c"));
        const IstioQueries queries({TargetKind::Service, QStringLiteral("ns"), QStringLiteral("x\"}")},
                                   Direction::Inbound);
        QVERIFY(queries.selector().contains(QLatin1String("destination_service_name=\"x\\\"}\"")));
    }

    void groupNames_forLegends()
    {
        QCOMPARE(groupLabel(GroupBy::SourceWorkload), QStringLiteral("source_workload"));
        QCOMPARE(groupDisplayName(GroupBy::None, {}), QStringLiteral("total"));
        QCOMPARE(groupDisplayName(GroupBy::ResponseCode, QStringLiteral("0")), QStringLiteral("0 (no response)"));
        QCOMPARE(groupDisplayName(GroupBy::DestinationWorkload, {}), QStringLiteral("unknown"));
    }
};

ORCHESTRA_TEST_MAIN(TestPromql)
#include "tst_promql.moc"
