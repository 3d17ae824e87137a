"""tests/bench/screen.py — the NumPy/SciPy reference for `make bench`: the
same correlation screens as tests/bench/bench_screen.c, written the way a
NumPy user would (standardise + matmul, scipy.stats.t.sf, BH in NumPy as R's
p.adjust), on the same two CSV files. Run with Debian's /usr/bin/python3
(python3-numpy, python3-scipy).

    python3 screen.py A.csv B.csv OUTDIR [REPEATS]

Each step runs once as a warm-up, then REPEATS times (default 3); the best
time.perf_counter() wall time is kept. The peak resident set of each step is
VmHWM from /proc/self/status, reset (/proc/self/clear_refs "5") before the
step. Writes OUTDIR/numpy.kv, OUTDIR/numpy_{pearson,spearman}_{sample,kept}.txt
and OUTDIR/numpy_perm.txt in the formats of bench_screen.c.
"""
import gc
import os
import sys
import time

import numpy as np
import scipy
import scipy.stats

SAMPLE_STRIDE = 1009  # pairs k = 0, 1009, ... in row-major order i * q + j
NPERM = 1000
KEEP_PADJ = 0.05
KEEP_R = 0.5

if len(sys.argv) < 4:
    sys.exit("usage: python3 screen.py A.csv B.csv OUTDIR [REPEATS]")
path_a, path_b, outdir = sys.argv[1:4]
repeats = max(1, int(sys.argv[4])) if len(sys.argv) > 4 else 3

kv = open(os.path.join(outdir, "numpy.kv"), "w")


def put(key, value):
    kv.write(f"{key} {value}\n")


def status_mb(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024.0
    return -1.0


rss_overall = 0.0
rss_reset_ok = True


def phase_begin():
    global rss_overall, rss_reset_ok
    gc.collect()
    rss_overall = max(rss_overall, status_mb("VmHWM"))
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        rss_reset_ok = False


def phase_end(name):
    global rss_overall
    h = status_mb("VmHWM")
    rss_overall = max(rss_overall, h)
    put(f"rss.{name}", f"{h:.1f}")


def best_of(name, fn):
    """fn() once as a warm-up, then `repeats` times; returns the last result."""
    phase_begin()
    best = float("inf")
    res = None
    for rep in range(repeats + 1):
        res = None  # let the previous result go before the next run
        t0 = time.perf_counter()
        res = fn()
        t = time.perf_counter() - t0
        if rep > 0:
            best = min(best, t)
    phase_end(name)
    put(f"time.{name}", f"{best:.6f}")
    print(f"numpy  {name:<22} {best:9.4f} s   peak RSS {status_mb('VmHWM'):7.1f} MB", flush=True)
    return res


def blas_info():
    """The BLAS library numpy's matmul calls, from the process's mappings."""
    libs = set()
    with open("/proc/self/maps") as f:
        for line in f:
            path = line.split()[-1]
            base = os.path.basename(path)
            if "blas" in base.lower() and base.startswith("lib"):
                libs.add(os.path.realpath(path))
    return ", ".join(sorted(libs)) or "?"


# ---- read ------------------------------------------------------------------
def read_one(path):
    with open(path) as f:
        lines = f.read().splitlines()
    header = lines[0].split(",")
    ids = [line.split(",", 1)[0] for line in lines[1:]]
    data = np.loadtxt(lines[1:], delimiter=",", usecols=range(1, len(header)), dtype=np.float64,
                      ndmin=2)
    return ids, header[1:], data


def read_both():
    return read_one(path_a), read_one(path_b)


(ids_a, names_a, A), (ids_b, names_b, B) = best_of("read", read_both)
put("blas", f"numpy {np.__version__}, scipy {scipy.__version__} | BLAS {blas_info()}")
put("repeats", repeats)
if ids_a == ids_b:
    put("ids", "same")
else:
    pos_b = {s: i for i, s in enumerate(ids_b)}
    common = [i for i, s in enumerate(ids_a) if s in pos_b]
    A = A[common]
    B = B[[pos_b[ids_a[i]] for i in common]]
    put("ids", "aligned")
n, p = A.shape
q = B.shape[1]
put("n", n)
put("p", p)
put("q", q)
gc.collect()
put("rss.loaded", f"{status_mb('VmRSS'):.1f}")
print(f"numpy  {n} rows, {p} x {q} columns = {p * q} pairs", flush=True)


# ---- the screens -------------------------------------------------------------
def standardise(X):
    """Columns of X (n x m) centred and scaled to sd 1 (ddof 1); NaN for a
    constant column (its correlations are undefined)."""
    Z = X - X.mean(axis=0)
    sd = np.sqrt(np.einsum("ij,ij->j", Z, Z) / (X.shape[0] - 1))
    sd[X.max(axis=0) == X.min(axis=0)] = np.nan
    Z /= sd
    return Z


def p_adjust_bh(pv):
    """R's p.adjust(p, "BH"): NaN kept in place and left out of n."""
    flat = pv.ravel()
    ok = ~np.isnan(flat)
    x = flat[ok]
    m = x.size
    o = np.argsort(x, kind="stable")[::-1]  # decreasing
    i = np.arange(m, 0, -1, dtype=np.float64)
    adj = np.minimum.accumulate((m / i) * x[o])
    np.minimum(adj, 1.0, out=adj)
    out = np.full(flat.shape, np.nan)
    tmp = np.empty(m)
    tmp[o] = adj
    out[ok] = tmp
    return out.reshape(pv.shape)


def screen(X, Y):
    nrow = X.shape[0]
    df = nrow - 2
    with np.errstate(invalid="ignore", divide="ignore"):
        r = standardise(X).T @ standardise(Y)
        r /= nrow - 1
        np.clip(r, -1.0, 1.0, out=r)
        t = r * np.sqrt(df / (1.0 - r * r))
        pv = 2.0 * scipy.stats.t.sf(np.abs(t), df)
    del t
    return r, pv, p_adjust_bh(pv)


def screen_spearman(X, Y):
    return screen(scipy.stats.rankdata(X, axis=0), scipy.stats.rankdata(Y, axis=0))


def fmt(x):
    return "NA" if np.isnan(x) else repr(float(x))


def checksums(name, res):
    r, pv, pa = (x.ravel() for x in res)
    with np.errstate(invalid="ignore"):
        keep = np.flatnonzero(~np.isnan(pa) & (pa < KEEP_PADJ) & (np.abs(r) > KEEP_R))
    with open(os.path.join(outdir, f"numpy_{name}_kept.txt"), "w") as f:
        for k in keep:
            f.write(f"{k} {fmt(r[k])} {fmt(pv[k])} {fmt(pa[k])}\n")
    with open(os.path.join(outdir, f"numpy_{name}_sample.txt"), "w") as f:
        for k in range(0, r.size, SAMPLE_STRIDE):
            f.write(f"{k} {fmt(r[k])} {fmt(pv[k])} {fmt(pa[k])}\n")
    put(f"{name}.pairs", r.size)
    put(f"{name}.n_nan", int(np.isnan(r).sum()))
    put(f"{name}.kept", keep.size)
    put(f"{name}.kept_idsum", int(keep.sum()))
    put(f"{name}.sum_abs_r", f"{np.nansum(np.abs(r)):.10g}")


res = best_of("pearson", lambda: screen(A, B))
checksums("pearson", res)
del res
res = best_of("spearman", lambda: screen_spearman(A, B))
checksums("spearman", res)
del res


# ---- permutations: gene 0 against every feature --------------------------------
def perm(X, g, nperm):
    rng = np.random.default_rng(1)
    nrow = X.shape[0]
    idx = np.empty((nrow, nperm + 1), dtype=np.intp)
    idx[:, 0] = np.arange(nrow)  # column 0: the identity, the observed r
    for i in range(1, nperm + 1):
        idx[:, i] = rng.permutation(nrow)
    with np.errstate(invalid="ignore", divide="ignore"):
        zg = standardise(g.reshape(-1, 1))[:, 0]
        R = standardise(X).T @ zg[idx]  # p x (1 + nperm)
        R /= nrow - 1
        r_obs = R[:, 0].copy()
        exceed = (np.abs(R[:, 1:]) >= np.abs(r_obs)[:, None]).sum(axis=1)
    pv = (1.0 + exceed) / (1.0 + nperm)
    pv[np.isnan(r_obs)] = np.nan
    return r_obs, pv


r_obs, pv = best_of("perm", lambda: perm(A, B[:, 0], NPERM))
put("perm.gene", names_b[0])
with open(os.path.join(outdir, "numpy_perm.txt"), "w") as f:
    for i in range(p):
        f.write(f"{i} {fmt(r_obs[i])} {fmt(pv[i])}\n")

rss_overall = max(rss_overall, status_mb("VmHWM"))
put("rss.peak", f"{rss_overall:.1f}")
put("rss.reset_ok", int(rss_reset_ok))
print(f"numpy  peak RSS {rss_overall:.1f} MB (VmHWM, running max)", flush=True)
kv.close()
