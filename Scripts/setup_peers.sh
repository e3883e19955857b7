#!/usr/bin/env bash
# The interop peers, from PyPI, in a venv (default .venv-peers): DuckDB 1.5.5 with its 1.5.5
# extension wheels (delta, httpfs; an extension loads only into the DuckDB version it was built
# for, and 1.5.5 is the newest with wheels), delta-rs (deltalake), pyarrow, moto and boto3.
# Idempotent: does nothing when the venv is complete.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${1:-.venv-peers}"
if [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c "import duckdb, deltalake, pyarrow, moto, boto3; assert duckdb.__version__ == '1.5.5'" 2>/dev/null; then
    exit 0
fi
python3 -m venv "$VENV"
"$VENV/bin/pip" install -q duckdb==1.5.5 duckdb-extension-delta==1.5.5 duckdb-extension-httpfs==1.5.5 \
    pyarrow deltalake 'moto[server]' boto3
"$VENV/bin/python" -c "import duckdb, deltalake; print('peers: duckdb', duckdb.__version__, 'deltalake', deltalake.__version__)"
