#!/bin/sh
# Proves the packages work: cpack makes a .deb and a .tar.gz, the .deb installs
# with apt (which resolves its dependencies), and the installed binary runs.
set -eu
build=$1
if [ "$(id -u)" != 0 ] || ! command -v dpkg >/dev/null || ! command -v apt-get >/dev/null; then
    echo "skipped: needs root, dpkg and apt-get"; exit 77
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cd "$build"
cpack -G "DEB;TGZ" -B "$out" >"$out/cpack.log" 2>&1 || { cat "$out/cpack.log"; exit 1; }
deb=$(ls "$out"/*.deb)
ls "$out"/*.tar.gz >/dev/null
dpkg-deb --contents "$deb" | grep -q './usr/bin/orchestra'
dpkg-deb --contents "$deb" | grep -q 'share/orchestra/content/tracks.yaml'
dpkg-deb --contents "$deb" | grep -q 'share/applications/io.github.orchestra_k8s.Orchestra.desktop'
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$deb" >"$out/apt.log" 2>&1 \
    || { cat "$out/apt.log"; exit 1; }
version=$(env -u DISPLAY /usr/bin/orchestra --version)
DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq orchestra >/dev/null 2>&1 || true
echo "$version"
case "$version" in orchestra\ *) exit 0 ;; *) exit 1 ;; esac
