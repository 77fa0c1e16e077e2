#include "resources/humanize.h"

#include "testmain.h"

using namespace orchestra::resources;

class TestHumanize : public QObject
{
    Q_OBJECT

private slots:
    void humanDuration_matchesKubectl_data()
    {
        QTest::addColumn<qint64>("seconds");
        QTest::addColumn<QString>("expected");
        // Expected strings are what apimachinery's duration.HumanDuration prints.
        QTest::newRow("future beyond tolerance") << qint64(-2) << QStringLiteral("<invalid>");
        QTest::newRow("clock skew") << qint64(-1) << QStringLiteral("0s");
        QTest::newRow("zero") << qint64(0) << QStringLiteral("0s");
        QTest::newRow("seconds") << qint64(119) << QStringLiteral("119s");
        QTest::newRow("two minutes") << qint64(120) << QStringLiteral("2m");
        QTest::newRow("minutes seconds") << qint64(5 * 60 + 30) << QStringLiteral("5m30s");
        QTest::newRow("ten minutes") << qint64(10 * 60 + 30) << QStringLiteral("10m");
        QTest::newRow("under three hours") << qint64(179 * 60) << QStringLiteral("179m");
        QTest::newRow("three hours") << qint64(3 * 3600) << QStringLiteral("3h");
        QTest::newRow("hours minutes") << qint64(3 * 3600 + 25 * 60) << QStringLiteral("3h25m");
        QTest::newRow("hours") << qint64(30 * 3600 + 59 * 60) << QStringLiteral("30h");
        QTest::newRow("days hours") << qint64(50 * 3600) << QStringLiteral("2d2h");
        QTest::newRow("days") << qint64(10 * 86400 + 5 * 3600) << QStringLiteral("10d");
        QTest::newRow("years days") << qint64((2 * 365 + 3) * 86400) << QStringLiteral("2y3d");
        QTest::newRow("years") << qint64(9 * 365 * 86400LL) << QStringLiteral("9y");
    }
    void humanDuration_matchesKubectl()
    {
        QFETCH(qint64, seconds);
        QFETCH(QString, expected);
        QCOMPARE(humanDuration(seconds), expected);
    }

    void age_ofInvalidTimestamp_isUnknown() { QCOMPARE(age(QDateTime()), QStringLiteral("<unknown>")); }

    void age_isRelativeToNow()
    {
        const QDateTime created = parseTimestamp(QStringLiteral("2026-11-26T05:49:20Z"));
        QVERIFY(created.isValid());
        QCOMPARE(age(created, created.addSecs(107)), QStringLiteral("107s"));
        QCOMPARE(age(created, created.addDays(3)), QStringLiteral("3d"));
    }

    void parseTimestamp_acceptsFractionalSeconds()
    {
        QVERIFY(parseTimestamp(QStringLiteral("2026-11-26T05:49:20.123456Z")).isValid());
        QVERIFY(!parseTimestamp(QStringLiteral("yesterday")).isValid());
        QVERIFY(!parseTimestamp(QString()).isValid());
    }
};

ORCHESTRA_TEST_MAIN(TestHumanize)
#include "tst_humanize.moc"
