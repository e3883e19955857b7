#!/usr/bin/env python3
"""ParquetKit's reader side by side with pyarrow.parquet.read_table on TPC-H SF1 lineitem.

Generates lineitem with tpchgen-cli when missing, then decodes all columns into memory: ours
(release build) on one thread and with column chunks decoded on all cores, pyarrow with
use_threads=False and True; first with every text column decoded to plain strings (pyarrow's
default), then with the low-cardinality text columns kept as dictionaries by both (ParquetKit's
default, pyarrow's read_dictionary). Each engine runs in its own process so peak memory (max RSS)
is its own. Alternating rounds; medians.

    pip install pyarrow tpchgen-cli
    python3 Benchmarks/Scripts/parquet_read_vs_pyarrow.py [--rounds 3]
"""
import argparse, json, os, subprocess, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lineitem_common import build, default_data, lineitem, median  # noqa: E402

PYARROW = """
import sys, time, json, pyarrow.parquet as pq, pyarrow as pa
threads = sys.argv[2] == "1"
dictionary = json.loads(sys.argv[3]) if len(sys.argv) > 3 else None
if not threads: pa.set_cpu_count(1)
start = time.perf_counter()
t = pq.read_table(sys.argv[1], use_threads=threads, read_dictionary=dictionary)
print(json.dumps({"seconds": time.perf_counter() - start, "rows": t.num_rows}))
"""


def measure(command):
    wrapped = ["/usr/bin/time", "-f", "%M"] + command
    proc = subprocess.run(wrapped, check=True, capture_output=True, text=True)
    record = json.loads(proc.stdout.strip().splitlines()[-1])
    record["max_rss_mib"] = int(proc.stderr.strip().splitlines()[-1]) / 1024
    return record


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--data", default=default_data)
    args = parser.parse_args()
    path = lineitem(args.data)
    bench = build("ParquetReadBenchmark")
    # (label, our command, pyarrow threads flag, whether pyarrow keeps our dictionary columns)
    modes = [
        ("one thread, text decoded (`use_threads=False`)", [bench, path, "1", "plain"], "0", False),
        ("all cores, text decoded (`use_threads=True`)", [bench, path, "all", "plain"], "1", False),
        ("one thread, low-cardinality text kept as dictionaries (pyarrow `read_dictionary`)", [bench, path, "1"], "0", True),
        ("all cores, low-cardinality text kept as dictionaries (pyarrow `read_dictionary`)", [bench, path, "all"], "1", True),
    ]
    kept = json.dumps(measure([bench, path, "1"])["dictionary_columns"])
    ours = {label: [] for label, *_ in modes}
    theirs = {label: [] for label, *_ in modes}
    for _ in range(args.rounds):
        for label, command, threads, dictionary in modes:
            ours[label].append(measure(command))
            extra = [kept] if dictionary else []
            theirs[label].append(measure([sys.executable, "-c", PYARROW, path, threads] + extra))
    rows = ours[modes[0][0]][0]["rows"]
    print(f"lineitem SF1: {rows:,} rows, {os.path.getsize(path) / 2**20:.0f} MiB; {args.rounds} alternating rounds (median)\n")
    print("| mode | ParquetKit s | pyarrow s | ratio (ours / pyarrow) | ParquetKit peak RSS MiB | pyarrow peak RSS MiB |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, *_ in modes:
        o = median([r["seconds"] for r in ours[label]])
        p = median([r["seconds"] for r in theirs[label]])
        om = max(r["max_rss_mib"] for r in ours[label])
        pm = max(r["max_rss_mib"] for r in theirs[label])
        print(f"| {label} | {o:.2f} | {p:.2f} | {o / p:.2f} | {om:.0f} | {pm:.0f} |")
    print(f"\ncolumns kept dictionary-encoded in the last two rows: {', '.join(json.loads(kept)) or 'none'}")

if __name__ == "__main__":
    main()
