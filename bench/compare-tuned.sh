#!/usr/bin/env bash
# One command: builds Postino and the load generator (Release), installs Dovecot if missing, then runs
# bench/compare_tuned.py (Postino against a TUNED private Dovecot, A-B-A, every figure of issue 12 with the ratio).
#
#   sudo bench/compare-tuned.sh [--seconds 8] [--warmup 4] [--idle 1000] [--big 100000] [--deliveries 20] [--only session,bulk,big,idle,lmtp,deliver]
#                                [--tls-key ecdsa|rsa]   (one certificate for both servers)
#                                [--no-tls-resume]       (the load generator resumes no TLS session, with either server)
set -euo pipefail
. "$(dirname "$0")/lib/common.sh"
# Its options are compare_tuned.py's (argparse), which prints its own usage.
bench_require_root
bash scripts/install-dovecot.sh
bench_build
# `postino deliver` as packaged: the NativeAOT postino-deliver (needs clang and zlib1g-dev: scripts/install-aot.sh).
bash scripts/install-aot.sh
dotnet publish -c Release src/Postino.Deliver -v q -nologo | grep -E "error|warn" || true
# Room for 10,000 idle sessions of each kind on both servers (a systemd unit would set LimitNOFILE=): the figure
# measured is memory, not the container's default limit (20,000 here, which Postino's descriptor budget turns into
# refusals and Dovecot into failed logins).
ulimit -Hn 1048576 2>/dev/null && ulimit -Sn 1048576 || echo "compare-tuned: could not raise the open file limit past $(ulimit -Hn) (needs CAP_SYS_RESOURCE; a container may forbid it)" >&2
exec python3 bench/compare_tuned.py "$@"
