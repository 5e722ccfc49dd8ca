#!/usr/bin/env bash
# One command: builds Postino and the load generator (Release), installs Dovecot if missing, then runs
# bench/compare_tuned.py (Postino against a TUNED private Dovecot, A-B-A, every figure of issue 12 with the ratio).
#
#   sudo bench/compare-tuned.sh [--seconds 8] [--warmup 4] [--idle 1000] [--big 100000] [--deliveries 20] [--only session,bulk,big,idle,lmtp,deliver]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-dovecot.sh
for project in src/Postino.Cli bench/Postino.Bench; do
  dotnet build -c Release "$project" -v q -nologo | grep -E "error|Warn|Elapsed" || true
done
exec python3 bench/compare_tuned.py "$@"
