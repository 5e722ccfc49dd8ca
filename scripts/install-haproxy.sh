#!/bin/sh
# Installs the Debian HAProxy used by the PROXY protocol tests (a private instance each test starts on free ports),
# without ever starting the system service: a policy-rc.d that refuses every start is in place while it installs.
# Idempotent and quiet: does nothing when haproxy is already there.
set -eu

if command -v haproxy >/dev/null 2>&1 || [ -x /usr/sbin/haproxy ]; then
    exit 0
fi

. "$(dirname "$0")/lib/apt-install.sh"
install_without_services install-haproxy.sh "haproxy" haproxy
