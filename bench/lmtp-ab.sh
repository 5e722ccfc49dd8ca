#!/usr/bin/env bash
# Postino against Postino: LMTP deliveries/s of two builds, A-B-A-B on fresh servers (no Dovecot), to see one change.
#
#   bench/lmtp-ab.sh A_DIR B_DIR [SECONDS] [ORDER]
#
# A_DIR and B_DIR hold a built postino.dll (copy src/Postino.Cli/bin/Release/net10.0 aside before and after the
# change). ORDER defaults to "A B A B" (give "B A B A" for a second run, so that the machine's drifting load cancels
# out). Each server: 3 s warm-up, then lmtp-load for 1 and 8 senders x 4 KB, 8 x 1 MB, and 8 x 4 KB to 4 users in one
# transaction, SECONDS (6) each. Run it under the bench lock: flock /work/tasks/bench.lock nice -n 5 bench/lmtp-ab.sh ...
set -euo pipefail
a=$1; b=$2; seconds=${3:-6}; order=${4:-A B A B}
bench=(dotnet "$(dirname "$0")/Postino.Bench/bin/Release/net10.0/postino-bench.dll")
for build in $order; do
  dir=$a; [ "$build" = B ] && dir=$b
  work=$(mktemp -d /tmp/postino-lmtp-ab.XXXXXX)
  for u in u1 u2 u3 u4; do mkdir -p "$work/mail/$u"; echo "$u:{PLAIN}secret" >> "$work/users"; done
  chmod 600 "$work/users"
  dotnet "$dir/postino.dll" serve --data-dir "$work" --pop3 none --pop3s none --pop2 none --lmtp 127.0.0.1:0 --smtp none > "$work/out" 2>&1 &
  pid=$!
  for _ in $(seq 300); do grep -q "postino is ready" "$work/out" && break; sleep 0.1; done
  ep=127.0.0.1:$(grep -E "^ *lmtp +listening" "$work/out" | head -1 | sed 's/.*://')
  "${bench[@]}" lmtp-load --endpoint "$ep" --rcpt u1@localhost --senders 8 --sizes 4096 --seconds 3 > /dev/null
  echo "== $build ($dir), load $(cut -d' ' -f1-3 /proc/loadavg)"
  "${bench[@]}" lmtp-load --endpoint "$ep" --rcpt u1@localhost --senders 1,8 --sizes 4096 --seconds "$seconds" --label "$build"
  "${bench[@]}" lmtp-load --endpoint "$ep" --rcpt u1@localhost --senders 8 --sizes 1048576 --seconds "$seconds" --label "$build"
  "${bench[@]}" lmtp-load --endpoint "$ep" --rcpt u1@localhost,u2@localhost,u3@localhost,u4@localhost --senders 8 --sizes 4096 \
    --seconds "$seconds" --label "$build 4-rcpt"
  kill "$pid"; wait "$pid" || true
  rm -rf "$work"
done
