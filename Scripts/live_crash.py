#!/usr/bin/env python3
"""Crash safety of upserts and compaction: SIGKILLs `lakehouse upsert` and `lakehouse compact` at
random points (200 trials by default), then checks that the table is exactly the replay of the
upserts that committed: every acknowledged upsert is there, each upsert is there whole (it
changes two keys: one without the other would be a partial commit), no row is lost or
duplicated, and DuckDB's delta extension reads the same rows.

Usage: live_crash.py --lakehouse PATH [--runs 200] [--seed N]   (run with the peers venv's python)
"""
import argparse, csv, glob, json, os, random, signal, statistics, subprocess, sys, tempfile, time

parser = argparse.ArgumentParser()
parser.add_argument("--lakehouse", required=True)
parser.add_argument("--runs", type=int, default=200)
parser.add_argument("--keys", type=int, default=50)
parser.add_argument("--seed", type=int, default=int(time.time()))
args = parser.parse_args()
random.seed(args.seed)
work = tempfile.mkdtemp(prefix="lakehouse-live-crash-")
root = os.path.join(work, "lake")
print(f"live crash test: root {root}, seed {args.seed}")


def lakehouse(*arguments, check=True):
    result = subprocess.run([args.lakehouse, *arguments, "--root", root], capture_output=True, text=True)
    if check and result.returncode != 0:
        sys.exit(f"FAIL: lakehouse {' '.join(arguments)}: {result.stderr}")
    return result


def write_csv(path, rows):
    with open(path, "w", newline="") as f:
        out = csv.writer(f)
        out.writerow(["id", "stamp", "note"])
        out.writerows(rows)


# The table: keys 0..keys-1, stamp -1 (no upsert yet).
base = os.path.join(work, "base.csv")
write_csv(base, [(k, -1, "base") for k in range(args.keys)])
lakehouse("ingest", base, "--table", "t")

# Upsert i sets stamp i on two distinct keys.
touched = {}


def upsert_file(i):
    a, b = random.sample(range(args.keys), 2)
    touched[i] = (a, b)
    path = os.path.join(work, f"u{i}.csv")
    write_csv(path, [(a, i, f"u{i}"), (b, i, f"u{i}")])
    return path


durations = []
acked = set()
for i in range(5):
    path = upsert_file(i)
    start = time.monotonic()
    lakehouse("upsert", path, "--table", "t", "--key", "id")
    durations.append(time.monotonic() - start)
    acked.add(i)
typical = statistics.median(durations)
attempted = set(acked)
killed = 0
compactions = 0
for i in range(5, 5 + args.runs):
    compact = random.random() < 0.2
    if compact:
        command = [args.lakehouse, "compact", "t", "--root", root]
        compactions += 1
    else:
        attempted.add(i)
        command = [args.lakehouse, "upsert", upsert_file(i), "--table", "t", "--root", root]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(random.uniform(typical * 0.3, typical * 1.3))
    if process.poll() is None:
        process.send_signal(signal.SIGKILL)
        killed += 1
    out, err = process.communicate()
    if process.returncode == 0 and not compact:
        acked.add(i)
    elif process.returncode not in (0, -signal.SIGKILL):
        sys.exit(f"FAIL: {' '.join(command)} failed without being killed: {err.decode()}")

failures = []


def table_rows():
    result = lakehouse("sql", "--format", "jsonl", "SELECT id, stamp, note FROM t")
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


rows = table_rows()
ids = [r["id"] for r in rows]
if sorted(ids) != list(range(args.keys)):
    failures.append(f"{len(rows)} rows, {len(set(ids))} distinct keys; expected {args.keys}")
stamps = {r["id"]: r["stamp"] for r in rows}
# The upserts that committed: those whose stamp is visible, plus every acknowledged one.
committed = {s for s in stamps.values() if s >= 0} | acked
if not committed <= attempted:
    failures.append(f"stamps never written: {sorted(committed - attempted)[:10]}")
model = {k: -1 for k in range(args.keys)}
for i in sorted(committed):
    for key in touched[i]:
        model[key] = i
if model != stamps:
    wrong = [k for k in model if model[k] != stamps.get(k)]
    failures.append(f"not the replay of the committed upserts (a partial or lost upsert): keys {wrong[:10]}")
for r in rows:
    want = "base" if r["stamp"] == -1 else f"u{r['stamp']}"
    if r["note"] != want:
        failures.append(f"row {r} has a mixed version")
        break

# The table still takes writes and compacts, and DuckDB reads what we read.
lakehouse("upsert", upsert_file(10_000), "--table", "t")
lakehouse("compact", "t")
for key in touched[10_000]:
    stamps[key] = 10_000
import duckdb
site = glob.glob(os.path.join(sys.prefix, "lib", "python*", "site-packages"))[0]
con = duckdb.connect(config={"autoinstall_known_extensions": False, "allow_unsigned_extensions": True})
con.execute(f"LOAD '{site}/duckdb_extension_delta/extensions/v1.5.5/delta.duckdb_extension'")
location = glob.glob(os.path.join(root, "tables", "t-*"))[0]
duck = dict(con.execute(f"SELECT id, stamp FROM delta_scan('{location}')").fetchall())
ours = {r["id"]: r["stamp"] for r in table_rows()}
if duck != ours or ours != stamps:
    failures.append(f"after compaction DuckDB reads {len(duck)} rows, we {len(ours)} (equal: {duck == ours})")

print(f"live crash test: {args.runs} trials ({compactions} compactions), {killed} killed, {len(acked)} upserts acknowledged, "
      f"{len(committed)} committed")
for f in failures:
    print("FAIL:", f)
sys.stdout.flush()
os._exit(1 if failures else 0)
