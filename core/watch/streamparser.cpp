#include "watch/streamparser.h"

#include <QJsonDocument>
#include <QJsonParseError>

namespace orchestra::watch {

QString WatchEvent::resourceVersion() const
{
    return object.value(QLatin1String("metadata")).toObject().value(QLatin1String("resourceVersion")).toString();
}

int WatchEvent::errorCode() const
{
    return type == Type::Error ? object.value(QLatin1String("code")).toInt() : 0;
}

void WatchStreamParser::feed(QByteArrayView bytes)
{
    m_buffer.append(bytes.data(), bytes.size());
    scan();
}

QList<WatchEvent> WatchStreamParser::takeEvents()
{
    return std::exchange(m_events, {});
}

void WatchStreamParser::reset()
{
    m_buffer.clear();
    m_scanned = 0;
    m_depth = 0;
    m_inString = false;
    m_escape = false;
    m_objectStart = -1;
    m_events.clear();
    m_error.clear();
}

void WatchStreamParser::scan()
{
    // Track brace depth outside strings so an event is cut exactly where its top-level object ends, whatever the
    // separators (newline, none, or whitespace) and wherever the reads were split. Scanning resumes where the
    // previous read stopped, so the cost stays linear in the stream size.
    const char *data = m_buffer.constData();
    const qsizetype size = m_buffer.size();
    qsizetype consumed = 0;
    for (qsizetype i = m_scanned; i < size; ++i) {
        const char c = data[i];
        if (m_inString) {
            if (m_escape)
                m_escape = false;
            else if (c == '\\')
                m_escape = true;
            else if (c == '"')
                m_inString = false;
            continue;
        }
        if (c == '"') {
            m_inString = true;
        } else if (c == '{') {
            if (m_depth++ == 0)
                m_objectStart = i;
        } else if (c == '}') {
            if (m_depth > 0 && --m_depth == 0) {
                emitObject(QByteArrayView(data + m_objectStart, i - m_objectStart + 1));
                consumed = i + 1;
                m_objectStart = -1;
            }
        } else if (m_depth == 0) {
            consumed = i + 1;
            if (c == '\n' || c == '\r' || c == ' ' || c == '\t')
                continue;
            if (m_error.isEmpty())
                m_error =
                    QStringLiteral("unexpected byte 0x%1 between watch events").arg(uchar(c), 2, 16, QLatin1Char('0'));
        }
    }
    m_scanned = size - consumed;
    if (consumed > 0) {
        m_buffer.remove(0, consumed);
        if (m_objectStart >= 0)
            m_objectStart -= consumed;
    }
}

void WatchStreamParser::emitObject(QByteArrayView json)
{
    QJsonParseError parseError;
    const QJsonDocument document =
        QJsonDocument::fromJson(QByteArray::fromRawData(json.data(), json.size()), &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        if (m_error.isEmpty())
            m_error = QStringLiteral("malformed watch event: %1").arg(parseError.errorString());
        return;
    }
    const QJsonObject root = document.object();
    const QString type = root.value(QLatin1String("type")).toString();
    WatchEvent event;
    if (type == QLatin1String("ADDED"))
        event.type = WatchEvent::Type::Added;
    else if (type == QLatin1String("MODIFIED"))
        event.type = WatchEvent::Type::Modified;
    else if (type == QLatin1String("DELETED"))
        event.type = WatchEvent::Type::Deleted;
    else if (type == QLatin1String("BOOKMARK"))
        event.type = WatchEvent::Type::Bookmark;
    else if (type == QLatin1String("ERROR"))
        event.type = WatchEvent::Type::Error;
    else {
        if (m_error.isEmpty())
            m_error = QStringLiteral("unknown watch event type \"%1\"").arg(type);
        return;
    }
    event.object = root.value(QLatin1String("object")).toObject();
    m_events.append(std::move(event));
}

} // namespace orchestra::watch
