#!/bin/sh
# Password guessing against a private `postino serve` (embedded default, Maildir): 1 address x 20 connections against
# a {PLAIN} user (the per-address throttle, with no hashing cost in the way), then 10 addresses x 2 connections against
# the demo user's {ARGON2ID} hash (the bound on concurrent Argon2id checks), each for SECONDS; prints answered guesses
# per address and the server's peak memory (VmHWM).
# Usage: bench/login-storm.sh [SECONDS] [POSTINO_DLL]
set -eu
seconds=${1:-25}
here=$(cd "$(dirname "$0")" && pwd)
postino=${2:-$here/../src/Postino.Cli/bin/Release/net10.0/postino.dll}
bench=$here/Postino.Bench/bin/Release/net10.0/postino-bench.dll
data=$(mktemp -d)
log=$data/serve.log
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$data"' EXIT
echo 'not-this-one' | dotnet "$postino" user add guess --scheme PLAIN --password-stdin --data-dir "$data/site" >/dev/null
dotnet "$postino" serve --data-dir "$data/site" --pop3 127.0.0.1:0 --pop3s none --pop2 none --lmtp none --smtp none >"$log" 2>&1 &
pid=$!
while ! grep -q "postino is ready" "$log"; do
    kill -0 "$pid" || { cat "$log"; exit 1; }
    sleep 0.2
done
port=$(sed -n 's/.*pop3 *listening on [^ ]*:\([0-9]*\).*/\1/p' "$log" | head -n 1)
echo "postino pid $pid, pop3 port $port, $(nproc) processors, load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== one address, 20 connections, {PLAIN} user, ${seconds}s"
dotnet "$bench" pop3-login-storm --port "$port" --user guess --addresses 1 --connections 20 --seconds "$seconds" --pid "$pid"
echo "== ten addresses, 2 connections each, {ARGON2ID} user, ${seconds}s"
dotnet "$bench" pop3-login-storm --port "$port" --user demo --addresses 10 --connections 2 --seconds "$seconds" --pid "$pid"
