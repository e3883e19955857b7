#!/usr/bin/env python3
"""Delta Lake interop checks, run by .ci/run with the peers venv (Scripts/setup_peers.sh).

1. Tables the `lakehouse` CLI writes (append, overwrite, schema change, deletion vectors,
   checkpoint) are read by DuckDB 1.5.5's delta extension and by delta-rs with exactly the rows
   computed here, independently, in Python.
2. Tables delta-rs writes (append, overwrite, schema merge, checkpoint) are read by the
   `lakehouse` CLI (`delta_scan`) with the same rows delta-rs reads.

Usage: delta_interop.py --lakehouse PATH --root DIR|s3://bucket/prefix [--s3-endpoint URL]
Exit code 0 when every check passes.
"""
import argparse, glob, json, os, subprocess, sys, tempfile, decimal, datetime

args = None
failures = []
passed = 0


def check(name, got, want):
    global passed
    if got == want:
        passed += 1
        print(f"ok    {name}")
    else:
        failures.append(name)
        print(f"FAIL  {name}\n      got  {got[:8] if isinstance(got, list) else got}\n      want {want[:8] if isinstance(want, list) else want}")


def lakehouse(*argv, root=None):
    cmd = [args.lakehouse] + list(argv)
    if root:
        cmd += ["--root", root]
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed: {result.stderr.strip()}")
    return result.stdout


def sql(root, text):
    out = lakehouse("sql", "--format", "jsonl", text, root=root)
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def location(root, name):
    for line in lakehouse("describe", name, root=root).splitlines():
        if line.startswith("location:"):
            return line.split(":", 1)[1].strip()
    raise RuntimeError(f"no location for {name}")


def normalize(value):
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


def rows_of(records, columns):
    return sorted(tuple(normalize(r[c]) for c in columns) for r in records)


# ---- peers -------------------------------------------------------------------------------

def duckdb_connection():
    import duckdb
    site = glob.glob(os.path.join(sys.prefix, "lib", "python*", "site-packages"))[0]
    con = duckdb.connect(config={"autoinstall_known_extensions": False, "allow_unsigned_extensions": True})
    con.execute(f"LOAD '{site}/duckdb_extension_delta/extensions/v1.5.5/delta.duckdb_extension'")
    if args.s3_endpoint:
        con.execute(f"LOAD '{site}/duckdb_extension_httpfs/extensions/v1.5.5/httpfs.duckdb_extension'")
        host = args.s3_endpoint.split("://", 1)[1]
        con.execute(f"""CREATE SECRET s3peer (TYPE s3, KEY_ID '{os.environ.get("AWS_ACCESS_KEY_ID", "test")}',
                        SECRET '{os.environ.get("AWS_SECRET_ACCESS_KEY", "test")}', REGION 'us-east-1', ENDPOINT '{host}',
                        URL_STYLE 'path', USE_SSL false)""")
    return con


def storage_options():
    if not args.s3_endpoint:
        return None
    return {"AWS_ENDPOINT_URL": args.s3_endpoint, "AWS_ALLOW_HTTP": "true", "AWS_REGION": "us-east-1",
            "AWS_ACCESS_KEY_ID": os.environ.get("AWS_ACCESS_KEY_ID", "test"),
            "AWS_SECRET_ACCESS_KEY": os.environ.get("AWS_SECRET_ACCESS_KEY", "test"), "conditional_put": "etag"}


def duckdb_rows(con, loc, columns):
    cur = con.execute(f"SELECT {', '.join(columns)} FROM delta_scan('{loc}')")
    return sorted(tuple(normalize(v) for v in row) for row in cur.fetchall())


def deltars_rows(loc, columns, deletion_vectors=False):
    import deltalake
    dt = deltalake.DeltaTable(loc, storage_options=storage_options())
    if deletion_vectors:
        # delta-rs' to_pyarrow_table refuses reader feature deletionVectors; its DataFusion
        # engine (QueryBuilder) reads them.
        batches = deltalake.QueryBuilder().register("t", dt).execute(f"SELECT {', '.join(columns)} FROM t").read_all()
        import pyarrow as pa
        records = pa.table(batches).to_pylist()
    else:
        records = dt.to_pyarrow_table(columns=columns).to_pylist()
    return rows_of(records, columns)


# ---- 1. our tables, read by DuckDB and delta-rs ------------------------------------------

def our_tables(con):
    root = args.root
    cols = ["id", "name", "score"]

    # append: a create and three inserts
    sql(root, "CREATE TABLE appended AS SELECT range AS id, 'n' || range AS name, (range * 0.5)::DOUBLE AS score FROM range(100)")
    for k in range(3):
        sql(root, f"INSERT INTO appended VALUES ({1000 + k}, 'extra{k}', {k}.25)")
    want = sorted([(i, f"n{i}", i * 0.5) for i in range(100)] + [(1000 + k, f"extra{k}", k + 0.25) for k in range(3)])
    check_table(con, root, "appended", cols, want)

    # overwrite: CREATE OR REPLACE writes a new version of the same table
    sql(root, "CREATE TABLE overwritten AS SELECT range AS id, 'old' AS name, 1.0::DOUBLE AS score FROM range(10)")
    sql(root, "CREATE OR REPLACE TABLE overwritten AS SELECT range + 50 AS id, 'new' AS name, 2.0::DOUBLE AS score FROM range(5)")
    check_table(con, root, "overwritten", cols, sorted((50 + i, "new", 2.0) for i in range(5)))
    check("ours: overwritten AS OF VERSION 1 (our reader)", rows_of(sql(root, "SELECT id, name, score FROM overwritten AS OF VERSION 1"), cols),
          sorted((i, "old", 1.0) for i in range(10)))

    # schema change: the replacing version has another column set
    sql(root, "CREATE TABLE evolved AS SELECT range AS id, 'a' AS name FROM range(3)")
    sql(root, "CREATE OR REPLACE TABLE evolved AS SELECT range AS id, 'b' AS name, range * 10 AS extra FROM range(4)")
    check_table(con, root, "evolved", ["id", "name", "extra"], sorted((i, "b", i * 10) for i in range(4)))

    # added column: ALTER TABLE ADD COLUMN, then rows with it; the older rows read it as null
    sql(root, "CREATE TABLE widened AS SELECT range AS id, 'w' || range AS name FROM range(3)")
    sql(root, "ALTER TABLE widened ADD COLUMN city VARCHAR")
    sql(root, "INSERT INTO widened VALUES (7, 'w7', 'Oslo')")
    check_table(con, root, "widened", ["id", "name", "city"], sorted([(i, f"w{i}", None) for i in range(3)] + [(7, "w7", "Oslo")],
                                                                     key=lambda r: r[0]))

    # deletion vectors: a file-based vector (many scattered rows), then a cumulative one, then an inline one
    sql(root, "CREATE TABLE deleted AS SELECT range AS id, 'n' || range AS name, range::DOUBLE AS score FROM range(5000)")
    sql(root, "INSERT INTO deleted SELECT range AS id, 'm' || (range - 5000) AS name, 0.0::DOUBLE AS score FROM range(5000, 5010)")
    sql(root, "DELETE FROM deleted WHERE id % 7 = 0")
    sql(root, "DELETE FROM deleted WHERE id BETWEEN 100 AND 120")
    sql(root, "DELETE FROM deleted WHERE id = 5003")
    want = sorted((i, f"n{i}", float(i)) for i in range(5000) if i % 7 != 0 and not (100 <= i <= 120))
    want = sorted(want + [(i, f"m{i - 5000}", 0.0) for i in range(5000, 5010) if i % 7 != 0 and i != 5003])
    check_table(con, root, "deleted", cols, want, deletion_vectors=True)

    # Parquet field ids: every data file carries each column's stable id (1, 2, 3 …)
    if not args.s3_endpoint:
        import pyarrow.parquet as pq
        loc = location(root, "evolved")
        ids = set()
        for path in glob.glob(os.path.join(loc, "*.parquet")):
            ids.add(tuple(int(f.metadata[b"PARQUET:field_id"]) for f in pq.read_schema(path)))
        check("ours: Parquet field ids written (kept across the schema change)", sorted(ids), [(1, 2), (1, 2, 3)])

    # checkpoint: 12 commits (a checkpoint every 10)
    sql(root, "CREATE TABLE checkpointed (id BIGINT, name VARCHAR, score DOUBLE)")
    for k in range(12):
        sql(root, f"INSERT INTO checkpointed VALUES ({k}, 'c{k}', {k}.5)")
    check_table(con, root, "checkpointed", cols, sorted((k, f"c{k}", k + 0.5) for k in range(12)))


def check_table(con, root, name, columns, want, deletion_vectors=False):
    loc = location(root, name)
    check(f"ours: {name} read by lakehouse", rows_of(sql(root, f"SELECT {', '.join(columns)} FROM {name}"), columns), want)
    check(f"ours: {name} read by DuckDB delta_scan", duckdb_rows(con, loc, columns), want)
    check(f"ours: {name} read by delta-rs", deltars_rows(loc, columns, deletion_vectors), want)


# ---- 2. delta-rs tables, read by us ------------------------------------------------------

def their_tables():
    import deltalake, pyarrow as pa
    base = args.root.rstrip("/") + "/delta-rs"
    opts = storage_options()
    cols = ["id", "name", "score"]

    def table(ids, name):
        return pa.table({"id": pa.array(ids, pa.int64()), "name": pa.array([f"{name}{i}" for i in ids]),
                         "score": pa.array([i / 4 for i in ids], pa.float64())})

    def ours(path, version=None, columns=cols):
        v = "" if version is None else f", {version}"
        return rows_of(sql(None, f"SELECT {', '.join(columns)} FROM delta_scan('{path}'{v})"), columns)

    def theirs(path, version=None, columns=cols):
        return rows_of(deltalake.DeltaTable(path, version=version, storage_options=opts).to_pyarrow_table(columns=columns).to_pylist(), columns)

    path = base + "/appended"
    deltalake.write_deltalake(path, table(range(10), "a"), storage_options=opts)
    deltalake.write_deltalake(path, table(range(10, 15), "b"), mode="append", storage_options=opts)
    check("delta-rs: append read by lakehouse", ours(path), theirs(path))
    check("delta-rs: append version 0 read by lakehouse", ours(path, 0), theirs(path, 0))

    path = base + "/overwritten"
    deltalake.write_deltalake(path, table(range(10), "a"), storage_options=opts)
    deltalake.write_deltalake(path, table(range(100, 103), "z"), mode="overwrite", storage_options=opts)
    check("delta-rs: overwrite read by lakehouse", ours(path), theirs(path))

    path = base + "/merged"
    deltalake.write_deltalake(path, table(range(3), "a"), storage_options=opts)
    wider = table(range(3, 6), "w").append_column("city", pa.array(["Oslo", None, "Lima"]))
    deltalake.write_deltalake(path, wider, mode="append", schema_mode="merge", storage_options=opts)
    check("delta-rs: schema merge read by lakehouse", ours(path, columns=cols + ["city"]), theirs(path, columns=cols + ["city"]))

    path = base + "/checkpointed"
    for k in range(4):
        deltalake.write_deltalake(path, table(range(k * 10, k * 10 + 3), f"k{k}"), mode="append", storage_options=opts)
    deltalake.DeltaTable(path, storage_options=opts).create_checkpoint()
    deltalake.write_deltalake(path, table(range(90, 92), "after"), mode="append", storage_options=opts)
    check("delta-rs: checkpointed read by lakehouse", ours(path), theirs(path))


def main():
    global args
    parser = argparse.ArgumentParser()
    parser.add_argument("--lakehouse", required=True)
    parser.add_argument("--root", required=True)
    parser.add_argument("--s3-endpoint")
    args = parser.parse_args()
    con = duckdb_connection()
    our_tables(con)
    their_tables()
    print(f"delta interop ({args.root}): {passed} passed, {len(failures)} failed")
    sys.stdout.flush()
    # DuckDB's and delta-rs' native threads can abort at interpreter exit; leave directly.
    os._exit(1 if failures else 0)


if __name__ == "__main__":
    main()
