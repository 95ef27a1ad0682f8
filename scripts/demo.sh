#!/bin/bash
# demo.sh - the demo on the embedded default: loads the bundled lists and prints what
# `embargo lists inspect` says about them. Usage: scripts/demo.sh [path/to/embargo]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$root/build/rel/embargo}
d=$root/data/lists
echo "embargo demo: inspecting the bundled lists in data/lists (see data/NOTICE.md)"
echo
"$bin" lists inspect "$d/ofac/sdn" "$d/ofac/cons" "$d/un/consolidated-2026-02-27.xml" \
  "$d/uk/ConList-2023-06-05.csv.gz" "$d/us/csl-2022-05.csv.gz" "$d/us/bis-dpl-2023-11.txt"
