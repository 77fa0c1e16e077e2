// The cluster panel's pure pieces without a server: state colours and icons, the state delegate, navigator
// categories and titles, and command palette ranking.

#include "testmain.h"

#include "cluster/commandpalette.h"
#include "cluster/resourcenavigator.h"
#include "delegates/statedelegate.h"
#include "models/roles.h"

#include <QStandardItemModel>
#include <QStyleOptionViewItem>

using namespace orchestra;
using resources::State;

namespace {

kube::ResourceKind kind(const QString &group, const QString &name, const QString &plural)
{
    kube::ResourceKind result;
    result.group = group;
    result.version = QStringLiteral("v1");
    result.kind = name;
    result.plural = plural;
    result.verbs = {QStringLiteral("list"), QStringLiteral("watch")};
    return result;
}

} // namespace

class TestClusterWidgets final : public QObject
{
    Q_OBJECT

private slots:
    void stateColors_distinctAndReadableOnDark()
    {
        QPalette light;
        light.setColor(QPalette::Base, Qt::white);
        QPalette dark;
        dark.setColor(QPalette::Base, QColor(0x20, 0x20, 0x20));
        QSet<QRgb> colours;
        for (State state : {State::Healthy, State::Pending, State::Warning, State::Failed, State::Terminating})
            colours.insert(ui::stateColor(state, light).rgb());
        QCOMPARE(colours.size(), 5);
        QVERIFY(ui::stateColor(State::Failed, dark).lightness() > ui::stateColor(State::Failed, light).lightness());
        QCOMPARE(ui::stateColor(State::None, light), light.color(QPalette::Text));
    }

    void stateIcons_onlyForStates()
    {
        QVERIFY(ui::stateIcon(State::None).isNull());
        for (State state : {State::Healthy, State::Pending, State::Warning, State::Failed, State::Terminating,
                            State::Succeeded, State::Unknown})
            QVERIFY(!ui::stateIcon(state).isNull());
        QVERIFY(!ui::lockIcon().isNull());
    }

    void delegate_iconOnNameColumn_colourOnStatusColumn()
    {
        QStandardItemModel model(1, 3);
        for (int column = 0; column < 3; ++column) {
            auto *item = new QStandardItem(QStringLiteral("x"));
            item->setData(int(State::Failed), models::StateRole);
            model.setItem(0, column, item);
        }
        ui::StateDelegate delegate;
        delegate.setColumns(0, 2);
        const QStyleOptionViewItem name = delegate.optionFor(model.index(0, 0));
        QVERIFY(!name.icon.isNull());
        const QStyleOptionViewItem other = delegate.optionFor(model.index(0, 1));
        QVERIFY(other.icon.isNull());
        const QStyleOptionViewItem status = delegate.optionFor(model.index(0, 2));
        QCOMPARE(status.palette.color(QPalette::Text), ui::stateColor(State::Failed, status.palette));
        QVERIFY(status.font.bold());
    }

    void navigator_categoriesAndTitles()
    {
        QString subgroup;
        QCOMPARE(ui::ResourceNavigator::categoryOf(kind({}, QStringLiteral("Pod"), QStringLiteral("pods"))),
                 QStringLiteral("Workloads"));
        QCOMPARE(ui::ResourceNavigator::categoryOf(
                     kind(QStringLiteral("networking.k8s.io"), QStringLiteral("Ingress"), QStringLiteral("ingresses"))),
                 QStringLiteral("Network"));
        QCOMPARE(ui::ResourceNavigator::categoryOf(
                     kind(QStringLiteral("security.istio.io"), QStringLiteral("Sidecar"), QStringLiteral("sidecars"))),
                 QStringLiteral("Istio"));
        QCOMPARE(ui::ResourceNavigator::categoryOf(kind(QStringLiteral("cert-manager.io"),
                                                        QStringLiteral("Certificate"), QStringLiteral("certificates")),
                                                   &subgroup),
                 QStringLiteral("Custom resources"));
        QCOMPARE(subgroup, QStringLiteral("cert-manager.io"));
        QCOMPARE(
            ui::ResourceNavigator::titleOf(kind(QStringLiteral("networking.k8s.io"), QStringLiteral("NetworkPolicy"),
                                                QStringLiteral("networkpolicies"))),
            QStringLiteral("NetworkPolicies"));
        QCOMPARE(ui::ResourceNavigator::titleOf(kind({}, QStringLiteral("Endpoints"), QStringLiteral("endpoints"))),
                 QStringLiteral("Endpoints"));
    }

    void navigator_lockAndGroups()
    {
        ui::ResourceNavigator navigator;
        navigator.setKinds({kind({}, QStringLiteral("Pod"), QStringLiteral("pods")),
                            kind({}, QStringLiteral("Secret"), QStringLiteral("secrets")),
                            kind(QStringLiteral("example.com"), QStringLiteral("Widget"), QStringLiteral("widgets"))});
        QCOMPARE(navigator.groupTitles(), (QStringList{QStringLiteral("Workloads"), QStringLiteral("Config"),
                                                       QStringLiteral("Custom resources")}));
        navigator.setLocked(QStringLiteral("secrets"), QStringLiteral("learner"));
        QVERIFY(navigator.itemFor(QStringLiteral("secrets"))
                    ->toolTip(0)
                    .contains(QLatin1String("not permitted for learner")));
        // A refresh of discovery keeps the lock.
        navigator.setKinds(navigator.kinds());
        QVERIFY(navigator.isLocked(QStringLiteral("secrets")));
        QVERIFY(!navigator.itemFor(QStringLiteral("secrets"))->icon(0).isNull());
        navigator.setLocked(QStringLiteral("secrets"), {});
        QVERIFY(navigator.itemFor(QStringLiteral("secrets"))->icon(0).isNull());
    }

    void palette_ranksShortNamesFirst()
    {
        ui::CommandPalette palette;
        int ran = 0;
        palette.setCommands(
            {{QStringLiteral("PodTemplates"), {}, {QStringLiteral("podtemplates")}, {}},
             {QStringLiteral("Pods"), {}, {QStringLiteral("po"), QStringLiteral("pods")}, [&] { ++ran; }},
             {QStringLiteral("Services"), {}, {QStringLiteral("svc")}, {}}});
        QCOMPARE(palette.matches(QStringLiteral("po")).value(0), QStringLiteral("Pods"));
        QCOMPARE(palette.matches(QStringLiteral("svc")), QStringList{QStringLiteral("Services")});
        QVERIFY(palette.matches(QStringLiteral("zzz")).isEmpty());
        QVERIFY(palette.runQuery(QStringLiteral("po")));
        QCOMPARE(ran, 1);
        QVERIFY(!palette.runQuery(QStringLiteral("zzz")));
    }
};

ORCHESTRA_TEST_MAIN(TestClusterWidgets)
#include "tst_clusterwidgets.moc"
