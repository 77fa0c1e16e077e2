#include "kube/operations.h"
#include "kube/status.h"

#include "testmain.h"

using namespace orchestra::kube;

namespace {

QByteArray fixture(const QString &name)
{
    QFile file(QStringLiteral(ORCHESTRA_FIXTURES_DIR "/kube-apiserver-1.20/") + name);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class TestStatus : public QObject
{
    Q_OBJECT

private slots:
    void invalid_hasCausesWithFieldPaths()
    {
        const QByteArray body = fixture(QStringLiteral("create-pod-invalid.body"));
        if (body.isEmpty())
            QSKIP("recorded fixtures not found");
        const Status status = Status::fromHttp(422, body);
        QCOMPARE(status.code, 422);
        QCOMPARE(status.reason, QStringLiteral("Invalid"));
        QCOMPARE(status.detailsKind, QStringLiteral("Pod"));
        QCOMPARE(status.detailsName, QStringLiteral("Bad_Name"));
        QCOMPARE(status.causes.size(), 2);
        QCOMPARE(status.causes.at(0).field, QStringLiteral("metadata.name"));
        QCOMPARE(status.causes.at(1).reason, QStringLiteral("FieldValueRequired"));
        const orchestra::Error error = status.toError(QStringLiteral("pod/Bad_Name"));
        QCOMPARE(error.code, 422);
        QVERIFY(error.message.contains(QStringLiteral("spec.containers")));
    }

    void applyConflict_namesTheFieldManagers()
    {
        const QByteArray body = fixture(QStringLiteral("ssa-conflict.body"));
        if (body.isEmpty())
            QSKIP("recorded fixtures not found");
        const Status status = Status::fromHttp(409, body);
        QVERIFY(status.isConflict());
        QCOMPARE(status.reason, QStringLiteral("Conflict"));
        QVERIFY(!status.causes.isEmpty());
        QCOMPARE(status.causes.first().reason, QStringLiteral("FieldManagerConflict"));
        QVERIFY(!status.causes.first().field.isEmpty());
    }

    void commonCodes_areTyped_data()
    {
        QTest::addColumn<QString>("fixtureName");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("reason");
        QTest::newRow("not found") << QStringLiteral("get-pod-missing.body") << 404 << QStringLiteral("NotFound");
        QTest::newRow("unknown resource")
            << QStringLiteral("get-unknown-resource.body") << 404 << QStringLiteral("NotFound");
        QTest::newRow("already exists") << QStringLiteral("create-ns-duplicate.body") << 409
                                        << QStringLiteral("AlreadyExists");
        QTest::newRow("forbidden") << QStringLiteral("forbidden-list-pods.body") << 403 << QStringLiteral("Forbidden");
        QTest::newRow("unauthorized") << QStringLiteral("unauthorized-bad-token.body") << 401
                                      << QStringLiteral("Unauthorized");
        QTest::newRow("bad request") << QStringLiteral("create-malformed-json.body") << 400
                                     << QStringLiteral("BadRequest");
        QTest::newRow("no endpoints") << QStringLiteral("service-proxy-no-endpoints.body") << 503
                                      << QStringLiteral("ServiceUnavailable");
    }
    void commonCodes_areTyped()
    {
        QFETCH(QString, fixtureName);
        QFETCH(int, code);
        QFETCH(QString, reason);
        const QByteArray body = fixture(fixtureName);
        if (body.isEmpty())
            QSKIP("recorded fixtures not found");
        const Status status = Status::fromHttp(code, body);
        QCOMPARE(status.code, code);
        QCOMPARE(status.reason, reason);
        QVERIFY(!status.message.isEmpty());
        const orchestra::Error error = status.toError();
        QCOMPARE(error.code, code);
        if (code == 403 || code == 401 || code == 404)
            QVERIFY(!error.hint.isEmpty());
    }

    void watchTooOld_isExpired()
    {
        const std::optional<Status> status = Status::fromBody(
            R"json({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version: 838 (860)","reason":"Expired","code":410})json");
        QVERIFY(status);
        QVERIFY(status->isExpired());
    }

    void nonStatusBody_isSynthesized()
    {
        QVERIFY(!Status::fromBody("<html>Bad Gateway</html>"));
        const Status status = Status::fromHttp(502, "<html><body>Bad Gateway</body></html>");
        QCOMPARE(status.code, 502);
        QCOMPARE(status.message, QStringLiteral("the server answered HTTP 502"));
        QCOMPARE(Status::fromHttp(500, "boom").message, QStringLiteral("boom"));
        const Status network = Status::fromNetworkError(QStringLiteral("Connection refused"));
        QCOMPARE(network.code, 0);
        QVERIFY(!network.toError().hint.isEmpty());
    }

    void podLogWithoutKubelet_getsAClearMessage()
    {
        const QByteArray body = fixture(QStringLiteral("pod-log-no-kubelet.body"));
        if (body.isEmpty())
            QSKIP("recorded fixtures not found");
        Response response;
        response.httpStatus = 500;
        response.status = Status::fromHttp(500, body);
        QVERIFY(response.status->isKubeletUnreachable());
        const orchestra::Error error =
            LogStream::errorFor(response, QStringLiteral("default"), QStringLiteral("web-5d894c86f5-2nqvn"));
        QVERIFY(error.message.contains(QStringLiteral("kubelet")));
        QVERIFY(error.hint.contains(QStringLiteral("10250")));
        QVERIFY(error.location.contains(QStringLiteral("web-5d894c86f5-2nqvn")));
        QCOMPARE(error.code, 500);
        // An ordinary 500 is not blamed on the kubelet.
        QVERIFY(!Status::fromHttp(500, R"({"kind":"Status","code":500,"message":"etcdserver: timeout"})")
                     .isKubeletUnreachable());
    }

    void logOptions_buildKubectlsQuery()
    {
        LogOptions options;
        QCOMPARE(options.query(), QString());
        options.container = QStringLiteral("nginx");
        options.follow = true;
        options.tailLines = 100;
        options.previous = true;
        options.timestamps = true;
        QCOMPARE(options.query(),
                 QStringLiteral("container=nginx&follow=true&tailLines=100&previous=true&timestamps=true"));
    }

    void restartPatch_isKubectls()
    {
        const QDateTime now = QDateTime::fromString(QStringLiteral("2026-11-26T06:00:00Z"), Qt::ISODate);
        QCOMPARE(
            Operations::restartPatch(now),
            QByteArray(
                R"({"spec":{"template":{"metadata":{"annotations":{"kubectl.kubernetes.io/restartedAt":"2026-11-26T06:00:00Z"}}}}})"));
    }
};

ORCHESTRA_TEST_MAIN(TestStatus)
#include "tst_status.moc"
