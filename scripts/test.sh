#!/usr/bin/env bash
# Runs every test: installs what the tests need, builds, runs all test projects, and ends with the line
# "N passed, N failed" summed over every test assembly (CI reads that line, not dotnet test's own summary).
set -uo pipefail
cd "$(dirname "$0")/.."

results="artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

for install in scripts/install-*.sh; do
  [ -f "$install" ] || continue
  echo "== $install"
  if ! bash "$install"; then
    echo "$install failed: the tests that need it will fail"
  fi
done

echo "== build"
if ! dotnet build Postino.slnx -c Release -warnaserror 2>&1 | tail -n 30; then
  echo "0 passed, 1 failed"
  exit 1
fi
if [ "${PIPESTATUS[0]}" != "0" ]; then :; fi

echo "== format"
format_failed=0
if ! dotnet format Postino.slnx --verify-no-changes --no-restore >/dev/null 2>&1; then
  echo "dotnet format --verify-no-changes failed"
  format_failed=1
fi

echo "== test"
test_exit=0
for project in tests/*/*.Tests.csproj; do
  name=$(basename "$project" .csproj)
  echo "== test $name"
  dotnet test "$project" -c Release --no-build \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" \
    --results-directory "$results" \
    --blame-hang-timeout 5m || test_exit=1
done

passed=0
failed=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  t=$(sed -n 's/.* timeout="\([0-9]*\)".*/\1/p' <<<"$counters")
  a=$(sed -n 's/.* aborted="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0} + ${t:-0} + ${a:-0}))
done

failed=$((failed + format_failed))
if [ "$test_exit" != "0" ] && [ "$failed" = "0" ]; then
  # The runner failed without a failed test (a crashed or hung assembly): count it.
  failed=1
fi
echo "$passed passed, $failed failed"
[ "$failed" = "0" ]
