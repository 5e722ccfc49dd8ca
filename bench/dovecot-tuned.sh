#!/bin/sh
# A private Dovecot for the benchmark, in the TUNED configuration of issue 12: "high-performance" login processes
# (login_service_count = 0), pop3 processes reused for 100 sessions (service pop3 { service_count = 100 }), no auth
# cache, {PLAIN} passwords, POP3, POP3S and LMTP on 127.0.0.1 (free ports written to DIR/ports), mail_fsync = always
# (as Postino: a delivery is acknowledged after fsync). Must run as root; never touches the system instance.
#
#   dovecot-tuned.sh start DIR          writes DIR/dovecot.conf and starts; users are added before with adduser
#   dovecot-tuned.sh adduser DIR USER PASSWORD
#   dovecot-tuned.sh stop DIR
#
# The configuration is scripts/dovecot/private-dovecot.sh's (the one the interop tests run), plus the tuning below:
# later settings and service blocks override the earlier ones in Dovecot's configuration.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
private_dovecot_library=1
dovecot_instance_prefix=postino-bench
# LMTP recipients are user@localhost: the user's part names the passwd-file entry and the home.
dovecot_user_key=%n
. "$here/../scripts/dovecot/private-dovecot.sh"

tuning() {
    cat <<CONF
# Tuning of issue 12 (bench/dovecot-tuned.sh)
protocols = pop3 lmtp
ssl_min_protocol = TLSv1.3
auth_mechanisms = plain login
auth_verbose = no
auth_debug = no
mail_fsync = always
lmtp_save_to_detail_mailbox = no
default_process_limit = 20000
default_client_limit = 40000
service pop3-login {
  service_count = 0
  process_min_avail = 2
}
service pop3 {
  service_count = 100
  process_limit = 12000
}
service auth {
  client_limit = 50000
}
service lmtp {
  inet_listener lmtp {
    address = 127.0.0.1
    port = $1
  }
}
CONF
}

case "${1:-}" in
adduser)
    [ $# -eq 4 ] || { echo "usage: $0 adduser DIR USER PASSWORD" >&2; exit 2; }
    add_user "$2" "$3" "$4"
    ;;
start)
    [ $# -eq 2 ] || { echo "usage: $0 start DIR" >&2; exit 2; }
    dir=$(cd "$2" && pwd)
    pop3=$(freeport) pop3s=$(freeport) lmtp=$(freeport)
    write_config "$dir" "$pop3" "$pop3s" "$(tuning "$lmtp")"
    printf 'lmtp=%s\n' "$lmtp" >> "$dir/ports"
    start_dovecot "$dir"
    wait_listening "$dir" "$pop3"
    ;;
stop)
    [ $# -eq 2 ] || { echo "usage: $0 stop DIR" >&2; exit 2; }
    stop_instance "$2"
    ;;
*)
    echo "usage: $0 start DIR | adduser DIR USER PASSWORD | stop DIR" >&2
    exit 2
    ;;
esac
