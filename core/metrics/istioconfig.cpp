#include "metrics/istioconfig.h"

#include <QJsonArray>
#include <QSet>

#include <yaml-cpp/yaml.h>

namespace orchestra::metrics {

namespace {

QJsonObject metadataOf(const QJsonObject &object)
{
    return object.value(QStringLiteral("metadata")).toObject();
}

QString nameOf(const QJsonObject &object)
{
    return metadataOf(object).value(QStringLiteral("name")).toString();
}

QString namespaceOf(const QJsonObject &object)
{
    return metadataOf(object).value(QStringLiteral("namespace")).toString();
}

QJsonObject specOf(const QJsonObject &object)
{
    return object.value(QStringLiteral("spec")).toObject();
}

QStringList strings(const QJsonValue &value)
{
    QStringList list;
    for (const QJsonValue &item : value.toArray())
        list.append(item.toString());
    return list;
}

QString labelsText(const QJsonObject &labels)
{
    QStringList parts;
    for (auto it = labels.begin(); it != labels.end(); ++it)
        parts.append(it.key() + QLatin1Char('=') + it.value().toString());
    return parts.join(QStringLiteral(", "));
}

QString stringMatch(const QJsonObject &match)
{
    if (match.contains(QStringLiteral("exact")))
        return QStringLiteral("= ") + match.value(QStringLiteral("exact")).toString();
    if (match.contains(QStringLiteral("prefix")))
        return QStringLiteral("starts with ") + match.value(QStringLiteral("prefix")).toString();
    if (match.contains(QStringLiteral("regex")))
        return QStringLiteral("matches ") + match.value(QStringLiteral("regex")).toString();
    return QStringLiteral("(any)");
}

QString destinationText(const QJsonObject &destination)
{
    QString text = destination.value(QStringLiteral("host")).toString();
    const QString subset = destination.value(QStringLiteral("subset")).toString();
    if (!subset.isEmpty())
        text += QStringLiteral(" subset ") + subset;
    const int port = destination.value(QStringLiteral("port")).toObject().value(QStringLiteral("number")).toInt();
    if (port)
        text += QStringLiteral(" port %1").arg(port);
    return text;
}

QString routeDestinations(const QJsonArray &route)
{
    QStringList parts;
    for (const QJsonValue &value : route) {
        const QJsonObject entry = value.toObject();
        QString part = destinationText(entry.value(QStringLiteral("destination")).toObject());
        if (route.size() > 1 || entry.contains(QStringLiteral("weight")))
            part += QStringLiteral(" %1 %").arg(entry.contains(QStringLiteral("weight"))
                                                    ? entry.value(QStringLiteral("weight")).toInt()
                                                    : (route.size() == 1 ? 100 : 0));
        parts.append(part);
    }
    return parts.join(QStringLiteral(", "));
}

QString percentOf(const QJsonObject &fault)
{
    const QJsonValue percentage = fault.value(QStringLiteral("percentage")).toObject().value(QStringLiteral("value"));
    if (percentage.isDouble())
        return QStringLiteral("%1 %").arg(percentage.toDouble());
    return QStringLiteral("100 %");
}

QStringList summarizeVirtualService(const QJsonObject &spec)
{
    QStringList lines;
    lines.append(QStringLiteral("Hosts: ") + strings(spec.value(QStringLiteral("hosts"))).join(QStringLiteral(", ")));
    const QStringList gateways = strings(spec.value(QStringLiteral("gateways")));
    if (!gateways.isEmpty())
        lines.append(QStringLiteral("Gateways: ") + gateways.join(QStringLiteral(", ")));
    int index = 0;
    for (const QJsonValue &value : spec.value(QStringLiteral("http")).toArray()) {
        const QJsonObject http = value.toObject();
        ++index;
        QStringList conditions;
        for (const QJsonValue &matchValue : http.value(QStringLiteral("match")).toArray()) {
            const QJsonObject match = matchValue.toObject();
            QStringList parts;
            if (match.contains(QStringLiteral("uri")))
                parts.append(QStringLiteral("URI ") + stringMatch(match.value(QStringLiteral("uri")).toObject()));
            const QJsonObject headers = match.value(QStringLiteral("headers")).toObject();
            for (auto it = headers.begin(); it != headers.end(); ++it)
                parts.append(QStringLiteral("header %1 %2").arg(it.key(), stringMatch(it.value().toObject())));
            if (match.contains(QStringLiteral("method")))
                parts.append(QStringLiteral("method ") + stringMatch(match.value(QStringLiteral("method")).toObject()));
            if (!parts.isEmpty())
                conditions.append(parts.join(QStringLiteral(" and ")));
        }
        QString line = QStringLiteral("HTTP route %1").arg(index);
        line += conditions.isEmpty() ? QStringLiteral(" (all requests)")
                                     : QStringLiteral(" when ") + conditions.join(QStringLiteral(" or "));
        if (http.contains(QStringLiteral("redirect")))
            line += QStringLiteral(": redirect to ") +
                    http.value(QStringLiteral("redirect")).toObject().value(QStringLiteral("uri")).toString();
        else
            line += QStringLiteral(" → ") + routeDestinations(http.value(QStringLiteral("route")).toArray());
        lines.append(line);
        if (http.contains(QStringLiteral("timeout")))
            lines.append(QStringLiteral("    timeout ") + http.value(QStringLiteral("timeout")).toString());
        const QJsonObject retries = http.value(QStringLiteral("retries")).toObject();
        if (!retries.isEmpty())
            lines.append(QStringLiteral("    retries %1 × %2%3")
                             .arg(retries.value(QStringLiteral("attempts")).toInt())
                             .arg(retries.value(QStringLiteral("perTryTimeout")).toString(QStringLiteral("(default)")))
                             .arg(retries.contains(QStringLiteral("retryOn"))
                                      ? QStringLiteral(" on ") + retries.value(QStringLiteral("retryOn")).toString()
                                      : QString()));
        const QJsonObject fault = http.value(QStringLiteral("fault")).toObject();
        const QJsonObject delay = fault.value(QStringLiteral("delay")).toObject();
        if (!delay.isEmpty())
            lines.append(QStringLiteral("    fault: delay %1 for %2")
                             .arg(delay.value(QStringLiteral("fixedDelay")).toString(), percentOf(delay)));
        const QJsonObject abort = fault.value(QStringLiteral("abort")).toObject();
        if (!abort.isEmpty())
            lines.append(QStringLiteral("    fault: abort with HTTP %1 for %2")
                             .arg(abort.value(QStringLiteral("httpStatus")).toInt())
                             .arg(percentOf(abort)));
        const QJsonObject mirror = http.value(QStringLiteral("mirror")).toObject();
        if (!mirror.isEmpty())
            lines.append(QStringLiteral("    mirrors to ") + destinationText(mirror));
    }
    for (const QString &protocol : {QStringLiteral("tcp"), QStringLiteral("tls")}) {
        int n = 0;
        for (const QJsonValue &value : spec.value(protocol).toArray())
            lines.append(QStringLiteral("%1 route %2 → %3")
                             .arg(protocol.toUpper())
                             .arg(++n)
                             .arg(routeDestinations(value.toObject().value(QStringLiteral("route")).toArray())));
    }
    return lines;
}

QString trafficPolicyText(const QJsonObject &policy)
{
    QStringList parts;
    const QString tls = policy.value(QStringLiteral("tls")).toObject().value(QStringLiteral("mode")).toString();
    if (!tls.isEmpty())
        parts.append(QStringLiteral("TLS ") + tls);
    const QJsonObject lb = policy.value(QStringLiteral("loadBalancer")).toObject();
    if (lb.contains(QStringLiteral("simple")))
        parts.append(QStringLiteral("load balancer ") + lb.value(QStringLiteral("simple")).toString());
    else if (lb.contains(QStringLiteral("consistentHash")))
        parts.append(QStringLiteral("consistent-hash load balancing"));
    const QJsonObject pool = policy.value(QStringLiteral("connectionPool")).toObject();
    QStringList limits;
    const QJsonObject tcp = pool.value(QStringLiteral("tcp")).toObject();
    if (tcp.contains(QStringLiteral("maxConnections")))
        limits.append(QStringLiteral("max %1 connections").arg(tcp.value(QStringLiteral("maxConnections")).toInt()));
    const QJsonObject http = pool.value(QStringLiteral("http")).toObject();
    for (auto it = http.begin(); it != http.end(); ++it)
        limits.append(QStringLiteral("%1 %2").arg(it.key(), it.value().toVariant().toString()));
    if (!limits.isEmpty())
        parts.append(QStringLiteral("connection pool: ") + limits.join(QStringLiteral(", ")));
    const QJsonObject outlier = policy.value(QStringLiteral("outlierDetection")).toObject();
    if (!outlier.isEmpty()) {
        const int errors = outlier.contains(QStringLiteral("consecutive5xxErrors"))
                               ? outlier.value(QStringLiteral("consecutive5xxErrors")).toInt()
                               : outlier.value(QStringLiteral("consecutiveErrors")).toInt(5);
        parts.append(QStringLiteral("outlier detection: eject after %1 consecutive 5xx for %2")
                         .arg(errors)
                         .arg(outlier.value(QStringLiteral("baseEjectionTime")).toString(QStringLiteral("30s"))));
    }
    return parts.join(QStringLiteral("; "));
}

QStringList summarizeDestinationRule(const QJsonObject &spec)
{
    QStringList lines{QStringLiteral("Host: ") + spec.value(QStringLiteral("host")).toString()};
    const QString policy = trafficPolicyText(spec.value(QStringLiteral("trafficPolicy")).toObject());
    if (!policy.isEmpty())
        lines.append(QStringLiteral("Traffic policy: ") + policy);
    const QJsonArray subsets = spec.value(QStringLiteral("subsets")).toArray();
    if (subsets.isEmpty())
        lines.append(QStringLiteral("No subsets"));
    for (const QJsonValue &value : subsets) {
        const QJsonObject subset = value.toObject();
        QString line = QStringLiteral("Subset %1: pods with %2")
                           .arg(subset.value(QStringLiteral("name")).toString(),
                                labelsText(subset.value(QStringLiteral("labels")).toObject()));
        const QString subsetPolicy = trafficPolicyText(subset.value(QStringLiteral("trafficPolicy")).toObject());
        if (!subsetPolicy.isEmpty())
            line += QStringLiteral(" (") + subsetPolicy + QLatin1Char(')');
        lines.append(line);
    }
    return lines;
}

QStringList summarizeGateway(const QJsonObject &spec)
{
    QStringList lines{QStringLiteral("Runs on pods with ") +
                      labelsText(spec.value(QStringLiteral("selector")).toObject())};
    for (const QJsonValue &value : spec.value(QStringLiteral("servers")).toArray()) {
        const QJsonObject server = value.toObject();
        const QJsonObject port = server.value(QStringLiteral("port")).toObject();
        QString line = QStringLiteral("Listens on %1 port %2 for %3")
                           .arg(port.value(QStringLiteral("protocol")).toString())
                           .arg(port.value(QStringLiteral("number")).toInt())
                           .arg(strings(server.value(QStringLiteral("hosts"))).join(QStringLiteral(", ")));
        const QJsonObject tls = server.value(QStringLiteral("tls")).toObject();
        if (!tls.isEmpty()) {
            line += QStringLiteral(" (TLS %1").arg(tls.value(QStringLiteral("mode")).toString());
            if (tls.contains(QStringLiteral("credentialName")))
                line += QStringLiteral(", certificate from Secret ") +
                        tls.value(QStringLiteral("credentialName")).toString();
            if (tls.value(QStringLiteral("httpsRedirect")).toBool())
                line += QStringLiteral(", redirects HTTP to HTTPS");
            line += QLatin1Char(')');
        }
        lines.append(line);
    }
    return lines;
}

QString selectorScope(const QJsonObject &spec, const QString &nameSpace)
{
    const QJsonObject labels =
        spec.value(QStringLiteral("selector")).toObject().value(QStringLiteral("matchLabels")).toObject();
    if (!labels.isEmpty())
        return QStringLiteral("workloads with %1 in %2").arg(labelsText(labels), nameSpace);
    if (nameSpace == QLatin1String("istio-system"))
        return QStringLiteral("the whole mesh (no selector in the root namespace istio-system)");
    return QStringLiteral("every workload in namespace ") + nameSpace;
}

QStringList summarizePeerAuthentication(const QJsonObject &spec, const QString &nameSpace)
{
    const QString mode = spec.value(QStringLiteral("mtls")).toObject().value(QStringLiteral("mode")).toString();
    QString meaning;
    if (mode == QLatin1String("STRICT"))
        meaning = QStringLiteral(" — only mutual-TLS traffic from sidecars is accepted");
    else if (mode == QLatin1String("PERMISSIVE"))
        meaning = QStringLiteral(" — mutual TLS and plain text are both accepted");
    else if (mode == QLatin1String("DISABLE"))
        meaning = QStringLiteral(" — plain text only");
    QStringList lines{
        QStringLiteral("mTLS mode: %1%2").arg(mode.isEmpty() ? QStringLiteral("inherited (UNSET)") : mode, meaning),
        QStringLiteral("Applies to ") + selectorScope(spec, nameSpace)};
    const QJsonObject ports = spec.value(QStringLiteral("portLevelMtls")).toObject();
    for (auto it = ports.begin(); it != ports.end(); ++it)
        lines.append(QStringLiteral("Port %1: %2")
                         .arg(it.key(), it.value().toObject().value(QStringLiteral("mode")).toString()));
    return lines;
}

QStringList summarizeAuthorizationPolicy(const QJsonObject &spec, const QString &nameSpace)
{
    const QString action = spec.value(QStringLiteral("action")).toString(QStringLiteral("ALLOW"));
    QStringList lines{QStringLiteral("Action: ") + action,
                      QStringLiteral("Applies to ") + selectorScope(spec, nameSpace)};
    const QJsonArray rules = spec.value(QStringLiteral("rules")).toArray();
    if (!spec.contains(QStringLiteral("rules")) && action == QLatin1String("ALLOW")) {
        lines.append(QStringLiteral("No rules: denies every request to these workloads"));
        return lines;
    }
    int index = 0;
    for (const QJsonValue &value : rules) {
        const QJsonObject rule = value.toObject();
        QStringList parts;
        for (const QJsonValue &from : rule.value(QStringLiteral("from")).toArray()) {
            const QJsonObject source = from.toObject().value(QStringLiteral("source")).toObject();
            for (auto it = source.begin(); it != source.end(); ++it)
                parts.append(
                    QStringLiteral("from %1 %2").arg(it.key(), strings(it.value()).join(QStringLiteral(", "))));
        }
        for (const QJsonValue &to : rule.value(QStringLiteral("to")).toArray()) {
            const QJsonObject operation = to.toObject().value(QStringLiteral("operation")).toObject();
            for (auto it = operation.begin(); it != operation.end(); ++it)
                parts.append(QStringLiteral("%1 %2").arg(it.key(), strings(it.value()).join(QStringLiteral(", "))));
        }
        for (const QJsonValue &when : rule.value(QStringLiteral("when")).toArray()) {
            const QJsonObject condition = when.toObject();
            parts.append(QStringLiteral("when %1 in %2")
                             .arg(condition.value(QStringLiteral("key")).toString(),
                                  strings(condition.value(QStringLiteral("values"))).join(QStringLiteral(", "))));
        }
        lines.append(
            QStringLiteral("Rule %1: %2")
                .arg(++index)
                .arg(parts.isEmpty() ? QStringLiteral("matches every request") : parts.join(QStringLiteral("; "))));
    }
    return lines;
}

QStringList summarizeServiceEntry(const QJsonObject &spec)
{
    QStringList ports;
    for (const QJsonValue &value : spec.value(QStringLiteral("ports")).toArray())
        ports.append(QStringLiteral("%1 %2")
                         .arg(value.toObject().value(QStringLiteral("protocol")).toString())
                         .arg(value.toObject().value(QStringLiteral("number")).toInt()));
    return {QStringLiteral("Hosts: ") + strings(spec.value(QStringLiteral("hosts"))).join(QStringLiteral(", ")),
            QStringLiteral("Location: %1, resolution %2, ports %3")
                .arg(spec.value(QStringLiteral("location")).toString(QStringLiteral("MESH_EXTERNAL")),
                     spec.value(QStringLiteral("resolution")).toString(QStringLiteral("NONE")),
                     ports.join(QStringLiteral(", ")))};
}

YAML::Node toYamlNode(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Object: {
        YAML::Node node(YAML::NodeType::Map);
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it)
            node[it.key().toStdString()] = toYamlNode(it.value());
        return node;
    }
    case QJsonValue::Array: {
        YAML::Node node(YAML::NodeType::Sequence);
        for (const QJsonValue &item : value.toArray())
            node.push_back(toYamlNode(item));
        return node;
    }
    case QJsonValue::Bool:
        return YAML::Node(value.toBool());
    case QJsonValue::Double: {
        const double number = value.toDouble();
        if (number == double(qint64(number)))
            return YAML::Node(qint64(number));
        return YAML::Node(number);
    }
    case QJsonValue::String:
        return YAML::Node(value.toString().toStdString());
    default:
        return YAML::Node(YAML::NodeType::Null);
    }
}

} // namespace

int IstioConfigSet::add(const QList<QJsonObject> &objects)
{
    int added = 0;
    for (const QJsonObject &object : objects) {
        const QString kind = object.value(QStringLiteral("kind")).toString();
        QList<QJsonObject> *target = kind == QLatin1String("VirtualService")        ? &virtualServices
                                     : kind == QLatin1String("DestinationRule")     ? &destinationRules
                                     : kind == QLatin1String("Gateway")             ? &gateways
                                     : kind == QLatin1String("PeerAuthentication")  ? &peerAuthentications
                                     : kind == QLatin1String("AuthorizationPolicy") ? &authorizationPolicies
                                     : kind == QLatin1String("ServiceEntry")        ? &serviceEntries
                                     : kind == QLatin1String("Service")             ? &services
                                                                                    : nullptr;
        if (target) {
            target->append(object);
            ++added;
        }
    }
    return added;
}

QString resolveHost(const QString &host, const QString &nameSpace)
{
    if (host.startsWith(QLatin1Char('*')) || host.endsWith(QLatin1String(".cluster.local")))
        return host;
    const int dots = int(host.count(QLatin1Char('.')));
    if (dots == 0)
        return QStringLiteral("%1.%2.svc.cluster.local").arg(host, nameSpace);
    if (dots == 1)
        return host + QStringLiteral(".svc.cluster.local");
    if (host.endsWith(QLatin1String(".svc")))
        return host + QStringLiteral(".cluster.local");
    return host;
}

ConfigSummary summarize(const QJsonObject &object)
{
    ConfigSummary summary;
    summary.kind = object.value(QStringLiteral("kind")).toString();
    summary.nameSpace = namespaceOf(object);
    summary.name = nameOf(object);
    const QJsonObject spec = specOf(object);
    if (summary.kind == QLatin1String("VirtualService"))
        summary.lines = summarizeVirtualService(spec);
    else if (summary.kind == QLatin1String("DestinationRule"))
        summary.lines = summarizeDestinationRule(spec);
    else if (summary.kind == QLatin1String("Gateway"))
        summary.lines = summarizeGateway(spec);
    else if (summary.kind == QLatin1String("PeerAuthentication"))
        summary.lines = summarizePeerAuthentication(spec, summary.nameSpace);
    else if (summary.kind == QLatin1String("AuthorizationPolicy"))
        summary.lines = summarizeAuthorizationPolicy(spec, summary.nameSpace);
    else if (summary.kind == QLatin1String("ServiceEntry"))
        summary.lines = summarizeServiceEntry(spec);
    else
        summary.lines.append(QStringLiteral("%1 (no summary for this kind)").arg(summary.kind));
    return summary;
}

QList<ConfigWarning> checkIstioConfig(const IstioConfigSet &set)
{
    QList<ConfigWarning> warnings;
    QSet<QString> serviceHosts;
    for (const QJsonObject &service : set.services)
        serviceHosts.insert(QStringLiteral("%1.%2.svc.cluster.local").arg(nameOf(service), namespaceOf(service)));
    QSet<QString> entryHosts;
    for (const QJsonObject &entry : set.serviceEntries)
        for (const QString &host : strings(specOf(entry).value(QStringLiteral("hosts"))))
            entryHosts.insert(resolveHost(host, namespaceOf(entry)));
    auto hostExists = [&](const QString &fqdn) {
        return fqdn.startsWith(QLatin1Char('*')) || serviceHosts.contains(fqdn) || entryHosts.contains(fqdn);
    };
    // DestinationRules by resolved host.
    QMultiHash<QString, QJsonObject> rulesByHost;
    for (const QJsonObject &rule : set.destinationRules) {
        const QString host = specOf(rule).value(QStringLiteral("host")).toString();
        const QString fqdn = resolveHost(host, namespaceOf(rule));
        rulesByHost.insert(fqdn, rule);
        if (set.servicesKnown && !hostExists(fqdn))
            warnings.append({QStringLiteral("DestinationRule"), namespaceOf(rule), nameOf(rule),
                             QStringLiteral("Host %1 has no Service (%2) and no ServiceEntry.").arg(host, fqdn)});
    }
    QSet<QString> gatewayNames;
    for (const QJsonObject &gateway : set.gateways)
        gatewayNames.insert(namespaceOf(gateway) + QLatin1Char('/') + nameOf(gateway));

    for (const QJsonObject &vs : set.virtualServices) {
        const QString ns = namespaceOf(vs);
        const QString name = nameOf(vs);
        auto warn = [&](const QString &message) {
            warnings.append({QStringLiteral("VirtualService"), ns, name, message});
        };
        const QJsonObject spec = specOf(vs);
        const QStringList gateways = strings(spec.value(QStringLiteral("gateways")));
        bool meshBound = gateways.isEmpty();
        for (const QString &gateway : gateways) {
            if (gateway == QLatin1String("mesh")) {
                meshBound = true;
                continue;
            }
            const QString qualified = gateway.contains(QLatin1Char('/')) ? gateway : ns + QLatin1Char('/') + gateway;
            if (!gatewayNames.contains(qualified))
                warn(QStringLiteral("Gateway %1 does not exist.").arg(qualified));
        }
        // Hosts of a VirtualService bound to a gateway are outside names (bookinfo.example.com); only mesh-bound
        // hosts must be Services.
        QSet<QString> reported; // one warning per host or subset, not one per route that names it
        if (set.servicesKnown && meshBound)
            for (const QString &host : strings(spec.value(QStringLiteral("hosts")))) {
                const QString fqdn = resolveHost(host, ns);
                if (!hostExists(fqdn)) {
                    reported.insert(QStringLiteral("host:") + fqdn);
                    warn(QStringLiteral("Host %1 has no Service (%2) and no ServiceEntry.").arg(host, fqdn));
                }
            }

        for (const QString &protocol : {QStringLiteral("http"), QStringLiteral("tcp"), QStringLiteral("tls")}) {
            int routeIndex = 0;
            for (const QJsonValue &routeValue : spec.value(protocol).toArray()) {
                ++routeIndex;
                const QJsonArray route = routeValue.toObject().value(QStringLiteral("route")).toArray();
                int weights = 0;
                bool weighted = false;
                for (const QJsonValue &entryValue : route) {
                    const QJsonObject entry = entryValue.toObject();
                    if (entry.contains(QStringLiteral("weight"))) {
                        weighted = true;
                        weights += entry.value(QStringLiteral("weight")).toInt();
                    }
                    const QJsonObject destination = entry.value(QStringLiteral("destination")).toObject();
                    const QString host = destination.value(QStringLiteral("host")).toString();
                    const QString fqdn = resolveHost(host, ns);
                    if (set.servicesKnown && !hostExists(fqdn) && !reported.contains(QStringLiteral("host:") + fqdn)) {
                        reported.insert(QStringLiteral("host:") + fqdn);
                        warn(QStringLiteral("Routes to host %1, which has no Service (%2) and no ServiceEntry.")
                                 .arg(host, fqdn));
                    }
                    const QString subset = destination.value(QStringLiteral("subset")).toString();
                    if (subset.isEmpty() || reported.contains(fqdn + QLatin1Char('#') + subset))
                        continue;
                    const QList<QJsonObject> rules = rulesByHost.values(fqdn);
                    if (rules.isEmpty()) {
                        reported.insert(fqdn + QLatin1Char('#') + subset);
                        warn(QStringLiteral("Routes to subset %1 of %2, but no DestinationRule for %2 defines subsets.")
                                 .arg(subset, host));
                        continue;
                    }
                    QStringList known;
                    for (const QJsonObject &rule : rules)
                        for (const QJsonValue &s : specOf(rule).value(QStringLiteral("subsets")).toArray())
                            known.append(s.toObject().value(QStringLiteral("name")).toString());
                    if (!known.contains(subset)) {
                        reported.insert(fqdn + QLatin1Char('#') + subset);
                        warn(QStringLiteral("Routes to subset %1 of %2, but DestinationRule %3 has no such subset (it "
                                            "has: %4).")
                                 .arg(subset, host, nameOf(rules.first()),
                                      known.isEmpty() ? QStringLiteral("none") : known.join(QStringLiteral(", "))));
                    }
                }
                if (weighted && route.size() > 1 && weights != 100)
                    warn(QStringLiteral("%1 route %2: weights add up to %3, not 100.")
                             .arg(protocol.toUpper())
                             .arg(routeIndex)
                             .arg(weights));
            }
        }
    }
    return warnings;
}

QString toYaml(const QJsonObject &object)
{
    YAML::Emitter out;
    out << toYamlNode(object);
    return QString::fromStdString(out.c_str());
}

} // namespace orchestra::metrics
