// Fidelity proof: the test API server's responses have the same keys and JSON
// shapes as the recorded kube-apiserver 1.20 fixtures (and the same text where
// the fixture is a Status error a client shows to the user).

#include "apiserver.h"

#include "testmain.h"

#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslSocket>
#include <QTimer>

#include <map>
#include <memory>

using orchestra::testing::ApiServer;

namespace {

const QString kFixtures = QStringLiteral(ORCHESTRA_FIXTURES_DIR "/kube-apiserver-1.20/");

QByteArray fixtureBytes(const QString &name)
{
    QFile file(kFixtures + name);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QJsonObject fixture(const QString &name)
{
    return QJsonDocument::fromJson(fixtureBytes(name + QStringLiteral(".body"))).object();
}

/// The union of the shapes of one or more sample values (arrays merge their elements).
struct Shape
{
    QSet<int> types;
    int objects = 0;
    std::map<QString, int> counts;
    std::map<QString, std::shared_ptr<Shape>> fields;
    std::shared_ptr<Shape> element;

    void add(const QJsonValue &value)
    {
        types.insert(int(value.type()));
        if (value.isObject()) {
            ++objects;
            const QJsonObject object = value.toObject();
            for (auto it = object.begin(); it != object.end(); ++it) {
                ++counts[it.key()];
                auto &field = fields[it.key()];
                if (!field)
                    field = std::make_shared<Shape>();
                field->add(*it);
            }
        } else if (value.isArray()) {
            if (!element)
                element = std::make_shared<Shape>();
            for (const QJsonValue &item : value.toArray())
                element->add(item);
        }
    }
};

// Maps whose keys are data, not schema.
bool isFreeMap(const QString &key)
{
    static const QSet<QString> free = {
        QStringLiteral("labels"),   QStringLiteral("annotations"), QStringLiteral("fieldsV1"),
        QStringLiteral("data"),     QStringLiteral("matchLabels"), QStringLiteral("selector"),
        QStringLiteral("capacity"), QStringLiteral("allocatable"), QStringLiteral("nodeSelector")};
    return free.contains(key);
}

void checkShape(const QJsonValue &value, const Shape &shape, const QString &path, QStringList &errors)
{
    if (!shape.types.contains(int(value.type()))) {
        errors.append(QStringLiteral("%1: type %2 not in fixture types").arg(path).arg(int(value.type())));
        return;
    }
    if (value.isObject()) {
        const QString last = path.section(QLatin1Char('.'), -1);
        if (isFreeMap(last))
            return;
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            auto field = shape.fields.find(it.key());
            if (field == shape.fields.end()) {
                errors.append(QStringLiteral("%1.%2: key not in fixture").arg(path, it.key()));
                continue;
            }
            checkShape(*it, *field->second, path + QLatin1Char('.') + it.key(), errors);
        }
        for (const auto &[key, count] : shape.counts) {
            if (count == shape.objects && !object.contains(key))
                errors.append(QStringLiteral("%1.%2: missing (every fixture sample has it)").arg(path, key));
        }
    } else if (value.isArray() && shape.element && !shape.element->types.isEmpty()) {
        const QJsonArray array = value.toArray();
        for (int i = 0; i < array.size(); ++i)
            checkShape(array.at(i), *shape.element, path + QStringLiteral("[]"), errors);
    }
}

QStringList shapeErrors(const QJsonValue &ours, const QList<QJsonValue> &samples)
{
    Shape shape;
    for (const QJsonValue &sample : samples)
        shape.add(sample);
    QStringList errors;
    checkShape(ours, shape, QStringLiteral("$"), errors);
    return errors;
}

/// Replaces values that differ between runs so whole objects can be compared.
QJsonValue normalized(const QJsonValue &value)
{
    static const QSet<QString> volatileKeys = {QStringLiteral("uid"), QStringLiteral("resourceVersion"),
                                               QStringLiteral("creationTimestamp"), QStringLiteral("time")};
    if (value.isObject()) {
        QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it)
            *it = volatileKeys.contains(it.key()) && it->isString() ? QJsonValue(QStringLiteral("*")) : normalized(*it);
        return object;
    }
    if (value.isArray()) {
        QJsonArray array = value.toArray();
        for (int i = 0; i < array.size(); ++i)
            array.replace(i, normalized(array.at(i)));
        return array;
    }
    return value;
}

QByteArray pretty(const QJsonValue &value)
{
    return value.isObject() ? QJsonDocument(value.toObject()).toJson() : QJsonDocument(value.toArray()).toJson();
}

/// The fixture item without what the server assigns, ready to be created again.
QJsonObject recreatable(QJsonObject item, const QString &apiVersion, const QString &kind)
{
    QJsonObject metadata = item.value(QStringLiteral("metadata")).toObject();
    for (const char *key : {"uid", "resourceVersion", "creationTimestamp", "managedFields", "selfLink", "generation"})
        metadata.remove(QLatin1String(key));
    item.insert(QStringLiteral("metadata"), metadata);
    item.insert(QStringLiteral("apiVersion"), apiVersion);
    item.insert(QStringLiteral("kind"), kind);
    return item;
}

/// Splits an HTTP/1.1 chunked body into its chunks; false when the framing is broken.
bool splitChunks(QByteArray raw, QList<QByteArray> *chunks)
{
    for (;;) {
        const qsizetype lineEnd = raw.indexOf("\r\n");
        if (lineEnd < 0)
            return false;
        bool ok = false;
        const qsizetype size = raw.left(lineEnd).toLongLong(&ok, 16);
        if (!ok || raw.size() < lineEnd + 2 + size + 2 || raw.mid(lineEnd + 2 + size, 2) != "\r\n")
            return false;
        if (size == 0)
            return true;
        chunks->append(raw.mid(lineEnd + 2, size));
        raw = raw.mid(lineEnd + 2 + size + 2);
    }
}

struct Response
{
    int status = 0;
    QByteArray body;
    QByteArray contentType;
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
};

const QByteArray kTableAccept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;"
                                "g=meta.k8s.io,application/json";

} // namespace

#define VERIFY_SHAPE(ours, samples)                                                                                    \
    do {                                                                                                               \
        const QStringList errors_ = shapeErrors(ours, samples);                                                        \
        QVERIFY2(errors_.isEmpty(), qPrintable(errors_.mid(0, 10).join(QLatin1Char('\n'))));                           \
    } while (false)

#define COMPARE_NORMALIZED(ours, expected)                                                                             \
    do {                                                                                                               \
        const QJsonValue a_ = normalized(ours);                                                                        \
        const QJsonValue b_ = normalized(expected);                                                                    \
        QVERIFY2(a_ == b_, (QByteArray("ours:\n") + pretty(a_) + "\nfixture:\n" + pretty(b_)).constData());            \
    } while (false)

class TestApiServerFixtures : public QObject
{
    Q_OBJECT

    ApiServer *m_server = nullptr;
    QNetworkAccessManager m_network;
    QSslConfiguration m_admin;
    QSslConfiguration m_anonymous;

    Response request(const QByteArray &method, const QString &pathAndQuery, const QByteArray &body = {},
                     const QByteArray &contentType = {}, const QByteArray &accept = {}, const QByteArray &token = {})
    {
        QNetworkRequest req(QUrl(m_server->url().toString() + pathAndQuery));
        req.setSslConfiguration(token.isEmpty() ? m_admin : m_anonymous);
        req.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
        if (!contentType.isEmpty())
            req.setHeader(QNetworkRequest::ContentTypeHeader, contentType);
        if (!accept.isEmpty())
            req.setRawHeader("Accept", accept);
        if (!token.isEmpty())
            req.setRawHeader("Authorization", "Bearer " + token);
        QNetworkReply *reply = m_network.sendCustomRequest(req, method, body);
        QEventLoop loop;
        connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        QTimer::singleShot(30000, &loop, &QEventLoop::quit);
        loop.exec();
        Response response;
        response.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        response.body = reply->readAll();
        response.contentType = reply->header(QNetworkRequest::ContentTypeHeader).toByteArray();
        reply->deleteLater();
        return response;
    }

    void createAll(const QString &listFixture, const QString &apiVersion, const QString &kind, int max = 1000)
    {
        const QJsonArray items = fixture(listFixture).value(QStringLiteral("items")).toArray();
        for (int i = 0; i < items.size() && i < max; ++i)
            m_server->create(recreatable(items.at(i).toObject(), apiVersion, kind));
    }

    static QList<QJsonValue> samplesOf(const QJsonObject &object) { return {object}; }

private slots:
    void initTestCase()
    {
        QVERIFY2(QFile::exists(kFixtures + QStringLiteral("INDEX.md")), qPrintable(kFixtures));
        m_server = new ApiServer(this);
        QVERIFY2(m_server->startInThread(), qPrintable(m_server->lastError()));
        const QString tls = m_server->tlsDirectory();
        QFile cert(tls + QStringLiteral("/admin.crt"));
        QFile key(tls + QStringLiteral("/admin.key"));
        QVERIFY(cert.open(QIODevice::ReadOnly) && key.open(QIODevice::ReadOnly));
        m_anonymous = QSslConfiguration::defaultConfiguration();
        m_anonymous.setCaCertificates(QSslCertificate::fromData(m_server->caCertificatePem()));
        m_admin = m_anonymous;
        m_admin.setLocalCertificate(QSslCertificate(cert.readAll()));
        m_admin.setPrivateKey(QSslKey(key.readAll(), QSsl::Ec));

        QFile crds(QStringLiteral(ORCHESTRA_FIXTURES_DIR "/istio/crds.yaml"));
        QVERIFY(crds.open(QIODevice::ReadOnly));
        QVERIFY(m_server->createFromYaml(crds.readAll()) >= 6);
        m_server->addPods(5, QStringLiteral("default"));
        m_server->addPods(3, QStringLiteral("bookinfo"));
        createAll(QStringLiteral("list-services-all"), QStringLiteral("v1"), QStringLiteral("Service"));
        createAll(QStringLiteral("list-deployments-all"), QStringLiteral("apps/v1"), QStringLiteral("Deployment"));
        createAll(QStringLiteral("list-nodes"), QStringLiteral("v1"), QStringLiteral("Node"));
        createAll(QStringLiteral("list-events-default"), QStringLiteral("v1"), QStringLiteral("Event"), 10);
        createAll(QStringLiteral("list-virtualservices"), QStringLiteral("networking.istio.io/v1beta1"),
                  QStringLiteral("VirtualService"));
    }

    void cleanupTestCase() { delete m_server; }

    void version()
    {
        const Response r = request("GET", QStringLiteral("/version"));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.contentType, QByteArray("application/json"));
        VERIFY_SHAPE(r.json(), samplesOf(fixture(QStringLiteral("version"))));
    }

    void discovery_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("accept");
        QTest::addColumn<QString>("fixtureName");
        QTest::newRow("api") << "/api" << QByteArray() << "discovery-api";
        QTest::newRow("apis") << "/apis" << QByteArray() << "discovery-apis";
        QTest::newRow("api-v1") << "/api/v1" << QByteArray() << "discovery-api-v1";
        QTest::newRow("apps-v1") << "/apis/apps/v1" << QByteArray() << "discovery-apps-v1";
        QTest::newRow("istio-v1beta1") << "/apis/networking.istio.io/v1beta1" << QByteArray()
                                       << "discovery-networking-istio-v1beta1";
        QTest::newRow("aggregated-unsupported")
            << "/apis"
            << QByteArray("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json")
            << "discovery-aggregated-unsupported";
    }

    void discovery()
    {
        QFETCH(QString, path);
        QFETCH(QByteArray, accept);
        QFETCH(QString, fixtureName);
        const Response r = request("GET", path, {}, {}, accept);
        QCOMPARE(r.status, 200);
        VERIFY_SHAPE(r.json(), samplesOf(fixture(fixtureName)));
    }

    void discovery_listsTheResourcesThatMatter()
    {
        const QJsonArray resources =
            request("GET", QStringLiteral("/api/v1")).json().value(QStringLiteral("resources")).toArray();
        QStringList names;
        for (const QJsonValue &r : resources)
            names.append(r.toObject().value(QStringLiteral("name")).toString());
        for (const char *name :
             {"pods", "pods/log", "pods/status", "services", "services/proxy", "namespaces", "nodes", "events",
              "configmaps", "secrets", "serviceaccounts", "endpoints", "persistentvolumeclaims", "persistentvolumes"})
            QVERIFY2(names.contains(QLatin1String(name)), name);
        const QJsonArray vs = request("GET", QStringLiteral("/apis/networking.istio.io/v1beta1"))
                                  .json()
                                  .value(QStringLiteral("resources"))
                                  .toArray();
        QStringList vsNames;
        for (const QJsonValue &r : vs)
            vsNames.append(r.toObject().value(QStringLiteral("name")).toString());
        QVERIFY(vsNames.contains(QStringLiteral("virtualservices")));
        QVERIFY(vsNames.contains(QStringLiteral("virtualservices/status")));
    }

    void lists_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("fixtureName");
        QTest::newRow("pods-all") << "/api/v1/pods"
                                  << "list-pods-all";
        QTest::newRow("pods-default") << "/api/v1/namespaces/default/pods"
                                      << "list-pods-default";
        QTest::newRow("pods-page1") << "/api/v1/pods?limit=2"
                                    << "list-pods-page1";
        QTest::newRow("services") << "/api/v1/services"
                                  << "list-services-all";
        QTest::newRow("deployments") << "/apis/apps/v1/deployments"
                                     << "list-deployments-all";
        QTest::newRow("nodes") << "/api/v1/nodes"
                               << "list-nodes";
        QTest::newRow("namespaces") << "/api/v1/namespaces"
                                    << "list-namespaces";
        QTest::newRow("events") << "/api/v1/namespaces/default/events"
                                << "list-events-default";
        QTest::newRow("virtualservices") << "/apis/networking.istio.io/v1beta1/virtualservices"
                                         << "list-virtualservices";
    }

    void lists()
    {
        QFETCH(QString, path);
        QFETCH(QString, fixtureName);
        const Response r = request("GET", path);
        QCOMPARE(r.status, 200);
        const QJsonObject ours = r.json();
        QVERIFY(!ours.value(QStringLiteral("items")).toArray().isEmpty());
        VERIFY_SHAPE(ours, samplesOf(fixture(fixtureName)));
    }

    void listPaging_continueTokenLikeTheRealOne()
    {
        const QJsonObject page1 = request("GET", QStringLiteral("/api/v1/pods?limit=2")).json();
        const QString token =
            page1.value(QStringLiteral("metadata")).toObject().value(QStringLiteral("continue")).toString();
        QVERIFY(!token.isEmpty());
        const QJsonObject decoded =
            QJsonDocument::fromJson(QByteArray::fromBase64(token.toLatin1(), QByteArray::Base64UrlEncoding)).object();
        const QJsonObject realDecoded =
            QJsonDocument::fromJson(QByteArray::fromBase64(fixture(QStringLiteral("list-pods-page1"))
                                                               .value(QStringLiteral("metadata"))
                                                               .toObject()
                                                               .value(QStringLiteral("continue"))
                                                               .toString()
                                                               .toLatin1(),
                                                           QByteArray::Base64UrlEncoding))
                .object();
        VERIFY_SHAPE(decoded, samplesOf(realDecoded));
        QVERIFY(decoded.value(QStringLiteral("start")).toString().endsWith(QChar(0)));

        const Response r = request("GET", QStringLiteral("/api/v1/pods?limit=2&continue=") + token);
        QCOMPARE(r.status, 200);
        VERIFY_SHAPE(r.json(), samplesOf(fixture(QStringLiteral("list-pods-page2"))));
        const QString first = page1.value(QStringLiteral("items"))
                                  .toArray()
                                  .first()
                                  .toObject()
                                  .value(QStringLiteral("metadata"))
                                  .toObject()
                                  .value(QStringLiteral("name"))
                                  .toString();
        const QString second = r.json()
                                   .value(QStringLiteral("items"))
                                   .toArray()
                                   .first()
                                   .toObject()
                                   .value(QStringLiteral("metadata"))
                                   .toObject()
                                   .value(QStringLiteral("name"))
                                   .toString();
        QVERIFY(first != second);
    }

    void tables_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("fixtureName");
        QTest::newRow("pods") << "/api/v1/pods"
                              << "table-pods-all";
        QTest::newRow("pods-include-none") << "/api/v1/pods?includeObject=None"
                                           << "table-pods-include-none";
        QTest::newRow("services") << "/api/v1/services"
                                  << "table-services-all";
        QTest::newRow("deployments") << "/apis/apps/v1/deployments"
                                     << "table-deployments-all";
        QTest::newRow("nodes") << "/api/v1/nodes"
                               << "table-nodes";
        QTest::newRow("virtualservices") << "/apis/networking.istio.io/v1beta1/virtualservices"
                                         << "table-virtualservices";
    }

    void tables()
    {
        QFETCH(QString, path);
        QFETCH(QString, fixtureName);
        const Response r = request("GET", path, {}, {}, kTableAccept);
        QCOMPARE(r.status, 200);
        const QJsonObject ours = r.json();
        const QJsonObject real = fixture(fixtureName);
        VERIFY_SHAPE(ours, samplesOf(real));
        // Same columns, in the same order, with the same types and priorities.
        const QJsonArray ourColumns = ours.value(QStringLiteral("columnDefinitions")).toArray();
        const QJsonArray realColumns = real.value(QStringLiteral("columnDefinitions")).toArray();
        QCOMPARE(ourColumns.size(), realColumns.size());
        for (int i = 0; i < realColumns.size(); ++i) {
            for (const char *key : {"name", "type", "format", "priority"})
                QCOMPARE(ourColumns.at(i).toObject().value(QLatin1String(key)),
                         realColumns.at(i).toObject().value(QLatin1String(key)));
        }
        for (const QJsonValue &row : ours.value(QStringLiteral("rows")).toArray())
            QCOMPARE(row.toObject().value(QStringLiteral("cells")).toArray().size(), realColumns.size());
    }

    void statusErrors_matchTheFixturesExactly()
    {
        COMPARE_NORMALIZED(request("GET", QStringLiteral("/api/v1/namespaces/default/pods/does-not-exist")).json(),
                           fixture(QStringLiteral("get-pod-missing")));
        COMPARE_NORMALIZED(request("GET", QStringLiteral("/api/v1/namespaces/default/widgets")).json(),
                           fixture(QStringLiteral("get-unknown-resource")));
        Response r =
            request("POST", QStringLiteral("/api/v1/namespaces"),
                    R"({"apiVersion":"v1","kind":"Namespace","metadata":{"name":"default"}})", "application/json");
        QCOMPARE(r.status, 409);
        COMPARE_NORMALIZED(r.json(), fixture(QStringLiteral("create-ns-duplicate")));
        r = request("POST", QStringLiteral("/api/v1/namespaces/default/pods"),
                    R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"Bad_Name"},"spec":{"containers":[]}})",
                    "application/json");
        QCOMPARE(r.status, 422);
        COMPARE_NORMALIZED(r.json(), fixture(QStringLiteral("create-pod-invalid")));
        r = request("POST", QStringLiteral("/api/v1/namespaces/default/configmaps"), R"({"apiVersion":"v1","kind":)",
                    "application/json");
        QCOMPARE(r.status, 400);
        COMPARE_NORMALIZED(r.json(), fixture(QStringLiteral("create-malformed-json")));
        r = request("GET", QStringLiteral("/api/v1/namespaces/default/pods"), {}, {}, {}, "learner-token");
        QCOMPARE(r.status, 403);
        COMPARE_NORMALIZED(r.json(), fixture(QStringLiteral("forbidden-list-pods")));
        r = request("GET", QStringLiteral("/api/v1/namespaces/default/pods"), {}, {}, {}, "not-a-token");
        QCOMPARE(r.status, 401);
        COMPARE_NORMALIZED(r.json(), fixture(QStringLiteral("unauthorized-bad-token")));
        r = request("PATCH", QStringLiteral("/api/v1/namespaces/default/configmaps/lesson-config"),
                    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: lesson-config\n",
                    "application/apply-patch+yaml");
        QCOMPARE(r.status, 422);
        COMPARE_NORMALIZED(r.json(), fixture(QStringLiteral("ssa-missing-fieldmanager")));
        r = request("GET", QStringLiteral(
                               "/api/v1/namespaces/istio-system/services/prometheus:9090/proxy/api/v1/query?query=up"));
        QCOMPARE(r.status, 503);
        COMPARE_NORMALIZED(r.json(), fixture(QStringLiteral("service-proxy-no-endpoints")));
    }

    void podLogWithoutKubelet_matchesTheFixture()
    {
        QJsonObject pod{
            {QStringLiteral("apiVersion"), QStringLiteral("v1")},
            {QStringLiteral("kind"), QStringLiteral("Pod")},
            {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), QStringLiteral("web-5d894c86f5-2nqvn")},
                                                     {QStringLiteral("namespace"), QStringLiteral("default")}}},
            {QStringLiteral("spec"),
             QJsonObject{{QStringLiteral("containers"),
                          QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("nginx")},
                                                 {QStringLiteral("image"), QStringLiteral("nginx:1.25")}}}}}}};
        QVERIFY(!m_server->create(pod).isEmpty());
        m_server->setKubeletReachable(false);
        const Response r =
            request("GET", QStringLiteral("/api/v1/namespaces/default/pods/web-5d894c86f5-2nqvn/log?tailLines=10"));
        m_server->setKubeletReachable(true);
        QCOMPARE(r.status, 500);
        COMPARE_NORMALIZED(r.json(), fixture(QStringLiteral("pod-log-no-kubelet")));
    }

    void serverSideApply_matchesTheFixtures()
    {
        const QString url = QStringLiteral("/api/v1/namespaces/default/configmaps/lesson-config");
        const QByteArray basic =
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: lesson-config\ndata:\n  level: basic\n";
        const QByteArray advanced =
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: lesson-config\ndata:\n  level: advanced\n";
        Response r =
            request("PATCH", url + QStringLiteral("?fieldManager=orchestra"), basic, "application/apply-patch+yaml");
        QVERIFY2(r.status == 201, r.body.constData());
        COMPARE_NORMALIZED(r.json(), fixture(QStringLiteral("ssa-create")));
        const QString createdRv =
            r.json().value(QStringLiteral("metadata")).toObject().value(QStringLiteral("resourceVersion")).toString();

        r = request("PATCH", url + QStringLiteral("?fieldManager=other-tool"), advanced,
                    "application/apply-patch+yaml");
        QCOMPARE(r.status, 409);
        COMPARE_NORMALIZED(r.json(), fixture(QStringLiteral("ssa-conflict")));

        r = request("PATCH", url + QStringLiteral("?fieldManager=other-tool&force=true&dryRun=All"), advanced,
                    "application/apply-patch+yaml");
        QCOMPARE(r.status, 200);
        COMPARE_NORMALIZED(r.json(), fixture(QStringLiteral("ssa-dryrun-force")));
        QCOMPARE(
            r.json().value(QStringLiteral("metadata")).toObject().value(QStringLiteral("resourceVersion")).toString(),
            createdRv);
        // dryRun stored nothing.
        QCOMPARE(m_server
                     ->get(QString(), QStringLiteral("v1"), QStringLiteral("configmaps"), QStringLiteral("default"),
                           QStringLiteral("lesson-config"))
                     .value(QStringLiteral("data"))
                     .toObject()
                     .value(QStringLiteral("level"))
                     .toString(),
                 QStringLiteral("basic"));

        const QByteArray deployment = R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"lesson-web"},
            "spec":{"replicas":3,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},
            "spec":{"containers":[{"name":"nginx","image":"nginx:1.25"}]}}}})";
        r = request(
            "POST",
            QStringLiteral("/apis/apps/v1/namespaces/default/deployments?fieldManager=kubectl-client-side-apply"),
            deployment, "application/json");
        QCOMPARE(r.status, 201);
        QByteArray applied = deployment;
        applied.replace("\"replicas\":3", "\"replicas\":5");
        r = request(
            "PATCH",
            QStringLiteral("/apis/apps/v1/namespaces/default/deployments/lesson-web?fieldManager=orchestra&dryRun=All"),
            applied, "application/apply-patch+yaml");
        QCOMPARE(r.status, 409);
        COMPARE_NORMALIZED(r.json(), fixture(QStringLiteral("ssa-deployment-dryrun")));
    }

    void watch_eventsShapedLikeTheRecordedStream()
    {
        m_server->setBookmarkInterval(100);
        const QString rv = request("GET", QStringLiteral("/api/v1/namespaces/default/pods"))
                               .json()
                               .value(QStringLiteral("metadata"))
                               .toObject()
                               .value(QStringLiteral("resourceVersion"))
                               .toString();
        QNetworkRequest req(QUrl(m_server->url().toString() +
                                 QStringLiteral("/api/v1/namespaces/default/pods?watch=1&allowWatchBookmarks=true&"
                                                "resourceVersion=%1&timeoutSeconds=2")
                                     .arg(rv)));
        req.setSslConfiguration(m_admin);
        req.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
        QNetworkReply *reply = m_network.get(req);
        QTRY_VERIFY(m_server->openWatchCount() > 0);

        // The fixture's first ADDED pod, created again, then changed and deleted.
        const QList<QByteArray> realLines = fixtureBytes(QStringLiteral("watch-pods-default.body")).split('\n');
        QHash<QString, QList<QJsonValue>> realByType;
        for (const QByteArray &line : realLines) {
            const QJsonObject event = QJsonDocument::fromJson(line).object();
            if (!event.isEmpty())
                realByType[event.value(QStringLiteral("type")).toString()].append(event);
        }
        const QJsonObject added =
            realByType.value(QStringLiteral("ADDED")).first().toObject().value(QStringLiteral("object")).toObject();
        QVERIFY(!m_server->create(recreatable(added, QStringLiteral("v1"), QStringLiteral("Pod"))).isEmpty());
        const QString name =
            added.value(QStringLiteral("metadata")).toObject().value(QStringLiteral("name")).toString();
        // What the scheduler and the kubelet would do.
        const QJsonObject scheduled =
            QJsonDocument::fromJson(R"({"spec":{"nodeName":"node-1"},"status":{"phase":"Running",
            "conditions":[{"type":"Ready","status":"True","lastProbeTime":null,"lastTransitionTime":"2026-11-26T05:49:21Z"}],
            "hostIP":"127.0.0.1","podIP":"10.244.0.90","podIPs":[{"ip":"10.244.0.90"}],"startTime":"2026-11-26T05:49:21Z",
            "containerStatuses":[{"name":"nginx","state":{"running":{"startedAt":"2026-11-26T05:49:21Z"}},"lastState":{},
            "ready":true,"restartCount":0,"image":"nginx:1.25","imageID":"","started":true}]}})")
                .object();
        QVERIFY(!m_server
                     ->modify(QString(), QStringLiteral("v1"), QStringLiteral("pods"), QStringLiteral("default"), name,
                              scheduled)
                     .isEmpty());
        m_server->setPodPhase(QStringLiteral("default"), name, QStringLiteral("Succeeded"));
        QVERIFY(
            m_server->remove(QString(), QStringLiteral("v1"), QStringLiteral("pods"), QStringLiteral("default"), name));

        QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 10000);
        QCOMPARE(reply->rawHeader("Transfer-Encoding").toLower(), QByteArray("chunked"));
        const QList<QByteArray> lines = reply->readAll().split('\n');
        reply->deleteLater();
        QSet<QString> seen;
        for (const QByteArray &line : lines) {
            if (line.isEmpty())
                continue;
            const QJsonObject event = QJsonDocument::fromJson(line).object();
            QVERIFY2(!event.isEmpty(), line.constData());
            const QString type = event.value(QStringLiteral("type")).toString();
            QVERIFY2(realByType.contains(type), qPrintable(type));
            VERIFY_SHAPE(event, realByType.value(type));
            seen.insert(type);
        }
        for (const char *type : {"ADDED", "MODIFIED", "DELETED", "BOOKMARK"})
            QVERIFY2(seen.contains(QLatin1String(type)), type);
    }

    void watchFraming_oneNewlineTerminatedEventPerChunk()
    {
        // The recorded stream, parsed with the same rules.
        const QByteArray recorded = fixtureBytes(QStringLiteral("watch-pods-default.raw"));
        QList<QByteArray> realChunks;
        QVERIFY(splitChunks(recorded, &realChunks));
        QVERIFY(!realChunks.isEmpty());
        for (const QByteArray &chunk : std::as_const(realChunks))
            QVERIFY(chunk.endsWith('\n') && chunk.count('\n') == 1);

        QSslSocket socket;
        socket.setSslConfiguration(m_admin);
        socket.connectToHostEncrypted(QStringLiteral("127.0.0.1"), m_server->port());
        QVERIFY(socket.waitForEncrypted(10000));
        socket.write("GET /api/v1/namespaces/default/pods?watch=1&resourceVersion=0&timeoutSeconds=1 HTTP/1.1\r\n"
                     "Host: 127.0.0.1\r\nAccept: application/json\r\n\r\n");
        QByteArray raw;
        while (!raw.endsWith("\r\n0\r\n\r\n") && socket.waitForReadyRead(10000))
            raw += socket.readAll();
        const qsizetype headerEnd = raw.indexOf("\r\n\r\n");
        QVERIFY(headerEnd > 0);
        const QByteArray head = raw.left(headerEnd);
        QVERIFY(head.startsWith("HTTP/1.1 200 OK\r\n"));
        QVERIFY(head.contains("Content-Type: application/json\r\n"));
        QVERIFY(head.contains("Transfer-Encoding: chunked"));
        QList<QByteArray> chunks;
        QVERIFY2(splitChunks(raw.mid(headerEnd + 4), &chunks), raw.constData());
        QVERIFY(!chunks.isEmpty());
        for (const QByteArray &chunk : std::as_const(chunks)) {
            QVERIFY(chunk.endsWith('\n') && chunk.count('\n') == 1);
            QCOMPARE(QJsonDocument::fromJson(chunk).object().value(QStringLiteral("type")).toString(),
                     QStringLiteral("ADDED"));
        }
    }

    void watchTooOld_afterRestartIsAnErrorEvent()
    {
        const QString rv = m_server->resourceVersion();
        m_server->restart();
        const Response r = request(
            "GET",
            QStringLiteral("/api/v1/namespaces/default/pods?watch=1&resourceVersion=%1&timeoutSeconds=3").arg(rv));
        QCOMPARE(r.status, 200);
        const QJsonObject ours = QJsonDocument::fromJson(r.body.trimmed()).object();
        QJsonObject real;
        for (const QByteArray &line : fixtureBytes(QStringLiteral("watch-too-old.body")).split('\n')) {
            if (line.startsWith('{'))
                real = QJsonDocument::fromJson(line.trimmed()).object();
        }
        QVERIFY(!real.isEmpty());
        VERIFY_SHAPE(ours, samplesOf(real));
        const QJsonObject status = ours.value(QStringLiteral("object")).toObject();
        QCOMPARE(status.value(QStringLiteral("code")).toInt(), 410);
        QCOMPARE(status.value(QStringLiteral("reason")).toString(), QStringLiteral("Expired"));
        QVERIFY(QRegularExpression(QStringLiteral("^too old resource version: \\d+ \\(\\d+\\)$"))
                    .match(status.value(QStringLiteral("message")).toString())
                    .hasMatch());
    }

    void continueTokenAfterRestart_isExpired()
    {
        const QString token = request("GET", QStringLiteral("/api/v1/pods?limit=1"))
                                  .json()
                                  .value(QStringLiteral("metadata"))
                                  .toObject()
                                  .value(QStringLiteral("continue"))
                                  .toString();
        QVERIFY(!token.isEmpty());
        m_server->restart();
        const Response r = request("GET", QStringLiteral("/api/v1/pods?limit=1&continue=") + token);
        QCOMPARE(r.status, 410);
        QCOMPARE(r.json().value(QStringLiteral("reason")).toString(), QStringLiteral("Expired"));
        QVERIFY(r.json()
                    .value(QStringLiteral("message"))
                    .toString()
                    .startsWith(QStringLiteral("The provided continue parameter is too old")));
    }
};

ORCHESTRA_TEST_MAIN(TestApiServerFixtures)
#include "tst_apiserverfixtures.moc"
