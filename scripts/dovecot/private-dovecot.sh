#!/bin/sh
# A private Dovecot POP3 instance for tests and benchmarks: its own config, runtime, state and log under DIR, listeners
# on 127.0.0.1 only, a generated self-signed certificate (CN=localhost, SAN localhost + 127.0.0.1) for STLS and POP3S,
# passwd-file users whose mail lives in DIR/home/USER/Maildir, owned by the unprivileged "mail" uid.
# Never touches the system instance (install it with scripts/install-dovecot.sh). Must run as root.
#
#   private-dovecot.sh start DIR POP3_PORT POP3S_PORT   writes DIR/dovecot.conf (first time) and starts; prints nothing
#   private-dovecot.sh adduser DIR USER PASSWORD        adds a user (plain-text password: PLAIN, APOP and SCRAM work)
#   private-dovecot.sh stop DIR                         stops the instance (waits for its master to exit)
#   private-dovecot.sh freeport                         prints a free loopback TCP port
#
# A port argument of 0 picks a free port; the chosen ports are written to DIR/ports ("pop3=N" and "pop3s=N").
#
# bench/dovecot-tuned.sh sources this file with private_dovecot_library=1 (the commands then do not run) and uses
# its functions, so both write the same configuration; the tuned one only changes the variables below and appends its
# tuning (later settings and service blocks override these).
set -eu

# What a sourcing script may change before write_config.
: "${dovecot_instance_prefix:=postino}"
# passwd-file and home lookups: %u is the whole login name; %n drops a domain (LMTP recipients are user@domain).
: "${dovecot_user_key:=%u}"

usage() {
    echo "usage: $0 start DIR POP3_PORT POP3S_PORT | adduser DIR USER PASSWORD | stop DIR | freeport" >&2
    exit 2
}

freeport() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

mail_uid=$(id -u mail)
mail_gid=$(id -g mail)

# write_config DIR POP3_PORT POP3S_PORT [EXTRA_CONFIG]: EXTRA_CONFIG is appended to DIR/dovecot.conf.
write_config() {
    dir=$1 pop3=$2 pop3s=$3 extra=${4:-}
    mkdir -p "$dir/run" "$dir/state" "$dir/home"
    chmod 755 "$dir" "$dir/home"
    : >> "$dir/users"
    if [ ! -e "$dir/cert.pem" ]; then
        openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj /CN=localhost \
            -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
            -keyout "$dir/key.pem" -out "$dir/cert.pem" >/dev/null 2>&1
    fi
    # The name makes concurrent instances (several test runs, the benchmark) distinct for doveadm and in ps.
    name="$dovecot_instance_prefix-$(basename "$dir")"
    cat > "$dir/dovecot.conf" <<CONF
instance_name = $name
base_dir = $dir/run
state_dir = $dir/state
log_path = $dir/dovecot.log
protocols = pop3
listen = 127.0.0.1
shutdown_clients = yes

ssl = yes
ssl_cert = <$dir/cert.pem
ssl_key = <$dir/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login apop scram-sha-256
auth_failure_delay = 0
auth_cache_size = 0
auth_verbose = yes
auth_debug = yes

default_login_user = dovenull
default_internal_user = dovecot
first_valid_uid = $mail_uid
first_valid_gid = $mail_gid

passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=$dovecot_user_key $dir/users
}
userdb {
  driver = static
  args = uid=$mail_uid gid=$mail_gid home=$dir/home/$dovecot_user_key
}
mail_location = maildir:~/Maildir

service pop3-login {
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
$extra
CONF
    printf 'pop3=%s\npop3s=%s\n' "$pop3" "$pop3s" > "$dir/ports"
}

# start_dovecot DIR: starts the master. Its stderr goes to a file, shown when the start fails: the daemon would keep
# the caller's stderr open otherwise, and a caller reading it to the end (a test) would wait forever.
start_dovecot() {
    if ! dovecot -c "$1/dovecot.conf" </dev/null >/dev/null 2>"$1/dovecot.stderr"; then
        cat "$1/dovecot.stderr" >&2
        exit 1
    fi
}

# wait_listening DIR PORT: bounded wait until the listener accepts, so callers can connect right away.
wait_listening() {
    i=0
    while ! python3 -c "import socket,sys; socket.create_connection(('127.0.0.1', $2), 1).close()" 2>/dev/null; do
        i=$((i + 1))
        if [ $i -ge 100 ]; then
            echo "private-dovecot: not listening on $2; see $1/dovecot.log" >&2
            exit 1
        fi
        sleep 0.1
    done
}

# add_user DIR USER PASSWORD (plain-text password: PLAIN, APOP and SCRAM work).
add_user() {
    dir=$1 user=$2 password=$3
    case "$user$password" in
    *:* | *"
"*)
        echo "private-dovecot: user names and passwords cannot contain ':' or newlines (passwd-file format)" >&2
        exit 2
        ;;
    esac
    mkdir -p "$dir/home"
    printf '%s:{PLAIN}%s::::::\n' "$user" "$password" >> "$dir/users"
    mkdir -p "$dir/home/$user/Maildir/new" "$dir/home/$user/Maildir/cur" "$dir/home/$user/Maildir/tmp"
    chown -R "$mail_uid:$mail_gid" "$dir/home/$user"
}

# stop_instance DIR: stops the instance and waits (bounded) for its master to exit.
stop_instance() {
    dir=$1
    if [ -e "$dir/run/master.pid" ]; then
        pid=$(cat "$dir/run/master.pid")
        dovecot -c "$dir/dovecot.conf" stop >/dev/null 2>&1 || kill "$pid" 2>/dev/null || true
        i=0
        while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do
            i=$((i + 1))
            sleep 0.1
        done
    fi
}

if [ "${private_dovecot_library:-0}" = 1 ]; then
    return 0
fi

cmd=${1:-}
case "$cmd" in
start)
    [ $# -eq 4 ] || usage
    dir=$(cd "$2" 2>/dev/null && pwd || { mkdir -p "$2" && cd "$2" && pwd; })
    pop3=$3 pop3s=$4
    [ "$pop3" = 0 ] && pop3=$(freeport)
    [ "$pop3s" = 0 ] && pop3s=$(freeport)
    write_config "$dir" "$pop3" "$pop3s"
    start_dovecot "$dir"
    wait_listening "$dir" "$pop3"
    ;;
adduser)
    [ $# -eq 4 ] || usage
    add_user "$2" "$3" "$4"
    ;;
stop)
    [ $# -eq 2 ] || usage
    stop_instance "$2"
    ;;
freeport)
    freeport
    ;;
*)
    usage
    ;;
esac
