#include "resources/renderer.h"

#include "resources/humanize.h"
#include "resources/podstatus.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>

namespace orchestra::resources {

namespace {

using Path = std::initializer_list<const char *>;

QJsonValue at(const QJsonObject &object, Path path)
{
    QJsonValue value = object;
    for (const char *key : path)
        value = value.toObject().value(QLatin1String(key));
    return value;
}

QString text(const QJsonObject &object, Path path)
{
    const QJsonValue value = at(object, path);
    if (value.isDouble())
        return QString::number(value.toInteger());
    if (value.isBool())
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    return value.toString();
}

QString orNone(const QString &value)
{
    return value.isEmpty() ? QStringLiteral("<none>") : value;
}

qint64 number(const QJsonObject &object, Path path)
{
    return at(object, path).toInteger();
}

QDateTime timestamp(const QJsonObject &object, Path path)
{
    return parseTimestamp(at(object, path).toString());
}

QDateTime created(const QJsonObject &object)
{
    return timestamp(object, {"metadata", "creationTimestamp"});
}

QString name(const QJsonObject &object)
{
    return text(object, {"metadata", "name"});
}

QString joinMap(const QJsonObject &map)
{
    QStringList parts;
    for (auto it = map.begin(); it != map.end(); ++it)
        parts.append(it.key() + QLatin1Char('=') + it.value().toString());
    return orNone(parts.join(QLatin1Char(',')));
}

QString accessModes(const QJsonArray &modes)
{
    static const QHash<QString, QString> shortNames{{QStringLiteral("ReadWriteOnce"), QStringLiteral("RWO")},
                                                    {QStringLiteral("ReadOnlyMany"), QStringLiteral("ROX")},
                                                    {QStringLiteral("ReadWriteMany"), QStringLiteral("RWX")},
                                                    {QStringLiteral("ReadWriteOncePod"), QStringLiteral("RWOP")}};
    QStringList parts;
    for (const QJsonValue &mode : modes)
        parts.append(shortNames.value(mode.toString(), mode.toString()));
    return parts.join(QLatin1Char(','));
}

Column text(const char *header, int priority = 0)
{
    return Column{QLatin1String(header), ColumnType::Text, priority};
}
Column num(const char *header, int priority = 0)
{
    return Column{QLatin1String(header), ColumnType::Number, priority};
}
Column ageColumn(const char *header = "AGE")
{
    return Column{QLatin1String(header), ColumnType::Age, 0};
}

State replicaState(qint64 ready, qint64 desired)
{
    return ready >= desired ? State::Healthy : State::Pending;
}

Row pod(const QJsonObject &o)
{
    const PodStatus status = podStatus(o);
    QStringList gates;
    for (const QJsonValue &gate : at(o, {"spec", "readinessGates"}).toArray())
        gates.append(gate.toObject().value(QLatin1String("conditionType")).toString());
    qint64 gatesReady = 0;
    for (const QJsonValue &condition : at(o, {"status", "conditions"}).toArray()) {
        const QJsonObject c = condition.toObject();
        if (gates.contains(c.value(QLatin1String("type")).toString()) &&
            c.value(QLatin1String("status")).toString() == QLatin1String("True"))
            ++gatesReady;
    }
    return Row{{name(o), status.ready(), status.reason, status.restartsText(), created(o),
                orNone(text(o, {"status", "podIP"})), orNone(text(o, {"spec", "nodeName"})),
                orNone(text(o, {"status", "nominatedNodeName"})),
                gates.isEmpty() ? QStringLiteral("<none>") : QStringLiteral("%1/%2").arg(gatesReady).arg(gates.size())},
               status.state};
}

QString servicePorts(const QJsonObject &o)
{
    QStringList ports;
    for (const QJsonValue &value : at(o, {"spec", "ports"}).toArray()) {
        const QJsonObject port = value.toObject();
        const QString protocol = port.value(QLatin1String("protocol")).toString(QStringLiteral("TCP"));
        const qint64 nodePort = port.value(QLatin1String("nodePort")).toInteger();
        const QString number = QString::number(port.value(QLatin1String("port")).toInteger());
        ports.append(nodePort != 0 ? QStringLiteral("%1:%2/%3").arg(number).arg(nodePort).arg(protocol)
                                   : number + QLatin1Char('/') + protocol);
    }
    return orNone(ports.join(QLatin1Char(',')));
}

QString serviceExternalIp(const QJsonObject &o)
{
    const QString type = text(o, {"spec", "type"});
    QStringList external;
    for (const QJsonValue &ip : at(o, {"spec", "externalIPs"}).toArray())
        external.append(ip.toString());
    if (type == QLatin1String("ExternalName"))
        return text(o, {"spec", "externalName"});
    if (type == QLatin1String("LoadBalancer")) {
        QStringList ingress;
        for (const QJsonValue &value : at(o, {"status", "loadBalancer", "ingress"}).toArray()) {
            const QJsonObject entry = value.toObject();
            ingress.append(entry.contains(QLatin1String("ip")) ? entry.value(QLatin1String("ip")).toString()
                                                               : entry.value(QLatin1String("hostname")).toString());
        }
        ingress += external;
        return ingress.isEmpty() ? QStringLiteral("<pending>") : ingress.join(QLatin1Char(','));
    }
    return orNone(external.join(QLatin1Char(',')));
}

Row service(const QJsonObject &o)
{
    const QString externalIp = serviceExternalIp(o);
    return Row{{name(o), text(o, {"spec", "type"}), orNone(text(o, {"spec", "clusterIP"})), externalIp, servicePorts(o),
                created(o), joinMap(at(o, {"spec", "selector"}).toObject())},
               externalIp == QLatin1String("<pending>") ? State::Pending : State::None};
}

QString containers(const QJsonObject &o, const char *field)
{
    QStringList parts;
    for (const QJsonValue &c : at(o, {"spec", "template", "spec", "containers"}).toArray())
        parts.append(c.toObject().value(QLatin1String(field)).toString());
    return parts.join(QLatin1Char(','));
}

QString selector(const QJsonObject &o)
{
    return joinMap(at(o, {"spec", "selector", "matchLabels"}).toObject());
}

Row deployment(const QJsonObject &o)
{
    const qint64 desired = at(o, {"spec", "replicas"}).toInteger(1);
    const qint64 ready = number(o, {"status", "readyReplicas"});
    State state = replicaState(number(o, {"status", "availableReplicas"}), desired);
    for (const QJsonValue &condition : at(o, {"status", "conditions"}).toArray()) {
        if (condition.toObject().value(QLatin1String("reason")).toString() == QLatin1String("ProgressDeadlineExceeded"))
            state = State::Failed;
    }
    return Row{{name(o), QStringLiteral("%1/%2").arg(ready).arg(desired), number(o, {"status", "updatedReplicas"}),
                number(o, {"status", "availableReplicas"}), created(o), containers(o, "name"), containers(o, "image"),
                selector(o)},
               state};
}

Row replicaSet(const QJsonObject &o)
{
    const qint64 desired = at(o, {"spec", "replicas"}).toInteger(1);
    const qint64 ready = number(o, {"status", "readyReplicas"});
    return Row{{name(o), desired, number(o, {"status", "replicas"}), ready, created(o), containers(o, "name"),
                containers(o, "image"), selector(o)},
               replicaState(ready, desired)};
}

Row statefulSet(const QJsonObject &o)
{
    const qint64 desired = at(o, {"spec", "replicas"}).toInteger(1);
    const qint64 ready = number(o, {"status", "readyReplicas"});
    return Row{{name(o), QStringLiteral("%1/%2").arg(ready).arg(desired), created(o), containers(o, "name"),
                containers(o, "image")},
               replicaState(ready, desired)};
}

Row daemonSet(const QJsonObject &o)
{
    const qint64 desired = number(o, {"status", "desiredNumberScheduled"});
    const qint64 ready = number(o, {"status", "numberReady"});
    return Row{{name(o), desired, number(o, {"status", "currentNumberScheduled"}), ready,
                number(o, {"status", "updatedNumberScheduled"}), number(o, {"status", "numberAvailable"}),
                joinMap(at(o, {"spec", "template", "spec", "nodeSelector"}).toObject()), created(o),
                containers(o, "name"), containers(o, "image"), selector(o)},
               replicaState(ready, desired)};
}

Row job(const QJsonObject &o)
{
    const qint64 succeeded = number(o, {"status", "succeeded"});
    const QJsonValue completions = at(o, {"spec", "completions"});
    const qint64 parallelism = at(o, {"spec", "parallelism"}).toInteger(1);
    QString completionText;
    if (!completions.isUndefined() && !completions.isNull())
        completionText = QStringLiteral("%1/%2").arg(succeeded).arg(completions.toInteger());
    else if (parallelism > 1)
        completionText = QStringLiteral("%1/1 of %2").arg(succeeded).arg(parallelism);
    else
        completionText = QStringLiteral("%1/1").arg(succeeded);
    const QDateTime start = timestamp(o, {"status", "startTime"});
    const QDateTime end = timestamp(o, {"status", "completionTime"});
    QString duration;
    if (start.isValid())
        duration = humanDuration(start.secsTo(end.isValid() ? end : QDateTime::currentDateTimeUtc()));
    State state = State::Pending;
    for (const QJsonValue &condition : at(o, {"status", "conditions"}).toArray()) {
        const QJsonObject c = condition.toObject();
        if (c.value(QLatin1String("status")).toString() != QLatin1String("True"))
            continue;
        if (c.value(QLatin1String("type")).toString() == QLatin1String("Complete"))
            state = State::Succeeded;
        else if (c.value(QLatin1String("type")).toString() == QLatin1String("Failed"))
            state = State::Failed;
    }
    return Row{{name(o), completionText, duration, created(o), containers(o, "name"), containers(o, "image")}, state};
}

Row cronJob(const QJsonObject &o)
{
    return Row{{name(o), text(o, {"spec", "schedule"}),
                at(o, {"spec", "suspend"}).toBool() ? QStringLiteral("True") : QStringLiteral("False"),
                qint64(at(o, {"status", "active"}).toArray().size()), timestamp(o, {"status", "lastScheduleTime"}),
                created(o)},
               State::None};
}

Row node(const QJsonObject &o)
{
    QString status = QStringLiteral("Unknown");
    State state = State::Unknown;
    for (const QJsonValue &condition : at(o, {"status", "conditions"}).toArray()) {
        const QJsonObject c = condition.toObject();
        if (c.value(QLatin1String("type")).toString() != QLatin1String("Ready"))
            continue;
        const QString value = c.value(QLatin1String("status")).toString();
        status = value == QLatin1String("True")    ? QStringLiteral("Ready")
                 : value == QLatin1String("False") ? QStringLiteral("NotReady")
                                                   : QStringLiteral("Unknown");
        state = value == QLatin1String("True")    ? State::Healthy
                : value == QLatin1String("False") ? State::Failed
                                                  : State::Unknown;
    }
    if (at(o, {"spec", "unschedulable"}).toBool()) {
        status += QStringLiteral(",SchedulingDisabled");
        if (state == State::Healthy)
            state = State::Warning;
    }
    QStringList roles;
    const QJsonObject labels = at(o, {"metadata", "labels"}).toObject();
    for (auto it = labels.begin(); it != labels.end(); ++it) {
        if (it.key().startsWith(QLatin1String("node-role.kubernetes.io/")))
            roles.append(it.key().mid(24));
        else if (it.key() == QLatin1String("kubernetes.io/role"))
            roles.append(it.value().toString());
    }
    QString internalIp, externalIp;
    for (const QJsonValue &address : at(o, {"status", "addresses"}).toArray()) {
        const QJsonObject a = address.toObject();
        if (a.value(QLatin1String("type")).toString() == QLatin1String("InternalIP") && internalIp.isEmpty())
            internalIp = a.value(QLatin1String("address")).toString();
        if (a.value(QLatin1String("type")).toString() == QLatin1String("ExternalIP") && externalIp.isEmpty())
            externalIp = a.value(QLatin1String("address")).toString();
    }
    return Row{{name(o), status, orNone(roles.join(QLatin1Char(','))), created(o),
                text(o, {"status", "nodeInfo", "kubeletVersion"}), orNone(internalIp), orNone(externalIp),
                text(o, {"status", "nodeInfo", "osImage"}), text(o, {"status", "nodeInfo", "kernelVersion"}),
                text(o, {"status", "nodeInfo", "containerRuntimeVersion"})},
               state};
}

Row namespaceRow(const QJsonObject &o)
{
    const QString phase = text(o, {"status", "phase"});
    return Row{{name(o), phase, created(o)},
               phase == QLatin1String("Terminating") ? State::Terminating : State::Healthy};
}

Row event(const QJsonObject &o)
{
    QDateTime lastSeen = timestamp(o, {"lastTimestamp"});
    if (!lastSeen.isValid())
        lastSeen = timestamp(o, {"eventTime"});
    if (!lastSeen.isValid())
        lastSeen = created(o);
    const QString type = text(o, {"type"});
    return Row{{lastSeen, type, text(o, {"reason"}),
                text(o, {"involvedObject", "kind"}).toLower() + QLatin1Char('/') + text(o, {"involvedObject", "name"}),
                text(o, {"message"}).trimmed(), name(o)},
               type == QLatin1String("Warning") ? State::Warning : State::None};
}

Row ingress(const QJsonObject &o)
{
    QStringList hosts;
    for (const QJsonValue &rule : at(o, {"spec", "rules"}).toArray()) {
        const QString host = rule.toObject().value(QLatin1String("host")).toString();
        hosts.append(host.isEmpty() ? QStringLiteral("*") : host);
    }
    QStringList addresses;
    for (const QJsonValue &value : at(o, {"status", "loadBalancer", "ingress"}).toArray()) {
        const QJsonObject entry = value.toObject();
        addresses.append(entry.contains(QLatin1String("ip")) ? entry.value(QLatin1String("ip")).toString()
                                                             : entry.value(QLatin1String("hostname")).toString());
    }
    const bool tls = !at(o, {"spec", "tls"}).toArray().isEmpty();
    return Row{{name(o), orNone(text(o, {"spec", "ingressClassName"})),
                hosts.isEmpty() ? QStringLiteral("*") : hosts.join(QLatin1Char(',')), addresses.join(QLatin1Char(',')),
                tls ? QStringLiteral("80, 443") : QStringLiteral("80"), created(o)},
               State::None};
}

Row configMap(const QJsonObject &o)
{
    return Row{
        {name(o), qint64(at(o, {"data"}).toObject().size() + at(o, {"binaryData"}).toObject().size()), created(o)},
        State::None};
}

State volumePhaseState(const QString &phase)
{
    if (phase == QLatin1String("Bound"))
        return State::Healthy;
    if (phase == QLatin1String("Pending") || phase == QLatin1String("Available"))
        return State::Pending;
    if (phase == QLatin1String("Lost") || phase == QLatin1String("Failed"))
        return State::Failed;
    return State::None;
}

Row persistentVolumeClaim(const QJsonObject &o)
{
    const QString phase = text(o, {"status", "phase"});
    return Row{{name(o), phase, text(o, {"spec", "volumeName"}), text(o, {"status", "capacity", "storage"}),
                accessModes(at(o, {"status", "accessModes"}).toArray()), text(o, {"spec", "storageClassName"}),
                created(o)},
               volumePhaseState(phase)};
}

Row persistentVolume(const QJsonObject &o)
{
    const QString phase = text(o, {"status", "phase"});
    const QString claimName = text(o, {"spec", "claimRef", "name"});
    return Row{
        {name(o), text(o, {"spec", "capacity", "storage"}), accessModes(at(o, {"spec", "accessModes"}).toArray()),
         text(o, {"spec", "persistentVolumeReclaimPolicy"}), phase,
         claimName.isEmpty() ? QString() : text(o, {"spec", "claimRef", "namespace"}) + QLatin1Char('/') + claimName,
         text(o, {"spec", "storageClassName"}), text(o, {"status", "reason"}), created(o)},
        volumePhaseState(phase)};
}

struct Entry
{
    const char *group;
    const char *kind;
    std::shared_ptr<const Renderer> renderer;
};

std::shared_ptr<const Renderer> make(QList<Column> columns, Row (*row)(const QJsonObject &))
{
    return std::make_shared<FunctionRenderer>(std::move(columns), row);
}

const QList<Entry> &entries()
{
    static const QList<Entry> table{
        {"", "Pod",
         make({text("NAME"), text("READY"), text("STATUS"), text("RESTARTS"), ageColumn(), text("IP", 1),
               text("NODE", 1), text("NOMINATED NODE", 1), text("READINESS GATES", 1)},
              pod)},
        {"", "Service",
         make({text("NAME"), text("TYPE"), text("CLUSTER-IP"), text("EXTERNAL-IP"), text("PORT(S)"), ageColumn(),
               text("SELECTOR", 1)},
              service)},
        {"apps", "Deployment",
         make({text("NAME"), text("READY"), num("UP-TO-DATE"), num("AVAILABLE"), ageColumn(), text("CONTAINERS", 1),
               text("IMAGES", 1), text("SELECTOR", 1)},
              deployment)},
        {"apps", "ReplicaSet",
         make({text("NAME"), num("DESIRED"), num("CURRENT"), num("READY"), ageColumn(), text("CONTAINERS", 1),
               text("IMAGES", 1), text("SELECTOR", 1)},
              replicaSet)},
        {"apps", "StatefulSet",
         make({text("NAME"), text("READY"), ageColumn(), text("CONTAINERS", 1), text("IMAGES", 1)}, statefulSet)},
        {"apps", "DaemonSet",
         make({text("NAME"), num("DESIRED"), num("CURRENT"), num("READY"), num("UP-TO-DATE"), num("AVAILABLE"),
               text("NODE SELECTOR"), ageColumn(), text("CONTAINERS", 1), text("IMAGES", 1), text("SELECTOR", 1)},
              daemonSet)},
        {"batch", "Job",
         make({text("NAME"), text("COMPLETIONS"), text("DURATION"), ageColumn(), text("CONTAINERS", 1),
               text("IMAGES", 1)},
              job)},
        {"batch", "CronJob",
         make({text("NAME"), text("SCHEDULE"), text("SUSPEND"), num("ACTIVE"), ageColumn("LAST SCHEDULE"), ageColumn()},
              cronJob)},
        {"", "Node",
         make({text("NAME"), text("STATUS"), text("ROLES"), ageColumn(), text("VERSION"), text("INTERNAL-IP", 1),
               text("EXTERNAL-IP", 1), text("OS-IMAGE", 1), text("KERNEL-VERSION", 1), text("CONTAINER-RUNTIME", 1)},
              node)},
        {"", "Namespace", make({text("NAME"), text("STATUS"), ageColumn()}, namespaceRow)},
        {"", "Event",
         make({ageColumn("LAST SEEN"), text("TYPE"), text("REASON"), text("OBJECT"), text("MESSAGE"), text("NAME", 1)},
              event)},
        {"networking.k8s.io", "Ingress",
         make({text("NAME"), text("CLASS"), text("HOSTS"), text("ADDRESS"), text("PORTS"), ageColumn()}, ingress)},
        {"", "ConfigMap", make({text("NAME"), num("DATA"), ageColumn()}, configMap)},
        {"", "PersistentVolumeClaim",
         make({text("NAME"), text("STATUS"), text("VOLUME"), text("CAPACITY"), text("ACCESS MODES"),
               text("STORAGECLASS"), ageColumn()},
              persistentVolumeClaim)},
        {"", "PersistentVolume",
         make({text("NAME"), text("CAPACITY"), text("ACCESS MODES"), text("RECLAIM POLICY"), text("STATUS"),
               text("CLAIM"), text("STORAGECLASS"), text("REASON"), ageColumn()},
              persistentVolume)},
    };
    return table;
}

} // namespace

QString stateName(State state)
{
    switch (state) {
    case State::None:
        return QStringLiteral("None");
    case State::Healthy:
        return QStringLiteral("Healthy");
    case State::Pending:
        return QStringLiteral("Pending");
    case State::Warning:
        return QStringLiteral("Warning");
    case State::Failed:
        return QStringLiteral("Failed");
    case State::Terminating:
        return QStringLiteral("Terminating");
    case State::Succeeded:
        return QStringLiteral("Succeeded");
    case State::Unknown:
        return QStringLiteral("Unknown");
    }
    return {};
}

TableRenderer::TableRenderer(const QJsonArray &columnDefinitions)
{
    for (const QJsonValue &value : columnDefinitions) {
        const QJsonObject definition = value.toObject();
        Column column;
        column.name = definition.value(QLatin1String("name")).toString().toUpper();
        column.priority = definition.value(QLatin1String("priority")).toInt();
        const QString type = definition.value(QLatin1String("type")).toString();
        if (type == QLatin1String("integer") || type == QLatin1String("number"))
            column.type = ColumnType::Number;
        // The server renders Age once ("107s"); recompute it from the object so it keeps counting.
        if (column.name == QLatin1String("AGE") && m_ageColumn < 0) {
            column.type = ColumnType::Age;
            m_ageColumn = int(m_columns.size());
        }
        m_columns.append(column);
    }
}

Row TableRenderer::row(const QJsonObject &object) const
{
    Row row;
    const QJsonArray cells = object.value(QLatin1String("cells")).toArray();
    row.values.reserve(m_columns.size());
    for (qsizetype i = 0; i < m_columns.size(); ++i) {
        const QJsonValue cell = cells.at(i);
        if (i == m_ageColumn) {
            const QDateTime time = created(object);
            row.values.append(time.isValid() ? QVariant(time) : QVariant(cell.toString()));
        } else if (m_columns.at(i).type == ColumnType::Number && cell.isDouble()) {
            row.values.append(cell.toInteger());
        } else if (cell.isNull() || cell.isUndefined()) {
            row.values.append(QStringLiteral("<none>"));
        } else if (cell.isString()) {
            row.values.append(cell.toString());
        } else if (cell.isDouble()) {
            row.values.append(QString::number(cell.toDouble()));
        } else if (cell.isBool()) {
            row.values.append(cell.toBool() ? QStringLiteral("true") : QStringLiteral("false"));
        } else {
            const QJsonDocument document =
                cell.isArray() ? QJsonDocument(cell.toArray()) : QJsonDocument(cell.toObject());
            row.values.append(QString::fromUtf8(document.toJson(QJsonDocument::Compact)));
        }
    }
    return row;
}

std::shared_ptr<const Renderer> nativeRenderer(const QString &group, const QString &kind)
{
    for (const Entry &entry : entries()) {
        if (group == QLatin1String(entry.group) && kind == QLatin1String(entry.kind))
            return entry.renderer;
    }
    // events.k8s.io/v1 Events carry the same fields kubectl prints for core Events.
    return {};
}

bool hasNativeRenderer(const QString &group, const QString &kind)
{
    return nativeRenderer(group, kind) != nullptr;
}

} // namespace orchestra::resources
