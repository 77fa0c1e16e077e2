#pragma once

#include "kube/resourcekind.h"
#include "watch/informer.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <memory>

namespace orchestra::kube {
class ApiClient;
class ResourceRegistry;
} // namespace orchestra::kube

namespace orchestra::watch {

/// Hands out one shared, started Informer per (kind, namespace scope, format). Every view that needs a kind holds
/// the shared_ptr; when the last holder lets go the informer stops and its watch closes.
class InformerFactory final : public QObject
{
    Q_OBJECT
public:
    explicit InformerFactory(kube::ApiClient *client, QObject *parent = nullptr);
    ~InformerFactory() override;

    /// The informer for `kind` in `ns` ("" = all namespaces), started on first use. The format is Objects for kinds
    /// with a native renderer and Table for the rest unless given. A `fieldSelector` makes an informer of its own
    /// that lists and watches only the matching objects (e.g. the Events of one object).
    std::shared_ptr<Informer> informer(const kube::ResourceKind &kind, const QString &ns = {});
    std::shared_ptr<Informer> informer(const kube::ResourceKind &kind, const QString &ns, Informer::Format format,
                                       const QString &fieldSelector = {});
    /// How many informers are alive (shared by at least one holder).
    int activeCount() const;

    /// Keeps `registry` current: watches CustomResourceDefinitions and refreshes discovery when they change.
    void keepFresh(kube::ResourceRegistry *registry);

    /// Applied to every informer created afterwards (tests and the benchmark shorten them).
    void setInformerTuning(std::function<void(Informer *)> tuning) { m_tuning = std::move(tuning); }

signals:
    void informerCreated(orchestra::watch::Informer *informer);

private:
    static QString key(const kube::ResourceKind &kind, const QString &ns, Informer::Format format,
                       const QString &fieldSelector);

    QPointer<kube::ApiClient> m_client;
    QHash<QString, std::weak_ptr<Informer>> m_informers;
    std::function<void(Informer *)> m_tuning;
    std::shared_ptr<Informer> m_crdInformer;
    QTimer m_discoveryDebounce;
};

} // namespace orchestra::watch
