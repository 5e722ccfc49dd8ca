#!/bin/sh
# A private Postfix instance for tests: its own config_directory, queue_directory and data_directory under DIR, no
# network listener (mail is injected with its sendmail), no chroot, every domain in DOMAINS handed to LMTP_TARGET.
#
#   postfix-private.sh start DIR LMTP_TARGET DOMAINS   LMTP_TARGET: inet:127.0.0.1:PORT or unix:/path
#   postfix-private.sh send  DIR SENDER RECIPIENT...   (the message on stdin)
#   postfix-private.sh stop  DIR
#
# Needs root (Postfix's master starts as root and drops to the postfix user) and scripts/install-postfix.sh.
set -eu

command=$1
dir=$(realpath -m "$2")
shift 2

if ! [ -x /usr/sbin/postfix ]; then
    echo "postfix-private.sh: postfix is not installed (run scripts/install-postfix.sh)" >&2
    exit 69
fi

case "$command" in
start)
    target=$1
    domains=$2
    mkdir -p "$dir/etc" "$dir/queue" "$dir/data"
    chown postfix "$dir/data"
    cat > "$dir/etc/main.cf" <<CONF
compatibility_level = 3.6
config_directory = $dir/etc
queue_directory = $dir/queue
data_directory = $dir/data
mail_owner = postfix
setgid_group = postdrop
myhostname = postfix.test
mydomain = postfix.test
myorigin = postfix.test
mydestination =
inet_interfaces = loopback-only
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
alias_maps =
alias_database =
local_recipient_maps =
virtual_mailbox_domains = $domains
virtual_mailbox_maps =
virtual_transport = lmtp:$target
default_transport = error:no remote delivery from the test instance
relay_transport = error:no relaying from the test instance
maillog_file_prefixes = $dir
maillog_file = $dir/postfix.log
smtputf8_enable = no
biff = no
queue_run_delay = 1s
minimal_backoff_time = 1s
maximal_backoff_time = 2s
CONF
    cat > "$dir/etc/master.cf" <<'CONF'
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
lmtp      unix  -       -       n       -       -       lmtp
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
CONF
    /usr/sbin/postfix -c "$dir/etc" check
    /usr/sbin/postfix -c "$dir/etc" start
    ;;
send)
    sender=$1
    shift
    /usr/sbin/sendmail -C "$dir/etc" -i -f "$sender" -- "$@"
    ;;
stop)
    /usr/sbin/postfix -c "$dir/etc" stop 2>/dev/null || true
    ;;
*)
    echo "usage: postfix-private.sh start|send|stop DIR ..." >&2
    exit 64
    ;;
esac
