// orchestra-metrics-demo: the Mesh view and traffic charts fed by a real Prometheus, for screenshots and for
// trying the widgets without a cluster. Without --url it backfills the generated bookinfo mesh into a temporary
// Prometheus (needs prometheus + promtool).
//
//   orchestra-metrics-demo [--url http://127.0.0.1:9090] [--namespace bookinfo] [--service reviews]
//                          [--range 3600] [--screenshot file.png]

#include "meshmodel.h"
#include "prometheusprocess.h"

#include "charts/istioconfigview.h"
#include "charts/meshview.h"
#include "charts/servicegraphview.h"
#include "charts/trafficview.h"
#include "metrics/istiometrics.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QJsonArray>
#include <QScreen>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTimer>

#include <cstdio>

#include <yaml-cpp/yaml.h>

using namespace orchestra;

namespace {

QJsonValue toJson(const YAML::Node &node)
{
    switch (node.Type()) {
    case YAML::NodeType::Map: {
        QJsonObject object;
        for (const auto &entry : node)
            object.insert(QString::fromStdString(entry.first.as<std::string>()), toJson(entry.second));
        return object;
    }
    case YAML::NodeType::Sequence: {
        QJsonArray array;
        for (const auto &item : node)
            array.append(toJson(item));
        return array;
    }
    case YAML::NodeType::Scalar: {
        const QString text = QString::fromStdString(node.Scalar());
        bool isNumber = false;
        const double number = text.toDouble(&isNumber);
        if (node.Tag() != "!" && isNumber)
            return number;
        return text;
    }
    default:
        return QJsonValue();
    }
}

/// Every object of every *.yaml in `dir`, in namespace `ns` unless they name one.
metrics::IstioConfigSet loadConfig(const QString &dir, const QString &ns)
{
    metrics::IstioConfigSet set;
    for (const QString &file : QDir(dir).entryList({QStringLiteral("*.yaml")}, QDir::Files, QDir::Name)) {
        try {
            for (const YAML::Node &document : YAML::LoadAllFromFile(QDir(dir).filePath(file).toStdString())) {
                QJsonObject object = toJson(document).toObject();
                QJsonObject metadata = object.value(QStringLiteral("metadata")).toObject();
                if (!metadata.contains(QStringLiteral("namespace")))
                    metadata.insert(QStringLiteral("namespace"), ns);
                object.insert(QStringLiteral("metadata"), metadata);
                set.add({object});
            }
        } catch (const YAML::Exception &) {
            std::fprintf(stderr, "skipping unreadable %s\n", qPrintable(file));
        }
    }
    return set;
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOption({QStringLiteral("url"), QStringLiteral("Prometheus to use instead of a generated one."),
                      QStringLiteral("url")});
    parser.addOption({QStringLiteral("namespace"), QStringLiteral("Namespace to show."), QStringLiteral("ns"),
                      QStringLiteral("bookinfo")});
    parser.addOption({QStringLiteral("service"), QStringLiteral("Service whose charts to open."),
                      QStringLiteral("name"), QStringLiteral("reviews")});
    parser.addOption(
        {QStringLiteral("workload"), QStringLiteral("Workload whose charts to open instead."), QStringLiteral("name")});
    parser.addOption({QStringLiteral("range"), QStringLiteral("Chart range in seconds."), QStringLiteral("secs"),
                      QStringLiteral("3600")});
    parser.addOption({QStringLiteral("traffic-only"), QStringLiteral("Show only the traffic charts.")});
    parser.addOption({QStringLiteral("config-dir"),
                      QStringLiteral("Show the Istio objects of the *.yaml files in this folder in the config tab."),
                      QStringLiteral("dir")});
    parser.addOption({QStringLiteral("screenshot"), QStringLiteral("Save a screenshot of the window and quit."),
                      QStringLiteral("file")});
    parser.process(app);

    QTemporaryDir dir;
    testing::PrometheusProcess prometheus;
    QUrl url(parser.value(QStringLiteral("url")));
    QDateTime end;
    if (url.isEmpty()) {
        testing::MeshModel model = testing::MeshModel::bookinfo(QDateTime::currentSecsSinceEpoch() - 30);
        // reviews-v3 slows down 20 minutes before the end, so the last hour shows the change.
        model.changeSecs = model.endSecs - 20 * 60;
        const QString file = dir.filePath(QStringLiteral("bookinfo.om"));
        if (!model.writeOpenMetrics(file) || !prometheus.start(file)) {
            std::fprintf(stderr, "cannot start Prometheus: %s\n", qPrintable(prometheus.lastError()));
            return 1;
        }
        url = prometheus.url();
        // Charts end where the generated data ends, as a continuously scraped Prometheus would.
        end = QDateTime::fromSecsSinceEpoch(model.endSecs, Qt::UTC);
        std::printf("Prometheus with generated bookinfo data: %s\n", qPrintable(url.toString()));
        std::fflush(stdout);
    }

    metrics::DirectPrometheusTransport transport(url);
    metrics::IstioMetrics metrics(&transport);
    const QString ns = parser.value(QStringLiteral("namespace"));
    const bool workload = parser.isSet(QStringLiteral("workload"));
    const QString name = workload ? parser.value(QStringLiteral("workload")) : parser.value(QStringLiteral("service"));

    QWidget *window = nullptr;
    ui::TrafficView *traffic = nullptr;
    ui::MeshView *mesh = nullptr;
    if (parser.isSet(QStringLiteral("traffic-only"))) {
        traffic = new ui::TrafficView;
        window = traffic;
    } else {
        mesh = new ui::MeshView;
        traffic = mesh->trafficView();
        window = mesh;
    }
    window->setWindowTitle(QStringLiteral("Orchestra — Mesh traffic"));
    traffic->setEndTime(end);
    if (mesh)
        mesh->setEndTime(end);
    traffic->setTimeRangeSecs(parser.value(QStringLiteral("range")).toInt());
    traffic->setMetrics(&metrics);
    traffic->setTarget(workload ? metrics::TargetKind::Workload : metrics::TargetKind::Service, ns, name);
    if (mesh) {
        mesh->setMetrics(&metrics);
        mesh->setNamespaces({ns});
        if (parser.isSet(QStringLiteral("config-dir"))) {
            mesh->istioConfigView()->setConfig(loadConfig(parser.value(QStringLiteral("config-dir")), ns));
            if (auto *tabs = mesh->findChild<QTabWidget *>())
                tabs->setCurrentWidget(mesh->istioConfigView());
            mesh->istioConfigView()->select(QStringLiteral("VirtualService"), ns, QStringLiteral("reviews"));
        }
    }
    window->resize(1360, 860);
    window->move(20, 20);
    window->show();

    const QString shot = parser.value(QStringLiteral("screenshot"));
    if (!shot.isEmpty()) {
        // Give both fetches time to land, then grab the window itself (independent of the window manager).
        QTimer::singleShot(4000, &app, [window, shot, &app] {
            const bool saved = window->grab().save(shot);
            std::printf("%s %s\n", saved ? "saved" : "could not save", qPrintable(shot));
            app.exit(saved ? 0 : 1);
        });
    }
    return app.exec();
}
