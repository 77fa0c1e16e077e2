#include "lessons/lessonview.h"

#include "highlighting/codehighlighter.h"

#include <QAbstractTextDocumentLayout>
#include <QDir>
#include <QEvent>
#include <QFileInfo>
#include <QFontDatabase>
#include <QImageReader>
#include <QScrollBar>
#include <QTextBlock>
#include <QTextDocumentFragment>
#include <QTextFrame>
#include <QTextList>
#include <QTextTable>

namespace orchestra::ui {

namespace {

bool isDark(const QPalette &palette)
{
    return palette.color(QPalette::Base).lightness() < 128;
}

QColor mix(const QColor &a, const QColor &b, double t)
{
    return QColor::fromRgbF(static_cast<float>(a.redF() * (1 - t) + b.redF() * t),
                            static_cast<float>(a.greenF() * (1 - t) + b.greenF() * t),
                            static_cast<float>(a.blueF() * (1 - t) + b.blueF() * t));
}

bool isCodeBlock(const QTextBlock &block)
{
    return block.blockFormat().hasProperty(QTextFormat::BlockCodeFence);
}

// A paragraph made only of "orchestra:" links (Copy · Open in editor · Apply).
bool isActionLine(const QTextBlock &block)
{
    bool anyAction = false;
    for (auto it = block.begin(); !it.atEnd(); ++it) {
        const QTextFragment fragment = it.fragment();
        const QTextCharFormat format = fragment.charFormat();
        if (format.isAnchor() && format.anchorHref().startsWith(QStringLiteral("orchestra:"))) {
            anyAction = true;
        } else if (!fragment.text().trimmed().isEmpty() && fragment.text().trimmed() != QStringLiteral("·")) {
            return false;
        }
    }
    return anyAction;
}

} // namespace

LessonView::LessonView(QWidget *parent)
    : QTextBrowser(parent)
    , m_highlighter(new CodeHighlighter(document()))
{
    setOpenLinks(false);
    setOpenExternalLinks(false);
    setFrameShape(QFrame::NoFrame);
    setObjectName(QStringLiteral("lessonView"));
    // Text, code and images all fit the column; a sideways scroll bar would only jitter.
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    document()->setDocumentMargin(28);
    connect(this, &QTextBrowser::anchorClicked, this, &LessonView::linkActivated);
}

LessonView::~LessonView() = default;

void LessonView::showDocument(const lessons::DisplayDocument &document, const QString &baseFile,
                              const lessons::DisplayLabels &labels)
{
    m_document = document;
    m_baseFile = baseFile;
    QTextDocument *doc = this->document();
    QFont base = font();
    base.setPointSizeF(base.pointSizeF() * 1.08);
    doc->setDefaultFont(base);
    doc->setBaseUrl(QUrl::fromLocalFile(baseFile));
    doc->setMarkdown(document.markdown, QTextDocument::MarkdownDialectGitHub);
    restyle(labels);
    m_highlighter->rehighlight();
    updateMargins();
    m_findText.clear();
    setExtraSelections({});
}

void LessonView::restyle(const lessons::DisplayLabels &labels)
{
    QTextDocument *doc = document();
    const QPalette pal = palette();
    const bool dark = isDark(pal);
    const QColor text = pal.color(QPalette::Text);
    const QColor baseColour = pal.color(QPalette::Base);
    const QColor codeBackground = dark ? QColor(0x2d, 0x33, 0x3b) : QColor(0xf3, 0xf5, 0xf8);
    const QColor inlineCodeBackground = dark ? QColor(0x37, 0x3e, 0x47) : QColor(0xea, 0xee, 0xf2);
    const QColor rule = mix(baseColour, text, 0.22);
    const QMap<QString, QColor> calloutColours{
        {labels.note, dark ? QColor(0x1f, 0x3a, 0x5f) : QColor(0xe7, 0xf0, 0xfd)},
        {labels.tip, dark ? QColor(0x1d, 0x40, 0x2c) : QColor(0xe6, 0xf6, 0xea)},
        {labels.warning, dark ? QColor(0x4d, 0x37, 0x12) : QColor(0xfd, 0xf3, 0xdc)},
        {labels.answer, dark ? QColor(0x35, 0x2a, 0x4d) : QColor(0xf1, 0xec, 0xfb)},
    };
    const QFont fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);

    QTextCursor cursor(doc);
    cursor.beginEditBlock();
    QColor quoteColour = calloutColours.value(labels.note);
    bool previousWasCode = false;
    for (QTextBlock block = doc->begin(); block.isValid(); block = block.next()) {
        QTextBlockFormat blockFormat = block.blockFormat();
        QTextCursor blockCursor(block);
        blockCursor.select(QTextCursor::BlockUnderCursor);
        if (block.position() == 0)
            blockCursor.movePosition(QTextCursor::EndOfBlock, QTextCursor::KeepAnchor);
        const bool code = isCodeBlock(block);
        const QTextBlock next = block.next();
        const QString language = blockFormat.stringProperty(QTextFormat::BlockCodeLanguage);
        // Two fences in a row (a command, then its output) stay two boxes.
        const bool continuesCode = next.isValid() && isCodeBlock(next) &&
                                   next.blockFormat().stringProperty(QTextFormat::BlockCodeLanguage) == language;
        if (code) {
            blockFormat.setBackground(codeBackground);
            blockFormat.setLeftMargin(0);
            blockFormat.setTopMargin(previousWasCode ? 0 : 6);
            blockFormat.setBottomMargin(continuesCode ? 0 : 14);
            blockFormat.setLineHeight(100, QTextBlockFormat::ProportionalHeight);
            // Long lines wrap instead of pushing the whole page sideways.
            blockFormat.setNonBreakableLines(false);
            QTextCharFormat charFormat;
            charFormat.setFont(fixed, QTextCharFormat::FontPropertiesSpecifiedOnly);
            charFormat.setFontPointSize(document()->defaultFont().pointSizeF() * 0.92);
            blockCursor.mergeCharFormat(charFormat);
            QTextCursor(block).setBlockFormat(blockFormat);
            previousWasCode = continuesCode;
            continue;
        }
        previousWasCode = false;
        if (const int level = blockFormat.headingLevel(); level > 0) {
            static const double scale[] = {0, 1.85, 1.4, 1.17, 1.05, 1.0, 1.0};
            QTextCharFormat charFormat;
            charFormat.setFontPointSize(document()->defaultFont().pointSizeF() * scale[std::min(level, 6)]);
            charFormat.setFontWeight(level <= 2 ? QFont::Bold : QFont::DemiBold);
            blockCursor.mergeCharFormat(charFormat);
            blockFormat.setTopMargin(level == 1 ? 4 : level == 2 ? 26 : 18);
            blockFormat.setBottomMargin(level <= 2 ? 10 : 6);
            QTextCursor(block).setBlockFormat(blockFormat);
            continue;
        }
        const int quoteLevel = blockFormat.intProperty(QTextFormat::BlockQuoteLevel);
        if (quoteLevel > 0) {
            const QString label = block.text().trimmed();
            if (calloutColours.contains(label))
                quoteColour = calloutColours.value(label);
            blockFormat.setBackground(quoteColour);
            blockFormat.setLeftMargin(12);
            blockFormat.setRightMargin(0);
            blockFormat.setTopMargin(calloutColours.contains(label) ? 8 : 0);
            blockFormat.setBottomMargin(
                next.isValid() && next.blockFormat().intProperty(QTextFormat::BlockQuoteLevel) > 0 ? 0 : 12);
            blockFormat.setLineHeight(135, QTextBlockFormat::ProportionalHeight);
            QTextCursor(block).setBlockFormat(blockFormat);
            continue;
        }
        if (isActionLine(block)) {
            blockFormat.setAlignment(Qt::AlignRight);
            blockFormat.setBottomMargin(2);
            QTextCharFormat charFormat;
            charFormat.setFontPointSize(document()->defaultFont().pointSizeF() * 0.9);
            blockCursor.mergeCharFormat(charFormat);
            QTextCursor(block).setBlockFormat(blockFormat);
            continue;
        }
        if (!block.textList() && !QTextCursor(block).currentTable()) {
            blockFormat.setLineHeight(140, QTextBlockFormat::ProportionalHeight);
            blockFormat.setBottomMargin(10);
            QTextCursor(block).setBlockFormat(blockFormat);
        } else if (block.textList()) {
            blockFormat.setLineHeight(135, QTextBlockFormat::ProportionalHeight);
            blockFormat.setBottomMargin(4);
            QTextCursor(block).setBlockFormat(blockFormat);
        }
        // Inline code spans get a subtle background.
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            const QTextFragment fragment = it.fragment();
            if (!fragment.charFormat().fontFixedPitch())
                continue;
            QTextCursor span(doc);
            span.setPosition(fragment.position());
            span.setPosition(fragment.position() + fragment.length(), QTextCursor::KeepAnchor);
            QTextCharFormat charFormat;
            charFormat.setBackground(inlineCodeBackground);
            charFormat.setFont(fixed, QTextCharFormat::FontPropertiesSpecifiedOnly);
            charFormat.setFontPointSize(document()->defaultFont().pointSizeF() * 0.95);
            span.mergeCharFormat(charFormat);
        }
    }

    // Tables: borders, padding, a shaded header row.
    const QList<QTextFrame *> frames = doc->rootFrame()->childFrames();
    for (QTextFrame *frame : frames) {
        auto *table = qobject_cast<QTextTable *>(frame);
        if (!table)
            continue;
        QTextTableFormat format = table->format();
        format.setBorder(1);
        format.setBorderBrush(rule);
        format.setBorderStyle(QTextFrameFormat::BorderStyle_Solid);
        format.setBorderCollapse(true);
        format.setCellPadding(7);
        format.setCellSpacing(0);
        format.setTopMargin(6);
        format.setBottomMargin(14);
        format.setHeaderRowCount(1);
        table->setFormat(format);
        for (int column = 0; column < table->columns(); ++column) {
            QTextTableCell cell = table->cellAt(0, column);
            QTextCharFormat cellFormat = cell.format();
            cellFormat.setBackground(mix(baseColour, text, 0.07));
            cell.setFormat(cellFormat);
            QTextCursor headerCursor = cell.firstCursorPosition();
            headerCursor.setPosition(cell.lastCursorPosition().position(), QTextCursor::KeepAnchor);
            QTextCharFormat bold;
            bold.setFontWeight(QFont::DemiBold);
            headerCursor.mergeCharFormat(bold);
        }
    }

    // Images never wider than the text column.
    for (QTextBlock block = doc->begin(); block.isValid(); block = block.next()) {
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            const QTextFragment fragment = it.fragment();
            QTextImageFormat image = fragment.charFormat().toImageFormat();
            if (!image.isValid())
                continue;
            const QUrl url = doc->baseUrl().resolved(QUrl(image.name()));
            const QSize natural = QImageReader(url.toLocalFile()).size();
            if (!natural.isValid())
                continue;
            const int width = imageWidth(natural.width());
            image.setWidth(width);
            image.setHeight(natural.height() * width / std::max(1, natural.width()));
            QTextCursor imageCursor(doc);
            imageCursor.setPosition(fragment.position());
            imageCursor.setPosition(fragment.position() + fragment.length(), QTextCursor::KeepAnchor);
            imageCursor.setCharFormat(image);
        }
    }
    cursor.endEditBlock();
}

QVariant LessonView::loadResource(int type, const QUrl &name)
{
    // Lessons never load remote content: only files next to the lesson.
    const QUrl url = document()->baseUrl().resolved(name);
    if (!url.isLocalFile())
        return {};
    if (type == QTextDocument::ImageResource) {
        QImageReader reader(url.toLocalFile());
        const QSize natural = reader.size();
        if (natural.isValid() && natural.width() > 0) {
            // Render SVGs at the displayed size times the device pixel ratio, so they stay sharp.
            const int width = imageWidth(natural.width());
            reader.setScaledSize(QSize(width, natural.height() * width / natural.width()) * devicePixelRatioF());
        }
        QImage image = reader.read();
        image.setDevicePixelRatio(devicePixelRatioF());
        return image;
    }
    return QTextBrowser::loadResource(type, url);
}

void LessonView::resizeEvent(QResizeEvent *event)
{
    QTextBrowser::resizeEvent(event);
    updateMargins();
}

void LessonView::changeEvent(QEvent *event)
{
    QTextBrowser::changeEvent(event);
    if (event->type() == QEvent::PaletteChange && m_highlighter) {
        m_highlighter->setPalette(palette());
    }
}

void LessonView::updateMargins()
{
    // Centre a readable column instead of running lines across a wide window.
    const int available = width() - verticalScrollBar()->sizeHint().width();
    const int side = std::max(0, (available - kMaxTextWidth) / 2);
    setViewportMargins(side, 0, side, 0);
}

int LessonView::imageWidth(int naturalWidth) const
{
    // Never wider than the text column, which is narrower than kMaxTextWidth in a small window.
    const int column =
        std::min(kMaxTextWidth, viewport()->width()) - 2 * static_cast<int>(document()->documentMargin());
    return std::max(16, std::min(naturalWidth, column - 8));
}

double LessonView::scrollFraction() const
{
    const QScrollBar *bar = verticalScrollBar();
    return bar->maximum() > 0 ? static_cast<double>(bar->value()) / bar->maximum() : 0.0;
}

void LessonView::setScrollFraction(double fraction)
{
    QScrollBar *bar = verticalScrollBar();
    bar->setValue(static_cast<int>(fraction * bar->maximum()));
}

bool LessonView::scrollToHeading(const QString &heading)
{
    for (QTextBlock block = document()->begin(); block.isValid(); block = block.next()) {
        if (block.blockFormat().headingLevel() > 0 && block.text().trimmed() == heading.trimmed()) {
            const QRectF rect = document()->documentLayout()->blockBoundingRect(block);
            verticalScrollBar()->setValue(static_cast<int>(rect.top()));
            return true;
        }
    }
    return false;
}

int LessonView::findAll(const QString &text, bool backwards)
{
    QList<QTextEdit::ExtraSelection> selections;
    if (text.isEmpty()) {
        setExtraSelections(selections);
        return 0;
    }
    QTextCharFormat highlight;
    highlight.setBackground(isDark(palette()) ? QColor(0x80, 0x66, 0x10) : QColor(0xff, 0xe5, 0x8f));
    QTextCursor cursor(document());
    while (true) {
        cursor = document()->find(text, cursor);
        if (cursor.isNull())
            break;
        selections.append({cursor, highlight});
    }
    setExtraSelections(selections);
    if (!selections.isEmpty()) {
        if (!find(text, backwards ? QTextDocument::FindBackward : QTextDocument::FindFlags())) {
            QTextCursor wrap(document());
            wrap.movePosition(backwards ? QTextCursor::End : QTextCursor::Start);
            setTextCursor(wrap);
            find(text, backwards ? QTextDocument::FindBackward : QTextDocument::FindFlags());
        }
    }
    m_findText = text;
    return static_cast<int>(selections.size());
}

} // namespace orchestra::ui
