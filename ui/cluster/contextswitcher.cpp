#include "cluster/contextswitcher.h"

#include "kubeconfig/provider.h"

#include <QComboBox>
#include <QLabel>
#include <QStackedWidget>
#include <QUrl>
#include <QVBoxLayout>

namespace orchestra::ui {

namespace {

constexpr int kContextNameRole = Qt::UserRole + 1;

} // namespace

ContextSwitcher::ContextSwitcher(QWidget *parent)
    : QWidget(parent)
    , m_stack(new QStackedWidget(this))
    , m_combo(new QComboBox)
    , m_detail(new QLabel)
    , m_empty(new QLabel)
{
    auto *chooser = new QWidget;
    auto *chooserLayout = new QVBoxLayout(chooser);
    chooserLayout->setContentsMargins(0, 0, 0, 0);
    m_combo->setAccessibleName(tr("Kubernetes context"));
    m_combo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_detail->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_detail->setWordWrap(true);
    chooserLayout->addWidget(m_combo);
    chooserLayout->addWidget(m_detail);

    m_empty->setWordWrap(true);
    m_empty->setText(tr("No clusters yet. Start one (for example `minikube start`) or use File > Open kubeconfig…; "
                        "Orchestra reads KUBECONFIG or ~/.kube/config."));

    m_stack->addWidget(chooser);
    m_stack->addWidget(m_empty);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_stack);

    connect(m_combo, &QComboBox::currentIndexChanged, this, [this]() {
        updateDetail();
        if (!m_updating && m_combo->currentIndex() >= 0)
            emit contextChosen(currentContext());
    });
    m_stack->setCurrentWidget(m_empty);
}

QString ContextSwitcher::itemText(const QString &contextName) const
{
    const kubeconfig::Context *context = m_config.context(contextName);
    if (!context)
        return {};
    const kubeconfig::Provider provider = kubeconfig::detectProvider(m_config, *context);
    return provider.label.isEmpty() ? context->name : QStringLiteral("%1  [%2]").arg(context->name, provider.label);
}

void ContextSwitcher::setKubeconfig(const kubeconfig::Kubeconfig &config)
{
    const QString previous = currentContext();
    m_config = config;
    m_updating = true;
    m_combo->clear();
    for (const kubeconfig::Context &context : m_config.contexts) {
        m_combo->addItem(itemText(context.name), context.name);
        const kubeconfig::Cluster *cluster = m_config.cluster(context.cluster);
        m_combo->setItemData(m_combo->count() - 1,
                             tr("Cluster %1 (%2)\nUser %3\nNamespace %4")
                                 .arg(context.cluster, cluster ? cluster->server : tr("not defined"), context.user,
                                      context.nameSpace.isEmpty() ? QStringLiteral("default") : context.nameSpace),
                             Qt::ToolTipRole);
        m_combo->setItemData(m_combo->count() - 1, context.name, kContextNameRole);
    }
    const QString keep = m_config.context(previous) ? previous : m_config.currentContext;
    const int index = m_combo->findData(keep);
    m_combo->setCurrentIndex(index >= 0 ? index : (m_combo->count() > 0 ? 0 : -1));
    m_updating = false;
    m_stack->setCurrentIndex(m_config.contexts.isEmpty() ? 1 : 0);
    updateDetail();
}

void ContextSwitcher::setCurrentContext(const QString &name)
{
    const int index = m_combo->findData(name);
    if (index < 0)
        return;
    m_updating = true;
    m_combo->setCurrentIndex(index);
    m_updating = false;
    updateDetail();
}

QString ContextSwitcher::currentContext() const
{
    return m_combo->currentData().toString();
}

QString ContextSwitcher::detailText() const
{
    return m_detail->text();
}

void ContextSwitcher::updateDetail()
{
    const kubeconfig::Context *context = m_config.context(currentContext());
    if (!context) {
        m_detail->clear();
        return;
    }
    const kubeconfig::Cluster *cluster = m_config.cluster(context->cluster);
    QStringList parts;
    parts << (cluster ? QUrl(cluster->server).toDisplayString(QUrl::RemoveUserInfo)
                      : tr("cluster %1 is not defined").arg(context->cluster));
    parts << tr("user %1").arg(context->user.isEmpty() ? tr("(none)") : context->user);
    parts << tr("namespace %1").arg(context->nameSpace.isEmpty() ? QStringLiteral("default") : context->nameSpace);
    QString text = parts.join(QStringLiteral(" · "));
    if (cluster && cluster->insecureSkipTlsVerify)
        text += QLatin1Char('\n') + tr("Warning: TLS verification is off for this cluster (insecure-skip-tls-verify).");
    m_detail->setText(text);
}

} // namespace orchestra::ui
