#!/bin/sh
# Installs the command-line peers the interop tests drive: curl, openssl, python3 (poplib, smtplib).
# Idempotent and quiet: does nothing when they are present.
set -eu

missing=""
for tool in curl openssl python3; do
    command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
done

if [ -z "$missing" ]; then
    exit 0
fi

. "$(dirname "$0")/lib/apt-install.sh"
# shellcheck disable=SC2086 # one package per word
install_without_services install-test-tools.sh "" $missing
