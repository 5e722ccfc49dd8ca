#!/bin/sh
# Installs Postfix for the LMTP interop test without ever starting the system service: the test runs a private
# instance (its own config_directory and queue_directory on loopback). Idempotent and quiet.
set -eu

if command -v postfix >/dev/null 2>&1 || [ -x /usr/sbin/postfix ]; then
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi

# policy-rc.d exit 101 = "action forbidden": the package's postinst must not start the system postfix.
POLICY=/usr/sbin/policy-rc.d
CREATED_POLICY=0
if [ ! -e "$POLICY" ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$POLICY" >/dev/null
    $SUDO chmod 755 "$POLICY"
    CREATED_POLICY=1
fi

cleanup() {
    if [ "$CREATED_POLICY" -eq 1 ]; then
        $SUDO rm -f "$POLICY"
    fi
}
trap cleanup EXIT

echo "postfix postfix/main_mailer_type select No configuration" | $SUDO debconf-set-selections
echo "postfix postfix/mailname string localhost" | $SUDO debconf-set-selections

export DEBIAN_FRONTEND=noninteractive
for attempt in 1 2 3 4 5 6; do
    if $SUDO apt-get -qq -o Dpkg::Use-Pty=0 install -y --no-install-recommends postfix >/dev/null 2>&1; then
        exit 0
    fi
    # Package lists may be missing on a fresh machine, or another apt may hold the lock.
    $SUDO apt-get -qq update >/dev/null 2>&1 || true
    sleep $((attempt * 5))
done

echo "install-postfix.sh: could not install postfix" >&2
exit 1
