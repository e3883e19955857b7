#!/usr/bin/env python3
"""LakehouseKit's vector index side by side with faiss and hnswlib, in one run.

Two data sets, similarity = inner product on unit vectors (= cosine), k = 10:
  clustered768  100,000 x 768 synthetic clustered unit vectors, 1,000 queries (seed 42), made
                by `generate` of shared/vectors/tools/vector_peer_bench.py; exact top-10 ground
                truth computed here (float32 numpy BLAS).
  minilm        shared/vectors/minilm_20k.parquet (20,000 x 384 all-MiniLM-L6-v2 vectors) and
                the 200 queries of minilm_queries.parquet with their exact top-10 `gt_ids`.

Each data set is written as raw little-endian files to a work folder (base.f32: n*d float32
row-major, queries.f32: nq*d float32, gt.i32: nq*10 int32 0-based row indices of the exact
top-10). Ours reads the same files:

    flock /tmp/swift-build.lock swift run -c release --package-path Benchmarks VectorBenchmark \\
        --base base.f32 --queries queries.f32 --gt gt.i32 --dim D --efs 16,32,64,128,256 --out ours.json

and writes {"system": "LakehouseKit", "rows": [{"index": "exact"|"hnsw_m16"|"hnsw_m32",
"build_s", "index_mb", "ef", "recall10", "p50_ms", "p99_ms", "qps_2t"}, ...]}. Every peer runs
in its own child process (clean RSS): faiss IndexFlatIP with 1 and 2 threads, faiss
IndexHNSWFlat and hnswlib at M=16 and M=32 (efConstruction 200, built with 2 threads), each
HNSW swept over efSearch. Latency: one query per call on 1 thread (peers include the Python
call); QPS: one batch call with all queries on 2 threads. Peer rows are normalised to the
shape of ours.json. Prints a Markdown section (also written to --markdown).

    Benchmarks/Scripts/setup_vector_peers.sh                       # venv .venv-vector-peers
    .venv-vector-peers/bin/python Benchmarks/Scripts/vectors_vs_peers.py --markdown vectors.md
    .venv-vector-peers/bin/python Benchmarks/Scripts/vectors_vs_peers.py --small --skip-ours

On a shared machine add --hold-lock: the run then takes /tmp/swift-build.lock (which every swift
invocation here goes through) for its whole length, so no build competes with the peers.

Needs shared/vectors (beside the repository, or --shared).
"""
import argparse, json, os, shlex, subprocess, sys, tempfile, time

here = os.path.dirname(os.path.abspath(__file__))
bench_root = os.path.dirname(here)
repo_root = os.path.dirname(bench_root)
K = 10
EFS = [16, 32, 64, 128, 256]
JOBS = ["faiss_flat_1t", "faiss_flat_2t", "faiss_hnsw_m16", "faiss_hnsw_m32", "hnswlib_m16", "hnswlib_m32"]
SWIFT_LOCK = "/tmp/swift-build.lock"
DEFAULT_OURS = ["swift", "run", "-c", "release", "--package-path", bench_root, "VectorBenchmark"]


def shared_tools(shared):
    """Imports vector_peer_bench (helpers only; its own main is not run)."""
    sys.path.insert(0, os.path.join(shared, "vectors", "tools"))
    import vector_peer_bench
    return vector_peer_bench


# --------------------------------------------------------------------------
# data sets: raw files in a folder, plus meta.json
# --------------------------------------------------------------------------
def write_dataset(folder, X, Q, gt, meta):
    import numpy as np
    os.makedirs(folder, exist_ok=True)
    np.ascontiguousarray(X, dtype="<f4").tofile(os.path.join(folder, "base.f32"))
    np.ascontiguousarray(Q, dtype="<f4").tofile(os.path.join(folder, "queries.f32"))
    np.ascontiguousarray(gt[:, :K], dtype="<i4").tofile(os.path.join(folder, "gt.i32"))
    meta = dict(meta, n=int(X.shape[0]), nq=int(Q.shape[0]), d=int(X.shape[1]))
    with open(os.path.join(folder, "meta.json"), "w") as f:
        json.dump(meta, f, indent=1)
    return meta


def read_dataset(folder):
    import numpy as np
    with open(os.path.join(folder, "meta.json")) as f:
        meta = json.load(f)
    n, nq, d = meta["n"], meta["nq"], meta["d"]
    X = np.fromfile(os.path.join(folder, "base.f32"), dtype="<f4").reshape(n, d)
    Q = np.fromfile(os.path.join(folder, "queries.f32"), dtype="<f4").reshape(nq, d)
    gt = np.fromfile(os.path.join(folder, "gt.i32"), dtype="<i4").reshape(nq, K).astype(np.int64)
    return X, Q, gt, meta


def clustered(vpb, work, n, nq, d, seed):
    """The synthetic set, generated once per (n, nq, d, seed) and kept in the work folder."""
    folder = os.path.join(work, f"clustered_{n}x{d}_q{nq}_s{seed}")
    if os.path.exists(os.path.join(folder, "meta.json")):
        return folder
    vpb.log(f"generating {n} x {d} clustered vectors + {nq} queries (seed {seed})")
    X, Q, params = vpb.generate(n, nq, d, seed)
    t0 = time.perf_counter()
    gt, _ = vpb.exact_topk(X, Q, K)
    params["ground_truth"] = f"exact float32 inner product (numpy BLAS), {time.perf_counter() - t0:.1f} s"
    write_dataset(folder, X, Q, gt, {"name": "clustered768", "params": params})
    return folder


def minilm(work, shared):
    import numpy as np
    import pyarrow.parquet as pq

    def matrix(column):
        column = column.combine_chunks()
        return np.asarray(column.values.to_numpy(zero_copy_only=False)).reshape(-1, column.type.list_size)
    source = os.path.join(shared, "vectors")
    docs = pq.read_table(os.path.join(source, "minilm_20k.parquet"), columns=["doc_id", "vector"])
    queries = pq.read_table(os.path.join(source, "minilm_queries.parquet"), columns=["vector", "gt_ids"])
    doc_id = docs.column("doc_id").to_numpy()
    if not np.array_equal(doc_id, np.arange(1, len(doc_id) + 1)):
        raise SystemExit("minilm_20k.parquet: doc_id is not row index + 1; gt_ids cannot be mapped to rows")
    X = matrix(docs.column("vector")).astype(np.float32)
    Q = matrix(queries.column("vector")).astype(np.float32)
    gt = matrix(queries.column("gt_ids")) - 1
    folder = os.path.join(work, "minilm_20k")
    write_dataset(folder, X, Q, gt, {"name": "minilm", "params": {
        "source": "shared/vectors/minilm_20k.parquet + minilm_queries.parquet (all-MiniLM-L6-v2, unit length)",
        "ground_truth": "gt_ids of minilm_queries.parquet (float64 exact, ties by smaller doc_id), doc_id - 1"}})
    return folder


# --------------------------------------------------------------------------
# peers, one child process per job; each returns rows in the shape of ours.json
# --------------------------------------------------------------------------
def peer_row(system, index, M, ef, build_s, index_mb, file_mb, recall, lat, qps, threads=None):
    row = {"system": system, "index": index, "M": M, "ef": ef, "build_s": round(build_s, 3),
           "index_mb": round(index_mb, 1), "file_mb": round(file_mb, 1), "recall10": recall,
           "p50_ms": lat["p50_ms"], "p99_ms": lat["p99_ms"], "cpu_p50_ms": lat["cpu_p50_ms"],
           "qps_2t": qps if threads in (None, 2) else None}
    if threads is not None:
        row["threads"] = threads
        if threads != 2:
            row[f"qps_{threads}t"] = qps
    return row


def job_faiss_flat(vpb, X, Q, gt, threads, lat_exact):
    import faiss
    faiss.omp_set_num_threads(threads)
    base, _ = vpb.rss_mb()
    t0 = time.perf_counter()
    index = faiss.IndexFlatIP(X.shape[1])
    index.add(X)
    build = time.perf_counter() - t0
    mem = vpb.rss_mb()[0] - base
    file_mb = faiss.serialize_index(index).nbytes / 2**20
    lat = vpb.lat_stats(vpb.time_single(lambda q: index.search(q[None, :], K), Q[:lat_exact], warmup=5))
    ids, qps, _ = vpb.time_batch(lambda z: index.search(z, K)[1], Q, min_seconds=2.0, max_reps=3, threads=threads)
    recall = vpb.recall_at_k(ids, gt)
    vpb.log(f"   IndexFlatIP {threads}t recall={recall:.4f} p50={lat['p50_ms']:.3f}ms p99={lat['p99_ms']:.3f}ms qps={qps}")
    return [peer_row("faiss", "IndexFlatIP", None, None, build, mem, file_mb, recall, lat, qps, threads)]


def build_hnsw(vpb, make):
    """Runs `make()`; returns the index, the build seconds and the process's RSS growth in MiB."""
    base, _ = vpb.rss_mb()
    t0 = time.perf_counter()
    index = make()
    build = time.perf_counter() - t0
    mem = vpb.rss_mb()[0] - base
    return index, build, mem


def sweep_rows(vpb, system, index_name, M, build, mem, file_mb, set_ef, one, batch_2t, Q, gt, lat_n, efs):
    r = {}
    vpb.sweep(r, set_ef, one, batch_2t, Q, gt, lat_n, efs)
    return [peer_row(system, index_name, M, p["ef_search"], build, mem, file_mb, p["recall@10"], p["latency_1t"],
                     p["batch_qps_2t"]) for p in r["sweep"]]


def job_faiss_hnsw(vpb, X, Q, gt, M, efc, efs, lat_n):
    import faiss
    faiss.omp_set_num_threads(2)

    def make():
        ix = faiss.IndexHNSWFlat(X.shape[1], M, faiss.METRIC_INNER_PRODUCT)
        ix.hnsw.efConstruction = efc
        ix.add(X)
        return ix
    index, build, mem = build_hnsw(vpb, make)
    file_mb = faiss.serialize_index(index).nbytes / 2**20
    vpb.log(f"   faiss IndexHNSWFlat M={M}: build {build:.1f}s, RSS +{mem:.0f} MiB, serialized {file_mb:.0f} MiB")

    def set_ef(ef):
        index.hnsw.efSearch = ef

    def batch_2t(z):
        faiss.omp_set_num_threads(2)
        try:
            return vpb.time_batch(lambda b: index.search(b, K)[1], z)
        finally:
            faiss.omp_set_num_threads(1)
    faiss.omp_set_num_threads(1)
    return sweep_rows(vpb, "faiss", "IndexHNSWFlat", M, build, mem, file_mb, set_ef,
                      lambda q: index.search(q[None, :], K), batch_2t, Q, gt, lat_n, efs)


def job_hnswlib(vpb, X, Q, gt, M, efc, efs, lat_n):
    import numpy as np
    import hnswlib

    def make():
        ix = hnswlib.Index(space="ip", dim=X.shape[1])
        ix.init_index(max_elements=X.shape[0], ef_construction=efc, M=M, random_seed=100)
        ix.set_num_threads(2)
        ix.add_items(X, np.arange(X.shape[0]))
        return ix
    index, build, mem = build_hnsw(vpb, make)
    file_mb = index.index_file_size() / 2**20
    vpb.log(f"   hnswlib M={M}: build {build:.1f}s, RSS +{mem:.0f} MiB, serialized {file_mb:.0f} MiB")
    index.set_num_threads(1)
    return sweep_rows(vpb, "hnswlib", "HNSW (ip)", M, build, mem, file_mb, index.set_ef,
                      lambda q: index.knn_query(q[None, :], k=K, num_threads=1),
                      lambda z: vpb.time_batch(lambda b: index.knn_query(b, k=K, num_threads=2)[0], z),
                      Q, gt, lat_n, efs)


def run_child(args):
    vpb = shared_tools(args.shared)
    X, Q, gt, _ = read_dataset(args.data)
    efs = [int(e) for e in args.efs.split(",")]
    job = args.child
    if job.startswith("faiss_flat_"):
        rows = job_faiss_flat(vpb, X, Q, gt, int(job[-2]), args.lat_exact)
    elif job.startswith("faiss_hnsw_m"):
        rows = job_faiss_hnsw(vpb, X, Q, gt, int(job.split("_m")[-1]), args.efc, efs, args.lat_n)
    elif job.startswith("hnswlib_m"):
        rows = job_hnswlib(vpb, X, Q, gt, int(job.split("_m")[-1]), args.efc, efs, args.lat_n)
    else:
        raise SystemExit(f"unknown job {job}")
    print(json.dumps(rows))


def run_peer(vpb, args, job, folder):
    """Runs one peer job in a child process; returns (rows or None, job info with contention)."""
    import resource
    threads = "1" if job.endswith("_1t") else "2"
    env = dict(os.environ, OMP_NUM_THREADS=threads, OPENBLAS_NUM_THREADS=threads, MKL_NUM_THREADS=threads)
    cmd = [sys.executable, os.path.abspath(__file__), "--child", job, "--data", folder, "--shared", args.shared,
           "--efs", args.efs, "--efc", str(args.efc), "--lat-n", str(args.lat_n), "--lat-exact", str(args.lat_exact)]
    vpb.log(f"peer {job}")
    t0, busy0 = time.time(), vpb.cpu_busy_s()
    ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, text=True)
    ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time.time() - t0
    own = (ru1.ru_utime - ru0.ru_utime) + (ru1.ru_stime - ru0.ru_stime)
    other = max(0.0, vpb.cpu_busy_s() - busy0 - own)
    info = {"job": job, "wall_s": round(wall, 1), "cpu_s": round(own, 1),
            "other_cpu_share": round(other / (wall * (os.cpu_count() or 1)), 3)}
    vpb.log(f"peer {job} done in {wall:.0f}s (other processes used {100 * info['other_cpu_share']:.0f}% of the machine)")
    if proc.returncode != 0:
        info["error"] = f"exit {proc.returncode}"
        return None, info
    return json.loads(proc.stdout.strip().splitlines()[-1]), info


# --------------------------------------------------------------------------
# ours
# --------------------------------------------------------------------------
def uses_swift(args):
    prefix = shlex.split(args.ours_cmd) if args.ours_cmd else DEFAULT_OURS
    return os.path.basename(prefix[0]) == "swift"


def ours_command(args):
    """The command before the contract's arguments; swift runs under flock unless this run holds the lock."""
    prefix = shlex.split(args.ours_cmd) if args.ours_cmd else list(DEFAULT_OURS)
    if uses_swift(args) and not args.hold_lock:
        prefix = ["flock", args.lock] + prefix
    return prefix


def hold_lock(vpb, path):
    """Takes the swift build lock for the whole run, so no build competes with the measurements."""
    import fcntl
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        vpb.log(f"waiting for {path} (a swift build holds it)")
        fcntl.flock(fd, fcntl.LOCK_EX)
    return fd


OURS_FIELDS = ["index", "build_s", "index_mb", "ef", "recall10", "p50_ms", "p99_ms", "qps_2t"]


def run_ours(vpb, args, folder, d, efs):
    """Runs our benchmark executable on the data set's files; returns (rows or None, info)."""
    out = os.path.join(folder, "ours.json")
    if os.path.exists(out):
        os.remove(out)
    f = lambda name: os.path.join(folder, name)  # noqa: E731
    cmd = ours_command(args) + ["--base", f("base.f32"), "--queries", f("queries.f32"), "--gt", f("gt.i32"),
                                "--dim", str(d), "--efs", ",".join(map(str, efs)), "--out", out]
    vpb.log("ours: " + shlex.join(cmd))
    t0 = time.time()
    proc = subprocess.run(cmd, cwd=repo_root, stdout=sys.stderr)
    info = {"job": "ours", "wall_s": round(time.time() - t0, 1), "command": shlex.join(cmd)}
    if proc.returncode != 0 or not os.path.exists(out):
        info["error"] = f"exit {proc.returncode}" + ("" if os.path.exists(out) else ", no ours.json")
        return None, info
    with open(out) as fh:
        doc = json.load(fh)
    rows = []
    for i, row in enumerate(doc.get("rows", [])):
        missing = [k for k in OURS_FIELDS if k not in row]
        if missing:
            raise SystemExit(f"{out}: rows[{i}] lacks {', '.join(missing)}")
        if row["index"] not in ("exact", "hnsw_m16", "hnsw_m32"):
            raise SystemExit(f"{out}: rows[{i}] has unknown index {row['index']!r}")
        M = int(row["index"].split("_m")[1]) if row["index"].startswith("hnsw_m") else None
        rows.append(dict(row, system=doc.get("system", "LakehouseKit"), M=M))
    if not rows:
        info["error"] = "ours.json has no rows"
        return None, info
    return rows, info


# --------------------------------------------------------------------------
# report
# --------------------------------------------------------------------------
def fmt(value, digits):
    return "–" if value is None else f"{value:,.{digits}f}"


def index_label(row):
    if row["system"] == "LakehouseKit":
        return {"exact": "exact (brute force)"}.get(row["index"], "HNSW")
    if row["index"] == "IndexFlatIP":
        return f"IndexFlatIP, {row['threads']} thread{'s' if row['threads'] > 1 else ''}"
    return row["index"]


def table(rows):
    lines = ["| system | index | M | ef | build s | memory MB (RSS Δ / file) | recall@10 | p50 ms | p99 ms | QPS 2 threads |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        mem = fmt(r["index_mb"], 0) + (f" / {fmt(r['file_mb'], 0)}" if r.get("file_mb") is not None else "")
        qps = fmt(r.get("qps_2t"), 0) if r.get("qps_2t") is not None else f"({fmt(r.get('qps_1t'), 0)} on 1 thread)"
        lines.append(f"| {r['system']} | {index_label(r)} | {r['M'] or '–'} | {r['ef'] or '–'} | {fmt(r['build_s'], 2)} "
                     f"| {mem} | {fmt(r['recall10'], 4)} | {fmt(r['p50_ms'], 3)} | {fmt(r['p99_ms'], 3)} | {qps} |")
    return lines


def describe(r):
    ef = f", ef={r['ef']}" if r.get("ef") else ""
    M = f" M={r['M']}" if r.get("M") else ""
    return f"{r['system']} {index_label(r)}{M}{ef}"


def ratio_lines(ours, peers):
    lines = []
    hnsw = lambda rows: [r for r in rows if r["ef"] is not None]  # noqa: E731
    ok = lambda rows: [r for r in hnsw(rows) if r["recall10"] is not None and r["recall10"] >= 0.99]  # noqa: E731
    fast = lambda rows: min(rows, key=lambda r: r["p50_ms"])  # noqa: E731
    if not ours:
        return ["- (a), (b): no LakehouseKit numbers in this run."]
    o, p = ok(ours), ok(peers)
    if o and p:
        a, b = fast(o), fast(p)
        lines.append(f"- (a) fastest HNSW single query at recall@10 ≥ 0.99: ours {a['p50_ms']:.3f} ms ({describe(a)}, "
                     f"recall {a['recall10']:.4f}) vs best peer {b['p50_ms']:.3f} ms ({describe(b)}, recall "
                     f"{b['recall10']:.4f}): **ratio {a['p50_ms'] / b['p50_ms']:.2f}** (ours / peer, below 1 is faster)")
    else:
        best = max(hnsw(ours) or ours, key=lambda r: r["recall10"])
        lines.append(f"- (a) {'no LakehouseKit HNSW configuration' if not o else 'no peer HNSW'} reached recall@10 "
                     f"≥ 0.99 (our best: {best['recall10']:.4f}, {describe(best)})")
    exact = [r for r in ours if r["index"] == "exact"]
    flat1 = [r for r in peers if r["index"] == "IndexFlatIP" and r.get("threads") == 1]
    flat2 = [r for r in peers if r["index"] == "IndexFlatIP" and r.get("threads") == 2]
    if exact and flat1 and flat2:
        e, f1, f2 = exact[0], flat1[0], flat2[0]
        lines.append(f"- (b) exact search vs faiss IndexFlatIP: single-query p50 (1 thread) {e['p50_ms']:.3f} ms vs "
                     f"{f1['p50_ms']:.3f} ms, **ratio {e['p50_ms'] / f1['p50_ms']:.2f}** (below 1 is faster); batch "
                     f"QPS (2 threads) {e['qps_2t']:,.0f} vs {f2['qps_2t']:,.0f}, **ratio {e['qps_2t'] / f2['qps_2t']:.2f}** "
                     f"(ours / faiss, above 1 is faster)")
    else:
        lines.append("- (b) exact vs faiss IndexFlatIP: missing rows (ours `exact` or faiss flat 1/2 threads)")
    return lines


def versions():
    import numpy, pyarrow, faiss
    from importlib.metadata import version
    return {"python": sys.version.split()[0], "numpy": numpy.__version__, "pyarrow": pyarrow.__version__,
            "faiss-cpu": faiss.__version__, "hnswlib": version("hnswlib")}


def git_revision():
    try:
        rev = subprocess.run(["git", "-C", repo_root, "rev-parse", "--short", "HEAD"], capture_output=True,
                             text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", repo_root, "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True).stdout.strip()
        return rev + (" (with uncommitted changes)" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def swift_version(args):
    if args.skip_ours or not uses_swift(args):
        return None
    swift = (shlex.split(args.ours_cmd) if args.ours_cmd else DEFAULT_OURS)[0]
    cmd = [swift, "--version"] if args.hold_lock else ["flock", args.lock, swift, "--version"]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    return proc.stdout.strip().splitlines()[0] if proc.returncode == 0 and proc.stdout.strip() else None


def interpreter():
    path = os.path.relpath(sys.executable, repo_root)
    return "python3" if path.startswith("..") else path


def markdown(args, machine, vers, results):
    out = ["## Vector search vs faiss and hnswlib", "",
           f"Date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}. Revision {git_revision()}. Command (repository root):",
           "", "```sh", shlex.join([interpreter()] + [os.path.relpath(os.path.abspath(__file__), repo_root)] + sys.argv[1:]),
           "```", "",
           f"Machine: {machine.get('cpu_model', '?')}, {machine.get('cpus')} cores, {machine.get('mem_gib')} GiB, "
           f"{machine.get('platform')}{'; swift builds locked out for the run' if args.hold_lock else ''}. Versions: " + ", ".join(f"{k} {v}" for k, v in vers.items()) + ".", "",
           f"k = 10, inner product on unit vectors. HNSW: efConstruction {args.efc}, built with 2 threads; latency = "
           f"one query per call on 1 thread over {args.lat_n} queries (HNSW) or {args.lat_exact} (exact); peers' "
           "latency includes the Python binding call (about 5–20 µs). QPS = one batch call with all queries on 2 "
           "threads. Memory: RSS growth of the process across the build (includes the copy of the vectors) / "
           "serialized index size; ours: as reported by VectorBenchmark. Ratio = LakehouseKit / peer.", ""]
    for res in results:
        meta = res["meta"]
        out.append(f"### {meta['name']}: {meta['n']:,} × {meta['d']}, {meta['nq']:,} queries")
        out.append("")
        p = meta["params"]
        if meta["name"] == "clustered768":
            out.append(f"Synthetic hierarchical Gaussian clusters (vector_peer_bench.generate: seed {p['seed']}, "
                       f"{p['clusters']} clusters, {p['topics']} topics, {p['subspace_dim']}-d subspaces, iso noise "
                       f"{p['iso_noise']}), unit length; ground truth: {p['ground_truth']}.")
        else:
            out.append(f"{p['source']}; ground truth: {p['ground_truth']}. 7 queries have a 10th/11th-neighbour gap "
                       "below 1e-4, so a float32 exact search may score 0.9965.")
        out.append("")
        out += table((res["ours"] or []) + res["peers"])
        out.append("")
        out += ratio_lines(res["ours"], res["peers"])
        notes = [f"{j['job']} {j['wall_s']:.0f} s" + (f" (other processes {100 * j['other_cpu_share']:.0f}% of the "
                 "machine)" if j.get("other_cpu_share", 0) >= 0.05 else "") + (f" **{j['error']}**" if j.get("error") else "")
                 for j in res["jobs"]]
        out.append(f"- jobs: {'; '.join(notes)}")
        out.append("")
    return "\n".join(out)


# --------------------------------------------------------------------------
def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--datasets", default="clustered768,minilm", help="comma list of clustered768, minilm")
    ap.add_argument("--small", action="store_true", help="quick check: clustered 20,000 x 768, 200 queries, efs 16,64")
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--nq", type=int, default=1000)
    ap.add_argument("--d", type=int, default=768)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--efc", type=int, default=200, help="efConstruction of the peers")
    ap.add_argument("--efs", default=",".join(map(str, EFS)), help="efSearch sweep")
    ap.add_argument("--lat-n", dest="lat_n", type=int, default=1000, help="queries timed one by one (HNSW)")
    ap.add_argument("--lat-exact", dest="lat_exact", type=int, default=200, help="queries timed one by one (exact)")
    ap.add_argument("--jobs", default=",".join(JOBS), help="peer jobs: " + ",".join(JOBS))
    ap.add_argument("--skip-ours", action="store_true", help="peers only")
    ap.add_argument("--ours-cmd", help="command run with the contract's arguments appended, instead of "
                    "`swift run -c release --package-path Benchmarks VectorBenchmark` (swift is run under flock "
                    "--lock)")
    ap.add_argument("--lock", default=SWIFT_LOCK, help="the lock every swift invocation on this machine takes")
    ap.add_argument("--hold-lock", action="store_true", help="hold --lock for the whole run (waits for a running "
                    "build, and keeps others' builds from competing with the measurements)")
    ap.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "lakehousekit-vectors"),
                    help="folder for the data files and ours.json (the synthetic set is kept for reuse)")
    ap.add_argument("--shared", default=os.path.normpath(os.path.join(repo_root, "..", "shared")),
                    help="the shared/ folder holding vectors/")
    ap.add_argument("--markdown", help="also write the Markdown section here")
    ap.add_argument("--json", help="also write every row and job as JSON here")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--data", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        return run_child(args)
    if args.small:
        args.n, args.nq, args.efs = 20_000, 200, "16,64"
    args.lat_n = min(args.lat_n, args.nq)
    try:
        import numpy, pyarrow, faiss, hnswlib  # noqa: F401
    except ImportError as error:
        raise SystemExit(f"{error}: run Benchmarks/Scripts/setup_vector_peers.sh and use .venv-vector-peers/bin/python")
    vpb = shared_tools(args.shared)
    lock_fd = hold_lock(vpb, args.lock) if args.hold_lock else None  # noqa: F841 (held until exit)
    efs = [int(e) for e in args.efs.split(",")]
    jobs = [j.strip() for j in args.jobs.split(",") if j.strip()]
    t_start = time.time()
    results = []
    for name in [s.strip() for s in args.datasets.split(",") if s.strip()]:
        if name == "clustered768":
            folder = clustered(vpb, args.work, args.n, args.nq, args.d, args.seed)
        elif name == "minilm":
            folder = minilm(args.work, args.shared)
        else:
            raise SystemExit(f"unknown data set {name} (clustered768, minilm)")
        with open(os.path.join(folder, "meta.json")) as f:
            meta = json.load(f)
        vpb.log(f"data set {name}: {meta['n']} x {meta['d']}, {meta['nq']} queries in {folder}")
        res = {"meta": meta, "ours": None, "peers": [], "jobs": []}
        if not args.skip_ours:
            res["ours"], info = run_ours(vpb, args, folder, meta["d"], efs)
            res["jobs"].append(info)
        for job in jobs:
            rows, info = run_peer(vpb, args, job, folder)
            res["peers"] += rows or []
            res["jobs"].append(info)
        results.append(res)
    vers = versions()
    sv = swift_version(args)
    if sv:
        vers["swift"] = sv
    text = markdown(args, vpb.machine_info(), vers, results)
    text += f"\nTotal wall time {time.time() - t_start:.0f} s.\n"
    print(text)
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(text)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"versions": vers, "machine": vpb.machine_info(), "results": results}, f, indent=1)
    failed = [j for r in results for j in r["jobs"] if j.get("error")]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
