#!/usr/bin/env bash
# Fuzzes the Ingest readers with libFuzzer and AddressSanitizer for SECONDS (default 120):
# CSV sniffing and tokenizing, type inference and conversion, JSON records.
#   bash Scripts/fuzz_ingest.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-120}
work=$(mktemp -d /tmp/fuzz-ingest-XXXXXX)
mkdir -p "$work/src" "$work/corpus"
# ColumnarCore and the readers in one module: the imports of other modules are dropped, and
# IngestError's bridge from CatalogError (the only use of Catalog) is left out.
cp Sources/ColumnarCore/*/*.swift "$work/src/"
for f in Sources/Ingest/CSV/*.swift Sources/Ingest/JSON/*.swift Sources/Ingest/Inference/*.swift \
         Sources/Ingest/Pipeline/IngestOptions.swift Sources/Ingest/Errors/IngestError.swift; do
    sed -e '/^import ColumnarCore$/d' -e '/^import Catalog$/d' "$f" > "$work/src/ingest_$(basename "$f")"
done
python3 - "$work/src/ingest_IngestError.swift" <<'PY'
import sys
p = sys.argv[1]
s = open(p).read()
s = s[:s.index("extension IngestError {\n    init(_ error: CatalogError")]
open(p, "w").write(s)
PY
cp Tests/Fuzz/IngestFuzzTarget.swift "$work/src/"
if ! swiftc -O -sanitize=fuzzer,address -parse-as-library -module-name IngestFuzz "$work"/src/*.swift -o "$work/fuzz" > "$work/build.log" 2>&1; then
    grep -v "ld.gold: warning" "$work/build.log" >&2
    exit 1
fi
# Seeds: the shared corpus's shapes in miniature.
printf '\x00id,name,amount,day\n1,"Lee, Ann",12.50,2026-03-07\n2,Bo,,03/08/2026\n' > "$work/corpus/csv"
printf '\x01a;b\r\n"x""y";2\r\n' > "$work/corpus/semicolon"
printf '\x02{"a":1,"b":{"c":"d\\u00e9"},"l":[1,2.5]}\n{"a":null,"l":["x",null]}\n' > "$work/corpus/json"
printf '\x03[{"t":"2026-03-07T10:00:00Z"},{"t":"2026-03-07 10:00:00+02:00"}]' > "$work/corpus/array"
"$work/fuzz" -max_total_time="$seconds" -max_len=4096 -timeout=10 "$work/corpus" > "$work/fuzz.log" 2>&1 || { tail -40 "$work/fuzz.log" >&2; exit 1; }
tail -3 "$work/fuzz.log"
echo "fuzz_ingest: $seconds s without a crash (work dir $work)"
