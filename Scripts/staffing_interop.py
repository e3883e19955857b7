#!/usr/bin/env python3
"""DuckDB's delta extension reads the datasets `lakehouse ingest` made of the staffing files.

For each of the seven tables, the Delta table the ingest wrote (its location from the lakehouse
registry) is read with DuckDB 1.5.5's `delta_scan`, and compared with DuckDB's own reading of the
source file (explicit types, Scripts/staffing_expected.py's loader): the same columns, the same
row count, and the same rows (every column as text, sorted).

    .venv-peers/bin/python Scripts/staffing_interop.py --root LAKE --data STAFFING_DIR
"""
import argparse
import glob
import importlib.util
import json
import os
import sys

import duckdb

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", required=True, help="the lakehouse folder the files were ingested into")
    parser.add_argument("--data", required=True, help="the folder of the staffing files")
    args = parser.parse_args()

    spec = importlib.util.spec_from_file_location("staffing_expected", os.path.join(HERE, "staffing_expected.py"))
    expected = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(expected)

    site = glob.glob(os.path.join(sys.prefix, "lib", "python*", "site-packages"))[0]
    con = duckdb.connect(config={"autoinstall_known_extensions": False, "allow_unsigned_extensions": True})
    con.execute(f"LOAD '{site}/duckdb_extension_delta/extensions/v1.5.5/delta.duckdb_extension'")
    con.execute("SET TimeZone = 'UTC'")
    expected.load(con, args.data)

    registry = sorted(glob.glob(os.path.join(args.root, "_lakehouse", "catalog", "*.json")))[-1]
    datasets = {d["name"]: d["location"] for d in json.load(open(registry))["datasets"]}
    failures = 0
    for table in ["candidates", "clients", "job_orders", "placements", "timesheets", "call_log", "email_log"]:
        location = os.path.join(args.root, datasets[table])
        # A column of instants written with a zone (`2026-03-02T14:05:00Z`) is TIMESTAMP WITH TIME
        # ZONE on our side and naive in the loader's table: compare both as UTC wall-clock time.
        described = con.execute(f"DESCRIBE SELECT * FROM delta_scan('{location}')").fetchall()
        select = ", ".join(f'CAST(CAST("{name}" AS TIMESTAMP) AS VARCHAR) AS "{name}"' if kind == "TIMESTAMP WITH TIME ZONE"
                           else f'CAST("{name}" AS VARCHAR) AS "{name}"' for name, kind, *_ in described)
        ours = con.execute(f"SELECT {select} FROM delta_scan('{location}')")
        our_columns = [d[0] for d in ours.description]
        our_rows = ours.fetchall()
        theirs = con.execute(f"SELECT COLUMNS(*)::VARCHAR FROM {table}")
        their_columns = [d[0] for d in theirs.description]
        their_rows = theirs.fetchall()
        problem = None
        if our_columns != their_columns:
            problem = f"columns {our_columns} != {their_columns}"
        elif len(our_rows) != len(their_rows):
            problem = f"{len(our_rows)} rows, DuckDB read {len(their_rows)} from the file"
        else:
            def text(rows):
                return sorted(tuple("" if v is None else str(v) for v in row) for row in rows)
            a, b = text(our_rows), text(their_rows)
            for x, y in zip(a, b):
                if x != y:
                    problem = f"row {x} != {y}"
                    break
        print(f"{table:12} {'ok' if not problem else 'WRONG ' + problem} ({len(our_rows)} rows)")
        failures += problem is not None
    sys.stdout.flush()
    os._exit(1 if failures else 0)


if __name__ == "__main__":
    main()
