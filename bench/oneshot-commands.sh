#!/usr/bin/env bash
# One-shot commands per process: the NativeAOT programs (postino-deliver; postino-oneshot for user, expire and a
# PostgreSQL delivery) against the .NET program, A-B-A (bench/oneshot_commands.py prints the table). Publishes
# src/Postino.Deliver and src/Postino.OneShot and builds src/Postino.Cli (Release) first.
#
#   bench/oneshot-commands.sh [--runs 20] [--only deliver,deliver-pg,user,expire]
set -euo pipefail
. "$(dirname "$0")/lib/common.sh"
bench_require_root
bash scripts/install-aot.sh
dotnet build -c Release src/Postino.Cli -v q -nologo | grep -E " error |warn" || true
nice -n 10 dotnet publish -c Release src/Postino.Deliver -v q -nologo | grep -E " error |warn" || true
nice -n 10 dotnet publish -c Release src/Postino.OneShot -v q -nologo | grep -E " error |warn" || true
exec python3 bench/oneshot_commands.py "$@"
