#include "charts/meshview.h"

#include "charts/istioconfigview.h"
#include "charts/servicegraphview.h"
#include "charts/trafficview.h"
#include "widgets/emptystate.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QSplitter>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace orchestra::ui {

using namespace orchestra::metrics;

MeshView::MeshView(QWidget *parent)
    : QWidget(parent)
    , m_namespaces(new QListWidget(this))
    , m_window(new QComboBox(this))
    , m_status(new QLabel(this))
    , m_graphStack(new QStackedWidget(this))
    , m_graphEmpty(new EmptyState(QStringLiteral(":/icons/cluster.svg"), tr("No mesh traffic"),
                                  tr("Choose a namespace with Istio sidecars."), this))
    , m_graph(new ServiceGraphView(this))
    , m_traffic(new TrafficView(this))
    , m_config(new IstioConfigView(this))
    , m_tabs(new QTabWidget(this))
    , m_timer(new QTimer(this))
{
    for (const auto &[label, seconds] : {std::pair{tr("Last minute"), 60}, std::pair{tr("Last 5 minutes"), 300},
                                         std::pair{tr("Last 15 minutes"), 900}, std::pair{tr("Last hour"), 3600}})
        m_window->addItem(label, seconds);
    m_window->setCurrentIndex(1);
    m_window->setToolTip(tr("Rates and error shares on the graph are averages over this window."));
    auto *refreshButton = new QToolButton(this);
    refreshButton->setText(tr("Refresh"));
    m_status->setForegroundRole(QPalette::PlaceholderText);
    auto *legend = new QLabel(
        tr("<span style='color:#3e8635'>■</span> healthy &lt; 1 % errors &nbsp; <span style='color:#e08a00'>■</span> "
           "degraded ≥ 1 % &nbsp; <span style='color:#c9190b'>■</span> failing ≥ 10 % &nbsp; pills: Services, "
           "boxes: workloads; click one for its charts"),
        this);
    legend->setWordWrap(true);

    auto *namespacePanel = new QWidget(this);
    auto *namespaceLayout = new QVBoxLayout(namespacePanel);
    namespaceLayout->setContentsMargins(0, 0, 0, 0);
    namespaceLayout->addWidget(new QLabel(tr("Meshed namespaces"), namespacePanel));
    namespaceLayout->addWidget(m_namespaces);
    m_namespaces->setMaximumWidth(220);

    auto *graphPanel = new QWidget(this);
    auto *graphLayout = new QVBoxLayout(graphPanel);
    graphLayout->setContentsMargins(0, 0, 0, 0);
    auto *controls = new QHBoxLayout;
    controls->addWidget(legend, 1);
    controls->addWidget(m_window);
    controls->addWidget(refreshButton);
    graphLayout->addLayout(controls);
    graphLayout->addWidget(m_status);
    m_graphStack->addWidget(m_graph);
    m_graphStack->addWidget(m_graphEmpty);
    graphLayout->addWidget(m_graphStack, 1);

    auto *vertical = new QSplitter(Qt::Vertical, this);
    vertical->addWidget(graphPanel);
    m_tabs->addTab(m_traffic, tr("Traffic"));
    m_tabs->addTab(m_config, tr("Istio config"));
    vertical->addWidget(m_tabs);
    vertical->setStretchFactor(0, 1);
    vertical->setStretchFactor(1, 1);
    auto *horizontal = new QSplitter(Qt::Horizontal, this);
    horizontal->addWidget(namespacePanel);
    horizontal->addWidget(vertical);
    horizontal->setStretchFactor(1, 1);
    auto *layout = new QHBoxLayout(this);
    layout->addWidget(horizontal);

    connect(m_namespaces, &QListWidget::currentTextChanged, this, &MeshView::loadGraph);
    connect(m_window, &QComboBox::currentIndexChanged, this, &MeshView::loadGraph);
    connect(refreshButton, &QToolButton::clicked, this, &MeshView::refresh);
    connect(m_graph, &ServiceGraphView::targetActivated, this,
            [this](TargetKind kind, const QString &nameSpace, const QString &name) {
                m_tabs->setCurrentWidget(m_traffic);
                m_traffic->setTarget(kind, nameSpace, name);
            });
    connect(m_timer, &QTimer::timeout, this, &MeshView::loadGraph);
}

void MeshView::setMetrics(IstioMetrics *metrics)
{
    m_metrics = metrics;
    m_traffic->setMetrics(metrics);
    refresh();
}

void MeshView::setEndTime(const QDateTime &end)
{
    m_fixedEnd = end;
    m_traffic->setEndTime(end);
}

void MeshView::setNamespaces(const QStringList &namespaces)
{
    const QString current = currentNamespace();
    const QSignalBlocker blocker(m_namespaces);
    m_namespaces->clear();
    m_namespaces->addItems(namespaces);
    const auto matches = m_namespaces->findItems(current, Qt::MatchExactly);
    if (!matches.isEmpty())
        m_namespaces->setCurrentItem(matches.first());
    else if (m_namespaces->count() > 0)
        m_namespaces->setCurrentRow(0);
    loadGraph();
}

void MeshView::selectNamespace(const QString &nameSpace)
{
    const auto matches = m_namespaces->findItems(nameSpace, Qt::MatchExactly);
    if (!matches.isEmpty())
        m_namespaces->setCurrentItem(matches.first());
}

void MeshView::setGraphWindowSecs(qint64 seconds)
{
    const int index = m_window->findData(int(seconds));
    if (index >= 0)
        m_window->setCurrentIndex(index);
}

QStringList MeshView::namespaces() const
{
    QStringList names;
    for (int i = 0; i < m_namespaces->count(); ++i)
        names.append(m_namespaces->item(i)->text());
    return names;
}

QString MeshView::currentNamespace() const
{
    return m_namespaces->currentItem() ? m_namespaces->currentItem()->text() : QString();
}

QString MeshView::statusText() const
{
    return m_status->text();
}

void MeshView::refresh()
{
    if (!m_metrics) {
        m_graphEmpty->setTitle(tr("No Prometheus"));
        m_graphEmpty->setMessage(tr("The mesh view reads Istio's metrics from Prometheus. Connect to a cluster with "
                                    "Istio's Prometheus add-on, or enter a Prometheus URL."));
        m_graphStack->setCurrentWidget(m_graphEmpty);
        return;
    }
    m_metrics->fetchMeshNamespaces(this, [this](Result<QStringList> result) {
        if (!result) {
            m_status->setText(result.error().toString());
            return;
        }
        if (m_namespaces->count() == 0 || namespaces() != *result)
            setNamespaces(*result);
        else
            loadGraph();
    });
}

void MeshView::loadGraph()
{
    const QString nameSpace = currentNamespace();
    const quint64 generation = ++m_generation;
    if (!m_metrics || nameSpace.isEmpty()) {
        m_graphEmpty->setTitle(tr("No mesh traffic"));
        m_graphEmpty->setMessage(tr("No namespace has Istio request metrics yet. Label a namespace with "
                                    "istio-injection=enabled, restart its pods and send some requests."));
        m_graphStack->setCurrentWidget(m_graphEmpty);
        return;
    }
    const qint64 window = m_window->currentData().toInt();
    m_status->setText(tr("Loading the graph of %1 …").arg(nameSpace));
    m_metrics->fetchGraph(
        nameSpace, window, m_fixedEnd, this, [this, generation, nameSpace, window](Result<ServiceGraph> result) {
            if (generation != m_generation)
                return;
            if (!result) {
                m_status->setText(result.error().toString());
                m_graphEmpty->setTitle(tr("Cannot load the graph"));
                m_graphEmpty->setMessage(result.error().toString());
                m_graphStack->setCurrentWidget(m_graphEmpty);
                emit graphLoaded();
                return;
            }
            m_status->setText(
                tr("%1: %n edge(s), rates averaged over the last %2 s", nullptr, int(result->edges.size()))
                    .arg(nameSpace)
                    .arg(window));
            if (result->isEmpty()) {
                m_graphEmpty->setTitle(tr("No traffic in %1").arg(nameSpace));
                m_graphEmpty->setMessage(tr("Istio recorded no requests in this namespace in the window. Send some "
                                            "traffic or choose a longer window."));
                m_graphStack->setCurrentWidget(m_graphEmpty);
            } else {
                m_graph->setGraph(*result);
                m_graphStack->setCurrentWidget(m_graph);
            }
            emit graphLoaded();
        });
}

} // namespace orchestra::ui
