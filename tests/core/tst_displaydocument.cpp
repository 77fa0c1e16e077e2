#include "lessons/catalog.h"
#include "lessons/displaydocument.h"
#include "lessons/markdownscan.h"

#include "lessontestutil.h"
#include "testmain.h"

using namespace orchestra::lessons;

class TestDisplayDocument : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    Catalog m_catalog;

    const Lesson &pods() const { return *m_catalog.lesson(QStringLiteral("basics/pods"), QStringLiteral("en")); }

private slots:
    void initTestCase()
    {
        orchestra::test::writeSampleContent(m_dir.path());
        m_catalog = Catalog::load(m_dir.path());
        QVERIFY(!m_catalog.hasErrors());
    }

    void header_showsStageMinutesAndObjectivesAfterTheTitle()
    {
        const DisplayDocument doc = DisplayDocument::build(pods(), m_catalog, {});
        QVERIFY2(doc.markdown.startsWith(
                     QStringLiteral("# Pods\n\n*Practice · 10 min*\n\n**Objectives**\n\n- Learn Pods\n")),
                 qPrintable(doc.markdown));
        QVERIFY(doc.markdown.contains(QStringLiteral("## Sources\n\n- [Docs](https://kubernetes.io/docs/)")));
    }

    void manifestReference_isReplacedByTheFileWithActions()
    {
        const DisplayDocument doc = DisplayDocument::build(pods(), m_catalog, {});
        QCOMPARE(doc.codeBlocks.size(), 2);
        QCOMPARE(doc.codeBlocks[0].manifestPath, QStringLiteral("basics/pod.yaml"));
        QVERIFY(doc.codeBlocks[0].code.startsWith(QStringLiteral("apiVersion: v1\nkind: Pod")));
        QVERIFY(doc.markdown.contains(QStringLiteral(
            "[Copy](orchestra:copy/0) · [Open in editor](orchestra:open/0) · [Apply](orchestra:apply/0)")));
        QVERIFY(doc.markdown.contains(QStringLiteral("```yaml\napiVersion: v1\nkind: Pod")));
        QCOMPARE(doc.codeBlocks[1].language, QStringLiteral("bash"));
        QCOMPARE(doc.codeBlocks[1].code, QStringLiteral("kubectl get pods"));
        QVERIFY(doc.markdown.contains(QStringLiteral("[Copy](orchestra:copy/1)\n\n```bash\nkubectl get pods\n```")));
    }

    void callouts_getLabels_answersHiddenUntilRevealed()
    {
        const DisplayDocument hidden = DisplayDocument::build(pods(), m_catalog, {});
        QCOMPARE(hidden.answerCount, 1);
        QVERIFY(hidden.markdown.contains(QStringLiteral("> **Note**\n>\n> Pods are ephemeral.")));
        QVERIFY(hidden.markdown.contains(QStringLiteral("[Show answer](orchestra:answer/0)")));
        QVERIFY(!hidden.markdown.contains(QStringLiteral("A group of containers")));

        const DisplayDocument shown = DisplayDocument::build(pods(), m_catalog, {0});
        QVERIFY(shown.markdown.contains(QStringLiteral("> **Answer**\n>\n> A group of containers.")));
        QVERIFY(shown.markdown.contains(QStringLiteral("[Hide answer](orchestra:answer/0)")));
    }

    void labels_followTheLanguage()
    {
        DisplayLabels labels;
        labels.objectives = QStringLiteral("학습 목표");
        labels.showAnswer = QStringLiteral("정답 보기");
        labels.stages[Stage::Practice] = QStringLiteral("실습");
        labels.minutes = QStringLiteral("%1분");
        const DisplayDocument doc = DisplayDocument::build(
            *m_catalog.lesson(QStringLiteral("basics/pods"), QStringLiteral("ko")), m_catalog, {}, labels);
        QVERIFY(doc.markdown.contains(QStringLiteral("*실습 · 10분*")));
        QVERIFY(doc.markdown.contains(QStringLiteral("**학습 목표**")));
        QVERIFY(doc.markdown.contains(QStringLiteral("[정답 보기](orchestra:answer/0)")));
    }

    void sourcesSectionInTheBody_isNotRepeated()
    {
        Lesson lesson = pods();
        lesson.body += QStringLiteral("\n## Sources\n\n- [Docs](https://kubernetes.io/docs/)\n");
        orchestra::lessons::scanBody(lesson);
        QVERIFY(!DisplayDocument::hasSourcesFooter(lesson, {}));
        QCOMPARE(DisplayDocument::build(lesson, m_catalog, {}).markdown.count(QStringLiteral("## Sources")), 1);
        QVERIFY(DisplayDocument::hasSourcesFooter(pods(), {}));
    }

    void angleBracketPlaceholders_areEscapedOutsideCode()
    {
        Lesson lesson = pods();
        lesson.objectives = {QStringLiteral("Use /k8s/clusters/<cluster-id> URLs")};
        lesson.body =
            QStringLiteral("# T\n\nThe `<token-name>:<secret>` form and <name> text, see <https://k8s.io>.\n");
        const QString md = DisplayDocument::build(lesson, m_catalog, {}).markdown;
        QVERIFY2(md.contains(QStringLiteral("- Use /k8s/clusters/\\<cluster-id> URLs")), qPrintable(md));
        QVERIFY(md.contains(QStringLiteral("`<token-name>:<secret>` form and \\<name> text, see <https://k8s.io>.")));
    }

    void missingTitleHeading_isAdded()
    {
        Lesson lesson;
        lesson.title = QStringLiteral("Untitled body");
        lesson.body = QStringLiteral("Just text.\n");
        const DisplayDocument doc = DisplayDocument::build(lesson, m_catalog, {});
        QVERIFY(doc.markdown.startsWith(QStringLiteral("# Untitled body\n")));
    }
};

ORCHESTRA_TEST_MAIN(TestDisplayDocument)
#include "tst_displaydocument.moc"
