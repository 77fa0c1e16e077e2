#include "resources/renderer.h"
#include "watch/object.h"
#include "watch/objectstore.h"

#include "testmain.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace orchestra::resources;

namespace {

QJsonObject fixture(const QString &name)
{
    QFile file(QStringLiteral(ORCHESTRA_FIXTURES_DIR "/kube-apiserver-1.20/") + name);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

QString cellText(const QJsonValue &cell)
{
    return cell.isDouble() ? QString::number(cell.toInteger()) : cell.toString();
}

QString valueText(const QVariant &value)
{
    return value.typeId() == QMetaType::LongLong ? QString::number(value.toLongLong()) : value.toString();
}

} // namespace

class TestRenderer : public QObject
{
    Q_OBJECT

private:
    // Renders every item of `listFixture` natively and compares the named columns with the server's Table.
    void compareWithServerTable(const QString &group, const QString &kind, const QString &listFixture,
                                const QString &tableFixture, const QStringList &columnNames)
    {
        const QJsonObject list = fixture(listFixture);
        const QJsonObject table = fixture(tableFixture);
        if (list.isEmpty() || table.isEmpty())
            QSKIP("recorded fixtures not found");
        const auto renderer = nativeRenderer(group, kind);
        QVERIFY(renderer);
        const QList<Column> columns = renderer->columns();
        const QJsonArray definitions = table.value(QLatin1String("columnDefinitions")).toArray();
        QHash<QString, QJsonArray> cellsByUid;
        for (const QJsonValue &row : table.value(QLatin1String("rows")).toArray())
            cellsByUid.insert(row[QLatin1String("object")][QLatin1String("metadata")][QLatin1String("uid")].toString(),
                              row[QLatin1String("cells")].toArray());
        int compared = 0;
        for (const QJsonValue &item : list.value(QLatin1String("items")).toArray()) {
            const QJsonArray cells = cellsByUid.value(item[QLatin1String("metadata")][QLatin1String("uid")].toString());
            QVERIFY(!cells.isEmpty());
            const Row row = renderer->row(item.toObject());
            QCOMPARE(row.values.size(), columns.size());
            for (const QString &columnName : columnNames) {
                int ours = -1;
                int theirs = -1;
                for (int i = 0; i < columns.size(); ++i)
                    if (columns.at(i).name == columnName)
                        ours = i;
                for (int i = 0; i < definitions.size(); ++i)
                    if (definitions.at(i)[QLatin1String("name")].toString().toUpper() == columnName)
                        theirs = i;
                QVERIFY2(ours >= 0 && theirs >= 0, qPrintable(columnName));
                QCOMPARE(valueText(row.values.at(ours)), cellText(cells.at(theirs)));
            }
            ++compared;
        }
        QVERIFY(compared > 0);
    }

private slots:
    void services_matchServerTable()
    {
        compareWithServerTable(QString(), QStringLiteral("Service"), QStringLiteral("list-services-all.body"),
                               QStringLiteral("table-services-all.body"),
                               {QStringLiteral("NAME"), QStringLiteral("TYPE"), QStringLiteral("CLUSTER-IP"),
                                QStringLiteral("EXTERNAL-IP"), QStringLiteral("PORT(S)"), QStringLiteral("SELECTOR")});
    }

    void deployments_matchServerTable()
    {
        compareWithServerTable(
            QStringLiteral("apps"), QStringLiteral("Deployment"), QStringLiteral("list-deployments-all.body"),
            QStringLiteral("table-deployments-all.body"),
            {QStringLiteral("NAME"), QStringLiteral("READY"), QStringLiteral("UP-TO-DATE"), QStringLiteral("AVAILABLE"),
             QStringLiteral("CONTAINERS"), QStringLiteral("IMAGES"), QStringLiteral("SELECTOR")});
    }

    void nodes_matchServerTable()
    {
        compareWithServerTable(QString(), QStringLiteral("Node"), QStringLiteral("list-nodes.body"),
                               QStringLiteral("table-nodes.body"),
                               {QStringLiteral("NAME"), QStringLiteral("STATUS"), QStringLiteral("ROLES"),
                                QStringLiteral("VERSION"), QStringLiteral("INTERNAL-IP")});
    }

    void pods_matchServerTable()
    {
        compareWithServerTable(QString(), QStringLiteral("Pod"), QStringLiteral("list-pods-all.body"),
                               QStringLiteral("table-pods-all.body"),
                               {QStringLiteral("NAME"), QStringLiteral("READY"), QStringLiteral("STATUS"),
                                QStringLiteral("IP"), QStringLiteral("NODE")});
    }

    void everyNativeKind_rendersAsManyValuesAsColumns()
    {
        const QStringList kinds{QStringLiteral("/Pod"),
                                QStringLiteral("/Service"),
                                QStringLiteral("apps/Deployment"),
                                QStringLiteral("apps/ReplicaSet"),
                                QStringLiteral("apps/StatefulSet"),
                                QStringLiteral("apps/DaemonSet"),
                                QStringLiteral("batch/Job"),
                                QStringLiteral("batch/CronJob"),
                                QStringLiteral("/Node"),
                                QStringLiteral("/Namespace"),
                                QStringLiteral("/Event"),
                                QStringLiteral("networking.k8s.io/Ingress"),
                                QStringLiteral("/ConfigMap"),
                                QStringLiteral("/PersistentVolumeClaim"),
                                QStringLiteral("/PersistentVolume")};
        for (const QString &groupKind : kinds) {
            const QStringList parts = groupKind.split(QLatin1Char('/'));
            const auto renderer = nativeRenderer(parts.at(0), parts.at(1));
            QVERIFY2(renderer, qPrintable(groupKind));
            QCOMPARE(renderer->row(QJsonObject()).values.size(), renderer->columns().size());
        }
        QVERIFY(!hasNativeRenderer(QStringLiteral("networking.istio.io"), QStringLiteral("VirtualService")));
        // Same kind name in another group is not ours.
        QVERIFY(!hasNativeRenderer(QStringLiteral("example.com"), QStringLiteral("Pod")));
    }

    void events_showKindSlashName()
    {
        const QJsonObject list = fixture(QStringLiteral("list-events-default.body"));
        if (list.isEmpty())
            QSKIP("recorded fixtures not found");
        const auto renderer = nativeRenderer(QString(), QStringLiteral("Event"));
        const QJsonObject first = list.value(QLatin1String("items")).toArray().first().toObject();
        const Row row = renderer->row(first);
        QVERIFY(row.values.at(0).toDateTime().isValid());
        QVERIFY(row.values.at(3).toString().contains(QLatin1Char('/')));
        QVERIFY(row.values.at(3).toString().at(0).isLower());
    }

    void serverTable_rendersCrdPrinterColumns()
    {
        const QJsonObject table = fixture(QStringLiteral("table-virtualservices.body"));
        if (table.isEmpty())
            QSKIP("recorded fixtures not found");
        const TableRenderer renderer(table.value(QLatin1String("columnDefinitions")).toArray());
        const QList<Column> columns = renderer.columns();
        QCOMPARE(columns.size(), 4);
        QCOMPARE(columns.at(0).name, QStringLiteral("NAME"));
        QCOMPARE(columns.at(2).name, QStringLiteral("HOSTS"));
        QCOMPARE(int(columns.at(3).type), int(ColumnType::Age));
        const QList<orchestra::watch::ObjectPtr> rows = orchestra::watch::objectsFromTable(table);
        QVERIFY(!rows.isEmpty());
        QVERIFY(!rows.first()->uid.isEmpty());
        const Row row = renderer.row(rows.first()->json);
        QCOMPARE(row.values.at(0).toString(), rows.first()->name);
        QCOMPARE(row.values.at(1).toString(), QStringLiteral("<none>")); // a null cell
        QCOMPARE(row.values.at(3).typeId(), int(QMetaType::QDateTime));  // Age recomputed, not "107s"
    }

    void secrets_keepKeysButNotValues()
    {
        QJsonObject secret =
            QJsonDocument::fromJson(
                R"({"kind":"Secret","metadata":{"name":"s","uid":"u1","managedFields":[{"manager":"x"}],
                                 "annotations":{"team":"a"}},
                                 "type":"Opaque","data":{"password":"aHVudGVyMg==","user":"YWRtaW4="}})")
                .object();
        // kubectl apply's copy of the whole Secret, values included.
        QJsonObject metadata = secret.value(QLatin1String("metadata")).toObject();
        QJsonObject annotations = metadata.value(QLatin1String("annotations")).toObject();
        annotations.insert(QStringLiteral("kubectl.kubernetes.io/last-applied-configuration"),
                           QString::fromUtf8(QJsonDocument(secret).toJson(QJsonDocument::Compact)));
        metadata.insert(QStringLiteral("annotations"), annotations);
        secret.insert(QStringLiteral("metadata"), metadata);
        const auto object = orchestra::watch::makeObject(secret);
        QVERIFY(!object->json.isEmpty());
        QVERIFY(!QJsonDocument(object->json).toJson().contains("aHVudGVyMg==")); // not in data, not in kubectl's copy
        QCOMPARE(
            object->json[QLatin1String("metadata")][QLatin1String("annotations")][QLatin1String("team")].toString(),
            QStringLiteral("a"));
        QVERIFY(!object->json[QLatin1String("metadata")].toObject().contains(QLatin1String("managedFields")));
        QCOMPARE(object->json[QLatin1String("data")].toObject().keys(),
                 (QStringList{QStringLiteral("password"), QStringLiteral("user")}));
        QVERIFY(!hasNativeRenderer(QString(), QStringLiteral("Secret"))); // listed as server Tables, metadata only
        QCOMPARE(object->key(), QStringLiteral("u1"));
    }

    void tableRows_dropKubectlsLastAppliedCopy()
    {
        // A server Table row of a kubectl-applied Secret: its metadata carries the values in the annotation.
        const QJsonObject table = QJsonDocument::fromJson(R"({"kind":"Table","apiVersion":"meta.k8s.io/v1",
            "rows":[{"cells":["s","Opaque",1,"5m"],"object":{"kind":"PartialObjectMetadata",
            "metadata":{"name":"s","uid":"u2","annotations":{"team":"a",
            "kubectl.kubernetes.io/last-applied-configuration":"{SECRET-VALUES}"}}}}]})")
                                      .object();
        const QList<orchestra::watch::ObjectPtr> rows = orchestra::watch::objectsFromTable(table);
        QCOMPARE(rows.size(), 1);
        const QJsonObject annotations =
            rows.first()->json[QLatin1String("metadata")][QLatin1String("annotations")].toObject();
        QCOMPARE(annotations.keys(), QStringList{QStringLiteral("team")});
        QVERIFY(!QJsonDocument(rows.first()->json).toJson().contains("SECRET-VALUES"));
        QCOMPARE(rows.first()->json[QLatin1String("cells")].toArray().size(), 4);
    }
};

ORCHESTRA_TEST_MAIN(TestRenderer)
#include "tst_renderer.moc"
