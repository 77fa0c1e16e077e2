#include "cluster/namespaceselector.h"

#include <QComboBox>
#include <QCompleter>
#include <QHBoxLayout>
#include <QLineEdit>

namespace orchestra::ui {

NamespaceSelector::NamespaceSelector(QWidget *parent)
    : QWidget(parent)
    , m_combo(new QComboBox)
{
    m_combo->setEditable(true);
    m_combo->setInsertPolicy(QComboBox::NoInsert);
    m_combo->setAccessibleName(tr("Namespace"));
    m_combo->lineEdit()->setPlaceholderText(tr("All namespaces"));
    m_combo->completer()->setCaseSensitivity(Qt::CaseInsensitive);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_combo);
    setNamespaces({}, false);

    connect(m_combo, &QComboBox::activated, this, [this]() { commit(); });
    connect(m_combo->lineEdit(), &QLineEdit::editingFinished, this, [this]() { commit(); });
}

void NamespaceSelector::setNamespaces(const QStringList &namespaces, bool listed)
{
    m_updating = true;
    m_combo->clear();
    m_combo->addItem(tr("All namespaces"), QString());
    for (const QString &name : namespaces)
        m_combo->addItem(name, name);
    m_combo->setToolTip(listed ? tr("Namespaces of this cluster")
                               : tr("You may not list namespaces here; type the namespace name."));
    m_updating = false;
    setNamespace(m_current);
}

void NamespaceSelector::setNamespace(const QString &nameSpace)
{
    m_updating = true;
    m_current = nameSpace;
    const int index = m_combo->findData(nameSpace);
    if (index >= 0) {
        m_combo->setCurrentIndex(index);
        if (nameSpace.isEmpty())
            m_combo->setEditText(QString()); // shows the "All namespaces" placeholder
    } else {
        m_combo->setCurrentIndex(-1);
        m_combo->setEditText(nameSpace);
    }
    m_updating = false;
}

QString NamespaceSelector::nameSpace() const
{
    return m_current;
}

QStringList NamespaceSelector::namespaces() const
{
    QStringList list;
    for (int i = 1; i < m_combo->count(); ++i)
        list.append(m_combo->itemData(i).toString());
    return list;
}

void NamespaceSelector::commit()
{
    if (m_updating)
        return;
    QString text = m_combo->currentText().trimmed();
    if (text == tr("All namespaces"))
        text.clear();
    if (text == m_current)
        return;
    m_current = text;
    emit namespaceChosen(text);
}

} // namespace orchestra::ui
