#pragma once

#include <QJsonObject>
#include <QPointer>
#include <QTimer>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QSpinBox;
class QToolButton;

namespace orchestra::kube {
class ApiClient;
class LogStream;
} // namespace orchestra::kube

namespace orchestra::ui {

/// A pod's log: container picker (init containers included), follow, tail N, timestamps, previous container,
/// search with highlight, wrap, save to file. Memory stays bounded: only the last maximumLines() lines are kept.
class LogView final : public QWidget
{
    Q_OBJECT
public:
    explicit LogView(QWidget *parent = nullptr);
    ~LogView() override;

    /// Shows the log of `pod` (a full Pod object) through `client`; reading starts at once.
    void setPod(kube::ApiClient *client, const QJsonObject &pod);
    /// Stops reading and empties the view.
    void clear();
    /// Restarts the stream with the current options.
    void reload();

    void setMaximumLines(int lines);
    int maximumLines() const;
    /// The text shown (for tests and Save).
    QString text() const;
    /// The error shown in place of the log ("" when none).
    QString errorText() const;
    bool isStreaming() const;
    /// Writes the shown log to `path`; false with `error` set when it cannot be written.
    bool saveTo(const QString &path, QString *error = nullptr) const;

    QComboBox *containerBox() const { return m_container; }
    QCheckBox *followBox() const { return m_follow; }
    QCheckBox *timestampsBox() const { return m_timestamps; }
    QCheckBox *previousBox() const { return m_previous; }
    QCheckBox *wrapBox() const { return m_wrap; }
    QSpinBox *tailBox() const { return m_tail; }
    QLineEdit *searchEdit() const { return m_search; }
    QPlainTextEdit *textView() const { return m_text; }
    /// How many search matches are highlighted.
    int matchCount() const { return m_matches; }

signals:
    /// Lines were appended.
    void linesAppended();
    void streamFinished();

private:
    void start();
    void stop();
    void onText(const QString &text);
    void flushPending();
    void highlightMatches();
    void findNext(bool backwards);
    void showError(const QString &message);
    void save();

    QPointer<kube::ApiClient> m_client;
    QJsonObject m_pod;
    kube::LogStream *m_stream = nullptr;
    QString m_partial;
    QStringList m_pending;
    QTimer m_flush;
    int m_matches = 0;

    QComboBox *m_container;
    QCheckBox *m_follow;
    QSpinBox *m_tail;
    QCheckBox *m_timestamps;
    QCheckBox *m_previous;
    QCheckBox *m_wrap;
    QLineEdit *m_search;
    QLabel *m_matchLabel;
    QToolButton *m_save;
    QLabel *m_error;
    QPlainTextEdit *m_text;
};

} // namespace orchestra::ui
