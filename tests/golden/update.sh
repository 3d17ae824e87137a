#!/usr/bin/env bash
# tests/golden/update.sh RGLIT [UNIT_TESTS] — regenerate every
# tests/golden/*/report.html and, given the unit-test binary, the golden
# figures tests/golden/svg/*.svg, which tests/unit/test_svg.c draws and
# compares (`make golden`). Review the diff before committing it.
set -eu
rglit=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
here=$(cd "$(dirname "$0")" && pwd)
if [ $# -ge 2 ]; then
    unit=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
    # the unit tests run from the repository root; only the SVG suite's
    # "updated" lines matter here
    (cd "$here/../.." && RGLIT_UPDATE_GOLDEN=1 "$unit" tests/spec/*.txt 2>&1 >/dev/null |
        grep "^updated ") || true
fi
for d in "$here"/*/; do
    [ -f "$d/study.md" ] || continue
    tmp=$(mktemp)
    (cd "$d" && "$rglit" render study.md -o "$tmp" --quiet)
    "$here/normalise.sh" "$rglit" <"$tmp" >"$d/report.html"
    rm -f "$tmp"
    echo "updated ${d#$here/}report.html"
done
