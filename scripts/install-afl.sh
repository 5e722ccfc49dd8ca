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

if [ "$(id -u)" -ne 0 ]; then
    echo "install-afl.sh: must run as root (apt-get)" >&2
    exit 1
fi

policy=/usr/sbin/policy-rc.d
created_policy=no
if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' > "$policy"
    chmod 755 "$policy"
    created_policy=yes
fi

export DEBIAN_FRONTEND=noninteractive
apt_get() {
    # Another process may hold the dpkg lock for a while; wait for it rather than fail.
    apt-get -o DPkg::Lock::Timeout=300 -qq "$@" >/dev/null
}

if ! apt_get install -y --no-install-recommends afl++ 2>/dev/null; then
    apt_get update
    apt_get install -y --no-install-recommends afl++
fi

if [ "$created_policy" = yes ]; then
    rm -f "$policy"
fi
