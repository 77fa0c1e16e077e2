#include "resources/podstatus.h"

#include "testmain.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace orchestra::resources;

namespace {

QJsonObject json(const char *text)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(QByteArray(text), &error);
    if (error.error != QJsonParseError::NoError)
        qFatal("bad test JSON: %s", qPrintable(error.errorString()));
    return document.object();
}

QJsonObject fixture(const QString &name)
{
    QFile file(QStringLiteral(ORCHESTRA_FIXTURES_DIR "/kube-apiserver-1.20/") + name);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

} // namespace

class TestPodStatus : public QObject
{
    Q_OBJECT

private slots:
    void statuses_data()
    {
        QTest::addColumn<QByteArray>("pod");
        QTest::addColumn<QString>("reason");
        QTest::addColumn<QString>("ready");
        QTest::addColumn<int>("restarts");
        QTest::addColumn<int>("state");
        const auto row = [](const char *name, const char *pod, const char *reason, const char *ready, int restarts,
                            State state) {
            QTest::newRow(name) << QByteArray(pod) << QString::fromLatin1(reason) << QString::fromLatin1(ready)
                                << restarts << int(state);
        };
        row("pending, nothing scheduled", R"({"spec":{"containers":[{"name":"a"}]},"status":{"phase":"Pending"}})",
            "Pending", "0/1", 0, State::Pending);
        row("running ready",
            R"({"spec":{"containers":[{"name":"a"}]},"status":{"phase":"Running","containerStatuses":[
                {"name":"a","ready":true,"restartCount":0,"state":{"running":{}}}]}})",
            "Running", "1/1", 0, State::Healthy);
        row("running not ready",
            R"({"spec":{"containers":[{"name":"a"},{"name":"b"}]},"status":{"phase":"Running","containerStatuses":[
                {"name":"a","ready":true,"state":{"running":{}}},{"name":"b","ready":false,"state":{"running":{}}}]}})",
            "Running", "1/2", 0, State::Warning);
        row("container creating",
            R"({"spec":{"containers":[{"name":"a"}]},"status":{"phase":"Pending","containerStatuses":[
                {"name":"a","ready":false,"state":{"waiting":{"reason":"ContainerCreating"}}}]}})",
            "ContainerCreating", "0/1", 0, State::Pending);
        row("crash loop",
            R"({"spec":{"containers":[{"name":"a"}]},"status":{"phase":"Running","containerStatuses":[
                {"name":"a","ready":false,"restartCount":7,"state":{"waiting":{"reason":"CrashLoopBackOff"}},
                 "lastState":{"terminated":{"exitCode":1,"reason":"Error","finishedAt":"2026-11-26T05:49:20Z"}}}]}})",
            "CrashLoopBackOff", "0/1", 7, State::Failed);
        row("image pull backoff",
            R"({"spec":{"containers":[{"name":"a"}]},"status":{"phase":"Pending","containerStatuses":[
                {"name":"a","ready":false,"state":{"waiting":{"reason":"ImagePullBackOff"}}}]}})",
            "ImagePullBackOff", "0/1", 0, State::Failed);
        row("completed",
            R"({"spec":{"containers":[{"name":"a"}]},"status":{"phase":"Succeeded","containerStatuses":[
                {"name":"a","ready":false,"state":{"terminated":{"exitCode":0,"reason":"Completed"}}}]}})",
            "Completed", "0/1", 0, State::Succeeded);
        row("error",
            R"({"spec":{"containers":[{"name":"a"}]},"status":{"phase":"Failed","containerStatuses":[
                {"name":"a","ready":false,"state":{"terminated":{"exitCode":2,"reason":"Error"}}}]}})",
            "Error", "0/1", 0, State::Failed);
        row("exit code without reason",
            R"({"spec":{"containers":[{"name":"a"}]},"status":{"phase":"Failed","containerStatuses":[
                {"name":"a","state":{"terminated":{"exitCode":137}}}]}})",
            "ExitCode:137", "0/1", 0, State::Failed);
        row("signal without reason",
            R"({"spec":{"containers":[{"name":"a"}]},"status":{"phase":"Failed","containerStatuses":[
                {"name":"a","state":{"terminated":{"exitCode":0,"signal":9}}}]}})",
            "Signal:9", "0/1", 0, State::Failed);
        row("first init container running",
            R"({"spec":{"initContainers":[{"name":"i1"},{"name":"i2"}],"containers":[{"name":"a"}]},
                "status":{"phase":"Pending","initContainerStatuses":[
                {"name":"i1","state":{"running":{}}},{"name":"i2","state":{"waiting":{"reason":"PodInitializing"}}}]}})",
            "Init:0/2", "0/1", 0, State::Pending);
        row("second init container waiting",
            R"({"spec":{"initContainers":[{"name":"i1"},{"name":"i2"}],"containers":[{"name":"a"}]},
                "status":{"phase":"Pending","initContainerStatuses":[
                {"name":"i1","state":{"terminated":{"exitCode":0,"reason":"Completed"}}},
                {"name":"i2","state":{"waiting":{"reason":"PodInitializing"}}}]}})",
            "Init:1/2", "0/1", 0, State::Pending);
        row("init crash loop counts init restarts",
            R"({"spec":{"initContainers":[{"name":"i1"}],"containers":[{"name":"a"}]},
                "status":{"phase":"Pending","initContainerStatuses":[
                {"name":"i1","restartCount":3,"state":{"waiting":{"reason":"CrashLoopBackOff"}}}],
                "containerStatuses":[{"name":"a","restartCount":9,"state":{"waiting":{"reason":"PodInitializing"}}}]}})",
            "Init:CrashLoopBackOff", "0/1", 3, State::Failed);
        row("init error",
            R"({"spec":{"initContainers":[{"name":"i1"}],"containers":[{"name":"a"}]},
                "status":{"phase":"Pending","initContainerStatuses":[
                {"name":"i1","state":{"terminated":{"exitCode":1,"reason":"Error"}}}]}})",
            "Init:Error", "0/1", 0, State::Failed);
        row("init exit code",
            R"({"spec":{"initContainers":[{"name":"i1"}],"containers":[{"name":"a"}]},
                "status":{"phase":"Pending","initContainerStatuses":[
                {"name":"i1","state":{"terminated":{"exitCode":3}}}]}})",
            "Init:ExitCode:3", "0/1", 0, State::Failed);
        row("terminating",
            R"({"metadata":{"deletionTimestamp":"2026-11-26T05:49:20Z"},"spec":{"containers":[{"name":"a"}]},
                "status":{"phase":"Running","containerStatuses":[
                {"name":"a","ready":true,"state":{"running":{}}}]}})",
            "Terminating", "1/1", 0, State::Terminating);
        row("deleted on a lost node",
            R"({"metadata":{"deletionTimestamp":"2026-11-26T05:49:20Z"},"spec":{"containers":[{"name":"a"}]},
                "status":{"phase":"Running","reason":"NodeLost"}})",
            "Unknown", "0/1", 0, State::Unknown);
        row("node lost", R"({"spec":{"containers":[{"name":"a"}]},"status":{"phase":"Running","reason":"NodeLost"}})",
            "NodeLost", "0/1", 0, State::Unknown);
        row("evicted", R"({"spec":{"containers":[{"name":"a"}]},"status":{"phase":"Failed","reason":"Evicted"}})",
            "Evicted", "0/1", 0, State::Failed);
        row("completed main with running sidecar is Running",
            R"({"spec":{"containers":[{"name":"a"},{"name":"b"}]},"status":{"phase":"Running",
                "conditions":[{"type":"Ready","status":"True"}],"containerStatuses":[
                {"name":"a","ready":false,"state":{"terminated":{"exitCode":0,"reason":"Completed"}}},
                {"name":"b","ready":true,"state":{"running":{}}}]}})",
            "Running", "1/2", 0, State::Warning);
        row("completed main with running sidecar, pod not ready",
            R"({"spec":{"containers":[{"name":"a"},{"name":"b"}]},"status":{"phase":"Running","containerStatuses":[
                {"name":"a","ready":false,"state":{"terminated":{"exitCode":0,"reason":"Completed"}}},
                {"name":"b","ready":true,"state":{"running":{}}}]}})",
            "NotReady", "1/2", 0, State::Warning);
    }
    void statuses()
    {
        QFETCH(QByteArray, pod);
        QFETCH(QString, reason);
        QFETCH(QString, ready);
        QFETCH(int, restarts);
        QFETCH(int, state);
        const PodStatus status = podStatus(json(pod.constData()));
        QCOMPARE(status.reason, reason);
        QCOMPARE(status.ready(), ready);
        QCOMPARE(status.restarts, restarts);
        QCOMPARE(stateName(status.state), stateName(State(state)));
    }

    void restartsText_showsTimeSinceLastTermination()
    {
        const PodStatus status = podStatus(json(
            R"({"spec":{"containers":[{"name":"a"}]},"status":{"phase":"Running","containerStatuses":[
                {"name":"a","restartCount":2,"state":{"running":{}},
                 "lastState":{"terminated":{"exitCode":1,"finishedAt":"2026-11-26T05:49:20Z"}}}]}})"));
        QCOMPARE(status.restarts, 2);
        QCOMPARE(status.restartsText(status.lastRestart.addSecs(300)), QStringLiteral("2 (5m ago)"));
        QCOMPARE(podStatus(json(R"({"spec":{"containers":[]}})")).restartsText(), QStringLiteral("0"));
    }

    void recordedPods_matchTheServersOwnTable()
    {
        // kube-apiserver renders its Table with the same printPod code: every recorded pod must agree.
        const QJsonObject list = fixture(QStringLiteral("list-pods-all.body"));
        const QJsonObject table = fixture(QStringLiteral("table-pods-all.body"));
        if (list.isEmpty() || table.isEmpty())
            QSKIP("recorded fixtures not found");
        QHash<QString, QJsonArray> cellsByUid;
        for (const QJsonValue &row : table.value(QLatin1String("rows")).toArray()) {
            const QString uid =
                row[QLatin1String("object")][QLatin1String("metadata")][QLatin1String("uid")].toString();
            cellsByUid.insert(uid, row[QLatin1String("cells")].toArray());
        }
        int compared = 0;
        for (const QJsonValue &item : list.value(QLatin1String("items")).toArray()) {
            const QString uid = item[QLatin1String("metadata")][QLatin1String("uid")].toString();
            if (!cellsByUid.contains(uid))
                continue;
            const QJsonArray cells = cellsByUid.value(uid);
            const PodStatus status = podStatus(item.toObject());
            QCOMPARE(status.ready(), cells.at(1).toString());
            QCOMPARE(status.reason, cells.at(2).toString());
            QCOMPARE(status.restarts, cells.at(3).toInt());
            ++compared;
        }
        QVERIFY(compared >= 5);
    }
};

ORCHESTRA_TEST_MAIN(TestPodStatus)
#include "tst_podstatus.moc"
