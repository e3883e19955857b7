"""Shared set-up of the TPC-H lineitem benchmarks: the data, the release build, medians."""
import os, subprocess

bench_root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
default_data = os.path.join(bench_root, "data", "tpch-sf1")


def median(values):
    values = sorted(values)
    return values[len(values) // 2]


def lineitem(data):
    """The path of lineitem.parquet under `data`, generated with tpchgen-cli when missing."""
    path = os.path.join(data, "lineitem.parquet")
    if not os.path.exists(path):
        os.makedirs(data, exist_ok=True)
        subprocess.run(["tpchgen-cli", "parquet", "-s", "1", "--tables=lineitem", f"--output-dir={data}"], check=True)
    return path


def build(product):
    """Builds a benchmark executable in release mode and returns its path."""
    subprocess.run(["swift", "build", "-c", "release", "--package-path", bench_root, "--product", product],
                   check=True, stdout=subprocess.DEVNULL)
    binary = subprocess.run(["swift", "build", "-c", "release", "--package-path", bench_root, "--show-bin-path"],
                            check=True, capture_output=True, text=True).stdout.strip()
    return os.path.join(binary, product)
