#pragma once

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QVariant>

#include <functional>
#include <memory>

namespace orchestra::resources {

/// What a row means, independent of how the UI shows it (ui/delegates maps it to colours or icons).
enum class State { None, Healthy, Pending, Warning, Failed, Terminating, Succeeded, Unknown };

/// A short stable name for a state ("Healthy", "Failed", ...), for tests and logs.
QString stateName(State state);

/// How a column's values are typed: Age values are QDateTime (shown as kubectl age relative to now, sorted by time),
/// Number values are qint64 (sorted numerically), Text values are QString.
enum class ColumnType { Text, Number, Age };

/// One column: header text, value type, and kubectl's priority (0 = default, >0 = shown with -o wide).
struct Column final
{
    QString name;
    ColumnType type = ColumnType::Text;
    int priority = 0;
};

/// One rendered row: a value per column (QString, qint64 or QDateTime per ColumnType) and its semantic state.
struct Row final
{
    QVariantList values;
    State state = State::None;
};

/// Turns objects of one kind into table rows: a header plus a pure row function (no colours, no widgets).
class Renderer
{
public:
    virtual ~Renderer() = default;
    virtual QList<Column> columns() const = 0;
    virtual Row row(const QJsonObject &object) const = 0;
    /// True when the objects are rows of the server's Table format ({metadata, cells}) rather than full objects.
    virtual bool usesServerTable() const { return false; }
};

/// A renderer built from a column list and a row function (headlamp-style declarative descriptors).
class FunctionRenderer final : public Renderer
{
public:
    FunctionRenderer(QList<Column> columns, std::function<Row(const QJsonObject &)> row)
        : m_columns(std::move(columns))
        , m_row(std::move(row))
    {}
    QList<Column> columns() const override { return m_columns; }
    Row row(const QJsonObject &object) const override { return m_row(object); }

private:
    QList<Column> m_columns;
    std::function<Row(const QJsonObject &)> m_row;
};

/// Renders rows of the server's Table format (`as=Table`): columns from columnDefinitions, cells as sent; a "date"
/// typed Age column is recomputed from metadata.creationTimestamp so it does not go stale.
class TableRenderer final : public Renderer
{
public:
    explicit TableRenderer(const QJsonArray &columnDefinitions);
    QList<Column> columns() const override { return m_columns; }
    Row row(const QJsonObject &object) const override;
    bool usesServerTable() const override { return true; }

private:
    QList<Column> m_columns;
    int m_ageColumn = -1;
};

/// The native renderer for a kind we render ourselves (Pod, Service, Deployment, ...), or nullptr when the kind
/// should be listed in the server's Table format instead. Secrets are deliberately not native: as a Table (with
/// metadata only, as kubectl lists them) their values never reach this process until the user reveals one.
std::shared_ptr<const Renderer> nativeRenderer(const QString &group, const QString &kind);

/// True for the kinds nativeRenderer covers.
bool hasNativeRenderer(const QString &group, const QString &kind);

} // namespace orchestra::resources
