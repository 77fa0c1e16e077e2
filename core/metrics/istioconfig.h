#pragma once

// Readable summaries of Istio networking/security objects and simple cross-object checks, from the objects' JSON
// as the API server returns them. Headless; the Istio configuration view renders the result.

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace orchestra::metrics {

/// A problem found in the configuration, named by the object it is on.
struct ConfigWarning final
{
    QString kind;
    QString nameSpace;
    QString name;
    QString message;
};

/// One object's summary: a few lines a learner can read instead of the YAML.
struct ConfigSummary final
{
    QString kind;
    QString nameSpace;
    QString name;
    QStringList lines;
};

/// Everything the checks need: the Istio objects and the cluster's Services (to see whether hosts exist).
struct IstioConfigSet final
{
    QList<QJsonObject> virtualServices;
    QList<QJsonObject> destinationRules;
    QList<QJsonObject> gateways;
    QList<QJsonObject> peerAuthentications;
    QList<QJsonObject> authorizationPolicies;
    QList<QJsonObject> serviceEntries;
    QList<QJsonObject> services; ///< core/v1 Services
    bool servicesKnown = true;   ///< false when Services could not be listed: skip the "no Service" check

    /// Sorts objects into the lists by kind (VirtualService, DestinationRule, ..., Service); returns how many fit.
    int add(const QList<QJsonObject> &objects);
};

/// "reviews" in namespace bookinfo -> "reviews.bookinfo.svc.cluster.local"; FQDNs and wildcards unchanged.
QString resolveHost(const QString &host, const QString &nameSpace);

/// The summary of any supported object (VirtualService, DestinationRule, Gateway, PeerAuthentication,
/// AuthorizationPolicy, ServiceEntry); other kinds get one line naming the kind.
ConfigSummary summarize(const QJsonObject &object);

/// Cross-object checks: subsets referenced by a VirtualService but missing from the DestinationRule, hosts with no
/// Service (nor ServiceEntry), Gateways referenced but missing, route weights that do not add up to 100.
QList<ConfigWarning> checkIstioConfig(const IstioConfigSet &set);

/// The object as YAML (block style), to show next to its summary.
QString toYaml(const QJsonObject &object);

} // namespace orchestra::metrics
