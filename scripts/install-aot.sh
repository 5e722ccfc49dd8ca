#!/bin/sh
# Installs what a NativeAOT publish (src/Postino.Deliver and src/Postino.OneShot, packaged by scripts/package-deb.sh)
# links with: clang as the linker driver and zlib's development files; strace, with which the package test sees
# deliver's fsyncs.
# Never starts a system service. Idempotent and quiet: does nothing when they are already there.
set -eu

if command -v clang >/dev/null 2>&1 && [ -e /usr/include/zlib.h ] && command -v strace >/dev/null 2>&1; then
    exit 0
fi

. "$(dirname "$0")/lib/apt-install.sh"
install_without_services install-aot.sh "" clang zlib1g-dev strace
