#!/bin/bash
# run.sh - runs every tests/e2e/test_*.sh against the real binary ($EMBARGO).
# Each test script sources lib.sh and exits nonzero on the first failed check.
set -u
here=$(cd "$(dirname "$0")" && pwd)
export EMBARGO=${EMBARGO:-$here/../../build/rel/embargo}
export EMBARGO=$(realpath "$EMBARGO")
fail=0
for t in "$here"/test_*.sh; do
  name=$(basename "$t")
  out=$(bash "$t" 2>&1)
  rc=$?
  if [ $rc = 0 ]; then
    echo "ok   $name"
  elif [ $rc = 77 ]; then
    echo "skip $name: $(echo "$out" | tail -1)"
  else
    echo "FAIL $name"
    echo "$out" | tail -30 | sed 's/^/     /'
    fail=1
  fi
done
exit $fail
