# tests/cli/lib.sh — helpers for the command-line test suites (sourced).
#
# Each test prints "ok NAME" or "FAIL NAME: why" (tests/run.sh counts them).
# $RGLIT is the binary under test; every test works in a fresh folder under
# $TMP, removed at exit.
set -u
: "${RGLIT:?run through tests/run.sh or set RGLIT}"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

ok() { echo "ok $1"; }
fail() { echo "FAIL $1: $2"; }

# newdir -> prints a fresh empty folder (called as d=$(newdir): a subshell,
# so the name comes from mktemp, not from a counter)
newdir() { mktemp -d "$TMP/tXXXXXX"; }

# study DIR: writes standard input to DIR/study.md
study() { cat >"$1/study.md"; }

# run CMD...: runs a command, sets $out, $err and $rc
run() {
    local o e
    o=$(mktemp) e=$(mktemp)
    "$@" >"$o" 2>"$e"
    rc=$?
    out=$(cat "$o")
    err=$(cat "$e")
    rm -f "$o" "$e"
}

# expect NAME RC STDERR CMD...: runs CMD; the exit code must be RC and the
# whole standard error must be STDERR (exactly; "" for none).
expect() {
    local name=$1 want_rc=$2 want_err=$3
    shift 3
    run "$@"
    if [ "$rc" != "$want_rc" ]; then
        fail "$name" "exit $rc, want $want_rc; stderr: $err"
    elif [ "$err" != "$want_err" ]; then
        fail "$name" "stderr: [$err], want [$want_err]"
    else
        ok "$name"
    fi
}

# expect_match NAME RC ERE CMD...: as expect, stderr must match the regex ERE.
expect_match() {
    local name=$1 want_rc=$2 re=$3
    shift 3
    run "$@"
    if [ "$rc" != "$want_rc" ]; then
        fail "$name" "exit $rc, want $want_rc; stderr: $err"
    elif ! printf '%s' "$err" | grep -Eq -- "$re"; then
        fail "$name" "stderr: [$err] does not match [$re]"
    else
        ok "$name"
    fi
}

# one_line NAME STRING: has and lacks take one-line strings only (grep -F
# would read a multi-line one as several patterns, any of which matches)
one_line() {
    case "$2" in
    *$'\n'*) fail "$1" "test bug: a multi-line string for has/lacks; compare the output exactly"; return 1 ;;
    "") fail "$1" "test bug: an empty string for has/lacks matches anything"; return 1 ;;
    esac
}

# has NAME FILE STRING: FILE contains STRING (fixed string, one line)
has() {
    one_line "$1" "$3" || return 0
    if grep -Fq -- "$3" "$2" 2>/dev/null; then ok "$1"; else fail "$1" "$2 lacks [$3]"; fi
}

# lacks NAME FILE STRING: FILE does not contain STRING (fixed string, one line)
lacks() {
    one_line "$1" "$3" || return 0
    if [ -e "$2" ] && ! grep -Fq -- "$3" "$2"; then ok "$1"; else fail "$1" "$2 contains [$3] or is missing"; fi
}

# absent NAME FILE: FILE does not exist (a failed render leaves no report)
absent() {
    if [ ! -e "$2" ]; then ok "$1"; else fail "$1" "$2 exists"; fi
}

# same NAME A B: the files are byte-identical
same() {
    if cmp -s "$2" "$3"; then ok "$1"; else fail "$1" "$2 and $3 differ"; fi
}

# leftovers NAME DIR: no temporary report files were left in DIR
leftovers() {
    if ls -A "$2" | grep -q '^\.rglit-'; then fail "$1" "temporary files left in $2"; else ok "$1"; fi
}

# at DIR CMD...: run CMD in DIR (a subshell; the caller's folder is unchanged)
at() {
    local d=$1
    shift
    (cd "$d" && "$@")
}

# outputs FILE: the text of every printed-output block of a report, one after
# the other (the HTML escapes stay)
outputs() {
    sed -n '/<pre class="rg-output">/,/<\/pre>/p' "$1" 2>/dev/null |
        sed 's/^<pre class="rg-output">//; /^<\/pre>$/d'
}
