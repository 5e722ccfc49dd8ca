#!/bin/sh
# A private Dovecot for the benchmark, in the TUNED configuration of issue 12: "high-performance" login processes
# (login_service_count = 0), pop3 processes reused for 100 sessions (service pop3 { service_count = 100 }), no auth
# cache, {PLAIN} passwords, POP3, POP3S and LMTP on 127.0.0.1 (free ports written to DIR/ports), mail_fsync = always
# (as Postino: a delivery is acknowledged after fsync). Must run as root; never touches the system instance.
#
#   dovecot-tuned.sh start DIR          writes DIR/dovecot.conf and starts; users are added before with adduser
#   dovecot-tuned.sh adduser DIR USER PASSWORD
#   dovecot-tuned.sh stop DIR
set -eu

freeport() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

mail_uid=$(id -u mail)
mail_gid=$(id -g mail)

case "${1:-}" in
adduser)
    dir=$2 user=$3 password=$4
    mkdir -p "$dir/home"
    printf '%s:{PLAIN}%s::::::\n' "$user" "$password" >> "$dir/users"
    mkdir -p "$dir/home/$user/Maildir/new" "$dir/home/$user/Maildir/cur" "$dir/home/$user/Maildir/tmp"
    chown -R "$mail_uid:$mail_gid" "$dir/home/$user"
    ;;
start)
    dir=$(cd "$2" && pwd)
    mkdir -p "$dir/run" "$dir/state" "$dir/home"
    chmod 755 "$dir" "$dir/home"
    : >> "$dir/users"
    if [ ! -e "$dir/cert.pem" ]; then
        openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj /CN=localhost \
            -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
            -keyout "$dir/key.pem" -out "$dir/cert.pem" >/dev/null 2>&1
    fi
    pop3=$(freeport) pop3s=$(freeport) lmtp=$(freeport)
    cat > "$dir/dovecot.conf" <<CONF
instance_name = postino-bench-$(basename "$dir")
base_dir = $dir/run
state_dir = $dir/state
log_path = $dir/dovecot.log
protocols = pop3 lmtp
listen = 127.0.0.1
shutdown_clients = yes
ssl = yes
ssl_cert = <$dir/cert.pem
ssl_key = <$dir/key.pem
ssl_min_protocol = TLSv1.3
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
auth_cache_size = 0
default_login_user = dovenull
default_internal_user = dovecot
first_valid_uid = $mail_uid
first_valid_gid = $mail_gid
mail_fsync = always
lmtp_save_to_detail_mailbox = no
default_process_limit = 20000
default_client_limit = 40000
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%n $dir/users
}
userdb {
  driver = static
  args = uid=$mail_uid gid=$mail_gid home=$dir/home/%n
}
mail_location = maildir:~/Maildir
service pop3-login {
  service_count = 0
  process_min_avail = 2
  inet_listener pop3 {
    address = 127.0.0.1
    port = $pop3
  }
  inet_listener pop3s {
    address = 127.0.0.1
    port = $pop3s
    ssl = yes
  }
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
    port = $lmtp
  }
}
CONF
    printf 'pop3=%s\npop3s=%s\nlmtp=%s\n' "$pop3" "$pop3s" "$lmtp" > "$dir/ports"
    dovecot -c "$dir/dovecot.conf"
    i=0
    while ! python3 -c "import socket; socket.create_connection(('127.0.0.1', $pop3), 1).close()" 2>/dev/null; do
        i=$((i + 1))
        [ $i -lt 100 ] || { echo "dovecot-tuned: not listening; see $dir/dovecot.log" >&2; exit 1; }
        sleep 0.1
    done
    ;;
stop)
    dir=$2
    if [ -e "$dir/run/master.pid" ]; then
        pid=$(cat "$dir/run/master.pid")
        dovecot -c "$dir/dovecot.conf" stop >/dev/null 2>&1 || kill "$pid" 2>/dev/null || true
        i=0
        while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do i=$((i + 1)); sleep 0.1; done
    fi
    ;;
*)
    echo "usage: $0 start DIR | adduser DIR USER PASSWORD | stop DIR" >&2
    exit 2
    ;;
esac
