#include "editor/editortab.h"

#include "editor/conflictdialog.h"
#include "editor/diffview.h"
#include "editor/findbar.h"
#include "editor/manifesteditor.h"
#include "kube/apiclient.h"
#include "manifests/validator.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QSaveFile>
#include <QSplitter>
#include <QStandardItemModel>
#include <QStyle>
#include <QTabWidget>
#include <QThreadPool>
#include <QTimer>
#include <QTreeView>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace orchestra::ui {

using manifests::ObjectOutcome;
using manifests::Problem;

namespace {

constexpr int validationDelayMs = 300;
constexpr qsizetype workerThreshold = 64 * 1024; // bigger texts are parsed off the GUI thread
constexpr int lineRole = Qt::UserRole + 1;
constexpr int columnRole = Qt::UserRole + 2;

QString severityText(Problem::Severity severity)
{
    switch (severity) {
    case Problem::Severity::Error:
        return EditorTab::tr("Error");
    case Problem::Severity::Warning:
        return EditorTab::tr("Warning");
    case Problem::Severity::Info:
        return EditorTab::tr("Info");
    }
    return {};
}

QColor stateColor(ObjectOutcome::State state)
{
    switch (state) {
    case ObjectOutcome::State::Created:
    case ObjectOutcome::State::Configured:
        return QColor(0x2e, 0x7d, 0x32);
    case ObjectOutcome::State::Conflict:
    case ObjectOutcome::State::Stale:
        return QColor(0xe0, 0x8a, 0x00);
    case ObjectOutcome::State::Failed:
        return QColor(0xd3, 0x2f, 0x2f);
    default:
        return {};
    }
}

} // namespace

QSet<QString> &confirmedApplyContexts()
{
    static QSet<QString> contexts;
    return contexts;
}

EditorTab::EditorTab(QWidget *parent)
    : QWidget(parent)
    , m_editor(new ManifestEditor(this))
    , m_findBar(new FindBar(m_editor, this))
    , m_contextLabel(new QLabel(this))
    , m_serverLabel(new QLabel(this))
    , m_namespaceEdit(new QLineEdit(this))
    , m_targetLabel(new QLabel(this))
    , m_dryRunButton(new QPushButton(tr("Dry run + diff"), this))
    , m_applyButton(new QPushButton(tr("Apply"), this))
    , m_cancelButton(new QPushButton(tr("Cancel"), this))
    , m_progress(new QProgressBar(this))
    , m_bottom(new QTabWidget(this))
    , m_problemsView(new QTreeView(this))
    , m_problemsModel(new QStandardItemModel(0, 3, this))
    , m_results(new QTreeWidget(this))
    , m_diff(new DiffView(this))
    , m_validateTimer(new QTimer(this))
{
    setObjectName(QStringLiteral("editorTab"));
    m_contextLabel->setObjectName(QStringLiteral("applyContext"));
    m_serverLabel->setObjectName(QStringLiteral("applyServer"));
    m_namespaceEdit->setObjectName(QStringLiteral("applyNamespace"));
    m_targetLabel->setObjectName(QStringLiteral("applyTarget"));
    m_dryRunButton->setObjectName(QStringLiteral("dryRunButton"));
    m_applyButton->setObjectName(QStringLiteral("applyButton"));
    m_problemsView->setObjectName(QStringLiteral("problemsView"));
    m_results->setObjectName(QStringLiteral("resultsView"));
    m_serverLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_namespaceEdit->setPlaceholderText(tr("context default"));
    m_namespaceEdit->setToolTip(tr("Objects without metadata.namespace go here; empty uses the context's namespace."));
    m_namespaceEdit->setMaximumWidth(180);
    m_applyButton->setIcon(style()->standardIcon(QStyle::SP_DialogApplyButton));
    m_cancelButton->hide();
    m_progress->hide();
    m_progress->setMaximumWidth(160);
    m_progress->setFormat(tr("%v of %m"));

    // The apply bar: always says where objects will go.
    auto *bar = new QWidget(this);
    bar->setObjectName(QStringLiteral("applyBar"));
    auto *barLayout = new QHBoxLayout(bar);
    barLayout->setContentsMargins(6, 4, 6, 4);
    barLayout->addWidget(new QLabel(tr("Context:"), bar));
    barLayout->addWidget(m_contextLabel);
    barLayout->addSpacing(8);
    barLayout->addWidget(m_serverLabel);
    barLayout->addSpacing(8);
    barLayout->addWidget(new QLabel(tr("Namespace:"), bar));
    barLayout->addWidget(m_namespaceEdit);
    barLayout->addWidget(m_targetLabel, 1);
    barLayout->addWidget(m_progress);
    barLayout->addWidget(m_cancelButton);
    barLayout->addWidget(m_dryRunButton);
    barLayout->addWidget(m_applyButton);

    m_problemsModel->setHorizontalHeaderLabels({tr("Severity"), tr("Line"), tr("Message")});
    m_problemsView->setModel(m_problemsModel);
    m_problemsView->setRootIsDecorated(false);
    m_problemsView->setUniformRowHeights(true);
    m_problemsView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_problemsView->header()->setStretchLastSection(true);
    m_problemsView->setColumnWidth(0, 90);
    m_problemsView->setColumnWidth(1, 70);
    connect(m_problemsView, &QTreeView::activated, this, [this](const QModelIndex &index) {
        const QModelIndex first = index.siblingAtColumn(0);
        jumpTo(first.data(lineRole).toInt(), first.data(columnRole).toInt());
    });
    connect(m_problemsView, &QTreeView::clicked, this, [this](const QModelIndex &index) {
        const QModelIndex first = index.siblingAtColumn(0);
        jumpTo(first.data(lineRole).toInt(), first.data(columnRole).toInt());
    });

    m_results->setHeaderLabels({tr("Object"), tr("Result"), tr("Namespace"), tr("Details")});
    m_results->setColumnWidth(0, 240);
    m_results->setColumnWidth(1, 130);
    m_results->setColumnWidth(2, 120);
    connect(m_results, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem *item) {
        if (!item)
            return;
        QTreeWidgetItem *top = item->parent() ? item->parent() : item;
        showOutcome(m_results->indexOfTopLevelItem(top));
    });
    connect(m_results, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem *item) {
        if (const int line = item->data(0, lineRole).toInt(); line > 0)
            jumpTo(line, item->data(0, columnRole).toInt());
    });

    connect(m_diff, &DiffView::showStatusChanged, this, [this] {
        if (QTreeWidgetItem *item = m_results->currentItem())
            showOutcome(m_results->indexOfTopLevelItem(item->parent() ? item->parent() : item));
    });
    m_bottom->setObjectName(QStringLiteral("editorBottomTabs"));
    m_bottom->addTab(m_problemsView, tr("Problems"));
    m_bottom->addTab(m_results, tr("Results"));
    m_bottom->addTab(m_diff, tr("Diff"));

    auto *top = new QWidget(this);
    auto *topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->setSpacing(0);
    topLayout->addWidget(m_editor, 1);
    topLayout->addWidget(m_findBar);
    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(top);
    splitter->addWidget(m_bottom);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({480, 260});

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(bar);
    layout->addWidget(splitter, 1);

    m_validateTimer->setSingleShot(true);
    m_validateTimer->setInterval(validationDelayMs);
    connect(m_validateTimer, &QTimer::timeout, this, &EditorTab::validateNow);
    connect(m_editor->document(), &QTextDocument::contentsChanged, this, &EditorTab::scheduleValidation);
    connect(m_editor->document(), &QTextDocument::modificationChanged, this, [this](bool modified) {
        emit modificationChanged(modified);
        emit titleChanged();
    });
    connect(m_namespaceEdit, &QLineEdit::textChanged, this, &EditorTab::updateApplyBar);
    connect(m_dryRunButton, &QPushButton::clicked, this, &EditorTab::dryRun);
    connect(m_applyButton, &QPushButton::clicked, this, &EditorTab::apply);
    connect(m_cancelButton, &QPushButton::clicked, this, [this] {
        if (m_session)
            m_session->cancel();
    });

    resolveConflicts = [this](const QList<ObjectOutcome> &conflicts, std::function<void(bool)> answer) {
        defaultResolveConflicts(conflicts, std::move(answer));
    };
    confirmApply = [this](const QString &context, const QString &server) {
        return QMessageBox::question(this, tr("Apply to %1?").arg(context),
                                     tr("Apply this file to the cluster of context \"%1\" (%2)?\n\nThis is the first "
                                        "apply to this context since Orchestra started.")
                                         .arg(context, server),
                                     QMessageBox::Apply | QMessageBox::Cancel,
                                     QMessageBox::Cancel) == QMessageBox::Apply;
    };
    confirmOverwriteNewer = [this](const QString &message) {
        return QMessageBox::warning(this, tr("Changed on the server"),
                                    message + QStringLiteral("\n\n") + tr("Apply your version anyway?"),
                                    QMessageBox::Apply | QMessageBox::Cancel,
                                    QMessageBox::Cancel) == QMessageBox::Apply;
    };
    setCluster(nullptr, nullptr, nullptr, {});
}

EditorTab::~EditorTab() = default;

QString EditorTab::text() const
{
    return m_editor->toPlainText();
}

void EditorTab::setText(const QString &text, bool undoable)
{
    if (undoable) {
        QTextCursor cursor(m_editor->document());
        cursor.select(QTextCursor::Document);
        cursor.insertText(text);
    } else {
        m_editor->setPlainText(text);
    }
    validateNow();
}

bool EditorTab::isModified() const
{
    return m_editor->document()->isModified();
}

void EditorTab::setModified(bool modified)
{
    m_editor->document()->setModified(modified);
}

void EditorTab::setFilePath(const QString &path)
{
    m_filePath = path;
    emit titleChanged();
}

QString EditorTab::title() const
{
    if (!m_filePath.isEmpty())
        return QFileInfo(m_filePath).fileName();
    if (!m_boundObject.isEmpty())
        return QStringLiteral("%1/%2").arg(m_boundObject.value(QStringLiteral("kind")).toString(),
                                           m_boundObject.value(QStringLiteral("name")).toString());
    if (!m_label.isEmpty())
        return m_label;
    return m_untitledName.isEmpty() ? tr("untitled") : m_untitledName;
}

void EditorTab::setBoundObject(const QJsonObject &object)
{
    m_boundObject = object;
    if (!object.value(QStringLiteral("namespace")).toString().isEmpty())
        m_namespaceEdit->setText(object.value(QStringLiteral("namespace")).toString());
    emit titleChanged();
}

QString EditorTab::editorNamespace() const
{
    return m_namespaceEdit->text().trimmed();
}

void EditorTab::setEditorNamespace(const QString &nameSpace)
{
    m_namespaceEdit->setText(nameSpace);
}

QString EditorTab::targetNamespace() const
{
    if (!editorNamespace().isEmpty())
        return editorNamespace();
    if (!m_target.contextNamespace.isEmpty())
        return m_target.contextNamespace;
    return QStringLiteral("default");
}

void EditorTab::setCluster(kube::ApiClient *client, const manifests::KindResolver *resolver,
                           std::shared_ptr<const manifests::KindResolver> snapshot, const ApplyTargetInfo &target)
{
    if (m_session && m_session->isRunning())
        m_session->cancel();
    m_client = client;
    m_resolver = resolver;
    m_snapshot = snapshot ? std::move(snapshot) : std::make_shared<manifests::BuiltinKinds>();
    m_target = target;
    delete m_session;
    m_session = nullptr;
    if (client) {
        m_session = new manifests::ApplySession(client, resolver, this);
        connect(m_session, &manifests::ApplySession::objectFinished, this, &EditorTab::onObjectFinished);
        connect(m_session, &manifests::ApplySession::finished, this, &EditorTab::onRunFinished);
        connect(m_session, &manifests::ApplySession::progress, this, [this](int done, int total) {
            m_progress->setMaximum(total);
            m_progress->setValue(done);
        });
    }
    updateApplyBar();
    scheduleValidation();
}

void EditorTab::updateApplyBar()
{
    const bool connected = m_client != nullptr;
    m_contextLabel->setText(connected ? QStringLiteral("<b>%1</b>").arg(m_target.contextName.toHtmlEscaped())
                                      : tr("<i>not connected</i>"));
    m_serverLabel->setText(connected ? m_target.server : QString());
    m_serverLabel->setVisible(connected);
    m_targetLabel->setText(tr("→ objects without a namespace go to <b>%1</b>").arg(targetNamespace().toHtmlEscaped()));
    const bool busy = isBusy();
    m_dryRunButton->setEnabled(connected && !busy);
    m_applyButton->setEnabled(connected && !busy);
    const QString why = connected ? QString() : tr("Connect to a cluster (Cluster area) to dry-run and apply.");
    m_dryRunButton->setToolTip(why.isEmpty() ? tr("Server-side dry run of every object, then a diff with the live "
                                                  "objects. Nothing is changed.")
                                             : why);
    m_applyButton->setToolTip(why.isEmpty() ? tr("Server-side apply (field manager \"orchestra\") of every object, "
                                                 "in dependency order.")
                                            : why);
    m_cancelButton->setVisible(busy);
    m_progress->setVisible(busy);
}

bool EditorTab::isBusy() const
{
    return m_session && m_session->isRunning();
}

void EditorTab::scheduleValidation()
{
    m_serverProblems.clear();
    m_validateTimer->start();
}

void EditorTab::validateNow()
{
    m_validateTimer->stop();
    const int generation = ++m_generation;
    const QString text = m_editor->toPlainText();
    std::shared_ptr<const manifests::KindResolver> resolver = m_snapshot;
    if (text.size() < workerThreshold) {
        showValidation(manifests::parseAndValidate(text, *resolver), generation);
        return;
    }
    QPointer<EditorTab> guard(this);
    QThreadPool::globalInstance()->start([guard, text, resolver, generation] {
        manifests::ParsedManifest parsed = manifests::parseAndValidate(text, *resolver);
        QMetaObject::invokeMethod(
            QCoreApplication::instance(),
            [guard, parsed = std::move(parsed), generation] {
                if (guard)
                    guard->showValidation(parsed, generation);
            },
            Qt::QueuedConnection);
    });
}

void EditorTab::showValidation(const manifests::ParsedManifest &parsed, int generation)
{
    if (generation != m_generation)
        return; // the text changed again meanwhile
    m_parsed = parsed;
    QList<Problem> shown = m_parsed.problems + m_serverProblems;
    m_editor->setProblems(shown);
    updateProblemsModel();
    emit validated();
}

void EditorTab::updateProblemsModel()
{
    m_problemsModel->removeRows(0, m_problemsModel->rowCount());
    const QList<Problem> all = m_parsed.problems + m_serverProblems;
    int errors = 0;
    for (const Problem &problem : all) {
        auto *severity = new QStandardItem(severityText(problem.severity));
        severity->setData(problem.line, lineRole);
        severity->setData(problem.column, columnRole);
        const QStyle::StandardPixmap icon = problem.severity == Problem::Severity::Error ? QStyle::SP_MessageBoxCritical
                                            : problem.severity == Problem::Severity::Warning
                                                ? QStyle::SP_MessageBoxWarning
                                                : QStyle::SP_MessageBoxInformation;
        severity->setIcon(style()->standardIcon(icon));
        auto *line =
            new QStandardItem(problem.column > 0 ? QStringLiteral("%1:%2").arg(problem.line).arg(problem.column)
                                                 : QString::number(problem.line));
        auto *message = new QStandardItem(problem.message);
        message->setToolTip(problem.message);
        m_problemsModel->appendRow({severity, line, message});
        errors += problem.severity == Problem::Severity::Error ? 1 : 0;
    }
    m_bottom->setTabText(0, all.isEmpty() ? tr("Problems") : tr("Problems (%1)").arg(all.size()));
}

void EditorTab::jumpTo(int line, int column)
{
    if (line > 0)
        m_editor->goToLine(line, column);
}

Result<void> EditorTab::load(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{tr("Cannot open the file: %1").arg(file.errorString()), {}, path};
    const QByteArray data = file.readAll();
    m_editor->setPlainText(QString::fromUtf8(data));
    setModified(false);
    setFilePath(QFileInfo(path).absoluteFilePath());
    validateNow();
    return {};
}

Result<void> EditorTab::saveTo(const QString &path)
{
    QSaveFile file(path);
    const QByteArray data = text().toUtf8();
    if (!file.open(QIODevice::WriteOnly) || file.write(data) != data.size() || !file.commit())
        return Error{tr("Cannot save the file: %1").arg(file.errorString()),
                     tr("Choose another folder with File > Save As."), path};
    setFilePath(QFileInfo(path).absoluteFilePath());
    setModified(false);
    return {};
}

bool EditorTab::dryRun()
{
    if (!m_client || isBusy())
        return false;
    validateNow();
    startRun(true, {}, false, true);
    return true;
}

bool EditorTab::apply()
{
    if (!m_client || isBusy())
        return false;
    validateNow();
    if (m_parsed.documents.isEmpty()) {
        emit statusMessage(tr("Nothing to apply: the file has no objects."));
        return false;
    }
    if (!confirmedApplyContexts().contains(m_target.contextName)) {
        if (!confirmApply || !confirmApply(m_target.contextName, m_target.server))
            return false;
        confirmedApplyContexts().insert(m_target.contextName);
    }
    startRun(false, {}, false, false);
    return true;
}

void EditorTab::startRun(bool dryRun, const QSet<int> &only, bool force, bool ignoreNewer)
{
    m_lastRunDryRun = dryRun;
    m_runForced = force;
    m_outcomes.clear();
    m_results->clear();
    m_serverProblems.clear();
    const QString resourceVersion = m_boundObject.value(QStringLiteral("resourceVersion")).toString();
    for (const manifests::ManifestDocument &document : std::as_const(m_parsed.documents)) {
        const bool bound = !m_boundObject.isEmpty() &&
                           document.kind == m_boundObject.value(QStringLiteral("kind")).toString() &&
                           document.name == m_boundObject.value(QStringLiteral("name")).toString();
        m_session->setExpectedResourceVersion(document.index, bound ? resourceVersion : QString());
    }
    const manifests::ApplyTarget target{editorNamespace(), m_target.contextNamespace};
    if (dryRun)
        m_session->dryRun(m_parsed, target, only, force);
    else
        m_session->apply(m_parsed, target, only, force, ignoreNewer);
    m_progress->setMaximum(qMax(1, int(m_session->outcomes().size())));
    m_progress->setValue(0);
    for (const ObjectOutcome &outcome : m_session->outcomes()) {
        auto *item = new QTreeWidgetItem(m_results, {outcome.displayName, tr("pending"), QString(), QString()});
        item->setData(0, lineRole, m_parsed.documents.value(outcome.document).start.line);
    }
    m_bottom->setCurrentWidget(m_results);
    updateApplyBar();
    emit statusMessage(dryRun ? tr("Dry run of %n object(s)…", nullptr, int(m_session->outcomes().size()))
                              : tr("Applying %n object(s)…", nullptr, int(m_session->outcomes().size())));
}

void EditorTab::onObjectFinished(const ObjectOutcome &outcome)
{
    const QList<ObjectOutcome> current = m_session->outcomes();
    int row = -1;
    for (int i = 0; i < current.size(); ++i) {
        if (current.at(i).document == outcome.document)
            row = i;
    }
    QTreeWidgetItem *item = m_results->topLevelItem(row);
    if (!item)
        return;
    item->setText(1, outcome.stateText());
    item->setText(2, outcome.nameSpace);
    // The full message (multi-line for several conflicts) goes to the tooltip and the Diff tab; rows stay one line.
    item->setText(3, outcome.message.section(QLatin1Char('\n'), 0, 0));
    item->setToolTip(3, outcome.message);
    if (const QColor color = stateColor(outcome.state); color.isValid())
        item->setForeground(1, color);
    const manifests::ManifestDocument document = m_parsed.documents.value(outcome.document);
    for (const manifests::MappedCause &cause : outcome.causes) {
        const QString where = cause.position.isValid() ? tr("line %1").arg(cause.position.line) : QString();
        auto *child = new QTreeWidgetItem(item, {cause.cause.field.isEmpty() ? cause.cause.reason : cause.cause.field,
                                                 cause.cause.reason, where, cause.cause.message});
        child->setData(0, lineRole, cause.position.line);
        child->setData(0, columnRole, cause.position.column);
        child->setToolTip(3, cause.cause.message);
        const bool conflict = outcome.state == ObjectOutcome::State::Conflict;
        m_serverProblems.append(Problem{
            cause.position.line, cause.position.column,
            conflict ? Problem::Severity::Warning : Problem::Severity::Error,
            (cause.cause.field.isEmpty() ? QString() : cause.cause.field + QStringLiteral(": ")) + cause.cause.message,
            outcome.document});
    }
    if (outcome.causes.isEmpty() && outcome.state == ObjectOutcome::State::Failed && document.start.isValid())
        m_serverProblems.append(
            Problem{document.start.line, 0, Problem::Severity::Error, outcome.message, outcome.document});
    item->setExpanded(!outcome.causes.isEmpty());
    if (row == 0 || m_results->currentItem() == nullptr)
        m_results->setCurrentItem(item);
    else if (m_results->currentItem() == item)
        showOutcome(row);
    m_editor->setProblems(m_parsed.problems + m_serverProblems);
    updateProblemsModel();
}

void EditorTab::onRunFinished(const QList<ObjectOutcome> &outcomes)
{
    m_outcomes = outcomes;
    updateApplyBar();
    QMap<QString, int> counts;
    QList<ObjectOutcome> conflicts;
    QString staleMessage;
    for (const ObjectOutcome &outcome : outcomes) {
        ++counts[outcome.stateText()];
        if (outcome.state == ObjectOutcome::State::Conflict)
            conflicts.append(outcome);
        if (outcome.state == ObjectOutcome::State::Stale)
            staleMessage = outcome.message;
        // A bound tab follows the object it applied.
        if (!m_lastRunDryRun && !outcome.resultResourceVersion.isEmpty() && !m_boundObject.isEmpty() &&
            outcome.displayName == m_parsed.documents.value(outcome.document).displayName() &&
            m_parsed.documents.value(outcome.document).name == m_boundObject.value(QStringLiteral("name")).toString())
            m_boundObject.insert(QStringLiteral("resourceVersion"), outcome.resultResourceVersion);
    }
    QStringList summary;
    for (auto it = counts.cbegin(); it != counts.cend(); ++it)
        summary.append(QStringLiteral("%1 %2").arg(it.value()).arg(it.key()));
    emit statusMessage((m_lastRunDryRun ? tr("Dry run: %1") : tr("Apply: %1")).arg(summary.join(QStringLiteral(", "))));
    // Show the first object that has something to say.
    for (int i = 0; i < outcomes.size(); ++i) {
        if (outcomes.at(i).state != ObjectOutcome::State::Unchanged) {
            m_results->setCurrentItem(m_results->topLevelItem(i));
            break;
        }
    }
    const bool dryRun = m_lastRunDryRun;
    emit runFinished(dryRun, outcomes);

    if (!dryRun && !staleMessage.isEmpty() && confirmOverwriteNewer && confirmOverwriteNewer(staleMessage)) {
        QSet<int> only;
        for (const ObjectOutcome &outcome : outcomes) {
            if (outcome.state == ObjectOutcome::State::Stale)
                only.insert(outcome.document);
        }
        startRun(false, only, false, true);
        return;
    }
    if (!conflicts.isEmpty() && !m_runForced && resolveConflicts) {
        QPointer<EditorTab> guard(this);
        resolveConflicts(conflicts, [guard, conflicts, dryRun](bool force) {
            if (!guard || !force || guard->isBusy())
                return;
            QSet<int> only;
            for (const ObjectOutcome &outcome : conflicts)
                only.insert(outcome.document);
            guard->startRun(dryRun, only, true, true);
        });
    }
}

void EditorTab::defaultResolveConflicts(const QList<ObjectOutcome> &conflicts, std::function<void(bool)> answer)
{
    QList<ConflictDialog::Entry> entries;
    for (const ObjectOutcome &outcome : conflicts) {
        const manifests::ManifestDocument document = m_parsed.documents.value(outcome.document);
        for (const manifests::FieldConflict &conflict : outcome.conflicts)
            entries.append({outcome.displayName, conflict, document.locate(conflict.field).line});
    }
    auto *dialog = new ConflictDialog(entries, m_lastRunDryRun, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &ConflictDialog::lineActivated, this, [this](int line) { jumpTo(line, 0); });
    connect(dialog, &QDialog::finished, this, [answer](int result) { answer(result == QDialog::Accepted); });
    dialog->open();
}

void EditorTab::showOutcome(int row)
{
    const QList<ObjectOutcome> current = m_session ? m_session->outcomes() : QList<ObjectOutcome>();
    if (row < 0 || row >= current.size())
        return;
    const ObjectOutcome &outcome = current.at(row);
    const QString title = QStringLiteral("%1: %2").arg(outcome.displayName, outcome.stateText());
    switch (outcome.state) {
    case ObjectOutcome::State::Pending:
        m_diff->setMessage(title, tr("Waiting for the server…"));
        break;
    case ObjectOutcome::State::Unchanged:
        m_diff->setMessage(title, tr("No changes: the cluster already has exactly this."));
        break;
    case ObjectOutcome::State::Created:
    case ObjectOutcome::State::Configured:
    case ObjectOutcome::State::Stale:
        m_diff->setDiff(title, m_diff->showStatus() ? outcome.diffWithStatus() : outcome.diff,
                        outcome.live.isEmpty() ? tr("(does not exist)")
                                               : tr("live (resourceVersion %1)").arg(outcome.liveResourceVersion),
                        outcome.state == ObjectOutcome::State::Stale
                            ? tr("this editor")
                            : (outcome.dryRun ? tr("after apply (server dry run)") : tr("applied")));
        break;
    case ObjectOutcome::State::Conflict: {
        QStringList lines;
        for (const manifests::FieldConflict &conflict : outcome.conflicts)
            lines.append(tr("%1 is owned by %2").arg(conflict.field, conflict.manager));
        m_diff->setMessage(title, outcome.message + QStringLiteral("\n\n") + lines.join(QLatin1Char('\n')));
        break;
    }
    case ObjectOutcome::State::Failed:
    case ObjectOutcome::State::Skipped:
        m_diff->setMessage(title, outcome.message);
        break;
    }
}

} // namespace orchestra::ui
