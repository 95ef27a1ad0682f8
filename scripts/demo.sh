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

echo
echo "== matching: a name as a Russian customs form writes it, against all bundled lists"
echo "   embargo match --list ... --limit 3 \"Путин Владимир Владимирович\""
"$bin" match --limit 3 --list "$d/ofac/sdn" --list "$d/ofac/cons" \
  --list "$d/un/consolidated-2026-02-27.xml" --list "$d/uk/ConList-2023-06-05.csv.gz" \
  --list "$d/us/csl-2022-05.csv.gz" --list "$d/us/bis-dpl-2023-11.txt" \
  --schema Person "Путин Владимир Владимирович" | tail -1 | cut -c1-1500
echo "..."

echo
echo "== trade screening: parties, goods and routes in one pass"
out=$root/build/demo
mkdir -p "$out"
echo "   embargo generate --records 50000 --seed 1 -o $out/trade.csv --truth $out/truth.csv"
"$bin" generate --records 50000 --seed 1 -o "$out/trade.csv" --truth "$out/truth.csv" 2>/dev/null
echo "   embargo screen --report $out/report.html $out/trade.csv > $out/alerts.jsonl"
"$bin" screen --report "$out/report.html" "$out/trade.csv" >"$out/alerts.jsonl"
echo
echo "the first high-risk alert:"
grep -m1 '"risk":"high"' "$out/alerts.jsonl" | cut -c1-1200
echo "..."
echo
echo "alerts: $out/alerts.jsonl ($(wc -l <"$out/alerts.jsonl") alerts)"
echo "planted violations (ground truth): $out/truth.csv"
echo "report: $out/report.html"
