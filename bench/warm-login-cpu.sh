#!/usr/bin/env bash
# Server CPU per warm login on a big Maildir, Postino alone: starts `postino serve` on DATA (a data folder whose users
# file has big1 with {PLAIN}bench-password-1, and DATA/mail/big1/Maildir; compare_tuned.py's make_maildir builds one),
# logs in 4 times unmeasured, then 2 x 3 logins, printing PASS+STAT wall times and the server's CPU-ms per login
# (utime + stime from /proc). Run it twice with different builds (A-B-A) to compare them.
#
#   bench/warm-login-cpu.sh DATA [path/to/postino.dll]
set -euo pipefail
data=$1
dll=${2:-$(dirname "$0")/../src/Postino.Cli/bin/Release/net10.0/postino.dll}
bench=$(dirname "$0")/Postino.Bench/bin/Release/net10.0/postino-bench.dll
out=$(mktemp)
nice -n 10 dotnet "$dll" serve --data-dir "$data" --pop3 127.0.0.1:0 --pop3s none --pop2 none --lmtp none --smtp none --metrics none > "$out" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; rm -f "$out"' EXIT
for _ in $(seq 300); do grep -q "postino is ready" "$out" && break; sleep 0.2; done
port=$(grep -oP "pop3 +listening on 127.0.0.1:\K\d+" "$out")
login() { dotnet "$bench" pop3-login --port "$port" --user big1 --password bench-password-1 --logins "$1"; }
cpu() { awk '{print ($14 + $15) * 1000 / '"$(getconf CLK_TCK)"'}' "/proc/$pid/stat"; }
login 4 > /dev/null
for _ in 1 2; do
  before=$(cpu)
  login 3 | grep -oP "PASS\+STAT [0-9.]+ ms" | tr '\n' ' '
  echo "server CPU-ms per login: $(( ($(cpu) - before) / 3 ))"
done
