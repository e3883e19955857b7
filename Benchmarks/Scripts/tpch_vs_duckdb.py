#!/usr/bin/env python3
"""TPC-H over Parquet files: LakehouseKit (`lakehouse tpch`) and DuckDB side by side.

Both engines read the same Parquet files through views over read_parquet (DuckDB) or the
same views made by `TPCH.session` (LakehouseKit). Each query runs in its own process per
engine (so peak RSS is that query's), pinned to the same CPUs, with one warm-up run and
--runs timed runs; the median wall time is reported, with the result checked against the
answers (LakehouseKit checks its own). DuckDB materialises each result as an Arrow table.

Usage (repository root, after `swift build -c release --product lakehouse`):
  python3 Benchmarks/Scripts/tpch_vs_duckdb.py --data /path/tpch-sf1 \
      --answers ../shared/tpch/answers/sf1 --threads 2 --runs 3 --out tpch-sf1.json
"""
import argparse, json, math, os, re, subprocess, sys, time

DUCK = r'''
import duckdb, resource, statistics, sys, time
data, number, runs, threads, qdir = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
con = duckdb.connect(config={"threads": threads})
for t in ["customer", "lineitem", "nation", "orders", "part", "partsupp", "region", "supplier"]:
    con.execute("CREATE VIEW %s AS SELECT * FROM read_parquet('%s/%s.parquet')" % (t, data, t))
sql = open("%s/q%02d.sql" % (qdir, number)).read()
con.execute(sql).to_arrow_table()
times = []
for _ in range(runs):
    start = time.perf_counter()
    rows = con.execute(sql).to_arrow_table()
    times.append((time.perf_counter() - start) * 1000)
print("%f %d %d" % (statistics.median(times), rows.num_rows, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))
'''


def run_lakehouse(binary, data, answers, queries, number, runs, cpus):
    cmd = ["taskset", "-c", cpus, "/usr/bin/time", "-f", "MAXRSS %M", binary, "tpch", "--data", data, "--queries", queries,
           "--only", str(number), "--runs", str(runs), "--warmup", "1"]
    if answers:
        cmd += ["--answers", answers]
    p = subprocess.run(cmd, capture_output=True, text=True)
    line = next((l for l in p.stdout.splitlines() if l.startswith("q%02d" % number)), "")
    m = re.match(r"q\d+\s+([\d.]+) ms\s+(\d+) rows\s+(.*)", line)
    rss = re.search(r"MAXRSS (\d+)", p.stderr)
    if not m:
        return {"ms": None, "status": (p.stdout + p.stderr).strip()[-300:], "rss_kb": int(rss.group(1)) if rss else None}
    return {"ms": float(m.group(1)), "rows": int(m.group(2)), "status": m.group(3), "rss_kb": int(rss.group(1)) if rss else None}


def run_duckdb(data, queries, number, runs, threads, cpus):
    p = subprocess.run(["taskset", "-c", cpus, sys.executable, "-c", DUCK, data, str(number), str(runs), str(threads), queries],
                       capture_output=True, text=True)
    try:
        ms, rows, rss = p.stdout.split()
        return {"ms": float(ms), "rows": int(rows), "rss_kb": int(rss)}
    except ValueError:
        return {"ms": None, "status": p.stderr.strip()[-300:]}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--answers")
    ap.add_argument("--queries", default="../shared/tpch/queries")
    ap.add_argument("--binary", default=".build/release/lakehouse")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--only")
    ap.add_argument("--out")
    args = ap.parse_args()
    cpus = ",".join(str(c) for c in range(args.threads))
    numbers = [int(x) for x in args.only.split(",")] if args.only else list(range(1, 23))
    results = []
    print("| query | LakehouseKit ms | DuckDB ms | ratio | LakehouseKit peak MiB | DuckDB peak MiB | check |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for n in numbers:
        ours = run_lakehouse(args.binary, args.data, args.answers, args.queries, n, args.runs, cpus)
        duck = run_duckdb(args.data, args.queries, n, args.runs, args.threads, cpus)
        ratio = ours["ms"] / duck["ms"] if ours.get("ms") and duck.get("ms") else None
        results.append({"query": n, "lakehouse": ours, "duckdb": duck, "ratio": ratio})
        mib = lambda r: "%.0f" % (r["rss_kb"] / 1024) if r.get("rss_kb") else "?"
        print("| q%02d | %s | %s | %s | %s | %s | %s |" % (
            n, "%.1f" % ours["ms"] if ours.get("ms") else "fail", "%.1f" % duck["ms"] if duck.get("ms") else "fail",
            "%.2f" % ratio if ratio else "?", mib(ours), mib(duck), ours.get("status", "")), flush=True)
    ok = [r for r in results if r["ratio"]]
    if ok:
        geo = lambda xs: math.exp(sum(math.log(x) for x in xs) / len(xs))
        g_ours = geo([r["lakehouse"]["ms"] for r in ok])
        g_duck = geo([r["duckdb"]["ms"] for r in ok])
        print("| **geomean** | **%.1f** | **%.1f** | **%.2f** | max %.0f | max %.0f | |" % (
            g_ours, g_duck, g_ours / g_duck, max(r["lakehouse"]["rss_kb"] or 0 for r in ok) / 1024,
            max(r["duckdb"]["rss_kb"] or 0 for r in ok) / 1024))
    if args.out:
        with open(args.out, "w") as f:
            json.dump({"date": time.strftime("%Y-%m-%d"), "threads": args.threads, "runs": args.runs, "results": results}, f, indent=1)


if __name__ == "__main__":
    main()
