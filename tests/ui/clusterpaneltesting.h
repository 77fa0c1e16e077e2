#pragma once

// Helpers shared by the cluster panel tests that run against the in-process test API server.

#include "apiserver.h"
#include "cluster/clusterpanel.h"
#include "cluster/resourcenavigator.h"
#include "cluster/resourcetable.h"
#include "kubeconfig/kubeconfig.h"
#include "models/resourcefilterproxy.h"
#include "models/resourcetablemodel.h"
#include "models/roles.h"
#include "watch/informer.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

namespace orchestra::test {

constexpr int kPanelTimeoutMs = 15000;

/// Call in init(): the test fails if the table hands the proxy an index of a model it no longer shows (the
/// "index from wrong model passed to mapFromSource" warning a stale selection used to print on kind switches).
inline void failOnStaleModelIndex()
{
    QTest::failOnWarning(QRegularExpression(QStringLiteral("index from wrong model")));
}

inline QJsonObject podObject(const QString &name, const QJsonObject &labels = {},
                             const QString &ns = QStringLiteral("default"))
{
    return QJsonObject{
        {QStringLiteral("apiVersion"), QStringLiteral("v1")},
        {QStringLiteral("kind"), QStringLiteral("Pod")},
        {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), name},
                                                 {QStringLiteral("namespace"), ns},
                                                 {QStringLiteral("labels"), labels}}},
        {QStringLiteral("spec"),
         QJsonObject{{QStringLiteral("nodeName"), QStringLiteral("node-1")},
                     {QStringLiteral("containers"),
                      QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("app")},
                                             {QStringLiteral("image"), QStringLiteral("nginx:1.25")}}}}}},
        {QStringLiteral("status"), QJsonObject{{QStringLiteral("phase"), QStringLiteral("Running")}}}};
}

/// The RestConfig of a kubeconfig the server writes for `user` into `dir`.
inline kubeconfig::RestConfig restConfigFor(testing::ApiServer &server, const QTemporaryDir &dir, const QString &user)
{
    const QString path = dir.filePath(QStringLiteral("config-%1-%2").arg(server.port()).arg(user));
    if (!server.writeKubeconfig(path, user))
        qFatal("cannot write kubeconfig");
    kubeconfig::LoadOptions options;
    options.explicitFile = path;
    const Result<kubeconfig::Kubeconfig> config = kubeconfig::Kubeconfig::load(options);
    if (!config.ok())
        qFatal("%s", qPrintable(config.error().toString()));
    const Result<kubeconfig::RestConfig> rest = kubeconfig::restConfig(config.value());
    if (!rest.ok())
        qFatal("%s", qPrintable(rest.error().toString()));
    return rest.value();
}

/// A shown panel connected to `server` as `user` in `ns`.
inline std::unique_ptr<ui::ClusterPanel> openPanel(testing::ApiServer &server, const QTemporaryDir &dir,
                                                   const QString &user = QStringLiteral("admin"),
                                                   const QString &ns = QStringLiteral("default"))
{
    auto panel = std::make_unique<ui::ClusterPanel>();
    panel->setInformerTuning([](watch::Informer *informer) { informer->setBackoff(50, 500); });
    panel->resize(1200, 800);
    panel->show();
    panel->openRestConfig(restConfigFor(server, dir, user), ns);
    return panel;
}

/// Waits until the panel shows `kindKey` and its informer synced.
inline bool waitForKind(ui::ClusterPanel *panel, const QString &kindKey)
{
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < kPanelTimeoutMs) {
        if (panel->navigator()->currentKindKey() == kindKey && panel->table()->informer() &&
            panel->table()->informer()->hasSynced()) {
            panel->table()->model()->flush();
            return true;
        }
        QTest::qWait(10);
    }
    return false;
}

inline bool tableHasName(ui::ResourceTable *table, const QString &name)
{
    for (int row = 0; row < table->proxy()->rowCount(); ++row) {
        if (table->proxy()->index(row, 0).data(models::NameRole).toString() == name)
            return true;
    }
    return false;
}

} // namespace orchestra::test
