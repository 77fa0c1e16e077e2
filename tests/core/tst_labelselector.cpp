#include "resources/labelselector.h"

#include "testmain.h"

using orchestra::resources::LabelSelector;

class TestLabelSelector : public QObject
{
    Q_OBJECT

private:
    static bool matches(const QString &selector, const QVariantMap &labels)
    {
        const auto parsed = LabelSelector::parse(selector);
        if (!parsed)
            qFatal("selector %s did not parse", qPrintable(selector));
        return parsed->matches(labels);
    }

private slots:
    void empty_selectsEverything()
    {
        QVERIFY(matches(QString(), {}));
        QVERIFY(matches(QStringLiteral("  "), {{QStringLiteral("a"), QStringLiteral("b")}}));
    }

    void equality_andInequality()
    {
        const QVariantMap web{{QStringLiteral("app"), QStringLiteral("web")},
                              {QStringLiteral("tier"), QStringLiteral("fe")}};
        const QVariantMap db{{QStringLiteral("app"), QStringLiteral("web")},
                             {QStringLiteral("tier"), QStringLiteral("db")}};
        QVERIFY(matches(QStringLiteral("app=web,tier!=db"), web));
        QVERIFY(!matches(QStringLiteral("app=web,tier!=db"), db));
        QVERIFY(matches(QStringLiteral("app==web"), db));
        QVERIFY(!matches(QStringLiteral("app=api"), web));
        // != also selects objects without the label, as kubectl does.
        QVERIFY(matches(QStringLiteral("zone!=a"), web));
    }

    void setBased()
    {
        const QVariantMap prod{{QStringLiteral("env"), QStringLiteral("prod")}};
        QVERIFY(matches(QStringLiteral("env in (prod, staging)"), prod));
        QVERIFY(!matches(QStringLiteral("env in (dev)"), prod));
        QVERIFY(matches(QStringLiteral("env notin (dev,qa)"), prod));
        QVERIFY(!matches(QStringLiteral("env notin (prod)"), prod));
        QVERIFY(!matches(QStringLiteral("env in (prod),tier in (a,b)"), prod));
    }

    void existence()
    {
        const QVariantMap labels{{QStringLiteral("canary"), QString()}};
        QVERIFY(matches(QStringLiteral("canary"), labels));
        QVERIFY(!matches(QStringLiteral("!canary"), labels));
        QVERIFY(matches(QStringLiteral("!stable"), labels));
    }

    void invalid_isAnErrorNamingThePart()
    {
        for (const char *bad : {"app=web,", "=web", "env in (a", "env within (a)", "a b=c", "!"}) {
            const auto parsed = LabelSelector::parse(QLatin1String(bad));
            QVERIFY2(!parsed, bad);
            QVERIFY(!parsed.error().message.isEmpty());
        }
    }
};

ORCHESTRA_TEST_MAIN(TestLabelSelector)
#include "tst_labelselector.moc"
