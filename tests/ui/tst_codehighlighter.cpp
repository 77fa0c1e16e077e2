#include "highlighting/codehighlighter.h"

#include "testmain.h"

#include <QTextBlock>
#include <QTextCursor>
#include <QTextDocument>
#include <QTextLayout>

using orchestra::ui::CodeHighlighter;

class TestCodeHighlighter : public QObject
{
    Q_OBJECT

    static QList<QTextLayout::FormatRange> formatsOf(const QTextBlock &block) { return block.layout()->formats(); }

    static bool hasFormatAt(const QTextBlock &block, int position)
    {
        for (const QTextLayout::FormatRange &range : formatsOf(block)) {
            if (position >= range.start && position < range.start + range.length &&
                range.format.foreground().style() != Qt::NoBrush)
                return true;
        }
        return false;
    }

private slots:
    void wholeDocumentMode_highlightsYamlKeysCommentsAndStrings()
    {
        QTextDocument doc;
        doc.setPlainText(QStringLiteral("apiVersion: v1\nkind: Pod # a comment\nmetadata:\n  name: \"web\"\n"));
        CodeHighlighter highlighter(&doc);
        highlighter.setLanguage(QStringLiteral("yaml"));
        QVERIFY(hasFormatAt(doc.findBlockByNumber(0), 0));   // key
        QVERIFY(hasFormatAt(doc.findBlockByNumber(1), 12));  // comment
        QVERIFY(hasFormatAt(doc.findBlockByNumber(3), 9));   // string
        QVERIFY(!hasFormatAt(doc.findBlockByNumber(0), 12)); // plain value
    }

    void perBlockMode_onlyHighlightsCodeBlocks()
    {
        QTextDocument doc;
        doc.setMarkdown(QStringLiteral("key: not code\n\n```bash\nkubectl get pods -A\n```\n"));
        CodeHighlighter highlighter(&doc);
        highlighter.rehighlight();
        QTextBlock prose = doc.firstBlock();
        QVERIFY(!hasFormatAt(prose, 0));
        QTextBlock code = prose.next();
        QCOMPARE(code.blockFormat().stringProperty(QTextFormat::BlockCodeLanguage), QStringLiteral("bash"));
        QVERIFY(hasFormatAt(code, 0));  // the command
        QVERIFY(hasFormatAt(code, 17)); // the option -A
    }

    void multiLineConstructs_carryState()
    {
        QTextDocument doc;
        doc.setPlainText(QStringLiteral("x = \"\"\"start\nmiddle\nend\"\"\"\ny = 1\n"));
        CodeHighlighter highlighter(&doc);
        highlighter.setLanguage(QStringLiteral("python"));
        QVERIFY(hasFormatAt(doc.findBlockByNumber(1), 0));  // inside the triple-quoted string
        QVERIFY(!hasFormatAt(doc.findBlockByNumber(3), 0)); // after it
    }

    void supportsTheLessonLanguages()
    {
        for (const char *language : {"yaml", "bash", "json", "go", "python", "dockerfile"})
            QVERIFY2(CodeHighlighter::supportsLanguage(QLatin1String(language)), language);
        QVERIFY(!CodeHighlighter::engineName().isEmpty());
    }
};

ORCHESTRA_TEST_MAIN(TestCodeHighlighter)
#include "tst_codehighlighter.moc"
