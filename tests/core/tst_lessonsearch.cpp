#include "lessons/catalog.h"
#include "lessons/searchindex.h"

#include "lessontestutil.h"
#include "testmain.h"

using namespace orchestra::lessons;

class TestLessonSearch : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    Catalog m_catalog;

private slots:
    void initTestCase()
    {
        orchestra::test::writeSampleContent(m_dir.path());
        m_catalog = Catalog::load(m_dir.path());
        QVERIFY(!m_catalog.hasErrors());
    }

    void titleBeatsHeadingBeatsBody()
    {
        const SearchIndex index(m_catalog, QStringLiteral("en"));
        QCOMPARE(index.size(), 3);
        // "pods" is the title of basics/pods and in the title of extra/more,
        // and in the body of basics/intro ("[Pods](02-pods.md)").
        const QList<SearchResult> results = index.search(QStringLiteral("pods"));
        QCOMPARE(results.size(), 3);
        QCOMPARE(results[0].field, SearchResult::Field::Title);
        QCOMPARE(results[2].lessonId, QStringLiteral("basics/intro"));
        QCOMPARE(results[2].field, SearchResult::Field::Body);
        QVERIFY(results[2].snippet.contains(QStringLiteral("Pods")));

        const QList<SearchResult> heading = index.search(QStringLiteral("orchestration"));
        QCOMPARE(heading.size(), 1);
        QCOMPARE(heading[0].field, SearchResult::Field::Heading);
        QCOMPARE(heading[0].heading, QStringLiteral("Why orchestration"));
    }

    void everyWordMustMatch_caseInsensitive()
    {
        const SearchIndex index(m_catalog, QStringLiteral("en"));
        QCOMPARE(index.search(QStringLiteral("KUBERNETES containers")).size(), 1);
        QVERIFY(index.search(QStringLiteral("kubernetes zebra")).isEmpty());
        QVERIFY(index.search(QStringLiteral("   ")).isEmpty());
    }

    void korean_matchesInsideWords()
    {
        const SearchIndex index(m_catalog, QStringLiteral("ko"));
        const QList<SearchResult> results = index.search(QStringLiteral("컨테이너"));
        QCOMPARE(results.size(), 1); // only the Korean intro says 컨테이너
        QCOMPARE(results[0].lessonId, QStringLiteral("basics/intro"));
        QCOMPARE(index.search(QStringLiteral("오케스트레이션"))[0].field, SearchResult::Field::Heading);
    }

    void codeIsSearchable()
    {
        const SearchIndex index(m_catalog, QStringLiteral("en"));
        const QList<SearchResult> results = index.search(QStringLiteral("kubectl get pods"));
        QCOMPARE(results.size(), 1);
        QCOMPARE(results[0].lessonId, QStringLiteral("basics/pods"));
    }
};

ORCHESTRA_TEST_MAIN(TestLessonSearch)
#include "tst_lessonsearch.moc"
