#!/bin/sh
# Installs Debian's Prometheus (for promtool, which checks a real scrape of /metrics in the metrics test), without
# ever starting the system service: a policy-rc.d that refuses every start is in place while the packages install.
# Idempotent and quiet: does nothing when promtool is already there.
set -eu

if command -v promtool >/dev/null 2>&1; then
    exit 0
fi

. "$(dirname "$0")/lib/apt-install.sh"
install_without_services install-prometheus.sh "prometheus" prometheus
