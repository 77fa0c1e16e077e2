#include "watch/informer.h"

#include <QFutureWatcher>
#include <QJsonDocument>
#include <QPromise>
#include <QRandomGenerator>
#include <QThreadPool>
#include <QUrlQuery>

namespace orchestra::watch {

struct Informer::Page
{
    QList<ObjectPtr> objects;
    QString resourceVersion;
    QString continueToken;
    QJsonArray columns;
    QString error;
    bool peeked = false; // the next page was already requested from a quick look at the metadata
};

namespace {

struct ListMetadata
{
    QString resourceVersion;
    QString continueToken;
};

ListMetadata metadataOf(const QJsonObject &root)
{
    const QJsonObject metadata = root.value(QLatin1String("metadata")).toObject();
    return ListMetadata{metadata.value(QLatin1String("resourceVersion")).toString(),
                        metadata.value(QLatin1String("continue")).toString()};
}

// Reads the list's metadata without parsing the items, so the next page can be requested while this one is parsed.
// kube-apiserver writes metadata before items; encoders that sort keys write it last.
std::optional<ListMetadata> peekListMetadata(const QByteArray &body)
{
    const qsizetype items = body.indexOf("\"items\"");
    if (items > 0) {
        const QByteArray prefix = body.left(items);
        if (prefix.contains("\"metadata\"")) {
            const QJsonDocument document = QJsonDocument::fromJson(prefix + "\"items\":[]}");
            if (document.isObject())
                return metadataOf(document.object());
        }
    }
    const qsizetype last = body.lastIndexOf("\"metadata\"");
    if (last > items && items > 0) {
        const QJsonDocument document = QJsonDocument::fromJson("{" + body.mid(last));
        if (document.isObject() && document.object().size() == 1)
            return metadataOf(document.object());
    }
    return std::nullopt;
}

} // namespace

Informer::Informer(kube::ApiClient *client, kube::ResourceKind kind, QString ns, Format format, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_kind(std::move(kind))
    , m_namespace(m_kind.namespaced ? std::move(ns) : QString())
    , m_format(format)
{
    m_inactivity.setSingleShot(true);
    connect(&m_inactivity, &QTimer::timeout, this, &Informer::onInactive);
    m_retry.setSingleShot(true);
}

Informer::~Informer()
{
    stop();
}

void Informer::setBackoff(int initialMs, int maxMs, int resetAfterHealthyMs)
{
    m_backoffInitialMs = initialMs;
    m_backoffMaxMs = maxMs;
    m_backoffResetMs = resetAfterHealthyMs;
}

void Informer::setWatchTimeoutRange(int minSeconds, int maxSeconds)
{
    m_watchTimeoutMin = minSeconds;
    m_watchTimeoutMax = std::max(minSeconds, maxSeconds);
}

void Informer::setPhase(Phase phase)
{
    if (m_phase == phase)
        return;
    m_phase = phase;
    emit phaseChanged(phase);
}

void Informer::start()
{
    if (m_phase != Phase::Stopped)
        return;
    list();
}

void Informer::stop()
{
    ++m_generation;
    m_retry.stop();
    m_inactivity.stop();
    if (m_watch) {
        m_watch->abort();
        m_watch->deleteLater();
        m_watch = nullptr;
    }
    m_listed.clear();
    setPhase(Phase::Stopped);
}

QString Informer::basePath() const
{
    return m_kind.path(m_namespace);
}

QByteArray Informer::accept() const
{
    return m_format == Format::Table ? QByteArray(kube::tableAcceptHeader) : QByteArray("application/json");
}

void Informer::list()
{
    ++m_generation;
    m_retry.stop();
    m_listed.clear();
    m_listColumns = QJsonArray();
    m_listResourceVersion.clear();
    m_parsesPending = 0;
    m_lastPageReceived = false;
    ++m_listCount;
    setPhase(Phase::Listing);
    requestPage(QString(), true);
}

void Informer::requestPage(const QString &continueToken, bool paged)
{
    if (!m_client)
        return;
    QUrlQuery query;
    if (paged)
        query.addQueryItem(QStringLiteral("limit"), QString::number(m_pageSize));
    if (!continueToken.isEmpty())
        query.addQueryItem(QStringLiteral("continue"), continueToken);
    if (!m_fieldSelector.isEmpty())
        query.addQueryItem(QStringLiteral("fieldSelector"), m_fieldSelector);
    if (m_format == Format::Table)
        query.addQueryItem(QStringLiteral("includeObject"), QStringLiteral("Metadata"));
    kube::Request request;
    const QString queryText = query.toString(QUrl::FullyEncoded);
    request.path = basePath() + (queryText.isEmpty() ? QString() : QLatin1Char('?') + queryText);
    request.accept = accept();
    request.timeoutMs = 60000;
    const int generation = m_generation;
    const bool continued = !continueToken.isEmpty();
    m_client->send(request, this, [this, generation, paged, continued](const kube::Response &response) {
        if (generation != m_generation)
            return;
        if (!response.ok() && continued && response.status->isExpired()) {
            // The continue token expired mid-list (etcd compacted): like client-go's pager, fall back to one full
            // unpaged list so a big, busy collection still completes.
            ++m_generation;
            m_listed.clear();
            m_parsesPending = 0;
            m_lastPageReceived = false;
            requestPage(QString(), false);
            return;
        }
        onPageBody(response, paged, generation);
    });
}

void Informer::onPageBody(const kube::Response &response, bool paged, int generation)
{
    Q_UNUSED(paged);
    if (!response.ok()) {
        fail(response.error(basePath()));
        retryLater(true, response.status->retryAfterSeconds * 1000);
        return;
    }
    const std::optional<ListMetadata> peeked = peekListMetadata(response.body);
    if (peeked) {
        if (peeked->continueToken.isEmpty())
            m_lastPageReceived = true;
        else
            requestPage(peeked->continueToken, true);
    }
    ++m_parsesPending;
    auto promise = std::make_shared<QPromise<Page>>();
    promise->start();
    auto *watcher = new QFutureWatcher<Page>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        if (watcher->future().resultCount() > 0)
            onPageParsed(watcher->future().result(), generation);
    });
    watcher->setFuture(promise->future());
    const bool table = m_format == Format::Table;
    const bool wasPeeked = peeked.has_value();
    QThreadPool::globalInstance()->start([promise, body = response.body, table, wasPeeked] {
        Page page;
        page.peeked = wasPeeked;
        QJsonParseError parseError;
        const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
        if (parseError.error != QJsonParseError::NoError) {
            page.error = parseError.errorString();
        } else {
            const QJsonObject root = document.object();
            const ListMetadata metadata = metadataOf(root);
            page.resourceVersion = metadata.resourceVersion;
            page.continueToken = metadata.continueToken;
            if (table) {
                page.columns = root.value(QLatin1String("columnDefinitions")).toArray();
                page.objects = objectsFromTable(root);
            } else {
                const QJsonArray items = root.value(QLatin1String("items")).toArray();
                page.objects.reserve(items.size());
                // Lists omit each item's kind; put it back so per-kind handling (Secrets) works.
                const QString itemKind = root.value(QLatin1String("kind")).toString().chopped(4);
                for (const QJsonValue &item : items) {
                    QJsonObject object = item.toObject();
                    if (!object.contains(QLatin1String("kind")) && !itemKind.isEmpty())
                        object.insert(QLatin1String("kind"), itemKind);
                    page.objects.append(makeObject(std::move(object)));
                }
            }
        }
        promise->addResult(std::move(page));
        promise->finish();
    });
}

void Informer::onPageParsed(Page page, int generation)
{
    if (generation != m_generation)
        return;
    --m_parsesPending;
    if (!page.error.isEmpty()) {
        fail(Error{
            QStringLiteral("The list of %1 could not be read: %2").arg(m_kind.plural, page.error), {}, basePath(), 0});
        retryLater(true);
        return;
    }
    m_listed += page.objects;
    if (!page.resourceVersion.isEmpty())
        m_listResourceVersion = page.resourceVersion;
    if (!page.columns.isEmpty())
        m_listColumns = page.columns;
    if (!page.peeked) {
        // Only an empty continue ends a list; pages may be short or even empty.
        if (page.continueToken.isEmpty())
            m_lastPageReceived = true;
        else
            requestPage(page.continueToken, true);
    }
    if (m_lastPageReceived && m_parsesPending == 0)
        finishList();
}

void Informer::finishList()
{
    if (m_format == Format::Table)
        m_store.setTableColumns(m_listColumns);
    m_store.replace(m_listed, m_listResourceVersion);
    m_listed.clear();
    m_lastError.reset();
    m_synced = true;
    emit synced();
    watchFrom(m_store.resourceVersion());
}

void Informer::watchFrom(const QString &resourceVersion)
{
    if (!m_client)
        return;
    if (m_watch) {
        m_watch->abort();
        m_watch->deleteLater();
        m_watch = nullptr;
    }
    ++m_generation;
    m_parser.reset();
    m_watchEvents = 0;
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("watch"), QStringLiteral("1"));
    query.addQueryItem(QStringLiteral("allowWatchBookmarks"), QStringLiteral("true"));
    if (!resourceVersion.isEmpty())
        query.addQueryItem(QStringLiteral("resourceVersion"), resourceVersion);
    // A random timeout spreads the reconnects of many clients (client-go: 5-10 minutes).
    const int timeout = int(QRandomGenerator::global()->bounded(m_watchTimeoutMin, m_watchTimeoutMax + 1));
    query.addQueryItem(QStringLiteral("timeoutSeconds"), QString::number(timeout));
    if (!m_fieldSelector.isEmpty())
        query.addQueryItem(QStringLiteral("fieldSelector"), m_fieldSelector);
    if (m_format == Format::Table)
        query.addQueryItem(QStringLiteral("includeObject"), QStringLiteral("Metadata"));
    kube::Request request;
    request.path = basePath() + QLatin1Char('?') + query.toString(QUrl::FullyEncoded);
    request.accept = accept();
    request.timeoutMs = 0;
    ++m_watchCount;
    m_watch = m_client->openStream(request);
    m_watch->setParent(this);
    m_watchOpened.start();
    setPhase(Phase::Watching);
    connect(m_watch, &kube::StreamReply::opened, this, [this] {
        if (!m_healthySince.isValid())
            m_healthySince.start();
    });
    connect(m_watch, &kube::StreamReply::dataReceived, this, &Informer::onWatchData);
    connect(m_watch, &kube::StreamReply::finished, this, &Informer::onWatchFinished);
    if (m_inactivityMs > 0)
        m_inactivity.start(m_inactivityMs);
}

void Informer::onWatchData(const QByteArray &bytes)
{
    if (m_inactivityMs > 0)
        m_inactivity.start(m_inactivityMs);
    m_parser.feed(bytes);
    QList<WatchEvent> events = m_parser.takeEvents();
    for (qsizetype i = 0; i < events.size(); ++i) {
        if (events.at(i).type != WatchEvent::Type::Error)
            continue;
        const WatchEvent error = events.at(i);
        events.resize(i);
        m_store.apply(events);
        const int code = error.errorCode();
        const QString message = error.object.value(QLatin1String("message")).toString();
        if (code == 410 || error.object.value(QLatin1String("reason")).toString() == QLatin1String("Expired")) {
            // "too old resource version": the only way back is a fresh list.
            m_inactivity.stop();
            if (m_watch) {
                m_watch->abort();
                m_watch->deleteLater();
                m_watch = nullptr;
            }
            list();
            return;
        }
        fail(Error{QStringLiteral("The watch of %1 failed: %2").arg(m_kind.plural, message), {}, basePath(), code});
        m_inactivity.stop();
        if (m_watch) {
            m_watch->abort();
            m_watch->deleteLater();
            m_watch = nullptr;
        }
        retryLater(true);
        return;
    }
    m_watchEvents += int(events.size());
    m_store.apply(events);
    if (!m_parser.error().isEmpty()) {
        fail(Error{QStringLiteral("The watch of %1 sent data that is not a watch event (%2).")
                       .arg(m_kind.plural, m_parser.error()),
                   {},
                   basePath(),
                   0});
        m_inactivity.stop();
        if (m_watch) {
            m_watch->abort();
            m_watch->deleteLater();
            m_watch = nullptr;
        }
        retryLater(false);
    }
}

void Informer::onWatchFinished(const kube::Response &response)
{
    m_inactivity.stop();
    if (m_watch) {
        m_watch->deleteLater();
        m_watch = nullptr;
    }
    if (response.ok()) {
        // The server ended the watch (timeoutSeconds, restart, load balancer). Continue from the last seen
        // resourceVersion; a watch that ends at once without events is treated as a failure so we never spin.
        if (m_watchEvents == 0 && m_watchOpened.elapsed() < 1000)
            retryLater(false);
        else
            watchFrom(m_store.resourceVersion());
        return;
    }
    if (response.status->isExpired()) {
        list();
        return;
    }
    fail(response.error(basePath()));
    retryLater(false, response.status->retryAfterSeconds * 1000);
}

void Informer::onInactive()
{
    // Nothing at all (not even a bookmark) for too long: the connection is probably dead behind a proxy.
    if (m_watch) {
        m_watch->abort();
        m_watch->deleteLater();
        m_watch = nullptr;
    }
    fail(Error{QStringLiteral("The watch of %1 went silent; reconnecting.").arg(m_kind.plural), {}, basePath(), 0});
    watchFrom(m_store.resourceVersion());
}

void Informer::retryLater(bool relist, int minimumMs)
{
    ++m_generation;
    if (m_healthySince.isValid() && m_healthySince.elapsed() >= m_backoffResetMs)
        m_backoffMs = 0; // healthy long enough (two minutes by default): start again from the shortest delay
    m_healthySince.invalidate();
    m_backoffMs = m_backoffMs == 0 ? m_backoffInitialMs : std::min(m_backoffMs * 2, m_backoffMaxMs);
    // Jitter so that many clients cut off together do not come back together.
    const int jitter = int(QRandomGenerator::global()->bounded(m_backoffMs / 2 + 1));
    const int delay = std::max(std::min(m_backoffMs + jitter, m_backoffMaxMs), minimumMs);
    setPhase(Phase::Waiting);
    m_retry.disconnect(this);
    if (relist || !m_synced || m_store.resourceVersion().isEmpty())
        connect(&m_retry, &QTimer::timeout, this, &Informer::list);
    else
        connect(&m_retry, &QTimer::timeout, this, [this] { watchFrom(m_store.resourceVersion()); });
    m_retry.start(delay);
}

void Informer::fail(const Error &error)
{
    m_lastError = error;
    emit errorOccurred(error);
}

} // namespace orchestra::watch
