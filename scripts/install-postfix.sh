#!/bin/sh
# Installs Postfix for the LMTP interop test without ever starting the system service: the test runs a private
# instance (its own config_directory and queue_directory on loopback). Idempotent and quiet.
set -eu

if command -v postfix >/dev/null 2>&1 || [ -x /usr/sbin/postfix ]; then
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "install-postfix.sh: must run as root (apt-get)" >&2
    exit 1
fi

# No questions, and no mail system configured: the test writes its own main.cf.
echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
echo "postfix postfix/mailname string localhost" | debconf-set-selections

. "$(dirname "$0")/lib/apt-install.sh"
install_without_services install-postfix.sh "postfix" postfix
