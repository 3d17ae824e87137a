"""tests/bench/models_report.py OUTDIR — the models part of `make bench`:
rglit's (tests/bench/bench_models.c) and scikit-learn's (tests/bench/models.py)
timings and peak memory on the same work, one process per line (ratios
sklearn / rglit: above 1, rglit is faster), and the agreement of their
results. Exits 1 when BENCH_STRICT=1 and a check disagrees (the tree's
predictions are only reported: tied split gains may be broken differently)."""
import math
import os
import sys

outdir = sys.argv[1]
LINES = ("path", "grid", "tree", "perm")


def read_kv(line, prog):
    kv = {}
    path = os.path.join(outdir, f"models.{line}.{prog}.kv")
    if os.path.exists(path):
        with open(path) as f:
            for row in f:
                key, _, value = row.rstrip("\n").partition(" ")
                kv[key] = value
    return kv


def read_txt(line, prog):
    """{(kind, gene or output, alpha index or None): [numbers]}"""
    out = {}
    path = os.path.join(outdir, f"models.{line}.{prog}.txt")
    if not os.path.exists(path):
        return out
    with open(path) as f:
        for row in f:
            w = row.split()
            if w[0] == "coef":
                out[("coef", int(w[1]), int(w[2]))] = [float(v) for v in w[3:]]
            else:
                out[(w[0], int(w[1]), None)] = [float(v) for v in w[2:]]
    return out


me = {line: read_kv(line, "rglit") for line in LINES}
sk = {line: read_kv(line, "sklearn") for line in LINES}


def num(kv, key):
    v = kv.get(key)
    try:
        return float(v) if v is not None else None
    except ValueError:
        return None


def secs(t, runs):
    if t is None:
        return f"{'-':>10}"
    return f"{t:9.3f}s" + ("¹" if runs == "1" else " ")


def mb(x):
    return f"{x:8.1f}" if x is not None else f"{'-':>8}"


any_kv = next((kv for kv in list(me.values()) + list(sk.values()) if kv), {})
threads = next((kv["threads"] for kv in me.values() if "threads" in kv), "?")
genes = me["path"].get("path.sub") or sk["path"].get("path.genes") or "?"
nperm = me["perm"].get("perm.nperm") or sk["perm"].get("perm.nperm") or "?"
print(f"models: {any_kv.get('n', '?')} rows, {any_kv.get('p', '?')} radiomic features "
      f"(standardised), genes as log2(1 + x); best of {any_kv.get('repeats', '?')} runs after a "
      f"warm-up, ¹ timed once (a run over {os.environ.get('BENCH_MODELS_ONCE', '2')} s); "
      f"peak RSS of each line's process")
print(f"sklearn: {next((kv['versions'] for kv in sk.values() if 'versions' in kv), 'did not run')}")
rows = (
    # label, line, rglit time key, sklearn time key, whether the MB columns go here
    (f"lasso paths, {genes} genes x 100 alphas", "path", "path.sub", "path", 1),
    ("enet grid 30 x 5-fold + refit", "grid", "grid", "grid", 1),
    (f"  same, {threads} threads / n_jobs=2", "grid", f"grid.threads{threads}", "grid.njobs2", 0),
    ("tree depth 5, 10 outputs", "tree", "tree", "tree", 1),
    (f"lasso perm test, {nperm} perms", "perm", "perm", "perm", 1),
    (f"  same, {threads} threads / n_jobs=2", "perm", f"perm.threads{threads}", "perm.njobs2", 0),
)
print(f"{'':38} {'rglit':>10}  {'sklearn':>10}  {'ratio':>6} {'(CPU)':>6} {'rglit MB':>9} {'sklearn MB':>10}")
for label, line, kr, ks, with_mb in rows:
    a, b = num(me[line], f"time.{kr}"), num(sk[line], f"time.{ks}")
    ca, cb = num(me[line], f"cpu.{kr}"), num(sk[line], f"cpu.{ks}")
    if line == "path" and me[line].get("path.sub") == me[line].get("path.genes"):
        ca = num(me[line], "cpu.path")
    ratio = f"{b / a:5.1f}x" if a and b else f"{'n/a':>6}"
    cratio = f"{cb / ca:5.1f}x" if ca and cb and "njobs" not in ks and "threads" not in kr else ""
    if line == "tree" and me[line].get("tree.status", "ok") != "ok":
        first = f"{'failed':>10} "
    else:
        first = secs(a, me[line].get(f"runs.{kr}"))
    ma = num(me[line], "rss.peak") if with_mb else None
    mbb = num(sk[line], "rss.peak") if with_mb else None
    print(f"{label:38} {first} {secs(b, sk[line].get(f'runs.{ks}'))} {ratio} {cratio:>6} "
          f"{mb(ma) if with_mb else '':>9} {mb(mbb) if with_mb else '':>10}")
if not sk["grid"].get("time.grid.njobs2") and not sk["perm"].get("time.perm.njobs2") and any(sk.values()):
    print("(scikit-learn with n_jobs=2 not run: BENCH_MODELS_NJOBS2=1 adds it, about a minute and a half)")
la = [num(me[x], "rss.loaded") for x in LINES if num(me[x], "rss.loaded")]
lb = [num(sk[x], "rss.loaded") for x in LINES if num(sk[x], "rss.loaded")]
if la or lb:
    print(f"(resident after loading the data, before the work: rglit {max(la) if la else math.nan:.1f} MB, "
          f"scikit-learn {max(lb) if lb else math.nan:.1f} MB with its imports; CPU: the process's CPU "
          f"time ratio, immune to other load on a 1-thread line)")
if me["path"].get("path.genes") and me["path"].get("path.genes") != me["path"].get("path.sub"):
    print(f"(rglit did {me['path']['path.genes']} genes in {num(me['path'], 'time.path'):.3f}s; the "
          f"row compares its first {me['path']['path.sub']})")

problems, notes = [], []


def close(a, b, tol):
    return a is not None and b is not None and abs(a - b) <= tol * max(1.0, abs(b))


# 1. lasso paths: the alphas, the coefficients of a few genes at a few alphas
# (relative to the vector's largest, or the largest of the gene's sampled
# vectors when that is larger: at alpha_max every coefficient is 0 but for
# rounding), the intercepts and the iteration counts
if me["path"] and sk["path"]:
    ta, tb = read_txt("path", "rglit"), read_txt("path", "sklearn")
    common = sorted(set(ta) & set(tb), key=str)
    gene_max = {}
    for key, v in tb.items():
        if key[0] == "coef":
            gene_max[key[1]] = max(gene_max.get(key[1], 0.0), max(abs(u) for u in v))
    if not common:
        problems.append("path: no vectors to compare")
    worst_coef = worst_alpha = 0.0
    same_iters = total_iters = 0
    for key in common:
        x, y = ta[key], tb[key]
        if len(x) != len(y):
            problems.append(f"path {key}: lengths differ")
            continue
        if key[0] == "coef":
            scale = max(max(abs(v) for v in x + y), gene_max.get(key[1], 0.0), 1e-300)
            d = max(abs(u - v) for u, v in zip(x, y)) / scale if any(y) or any(x) else 0.0
            worst_coef = max(worst_coef, d)
            if d > 1e-6:
                problems.append(f"path gene {key[1]} alpha {key[2]}: coefficients differ by "
                                f"{d:.2e} of the largest")
        elif key[0] == "alphas":
            d = max(abs(u - v) / abs(v) for u, v in zip(x, y))
            worst_alpha = max(worst_alpha, d)
            if d > 1e-12:
                problems.append(f"path gene {key[1]}: alphas differ by {d:.2e} (relative)")
        elif key[0] == "intercepts":
            if not all(close(u, v, 1e-6) for u, v in zip(x, y)):
                problems.append(f"path gene {key[1]}: intercepts differ")
        elif key[0] == "iters":
            total_iters += len(x)
            same_iters += sum(u == v for u, v in zip(x, y))
    sub = "path.sub." if "path.sub.n_iter" in me["path"] else "path."
    a_it, b_it = me["path"].get(sub + "n_iter"), sk["path"].get("path.n_iter")
    a_nc, b_nc = me["path"].get(sub + "not_converged"), sk["path"].get("path.not_converged")
    sa, sb = num(me["path"], sub + "sum_abs_coef"), num(sk["path"], "path.sum_abs_coef")
    if not close(sa, sb, 1e-6):
        problems.append(f"path: sum |coef| over all genes and alphas: rglit {sa!r}, sklearn {sb!r}")
    print(f"path: alphas within {worst_alpha:.1e} (relative), sampled coefficients within "
          f"{worst_coef:.1e} of the largest ({len([k for k in common if k[0] == 'coef'])} "
          f"vectors); sweeps {same_iters}/{total_iters} sampled fits identical, total rglit {a_it}, "
          f"sklearn {b_it}; not converged rglit {a_nc}, sklearn {b_nc}")

# 2. grid search: the mean test scores, the best candidate, the refit
if me["grid"] and sk["grid"]:
    worst = 0.0
    for i in range(30):
        a, b = num(me["grid"], f"grid.mean.{i}"), num(sk["grid"], f"grid.mean.{i}")
        for key in ("alpha", "l1_ratio"):
            if not close(num(me["grid"], f"grid.{key}.{i}"), num(sk["grid"], f"grid.{key}.{i}"), 1e-12):
                problems.append(f"grid candidate {i}: {key} differs")
        if a is None or b is None:
            problems.append(f"grid.mean.{i}: missing")
            continue
        d = abs(a - b) / max(abs(b), 1e-300)
        worst = max(worst, d)
        if d > 1e-6:
            problems.append(f"grid candidate {i}: mean score rglit {a!r}, sklearn {b!r}")
    ba, bb = me["grid"].get("grid.best"), sk["grid"].get("grid.best")
    if ba != bb:
        problems.append(f"grid: best candidate rglit {ba}, sklearn {bb}")
    if not close(num(me["grid"], "grid.refit.intercept"), num(sk["grid"], "grid.refit.intercept"), 1e-6):
        problems.append("grid: refit intercepts differ")
    ident = me["grid"].get("grid.identical")
    print(f"grid: mean test scores within {worst:.1e} (relative), best candidate rglit {ba}, sklearn "
          f"{bb}; rglit 1 and {threads} threads " +
          ("bit-identical" if ident == "1" else "DIFFER" if ident == "0" else "not compared"))
    if ident == "0":
        problems.append("grid: rglit's scores differ between 1 and several threads")

# 3. tree: predictions on the training rows (reported, never a failure)
if me["tree"].get("tree.status", "ok") != "ok":
    print(f"tree: rglit {me['tree'].get('tree.status')}")
elif me["tree"] and sk["tree"]:
    ta, tb = read_txt("tree", "rglit"), read_txt("tree", "sklearn")
    worst, ndiff, total = 0.0, 0, 0
    for key in set(ta) & set(tb):
        for u, v in zip(ta[key], tb[key]):
            d = abs(u - v) / max(1.0, abs(v))
            worst = max(worst, d)
            ndiff += d > 1e-10
            total += 1
    na, nb = me["tree"].get("tree.nnode"), sk["tree"].get("tree.nnode")
    if total and ndiff == 0:
        print(f"tree: predictions on the training rows within {worst:.1e} ({total} values); "
              f"nodes rglit {na}, sklearn {nb}")
    else:
        print(f"tree: predictions differ at {ndiff}/{total} values (largest {worst:.2e}); nodes "
              f"rglit {na}, sklearn {nb} — tied split gains broken differently? (reported only)")

# 4. permutation test: the observed score; the p-values in the same ballpark
# (different permutations: within 5 standard errors of their difference)
if me["perm"] and sk["perm"]:
    oa, ob = num(me["perm"], "perm.observed"), num(sk["perm"], "perm.observed")
    if not close(oa, ob, 1e-6):
        problems.append(f"perm: observed r2 rglit {oa!r}, sklearn {ob!r}")
    pa, pb = num(me["perm"], "perm.p"), num(sk["perm"], "perm.p")
    na, nb = num(me["perm"], "perm.nvalid") or 1, num(sk["perm"], "perm.nvalid") or 1
    ok_p = False
    if pa is not None and pb is not None:
        pm = (pa + pb) / 2
        se = math.sqrt(max(pm * (1 - pm), 0.25 / min(na, nb)) * (1 / na + 1 / nb))
        ok_p = abs(pa - pb) <= 5 * se
        if not ok_p:
            problems.append(f"perm: p-values rglit {pa:.4f}, sklearn {pb:.4f} (more than 5 se apart)")
    ident = me["perm"].get("perm.identical")
    if ident != "1":
        problems.append("perm: rglit's permuted scores differ between 1 and several threads")
    def g(x, spec):
        return format(x, spec) if x is not None else "?"

    print(f"perm: observed r2 rglit {g(oa, '.10g')}, sklearn {g(ob, '.10g')}; p rglit {g(pa, '.4f')}, "
          f"sklearn {g(pb, '.4f')} ({'same ballpark' if ok_p else 'FAR APART'}; the permutations differ); rglit's "
          f"{me['perm'].get('perm.nperm')} permuted scores with 1 and {threads} threads "
          + ("bit-identical (memcmp)" if ident == "1" else "DIFFER"))

missing = [f"{prog} {line}" for line in LINES for prog, d in (("rglit", me), ("sklearn", sk))
           if not d[line]]
if missing:
    problems.append("no results from " + ", ".join(missing))
print("agreement with scikit-learn: " + ("all checks within tolerance" if not problems
                                         else "; ".join(problems)))
if problems and os.environ.get("BENCH_STRICT") == "1":
    sys.exit(1)
