#!/usr/bin/env python3
"""CSV → Parquet ingest throughput and the four staffing queries: LakehouseKit and DuckDB side by side.

Ingest: for each CSV file, LakehouseKit runs `lakehouse ingest --root FRESH --into t FILE` (schema
inferred over every row, Parquet data files in a Delta table, one commit, SHA-256 of the file);
DuckDB runs `COPY (SELECT * FROM read_csv_auto(FILE)) TO OUT (FORMAT parquet)` in a fresh process.
LakehouseKit is timed as a whole process (start-up, opening the lakehouse and the commit
included); DuckDB's COPY statement alone (its process start and `import duckdb` excluded), which
favours DuckDB. Both pinned to the same CPUs, alternating, --rounds times; the median is reported
with MB/s of the CSV file.

Queries: `lakehouse demo --runs N --timings FILE` ingests the staffing files and reports the median
warm latency of each query (a new SQL session per run, over the Delta tables); DuckDB loads the
same CSV files into in-memory tables with the same column types (Scripts/staffing_expected.py's
loader) and times the same SQL, median of N warm runs.

Usage (repository root, after `swift build -c release --product lakehouse`):
  python3 Benchmarks/Scripts/ingest_vs_duckdb.py --staffing /tmp/staffing-s1 \\
      --lineitem /tmp/tpch-csv-sf1/lineitem.csv --rounds 3 --out ingest.json
"""
import argparse, importlib.util, json, os, shutil, statistics, subprocess, sys, tempfile, time

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")

DUCK_COPY = r'''
import duckdb, sys, time
con = duckdb.connect(config={"threads": int(sys.argv[3])})
start = time.perf_counter()
con.execute("COPY (SELECT * FROM read_csv_auto('%s')) TO '%s' (FORMAT parquet)" % (sys.argv[1], sys.argv[2]))
print(time.perf_counter() - start)
'''


def timed(cmd, inner=False):
    """Wall time of the command; with `inner`, the seconds it prints itself (DuckDB's COPY alone,
    without Python's start-up and the import of duckdb)."""
    start = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if p.returncode != 0:
        raise RuntimeError("%s failed: %s" % (" ".join(cmd[:4]), (p.stdout + p.stderr)[-500:]))
    return float(p.stdout.strip().splitlines()[-1]) if inner else elapsed


def ingest_benchmark(binary, files, rounds, threads, cpus, work):
    rows = []
    for path in files:
        size = os.path.getsize(path)
        ours, duck = [], []
        for r in range(rounds):
            lake = os.path.join(work, "lake-%d" % r)
            shutil.rmtree(lake, ignore_errors=True)
            ours.append(timed(["taskset", "-c", cpus, binary, "ingest", "--root", lake, "--into", "t", path]))
            shutil.rmtree(lake, ignore_errors=True)
            out = os.path.join(work, "duck-%d.parquet" % r)
            if os.path.exists(out):
                os.remove(out)
            duck.append(timed(["taskset", "-c", cpus, sys.executable, "-c", DUCK_COPY, path, out, str(threads)], inner=True))
            os.remove(out)
        o, d = statistics.median(ours), statistics.median(duck)
        rows.append({"file": os.path.basename(path), "bytes": size, "lakehouse_s": o, "duckdb_s": d, "ratio": o / d,
                     "lakehouse_mb_s": size / 1e6 / o, "duckdb_mb_s": size / 1e6 / d})
        print("%-16s %8.1f MB  lakehouse %7.3f s (%6.1f MB/s)  duckdb %7.3f s (%6.1f MB/s)  ratio %.2f"
              % (rows[-1]["file"], size / 1e6, o, size / 1e6 / o, d, size / 1e6 / d, o / d), flush=True)
    return rows


def query_benchmark(binary, staffing, runs, threads, cpus, work):
    timings = os.path.join(work, "demo.json")
    lake = os.path.join(work, "demo-lake")
    shutil.rmtree(lake, ignore_errors=True)
    subprocess.run(["taskset", "-c", cpus, binary, "demo", "--data", staffing, "--root", lake, "--runs", str(runs), "--rows", "0",
                    "--queries", os.path.join(ROOT, "TestData", "staffing", "queries"), "--timings", timings],
                   check=True, capture_output=True, text=True)
    ours = json.load(open(timings))["queries"]
    script = r'''
import importlib.util, json, statistics, sys, time, duckdb
spec = importlib.util.spec_from_file_location("se", sys.argv[1]); se = importlib.util.module_from_spec(spec); spec.loader.exec_module(se)
con = duckdb.connect(config={"threads": int(sys.argv[4])})
se.load(con, sys.argv[2])
out = {}
for name in ["candidate_search", "revenue_by_client", "cold_leads", "margin_by_vertical"]:
    sql = open("%s/%s.sql" % (sys.argv[3], name)).read()
    con.execute(sql).fetchall()
    times = []
    for _ in range(int(sys.argv[5])):
        start = time.perf_counter(); con.execute(sql).fetchall(); times.append((time.perf_counter() - start) * 1000)
    out[name] = statistics.median(times)
print(json.dumps(out))
'''
    p = subprocess.run(["taskset", "-c", cpus, sys.executable, "-c", script, os.path.join(ROOT, "Scripts", "staffing_expected.py"), staffing,
                        os.path.join(ROOT, "TestData", "staffing", "queries"), str(threads), str(runs)], capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError("duckdb queries failed: " + p.stderr[-800:])
    duck = json.loads(p.stdout)
    rows = []
    for name in ["candidate_search", "revenue_by_client", "cold_leads", "margin_by_vertical"]:
        o = ours[name]["warm_ms"]
        rows.append({"query": name, "lakehouse_ms": o, "lakehouse_cold_ms": ours[name]["cold_ms"], "duckdb_ms": duck[name],
                     "ratio": o / duck[name], "original_ms": ours[name]["original_ms"]})
        print("%-20s lakehouse %7.1f ms  duckdb %7.1f ms  ratio %.2f  (original %3.0f ms)" % (name, o, duck[name], o / duck[name], ours[name]["original_ms"]),
              flush=True)
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lakehouse", default=os.path.join(ROOT, ".build", "release", "lakehouse"))
    ap.add_argument("--staffing", required=True, help="folder written by `lakehouse generate staffing` (scale 1, seed 42)")
    ap.add_argument("--lineitem", help="TPC-H lineitem.csv (tpchgen-cli csv -s 1 --output-dir=DIR)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--cpus", default="0-1")
    ap.add_argument("--out")
    args = ap.parse_args()
    import duckdb
    work = tempfile.mkdtemp(prefix="ingest-bench-")
    try:
        files = [os.path.join(args.staffing, "timesheets.csv"), os.path.join(args.staffing, "candidates.csv")]
        if args.lineitem:
            files.append(args.lineitem)
        print("duckdb %s, %d threads, CPUs %s, %d rounds" % (duckdb.__version__, args.threads, args.cpus, args.rounds))
        ingest = ingest_benchmark(args.lakehouse, files, args.rounds, args.threads, args.cpus, work)
        queries = query_benchmark(args.lakehouse, args.staffing, args.runs, args.threads, args.cpus, work)
        if args.out:
            json.dump({"date": time.strftime("%Y-%m-%d"), "duckdb": duckdb.__version__, "ingest": ingest, "queries": queries},
                      open(args.out, "w"), indent=2)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
