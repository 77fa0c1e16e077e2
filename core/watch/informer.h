#pragma once

#include "common/result.h"
#include "kube/apiclient.h"
#include "kube/resourcekind.h"
#include "watch/objectstore.h"
#include "watch/streamparser.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

namespace orchestra::watch {

/// Keeps an ObjectStore in sync with one (kind, namespace scope) like client-go's reflector: paged list, then a
/// watch from the list's resourceVersion with bookmarks, re-watch from the last seen resourceVersion, relist on
/// 410, exponential backoff with jitter, and an inactivity timeout for dead connections. List pages are parsed on a
/// worker thread.
class Informer final : public QObject
{
    Q_OBJECT
public:
    /// Objects = full objects for kinds rendered natively; Table = the server's Table rows (`as=Table`).
    enum class Format { Objects, Table };
    enum class Phase { Stopped, Listing, Watching, Waiting };
    Q_ENUM(Phase)

    /// `ns` empty = all namespaces (or a cluster-scoped kind).
    Informer(kube::ApiClient *client, kube::ResourceKind kind, QString ns, Format format, QObject *parent = nullptr);
    ~Informer() override;

    void start();
    void stop();

    ObjectStore *store() { return &m_store; }
    const kube::ResourceKind &kind() const { return m_kind; }
    QString ns() const { return m_namespace; }
    Format format() const { return m_format; }
    Phase phase() const { return m_phase; }
    /// True once the first list completed.
    bool hasSynced() const { return m_synced; }
    /// The last error (list or watch), cleared by the next successful list.
    std::optional<Error> lastError() const { return m_lastError; }
    /// How many full lists ran (the first one included).
    int listCount() const { return m_listCount; }
    /// How many watches were opened.
    int watchCount() const { return m_watchCount; }
    /// The current retry backoff before jitter (0 = none yet, or reset after a healthy stretch).
    int backoffMs() const { return m_backoffMs; }

    /// Lists and watches only the objects matching `selector` (a fieldSelector, e.g. "involvedObject.uid=..."); set
    /// it before start().
    void setFieldSelector(const QString &selector) { m_fieldSelector = selector; }
    QString fieldSelector() const { return m_fieldSelector; }

    // Tunables (client-go defaults); tests shorten them.
    void setPageSize(int limit) { m_pageSize = limit; }
    /// Exponential backoff from initialMs doubling to maxMs; a watch that stayed open for resetAfterHealthyMs starts
    /// the next backoff from initialMs again.
    void setBackoff(int initialMs, int maxMs, int resetAfterHealthyMs = 120000);
    void setInactivityTimeout(int ms) { m_inactivityMs = ms; }
    /// Watch timeoutSeconds is drawn from [min, max] (default 300-600 s).
    void setWatchTimeoutRange(int minSeconds, int maxSeconds);

signals:
    /// The store holds a complete list (emitted after every list, first and relists).
    void synced();
    void phaseChanged(orchestra::watch::Informer::Phase phase);
    void errorOccurred(const orchestra::Error &error);

private:
    struct Page;
    void setPhase(Phase phase);
    void list();
    void requestPage(const QString &continueToken, bool paged);
    void onPageBody(const kube::Response &response, bool paged, int generation);
    void onPageParsed(Page page, int generation);
    void finishList();
    void watchFrom(const QString &resourceVersion);
    void onWatchData(const QByteArray &bytes);
    void onWatchFinished(const kube::Response &response);
    void onInactive();
    void retryLater(bool relist, int minimumMs = 0);
    void fail(const Error &error);
    QString basePath() const;
    QByteArray accept() const;

    QPointer<kube::ApiClient> m_client;
    kube::ResourceKind m_kind;
    QString m_namespace;
    Format m_format;
    QString m_fieldSelector;
    ObjectStore m_store;
    Phase m_phase = Phase::Stopped;
    int m_generation = 0;

    // list state
    QList<ObjectPtr> m_listed;
    QString m_listResourceVersion;
    QJsonArray m_listColumns;
    int m_parsesPending = 0;
    bool m_lastPageReceived = false;
    bool m_nextPageRequested = false;

    // watch state
    kube::StreamReply *m_watch = nullptr;
    WatchStreamParser m_parser;
    QTimer m_inactivity;
    QTimer m_retry;
    QElapsedTimer m_watchOpened;
    QElapsedTimer m_healthySince;
    int m_watchEvents = 0;
    bool m_relistRequested = false;

    int m_pageSize = 500;
    int m_backoffInitialMs = 800;
    int m_backoffMaxMs = 30000;
    int m_backoffMs = 0;
    int m_backoffResetMs = 120000;
    int m_inactivityMs = 90000;
    int m_watchTimeoutMin = 300;
    int m_watchTimeoutMax = 600;
    bool m_synced = false;
    int m_listCount = 0;
    int m_watchCount = 0;
    std::optional<Error> m_lastError;
};

} // namespace orchestra::watch
