#!/usr/bin/env python3
"""ParquetKit's writer side by side with pyarrow.parquet.write_table on TPC-H SF1 lineitem.

Both engines first read lineitem into memory (untimed; text decoded to plain strings), then
write it with SNAPPY and with ZSTD at the same settings (dictionary on, 1 MiB pages, data page
v1, row groups of 1,048,576 rows, statistics on). Each run is its own process; alternating
rounds; medians of time, and the file sizes. Finally pyarrow reads ParquetKit's output and
checks every value equals the original (Table.equals).

    pip install pyarrow tpchgen-cli
    python3 Benchmarks/Scripts/parquet_write_vs_pyarrow.py [--rounds 3]
"""
import argparse, json, os, subprocess, sys, tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lineitem_common import build, default_data, lineitem, median  # noqa: E402

PYARROW = """
import sys, time, json, os, pyarrow.parquet as pq
table = pq.read_table(sys.argv[1])
start = time.perf_counter()
# ZSTD at level 3, ParquetKit's default (pyarrow's own default is 1).
level = 3 if sys.argv[3] == "zstd" else None
pq.write_table(table, sys.argv[2], compression=sys.argv[3], compression_level=level, use_dictionary=True, data_page_size=1 << 20,
               row_group_size=1 << 20, data_page_version="1.0", write_statistics=True)
print(json.dumps({"seconds": time.perf_counter() - start, "bytes": os.path.getsize(sys.argv[2])}))
"""


def run(command):
    proc = subprocess.run(command, check=True, capture_output=True, text=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--data", default=default_data)
    args = parser.parse_args()
    source = lineitem(args.data)
    ours_tool = build("ParquetWriteBenchmark")
    out = tempfile.mkdtemp()
    results = {}
    for _ in range(args.rounds):
        for codec in ("snappy", "zstd"):
            results.setdefault(("ours", codec), []).append(run([ours_tool, source, os.path.join(out, f"ours-{codec}.parquet"), codec]))
            results.setdefault(("serial", codec), []).append(
                run([ours_tool, source, os.path.join(out, f"serial-{codec}.parquet"), codec, "serial"]))
            results.setdefault(("pyarrow", codec), []).append(
                run([sys.executable, "-c", PYARROW, source, os.path.join(out, f"pyarrow-{codec}.parquet"), codec]))
    import pyarrow.parquet as pq
    original = pq.read_table(source)
    for codec in ("snappy", "zstd"):
        written = pq.read_table(os.path.join(out, f"ours-{codec}.parquet"))
        # tpchgen's file asks (in its ARROW:schema) for string_view text; ParquetKit's file holds
        # plain STRING columns, which pyarrow reads as `string`: compare values, not view types.
        if not written.cast(original.schema).equals(original):
            raise SystemExit(f"pyarrow reads different values from ParquetKit's {codec} file")
    print(f"lineitem SF1: {original.num_rows:,} rows; {args.rounds} alternating rounds (median)\n")
    print("| codec | ParquetKit s (all cores) | ParquetKit s (one core) | pyarrow s | time ratio (all / one core) | ParquetKit MiB | pyarrow MiB | size ratio |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for codec in ("snappy", "zstd"):
        o = median([r["seconds"] for r in results[("ours", codec)]])
        s1 = median([r["seconds"] for r in results[("serial", codec)]])
        p = median([r["seconds"] for r in results[("pyarrow", codec)]])
        ob = results[("ours", codec)][-1]["bytes"]
        pb = results[("pyarrow", codec)][-1]["bytes"]
        print(f"| {codec.upper()} | {o:.2f} | {s1:.2f} | {p:.2f} | {o / p:.2f} / {s1 / p:.2f} | {ob / 2**20:.1f} | {pb / 2**20:.1f} | {ob / pb:.3f} |")
    print("\npyarrow reads both ParquetKit files back equal to the original table (Table.equals after casting "
          "`string` to the original's `string_view`).")


if __name__ == "__main__":
    main()
