#include "metrics/istioconfig.h"

#include "testmain.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

#include <yaml-cpp/yaml.h>

using namespace orchestra::metrics;

namespace {

QJsonObject json(const char *text)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(QByteArray(text), &error);
    if (error.error != QJsonParseError::NoError)
        qFatal("bad test JSON: %s", qPrintable(error.errorString()));
    return document.object();
}

QJsonObject service(const QString &ns, const QString &name)
{
    return QJsonObject{
        {QStringLiteral("kind"), QStringLiteral("Service")},
        {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), name}, {QStringLiteral("namespace"), ns}}}};
}

const char *reviewsRule =
    "{\"kind\":\"DestinationRule\",\"metadata\":{\"name\":\"reviews\",\"namespace\":\"bookinfo\"},"
    "\"spec\":{\"host\":\"reviews\",\"trafficPolicy\":{\"tls\":{\"mode\":\"ISTIO_MUTUAL\"}},"
    "\"subsets\":[{\"name\":\"v1\",\"labels\":{\"version\":\"v1\"}},"
    "{\"name\":\"v3\",\"labels\":{\"version\":\"v3\"}}]}}";

QJsonValue toJson(const YAML::Node &node)
{
    switch (node.Type()) {
    case YAML::NodeType::Map: {
        QJsonObject object;
        for (const auto &entry : node)
            object.insert(QString::fromStdString(entry.first.as<std::string>()), toJson(entry.second));
        return object;
    }
    case YAML::NodeType::Sequence: {
        QJsonArray array;
        for (const auto &item : node)
            array.append(toJson(item));
        return array;
    }
    case YAML::NodeType::Scalar: {
        const QString text = QString::fromStdString(node.Scalar());
        if (node.Tag() != "!") { // plain scalars may be numbers or booleans; quoted ones stay strings
            bool isNumber = false;
            const double number = text.toDouble(&isNumber);
            if (isNumber)
                return number;
            if (text == QLatin1String("true") || text == QLatin1String("false"))
                return text == QLatin1String("true");
        }
        return text;
    }
    default:
        return QJsonValue();
    }
}

/// The curriculum's manifests as API objects in namespace bookinfo (they are applied with -n bookinfo).
QList<QJsonObject> curriculum(const QStringList &files)
{
    QList<QJsonObject> objects;
    for (const QString &name : files) {
        const QString path = QStringLiteral(ORCHESTRA_SOURCE_DIR "/content/manifests/istio/") + name;
        for (const YAML::Node &document : YAML::LoadAllFromFile(path.toStdString())) {
            QJsonObject object = toJson(document).toObject();
            if (object.isEmpty())
                continue;
            QJsonObject metadata = object.value(QStringLiteral("metadata")).toObject();
            if (!metadata.contains(QStringLiteral("namespace")))
                metadata.insert(QStringLiteral("namespace"), QStringLiteral("bookinfo"));
            object.insert(QStringLiteral("metadata"), metadata);
            objects.append(object);
        }
    }
    return objects;
}

QStringList messagesOf(const QList<ConfigWarning> &warnings)
{
    QStringList messages;
    for (const ConfigWarning &warning : warnings)
        messages.append(
            QStringLiteral("%1 %2/%3: %4").arg(warning.kind, warning.nameSpace, warning.name, warning.message));
    return messages;
}

} // namespace

class TestIstioConfig : public QObject
{
    Q_OBJECT

private slots:
    void hosts_resolveLikeIstio()
    {
        QCOMPARE(resolveHost(QStringLiteral("reviews"), QStringLiteral("bookinfo")),
                 QStringLiteral("reviews.bookinfo.svc.cluster.local"));
        QCOMPARE(resolveHost(QStringLiteral("reviews.other"), QStringLiteral("bookinfo")),
                 QStringLiteral("reviews.other.svc.cluster.local"));
        QCOMPARE(resolveHost(QStringLiteral("reviews.other.svc"), QStringLiteral("bookinfo")),
                 QStringLiteral("reviews.other.svc.cluster.local"));
        QCOMPARE(resolveHost(QStringLiteral("www.example.com"), QStringLiteral("bookinfo")),
                 QStringLiteral("www.example.com"));
        QCOMPARE(resolveHost(QStringLiteral("*"), QStringLiteral("bookinfo")), QStringLiteral("*"));
    }

    void virtualService_fromRecordedFixture_showsWeights()
    {
        QFile file(QStringLiteral(ORCHESTRA_FIXTURES_DIR "/kube-apiserver-1.20/list-virtualservices.body"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonArray items =
            QJsonDocument::fromJson(file.readAll()).object().value(QStringLiteral("items")).toArray();
        QCOMPARE(items.size(), 1);
        QJsonObject vs = items.first().toObject();
        vs.insert(QStringLiteral("kind"),
                  QStringLiteral("VirtualService")); // list items carry their kind in real lists
        const ConfigSummary summary = summarize(vs);
        QCOMPARE(summary.kind, QStringLiteral("VirtualService"));
        QCOMPARE(summary.name, QStringLiteral("reviews"));
        QCOMPARE(summary.lines.value(0), QStringLiteral("Hosts: reviews"));
        QCOMPARE(summary.lines.value(1),
                 QStringLiteral("HTTP route 1 (all requests) → reviews subset v1 90 %, reviews subset v2 10 %"));
    }

    void virtualService_matchesFaultsRetries()
    {
        const ConfigSummary summary = summarize(json(
            "{\"kind\":\"VirtualService\",\"metadata\":{\"name\":\"ratings\",\"namespace\":\"bookinfo\"},\"spec\":{"
            "\"hosts\":[\"ratings\"],\"http\":[{\"match\":[{\"headers\":{\"end-user\":{\"exact\":\"jason\"}}}],"
            "\"fault\":{\"delay\":{\"percentage\":{\"value\":100},\"fixedDelay\":\"7s\"},\"abort\":{\"percentage\":"
            "{\"value\":10},\"httpStatus\":500}},\"route\":[{\"destination\":{\"host\":\"ratings\",\"subset\":\"v1\"}}]"
            "},"
            "{\"route\":[{\"destination\":{\"host\":\"ratings\",\"subset\":\"v1\"}}],\"timeout\":\"10s\",\"retries\":"
            "{\"attempts\":3,\"perTryTimeout\":\"2s\",\"retryOn\":\"5xx\"}}]}}"));
        QCOMPARE(summary.lines,
                 (QStringList{QStringLiteral("Hosts: ratings"),
                              QStringLiteral("HTTP route 1 when header end-user = jason → ratings subset v1"),
                              QStringLiteral("    fault: delay 7s for 100 %"),
                              QStringLiteral("    fault: abort with HTTP 500 for 10 %"),
                              QStringLiteral("HTTP route 2 (all requests) → ratings subset v1"),
                              QStringLiteral("    timeout 10s"), QStringLiteral("    retries 3 × 2s on 5xx")}));
    }

    void destinationRule_gateway_peerAuthentication_authorizationPolicy()
    {
        QCOMPARE(summarize(json(reviewsRule)).lines,
                 (QStringList{QStringLiteral("Host: reviews"), QStringLiteral("Traffic policy: TLS ISTIO_MUTUAL"),
                              QStringLiteral("Subset v1: pods with version=v1"),
                              QStringLiteral("Subset v3: pods with version=v3")}));
        const ConfigSummary gateway = summarize(json(
            "{\"kind\":\"Gateway\",\"metadata\":{\"name\":\"bookinfo-gateway\",\"namespace\":\"bookinfo\"},\"spec\":{"
            "\"selector\":{\"istio\":\"ingressgateway\"},\"servers\":[{\"port\":{\"number\":443,\"name\":\"https\","
            "\"protocol\":\"HTTPS\"},\"hosts\":[\"bookinfo.example.com\"],\"tls\":{\"mode\":\"SIMPLE\","
            "\"credentialName\":\"bookinfo-cert\"}}]}}"));
        QCOMPARE(gateway.lines,
                 (QStringList{QStringLiteral("Runs on pods with istio=ingressgateway"),
                              QStringLiteral("Listens on HTTPS port 443 for bookinfo.example.com (TLS SIMPLE, "
                                             "certificate from Secret bookinfo-cert)")}));
        const ConfigSummary strict =
            summarize(json("{\"kind\":\"PeerAuthentication\",\"metadata\":{\"name\":\"default\","
                           "\"namespace\":\"istio-system\"},\"spec\":{\"mtls\":{\"mode\":\"STRICT\"}}}"));
        QVERIFY(strict.lines.value(0).startsWith(QStringLiteral("mTLS mode: STRICT — only mutual-TLS")));
        QVERIFY(strict.lines.value(1).contains(QLatin1String("whole mesh")));
        const ConfigSummary denyAll = summarize(json("{\"kind\":\"AuthorizationPolicy\",\"metadata\":{\"name\":"
                                                     "\"deny\",\"namespace\":\"bookinfo\"},\"spec\":{}}"));
        QCOMPARE(denyAll.lines.value(2), QStringLiteral("No rules: denies every request to these workloads"));
        const ConfigSummary allowGet = summarize(json(
            "{\"kind\":\"AuthorizationPolicy\",\"metadata\":{\"name\":\"get\",\"namespace\":\"bookinfo\"},\"spec\":{"
            "\"selector\":{\"matchLabels\":{\"app\":\"productpage\"}},\"action\":\"ALLOW\",\"rules\":[{\"from\":[{"
            "\"source\":{\"principals\":[\"cluster.local/ns/bookinfo/sa/gateway\"]}}],\"to\":[{\"operation\":{"
            "\"methods\":[\"GET\"]}}]}]}}"));
        QCOMPARE(
            allowGet.lines,
            (QStringList{QStringLiteral("Action: ALLOW"),
                         QStringLiteral("Applies to workloads with app=productpage in bookinfo"),
                         QStringLiteral("Rule 1: from principals cluster.local/ns/bookinfo/sa/gateway; methods GET")}));
    }

    void checks_missingSubsetAndMissingHost()
    {
        IstioConfigSet set;
        set.add({json(reviewsRule),
                 json("{\"kind\":\"VirtualService\",\"metadata\":{\"name\":\"reviews\",\"namespace\":\"bookinfo\"},"
                      "\"spec\":{\"hosts\":[\"reviews\"],\"http\":[{\"route\":[{\"destination\":{\"host\":\"reviews\","
                      "\"subset\":\"v1\"},\"weight\":90},{\"destination\":{\"host\":\"reviews\",\"subset\":\"v2\"},"
                      "\"weight\":20}]}]}}"),
                 json("{\"kind\":\"VirtualService\",\"metadata\":{\"name\":\"ratings\",\"namespace\":\"bookinfo\"},"
                      "\"spec\":{\"hosts\":[\"ratings\"],\"http\":[{\"route\":[{\"destination\":{\"host\":\"ratings\","
                      "\"subset\":\"v1\"}}]}]}}"),
                 json("{\"kind\":\"VirtualService\",\"metadata\":{\"name\":\"front\",\"namespace\":\"bookinfo\"},"
                      "\"spec\":{\"hosts\":[\"bookinfo.example.com\"],\"gateways\":[\"bookinfo-gateway\"],\"http\":[{"
                      "\"route\":[{\"destination\":{\"host\":\"productpage\"}}]}]}}"),
                 service(QStringLiteral("bookinfo"), QStringLiteral("reviews")),
                 service(QStringLiteral("bookinfo"), QStringLiteral("productpage"))});
        const QList<ConfigWarning> warnings = checkIstioConfig(set);
        QStringList messages;
        for (const ConfigWarning &warning : warnings)
            messages.append(
                QStringLiteral("%1 %2/%3: %4").arg(warning.kind, warning.nameSpace, warning.name, warning.message));
        const QStringList expected{
            QStringLiteral(
                "VirtualService bookinfo/reviews: Routes to subset v2 of reviews, but DestinationRule reviews "
                "has no such subset (it has: v1, v3)."),
            QStringLiteral("VirtualService bookinfo/reviews: HTTP route 1: weights add up to 110, not 100."),
            QStringLiteral("VirtualService bookinfo/ratings: Host ratings has no Service "
                           "(ratings.bookinfo.svc.cluster.local) and no ServiceEntry."),
            QStringLiteral(
                "VirtualService bookinfo/ratings: Routes to subset v1 of ratings, but no DestinationRule for "
                "ratings defines subsets."),
            QStringLiteral("VirtualService bookinfo/front: Gateway bookinfo/bookinfo-gateway does not exist."),
        };
        QCOMPARE(messages, expected);
    }

    void checks_serviceEntryAndUnknownServices()
    {
        IstioConfigSet set;
        set.add(
            {json("{\"kind\":\"ServiceEntry\",\"metadata\":{\"name\":\"ext\",\"namespace\":\"bookinfo\"},\"spec\":{"
                  "\"hosts\":[\"api.example.com\"],\"ports\":[{\"number\":443,\"protocol\":\"TLS\"}]}}"),
             json("{\"kind\":\"VirtualService\",\"metadata\":{\"name\":\"ext\",\"namespace\":\"bookinfo\"},\"spec\":{"
                  "\"hosts\":[\"api.example.com\"],\"tls\":[{\"route\":[{\"destination\":{\"host\":"
                  "\"api.example.com\"}}]}]}}")});
        QVERIFY(checkIstioConfig(set).isEmpty());
        IstioConfigSet unknown;
        unknown.servicesKnown = false;
        unknown.add({json("{\"kind\":\"DestinationRule\",\"metadata\":{\"name\":\"x\",\"namespace\":\"a\"},\"spec\":"
                          "{\"host\":\"x\"}}")});
        QVERIFY(checkIstioConfig(unknown).isEmpty());
    }

    void curriculum_brokenOnPurposeVirtualService_isCaught()
    {
        IstioConfigSet set;
        set.add(curriculum({QStringLiteral("bookinfo-app.yaml"), QStringLiteral("destination-rules.yaml"),
                            QStringLiteral("debug-vs-reviews-v4.yaml")}));
        QVERIFY(set.services.size() >= 4);
        QCOMPARE(messagesOf(checkIstioConfig(set)),
                 QStringList{QStringLiteral("VirtualService bookinfo/reviews: Routes to subset v4 of reviews, but "
                                            "DestinationRule reviews has no such subset (it has: v1, v2, v3).")});
    }

    void curriculum_lessonRoutes_areConsistent()
    {
        const QStringList routes{
            QStringLiteral("vs-all-v1.yaml"),           QStringLiteral("vs-reviews-90-10.yaml"),
            QStringLiteral("vs-reviews-jason-v2.yaml"), QStringLiteral("vs-reviews-v2-timeout.yaml"),
            QStringLiteral("vs-ratings-delay-2s.yaml"), QStringLiteral("vs-ratings-abort-50.yaml"),
            QStringLiteral("vs-ratings-retries.yaml"),  QStringLiteral("vs-ratings-no-retries.yaml")};
        for (const QString &route : routes) {
            IstioConfigSet set;
            set.add(curriculum({QStringLiteral("bookinfo-app.yaml"), QStringLiteral("destination-rules.yaml"),
                                QStringLiteral("bookinfo-gateway.yaml"), route}));
            QVERIFY(!set.virtualServices.isEmpty());
            const QStringList messages = messagesOf(checkIstioConfig(set));
            QVERIFY2(messages.isEmpty(),
                     qPrintable(route + QStringLiteral(": ") + messages.join(QStringLiteral("; "))));
            for (const QJsonObject &vs : set.virtualServices)
                QVERIFY(!summarize(vs).lines.isEmpty());
        }
    }

    void yaml_isBlockStyle()
    {
        const QString yaml = toYaml(json("{\"kind\":\"DestinationRule\",\"spec\":{\"host\":\"reviews\",\"subsets\":"
                                         "[{\"name\":\"v1\"}]},\"n\":3}"));
        QVERIFY2(yaml.contains(QLatin1String("kind: DestinationRule")), qPrintable(yaml));
        QVERIFY(yaml.contains(QLatin1String("host: reviews")));
        QVERIFY(yaml.contains(QLatin1String("- name: v1")));
        QVERIFY(yaml.contains(QLatin1String("n: 3")));
    }
};

ORCHESTRA_TEST_MAIN(TestIstioConfig)
#include "tst_istioconfig.moc"
