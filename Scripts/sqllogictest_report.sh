#!/usr/bin/env bash
# Runs the sqllogictest corpus with the CLI and rewrites the committed failure reports
# (TestData/sqllogictest/failures-<suite>.txt) and their summary (TestData/sqllogictest/SUMMARY.md).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --product lakehouse
out=TestData/sqllogictest
summary=$out/SUMMARY.md
{
    echo "# sqllogictest corpus: what passes and what still fails"
    echo
    echo "Made by \`Scripts/sqllogictest_report.sh\` on $(date -u +%Y-%m-%d). Failing records, with the SQL, the expected"
    echo "and the actual output, are in \`failures-<suite>.txt\`."
    echo
    echo "| suite | passed | failed | skipped by their own conditions | pass rate | target |"
    echo "|---|---:|---:|---:|---:|---:|"
} > "$summary"
for suite in sqlite duckdb datafusion; do
    .build/debug/lakehouse sqllogictest ../shared/sql-corpus/$suite --report $out/failures-$suite.txt > /tmp/slt-$suite.out || true
    totals=$(tail -1 /tmp/slt-$suite.out)
    passed=$(echo "$totals" | sed -E 's/^([0-9]+) passed.*/\1/')
    failed=$(echo "$totals" | sed -E 's/.* ([0-9]+) failed.*/\1/')
    skipped=$(echo "$totals" | grep -oE '[0-9]+ skipped' | cut -d' ' -f1 || true)
    target=$([ $suite = sqlite ] && echo 99 || ([ $suite = duckdb ] && echo 95 || echo 70))
    rate=$(python3 -c "print('%.2f%%' % (100 * $passed / max(1, $passed + $failed)))")
    echo "| $suite | $passed | $failed | ${skipped:-0} | $rate | $target% |" >> "$summary"
done
echo >> "$summary"
echo "## Most frequent failures (error message, or a wrong result)" >> "$summary"
for suite in sqlite duckdb datafusion; do
    echo >> "$summary"
    echo "### $suite" >> "$summary"
    echo >> "$summary"
    python3 - "$out/failures-$suite.txt" >> "$summary" <<'PY'
import collections, re, sys
c = collections.Counter()
for record in open(sys.argv[1]).read().split("\n\n"):
    if "-- actual\n" not in record:
        continue
    actual = record.split("-- actual\n", 1)[1].split("\n")[0]
    m = re.match(r"(syntax error|unknown name|type mismatch|unsupported|runtime error|internal error)( at line \d+, column \d+)?: (.*)", actual)
    if m:
        message = re.sub(r"\(valid names.*", "", re.sub(r"\d+", "N", re.sub(r"'[^']*'", "'…'", m.group(3))))
        c[m.group(1) + ": " + message[:100].strip()] += 1
    else:
        c["wrong result"] += 1
for key, n in c.most_common(25):
    print("- %d × %s" % (n, key.replace("|", "\\|")))
PY
done
