#!/usr/bin/env bash
# tests/fuzz/build.sh — builds build/fuzz_doc, the libFuzzer target of the
# document parser, with clang and ASan/UBSan. Run from anywhere.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
mkdir -p build
CC=${CC:-clang}
pkgs="libcmark yaml-0.1 nettle"
# shellcheck disable=SC2046
$CC -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
    -D_DEFAULT_SOURCE -std=c11 -I engine $(pkg-config --cflags $pkgs) \
    engine/doc.c engine/value.c engine/buf.c tests/fuzz/doc_target.c tests/fuzz/fuzz_doc.c \
    $(pkg-config --libs $pkgs) -o build/fuzz_doc
echo "built build/fuzz_doc"
