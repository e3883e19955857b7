#!/usr/bin/env python3
"""Interop check of ParquetKit's writer, run by .ci/run after the Swift tests.

The tests write files into .build/interop/ (every type, codec, page version and dictionary
choice, nested included), each with FILE.jsonl: its rows in the canonical JSON form of
../shared/parquet-corpus/README.md as ParquetKit reads them. This script reads every file with
pyarrow and with DuckDB, renders their values in the same canonical form (its own code, below),
and compares structurally. It also checks that pyarrow sees the statistics ParquetKit wrote and
prunes row groups with them.

    pip install pyarrow duckdb
    python3 Scripts/interop_check.py [.build/interop]

Exits non-zero on the first disagreement, printing it.
"""
import json, math, os, subprocess, sys
from decimal import Decimal

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq

LIMIT = 9007199254740991


def civil(days):
    """Proleptic Gregorian (year, month, day) of days since 1970-01-01."""
    z = days + 719468
    era = z // 146097  # floor division: exact for negative days too
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    return (y + 1 if m <= 2 else y), m, d


def date_text(days):
    y, m, d = civil(days)
    year = ("-%04d" % -y) if y < 0 else ("+%04d" % y if y > 9999 else "%04d" % y)
    return "%s-%02d-%02d" % (year, m, d)


DIGITS = {"s": 0, "ms": 3, "us": 6, "ns": 9}
PER_SECOND = {"s": 1, "ms": 1000, "us": 1000000, "ns": 1000000000}


def time_text(ticks, unit):
    per = PER_SECOND[unit]
    seconds = ticks // per
    text = "%02d:%02d:%02d" % (seconds // 3600, seconds // 60 % 60, seconds % 60)
    if unit != "s":
        text += "." + str(ticks % per).rjust(DIGITS[unit], "0")
    return text


def number(v):
    return v if -LIMIT <= v <= LIMIT else str(v)


def floating(v):
    if v is None:
        return None
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    return v


def decimal_text(d, scale):
    sign, digits, exponent = d.as_tuple()
    unscaled = int("".join(map(str, digits)) or "0") * (10 ** (exponent + scale))
    text = str(unscaled).rjust(scale + 1, "0")
    body = text if scale == 0 else text[:-scale] + "." + text[-scale:]
    return ("-" if sign and unscaled != 0 else "") + body


def canon(arr):
    """Canonical JSON values of every row of an Arrow array (null → None)."""
    t = arr.type
    valid = arr.is_valid().to_pylist()
    if pa.types.is_boolean(t) or pa.types.is_integer(t):
        return [None if v is None else (v if isinstance(v, bool) else number(v)) for v in arr.to_pylist()]
    if pa.types.is_floating(t):
        return [floating(v) for v in arr.to_pylist()]
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        return arr.to_pylist()
    if pa.types.is_dictionary(t):
        return canon(arr.dictionary_decode())
    if hasattr(t, "extension_name"):
        values = canon(arr.storage)
        if t.extension_name == "arrow.uuid":
            return [None if v is None else "-".join([v[:8], v[8:12], v[12:16], v[16:20], v[20:]]) for v in values]
        return values
    if pa.types.is_binary(t) or pa.types.is_large_binary(t) or pa.types.is_fixed_size_binary(t):
        return [None if v is None else v.hex() for v in arr.to_pylist()]
    if pa.types.is_decimal(t):
        return [None if v is None else decimal_text(v, t.scale) for v in arr.to_pylist()]
    if pa.types.is_date32(t):
        return [None if v is None else date_text(v) for v in arr.cast(pa.int32()).to_pylist()]
    if pa.types.is_time(t):
        storage = pa.int32() if pa.types.is_time32(t) else pa.int64()
        return [None if v is None else time_text(v, t.unit) for v in arr.cast(storage).to_pylist()]
    if pa.types.is_timestamp(t):
        out = []
        per_day = 86400 * PER_SECOND[t.unit]
        for v in arr.cast(pa.int64()).to_pylist():
            if v is None:
                out.append(None)
                continue
            days, rest = divmod(v, per_day)
            out.append(date_text(days) + "T" + time_text(rest, t.unit) + ("Z" if t.tz is not None else ""))
        return out
    if pa.types.is_map(t):
        keys, items = canon(arr.keys), canon(arr.items)
        offsets = arr.offsets.to_pylist()
        return [[[keys[k], items[k]] for k in range(offsets[i], offsets[i + 1])] if valid[i] else None for i in range(len(arr))]
    if pa.types.is_list(t) or pa.types.is_large_list(t):
        child = canon(arr.values)
        offsets = arr.offsets.to_pylist()
        return [child[offsets[i]:offsets[i + 1]] if valid[i] else None for i in range(len(arr))]
    if pa.types.is_fixed_size_list(t):
        child = canon(arr.values)
        size = t.list_size
        start = arr.offset * size
        return [child[start + i * size:start + (i + 1) * size] if valid[i] else None for i in range(len(arr))]
    if pa.types.is_struct(t):
        children = [canon(arr.field(k)) for k in range(t.num_fields)]
        names = [t.field(k).name for k in range(t.num_fields)]
        return [{n: c[i] for n, c in zip(names, children)} if valid[i] else None for i in range(len(arr))]
    raise SystemExit(f"no canonical form for Arrow type {t}")


def rows(table):
    table = table.combine_chunks()
    columns = [canon(table.column(k).chunk(0) if table.column(k).num_chunks else pa.array([], table.schema.field(k).type))
               for k in range(table.num_columns)]
    names = table.schema.names
    return [{n: c[i] for n, c in zip(names, columns)} for i in range(table.num_rows)]


def same(a, b):
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        if isinstance(a, float) or isinstance(b, float):
            return float(a) == float(b) and math.copysign(1, float(a)) == math.copysign(1, float(b))
        return a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return a == b


FRACTION = __import__("re").compile(r"^(.*\d\d:\d\d:\d\d)(?:\.(\d+))?(Z?)$")


def unit_free(value):
    """Temporal text with the fraction's trailing zeros dropped: DuckDB returns millisecond
    columns as microseconds, which changes the digits but not the instant."""
    if isinstance(value, list):
        return [unit_free(v) for v in value]
    if isinstance(value, dict):
        return {k: unit_free(v) for k, v in value.items()}
    if isinstance(value, str):
        match = FRACTION.match(value)
        if match:
            fraction = (match.group(2) or "").rstrip("0")
            return match.group(1) + ("." + fraction if fraction else "") + match.group(3)
    return value


def compare(label, ours, theirs, skip=(), normalise=lambda v: v):
    if len(ours) != len(theirs):
        raise SystemExit(f"{label}: {len(theirs)} rows, ParquetKit wrote {len(ours)}")
    for i, (a, b) in enumerate(zip(ours, theirs)):
        for k in a:
            if k in skip:
                continue
            if not same(normalise(a[k]), normalise(b.get(k))):
                raise SystemExit(f"{label} row {i} column {k}:\n  wrote {json.dumps(a[k])}\n  read  {json.dumps(b.get(k))}")


# What DuckDB cannot represent exactly, by column (checked with pyarrow only).
DUCKDB_SKIP = {
    "d60": "DuckDB reads DECIMAL with precision > 38 as DOUBLE",
    "t_ns": "DuckDB's TIME holds microseconds, so TIME(NANOS) loses its last 3 digits",
}


def check_statistics(path):
    """Row-group min/max/null counts of flat columns as pyarrow reports them vs the values."""
    meta = pq.ParquetFile(path).metadata
    table = pq.ParquetFile(path)
    checked = 0
    for g in range(meta.num_row_groups):
        group = table.read_row_group(g)
        for c in range(meta.num_columns):
            column = meta.row_group(g).column(c)
            name = column.path_in_schema
            if "." in name or name not in group.schema.names:
                continue
            values = group.column(name)
            t = values.type
            stats = column.statistics
            if stats is None:
                raise SystemExit(f"{path}: row group {g} column {name} has no statistics")
            if stats.null_count != values.null_count:
                raise SystemExit(f"{path}: row group {g} column {name}: null_count {stats.null_count}, values have {values.null_count}")
            if not (pa.types.is_integer(t) or pa.types.is_string(t) or pa.types.is_date32(t) or pa.types.is_decimal(t)):
                continue
            if values.null_count == len(values):
                continue
            if not stats.has_min_max:
                raise SystemExit(f"{path}: row group {g} column {name} lacks min/max")
            expected = pc.min_max(values).as_py()
            if pa.types.is_string(t) and (stats.min != expected["min"] or stats.max != expected["max"]):
                # Long strings are truncated to 64 bytes: still bounds, the maximum rounded up.
                lo, hi = stats.min.encode(), stats.max.encode()
                if (len(lo) == 64 or len(hi) == 64) and lo <= expected["min"].encode() and hi >= expected["max"].encode():
                    checked += 1
                    continue
            if stats.min != expected["min"] or stats.max != expected["max"]:
                raise SystemExit(f"{path}: row group {g} column {name}: statistics {stats.min}..{stats.max}, values {expected}")
            checked += 1
    return checked


def check_pruning(path):
    dataset = ds.dataset(path, format="parquet")
    fragment = next(iter(dataset.get_fragments()))
    kept = fragment.split_by_row_group(ds.field("id") >= 950)
    if len(kept) != 1:
        raise SystemExit(f"{path}: the filter id >= 950 kept {len(kept)} of 10 row groups; statistics should leave 1")
    table = pq.read_table(path, filters=[("id", ">=", 950)])
    if table.num_rows != 50 or min(table.column("id").to_pylist()) != 950:
        raise SystemExit(f"{path}: read_table(filters=...) returned {table.num_rows} rows")


def check_checksums(path):
    """pyarrow verifies our page CRCs, and notices a flipped byte."""
    pq.read_table(path, page_checksum_verification=True)
    meta = pq.ParquetFile(path).metadata.row_group(0).column(0)
    damaged = path + ".damaged"
    with open(path, "rb") as f:
        data = bytearray(f.read())
    data[meta.data_page_offset + meta.total_compressed_size - 3] ^= 0x55
    with open(damaged, "wb") as f:
        f.write(data)
    try:
        pq.read_table(damaged, page_checksum_verification=True)
    except Exception as error:  # pyarrow raises OSError naming the CRC mismatch
        if "CRC" not in str(error) and "checksum" not in str(error).lower():
            raise SystemExit(f"{damaged}: unexpected error {error}")
    else:
        raise SystemExit(f"{damaged}: a flipped byte passed pyarrow's checksum verification")
    finally:
        os.remove(damaged)


# Corpus files whose rewritten values pyarrow itself cannot read exactly.
REWRITE_SKIP = {
    "int96_from_spark.parquet": "pyarrow wraps INT96 values outside 1677-2262 (the file holds year 9999)",
    "g05_int96_timestamps.parquet": "pyarrow wraps INT96 values outside 1677-2262 (the file holds years 1 and 9999)",
}


def check_rewrites(tool, out):
    """`lakehouse parquet rewrite` of every readable corpus file with golden rows; pyarrow must
    read the rewritten file as the golden values of the original."""
    corpus = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "..", "shared", "parquet-corpus")
    with open(os.path.join(corpus, "manifest.json")) as f:
        manifest = json.load(f)
    os.makedirs(out, exist_ok=True)
    checked, unreadable, skipped = 0, [], []
    for entry in manifest:
        expected = entry.get("expected") or {}
        if not expected.get("jsonl"):
            continue
        name = os.path.basename(entry["file"])
        if name in REWRITE_SKIP:
            skipped.append(name)
            continue
        source = os.path.join(corpus, entry["file"])
        # Readable means our reader reads it (damaged tier-4 files included when they read).
        readable = subprocess.run([tool, "parquet", "cat", source, "--format", "jsonl"], capture_output=True, text=True)
        if readable.returncode != 0:
            unreadable.append(name)
            continue
        target = os.path.join(out, name)
        result = subprocess.run([tool, "parquet", "rewrite", source, target, "--codec", "zstd"], capture_output=True, text=True)
        if result.returncode != 0:
            raise SystemExit(f"rewrite of readable {entry['file']} failed: {result.stderr.strip()}")
        with open(os.path.join(corpus, expected["jsonl"])) as f:
            golden = [json.loads(line) for line in f if line.strip()]
        theirs = rows(pq.read_table(target))
        if expected.get("complete"):
            compare(f"pyarrow reading rewritten {name}", golden, theirs)
        else:
            compare(f"pyarrow reading rewritten {name}", golden, theirs[:len(golden)])
        checked += 1
    return checked, unreadable, skipped


def main():
    import duckdb
    directory = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), ".build", "interop")
    files = sorted(f for f in os.listdir(directory) if f.endswith(".parquet"))
    if len(files) < 26:
        raise SystemExit(f"{directory} holds {len(files)} files; run the Swift tests first (they write 26)")
    statistics = 0
    for name in files:
        path = os.path.join(directory, name)
        with open(path + ".jsonl") as f:
            ours = [json.loads(line) for line in f if line.strip()]
        compare(f"pyarrow {name}", ours, rows(pq.read_table(path)))
        duck = duckdb.sql(f"SELECT * FROM read_parquet('{path}')").arrow()
        if not isinstance(duck, pa.Table):
            duck = duck.read_all()
        compare(f"duckdb {name}", ours, rows(duck), skip=DUCKDB_SKIP, normalise=unit_free)
        statistics += check_statistics(path)
    check_pruning(os.path.join(directory, "pruning.parquet"))
    check_checksums(os.path.join(directory, "checksums.parquet"))
    tool = os.path.join(os.path.dirname(directory), "debug", "lakehouse")
    rewritten, unreadable, skipped = check_rewrites(tool, os.path.join(directory, "rewrite"))
    print(f"interop: {len(files)} files read by pyarrow and DuckDB with the values ParquetKit wrote "
          f"(DuckDB not compared on: {'; '.join(f'{k} ({v})' for k, v in DUCKDB_SKIP.items())}); "
          f"{statistics} row-group min/max pairs confirmed; pyarrow prunes 9 of 10 row groups by statistics "
          f"and verifies page checksums")
    print(f"rewrite: {rewritten} corpus files rewritten by `lakehouse parquet rewrite` read by pyarrow as their golden values; "
          f"not readable by ParquetKit (typed errors): {len(unreadable)}; "
          f"not comparable: {'; '.join(f'{k} ({v})' for k, v in REWRITE_SKIP.items())}")


if __name__ == "__main__":
    main()
