#!/bin/sh
# Installs what the Debian package test needs: dpkg-deb (dpkg), lintian, systemd-analyze (systemd). Never starts a
# system service: a policy-rc.d that refuses every start is in place while the packages install.
# Idempotent and quiet: does nothing when the tools are already there.
set -eu

if command -v dpkg-deb >/dev/null 2>&1 && command -v lintian >/dev/null 2>&1 && command -v systemd-analyze >/dev/null 2>&1; then
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "install-package-tools.sh: must run as root (apt-get)" >&2
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

if ! apt_get install -y --no-install-recommends dpkg lintian systemd 2>/dev/null; then
    apt_get update
    apt_get install -y --no-install-recommends dpkg lintian systemd
fi

if [ "$created_policy" = yes ]; then
    rm -f "$policy"
fi
