#!/bin/sh
# Installs the Debian Dovecot POP3 server used by the fetch tests and the benchmark (with its LMTP server, which
# bench/dovecot-tuned.sh runs for the delivery figures), without ever starting the
# system service: a policy-rc.d that refuses every start is in place while the packages install.
# Idempotent and quiet: does nothing when dovecot and its POP3 and LMTP modules are already there.
set -eu

if command -v dovecot >/dev/null 2>&1 && [ -e /usr/lib/dovecot/pop3 ] && [ -e /usr/lib/dovecot/lmtp ]; then
    exit 0
fi

. "$(dirname "$0")/lib/apt-install.sh"
install_without_services install-dovecot.sh "dovecot" dovecot-core dovecot-pop3d dovecot-lmtpd
