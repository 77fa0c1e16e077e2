#pragma once

#include <QString>
#include <QStringList>

#include <optional>
#include <utility>
#include <variant>

namespace orchestra {

/// An error a user can act on: what went wrong, naming the thing (file:line:col,
/// context, object kind/name), and optionally what to do next.
struct Error final
{
    QString message;  ///< One sentence naming the thing that failed.
    QString hint;     ///< What to do next; may be empty.
    QString location; ///< "file:line:col", a context name or an object; may be empty.
    int code = 0;     ///< HTTP status or another domain code; 0 when none applies.

    /// The message with the location in front and the hint after, for one-line output.
    [[nodiscard]] QString toString() const
    {
        QString text = location.isEmpty() ? message : location + QStringLiteral(": ") + message;
        if (!hint.isEmpty()) {
            // The hint is a sentence of its own; end the message first (some come from Qt or the server bare).
            if (!text.isEmpty() && !QStringLiteral(".!?:").contains(text.back()))
                text += QLatin1Char('.');
            text += QLatin1Char(' ') + hint;
        }
        return text;
    }
};

/// Either a value or an Error. Errors are values in core; the UI decides how to show them.
template<typename T>
class [[nodiscard]] Result final
{
public:
    Result(T value)
        : m_data(std::in_place_index<0>, std::move(value))
    {}
    Result(Error error)
        : m_data(std::in_place_index<1>, std::move(error))
    {}

    [[nodiscard]] bool ok() const { return m_data.index() == 0; }
    explicit operator bool() const { return ok(); }

    [[nodiscard]] const T &value() const & { return std::get<0>(m_data); }
    [[nodiscard]] T &value() & { return std::get<0>(m_data); }
    [[nodiscard]] T &&value() && { return std::get<0>(std::move(m_data)); }
    [[nodiscard]] const Error &error() const { return std::get<1>(m_data); }

    const T *operator->() const { return &value(); }
    T *operator->() { return &value(); }
    const T &operator*() const & { return value(); }

private:
    std::variant<T, Error> m_data;
};

/// Result of an operation that has no value on success.
template<>
class [[nodiscard]] Result<void> final
{
public:
    Result() = default;
    Result(Error error)
        : m_error(std::move(error))
    {}

    [[nodiscard]] bool ok() const { return !m_error.has_value(); }
    explicit operator bool() const { return ok(); }
    [[nodiscard]] const Error &error() const { return *m_error; }

private:
    std::optional<Error> m_error;
};

} // namespace orchestra
