#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace orchestra::watch {

/// One watch event: ADDED / MODIFIED / DELETED / BOOKMARK / ERROR and its object (a Status for ERROR).
struct WatchEvent final
{
    enum class Type { Added, Modified, Deleted, Bookmark, Error };
    Type type = Type::Added;
    QJsonObject object;

    /// metadata.resourceVersion of the object (opaque; compare for equality only).
    QString resourceVersion() const;
    /// For ERROR events: the Status code (410 = resource version too old), else 0.
    int errorCode() const;
};

/// Splits a watch response body into events. A network read is not an event: feed() accepts any split (half an
/// event, several events, HTTP/2 frames or HTTP/1.1 chunks already decoded by the transport) and yields each
/// complete JSON object once, in order.
class WatchStreamParser final
{
public:
    /// Appends bytes; complete events become available from takeEvents().
    void feed(QByteArrayView bytes);
    /// Returns and forgets the events completed so far.
    QList<WatchEvent> takeEvents();
    /// Set when an object could not be parsed or had an unknown type; the stream should be restarted.
    const QString &error() const { return m_error; }
    /// Bytes received but not yet part of a complete event.
    qsizetype pendingBytes() const { return m_buffer.size(); }
    void reset();

private:
    void scan();
    void emitObject(QByteArrayView json);

    QByteArray m_buffer;
    qsizetype m_scanned = 0; // m_buffer[0, m_scanned) has been scanned with the state below
    int m_depth = 0;
    bool m_inString = false;
    bool m_escape = false;
    qsizetype m_objectStart = -1;
    QList<WatchEvent> m_events;
    QString m_error;
};

} // namespace orchestra::watch
