// The editor's dry run, apply, conflict dialog and force, and the stale-object check, against the test API server.

#include "editor/conflictdialog.h"
#include "editor/diffview.h"
#include "editor/editorarea.h"
#include "editor/editortab.h"
#include "editor/manifesteditor.h"
#include "kube/apiclient.h"
#include "kube/resourceregistry.h"
#include "kubeconfig/kubeconfig.h"

#include "apiserver.h"
#include "testmain.h"

#include <QJsonDocument>
#include <QLabel>
#include <QPushButton>
#include <QTreeWidget>

using namespace orchestra;
using ui::EditorTab;

class TestEditorApply : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    testing::ApiServer m_server;
    std::unique_ptr<kube::ApiClient> m_client;
    std::unique_ptr<kube::ResourceRegistry> m_registry;
    std::unique_ptr<ui::EditorArea> m_area;
    int m_confirmations = 0;

    static QString configMap(const QString &level)
    {
        return QStringLiteral("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: lab\n"
                              "data:\n  level: %1\n")
            .arg(level);
    }

    static QStringList results(EditorTab *tab)
    {
        QStringList out;
        for (int i = 0; i < tab->resultsView()->topLevelItemCount(); ++i)
            out.append(tab->resultsView()->topLevelItem(i)->text(0) + QStringLiteral(": ") +
                       tab->resultsView()->topLevelItem(i)->text(1));
        return out;
    }

    bool runAndWait(EditorTab *tab, bool dryRun)
    {
        QSignalSpy finished(tab, &EditorTab::runFinished);
        if (!(dryRun ? tab->dryRun() : tab->apply()))
            return false;
        return finished.wait(30000);
    }

private slots:
    void initTestCase()
    {
        qRegisterMetaType<QList<manifests::ObjectOutcome>>();
        QVERIFY2(m_server.start(), qPrintable(m_server.lastError()));
        const QString path = m_dir.filePath(QStringLiteral("config"));
        QVERIFY(m_server.writeKubeconfig(path));
        kubeconfig::LoadOptions options;
        options.explicitFile = path;
        const auto config = kubeconfig::Kubeconfig::load(options);
        QVERIFY(config.ok());
        auto rest = kubeconfig::restConfig(config.value());
        QVERIFY(rest.ok());
        m_client = std::make_unique<kube::ApiClient>(rest.value());
        m_registry = std::make_unique<kube::ResourceRegistry>(m_client.get());
        QSignalSpy refreshed(m_registry.get(), &kube::ResourceRegistry::refreshed);
        m_registry->refresh();
        QVERIFY(refreshed.wait(30000));
        m_area = std::make_unique<ui::EditorArea>(m_dir.filePath(QStringLiteral("recovery")));
        m_area->tabCreated = [this](EditorTab *tab) {
            tab->confirmApply = [this](const QString &, const QString &) {
                ++m_confirmations;
                return true;
            };
        };
        m_area->setCluster(
            m_client.get(), m_registry.get(),
            {m_client->config().contextName, m_client->config().server.toString(), QStringLiteral("default")});
        m_area->resize(1200, 800);
        m_area->show();
    }

    void applyBar_namesContextServerAndNamespace()
    {
        EditorTab *tab = m_area->newFile(configMap(QStringLiteral("basic")));
        QVERIFY(
            tab->findChild<QLabel *>(QStringLiteral("applyContext"))->text().contains(m_client->config().contextName));
        QCOMPARE(tab->findChild<QLabel *>(QStringLiteral("applyServer"))->text(), m_client->config().server.toString());
        QVERIFY(tab->findChild<QPushButton *>(QStringLiteral("applyButton"))->isEnabled());
        QCOMPARE(tab->targetNamespace(), QStringLiteral("default"));
        // Connected: an unknown kind is an error now, not a warning.
        tab->setText(QStringLiteral("apiVersion: example.com/v1\nkind: Gadget\nmetadata:\n  name: g\n"));
        QCOMPARE(tab->problems().size(), 1);
        QCOMPARE(tab->problems().first().severity, manifests::Problem::Severity::Error);
        m_area->askSaveChanges = [](EditorTab *) { return QMessageBox::Discard; };
        QVERIFY(m_area->closeTab(tab));
    }

    void dryRunThenApply_confirmsOncePerContext()
    {
        EditorTab *tab =
            m_area->newFile(QStringLiteral("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: lab\n---\n") +
                            configMap(QStringLiteral("basic")));
        QVERIFY(runAndWait(tab, true));
        QCOMPARE(results(tab), (QStringList{QStringLiteral("Namespace lab: will be created"),
                                            QStringLiteral("ConfigMap settings: will be created")}));
        QVERIFY(tab->diffView()->title().contains(QStringLiteral("will be created")));
        QCOMPARE(m_confirmations, 0); // a dry run changes nothing: no question

        QVERIFY(runAndWait(tab, false));
        QCOMPARE(m_confirmations, 1);
        QCOMPARE(results(tab), (QStringList{QStringLiteral("Namespace lab: created"),
                                            QStringLiteral("ConfigMap settings: created")}));
        QVERIFY(runAndWait(tab, false));
        QCOMPARE(m_confirmations, 1); // once per context per run
        QCOMPARE(results(tab), (QStringList{QStringLiteral("Namespace lab: unchanged"),
                                            QStringLiteral("ConfigMap settings: unchanged")}));

        tab->setText(QStringLiteral("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: lab\n---\n") +
                     configMap(QStringLiteral("advanced")));
        QVERIFY(runAndWait(tab, true));
        QCOMPARE(results(tab).at(1), QStringLiteral("ConfigMap settings: will be configured"));
        tab->resultsView()->setCurrentItem(tab->resultsView()->topLevelItem(1));
        QVERIFY2(tab->diffView()->unifiedText().contains(QStringLiteral("-  level: basic\n+  level: advanced")),
                 qPrintable(tab->diffView()->unifiedText()));
        tab->resultsView()->setCurrentItem(tab->resultsView()->topLevelItem(0));
        QVERIFY(tab->diffView()->title().contains(QStringLiteral("no changes")));
    }

    void conflict_showsDialog_andForceAppliesTheFields()
    {
        kube::Request other;
        other.verb = "PATCH";
        other.path = QStringLiteral("/api/v1/namespaces/lab/configmaps/settings?fieldManager=other-tool&force=true");
        other.contentType = "application/apply-patch+yaml";
        other.body = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"settings\",\"namespace\":"
                     "\"lab\"},\"data\":{\"level\":\"expert\"}}";
        std::optional<kube::Response> response;
        m_client->send(other, this, [&](const kube::Response &r) { response = r; });
        QTRY_VERIFY_WITH_TIMEOUT(response.has_value(), 30000);
        QVERIFY(response->ok());

        EditorTab *tab = m_area->newFile(configMap(QStringLiteral("basic")));
        QSignalSpy finished(tab, &EditorTab::runFinished);

        // A dry run shows the same conflict; forcing it there only previews the result.
        QVERIFY(tab->dryRun());
        QVERIFY(finished.wait(30000));
        QCOMPARE(results(tab), QStringList{QStringLiteral("ConfigMap settings: conflict")});
        ui::ConflictDialog *preview = nullptr;
        QTRY_VERIFY((preview = tab->findChild<ui::ConflictDialog *>()) != nullptr);
        preview->findChild<QPushButton *>(QStringLiteral("forceButton"))->click();
        QVERIFY(finished.wait(30000));
        QCOMPARE(results(tab), QStringList{QStringLiteral("ConfigMap settings: will be configured")});
        QTRY_VERIFY(tab->findChild<ui::ConflictDialog *>() == nullptr);
        QCOMPARE(m_server
                     .get(QString(), QStringLiteral("v1"), QStringLiteral("configmaps"), QStringLiteral("lab"),
                          QStringLiteral("settings"))
                     .value(QStringLiteral("data"))
                     .toObject()
                     .value(QStringLiteral("level"))
                     .toString(),
                 QStringLiteral("expert"));
        finished.clear();

        QVERIFY(tab->apply());
        QVERIFY(finished.wait(30000));
        QCOMPARE(results(tab), QStringList{QStringLiteral("ConfigMap settings: conflict")});
        // The conflicting field is flagged on its line.
        bool flagged = false;
        for (const manifests::Problem &p : tab->editor()->problems())
            flagged = flagged || (p.line == 7 && p.message.contains(QStringLiteral("conflict with")));
        QVERIFY(flagged);

        ui::ConflictDialog *dialog = nullptr;
        QTRY_VERIFY((dialog = tab->findChild<ui::ConflictDialog *>()) != nullptr);
        auto *list = dialog->findChild<QTreeWidget *>(QStringLiteral("conflictList"));
        QCOMPARE(list->topLevelItemCount(), 1);
        QCOMPARE(list->topLevelItem(0)->text(1), QStringLiteral(".data.level"));
        QCOMPARE(list->topLevelItem(0)->text(2), QStringLiteral("other-tool"));
        QCOMPARE(list->topLevelItem(0)->text(3), QStringLiteral("7"));
        dialog->findChild<QPushButton *>(QStringLiteral("forceButton"))->click();
        QVERIFY(finished.wait(30000));
        QCOMPARE(results(tab), QStringList{QStringLiteral("ConfigMap settings: configured")});
        const QJsonObject live = m_server.get(QString(), QStringLiteral("v1"), QStringLiteral("configmaps"),
                                              QStringLiteral("lab"), QStringLiteral("settings"));
        QCOMPARE(live.value(QStringLiteral("data")).toObject().value(QStringLiteral("level")).toString(),
                 QStringLiteral("basic"));
    }

    void editLiveObject_detectsANewerVersionBeforeApply()
    {
        const QJsonObject live = m_server.get(QString(), QStringLiteral("v1"), QStringLiteral("configmaps"),
                                              QStringLiteral("lab"), QStringLiteral("settings"));
        QVERIFY(!live.isEmpty());
        QJsonObject full = live;
        full.insert(QStringLiteral("apiVersion"), QStringLiteral("v1"));
        full.insert(QStringLiteral("kind"), QStringLiteral("ConfigMap"));
        EditorTab *tab = m_area->openLiveObject(full);
        QVERIFY(!tab->text().contains(QStringLiteral("managedFields")));
        tab->setText(tab->text().replace(QStringLiteral("level: basic"), QStringLiteral("level: mine")), true);

        m_server.modify(QString(), QStringLiteral("v1"), QStringLiteral("configmaps"), QStringLiteral("lab"),
                        QStringLiteral("settings"),
                        QJsonObject{{QStringLiteral("metadata"),
                                     QJsonObject{{QStringLiteral("labels"),
                                                  QJsonObject{{QStringLiteral("changed"), QStringLiteral("yes")}}}}}});
        int asked = 0;
        tab->confirmOverwriteNewer = [&asked](const QString &message) {
            ++asked;
            return !message.isEmpty() && false;
        };
        QVERIFY(runAndWait(tab, false));
        QCOMPARE(asked, 1);
        QCOMPARE(results(tab), QStringList{QStringLiteral("ConfigMap settings: changed on the server")});
        QVERIFY(tab->diffView()->unifiedText().contains(QStringLiteral("changed: \"yes\"")));

        tab->confirmOverwriteNewer = [&asked](const QString &) {
            ++asked;
            return true;
        };
        QSignalSpy finished(tab, &EditorTab::runFinished);
        QVERIFY(tab->apply());
        QVERIFY(finished.wait(30000));
        QTRY_COMPARE(finished.size(), 2); // the stale answer, then the apply over it
        QCOMPARE(results(tab), QStringList{QStringLiteral("ConfigMap settings: configured")});
        const QJsonObject after = m_server.get(QString(), QStringLiteral("v1"), QStringLiteral("configmaps"),
                                               QStringLiteral("lab"), QStringLiteral("settings"));
        QCOMPARE(after.value(QStringLiteral("data")).toObject().value(QStringLiteral("level")).toString(),
                 QStringLiteral("mine"));
        // The tab now follows the version it applied.
        QCOMPARE(
            tab->boundObject().value(QStringLiteral("resourceVersion")).toString(),
            after.value(QStringLiteral("metadata")).toObject().value(QStringLiteral("resourceVersion")).toString());
    }

    void lessonApply_opensTabAndDryRunsFirst()
    {
        QSignalSpy status(m_area.get(), &ui::EditorArea::statusMessage);
        EditorTab *tab = m_area->openManifest(configMap(QStringLiteral("lesson")), QStringLiteral("Lesson 4"), true);
        QVERIFY(tab->isBusy());
        QSignalSpy finished(tab, &EditorTab::runFinished);
        QVERIFY(finished.wait(30000));
        QVERIFY(finished.first().at(0).toBool()); // a dry run
        QCOMPARE(results(tab), QStringList{QStringLiteral("ConfigMap settings: will be configured")});
    }

    void cleanupTestCase() { m_area.reset(); }
};

ORCHESTRA_TEST_MAIN(TestEditorApply)
#include "tst_editor_apply.moc"
