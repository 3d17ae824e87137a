"""tests/bench/models.py — the scikit-learn reference for the models part of
`make bench`: the same work as tests/bench/bench_models.c, written the way a
scikit-learn user would, on the same two CSV files. Run with Debian's
/usr/bin/python3 (python3-sklearn, python3-numpy, python3-scipy).

    python3 models.py LINE A.csv B.csv OUTDIR [REPEATS [N]]

X: the columns of A.csv standardised (StandardScaler); Y: log2(1 + v) of the
first columns of B.csv, rows joined on the IDs. One LINE per process, so that
its peak resident set (resource.getrusage ru_maxrss) is its own:
  path  for each of N genes (500), X and y centred (as LassoCV does) and
        lasso_path(Xc, yc, n_alphas=100, eps=1e-3);
  grid  GridSearchCV(Pipeline(StandardScaler, ElasticNet), alpha =
        logspace(-3, 0, 10) x l1_ratio (0.2, 0.5, 0.8), KFold(5),
        neg_mean_squared_error, n_jobs=1, refit) on gene 1;
  tree  DecisionTreeRegressor(max_depth=5, random_state=0) on genes 1..10;
  perm  permutation_test_score(Pipeline(StandardScaler, Lasso(alpha=0.1)),
        cv=KFold(5), n_permutations=N (1000), scoring="r2", random_state=0,
        n_jobs=1) on gene 1.
With BENCH_MODELS_NJOBS2=1, grid and perm also run with n_jobs=2 (joblib's
worker processes: their memory is not in the peak). OpenBLAS runs one thread
(OPENBLAS_NUM_THREADS=1 unless set), as rglit's.
Timing as bench_models.c: a warm-up, then the best of REPEATS runs (default
3) of time.perf_counter(); a run whose warm-up takes more than
BENCH_MODELS_ONCE seconds (2) is timed once (the warm-up itself), and
REPEATS 0 always times one run. Writes OUTDIR/models.LINE.sklearn.kv and,
for path and tree, OUTDIR/models.LINE.sklearn.txt.
"""
import os
import resource
import sys
import time
import warnings

# One BLAS thread, as rglit (par_init): with n_jobs=1 scikit-learn is meant
# to use one core, and OpenBLAS's spinning threads on the small products of
# the duality gap slow it down (twice as slow on a busy machine). Set before
# numpy loads; joblib's workers inherit it, and the warnings filter.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("PYTHONWARNINGS", "ignore::UserWarning")

import numpy as np  # noqa: E402
import scipy  # noqa: E402
import sklearn  # noqa: E402
from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.linear_model import ElasticNet, Lasso, lasso_path  # noqa: E402
from sklearn.model_selection import GridSearchCV, KFold, permutation_test_score  # noqa: E402
from sklearn.pipeline import Pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402
from sklearn.tree import DecisionTreeRegressor  # noqa: E402

NALPHA = 100
PATH_EPS = 1e-3
PATH_ALPHA_SAMPLE = (0, 10, 25, 50, 75, 99)  # as bench_models.c
FOLDS = 5
TREE_Q = 10

if len(sys.argv) < 5:
    sys.exit("usage: python3 models.py path|grid|tree|perm A.csv B.csv OUTDIR [REPEATS [N]]")
line, path_a, path_b, outdir = sys.argv[1:5]
repeats = max(0, int(sys.argv[5])) if len(sys.argv) > 5 else 3
nn = int(sys.argv[6]) if len(sys.argv) > 6 else 0
once_s = float(os.environ.get("BENCH_MODELS_ONCE", "2"))
if line not in ("path", "grid", "tree", "perm"):
    sys.exit("models.py: LINE must be path, grid, tree or perm")

kv = open(os.path.join(outdir, f"models.{line}.sklearn.kv"), "w")


def put(key, value):
    kv.write(f"{key} {value}\n")


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def rss_mb():
    with open("/proc/self/status") as f:
        for row in f:
            if row.startswith("VmRSS:"):
                return int(row.split()[1]) / 1024.0
    return -1.0


def best_of(name, fn):
    """fn() once as a warm-up, then `repeats` times (unless the warm-up took
    more than once_s seconds); returns the last result."""
    best = best_cpu = float("inf")
    runs = 0
    res = None
    for rep in range(repeats + 1):
        res = None  # let the previous result go before the next run
        c0 = time.process_time()
        t0 = time.perf_counter()
        res = fn()
        t = time.perf_counter() - t0
        c = time.process_time() - c0
        if rep > 0 or repeats == 0 or t > once_s:
            runs += 1
            if t < best:
                best, best_cpu = t, c
        if repeats == 0 or (rep == 0 and t > once_s):
            break
    put(f"time.{name}", f"{best:.6f}")
    put(f"cpu.{name}", f"{best_cpu:.6f}")
    put(f"runs.{name}", runs)
    print(f"sklearn  {name:<26} {best:9.4f} s   peak RSS {peak_mb():7.1f} MB"
          + ("   (timed once)" if runs == 1 else ""), flush=True)
    return res


def blas_info():
    libs = set()
    with open("/proc/self/maps") as f:
        for row in f:
            p = row.split()[-1]
            base = os.path.basename(p)
            if "blas" in base.lower() and base.startswith("lib"):
                libs.add(os.path.realpath(p))
    return ", ".join(sorted(libs)) or "?"


# ---- data --------------------------------------------------------------------
def read_one(path):
    with open(path) as f:
        lines = f.read().splitlines()
    header = lines[0].split(",")
    ids = [row.split(",", 1)[0] for row in lines[1:]]
    data = np.loadtxt(lines[1:], delimiter=",", usecols=range(1, len(header)), dtype=np.float64,
                      ndmin=2)
    return ids, data


ids_a, A = read_one(path_a)
ids_b, B = read_one(path_b)
if ids_a == ids_b:
    put("ids", "same")
else:
    pos_b = {s: i for i, s in enumerate(ids_b)}
    common = [i for i, s in enumerate(ids_a) if s in pos_b]
    A = A[common]
    B = B[[pos_b[ids_a[i]] for i in common]]
    put("ids", "aligned")
genes = (nn or 500) if line == "path" else TREE_Q if line == "tree" else 1
X = StandardScaler().fit_transform(A)
Y = np.log2(1.0 + B[:, :genes])
if np.isnan(X).any() or np.isnan(Y).any():
    sys.exit("models.py: missing or negative values")
del A, B
n, p = X.shape
put("n", n)
put("p", p)
put("q", genes)
put("repeats", repeats)
put("versions", f"scikit-learn {sklearn.__version__}, numpy {np.__version__}, "
                f"scipy {scipy.__version__} | BLAS {blas_info()}, "
                f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS')}")
put("rss.loaded", f"{rss_mb():.1f}")


def write_vec(f, head, x):
    f.write(head + "".join(f" {float(v)!r}" for v in x) + "\n")


# ---- 1. lasso paths ------------------------------------------------------------
def line_path():
    sample = {0, genes // 2, genes - 1}
    state = {}

    def run():
        sum_abs, iters = 0.0, 0
        kept = []  # what a caller keeps of the paths: checksums and a few vectors
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", ConvergenceWarning)
            for g in range(genes):
                xm = X.mean(axis=0)
                Xc = np.asfortranarray(X - xm)
                y = Y[:, g]
                ym = y.mean()
                alphas, coefs, _, n_iters = lasso_path(Xc, y - ym, n_alphas=NALPHA, eps=PATH_EPS,
                                                       return_n_iter=True)
                sum_abs += float(np.abs(coefs).sum())
                iters += int(np.sum(n_iters))
                if g in sample:
                    kept.append((g, alphas, ym - xm @ coefs, list(n_iters),
                                 [coefs[:, a].copy() for a in PATH_ALPHA_SAMPLE]))
            not_conv = sum(issubclass(w.category, ConvergenceWarning) for w in caught)
        state.update(sum_abs=sum_abs, iters=iters, not_conv=not_conv, kept=kept)

    best_of("path", run)
    with open(os.path.join(outdir, "models.path.sklearn.txt"), "w") as txt:
        for g, alphas, intercepts, n_iters, coefs in state["kept"]:
            write_vec(txt, f"alphas {g}", alphas)
            write_vec(txt, f"intercepts {g}", intercepts)
            txt.write(f"iters {g}" + "".join(f" {int(k)}" for k in n_iters) + "\n")
            for a, c in zip(PATH_ALPHA_SAMPLE, coefs):
                write_vec(txt, f"coef {g} {a}", c)
    put("path.genes", genes)
    put("path.nalpha", NALPHA)
    put("path.sum_abs_coef", repr(state["sum_abs"]))
    put("path.n_iter", state["iters"])
    put("path.not_converged", state["not_conv"])


# ---- 2. grid search ---------------------------------------------------------------
def line_grid():
    warnings.simplefilter("ignore", ConvergenceWarning)
    y = Y[:, 0]
    grid = {"enet__alpha": np.logspace(-3, 0, 10), "enet__l1_ratio": [0.2, 0.5, 0.8]}

    def run(jobs):
        pipe = Pipeline([("scale", StandardScaler()), ("enet", ElasticNet())])
        return GridSearchCV(pipe, grid, cv=KFold(FOLDS), scoring="neg_mean_squared_error",
                            n_jobs=jobs).fit(X, y)

    gs = best_of("grid", lambda: run(1))
    if os.environ.get("BENCH_MODELS_NJOBS2") == "1":
        gs2 = best_of("grid.njobs2", lambda: run(2))
        put("grid.njobs2.identical",
            int(np.array_equal(gs.cv_results_["mean_test_score"], gs2.cv_results_["mean_test_score"])))
    res = gs.cv_results_
    for i, prm in enumerate(res["params"]):
        put(f"grid.alpha.{i}", repr(float(prm["enet__alpha"])))
        put(f"grid.l1_ratio.{i}", repr(float(prm["enet__l1_ratio"])))
        put(f"grid.mean.{i}", repr(float(res["mean_test_score"][i])))
    enet = gs.best_estimator_.named_steps["enet"]
    put("grid.best", gs.best_index_)
    put("grid.refit.intercept", repr(float(enet.intercept_)))
    put("grid.refit.nnz", int(np.count_nonzero(enet.coef_)))


# ---- 3. regression tree -------------------------------------------------------------
def line_tree():
    Yt = Y[:, :TREE_Q]
    tree = best_of("tree", lambda: DecisionTreeRegressor(max_depth=5, random_state=0).fit(X, Yt))
    pred = tree.predict(X)
    with open(os.path.join(outdir, "models.tree.sklearn.txt"), "w") as txt:
        for k in range(TREE_Q):
            write_vec(txt, f"pred {k}", pred[:, k])
    put("tree.status", "ok")
    put("tree.nnode", tree.tree_.node_count)


# ---- 4. permutation test ---------------------------------------------------------------
def line_perm():
    warnings.simplefilter("ignore", ConvergenceWarning)
    nperm = nn or 1000
    y = Y[:, 0]

    def run(jobs):
        pipe = Pipeline([("scale", StandardScaler()), ("lasso", Lasso(alpha=0.1))])
        return permutation_test_score(pipe, X, y, cv=KFold(FOLDS), n_permutations=nperm,
                                      scoring="r2", random_state=0, n_jobs=jobs)

    score, perm, pv = best_of("perm", lambda: run(1))
    if os.environ.get("BENCH_MODELS_NJOBS2") == "1":
        s2, perm2, _ = best_of("perm.njobs2", lambda: run(2))
        put("perm.njobs2.identical", int(s2 == score and np.array_equal(perm, perm2)))
    put("perm.nperm", nperm)
    put("perm.observed", repr(float(score)))
    put("perm.p", repr(float(pv)))
    put("perm.exceed", int(np.sum(perm >= score)))
    put("perm.nvalid", int(np.sum(~np.isnan(perm))))
    put("perm.mean_perm", repr(float(np.mean(perm))))
    print(f"sklearn  perm: observed r2 {score:.6g}, p {pv:.4g}", flush=True)


{"path": line_path, "grid": line_grid, "tree": line_tree, "perm": line_perm}[line]()
put("rss.peak", f"{peak_mb():.1f}")
kv.close()
