#include "cluster/logview.h"

#include "delegates/statedelegate.h"
#include "kube/apiclient.h"
#include "kube/operations.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QFileDialog>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QSpinBox>
#include <QTextBlock>
#include <QToolButton>
#include <QVBoxLayout>

namespace orchestra::ui {

namespace {
constexpr int defaultMaximumLines = 50000;
constexpr int maximumHighlights = 2000;
} // namespace

LogView::LogView(QWidget *parent)
    : QWidget(parent)
    , m_container(new QComboBox(this))
    , m_follow(new QCheckBox(tr("Follow"), this))
    , m_tail(new QSpinBox(this))
    , m_timestamps(new QCheckBox(tr("Timestamps"), this))
    , m_previous(new QCheckBox(tr("Previous"), this))
    , m_wrap(new QCheckBox(tr("Wrap"), this))
    , m_search(new QLineEdit(this))
    , m_matchLabel(new QLabel(this))
    , m_save(new QToolButton(this))
    , m_error(new QLabel(this))
    , m_text(new QPlainTextEdit(this))
{
    m_container->setAccessibleName(tr("Container"));
    m_container->setMinimumContentsLength(14);
    m_follow->setChecked(true);
    m_follow->setToolTip(tr("Keep the log open and show new lines as they are written"));
    m_tail->setRange(0, 1000000);
    m_tail->setSpecialValueText(tr("all"));
    m_tail->setValue(500);
    m_tail->setPrefix(tr("tail "));
    m_tail->setToolTip(tr("How many lines from the end to read first (0 = the whole log)"));
    m_previous->setToolTip(tr("The log of the previous, terminated instance of the container (after a restart)"));
    m_search->setPlaceholderText(tr("Search log"));
    m_search->setClearButtonEnabled(true);
    m_save->setText(tr("Save…"));
    m_save->setToolTip(tr("Save the shown log to a file"));
    m_error->setWordWrap(true);
    m_error->setVisible(false);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setStyleSheet(QStringLiteral("QLabel { padding: 8px; border-radius: 4px; background: %1; color: white; }")
                               .arg(stateColor(resources::State::Failed, palette()).name()));

    m_text->setReadOnly(true);
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_text->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_text->setMaximumBlockCount(defaultMaximumLines); // the ring buffer: old lines drop off the top
    m_text->setUndoRedoEnabled(false);
    m_text->setAccessibleName(tr("Log"));

    m_flush.setSingleShot(true);
    m_flush.setInterval(50);
    connect(&m_flush, &QTimer::timeout, this, &LogView::flushPending);

    connect(m_container, &QComboBox::activated, this, &LogView::reload);
    connect(m_follow, &QCheckBox::toggled, this, &LogView::reload);
    connect(m_timestamps, &QCheckBox::toggled, this, &LogView::reload);
    connect(m_previous, &QCheckBox::toggled, this, &LogView::reload);
    connect(m_tail, &QSpinBox::editingFinished, this, &LogView::reload);
    connect(m_wrap, &QCheckBox::toggled, this,
            [this](bool on) { m_text->setLineWrapMode(on ? QPlainTextEdit::WidgetWidth : QPlainTextEdit::NoWrap); });
    connect(m_search, &QLineEdit::textChanged, this, &LogView::highlightMatches);
    connect(m_search, &QLineEdit::returnPressed, this, [this] { findNext(false); });
    connect(m_save, &QToolButton::clicked, this, &LogView::save);

    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(0, 0, 0, 0);
    bar->addWidget(m_container);
    bar->addWidget(m_follow);
    bar->addWidget(m_tail);
    bar->addWidget(m_timestamps);
    bar->addWidget(m_previous);
    bar->addWidget(m_wrap);
    bar->addWidget(m_search, 1);
    bar->addWidget(m_matchLabel);
    bar->addWidget(m_save);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 4, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(m_error);
    layout->addWidget(m_text, 1);
}

LogView::~LogView()
{
    stop();
}

void LogView::setPod(kube::ApiClient *client, const QJsonObject &pod)
{
    const QJsonObject metadata = pod.value(QLatin1String("metadata")).toObject();
    const bool samePod =
        m_client == client && m_pod.value(QLatin1String("metadata")).toObject().value(QLatin1String("uid")) ==
                                  metadata.value(QLatin1String("uid"));
    m_client = client;
    m_pod = pod;
    const QString previousContainer = m_container->currentData().toString();
    m_container->clear();
    const QJsonObject spec = pod.value(QLatin1String("spec")).toObject();
    for (const QJsonValue &value : spec.value(QLatin1String("initContainers")).toArray()) {
        const QString name = value.toObject().value(QLatin1String("name")).toString();
        m_container->addItem(tr("%1 (init)").arg(name), name);
    }
    for (const QJsonValue &value : spec.value(QLatin1String("containers")).toArray()) {
        const QString name = value.toObject().value(QLatin1String("name")).toString();
        m_container->addItem(name, name);
    }
    // Start on the first regular container, like kubectl logs does.
    int index = m_container->findData(previousContainer);
    if (!samePod || index < 0)
        index = int(spec.value(QLatin1String("initContainers")).toArray().size());
    m_container->setCurrentIndex(std::min(index, m_container->count() - 1));
    if (!samePod || !isStreaming())
        reload();
}

void LogView::clear()
{
    stop();
    m_pod = {};
    m_client = nullptr;
    m_container->clear();
    m_text->clear();
    m_error->setVisible(false);
}

void LogView::reload()
{
    stop();
    m_text->clear();
    m_partial.clear();
    m_pending.clear();
    m_error->setVisible(false);
    m_error->clear();
    if (m_client && !m_pod.isEmpty())
        start();
}

void LogView::start()
{
    const QJsonObject metadata = m_pod.value(QLatin1String("metadata")).toObject();
    kube::LogOptions options;
    options.container = m_container->currentData().toString();
    options.follow = m_follow->isChecked() && !m_previous->isChecked();
    options.tailLines = m_tail->value() > 0 ? m_tail->value() : -1;
    options.previous = m_previous->isChecked();
    options.timestamps = m_timestamps->isChecked();
    m_stream = new kube::LogStream(m_client, metadata.value(QLatin1String("namespace")).toString(),
                                   metadata.value(QLatin1String("name")).toString(), options, this);
    connect(m_stream, &kube::LogStream::textReceived, this, &LogView::onText);
    connect(m_stream, &kube::LogStream::finished, this, [this](const Result<void> &result) {
        if (!m_partial.isEmpty()) {
            m_pending.append(m_partial);
            m_partial.clear();
        }
        flushPending();
        if (!result.ok()) {
            const Error &error = result.error();
            showError(error.message + (error.hint.isEmpty() ? QString() : QStringLiteral("\n") + error.hint));
        }
        if (m_stream) {
            m_stream->deleteLater();
            m_stream = nullptr;
        }
        emit streamFinished();
    });
    m_stream->start();
}

void LogView::stop()
{
    m_flush.stop();
    if (!m_stream)
        return;
    m_stream->disconnect(this);
    m_stream->stop();
    m_stream->deleteLater();
    m_stream = nullptr;
}

bool LogView::isStreaming() const
{
    return m_stream && m_stream->isRunning();
}

void LogView::onText(const QString &text)
{
    m_partial += text;
    const qsizetype lastNewline = m_partial.lastIndexOf(QLatin1Char('\n'));
    if (lastNewline < 0)
        return;
    QStringList lines = m_partial.left(lastNewline).split(QLatin1Char('\n'));
    m_partial = m_partial.mid(lastNewline + 1);
    // Keep the pending batch within the ring buffer too, so a huge burst never piles up.
    m_pending.append(lines);
    const int maximum = m_text->maximumBlockCount();
    if (maximum > 0 && m_pending.size() > maximum)
        m_pending.erase(m_pending.begin(), m_pending.begin() + (m_pending.size() - maximum));
    if (!m_flush.isActive())
        m_flush.start();
}

void LogView::flushPending()
{
    if (m_pending.isEmpty())
        return;
    QScrollBar *bar = m_text->verticalScrollBar();
    const bool atBottom = bar->value() >= bar->maximum() - 2;
    const int oldValue = bar->value();
    m_text->appendPlainText(m_pending.join(QLatin1Char('\n')));
    m_pending.clear();
    if (atBottom)
        bar->setValue(bar->maximum());
    else
        bar->setValue(oldValue);
    if (!m_search->text().isEmpty())
        highlightMatches();
    emit linesAppended();
}

void LogView::highlightMatches()
{
    const QString needle = m_search->text();
    QList<QTextEdit::ExtraSelection> selections;
    m_matches = 0;
    if (!needle.isEmpty()) {
        QTextCharFormat format;
        format.setBackground(QColor(0xff, 0xd5, 0x4f));
        format.setForeground(Qt::black);
        QTextDocument *document = m_text->document();
        QTextCursor cursor(document);
        while (true) {
            cursor = document->find(needle, cursor);
            if (cursor.isNull())
                break;
            ++m_matches;
            if (selections.size() < maximumHighlights)
                selections.append({cursor, format});
        }
    }
    m_text->setExtraSelections(selections);
    m_matchLabel->setText(needle.isEmpty() ? QString() : tr("%n match(es)", nullptr, m_matches));
}

void LogView::findNext(bool backwards)
{
    const QString needle = m_search->text();
    if (needle.isEmpty())
        return;
    QTextDocument::FindFlags flags;
    if (backwards)
        flags |= QTextDocument::FindBackward;
    if (!m_text->find(needle, flags)) {
        QTextCursor cursor = m_text->textCursor();
        cursor.movePosition(backwards ? QTextCursor::End : QTextCursor::Start);
        m_text->setTextCursor(cursor);
        m_text->find(needle, flags);
    }
}

void LogView::showError(const QString &message)
{
    m_error->setText(message);
    m_error->setVisible(true);
}

void LogView::setMaximumLines(int lines)
{
    m_text->setMaximumBlockCount(lines);
}

int LogView::maximumLines() const
{
    return m_text->maximumBlockCount();
}

QString LogView::text() const
{
    return m_text->toPlainText();
}

QString LogView::errorText() const
{
    return m_error->isVisible() ? m_error->text() : QString();
}

bool LogView::saveTo(const QString &path, QString *error) const
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text)) {
        if (error)
            *error = file.errorString();
        return false;
    }
    QString text = m_text->toPlainText();
    if (!text.isEmpty())
        text += QLatin1Char('\n');
    if (file.write(text.toUtf8()) < 0) {
        if (error)
            *error = file.errorString();
        return false;
    }
    return true;
}

void LogView::save()
{
    const QJsonObject metadata = m_pod.value(QLatin1String("metadata")).toObject();
    const QString suggested = metadata.value(QLatin1String("name")).toString() + QLatin1Char('-') +
                              m_container->currentData().toString() + QStringLiteral(".log");
    const QString path = QFileDialog::getSaveFileName(this, tr("Save Log"), suggested);
    if (path.isEmpty())
        return;
    QString error;
    if (!saveTo(path, &error))
        QMessageBox::warning(this, tr("Save Log"), tr("The log could not be written to %1: %2").arg(path, error));
}

} // namespace orchestra::ui
