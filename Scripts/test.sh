#!/usr/bin/env bash
# The test suite: installs missing system packages, then runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash Scripts/setup.sh
swift build --build-tests
swift test --skip-build
