#!/usr/bin/env bash
# Installs what LakehouseKit needs to build on Debian/Ubuntu when it is missing:
# the compression libraries' -dev packages and pkg-config. Safe to run repeatedly.
set -euo pipefail

need=()
command -v pkg-config >/dev/null 2>&1 || need+=(pkg-config)
for pair in zlib:zlib1g-dev libzstd:libzstd-dev snappy:libsnappy-dev; do
    module=${pair%%:*}
    package=${pair##*:}
    if ! command -v pkg-config >/dev/null 2>&1 || ! pkg-config --exists "$module"; then
        need+=("$package")
    fi
done

if [ ${#need[@]} -gt 0 ]; then
    echo "setup: installing ${need[*]}" >&2
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi
command -v swift >/dev/null 2>&1 || { echo "setup: Swift 6.1 or later must be on PATH" >&2; exit 1; }
