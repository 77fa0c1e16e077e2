#include "testmain.h"

#include "cluster/contextswitcher.h"
#include "cluster/namespaceselector.h"
#include "kubeconfig/kubeconfig.h"
#include "kubeconfig/provider.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>

using namespace orchestra;

// The context switcher lists contexts with server, user and namespace and labels minikube, Rancher, GKE and EKS;
// the namespace selector offers the cluster's namespaces or free text.
class TestContextSwitcher : public QObject
{
    Q_OBJECT

private:
    static kubeconfig::Kubeconfig providers()
    {
        const QString d = QStringLiteral(ORCHESTRA_TEST_DATA_DIR "/kubeconfig/");
        kubeconfig::LoadOptions options;
        options.kubeconfigEnv = QStringList{d + "07-minikube/config", d + "08-rancher/config", d + "09-gke/config",
                                            d + "10-eks/config", d + "12-proxy-tls/config"}
                                    .join(QDir::listSeparator());
        auto config = kubeconfig::Kubeconfig::load(options);
        if (!config)
            qFatal("%s", qPrintable(config.error().toString()));
        return config.value();
    }

private slots:
    void providers_areRecognised_data()
    {
        QTest::addColumn<QString>("context");
        QTest::addColumn<QString>("label");
        QTest::newRow("minikube") << "minikube"
                                  << "minikube";
        QTest::newRow("rancher") << "prod"
                                 << "Rancher";
        QTest::newRow("rancher authorized endpoint") << "prod-fqdn"
                                                     << "Rancher";
        QTest::newRow("gke") << "gke_my-project_europe-west1_learning"
                             << "GKE";
        QTest::newRow("eks") << "arn:aws:eks:eu-west-1:123456789012:cluster/learning"
                             << "EKS";
        QTest::newRow("plain") << "socks"
                               << "";
    }

    void providers_areRecognised()
    {
        QFETCH(QString, context);
        QFETCH(QString, label);
        const kubeconfig::Kubeconfig config = providers();
        QVERIFY(config.context(context));
        QCOMPARE(kubeconfig::detectProvider(config, *config.context(context)).label, label);
        ui::ContextSwitcher switcher;
        switcher.setKubeconfig(config);
        QCOMPARE(switcher.itemText(context), label.isEmpty() ? context : context + "  [" + label + "]");
    }

    void switcher_listsContextsAndDetails()
    {
        ui::ContextSwitcher switcher;
        switcher.show();
        const kubeconfig::Kubeconfig config = providers();
        switcher.setKubeconfig(config);
        auto *combo = switcher.findChild<QComboBox *>();
        QVERIFY(combo);
        QCOMPARE(combo->count(), int(config.contexts.size()));
        QCOMPARE(switcher.currentContext(), config.currentContext); // minikube's file comes first: multinode
        QCOMPARE(switcher.currentContext(), QStringLiteral("multinode"));
        QCOMPARE(switcher.detailText(),
                 QStringLiteral("https://192.168.58.2:8443 · user multinode · namespace default"));

        QSignalSpy chosen(&switcher, &ui::ContextSwitcher::contextChosen);
        combo->setCurrentIndex(combo->findData(QStringLiteral("prod")));
        QCOMPARE(chosen.count(), 1);
        QCOMPARE(chosen.first().first().toString(), QStringLiteral("prod"));
        QVERIFY(switcher.detailText().startsWith(QStringLiteral("https://rancher.example.com/k8s/clusters/c-m-7x9k2")));

        // Programmatic selection and reloads do not emit.
        switcher.setCurrentContext(QStringLiteral("insecure"));
        QVERIFY(switcher.detailText().contains(QStringLiteral("TLS verification is off")));
        switcher.setKubeconfig(config);
        QCOMPARE(switcher.currentContext(), QStringLiteral("insecure")); // kept across a reload
        QCOMPARE(chosen.count(), 1);
    }

    void switcher_emptyConfig_showsNoClustersYet()
    {
        ui::ContextSwitcher switcher;
        switcher.show();
        switcher.setKubeconfig({});
        QVERIFY(switcher.currentContext().isEmpty());
        bool found = false;
        for (QLabel *label : switcher.findChildren<QLabel *>())
            found = found || (label->isVisible() && label->text().startsWith(QStringLiteral("No clusters yet")));
        QVERIFY(found);
    }

    void namespaceSelector_listAndFreeText()
    {
        ui::NamespaceSelector selector;
        selector.show();
        selector.setNamespaces({QStringLiteral("default"), QStringLiteral("kube-system")});
        QCOMPARE(selector.namespaces(), (QStringList{QStringLiteral("default"), QStringLiteral("kube-system")}));
        selector.setNamespace(QStringLiteral("kube-system"));
        QCOMPARE(selector.nameSpace(), QStringLiteral("kube-system"));

        QSignalSpy chosen(&selector, &ui::NamespaceSelector::namespaceChosen);
        auto *combo = selector.findChild<QComboBox *>();
        QVERIFY(combo);
        combo->setCurrentIndex(combo->findData(QStringLiteral("default")));
        emit combo->activated(combo->currentIndex());
        QCOMPARE(chosen.count(), 1);
        QCOMPARE(chosen.last().first().toString(), QStringLiteral("default"));

        // Not allowed to list: the user types one.
        selector.setNamespaces({}, false);
        QCOMPARE(selector.nameSpace(), QStringLiteral("default"));
        combo->lineEdit()->selectAll();
        QTest::keyClicks(combo->lineEdit(), QStringLiteral("team-a"));
        QTest::keyClick(combo->lineEdit(), Qt::Key_Return);
        QCOMPARE(chosen.last().first().toString(), QStringLiteral("team-a"));
        QCOMPARE(selector.nameSpace(), QStringLiteral("team-a"));

        // "All namespaces" is the empty namespace.
        selector.setNamespaces({QStringLiteral("default")});
        combo->setCurrentIndex(0);
        emit combo->activated(0);
        QCOMPARE(chosen.last().first().toString(), QString());
    }
};

ORCHESTRA_TEST_MAIN(TestContextSwitcher)
#include "tst_contextswitcher.moc"
