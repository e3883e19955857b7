#!/usr/bin/env bash
# The vector search peers, from PyPI, in a venv (default .venv-vector-peers at the repository
# root): numpy, pyarrow, hnswlib and faiss-cpu, for Benchmarks/Scripts/vectors_vs_peers.py.
# Idempotent: does nothing when the venv is complete.
#
#     Benchmarks/Scripts/setup_vector_peers.sh [VENV]
#     VENV/bin/python Benchmarks/Scripts/vectors_vs_peers.py --small --skip-ours
set -euo pipefail
cd "$(dirname "$0")/../.."
VENV="${1:-.venv-vector-peers}"
if [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c "import numpy, pyarrow, hnswlib, faiss" 2>/dev/null; then
    exit 0
fi
python3 -m venv "$VENV"
"$VENV/bin/pip" install -q --upgrade pip
"$VENV/bin/pip" install -q numpy pyarrow hnswlib faiss-cpu
"$VENV/bin/python" -c "import numpy, pyarrow, hnswlib, faiss; from importlib.metadata import version as v; \
print('vector peers: numpy', numpy.__version__, 'pyarrow', pyarrow.__version__, 'hnswlib', v('hnswlib'), 'faiss-cpu', faiss.__version__)"
