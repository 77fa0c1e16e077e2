#include "models/resourcetablemodel.h"
#include "models/roles.h"

#include "testmain.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>

using namespace orchestra;
using watch::WatchEvent;

namespace {

QJsonObject pod(int i, const QString &phase = QStringLiteral("Running"), const QString &ns = QStringLiteral("default"))
{
    const QString name = QStringLiteral("pod-%1").arg(i, 5, 10, QLatin1Char('0'));
    return QJsonObject{
        {QStringLiteral("kind"), QStringLiteral("Pod")},
        {QStringLiteral("metadata"),
         QJsonObject{{QStringLiteral("uid"), QStringLiteral("uid-%1").arg(i)},
                     {QStringLiteral("name"), name},
                     {QStringLiteral("namespace"), ns},
                     {QStringLiteral("resourceVersion"), QString::number(i)},
                     {QStringLiteral("creationTimestamp"), QStringLiteral("2026-11-26T05:49:20Z")},
                     {QStringLiteral("labels"), QJsonObject{{QStringLiteral("app"), QStringLiteral("web")}}}}},
        {QStringLiteral("spec"), QJsonObject{{QStringLiteral("containers"),
                                              QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("c")}}}}}},
        {QStringLiteral("status"), QJsonObject{{QStringLiteral("phase"), phase}}}};
}

WatchEvent watchEvent(WatchEvent::Type type, const QJsonObject &object)
{
    WatchEvent e;
    e.type = type;
    e.object = object;
    return e;
}

QStringList modelUids(const QAbstractItemModel &model)
{
    QStringList uids;
    for (int row = 0; row < model.rowCount(); ++row)
        uids.append(model.index(row, 0).data(models::UidRole).toString());
    uids.sort();
    return uids;
}

QStringList storeUids(const watch::ObjectStore &store)
{
    QStringList uids = store.keys();
    uids.sort();
    return uids;
}

} // namespace

class TestResourceTableModel : public QObject
{
    Q_OBJECT

private slots:
    void relist_isOneReset()
    {
        watch::ObjectStore store;
        models::ResourceTableModel model(&store, resources::nativeRenderer(QString(), QStringLiteral("Pod")), true);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        QList<watch::ObjectPtr> objects;
        for (int i = 0; i < 300; ++i)
            objects.append(watch::makeObject(pod(i)));
        store.replace(objects, QStringLiteral("10"));
        store.replace(objects, QStringLiteral("11"));
        QCOMPARE(model.rowCount(), 0); // nothing until the batch is applied
        QTRY_COMPARE(model.rowCount(), 300);
        QCOMPARE(resets.size(), 1);
        QCOMPARE(model.columnCount(), 1 + 9);
        QCOMPARE(model.headerData(0, Qt::Horizontal).toString(), QStringLiteral("NAMESPACE"));
        QCOMPARE(model.headerData(3, Qt::Horizontal).toString(), QStringLiteral("STATUS"));
        QCOMPARE(model.headerData(6, Qt::Horizontal, models::ColumnPriorityRole).toInt(), 1);
        QCOMPARE(model.index(0, 1).data().toString(), QStringLiteral("pod-00000"));
        QCOMPARE(model.index(0, 3).data().toString(), QStringLiteral("Running"));
        QCOMPARE(model.index(0, 0).data(models::StateRole).toInt(), int(resources::State::Warning)); // 0/1 ready
        QCOMPARE(model.index(0, 0).data(models::LabelsRole).toMap().value(QStringLiteral("app")).toString(),
                 QStringLiteral("web"));
        QVERIFY(model.index(0, 5).data().toString().endsWith(QLatin1Char('d')) ||
                model.index(0, 5).data().toString().endsWith(QLatin1Char('y')) ||
                model.index(0, 5).data().toString().endsWith(QLatin1Char('h')) ||
                model.index(0, 5).data().toString().endsWith(QLatin1Char('s')) ||
                model.index(0, 5).data().toString().endsWith(QLatin1Char('m')));
    }

    void thousandEvents_areOneBatch()
    {
        watch::ObjectStore store;
        models::ResourceTableModel model(&store, resources::nativeRenderer(QString(), QStringLiteral("Pod")), false);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QList<watch::ObjectPtr> objects;
        for (int i = 0; i < 3000; ++i)
            objects.append(watch::makeObject(pod(i)));
        store.replace(objects, QStringLiteral("1"));
        model.flush();
        QCOMPARE(model.rowCount(), 3000);
        const int batchesBefore = model.batchCount();
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        // 1,000 events arriving one by one (as separate store batches): 400 updates, 300 adds, 300 deletes.
        for (int i = 0; i < 400; ++i)
            store.apply({watchEvent(WatchEvent::Type::Modified, pod(i * 7, QStringLiteral("Pending")))});
        for (int i = 0; i < 300; ++i)
            store.apply({watchEvent(WatchEvent::Type::Added, pod(5000 + i))});
        for (int i = 0; i < 300; ++i)
            store.apply({watchEvent(WatchEvent::Type::Deleted, pod(i * 10 + 1))});
        QTRY_COMPARE(model.batchCount(), batchesBefore + 1);
        QCOMPARE(resets.size(), 0);
        QCOMPARE(changed.size(), 1);
        QCOMPARE(inserted.size(), 1);
        QVERIFY(removed.size() >= 1);
        QCOMPARE(model.rowCount(), 3000);
        QCOMPARE(modelUids(model), storeUids(store));
        const int row = model.rowOf(QStringLiteral("uid-7"));
        QVERIFY(row >= 0);
        QCOMPARE(model.index(row, 2).data().toString(), QStringLiteral("Pending"));
        QCOMPARE(model.rowOf(QStringLiteral("uid-1")), -1);
    }

    void addedThenDeletedInOneBatch_neverAppears()
    {
        watch::ObjectStore store;
        models::ResourceTableModel model(&store, resources::nativeRenderer(QString(), QStringLiteral("Pod")), false);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        store.apply({watchEvent(WatchEvent::Type::Added, pod(1))});
        store.apply({watchEvent(WatchEvent::Type::Deleted, pod(1))});
        store.apply({watchEvent(WatchEvent::Type::Added, pod(2))});
        model.flush();
        QCOMPARE(inserted.size(), 1);
        QCOMPARE(modelUids(model), QStringList{QStringLiteral("uid-2")});
    }

    void massiveChange_becomesOneReset()
    {
        watch::ObjectStore store;
        models::ResourceTableModel model(&store, resources::nativeRenderer(QString(), QStringLiteral("Pod")), false);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QList<watch::ObjectPtr> objects;
        for (int i = 0; i < 200; ++i)
            objects.append(watch::makeObject(pod(i)));
        store.replace(objects, QStringLiteral("1"));
        model.flush();
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        QList<WatchEvent> events;
        for (int i = 0; i < 150; ++i)
            events.append(watchEvent(WatchEvent::Type::Deleted, pod(i)));
        store.apply(events);
        model.flush();
        QCOMPARE(resets.size(), 1);
        QCOMPARE(model.rowCount(), 50);
        QCOMPARE(modelUids(model), storeUids(store));
    }

    void serverTableRows_useServerColumns()
    {
        watch::ObjectStore store;
        store.setTableColumns(QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("Name")},
                                                     {QStringLiteral("type"), QStringLiteral("string")}},
                                         QJsonObject{{QStringLiteral("name"), QStringLiteral("Hosts")},
                                                     {QStringLiteral("type"), QStringLiteral("string")}},
                                         QJsonObject{{QStringLiteral("name"), QStringLiteral("Age")},
                                                     {QStringLiteral("type"), QStringLiteral("date")}}});
        models::ResourceTableModel model(&store, nullptr, false);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.columnCount(), 3);
        store.replace(
            {watch::makeObject(QJsonObject{
                {QStringLiteral("metadata"),
                 QJsonObject{{QStringLiteral("uid"), QStringLiteral("vs1")},
                             {QStringLiteral("name"), QStringLiteral("reviews")},
                             {QStringLiteral("creationTimestamp"), QStringLiteral("2026-11-26T05:49:20Z")}}},
                {QStringLiteral("cells"),
                 QJsonArray{QStringLiteral("reviews"), QStringLiteral("[\"reviews\"]"), QStringLiteral("107s")}}})},
            QStringLiteral("5"));
        model.flush();
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.headerData(1, Qt::Horizontal).toString(), QStringLiteral("HOSTS"));
        QCOMPARE(model.index(0, 1).data().toString(), QStringLiteral("[\"reviews\"]"));
        QVERIFY(model.index(0, 2).data().toString() != QStringLiteral("107s"));
    }

    void ageColumns_arePeriodicallyRepainted()
    {
        watch::ObjectStore store;
        models::ResourceTableModel model(&store, resources::nativeRenderer(QString(), QStringLiteral("Pod")), true);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        store.replace({watch::makeObject(pod(1)), watch::makeObject(pod(2))}, QStringLiteral("1"));
        model.flush();
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.setAgeRefreshInterval(10);
        QVERIFY(changed.wait(5000));
        const QModelIndex topLeft = changed.first().at(0).toModelIndex();
        const QModelIndex bottomRight = changed.first().at(1).toModelIndex();
        QCOMPARE(topLeft.column(), 5); // NAMESPACE, NAME, READY, STATUS, RESTARTS, AGE
        QCOMPARE(bottomRight.column(), 5);
        QCOMPARE(bottomRight.row(), 1);
        model.setAgeRefreshInterval(0);
    }

    void storeDestroyed_emptiesTheModel()
    {
        auto store = std::make_unique<watch::ObjectStore>();
        models::ResourceTableModel model(store.get(), resources::nativeRenderer(QString(), QStringLiteral("Pod")),
                                         false);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        store->replace({watch::makeObject(pod(1))}, QStringLiteral("1"));
        model.flush();
        QCOMPARE(model.rowCount(), 1);
        store.reset();
        QCOMPARE(model.rowCount(), 0);
    }
};

ORCHESTRA_TEST_MAIN(TestResourceTableModel)
#include "tst_resourcetablemodel.moc"
