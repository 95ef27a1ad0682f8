#!/bin/bash
# run.sh - runs the benchmarks. usage: bench/run.sh BIN_DIR_OF_embargo BENCH_DIR
# Results are printed; record them with the machine in bench/RESULTS.md.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bench=${2:-$root/build/rel/bench}
if [ -z "${EMBARGO_DATA:-}" ]; then
  EMBARGO_DATA=$root/../shared/data
  [ -d "$EMBARGO_DATA" ] || EMBARGO_DATA=/work/shared/data
fi
data=$EMBARGO_DATA/lists
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/{print $2}') GiB"
echo "date: $(date -u +%Y-%m-%d)"
echo
echo "== bench_load: OFAC SDN + non-SDN, UN, UK, CSL, EU excerpt, DPL loaded together"
"$bench/bench_load" -n 7 "$data/ofac/sdn-2024-05-03" "$data/ofac/cons-2025-12" \
  "$data/un/consolidated-2026-02-27.xml" "$data/uk/ConList-2023-06-05.csv.gz" \
  "$data/us/csl-2022-05.csv.gz" "$data/eu/fsf-excerpt-2026-08-05.xml" "$data/us/bis-dpl-2023-11.txt"

echo
echo "== bench_match: OFAC SDN + non-SDN, UN, UK, CSL; queries: the 50,000 clean names"
"$bench/bench_match" "${EMBARGO_EVAL:-$EMBARGO_DATA/../eval}/negatives-us-dev.csv" \
  "$data/ofac/sdn-2024-05-03" "$data/ofac/cons-2025-12" "$data/un/consolidated-2026-02-27.xml" \
  "$data/uk/ConList-2023-06-05.csv.gz" "$data/us/csl-2022-05.csv.gz"
echo
echo "== bench_match: same lists; queries: the 677 UN positives (names that are listed)"
"$bench/bench_match" "${EMBARGO_EVAL:-$EMBARGO_DATA/../eval}/un-positives-dev.csv" \
  "$data/ofac/sdn-2024-05-03" "$data/ofac/cons-2025-12" "$data/un/consolidated-2026-02-27.xml" \
  "$data/uk/ConList-2023-06-05.csv.gz" "$data/us/csl-2022-05.csv.gz"
