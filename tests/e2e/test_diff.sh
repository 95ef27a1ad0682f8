# `lists diff` on real consecutive updates.
source "$(dirname "$0")/lib.sh"

old="$LISTS/ofac/sdn-2024-04-26"; new="$LISTS/ofac/sdn-2024-05-03"
run lists diff --json "$old" "$new"; expect_status 0
summary=$(tail -1 <<<"$out")
python3 - "$old/sdn.csv" "$new/sdn.csv" "$summary" <<'PY' || fail "SDN diff counts"
import sys, json, csv
def ids(p):
    with open(p, encoding='latin-1') as f:
        return {r[0] for r in csv.reader(f) if r and r[0].strip().isdigit()}
a, b = ids(sys.argv[1]), ids(sys.argv[2])
s = json.loads(sys.argv[3])['summary']
assert s['added'] == len(b - a), (s, len(b - a))
assert s['removed'] == len(a - b), (s, len(a - b))
assert s['added'] > 0 and s['removed'] > 0
PY
run lists diff "$old" "$new"; expect_status 0
expect_out "^\+ ofac:[0-9]+ "; expect_out "^- ofac:[0-9]+ "; expect_out "added, .* removed"

# The two UN lists eight years apart: additions, removals and changed entries with fields.
run lists diff --json "$LISTS/un/consolidated-2018-10-29.xml" "$LISTS/un/consolidated-2026-02-27.xml"
expect_status 0
tail -1 <<<"$out" | python3 -c "
import json,sys; s=json.load(sys.stdin)['summary']
assert s['added']>0 and s['removed']>0 and s['changed']>0, s" || fail "UN diff summary"
grep -q '"change":"changed".*"fields"' <<<"$out" || fail "no changed entry with fields"

# A list against itself: no differences.
run lists diff "$LISTS/un/consolidated-2026-02-27.xml" "$LISTS/un/consolidated-2026-02-27.xml"
expect_status 0; expect_out "^0 added, 0 removed, 0 changed"
