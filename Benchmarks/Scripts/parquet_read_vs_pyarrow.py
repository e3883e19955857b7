#!/usr/bin/env python3
"""ParquetKit's reader side by side with pyarrow.parquet.read_table on TPC-H SF1 lineitem.

Generates lineitem with tpchgen-cli when missing, then decodes all columns into memory: ours
(release build) on one thread and with columns decoded on all cores, pyarrow with
use_threads=False and True. Each engine runs in its own process so peak memory (max RSS) is its
own. Alternating rounds; medians.

    pip install pyarrow tpchgen-cli
    python3 Benchmarks/Scripts/parquet_read_vs_pyarrow.py [--rounds 3]
"""
import argparse, json, os, subprocess, sys

here = os.path.dirname(os.path.abspath(__file__))
bench_root = os.path.dirname(here)

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


def median(values):
    values = sorted(values)
    return values[len(values) // 2]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--data", default=os.path.join(bench_root, "data", "tpch-sf1"))
    args = parser.parse_args()
    path = os.path.join(args.data, "lineitem.parquet")
    if not os.path.exists(path):
        os.makedirs(args.data, exist_ok=True)
        subprocess.run(["tpchgen-cli", "parquet", "-s", "1", "--tables=lineitem",
                        f"--output-dir={args.data}"], check=True)
    subprocess.run(["swift", "build", "-c", "release", "--package-path", bench_root, "--product", "ParquetReadBenchmark"],
                   check=True, stdout=subprocess.DEVNULL)
    binary = subprocess.run(["swift", "build", "-c", "release", "--package-path", bench_root, "--show-bin-path"],
                            check=True, capture_output=True, text=True).stdout.strip()
    ours, ours_all, single, multi, single_dict, multi_dict = [], [], [], [], [], []
    for _ in range(args.rounds):
        ours.append(measure([os.path.join(binary, "ParquetReadBenchmark"), path, "1"]))
        ours_all.append(measure([os.path.join(binary, "ParquetReadBenchmark"), path, "all"]))
        kept = json.dumps(ours[-1]["dictionary_columns"])
        single.append(measure([sys.executable, "-c", PYARROW, path, "0"]))
        multi.append(measure([sys.executable, "-c", PYARROW, path, "1"]))
        # The same columns kept dictionary-encoded, as ours returns them.
        single_dict.append(measure([sys.executable, "-c", PYARROW, path, "0", kept]))
        multi_dict.append(measure([sys.executable, "-c", PYARROW, path, "1", kept]))
    o, oa, s, m = (median([r["seconds"] for r in x]) for x in (ours, ours_all, single, multi))
    om, oam, sm, mm = (max(r["max_rss_mib"] for r in x) for x in (ours, ours_all, single, multi))
    rows = ours[0]["rows"]
    print(f"lineitem SF1: {rows:,} rows, {os.path.getsize(path) / 2**20:.0f} MiB; {args.rounds} alternating rounds (median)\n")
    print("| mode | ParquetKit s | pyarrow s | ratio (ours / pyarrow) | ParquetKit peak RSS MiB | pyarrow peak RSS MiB |")
    print("|---|---:|---:|---:|---:|---:|")
    print(f"| one thread (`use_threads=False`) | {o:.2f} | {s:.2f} | {o / s:.2f} | {om:.0f} | {sm:.0f} |")
    print(f"| all cores (`use_threads=True`) | {oa:.2f} | {m:.2f} | {oa / m:.2f} | {oam:.0f} | {mm:.0f} |")
    sd, md = (median([r["seconds"] for r in x]) for x in (single_dict, multi_dict))
    sdm, mdm = (max(r["max_rss_mib"] for r in x) for x in (single_dict, multi_dict))
    print(f"| one thread, pyarrow `read_dictionary` = our dictionary columns | {o:.2f} | {sd:.2f} | {o / sd:.2f} | {om:.0f} | {sdm:.0f} |")
    print(f"| all cores, pyarrow `read_dictionary` = our dictionary columns | {oa:.2f} | {md:.2f} | {oa / md:.2f} | {oam:.0f} | {mdm:.0f} |")
    print(f"\ncolumns ParquetKit returned dictionary-encoded: {', '.join(ours[0]['dictionary_columns']) or 'none'}")


if __name__ == "__main__":
    main()
