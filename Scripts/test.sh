#!/usr/bin/env bash
# The test suite: installs missing system packages, then runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash Scripts/setup.sh
# TPC-H SF 0.1 Parquet files for the TPC-H test (made once, 32 MB).
if [ ! -f .build/tpch-sf0.1/lineitem.parquet ]; then
    command -v tpchgen-cli >/dev/null 2>&1 || python3 -m pip install -q tpchgen-cli==4.0.0 || python3 -m pip install -q --break-system-packages tpchgen-cli==4.0.0
    mkdir -p .build
    tpchgen-cli parquet -s 0.1 --output-dir=.build/tpch-sf0.1
fi
swift build --build-tests
bash Scripts/with_moto.sh swift test --skip-build
