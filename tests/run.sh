#!/usr/bin/env bash
# tests/run.sh RGLIT UNIT_TESTS — runs every test suite and prints one closing
# line "N passed, N failed, N skipped".
#
# A suite is a program that prints one line per test: "ok NAME",
# "FAIL NAME: why" or "skip NAME: why". Suites: the C unit tests (with the
# spec files of tests/spec), then every tests/cli/*.sh script.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
RGLIT=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
UNIT=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
export RGLIT ROOT="$root"
cd "$root" || exit 2

log=$(mktemp)
trap 'rm -f "$log"' EXIT

suite() { # name, command...
    local name=$1
    shift
    local out rc
    out=$("$@" 2>&1)
    rc=$?
    printf '%s\n' "$out" | grep -E '^(ok|FAIL|skip) ' >>"$log"
    # anything else a suite printed (diagnostics) is shown when it failed
    if [ $rc -ne 0 ] || printf '%s\n' "$out" | grep -q '^FAIL '; then
        printf '%s\n' "$out" | grep -vE '^(ok|skip) ' | sed "s/^/[$name] /"
        if ! printf '%s\n' "$out" | grep -q '^FAIL '; then
            echo "FAIL $name: suite exited with status $rc" >>"$log"
        fi
    fi
}

suite unit "$UNIT" tests/spec/*.txt
for s in tests/cli/*.sh; do
    case "$s" in */lib.sh) continue ;; esac
    suite "$(basename "$s" .sh)" bash "$s"
done

passed=$(grep -c '^ok ' "$log")
failed=$(grep -c '^FAIL ' "$log")
skipped=$(grep -c '^skip ' "$log")
grep -E '^skip ' "$log" | sed 's/^/  /'
grep -E '^FAIL ' "$log" | sed 's/^/  /'
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
