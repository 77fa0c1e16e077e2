# Helpers shared by every Orchestra target.
include(CheckCXXCompilerFlag)
# GCC 12 reports -Wdangling-pointer inside yaml-cpp's inline Node accessors
# (node["key"].Mark() on a temporary), a known false positive of that release.
check_cxx_compiler_flag(-Wno-dangling-pointer ORCHESTRA_HAS_WNO_DANGLING_POINTER)

# Warnings are errors on GCC and Clang; MSVC gets /W4 without /WX so that a
# newer compiler never breaks a user's build on Windows.
function(orchestra_set_warnings target)
    if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
        target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Werror)
        if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND ORCHESTRA_HAS_WNO_DANGLING_POINTER)
            target_compile_options(${target} PRIVATE -Wno-dangling-pointer)
        endif()
    elseif(MSVC)
        target_compile_options(${target} PRIVATE /W4 /permissive- /utf-8)
    endif()
    target_compile_definitions(${target} PRIVATE
        QT_NO_URL_CAST_FROM_STRING
        QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
        QT_DISABLE_DEPRECATED_UP_TO=0x060400)
endfunction()

# Writes every library that `target` links, directly or through other targets'
# INTERFACE_LINK_LIBRARIES, one per line, to `output`. The core-links-no-GUI
# test reads it: a transitive Qt6::Gui through some helper target counts too.
function(orchestra_write_link_closure target output)
    set(seen "")
    set(queue "${target}")
    while(queue)
        list(POP_FRONT queue current)
        if(current IN_LIST seen)
            continue()
        endif()
        list(APPEND seen "${current}")
        if(NOT TARGET "${current}")
            continue()
        endif()
        get_target_property(aliased "${current}" ALIASED_TARGET)
        if(aliased)
            list(APPEND queue "${aliased}")
        endif()
        foreach(prop LINK_LIBRARIES INTERFACE_LINK_LIBRARIES)
            get_target_property(libs "${current}" ${prop})
            if(NOT libs)
                continue()
            endif()
            foreach(lib IN LISTS libs)
                # $<LINK_ONLY:Qt6::Gui> and friends still link: unwrap them.
                string(REGEX REPLACE "^\\$<LINK_ONLY:(.*)>$" "\\1" lib "${lib}")
                string(REGEX REPLACE "^\\$<\\$<[^>]*>:(.*)>$" "\\1" lib "${lib}")
                if(lib)
                    list(APPEND queue "${lib}")
                endif()
            endforeach()
        endforeach()
    endwhile()
    list(REMOVE_ITEM seen "${target}")
    list(JOIN seen "\n" content)
    file(WRITE "${output}" "${content}\n")
endfunction()
