#!/bin/sh
# Installs the Debian PostgreSQL server binaries used by the PostgreSQL store tests and the benchmark, without ever
# starting the system service or creating its cluster: the tests run a private cluster (initdb in a temporary folder,
# as an unprivileged user, on a free port). Idempotent and quiet: does nothing when initdb and postgres are already there.
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

# postgresql-common would create and start a "main" cluster; the tests never use one.
mkdir -p /etc/postgresql-common
if [ ! -e /etc/postgresql-common/createcluster.conf ]; then
    echo "create_main_cluster = false" > /etc/postgresql-common/createcluster.conf
fi

. "$(dirname "$0")/lib/apt-install.sh"
install_without_services install-postgresql.sh "postgresql" postgresql
