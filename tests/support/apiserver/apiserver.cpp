#include "apiserver.h"
#include "engine.h"

#include <QFile>
#include <QJsonDocument>
#include <QThread>

namespace orchestra::testing {

template<typename F>
auto ApiServer::call(F &&f) const -> std::invoke_result_t<F>
{
    using R = std::invoke_result_t<F>;
    if (!m_thread || QThread::currentThread() == m_thread) {
        return f();
    } else if constexpr (std::is_void_v<R>) {
        QMetaObject::invokeMethod(m_engine, std::forward<F>(f), Qt::BlockingQueuedConnection);
    } else {
        R result{};
        QMetaObject::invokeMethod(
            m_engine, [&result, &f] { result = f(); }, Qt::BlockingQueuedConnection);
        return result;
    }
}

ApiServer::ApiServer(QObject *parent)
    : QObject(parent)
    , m_engine(new Engine)
{
    connect(m_engine, &Engine::requestReceived, this, &ApiServer::requestReceived);
}

ApiServer::~ApiServer()
{
    stop();
    if (m_thread) {
        QMetaObject::invokeMethod(m_engine, &QObject::deleteLater);
        m_thread->quit();
        m_thread->wait();
        delete m_thread;
    } else {
        delete m_engine;
    }
}

bool ApiServer::start(quint16 port)
{
    return call([this, port] { return m_engine->startServer(port); });
}

bool ApiServer::startInThread(quint16 port)
{
    if (!m_thread) {
        m_thread = new QThread;
        m_thread->setObjectName(QStringLiteral("orchestra-test-apiserver"));
        m_engine->moveToThread(m_thread);
        m_thread->start();
    }
    return start(port);
}

void ApiServer::setTlsDirectory(const QString &dir)
{
    call([this, dir] { m_engine->explicitTlsDir = dir; });
}

void ApiServer::stop()
{
    call([this] { m_engine->stopServer(); });
}

QUrl ApiServer::url() const
{
    return QUrl(QStringLiteral("https://127.0.0.1:%1").arg(port()));
}

quint16 ApiServer::port() const
{
    return call([this] { return m_engine->serverPort(); });
}

QByteArray ApiServer::caCertificatePem() const
{
    return call([this] { return m_engine->caPem; });
}

QString ApiServer::tlsDirectory() const
{
    return call([this] { return m_engine->tlsDir; });
}

QString ApiServer::lastError() const
{
    return call([this] { return m_engine->lastError; });
}

void ApiServer::addTokenUser(const QString &token, const QString &user, bool admin)
{
    call([=, this] { m_engine->tokens.insert(token, {user, admin}); });
}

void ApiServer::allow(const QString &user, const QString &verb, const QString &resource)
{
    call([=, this] { m_engine->permissions[user].insert(verb + QLatin1Char(' ') + resource); });
}

QPair<QByteArray, QByteArray> ApiServer::issueClientCertificate(const QString &user, const QStringList &groups)
{
    return call([=, this] { return m_engine->issueClientCert(user, groups); });
}

bool ApiServer::writeKubeconfig(const QString &path, const QString &user, const QString &nameSpace) const
{
    return call([=, this] { return m_engine->writeKubeconfig(path, user, nameSpace); });
}

QJsonObject ApiServer::create(const QJsonObject &object)
{
    return call([=, this] { return m_engine->createObject(object); });
}

int ApiServer::createFromYaml(const QByteArray &yaml)
{
    return call([=, this] { return m_engine->createFromYaml(yaml); });
}

void ApiServer::addPods(int count, const QString &nameSpace)
{
    call([=, this] { m_engine->addPods(count, nameSpace); });
}

QJsonObject ApiServer::get(const QString &group, const QString &version, const QString &resource,
                           const QString &nameSpace, const QString &name) const
{
    return call([=, this] { return m_engine->getObject(group, version, resource, nameSpace, name); });
}

bool ApiServer::remove(const QString &group, const QString &version, const QString &resource, const QString &nameSpace,
                       const QString &name)
{
    Q_UNUSED(version)
    return call([=, this] { return m_engine->removeObject(group, resource, nameSpace, name); });
}

QJsonObject ApiServer::modify(const QString &group, const QString &version, const QString &resource,
                              const QString &nameSpace, const QString &name, const QJsonObject &mergePatch)
{
    return call([=, this] { return m_engine->modifyObject(group, version, resource, nameSpace, name, mergePatch); });
}

void ApiServer::setPodPhase(const QString &nameSpace, const QString &name, const QString &phase)
{
    modify(QString(), QStringLiteral("v1"), QStringLiteral("pods"), nameSpace, name,
           QJsonObject{{QStringLiteral("status"), QJsonObject{{QStringLiteral("phase"), phase}}}});
}

int ApiServer::count(const QString &group, const QString &resource) const
{
    return call([=, this] { return m_engine->countObjects(group, resource); });
}

QString ApiServer::resourceVersion() const
{
    return call([this] { return QString::number(m_engine->currentRv()); });
}

void ApiServer::setPodLogs(const QString &nameSpace, const QString &pod, const QString &container,
                           const QStringList &lines)
{
    call([=, this] { m_engine->setLogs(nameSpace, pod, container, lines); });
}

void ApiServer::appendPodLog(const QString &nameSpace, const QString &pod, const QString &container,
                             const QString &line)
{
    call([=, this] { m_engine->appendLog(nameSpace, pod, container, line); });
}

void ApiServer::setKubeletReachable(bool reachable)
{
    call([=, this] { m_engine->kubeletReachable = reachable; });
}

void ApiServer::setServiceProxyUpstream(const QString &nameSpace, const QString &service, int port,
                                        const QUrl &upstream)
{
    call([=, this] {
        m_engine->proxyUpstreams.insert(
            nameSpace + QLatin1Char('/') + service + QLatin1Char(':') + QString::number(port), upstream);
    });
}

void ApiServer::closeWatches()
{
    call([this] { m_engine->closeAllWatches(); });
}

void ApiServer::setStallWatches(bool stall)
{
    call([=, this] { m_engine->setStall(stall); });
}

void ApiServer::restart()
{
    call([this] { m_engine->restartServer(); });
}

void ApiServer::failNext(int count, int httpStatus, int retryAfterSeconds)
{
    call([=, this] {
        m_engine->failCount = count;
        m_engine->failStatus = httpStatus;
        m_engine->failRetryAfter = retryAfterSeconds;
    });
}

void ApiServer::setResponseDelay(int ms)
{
    call([=, this] { m_engine->responseDelay = ms; });
}

void ApiServer::setBookmarkInterval(int ms)
{
    call([=, this] { m_engine->bookmarkInterval = ms; });
}

int ApiServer::openWatchCount() const
{
    return call([this] { return m_engine->watchCount(); });
}

QList<RecordedRequest> ApiServer::requests() const
{
    QMutexLocker lock(&m_engine->requestMutex);
    return m_engine->requestLog;
}

void ApiServer::clearRequests()
{
    QMutexLocker lock(&m_engine->requestMutex);
    m_engine->requestLog.clear();
}

} // namespace orchestra::testing
