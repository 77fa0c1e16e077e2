#include "models/resourcefilterproxy.h"
#include "models/resourcetablemodel.h"
#include "models/roles.h"

#include "testmain.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>

using namespace orchestra;

namespace {

watch::ObjectPtr configMap(const QString &ns, const QString &name, int keys, const QJsonObject &labels)
{
    QJsonObject data;
    for (int i = 0; i < keys; ++i)
        data.insert(QStringLiteral("k%1").arg(i), QStringLiteral("v"));
    return watch::makeObject(
        QJsonObject{{QStringLiteral("kind"), QStringLiteral("ConfigMap")},
                    {QStringLiteral("metadata"),
                     QJsonObject{{QStringLiteral("uid"), ns + name},
                                 {QStringLiteral("name"), name},
                                 {QStringLiteral("namespace"), ns},
                                 {QStringLiteral("creationTimestamp"), QStringLiteral("2026-11-26T05:49:20Z")},
                                 {QStringLiteral("labels"), labels}}},
                    {QStringLiteral("data"), data}});
}

QStringList names(const QAbstractItemModel &model)
{
    QStringList result;
    for (int row = 0; row < model.rowCount(); ++row)
        result.append(model.index(row, 0).data(models::NameRole).toString());
    return result;
}

} // namespace

class TestResourceFilterProxy : public QObject
{
    Q_OBJECT

private:
    watch::ObjectStore m_store;
    std::unique_ptr<models::ResourceTableModel> m_model;
    std::unique_ptr<models::ResourceFilterProxy> m_proxy;
    std::unique_ptr<QAbstractItemModelTester> m_tester;

private slots:
    void init()
    {
        m_model = std::make_unique<models::ResourceTableModel>(
            &m_store, resources::nativeRenderer(QString(), QStringLiteral("ConfigMap")), true);
        m_proxy = std::make_unique<models::ResourceFilterProxy>();
        m_proxy->setSourceModel(m_model.get());
        m_tester = std::make_unique<QAbstractItemModelTester>(m_proxy.get(),
                                                              QAbstractItemModelTester::FailureReportingMode::QtTest);
        const auto labels = [](const char *app, const char *tier) {
            return QJsonObject{{QStringLiteral("app"), QLatin1String(app)},
                               {QStringLiteral("tier"), QLatin1String(tier)}};
        };
        m_store.replace({configMap(QStringLiteral("shop"), QStringLiteral("web-config"), 10, labels("web", "fe")),
                         configMap(QStringLiteral("shop"), QStringLiteral("db-config"), 2, labels("web", "db")),
                         configMap(QStringLiteral("ops"), QStringLiteral("alerting"), 3, labels("prometheus", "fe")),
                         configMap(QStringLiteral("ops"), QStringLiteral("kube-root-ca.crt"), 1, QJsonObject())},
                        QStringLiteral("1"));
        m_model->flush();
    }

    void cleanup()
    {
        m_tester.reset();
        m_proxy.reset();
        m_model.reset();
    }

    void text_matchesAnyColumnCaseInsensitive()
    {
        m_proxy->setFilterText(QStringLiteral("CONFIG"));
        QCOMPARE(m_proxy->rowCount(), 2);
        m_proxy->setFilterText(QStringLiteral("ops")); // the namespace column
        QCOMPARE(m_proxy->rowCount(), 2);
        m_proxy->setFilterText(QString());
        QCOMPARE(m_proxy->rowCount(), 4);
    }

    void labelSelector_filters()
    {
        QVERIFY(m_proxy->setLabelSelector(QStringLiteral("app=web,tier!=db")).ok());
        QCOMPARE(names(*m_proxy), QStringList{QStringLiteral("web-config")});
        QVERIFY(m_proxy->setLabelSelector(QStringLiteral("app in (web,prometheus),tier=fe")).ok());
        QCOMPARE(m_proxy->rowCount(), 2);
        QVERIFY(m_proxy->setLabelSelector(QStringLiteral("!app")).ok());
        QCOMPARE(names(*m_proxy), QStringList{QStringLiteral("kube-root-ca.crt")});
        const Result<void> bad = m_proxy->setLabelSelector(QStringLiteral("app in (web"));
        QVERIFY(!bad.ok());
        QCOMPARE(m_proxy->labelSelector(), QStringLiteral("!app")); // the previous selector stays
        QCOMPARE(m_proxy->rowCount(), 1);
    }

    void namespace_filters()
    {
        m_proxy->setNamespaceFilter(QStringLiteral("shop"));
        QCOMPARE(m_proxy->rowCount(), 2);
        m_proxy->setFilterText(QStringLiteral("db"));
        QCOMPARE(names(*m_proxy), QStringList{QStringLiteral("db-config")});
    }

    void numbers_sortNumerically()
    {
        m_proxy->sort(2, Qt::AscendingOrder); // DATA (after NAMESPACE, NAME)
        QCOMPARE(names(*m_proxy), (QStringList{QStringLiteral("kube-root-ca.crt"), QStringLiteral("db-config"),
                                               QStringLiteral("alerting"), QStringLiteral("web-config")}));
    }

    void liveChanges_reachTheProxy()
    {
        QVERIFY(m_proxy->setLabelSelector(QStringLiteral("app=web")).ok());
        m_proxy->sort(1, Qt::AscendingOrder);
        watch::WatchEvent added;
        added.type = watch::WatchEvent::Type::Added;
        added.object = configMap(QStringLiteral("shop"), QStringLiteral("api-config"), 1,
                                 QJsonObject{{QStringLiteral("app"), QStringLiteral("web")}})
                           ->json;
        m_store.apply({added});
        QTRY_COMPARE(m_proxy->rowCount(), 3);
        QCOMPARE(names(*m_proxy).first(), QStringLiteral("api-config"));
    }
};

ORCHESTRA_TEST_MAIN(TestResourceFilterProxy)
#include "tst_resourcefilterproxy.moc"
