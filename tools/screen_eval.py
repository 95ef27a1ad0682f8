#!/usr/bin/env python3
"""screen_eval.py - compares `embargo screen` alerts with a generator's ground truth.

usage: tools/screen_eval.py RECORDS.csv TRUTH.csv ALERTS.jsonl

Prints: planted violations found (an alert on the record, and for party kinds the right
entity among its party reasons, or among the ids a reason names as the same entity in
another list: `also_listed_as`), and the alerts on clean records (records with no
planted violation) by the kinds of reasons behind them, per 1,000 clean records.
"""
import collections
import csv
import json
import sys


def main():
    records, truth_path, alerts_path = sys.argv[1:4]
    n_records = sum(1 for _ in csv.DictReader(open(records, newline='', encoding='utf-8')))
    truth = list(csv.DictReader(open(truth_path, newline='', encoding='utf-8')))
    alerts = {}
    for line in open(alerts_path, encoding='utf-8'):
        a = json.loads(line)
        alerts[a['record_id']] = a
    found = collections.Counter()
    total = collections.Counter()
    missed = []
    for t in truth:
        total[t['kind']] += 1
        a = alerts.get(t['record_id'])
        ok = a is not None
        if ok and t['kind'] in ('listed_party', 'listed_id', 'listed_vessel'):
            want = t['detail'].split(';')[0].split('=', 1)[1]
            ok = any(r['kind'] == 'party' and
                     (r['entity']['id'] == want or want in r.get('also_listed_as', []))
                     for r in a['reasons'])
        found[t['kind']] += ok
        if not ok:
            missed.append(t)
    print(f"planted violations found: {sum(found.values())} of {len(truth)}")
    for k in sorted(total):
        print(f"  {k:26s} {found[k]:5d} / {total[k]}")
    for t in missed[:20]:
        print(f"  missed: {t['record_id']} {t['kind']} {t['field']} {t['detail'][:90]}")
    planted = {t['record_id'] for t in truth}
    clean = n_records - len(planted)
    by_kind = collections.Counter()
    by_risk = collections.Counter()
    n_clean_alerts = 0
    for rid, a in alerts.items():
        if rid in planted:
            continue
        n_clean_alerts += 1
        by_risk[a['risk']] += 1
        kinds = sorted({r['kind'] + ':' + (r.get('type') or '') for r in a['reasons']
                        if r['kind'] != 'goods'})
        by_kind[' + '.join(kinds)] += 1
    print(f"alerts on clean records: {n_clean_alerts} of {clean} "
          f"({1000.0 * n_clean_alerts / max(clean, 1):.1f} per 1,000); by risk: "
          + ', '.join(f"{k} {by_risk[k]}" for k in ('high', 'medium', 'low')))
    for k, v in by_kind.most_common(12):
        print(f"  {v:6d}  {k}")


if __name__ == '__main__':
    main()
