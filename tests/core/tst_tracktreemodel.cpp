#include "lessons/catalog.h"
#include "lessons/progressstore.h"
#include "lessons/tracktreemodel.h"

#include "lessontestutil.h"
#include "testmain.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>

using namespace orchestra::lessons;

class TestTrackTreeModel : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    Catalog m_catalog;

private slots:
    void initTestCase()
    {
        orchestra::test::writeSampleContent(m_dir.path());
        m_catalog = Catalog::load(m_dir.path());
    }

    void structureAndRoles()
    {
        TrackTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 0);
        model.setCatalog(&m_catalog);
        QCOMPARE(model.rowCount(), 2);
        const QModelIndex basics = model.index(0, 0);
        QCOMPARE(basics.data().toString(), QStringLiteral("Basics"));
        QVERIFY(basics.data(TrackTreeModel::IsTrackRole).toBool());
        QCOMPARE(model.rowCount(basics), 2);
        const QModelIndex pods = model.index(1, 0, basics);
        QCOMPARE(pods.parent(), basics);
        QCOMPARE(pods.data().toString(), QStringLiteral("2. Pods"));
        QCOMPARE(pods.data(TrackTreeModel::IdRole).toString(), QStringLiteral("basics/pods"));
        QCOMPARE(pods.data(TrackTreeModel::StageRole).toString(), QStringLiteral("practice"));
        QCOMPARE(pods.data(TrackTreeModel::MinutesRole).toInt(), 10);
        QCOMPARE(model.indexForLesson(QStringLiteral("extra/more")), model.index(0, 0, model.index(1, 0)));
        QVERIFY(!model.indexForLesson(QStringLiteral("nope")).isValid());
    }

    void languageSwitch_changesTitles()
    {
        TrackTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setCatalog(&m_catalog);
        QSignalSpy spy(&model, &QAbstractItemModel::dataChanged);
        model.setLanguage(QStringLiteral("ko"));
        QVERIFY(spy.count() >= 1);
        QCOMPARE(model.index(0, 0).data().toString(), QStringLiteral("기초"));
        QCOMPARE(model.index(1, 0, model.index(0, 0)).data().toString(), QStringLiteral("2. 파드(Pod)"));
        QVERIFY(model.index(1, 0, model.index(0, 0)).data(TrackTreeModel::FallbackLanguageRole).toString().isEmpty());
    }

    void progress_countsCompletedLessons()
    {
        QTemporaryDir dir;
        ProgressStore progress(dir.filePath(QStringLiteral("p.json")));
        TrackTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setCatalog(&m_catalog);
        model.setProgress(&progress);
        const QModelIndex basics = model.index(0, 0);
        QCOMPARE(basics.data(TrackTreeModel::CompletedCountRole).toInt(), 0);
        QCOMPARE(basics.data(TrackTreeModel::LessonCountRole).toInt(), 2);
        progress.setCompleted(QStringLiteral("basics/intro"), true);
        QSignalSpy spy(&model, &QAbstractItemModel::dataChanged);
        model.progressChanged();
        QVERIFY(spy.count() >= 1);
        QCOMPARE(basics.data(TrackTreeModel::CompletedCountRole).toInt(), 1);
        QVERIFY(model.index(0, 0, basics).data(TrackTreeModel::CompletedRole).toBool());
        QVERIFY(!basics.data(TrackTreeModel::CompletedRole).toBool());
        progress.setCompleted(QStringLiteral("basics/pods"), true);
        model.progressChanged();
        QVERIFY(basics.data(TrackTreeModel::CompletedRole).toBool());
    }
};

ORCHESTRA_TEST_MAIN(TestTrackTreeModel)
#include "tst_tracktreemodel.moc"
