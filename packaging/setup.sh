#!/usr/bin/env bash
# Sets up, builds, runs and tests Orchestra on Debian 12 / Ubuntu 22.04+.
#
#   packaging/setup.sh run [ARGS...]   install what is missing, build, launch the app
#   packaging/setup.sh test            install what is missing, build, run every test
#   packaging/setup.sh deps|build      just one step
#
# Idempotent and unattended: packages already present are skipped, the build
# is incremental (ninja, ccache when present). BUILD_DIR overrides ./build.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${BUILD_DIR:-$here/build}
jobs=${JOBS:-$(nproc 2>/dev/null || echo 2)}

# Each entry lists alternatives: the first name the package index knows wins
# (Debian 12 and Ubuntu 22.04 name some Qt 6 modules differently).
build_packages=(
    g++ cmake ninja-build ccache pkg-config git
    qt6-base-dev qt6-base-dev-tools "libqt6opengl6-dev|qt6-base-dev"
    "qt6-websockets-dev|libqt6websockets6-dev" "qt6-charts-dev|libqt6charts6-dev"
    "qt6-svg-dev|libqt6svg6-dev" libqt6svg6 "qt6-image-formats-plugins|libqt6svg6"
    libgl-dev libxkbcommon-dev libyaml-cpp-dev
    "libkf6syntaxhighlighting-dev|"
    "fonts-noto-cjk|fonts-nanum"
)
test_packages=(
    xvfb xauth openssl appstream desktop-file-utils dpkg-dev file prometheus nghttp2-proxy
)

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

apt_updated=0
apt_known() {
    [ "$apt_updated" = 1 ] || { [ -d /var/lib/apt/lists ] && ls /var/lib/apt/lists/*_Packages >/dev/null 2>&1; } || apt_update
    apt-cache show "$1" >/dev/null 2>&1
}
apt_update() {
    [ "$apt_updated" = 1 ] && return
    log "apt-get update"
    $sudo apt-get update -qq
    apt_updated=1
}
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

install_packages() {
    if ! command -v apt-get >/dev/null; then
        log "Not a Debian/Ubuntu system: install the packages named in README.md yourself."
        return 0
    fi
    sudo=""
    if [ "$(id -u)" != 0 ]; then sudo=sudo; fi
    local wanted=() entry name chosen
    for entry in "$@"; do
        chosen=""
        IFS='|' read -r -a names <<<"$entry"
        for name in "${names[@]}"; do
            if installed "$name"; then chosen=present; break; fi
        done
        [ "$chosen" = present ] && continue
        for name in "${names[@]}"; do
            if [ -n "$name" ] && apt_known "$name"; then chosen=$name; break; fi
        done
        if [ -z "$chosen" ]; then
            # An empty alternative marks an optional package (e.g. KF6 on Debian 12).
            case "$entry" in *"|") continue ;; esac
            apt_update
            for name in "${names[@]}"; do
                if [ -n "$name" ] && apt_known "$name"; then chosen=$name; break; fi
            done
        fi
        if [ -n "$chosen" ]; then
            wanted+=("$chosen")
        else
            case "$entry" in *"|") ;; *) log "warning: no package for '$entry'" ;; esac
        fi
    done
    if [ ${#wanted[@]} -gt 0 ]; then
        apt_update
        log "apt-get install ${wanted[*]}"
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${wanted[@]}" >/dev/null
    fi
}

configure_and_build() {
    # Hash paths relative to the checkout, so a fresh clone elsewhere (CI) reuses the cache.
    export CCACHE_BASEDIR="$here" CCACHE_NOHASHDIR=1
    if [ ! -f "$build_dir/build.ninja" ]; then
        log "cmake -S $here -B $build_dir"
        cmake -S "$here" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
    fi
    log "cmake --build $build_dir"
    cmake --build "$build_dir" --parallel "$jobs"
}

step=${1:-}
[ $# -gt 0 ] && shift
case "$step" in
deps)
    install_packages "${build_packages[@]}" "${test_packages[@]}"
    ;;
build)
    install_packages "${build_packages[@]}"
    configure_and_build
    ;;
run)
    install_packages "${build_packages[@]}"
    configure_and_build
    if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ "$(uname)" = Linux ]; then
        log "No display (DISPLAY/WAYLAND_DISPLAY unset): start Orchestra from a desktop session, or try"
        log "  xvfb-run -a $build_dir/app/orchestra"
        exit 1
    fi
    exec "$build_dir/app/orchestra" "$@"
    ;;
test)
    install_packages "${build_packages[@]}" "${test_packages[@]}"
    configure_and_build
    log "ctest"
    cd "$build_dir"
    exec ctest --output-on-failure --parallel "$jobs" "$@"
    ;;
*)
    sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
