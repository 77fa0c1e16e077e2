#pragma once

#include "resources/renderer.h"
#include "watch/objectstore.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QPointer>
#include <QSet>
#include <QTimer>

#include <memory>
#include <vector>

namespace orchestra::models {

/// A table of one kind's objects over an ObjectStore, rendered by a resources::Renderer (or by the server's Table
/// columns when no renderer is given). Store changes are coalesced and applied in batches: removes, one
/// dataChanged, one insert; a relist costs one reset; a burst of 1,000 events costs one repaint.
class ResourceTableModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    /// `renderer` null = render the server Table rows in the store. `showNamespace` adds a leading NAMESPACE column
    /// (kubectl -A).
    ResourceTableModel(watch::ObjectStore *store, std::shared_ptr<const resources::Renderer> renderer,
                       bool showNamespace, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /// How long changes are collected before they reach the view (default 50 ms; 0 = next event loop pass).
    void setBatchInterval(int milliseconds);
    /// Applies pending changes now (tests, benchmarks).
    void flush();
    /// How often Age columns are repainted so "5m" keeps counting (default 10 s; 0 = never).
    void setAgeRefreshInterval(int milliseconds);
    /// Row of the object with this uid, -1 when absent.
    int rowOf(const QString &uid) const;
    /// How many batches were applied so far (a reset counts as one).
    int batchCount() const { return m_batches; }
    /// The columns as rendered (without the NAMESPACE column).
    QList<resources::Column> columns() const { return m_columns; }

signals:
    /// A batch was applied to the model.
    void batchApplied();

private:
    struct Entry
    {
        watch::ObjectPtr object;
        resources::Row row;
    };

    void onReset();
    void onChanged(const watch::StoreDelta &delta);
    void scheduleFlush();
    void rebuild();
    void reindex(int from);
    void updateRenderer();
    void refreshAges();
    Entry render(const watch::ObjectPtr &object) const;
    QVariant display(const Entry &entry, int column) const;

    QPointer<watch::ObjectStore> m_store;
    std::shared_ptr<const resources::Renderer> m_fixedRenderer;
    std::shared_ptr<const resources::Renderer> m_renderer;
    QList<resources::Column> m_columns;
    bool m_showNamespace;
    std::vector<Entry> m_rows;
    QHash<QString, int> m_index;
    QSet<QString> m_dirty;
    bool m_resetPending = false;
    QTimer m_timer;
    QTimer m_ageTimer;
    int m_batches = 0;
};

} // namespace orchestra::models
