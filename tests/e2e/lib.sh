# lib.sh - helpers for the end-to-end tests. Sourced by each test_*.sh.
set -u
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# The shared reference data sits beside the repository (../shared/data).
if [ -z "${EMBARGO_DATA:-}" ]; then
  for d in "$ROOT/../shared/data" /work/shared/data; do
    [ -d "$d" ] && { EMBARGO_DATA=$(realpath "$d"); break; }
  done
fi
DATA=${EMBARGO_DATA:?reference data not found: set EMBARGO_DATA}
LISTS=$DATA/lists
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

# run CMD...: runs embargo, sets $status, $out (stdout) and $err (stderr).
run() {
  "$EMBARGO" "$@" >"$TMP/out" 2>"$TMP/err"
  status=$?
  out=$(cat "$TMP/out")
  err=$(cat "$TMP/err")
  if [ $status -gt 2 ]; then
    echo "$err" | tail -20 >&2
    fail "embargo $* crashed or aborted (status $status)"
  fi
}

expect_status() {
  [ "$status" = "$1" ] || { echo "$err" | head -20 >&2; fail "expected status $1, got $status: ${2:-}"; }
}

expect_out() { grep -qE -- "$1" <<<"$out" || fail "stdout lacks /$1/"; }
expect_err() { grep -qE -- "$1" <<<"$err" || fail "stderr lacks /$1/"; }

# json EXPR: evaluates a Python expression over the JSON on stdout (bound to `j`).
json() { python3 -c "import json,sys; j=json.load(open('$TMP/out')); print($1)"; }
