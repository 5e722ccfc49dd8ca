#!/bin/sh
# Installs mpop, the POP3 client (keep mode with a UID file) that the Dovecot migration test points first at a private
# Dovecot and then at Postino. It has no service. Idempotent and quiet: does nothing when mpop is already there.
set -eu

if command -v mpop >/dev/null 2>&1; then
    exit 0
fi

. "$(dirname "$0")/lib/apt-install.sh"
install_without_services install-mpop.sh "" mpop
