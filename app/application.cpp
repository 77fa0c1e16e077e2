#include "application.h"

#include "clitool.h"
#include "common/paths.h"
#include "lessons/lessonbrowser.h"
#include "mainwindow/mainwindow.h"

#include <QAction>
#include <QActionGroup>
#include <QLocale>
#include <QMenu>
#include <QSettings>
#include <QStatusBar>
#include <QTimer>

#include <QTextStream>

namespace orchestra::app {

Application::Application(CommandLineOptions options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
{}

Application::~Application() = default;

void Application::start()
{
    m_window = std::make_unique<ui::MainWindow>();
    installLessons();
    m_window->restoreSettings();
    if (!m_options.lesson.isEmpty())
        m_window->setCurrentArea(ui::Area::Learn);
    m_window->show();
}

void Application::installLessons()
{
    auto *lessons = new ui::LessonBrowser;
    m_lessons = lessons;
    m_window->setAreaWidget(ui::Area::Learn, lessons);

    // --lang, else the last choice, else the system locale.
    QSettings settings;
    QString language = m_options.language;
    if (language.isEmpty())
        language = settings.value(QStringLiteral("lessons/language")).toString();
    if (language.isEmpty())
        language = QLocale::system().language() == QLocale::Korean ? QStringLiteral("ko") : QStringLiteral("en");
    lessons->setLanguage(language);

    QMenu *languageMenu = m_window->viewMenu()->addMenu(tr("Lesson &Language"));
    auto *group = new QActionGroup(languageMenu);
    for (const auto &[code, name] : {std::pair{"en", "English"}, std::pair{"ko", "한국어 (Korean)"}}) {
        QAction *action = languageMenu->addAction(QString::fromUtf8(name));
        action->setCheckable(true);
        action->setChecked(language == QLatin1String(code));
        action->setData(QLatin1String(code));
        group->addAction(action);
    }
    connect(group, &QActionGroup::triggered, lessons,
            [lessons](QAction *action) { lessons->setLanguage(action->data().toString()); });
    connect(lessons, &ui::LessonBrowser::languageChanged, this, [group](const QString &code) {
        QSettings().setValue(QStringLiteral("lessons/language"), code);
        for (QAction *action : group->actions())
            action->setChecked(action->data().toString() == code);
    });
    connect(lessons, &ui::LessonBrowser::statusMessage, m_window.get(),
            [this](const QString &message) { m_window->statusBar()->showMessage(message, 5000); });

    // Parse the curriculum after the window is up: the first paint must not wait for it.
    const QString lessonId = m_options.lesson;
    QTimer::singleShot(0, lessons, [this, lessons, lessonId] {
        lessons->loadContent(contentDirectory());
        if (lessonId.isEmpty() || !lessons->openLesson(lessonId)) {
            lessons->openLastLesson();
            if (!lessonId.isEmpty())
                m_window->statusBar()->showMessage(tr("No lesson with the id '%1'.").arg(lessonId), 8000);
        }
    });
}

int runCommandLineTool(const CommandLineOptions &options)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    return options.listContexts ? runListContexts(options, out, err) : runCheck(options, out, err);
}

} // namespace orchestra::app
