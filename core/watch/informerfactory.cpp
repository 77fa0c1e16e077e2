#include "watch/informerfactory.h"

#include "kube/apiclient.h"
#include "kube/resourceregistry.h"
#include "resources/renderer.h"

namespace orchestra::watch {

InformerFactory::InformerFactory(kube::ApiClient *client, QObject *parent)
    : QObject(parent)
    , m_client(client)
{
    m_discoveryDebounce.setSingleShot(true);
    m_discoveryDebounce.setInterval(1000);
}

InformerFactory::~InformerFactory()
{
    m_crdInformer.reset();
    // Holders may outlive the factory; their informers keep working on the client (if it is still alive).
}

QString InformerFactory::key(const kube::ResourceKind &kind, const QString &ns, Informer::Format format,
                             const QString &fieldSelector)
{
    QString key = kind.apiVersion() + QLatin1Char('|') + kind.plural + QLatin1Char('|') +
                  (kind.namespaced ? ns : QString()) + QLatin1Char('|') + QString::number(int(format));
    if (!fieldSelector.isEmpty())
        key += QLatin1Char('|') + fieldSelector;
    return key;
}

std::shared_ptr<Informer> InformerFactory::informer(const kube::ResourceKind &kind, const QString &ns)
{
    const bool native = resources::hasNativeRenderer(kind.group, kind.kind);
    return informer(kind, ns, native ? Informer::Format::Objects : Informer::Format::Table);
}

std::shared_ptr<Informer> InformerFactory::informer(const kube::ResourceKind &kind, const QString &ns,
                                                    Informer::Format format, const QString &fieldSelector)
{
    const QString k = key(kind, ns, format, fieldSelector);
    if (std::shared_ptr<Informer> existing = m_informers.value(k).lock())
        return existing;
    auto *raw = new Informer(m_client, kind, ns, format);
    raw->setFieldSelector(fieldSelector);
    if (m_tuning)
        m_tuning(raw);
    // The last holder stops the watch at once; deletion waits for the event loop because signals may be in flight.
    std::shared_ptr<Informer> created(raw, [](Informer *informer) {
        informer->stop();
        informer->deleteLater();
    });
    m_informers.insert(k, created);
    emit informerCreated(raw);
    raw->start();
    return created;
}

int InformerFactory::activeCount() const
{
    int count = 0;
    for (const std::weak_ptr<Informer> &informer : m_informers) {
        if (!informer.expired())
            ++count;
    }
    return count;
}

void InformerFactory::keepFresh(kube::ResourceRegistry *registry)
{
    const auto attach = [this, registry] {
        if (m_crdInformer)
            return;
        const std::optional<kube::ResourceKind> crds =
            registry->find(QStringLiteral("apiextensions.k8s.io"), QStringLiteral("CustomResourceDefinition"));
        if (!crds || !crds->supports(QStringLiteral("watch")))
            return;
        m_crdInformer = informer(*crds, QString(), Informer::Format::Table);
        // The first list only mirrors what discovery already saw; later changes mean new or removed kinds.
        connect(m_crdInformer->store(), &ObjectStore::changed, &m_discoveryDebounce, qOverload<>(&QTimer::start));
    };
    connect(&m_discoveryDebounce, &QTimer::timeout, registry, &kube::ResourceRegistry::refresh, Qt::UniqueConnection);
    connect(registry, &kube::ResourceRegistry::refreshed, this, attach);
    if (registry->isReady())
        attach();
}

} // namespace orchestra::watch
