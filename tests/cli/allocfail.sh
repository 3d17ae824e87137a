# tests/cli/allocfail.sh — allocation failures: RGLIT_FAIL_ALLOC=N makes the
# growing allocations of the Lua state fail from the Nth on. Rendering the golden study
# with N over its whole run must always end cleanly: exit 0 or 1 with one
# line "...: out of memory"-style message, never a crash (under make
# test-asan, never a leak or invalid access either), never a report after a
# failure.
. "$(dirname "$0")/lib.sh"
src="$ROOT/tests/golden/basic"
d=$(newdir)
cp "$src"/study.md "$src"/helpers.lua "$src"/data.txt "$d"/
# The number of growing allocations of one render (binary search for the
# smallest N that no longer fails), to sample N over the whole run.
lo=1 hi=1000000
RGLIT_FAIL_ALLOC=$hi "$RGLIT" render "$d/study.md" -o "$d/r.html" >/dev/null 2>&1 ||
    { fail "allocfail:reach" "the render still fails with N=$hi"; exit 0; }
while [ $((hi - lo)) -gt 1 ]; do
    mid=$(((lo + hi) / 2))
    if RGLIT_FAIL_ALLOC=$mid "$RGLIT" render "$d/study.md" -o "$d/r.html" >/dev/null 2>&1; then
        hi=$mid
    else
        lo=$mid
    fi
done
total=$lo
bad=0 tried=0 failures=0
step=$(( total / 300 + 1 ))
for n in $(seq 1 $step "$total"); do
    tried=$((tried + 1))
    rm -f "$d/r.html"
    RGLIT_FAIL_ALLOC=$n "$RGLIT" render "$d/study.md" -o "$d/r.html" >/dev/null 2>"$d/err"
    rc=$?
    if [ $rc -eq 0 ]; then
        bad=$((bad + 1)) # below the total, every injected failure must fail the render
        echo "allocfail: N=$n rendered despite the failure"
        continue
    fi
    failures=$((failures + 1))
    if [ $rc -ne 1 ] || [ "$(wc -l <"$d/err")" -ne 1 ] || [ -e "$d/r.html" ]; then
        bad=$((bad + 1))
        [ $bad -le 3 ] && echo "allocfail: N=$n exit $rc: $(head -c 300 "$d/err")"
    fi
done
if [ $bad -eq 0 ] && [ $failures -gt 0 ]; then
    ok "allocfail:clean ($tried points, $failures failed renders)"
else
    fail "allocfail:clean" "$bad of $tried injected failures ended badly"
fi
