#!/bin/bash
# bench_screen.sh - `embargo screen` throughput and memory on generated trade records.
#
#   bench/bench_screen.sh [EMBARGO_BINARY] [SIZES...]
#
# For each size (default 100000 1000000 5000000) it generates records with a fixed seed
# (`embargo generate`, five party fields plus goods and routes per record), screens them
# with the bundled lists on all cores, and reports wall time (median of RUNS runs, default
# 3 for sizes up to 1M, 1 above), records/s and peak RSS. The baseline, run in the same
# script: screening the same records' party names one by one without the party cache
# (`embargo match --queries`, the name-only approach of other tools) on the first 20,000
# records, extrapolated per record.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$root/build/rel/embargo}
shift || true
sizes=${*:-100000 1000000 5000000}
work=${BENCH_DIR:-$(mktemp -d)}
trap '[ -z "${BENCH_DIR:-}" ] && rm -rf "$work"' EXIT

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/{print $2}') GiB"
echo "date: $(date -u +%Y-%m-%d)"
echo "binary: $bin"

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# timed OUT_PREFIX CMD...: runs CMD, writes wall seconds and max RSS (kB) to OUT_PREFIX.{t,m}.
timed() {
  local p=$1; shift
  /usr/bin/time -f '%e %M' -o "$p.tm" "$@"
  cut -d' ' -f1 "$p.tm" >"$p.t"
  cut -d' ' -f2 "$p.tm" >"$p.m"
}

for n in $sizes; do
  f=$work/trade-$n.csv
  [ -s "$f" ] || "$bin" generate --records "$n" --seed 42 -o "$f" --truth "$f.truth" 2>/dev/null
  runs=${RUNS:-$([ "$n" -le 1000000 ] && echo 3 || echo 1)}
  : >"$work/times"
  : >"$work/rss"
  for ((i = 0; i < runs; i++)); do
    timed "$work/run" "$bin" screen --quiet "$f" -o "$work/alerts.jsonl" 2>"$work/summary"
    cat "$work/run.t" >>"$work/times"
    cat "$work/run.m" >>"$work/rss"
  done
  t=$(median <"$work/times")
  rss=$(sort -n "$work/rss" | tail -1)
  printf '%9d records: median %.1f s over %d runs, %.0f records/s, peak RSS %d MB, %s alerts\n' \
    "$n" "$t" "$runs" "$(echo "$n / $t" | bc -l)" "$((rss / 1024))" "$(wc -l <"$work/alerts.jsonl")"
  grep -o '[0-9]* distinct parties, [0-9]* matched a list' "$work/summary" | sed 's/^/           /'
done

# Baseline: the party names of the first 20,000 records, each screened on its own.
f=$work/trade-base.csv
"$bin" generate --records 20000 --seed 42 -o "$f" 2>/dev/null
python3 - "$f" "$work/queries.csv" <<'PY'
import csv, sys
rows = csv.DictReader(open(sys.argv[1]))
with open(sys.argv[2], 'w', newline='') as out:
    w = csv.writer(out)
    w.writerow(['id', 'schema', 'name', 'birth_date', 'nationality', 'gender'])
    k = 0
    for r in rows:
        for field in ('exporter', 'importer', 'consignee', 'end_user', 'notify_party'):
            if r[field]:
                k += 1
                w.writerow([k, '', r[field], '', '', ''])
PY
q=$(($(wc -l <"$work/queries.csv") - 1))
d=$root/data/lists
lists=(--list "$d/ofac/sdn" --list "$d/ofac/cons" --list "$d/un/consolidated-2026-02-27.xml"
  --list "$d/uk/ConList-2023-06-05.csv.gz" --list "$d/us/csl-2022-05.csv.gz"
  --list "$d/us/bis-dpl-2023-11.txt")
timed "$work/load" "$bin" match "${lists[@]}" "Nobody In Particular" >/dev/null 2>&1
timed "$work/base" "$bin" match --queries "$work/queries.csv" --limit 3 "${lists[@]}" >/dev/null 2>&1
tl=$(cat "$work/load.t")
tb=$(cat "$work/base.t")
per_record=$(echo "$q / 20000" | bc -l)
names_per_s=$(echo "$q / ($tb - $tl)" | bc -l)
printf 'baseline: each party name screened on its own (no party cache, one thread, `embargo match --queries`): %d names of 20000 records in %.1f s after %.1f s of loading = %.0f names/s = %.0f records/s\n' \
  "$q" "$tb" "$tl" "$names_per_s" "$(echo "$names_per_s / $per_record" | bc -l)"
echo "(compare with the records/s of embargo screen above, which uses both cores; per core divide by 2)"
