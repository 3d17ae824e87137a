# tests/cli/allocfail.sh — allocation failures: RGLIT_FAIL_ALLOC=N makes the
# growing allocations of the Lua state fail from the Nth on. Rendering the
# golden study, a study of data frames, one of screens and tests
# (tests/lua/screen.md), those of survival, figures and models
# (tests/lua/surv.md, plot.md, models.md) and the statistics of stats.md
# (rg.hclust among them) with N over the whole run must always end cleanly:
# exit 0 or 1 with one line "...: out of memory"-style message, never a crash (under make
# test-asan, never a leak or invalid access either), never a report after a
# failure.
. "$(dirname "$0")/lib.sh"
# sweep NAME DIR STUDY [ARGS]: render DIR/STUDY (with the extra render
# ARGS, split on spaces) with injected failures over its run
sweep() {
    local name=$1 d=$2 study=$3 extra=${4:-}
    local lo hi mid total bad tried failures step n rc
    # The number of growing allocations of one render (binary search for the
    # smallest N that no longer fails), to sample N over the whole run.
    lo=1 hi=1000000
    RGLIT_FAIL_ALLOC=$hi "$RGLIT" render "$d/$study" -o "$d/r.html" $extra >/dev/null 2>&1 ||
        { fail "allocfail:$name-reach" "the render still fails with N=$hi"; return; }
    while [ $((hi - lo)) -gt 1 ]; do
        mid=$(((lo + hi) / 2))
        if RGLIT_FAIL_ALLOC=$mid "$RGLIT" render "$d/$study" -o "$d/r.html" $extra >/dev/null 2>&1; then
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
        RGLIT_FAIL_ALLOC=$n "$RGLIT" render "$d/$study" -o "$d/r.html" $extra >/dev/null 2>"$d/err"
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
        ok "allocfail:$name ($tried points, $failures failed renders)"
    else
        fail "allocfail:$name" "$bad of $tried injected failures ended badly"
    fi
}

d=$(newdir)
cp "$ROOT"/tests/golden/basic/study.md "$ROOT"/tests/golden/basic/helpers.lua \
    "$ROOT"/tests/golden/basic/data.txt "$d"/
sweep golden "$d" study.md
d=$(newdir)
cp -r "$ROOT"/tests/lua/frames.md "$ROOT"/tests/lua/data "$d"/
sweep frames "$d" frames.md
d=$(newdir)
cp "$ROOT"/tests/lua/screen.md "$d"/
sweep screen "$d" screen.md
d=$(newdir)
mkdir -p "$d/lua" "$d/conformance"
cp "$ROOT"/tests/lua/surv.md "$d"/lua/
cp -r "$ROOT"/tests/conformance/data "$d"/conformance/
sweep surv "$d" lua/surv.md "--allow-read $d/conformance/data"
d=$(newdir)
cp "$ROOT"/tests/lua/plot.md "$d"/
sweep plot "$d" plot.md
d=$(newdir)
cp "$ROOT"/tests/lua/models.md "$d"/
sweep models "$d" models.md
d=$(newdir)
cp "$ROOT"/tests/lua/stats.md "$d"/
sweep stats "$d" stats.md
d=$(newdir)
cp "$ROOT"/tests/lua/plot_heatmap.md "$d"/
sweep plot_heatmap "$d" plot_heatmap.md
