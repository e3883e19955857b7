#!/usr/bin/env python3
"""ColumnarCore kernels side by side with pyarrow.compute, single-threaded, in one run.

Writes identical inputs (10M int64, 10M short strings, a 50% mask) to a data folder, times the
Swift kernels (release build of Benchmarks/KernelBenchmarks) and the matching pyarrow.compute
calls, and prints a Markdown table of medians and ratios (ours / pyarrow; below 1 is faster).
The two engines are measured in alternating rounds so that drift in the machine's speed during
the run affects both alike; each median is over all samples of all rounds.

    python3 Benchmarks/Scripts/kernels_vs_pyarrow.py [--rows N] [--runs R] [--rounds K]
"""
import argparse, json, os, subprocess, sys, time
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

here = os.path.dirname(os.path.abspath(__file__))
bench_root = os.path.dirname(here)

def samples_ms(fn, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return times


def median(values):
    values = sorted(values)
    return values[len(values) // 2]

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--runs", type=int, default=5, help="samples per operation per round")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds of ours and pyarrow")
    parser.add_argument("--data", default=os.path.join(bench_root, "data", "kernels"))
    args = parser.parse_args()
    os.makedirs(args.data, exist_ok=True)

    rng = np.random.default_rng(20261125)
    n = args.rows
    ints = rng.integers(-2**62, 2**62, n, dtype=np.int64)
    # Short strings: 'c' + 7 digits, 2.5M distinct values (each appears ~4 times).
    keys = rng.integers(0, n // 4, n)
    strs = pa.array(np.char.add("c", np.char.zfill(keys.astype(str), 7)).astype(object), type=pa.string())
    mask = rng.random(n) < 0.5
    ints.tofile(os.path.join(args.data, "ints.i64"))
    mask.astype(np.uint8).tofile(os.path.join(args.data, "mask.u8"))
    bufs = strs.buffers()
    np.frombuffer(bufs[1], dtype=np.int32, count=n + 1).tofile(os.path.join(args.data, "strs.offsets"))
    offsets = np.frombuffer(bufs[1], dtype=np.int32, count=n + 1)
    np.frombuffer(bufs[2], dtype=np.uint8, count=int(offsets[-1])).tofile(os.path.join(args.data, "strs.bytes"))

    subprocess.run(["swift", "build", "-c", "release", "--package-path", bench_root, "--product", "KernelBenchmarks"],
                   check=True, stdout=subprocess.DEVNULL)
    binary = subprocess.run(["swift", "build", "-c", "release", "--package-path", bench_root, "--show-bin-path"],
                            check=True, capture_output=True, text=True).stdout.strip()
    pa.set_cpu_count(1)
    pa.set_io_thread_count(1)
    ia = pa.array(ints)
    ma = pa.array(mask)
    slow = max(1, args.runs // 2)
    peer_calls = {
        "int64.sum": (lambda: pc.sum(ia), args.runs),
        "int64.filter": (lambda: pc.filter(ia, ma), args.runs),
        "int64.group_ids": (lambda: pc.dictionary_encode(ia), slow),
        "int64.sort": (lambda: pc.sort_indices(ia), slow),
        "string.min_max": (lambda: pc.min_max(strs), args.runs),
        "string.filter": (lambda: pc.filter(strs, ma), args.runs),
        "string.group_ids": (lambda: pc.dictionary_encode(strs), slow),
        "string.sort": (lambda: pc.sort_indices(strs), slow),
    }
    ours, theirs = {}, {}
    for _ in range(args.rounds):
        out = subprocess.run([os.path.join(binary, "KernelBenchmarks"), args.data, str(args.runs)],
                             check=True, capture_output=True, text=True).stdout
        for line in out.splitlines():
            if line.startswith("{"):
                record = json.loads(line)
                ours.setdefault(record["op"], []).extend(record["samples_ms"])
        for op, (fn, runs) in peer_calls.items():
            theirs.setdefault(op, []).extend(samples_ms(fn, runs))
    ours = {op: median(values) for op, values in ours.items()}
    theirs = {op: median(values) for op, values in theirs.items()}
    peers = {
        "int64.sum": "pc.sum", "int64.filter": "pc.filter", "int64.hash": "(no pyarrow kernel)",
        "int64.group_ids": "pc.dictionary_encode", "int64.sort": "pc.sort_indices",
        "string.min_max": "pc.min_max", "string.filter": "pc.filter", "string.hash": "(no pyarrow kernel)",
        "string.group_ids": "pc.dictionary_encode", "string.sort": "pc.sort_indices",
    }
    print(f"rows: {n:,}; {args.rounds} alternating rounds × {args.runs} samples (median); "
          f"pyarrow {pa.__version__}, 1 thread; LakehouseKit 1 thread\n")
    print("| operation | LakehouseKit ms | pyarrow call | pyarrow ms | ratio |")
    print("|---|---:|---|---:|---:|")
    for op, ms in ours.items():
        peer = theirs.get(op)
        ratio = f"{ms / peer:.2f}" if peer else "–"
        peer_ms = f"{peer:.1f}" if peer else "–"
        print(f"| {op} | {ms:.1f} | `{peers[op]}` | {peer_ms} | {ratio} |")

if __name__ == "__main__":
    main()
