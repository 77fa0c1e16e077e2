#include "meshmodel.h"

#include <QFile>

#include <cmath>
#include <limits>

namespace orchestra::testing {

namespace {

QString number(double value)
{
    return QString::number(value, 'g', 15);
}

LatencyProfile profile(const QMap<double, double> &sharesByBucket, double meanMs)
{
    LatencyProfile result;
    result.meanMs = meanMs;
    for (double bound : istioBuckets())
        result.shares.append(sharesByBucket.value(bound, 0.0));
    return result;
}

MeshEdge edge(const QString &src, const QString &srcNs, const QString &srcApp, const QString &srcVersion,
              const QString &dst, const QString &dstNs, const QString &service, const QString &dstVersion,
              QMap<QString, double> codes, LatencyProfile before, LatencyProfile after)
{
    MeshEdge e;
    e.sourceWorkload = src;
    e.sourceNamespace = srcNs;
    e.sourceApp = srcApp;
    e.sourceVersion = srcVersion;
    e.destinationWorkload = dst;
    e.destinationNamespace = dstNs;
    e.destinationService = service;
    e.destinationApp = service;
    e.destinationVersion = dstVersion;
    e.codeRates = std::move(codes);
    e.before = std::move(before);
    e.after = std::move(after);
    return e;
}

QString labelText(const QList<QPair<QString, QString>> &labels)
{
    QStringList parts;
    for (const auto &label : labels)
        parts.append(QStringLiteral("%1=\"%2\"").arg(label.first, label.second));
    return parts.join(QLatin1Char(','));
}

QList<QPair<QString, QString>> edgeLabels(const MeshEdge &e, const QString &reporter)
{
    return {
        {QStringLiteral("reporter"), reporter},
        {QStringLiteral("source_workload"), e.sourceWorkload},
        {QStringLiteral("source_workload_namespace"), e.sourceNamespace},
        {QStringLiteral("source_canonical_service"), e.sourceApp},
        {QStringLiteral("source_version"), e.sourceVersion},
        {QStringLiteral("destination_workload"), e.destinationWorkload},
        {QStringLiteral("destination_workload_namespace"), e.destinationNamespace},
        {QStringLiteral("destination_service"),
         e.destinationService + QLatin1Char('.') + e.destinationNamespace + QStringLiteral(".svc.cluster.local")},
        {QStringLiteral("destination_service_name"), e.destinationService},
        {QStringLiteral("destination_service_namespace"), e.destinationNamespace},
        {QStringLiteral("destination_canonical_service"), e.destinationApp},
        {QStringLiteral("destination_version"), e.destinationVersion},
        {QStringLiteral("request_protocol"), e.tcp ? QStringLiteral("tcp") : QStringLiteral("http")},
        {QStringLiteral("connection_security_policy"),
         reporter == QLatin1String("destination") ? QStringLiteral("mutual_tls") : QStringLiteral("unknown")},
    };
}

} // namespace

const QList<double> &istioBuckets()
{
    static const QList<double> buckets{0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000};
    return buckets;
}

double MeshEdge::totalRate() const
{
    double total = 0;
    for (double rate : codeRates)
        total += rate;
    return total;
}

MeshModel MeshModel::bookinfo(qint64 endUnixSecs, qint64 durationSecs, const QString &ns)
{
    MeshModel model;
    model.scrapeSecs = 15;
    model.endSecs = endUnixSecs - endUnixSecs % model.scrapeSecs;
    model.startSecs = model.endSecs - durationSecs;
    model.changeSecs = model.startSecs + durationSecs / 2;

    const LatencyProfile fast = profile({{5, 0.2}, {10, 0.4}, {25, 0.3}, {50, 0.1}}, 11.5);
    const LatencyProfile medium = profile({{10, 0.1}, {25, 0.3}, {50, 0.4}, {100, 0.2}}, 42.0);
    const LatencyProfile slow = profile({{100, 0.1}, {250, 0.5}, {500, 0.3}, {1000, 0.1}}, 260.0);
    const QString istio = QStringLiteral("istio-system");
    const QString ingress = QStringLiteral("istio-ingressgateway");
    const QString productpage = QStringLiteral("productpage-v1");

    model.edges = {
        // 1.5 % of the front door fails: degraded.
        edge(ingress, istio, ingress, QStringLiteral("unknown"), productpage, ns, QStringLiteral("productpage"),
             QStringLiteral("v1"), {{QStringLiteral("200"), 9.85}, {QStringLiteral("503"), 0.15}}, medium, medium),
        edge(productpage, ns, QStringLiteral("productpage"), QStringLiteral("v1"), QStringLiteral("details-v1"), ns,
             QStringLiteral("details"), QStringLiteral("v1"), {{QStringLiteral("200"), 9.9}}, fast, fast),
        edge(productpage, ns, QStringLiteral("productpage"), QStringLiteral("v1"), QStringLiteral("reviews-v1"), ns,
             QStringLiteral("reviews"), QStringLiteral("v1"),
             {{QStringLiteral("200"), 2.2}, {QStringLiteral("404"), 0.3}}, fast, fast),
        // v2 fails a fifth of its requests: failing.
        edge(productpage, ns, QStringLiteral("productpage"), QStringLiteral("v1"), QStringLiteral("reviews-v2"), ns,
             QStringLiteral("reviews"), QStringLiteral("v2"),
             {{QStringLiteral("200"), 2.4}, {QStringLiteral("500"), 0.6}}, medium, medium),
        // v3 gets slow halfway (the "latency change").
        edge(productpage, ns, QStringLiteral("productpage"), QStringLiteral("v1"), QStringLiteral("reviews-v3"), ns,
             QStringLiteral("reviews"), QStringLiteral("v3"), {{QStringLiteral("200"), 3.9}}, medium, slow),
        edge(QStringLiteral("reviews-v2"), ns, QStringLiteral("reviews"), QStringLiteral("v2"),
             QStringLiteral("ratings-v1"), ns, QStringLiteral("ratings"), QStringLiteral("v1"),
             {{QStringLiteral("200"), 2.4}}, fast, fast),
        edge(QStringLiteral("reviews-v3"), ns, QStringLiteral("reviews"), QStringLiteral("v3"),
             QStringLiteral("ratings-v1"), ns, QStringLiteral("ratings"), QStringLiteral("v1"),
             {{QStringLiteral("200"), 3.8}, {QStringLiteral("0"), 0.1}}, fast, fast),
    };
    MeshEdge mongo =
        edge(QStringLiteral("ratings-v1"), ns, QStringLiteral("ratings"), QStringLiteral("v1"),
             QStringLiteral("mongodb-v1"), ns, QStringLiteral("mongodb"), QStringLiteral("v1"), {}, {}, {});
    mongo.tcp = true;
    mongo.tcpSentBytes = 2048;
    mongo.tcpReceivedBytes = 512;
    model.edges.append(mongo);
    return model;
}

QByteArray MeshModel::openMetrics() const
{
    QByteArray out;
    out.reserve(64 << 20);
    const QStringList reporters{QStringLiteral("destination"), QStringLiteral("source")};
    // Counters start from an hour's worth so that rate() near the first sample is not clipped at zero.
    auto elapsed = [this](qint64 t) { return double(t - startSecs) + 3600.0; };

    out += "# TYPE istio_requests counter\n";
    for (const MeshEdge &e : edges) {
        if (e.tcp)
            continue;
        for (const QString &reporter : reporters)
            for (auto code = e.codeRates.begin(); code != e.codeRates.end(); ++code) {
                auto labels = edgeLabels(e, reporter);
                labels.append({QStringLiteral("response_code"), code.key()});
                labels.append({QStringLiteral("response_flags"),
                               code.key() == QLatin1String("0") ? QStringLiteral("UF") : QStringLiteral("-")});
                const QByteArray prefix = "istio_requests_total{" + labelText(labels).toUtf8() + "} ";
                for (qint64 t = startSecs; t <= endSecs; t += scrapeSecs)
                    out += prefix + number(code.value() * elapsed(t)).toUtf8() + ' ' + QByteArray::number(t) + '\n';
            }
    }

    out += "# TYPE istio_request_duration_milliseconds histogram\n";
    const qint64 mid = midpointSecs();
    for (const MeshEdge &e : edges) {
        if (e.tcp)
            continue;
        for (const QString &reporter : reporters)
            for (auto code = e.codeRates.begin(); code != e.codeRates.end(); ++code) {
                auto labels = edgeLabels(e, reporter);
                labels.append({QStringLiteral("response_code"), code.key()});
                const QString common = labelText(labels);
                for (qint64 t = startSecs; t <= endSecs; t += scrapeSecs) {
                    // Requests so far, split into the part before and after the midpoint.
                    const double beforeCount = code.value() * (elapsed(std::min(t, mid)));
                    const double afterCount = t > mid ? code.value() * double(t - mid) : 0.0;
                    const QByteArray ts = QByteArray::number(t);
                    double cumBefore = 0, cumAfter = 0;
                    for (int i = 0; i < istioBuckets().size(); ++i) {
                        cumBefore += e.before.shares.value(i);
                        cumAfter += e.after.shares.value(i);
                        out += "istio_request_duration_milliseconds_bucket{" + common.toUtf8() + ",le=\"" +
                               number(istioBuckets().at(i)).toUtf8() + "\"} " +
                               number(cumBefore * beforeCount + cumAfter * afterCount).toUtf8() + ' ' + ts + '\n';
                    }
                    const double total = beforeCount + afterCount;
                    out += "istio_request_duration_milliseconds_bucket{" + common.toUtf8() + ",le=\"+Inf\"} " +
                           number(total).toUtf8() + ' ' + ts + '\n';
                    out += "istio_request_duration_milliseconds_count{" + common.toUtf8() + "} " +
                           number(total).toUtf8() + ' ' + ts + '\n';
                    out += "istio_request_duration_milliseconds_sum{" + common.toUtf8() + "} " +
                           number(e.before.meanMs * beforeCount + e.after.meanMs * afterCount).toUtf8() + ' ' + ts +
                           '\n';
                }
            }
    }

    for (const bool sent : {true, false}) {
        const QByteArray family = sent ? "istio_tcp_sent_bytes" : "istio_tcp_received_bytes";
        out += "# TYPE " + family + " counter\n";
        for (const MeshEdge &e : edges) {
            if (!e.tcp)
                continue;
            for (const QString &reporter : reporters) {
                const QByteArray prefix = family + "_total{" + labelText(edgeLabels(e, reporter)).toUtf8() + "} ";
                const double rate = sent ? e.tcpSentBytes : e.tcpReceivedBytes;
                for (qint64 t = startSecs; t <= endSecs; t += scrapeSecs)
                    out += prefix + number(rate * elapsed(t)).toUtf8() + ' ' + QByteArray::number(t) + '\n';
            }
        }
    }
    out += "# EOF\n";
    return out;
}

bool MeshModel::writeOpenMetrics(const QString &path) const
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    const QByteArray text = openMetrics();
    return file.write(text) == text.size() && file.flush();
}

QMap<QString, double> MeshModel::requestRate(const std::function<bool(const MeshEdge &)> &filter,
                                             const std::function<QString(const MeshEdge &)> &group) const
{
    QMap<QString, double> rates;
    for (const MeshEdge &e : edges)
        if (!e.tcp && filter(e))
            rates[group ? group(e) : QString()] += e.totalRate();
    return rates;
}

QMap<QString, double> MeshModel::errorShare(const std::function<bool(const MeshEdge &)> &filter,
                                            const std::function<QString(const MeshEdge &)> &group,
                                            const std::function<bool(const QString &)> &isError) const
{
    QMap<QString, double> errors;
    const QMap<QString, double> totals = requestRate(filter, group);
    for (const MeshEdge &e : edges) {
        if (e.tcp || !filter(e))
            continue;
        double &value = errors[group ? group(e) : QString()];
        for (auto code = e.codeRates.begin(); code != e.codeRates.end(); ++code)
            if (isError(code.key()))
                value += code.value();
    }
    for (auto it = errors.begin(); it != errors.end(); ++it)
        it.value() /= totals.value(it.key());
    return errors;
}

double MeshModel::latencyQuantile(double q, qint64 atSecs, const std::function<bool(const MeshEdge &)> &filter) const
{
    QList<QPair<double, double>> cumulative;
    for (double bound : istioBuckets())
        cumulative.append({bound, 0.0});
    cumulative.append({std::numeric_limits<double>::infinity(), 0.0});
    for (const MeshEdge &e : edges) {
        if (e.tcp || !filter(e))
            continue;
        const LatencyProfile &profile = atSecs > midpointSecs() ? e.after : e.before;
        double cum = 0;
        for (int i = 0; i < istioBuckets().size(); ++i) {
            cum += profile.shares.value(i);
            cumulative[i].second += cum * e.totalRate();
        }
        cumulative.last().second += e.totalRate();
    }
    return histogramQuantile(q, cumulative);
}

double MeshModel::latencyAverage(qint64 atSecs, const std::function<bool(const MeshEdge &)> &filter) const
{
    double sum = 0, count = 0;
    for (const MeshEdge &e : edges) {
        if (e.tcp || !filter(e))
            continue;
        const LatencyProfile &profile = atSecs > midpointSecs() ? e.after : e.before;
        sum += profile.meanMs * e.totalRate();
        count += e.totalRate();
    }
    return count > 0 ? sum / count : std::numeric_limits<double>::quiet_NaN();
}

double MeshModel::histogramQuantile(double q, const QList<QPair<double, double>> &cumulative)
{
    if (cumulative.isEmpty() || cumulative.last().second <= 0)
        return std::numeric_limits<double>::quiet_NaN();
    const double rank = q * cumulative.last().second;
    int b = 0;
    while (b < cumulative.size() - 1 && cumulative.at(b).second < rank)
        ++b;
    if (std::isinf(cumulative.at(b).first))
        return cumulative.at(b - 1).first;
    const double bucketStart = b == 0 ? 0.0 : cumulative.at(b - 1).first;
    const double below = b == 0 ? 0.0 : cumulative.at(b - 1).second;
    const double count = cumulative.at(b).second - below;
    return bucketStart + (cumulative.at(b).first - bucketStart) * ((rank - below) / count);
}

} // namespace orchestra::testing
