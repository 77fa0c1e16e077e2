#include "cluster/resourcetable.h"

#include "delegates/statedelegate.h"
#include "models/resourcefilterproxy.h"
#include "models/resourcetablemodel.h"
#include "models/roles.h"
#include "resources/renderer.h"
#include "watch/informer.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include <utility>

namespace orchestra::ui {

namespace {
constexpr int largeTableRows = 2000;
} // namespace

ResourceTable::ResourceTable(QWidget *parent)
    : QWidget(parent)
    , m_proxy(new models::ResourceFilterProxy(this))
    , m_view(new QTableView(this))
    , m_delegate(new StateDelegate(this))
    , m_filter(new QLineEdit(this))
    , m_selector(new QLineEdit(this))
    , m_count(new QLabel(this))
{
    m_filter->setPlaceholderText(tr("Filter  ( / )"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setAccessibleName(tr("Filter rows"));
    m_selector->setPlaceholderText(tr("Label selector, e.g. app=web,tier!=db"));
    m_selector->setClearButtonEnabled(true);
    m_selector->setAccessibleName(tr("Label selector"));
    m_count->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_proxy->setSortRole(models::SortRole);
    m_view->setModel(m_proxy);
    m_view->setItemDelegate(m_delegate);
    m_view->setSortingEnabled(true);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setAlternatingRowColors(true);
    m_view->setShowGrid(false);
    m_view->setWordWrap(false);
    m_view->setTextElideMode(Qt::ElideRight);
    m_view->verticalHeader()->setVisible(false);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 8);
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->horizontalHeader()->setHighlightSections(false);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_view->setAccessibleName(tr("Resources"));

    // Big tables filter once typing pauses, so each keystroke echoes at once instead of paying a filter pass.
    m_filterDelay.setSingleShot(true);
    m_filterDelay.setInterval(150);
    connect(&m_filterDelay, &QTimer::timeout, this, [this] {
        m_proxy->setFilterText(m_filter->text());
        updateCount();
    });
    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString &text) {
        if (m_model && m_model->rowCount() > largeTableRows) {
            m_filterDelay.start();
            return;
        }
        m_filterDelay.stop();
        m_proxy->setFilterText(text);
        updateCount();
    });
    connect(m_selector, &QLineEdit::textChanged, this, &ResourceTable::onSelectorEdited);
    connect(m_view, &QTableView::doubleClicked, this, &ResourceTable::activated);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                const QString uid = current.data(models::UidRole).toString();
                if (uid == m_currentUid)
                    return;
                m_currentUid = uid;
                m_currentVersion = current.data(models::ResourceVersionRole).toString();
                emit currentChanged(uid);
            });
    // A relist resets the model; put the selection back on the same object afterwards.
    connect(m_proxy, &QAbstractItemModel::modelAboutToBeReset, this, [this] { m_uidBeforeReset = m_currentUid; });
    connect(m_proxy, &QAbstractItemModel::modelReset, this, [this] {
        if (!m_uidBeforeReset.isEmpty() && !selectUid(m_uidBeforeReset)) {
            m_currentUid.clear();
            emit currentChanged({});
        }
        m_uidBeforeReset.clear();
        updateCount();
    });
    // The proxy reports removals while the source is still mid-batch; count once the batch is done.
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, &ResourceTable::scheduleCount);
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, &ResourceTable::scheduleCount);

    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(0, 0, 0, 0);
    bar->addWidget(m_filter, 3);
    bar->addWidget(m_selector, 2);
    bar->addWidget(m_count);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    layout->addLayout(bar);
    layout->addWidget(m_view, 1);
    updateCount();
}

ResourceTable::~ResourceTable()
{
    // Nothing to restore in a table being destroyed: without this, the proxy's reset would re-select the current
    // row through the model being dropped.
    disconnect(m_proxy, nullptr, this, nullptr);
    m_proxy->setSourceModel(nullptr);
}

void ResourceTable::setInformer(std::shared_ptr<watch::Informer> informer, bool showNamespace)
{
    clear();
    if (!informer)
        return;
    m_informer = std::move(informer);
    m_showNamespace = showNamespace;
    m_sortChosen = false;
    m_configuredColumns = -1;
    const kube::ResourceKind &kind = m_informer->kind();
    std::shared_ptr<const resources::Renderer> renderer;
    if (m_informer->format() == watch::Informer::Format::Objects)
        renderer = resources::nativeRenderer(kind.group, kind.kind);
    m_model = new models::ResourceTableModel(m_informer->store(), renderer, showNamespace, this);
    connect(m_model, &models::ResourceTableModel::batchApplied, this, [this] {
        updateCount();
        if (m_currentUid.isEmpty())
            return;
        const QModelIndex index = m_view->currentIndex();
        if (!index.isValid())
            return;
        const QString version = index.data(models::ResourceVersionRole).toString();
        if (version != m_currentVersion) {
            m_currentVersion = version;
            emit currentUpdated();
        }
    });
    m_proxy->setSourceModel(m_model);
    // The proxy's signals, not the model's: a server Table's columns arrive with its first page (a reset), and the
    // proxy knows about them only once it has handled that reset itself.
    connect(m_proxy, &QAbstractItemModel::headerDataChanged, this, &ResourceTable::configureColumns);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &ResourceTable::configureColumns);
    connect(m_proxy, &QAbstractItemModel::columnsInserted, this, &ResourceTable::configureColumns);
    configureColumns();
    updateCount();
}

void ResourceTable::configureColumns()
{
    if (!m_model)
        return;
    const QList<resources::Column> columns = m_model->columns();
    const int offset = m_showNamespace ? 1 : 0;
    int statusColumn = -1;
    int timeColumn = -1;
    for (const char *candidate : {"STATUS", "TYPE", "READY"}) {
        for (int i = 0; i < columns.size() && statusColumn < 0; ++i) {
            if (columns.at(i).name == QLatin1String(candidate))
                statusColumn = i + offset;
        }
    }
    for (int i = 0; i < columns.size(); ++i) {
        if (columns.at(i).name == QLatin1String("LAST SEEN"))
            timeColumn = i + offset;
    }
    int nameColumn = offset;
    for (int i = 0; i < columns.size(); ++i) {
        if (columns.at(i).name == QLatin1String("NAME")) {
            nameColumn = i + offset;
            break;
        }
    }
    m_delegate->setColumns(nameColumn, statusColumn);
    QHeaderView *header = m_view->horizontalHeader();
    // Widths are set once per column set, so a relist never undoes what the user resized.
    const int columnCount = m_proxy->columnCount();
    if (columnCount == m_configuredColumns)
        return;
    m_configuredColumns = columnCount;
    for (int i = 0; i < columnCount; ++i) {
        const QString name = m_proxy->headerData(i, Qt::Horizontal).toString();
        int width = 90;
        if (i == nameColumn)
            width = 300;
        else if (name == QLatin1String("NAMESPACE"))
            width = 140;
        else if (name == QLatin1String("MESSAGE") || name == QLatin1String("SELECTOR") ||
                 name == QLatin1String("NODE") || name == QLatin1String("OBJECT"))
            width = 200;
        else if (name == QLatin1String("STATUS") || name == QLatin1String("PORT(S)") ||
                 name == QLatin1String("CLUSTER-IP") || name == QLatin1String("IP"))
            width = name == QLatin1String("STATUS") ? 150 : 120;
        header->resizeSection(i, width);
    }
    // A new kind starts like kubectl: events newest first, everything else by name. Later resets (relists)
    // keep the user's sort.
    if (!m_sortChosen) {
        m_sortChosen = true;
        if (timeColumn >= 0)
            m_view->sortByColumn(timeColumn, Qt::DescendingOrder);
        else
            m_view->sortByColumn(nameColumn, Qt::AscendingOrder);
    }
}

void ResourceTable::clear()
{
    // Forget the model before the proxy lets go of it: the proxy's reset re-selects the current uid (selectUid),
    // which must not map an index of the old model through a proxy that no longer shows it.
    std::unique_ptr<models::ResourceTableModel> old(std::exchange(m_model, nullptr));
    m_proxy->setSourceModel(nullptr);
    old.reset();
    m_informer.reset();
    if (!m_currentUid.isEmpty()) {
        m_currentUid.clear();
        emit currentChanged({});
    }
    m_currentVersion.clear();
    updateCount();
}

int ResourceTable::visibleRows() const
{
    return m_proxy->rowCount();
}

QString ResourceTable::countText() const
{
    return m_count->text();
}

void ResourceTable::scheduleCount()
{
    if (m_countScheduled)
        return;
    m_countScheduled = true;
    QTimer::singleShot(0, this, &ResourceTable::updateCount);
}

void ResourceTable::updateCount()
{
    m_countScheduled = false;
    const QLocale locale;
    const int total = m_model ? m_model->rowCount() : 0;
    const int shown = m_proxy->rowCount();
    if (!m_model)
        m_count->clear();
    else if (shown == total)
        m_count->setText(tr("%1 rows").arg(locale.toString(total)));
    else
        m_count->setText(tr("%1 of %2").arg(locale.toString(shown), locale.toString(total)));
    emit rowCountChanged();
}

void ResourceTable::onSelectorEdited()
{
    const Result<void> result = m_proxy->setLabelSelector(m_selector->text());
    if (result.ok()) {
        m_selector->setStyleSheet({});
        m_selector->setToolTip(tr("Kubernetes label selector: key=value, key!=value, key in (a,b), key, !key"));
    } else {
        m_selector->setStyleSheet(
            QStringLiteral("QLineEdit { color: %1; }").arg(stateColor(resources::State::Failed, palette()).name()));
        m_selector->setToolTip(result.error().toString());
    }
    updateCount();
}

QString ResourceTable::currentUid() const
{
    return m_currentUid;
}

QString ResourceTable::currentName() const
{
    return m_view->currentIndex().data(models::NameRole).toString();
}

QString ResourceTable::currentNamespace() const
{
    return m_view->currentIndex().data(models::NamespaceRole).toString();
}

QJsonObject ResourceTable::currentObject() const
{
    return m_view->currentIndex().data(models::ObjectRole).toJsonObject();
}

bool ResourceTable::selectUid(const QString &uid)
{
    if (!m_model || m_proxy->sourceModel() != m_model)
        return false;
    const int sourceRow = m_model->rowOf(uid);
    if (sourceRow < 0)
        return false;
    const QModelIndex index = m_proxy->mapFromSource(m_model->index(sourceRow, 0));
    if (!index.isValid())
        return false;
    m_view->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_view->scrollTo(index);
    return true;
}

bool ResourceTable::selectName(const QString &name, const QString &ns)
{
    for (int row = 0; row < m_proxy->rowCount(); ++row) {
        const QModelIndex index = m_proxy->index(row, 0);
        if (index.data(models::NameRole).toString() == name &&
            (ns.isEmpty() || index.data(models::NamespaceRole).toString() == ns)) {
            m_view->selectionModel()->setCurrentIndex(index,
                                                      QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
            m_view->scrollTo(index);
            return true;
        }
    }
    return false;
}

void ResourceTable::focusFilter()
{
    m_filter->setFocus(Qt::ShortcutFocusReason);
    m_filter->selectAll();
}

} // namespace orchestra::ui
