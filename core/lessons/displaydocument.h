#pragma once

#include "lessons/lesson.h"

#include <QSet>

namespace orchestra::lessons {

class Catalog;

/// A code block of a displayed lesson, for Copy / Open in editor / Apply.
struct CodeBlock final
{
    QString language;     ///< First word of the fence's info string ("yaml", "bash", ...).
    QString code;         ///< The text shown (a manifest's file content for manifest blocks).
    QString manifestPath; ///< Relative to content/manifests/ for manifest blocks, else empty.
};

/// The words the display document uses, in the UI language.
struct DisplayLabels final
{
    QString objectives = QStringLiteral("Objectives");
    QString sources = QStringLiteral("Sources");
    QString minutes = QStringLiteral("%1 min");
    QString showAnswer = QStringLiteral("Show answer");
    QString hideAnswer = QStringLiteral("Hide answer");
    QString answer = QStringLiteral("Answer");
    QString note = QStringLiteral("Note");
    QString tip = QStringLiteral("Tip");
    QString warning = QStringLiteral("Warning");
    QString copy = QStringLiteral("Copy");
    QString openInEditor = QStringLiteral("Open in editor");
    QString apply = QStringLiteral("Apply");
    QString missingManifest = QStringLiteral("Manifest not found: %1");
    QMap<Stage, QString> stages{{Stage::Theory, QStringLiteral("Theory")},
                                {Stage::Practice, QStringLiteral("Practice")},
                                {Stage::Project, QStringLiteral("Project")},
                                {Stage::CaseStudy, QStringLiteral("Case study")}};
};

/// A lesson turned into the markdown the reader renders: front matter shown as
/// a header (stage, minutes, objectives) and footer (sources), manifest
/// references replaced by the files' content, callout markers turned into
/// labels, self-check answers hidden behind links unless revealed, and action
/// links before code blocks. Action links use the "orchestra:" scheme:
/// orchestra:copy/N, orchestra:open/N, orchestra:apply/N, orchestra:answer/N.
struct DisplayDocument final
{
    QString markdown;
    QList<CodeBlock> codeBlocks;
    int answerCount = 0;

    static DisplayDocument build(const Lesson &lesson, const Catalog &catalog, const QSet<int> &revealedAnswers,
                                 const DisplayLabels &labels = {});
    /// Whether build() appends the front matter's sources as a final section.
    static bool hasSourcesFooter(const Lesson &lesson, const DisplayLabels &labels);
};

} // namespace orchestra::lessons
