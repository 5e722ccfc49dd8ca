#!/bin/sh
# Installs the Debian PostgreSQL server binaries used by the PostgreSQL store tests and the benchmark, without ever
# starting the system service or creating its cluster: the tests run a private cluster (initdb in a temporary folder,
# as an unprivileged user, on a free port). A policy-rc.d that refuses every start is in place while packages install.
# Idempotent and quiet: does nothing when initdb and postgres are already there.
set -eu

for version in 17 16 15; do
    if [ -x "/usr/lib/postgresql/$version/bin/initdb" ] && [ -x "/usr/lib/postgresql/$version/bin/postgres" ]; then
        exit 0
    fi
done

if [ "$(id -u)" -ne 0 ]; then
    echo "install-postgresql.sh: must run as root (apt-get)" >&2
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

# postgresql-common would create and start a "main" cluster; the tests never use one.
mkdir -p /etc/postgresql-common
if [ ! -e /etc/postgresql-common/createcluster.conf ]; then
    echo "create_main_cluster = false" > /etc/postgresql-common/createcluster.conf
fi

if ! apt_get install -y --no-install-recommends postgresql 2>/dev/null; then
    apt_get update
    apt_get install -y --no-install-recommends postgresql
fi

if command -v systemctl >/dev/null 2>&1; then
    systemctl disable --now postgresql >/dev/null 2>&1 || true
fi

if [ "$created_policy" = yes ]; then
    rm -f "$policy"
fi
