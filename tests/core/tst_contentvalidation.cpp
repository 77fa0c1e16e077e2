#include "lessons/catalog.h"

#include "testmain.h"

using namespace orchestra::lessons;

// Runs the validator over the real curriculum: broken content cannot land.
class TestContentValidation : public QObject
{
    Q_OBJECT

private slots:
    void realContent_hasNoErrors()
    {
        const Catalog catalog = Catalog::load(QStringLiteral(ORCHESTRA_SOURCE_DIR "/content"));
        QStringList errors, warnings;
        for (const Problem &problem : catalog.problems())
            (problem.severity == Problem::Severity::Error ? errors : warnings) << problem.toString();
        for (const QString &warning : std::as_const(warnings))
            qWarning().noquote() << warning;
        QVERIFY2(errors.isEmpty(), qPrintable(QStringLiteral("\n") + errors.join(QLatin1Char('\n'))));
        QCOMPARE(catalog.tracks().size(), 7);
        QVERIFY(!catalog.lessonIds().isEmpty());
    }

    void realContent_everyLessonInBothLanguages()
    {
        const Catalog catalog = Catalog::load(QStringLiteral(ORCHESTRA_SOURCE_DIR "/content"));
        QStringList missing;
        for (const QString &id : catalog.lessonIds()) {
            for (const QString &language : Catalog::languages()) {
                if (!catalog.lesson(id, language))
                    missing << language + QLatin1Char('/') + id;
            }
        }
        QVERIFY2(missing.isEmpty(), qPrintable(missing.join(QStringLiteral(", "))));
    }
};

ORCHESTRA_TEST_MAIN(TestContentValidation)
#include "tst_contentvalidation.moc"
