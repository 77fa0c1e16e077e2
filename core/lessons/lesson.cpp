#include "lessons/lesson.h"

namespace orchestra::lessons {

namespace {
constexpr struct
{
    Stage stage;
    const char *name;
} kStages[] = {
    {Stage::Theory, "theory"},
    {Stage::Practice, "practice"},
    {Stage::Project, "project"},
    {Stage::CaseStudy, "case-study"},
};
} // namespace

bool stageFromString(const QString &text, Stage *stage)
{
    for (const auto &entry : kStages) {
        if (text == QLatin1String(entry.name)) {
            *stage = entry.stage;
            return true;
        }
    }
    return false;
}

QString stageToString(Stage stage)
{
    for (const auto &entry : kStages) {
        if (entry.stage == stage)
            return QLatin1String(entry.name);
    }
    return {};
}

QString Track::title(const QString &language) const
{
    return titles.value(language, titles.value(QStringLiteral("en"), id));
}

QString Track::description(const QString &language) const
{
    return descriptions.value(language, descriptions.value(QStringLiteral("en")));
}

} // namespace orchestra::lessons
