# `embargo generate`: synthetic trade records with planted violations and a truth file.
source "$(dirname "$0")/lib.sh"

# Two real lists keep the test quick: OFAC SDN (vessels with IMO numbers, entities with
# INN and registration numbers) and the UN list.
sdn="$LISTS/ofac/sdn"
un="$LISTS/un/consolidated-2026-02-27.xml"
[ -d "$sdn" ] || sdn="$ROOT/data/lists/ofac/sdn"
[ -f "$un" ] || un="$ROOT/data/lists/un/consolidated-2026-02-27.xml"
gen=(generate --list "$sdn" --list "$un" --parties 3000 --records 4000 --violations 0.02)

# Same seed, same bytes (records and truth); another seed, other records.
run "${gen[@]}" --seed 5 -o "$TMP/a.csv" --truth "$TMP/a.truth"; expect_status 0
expect_err 'embargo generate: 4000 records'
expect_err 'dropped \(name close to a listed one\)'
run "${gen[@]}" --seed 5 -o "$TMP/b.csv" --truth "$TMP/b.truth" -q; expect_status 0
[ -z "$err" ] || fail "-q still prints: $err"
cmp -s "$TMP/a.csv" "$TMP/b.csv" || fail "the same seed gave different records"
cmp -s "$TMP/a.truth" "$TMP/b.truth" || fail "the same seed gave a different truth file"
run "${gen[@]}" --seed 6 -o "$TMP/c.csv" -q; expect_status 0
cmp -s "$TMP/a.csv" "$TMP/c.csv" && fail "another seed gave the same records"

# Shape: the canonical header, 30 fields per row, N records with ids in order.
python3 - "$TMP/a.csv" <<'PY' || fail "CSV shape"
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding='utf-8', newline='')))
header = ('record_id,date,exporter,exporter_country,exporter_id,importer,importer_country,'
          'importer_id,consignee,consignee_country,consignee_id,end_user,end_user_country,'
          'notify_party,hs_code,goods_description,manufacturer,origin_country,dispatch_country,'
          'destination_country,transit_countries,port_of_loading,port_of_discharge,carrier,'
          'vessel_name,vessel_imo,value,currency,quantity,unit').split(',')
assert rows[0] == header, rows[0]
assert len(rows) == 4001, len(rows)
assert all(len(r) == 30 for r in rows), [len(r) for r in rows if len(r) != 30][:3]
assert [r[0] for r in rows[1:]] == ['R%08d' % i for i in range(1, 4001)]
# Five party fields filled in every record; dates from 2021 to 2025, in order.
assert all(all(r[k] for k in (2, 5, 8, 11, 13)) for r in rows[1:])
dates = [r[1] for r in rows[1:]]
assert dates == sorted(dates) and dates[0] >= '2021-01-01' and dates[-1] <= '2025-12-31', dates[:2]
assert float(max(rows[1:], key=lambda r: float(r[26]))[26]) > 0
PY

# The truth file: known kinds, existing records, every kind planted at this rate and seed.
python3 - "$TMP/a.csv" "$TMP/a.truth" "$ROOT/data/controls/chpl.csv" <<'PY' || fail "truth file"
import csv, sys
recs = {r['record_id']: r for r in csv.DictReader(open(sys.argv[1], encoding='utf-8'))}
truth = list(csv.DictReader(open(sys.argv[2], encoding='utf-8')))
ctl = [r['code'].replace('.', '') for r in csv.DictReader(open(sys.argv[3], encoding='utf-8'))]
kinds = {'listed_party', 'listed_id', 'listed_vessel', 'controlled_to_embargoed',
         'hub_diversion', 'description_only', 'occupied_region', 'old_hs_code'}
assert truth and set(truth[0].keys()) == {'record_id', 'kind', 'field', 'detail'}
assert {t['kind'] for t in truth} == kinds, {t['kind'] for t in truth}
assert 50 <= len(truth) <= 130, len(truth)
ru = {'RU', 'BY', 'Russian Federation', 'Russia', 'Россия', 'Belarus', 'Republic of Belarus'}
def det(t):
    return dict(kv.split('=', 1) for kv in t['detail'].split('; ') if '=' in kv)
for t in truth:
    r = recs[t['record_id']]
    assert t['field'] in r, t
    d = det(t)
    if t['kind'] == 'controlled_to_embargoed':
        assert any(r['hs_code'].replace('.', '').startswith(c) for c in ctl), (t, r['hs_code'])
        assert r['destination_country'] in ru, r['destination_country']
    elif t['kind'] == 'old_hs_code':
        assert r['hs_code'].replace('.', '')[:6] in ('880330', '854150'), r['hs_code']
        assert r['destination_country'] in ru
    elif t['kind'] == 'description_only':
        assert len(r['hs_code']) < 6 and r['goods_description'] == d['description'], (t, r)
    elif t['kind'] == 'occupied_region':
        assert r[t['field']] == d['place'] and d['region'].startswith('UA-'), (t, r[t['field']])
    elif t['kind'] == 'listed_id':
        assert r[t['field']].endswith(d['id']) and d['entity'].startswith(('ofac:', 'un:')), t
    elif t['kind'] == 'listed_vessel':
        assert r['vessel_imo'].endswith(d['imo']) and len(d['imo']) == 7, (t, r['vessel_imo'])
    elif t['kind'] == 'hub_diversion':
        names = {d['consignee'].lower(), d['consignee_native'].lower()}
        assert r['consignee'].lower() in names, (r['consignee'], names)
        assert not r['destination_country'] in ru
        assert any(r['hs_code'].replace('.', '').startswith(c) for c in ctl), r['hs_code']
        link = recs[d['ships_to_russia_in']]
        assert link['exporter'].lower() in names and link['destination_country'] in ru, link
# Clean records: no controlled goods to Russia or Belarus, no coarse codes, no cities.
planted = {t['record_id'] for t in truth}
for rid, r in recs.items():
    if rid in planted:
        continue
    hs = r['hs_code'].replace('.', '')
    assert len(hs) >= 6, (rid, hs)
    if r['destination_country'] in ru:
        assert not any(hs.startswith(c) for c in ctl), (rid, hs)
PY

# Planted names are names of the listed entities: the matcher finds each at the default
# threshold, with the country the record gives.
python3 - "$TMP/a.csv" "$TMP/a.truth" "$TMP/q.csv" "$TMP/want" <<'PY' || fail "truth queries"
import csv, sys
recs = {r['record_id']: r for r in csv.DictReader(open(sys.argv[1], encoding='utf-8'))}
with open(sys.argv[3], 'w', newline='', encoding='utf-8') as q, open(sys.argv[4], 'w') as want:
    w = csv.writer(q)
    w.writerow(['id', 'name', 'nationality', 'schema'])
    for t in csv.DictReader(open(sys.argv[2], encoding='utf-8')):
        r = recs[t['record_id']]
        d = dict(kv.split('=', 1) for kv in t['detail'].split('; ') if '=' in kv)
        if t['kind'] == 'listed_party':
            w.writerow([t['record_id'], r[t['field']], r[t['field'] + '_country'], ''])
        elif t['kind'] == 'listed_vessel':
            w.writerow([t['record_id'], r['vessel_name'], '', 'Vessel'])
        else:
            continue
        want.write('%s %s\n' % (t['record_id'], d['entity']))
PY
"$EMBARGO" match --list "$sdn" --list "$un" --limit 10 --queries "$TMP/q.csv" >"$TMP/m.jsonl" 2>/dev/null \
  || fail "match on the planted names failed"
python3 - "$TMP/m.jsonl" "$TMP/want" <<'PY' || fail "a planted name is not found by the matcher"
import json, sys
want = dict(l.split() for l in open(sys.argv[2]))
got = {}
for l in open(sys.argv[1]):
    j = json.loads(l)
    if 'query' in j:
        got[j['query']['id']] = {r['id'] for r in j['results'] if r['match']}
assert len(want) >= 15, len(want)
missing = [(rid, e) for rid, e in want.items() if e not in got.get(rid, set())]
assert not missing, missing
PY

# Clean party names do not match any listed entity.
python3 - "$TMP/a.csv" "$TMP/a.truth" "$TMP/clean.csv" <<'PY' || fail "clean names"
import csv, sys
planted = {t['record_id'] for t in csv.DictReader(open(sys.argv[2], encoding='utf-8'))}
seen = set()
with open(sys.argv[3], 'w', newline='', encoding='utf-8') as f:
    w = csv.writer(f)
    w.writerow(['name', 'nationality'])
    for r in csv.DictReader(open(sys.argv[1], encoding='utf-8')):
        if r['record_id'] in planted:
            continue
        for k in ('exporter', 'importer', 'consignee', 'end_user'):
            key = (r[k].lower(), r[k + '_country'])
            if key not in seen and len(seen) < 1500:
                seen.add(key)
                w.writerow([r[k], r[k + '_country']])
PY
"$EMBARGO" match --list "$sdn" --list "$un" --limit 1 --queries "$TMP/clean.csv" >"$TMP/cm.jsonl" 2>/dev/null \
  || fail "match on clean names failed"
hits=$(grep -c '"match":true' "$TMP/cm.jsonl")
[ "$hits" = 0 ] || { grep '"match":true' "$TMP/cm.jsonl" | head -3 | cut -c1-300 >&2; fail "$hits clean names match listed entities"; }
[ "$(wc -l <"$TMP/cm.jsonl")" -gt 1000 ] || fail "too few clean names checked"

# JSON lines carry the same records as the CSV for the same seed.
run "${gen[@]}" --seed 5 --format jsonl -o "$TMP/a.jsonl" -q; expect_status 0
python3 - "$TMP/a.csv" "$TMP/a.jsonl" <<'PY' || fail "jsonl differs from csv"
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding='utf-8')))
objs = [json.loads(l) for l in open(sys.argv[2], encoding='utf-8')]
assert len(objs) == len(rows) == 4000
for r, o in zip(rows, objs):
    for k, v in r.items():
        ov = o[k]
        assert (str(ov) if not isinstance(ov, str) else ov) == v or float(ov) == float(v), (k, v, ov)
PY

# Streaming to stdout; no violations when the rate is 0.
run generate --list "$un" --parties 1000 --records 300 --violations 0 --seed 1 --truth "$TMP/z.truth"
expect_status 0
[ "$(wc -l <<<"$out")" = 301 ] || fail "stdout has the header and 300 records"
[ "$(wc -l <"$TMP/z.truth")" = 1 ] || fail "rate 0 planted violations"

# Usage errors.
run generate --records abc; expect_status 2
run generate --format xml; expect_status 2
run generate --violations 2; expect_status 2
run generate --bogus; expect_status 2
run generate extra-argument; expect_status 2
run generate --list "$TMP/missing.xml" --records 1; expect_status 1
true
