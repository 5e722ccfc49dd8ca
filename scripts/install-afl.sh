#!/bin/sh
# Installs AFL++ (Debian afl++) for the fuzzing bench job, bench/fuzz/run.sh. Fuzzing is not a test: scripts/test.sh
# runs every scripts/install-*.sh, and this one then does nothing (afl++ pulls in clang and LLVM, which no test needs).
# Install for real with:  sudo scripts/install-afl.sh --fuzz
# Idempotent and quiet: does nothing when afl-fuzz is already there. The SharpFuzz instrumentation tool is a local
# .NET tool (bench/fuzz/dotnet-tools.json) that run.sh restores itself.
set -eu

if [ "${1:-}" != "--fuzz" ]; then
    exit 0
fi

if command -v afl-fuzz >/dev/null 2>&1; then
    exit 0
fi

. "$(dirname "$0")/lib/apt-install.sh"
install_without_services install-afl.sh "" afl++
