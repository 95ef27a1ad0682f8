# `embargo screen` on hand-made trade records against the real bundled lists: every kind
# of reason (party by name, by identifier, vessel; goods by code, by older HS code, by
# description; route rules; each red flag), what must not alert, malformed input under
# --on-error skip|keep|stop, stdin, CSV output, stable alert ids and the HTML report.
source "$(dirname "$0")/lib.sh"

H=record_id,date,exporter,exporter_country,exporter_id,importer,importer_country,importer_id,consignee,consignee_country,consignee_id,end_user,end_user_country,notify_party,hs_code,goods_description,manufacturer,origin_country,dispatch_country,destination_country,transit_countries,port_of_loading,port_of_discharge,carrier,vessel_name,vessel_imo,value,currency,quantity,unit

python3 - "$TMP/trade.csv" "$H" <<'PY'
import csv, sys
path, header = sys.argv[1], sys.argv[2].split(',')
rows = []
def rec(**kw):
    r = {k: '' for k in header}
    r.update(date='2021-06-01', exporter='Hansa Werkzeug GmbH', exporter_country='DE',
             importer='Lyon Outillage SARL', importer_country='FR', consignee='Lyon Outillage SARL',
             consignee_country='FR', hs_code='940360', goods_description='wooden office furniture',
             origin_country='DE', dispatch_country='DE', destination_country='FR',
             value='1000', currency='EUR', quantity='10', unit='pcs')
    r.update(kw)
    rows.append(r)
rec(record_id='P-NAME', consignee='Aerocaribbean Airlines', consignee_country='FR')
rec(record_id='P-ID', importer='Pozitiv Info OOO', importer_id='INN 3904605140')
rec(record_id='P-VESSEL', vessel_name='BADR', vessel_imo='IMO 8407345')
rec(record_id='G-CODE', hs_code='8807.30.0000', goods_description='parts', destination_country='RU',
    consignee='Volga Trade LLC', consignee_country='RU', importer_country='RU')
rec(record_id='G-CORR', hs_code='880330', goods_description='parts', destination_country='BY',
    consignee='Minsk Trade LLC', consignee_country='BY', importer_country='BY')
rec(record_id='G-DESC', hs_code='', goods_description='полетный контроллер для БПЛА',
    destination_country='RU', consignee='Volga Trade LLC', consignee_country='RU', importer_country='RU')
rec(record_id='R-OCC', destination_country='Donetsk', consignee='Donbass Mebel', consignee_country='')
rec(record_id='R-HUB', date='2023-05-01', hs_code='854231', goods_description='processors',
    destination_country='KZ', consignee='Steppe Logistics TOO', consignee_country='KZ',
    importer='Steppe Logistics TOO', importer_country='KZ')
rec(record_id='ONWARD', date='2023-06-01', exporter='Steppe Logistics TOO', exporter_country='KZ',
    origin_country='KZ', dispatch_country='KZ', destination_country='RU', consignee='Ural Mebel OOO',
    consignee_country='RU', importer='Ural Mebel OOO', importer_country='RU')
rec(record_id='R-TRANSIT', hs_code='854231', goods_description='processors', destination_country='KZ',
    transit_countries='RU', consignee='Almaty Chips TOO', consignee_country='KZ',
    importer='Almaty Chips TOO', importer_country='KZ')
rec(record_id='R-ORIGIN', origin_country='IR', dispatch_country='AE', goods_description='carpets',
    hs_code='570110')
rec(record_id='CLEAN-HUB', destination_country='KZ', consignee='Almaty Furniture TOO',
    consignee_country='KZ', importer='Almaty Furniture TOO', importer_country='KZ')
rec(record_id='CLEAN-CTRL', hs_code='880730', goods_description='drone parts',
    consignee='Airbus Pieces SAS', importer='Airbus Pieces SAS')
# A usual unit value for 854232 (30 records), then one 100 times it.
for i in range(30):
    rec(record_id=f'UV-{i:02d}', hs_code='854232', goods_description='memories',
        value=str(1000 + i), quantity='100')
rec(record_id='UV-OUT', hs_code='854232', goods_description='memories', value='100000', quantity='100')
# A consignee that buys machinery (chapter 84) and once UAV parts.
for i in range(25):
    rec(record_id=f'MIX-{i:02d}', hs_code='846229', goods_description='presses',
        consignee='Rhone Machines SA', importer='Rhone Machines SA')
rec(record_id='MIX-OUT', hs_code='880730', goods_description='parts',
    consignee='Rhone Machines SA', importer='Rhone Machines SA')
with open(path, 'w', newline='') as f:
    w = csv.DictWriter(f, fieldnames=header)
    w.writeheader()
    w.writerows(rows)
PY

run screen --threads 2 "$TMP/trade.csv"; expect_status 0 "clean input"
cp "$TMP/out" "$TMP/alerts1.jsonl"
expect_err 'records read'

# check PYTHON-EXPR ID WHAT: the expression over the alert of record ID (bound to `a`, None
# when the record raised no alert; its reasons to `rs`) must hold.
check() {
  python3 - "$TMP/alerts1.jsonl" "$2" "$1" <<'PY' || fail "record $2: $3"
import json, sys
alerts = {}
for line in open(sys.argv[1]):
    x = json.loads(line)
    alerts[x['record_id']] = x
a = alerts.get(sys.argv[2])
rs = a['reasons'] if a else []
def kinds(k): return [r for r in rs if r['kind'] == k]
ok = eval(sys.argv[3])
if not ok:
    print(json.dumps(a, ensure_ascii=False)[:1500], file=sys.stderr)
sys.exit(0 if ok else 1)
PY
}
check 'a and any(r["entity"]["id"]=="ofac:36" and "name" in r["by"] and r["field"]=="consignee" for r in kinds("party")) and a["risk"]=="high"' P-NAME "party by name"
check 'a and any(r["entity"]["id"]=="ofac:46044" and "identifier" in r["by"] and r["listed_identifier"]["value"]=="3904605140" for r in kinds("party"))' P-ID "party by identifier"
check 'a and any(r["entity"]["id"]=="ofac:15859" and r["field"]=="vessel_name" and "identifier" in r["by"] for r in kinds("party"))' P-VESSEL "vessel by name and IMO"
check 'a and any(r["via"]=="code" and r["code"]=="880730" and r["tier"]=="3b" for r in kinds("goods")) and any(r["type"]=="embargoed_destination" and r["country"]=="RU" for r in kinds("route")) and a["risk"]=="high"' G-CODE "controlled goods by code to Russia"
check 'a and any(r["via"]=="correlation" and r["code"]=="880730" and "880330" in r["correlation"]["from"] for r in kinds("goods")) and any(r["country"]=="BY" for r in kinds("route"))' G-CORR "HS-2017 code to Belarus"
check 'a and any(r["via"]=="description" and r["field"]=="goods_description" for r in kinds("goods")) and kinds("route")' G-DESC "controlled by description"
check 'a and any(r["type"]=="occupied_region" and r["country"]=="UA-14" for r in kinds("route"))' R-OCC "occupied region named by its city"
check 'a and any(r["type"]=="hub_destination" and r["country"]=="KZ" for r in kinds("route")) and any(r["flag"]=="RF-HUB-ONWARD" for r in kinds("red_flag")) and any(r["flag"]=="RF-NEW-CONSIGNEE" for r in kinds("red_flag"))' R-HUB "hub consignee shipping on to Russia, first seen after 2022-02-24"
check 'a and any(r["type"]=="transit_via_embargoed" and r["country"]=="RU" for r in kinds("route"))' R-TRANSIT "controlled goods through Russia"
check 'a and any(r["type"]=="embargoed_origin" and r["country"]=="IR" for r in kinds("route"))' R-ORIGIN "goods of Iranian origin"
check 'a is None' ONWARD "ordinary goods to Russia under the default rules"
check 'a is None' CLEAN-HUB "ordinary goods to a hub"
check 'a is None' CLEAN-CTRL "controlled goods between countries with no embargo"
check 'a is None' UV-05 "an ordinary unit value"
check 'a and any(r["flag"]=="RF-UNIT-VALUE" for r in kinds("red_flag"))' UV-OUT "unit value 100 times the median"
check 'a is None' MIX-03 "the usual goods of the consignee"
check 'a and any(r["flag"]=="RF-HS-MIX" for r in kinds("red_flag"))' MIX-OUT "goods outside the usual HS mix of the consignee"

# Alerts come in input order, each with a stable id; one thread or two, same output.
python3 - "$TMP/alerts1.jsonl" "$TMP/trade.csv" <<'PY' || fail "alert order or ids"
import csv, json, re, sys
alerts = [json.loads(l) for l in open(sys.argv[1])]
order = [r['record_id'] for r in csv.DictReader(open(sys.argv[2]))]
pos = [order.index(a['record_id']) for a in alerts]
assert pos == sorted(pos), pos
assert all(re.fullmatch(r'emb-[0-9a-f]{16}', a['alert_id']) for a in alerts)
assert len({a['alert_id'] for a in alerts}) == len(alerts)
assert all(a['risk'] in ('low', 'medium', 'high') for a in alerts)
PY
run screen --threads 1 "$TMP/trade.csv"; expect_status 0
cmp -s "$TMP/out" "$TMP/alerts1.jsonl" || fail "one thread and two threads disagree"

# stdin, and CSV output: one row per alert with the same ids.
"$EMBARGO" screen --format csv - <"$TMP/trade.csv" >"$TMP/alerts.csv" 2>"$TMP/err" || fail "stdin"
python3 - "$TMP/alerts.csv" "$TMP/alerts1.jsonl" <<'PY' || fail "CSV output"
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1])))
alerts = [json.loads(l) for l in open(sys.argv[2])]
assert [r['alert_id'] for r in rows] == [a['alert_id'] for a in alerts]
assert set(rows[0]) == {'record_id', 'line', 'alert_id', 'risk', 'party', 'goods', 'route', 'red_flag'}
r = next(r for r in rows if r['record_id'] == 'P-NAME'); assert 'ofac:36' in r['party'], r
PY

# The report: one self-contained HTML file with inline SVG charts.
run screen --report "$TMP/report.html" "$TMP/trade.csv"; expect_status 0
expect_err "report written to $TMP/report.html"
grep -q '<svg' "$TMP/report.html" || fail "the report has no chart"
if grep -qiE '(src|href)="https?:' "$TMP/report.html"; then fail "the report loads something"; fi

# Malformed records: a bad HS code, an unknown country, a Windows-1252 byte, broken quoting.
{
  echo "$H"
  echo 'OK-1,2024-01-01,A GmbH,DE,,B SARL,FR,,B SARL,FR,,,,,940360,chairs,,DE,DE,FR,,,,,,,1,EUR,1,pcs'
  echo 'BAD-HS,2024-01-01,A GmbH,DE,,B SARL,FR,,B SARL,FR,,,,,88O7.30,parts,,DE,DE,FR,,,,,,,1,EUR,1,pcs'
  echo 'BAD-CTRY,2024-01-01,A GmbH,Narnia,,B SARL,FR,,B SARL,FR,,,,,940360,chairs,,DE,DE,FR,,,,,,,1,EUR,1,pcs'
  printf 'CP1252,2024-01-01,M\xfcller Werkzeug GmbH,DE,,B SARL,FR,,B SARL,FR,,,,,940360,chairs,,DE,DE,FR,,,,,,,1,EUR,1,pcs\n'
  echo 'OK-2,2024-01-01,A GmbH,DE,,Aerocaribbean Airlines,FR,,B SARL,FR,,,,,940360,chairs,,DE,DE,FR,,,,,,,1,EUR,1,pcs'
  echo 'BROKEN,2024-01-01,"A GmbH,DE,,B SARL,FR'
} >"$TMP/bad.csv"
run screen --on-error skip "$TMP/bad.csv"; expect_status 1 "malformed records"
expect_err "bad.csv:3: error: field 'hs_code'"
expect_err "bad.csv:4: error: field 'exporter_country'"
expect_err "bad.csv:5:[0-9]+: warning"
expect_err "bad.csv:7:[0-9:]* ?error"
expect_err '7 records read|6 records read'
expect_out '"record_id":"OK-2"'
skip_lines=$(wc -l <<<"$out")
run screen --on-error keep "$TMP/bad.csv"; expect_status 1
expect_out '"record_id":"OK-2"'
expect_err ' 0 skipped'
run screen --on-error stop "$TMP/bad.csv"; expect_status 1
expect_err 'stopped at the first malformed record'
[ -z "$out" ] || fail "--on-error stop screened records after line 3"
[ "$skip_lines" = 1 ] || fail "skip: expected one alert (OK-2), got $skip_lines"


# A file with its own headers: a Russian customs extract (';', Cyrillic headers) read with
# the bundled mapping file; and FtM EconomicActivity entities as JSON lines.
head -3 "$ROOT/data/maps/ru_customs_declaration.map" >/dev/null || fail "the Russian map is missing"
python3 - "$ROOT/data/maps/ru_customs_declaration.map" "$TMP/ru.csv" <<'PY' || fail "writing the Russian extract"
import re, sys
cols = {}
for line in open(sys.argv[1], encoding='utf-8'):
    m = re.match(r'\s*([a-z_]+)\s*=\s*(.+?)\s*$', line)
    if m and not line.lstrip().startswith('#') and m.group(1) not in cols:
        cols[m.group(1)] = m.group(2)
need = ['record_id', 'exporter', 'hs_code', 'goods_description', 'destination_country']
assert all(k in cols for k in need), cols
names = list(cols)  # every mapped column, as a real extract has them
def row(**v):
    return ';'.join('"%s"' % v.get(k, '') for k in names) + '\n'
with open(sys.argv[2], 'w', encoding='utf-8') as f:
    f.write(';'.join('"%s"' % cols[k] for k in names) + '\n')
    f.write(row(record_id='RU-1', exporter='Hansa Werkzeug GmbH', hs_code='8807300000',
                goods_description='части БПЛА', destination_country='Россия'))
    f.write(row(record_id='RU-2', exporter='Hansa Werkzeug GmbH', hs_code='9403600000',
                goods_description='мебель', destination_country='Германия'))
PY
run screen --map "$ROOT/data/maps/ru_customs_declaration.map" "$TMP/ru.csv"; expect_status 0 "mapped file"
expect_out '"record_id":"RU-1".*"code":"880730".*"type":"embargoed_destination"'
grep -q '"record_id":"RU-2"' <<<"$out" && fail "ordinary goods to Germany alerted"

printf '%s\n' \
  '{"schema":"EconomicActivity","id":"cd-1","properties":{"ccdNumber":["CD-1"],"sender":["Hansa Werkzeug GmbH"],"receiver":["Aerocaribbean Airlines"],"vedCode":["9403600000"],"destinationCountry":["fr"]}}' \
  '{"record_id":"J-2","exporter":"Hansa Werkzeug GmbH","hs_code":"8526.91","goods_description":"GNSS module","destination_country":"Belarus"}' \
  >"$TMP/trade.jsonl"
run screen "$TMP/trade.jsonl"; expect_status 0 "JSON lines"
expect_out '"record_id":"CD-1".*"entity":\{"id":"[a-z]+(:SDN)?:36"'
expect_out '"record_id":"J-2".*"code":"852691".*"country":"BY"'

# Generated records: every planted violation is found (tools/screen_eval.py checks the
# alert and, for listed parties, the entity).
run generate --records 3000 --seed 11 --violations 0.03 --parties 3000 -o "$TMP/gen.csv" \
  --truth "$TMP/gen.truth"; expect_status 0 "generate"
run screen "$TMP/gen.csv"; expect_status 0 "screening generated records"
echo "$out" >"$TMP/gen.alerts"
python3 "$ROOT/tools/screen_eval.py" "$TMP/gen.csv" "$TMP/gen.truth" "$TMP/gen.alerts" >"$TMP/eval"
grep -qE '^planted violations found: ([0-9]+) of \1$' "$TMP/eval" || { cat "$TMP/eval" >&2; fail "a planted violation was missed"; }
[ "$(wc -l <"$TMP/gen.truth")" -gt 50 ] || fail "too few violations planted to mean anything"
# Several batches of records through one, two and three worker threads: the same alerts in
# the same order.
run screen --threads 1 "$TMP/gen.csv"; echo "$out" >"$TMP/gen1.alerts"
run screen --threads 3 "$TMP/gen.csv"; echo "$out" >"$TMP/gen3.alerts"
cmp -s "$TMP/gen.alerts" "$TMP/gen1.alerts" && cmp -s "$TMP/gen.alerts" "$TMP/gen3.alerts" ||
  fail "the thread count changed the alerts"

# Usage errors.
run screen; expect_status 2
run screen --on-error maybe "$TMP/trade.csv"; expect_status 2
run screen --map-field nonsense=X "$TMP/trade.csv"; expect_status 1
expect_err "nonsense"
echo ok
