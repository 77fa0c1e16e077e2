#pragma once

#include "metrics/istioconfig.h"

#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QTreeWidget;

namespace orchestra::ui {

/// Istio configuration of a namespace or the mesh: objects by kind, each with a readable summary next to its
/// YAML, and the cross-object checks (missing subsets, hosts without a Service, ...) as warnings.
class IstioConfigView final : public QWidget
{
    Q_OBJECT
public:
    explicit IstioConfigView(QWidget *parent = nullptr);

    /// Shows these objects and runs the checks over them.
    void setConfig(const metrics::IstioConfigSet &set);
    /// Selects an object by kind/namespace/name (false when not shown).
    bool select(const QString &kind, const QString &nameSpace, const QString &name);

    [[nodiscard]] int objectCount() const;
    [[nodiscard]] QList<metrics::ConfigWarning> warnings() const { return m_warnings; }
    /// The summary and warnings of the selected object, as plain text.
    [[nodiscard]] QString summaryText() const;
    [[nodiscard]] QString yamlText() const;

private:
    void showObject(const QJsonObject &object);

    QList<QJsonObject> m_objects;
    QList<metrics::ConfigWarning> m_warnings;
    QTreeWidget *m_tree;
    QLabel *m_summary;
    QLabel *m_overall;
    QPlainTextEdit *m_yaml;
};

} // namespace orchestra::ui
