#include "watch/objectstore.h"

#include "testmain.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace orchestra::watch;

namespace {

QByteArray fixture(const QString &name)
{
    QFile file(QStringLiteral(ORCHESTRA_FIXTURES_DIR "/kube-apiserver-1.20/") + name);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QJsonObject pod(const QString &uid, const QString &name, const QString &rv)
{
    return QJsonObject{
        {QStringLiteral("kind"), QStringLiteral("Pod")},
        {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("uid"), uid},
                                                 {QStringLiteral("name"), name},
                                                 {QStringLiteral("namespace"), QStringLiteral("default")},
                                                 {QStringLiteral("resourceVersion"), rv}}}};
}

WatchEvent watchEvent(WatchEvent::Type type, const QJsonObject &object)
{
    WatchEvent e;
    e.type = type;
    e.object = object;
    return e;
}

} // namespace

class TestObjectStore : public QObject
{
    Q_OBJECT

private slots:
    void recordedListThenWatch_convergesToTheRecordedState()
    {
        const QByteArray list = fixture(QStringLiteral("list-pods-default.body"));
        const QByteArray watch = fixture(QStringLiteral("watch-pods-default.body"));
        if (list.isEmpty() || watch.isEmpty())
            QSKIP("recorded fixtures not found");
        ObjectStore store;
        QSignalSpy resets(&store, &ObjectStore::reset);
        QSignalSpy changes(&store, &ObjectStore::changed);
        const QJsonObject root = QJsonDocument::fromJson(list).object();
        QList<ObjectPtr> objects;
        for (const QJsonValue &item : root.value(QLatin1String("items")).toArray())
            objects.append(makeObject(item.toObject()));
        store.replace(objects, root[QLatin1String("metadata")][QLatin1String("resourceVersion")].toString());
        QCOMPARE(resets.size(), 1);
        QCOMPARE(store.size(), objects.size());

        WatchStreamParser parser;
        parser.feed(watch);
        const QList<WatchEvent> events = parser.takeEvents();
        // Expected state: replay the events over a set of uids by hand.
        const QStringList initialKeys = store.keys();
        QSet<QString> expected(initialKeys.begin(), initialKeys.end());
        for (const WatchEvent &e : events) {
            const QString uid = e.object[QLatin1String("metadata")][QLatin1String("uid")].toString();
            if (e.type == WatchEvent::Type::Deleted)
                expected.remove(uid);
            else if (e.type != WatchEvent::Type::Bookmark && e.type != WatchEvent::Type::Error)
                expected.insert(uid);
        }
        store.apply(events);
        QCOMPARE(changes.size(), 1);
        const QStringList keys = store.keys();
        QCOMPARE(QSet<QString>(keys.begin(), keys.end()), expected);
        QCOMPARE(store.resourceVersion(), events.last().resourceVersion());
        for (const ObjectPtr &object : store.objects())
            QVERIFY(!object->json[QLatin1String("metadata")].toObject().contains(QLatin1String("managedFields")));
    }

    void replayedEvents_neverDuplicateOrResurrect()
    {
        ObjectStore store;
        store.apply(
            {watchEvent(WatchEvent::Type::Added, pod(QStringLiteral("u1"), QStringLiteral("a"), QStringLiteral("1"))),
             watchEvent(WatchEvent::Type::Added, pod(QStringLiteral("u1"), QStringLiteral("a"), QStringLiteral("2")))});
        QCOMPARE(store.size(), 1);
        QCOMPARE(store.get(QStringLiteral("u1"))->resourceVersion, QStringLiteral("2"));
        const StoreDelta deleted = store.apply(
            {watchEvent(WatchEvent::Type::Deleted, pod(QStringLiteral("u1"), QStringLiteral("a"), QStringLiteral("3"))),
             watchEvent(WatchEvent::Type::Deleted,
                        pod(QStringLiteral("u1"), QStringLiteral("a"), QStringLiteral("3")))});
        QCOMPARE(deleted.removed, QStringList{QStringLiteral("u1")});
        QCOMPARE(store.size(), 0);
        // MODIFIED for an object we never saw (missed ADDED) still shows it.
        store.apply({watchEvent(WatchEvent::Type::Modified,
                                pod(QStringLiteral("u2"), QStringLiteral("b"), QStringLiteral("4")))});
        QVERIFY(store.contains(QStringLiteral("u2")));
    }

    void bookmark_movesResourceVersionOnly()
    {
        ObjectStore store;
        QSignalSpy changes(&store, &ObjectStore::changed);
        store.apply({watchEvent(WatchEvent::Type::Bookmark,
                                QJsonObject{{QStringLiteral("kind"), QStringLiteral("Pod")},
                                            {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("resourceVersion"),
                                                                                      QStringLiteral("abc-9")}}}})});
        QCOMPARE(store.resourceVersion(), QStringLiteral("abc-9"));
        QCOMPARE(store.size(), 0);
        QCOMPARE(changes.size(), 0);
    }

    void sameNameNewUid_isANewRow()
    {
        ObjectStore store;
        store.apply(
            {watchEvent(WatchEvent::Type::Added, pod(QStringLiteral("u1"), QStringLiteral("a"), QStringLiteral("1"))),
             watchEvent(WatchEvent::Type::Deleted, pod(QStringLiteral("u1"), QStringLiteral("a"), QStringLiteral("2"))),
             watchEvent(WatchEvent::Type::Added, pod(QStringLiteral("u9"), QStringLiteral("a"), QStringLiteral("3")))});
        QCOMPARE(store.keys(), QStringList{QStringLiteral("u9")});
    }
};

ORCHESTRA_TEST_MAIN(TestObjectStore)
#include "tst_objectstore.moc"
