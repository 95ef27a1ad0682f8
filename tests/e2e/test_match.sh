# `embargo match` and `embargo compare` on the real lists.
source "$(dirname "$0")/lib.sh"

un="$LISTS/un/consolidated-2026-02-27.xml"

# One query: a meta line, then one result line with explanations.
run match --list "$un" "Germain Katanga"; expect_status 0
[ "$(wc -l <<<"$out")" = 2 ] || fail "match prints a meta line and one query line"
head -1 <<<"$out" | python3 -c "
import json,sys; m=json.load(sys.stdin)['meta']
assert m['engine'].startswith('embargo ') and m['threshold'] > 0
l=m['lists'][0]; assert l['file']=='consolidated-2026-02-27.xml' and len(l['sha256'])==64 and l['published']" \
  || fail "meta line"
tail -1 <<<"$out" | python3 -c "
import json,sys; q=json.load(sys.stdin); r=q['results']
assert q['query']['name']=='Germain Katanga'
assert r and r[0]['match'] and r[0]['id'].startswith('un:'), r[:1]
assert all(r[i]['score']>=r[i+1]['score'] for i in range(len(r)-1))
e=r[0]['explanation']; assert e['name']['tokens'] and 'evidence' in e
assert all(t['how'] in ('exact','transliterated','variant','fuzzy','phonetic','initial','joined','legal_form','unmatched') for t in e['name']['tokens'])" \
  || fail "result line"

# Secondary evidence moves the score: a wrong birth year lowers it, the right one raises it.
score() { tail -1 <<<"$out" | python3 -c "import json,sys; print(json.load(sys.stdin)['results'][0]['score'])"; }
run match --list "$un" --limit 1 "Germain Katanga"; base=$(score)
run match --list "$un" --limit 1 --birth-date 1990 "Germain Katanga"; low=$(score)
python3 -c "assert $low < $base, ($low, $base)" || fail "a wrong birth year did not lower the score"
expect_out '"kind":"birth_date"'

# Queries from a file: one line per query, in input order, extra columns passed through.
printf 'id,schema,name,birth_date,nationality,gender,note\nq1,Person,Germain Katanga,,,,first\nq2,Person,Zzyzx Qwerty,,,,second\n' >"$TMP/q.csv"
run match --list "$un" --queries "$TMP/q.csv"; expect_status 0
python3 - "$TMP/out" <<'PY' || fail "queries file output"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
assert 'meta' in lines[0] and len(lines) == 3
assert [l['query']['id'] for l in lines[1:]] == ['q1', 'q2']
assert lines[1]['query']['note'] == 'first'
assert not any(r['match'] for r in lines[2]['results'])
PY
# Same input, same output.
"$EMBARGO" match --list "$un" --queries "$TMP/q.csv" >"$TMP/again"
cmp -s "$TMP/out" "$TMP/again" || fail "match output is not reproducible"

# Usage errors.
run match "Some Name"; expect_status 2
run match --list "$un"; expect_status 2
run match --list "$un" --limit 0 "X"; expect_status 2

# compare: the pairs file comes back with score and match appended.
printf 'schema,name1,name2,extra\nPerson,Vladimir Putin,Владимир Путин,a\nCompany,ООО Ромашка,Romashka LLC,b\nPerson,Igor Petrov,Maria Sanchez,c\n' >"$TMP/pairs.csv"
run compare --list "$un" --pairs "$TMP/pairs.csv"; expect_status 0
python3 - "$TMP/out" <<'PY' || fail "compare output"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding='utf-8')))
assert [r['extra'] for r in rows] == ['a', 'b', 'c']
assert rows[0]['match'] == 'true', rows[0]
assert rows[1]['match'] == 'true', rows[1]
assert rows[2]['match'] == 'false' and float(rows[2]['score']) < 0.3, rows[2]
PY
