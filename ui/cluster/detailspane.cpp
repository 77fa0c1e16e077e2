#include "cluster/detailspane.h"

#include "charts/trafficview.h"
#include "cluster/logview.h"
#include "delegates/statedelegate.h"
#include "highlighting/codehighlighter.h"
#include "kube/apiclient.h"
#include "kube/operations.h"
#include "kube/resourceregistry.h"
#include "manifests/diff.h"
#include "metrics/istiometrics.h"
#include "resources/humanize.h"
#include "resources/labelselector.h"
#include "resources/podstatus.h"
#include "watch/informer.h"
#include "watch/informerfactory.h"

#include <QCheckBox>
#include <QFontDatabase>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QTabWidget>
#include <QTextBrowser>
#include <QTimer>
#include <QTreeWidget>
#include <QUrlQuery>
#include <QVBoxLayout>

namespace orchestra::ui {

namespace {

QString esc(const QString &text)
{
    return text.toHtmlEscaped();
}

QString str(const QJsonValue &value)
{
    if (value.isString())
        return value.toString();
    if (value.isDouble())
        return QString::number(value.toInteger());
    if (value.isBool())
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    return {};
}

QJsonObject obj(const QJsonObject &object, const char *key)
{
    return object.value(QLatin1String(key)).toObject();
}

QString field(const QJsonObject &object, std::initializer_list<const char *> path)
{
    QJsonValue value = object;
    for (const char *key : path)
        value = value.toObject().value(QLatin1String(key));
    return str(value);
}

class Html
{
public:
    void heading(const QString &text)
    {
        m_html += QStringLiteral("<h4 style='margin:10px 0 4px 0'>%1</h4>").arg(esc(text));
    }
    void beginTable() { m_html += QStringLiteral("<table cellspacing='0' cellpadding='2'>"); }
    void endTable() { m_html += QStringLiteral("</table>"); }
    void row(const QString &name, const QString &valueHtml)
    {
        if (valueHtml.isEmpty())
            return;
        m_html += QStringLiteral("<tr><td style='padding-right:16px;color:palette(mid)'><b>%1</b></td><td>%2</td></tr>")
                      .arg(esc(name), valueHtml);
    }
    void text(const QString &name, const QString &value) { row(name, esc(value)); }
    void raw(const QString &html) { m_html += html; }
    QString html() const { return m_html; }

private:
    QString m_html;
};

QString coloured(const QString &text, resources::State state)
{
    QPalette palette;
    return QStringLiteral("<span style='color:%1'><b>%2</b></span>").arg(stateColor(state, palette).name(), esc(text));
}

QString objectLink(const QString &apiVersion, const QString &kind, const QString &ns, const QString &name)
{
    QUrl url;
    url.setScheme(QStringLiteral("object"));
    url.setPath(name);
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("apiVersion"), apiVersion);
    query.addQueryItem(QStringLiteral("kind"), kind);
    query.addQueryItem(QStringLiteral("namespace"), ns);
    url.setQuery(query);
    return QStringLiteral("<a href='%1'>%2/%3</a>").arg(esc(url.toString(QUrl::FullyEncoded)), esc(kind), esc(name));
}

QString mapText(const QJsonObject &map, const QString &separator)
{
    QStringList parts;
    for (auto it = map.begin(); it != map.end(); ++it)
        parts.append(it.key() + QLatin1Char('=') + str(it.value()));
    return parts.join(separator);
}

QString selectorText(const QJsonObject &selector)
{
    // A LabelSelector object (matchLabels + matchExpressions) in kubectl's text form.
    QStringList parts;
    const QJsonObject labels =
        selector.contains(QLatin1String("matchLabels")) || selector.contains(QLatin1String("matchExpressions"))
            ? obj(selector, "matchLabels")
            : selector;
    for (auto it = labels.begin(); it != labels.end(); ++it)
        parts.append(it.key() + QLatin1Char('=') + str(it.value()));
    for (const QJsonValue &value : selector.value(QLatin1String("matchExpressions")).toArray()) {
        const QJsonObject expression = value.toObject();
        const QString key = expression.value(QLatin1String("key")).toString();
        const QString op = expression.value(QLatin1String("operator")).toString();
        QStringList values;
        for (const QJsonValue &v : expression.value(QLatin1String("values")).toArray())
            values.append(v.toString());
        if (op == QLatin1String("In"))
            parts.append(QStringLiteral("%1 in (%2)").arg(key, values.join(QLatin1Char(','))));
        else if (op == QLatin1String("NotIn"))
            parts.append(QStringLiteral("%1 notin (%2)").arg(key, values.join(QLatin1Char(','))));
        else if (op == QLatin1String("Exists"))
            parts.append(key);
        else if (op == QLatin1String("DoesNotExist"))
            parts.append(QLatin1Char('!') + key);
    }
    return parts.join(QLatin1Char(','));
}

void podOverview(Html &html, const QJsonObject &pod)
{
    const resources::PodStatus status = resources::podStatus(pod);
    const QJsonObject spec = obj(pod, "spec");
    const QJsonObject podStatus = obj(pod, "status");
    html.row(QStringLiteral("Status"), coloured(status.reason, status.state));
    html.text(QStringLiteral("Ready"), status.ready());
    html.text(QStringLiteral("Restarts"), status.restartsText());
    html.text(QStringLiteral("Node"), str(spec.value(QLatin1String("nodeName"))));
    html.text(QStringLiteral("Pod IP"), str(podStatus.value(QLatin1String("podIP"))));
    html.text(QStringLiteral("Host IP"), str(podStatus.value(QLatin1String("hostIP"))));
    html.text(QStringLiteral("QoS class"), str(podStatus.value(QLatin1String("qosClass"))));
    html.text(QStringLiteral("Service account"), str(spec.value(QLatin1String("serviceAccountName"))));
    html.text(QStringLiteral("Started"), str(podStatus.value(QLatin1String("startTime"))));
    html.endTable();

    QHash<QString, QJsonObject> statuses;
    for (const char *key : {"initContainerStatuses", "containerStatuses"}) {
        for (const QJsonValue &value : podStatus.value(QLatin1String(key)).toArray())
            statuses.insert(value.toObject().value(QLatin1String("name")).toString(), value.toObject());
    }
    html.heading(QStringLiteral("Containers"));
    html.raw(QStringLiteral("<table cellspacing='0' cellpadding='2'><tr><th align='left'>Name</th><th "
                            "align='left'>Image</th><th align='left'>Ready</th><th align='left'>Restarts</th><th "
                            "align='left'>State</th></tr>"));
    for (const char *key : {"initContainers", "containers"}) {
        for (const QJsonValue &value : spec.value(QLatin1String(key)).toArray()) {
            const QJsonObject container = value.toObject();
            const QString name = container.value(QLatin1String("name")).toString();
            const QJsonObject cs = statuses.value(name);
            const QJsonObject state = obj(cs, "state");
            QString stateText = state.keys().value(0);
            const QJsonObject detail = state.value(stateText).toObject();
            resources::State colour = resources::State::Unknown;
            if (stateText == QLatin1String("running"))
                colour = resources::State::Healthy;
            else if (stateText == QLatin1String("waiting"))
                colour = detail.value(QLatin1String("reason")).toString().contains(QLatin1String("BackOff")) ||
                                 detail.value(QLatin1String("reason")).toString().contains(QLatin1String("Err")) ||
                                 detail.value(QLatin1String("reason")).toString().contains(QLatin1String("Error"))
                             ? resources::State::Failed
                             : resources::State::Warning;
            else if (stateText == QLatin1String("terminated"))
                colour = detail.value(QLatin1String("exitCode")).toInt() == 0 ? resources::State::Succeeded
                                                                              : resources::State::Failed;
            const QString reason = str(detail.value(QLatin1String("reason")));
            if (!reason.isEmpty())
                stateText += QStringLiteral(" (%1)").arg(reason);
            // Why it restarted is in the last state: the exit code says more than the back-off.
            const QJsonObject last = obj(obj(cs, "lastState"), "terminated");
            if (!last.isEmpty())
                stateText += QStringLiteral("; last exit %1 (%2)")
                                 .arg(last.value(QLatin1String("exitCode")).toInt())
                                 .arg(str(last.value(QLatin1String("reason"))));
            html.raw(
                QStringLiteral("<tr><td>%1%2</td><td>%3</td><td>%4</td><td>%5</td><td>%6</td></tr>")
                    .arg(esc(name),
                         QLatin1String(key) == QLatin1String("initContainers") ? QStringLiteral(" (init)") : QString(),
                         esc(container.value(QLatin1String("image")).toString()),
                         cs.value(QLatin1String("ready")).toBool() ? QStringLiteral("yes") : QStringLiteral("no"),
                         QString::number(cs.value(QLatin1String("restartCount")).toInt()),
                         stateText.isEmpty() ? QString() : coloured(stateText, colour)));
        }
    }
    html.raw(QStringLiteral("</table>"));
    html.beginTable();
}

void workloadOverview(Html &html, const QJsonObject &object)
{
    const QJsonObject spec = obj(object, "spec");
    const QJsonObject status = obj(object, "status");
    const QString desired = str(spec.value(QLatin1String("replicas")));
    if (!desired.isEmpty()) {
        const int ready = status.value(QLatin1String("readyReplicas")).toInt();
        const bool ok = ready == spec.value(QLatin1String("replicas")).toInt();
        html.row(QStringLiteral("Replicas"),
                 coloured(QStringLiteral("%1 desired, %2 updated, %3 ready, %4 available")
                              .arg(desired)
                              .arg(status.value(QLatin1String("updatedReplicas")).toInt())
                              .arg(ready)
                              .arg(status.value(QLatin1String("availableReplicas")).toInt()),
                          ok ? resources::State::Healthy : resources::State::Warning));
    }
    html.text(QStringLiteral("Strategy"), field(spec, {"strategy", "type"}) + field(spec, {"updateStrategy", "type"}));
    html.text(QStringLiteral("Selector"), selectorText(obj(spec, "selector")));
    html.text(QStringLiteral("Schedule"), str(spec.value(QLatin1String("schedule"))));
    QStringList images;
    for (const QJsonValue &value : obj(obj(spec, "template"), "spec").value(QLatin1String("containers")).toArray())
        images.append(value.toObject().value(QLatin1String("image")).toString());
    html.text(QStringLiteral("Images"), images.join(QStringLiteral(", ")));
}

void serviceOverview(Html &html, const QJsonObject &service)
{
    const QJsonObject spec = obj(service, "spec");
    html.text(QStringLiteral("Type"), str(spec.value(QLatin1String("type"))));
    html.text(QStringLiteral("Cluster IP"), str(spec.value(QLatin1String("clusterIP"))));
    QStringList external;
    for (const QJsonValue &value : spec.value(QLatin1String("externalIPs")).toArray())
        external.append(value.toString());
    for (const QJsonValue &value :
         obj(obj(service, "status"), "loadBalancer").value(QLatin1String("ingress")).toArray())
        external.append(str(value.toObject().value(QLatin1String("ip"))) +
                        str(value.toObject().value(QLatin1String("hostname"))));
    html.text(QStringLiteral("External"), external.join(QStringLiteral(", ")));
    QStringList ports;
    for (const QJsonValue &value : spec.value(QLatin1String("ports")).toArray()) {
        const QJsonObject port = value.toObject();
        QString text = str(port.value(QLatin1String("port")));
        const QString target = str(port.value(QLatin1String("targetPort")));
        if (!target.isEmpty())
            text += QStringLiteral(" → ") + target;
        text += QLatin1Char('/') + port.value(QLatin1String("protocol")).toString(QStringLiteral("TCP"));
        const QString name = port.value(QLatin1String("name")).toString();
        if (!name.isEmpty())
            text = name + QStringLiteral(": ") + text;
        ports.append(text);
    }
    html.text(QStringLiteral("Ports"), ports.join(QStringLiteral(", ")));
    html.text(QStringLiteral("Selector"), mapText(obj(spec, "selector"), QStringLiteral(", ")));
    html.text(QStringLiteral("Session affinity"), str(spec.value(QLatin1String("sessionAffinity"))));
}

void nodeOverview(Html &html, const QJsonObject &node)
{
    const QJsonObject status = obj(node, "status");
    const QJsonObject info = obj(status, "nodeInfo");
    html.text(QStringLiteral("Kubelet"), str(info.value(QLatin1String("kubeletVersion"))));
    html.text(QStringLiteral("OS image"), str(info.value(QLatin1String("osImage"))));
    html.text(QStringLiteral("Runtime"), str(info.value(QLatin1String("containerRuntimeVersion"))));
    QStringList addresses;
    for (const QJsonValue &value : status.value(QLatin1String("addresses")).toArray())
        addresses.append(value.toObject().value(QLatin1String("type")).toString() + QLatin1Char(' ') +
                         value.toObject().value(QLatin1String("address")).toString());
    html.text(QStringLiteral("Addresses"), addresses.join(QStringLiteral(", ")));
    html.text(QStringLiteral("Capacity"), mapText(obj(status, "capacity"), QStringLiteral(", ")));
    html.text(QStringLiteral("Unschedulable"), str(obj(node, "spec").value(QLatin1String("unschedulable"))));
}

void secretOverview(Html &html, const QJsonObject &secret, bool reveal)
{
    html.text(QStringLiteral("Type"), str(secret.value(QLatin1String("type"))));
    html.endTable();
    const QJsonObject data = obj(secret, "data");
    html.heading(QStringLiteral("Data"));
    if (data.isEmpty()) {
        html.raw(QStringLiteral("<p>No keys.</p>"));
    } else {
        if (!reveal)
            html.raw(
                QStringLiteral("<p><a href='action:reveal'>Reveal values</a> (they are hidden until you ask)</p>"));
        else
            html.raw(QStringLiteral("<p><a href='action:hide'>Hide values</a></p>"));
        html.beginTable();
        for (auto it = data.begin(); it != data.end(); ++it) {
            const QByteArray bytes = QByteArray::fromBase64(it.value().toString().toLatin1());
            QString value = QStringLiteral("%1 bytes").arg(bytes.size());
            if (reveal)
                value = QStringLiteral("<code>%1</code>").arg(esc(QString::fromUtf8(bytes)));
            html.row(it.key(), value);
        }
        html.endTable();
    }
    html.beginTable();
}

void genericOverview(Html &html, const QJsonObject &object)
{
    // For kinds without a dedicated page: the scalar fields of spec and status, which is where the meaning is.
    for (const char *section : {"spec", "status"}) {
        const QJsonObject part = obj(object, section);
        for (auto it = part.begin(); it != part.end(); ++it) {
            const QString value = str(it.value());
            if (!value.isEmpty())
                html.text(QStringLiteral("%1.%2").arg(QLatin1String(section), it.key()), value);
        }
    }
    const QJsonObject data = obj(object, "data");
    if (!data.isEmpty() && object.value(QLatin1String("kind")) == QLatin1String("ConfigMap"))
        html.text(QStringLiteral("Keys"), data.keys().join(QStringLiteral(", ")));
}

} // namespace

QString DetailsPane::overviewHtml(const kube::ResourceKind &kind, const QJsonObject &object, bool revealSecrets)
{
    const QJsonObject metadata = obj(object, "metadata");
    Html html;
    html.beginTable();
    html.text(QStringLiteral("Kind"), kind.kind + QStringLiteral(" (") + kind.apiVersion() + QLatin1Char(')'));
    html.text(QStringLiteral("Namespace"), str(metadata.value(QLatin1String("namespace"))));
    const QDateTime created = resources::parseTimestamp(str(metadata.value(QLatin1String("creationTimestamp"))));
    if (created.isValid())
        html.text(QStringLiteral("Created"),
                  QStringLiteral("%1 ago (%2)").arg(resources::age(created), created.toString(Qt::ISODate)));
    if (metadata.contains(QLatin1String("deletionTimestamp")))
        html.row(QStringLiteral("Deleting"),
                 coloured(str(metadata.value(QLatin1String("deletionTimestamp"))), resources::State::Terminating));

    const bool full = object.contains(QLatin1String("spec")) || object.contains(QLatin1String("status")) ||
                      object.contains(QLatin1String("data"));
    if (full) {
        if (kind.group.isEmpty() && kind.kind == QLatin1String("Pod"))
            podOverview(html, object);
        else if (kind.group.isEmpty() && kind.kind == QLatin1String("Service"))
            serviceOverview(html, object);
        else if (kind.group.isEmpty() && kind.kind == QLatin1String("Node"))
            nodeOverview(html, object);
        else if (kind.group.isEmpty() && kind.kind == QLatin1String("Secret"))
            secretOverview(html, object, revealSecrets);
        else if (kind.group == QLatin1String("apps") || kind.group == QLatin1String("batch"))
            workloadOverview(html, object);
        else
            genericOverview(html, object);
    }

    const QJsonArray owners = metadata.value(QLatin1String("ownerReferences")).toArray();
    if (!owners.isEmpty()) {
        QStringList links;
        for (const QJsonValue &value : owners) {
            const QJsonObject owner = value.toObject();
            links.append(objectLink(
                owner.value(QLatin1String("apiVersion")).toString(), owner.value(QLatin1String("kind")).toString(),
                str(metadata.value(QLatin1String("namespace"))), owner.value(QLatin1String("name")).toString()));
        }
        html.row(QStringLiteral("Controlled by"), links.join(QStringLiteral(", ")));
    }
    html.endTable();

    const QJsonArray conditions = obj(object, "status").value(QLatin1String("conditions")).toArray();
    if (!conditions.isEmpty()) {
        html.heading(QStringLiteral("Conditions"));
        html.raw(QStringLiteral("<table cellspacing='0' cellpadding='2'><tr><th align='left'>Type</th><th "
                                "align='left'>Status</th><th align='left'>Reason</th><th align='left'>Message</th><th "
                                "align='left'>Since</th></tr>"));
        for (const QJsonValue &value : conditions) {
            const QJsonObject condition = value.toObject();
            const QString status = str(condition.value(QLatin1String("status")));
            const QDateTime since =
                resources::parseTimestamp(str(condition.value(QLatin1String("lastTransitionTime"))));
            html.raw(QStringLiteral("<tr><td>%1</td><td>%2</td><td>%3</td><td>%4</td><td>%5</td></tr>")
                         .arg(esc(str(condition.value(QLatin1String("type")))),
                              coloured(status, status == QLatin1String("True")    ? resources::State::Healthy
                                               : status == QLatin1String("False") ? resources::State::Warning
                                                                                  : resources::State::Unknown),
                              esc(str(condition.value(QLatin1String("reason")))),
                              esc(str(condition.value(QLatin1String("message")))),
                              since.isValid() ? resources::age(since) : QString()));
        }
        html.raw(QStringLiteral("</table>"));
    }

    const QJsonObject labels = obj(metadata, "labels");
    html.heading(QStringLiteral("Labels"));
    if (labels.isEmpty()) {
        html.raw(QStringLiteral("<p>none</p>"));
    } else {
        QStringList chips;
        for (auto it = labels.begin(); it != labels.end(); ++it)
            chips.append(QStringLiteral("<code>%1=%2</code>").arg(esc(it.key()), esc(str(it.value()))));
        html.raw(QStringLiteral("<p>") + chips.join(QStringLiteral(" &nbsp; ")) + QStringLiteral("</p>"));
    }
    QJsonObject annotations = obj(metadata, "annotations");
    // As kubectl describe does: kubectl apply's copy of the whole object is noise here (and holds a Secret's values);
    // the YAML tab has it.
    annotations.remove(QStringLiteral("kubectl.kubernetes.io/last-applied-configuration"));
    if (!annotations.isEmpty()) {
        html.heading(QStringLiteral("Annotations"));
        html.beginTable();
        for (auto it = annotations.begin(); it != annotations.end(); ++it) {
            QString value = str(it.value());
            if (value.size() > 240)
                value = value.left(240) + QStringLiteral("… (%1 characters; see YAML)").arg(value.size());
            html.text(it.key(), value);
        }
        html.endTable();
    }
    return html.html();
}

DetailsPane::DetailsPane(QWidget *parent)
    : QWidget(parent)
    , m_title(new QLabel(this))
    , m_tabs(new QTabWidget(this))
    , m_overview(new QTextBrowser(this))
    , m_yamlPage(new QWidget(this))
    , m_yaml(new QPlainTextEdit(m_yamlPage))
    , m_highlighter(new CodeHighlighter(m_yaml->document()))
    , m_managedFields(new QCheckBox(tr("Show managedFields"), m_yamlPage))
    , m_events(new QTreeWidget(this))
    , m_eventAges(new QTimer(this))
    , m_related(new QTreeWidget(this))
    , m_logs(new LogView(this))
    , m_traffic(new TrafficView(this))
{
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.1);
    m_title->setFont(titleFont);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_overview->setOpenLinks(false);
    m_overview->setOpenExternalLinks(false);
    connect(m_overview, &QTextBrowser::anchorClicked, this, &DetailsPane::onLink);

    m_yaml->setReadOnly(true);
    m_yaml->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_yaml->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_highlighter->setLanguage(QStringLiteral("yaml"));
    m_managedFields->setToolTip(tr("metadata.managedFields records which client set which field (server-side apply); "
                                   "hidden by default because it is long and rarely needed"));
    connect(m_managedFields, &QCheckBox::toggled, this, &DetailsPane::renderYaml);
    auto *yamlLayout = new QVBoxLayout(m_yamlPage);
    yamlLayout->setContentsMargins(0, 4, 0, 0);
    yamlLayout->addWidget(m_managedFields);
    yamlLayout->addWidget(m_yaml, 1);

    m_events->setHeaderLabels({tr("Last seen"), tr("Type"), tr("Reason"), tr("Message"), tr("Count"), tr("From")});
    m_events->setRootIsDecorated(false);
    m_eventAges->setInterval(10000);
    connect(m_eventAges, &QTimer::timeout, this, [this] {
        for (int row = 0; row < m_events->topLevelItemCount(); ++row) {
            QTreeWidgetItem *item = m_events->topLevelItem(row);
            const QDateTime time = item->data(0, Qt::UserRole).toDateTime();
            if (time.isValid())
                item->setText(0, resources::age(time));
        }
    });
    m_events->setWordWrap(true);
    m_events->header()->resizeSection(0, 80);
    m_events->header()->resizeSection(1, 100);
    m_events->header()->resizeSection(2, 130);
    m_events->header()->resizeSection(3, 560);

    m_related->setHeaderLabels({tr("Kind"), tr("Name"), tr("Status")});
    m_related->setRootIsDecorated(false);
    m_related->header()->resizeSection(0, 110);
    m_related->header()->resizeSection(1, 320);
    connect(m_related, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem *item) {
        emit openObjectRequested(item->data(0, Qt::UserRole).toString(), item->text(0), m_namespace, item->text(1));
    });

    m_tabs->addTab(m_overview, tr("Overview"));
    m_tabs->addTab(m_yamlPage, tr("YAML"));
    m_tabs->addTab(m_events, tr("Events"));
    m_tabs->addTab(m_related, tr("Related"));
    m_tabs->addTab(m_logs, tr("Logs"));
    m_tabs->addTab(m_traffic, tr("Traffic"));
    m_tabs->setTabVisible(4, false);
    m_tabs->setTabVisible(5, false);
    m_tabs->setDocumentMode(true);
    connect(m_tabs, &QTabWidget::currentChanged, this, [this](int index) {
        if (m_tabs->widget(index) == m_logs && !m_object.isEmpty() && !m_logs->isStreaming())
            m_logs->setPod(m_client, m_object);
        if (m_tabs->widget(index) == m_traffic)
            updateTrafficTab();
    });

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(m_title);
    layout->addWidget(m_tabs, 1);
    clear();
}

DetailsPane::~DetailsPane()
{
    for (const auto &connection : std::as_const(m_relatedConnections))
        disconnect(connection);
    for (const auto &connection : std::as_const(m_eventsConnections))
        disconnect(connection);
}

void DetailsPane::setCluster(kube::ApiClient *client, watch::InformerFactory *factory, kube::ResourceRegistry *registry)
{
    clear();
    m_client = client;
    m_factory = factory;
    m_registry = registry;
}

void DetailsPane::clear()
{
    ++m_generation;
    for (const auto &connection : std::as_const(m_relatedConnections))
        disconnect(connection);
    m_relatedConnections.clear();
    m_relatedPods.reset();
    m_relatedServices.reset();
    stopEvents();
    m_kind = {};
    m_name.clear();
    m_namespace.clear();
    m_object = {};
    m_revealed = false;
    m_title->setText(tr("Select an object to see its details."));
    m_overview->clear();
    m_yaml->clear();
    m_events->clear();
    m_eventAges->stop();
    m_related->clear();
    m_logs->clear();
    m_tabs->setTabVisible(4, false);
    m_tabs->setTabVisible(5, false);
}

void DetailsPane::showObject(const kube::ResourceKind &kind, const QString &ns, const QString &name,
                             const QJsonObject &stored)
{
    const bool same = m_kind.qualifiedPlural() == kind.qualifiedPlural() && m_namespace == ns && m_name == name;
    if (!same) {
        const int tab = m_tabs->currentIndex();
        clear();
        m_kind = kind;
        m_namespace = ns;
        m_name = name;
        const bool isPod = kind.group.isEmpty() && kind.kind == QLatin1String("Pod");
        m_tabs->setTabVisible(4, isPod);
        const bool traffic = m_metrics && m_meshed && !ns.isEmpty() && m_meshed(ns) &&
                             ((kind.group.isEmpty() && (kind.kind == QLatin1String("Service") || isPod)) ||
                              (kind.group == QLatin1String("apps") && kind.kind == QLatin1String("Deployment")));
        m_tabs->setTabVisible(5, traffic);
        if (tab >= 0 && m_tabs->isTabVisible(tab))
            m_tabs->setCurrentIndex(tab);
        m_title->setText(
            QStringLiteral("%1 %2%3").arg(kind.kind, name, ns.isEmpty() ? QString() : tr("  in %1").arg(ns)));
        if (stored.contains(QLatin1String("metadata")) && !stored.contains(QLatin1String("cells")))
            m_overview->setHtml(overviewHtml(kind, stored, false));
    }
    load();
}

void DetailsPane::refresh()
{
    if (!m_name.isEmpty())
        load();
}

void DetailsPane::load()
{
    if (!m_client || m_name.isEmpty())
        return;
    const int generation = ++m_generation;
    kube::Operations(m_client).get(m_kind, m_namespace, m_name, this, [this, generation](Result<QJsonObject> result) {
        if (generation != m_generation)
            return;
        if (!result.ok()) {
            m_overview->setHtml(
                QStringLiteral("<p style='color:%1'>%2</p>")
                    .arg(stateColor(resources::State::Failed, palette()).name(), esc(result.error().toString())));
            return;
        }
        const bool first = m_object.isEmpty();
        m_object = result.value();
        render();
        if (first) {
            loadEvents();
            loadRelated();
        } else {
            loadEvents();
            fillRelated();
        }
        if (m_tabs->currentWidget() == m_logs)
            m_logs->setPod(m_client, m_object);
        if (first && m_tabs->currentWidget() == m_traffic)
            updateTrafficTab();
        emit objectLoaded();
    });
}

void DetailsPane::render()
{
    const int scroll = m_overview->verticalScrollBar()->value();
    m_overview->setHtml(overviewHtml(m_kind, m_object, m_revealed));
    m_overview->verticalScrollBar()->setValue(scroll);
    renderYaml();
}

void DetailsPane::renderYaml()
{
    QJsonObject object = m_object;
    if (object.isEmpty()) {
        m_yaml->clear();
        return;
    }
    if (!m_managedFields->isChecked()) {
        QJsonObject metadata = obj(object, "metadata");
        metadata.remove(QStringLiteral("managedFields"));
        object.insert(QStringLiteral("metadata"), metadata);
    }
    if (m_kind.group.isEmpty() && m_kind.kind == QLatin1String("Secret") && !m_revealed) {
        QJsonObject data = obj(object, "data");
        for (auto it = data.begin(); it != data.end(); ++it)
            it.value() = QStringLiteral("(hidden: Reveal in Overview)");
        if (!data.isEmpty())
            object.insert(QStringLiteral("data"), data);
        // kubectl apply keeps the whole Secret, values included, in this annotation.
        QJsonObject metadata = obj(object, "metadata");
        QJsonObject annotations = obj(metadata, "annotations");
        if (annotations.contains(QLatin1String("kubectl.kubernetes.io/last-applied-configuration"))) {
            annotations.insert(QStringLiteral("kubectl.kubernetes.io/last-applied-configuration"),
                               QStringLiteral("(hidden: contains the values)"));
            metadata.insert(QStringLiteral("annotations"), annotations);
            object.insert(QStringLiteral("metadata"), metadata);
        }
    }
    const int scroll = m_yaml->verticalScrollBar()->value();
    m_yaml->setPlainText(manifests::toYaml(object));
    m_yaml->verticalScrollBar()->setValue(scroll);
}

void DetailsPane::setSecretsRevealed(bool revealed)
{
    m_revealed = revealed;
    if (!m_object.isEmpty())
        render();
}

void DetailsPane::showLogs()
{
    if (m_tabs->isTabVisible(4))
        m_tabs->setCurrentWidget(m_logs);
}

void DetailsPane::setTraffic(metrics::IstioMetrics *metrics, std::function<bool(const QString &)> meshed)
{
    m_metrics = metrics;
    m_meshed = std::move(meshed);
    m_traffic->setMetrics(metrics);
}

bool DetailsPane::hasTrafficTab() const
{
    return m_tabs->isTabVisible(5);
}

void DetailsPane::updateTrafficTab()
{
    if (!m_tabs->isTabVisible(5) || m_name.isEmpty())
        return;
    // Istio names workloads after their controller: a pod's Deployment is its ReplicaSet minus the hash.
    metrics::TargetKind kind = metrics::TargetKind::Workload;
    QString name = m_name;
    if (m_kind.kind == QLatin1String("Service")) {
        kind = metrics::TargetKind::Service;
    } else if (m_kind.kind == QLatin1String("Pod")) {
        const QJsonObject metadata = obj(m_object.isEmpty() ? QJsonObject() : m_object, "metadata");
        for (const QJsonValue &value : metadata.value(QLatin1String("ownerReferences")).toArray()) {
            const QJsonObject owner = value.toObject();
            QString ownerName = owner.value(QLatin1String("name")).toString();
            if (owner.value(QLatin1String("kind")) == QLatin1String("ReplicaSet") &&
                ownerName.lastIndexOf(QLatin1Char('-')) > 0)
                ownerName = ownerName.left(ownerName.lastIndexOf(QLatin1Char('-')));
            name = ownerName;
        }
    }
    m_traffic->setTarget(kind, m_namespace, name);
}

void DetailsPane::onLink(const QUrl &url)
{
    if (url.scheme() == QLatin1String("action")) {
        setSecretsRevealed(url.path() == QLatin1String("reveal"));
        return;
    }
    if (url.scheme() == QLatin1String("object")) {
        const QUrlQuery query(url);
        emit openObjectRequested(query.queryItemValue(QStringLiteral("apiVersion")),
                                 query.queryItemValue(QStringLiteral("kind")),
                                 query.queryItemValue(QStringLiteral("namespace")), url.path());
    }
}

void DetailsPane::loadEvents()
{
    const QString uid = field(m_object, {"metadata", "uid"});
    if (!m_client || uid.isEmpty())
        return;
    // The kubelet records a Node's Events with the node's *name* as involvedObject.uid, the controllers with its
    // uid; kubectl describe node shows both. One watch covers both: kind and name on the server, the uid here.
    const bool node = m_kind.group.isEmpty() && m_kind.kind == QLatin1String("Node");
    const QString selector = node ? QStringLiteral("involvedObject.kind=Node,involvedObject.name=") + m_name
                                  : QStringLiteral("involvedObject.uid=") + uid;
    if (m_eventsInformer && m_eventsInformer->fieldSelector() == selector) {
        renderEvents(); // the object was read again: its Events are already followed
        return;
    }
    stopEvents();
    m_events->clear();
    const std::optional<kube::ResourceKind> events =
        m_registry ? m_registry->find(QString(), QStringLiteral("Event")) : std::nullopt;
    if (!m_factory || !events) {
        showEventsError(tr("This cluster serves no Events (v1)."));
        return;
    }
    // Only this object's Events, in its namespace (all namespaces for cluster-scoped objects), listed and then
    // watched while the object is shown: a new Event appears as it happens.
    m_eventsInformer = m_factory->informer(*events, m_namespace, watch::Informer::Format::Objects, selector);
    watch::Informer *informer = m_eventsInformer.get();
    m_eventsConnections.append(connect(informer, &watch::Informer::synced, this, &DetailsPane::renderEvents));
    m_eventsConnections.append(
        connect(informer->store(), &watch::ObjectStore::changed, this, &DetailsPane::renderEvents));
    const auto onError = [this, informer](const Error &error) {
        // Once listed, the rows stay true while the informer reconnects by itself.
        if (informer->hasSynced())
            return;
        showEventsError(error.toString());
        // Forbidden does not pass by retrying: stop until the object is read again or another is shown.
        if (error.code == 403)
            QTimer::singleShot(0, this, [this, informer] {
                if (m_eventsInformer.get() == informer)
                    stopEvents();
            });
    };
    m_eventsConnections.append(connect(informer, &watch::Informer::errorOccurred, this, onError));
    if (informer->hasSynced())
        renderEvents();
    else if (informer->lastError())
        onError(*informer->lastError());
}

void DetailsPane::stopEvents()
{
    for (const auto &connection : std::as_const(m_eventsConnections))
        disconnect(connection);
    m_eventsConnections.clear();
    m_eventsInformer.reset(); // the last holder stops the watch
}

void DetailsPane::showEventsError(const QString &message)
{
    m_events->clear();
    auto *item = new QTreeWidgetItem(m_events, {QString(), tr("Error"), QString(), message});
    item->setForeground(3, stateColor(resources::State::Failed, palette()));
    item->setToolTip(3, message);
}

void DetailsPane::renderEvents()
{
    if (!m_eventsInformer)
        return;
    const QString uid = field(m_object, {"metadata", "uid"});
    const bool node = m_kind.group.isEmpty() && m_kind.kind == QLatin1String("Node");
    const auto when = [](const QJsonObject &event) {
        const QString last = str(event.value(QLatin1String("lastTimestamp")));
        return last.isEmpty() ? str(event.value(QLatin1String("eventTime"))) : last;
    };
    struct Shown
    {
        QDateTime time;
        QString name;
        QJsonObject event;
    };
    QList<Shown> events;
    for (const watch::ObjectPtr &object : m_eventsInformer->store()->objects()) {
        const QJsonObject involved = obj(object->json, "involvedObject");
        const QString involvedUid = str(involved.value(QLatin1String("uid")));
        if (involvedUid == uid || (node && involvedUid == m_name))
            events.append(Shown{resources::parseTimestamp(when(object->json)), object->name, object->json});
    }
    // Newest first (without a time last); the name keeps Events of the same moment in a stable order.
    std::sort(events.begin(), events.end(), [](const Shown &a, const Shown &b) {
        if (a.time.isValid() != b.time.isValid())
            return a.time.isValid();
        return a.time != b.time ? a.time > b.time : a.name < b.name;
    });

    const int scroll = m_events->verticalScrollBar()->value();
    m_events->clear();
    if (events.isEmpty())
        new QTreeWidgetItem(m_events, {QString(), QString(), QString(),
                                       tr("No events for this object (events "
                                          "expire after an hour by default).")});
    for (const Shown &shown : std::as_const(events)) {
        const QJsonObject &event = shown.event;
        const QDateTime &time = shown.time;
        const QString type = str(event.value(QLatin1String("type")));
        auto *item = new QTreeWidgetItem(
            m_events,
            {time.isValid() ? resources::age(time) : QString(), type, str(event.value(QLatin1String("reason"))),
             str(event.value(QLatin1String("message"))), str(event.value(QLatin1String("count"))),
             field(event, {"source", "component"}) + str(event.value(QLatin1String("reportingComponent")))});
        item->setData(0, Qt::UserRole, time);
        if (type == QLatin1String("Warning")) {
            item->setForeground(1, stateColor(resources::State::Warning, palette()));
            item->setIcon(1, stateIcon(resources::State::Warning));
        }
        item->setToolTip(3, item->text(3));
    }
    m_events->verticalScrollBar()->setValue(scroll);
    if (events.isEmpty())
        m_eventAges->stop();
    else if (!m_eventAges->isActive())
        m_eventAges->start();
}

void DetailsPane::setEventAgeRefreshInterval(int ms)
{
    m_eventAges->setInterval(ms);
}

void DetailsPane::loadRelated()
{
    for (const auto &connection : std::as_const(m_relatedConnections))
        disconnect(connection);
    m_relatedConnections.clear();
    m_relatedPods.reset();
    m_relatedServices.reset();
    m_related->clear();
    if (!m_factory || !m_registry || m_namespace.isEmpty())
        return;
    const bool isPod = m_kind.group.isEmpty() && m_kind.kind == QLatin1String("Pod");
    const bool selectsPods =
        (m_kind.group.isEmpty() && m_kind.kind == QLatin1String("Service")) ||
        ((m_kind.group == QLatin1String("apps") || m_kind.group == QLatin1String("batch")) &&
         m_kind.kind != QLatin1String("CronJob") && m_kind.kind != QLatin1String("ControllerRevision"));
    if (selectsPods) {
        if (const auto pods = m_registry->find(QString(), QStringLiteral("Pod")))
            m_relatedPods = m_factory->informer(*pods, m_namespace);
    }
    if (isPod) {
        if (const auto services = m_registry->find(QString(), QStringLiteral("Service")))
            m_relatedServices = m_factory->informer(*services, m_namespace);
    }
    for (const auto &informer : {m_relatedPods, m_relatedServices}) {
        if (!informer)
            continue;
        m_relatedConnections.append(connect(informer.get(), &watch::Informer::synced, this, &DetailsPane::fillRelated));
        m_relatedConnections.append(
            connect(informer->store(), &watch::ObjectStore::changed, this, &DetailsPane::fillRelated));
    }
    fillRelated();
}

void DetailsPane::fillRelated()
{
    m_related->clear();
    const QJsonObject spec = obj(m_object, "spec");
    if (m_relatedPods) {
        QString text;
        if (m_kind.kind == QLatin1String("Service"))
            text = mapText(obj(spec, "selector"), QStringLiteral(","));
        else
            text = selectorText(obj(spec, "selector"));
        const Result<resources::LabelSelector> selector = resources::LabelSelector::parse(text);
        if (text.isEmpty() || !selector.ok()) {
            new QTreeWidgetItem(m_related, {QString(), tr("(no pod selector)")});
        } else {
            QList<watch::ObjectPtr> objects = m_relatedPods->store()->objects();
            std::sort(objects.begin(), objects.end(),
                      [](const watch::ObjectPtr &a, const watch::ObjectPtr &b) { return a->name < b->name; });
            for (const watch::ObjectPtr &pod : objects) {
                if (!selector->matches(obj(obj(pod->json, "metadata"), "labels").toVariantMap()))
                    continue;
                const resources::PodStatus status = resources::podStatus(pod->json);
                auto *item = new QTreeWidgetItem(m_related, {QStringLiteral("Pod"), pod->name, status.reason});
                item->setData(0, Qt::UserRole, QStringLiteral("v1"));
                item->setIcon(2, stateIcon(status.state));
                item->setForeground(2, stateColor(status.state, palette()));
            }
            if (m_related->topLevelItemCount() == 0 && m_relatedPods->hasSynced())
                new QTreeWidgetItem(m_related, {QString(), tr("No pod matches %1").arg(text)});
        }
    }
    if (m_relatedServices) {
        const QVariantMap labels = obj(obj(m_object, "metadata"), "labels").toVariantMap();
        for (const watch::ObjectPtr &service : m_relatedServices->store()->objects()) {
            const QJsonObject selectorMap = obj(obj(service->json, "spec"), "selector");
            if (selectorMap.isEmpty())
                continue;
            const Result<resources::LabelSelector> selector =
                resources::LabelSelector::parse(mapText(selectorMap, QStringLiteral(",")));
            if (!selector.ok() || !selector->matches(labels))
                continue;
            auto *item = new QTreeWidgetItem(
                m_related, {QStringLiteral("Service"), service->name,
                            tr("selects this pod (%1)").arg(mapText(selectorMap, QStringLiteral(",")))});
            item->setData(0, Qt::UserRole, QStringLiteral("v1"));
        }
    }
    for (const QJsonValue &value : obj(m_object, "metadata").value(QLatin1String("ownerReferences")).toArray()) {
        const QJsonObject owner = value.toObject();
        auto *item = new QTreeWidgetItem(m_related, {owner.value(QLatin1String("kind")).toString(),
                                                     owner.value(QLatin1String("name")).toString(), tr("owner")});
        item->setData(0, Qt::UserRole, owner.value(QLatin1String("apiVersion")).toString());
    }
}

} // namespace orchestra::ui
