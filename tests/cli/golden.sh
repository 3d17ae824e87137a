# tests/cli/golden.sh — golden reports: each tests/golden/NAME/study.md must
# render to exactly tests/golden/NAME/report.html (the build's commit
# normalised); then determinism: the same study twice, from another working
# folder, and with 1 or 2 BLAS threads, gives the same bytes.
. "$(dirname "$0")/lib.sh"
g="$ROOT/tests/golden"
for d in "$g"/*/; do
    name=$(basename "$d")
    dir=$(newdir)
    run "$RGLIT" render "$d/study.md" -o "$dir/report.html"
    if [ "$rc" != 0 ]; then
        fail "golden:$name" "render failed: $err"
        continue
    fi
    "$g/normalise.sh" "$RGLIT" <"$dir/report.html" >"$dir/normalised.html"
    if cmp -s "$dir/normalised.html" "$d/report.html"; then
        ok "golden:$name"
    else
        fail "golden:$name" "differs from the golden report (make golden, then review the diff): $(diff "$d/report.html" "$dir/normalised.html" | head -20)"
    fi
done

# determinism
d=$(newdir)
"$RGLIT" render "$g/basic/study.md" -o "$d/a.html" 2>/dev/null
"$RGLIT" render "$g/basic/study.md" -o "$d/b.html" 2>/dev/null
same "determinism:twice" "$d/a.html" "$d/b.html"
(cd "$g/basic" && "$RGLIT" render study.md -o "$d/c.html" 2>/dev/null)
same "determinism:working-folder" "$d/a.html" "$d/c.html"
OPENBLAS_NUM_THREADS=1 "$RGLIT" render "$g/basic/study.md" -o "$d/t1.html" 2>/dev/null
OPENBLAS_NUM_THREADS=2 "$RGLIT" render "$g/basic/study.md" -o "$d/t2.html" 2>/dev/null
same "determinism:threads" "$d/t1.html" "$d/t2.html"
# nothing of the machine in the report: no absolute path, no user, no host
lacks "determinism:no-absolute-path" "$d/a.html" "$g/basic"
lacks "determinism:no-tmp-path" "$d/a.html" "$TMP"
lacks "determinism:no-hostname" "$d/a.html" "$(uname -n)"
# no external resource of any kind
if grep -Eiq '(src|href)="(https?:)?//' "$d/a.html"; then
    fail "self-contained:no-external" "the report references an external resource"
else
    ok "self-contained:no-external"
fi
