#pragma once

#include "lessons/lesson.h"

namespace orchestra::lessons {

/// Fills lesson.headings, lesson.links and lesson.manifests from lesson.body
/// (line numbers are file lines, using lesson.bodyLine). Code blocks are skipped.
void scanBody(Lesson &lesson);

/// The info string's `file=` value of a fence line such as "```yaml file=a/b.yaml"; empty if none.
QString manifestPathFromFence(const QString &infoString);

/// Markdown reduced to searchable text: no markup, links replaced by their text,
/// code kept (commands are worth finding), callout markers dropped.
QString plainText(const QString &markdown);

/// Inline markdown of a heading or title reduced to text ("**Pods** and `kubectl`" -> "Pods and kubectl").
QString stripInlineMarkdown(const QString &text);

} // namespace orchestra::lessons

namespace orchestra::lessons {

/// GitHub's anchor for a heading: lower case, punctuation dropped, spaces to
/// hyphens; letters of every script kept ("Pods and `kubectl`" -> "pods-and-kubectl").
QString headingSlug(const QString &heading);

} // namespace orchestra::lessons
