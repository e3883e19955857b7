#!/usr/bin/env bash
# The demo: installs missing system packages, builds, and runs `lakehouse demo`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash Scripts/setup.sh
swift build -c release --product lakehouse
"$(swift build -c release --show-bin-path)/lakehouse" demo "$@"
