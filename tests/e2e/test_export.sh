# `lists export` writes FtM and CSV that other tools (and embargo itself) read back.
source "$(dirname "$0")/lib.sh"

un="$LISTS/un/consolidated-2026-02-27.xml"
"$EMBARGO" lists export --format ftm "$un" >"$TMP/un.ftm.json" || fail "export ftm"
[ "$(wc -l <"$TMP/un.ftm.json")" = 1003 ] || fail "FtM export has $(wc -l <"$TMP/un.ftm.json") lines, want 1003"
python3 -c "
import json
for l in open('$TMP/un.ftm.json'):
    o = json.loads(l); assert o['id'].startswith('un:') and o['schema'] and o['properties']['name']" \
  || fail "FtM lines are not entities"

# Round trip: the export loads as FtM with the same entities and no difference.
run lists diff "$un" "ftm:$TMP/un.ftm.json"; expect_status 0
expect_out "^0 added, 0 removed"

run lists export --format csv -o "$TMP/un.csv" "$un"; expect_status 0
python3 -c "
import csv
rows = list(csv.DictReader(open('$TMP/un.csv', encoding='utf-8')))
assert len(rows) == 1003, len(rows)
assert all(r['id'] and r['name'] for r in rows)" || fail "CSV export"
