// orchestra-bench scenarios for the study desk and start-up:
//   lessons-search  loads the real curriculum, builds both search indexes and
//                   times a set of queries (the search must feel instant);
//   cold-start      runs the orchestra executable until its first lesson is
//                   painted (ORCHESTRA_QUIT_WHEN_READY) and reports the wall time.

#include "common/paths.h"
#include "lessons/catalog.h"
#include "lessons/searchindex.h"

#include "benchoutput.h"

#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QProcess>
#include <QTemporaryDir>
#include <QTextStream>

#include <algorithm>
#include <cmath>

namespace orchestra::bench {

int lessonSearch(const QCommandLineParser &)
{
    const QString dir = contentDirectory();
    if (dir.isEmpty()) {
        QTextStream(stderr) << "orchestra-bench: no content directory (set ORCHESTRA_CONTENT_DIR)" << Qt::endl;
        return 1;
    }
    QElapsedTimer timer;
    timer.start();
    const lessons::Catalog catalog = lessons::Catalog::load(dir);
    figure(QStringLiteral("lessons.catalog_load"), timer.nsecsElapsed() / 1e6, QStringLiteral("ms"));
    figure(QStringLiteral("lessons.lessons"), catalog.lessonIds().size(), QStringLiteral("lessons"));

    const QStringList queries{QStringLiteral("pod"),
                              QStringLiteral("deployment rollout"),
                              QStringLiteral("kubectl get"),
                              QStringLiteral("mTLS"),
                              QStringLiteral("NetworkPolicy"),
                              QStringLiteral("파드"),
                              QStringLiteral("서비스 메시"),
                              QStringLiteral("zzzz-no-hit"),
                              QStringLiteral("k"),
                              QStringLiteral("rancher kubeconfig token")};
    for (const QString &language : lessons::Catalog::languages()) {
        timer.restart();
        const lessons::SearchIndex index(catalog, language);
        figure(QStringLiteral("lessons.index_build.%1").arg(language), timer.nsecsElapsed() / 1e6,
               QStringLiteral("ms"));
        QList<double> times;
        for (int round = 0; round < 20; ++round) {
            for (const QString &query : queries) {
                timer.restart();
                const auto results = index.search(query);
                times.append(timer.nsecsElapsed() / 1e6);
                Q_UNUSED(results)
            }
        }
        figure(QStringLiteral("lessons.search_p50.%1").arg(language), percentile(times, 0.5), QStringLiteral("ms"));
        figure(QStringLiteral("lessons.search_p99.%1").arg(language), percentile(times, 0.99), QStringLiteral("ms"));
    }
    return 0;
}

int coldStart(const QCommandLineParser &)
{
    QList<double> times;
    for (int run = 0; run < 5; ++run) {
        QTemporaryDir home;
        QProcess process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("HOME"), home.path());
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), home.filePath(QStringLiteral(".config")));
        env.insert(QStringLiteral("XDG_DATA_HOME"), home.filePath(QStringLiteral(".local/share")));
        env.insert(QStringLiteral("ORCHESTRA_QUIT_WHEN_READY"), QStringLiteral("1"));
        env.remove(QStringLiteral("KUBECONFIG"));
        if (!env.contains(QStringLiteral("DISPLAY")) && !env.contains(QStringLiteral("QT_QPA_PLATFORM")))
            env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        process.setProcessEnvironment(env);
        QElapsedTimer timer;
        timer.start();
        process.start(QStringLiteral(ORCHESTRA_APP_EXE),
                      {QStringLiteral("--lesson"), QStringLiteral("kubernetes-basics/pods")});
        if (!process.waitForFinished(30000) || process.exitCode() != 0) {
            QTextStream(stderr) << "orchestra-bench: orchestra did not start: "
                                << QString::fromLocal8Bit(process.readAllStandardError()) << Qt::endl;
            return 1;
        }
        times.append(timer.nsecsElapsed() / 1e6);
    }
    figure(QStringLiteral("cold-start.to_first_lesson_median"), percentile(times, 0.5), QStringLiteral("ms"));
    figure(QStringLiteral("cold-start.to_first_lesson_max"), percentile(times, 1.0), QStringLiteral("ms"));
    return 0;
}

} // namespace orchestra::bench
