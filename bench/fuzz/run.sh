#!/usr/bin/env bash
# Fuzzes one parser with AFL++ through SharpFuzz for a fixed time:
#
#   bench/fuzz/run.sh TARGET SECONDS        (bench/fuzz/run.sh list: the targets)
#
# Builds bench/fuzz/Postino.Fuzz once (out/bin, shared by concurrent runs), instruments Postino's own assemblies with
# the sharpfuzz tool (local tool manifest bench/fuzz/dotnet-tools.json), seeds from bench/fuzz/seeds/TARGET and runs
# afl-fuzz under nice -n 19. Findings go to bench/fuzz/out/findings/TARGET-<time>/; one line per run is appended to
# bench/fuzz/out/results.tsv (target, seconds, executions, paths, crashes, hangs). A bench job, not a test: needs
# afl++ (scripts/install-afl.sh --fuzz) and is never run by scripts/test.sh.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$here/out"
bin="$out/bin"
targets="pop3-command pop2-command smtp-command smtp-data sasl sasl-base64 maildir-name maildir-index users-file fetch-pop3 fetch-pop2 proxy-header dovecot-uidlist self-test"

if [[ "${1:-}" == "list" ]]; then
    tr ' ' '\n' <<<"$targets"
    exit 0
fi

if [[ $# -ne 2 || ! " $targets " =~ " $1 " || ! "$2" =~ ^[0-9]+$ ]]; then
    echo "usage: $0 TARGET SECONDS   (targets: $targets)" >&2
    exit 2
fi

target="$1"
seconds="$2"
command -v afl-fuzz >/dev/null || { echo "afl-fuzz not found: run scripts/install-afl.sh --fuzz (as root)" >&2; exit 2; }
mkdir -p "$out"

# One build for every concurrent run; rebuilt when a source file is newer than the instrumented binary. A rebuild
# goes to a new folder and then moves the out/bin link, so a run still fuzzing the previous build is not disturbed.
(
    flock 9
    stamp="$bin/.instrumented"
    if [[ ! -f "$stamp" ]] || [[ -n "$(find "$here/Postino.Fuzz" "$here/../../src" -name '*.cs' -newer "$stamp" -not -path '*/obj/*' -print -quit)" ]]; then
        build="$out/bin-$(date -u +%Y%m%dT%H%M%SZ)"
        nice -n 19 dotnet publish "$here/Postino.Fuzz/Postino.Fuzz.csproj" -c Release -o "$build" -p:UseAppHost=false >&2
        (cd "$here" && dotnet tool restore >&2)
        for dll in Postino.Protocols.dll Postino.Storage.dll Postino.Fetch.dll; do
            (cd "$here" && dotnet tool run sharpfuzz "$build/$dll" >&2)
        done
        touch "$build/.instrumented"
        [[ -d "$bin" && ! -L "$bin" ]] && mv "$bin" "$out/bin-old-$(date -u +%s)"
        ln -sfn "$build" "$bin"
    fi
) 9>"$out/.build.lock"

# The seeds must pass before fuzzing starts: a crashing seed is a bug to fix first, not a finding.
dotnet "$bin/postino-fuzz.dll" "$target" --replay "$here/seeds/$target" >&2

findings="$out/findings/$target-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$findings"
export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
export AFL_FORKSRV_INIT_TMOUT=120000 AFL_QUIET=1
export DOTNET_TieredPGO=0 DOTNET_TC_QuickJitForLoops=1
# -t: a .NET child is slow to start on a loaded machine; a real hang (endless loop) still shows up at 10 s.
build="$(readlink -f "$bin")"
nice -n 19 afl-fuzz -V "$seconds" -t 10000 -m none -i "$here/seeds/$target" -o "$findings" \
    -- dotnet "$build/postino-fuzz.dll" "$target" >"$findings/afl.log" 2>&1 || true

stats="$findings/default/fuzzer_stats"
if [[ ! -f "$stats" ]]; then
    echo "afl-fuzz did not start; see $findings/afl.log" >&2
    tail -20 "$findings/afl.log" >&2
    exit 1
fi

value() { awk -F' *: *' -v k="$1" '$1 == k { print $2 }' "$stats"; }
line="$(printf '%s\t%s\t%s\t%s\t%s\t%s\t%s' "$target" "$(value run_time)" "$(value execs_done)" "$(value corpus_count)" \
    "$(value saved_crashes)" "$(value saved_hangs)" "$(date -u +%FT%TZ)")"
echo "$line" >>"$out/results.tsv"
printf 'target\tseconds\texecutions\tpaths\tcrashes\thangs\tended\n%s\n' "$line"
echo "findings: $findings" >&2
