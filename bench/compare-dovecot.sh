#!/usr/bin/env bash
# Postino against Dovecot on the same machine, the same messages and the same load, in one run; prints each
# server's figures and the ratio. Not a test: figures only.
#
#   bench/compare-dovecot.sh [--clients N] [--seconds T] [--messages M] [--big-mailbox K]
#
# 1. POP3 session load: N clients loop connect, USER/PASS, STAT, UIDL, RETR every message, QUIT for T seconds
#    against a mailbox of M messages (sizes 2 KB to 64 KB).
# 2. Login time on a mailbox of K messages (default 100000): PASS then STAT, first login and second login.
# Needs root (Dovecot's private instance); installs Dovecot with scripts/install-dovecot.sh.
set -euo pipefail
. "$(dirname "$0")/lib/common.sh"

clients=8 seconds=10 messages=50 big=100000
bench_options "[--clients N] [--seconds T] [--messages M] [--big-mailbox K]" \
  --clients=clients --seconds=seconds --messages=messages --big-mailbox=big -- "$@"
bench_require_root

bash scripts/install-dovecot.sh
bench_build

work=$(mktemp -d /tmp/postino-bench.XXXXXX)
chmod 755 "$work"
postino_pid=""
cleanup() {
  [ -n "$postino_pid" ] && kill "$postino_pid" 2>/dev/null || true
  sh scripts/dovecot/private-dovecot.sh stop "$work/dovecot" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

password=bench-password-1

start_servers() { # MAILDIR_SOURCE USERS: users bench1..benchN, each with its own copy of the Maildir
  local source=$1 users=$2
  sh scripts/dovecot/private-dovecot.sh stop "$work/dovecot" 2>/dev/null || true
  [ -n "$postino_pid" ] && { kill "$postino_pid" 2>/dev/null || true; wait "$postino_pid" 2>/dev/null || true; }
  rm -rf "$work/dovecot" "$work/postino"
  mkdir -p "$work/dovecot"
  for n in $(seq 1 "$users"); do
    sh scripts/dovecot/private-dovecot.sh adduser "$work/dovecot" "bench$n" "$password"
  done
  sh scripts/dovecot/private-dovecot.sh start "$work/dovecot" 0 0
  for n in $(seq 1 "$users"); do
    rm -rf "$work/dovecot/home/bench$n/Maildir"
    mkdir -p "$work/dovecot/home/bench$n"
    cp -r "$source" "$work/dovecot/home/bench$n/Maildir"
    chown -R mail:mail "$work/dovecot/home/bench$n"
  done
  dovecot_port=$(sed -n 's/^pop3=//p' "$work/dovecot/ports")

  for n in $(seq 1 "$users"); do
    mkdir -p "$work/postino/mail/bench$n"
    cp -r "$source" "$work/postino/mail/bench$n/Maildir"
    # The same scheme as the Dovecot users ({PLAIN}): the run measures the servers, not the password hash.
    printf "%s\n" "$password" | "${postino[@]}" user add "bench$n" --password-stdin --scheme PLAIN --data-dir "$work/postino" >/dev/null
  done
  "${postino[@]}" serve --data-dir "$work/postino" --pop3 127.0.0.1:0 --pop3s none --pop2 none --lmtp none --smtp none \
    > "$work/postino.out" 2>&1 &
  postino_pid=$!
  for _ in $(seq 1 300); do
    grep -q "postino is ready" "$work/postino.out" 2>/dev/null && break
    sleep 0.1
  done
  postino_port=$(sed -n 's/^ *pop3 *listening on 127.0.0.1:\([0-9]*\).*/\1/p' "$work/postino.out")
  [ -n "$postino_port" ] || { cat "$work/postino.out"; exit 1; }
}

ratio() { python3 -c "import sys; a, b = float(sys.argv[1]), float(sys.argv[2]); print(f'{a / b:.2f}' if b else 'n/a')" "$1" "$2"; }

echo "== POP3 session load: $clients clients, $seconds s, $messages messages of 2-64 KB"
bench_make_maildir "$work/source-load" "$messages" 2 64
start_servers "$work/source-load" "$clients"
p=$("${bench[@]}" pop3-load --port "$postino_port" --user 'bench%d' --password "$password" --clients "$clients" --seconds "$seconds" --label postino)
d=$("${bench[@]}" pop3-load --port "$dovecot_port" --user 'bench%d' --password "$password" --clients "$clients" --seconds "$seconds" --label dovecot)
echo "$p"
echo "$d"
ps=$(sed -n 's/^postino: \([0-9.]*\) sessions.*/\1/p' <<<"$p")
ds=$(sed -n 's/^dovecot: \([0-9.]*\) sessions.*/\1/p' <<<"$d")
echo "ratio postino/dovecot sessions/s: $(ratio "$ps" "$ds")"

echo "== Login on a $big-message mailbox (PASS, then PASS+STAT)"
bench_make_maildir "$work/source-big" "$big" 1 1
start_servers "$work/source-big" 1
"${bench[@]}" pop3-login --port "$postino_port" --user bench1 --password "$password" --label postino --logins 2
"${bench[@]}" pop3-login --port "$dovecot_port" --user bench1 --password "$password" --label dovecot --logins 2
