# Sourced by the bench/*.sh scripts (bash): what each of them did on its own before (issue 14, "one way to do each
# thing"). Sourcing it moves to the repository root, so the scripts can name every path from there.
#
#   . "$(dirname "$0")/lib/common.sh"
#   bench_options "[--clients N] [--seconds T]" --clients=clients --seconds=seconds -- "$@"
#   bench_require_root
#   bench_build                 # Release builds of postino and the load generator; sets postino=(...) bench=(...)
#   bench_make_maildir DIR COUNT MIN_KB MAX_KB

cd "$(dirname "${BASH_SOURCE[0]}")/../.."

# bench_options USAGE --option=VARIABLE... -- ARGUMENTS...: each "--option VALUE" of ARGUMENTS sets VARIABLE (whose
# default the script set before); anything else prints "usage: SCRIPT USAGE" and exits 2.
bench_options() {
  local usage=$1
  shift
  local -A variables=()
  while [ $# -gt 0 ] && [ "$1" != -- ]; do
    variables[${1%%=*}]=${1#*=}
    shift
  done
  shift
  while [ $# -gt 0 ]; do
    if [ -n "${variables[$1]:-}" ] && [ $# -ge 2 ]; then
      printf -v "${variables[$1]}" '%s' "$2"
      shift 2
    else
      echo "usage: $0 $usage" >&2
      exit 2
    fi
  done
}

# The private Dovecot and PostgreSQL instances, the package installers and chown need root.
bench_require_root() {
  if [ "$(id -u)" -ne 0 ]; then
    echo "$0: must run as root (sudo $0 ...): it starts private server instances and may install packages" >&2
    exit 2
  fi
}

bench_build() {
  local project
  for project in src/Postino.Cli bench/Postino.Bench; do
    dotnet build -c Release "$project" -v q -nologo | grep -E "error|Warn|Elapsed" || true
  done
  postino=(dotnet src/Postino.Cli/bin/Release/net10.0/postino.dll)
  bench=(dotnet bench/Postino.Bench/bin/Release/net10.0/postino-bench.dll)
}

# bench_make_maildir DIR COUNT MIN_KB MAX_KB: COUNT messages in DIR/new with LF line ends (as Postfix and Dovecot
# store them), sizes drawn between MIN_KB and MAX_KB with a fixed seed, so every run and server gets the same mail.
bench_make_maildir() {
  python3 - "$@" <<'PY'
import os, random, sys
root, count, lo, hi = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
for sub in ("tmp", "new", "cur"):
    os.makedirs(os.path.join(root, sub), exist_ok=True)
rng = random.Random(42)
line = "The quick brown fox jumps over the lazy dog, again and again and again.\n"
for i in range(count):
    size = rng.randint(lo * 1024, hi * 1024)
    body = (line * (size // len(line) + 1))[:size]
    text = f"From: sender{i}@example.org\nTo: bench@localhost\nSubject: message {i}\nMessage-ID: <{i}@bench>\n\n{body}\n"
    with open(os.path.join(root, "new", f"1700000000.M{i}P1.bench"), "w") as f:
        f.write(text)
PY
}
