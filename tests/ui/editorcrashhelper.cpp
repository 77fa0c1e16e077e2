// A child process for tst_editor_recovery: opens editor buffers with unsaved edits, autosaves them, says "ready"
// and waits to be killed (SIGKILL), as a crash would end it.

#include "editor/editorarea.h"
#include "editor/editortab.h"

#include <QApplication>
#include <QTextStream>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    if (argc < 2)
        return 2;
    orchestra::ui::EditorArea area(QString::fromLocal8Bit(argv[1]));
    area.newFile(QStringLiteral("apiVersion: v1\nkind: ConfigMap\n# unsaved edit\n"));
    area.openManifest(QStringLiteral("apiVersion: v1\nkind: Pod\n"), QStringLiteral("Lesson 2: Pods"), false);
    area.newFile(); // unmodified: nothing to recover
    area.autosaveNow();
    QTextStream(stdout) << "ready" << Qt::endl;
    return app.exec();
}
