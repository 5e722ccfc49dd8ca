#!/usr/bin/env bash
# Postino on Maildir, on PostgreSQL with one node, and on PostgreSQL with two nodes, under the POP3 load of
# compare-dovecot.sh; then LMTP deliveries per second on PostgreSQL (synchronous_commit on, fsync on). Prints each
# configuration's sessions/s, p99 and server CPU milliseconds per session (the Postino nodes plus PostgreSQL).
# Not a test: figures only.
#
#   bench/compare-postgres.sh [--clients N] [--seconds T] [--messages M] [--warmup W]
#
# Each configuration first runs the same load for W seconds unmeasured (default 5): the nodes start cold, and without
# it the JIT compiling Npgsql's and the session's code was a third of the "session" CPU (perf: libclrjit.so 32%).
#
# Needs root (the private cluster runs as nobody) and PostgreSQL (scripts/install-postgresql.sh).
set -euo pipefail
. "$(dirname "$0")/lib/common.sh"

clients=8 seconds=10 messages=50 warmup=5
bench_options "[--clients N] [--seconds T] [--messages M] [--warmup W]" \
  --clients=clients --seconds=seconds --messages=messages --warmup=warmup -- "$@"
bench_require_root
half=$((clients / 2))

sh scripts/install-postgresql.sh
bench_build
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)

work=$(mktemp -d /tmp/postino-pgbench.XXXXXX)
chmod 755 "$work"
pids=()
pg_pid="" postmaster=""
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  # The postmaster itself: runuser does not pass the signal on, and the wait below would hang until the timeout.
  [ -n "$postmaster" ] && { kill -INT "$postmaster" 2>/dev/null || true; }
  [ -n "$pg_pid" ] && { kill -INT "$pg_pid" 2>/dev/null || true; wait "$pg_pid" 2>/dev/null || true; }
  rm -rf "$work"
}
trap cleanup EXIT

# A private cluster with the durable defaults (fsync on, synchronous_commit on), as nobody, on a free port.
mkdir -p "$work/pg" && chown nobody "$work/pg"
runuser -u nobody -- "$pgbin/initdb" -D "$work/pg/data" -U postgres -A trust -E UTF8 --locale=C >/dev/null
pg_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
runuser -u nobody -- "$pgbin/postgres" -D "$work/pg/data" -p "$pg_port" -k "$work/pg" -c listen_addresses=127.0.0.1 \
  -c max_connections=300 -c log_min_messages=warning >"$work/pg.log" 2>&1 &
pg_pid=$!
until "$pgbin/pg_isready" -q -h "$work/pg" -p "$pg_port"; do sleep 0.1; done
"$pgbin/psql" -q -h "$work/pg" -p "$pg_port" -U postgres -c "CREATE DATABASE postino" postgres
store="postgresql://postgres@127.0.0.1:$pg_port/postino"
postmaster=$(head -1 "$work/pg/data/postmaster.pid")

password=bench-password-1
bench_make_maildir "$work/source" "$messages" 2 64
# Users bench1..N and benchb1..N (the second load generator of the two-node run), each with a copy of the mailbox.
for n in $(seq 1 "$clients"); do
  for prefix in bench benchb; do
    mkdir -p "$work/maildir/mail/$prefix$n"
    cp -r "$work/source" "$work/maildir/mail/$prefix$n/Maildir"
    # The users file line postino user add --scheme PLAIN writes (one process per user is slow on a loaded machine).
    echo "$prefix$n:{PLAIN}$password::::::" >> "$work/maildir/users"
  done
done
"${postino[@]}" store import --store "$store" --from "maildir:$work/maildir/mail" --users "$work/maildir/users" | tail -1

start_node() { # NAME DATA [--store URL]
  local name=$1 data=$2; shift 2
  mkdir -p "$data"
  echo '{}' > "$work/empty.json"
  "${postino[@]}" serve --config "$work/empty.json" --data-dir "$data" --node-name "$name" "$@" \
    --pop3 127.0.0.1:0 --pop3s none --pop2 none --lmtp 127.0.0.1:0 --smtp none > "$work/$name.out" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 600); do grep -q "postino is ready" "$work/$name.out" 2>/dev/null && break; sleep 0.1; done
  grep -q "postino is ready" "$work/$name.out" || { cat "$work/$name.out"; exit 1; }
}
port_of() { sed -n "s/^ *$2 *listening on 127.0.0.1:\([0-9]*\).*/\1/p" "$work/$1.out"; }
stop_nodes() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done; pids=(); }

# CPU time (ms) of a process and its reaped children; for the postmaster that covers exited backends.
cpu_ms() {
  local total=0 pid
  for pid in "$@"; do
    total=$((total + $(awk '{print $14+$15+$16+$17}' "/proc/$pid/stat")))
  done
  # Live backends too (their time reaches the postmaster only when they exit).
  for pid in $(pgrep -P "$postmaster" || true); do
    total=$((total + $(awk '{print $14+$15}' "/proc/$pid/stat")))
  done
  echo $((total * 1000 / $(getconf CLK_TCK)))
}

measure() { # LABEL NODE_PIDS... -- LOAD_COMMANDS run in parallel, given as "PORT USERPATTERN CLIENTS"
  local label=$1; shift
  local nodes=() loads=()
  while [ "$1" != "--" ]; do nodes+=("$1"); shift; done; shift
  loads=("$@")
  local before after out sessions=0 p99s=() load port pattern n
  if [ "$warmup" -gt 0 ]; then
    local warming=()
    for load in "${loads[@]}"; do
      read -r port pattern n <<<"$load"
      "${bench[@]}" pop3-load --port "$port" --user "$pattern" --password "$password" --clients "$n" --seconds "$warmup" --label warmup >/dev/null &
      warming+=($!)
    done
    wait "${warming[@]}"
  fi
  before=$(cpu_ms "${nodes[@]}" "$postmaster")
  local i=0 running=()
  for load in "${loads[@]}"; do
    read -r port pattern n <<<"$load"
    "${bench[@]}" pop3-load --port "$port" --user "$pattern" --password "$password" --clients "$n" --seconds "$seconds" --label "$label" > "$work/load$i.out" &
    running+=($!)
    i=$((i + 1))
  done
  wait "${running[@]}"
  after=$(cpu_ms "${nodes[@]}" "$postmaster")
  for f in "$work"/load*.out; do
    cat "$f"
    sessions=$((sessions + $(sed -n 's/.*[ ,]\([0-9]*\) sessions.*/\1/p' "$f" | head -1)))
  done
  rm -f "$work"/load*.out
  python3 -c "import sys; c, s, t = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]); print(f'{sys.argv[4]}: total {s/t:.1f} sessions/s, server CPU {c/max(s,1):.1f} ms/session ({c} ms for {s} sessions)')" \
    "$((after - before))" "$sessions" "$seconds" "$label"
}

echo "== POP3 session load: $clients clients, $seconds s, $messages messages of 2-64 KB (loaded machine: see bench/README.md)"
start_node maildir "$work/maildir"
measure maildir "${pids[0]}" -- "$(port_of maildir pop3) bench%d $clients"
stop_nodes

start_node pg-one "$work/pg-one" --store "$store"
measure postgres-1-node "${pids[0]}" -- "$(port_of pg-one pop3) bench%d $clients"
stop_nodes

start_node pg-a "$work/pg-a" --store "$store"
start_node pg-b "$work/pg-b" --store "$store"
measure postgres-2-nodes "${pids[0]}" "${pids[1]}" -- "$(port_of pg-a pop3) bench%d $half" "$(port_of pg-b pop3) benchb%d $half"

echo "== LMTP deliveries/s on PostgreSQL (synchronous_commit on), one node"
"${bench[@]}" lmtp-load --endpoint "127.0.0.1:$(port_of pg-a lmtp)" --rcpt bench1@localhost --senders 1,8 --sizes 4096,1048576 --seconds 5 --label postgres-lmtp
stop_nodes
