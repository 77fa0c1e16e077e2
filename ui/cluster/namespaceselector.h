#pragma once

#include <QStringList>
#include <QWidget>

class QComboBox;

namespace orchestra::ui {

/// Chooses the namespace: a list from the cluster when the user may list namespaces, free text otherwise.
/// The first entry is "All namespaces" (an empty namespace).
class NamespaceSelector final : public QWidget
{
    Q_OBJECT
public:
    explicit NamespaceSelector(QWidget *parent = nullptr);

    /// Namespaces read from the cluster; `listed` false means the user may not list them (free text only).
    void setNamespaces(const QStringList &namespaces, bool listed = true);
    /// Selects (or types) a namespace without emitting namespaceChosen; empty = all namespaces.
    void setNamespace(const QString &nameSpace);
    QString nameSpace() const;
    QStringList namespaces() const;

signals:
    /// The user chose a namespace (empty = all namespaces).
    void namespaceChosen(const QString &nameSpace);

private:
    void commit();

    QComboBox *m_combo;
    QString m_current;
    bool m_updating = false;
};

} // namespace orchestra::ui
