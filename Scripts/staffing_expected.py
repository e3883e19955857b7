#!/usr/bin/env python3
"""Expected answers of the four staffing queries, computed by DuckDB.

Loads the files written by `lakehouse generate staffing --out DIR` into DuckDB with explicit
column types (the types LakehouseKit's ingester infers: integers BIGINT, two-decimal money
DECIMAL(18,2), dates DATE, `true`/`false` BOOLEAN, timestamps TIMESTAMP), runs every
`TestData/staffing/queries/<name>.sql` and writes `<name>.expected.csv` next to it: a header,
then the rows; NULL is an empty field, floats are written with repr().

The NDJSON table is flattened the way the ingester flattens nested objects: `candidate.id`,
`candidate.email`, `recruiter.name`, `recruiter.team`.

    python3 Scripts/staffing_expected.py --data /tmp/staffing            # scale 1, seed 42
    python3 Scripts/staffing_expected.py --data /tmp/staffing --parquet /tmp/staffing-parquet

With --parquet DIR it also writes each table as DIR/<table>.parquet with the same types, for
engines that read Parquet but not CSV.
"""
import argparse
import csv
import datetime
import decimal
import os
import sys

import duckdb

MONEY = "DECIMAL(18,2)"

CSV_TABLES = {
    "candidates": ({
        "candidate_id": "BIGINT", "first_name": "VARCHAR", "last_name": "VARCHAR", "phone": "VARCHAR",
        "email": "VARCHAR", "zip": "VARCHAR", "city": "VARCHAR", "state": "VARCHAR", "skills": "VARCHAR",
        "available_from": "DATE", "years_experience": "BIGINT", "desired_rate": MONEY, "resume": "VARCHAR",
    }, {}),
    "clients": ({
        "client_id": "BIGINT", "company": "VARCHAR", "contact_name": "VARCHAR", "contact_email": "VARCHAR",
        "vertical": "VARCHAR", "city": "VARCHAR", "bill_rate_min": MONEY, "bill_rate_max": MONEY,
    }, {}),
    "job_orders": ({
        "job_order_id": "BIGINT", "client_id": "BIGINT", "title": "VARCHAR", "description": "VARCHAR",
        "requirements": "VARCHAR", "bill_rate": MONEY, "pay_rate": MONEY, "city": "VARCHAR",
        "opened_on": "DATE", "status": "VARCHAR",
    }, {}),
    "placements": ({
        "placement_id": "BIGINT", "candidate_id": "BIGINT", "job_order_id": "BIGINT", "recruiter": "VARCHAR",
        "start_date": "DATE", "end_date": "DATE", "bill_rate": MONEY, "pay_rate": MONEY,
    }, {}),
    "timesheets": ({
        "timesheet_id": "BIGINT", "placement_id": "BIGINT", "week_ending": "DATE", "hours": MONEY,
        "bill_total": MONEY, "pay_total": MONEY, "approved": "BOOLEAN",
    }, {"dateformat": "%m/%d/%Y"}),
    "call_log": ({
        "call_id": "BIGINT", "candidate_id": "BIGINT", "recruiter": "VARCHAR", "called_at": "TIMESTAMP",
        "duration_seconds": "BIGINT", "disposition": "VARCHAR",
    }, {"timestampformat": "%Y-%m-%d %H:%M:%S"}),
}

QUERIES = ["candidate_search", "revenue_by_client", "cold_leads", "margin_by_vertical"]


def sql_string(text):
    return "'" + text.replace("'", "''") + "'"


def load(con, data):
    for table, (columns, options) in CSV_TABLES.items():
        spec = ", ".join(f"{sql_string(name)}: {sql_string(kind)}" for name, kind in columns.items())
        extra = "".join(f", {key} = {sql_string(value)}" for key, value in options.items())
        path = sql_string(os.path.join(data, table + ".csv"))
        con.execute(f"CREATE TABLE {table} AS SELECT * FROM read_csv({path}, header = true, delim = ',', "
                    f"quote = '\"', escape = '\"', auto_detect = false, columns = {{{spec}}}{extra})")
    path = sql_string(os.path.join(data, "email_log.jsonl"))
    con.execute(f"""
        CREATE TABLE email_log AS
        SELECT email_id,
               strptime(sent_at, '%Y-%m-%dT%H:%M:%SZ') AS sent_at,
               direction, subject, opened,
               candidate.id AS "candidate.id", candidate.email AS "candidate.email",
               recruiter.name AS "recruiter.name", recruiter.team AS "recruiter.team"
        FROM read_json({path}, format = 'newline_delimited', columns = {{
            'email_id': 'BIGINT', 'sent_at': 'VARCHAR', 'direction': 'VARCHAR', 'subject': 'VARCHAR',
            'opened': 'BOOLEAN', 'candidate': 'STRUCT(id BIGINT, email VARCHAR)',
            'recruiter': 'STRUCT(name VARCHAR, team VARCHAR)'}})
    """)


def cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, help="folder written by `lakehouse generate staffing`")
    parser.add_argument("--queries", default=os.path.join(os.path.dirname(__file__), "..", "TestData", "staffing", "queries"))
    parser.add_argument("--parquet", help="also write the tables as Parquet files into this folder")
    args = parser.parse_args()

    con = duckdb.connect()
    load(con, args.data)
    for table in list(CSV_TABLES) + ["email_log"]:
        rows = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        print(f"{table:12} {rows:8} rows", file=sys.stderr)
        if args.parquet:
            os.makedirs(args.parquet, exist_ok=True)
            target = sql_string(os.path.join(args.parquet, table + ".parquet"))
            con.execute(f"COPY {table} TO {target} (FORMAT parquet)")

    for name in QUERIES:
        with open(os.path.join(args.queries, name + ".sql")) as f:
            sql = f.read()
        result = con.execute(sql)
        header = [column[0] for column in result.description]
        rows = result.fetchall()
        with open(os.path.join(args.queries, name + ".expected.csv"), "w", newline="") as f:
            writer = csv.writer(f, lineterminator="\n")
            writer.writerow(header)
            for row in rows:
                writer.writerow([cell(value) for value in row])
        print(f"{name:20} {len(rows):5} rows", file=sys.stderr)


if __name__ == "__main__":
    main()
