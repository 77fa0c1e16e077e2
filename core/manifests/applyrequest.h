#pragma once

#include "common/result.h"
#include "manifests/kinds.h"
#include "manifests/manifest.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace orchestra::manifests {

/// The field manager Orchestra applies as (what `kubectl get -o yaml` shows in managedFields).
inline constexpr char fieldManager[] = "orchestra";

/// Options of one server-side apply.
struct ApplyOptions final
{
    bool dryRun = false; ///< dryRun=All: the server computes the result and stores nothing
    bool force = false;  ///< force=true: take ownership of conflicting fields
};

/// One server-side apply PATCH, ready to send: path + query relative to the server URL, content type, body.
struct ApplyRequest final
{
    QString method = QStringLiteral("PATCH");
    QString path;       ///< "/apis/apps/v1/namespaces/web/deployments/api?fieldManager=orchestra&dryRun=All"
    QString objectPath; ///< the same without the query: GET it for the live object
    QByteArray contentType = QByteArrayLiteral("application/apply-patch+yaml");
    QByteArray body; ///< the document as JSON (JSON is YAML) with the namespace filled in
    KindInfo kind;
    QString nameSpace; ///< empty for cluster-scoped kinds
    QString name;
    int document = -1; ///< index into the parsed file
};

/// The namespace an object goes to: its own, else the editor's, else the context's, else "default".
/// Empty for cluster-scoped kinds.
QString effectiveNamespace(const ManifestDocument &document, const KindInfo &kind, const QString &editorNamespace,
                           const QString &contextNamespace);

/// "/api/v1/namespaces/NS/configmaps/NAME", "/apis/GROUP/VERSION/..." (no namespace segment when cluster-scoped).
QString objectPath(const KindInfo &kind, const QString &nameSpace, const QString &name);

/// Builds the SSA request for one document. Fails (naming the object) when the document has no name, or names
/// a namespace that differs from the one requested for a cluster-scoped kind.
Result<ApplyRequest> buildApplyRequest(const ManifestDocument &document, const KindInfo &kind,
                                       const QString &editorNamespace, const QString &contextNamespace,
                                       const ApplyOptions &options = {});

/// Dependency rank of a kind: Namespaces and CRDs first, then what others refer to (ServiceAccounts, RBAC,
/// config, storage), then workloads, then routing; unknown kinds (custom resources) last.
int applyRank(const QString &kind);

/// Indexes of `documents` in apply order: by applyRank, stable within a rank (file order).
QList<int> applyOrder(const QList<ManifestDocument> &documents);

} // namespace orchestra::manifests
