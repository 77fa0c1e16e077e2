#pragma once

#include <QJsonObject>
#include <QTimer>
#include <QWidget>

#include <memory>

class QLabel;
class QLineEdit;
class QTableView;

namespace orchestra::watch {
class Informer;
}
namespace orchestra::models {
class ResourceFilterProxy;
class ResourceTableModel;
} // namespace orchestra::models

namespace orchestra::ui {

class StateDelegate;

/// One kind's live table: a text filter, a label selector, a row count and a sortable view over an informer's
/// store. Watch updates arrive in batches that keep the scroll position, the sort and the selection.
class ResourceTable final : public QWidget
{
    Q_OBJECT
public:
    explicit ResourceTable(QWidget *parent = nullptr);
    ~ResourceTable() override;

    /// Shows `informer`'s objects (holding it keeps its watch open); `showNamespace` adds the NAMESPACE column.
    void setInformer(std::shared_ptr<watch::Informer> informer, bool showNamespace);
    /// Drops the model and the informer: no row of the previous source stays visible.
    void clear();
    watch::Informer *informer() const { return m_informer.get(); }

    QTableView *view() const { return m_view; }
    QLineEdit *filterEdit() const { return m_filter; }
    QLineEdit *selectorEdit() const { return m_selector; }
    models::ResourceFilterProxy *proxy() const { return m_proxy; }
    models::ResourceTableModel *model() const { return m_model; }
    StateDelegate *delegate() const { return m_delegate; }
    /// Rows shown after filtering.
    int visibleRows() const;
    /// The row-count text ("12 of 5,000").
    QString countText() const;

    /// The selected object's uid, name and namespace ("" when none).
    QString currentUid() const;
    QString currentName() const;
    QString currentNamespace() const;
    /// The selected object as stored (no managedFields, no secret values; Table rows for server-rendered kinds).
    QJsonObject currentObject() const;
    /// Selects the row of `uid`; false when it is not shown.
    bool selectUid(const QString &uid);
    /// Selects the row named `name` (in `ns` when given).
    bool selectName(const QString &name, const QString &ns = {});
    /// Focuses the text filter and selects its text (the `/` shortcut).
    void focusFilter();

signals:
    /// The selection moved to another object (uid empty when nothing is selected).
    void currentChanged(const QString &uid);
    /// The selected object changed on the server (new resourceVersion).
    void currentUpdated();
    /// Double click on a row (Enter is the panel's Open Details action).
    void activated();
    void rowCountChanged();

private:
    void updateCount();
    void scheduleCount();
    void onSelectorEdited();
    void configureColumns();

    std::shared_ptr<watch::Informer> m_informer;
    models::ResourceTableModel *m_model = nullptr;
    models::ResourceFilterProxy *m_proxy;
    QTableView *m_view;
    StateDelegate *m_delegate;
    QLineEdit *m_filter;
    QLineEdit *m_selector;
    QLabel *m_count;
    QString m_currentUid;
    QString m_currentVersion;
    QString m_uidBeforeReset;
    bool m_showNamespace = false;
    bool m_sortChosen = false;
    int m_configuredColumns = -1;
    bool m_countScheduled = false;
    QTimer m_filterDelay;
};

} // namespace orchestra::ui
