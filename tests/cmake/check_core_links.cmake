# Fails when orchestra_core links or includes a GUI module.
#   CLOSURE_FILE: every library orchestra_core links, transitively (configure time)
#   CORE_DIR:     core/ sources, scanned for GUI headers
#   PROBE:        an executable linked against orchestra_core only (checked with ldd)
set(failures "")

file(STRINGS "${CLOSURE_FILE}" libs)
foreach(lib IN LISTS libs)
    if(lib MATCHES "Qt6?::(Gui|Widgets|OpenGL|OpenGLWidgets|Charts|Svg|SvgWidgets|Quick|Qml)$"
       OR lib MATCHES "KF6::")
        list(APPEND failures "orchestra_core links ${lib}")
    endif()
endforeach()

file(GLOB_RECURSE sources "${CORE_DIR}/*.h" "${CORE_DIR}/*.cpp")
foreach(source IN LISTS sources)
    file(STRINGS "${source}" includes REGEX "^[ \t]*#[ \t]*include[ \t]*<(QtGui|QtWidgets|QtCharts|QWidget|QApplication|QGuiApplication|QColor|QIcon|QPixmap|QFont|QPainter|QBrush|QImage|QTextDocument|QSyntaxHighlighter)[/>]")
    if(includes)
        list(APPEND failures "${source} includes a GUI header: ${includes}")
    endif()
endforeach()

find_program(LDD ldd)
if(LDD AND EXISTS "${PROBE}")
    execute_process(COMMAND ${LDD} "${PROBE}" OUTPUT_VARIABLE linked RESULT_VARIABLE rc)
    if(rc EQUAL 0 AND linked MATCHES "libQt6(Gui|Widgets)")
        list(APPEND failures "${PROBE} (core only) loads ${CMAKE_MATCH_0}")
    endif()
endif()

if(failures)
    list(JOIN failures "\n  " text)
    message(FATAL_ERROR "core must not use QtGui/QtWidgets:\n  ${text}")
endif()
list(LENGTH libs count)
message(STATUS "orchestra_core links ${count} libraries, none of them GUI: ${libs}")
