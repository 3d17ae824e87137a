#!/usr/bin/env bash
# tests/fuzz/build_csv.sh — builds build/fuzz_csv, the libFuzzer target of the
# CSV reader (engine/frame.c), with clang and ASan/UBSan. Run from anywhere.
#
# Run it (the corpus is tests/fuzz/corpus_csv/; each input's first byte picks
# the reader options, see tests/fuzz/csv_target.c):
#   mkdir -p build/fuzz-corpus-csv build/fuzz-artifacts-csv
#   build/fuzz_csv -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
#       -max_total_time=600 -print_final_stats=1 \
#       -artifact_prefix=build/fuzz-artifacts-csv/ \
#       build/fuzz-corpus-csv tests/fuzz/corpus_csv tests/fuzz/regressions_csv
# Copy each crash, leak or timeout to tests/fuzz/regressions_csv/ under a name
# saying what it triggers; build/unit_tests replays that folder.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
mkdir -p build
CC=${CC:-clang}
# shellcheck disable=SC2046
$CC -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
    -D_DEFAULT_SOURCE -std=c11 -I engine $(pkg-config --cflags nettle) \
    engine/frame.c engine/buf.c tests/fuzz/csv_target.c tests/fuzz/fuzz_csv.c \
    -lcsv $(pkg-config --libs nettle) -lm -o build/fuzz_csv
echo "built build/fuzz_csv"
