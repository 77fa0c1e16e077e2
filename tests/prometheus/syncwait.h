#pragma once

// Turns the metrics callbacks into values for tests: runs the event loop until the callback fired.

#include "common/result.h"

#include <QEventLoop>
#include <QTimer>

#include <functional>
#include <optional>

namespace orchestra::testing {

/// Calls `start` with a callback and waits (event loop) up to `timeoutMs` for it; a timeout becomes an Error.
template<typename T>
orchestra::Result<T> waitFor(const std::function<void(std::function<void(orchestra::Result<T>)>)> &start,
                             int timeoutMs = 60000)
{
    std::optional<orchestra::Result<T>> out;
    QEventLoop loop;
    start([&out, &loop](orchestra::Result<T> result) {
        out.emplace(std::move(result));
        loop.quit();
    });
    if (!out) {
        QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
        loop.exec();
    }
    if (!out)
        return orchestra::Error{QStringLiteral("test: no answer within %1 ms").arg(timeoutMs), {}, {}, 0};
    return std::move(*out);
}

} // namespace orchestra::testing
