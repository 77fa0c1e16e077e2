#include "watch/streamparser.h"

#include "testmain.h"

using orchestra::watch::WatchEvent;
using orchestra::watch::WatchStreamParser;

namespace {

QByteArray fixture(const QString &name)
{
    QFile file(QStringLiteral(ORCHESTRA_FIXTURES_DIR "/kube-apiserver-1.20/") + name);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// Decodes HTTP/1.1 chunked framing (what QNetworkAccessManager does before we see the bytes).
QByteArray dechunk(const QByteArray &raw)
{
    QByteArray out;
    qsizetype pos = 0;
    while (pos < raw.size()) {
        const qsizetype lineEnd = raw.indexOf("\r\n", pos);
        if (lineEnd < 0)
            break;
        bool ok = false;
        const qsizetype size = raw.mid(pos, lineEnd - pos).trimmed().toLongLong(&ok, 16);
        if (!ok || size == 0)
            break;
        out += raw.mid(lineEnd + 2, size);
        pos = lineEnd + 2 + size + 2;
    }
    return out;
}

QStringList describe(const QList<WatchEvent> &events)
{
    QStringList result;
    for (const WatchEvent &event : events)
        result.append(QString::number(int(event.type)) + QLatin1Char(':') + event.resourceVersion());
    return result;
}

} // namespace

class TestStreamParser : public QObject
{
    Q_OBJECT

private slots:
    void recordedStream_parsesInOrder()
    {
        const QByteArray body = fixture(QStringLiteral("watch-pods-default.body"));
        if (body.isEmpty())
            QSKIP("recorded fixtures not found");
        WatchStreamParser parser;
        parser.feed(body);
        const QList<WatchEvent> events = parser.takeEvents();
        QVERIFY(parser.error().isEmpty());
        QCOMPARE(events.size(), body.count('\n'));
        QCOMPARE(parser.pendingBytes(), 0);
        bool sawModified = false;
        bool sawDeleted = false;
        for (const WatchEvent &event : events) {
            sawModified |= event.type == WatchEvent::Type::Modified;
            sawDeleted |= event.type == WatchEvent::Type::Deleted;
            QVERIFY(!event.resourceVersion().isEmpty());
        }
        QVERIFY(sawModified);
        QVERIFY(sawDeleted);
    }

    void recordedChunkedStream_equalsUnframedBody()
    {
        const QByteArray raw = fixture(QStringLiteral("watch-pods-default.raw"));
        const QByteArray body = fixture(QStringLiteral("watch-pods-default.body"));
        if (raw.isEmpty())
            QSKIP("recorded fixtures not found");
        QCOMPARE(dechunk(raw), body);
    }

    void everySplitPoint_yieldsTheSameEvents()
    {
        const QByteArray body = fixture(QStringLiteral("watch-pods-default.body"));
        if (body.isEmpty())
            QSKIP("recorded fixtures not found");
        WatchStreamParser whole;
        whole.feed(body);
        const QStringList expected = describe(whole.takeEvents());
        for (qsizetype split = 1; split < body.size(); ++split) {
            WatchStreamParser parser;
            parser.feed(QByteArrayView(body).first(split));
            QList<WatchEvent> events = parser.takeEvents();
            parser.feed(QByteArrayView(body).sliced(split));
            events += parser.takeEvents();
            if (describe(events) != expected)
                QFAIL(qPrintable(QStringLiteral("split at %1 changed the events").arg(split)));
        }
    }

    void byteByByte_yieldsTheSameEvents()
    {
        const QByteArray body = fixture(QStringLiteral("watch-pods-default.body"));
        if (body.isEmpty())
            QSKIP("recorded fixtures not found");
        WatchStreamParser whole;
        whole.feed(body);
        WatchStreamParser parser;
        QList<WatchEvent> events;
        for (qsizetype i = 0; i < body.size(); ++i) {
            parser.feed(QByteArrayView(body).sliced(i, 1));
            events += parser.takeEvents();
        }
        QCOMPARE(describe(events), describe(whole.takeEvents()));
    }

    void mergedEventsWithoutNewlines_andBracesInStrings()
    {
        WatchStreamParser parser;
        // A name containing braces and an escaped quote must not end the object early.
        parser.feed("{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"name\":\"a}{\\\"\",\"resourceVersion\":\"1\"}}}"
                    "{\"type\":\"BOOKMARK\",\"object\":{\"metadata\":{\"resourceVersion\":\"2\"}}}\r\n");
        const QList<WatchEvent> events = parser.takeEvents();
        QCOMPARE(events.size(), 2);
        QCOMPARE(events.at(0).object[QLatin1String("metadata")][QLatin1String("name")].toString(),
                 QStringLiteral("a}{\""));
        QCOMPARE(int(events.at(1).type), int(WatchEvent::Type::Bookmark));
        QCOMPARE(events.at(1).resourceVersion(), QStringLiteral("2"));
    }

    void tooOldError_isAnErrorEventWithCode410()
    {
        const QByteArray raw = fixture(QStringLiteral("watch-too-old.body"));
        if (raw.isEmpty())
            QSKIP("recorded fixtures not found");
        WatchStreamParser parser;
        parser.feed(dechunk(raw));
        const QList<WatchEvent> events = parser.takeEvents();
        QCOMPARE(events.size(), 1);
        QCOMPARE(int(events.first().type), int(WatchEvent::Type::Error));
        QCOMPARE(events.first().errorCode(), 410);
    }

    void garbage_isReportedNotSilentlyDropped()
    {
        WatchStreamParser parser;
        parser.feed("<html>proxy error</html>");
        QVERIFY(!parser.error().isEmpty());
        WatchStreamParser unknown;
        unknown.feed(R"({"type":"SURPRISE","object":{}})");
        QVERIFY(unknown.takeEvents().isEmpty());
        QVERIFY(unknown.error().contains(QStringLiteral("SURPRISE")));
    }
};

ORCHESTRA_TEST_MAIN(TestStreamParser)
#include "tst_streamparser.moc"
