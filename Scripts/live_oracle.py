#!/usr/bin/env python3
"""Upserts, UPDATE, DELETE and MERGE INTO against an independent oracle: the same random operations run on
a lakehouse table (through the `lakehouse` CLI) and replayed in DuckDB over the same data. After
every operation, and again for every version by time travel at the end, the table's rows must be
DuckDB's. Compactions run in between (they change no row); at the end DuckDB's delta extension
reads the compacted table and gets the same rows.

Usage: live_oracle.py --lakehouse PATH [--steps 40] [--seed N]   (run with the peers venv's python)
"""
import argparse, csv, glob, json, os, random, subprocess, sys, tempfile, time

import duckdb

parser = argparse.ArgumentParser()
parser.add_argument("--lakehouse", required=True)
parser.add_argument("--steps", type=int, default=40)
parser.add_argument("--seed", type=int, default=int(time.time()))
args = parser.parse_args()
random.seed(args.seed)
work = tempfile.mkdtemp(prefix="lakehouse-oracle-")
root = os.path.join(work, "lake")
print(f"live oracle: root {root}, seed {args.seed}")
CITIES = ["Chicago", "Denver", "Austin", "Boston"]


def lakehouse(*arguments):
    result = subprocess.run([args.lakehouse, *arguments, "--root", root], capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"FAIL: lakehouse {' '.join(arguments)}: {result.stderr}")
    return result.stdout


def write_csv(path, rows):
    with open(path, "w", newline="") as f:
        out = csv.writer(f)
        out.writerow(["id", "name", "city", "score"])
        out.writerows(rows)


def random_row(key, tag):
    return (key, f"{tag}-{key}", random.choice(CITIES), round(random.uniform(0, 100), 2) + 0.25)


def normal(rows):
    return sorted((int(r[0]), r[1], r[2], round(float(r[3]), 6)) for r in rows)


def ours(version=None):
    at = f" AS OF VERSION {version}" if version is not None else ""
    out = lakehouse("sql", "--format", "jsonl", f"SELECT id, name, city, score FROM people{at}")
    return normal([(r["id"], r["name"], r["city"], r["score"]) for r in map(json.loads, filter(str.strip, out.splitlines()))])


def table_version():
    logs = glob.glob(os.path.join(root, "tables", "people-*", "_delta_log", "*.json"))
    return max(int(os.path.basename(p)[:20]) for p in logs)


duck = duckdb.connect()
duck.execute("CREATE TABLE people (id BIGINT PRIMARY KEY, name VARCHAR, city VARCHAR, score DOUBLE)")
columns = "{'id': 'BIGINT', 'name': 'VARCHAR', 'city': 'VARCHAR', 'score': 'DOUBLE'}"


def theirs():
    return normal(duck.execute("SELECT id, name, city, score FROM people").fetchall())


base = os.path.join(work, "base.csv")
write_csv(base, [random_row(k, "base") for k in range(200)])
lakehouse("ingest", base, "--table", "people")
duck.execute(f"INSERT INTO people SELECT * FROM read_csv('{base}', header = true, columns = {columns})")
next_key = 200
failures = []
versions = [(table_version(), theirs())]
counts = {"upsert": 0, "update": 0, "delete": 0, "delete-key": 0, "merge": 0, "compact": 0}
for step in range(args.steps):
    kind = random.choices(["upsert", "update", "delete", "merge", "compact"], weights=[5, 2, 2, 3, 1])[0]
    counts[kind] += 1
    if kind == "upsert":
        existing = [r[0] for r in duck.execute("SELECT id FROM people").fetchall()]
        keys = random.sample(existing, min(len(existing), random.randint(0, 6)))
        fresh = list(range(next_key, next_key + random.randint(0, 4)))
        next_key += len(fresh)
        if not keys and not fresh:
            fresh, next_key = [next_key], next_key + 1
        path = os.path.join(work, f"upsert{step}.csv")
        write_csv(path, [random_row(k, f"s{step}") for k in keys + fresh])
        lakehouse("upsert", path, "--table", "people", "--key", "id")
        duck.execute(f"INSERT OR REPLACE INTO people SELECT * FROM read_csv('{path}', header = true, columns = {columns})")
    elif kind == "update":
        city = random.choice(CITIES)
        delta = random.randint(1, 9)
        sql = f"UPDATE people SET score = score + {delta}, name = name || '+' WHERE city = '{city}' AND score < {random.randint(20, 90)}"
        lakehouse("sql", sql)
        duck.execute(sql)
    elif kind == "delete":
        if random.random() < 0.5:
            sql = f"DELETE FROM people WHERE score < {random.uniform(0, 8):.2f}"
        else:
            counts["delete-key"] += 1
            ids = [r[0] for r in duck.execute("SELECT id FROM people USING SAMPLE 3 ROWS").fetchall()] or [-1]
            sql = f"DELETE FROM people WHERE id IN ({', '.join(map(str, ids))})"
        lakehouse("sql", sql)
        duck.execute(sql)
    elif kind == "merge":
        existing = [r[0] for r in duck.execute("SELECT id FROM people").fetchall()]
        keys = random.sample(existing, min(len(existing), random.randint(0, 5)))
        fresh = list(range(next_key, next_key + random.randint(0, 3)))
        next_key += len(fresh)
        rows = []
        for k in keys + fresh:
            _, name, city, score = random_row(k, f"m{step}")
            rows.append(f"({k}, '{name}', '{city}', CAST({score} AS DOUBLE), '{random.choice('UUD')}')")
        if not rows:
            rows.append(f"({next_key}, 'm{step}', 'Austin', CAST(1.5 AS DOUBLE), 'U')")
            next_key += 1
        sql = (f"MERGE INTO people AS p USING (VALUES {', '.join(rows)}) AS s(id, name, city, score, op) ON p.id = s.id "
               f"WHEN MATCHED AND s.op = 'D' THEN DELETE "
               f"WHEN MATCHED AND p.city = s.city THEN DO NOTHING "
               f"WHEN MATCHED THEN UPDATE SET name = s.name, score = p.score + s.score "
               f"WHEN NOT MATCHED AND s.op <> 'D' THEN INSERT VALUES (s.id, s.name, s.city, s.score)")
        lakehouse("sql", sql)
        duck.execute(sql)
    else:
        lakehouse("compact", "people")
    now = ours()
    if now != theirs():
        failures.append(f"step {step} ({kind}): {len(now)} rows here, {len(theirs())} in DuckDB")
    versions.append((table_version(), theirs()))

# Time travel: every version reads what DuckDB held after that step.
for version, rows in versions:
    if ours(version) != rows:
        failures.append(f"version {version} differs from DuckDB's state then")

# Compacted, the table reads the same in DuckDB's delta extension.
lakehouse("compact", "people")
site = glob.glob(os.path.join(sys.prefix, "lib", "python*", "site-packages"))[0]
reader = duckdb.connect(config={"autoinstall_known_extensions": False, "allow_unsigned_extensions": True})
reader.execute(f"LOAD '{site}/duckdb_extension_delta/extensions/v1.5.5/delta.duckdb_extension'")
location = glob.glob(os.path.join(root, "tables", "people-*"))[0]
scanned = normal(reader.execute(f"SELECT id, name, city, score FROM delta_scan('{location}')").fetchall())
if scanned != theirs():
    failures.append(f"after compaction DuckDB's delta_scan reads {len(scanned)} rows, the oracle holds {len(theirs())}")

print(f"live oracle: {args.steps} steps {counts}, {len(versions)} versions compared, {len(theirs())} rows at the end")
for f in failures:
    print("FAIL:", f)
sys.exit(1 if failures else 0)
