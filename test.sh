#!/usr/bin/env bash
# Passes the whole test suite against real servers: starts PostgreSQL and RabbitMQ when they are
# not running (installing them, and Chromium for the browser tests, when missing), runs every test
# project, stops what it started, and ends with "tests: N passed, N failed[, N skipped]".
#   ./test.sh [extra dotnet test arguments, e.g. --filter Name~Outbox]
set -uo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
SERVERS="$ROOT/deploy/local/servers.sh"
RESULTS="$ROOT/.data/test-results"

"$SERVERS" install --with-browser || { echo "installing the servers failed" >&2; exit 1; }
STARTED=0
if ! "$SERVERS" status >/dev/null 2>&1 && ! "$SERVERS" reachable >/dev/null 2>&1; then
  "$SERVERS" start || { echo "starting the servers failed" >&2; exit 1; }
  STARTED=1
fi
cleanup() { if [[ $STARTED == 1 ]]; then "$SERVERS" stop; fi; }
trap cleanup EXIT

dotnet tool restore >/dev/null || exit 1
dotnet build BankClientele.sln -c Debug --nologo -v quiet || { echo "tests: 0 passed, 1 failed"; exit 1; }

# One project at a time: they share the broker and two cores.
rm -rf "$RESULTS"; mkdir -p "$RESULTS"
passed=0; failed=0; skipped=0; status=0
for project in tests/*/*.csproj; do
  grep -q '<IsTestProject>true</IsTestProject>' "$project" || continue  # shared libraries hold no tests
  name=$(basename "$project" .csproj)
  echo "=== $name"
  dotnet test "$project" --no-build --nologo --logger "trx;LogFileName=$name.trx" --results-directory "$RESULTS" "$@" || status=1
  trx="$RESULTS/$name.trx"
  if [[ -f "$trx" ]]; then
    counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
    get() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$counters"; }
    p=$(get passed); f=$(( $(get failed) + $(get error) + $(get timeout) + $(get aborted) )); total=$(get total); e=$(get executed)
    passed=$((passed + ${p:-0})); failed=$((failed + f)); skipped=$((skipped + ${total:-0} - ${e:-0}))
  else
    echo "no results for $name (did it crash?)"; failed=$((failed + 1)); status=1
  fi
done
[[ $failed -gt 0 ]] && status=1
# Stop the servers before the closing line, so that line stays the last one printed.
cleanup >/dev/null 2>&1; trap - EXIT
summary="tests: $passed passed, $failed failed"
[[ $skipped -gt 0 ]] && summary="$summary, $skipped skipped"
echo "$summary"
exit $status
