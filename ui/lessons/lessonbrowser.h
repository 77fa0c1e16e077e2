#pragma once

#include "lessons/catalog.h"
#include "lessons/displaydocument.h"
#include "lessons/progressstore.h"
#include "lessons/searchindex.h"

#include <QSet>
#include <QWidget>

#include <memory>

class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QStackedWidget;
class QToolButton;
class QTreeView;

namespace orchestra::lessons {
class TrackTreeModel;
}

namespace orchestra::ui {

class LessonView;
class TrackTreeDelegate;

/// The Learn area: track tree with progress, reader, table of contents,
/// history, search across lessons and find in the lesson, completion and
/// "next lesson".
class LessonBrowser final : public QWidget
{
    Q_OBJECT
public:
    /// `progressFile` empty = the default under AppDataLocation.
    explicit LessonBrowser(QWidget *parent = nullptr, const QString &progressFile = {});
    ~LessonBrowser() override;

    /// Loads (and validates) the curriculum in `directory`; shows a message when it is empty or missing.
    void loadContent(const QString &directory);
    const lessons::Catalog &catalog() const { return m_catalog; }

    void setLanguage(const QString &language);
    QString language() const { return m_language; }

    /// Opens `id` (adds it to the history). False when no such lesson exists.
    bool openLesson(const QString &id);
    QString currentLessonId() const { return m_currentId; }
    /// Opens the lesson that was open last time, at its scroll position, or the first lesson.
    void openLastLesson();

    bool canGoBack() const { return !m_back.isEmpty(); }
    bool canGoForward() const { return !m_forward.isEmpty(); }

    /// Saves the scroll position and progress (called on close, too).
    void saveProgress();

    LessonView *view() const { return m_view; }
    QTreeView *tree() const { return m_tree; }
    lessons::TrackTreeModel *treeModel() const { return m_model; }
    /// The notice line above the reader (missing translation, damaged progress file), for tests.
    QString notice() const;

public slots:
    void back();
    void forward();
    void focusSearch();
    void showFindBar();
    void setCurrentCompleted(bool completed);
    void openNextLesson();
    /// Searches every lesson in the current language and lists the hits.
    void searchLessons(const QString &query);

signals:
    /// "Open in editor" (dryRunFirst false) or "Apply" (true) on a lesson manifest.
    void openManifestRequested(const QString &text, const QString &label, bool dryRunFirst);
    void languageChanged(const QString &language);
    void statusMessage(const QString &message);

private:
    void showLesson(const QString &id, bool keepScroll);
    void handleLink(const QUrl &url);
    void updateNavigation();
    void updateToc();
    lessons::DisplayLabels labels() const;
    void setNotice(const QString &text);
    void rememberScroll();
    /// Back/forward: opens the last lesson of `from` and pushes the current one onto `to`.
    void travel(QStringList &from, QStringList &to);

    lessons::Catalog m_catalog;
    lessons::ProgressStore m_progress;
    lessons::SearchIndex m_index; ///< Built on the first search in a language (not at start-up).
    bool m_indexValid = false;
    QString m_language = QStringLiteral("en");
    QString m_currentId;
    QSet<int> m_revealed;
    QStringList m_back;
    QStringList m_forward;
    QString m_progressNotice;

    lessons::TrackTreeModel *m_model;
    TrackTreeDelegate *m_delegate;
    QLineEdit *m_search;
    QStackedWidget *m_leftStack;
    QTreeView *m_tree;
    QListWidget *m_results;
    QToolButton *m_backButton;
    QToolButton *m_forwardButton;
    QLabel *m_notice;
    LessonView *m_view;
    QWidget *m_findBar;
    QLineEdit *m_findField;
    QLabel *m_findCount;
    QPushButton *m_completeButton;
    QPushButton *m_nextButton;
    QListWidget *m_toc;
};

} // namespace orchestra::ui
