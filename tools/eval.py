#!/usr/bin/env python3
"""eval.py - match quality on the labelled evaluation sets, beside the reference figures.

usage: tools/eval.py EMBARGO_BINARY EVAL_DIR UN_LIST_XML

Measured exactly as ../shared/eval/README.md defines the figures:
  - name pairs: precision, recall, F1 of the engine's own `match` decision (its default
    threshold) over name-pairs-dev.csv, through `embargo compare`;
  - UN screening: recall@1 (the first result is the expected entry and is a match) over
    un-positives-dev.csv, and false alerts per 1,000 clean queries (at least one result
    marked as a match) over negatives-us-dev.csv, both against the UN list alone, through
    `embargo match --queries`.
It reports and never fails the build (exit 0 unless the binary cannot run at all).
"""
import csv
import io
import json
import subprocess
import sys
import time


def run(args):
    t0 = time.monotonic()
    p = subprocess.run(args, capture_output=True, text=True)
    dt = time.monotonic() - t0
    if p.returncode not in (0, 1):
        sys.stderr.write(p.stderr)
        raise SystemExit(f"eval: {' '.join(args[:2])} failed with status {p.returncode}")
    return p.stdout, dt


def name_pairs(binary, path):
    out, dt = run([binary, "compare", "--pairs", path])
    rows = list(csv.DictReader(io.StringIO(out)))
    tp = sum(1 for r in rows if r["is_match"] == "true" and r["match"] == "true")
    fp = sum(1 for r in rows if r["is_match"] != "true" and r["match"] == "true")
    fn = sum(1 for r in rows if r["is_match"] == "true" and r["match"] != "true")
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return len(rows), p, r, f1, rows


def screen(binary, un, queries):
    out, dt = run([binary, "match", "--list", un, "--limit", "1", "--queries", queries])
    lines = [json.loads(l) for l in out.splitlines() if l.strip()]
    return lines[1:], dt  # the first line is the meta record


def main():
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    binary, ev, un = sys.argv[1:]
    n, p, r, f1, rows = name_pairs(binary, f"{ev}/name-pairs-dev.csv")
    print(f"name pairs ({n} pairs, default threshold)")
    print(f"  embargo            P {p:.3f}  R {r:.3f}  F1 {f1:.3f}")
    print(f"  reference          logic-v2 F1 0.819 (P 0.784, R 0.858); OFAC-style JW 0.696; token-set 0.741")
    print(f"  target             F1 >= 0.90")

    pos, dt_pos = screen(binary, un, f"{ev}/un-positives-dev.csv")
    hits = 0
    misses = []
    for l in pos:
        res = l["results"]
        ok = bool(res) and res[0]["id"] == l["query"]["expected_id"] and res[0]["match"]
        hits += ok
        if not ok:
            misses.append((l["query"]["name"], l["query"]["expected_id"],
                           res[0]["id"] if res else None, res[0]["score"] if res else None))
    print(f"UN screening against the UN list alone ({len(pos)} positives)")
    print(f"  embargo            recall@1 {hits / max(len(pos), 1):.3f}")
    neg, dt_neg = screen(binary, un, f"{ev}/negatives-us-dev.csv")
    alerts = sum(1 for l in neg if l["results"] and l["results"][0]["match"])
    print(f"  embargo            false alerts per 1,000 clean queries: {1000 * alerts / max(len(neg), 1):.1f}"
          f" ({alerts} of {len(neg)})")
    print(f"  reference          OFAC-style JW at 0.85: recall@1 0.975, 79 false alerts per 1,000")
    print(f"  target             recall@1 >= 0.99, <= 2 false alerts per 1,000")
    qps = len(neg) / dt_neg if dt_neg else 0
    print(f"  throughput         {len(neg)} queries in {dt_neg:.2f} s wall, including index build"
          f" ({qps:.0f} queries/s); see bench/ for measured speed")
    if "-v" in sys.argv or True:
        wrong = [r for r in rows if (r["is_match"] == "true") != (r["match"] == "true")]
        print(f"\nname pairs decided wrongly: {len(wrong)} (first 40)")
        for r in wrong[:40]:
            print(f"  {r['is_match']:5} {float(r['score']):.3f}  {r['name1']} | {r['name2']}")
        print(f"UN positives missed: {len(misses)} (first 20)")
        for m in misses[:20]:
            print(f"  {m}")


if __name__ == "__main__":
    main()
