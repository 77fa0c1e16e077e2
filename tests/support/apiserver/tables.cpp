// Table output (Accept: application/json;as=Table;g=meta.k8s.io;v=v1): the
// columns kubectl prints, per kind, as the real server's printers define them.

#include "engine.h"
#include "jsonutil.h"

#include <QJsonDocument>

namespace orchestra::testing {

namespace {

const char kNameDescription[] =
    "Name must be unique within a namespace. Is required when creating resources, although some resources may allow "
    "a client to request the generation of an appropriate name automatically. Name is primarily intended for "
    "creation idempotence and configuration definition. Cannot be updated. More info: "
    "http://kubernetes.io/docs/user-guide/identifiers#names";
const char kAgeDescription[] =
    "CreationTimestamp is a timestamp representing the server time when this object was created. It is not "
    "guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is "
    "represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: "
    "https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";

QJsonObject column(const QString &name, const QString &type, const QString &description, int priority = 0,
                   const QString &format = QString())
{
    return QJsonObject{{QStringLiteral("name"), name},
                       {QStringLiteral("type"), type},
                       {QStringLiteral("format"), format},
                       {QStringLiteral("description"), description},
                       {QStringLiteral("priority"), priority}};
}

QJsonObject nameColumn()
{
    return column(QStringLiteral("Name"), QStringLiteral("string"), QLatin1String(kNameDescription), 0,
                  QStringLiteral("name"));
}

QJsonObject ageColumn()
{
    return column(QStringLiteral("Age"), QStringLiteral("string"), QLatin1String(kAgeDescription));
}

QString orNone(const QString &value)
{
    return value.isEmpty() ? QStringLiteral("<none>") : value;
}

QString selectorString(const QJsonObject &labels)
{
    QStringList parts;
    for (auto it = labels.begin(); it != labels.end(); ++it)
        parts.append(it.key() + QLatin1Char('=') + it->toString());
    return parts.join(QLatin1Char(','));
}

QJsonValue jsonPath(const QJsonObject &object, const QString &path)
{
    QJsonValue value = object;
    for (const QString &segment : path.split(QLatin1Char('.'), Qt::SkipEmptyParts)) {
        if (!value.isObject())
            return QJsonValue::Null;
        value = value.toObject().value(segment);
        if (value.isUndefined())
            return QJsonValue::Null;
    }
    return value;
}

QJsonArray containerNamesAndImages(const QJsonArray &containers, bool images)
{
    QStringList out;
    for (const QJsonValue &c : containers)
        out.append(c.toObject().value(images ? QStringLiteral("image") : QStringLiteral("name")).toString());
    return QJsonArray{out.join(QLatin1Char(','))};
}

struct Printer
{
    QJsonArray columns;
    std::function<QJsonArray(const QJsonObject &)> cells;
};

Printer printerFor(const ResourceType &type)
{
    const QString key = type.storeKey();
    auto metadataOf = [](const QJsonObject &o) { return o.value(QStringLiteral("metadata")).toObject(); };
    auto ageOf = [metadataOf](const QJsonObject &o) {
        return json::age(metadataOf(o).value(QStringLiteral("creationTimestamp")).toString());
    };
    auto nameOf = [metadataOf](const QJsonObject &o) { return metadataOf(o).value(QStringLiteral("name")).toString(); };
    auto spec = [](const QJsonObject &o) { return o.value(QStringLiteral("spec")).toObject(); };
    auto status = [](const QJsonObject &o) { return o.value(QStringLiteral("status")).toObject(); };
    const QString str = QStringLiteral("string");
    const QString integer = QStringLiteral("integer");

    if (key == QLatin1String("/pods")) {
        return {
            QJsonArray{
                nameColumn(),
                column(QStringLiteral("Ready"), str,
                       QStringLiteral("The aggregate readiness state of this pod for accepting traffic.")),
                column(QStringLiteral("Status"), str,
                       QStringLiteral("The aggregate status of the containers in this pod.")),
                column(QStringLiteral("Restarts"), integer,
                       QStringLiteral("The number of times the containers in this pod have been restarted.")),
                ageColumn(),
                column(QStringLiteral("IP"), str,
                       QStringLiteral("IP address allocated to the pod. Routable at least within the cluster. Empty if "
                                      "not yet allocated."),
                       1),
                column(QStringLiteral("Node"), str,
                       QStringLiteral("NodeName is a request to schedule this pod onto a specific node."), 1),
                column(QStringLiteral("Nominated Node"), str,
                       QStringLiteral("nominatedNodeName is set only when this pod preempts other pods on the node."),
                       1),
                column(QStringLiteral("Readiness Gates"), str,
                       QStringLiteral("If specified, all readiness gates will be evaluated for pod readiness."), 1)},
            [=](const QJsonObject &o) {
                const QJsonObject st = status(o);
                const QJsonArray containers = spec(o).value(QStringLiteral("containers")).toArray();
                int ready = 0;
                int restarts = 0;
                QString reason = st.value(QStringLiteral("phase")).toString();
                if (!st.value(QStringLiteral("reason")).toString().isEmpty())
                    reason = st.value(QStringLiteral("reason")).toString();
                for (const QJsonValue &cs : st.value(QStringLiteral("containerStatuses")).toArray()) {
                    const QJsonObject c = cs.toObject();
                    if (c.value(QStringLiteral("ready")).toBool())
                        ++ready;
                    restarts += c.value(QStringLiteral("restartCount")).toInt();
                    const QJsonObject state = c.value(QStringLiteral("state")).toObject();
                    const QString waiting =
                        state.value(QStringLiteral("waiting")).toObject().value(QStringLiteral("reason")).toString();
                    const QString terminated =
                        state.value(QStringLiteral("terminated")).toObject().value(QStringLiteral("reason")).toString();
                    if (!waiting.isEmpty())
                        reason = waiting;
                    else if (!terminated.isEmpty())
                        reason = terminated;
                }
                if (metadataOf(o).contains(QStringLiteral("deletionTimestamp")))
                    reason = QStringLiteral("Terminating");
                const QJsonArray gates = spec(o).value(QStringLiteral("readinessGates")).toArray();
                return QJsonArray{nameOf(o),
                                  QStringLiteral("%1/%2").arg(ready).arg(containers.size()),
                                  reason,
                                  restarts,
                                  ageOf(o),
                                  orNone(st.value(QStringLiteral("podIP")).toString()),
                                  orNone(spec(o).value(QStringLiteral("nodeName")).toString()),
                                  orNone(st.value(QStringLiteral("nominatedNodeName")).toString()),
                                  gates.isEmpty() ? QStringLiteral("<none>")
                                                  : QStringLiteral("0/%1").arg(gates.size())};
            }};
    }
    if (key == QLatin1String("/services")) {
        return {QJsonArray{
                    nameColumn(),
                    column(QStringLiteral("Type"), str, QStringLiteral("type determines how the Service is exposed.")),
                    column(QStringLiteral("Cluster-IP"), str,
                           QStringLiteral("clusterIP is the IP address of the service.")),
                    column(QStringLiteral("External-IP"), str,
                           QStringLiteral("externalIPs is a list of IP addresses for which nodes in the cluster will "
                                          "also accept traffic for this service.")),
                    column(QStringLiteral("Port(s)"), str,
                           QStringLiteral("The list of ports that are exposed by this service.")),
                    ageColumn(),
                    column(QStringLiteral("Selector"), str,
                           QStringLiteral(
                               "Route service traffic to pods with label keys and values matching this selector."),
                           1)},
                [=](const QJsonObject &o) {
                    const QJsonObject s = spec(o);
                    QStringList ports;
                    for (const QJsonValue &p : s.value(QStringLiteral("ports")).toArray()) {
                        const QJsonObject port = p.toObject();
                        QString text = QString::number(port.value(QStringLiteral("port")).toInt());
                        if (port.contains(QStringLiteral("nodePort")))
                            text += QLatin1Char(':') + QString::number(port.value(QStringLiteral("nodePort")).toInt());
                        ports.append(text + QLatin1Char('/') +
                                     port.value(QStringLiteral("protocol")).toString(QStringLiteral("TCP")));
                    }
                    QStringList external;
                    for (const QJsonValue &ip : s.value(QStringLiteral("externalIPs")).toArray())
                        external.append(ip.toString());
                    for (const QJsonValue &ingress : status(o)
                                                         .value(QStringLiteral("loadBalancer"))
                                                         .toObject()
                                                         .value(QStringLiteral("ingress"))
                                                         .toArray())
                        external.append(ingress.toObject().value(QStringLiteral("ip")).toString());
                    QString externalText = external.join(QLatin1Char(','));
                    if (externalText.isEmpty())
                        externalText = s.value(QStringLiteral("type")) == QLatin1String("LoadBalancer")
                                           ? QStringLiteral("<pending>")
                                           : QStringLiteral("<none>");
                    return QJsonArray{nameOf(o),
                                      s.value(QStringLiteral("type")).toString(QStringLiteral("ClusterIP")),
                                      orNone(s.value(QStringLiteral("clusterIP")).toString()),
                                      externalText,
                                      orNone(ports.join(QLatin1Char(','))),
                                      ageOf(o),
                                      orNone(selectorString(s.value(QStringLiteral("selector")).toObject()))};
                }};
    }
    if (key == QLatin1String("apps/deployments")) {
        return {QJsonArray{nameColumn(),
                           column(QStringLiteral("Ready"), str, QStringLiteral("Number of the pod with ready state")),
                           column(QStringLiteral("Up-to-date"), str,
                                  QStringLiteral("Total number of non-terminated pods targeted by this deployment that "
                                                 "have the desired template spec.")),
                           column(QStringLiteral("Available"), str,
                                  QStringLiteral("Total number of available pods (ready for at least minReadySeconds) "
                                                 "targeted by this deployment.")),
                           ageColumn(),
                           column(QStringLiteral("Containers"), str,
                                  QStringLiteral("Names of each container in the template."), 1),
                           column(QStringLiteral("Images"), str,
                                  QStringLiteral("Images referenced by each container in the template."), 1),
                           column(QStringLiteral("Selector"), str, QStringLiteral("Label selector for pods."), 1)},
                [=](const QJsonObject &o) {
                    const QJsonObject s = spec(o);
                    const QJsonObject st = status(o);
                    const QJsonArray containers = s.value(QStringLiteral("template"))
                                                      .toObject()
                                                      .value(QStringLiteral("spec"))
                                                      .toObject()
                                                      .value(QStringLiteral("containers"))
                                                      .toArray();
                    return QJsonArray{nameOf(o),
                                      QStringLiteral("%1/%2")
                                          .arg(st.value(QStringLiteral("readyReplicas")).toInt())
                                          .arg(s.value(QStringLiteral("replicas")).toInt()),
                                      st.value(QStringLiteral("updatedReplicas")).toInt(),
                                      st.value(QStringLiteral("availableReplicas")).toInt(),
                                      ageOf(o),
                                      containerNamesAndImages(containers, false).first(),
                                      containerNamesAndImages(containers, true).first(),
                                      orNone(selectorString(s.value(QStringLiteral("selector"))
                                                                .toObject()
                                                                .value(QStringLiteral("matchLabels"))
                                                                .toObject()))};
                }};
    }
    if (key == QLatin1String("/nodes")) {
        return {
            QJsonArray{nameColumn(), column(QStringLiteral("Status"), str, QStringLiteral("The status of the node")),
                       column(QStringLiteral("Roles"), str, QStringLiteral("The roles of the node")), ageColumn(),
                       column(QStringLiteral("Version"), str, QStringLiteral("Kubelet Version reported by the node.")),
                       column(QStringLiteral("Internal-IP"), str,
                              QStringLiteral("List of addresses reachable to the node."), 1),
                       column(QStringLiteral("External-IP"), str,
                              QStringLiteral("List of addresses reachable to the node."), 1),
                       column(QStringLiteral("OS-Image"), str,
                              QStringLiteral("OS Image reported by the node from /etc/os-release."), 1),
                       column(QStringLiteral("Kernel-Version"), str,
                              QStringLiteral("Kernel Version reported by the node."), 1),
                       column(QStringLiteral("Container-Runtime"), str,
                              QStringLiteral("ContainerRuntime Version reported by the node."), 1)},
            [=](const QJsonObject &o) {
                const QJsonObject st = status(o);
                QString ready = QStringLiteral("Unknown");
                for (const QJsonValue &c : st.value(QStringLiteral("conditions")).toArray()) {
                    if (c.toObject().value(QStringLiteral("type")) == QLatin1String("Ready"))
                        ready = c.toObject().value(QStringLiteral("status")) == QLatin1String("True")
                                    ? QStringLiteral("Ready")
                                    : QStringLiteral("NotReady");
                }
                if (spec(o).value(QStringLiteral("unschedulable")).toBool())
                    ready += QStringLiteral(",SchedulingDisabled");
                QStringList roles;
                const QJsonObject labels = metadataOf(o).value(QStringLiteral("labels")).toObject();
                for (auto it = labels.begin(); it != labels.end(); ++it) {
                    if (it.key().startsWith(QLatin1String("node-role.kubernetes.io/")))
                        roles.append(it.key().section(QLatin1Char('/'), 1));
                }
                QString internal;
                QString external;
                for (const QJsonValue &a : st.value(QStringLiteral("addresses")).toArray()) {
                    if (a.toObject().value(QStringLiteral("type")) == QLatin1String("InternalIP"))
                        internal = a.toObject().value(QStringLiteral("address")).toString();
                    if (a.toObject().value(QStringLiteral("type")) == QLatin1String("ExternalIP"))
                        external = a.toObject().value(QStringLiteral("address")).toString();
                }
                const QJsonObject info = st.value(QStringLiteral("nodeInfo")).toObject();
                auto unknown = [](const QString &v) { return v.isEmpty() ? QStringLiteral("<unknown>") : v; };
                return QJsonArray{nameOf(o),
                                  ready,
                                  orNone(roles.join(QLatin1Char(','))),
                                  ageOf(o),
                                  info.value(QStringLiteral("kubeletVersion")).toString(),
                                  orNone(internal),
                                  orNone(external),
                                  unknown(info.value(QStringLiteral("osImage")).toString()),
                                  unknown(info.value(QStringLiteral("kernelVersion")).toString()),
                                  unknown(info.value(QStringLiteral("containerRuntimeVersion")).toString())};
            }};
    }
    if (key == QLatin1String("/namespaces")) {
        return {QJsonArray{nameColumn(),
                           column(QStringLiteral("Status"), str, QStringLiteral("The status of the namespace")),
                           ageColumn()},
                [=](const QJsonObject &o) {
                    return QJsonArray{nameOf(o), status(o).value(QStringLiteral("phase")).toString(), ageOf(o)};
                }};
    }
    if (key == QLatin1String("/configmaps")) {
        return {QJsonArray{nameColumn(),
                           column(QStringLiteral("Data"), integer, QStringLiteral("Number of data entries")),
                           ageColumn()},
                [=](const QJsonObject &o) {
                    return QJsonArray{nameOf(o),
                                      o.value(QStringLiteral("data")).toObject().size() +
                                          o.value(QStringLiteral("binaryData")).toObject().size(),
                                      ageOf(o)};
                }};
    }
    if (key == QLatin1String("/secrets")) {
        return {QJsonArray{nameColumn(), column(QStringLiteral("Type"), str, QStringLiteral("The type of the secret")),
                           column(QStringLiteral("Data"), integer, QStringLiteral("Number of data entries")),
                           ageColumn()},
                [=](const QJsonObject &o) {
                    return QJsonArray{nameOf(o), o.value(QStringLiteral("type")).toString(QStringLiteral("Opaque")),
                                      o.value(QStringLiteral("data")).toObject().size(), ageOf(o)};
                }};
    }
    if (key == QLatin1String("apps/replicasets") || key == QLatin1String("apps/statefulsets") ||
        key == QLatin1String("apps/daemonsets")) {
        return {
            QJsonArray{nameColumn(),
                       column(QStringLiteral("Desired"), integer, QStringLiteral("Number of desired pods")),
                       column(QStringLiteral("Current"), integer, QStringLiteral("Number of current pods")),
                       column(QStringLiteral("Ready"), integer, QStringLiteral("Number of ready pods")), ageColumn(),
                       column(QStringLiteral("Containers"), str,
                              QStringLiteral("Names of each container in the template."), 1),
                       column(QStringLiteral("Images"), str,
                              QStringLiteral("Images referenced by each container in the template."), 1)},
            [=](const QJsonObject &o) {
                const QJsonObject st = status(o);
                const QJsonArray containers = spec(o)
                                                  .value(QStringLiteral("template"))
                                                  .toObject()
                                                  .value(QStringLiteral("spec"))
                                                  .toObject()
                                                  .value(QStringLiteral("containers"))
                                                  .toArray();
                const int desired = spec(o).contains(QStringLiteral("replicas"))
                                        ? spec(o).value(QStringLiteral("replicas")).toInt()
                                        : st.value(QStringLiteral("desiredNumberScheduled")).toInt();
                return QJsonArray{
                    nameOf(o),
                    desired,
                    st.value(QStringLiteral("replicas"))
                        .toInt(st.value(QStringLiteral("currentNumberScheduled")).toInt()),
                    st.value(QStringLiteral("readyReplicas")).toInt(st.value(QStringLiteral("numberReady")).toInt()),
                    ageOf(o),
                    containerNamesAndImages(containers, false).first(),
                    containerNamesAndImages(containers, true).first()};
            }};
    }
    if (type.custom && !type.printerColumns.isEmpty()) {
        QJsonArray columns{nameColumn()};
        QList<QPair<QString, QString>> paths;
        for (const QJsonValue &value : type.printerColumns) {
            const QJsonObject c = value.toObject();
            columns.append(
                column(c.value(QStringLiteral("name")).toString(),
                       c.value(QStringLiteral("type")).toString(QStringLiteral("string")),
                       c.value(QStringLiteral("description"))
                           .toString(QStringLiteral("Custom resource definition column (in JSONPath format): ") +
                                     c.value(QStringLiteral("jsonPath")).toString()),
                       c.value(QStringLiteral("priority")).toInt(), c.value(QStringLiteral("format")).toString()));
            paths.append({c.value(QStringLiteral("jsonPath")).toString(), c.value(QStringLiteral("type")).toString()});
        }
        return {columns, [=](const QJsonObject &o) {
                    QJsonArray cells{nameOf(o)};
                    for (const auto &path : paths) {
                        const QJsonValue value = jsonPath(o, path.first);
                        if (path.second == QLatin1String("date") && value.isString())
                            cells.append(json::age(value.toString()));
                        else if (value.isArray() || value.isObject())
                            cells.append(QString::fromUtf8(
                                value.isArray() ? QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact)
                                                : QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact)));
                        else
                            cells.append(value);
                    }
                    return cells;
                }};
    }
    if (type.custom) {
        return {QJsonArray{nameColumn(),
                           column(QStringLiteral("Age"), QStringLiteral("date"), QLatin1String(kAgeDescription))},
                [=](const QJsonObject &o) {
                    return QJsonArray{nameOf(o), ageOf(o)};
                }};
    }
    return {QJsonArray{nameColumn(),
                       column(QStringLiteral("Created At"), QStringLiteral("date"), QLatin1String(kAgeDescription))},
            [=](const QJsonObject &o) {
                return QJsonArray{nameOf(o), metadataOf(o).value(QStringLiteral("creationTimestamp")).toString()};
            }};
}

} // namespace

QJsonObject Engine::tableFor(const ResourceType &type, const QList<const StoredObject *> &objects,
                             const QString &includeObject, bool withColumns) const
{
    const Printer printer = printerFor(type);
    QJsonArray rows;
    for (const StoredObject *object : objects) {
        const QJsonObject parsed = QJsonDocument::fromJson(object->body).object();
        QJsonObject row{{QStringLiteral("cells"), printer.cells(parsed)}};
        if (includeObject == QLatin1String("None")) {
            row.insert(QStringLiteral("object"), QJsonValue::Null);
        } else if (includeObject == QLatin1String("Object")) {
            row.insert(QStringLiteral("object"), fullObject(type, *object));
        } else {
            row.insert(QStringLiteral("object"),
                       QJsonObject{{QStringLiteral("kind"), QStringLiteral("PartialObjectMetadata")},
                                   {QStringLiteral("apiVersion"), QStringLiteral("meta.k8s.io/v1")},
                                   {QStringLiteral("metadata"), parsed.value(QStringLiteral("metadata"))}});
        }
        rows.append(row);
    }
    return QJsonObject{
        {QStringLiteral("kind"), QStringLiteral("Table")},
        {QStringLiteral("apiVersion"), QStringLiteral("meta.k8s.io/v1")},
        {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("resourceVersion"), QString::number(m_rv)}}},
        {QStringLiteral("columnDefinitions"), withColumns ? printer.columns : QJsonArray()},
        {QStringLiteral("rows"), rows}};
}

} // namespace orchestra::testing
