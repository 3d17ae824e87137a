#!/usr/bin/env bash
# tests/golden/update.sh RGLIT — regenerate every tests/golden/*/report.html
# (`make golden`). Review the diff before committing it.
set -eu
rglit=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
here=$(cd "$(dirname "$0")" && pwd)
for d in "$here"/*/; do
    [ -f "$d/study.md" ] || continue
    tmp=$(mktemp)
    (cd "$d" && "$rglit" render study.md -o "$tmp" --quiet)
    "$here/normalise.sh" "$rglit" <"$tmp" >"$d/report.html"
    rm -f "$tmp"
    echo "updated ${d#$here/}report.html"
done
