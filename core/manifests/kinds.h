#pragma once

#include <QList>
#include <QString>

#include <optional>

namespace orchestra::manifests {

/// What apply needs to know about a kind: where it is served and whether it lives in a namespace.
struct KindInfo final
{
    QString group;   ///< empty for the core group
    QString version; ///< v1, v1beta1, ...
    QString kind;    ///< Deployment
    QString plural;  ///< deployments (from discovery; never guessed from the kind)
    bool namespaced = true;

    /// "v1" for the core group, else "group/version".
    QString apiVersion() const;
    bool operator==(const KindInfo &other) const = default;
};

/// Splits "apps/v1" into {"apps", "v1"} and "v1" into {"", "v1"}.
std::pair<QString, QString> splitApiVersion(const QString &apiVersion);

/// Answers "is this kind served, and is it namespaced?" -- discovery when connected, a built-in table otherwise.
class KindResolver
{
public:
    virtual ~KindResolver() = default;
    /// True when answers come from a live cluster's discovery.
    virtual bool connected() const = 0;
    /// The kind as served for `apiVersion`, or nullopt when unknown.
    virtual std::optional<KindInfo> find(const QString &apiVersion, const QString &kind) const = 0;
};

/// The kinds every cluster of this era serves (plus Istio's), used when not connected. Version-agnostic: the
/// document's version is kept, the plural and scope come from the table.
class BuiltinKinds final : public KindResolver
{
public:
    bool connected() const override { return false; }
    std::optional<KindInfo> find(const QString &apiVersion, const QString &kind) const override;
    /// Same as find() without an instance.
    static std::optional<KindInfo> lookup(const QString &apiVersion, const QString &kind);
};

/// A fixed copy of a resolver's answers: safe to hand to a validation worker thread while discovery refreshes.
class KindTable final : public KindResolver
{
public:
    KindTable(QList<KindInfo> kinds, bool connected)
        : m_kinds(std::move(kinds))
        , m_connected(connected)
    {}
    bool connected() const override { return m_connected; }
    std::optional<KindInfo> find(const QString &apiVersion, const QString &kind) const override;

private:
    QList<KindInfo> m_kinds;
    bool m_connected;
};

} // namespace orchestra::manifests
