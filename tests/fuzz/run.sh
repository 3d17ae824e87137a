#!/usr/bin/env bash
# tests/fuzz/run.sh [SECONDS] — fuzzes the document parser for SECONDS
# (default 600) with build/fuzz_doc (built first by tests/fuzz/build.sh).
# The corpus is tests/fuzz/corpus/ (committed, small) plus a scratch copy of
# every tests/spec example and studies/demo/study.md in build/fuzz-corpus/,
# where new inputs go. Crashes, leaks and timeouts are written to
# build/fuzz-artifacts/; copy each to tests/fuzz/regressions/ under a name
# saying what it triggers (the unit tests replay that folder).
set -eu
secs=${1:-600}
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
tests/fuzz/build.sh
work=build/fuzz-corpus
mkdir -p "$work" build/fuzz-artifacts
specs=$(ls tests/spec/*.txt 2>/dev/null || true)
[ -z "$specs" ] || perl tests/fuzz/seed.pl "$work" $specs
cp studies/demo/study.md "$work/demo-study.md"
cp tests/fuzz/corpus/* "$work/" 2>/dev/null || true
cp tests/fuzz/regressions/* "$work/" 2>/dev/null || true
exec build/fuzz_doc -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
    -max_total_time="$secs" -print_final_stats=1 \
    -dict=tests/fuzz/doc.dict -artifact_prefix=build/fuzz-artifacts/ \
    "$work" tests/fuzz/corpus
