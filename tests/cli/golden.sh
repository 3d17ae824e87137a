# tests/cli/golden.sh — golden reports: each tests/golden/NAME/study.md must
# render to exactly tests/golden/NAME/report.html (the build's commit
# normalised); then determinism: the same study twice, from another working
# folder, and with 1 or 2 BLAS threads, gives the same bytes.
. "$(dirname "$0")/lib.sh"
g="$ROOT/tests/golden"
for d in "$g"/*/; do
    [ -f "$d/study.md" ] || continue # svg/: figures, compared by the unit tests
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
# a screen larger than one product block, with missing values, and
# permutations over several blocks: the same bytes for 1, 2 and 7 threads
cat >"$d/screen.md" <<'STUDY'
---
title: Threads
seed: 3
---

```lua
local ids, A, B = {}, {ids = {}}, {ids = {}}
for i = 1, 30 do ids[i] = "s" .. i end
A.ids, B.ids = ids, ids
for j = 1, 150 do A["f" .. j] = rg.rng.normal(30) end
for j = 1, 40 do B["g" .. j] = rg.rng.normal(30) end
A.f7[4] = 0/0
local a, b = rg.frame(A), rg.frame(B)
for _, m in ipairs{"pearson", "spearman"} do
  local cm = rg.cor_matrix(a, b, {method = m})
  local top = cm:pairs{p_cut = 1, max = 5}
  rg.record(m .. "_r", top:col("r"))
  rg.record(m .. "_p_adj", top:col("p_adj"))
  show(top)
end
local perm = rg.perm.cor(b:col("g1"), a:drop{"f7"}, {n = 700, seed = 1})
rg.record("perm_p", perm.p)
```
STUDY
"$RGLIT" render "$d/screen.md" -o "$d/s1.html" --threads 1 2>/dev/null
"$RGLIT" render "$d/screen.md" -o "$d/s2.html" --threads 2 2>/dev/null
OPENBLAS_NUM_THREADS=2 "$RGLIT" render "$d/screen.md" -o "$d/s7.html" --threads 7 2>/dev/null
if [ -s "$d/s1.html" ] && cmp -s "$d/s1.html" "$d/s2.html" && cmp -s "$d/s1.html" "$d/s7.html"; then
    ok "determinism:screen-threads"
else
    fail "determinism:screen-threads" "the screen's report depends on --threads (or failed)"
fi
# models: a permutation test of 1,000 lasso refits (with per-fold scaling),
# a grid search and a tree: the same bytes, and the same p-values recorded at
# full precision, for 1 and 2 threads
cat >"$d/models.md" <<'STUDY'
---
title: Model threads
seed: 5
---

```lua
local ids, cols = {}, {}
for i = 1, 40 do ids[i] = "p" .. i end
local X = {ids = ids}
for j = 1, 30 do X["f" .. j] = rg.rng.normal(40) end
X = rg.frame(X)
local y, noise = {}, rg.rng.normal(40)
local f1, f2 = X:col("f1"), X:col("f2")
for i = 1, 40 do y[i] = f1[i] - 0.5 * f2[i] + noise[i] end
local Y = rg.frame{ids = ids, y = y, z = rg.rng.normal(40)}
local t = rg.perm.model("lasso", X, Y, {n = 1000, seed = 9, folds = 4,
  scoring = {"r2", "neg_mse"}, opts = {alpha = 0.1, scale = "standard"}})
rg.record("perm_p_r2", t.p.r2)
rg.record("perm_p_mse", t.p.neg_mse)
show(t.rows)
local g = rg.model.grid_search("elastic_net", X, y, {grid = {alpha = {0.01, 0.1, 1},
  l1_ratio = {0.2, 0.8}}, folds = 4, seed = 2, opts = {scale = "standard"}})
rg.record("grid_means", (function() local m = {} for i, r in ipairs(g.results) do m[i] = r.mean end return m end)())
local tr = rg.model.fit("tree", X, Y, {max_depth = 3, max_features = 0.5, seed = 4})
rg.record("tree_pred", tr:predict(X):col("y"))
```
STUDY
"$RGLIT" render "$d/models.md" -o "$d/m1.html" --threads 1 2>/dev/null
"$RGLIT" render "$d/models.md" -o "$d/m2.html" --threads 2 2>/dev/null
if [ -s "$d/m1.html" ] && cmp -s "$d/m1.html" "$d/m2.html"; then
    ok "determinism:models-threads"
else
    fail "determinism:models-threads" "the models' report depends on --threads (or failed)"
fi
# figures: the same bytes twice, and embedded in the report as SVG
"$RGLIT" render "$ROOT/tests/lua/plot.md" -o "$d/p1.html" 2>/dev/null
"$RGLIT" render "$ROOT/tests/lua/plot.md" -o "$d/p2.html" 2>/dev/null
if [ -s "$d/p1.html" ] && cmp -s "$d/p1.html" "$d/p2.html"; then
    ok "determinism:figures"
else
    fail "determinism:figures" "tests/lua/plot.md renders differently twice (or failed)"
fi
has "figures:embedded" "$d/p1.html" '<svg xmlns="http://www.w3.org/2000/svg" class="rg-plot rg-km" width="640" height="420" viewBox="0 0 640 420" role="img" aria-label="AML">'
has "figures:forest-embedded" "$d/p1.html" '<svg xmlns="http://www.w3.org/2000/svg" class="rg-plot rg-forest"'
# the demo (one figure of every kind, cross-validation, a permutation test):
# the same bytes for 1 and 2 threads, and a report well under 2 MB
"$RGLIT" render "$ROOT/studies/demo/study.md" -o "$d/demo1.html" --threads 1 2>/dev/null
"$RGLIT" render "$ROOT/studies/demo/study.md" -o "$d/demo2.html" --threads 2 2>/dev/null
if [ -s "$d/demo1.html" ] && cmp -s "$d/demo1.html" "$d/demo2.html"; then
    ok "determinism:demo-threads"
else
    fail "determinism:demo-threads" "the demo's report depends on --threads (or failed)"
fi
demo_bytes=$(wc -c <"$d/demo1.html" 2>/dev/null || echo 0)
if [ "$demo_bytes" -gt 0 ] && [ "$demo_bytes" -lt 1500000 ]; then
    ok "size:demo"
else
    fail "size:demo" "the demo report is $demo_bytes bytes (want 1 to 1,500,000)"
fi
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
