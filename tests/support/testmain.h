#pragma once

// ORCHESTRA_TEST_MAIN(TestClass): like QTEST_MAIN, but first points HOME and
// the XDG folders at a fresh temporary directory and enables QStandardPaths'
// test mode, so no test reads or writes the real home directory (kubeconfig,
// settings, progress, autosave).

#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#ifdef ORCHESTRA_GUI_TEST
#include <QApplication>
using OrchestraTestApplication = QApplication;
#else
#include <QCoreApplication>
using OrchestraTestApplication = QCoreApplication;
#endif

namespace orchestra::test {

/// Redirects HOME/XDG_* into `home` (call before any QSettings/QStandardPaths use).
inline void isolateHome(const QString &home)
{
    qputenv("HOME", home.toLocal8Bit());
    qputenv("USERPROFILE", home.toLocal8Bit());
    qputenv("XDG_CONFIG_HOME", (home + QStringLiteral("/.config")).toLocal8Bit());
    qputenv("XDG_DATA_HOME", (home + QStringLiteral("/.local/share")).toLocal8Bit());
    qputenv("XDG_CACHE_HOME", (home + QStringLiteral("/.cache")).toLocal8Bit());
    qputenv("XDG_STATE_HOME", (home + QStringLiteral("/.local/state")).toLocal8Bit());
    qunsetenv("KUBECONFIG");
    QStandardPaths::setTestModeEnabled(true);
}

} // namespace orchestra::test

#define ORCHESTRA_TEST_MAIN(TestObject)                                                                                \
    int main(int argc, char *argv[])                                                                                   \
    {                                                                                                                  \
        QTemporaryDir orchestraTestHome;                                                                               \
        if (!orchestraTestHome.isValid())                                                                              \
            return 3;                                                                                                  \
        orchestra::test::isolateHome(orchestraTestHome.path());                                                        \
        OrchestraTestApplication app(argc, argv);                                                                      \
        app.setOrganizationName(QStringLiteral("OrchestraTest"));                                                      \
        app.setApplicationName(QStringLiteral(#TestObject));                                                           \
        TestObject tc;                                                                                                 \
        QTEST_SET_MAIN_SOURCE_PATH                                                                                     \
        return QTest::qExec(&tc, argc, argv);                                                                          \
    }
