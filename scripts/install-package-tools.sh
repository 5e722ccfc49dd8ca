#!/bin/sh
# Installs what the Debian package test needs: dpkg-deb (dpkg), lintian, systemd-analyze (systemd). Never starts a
# system service: a policy-rc.d that refuses every start is in place while the packages install.
# Idempotent and quiet: does nothing when the tools are already there.
set -eu

if command -v dpkg-deb >/dev/null 2>&1 && command -v lintian >/dev/null 2>&1 && command -v systemd-analyze >/dev/null 2>&1; then
    exit 0
fi

. "$(dirname "$0")/lib/apt-install.sh"
install_without_services install-package-tools.sh "" dpkg lintian systemd
