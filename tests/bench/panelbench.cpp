// orchestra-panel-bench: GUI-thread stalls of the cluster panel with 10,000 pods, one "name value unit" line each.
//
//   orchestra-panel-bench [--pods N]
//
// Serves N pods from the in-process test API server (on its own thread), opens the real ClusterPanel on them and
// measures, with a 5 ms QTimer probe on the GUI thread: scrolling the pods table page by page (every frame
// painted), typing a text filter one key at a time, a label selector, and re-sorting by a column. Each keystroke's
// synchronous cost (the filter pass) is reported too. Run it under Xvfb or QT_QPA_PLATFORM=offscreen.

#include "apiserver.h"
#include "cluster/clusterpanel.h"
#include "cluster/resourcenavigator.h"
#include "cluster/resourcetable.h"
#include "kubeconfig/kubeconfig.h"
#include "models/resourcefilterproxy.h"
#include "models/resourcetablemodel.h"
#include "watch/informer.h"

#include "benchoutput.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QHeaderView>
#include <QLineEdit>
#include <QScrollBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTextStream>
#include <QTimer>

#include <algorithm>

using namespace orchestra;
using orchestra::bench::figure;
using orchestra::bench::out;
using orchestra::bench::percentile;

namespace {

/// How late a 5 ms timer fires on the GUI thread: the stall a user would feel.
class StallProbe final : public QObject
{
public:
    StallProbe()
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(5);
        connect(&m_timer, &QTimer::timeout, this, [this] {
            const double elapsed = double(m_clock.nsecsElapsed()) / 1e6;
            m_clock.restart();
            m_lateness.append(std::max(0.0, elapsed - 5.0));
        });
    }
    void start()
    {
        m_lateness.clear();
        m_clock.start();
        m_timer.start();
    }
    QList<double> stop()
    {
        m_timer.stop();
        QList<double> sorted = m_lateness;
        std::sort(sorted.begin(), sorted.end());
        return sorted;
    }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    QList<double> m_lateness;
};

void report(const QString &name, const QList<double> &sorted)
{
    figure(name + QStringLiteral(".gui_stall_p50"), percentile(sorted, 0.5), QStringLiteral("ms"));
    figure(name + QStringLiteral(".gui_stall_p99"), percentile(sorted, 0.99), QStringLiteral("ms"));
    figure(name + QStringLiteral(".gui_stall_max"), sorted.isEmpty() ? 0.0 : sorted.last(), QStringLiteral("ms"));
}

void waitFor(const std::function<bool()> &done, int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    while (!done() && timer.elapsed() < timeoutMs)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
}

void pump(int ms)
{
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < ms)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOption({QStringLiteral("pods"), QStringLiteral("Pods to serve (default 10000)."), QStringLiteral("N"),
                      QStringLiteral("10000")});
    parser.process(app);
    const int pods = parser.value(QStringLiteral("pods")).toInt();

    QTemporaryDir dir;
    testing::ApiServer server;
    if (!server.startInThread()) {
        out() << "cannot start the test API server: " << server.lastError() << Qt::endl;
        return 1;
    }
    server.addPods(pods);
    const QString path = dir.filePath(QStringLiteral("kubeconfig"));
    server.writeKubeconfig(path);
    kubeconfig::LoadOptions options;
    options.explicitFile = path;
    const Result<kubeconfig::Kubeconfig> config = kubeconfig::Kubeconfig::load(options);
    const Result<kubeconfig::RestConfig> rest =
        config.ok() ? kubeconfig::restConfig(config.value()) : Result<kubeconfig::RestConfig>(config.error());
    if (!rest.ok()) {
        out() << rest.error().toString() << Qt::endl;
        return 1;
    }

    ui::ClusterPanel panel;
    panel.resize(1400, 900);
    panel.show();
    QElapsedTimer loading;
    loading.start();
    panel.openRestConfig(rest.value(), QStringLiteral("default"));
    ui::ResourceTable *table = panel.table();
    waitFor([&] { return table->model() && table->model()->rowCount() >= pods; }, 120000);
    if (!table->model() || table->model()->rowCount() < pods) {
        out() << "the pods table did not fill" << Qt::endl;
        return 1;
    }
    figure(QStringLiteral("panel.rows"), table->model()->rowCount(), QStringLiteral("rows"));
    figure(QStringLiteral("panel.open_to_rows"), double(loading.elapsed()), QStringLiteral("ms"));
    pump(300);

    StallProbe probe;
    QScrollBar *bar = table->view()->verticalScrollBar();

    // Scrolling: one page per 16 ms frame from top to bottom, each frame painted.
    probe.start();
    for (int value = 0; value <= bar->maximum(); value += bar->pageStep()) {
        bar->setValue(value);
        pump(16);
    }
    report(QStringLiteral("panel.scroll"), probe.stop());

    // Filtering: type "app-12" one key every 80 ms, then delete it key by key (the table filters once typing
    // pauses, so the probe sees the filter passes and the keystroke figure is the echo).
    const QString word = QStringLiteral("app-12");
    QList<double> keystrokes;
    const auto type = [&](const QString &text) {
        QElapsedTimer key;
        key.start();
        table->filterEdit()->setText(text);
        keystrokes.append(double(key.nsecsElapsed()) / 1e6);
        pump(80);
    };
    probe.start();
    for (int i = 1; i <= word.size(); ++i)
        type(word.left(i));
    for (int i = int(word.size()) - 1; i >= 0; --i)
        type(word.left(i));
    pump(300);
    report(QStringLiteral("panel.filter"), probe.stop());
    {
        // One filter pass over every row, from all rows to a few and back (what a paste or a pause costs).
        QElapsedTimer pass;
        pass.start();
        table->proxy()->setFilterText(QStringLiteral("app-12"));
        figure(QStringLiteral("panel.filter_pass_narrow"), double(pass.nsecsElapsed()) / 1e6, QStringLiteral("ms"));
        pass.restart();
        table->proxy()->setFilterText(QString());
        figure(QStringLiteral("panel.filter_pass_clear"), double(pass.nsecsElapsed()) / 1e6, QStringLiteral("ms"));
    }
    std::sort(keystrokes.begin(), keystrokes.end());
    figure(QStringLiteral("panel.filter_keystroke_max"), keystrokes.last(), QStringLiteral("ms"));

    // A label selector and a sort by AGE.
    QElapsedTimer step;
    step.start();
    table->selectorEdit()->setText(QStringLiteral("app=app-3"));
    figure(QStringLiteral("panel.label_selector"), double(step.nsecsElapsed()) / 1e6, QStringLiteral("ms"));
    figure(QStringLiteral("panel.label_selector_rows"), table->visibleRows(), QStringLiteral("rows"));
    table->selectorEdit()->clear();
    pump(100);
    int ageColumn = 0;
    for (int i = 0; i < table->view()->model()->columnCount(); ++i) {
        if (table->view()->model()->headerData(i, Qt::Horizontal).toString() == QLatin1String("AGE"))
            ageColumn = i;
    }
    step.restart();
    table->view()->sortByColumn(ageColumn, Qt::DescendingOrder);
    figure(QStringLiteral("panel.sort_by_age"), double(step.nsecsElapsed()) / 1e6, QStringLiteral("ms"));
    return 0;
}
