#pragma once

#include <QString>

namespace orchestra {

/// The curriculum folder: $ORCHESTRA_CONTENT_DIR, else the installed
/// <prefix>/share/orchestra/content next to the executable, else the source
/// tree's content/ (development builds). Empty when none exists.
QString contentDirectory();

} // namespace orchestra
