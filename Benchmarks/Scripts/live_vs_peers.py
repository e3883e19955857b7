#!/usr/bin/env python3
"""Live updates on the staffing candidates table (15,000 rows), LakehouseKit side by side with
delta-rs and DuckDB, in one run (issue 9).

The scenario: a recruiter changes one candidate's phone number; the change is committed and the
next query must show it. Measured for each system:
  - commit latency of a one-row change (median, p99 over --updates changes of random candidates),
  - bytes the commit wrote (LakehouseKit: what the commit reports; delta-rs: growth of the table
    folder; DuckDB: growth of the database file plus its WAL),
  - the first point query after the commit (it must show the new phone), and point queries
    (SELECT * … WHERE candidate_id = k) once warm,
  - --bulk single-row changes in a row, then compaction: time, files before and after, query
    latency before and after.

Peers:
  delta-rs  (`deltalake`): the same Delta table format; one row changes by
            `DeltaTable.merge(...).when_matched_update_all().when_not_matched_insert_all()`
            (a merge rewrites the data file holding the row: copy-on-write); queries by DuckDB's
            delta extension (`delta_scan`) on the table folder; compaction by `optimize.compact()`.
  DuckDB    a persistent database file: `UPDATE … WHERE candidate_id = k` (auto-commit, WAL), point
            queries on its native table (its own storage: the in-memory bar to meet).

Ours: `Benchmarks/.build/release/LiveBenchmark` (built here with swift build -c release).

    Scripts/setup_peers.sh .venv-peers
    .venv-peers/bin/python Benchmarks/Scripts/live_vs_peers.py --markdown live.md [--hold-lock]

Needs the staffing candidates file: made here by `lakehouse generate staffing` (scale 1, seed 42)
unless --candidates names one.
"""
import argparse, csv, datetime, fcntl, glob, json, os, platform, random, shutil, statistics, subprocess, sys, tempfile, time

here = os.path.dirname(os.path.abspath(__file__))
bench_root = os.path.dirname(here)
repo_root = os.path.dirname(bench_root)
LOCK = "/tmp/swift-build.lock"


def log(message):
    print(time.strftime("[%H:%M:%S] ") + message, flush=True)


def summary(seconds):
    s = sorted(seconds)
    if not s:
        return {}
    at = lambda q: s[min(len(s) - 1, int((len(s) - 1) * q + 0.5))] * 1000
    return {"p50_ms": at(0.5), "p99_ms": at(0.99), "mean_ms": sum(s) / len(s) * 1000, "n": len(s)}


def one_row_changes(system, rng, ids, updates, change, point, phone_index, size):
    """--updates one-row phone changes of random candidates: the change's latency, the first point
    query after it (which must show the new phone) and the bytes the change added to `size()`."""
    commits, firsts, written = [], [], []
    for u in range(updates):
        k = ids[rng.randrange(len(ids))]
        phone = f"555-{u:04d}-{rng.randrange(10000)}"
        before = size()
        t0 = time.perf_counter()
        change(k, phone)
        t1 = time.perf_counter()
        rows = point(k)
        t2 = time.perf_counter()
        if len(rows) != 1 or rows[0][phone_index] != phone:
            sys.exit(f"{system}: after the change of candidate {k} the query shows {rows}")
        commits.append(t1 - t0)
        firsts.append(t2 - t1)
        written.append(size() - before)
    return commits, firsts, written


def timed_points(rng, ids, n, point):
    """Latencies of `n` point queries of random candidates."""
    times = []
    for _ in range(n):
        k = ids[rng.randrange(len(ids))]
        t0 = time.perf_counter()
        point(k)
        times.append(time.perf_counter() - t0)
    return times


def folder_bytes(path):
    total = 0
    for base, _, files in os.walk(path):
        for name in files:
            total += os.path.getsize(os.path.join(base, name))
    return total


def delta_extension():
    import duckdb
    site = glob.glob(os.path.join(sys.prefix, "lib", "python*", "site-packages"))[0]
    con = duckdb.connect(config={"autoinstall_known_extensions": False, "allow_unsigned_extensions": True})
    con.execute(f"LOAD '{site}/duckdb_extension_delta/extensions/v{duckdb.__version__}/delta.duckdb_extension'")
    return con


def read_candidates(path):
    import pyarrow.csv as pacsv
    # Resumes hold line breaks inside quoted fields.
    return pacsv.read_csv(path, parse_options=pacsv.ParseOptions(newlines_in_values=True))


def deltars(candidates, work, updates, queries, bulk, seed):
    import pyarrow as pa
    import pyarrow.compute as pc
    from deltalake import DeltaTable, write_deltalake
    rng = random.Random(seed)
    table = read_candidates(candidates)
    path = os.path.join(work, "deltars")
    shutil.rmtree(path, ignore_errors=True)
    write_deltalake(path, table)
    ids = table.column("candidate_id").to_pylist()
    con = delta_extension()
    phone_index = table.schema.get_field_index("phone")

    def row_with_phone(k, phone):
        row = table.filter(pc.equal(table.column("candidate_id"), k))
        return row.set_column(phone_index, "phone", pa.array([phone], type=table.schema.field("phone").type))

    def upsert(k, phone):
        dt = DeltaTable(path)
        (dt.merge(source=row_with_phone(k, phone), predicate="t.candidate_id = s.candidate_id", source_alias="s", target_alias="t")
           .when_matched_update_all().when_not_matched_insert_all().execute())

    def point(k):
        return con.execute(f"SELECT * FROM delta_scan('{path}') WHERE candidate_id = {k}").fetchall()

    for _ in range(3):
        point(ids[0])
    commits, firsts, written = one_row_changes("delta-rs", rng, ids, updates, upsert, point, phone_index, lambda: folder_bytes(path))
    points = timed_points(rng, ids, queries, point)
    aggregate = "SELECT state, count(*), avg(years_experience) FROM delta_scan('{}') GROUP BY state".format(path)

    def aggregates(n):
        out = []
        for _ in range(n):
            t0 = time.perf_counter()
            con.execute(aggregate).fetchall()
            out.append(time.perf_counter() - t0)
        return out

    bulk_times = []
    start = time.perf_counter()
    for u in range(bulk):
        k = ids[rng.randrange(len(ids))]
        t0 = time.perf_counter()
        upsert(k, f"557-{u}")
        bulk_times.append(time.perf_counter() - t0)
    bulk_seconds = time.perf_counter() - start
    files_before = len(DeltaTable(path).file_uris())
    point_before = timed_points(rng, ids, min(queries, 200), point)
    aggregate_before = aggregates(20)
    t0 = time.perf_counter()
    DeltaTable(path).optimize.compact()
    compact_seconds = time.perf_counter() - t0
    files_after = len(DeltaTable(path).file_uris())
    point_after = timed_points(rng, ids, min(queries, 200), point)
    aggregate_after = aggregates(20)
    return {
        "system": "delta-rs + DuckDB delta_scan", "rows": len(ids), "table_bytes": folder_bytes(path),
        "upsert_commit": summary(commits), "first_query_after_commit": summary(firsts),
        "bytes_written": {"median": statistics.median(written), "max": max(written)},
        "point_query": summary(points),
        "bulk": {"upserts": bulk, "seconds": bulk_seconds, "per_upsert": summary(bulk_times), "files_before": files_before,
                 "point_before": summary(point_before), "aggregate_before": summary(aggregate_before),
                 "compact_seconds": compact_seconds, "files_after": files_after,
                 "point_after": summary(point_after), "aggregate_after": summary(aggregate_after)},
    }


def duckdb_file(candidates, work, updates, queries, bulk, seed):
    import duckdb
    rng = random.Random(seed)
    path = os.path.join(work, "duck.db")
    for p in (path, path + ".wal"):
        if os.path.exists(p):
            os.remove(p)
    con = duckdb.connect(path)
    con.execute(f"CREATE TABLE candidates AS SELECT * FROM read_csv('{candidates}', header = true)")
    con.execute("CHECKPOINT")
    ids = [r[0] for r in con.execute("SELECT candidate_id FROM candidates").fetchall()]
    size = lambda: os.path.getsize(path) + (os.path.getsize(path + ".wal") if os.path.exists(path + ".wal") else 0)
    table_bytes = size()

    def point(k):
        return con.execute("SELECT * FROM candidates WHERE candidate_id = ?", [k]).fetchall()

    phone_index = [d[0] for d in con.execute("SELECT * FROM candidates LIMIT 0").description].index("phone")
    for _ in range(3):
        point(ids[0])
    update = lambda k, phone: con.execute("UPDATE candidates SET phone = ? WHERE candidate_id = ?", [phone, k])
    commits, firsts, written = one_row_changes("duckdb", rng, ids, updates, update, point, phone_index, size)
    points = timed_points(rng, ids, queries, point)
    bulk_times = []
    start = time.perf_counter()
    for u in range(bulk):
        k = ids[rng.randrange(len(ids))]
        t0 = time.perf_counter()
        con.execute("UPDATE candidates SET phone = ? WHERE candidate_id = ?", [f"557-{u}", k])
        bulk_times.append(time.perf_counter() - t0)
    bulk_seconds = time.perf_counter() - start
    return {
        "system": "DuckDB (database file)", "rows": len(ids), "table_bytes": table_bytes,
        "upsert_commit": summary(commits), "first_query_after_commit": summary(firsts),
        "bytes_written": {"median": statistics.median(written), "max": max(written)},
        "point_query": summary(points),
        "bulk": {"upserts": bulk, "seconds": bulk_seconds, "per_upsert": summary(bulk_times)},
    }


def markdown(ours, peers, args, command):
    f = lambda v: f"{v:.3f}" if v < 10 else f"{v:.1f}"
    lines = [
        "## Live updates: one-row changes, hot-cache point queries, compaction (issue 9)",
        "",
        f"Date: {datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC. Command (repository root):",
        "",
        "```sh",
        command,
        "```",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, {platform.platform()}. The staffing candidates table "
        f"({ours['rows']:,} rows, {ours['table_bytes']:,} bytes of Parquet in our table). Latencies: wall time per "
        "operation in one process, p50 / p99; peers are timed around their Python call.",
        "",
        "| system | commit of a one-row change p50 / p99 ms | bytes written (median) | first query after the commit p50 ms | point query p50 / p99 ms |",
        "|---|---:|---:|---:|---:|",
    ]
    for r in [ours] + peers:
        c, q, p = r["upsert_commit"], r["first_query_after_commit"], r["point_query"]
        lines.append(f"| {r['system']} | {f(c['p50_ms'])} / {f(c['p99_ms'])} | {int(r['bytes_written']['median']):,} | {f(q['p50_ms'])} | "
                     f"{f(p['p50_ms'])} / {f(p['p99_ms'])} |")
    if "sql_update" in ours:
        s = ours["sql_update"]
        lines += ["", f"LakehouseKit, the same change as SQL `UPDATE candidates SET phone = … WHERE candidate_id = k` "
                      f"(finds the row by scanning the cached table): p50 {f(s['p50_ms'])} ms, p99 {f(s['p99_ms'])} ms."]
    lines += ["", f"Then single-row changes in a row, and compaction:", "",
              "| system | changes | total s | per change p50 ms | files before → after | compaction s | point query before → after ms | aggregate before → after ms |",
              "|---|---:|---:|---:|---|---:|---|---|"]
    for r in [ours] + peers:
        b = r["bulk"]
        files = f"{b['files_before']:,} → {b['files_after']:,}" if "files_after" in b else "–"
        compact = f"{b['compact_seconds']:.2f}" if "compact_seconds" in b else "–"
        pq = f"{f(b['point_before']['p50_ms'])} → {f(b['point_after']['p50_ms'])}" if "point_after" in b else "–"
        ag = f"{f(b['aggregate_before']['p50_ms'])} → {f(b['aggregate_after']['p50_ms'])}" if "aggregate_after" in b else "–"
        lines.append(f"| {r['system']} | {b['upserts']:,} | {b['seconds']:.1f} | {f(b['per_upsert']['p50_ms'])} | {files} | {compact} | {pq} | {ag} |")
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--candidates", help="candidates.csv (default: generated by `lakehouse generate staffing`)")
    ap.add_argument("--updates", type=int, default=200)
    ap.add_argument("--queries", type=int, default=2000)
    ap.add_argument("--bulk", type=int, default=10000)
    ap.add_argument("--peer-bulk", type=int, default=500, help="single-row changes in a row for the peers (delta-rs copies a file per change)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "lakehousekit-live"))
    ap.add_argument("--hold-lock", action="store_true", help=f"hold {LOCK} for the whole run (no build competes)")
    ap.add_argument("--skip-build", action="store_true")
    ap.add_argument("--markdown")
    ap.add_argument("--json")
    args = ap.parse_args()
    command = " ".join([os.path.relpath(sys.executable, repo_root) if sys.executable.startswith(repo_root) else "python3",
                        os.path.relpath(os.path.abspath(__file__), repo_root)] + sys.argv[1:])
    os.makedirs(args.work, exist_ok=True)
    lock = open(LOCK, "w")
    swift = ["flock", LOCK] if not args.hold_lock else []
    if not args.skip_build:
        log("building LiveBenchmark and lakehouse (release)")
        subprocess.run(swift + ["swift", "build", "-c", "release", "--package-path", bench_root, "--product", "LiveBenchmark"], check=True)
    if args.hold_lock:
        log(f"waiting for {LOCK}")
        fcntl.flock(lock, fcntl.LOCK_EX)
    candidates = args.candidates
    if not candidates:
        data = os.path.join(args.work, "staffing")
        candidates = os.path.join(data, "candidates.csv")
        if not os.path.exists(candidates):
            subprocess.run(swift + ["swift", "build", "-c", "release", "--package-path", repo_root, "--product", "lakehouse"], check=True)
            subprocess.run([os.path.join(repo_root, ".build", "release", "lakehouse"), "generate", "staffing", "--out", data], check=True)
    binary = os.path.join(bench_root, ".build", "release", "LiveBenchmark")
    log("ours")
    out = os.path.join(args.work, "ours.json")
    subprocess.run([binary, "--candidates", candidates, "--work", args.work, "--updates", str(args.updates),
                    "--queries", str(args.queries), "--bulk", str(args.bulk), "--out", out], check=True, stdout=subprocess.DEVNULL)
    with open(out) as f:
        ours = json.load(f)
    log("DuckDB")
    duck = duckdb_file(candidates, args.work, args.updates, args.queries, args.peer_bulk, args.seed)
    log("delta-rs")
    delta = deltars(candidates, args.work, args.updates, args.queries, args.peer_bulk, args.seed)
    text = markdown(ours, [delta, duck], args, command)
    print(text)
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(text)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"ours": ours, "peers": [delta, duck]}, f, indent=1)


if __name__ == "__main__":
    main()
