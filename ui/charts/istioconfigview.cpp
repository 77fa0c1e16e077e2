#include "charts/istioconfigview.h"

#include <QFontDatabase>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QTextDocument>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace orchestra::ui {

using namespace orchestra::metrics;

namespace {

constexpr int objectRole = Qt::UserRole + 1;

QString keyOf(const QString &kind, const QString &nameSpace, const QString &name)
{
    return kind + QLatin1Char('/') + nameSpace + QLatin1Char('/') + name;
}

QString keyOf(const QJsonObject &object)
{
    const QJsonObject metadata = object.value(QStringLiteral("metadata")).toObject();
    return keyOf(object.value(QStringLiteral("kind")).toString(),
                 metadata.value(QStringLiteral("namespace")).toString(),
                 metadata.value(QStringLiteral("name")).toString());
}

} // namespace

IstioConfigView::IstioConfigView(QWidget *parent)
    : QWidget(parent)
    , m_tree(new QTreeWidget(this))
    , m_summary(new QLabel(this))
    , m_overall(new QLabel(this))
    , m_yaml(new QPlainTextEdit(this))
{
    // A narrow warnings column: the object names are what needs the width.
    m_tree->setHeaderLabels({tr("Istio object"), QStringLiteral("⚠")});
    m_tree->headerItem()->setToolTip(1, tr("Warnings"));
    m_tree->setMinimumWidth(280);
    m_tree->header()->setStretchLastSection(false);
    m_tree->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_tree->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_summary->setWordWrap(true);
    m_summary->setTextFormat(Qt::RichText);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_overall->setWordWrap(true);
    m_yaml->setReadOnly(true);
    m_yaml->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_yaml->setLineWrapMode(QPlainTextEdit::NoWrap);

    auto *right = new QSplitter(Qt::Vertical, this);
    right->addWidget(m_summary);
    right->addWidget(m_yaml);
    right->setStretchFactor(1, 1);
    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(m_tree);
    split->addWidget(right);
    split->setStretchFactor(1, 2);
    split->setSizes({340, 700});
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_overall);
    layout->addWidget(split, 1);

    connect(m_tree, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem *item) {
        if (!item || !item->data(0, objectRole).isValid())
            return;
        showObject(m_objects.value(item->data(0, objectRole).toInt()));
    });
}

void IstioConfigView::setConfig(const IstioConfigSet &set)
{
    m_objects.clear();
    for (const QList<QJsonObject> *list : {&set.virtualServices, &set.destinationRules, &set.gateways,
                                           &set.serviceEntries, &set.peerAuthentications, &set.authorizationPolicies})
        m_objects += *list;
    m_warnings = checkIstioConfig(set);
    QHash<QString, int> warningCounts;
    for (const ConfigWarning &warning : m_warnings)
        ++warningCounts[keyOf(warning.kind, warning.nameSpace, warning.name)];

    m_tree->clear();
    QHash<QString, QTreeWidgetItem *> groups;
    for (int i = 0; i < m_objects.size(); ++i) {
        const QJsonObject &object = m_objects.at(i);
        const QString kind = object.value(QStringLiteral("kind")).toString();
        QTreeWidgetItem *&group = groups[kind];
        if (!group) {
            group = new QTreeWidgetItem(m_tree, {kind});
            group->setExpanded(true);
            group->setFirstColumnSpanned(false);
        }
        const QJsonObject metadata = object.value(QStringLiteral("metadata")).toObject();
        auto *item = new QTreeWidgetItem(group, {metadata.value(QStringLiteral("namespace")).toString() +
                                                 QLatin1Char('/') + metadata.value(QStringLiteral("name")).toString()});
        item->setData(0, objectRole, i);
        const int count = warningCounts.value(keyOf(object));
        if (count > 0) {
            item->setText(1, QString::number(count));
            item->setToolTip(1, tr("%n warning(s)", nullptr, count));
            item->setForeground(1, QColor(0xb2, 0x6b, 0x00));
        }
    }
    m_overall->setText(m_objects.isEmpty()
                           ? tr("No Istio networking or security objects here.")
                           : tr("%n object(s), %1", nullptr, int(m_objects.size()))
                                 .arg(m_warnings.isEmpty() ? tr("no problems found")
                                                           : tr("%n warning(s)", nullptr, int(m_warnings.size()))));
    if (!m_objects.isEmpty()) {
        QTreeWidgetItem *first = m_tree->topLevelItem(0)->child(0);
        m_tree->setCurrentItem(first);
    } else {
        m_summary->clear();
        m_yaml->clear();
    }
}

bool IstioConfigView::select(const QString &kind, const QString &nameSpace, const QString &name)
{
    const QString wanted = keyOf(kind, nameSpace, name);
    for (int g = 0; g < m_tree->topLevelItemCount(); ++g) {
        QTreeWidgetItem *group = m_tree->topLevelItem(g);
        for (int c = 0; c < group->childCount(); ++c) {
            QTreeWidgetItem *item = group->child(c);
            if (keyOf(m_objects.value(item->data(0, objectRole).toInt())) == wanted) {
                m_tree->setCurrentItem(item);
                return true;
            }
        }
    }
    return false;
}

int IstioConfigView::objectCount() const
{
    return int(m_objects.size());
}

QString IstioConfigView::summaryText() const
{
    QTextDocument document;
    document.setHtml(m_summary->text());
    return document.toPlainText();
}

QString IstioConfigView::yamlText() const
{
    return m_yaml->toPlainText();
}

void IstioConfigView::showObject(const QJsonObject &object)
{
    const ConfigSummary summary = summarize(object);
    QString html =
        QStringLiteral("<b>%1 %2/%3</b><ul>")
            .arg(summary.kind.toHtmlEscaped(), summary.nameSpace.toHtmlEscaped(), summary.name.toHtmlEscaped());
    for (const QString &line : summary.lines)
        html += QStringLiteral("<li>%1</li>").arg(line.trimmed().toHtmlEscaped());
    html += QStringLiteral("</ul>");
    const QString key = keyOf(object);
    for (const ConfigWarning &warning : m_warnings)
        if (keyOf(warning.kind, warning.nameSpace, warning.name) == key)
            html += QStringLiteral("<p style='color:#b26b00'>⚠ %1</p>").arg(warning.message.toHtmlEscaped());
    m_summary->setText(html);
    QJsonObject shown = object;
    // managedFields and the last-applied annotation are noise for a reader of routes.
    QJsonObject metadata = shown.value(QStringLiteral("metadata")).toObject();
    metadata.remove(QStringLiteral("managedFields"));
    QJsonObject annotations = metadata.value(QStringLiteral("annotations")).toObject();
    annotations.remove(QStringLiteral("kubectl.kubernetes.io/last-applied-configuration"));
    if (annotations.isEmpty())
        metadata.remove(QStringLiteral("annotations"));
    else
        metadata.insert(QStringLiteral("annotations"), annotations);
    shown.insert(QStringLiteral("metadata"), metadata);
    m_yaml->setPlainText(toYaml(shown));
}

} // namespace orchestra::ui
