# Sourced by scripts/install-*.sh: installs Debian packages for the tests without ever starting a system service.
# A policy-rc.d that refuses every start is in place while the packages install, and the named services are
# disabled afterwards (a packaged service must never hold the ports the tests or a real server use).
#
#   install_without_services SCRIPT "SERVICE..." PACKAGE...
install_without_services() {
    script=$1
    services=$2
    shift 2

    if [ "$(id -u)" -ne 0 ]; then
        echo "$script: must run as root (apt-get)" >&2
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
    # Another process may hold the dpkg lock for a while; wait for it rather than fail. A first try without
    # `apt-get update` keeps a machine with fresh lists fast.
    if ! apt-get -o DPkg::Lock::Timeout=300 -qq install -y --no-install-recommends "$@" >/dev/null 2>&1; then
        apt-get -o DPkg::Lock::Timeout=300 -qq update >/dev/null
        apt-get -o DPkg::Lock::Timeout=300 -qq install -y --no-install-recommends "$@" >/dev/null
    fi

    if [ -n "$services" ] && command -v systemctl >/dev/null 2>&1; then
        for service in $services; do
            systemctl disable --now "$service" >/dev/null 2>&1 || true
        done
    fi

    if [ "$created_policy" = yes ]; then
        rm -f "$policy"
    fi
}
