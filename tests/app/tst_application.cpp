// The command line as the app applies it: Application (what main() runs after parsing) started in-process with
// given options, against the in-process test API server. --kubeconfig + --context connect to that context (not the
// file's current-context) without writing the file or the remembered choice; --namespace opens the panel on that
// namespace, also when the kubeconfig is re-read (fixed or created on disk) before the panel connected, until the
// user picks another namespace; FILE opens in the editor; --lesson + --lang open that lesson in that language; an
// unknown --context or --lesson is reported in the window.

#include "testmain.h"

#include "../ui/clusterpaneltesting.h"

#include "application.h"
#include "cluster/clusterpanel.h"
#include "cluster/contextswitcher.h"
#include "cluster/namespaceselector.h"
#include "common/commandline.h"
#include "editor/editorarea.h"
#include "editor/editortab.h"
#include "kube/apiclient.h"
#include "kubeconfig/contextchoice.h"
#include "lessons/lessonbrowser.h"
#include "lessons/lessonview.h"
#include "mainwindow/mainwindow.h"
#include "widgets/connectionindicator.h"

#include <QAction>
#include <QMenu>
#include <QSettings>
#include <QStatusBar>

using namespace orchestra;
using orchestra::test::kPanelTimeoutMs;
using orchestra::ui::Area;
using orchestra::ui::ClusterPanel;

namespace {

const QString kAdminContext = QStringLiteral("orchestra-test-admin");

QByteArray readAll(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    return file.readAll();
}

bool writeAll(const QString &path, const QByteArray &data)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(data) == data.size();
}

std::unique_ptr<app::Application> startApp(const CommandLineOptions &options)
{
    auto application = std::make_unique<app::Application>(options);
    application->start();
    return application;
}

} // namespace

class TestApplication final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<testing::ApiServer> m_server;
    QTemporaryDir m_dir;
    /// Contexts "home" (user learner, may do nothing; the current-context) and "orchestra-test-admin" (admin,
    /// namespace team-b), both on the test server.
    QString m_twoContexts;

    /// A kubeconfig `name` for a user of its own (`user`, who may do everything) in `ns`, with the context
    /// orchestra-test-<user>. Its requests are told apart by their user from late ones of the apps of earlier tests
    /// (a watch the server reads after the next test cleared the request log).
    QString kubeconfigOfOwnUser(const QString &name, const QString &user, const QString &ns)
    {
        m_server->addTokenUser(user + QStringLiteral("-token"), user, true);
        const QString file = m_dir.filePath(name);
        if (!m_server->writeKubeconfig(file, user, ns))
            qFatal("cannot write %s", qPrintable(file));
        return file;
    }

    /// The requests `user` sent.
    QList<testing::RecordedRequest> requestsOf(const QString &user) const
    {
        QList<testing::RecordedRequest> requests = m_server->requests();
        requests.removeIf([&](const testing::RecordedRequest &request) { return request.user != user; });
        return requests;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_server = std::make_unique<testing::ApiServer>();
        QVERIFY2(m_server->start(), qPrintable(m_server->lastError()));
        m_server->create(test::podObject(QStringLiteral("default-pod")));
        m_server->create(test::podObject(QStringLiteral("team-b-pod"), {}, QStringLiteral("team-b")));
        m_server->create(test::podObject(QStringLiteral("coredns-0"), {}, QStringLiteral("kube-system")));

        m_twoContexts = m_dir.filePath(QStringLiteral("two-contexts"));
        QVERIFY(m_server->writeKubeconfig(m_twoContexts, QStringLiteral("admin"), QStringLiteral("team-b")));
        QByteArray text = readAll(m_twoContexts);
        QVERIFY(text.contains("\nusers:\n") && text.contains("\ncontexts:\n") &&
                text.contains("\ncurrent-context: orchestra-test-admin\n"));
        text.replace("\nusers:\n", "\nusers:\n- name: learner\n  user:\n    token: learner-token\n");
        text.replace("\ncontexts:\n", "\ncontexts:\n- name: home\n  context:\n    cluster: orchestra-test\n"
                                      "    user: learner\n    namespace: default\n");
        text.replace("\ncurrent-context: orchestra-test-admin\n", "\ncurrent-context: home\n");
        QVERIFY(writeAll(m_twoContexts, text));
    }

    void init()
    {
        test::failOnStaleModelIndex();
        QSettings().clear();
    }

    void kubeconfigAndContext_connectToThatContext_withoutRewritingTheFile()
    {
        const QByteArray before = readAll(m_twoContexts);
        const QDateTime modified = QFileInfo(m_twoContexts).lastModified();
        m_server->clearRequests();

        CommandLineOptions options;
        options.kubeconfig = m_twoContexts;
        options.context = kAdminContext;
        auto application = startApp(options);
        ClusterPanel *panel = application->clusterPanel();
        QTRY_COMPARE_WITH_TIMEOUT(panel->connectionState(), ClusterPanel::ConnectionState::Connected, kPanelTimeoutMs);
        QCOMPARE(panel->currentContext(), kAdminContext);
        QCOMPARE(panel->client()->config().userName, QStringLiteral("admin"));
        QCOMPARE(panel->contextSwitcher()->currentContext(), kAdminContext);
        QCOMPARE(application->mainWindow()->currentArea(), Area::Cluster);
        // The context's own namespace, and its rows (which the current-context's learner may not list).
        QCOMPARE(panel->currentNamespace(), QStringLiteral("team-b"));
        QVERIFY(test::waitForKind(panel, QStringLiteral("pods")));
        QTRY_VERIFY_WITH_TIMEOUT(test::tableHasName(panel->table(), QStringLiteral("team-b-pod")), kPanelTimeoutMs);

        bool sawAdmin = false;
        for (const testing::RecordedRequest &request : m_server->requests()) {
            QVERIFY2(request.user != QLatin1String("learner"), qPrintable(request.path));
            sawAdmin = sawAdmin || request.user == QLatin1String("admin");
        }
        QVERIFY(sawAdmin);

        // kubectl's current-context stays: the file is untouched, and the one-off choice is not remembered.
        application.reset();
        QCOMPARE(readAll(m_twoContexts), before);
        QCOMPARE(QFileInfo(m_twoContexts).lastModified(), modified);
        QVERIFY(kubeconfig::ContextChoice::rememberedContext().isEmpty());
    }

    void namespaceFlag_opensThePanelOnThatNamespace()
    {
        const QString user = QStringLiteral("flag-user");
        const QString contextName = QStringLiteral("orchestra-test-flag-user");
        const QString file = kubeconfigOfOwnUser(QStringLiteral("flag-user-default"), user, QStringLiteral("default"));
        // --namespace wins over the context's namespace and over the one remembered from the last run.
        kubeconfig::ContextChoice::rememberNamespace(contextName, QStringLiteral("team-b"));

        CommandLineOptions options;
        options.kubeconfig = file;
        options.nameSpace = QStringLiteral("kube-system");
        auto application = startApp(options);
        ClusterPanel *panel = application->clusterPanel();
        QTRY_COMPARE_WITH_TIMEOUT(panel->connectionState(), ClusterPanel::ConnectionState::Connected, kPanelTimeoutMs);
        QCOMPARE(application->mainWindow()->currentArea(), Area::Cluster);
        QCOMPARE(panel->currentContext(), contextName);
        QCOMPARE(panel->currentNamespace(), QStringLiteral("kube-system"));
        QCOMPARE(panel->namespaceSelector()->nameSpace(), QStringLiteral("kube-system"));
        QCOMPARE(panel->contextText(), contextName + QStringLiteral(" · kube-system"));
        QVERIFY(test::waitForKind(panel, QStringLiteral("pods")));
        QTRY_VERIFY_WITH_TIMEOUT(test::tableHasName(panel->table(), QStringLiteral("coredns-0")), kPanelTimeoutMs);
        QVERIFY(!test::tableHasName(panel->table(), QStringLiteral("default-pod")));
        QVERIFY(!test::tableHasName(panel->table(), QStringLiteral("team-b-pod")));
        bool listedKubeSystem = false;
        for (const testing::RecordedRequest &request : requestsOf(user)) {
            listedKubeSystem = listedKubeSystem || request.path == QLatin1String("/api/v1/namespaces/kube-system/pods");
            QVERIFY2(!request.path.startsWith(QLatin1String("/api/v1/namespaces/team-b/")), qPrintable(request.path));
        }
        QVERIFY(listedKubeSystem);
        // A one-off: the next start without --namespace still gets the remembered one.
        QCOMPARE(kubeconfig::ContextChoice::rememberedNamespace(contextName), QStringLiteral("team-b"));
    }

    void namespaceFlag_survivesAKubeconfigReloadWhileUnreachable()
    {
        // The kubeconfig first names a server that is not there: the panel is unreachable when the file is fixed on
        // disk and reconnects, still in --namespace (not in the context's namespace or the remembered one).
        const QString user = QStringLiteral("reload-user");
        const QString contextName = QStringLiteral("orchestra-test-reload-user");
        const QString file = kubeconfigOfOwnUser(QStringLiteral("fixed-later"), user, QStringLiteral("default"));
        const QByteArray good = readAll(file);
        QByteArray bad = good;
        bad.replace(QStringLiteral("server: https://127.0.0.1:%1\n").arg(m_server->port()).toUtf8(),
                    "server: https://127.0.0.1:1\n");
        QVERIFY(bad != good);
        QVERIFY(writeAll(file, bad));
        kubeconfig::ContextChoice::rememberNamespace(contextName, QStringLiteral("team-b"));

        CommandLineOptions options;
        options.kubeconfig = file;
        options.nameSpace = QStringLiteral("kube-system");
        auto application = startApp(options);
        ClusterPanel *panel = application->clusterPanel();
        QTRY_COMPARE_WITH_TIMEOUT(panel->connectionState(), ClusterPanel::ConnectionState::Unreachable,
                                  kPanelTimeoutMs);
        QCOMPARE(panel->currentNamespace(), QStringLiteral("kube-system"));

        QVERIFY(writeAll(file, good));
        QTRY_COMPARE_WITH_TIMEOUT(panel->connectionState(), ClusterPanel::ConnectionState::Connected, kPanelTimeoutMs);
        QCOMPARE(panel->currentContext(), contextName);
        QCOMPARE(panel->currentNamespace(), QStringLiteral("kube-system"));
        QCOMPARE(panel->namespaceSelector()->nameSpace(), QStringLiteral("kube-system"));
        QVERIFY(test::waitForKind(panel, QStringLiteral("pods")));
        QTRY_VERIFY_WITH_TIMEOUT(test::tableHasName(panel->table(), QStringLiteral("coredns-0")), kPanelTimeoutMs);
        for (const testing::RecordedRequest &request : requestsOf(user))
            QVERIFY2(!request.path.startsWith(QLatin1String("/api/v1/namespaces/team-b/")), qPrintable(request.path));
        // Still a one-off.
        QCOMPARE(kubeconfig::ContextChoice::rememberedNamespace(contextName), QStringLiteral("team-b"));
    }

    void namespacePickedByTheUser_winsOverTheFlagOnReload()
    {
        const QString file = m_dir.filePath(QStringLiteral("fixed-later-2"));
        QVERIFY(m_server->writeKubeconfig(file, QStringLiteral("admin"), QStringLiteral("kube-system")));
        const QByteArray good = readAll(file);
        QByteArray bad = good;
        bad.replace(QStringLiteral("server: https://127.0.0.1:%1\n").arg(m_server->port()).toUtf8(),
                    "server: https://127.0.0.1:1\n");
        QVERIFY(writeAll(file, bad));

        CommandLineOptions options;
        options.kubeconfig = file;
        options.nameSpace = QStringLiteral("default");
        auto application = startApp(options);
        ClusterPanel *panel = application->clusterPanel();
        QTRY_COMPARE_WITH_TIMEOUT(panel->connectionState(), ClusterPanel::ConnectionState::Unreachable,
                                  kPanelTimeoutMs);
        QCOMPARE(panel->currentNamespace(), QStringLiteral("default"));
        // The user picks another namespace while unreachable: that choice, not the flag, survives the reload.
        emit panel->namespaceSelector()->namespaceChosen(QStringLiteral("team-b"));
        QCOMPARE(panel->currentNamespace(), QStringLiteral("team-b"));

        QVERIFY(writeAll(file, good));
        QTRY_COMPARE_WITH_TIMEOUT(panel->connectionState(), ClusterPanel::ConnectionState::Connected, kPanelTimeoutMs);
        QCOMPARE(panel->currentNamespace(), QStringLiteral("team-b"));
        QVERIFY(test::waitForKind(panel, QStringLiteral("pods")));
        QTRY_VERIFY_WITH_TIMEOUT(test::tableHasName(panel->table(), QStringLiteral("team-b-pod")), kPanelTimeoutMs);
    }

    void contextAndNamespaceFlags_applyWhenTheKubeconfigAppearsLater()
    {
        // No kubeconfig at start: nothing to connect to. Once the file appears, the connection is the command
        // line's: --context (not the file's current-context "home") in --namespace.
        const QString file = m_dir.filePath(QStringLiteral("appears-later"));
        QVERIFY(!QFile::exists(file));
        m_server->clearRequests();

        CommandLineOptions options;
        options.kubeconfig = file;
        options.context = kAdminContext;
        options.nameSpace = QStringLiteral("kube-system");
        auto application = startApp(options);
        ClusterPanel *panel = application->clusterPanel();
        QTRY_VERIFY_WITH_TIMEOUT(panel->emptyStateText().startsWith(QLatin1String("Cannot read the kubeconfig")),
                                 kPanelTimeoutMs);
        QCOMPARE(panel->connectionState(), ClusterPanel::ConnectionState::NoClusters);

        QVERIFY(writeAll(file, readAll(m_twoContexts)));
        QTRY_COMPARE_WITH_TIMEOUT(panel->connectionState(), ClusterPanel::ConnectionState::Connected, kPanelTimeoutMs);
        QCOMPARE(panel->currentContext(), kAdminContext);
        QCOMPARE(panel->client()->config().userName, QStringLiteral("admin"));
        QCOMPARE(panel->currentNamespace(), QStringLiteral("kube-system"));
        QVERIFY(test::waitForKind(panel, QStringLiteral("pods")));
        QTRY_VERIFY_WITH_TIMEOUT(test::tableHasName(panel->table(), QStringLiteral("coredns-0")), kPanelTimeoutMs);
        for (const testing::RecordedRequest &request : m_server->requests())
            QVERIFY2(request.user != QLatin1String("learner"), qPrintable(request.path));
    }

    void unknownContext_isAClearErrorInThePanel()
    {
        m_server->clearRequests();
        CommandLineOptions options;
        options.kubeconfig = m_twoContexts;
        options.context = QStringLiteral("nope");
        auto application = startApp(options);
        ClusterPanel *panel = application->clusterPanel();
        QTRY_COMPARE_WITH_TIMEOUT(panel->connectionState(), ClusterPanel::ConnectionState::Unreachable,
                                  kPanelTimeoutMs);
        QCOMPARE(application->mainWindow()->currentArea(), Area::Cluster);
        QCOMPARE(panel->emptyStateText(),
                 QStringLiteral("Cannot use context nope\nnope: Context \"nope\" was not found in the kubeconfig. "
                                "Choose one of: home, orchestra-test-admin."));
        ui::ConnectionIndicator *indicator = application->mainWindow()->connectionIndicator();
        QCOMPARE(indicator->state(), ui::ConnectionIndicator::State::Error);
        QCOMPARE(indicator->text(), QStringLiteral("Context error"));
        // No fallback to the current-context ("home", user learner): nothing connected, nothing sent as learner.
        QCOMPARE(panel->currentContext(), QStringLiteral("nope"));
        QVERIFY(!panel->client());
        for (const testing::RecordedRequest &request : m_server->requests())
            QVERIFY2(request.user != QLatin1String("learner"), qPrintable(request.path));
    }

    void files_openInTheEditor()
    {
        const QString first = m_dir.filePath(QStringLiteral("first.yaml"));
        const QString second = m_dir.filePath(QStringLiteral("second.yaml"));
        const QByteArray firstText = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-the-command-line\n";
        const QByteArray secondText = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: second\n";
        QVERIFY(writeAll(first, firstText));
        QVERIFY(writeAll(second, secondText));

        CommandLineOptions options;
        options.files = {first, second};
        options.kubeconfig = m_twoContexts; // FILE wins the start area over the cluster flags
        auto application = startApp(options);
        ui::EditorArea *editor = application->editor();
        QCOMPARE(editor->tabCount(), 2);
        QCOMPARE(editor->tab(0)->filePath(), first);
        QCOMPARE(editor->tab(0)->text(), QString::fromUtf8(firstText));
        QCOMPARE(editor->tab(1)->filePath(), second);
        QCOMPARE(editor->tab(1)->text(), QString::fromUtf8(secondText));
        QCOMPARE(application->mainWindow()->currentArea(), Area::Editor);
        // Still there once the deferred start-up work (lessons, recovery, cluster) has run.
        QTRY_COMPARE_WITH_TIMEOUT(application->clusterPanel()->connectionState(),
                                  ClusterPanel::ConnectionState::Connected, kPanelTimeoutMs);
        QCOMPARE(application->mainWindow()->currentArea(), Area::Editor);
        QCOMPARE(editor->tabCount(), 2);
    }

    void lessonAndLang_openThatLessonInKorean()
    {
        const QString id = QStringLiteral("kubernetes-basics/architecture");
        QSettings().setValue(QStringLiteral("lessons/language"), QStringLiteral("en")); // --lang beats the last choice

        CommandLineOptions options;
        options.lesson = id;
        options.language = QStringLiteral("ko");
        auto application = startApp(options);
        ui::LessonBrowser *lessons = application->lessonBrowser();
        QCOMPARE(application->mainWindow()->currentArea(), Area::Learn);
        QTRY_COMPARE_WITH_TIMEOUT(lessons->currentLessonId(), id, kPanelTimeoutMs);
        QVERIFY2(lessons->catalog().lessonIds().value(0) != id, "the lesson must not be the one opened by default");
        QCOMPARE(lessons->language(), QStringLiteral("ko"));

        const lessons::Lesson *korean = lessons->catalog().lesson(id, QStringLiteral("ko"));
        const lessons::Lesson *english = lessons->catalog().lesson(id, QStringLiteral("en"));
        QVERIFY(korean && english);
        QCOMPARE(korean->title, QStringLiteral("클러스터 아키텍처"));
        const QString shown = lessons->view()->toPlainText();
        QVERIFY2(shown.contains(korean->title), qPrintable(shown.left(200)));
        QVERIFY(!shown.contains(english->title));
        QVERIFY2(lessons->notice().isEmpty(), qPrintable(lessons->notice())); // no "shown in English" fallback

        QStringList checked;
        for (QAction *menu : application->mainWindow()->viewMenu()->actions()) {
            if (!menu->menu())
                continue;
            for (QAction *action : menu->menu()->actions()) {
                if (action->isCheckable() && action->isChecked())
                    checked.append(action->data().toString());
            }
        }
        QVERIFY2(checked.contains(QStringLiteral("ko")), qPrintable(checked.join(QLatin1Char(','))));
        QVERIFY(!checked.contains(QStringLiteral("en")));
    }

    void unknownLesson_isReportedAndTheLastLessonOpens()
    {
        const QString last = QStringLiteral("kubernetes-basics/pods");
        {
            CommandLineOptions options;
            options.lesson = last;
            auto application = startApp(options);
            QTRY_COMPARE_WITH_TIMEOUT(application->lessonBrowser()->currentLessonId(), last, kPanelTimeoutMs);
        }
        CommandLineOptions options;
        options.lesson = QStringLiteral("no-such-track/no-such-lesson");
        auto application = startApp(options);
        ui::LessonBrowser *lessons = application->lessonBrowser();
        QTRY_VERIFY_WITH_TIMEOUT(!lessons->currentLessonId().isEmpty(), kPanelTimeoutMs);
        QCOMPARE(lessons->currentLessonId(), last); // as without --lesson
        QCOMPARE(application->mainWindow()->statusBar()->currentMessage(),
                 QStringLiteral("No lesson with the id 'no-such-track/no-such-lesson'."));
    }

    void kubeconfigWithoutContext_usesItsCurrentContext()
    {
        // The baseline --context departs from: the file alone connects to "home" as learner. (Last: the tests
        // before it check that no request came from learner.)
        // --kubeconfig is the only source: KUBECONFIG (and ~/.kube/config) are not merged in.
        const QString elsewhere = m_dir.filePath(QStringLiteral("elsewhere"));
        QVERIFY(m_server->writeKubeconfig(elsewhere, QStringLiteral("learner")));
        qputenv("KUBECONFIG", elsewhere.toLocal8Bit());
        const auto unsetKubeconfig = qScopeGuard([] { qunsetenv("KUBECONFIG"); });

        CommandLineOptions options;
        options.kubeconfig = m_twoContexts;
        auto application = startApp(options);
        ClusterPanel *panel = application->clusterPanel();
        QTRY_COMPARE_WITH_TIMEOUT(panel->connectionState(), ClusterPanel::ConnectionState::Connected, kPanelTimeoutMs);
        QCOMPARE(panel->kubeconfig().contextNames(), (QStringList{QStringLiteral("home"), kAdminContext}));
        QCOMPARE(panel->currentContext(), QStringLiteral("home"));
        QCOMPARE(panel->client()->config().userName, QStringLiteral("learner"));
        QCOMPARE(application->mainWindow()->currentArea(), Area::Cluster);
    }
};

ORCHESTRA_TEST_MAIN(TestApplication)
#include "tst_application.moc"
