// Every curriculum manifest converts to the same JSON kubectl reads from it (kubectl create --dry-run=client -o
// json, against the test API server for its discovery): scalar typing, block scalars, multi-document files.

#include "manifests/manifest.h"

#include "apiserver.h"
#include "testmain.h"

#include <QDirIterator>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QStandardPaths>

using orchestra::manifests::parseManifest;

namespace {

/// kubectl prints one JSON object per document (or a List); read them all.
QList<QJsonObject> readObjects(const QByteArray &output)
{
    QList<QJsonObject> objects;
    int depth = 0;
    qsizetype start = -1;
    bool inString = false;
    for (qsizetype i = 0; i < output.size(); ++i) {
        const char c = output.at(i);
        if (inString) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                inString = false;
            continue;
        }
        if (c == '"')
            inString = true;
        else if (c == '{' && depth++ == 0)
            start = i;
        else if (c == '}' && --depth == 0)
            objects.append(QJsonDocument::fromJson(output.mid(start, i - start + 1)).object());
    }
    if (objects.size() == 1 && objects.first().value(QStringLiteral("kind")).toString() == QLatin1String("List")) {
        QList<QJsonObject> items;
        for (const QJsonValue &item : objects.first().value(QStringLiteral("items")).toArray())
            items.append(item.toObject());
        return items;
    }
    return objects;
}

QJsonObject withoutKubectlDefaults(QJsonObject object, bool keepNamespace)
{
    QJsonObject metadata = object.value(QStringLiteral("metadata")).toObject();
    metadata.remove(QStringLiteral("creationTimestamp"));
    if (!keepNamespace)
        metadata.remove(QStringLiteral("namespace"));
    object.insert(QStringLiteral("metadata"), metadata);
    return object;
}

} // namespace

class TestManifestKubectl : public QObject
{
    Q_OBJECT

private slots:
    void curriculumManifests_convertLikeKubectl()
    {
        const QString kubectl = QStandardPaths::findExecutable(QStringLiteral("kubectl"));
        if (kubectl.isEmpty())
            QSKIP("kubectl is not installed");
        orchestra::testing::ApiServer server;
        QVERIFY2(server.startInThread(), qPrintable(server.lastError()));
        QTemporaryDir dir;
        const QString kubeconfig = dir.filePath(QStringLiteral("config"));
        QVERIFY(server.writeKubeconfig(kubeconfig));

        int compared = 0;
        QStringList mismatches;
        QDirIterator it(QStringLiteral(ORCHESTRA_SOURCE_DIR "/content/manifests"), {QStringLiteral("*.yaml")},
                        QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            QFile file(path);
            QVERIFY(file.open(QIODevice::ReadOnly));
            const auto parsed = parseManifest(QString::fromUtf8(file.readAll()));

            QProcess process;
            process.start(kubectl, {QStringLiteral("--kubeconfig"), kubeconfig, QStringLiteral("create"),
                                    QStringLiteral("--dry-run=client"), QStringLiteral("-o"), QStringLiteral("json"),
                                    QStringLiteral("-f"), path});
            QVERIFY(process.waitForFinished(60000));
            if (process.exitCode() != 0)
                continue; // kinds the test server does not serve; covered by the lessons' own checks
            const QList<QJsonObject> theirs = readObjects(process.readAllStandardOutput());
            if (theirs.size() != parsed.documents.size()) {
                mismatches.append(
                    path +
                    QStringLiteral(": %1 documents, kubectl %2").arg(parsed.documents.size()).arg(theirs.size()));
                continue;
            }
            for (int i = 0; i < theirs.size(); ++i) {
                const bool hasNamespace = !parsed.documents.at(i).nameSpace.isEmpty();
                if (withoutKubectlDefaults(parsed.documents.at(i).object, true) !=
                    withoutKubectlDefaults(theirs.at(i), hasNamespace))
                    mismatches.append(path + QStringLiteral(" document %1").arg(i + 1));
            }
            ++compared;
        }
        QVERIFY2(mismatches.isEmpty(), qPrintable(mismatches.join(QLatin1Char('\n'))));
        QVERIFY2(compared >= 50, qPrintable(QStringLiteral("only %1 files compared").arg(compared)));
    }
};

ORCHESTRA_TEST_MAIN(TestManifestKubectl)
#include "tst_manifest_kubectl.moc"
