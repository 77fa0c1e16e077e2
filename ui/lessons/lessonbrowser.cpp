#include "lessons/lessonbrowser.h"

#include "lessons/lessonview.h"
#include "lessons/markdownscan.h"
#include "lessons/tracktreedelegate.h"
#include "lessons/tracktreemodel.h"

#include <QClipboard>
#include <QDesktopServices>
#include <QFileInfo>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeySequence>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMetaMethod>
#include <QPushButton>
#include <QScrollBar>
#include <QShortcut>
#include <QSplitter>
#include <QStackedWidget>
#include <QTimer>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

namespace orchestra::ui {

using namespace orchestra::lessons;

namespace {

constexpr int kLessonIdRole = Qt::UserRole + 1;
constexpr int kHeadingRole = Qt::UserRole + 2;

QString languageName(const QString &language)
{
    return language == QLatin1String("ko") ? QStringLiteral("한국어") : QStringLiteral("English");
}

} // namespace

LessonBrowser::LessonBrowser(QWidget *parent, const QString &progressFile)
    : QWidget(parent)
    , m_progress(progressFile)
    , m_model(new TrackTreeModel(this))
    , m_delegate(new TrackTreeDelegate(this))
    , m_search(new QLineEdit(this))
    , m_leftStack(new QStackedWidget(this))
    , m_tree(new QTreeView(this))
    , m_results(new QListWidget(this))
    , m_backButton(new QToolButton(this))
    , m_forwardButton(new QToolButton(this))
    , m_notice(new QLabel(this))
    , m_view(new LessonView(this))
    , m_findBar(new QWidget(this))
    , m_findField(new QLineEdit(m_findBar))
    , m_findCount(new QLabel(m_findBar))
    , m_completeButton(new QPushButton(this))
    , m_nextButton(new QPushButton(this))
    , m_toc(new QListWidget(this))
{
    setObjectName(QStringLiteral("lessonBrowser"));
    if (!m_progress.load())
        m_progressNotice = m_progress.notice();

    // Left: search + track tree / results.
    m_search->setPlaceholderText(tr("Search lessons (Ctrl+Shift+F)"));
    m_search->setClearButtonEnabled(true);
    m_search->setObjectName(QStringLiteral("lessonSearch"));
    m_tree->setModel(m_model);
    m_tree->setItemDelegate(m_delegate);
    m_tree->setHeaderHidden(true);
    m_tree->setUniformRowHeights(false);
    m_tree->setAnimated(true);
    m_tree->setExpandsOnDoubleClick(true);
    m_tree->setObjectName(QStringLiteral("trackTree"));
    m_results->setObjectName(QStringLiteral("searchResults"));
    m_results->setWordWrap(true);
    m_results->setAlternatingRowColors(true);
    m_leftStack->addWidget(m_tree);
    m_leftStack->addWidget(m_results);
    auto *left = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(6, 6, 0, 6);
    leftLayout->addWidget(m_search);
    leftLayout->addWidget(m_leftStack);

    // Centre: navigation bar, notice, reader, find bar, footer.
    m_backButton->setIcon(style()->standardIcon(QStyle::SP_ArrowBack));
    m_backButton->setToolTip(tr("Back (Alt+Left)"));
    m_backButton->setAutoRaise(true);
    m_forwardButton->setIcon(style()->standardIcon(QStyle::SP_ArrowForward));
    m_forwardButton->setToolTip(tr("Forward (Alt+Right)"));
    m_forwardButton->setAutoRaise(true);
    auto *navBar = new QHBoxLayout;
    navBar->setContentsMargins(4, 2, 4, 2);
    navBar->addWidget(m_backButton);
    navBar->addWidget(m_forwardButton);
    navBar->addStretch();

    m_notice->setWordWrap(true);
    m_notice->setVisible(false);
    m_notice->setObjectName(QStringLiteral("lessonNotice"));
    m_notice->setContentsMargins(10, 6, 10, 6);
    m_notice->setAutoFillBackground(true);
    QPalette noticePalette = m_notice->palette();
    noticePalette.setColor(QPalette::Window, QColor(0xfd, 0xf3, 0xdc));
    noticePalette.setColor(QPalette::WindowText, QColor(0x4d, 0x37, 0x12));
    m_notice->setPalette(noticePalette);

    auto *findLayout = new QHBoxLayout(m_findBar);
    findLayout->setContentsMargins(8, 2, 8, 2);
    auto *findLabel = new QLabel(tr("Find in lesson:"), m_findBar);
    auto *findPrev = new QToolButton(m_findBar);
    findPrev->setArrowType(Qt::UpArrow);
    findPrev->setAutoRaise(true);
    auto *findNext = new QToolButton(m_findBar);
    findNext->setArrowType(Qt::DownArrow);
    findNext->setAutoRaise(true);
    auto *findClose = new QToolButton(m_findBar);
    findClose->setText(QStringLiteral("✕"));
    findClose->setAutoRaise(true);
    m_findField->setObjectName(QStringLiteral("findField"));
    findLayout->addWidget(findLabel);
    findLayout->addWidget(m_findField, 1);
    findLayout->addWidget(m_findCount);
    findLayout->addWidget(findPrev);
    findLayout->addWidget(findNext);
    findLayout->addWidget(findClose);
    m_findBar->setVisible(false);

    m_completeButton->setCheckable(true);
    m_completeButton->setObjectName(QStringLiteral("markComplete"));
    m_nextButton->setObjectName(QStringLiteral("nextLesson"));
    auto *footer = new QHBoxLayout;
    footer->setContentsMargins(8, 4, 8, 6);
    footer->addStretch();
    footer->addWidget(m_completeButton);
    footer->addWidget(m_nextButton);

    auto *centre = new QWidget(this);
    auto *centreLayout = new QVBoxLayout(centre);
    centreLayout->setContentsMargins(0, 0, 0, 0);
    centreLayout->setSpacing(0);
    centreLayout->addLayout(navBar);
    centreLayout->addWidget(m_notice);
    centreLayout->addWidget(m_view, 1);
    centreLayout->addWidget(m_findBar);
    centreLayout->addLayout(footer);

    // Right: table of contents.
    auto *right = new QWidget(this);
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 6, 6, 6);
    auto *tocTitle = new QLabel(tr("On this page"), right);
    QFont tocFont = tocTitle->font();
    tocFont.setWeight(QFont::DemiBold);
    tocTitle->setFont(tocFont);
    m_toc->setObjectName(QStringLiteral("tableOfContents"));
    m_toc->setFrameShape(QFrame::NoFrame);
    m_toc->setWordWrap(true);
    rightLayout->addWidget(tocTitle);
    rightLayout->addWidget(m_toc, 1);

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(left);
    splitter->addWidget(centre);
    splitter->addWidget(right);
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 1);
    splitter->setStretchFactor(2, 0);
    splitter->setSizes({340, 880, 220});
    splitter->setChildrenCollapsible(false);
    left->setMinimumWidth(220);
    right->setMinimumWidth(160);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(splitter);

    connect(m_tree, &QTreeView::activated, this, [this](const QModelIndex &index) {
        if (!index.data(TrackTreeModel::IsTrackRole).toBool())
            openLesson(index.data(TrackTreeModel::IdRole).toString());
    });
    connect(m_tree, &QTreeView::clicked, this, [this](const QModelIndex &index) {
        if (!index.data(TrackTreeModel::IsTrackRole).toBool())
            openLesson(index.data(TrackTreeModel::IdRole).toString());
    });
    connect(m_search, &QLineEdit::textChanged, this, &LessonBrowser::searchLessons);
    connect(m_results, &QListWidget::itemActivated, this, [this](QListWidgetItem *item) {
        const QString query = m_search->text();
        openLesson(item->data(kLessonIdRole).toString());
        const QString heading = item->data(kHeadingRole).toString();
        if (!heading.isEmpty())
            m_view->scrollToHeading(heading);
        else
            m_view->findAll(query.split(QLatin1Char(' '), Qt::SkipEmptyParts).value(0));
    });
    connect(m_results, &QListWidget::itemClicked, m_results, &QListWidget::itemActivated);
    connect(m_toc, &QListWidget::itemClicked, this,
            [this](QListWidgetItem *item) { m_view->scrollToHeading(item->data(kHeadingRole).toString()); });
    connect(m_view, &LessonView::linkActivated, this, &LessonBrowser::handleLink);
    connect(m_backButton, &QToolButton::clicked, this, &LessonBrowser::back);
    connect(m_forwardButton, &QToolButton::clicked, this, &LessonBrowser::forward);
    connect(m_completeButton, &QPushButton::toggled, this, &LessonBrowser::setCurrentCompleted);
    connect(m_nextButton, &QPushButton::clicked, this, &LessonBrowser::openNextLesson);
    connect(m_findField, &QLineEdit::textChanged, this, [this](const QString &text) {
        const int count = m_view->findAll(text);
        m_findCount->setText(text.isEmpty() ? QString() : tr("%n match(es)", nullptr, count));
    });
    connect(m_findField, &QLineEdit::returnPressed, this, [this] { m_view->findAll(m_findField->text()); });
    connect(findNext, &QToolButton::clicked, this, [this] { m_view->findAll(m_findField->text()); });
    connect(findPrev, &QToolButton::clicked, this, [this] { m_view->findAll(m_findField->text(), true); });
    connect(findClose, &QToolButton::clicked, this, [this] {
        m_findBar->hide();
        m_view->findAll(QString());
        m_view->setFocus();
    });

    const auto shortcut = [this](const QKeySequence &keys, auto slot) {
        auto *s = new QShortcut(keys, this, slot);
        s->setContext(Qt::WidgetWithChildrenShortcut);
    };
    shortcut(QKeySequence::Find, [this] { showFindBar(); });
    shortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_F), [this] { focusSearch(); });
    shortcut(QKeySequence::Back, [this] { back(); });
    shortcut(QKeySequence::Forward, [this] { forward(); });
    shortcut(QKeySequence(Qt::Key_Escape), [this] {
        if (m_findBar->isVisible()) {
            m_findBar->hide();
            m_view->findAll(QString());
        }
    });

    setLanguage(m_language);
    updateNavigation();
}

LessonBrowser::~LessonBrowser()
{
    saveProgress();
}

void LessonBrowser::loadContent(const QString &directory)
{
    m_catalog = Catalog::load(directory, Catalog::Checks::Reading);
    m_model->setCatalog(&m_catalog);
    m_model->setProgress(&m_progress);
    m_indexValid = false;
    m_tree->expandAll();
    if (m_catalog.lessonIds().isEmpty()) {
        setNotice(directory.isEmpty()
                      ? tr("No curriculum found. Set ORCHESTRA_CONTENT_DIR to the content/ folder of Orchestra.")
                      : tr("No lessons could be read from %1.").arg(directory));
    } else if (!m_progressNotice.isEmpty()) {
        setNotice(m_progressNotice);
    }
}

void LessonBrowser::setLanguage(const QString &language)
{
    const bool changed = language != m_language;
    m_language = language;
    m_model->setLanguage(language);
    m_indexValid = false;
    const bool ko = language == QLatin1String("ko");
    m_delegate->setStageLabels(ko ? QHash<QString, QString>{{QStringLiteral("theory"), QStringLiteral("이론")},
                                                            {QStringLiteral("practice"), QStringLiteral("실습")},
                                                            {QStringLiteral("project"), QStringLiteral("프로젝트")},
                                                            {QStringLiteral("case-study"), QStringLiteral("사례 연구")}}
                                  : QHash<QString, QString>{{QStringLiteral("theory"), tr("theory")},
                                                            {QStringLiteral("practice"), tr("practice")},
                                                            {QStringLiteral("project"), tr("project")},
                                                            {QStringLiteral("case-study"), tr("case study")}});
    m_tree->viewport()->update();
    if (!m_currentId.isEmpty() && changed) {
        m_revealed.clear();
        showLesson(m_currentId, false);
    }
    if (!m_search->text().isEmpty())
        searchLessons(m_search->text());
    updateNavigation();
    if (changed)
        emit languageChanged(language);
}

DisplayLabels LessonBrowser::labels() const
{
    DisplayLabels labels;
    if (m_language == QLatin1String("ko")) {
        labels.objectives = QStringLiteral("학습 목표");
        labels.sources = QStringLiteral("출처");
        labels.minutes = QStringLiteral("%1분");
        labels.showAnswer = QStringLiteral("정답 보기");
        labels.hideAnswer = QStringLiteral("정답 숨기기");
        labels.answer = QStringLiteral("정답");
        labels.note = QStringLiteral("참고");
        labels.tip = QStringLiteral("팁");
        labels.warning = QStringLiteral("주의");
        labels.copy = QStringLiteral("복사");
        labels.openInEditor = QStringLiteral("편집기에서 열기");
        labels.apply = QStringLiteral("적용");
        labels.missingManifest = QStringLiteral("매니페스트를 찾을 수 없음: %1");
        labels.stages = {{Stage::Theory, QStringLiteral("이론")},
                         {Stage::Practice, QStringLiteral("실습")},
                         {Stage::Project, QStringLiteral("프로젝트")},
                         {Stage::CaseStudy, QStringLiteral("사례 연구")}};
    }
    return labels;
}

bool LessonBrowser::openLesson(const QString &id)
{
    if (!m_catalog.lessonOrFallback(id, m_language))
        return false;
    if (id == m_currentId)
        return true;
    if (!m_currentId.isEmpty()) {
        rememberScroll();
        m_back.append(m_currentId);
        m_forward.clear();
    }
    m_revealed.clear();
    showLesson(id, false);
    return true;
}

void LessonBrowser::openLastLesson()
{
    QString id = m_progress.lastLesson();
    if (!m_catalog.lessonOrFallback(id, m_language))
        id = m_catalog.lessonIds().value(0);
    if (id.isEmpty())
        return;
    showLesson(id, false);
    const double fraction = m_progress.scrollPosition(id);
    // The layout finishes after the event loop runs once.
    QTimer::singleShot(0, this, [this, fraction] { m_view->setScrollFraction(fraction); });
}

void LessonBrowser::showLesson(const QString &id, bool keepScroll)
{
    const Lesson *lesson = m_catalog.lessonOrFallback(id, m_language);
    if (!lesson)
        return;
    const int scroll = m_view->verticalScrollBar()->value();
    m_currentId = id;
    m_view->showDocument(DisplayDocument::build(*lesson, m_catalog, m_revealed, labels()), lesson->filePath, labels());
    if (keepScroll)
        m_view->verticalScrollBar()->setValue(scroll);
    else
        m_view->verticalScrollBar()->setValue(0);

    if (lesson->language != m_language) {
        setNotice(m_language == QLatin1String("ko")
                      ? QStringLiteral("이 레슨은 아직 %1로 번역되지 않아 %2로 표시합니다.")
                            .arg(languageName(m_language), languageName(lesson->language))
                      : tr("This lesson is not available in %1 yet; it is shown in %2.")
                            .arg(languageName(m_language), languageName(lesson->language)));
    } else {
        setNotice(m_progressNotice);
    }
    m_progress.setLastLesson(id);
    const QModelIndex index = m_model->indexForLesson(id);
    m_tree->setCurrentIndex(index);
    m_tree->scrollTo(index);
    updateToc();
    updateNavigation();
}

void LessonBrowser::rememberScroll()
{
    if (!m_currentId.isEmpty())
        m_progress.setScrollPosition(m_currentId, m_view->scrollFraction());
}

void LessonBrowser::saveProgress()
{
    rememberScroll();
    if (!m_progress.save())
        emit statusMessage(m_progress.notice());
}

void LessonBrowser::back()
{
    travel(m_back, m_forward);
}

void LessonBrowser::forward()
{
    travel(m_forward, m_back);
}

void LessonBrowser::travel(QStringList &from, QStringList &to)
{
    if (from.isEmpty())
        return;
    rememberScroll();
    to.append(m_currentId);
    const QString id = from.takeLast();
    m_revealed.clear();
    showLesson(id, false);
    m_view->setScrollFraction(m_progress.scrollPosition(id));
}

void LessonBrowser::focusSearch()
{
    m_search->setFocus();
    m_search->selectAll();
}

void LessonBrowser::showFindBar()
{
    m_findBar->show();
    m_findField->setFocus();
    m_findField->selectAll();
}

void LessonBrowser::setCurrentCompleted(bool completed)
{
    if (m_currentId.isEmpty())
        return;
    m_progress.setCompleted(m_currentId, completed);
    m_model->progressChanged();
    if (!m_progress.save())
        emit statusMessage(m_progress.notice());
    updateNavigation();
}

void LessonBrowser::openNextLesson()
{
    const QString next = m_catalog.nextLessonId(m_currentId);
    if (!next.isEmpty())
        openLesson(next);
}

void LessonBrowser::searchLessons(const QString &query)
{
    m_results->clear();
    if (query.trimmed().isEmpty()) {
        m_leftStack->setCurrentWidget(m_tree);
        return;
    }
    m_leftStack->setCurrentWidget(m_results);
    if (!m_indexValid) {
        m_index = SearchIndex(m_catalog, m_language);
        m_indexValid = true;
    }
    const QList<SearchResult> results = m_index.search(query);
    for (const SearchResult &result : results) {
        QString text = result.title;
        if (result.field == SearchResult::Field::Heading)
            text += QStringLiteral("\n§ ") + result.heading;
        if (!result.snippet.isEmpty() && result.field != SearchResult::Field::Heading)
            text += QStringLiteral("\n") + result.snippet;
        auto *item = new QListWidgetItem(text, m_results);
        item->setData(kLessonIdRole, result.lessonId);
        item->setData(kHeadingRole, result.field == SearchResult::Field::Heading ? result.heading : QString());
        item->setToolTip(result.lessonId);
    }
    if (results.isEmpty()) {
        auto *item = new QListWidgetItem(
            m_language == QLatin1String("ko") ? QStringLiteral("결과 없음") : tr("No lessons match"), m_results);
        item->setFlags(Qt::NoItemFlags);
    }
}

void LessonBrowser::handleLink(const QUrl &url)
{
    const QString scheme = url.scheme();
    if (scheme == QLatin1String("orchestra")) {
        const QString action = url.path().section(QLatin1Char('/'), 0, 0);
        bool ok = false;
        const int n = url.path().section(QLatin1Char('/'), 1, 1).toInt(&ok);
        if (!ok)
            return;
        if (action == QLatin1String("answer")) {
            if (m_revealed.contains(n))
                m_revealed.remove(n);
            else
                m_revealed.insert(n);
            showLesson(m_currentId, true);
            return;
        }
        const QList<CodeBlock> &blocks = m_view->displayDocument().codeBlocks;
        if (n < 0 || n >= blocks.size())
            return;
        const CodeBlock &block = blocks[n];
        if (action == QLatin1String("copy")) {
            QGuiApplication::clipboard()->setText(block.code);
            emit statusMessage(tr("Copied to the clipboard."));
            return;
        }
        const Lesson *lesson = m_catalog.lessonOrFallback(m_currentId, m_language);
        const QString label = QStringLiteral("%1 — %2").arg(lesson ? lesson->title : m_currentId,
                                                            QFileInfo(block.manifestPath).fileName());
        const bool apply = action == QLatin1String("apply");
        if (!isSignalConnected(QMetaMethod::fromSignal(&LessonBrowser::openManifestRequested))) {
            emit statusMessage(tr("The manifest editor is not available in this build."));
            return;
        }
        emit openManifestRequested(block.code, label, apply);
        return;
    }
    if (scheme == QLatin1String("http") || scheme == QLatin1String("https") || scheme == QLatin1String("mailto")) {
        QDesktopServices::openUrl(url);
        return;
    }
    const Lesson *lesson = m_catalog.lessonOrFallback(m_currentId, m_language);
    if (url.path().isEmpty() && url.hasFragment()) {
        for (const Heading &heading : lesson ? lesson->headings : QList<Heading>{}) {
            if (headingSlug(heading.text) == url.fragment()) {
                m_view->scrollToHeading(heading.text);
                return;
            }
        }
        return;
    }
    if (!lesson)
        return;
    const QString target = url.toString();
    const QString id = m_catalog.resolveLessonLink(*lesson, target);
    if (!id.isEmpty()) {
        openLesson(id);
        if (url.hasFragment()) {
            if (const Lesson *other = m_catalog.lessonOrFallback(id, m_language)) {
                for (const Heading &heading : other->headings) {
                    if (headingSlug(heading.text) == url.fragment())
                        m_view->scrollToHeading(heading.text);
                }
            }
        }
        return;
    }
    // A local file that is not a lesson (an image, a manifest): open it with the system.
    const QUrl local = QUrl::fromLocalFile(lesson->filePath).resolved(url);
    if (local.isLocalFile() && QFileInfo::exists(local.toLocalFile()))
        QDesktopServices::openUrl(local);
}

void LessonBrowser::updateToc()
{
    m_toc->clear();
    const Lesson *lesson = m_catalog.lessonOrFallback(m_currentId, m_language);
    if (!lesson)
        return;
    for (const Heading &heading : lesson->headings) {
        if (heading.level < 2 || heading.level > 3)
            continue;
        auto *item =
            new QListWidgetItem((heading.level == 3 ? QStringLiteral("    ") : QString()) + heading.text, m_toc);
        item->setData(kHeadingRole, heading.text);
        item->setToolTip(heading.text);
    }
    if (DisplayDocument::hasSourcesFooter(*lesson, labels())) {
        auto *item = new QListWidgetItem(labels().sources, m_toc);
        item->setData(kHeadingRole, labels().sources);
    }
}

void LessonBrowser::updateNavigation()
{
    const bool ko = m_language == QLatin1String("ko");
    m_backButton->setEnabled(!m_back.isEmpty());
    m_forwardButton->setEnabled(!m_forward.isEmpty());
    const bool hasLesson = !m_currentId.isEmpty();
    const bool completed = hasLesson && m_progress.isCompleted(m_currentId);
    {
        const QSignalBlocker blocker(m_completeButton);
        m_completeButton->setChecked(completed);
    }
    m_completeButton->setEnabled(hasLesson);
    m_completeButton->setText(completed ? (ko ? QStringLiteral("✓ 완료함") : tr("✓ Completed"))
                                        : (ko ? QStringLiteral("완료로 표시") : tr("Mark complete")));
    const QString next = m_catalog.nextLessonId(m_currentId);
    const Lesson *nextLesson = next.isEmpty() ? nullptr : m_catalog.lessonOrFallback(next, m_language);
    m_nextButton->setEnabled(nextLesson);
    m_nextButton->setText(nextLesson ? (ko ? QStringLiteral("다음: %1 →") : tr("Next: %1 →")).arg(nextLesson->title)
                                     : (ko ? QStringLiteral("마지막 레슨") : tr("Last lesson")));
}

void LessonBrowser::setNotice(const QString &text)
{
    m_notice->setText(text);
    m_notice->setVisible(!text.isEmpty());
}

QString LessonBrowser::notice() const
{
    return m_notice->isHidden() ? QString() : m_notice->text();
}

} // namespace orchestra::ui
