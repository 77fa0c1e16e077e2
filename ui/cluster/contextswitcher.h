#pragma once

#include "kubeconfig/kubeconfig.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QStackedWidget;

namespace orchestra::ui {

/// Chooses the kubeconfig context: each entry shows name, cluster server, user and namespace, labelled with the
/// provider (minikube, Rancher, GKE, EKS, ...). Shows a "no clusters yet" message when there is no context.
class ContextSwitcher final : public QWidget
{
    Q_OBJECT
public:
    explicit ContextSwitcher(QWidget *parent = nullptr);

    /// Replaces the contexts (after a load or a file change), keeping the current one when it still exists.
    void setKubeconfig(const kubeconfig::Kubeconfig &config);
    /// Selects a context without emitting contextChosen.
    void setCurrentContext(const QString &name);
    QString currentContext() const;
    /// The one-line description under the selector (tests and accessibility).
    QString detailText() const;
    /// The text shown for a context in the list, e.g. "minikube  [minikube]".
    QString itemText(const QString &contextName) const;

signals:
    /// The user picked another context.
    void contextChosen(const QString &name);

private:
    void updateDetail();

    kubeconfig::Kubeconfig m_config;
    QStackedWidget *m_stack;
    QComboBox *m_combo;
    QLabel *m_detail;
    QLabel *m_empty;
    bool m_updating = false;
};

} // namespace orchestra::ui
