#include "kubeconfig/restconfig.h"

#include <QSslConfiguration>
#include <QSslSocket>

namespace orchestra::kubeconfig {

QUrl RestConfig::url(const QString &pathAndQuery) const
{
    QUrl result = server;
    const qsizetype question = pathAndQuery.indexOf(QLatin1Char('?'));
    QString path = question < 0 ? pathAndQuery : pathAndQuery.left(question);
    // Rancher and other proxies serve the API below a prefix (/k8s/clusters/c-xxx); keep it.
    QString prefix = server.path();
    while (prefix.endsWith(QLatin1Char('/')))
        prefix.chop(1);
    if (!path.startsWith(QLatin1Char('/')))
        path.prepend(QLatin1Char('/'));
    result.setPath(prefix + path);
    if (question >= 0)
        result.setQuery(pathAndQuery.mid(question + 1));
    else
        result.setQuery(QString());
    result.setFragment(QString());
    return result;
}

QNetworkRequest RestConfig::request(const QString &pathAndQuery) const
{
    QNetworkRequest request(url(pathAndQuery));
    QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
    if (insecureSkipTlsVerify) {
        ssl.setPeerVerifyMode(QSslSocket::VerifyNone);
    } else if (!caCertificates.isEmpty()) {
        // kubectl trusts only the kubeconfig's CA for this cluster, not the system store.
        ssl.setCaCertificates(caCertificates);
    }
    if (credentials) {
        const QSslCertificate certificate = credentials->clientCertificate();
        const QSslKey key = credentials->clientKey();
        if (!certificate.isNull() && !key.isNull()) {
            ssl.setLocalCertificate(certificate);
            ssl.setPrivateKey(key);
        }
    }
    request.setSslConfiguration(ssl);
    if (!tlsServerName.isEmpty())
        request.setPeerVerifyName(tlsServerName);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    return request;
}

} // namespace orchestra::kubeconfig
