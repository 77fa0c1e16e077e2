// The cluster panel's copy actions against the in-process test API server: Copy Name (Ctrl+Shift+C) and Copy
// kubectl Command (Ctrl+Shift+K) put the exact text on the clipboard for namespaced, cluster-scoped, grouped and
// custom kinds, from the slots, the shortcuts and the table's context menu; the copied command works in kubectl, also
// pasted into a shell when the context's name has spaces and quotes (such words are quoted, plain ones are not).

#include "testmain.h"

#include "clusterpaneltesting.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QFile>
#include <QMenu>
#include <QProcess>
#include <QTableView>
#include <QTimer>

using namespace orchestra;
using orchestra::test::kPanelTimeoutMs;
using orchestra::ui::ClusterPanel;

namespace {

constexpr auto kSentinel = "(clipboard before the action)";

QString clipboardText()
{
    return QGuiApplication::clipboard()->text();
}

void resetClipboard()
{
    QGuiApplication::clipboard()->setText(QLatin1String(kSentinel));
}

QAction *menuAction(ClusterPanel *panel, const QString &text)
{
    for (QAction *action : panel->menu()->actions()) {
        if (action->text() == text)
            return action;
    }
    return nullptr;
}

} // namespace

class TestClusterPanelCopy final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<testing::ApiServer> m_server;
    QTemporaryDir m_dir;

    /// Shows `kind` and selects `name` (in `ns` when given).
    static bool select(ClusterPanel *panel, const QString &kind, const QString &kindKey, const QString &name,
                       const QString &ns = {})
    {
        // A new connection opens on pods once discovery is done.
        if (panel->navigator()->currentKindKey().isEmpty() && !test::waitForKind(panel, QStringLiteral("pods")))
            return false;
        if (panel->navigator()->currentKindKey() != kindKey && !panel->showKind(kind))
            return false;
        if (!test::waitForKind(panel, kindKey))
            return false;
        QElapsedTimer timer;
        timer.start();
        while (timer.elapsed() < kPanelTimeoutMs) {
            if (panel->table()->selectName(name, ns))
                return true;
            QTest::qWait(10);
        }
        return false;
    }

    std::unique_ptr<ClusterPanel> openPanel() { return test::openPanel(*m_server, m_dir); }

    /// Runs a copied kubectl command (the admin kubeconfig as KUBECONFIG) and returns its stdout.
    QString runKubectl(const QString &command, int *exitCode, QString *err)
    {
        const QString kubeconfig = m_dir.filePath(QStringLiteral("kubectl-config"));
        if (!m_server->writeKubeconfig(kubeconfig))
            qFatal("cannot write kubeconfig");
        QStringList arguments = QProcess::splitCommand(command);
        const QString program = QStandardPaths::findExecutable(arguments.takeFirst());
        return run(program, arguments, kubeconfig, exitCode, err);
    }

    /// Runs `program` with `kubeconfig` as KUBECONFIG and returns its stdout.
    QString run(const QString &program, const QStringList &arguments, const QString &kubeconfig, int *exitCode,
                QString *err)
    {
        QProcess process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("KUBECONFIG"), kubeconfig);
        process.setProcessEnvironment(env);
        // The server runs on this thread: wait with the event loop running.
        QSignalSpy finished(&process, &QProcess::finished);
        process.start(program, arguments);
        if (!finished.wait(60000))
            qFatal("kubectl did not finish");
        *exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
        *err = QString::fromUtf8(process.readAllStandardError());
        return QString::fromUtf8(process.readAllStandardOutput());
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_server = std::make_unique<testing::ApiServer>();
        QVERIFY2(m_server->start(), qPrintable(m_server->lastError()));
        m_server->create(test::podObject(QStringLiteral("web-1"), {{QStringLiteral("app"), QStringLiteral("web")}}));
        m_server->create(test::podObject(QStringLiteral("batch-0"), {}, QStringLiteral("team-b")));
        const int created = m_server->createFromYaml(R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: app, image: nginx}]}
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {kind: Widget, plural: widgets, singular: widget, shortNames: [wd]}
  versions: [{name: v1, served: true, storage: true}]
)");
        QCOMPARE(created, 2);
        QCOMPARE(m_server->createFromYaml("apiVersion: example.com/v1\nkind: Widget\n"
                                          "metadata: {name: gizmo, namespace: default}\nspec: {size: 3}\n"),
                 1);
    }

    void init()
    {
        test::failOnStaleModelIndex();
        resetClipboard();
    }

    void nothingSelected_copiesNothing()
    {
        auto panel = openPanel();
        QVERIFY(test::waitForKind(panel.get(), QStringLiteral("pods")));
        QTRY_VERIFY_WITH_TIMEOUT(test::tableHasName(panel->table(), QStringLiteral("web-1")), kPanelTimeoutMs);
        QVERIFY(panel->table()->currentUid().isEmpty());
        QAction *copyName = menuAction(panel.get(), QStringLiteral("Copy &Name"));
        QAction *copyCommand = menuAction(panel.get(), QStringLiteral("Copy &kubectl Command"));
        QVERIFY(copyName && copyCommand);
        QVERIFY(!copyName->isEnabled());
        QVERIFY(!copyCommand->isEnabled());
        panel->copyName();
        panel->copyKubectlCommand();
        QCOMPARE(clipboardText(), QLatin1String(kSentinel));
    }

    void pod_copiesNameAndCommand()
    {
        auto panel = openPanel();
        QVERIFY(select(panel.get(), QStringLiteral("pods"), QStringLiteral("pods"), QStringLiteral("web-1")));
        QSignalSpy status(panel.get(), &ClusterPanel::statusMessage);

        panel->copyName();
        QCOMPARE(clipboardText(), QStringLiteral("web-1"));
        QCOMPARE(status.count(), 1);
        QCOMPARE(status.last().value(0).toString(), QStringLiteral("Copied web-1"));

        panel->copyKubectlCommand();
        const QString command =
            QStringLiteral("kubectl --context orchestra-test-admin -n default get pod web-1 -o yaml");
        QCOMPARE(clipboardText(), command);
        QCOMPARE(status.last().value(0).toString(), QStringLiteral("Copied: ") + command);
    }

    void otherKinds_copyTheirKubectlCommand_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("kindKey");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("command");
        // A grouped kind is named resource.group, as kubectl resolves it unambiguously.
        QTest::newRow("deployment") << "deploy"
                                    << "deployments.apps"
                                    << "web"
                                    << "kubectl --context orchestra-test-admin -n default get deployment.apps web -o "
                                       "yaml";
        QTest::newRow("custom resource")
            << "wd"
            << "widgets.example.com"
            << "gizmo"
            << "kubectl --context orchestra-test-admin -n default get widget.example.com gizmo -o yaml";
        // Cluster-scoped: no -n.
        QTest::newRow("node") << "nodes"
                              << "nodes"
                              << "node-1"
                              << "kubectl --context orchestra-test-admin get node node-1 -o yaml";
    }

    void otherKinds_copyTheirKubectlCommand()
    {
        QFETCH(QString, kind);
        QFETCH(QString, kindKey);
        QFETCH(QString, name);
        QFETCH(QString, command);
        auto panel = openPanel();
        QVERIFY(test::waitForKind(panel.get(), QStringLiteral("pods")));
        QVERIFY(select(panel.get(), kind, kindKey, name));
        panel->copyName();
        QCOMPARE(clipboardText(), name);
        panel->copyKubectlCommand();
        QCOMPARE(clipboardText(), command);
    }

    void allNamespaces_commandNamesTheRowsNamespace()
    {
        auto panel = openPanel();
        QVERIFY(test::waitForKind(panel.get(), QStringLiteral("pods")));
        panel->setNamespace({});
        QVERIFY(select(panel.get(), QStringLiteral("pods"), QStringLiteral("pods"), QStringLiteral("batch-0"),
                       QStringLiteral("team-b")));
        panel->copyKubectlCommand();
        QCOMPARE(clipboardText(),
                 QStringLiteral("kubectl --context orchestra-test-admin -n team-b get pod batch-0 -o yaml"));
    }

    void contextWithSpaceAndQuotes_isQuotedForTheShell()
    {
        // Context names are free text; a pasted command must reach kubectl as the same words. Such a context is
        // quoted POSIX-shell style (single quotes, ' written as '\''); plain words stay unquoted (the tests above).
        const QString context = QStringLiteral("team a's \"lab\" $HOME");
        const QString kubeconfig = m_dir.filePath(QStringLiteral("odd-context"));
        QVERIFY(m_server->writeKubeconfig(kubeconfig));
        QFile file(kubeconfig);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QByteArray text = file.readAll();
        file.close();
        QCOMPARE(text.count("orchestra-test-admin"), 2); // the context's name and current-context
        text.replace("orchestra-test-admin", "\"team a's \\\"lab\\\" $HOME\"");
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        QCOMPARE(file.write(text), text.size());
        file.close();
        kubeconfig::LoadOptions options;
        options.explicitFile = kubeconfig;
        const Result<kubeconfig::Kubeconfig> config = kubeconfig::Kubeconfig::load(options);
        if (!config.ok())
            QFAIL(qPrintable(config.error().toString()));
        const Result<kubeconfig::RestConfig> rest = kubeconfig::restConfig(config.value(), context);
        if (!rest.ok())
            QFAIL(qPrintable(rest.error().toString()));

        ClusterPanel panel;
        panel.setInformerTuning([](watch::Informer *informer) { informer->setBackoff(50, 500); });
        panel.resize(1200, 800);
        panel.show();
        panel.openRestConfig(rest.value(), QStringLiteral("default"));
        QCOMPARE(panel.currentContext(), context);
        QVERIFY(select(&panel, QStringLiteral("pods"), QStringLiteral("pods"), QStringLiteral("web-1")));
        const QString uid = panel.table()->currentUid();
        panel.copyKubectlCommand();
        const QString command =
            QStringLiteral("kubectl --context 'team a'\\''s \"lab\" $HOME' -n default get pod web-1 -o yaml");
        QCOMPARE(clipboardText(), command);

        if (QStandardPaths::findExecutable(QStringLiteral("kubectl")).isEmpty())
            QSKIP("kubectl is not installed");
        // As pasted into a shell.
        int exitCode = -1;
        QString err;
        const QString yaml =
            run(QStringLiteral("/bin/sh"), {QStringLiteral("-c"), clipboardText()}, kubeconfig, &exitCode, &err);
        QVERIFY2(exitCode == 0, qPrintable(clipboardText() + QStringLiteral(": ") + err));
        QVERIFY2(yaml.contains(QLatin1String("\nkind: Pod\n")), qPrintable(yaml));
        QVERIFY2(yaml.contains(QStringLiteral("uid: %1").arg(uid)), qPrintable(yaml));
    }

    void shortcuts_copy()
    {
        auto panel = openPanel();
        QVERIFY(select(panel.get(), QStringLiteral("pods"), QStringLiteral("pods"), QStringLiteral("web-1")));
        QCOMPARE(menuAction(panel.get(), QStringLiteral("Copy &Name"))->shortcut(),
                 QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
        QCOMPARE(menuAction(panel.get(), QStringLiteral("Copy &kubectl Command"))->shortcut(),
                 QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_K));
        panel->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(panel.get()));
        panel->table()->view()->setFocus();

        QTest::keyClick(panel->table()->view(), Qt::Key_C, Qt::ControlModifier | Qt::ShiftModifier);
        QCOMPARE(clipboardText(), QStringLiteral("web-1"));
        QTest::keyClick(panel->table()->view(), Qt::Key_K, Qt::ControlModifier | Qt::ShiftModifier);
        QCOMPARE(clipboardText(),
                 QStringLiteral("kubectl --context orchestra-test-admin -n default get pod web-1 -o yaml"));
    }

    void contextMenu_offersBothCopies()
    {
        auto panel = openPanel();
        QVERIFY(select(panel.get(), QStringLiteral("pods"), QStringLiteral("pods"), QStringLiteral("web-1")));
        QTableView *view = panel->table()->view();
        const QPoint pos = view->visualRect(view->currentIndex()).center();
        QVERIFY(view->indexAt(pos).isValid());

        // The menu runs its own event loop: look at it from inside, pick Copy kubectl Command, and close it.
        QStringList offered;
        bool sawMenu = false;
        QTimer poll;
        poll.setInterval(10);
        connect(&poll, &QTimer::timeout, this, [&] {
            auto *menu = qobject_cast<QMenu *>(QApplication::activePopupWidget());
            if (!menu)
                return;
            poll.stop();
            sawMenu = true;
            QAction *chosen = nullptr;
            for (QAction *action : menu->actions()) {
                offered.append(action->text());
                if (action->text() == QLatin1String("Copy &kubectl Command"))
                    chosen = action;
            }
            menu->close();
            if (chosen)
                chosen->trigger();
        });
        poll.start();
        emit view->customContextMenuRequested(pos);
        QVERIFY(sawMenu);
        QVERIFY2(offered.contains(QStringLiteral("Copy &Name")), qPrintable(offered.join(QLatin1Char('|'))));
        QVERIFY(offered.contains(QStringLiteral("Copy &kubectl Command")));
        QCOMPARE(clipboardText(),
                 QStringLiteral("kubectl --context orchestra-test-admin -n default get pod web-1 -o yaml"));
    }

    void copiedCommand_worksInKubectl_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("kindKey");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("expectKind");
        QTest::newRow("pod") << "pods"
                             << "pods"
                             << "web-1"
                             << "kind: Pod";
        QTest::newRow("deployment") << "deploy"
                                    << "deployments.apps"
                                    << "web"
                                    << "kind: Deployment";
        QTest::newRow("custom resource") << "wd"
                                         << "widgets.example.com"
                                         << "gizmo"
                                         << "kind: Widget";
        QTest::newRow("node") << "nodes"
                              << "nodes"
                              << "node-1"
                              << "kind: Node";
    }

    void copiedCommand_worksInKubectl()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("kubectl")).isEmpty())
            QSKIP("kubectl is not installed");
        QFETCH(QString, kind);
        QFETCH(QString, kindKey);
        QFETCH(QString, name);
        QFETCH(QString, expectKind);
        auto panel = openPanel();
        QVERIFY(test::waitForKind(panel.get(), QStringLiteral("pods")));
        QVERIFY(select(panel.get(), kind, kindKey, name));
        const QString uid = panel->table()->currentUid();
        QVERIFY(!uid.isEmpty());
        panel->copyKubectlCommand();
        int exitCode = -1;
        QString err;
        const QString yaml = runKubectl(clipboardText(), &exitCode, &err);
        QVERIFY2(exitCode == 0, qPrintable(clipboardText() + QStringLiteral(": ") + err));
        QVERIFY2(yaml.contains(QLatin1String("\n") + expectKind + QLatin1String("\n")), qPrintable(yaml));
        QVERIFY2(yaml.contains(QStringLiteral("  name: %1\n").arg(name)), qPrintable(yaml));
        QVERIFY2(yaml.contains(QStringLiteral("uid: %1").arg(uid)), qPrintable(yaml));
    }
};

ORCHESTRA_TEST_MAIN(TestClusterPanelCopy)
#include "tst_clusterpanel_copy.moc"
