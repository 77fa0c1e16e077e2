// Dry run, apply, conflicts and force through ApplySession against the test API server, or against the
// cluster of ORCHESTRA_IT_KUBECONFIG when set (in a fresh namespace orchestra-it-<random>, deleted afterwards).

#include "kube/apiclient.h"
#include "kube/resourceregistry.h"
#include "kubeconfig/kubeconfig.h"
#include "manifests/applier.h"
#include "manifests/validator.h"

#include "apiserver.h"
#include "testmain.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QSignalSpy>

using namespace orchestra;
using manifests::ObjectOutcome;
using State = manifests::ObjectOutcome::State;

class TestApplyIntegration : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    testing::ApiServer m_server;
    bool m_realCluster = false;
    QString m_namespace;
    std::unique_ptr<kube::ApiClient> m_client;
    std::unique_ptr<kube::ResourceRegistry> m_registry;
    std::unique_ptr<manifests::RegistryKindResolver> m_resolver;

    kube::Response send(const kube::Request &request)
    {
        std::optional<kube::Response> result;
        m_client->send(request, this, [&](const kube::Response &response) { result = response; });
        [&] { QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 30000); }();
        return result.value_or(kube::Response());
    }

    QList<ObjectOutcome> run(const QString &text, bool dryRun, bool force = false,
                             const QHash<int, QString> &expected = {})
    {
        const manifests::ParsedManifest parsed = manifests::parseAndValidate(text, *m_resolver);
        manifests::ApplySession session(m_client.get(), m_resolver.get());
        for (auto it = expected.cbegin(); it != expected.cend(); ++it)
            session.setExpectedResourceVersion(it.key(), it.value());
        QSignalSpy finished(&session, &manifests::ApplySession::finished);
        QSignalSpy progress(&session, &manifests::ApplySession::progress);
        if (dryRun)
            session.dryRun(parsed, {});
        else
            session.apply(parsed, {}, {}, force);
        [&] { QVERIFY(finished.wait(60000)); }();
        if (finished.isEmpty())
            return {};
        [&] { QCOMPARE(progress.size(), parsed.documents.size()); }();
        return finished.first().first().value<QList<ObjectOutcome>>();
    }

    QString configMap(const QString &name, const QString &level) const
    {
        return QStringLiteral("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: %1\n  namespace: %2\n"
                              "data:\n  level: %3\n")
            .arg(name, m_namespace, level);
    }

    QJsonObject liveConfigMap(const QString &name)
    {
        kube::Request get;
        get.path = QStringLiteral("/api/v1/namespaces/%1/configmaps/%2").arg(m_namespace, name);
        const kube::Response response = send(get);
        return response.ok() ? response.json() : QJsonObject();
    }

    static QString describe(const QList<ObjectOutcome> &outcomes)
    {
        QStringList out;
        for (const ObjectOutcome &o : outcomes)
            out.append(o.displayName + QStringLiteral(": ") + o.stateText() + QStringLiteral(" ") + o.message);
        return out.join(QLatin1Char('\n'));
    }

private slots:
    void initTestCase()
    {
        qRegisterMetaType<QList<ObjectOutcome>>();
        QString kubeconfigPath = qEnvironmentVariable("ORCHESTRA_IT_KUBECONFIG");
        m_realCluster = !kubeconfigPath.isEmpty();
        if (!m_realCluster) {
            QVERIFY2(m_server.start(), qPrintable(m_server.lastError()));
            kubeconfigPath = m_dir.filePath(QStringLiteral("config"));
            QVERIFY(m_server.writeKubeconfig(kubeconfigPath));
        }
        kubeconfig::LoadOptions options;
        options.explicitFile = kubeconfigPath;
        const auto config = kubeconfig::Kubeconfig::load(options);
        QVERIFY2(config.ok(), config.ok() ? "" : qPrintable(config.error().toString()));
        auto rest = kubeconfig::restConfig(config.value());
        QVERIFY2(rest.ok(), rest.ok() ? "" : qPrintable(rest.error().toString()));
        m_client = std::make_unique<kube::ApiClient>(rest.value());
        m_registry = std::make_unique<kube::ResourceRegistry>(m_client.get());
        QSignalSpy refreshed(m_registry.get(), &kube::ResourceRegistry::refreshed);
        m_registry->refresh();
        QVERIFY(refreshed.wait(30000));
        m_resolver = std::make_unique<manifests::RegistryKindResolver>(m_registry.get());
        QVERIFY(m_resolver->connected());
        m_namespace = QStringLiteral("orchestra-it-%1").arg(QRandomGenerator::global()->bounded(100000, 999999));
    }

    void cleanupTestCase()
    {
        if (!m_client)
            return;
        kube::Request remove;
        remove.verb = "DELETE";
        remove.path = QStringLiteral("/api/v1/namespaces/") + m_namespace;
        send(remove);
    }

    void dryRun_ofNewObjects_storesNothing_andSaysCreated()
    {
        const QString text = QStringLiteral("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n"
                                            "  namespace: %1\ndata:\n  level: basic\n"
                                            "---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: %1\n")
                                 .arg(m_namespace);
        if (!m_realCluster)
            m_server.clearRequests();
        const QList<ObjectOutcome> outcomes = run(text, true);
        QCOMPARE(outcomes.size(), 2);
        // Namespace first although it is second in the file; the ConfigMap waits for it.
        QCOMPARE(outcomes.at(0).displayName, QStringLiteral("Namespace ") + m_namespace);
        QCOMPARE(outcomes.at(0).state, State::Created);
        QCOMPARE(outcomes.at(0).stateText(), QStringLiteral("will be created"));
        QCOMPARE(outcomes.at(1).state, State::Created);
        QVERIFY2(outcomes.at(1).message.contains(QStringLiteral("after Namespace")), qPrintable(describe(outcomes)));
        QVERIFY(manifests::hasChanges(outcomes.at(1).diff));

        kube::Request get;
        get.path = QStringLiteral("/api/v1/namespaces/") + m_namespace;
        QCOMPARE(send(get).httpStatus, 404);

        if (!m_realCluster) {
            bool sawDryRunPatch = false;
            for (const testing::RecordedRequest &request : m_server.requests()) {
                if (request.method != QLatin1String("PATCH"))
                    continue;
                QCOMPARE(request.contentType, QStringLiteral("application/apply-patch+yaml"));
                QVERIFY2(request.query.contains(QStringLiteral("fieldManager=orchestra")), qPrintable(request.query));
                QVERIFY(request.query.contains(QStringLiteral("dryRun=All")));
                sawDryRunPatch = true;
            }
            QVERIFY(sawDryRunPatch);
        }
    }

    void apply_createsInOrder_thenUnchanged_thenConfiguredWithDiff()
    {
        const QString text =
            QStringLiteral("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: %1\n---\n").arg(m_namespace) +
            configMap(QStringLiteral("settings"), QStringLiteral("basic"));
        QList<ObjectOutcome> outcomes = run(text, false);
        QCOMPARE(outcomes.size(), 2);
        QVERIFY2(outcomes.at(0).state == State::Created && outcomes.at(1).state == State::Created,
                 qPrintable(describe(outcomes)));
        QCOMPARE(liveConfigMap(QStringLiteral("settings"))
                     .value(QStringLiteral("data"))
                     .toObject()
                     .value(QStringLiteral("level")),
                 QJsonValue(QStringLiteral("basic")));

        outcomes = run(configMap(QStringLiteral("settings"), QStringLiteral("basic")), true);
        QCOMPARE(outcomes.first().state, State::Unchanged);
        QCOMPARE(outcomes.first().stateText(), QStringLiteral("no changes"));
        QVERIFY(!manifests::hasChanges(outcomes.first().diff));
        outcomes = run(configMap(QStringLiteral("settings"), QStringLiteral("basic")), false);
        QCOMPARE(outcomes.first().state, State::Unchanged);

        outcomes = run(configMap(QStringLiteral("settings"), QStringLiteral("advanced")), true);
        QCOMPARE(outcomes.first().state, State::Configured);
        QStringList changed;
        for (const manifests::DiffLine &line : outcomes.first().diff) {
            if (line.kind != manifests::DiffLine::Kind::Same)
                changed.append(line.text.trimmed());
        }
        QCOMPARE(changed, (QStringList{QStringLiteral("level: basic"), QStringLiteral("level: advanced")}));
        QCOMPARE(liveConfigMap(QStringLiteral("settings"))
                     .value(QStringLiteral("data"))
                     .toObject()
                     .value(QStringLiteral("level")),
                 QJsonValue(QStringLiteral("basic"))); // dry run stored nothing

        outcomes = run(configMap(QStringLiteral("settings"), QStringLiteral("advanced")), false);
        QCOMPARE(outcomes.first().state, State::Configured);
    }

    void status_isLeftOutOfTheDiffUnlessAskedFor()
    {
        const QString text =
            QStringLiteral("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: %1\n  labels:\n    team: a\n")
                .arg(m_namespace);
        const QList<ObjectOutcome> outcomes = run(text, true);
        QCOMPARE(outcomes.first().state, State::Configured);
        auto render = [](const QList<manifests::DiffLine> &diff) {
            QStringList lines;
            for (const manifests::DiffLine &line : diff)
                lines.append(line.text);
            return lines.join(QLatin1Char('\n'));
        };
        QVERIFY(!render(outcomes.first().diff).contains(QStringLiteral("status:")));
        QVERIFY(!render(outcomes.first().diff).contains(QStringLiteral("managedFields")));
        QVERIFY(!render(outcomes.first().diff).contains(QStringLiteral("resourceVersion")));
        QVERIFY2(render(outcomes.first().diffWithStatus()).contains(QStringLiteral("phase: Active")),
                 qPrintable(render(outcomes.first().diffWithStatus())));
    }

    void conflict_listsFieldAndManager_andForceTakesOwnership()
    {
        // Another tool takes ownership of data.level with a different value.
        kube::Request other;
        other.verb = "PATCH";
        other.path =
            QStringLiteral("/api/v1/namespaces/%1/configmaps/settings?fieldManager=other-tool").arg(m_namespace);
        other.contentType = "application/apply-patch+yaml";
        other.body = QJsonDocument(QJsonObject{{QStringLiteral("apiVersion"), QStringLiteral("v1")},
                                               {QStringLiteral("kind"), QStringLiteral("ConfigMap")},
                                               {QStringLiteral("metadata"),
                                                QJsonObject{{QStringLiteral("name"), QStringLiteral("settings")},
                                                            {QStringLiteral("namespace"), m_namespace}}},
                                               {QStringLiteral("data"),
                                                QJsonObject{{QStringLiteral("level"), QStringLiteral("expert")}}}})
                         .toJson(QJsonDocument::Compact);
        const kube::Response taken = send(other);
        QVERIFY2(taken.status.has_value() || taken.ok(), "no answer");
        if (!taken.ok()) {
            // other-tool conflicts with orchestra; it forces, as a controller would.
            other.path += QStringLiteral("&force=true");
            QVERIFY2(send(other).ok(), "other-tool could not take the field");
        }

        QList<ObjectOutcome> outcomes = run(configMap(QStringLiteral("settings"), QStringLiteral("basic")), true);
        QCOMPARE(outcomes.first().state, State::Conflict);
        QCOMPARE(outcomes.first().conflicts.size(), 1);
        QCOMPARE(outcomes.first().conflicts.first().field, QStringLiteral(".data.level"));
        QCOMPARE(outcomes.first().conflicts.first().manager, QStringLiteral("other-tool"));
        QCOMPARE(outcomes.first().causes.first().position.line, 7); // "  level: basic"

        outcomes = run(configMap(QStringLiteral("settings"), QStringLiteral("basic")), false);
        QCOMPARE(outcomes.first().state, State::Conflict);
        QCOMPARE(liveConfigMap(QStringLiteral("settings"))
                     .value(QStringLiteral("data"))
                     .toObject()
                     .value(QStringLiteral("level")),
                 QJsonValue(QStringLiteral("expert")));

        outcomes = run(configMap(QStringLiteral("settings"), QStringLiteral("basic")), false, true);
        QCOMPARE(outcomes.first().state, State::Configured);
        const QJsonObject live = liveConfigMap(QStringLiteral("settings"));
        QCOMPARE(live.value(QStringLiteral("data")).toObject().value(QStringLiteral("level")),
                 QJsonValue(QStringLiteral("basic")));
        bool orchestraOwnsLevel = false;
        for (const QJsonValue &entry :
             live.value(QStringLiteral("metadata")).toObject().value(QStringLiteral("managedFields")).toArray()) {
            const QJsonObject e = entry.toObject();
            const bool ownsLevel =
                QJsonDocument(e.value(QStringLiteral("fieldsV1")).toObject()).toJson().contains("\"f:level\"");
            if (e.value(QStringLiteral("manager")).toString() == QLatin1String("orchestra"))
                orchestraOwnsLevel = ownsLevel;
            else if (e.value(QStringLiteral("manager")).toString() == QLatin1String("other-tool"))
                QVERIFY2(!ownsLevel, "force must take the field away from other-tool");
        }
        QVERIFY(orchestraOwnsLevel);
    }

    void invalidObject_failsWithCausesMappedToLines()
    {
        const QString text = QStringLiteral("apiVersion: v1\n"
                                            "kind: Pod\n"
                                            "metadata:\n"
                                            "  name: broken\n"
                                            "  namespace: %1\n"
                                            "spec:\n"
                                            "  containers:\n"
                                            "    - name: app\n")
                                 .arg(m_namespace);
        const QList<ObjectOutcome> outcomes = run(text, true);
        QCOMPARE(outcomes.first().state, State::Failed);
        QVERIFY(outcomes.first().status.has_value());
        QCOMPARE(outcomes.first().status->code, 422);
        QVERIFY(!outcomes.first().causes.isEmpty());
        bool imageMapped = false;
        for (const manifests::MappedCause &cause : outcomes.first().causes)
            imageMapped =
                imageMapped || (cause.cause.field.contains(QStringLiteral("image")) && cause.position.line == 8);
        QVERIFY2(imageMapped, qPrintable(describe(outcomes)));
    }

    void boundObject_changedOnServer_isStale()
    {
        const QJsonObject live = liveConfigMap(QStringLiteral("settings"));
        const QString version =
            live.value(QStringLiteral("metadata")).toObject().value(QStringLiteral("resourceVersion")).toString();
        QVERIFY(!version.isEmpty());
        QList<ObjectOutcome> outcomes =
            run(configMap(QStringLiteral("settings"), QStringLiteral("basic")), false, false, {{0, version}});
        QCOMPARE(outcomes.first().state, State::Unchanged);
        outcomes =
            run(configMap(QStringLiteral("settings"), QStringLiteral("new")), false, false, {{0, QStringLiteral("1")}});
        QCOMPARE(outcomes.first().state, State::Stale);
        QCOMPARE(outcomes.first().liveResourceVersion, version);
        QVERIFY(outcomes.first().message.contains(QStringLiteral("changed on the server")));
    }
};

ORCHESTRA_TEST_MAIN(TestApplyIntegration)
#include "tst_apply_integration.moc"
