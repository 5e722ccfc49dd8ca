#!/bin/sh
# Installs Debian's Prometheus (for promtool, which checks a real scrape of /metrics in the metrics test), without
# ever starting the system service: a policy-rc.d that refuses every start is in place while the packages install.
# Idempotent and quiet: does nothing when promtool is already there.
set -eu

if command -v promtool >/dev/null 2>&1; then
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "install-prometheus.sh: must run as root (apt-get)" >&2
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

if ! apt_get install -y --no-install-recommends prometheus 2>/dev/null; then
    apt_get update
    apt_get install -y --no-install-recommends prometheus
fi

# The packaged service may have been enabled; it must stay down so it never holds port 9090.
if command -v systemctl >/dev/null 2>&1; then
    systemctl disable --now prometheus >/dev/null 2>&1 || true
fi

if [ "$created_policy" = yes ]; then
    rm -f "$policy"
fi
