#!/usr/bin/env python3
"""Crash safety of commits: SIGKILLs a `lakehouse sql INSERT` writer at random points, 200 times,
then checks that every acknowledged commit is in the table, nothing partial is visible, and that
DuckDB (1.5.5, delta extension) and delta-rs read the same rows as we do.

Usage: delta_crash.py --lakehouse PATH [--runs 200] [--seed N]   (run with the peers venv's python)
"""
import argparse, glob, json, os, random, signal, statistics, subprocess, sys, tempfile, time

parser = argparse.ArgumentParser()
parser.add_argument("--lakehouse", required=True)
parser.add_argument("--runs", type=int, default=200)
parser.add_argument("--seed", type=int, default=int(time.time()))
args = parser.parse_args()
random.seed(args.seed)
root = tempfile.mkdtemp(prefix="lakehouse-crash-")
print(f"crash test: root {root}, seed {args.seed}")


def run(sql, check=True):
    result = subprocess.run([args.lakehouse, "sql", "--root", root, "--format", "jsonl", sql], capture_output=True, text=True)
    if check and result.returncode != 0:
        sys.exit(f"FAIL: {sql}: {result.stderr}")
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def insert_sql(i):
    # Two rows per commit: a partial commit would show one without the other.
    return f"INSERT INTO t VALUES ({i}, 'row{i}', {i}.5), ({i + 100000}, 'twin{i}', {i}.25)"


run("CREATE TABLE t (id BIGINT, name VARCHAR, score DOUBLE)")
# How long one writer runs, to spread the kills over its whole life (start, read, write, commit).
durations = []
acked = set()
for i in range(5):
    start = time.monotonic()
    run(insert_sql(i))
    durations.append(time.monotonic() - start)
    acked.add(i)
typical = statistics.median(durations)
attempted = set(acked)
killed = 0
for i in range(5, 5 + args.runs):
    attempted.add(i)
    writer = subprocess.Popen([args.lakehouse, "sql", "--root", root, "--format", "jsonl", insert_sql(i)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(random.uniform(typical * 0.4, typical * 1.3))
    if writer.poll() is None:
        writer.send_signal(signal.SIGKILL)
        killed += 1
    out, err = writer.communicate()
    if writer.returncode == 0 and b"Count" in out:
        acked.add(i)
    elif writer.returncode not in (0, -signal.SIGKILL):
        sys.exit(f"FAIL: writer {i} failed without being killed: {err.decode()}")

rows = run("SELECT id, name, score FROM t")
ids = [r["id"] for r in rows]
failures = []
if len(ids) != len(set(ids)):
    failures.append("duplicate rows")
present = {i for i in ids if i < 100000}
twins = {i - 100000 for i in ids if i >= 100000}
if present != twins:
    failures.append(f"partial commits visible: {sorted(present ^ twins)[:10]}")
if not acked <= present:
    failures.append(f"acknowledged commits missing: {sorted(acked - present)[:10]}")
if not present <= attempted:
    failures.append("rows that were never written")
for r in rows:
    i = r["id"]
    want = (f"row{i}", i + 0.5) if i < 100000 else (f"twin{i - 100000}", i - 100000 + 0.25)
    if (r["name"], r["score"]) != want:
        failures.append(f"row {i} is {r}")
        break

# A new writer still commits after all the kills.
run(insert_sql(999))
present.add(999)

import duckdb, deltalake
site = glob.glob(os.path.join(sys.prefix, "lib", "python*", "site-packages"))[0]
con = duckdb.connect(config={"autoinstall_known_extensions": False, "allow_unsigned_extensions": True})
con.execute(f"LOAD '{site}/duckdb_extension_delta/extensions/v1.5.5/delta.duckdb_extension'")
location = glob.glob(os.path.join(root, "tables", "t-*"))[0]
duck = sorted(row[0] for row in con.execute(f"SELECT id FROM delta_scan('{location}') WHERE id < 100000").fetchall())
if duck != sorted(present):
    failures.append(f"DuckDB reads {len(duck)} commits, we {len(present)}")
rs = sorted(i for i in deltalake.DeltaTable(location).to_pyarrow_table(columns=["id"]).column("id").to_pylist() if i < 100000)
if rs != sorted(present):
    failures.append(f"delta-rs reads {len(rs)} commits, we {len(present)}")

print(f"crash test: {args.runs} writers, {killed} killed, {len(acked)} acknowledged, {len(present)} commits visible")
for f in failures:
    print("FAIL:", f)
sys.stdout.flush()
os._exit(1 if failures else 0)
