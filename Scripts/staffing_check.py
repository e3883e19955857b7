#!/usr/bin/env python3
"""Runs the four staffing queries through `lakehouse sql` and compares with the expected answers.

The tables are the datasets of a lakehouse the files were ingested into (`--root`, as the demo
does: `lakehouse ingest --root LAKE DIR/*.csv DIR/*.jsonl`), or Parquet copies written by
`Scripts/staffing_expected.py --parquet DIR`, each query then running after
`CREATE VIEW <table> AS SELECT * FROM read_parquet('DIR/<table>.parquet')`.

    python3 Scripts/staffing_check.py --root /tmp/lake [--lakehouse .build/debug/lakehouse]
    python3 Scripts/staffing_check.py --parquet /tmp/staffing-parquet

A cell matches when its text is equal or, for numbers, when they agree to 1e-6 relative (the
rule of `TPCH.compare`). Exit status 1 when any query fails or differs.
"""
import argparse
import csv
import io
import os
import subprocess
import sys

TABLES = ["candidates", "clients", "job_orders", "placements", "timesheets", "call_log", "email_log"]
QUERIES = ["candidate_search", "revenue_by_client", "cold_leads", "margin_by_vertical"]


def cell_matches(actual, expected):
    if actual == expected:
        return True
    try:
        x, y = float(actual), float(expected)
    except ValueError:
        return False
    return abs(x - y) <= 1e-6 * abs(y) + 1e-6


def main():
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--parquet", help="folder of <table>.parquet files")
    source.add_argument("--root", help="a lakehouse holding the seven datasets")
    parser.add_argument("--lakehouse", default=os.path.join(root, ".build", "debug", "lakehouse"))
    parser.add_argument("--queries", default=os.path.join(root, "TestData", "staffing", "queries"))
    args = parser.parse_args()

    views = "" if args.root else "".join(
        f"CREATE VIEW {table} AS SELECT * FROM read_parquet('{os.path.join(args.parquet, table + '.parquet')}');\n"
        for table in TABLES)
    root_args = ["--root", args.root] if args.root else []
    failures = 0
    for name in QUERIES:
        with open(os.path.join(args.queries, name + ".sql")) as f:
            sql = f.read()
        with open(os.path.join(args.queries, name + ".expected.csv"), newline="") as f:
            expected = list(csv.reader(f))
        run = subprocess.run([args.lakehouse, "sql", *root_args, "--format", "csv", "--", views + sql], capture_output=True, text=True)
        if run.returncode != 0:
            print(f"{name:20} ERROR {run.stderr.strip()}")
            failures += 1
            continue
        actual = list(csv.reader(io.StringIO(run.stdout)))
        problem = None
        if len(actual) != len(expected):
            problem = f"{len(actual) - 1} rows, expected {len(expected) - 1}"
        else:
            for r, (a, e) in enumerate(zip(actual, expected)):
                if len(a) != len(e) or not all(cell_matches(x, y) for x, y in zip(a, e)):
                    problem = f"row {r}: {a} expected {e}"
                    break
        if problem:
            failures += 1
        print(f"{name:20} {'WRONG ' + problem if problem else 'ok'} ({len(expected) - 1} rows)")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
