#!/usr/bin/python3
"""Reference values for rglit's linear models (engine/models/).

Run from the repository root with Debian's Python and scikit-learn
(python3-sklearn; the file was made with scikit-learn 1.2.1):

    /usr/bin/python3 tests/conformance/gen_models.py

Writes tests/conformance/models.json. Sections:

  meta              versions (python, numpy, scipy, sklearn) and notes
  datasets          inline data (X, Y as lists of columns) or, for the NSCLC
                    data, only the column names and the transform to apply
  fits              LinearRegression, Lasso, ElasticNet, MultiTaskLasso,
                    MultiTaskElasticNet: coef, intercept, n_iter, dual_gap,
                    converged, predictions on the training X
  paths             lasso_path / enet_path on centred data, default alpha grid
  cv_predict        cross_val_predict with KFold(k) (no shuffle)
  grid              GridSearchCV with KFold(k): per-split scores, ranks, refit
  select            SelectFromModel: importances, resolved threshold, support
  metrics           mean_squared_error, its root, r2_score, rmse / sd(y_true)
  auc               roc_auc_score
  auc_at_thresholds roc_auc_score of y_pred against y_obs > t, t = 0.1..0.9

Matrices are stored as lists of columns; "coef" as one list of p values per
output. Numbers are written with Python's repr (shortest round-trip, so every
double is exact), NaN as null, +-Inf as "Infinity"/"-Infinity", as in
gen_scale.py, except that a zero is written 0 (the sign of a zero is
dropped: coordinate descent leaves many -0.0) and that case lines have no
spaces after "," and ":" (both keep the file small). Every params object
lists all the parameters (defaults included); the estimators otherwise use
scikit-learn's defaults (precompute=False, selection="cyclic",
positive=False, warm_start=False).

The NSCLC data (../shared/data/nsclc-radiogenomics, relative to the
repository root) is never copied into the JSON: its datasets hold the column
names, and the reader takes those columns in that order, standardises X with
StandardScaler (population sd, scale 1 for a constant column) over all 44
rows and sets y = log2(1 + expression). Without that folder the NSCLC
datasets and cases are left out. The output is deterministic (BLAS is kept
to one thread).
"""

import os

# one BLAS thread: the same sums in the same order on every run
for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_v] = "1"

import csv  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import sys  # noqa: E402
import warnings  # noqa: E402

import numpy as np  # noqa: E402
import scipy  # noqa: E402
import sklearn  # noqa: E402
from sklearn.datasets import load_diabetes, load_linnerud  # noqa: E402
from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.feature_selection import SelectFromModel  # noqa: E402
from sklearn.feature_selection._base import _get_feature_importances  # noqa: E402
from sklearn.linear_model import (ElasticNet, Lasso, LinearRegression,  # noqa: E402
                                  MultiTaskElasticNet, MultiTaskLasso,
                                  enet_path, lasso_path)
from sklearn.linear_model._coordinate_descent import _alpha_grid  # noqa: E402
from sklearn.metrics import mean_squared_error, r2_score, roc_auc_score  # noqa: E402
from sklearn.model_selection import GridSearchCV, KFold, cross_val_predict  # noqa: E402
from sklearn.pipeline import Pipeline  # noqa: E402
from sklearn.preprocessing import Binarizer, MinMaxScaler, StandardScaler  # noqa: E402

from jsonnum import codec  # noqa: E402

OUT = os.path.join("tests", "conformance", "models.json")
NSCLC_DIR = os.path.join("..", "shared", "data", "nsclc-radiogenomics")
X_FILE = "Lung_radiomic_features_new_cohort_n44.csv"
Y_FILE = "Lung_gene_expression_new_cohort_n44.csv"

MAX_ITER = 1000
TOL = 1e-4


enc, vec, cols = codec(int_zero=True)


def sparse(a):
    """A vector as {"index": 0-based positions, "value": values} of its
    non-zero entries; every other entry is exactly 0."""
    a = np.asarray(a, dtype=np.float64).ravel()
    nz = [i for i in range(len(a)) if a[i] != 0]
    return {"index": nz, "value": [enc(a[i]) for i in nz]}


def as2d(a, n):
    """Predictions or Y as an (n, q) array."""
    return np.asarray(a, dtype=np.float64).reshape(n, -1)


caught = []  # (where, first line of the message)


def record(where, ws):
    for w in ws:
        caught.append((where, "%s: %s" % (w.category.__name__,
                                           str(w.message).splitlines()[0])))


# ---------------------------------------------------------------------------
# datasets

DATA = {}       # name -> (X (n, p), Y (n, q), x_names, y_names)
datasets = {}   # name -> what the JSON holds


def add_inline(name, X, Y, x_names=None, y_names=None):
    X = np.asarray(X, dtype=np.float64)
    Y = np.asarray(Y, dtype=np.float64)
    if Y.ndim == 1:
        Y = Y[:, None]
    assert X.shape[0] == Y.shape[0]
    x_names = x_names or ["x%d" % (j + 1) for j in range(X.shape[1])]
    y_names = y_names or ["y%d" % (k + 1) for k in range(Y.shape[1])]
    DATA[name] = (X, Y, list(x_names), list(y_names))
    datasets[name] = {"X": cols(X), "Y": cols(Y),
                      "x_names": list(x_names), "y_names": list(y_names)}


diab = load_diabetes()
add_inline("diabetes", diab.data, diab.target, diab.feature_names, ["target"])

lin = load_linnerud()
add_inline("linnerud", lin.data, lin.target, lin.feature_names, lin.target_names)

# n = 5, p = 3
rng = np.random.default_rng(20240601)
X = rng.normal(size=(5, 3))
add_inline("n5", X, 3.0 + X @ np.array([1.5, -2.0, 0.5]) + 0.1 * rng.normal(size=5))

# p > n: n = 20, p = 50, y from 3 columns plus noise
rng = np.random.default_rng(20240602)
X = rng.normal(size=(20, 50))
add_inline("p_gt_n", X,
           1.0 + 2.0 * X[:, 0] - 1.5 * X[:, 1] + 1.0 * X[:, 2] + 0.5 * rng.normal(size=20))

# collinear: x5 duplicates x1, x6 = x2 + x3. Values are multiples of 1/8 and
# n = 32, so sums, column means and centring are exact and the dependence
# holds exactly in the centred data too.
rng = np.random.default_rng(20240603)
B = np.round(rng.normal(size=(32, 4)) * 8.0) / 8.0
X = np.column_stack([B, B[:, 0], B[:, 1] + B[:, 2]])
add_inline("collinear", X,
           0.5 + B[:, 0] + 2.0 * B[:, 1] - B[:, 3] + 0.25 * rng.normal(size=32))

# a constant column (2.5: its sum, mean and centring are exact)
rng = np.random.default_rng(20240604)
X = rng.normal(size=(30, 4))
X[:, 2] = 2.5
add_inline("constant_col", X,
           -1.0 + X[:, 0] - 0.5 * X[:, 1] + 0.75 * X[:, 3] + 0.3 * rng.normal(size=30))

# multi-task: n = 60, p = 15, the same 4 features drive every output
rng = np.random.default_rng(20240605)
X = rng.normal(size=(60, 15))
W = np.zeros((15, 4))
W[[0, 3, 7, 11], :] = rng.normal(1.0, 0.5, size=(4, 4)) * rng.choice([-1.0, 1.0], size=(4, 4))
Y = X @ W + 0.5 * rng.normal(size=(60, 4)) + np.array([1.0, -2.0, 0.5, 3.0])
add_inline("mt2", X, Y[:, :2])
add_inline("mt4", X, Y)


def read_csv(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    return rows[0][1:], [r[0] for r in rows[1:]], \
        np.array([[float(v) for v in r[1:]] for r in rows[1:]])


HAVE_NSCLC = os.path.isdir(NSCLC_DIR)
NSCLC_RULES = {}
if HAVE_NSCLC:
    xn, xids, XR = read_csv(os.path.join(NSCLC_DIR, X_FILE))
    yn, yids, YR = read_csv(os.path.join(NSCLC_DIR, Y_FILE))
    assert xids == yids and XR.shape == (44, 1522) and YR.shape == (44, 5159)
    nonconst = [j for j in range(XR.shape[1]) if XR[:, j].max() > XR[:, j].min()]
    step = len(nonconst) // 40
    small = [nonconst[i * step] for i in range(40)]
    genes = [0, 1000, 2000, 3000, 4000]

    def add_nsclc(name, xj, yj, rule):
        Xs = StandardScaler().fit_transform(XR[:, xj])
        Ys = np.log2(1.0 + YR[:, yj])
        x_names = [xn[j] for j in xj]
        y_names = [yn[k] for k in yj]
        DATA[name] = (Xs, Ys, x_names, y_names)
        # every column in file order is written "all", not 1522 names
        every = list(xj) == list(range(XR.shape[1]))
        datasets[name] = {"nsclc": {
            "x_file": X_FILE, "y_file": Y_FILE, "n": int(XR.shape[0]),
            "x_names": "all" if every else x_names, "y_names": y_names,
            "x_scale": "standard", "y_transform": "log2p1", "rule": rule}}

    small_rule = ("X: the %d non-constant radiomic columns (max > min) in file order, "
                  "every %d-th from the first (%d = %d // 40), 40 columns"
                  % (len(nonconst), step, step, len(nonconst)))
    add_nsclc("nsclc_small_1", small, genes[:1],
              small_rule + "; Y: gene column 1 (first gene)")
    add_nsclc("nsclc_small_5", small, genes,
              small_rule + "; Y: gene columns 1, 1001, 2001, 3001, 4001 (every 1000th)")
    add_nsclc("nsclc_small10_5", small[:10], genes,
              "X: the first 10 columns of nsclc_small; Y: as nsclc_small_5")
    add_nsclc("nsclc_wide_1", list(range(XR.shape[1])), genes[:1],
              "X: all 1522 radiomic columns (84 constant); Y: first gene")
    add_nsclc("nsclc_wide_3", list(range(XR.shape[1])), genes[:3],
              "X: all 1522 radiomic columns (84 constant); Y: gene columns 1, 1001, 2001")
    NSCLC_RULES["constant_columns"] = len(xn) - len(nonconst)


# ---------------------------------------------------------------------------
# estimators

ENET_KINDS = ("lasso", "elastic_net", "multitask_lasso", "multitask_elastic_net")
MULTI = ("multitask_lasso", "multitask_elastic_net")


def full_params(kind, **kw):
    if kind == "linear":
        p = {"fit_intercept": True}
    else:
        p = {"alpha": 1.0, "l1_ratio": 1.0 if kind.endswith("lasso") else 0.5,
             "fit_intercept": True, "max_iter": MAX_ITER, "tol": TOL}
    for k, v in kw.items():
        assert k in p, (kind, k)
        p[k] = v
    if kind.endswith("lasso"):
        assert p["l1_ratio"] == 1.0
    if kind != "linear":
        p["alpha"] = float(p["alpha"])
        p["l1_ratio"] = float(p["l1_ratio"])
        p["tol"] = float(p["tol"])
    return p


def make(kind, p):
    if kind == "linear":
        return LinearRegression(fit_intercept=p["fit_intercept"])
    common = dict(alpha=p["alpha"], fit_intercept=p["fit_intercept"],
                  max_iter=p["max_iter"], tol=p["tol"])
    if kind == "lasso":
        return Lasso(**common)
    if kind == "elastic_net":
        return ElasticNet(l1_ratio=p["l1_ratio"], **common)
    if kind == "multitask_lasso":
        return MultiTaskLasso(**common)
    if kind == "multitask_elastic_net":
        return MultiTaskElasticNet(l1_ratio=p["l1_ratio"], **common)
    raise ValueError(kind)


def target(kind, Y):
    """y as one would pass it: 1-D for one output unless multi-task."""
    return Y[:, 0] if Y.shape[1] == 1 and kind not in MULTI else Y


def alpha_max(data, kind, l1_ratio=1.0, outputs=None):
    """scikit-learn's largest useful alpha (_alpha_grid's first value), on
    the data as fitted (with an intercept: centred). Single-task kinds on
    several outputs: one value per output."""
    X, Y = DATA[data][0], DATA[data][1]
    if kind in MULTI:
        return float(_alpha_grid(X, Y, l1_ratio=l1_ratio, fit_intercept=True, n_alphas=2)[0])
    return [float(_alpha_grid(X, Y[:, k], l1_ratio=l1_ratio, fit_intercept=True,
                              n_alphas=2)[0]) for k in range(Y.shape[1])]


def fit_info(kind, p, X, Y, where):
    """Fit kind on X, Y; return the fitted estimator and the per-output
    convergence-warning flags."""
    q = Y.shape[1]
    with warnings.catch_warnings(record=True) as ws:
        warnings.simplefilter("always")
        est = make(kind, p).fit(X, target(kind, Y))
    record(where, ws)
    conv_warn = any(issubclass(w.category, ConvergenceWarning) for w in ws)
    if kind in MULTI or kind == "linear" or q == 1:
        warned = [conv_warn] * q
    else:
        # a single-task estimator fits each output on its own: refit each
        # output alone to learn which one warned (same coefficients)
        warned = []
        coef = est.coef_.reshape(q, -1)
        for k in range(q):
            with warnings.catch_warnings(record=True) as wk:
                warnings.simplefilter("always")
                ek = make(kind, p).fit(X, Y[:, k])
            assert np.array_equal(ek.coef_, coef[k]), where
            warned.append(any(issubclass(w.category, ConvergenceWarning) for w in wk))
        assert any(warned) == conv_warn
    return est, warned


fits = []
disagree = []  # fits where converged by n_iter alone and by warnings differ


def add_fit(name, data, kind, extra=None, **kw):
    X, Y = DATA[data][0], DATA[data][1]
    n, p_ = X.shape
    q = Y.shape[1]
    p = full_params(kind, **kw)
    est, warned = fit_info(kind, p, X, Y, "fit " + name)
    c = {"name": name, "data": data, "kind": kind, "params": p,
         "coef": [vec(r) for r in np.asarray(est.coef_).reshape(q, p_)],
         "intercept": vec(np.broadcast_to(np.asarray(est.intercept_, dtype=float), (q,)))}
    if kind == "linear":
        c["n_iter"] = [None] * q
        c["dual_gap"] = [None] * q
        c["converged"] = [True] * q
        c["rank"] = int(est.rank_)
        c["singular_values"] = vec(est.singular_)
    else:
        if kind in MULTI:
            n_iter = [int(est.n_iter_)] * q
            gap = [enc(est.dual_gap_)] * q
        else:
            n_iter = [int(v) for v in np.atleast_1d(est.n_iter_)]
            gap = vec(np.atleast_1d(est.dual_gap_))
        assert len(n_iter) == q and len(gap) == q
        conv = [ni < p["max_iter"] and not w for ni, w in zip(n_iter, warned)]
        if conv != [not w for w in warned]:
            disagree.append(name)
        c["n_iter"] = n_iter
        c["dual_gap"] = gap
        c["converged"] = conv
        c["convergence_warning"] = list(warned)
    c["pred"] = cols(as2d(est.predict(X), n))
    if extra:
        c.update(extra)
    fits.append(c)


# diabetes: every kind
add_fit("diabetes_linear", "diabetes", "linear")
add_fit("diabetes_linear_noint", "diabetes", "linear", fit_intercept=False)
for a in (0.1, 1.0):
    add_fit("diabetes_lasso_a%g" % a, "diabetes", "lasso", alpha=a)
    add_fit("diabetes_mtlasso_a%g" % a, "diabetes", "multitask_lasso", alpha=a)
    for r in (0.3, 0.7):
        add_fit("diabetes_enet_a%g_r%g" % (a, r), "diabetes", "elastic_net", alpha=a, l1_ratio=r)
        add_fit("diabetes_mtenet_a%g_r%g" % (a, r), "diabetes", "multitask_elastic_net",
                alpha=a, l1_ratio=r)
add_fit("diabetes_lasso_a0.1_noint", "diabetes", "lasso", alpha=0.1, fit_intercept=False)
add_fit("diabetes_enet_a0.1_r0.5_noint", "diabetes", "elastic_net", alpha=0.1,
        l1_ratio=0.5, fit_intercept=False)
# not converged: 3 sweeps, tiny tol
add_fit("diabetes_lasso_maxiter3", "diabetes", "lasso", alpha=0.01, max_iter=3, tol=1e-8)
add_fit("diabetes_mtenet_maxiter3", "diabetes", "multitask_elastic_net", alpha=0.01,
        l1_ratio=0.5, max_iter=3, tol=1e-8)
# alpha above alpha_max: every coefficient 0, intercept = mean(y)
am = alpha_max("diabetes", "lasso")[0]
add_fit("diabetes_lasso_above_alpha_max", "diabetes", "lasso", alpha=2.0 * am,
        extra={"alpha_max": [am]})

# linnerud: 3 outputs, every kind
add_fit("linnerud_linear", "linnerud", "linear")
for a in (1.0, 10.0):
    add_fit("linnerud_lasso_a%g" % a, "linnerud", "lasso", alpha=a)
    add_fit("linnerud_enet_a%g_r0.5" % a, "linnerud", "elastic_net", alpha=a, l1_ratio=0.5)
    add_fit("linnerud_mtlasso_a%g" % a, "linnerud", "multitask_lasso", alpha=a)
    add_fit("linnerud_mtenet_a%g_r0.5" % a, "linnerud", "multitask_elastic_net",
            alpha=a, l1_ratio=0.5)
# per-output convergence. Unlimited, the three outputs stop after 16, 17 and
# 12 sweeps. The last allowed sweep always computes the duality gap, and a
# gap below tol there ends the fit without a warning but with n_iter ==
# max_iter: converged false, convergence_warning false.
#   max_iter 10: output 1 meets tol on the last sweep, outputs 2, 3 warn;
#   max_iter 14: outputs 1, 2 meet tol on the last sweep, output 3 converges.
add_fit("linnerud_lasso_a1_maxiter10", "linnerud", "lasso", alpha=1.0, max_iter=10)
add_fit("linnerud_lasso_a1_maxiter14", "linnerud", "lasso", alpha=1.0, max_iter=14)

# n = 5
add_fit("n5_linear", "n5", "linear")
add_fit("n5_lasso", "n5", "lasso", alpha=0.1)
add_fit("n5_enet", "n5", "elastic_net", alpha=0.1, l1_ratio=0.5)

# p > n
add_fit("p_gt_n_linear", "p_gt_n", "linear")
add_fit("p_gt_n_linear_noint", "p_gt_n", "linear", fit_intercept=False)
add_fit("p_gt_n_lasso", "p_gt_n", "lasso", alpha=0.1)
add_fit("p_gt_n_enet", "p_gt_n", "elastic_net", alpha=0.1, l1_ratio=0.5)
add_fit("p_gt_n_lasso_small_alpha", "p_gt_n", "lasso", alpha=0.01)
am = alpha_max("p_gt_n", "lasso")[0]
add_fit("p_gt_n_lasso_above_alpha_max", "p_gt_n", "lasso", alpha=1.01 * am,
        extra={"alpha_max": [am]})
am = alpha_max("p_gt_n", "elastic_net", 0.5)[0]
add_fit("p_gt_n_enet_at_alpha_max", "p_gt_n", "elastic_net", alpha=am, l1_ratio=0.5,
        extra={"alpha_max": [am]})
add_fit("p_gt_n_lasso_maxiter3", "p_gt_n", "lasso", alpha=0.01, max_iter=3, tol=1e-8)

# collinear
add_fit("collinear_linear", "collinear", "linear")
add_fit("collinear_linear_noint", "collinear", "linear", fit_intercept=False)
add_fit("collinear_lasso", "collinear", "lasso", alpha=0.05)
add_fit("collinear_enet", "collinear", "elastic_net", alpha=0.05, l1_ratio=0.5)

# constant column
add_fit("constant_col_linear", "constant_col", "linear")
add_fit("constant_col_linear_noint", "constant_col", "linear", fit_intercept=False)
add_fit("constant_col_lasso", "constant_col", "lasso", alpha=0.05)
add_fit("constant_col_lasso_noint", "constant_col", "lasso", alpha=0.05, fit_intercept=False)
add_fit("constant_col_enet", "constant_col", "elastic_net", alpha=0.05, l1_ratio=0.5)

# multi-task
for d in ("mt2", "mt4"):
    add_fit(d + "_mtlasso", d, "multitask_lasso", alpha=0.1)
    add_fit(d + "_mtenet", d, "multitask_elastic_net", alpha=0.1, l1_ratio=0.5)
    add_fit(d + "_lasso", d, "lasso", alpha=0.1)
    am = alpha_max(d, "multitask_lasso")
    add_fit(d + "_mtlasso_above_alpha_max", d, "multitask_lasso", alpha=1.5 * am,
            extra={"alpha_max": [am]})
add_fit("mt4_linear", "mt4", "linear")
add_fit("mt4_mtlasso_maxiter3", "mt4", "multitask_lasso", alpha=0.01, max_iter=3, tol=1e-8)

if HAVE_NSCLC:
    for frac in (0.1, 0.5):
        am = alpha_max("nsclc_small_1", "lasso")
        add_fit("nsclc_small_1_lasso_f%g" % frac, "nsclc_small_1", "lasso",
                alpha=frac * am[0], extra={"alpha_max": am, "alpha_fraction": frac})
        am = alpha_max("nsclc_small_1", "elastic_net", 0.5)
        add_fit("nsclc_small_1_enet_r0.5_f%g" % frac, "nsclc_small_1", "elastic_net",
                alpha=frac * am[0], l1_ratio=0.5,
                extra={"alpha_max": am, "alpha_fraction": frac})
        am = alpha_max("nsclc_small_5", "multitask_lasso")
        add_fit("nsclc_small_5_mtlasso_f%g" % frac, "nsclc_small_5", "multitask_lasso",
                alpha=frac * am, extra={"alpha_max": [am], "alpha_fraction": frac})
        am = alpha_max("nsclc_small_5", "multitask_elastic_net", 0.5)
        add_fit("nsclc_small_5_mtenet_r0.5_f%g" % frac, "nsclc_small_5",
                "multitask_elastic_net", alpha=frac * am, l1_ratio=0.5,
                extra={"alpha_max": [am], "alpha_fraction": frac})
    # single-task lasso on 5 outputs: 0.1 of the smallest per-output alpha_max
    am = alpha_max("nsclc_small_5", "lasso")
    add_fit("nsclc_small_5_lasso_f0.1", "nsclc_small_5", "lasso", alpha=0.1 * min(am),
            extra={"alpha_max": am, "alpha_fraction": 0.1,
                   "alpha_rule": "alpha_fraction * min(alpha_max)"})
    add_fit("nsclc_small10_5_linear", "nsclc_small10_5", "linear")
    am = alpha_max("nsclc_wide_1", "lasso")
    add_fit("nsclc_wide_1_lasso_f0.2", "nsclc_wide_1", "lasso", alpha=0.2 * am[0],
            extra={"alpha_max": am, "alpha_fraction": 0.2})
    am = alpha_max("nsclc_wide_3", "multitask_lasso")
    add_fit("nsclc_wide_3_mtlasso_f0.2", "nsclc_wide_3", "multitask_lasso", alpha=0.2 * am,
            extra={"alpha_max": [am], "alpha_fraction": 0.2})
    add_fit("nsclc_wide_3_linear", "nsclc_wide_3", "linear")


# ---------------------------------------------------------------------------
# paths

paths = []


def add_path(name, data, kind, n_alphas, l1_ratio=1.0, fit_intercept=True, eps=1e-3):
    X, Y = DATA[data][0], DATA[data][1]
    assert Y.shape[1] == 1
    y = Y[:, 0]
    n, p = X.shape
    if fit_intercept:
        X_mean, y_mean = X.mean(axis=0), y.mean()
        Xc, yc = X - X_mean, y - y_mean
    else:
        Xc, yc = X, y
    with warnings.catch_warnings(record=True) as ws:
        warnings.simplefilter("always")
        if kind == "lasso":
            assert l1_ratio == 1.0
            alphas, coefs, gaps, n_iter = lasso_path(
                Xc, yc, eps=eps, n_alphas=n_alphas, return_n_iter=True)
        else:
            alphas, coefs, gaps, n_iter = enet_path(
                Xc, yc, l1_ratio=l1_ratio, eps=eps, n_alphas=n_alphas, return_n_iter=True)
    record("path " + name, ws)
    n_warn = sum(issubclass(w.category, ConvergenceWarning) for w in ws)
    n_iter = [int(v) for v in n_iter]
    assert n_warn == sum(v == MAX_ITER for v in n_iter), name
    coefs = np.asarray(coefs)  # (p, n_alphas)
    if fit_intercept:
        intercepts = y_mean - X_mean @ coefs
    else:
        intercepts = np.zeros(len(alphas))
    paths.append({
        "name": name, "data": data, "kind": kind, "l1_ratio": float(l1_ratio),
        "eps": eps, "n_alphas": n_alphas, "fit_intercept": fit_intercept,
        "max_iter": MAX_ITER, "tol": TOL,
        # precompute="auto": a Gram matrix when n > p (other sums, same fit)
        "gram": bool(n > p),
        "alphas": vec(alphas),
        # sparse: most of a path's coefficients are exactly 0 (the wide NSCLC
        # path is 100 x 1522), so each alpha lists its non-zero ones only
        "coefs": [sparse(coefs[:, i]) for i in range(len(alphas))],
        "intercepts": vec(intercepts),
        "n_iter": n_iter,
        "dual_gaps": vec(gaps),
        "converged": [v < MAX_ITER for v in n_iter]})


add_path("diabetes_lasso_path", "diabetes", "lasso", 100)
add_path("diabetes_enet_path_r0.5", "diabetes", "elastic_net", 10, l1_ratio=0.5)
add_path("diabetes_lasso_path_noint", "diabetes", "lasso", 10, fit_intercept=False)
add_path("p_gt_n_lasso_path", "p_gt_n", "lasso", 10)
if HAVE_NSCLC:
    add_path("nsclc_small_1_lasso_path", "nsclc_small_1", "lasso", 100)
    add_path("nsclc_wide_1_lasso_path", "nsclc_wide_1", "lasso", 100)


# ---------------------------------------------------------------------------
# cross_val_predict

def pipeline(kind, p, scale):
    est = make(kind, p)
    if scale == "standard":
        return Pipeline([("scale", StandardScaler()), ("model", est)])
    assert scale == "none"
    return est


def fold_sizes(n, k):
    return [n // k + (1 if i < n % k else 0) for i in range(k)]


cv_predict = []


def add_cv(name, data, kind, k, scale, **kw):
    X, Y = DATA[data][0], DATA[data][1]
    n = X.shape[0]
    p = full_params(kind, **kw)
    with warnings.catch_warnings(record=True) as ws:
        warnings.simplefilter("always")
        pred = cross_val_predict(pipeline(kind, p, scale), X, target(kind, Y), cv=KFold(k))
    record("cv_predict " + name, ws)
    cv_predict.append({"name": name, "data": data, "kind": kind, "params": p,
                       "folds": k, "fold_sizes": fold_sizes(n, k), "scale": scale,
                       "pred": cols(as2d(pred, n))})


add_cv("diabetes_lasso_cv5_scaled", "diabetes", "lasso", 5, "standard", alpha=0.5)
add_cv("diabetes_lasso_cv5", "diabetes", "lasso", 5, "none", alpha=0.1)
add_cv("diabetes_linear_cv5", "diabetes", "linear", 5, "none")
add_cv("linnerud_mtenet_cv4", "linnerud", "multitask_elastic_net", 4, "none",
       alpha=1.0, l1_ratio=0.5)
add_cv("linnerud_mtenet_cv4_scaled", "linnerud", "multitask_elastic_net", 4, "standard",
       alpha=0.5, l1_ratio=0.5)
if HAVE_NSCLC:
    am = alpha_max("nsclc_small_1", "lasso")[0]
    add_cv("nsclc_small_1_lasso_cv5_scaled", "nsclc_small_1", "lasso", 5, "standard",
           alpha=0.1 * am)


# ---------------------------------------------------------------------------
# GridSearchCV

grid = []


def add_grid(name, data, kind, k, scale, scoring, param_grid, **kw):
    X, Y = DATA[data][0], DATA[data][1]
    q = Y.shape[1]
    p = full_params(kind, **kw)
    pre = "model__" if scale == "standard" else ""
    g = {pre + key: [float(v) for v in vals] for key, vals in param_grid.items()}
    with warnings.catch_warnings(record=True) as ws:
        warnings.simplefilter("always")
        gs = GridSearchCV(pipeline(kind, p, scale), g, cv=KFold(k), scoring=scoring)
        gs.fit(X, target(kind, Y))
    record("grid " + name, ws)
    r = gs.cv_results_

    def full(cand):
        d = dict(p)
        for key, v in cand.items():
            d[key[len(pre):]] = float(v)
        return d

    cands = [full(c) for c in r["params"]]
    model = gs.best_estimator_[-1] if scale == "standard" else gs.best_estimator_
    p_ = X.shape[1]
    grid.append({
        "name": name, "data": data, "kind": kind, "params": p,
        "grid": {key: [float(v) for v in vals] for key, vals in param_grid.items()},
        "folds": k, "fold_sizes": fold_sizes(X.shape[0], k), "scale": scale,
        "scoring": scoring,
        "candidates": cands,
        "split_test_scores": [vec([r["split%d_test_score" % s][i] for s in range(k)])
                              for i in range(len(cands))],
        "mean_test_score": vec(r["mean_test_score"]),
        "std_test_score": vec(r["std_test_score"]),
        "rank_test_score": [int(v) for v in r["rank_test_score"]],
        "best_index": int(gs.best_index_),
        "best_params": full(gs.best_params_),
        "best_score": enc(gs.best_score_),
        # the model step's coefficients: on the standardised features when scaled
        "refit_coef": [vec(row) for row in np.asarray(model.coef_).reshape(q, p_)],
        "refit_intercept": vec(np.broadcast_to(np.asarray(model.intercept_, dtype=float),
                                               (q,)))})


add_grid("diabetes_enet_grid", "diabetes", "elastic_net", 5, "standard",
         "neg_mean_squared_error",
         {"alpha": [0.01, 0.1, 1.0, 10.0], "l1_ratio": [0.2, 0.5, 0.8]})
add_grid("linnerud_mtlasso_grid", "linnerud", "multitask_lasso", 4, "none", "r2",
         {"alpha": [0.1, 1.0, 10.0, 100.0, 1000.0]})
add_grid("diabetes_lasso_grid_r2", "diabetes", "lasso", 5, "none", "r2",
         {"alpha": [0.01, 0.1, 1.0, 10.0]})
if HAVE_NSCLC:
    am = alpha_max("nsclc_small_1", "lasso")[0]
    add_grid("nsclc_small_1_enet_grid", "nsclc_small_1", "elastic_net", 5, "standard",
             "neg_mean_squared_error",
             {"alpha": [f * am for f in (0.05, 0.1, 0.2)], "l1_ratio": [0.5, 0.9]})


# ---------------------------------------------------------------------------
# SelectFromModel

select = []


def add_select(name, data, kind, threshold, **kw):
    X, Y = DATA[data][0], DATA[data][1]
    p = full_params(kind, **kw)
    with warnings.catch_warnings(record=True) as ws:
        warnings.simplefilter("always")
        sel = SelectFromModel(make(kind, p), threshold=threshold).fit(X, target(kind, Y))
    record("select " + name, ws)
    imp = _get_feature_importances(sel.estimator_, "auto", transform_func="norm",
                                   norm_order=1)
    select.append({"name": name, "data": data, "kind": kind, "params": p,
                   "threshold": threshold, "importances": vec(imp),
                   "threshold_value": enc(sel.threshold_),
                   "support": [bool(b) for b in sel.get_support()]})


add_select("diabetes_lasso_default", "diabetes", "lasso", None, alpha=1.0)
add_select("diabetes_lasso_mean", "diabetes", "lasso", "mean", alpha=0.1)
add_select("diabetes_lasso_median", "diabetes", "lasso", "median", alpha=0.1)
add_select("diabetes_lasso_number", "diabetes", "lasso", 100.0, alpha=0.1)
add_select("diabetes_enet_default", "diabetes", "elastic_net", None, alpha=0.1, l1_ratio=0.5)
add_select("diabetes_enet_1.5mean", "diabetes", "elastic_net", "1.5*mean",
           alpha=0.1, l1_ratio=0.5)
# ElasticNet with l1_ratio 1 counts as an L1 model: default 1e-5
add_select("diabetes_enet_r1_default", "diabetes", "elastic_net", None,
           alpha=0.1, l1_ratio=1.0)
add_select("diabetes_linear_default", "diabetes", "linear", None)
add_select("diabetes_linear_median", "diabetes", "linear", "median")
add_select("linnerud_linear_median", "linnerud", "linear", "median")
add_select("linnerud_lasso_default", "linnerud", "lasso", None, alpha=10.0)
add_select("p_gt_n_lasso_default", "p_gt_n", "lasso", None, alpha=0.1)
add_select("constant_col_lasso_default", "constant_col", "lasso", None, alpha=0.05)
add_select("mt4_mtlasso_default", "mt4", "multitask_lasso", None, alpha=0.1)
add_select("mt4_mtenet_default", "mt4", "multitask_elastic_net", None,
           alpha=0.1, l1_ratio=0.5)
if HAVE_NSCLC:
    am = alpha_max("nsclc_small_1", "lasso")[0]
    add_select("nsclc_small_1_lasso_default", "nsclc_small_1", "lasso", None,
               alpha=0.1 * am)
    am = alpha_max("nsclc_small_5", "multitask_lasso")
    add_select("nsclc_small_5_mtlasso_mean", "nsclc_small_5", "multitask_lasso", "mean",
               alpha=0.1 * am)


# ---------------------------------------------------------------------------
# metrics

metrics = []


def add_metric(name, y_true, y_pred):
    yt = np.asarray(y_true, dtype=np.float64)
    yp = np.asarray(y_pred, dtype=np.float64)
    with warnings.catch_warnings(record=True) as ws, np.errstate(all="ignore"):
        warnings.simplefilter("always")
        mse = mean_squared_error(yt, yp)
        rmse = mean_squared_error(yt, yp, squared=False)
        r2 = r2_score(yt, yp)
        c = {"name": name}
        if yt.ndim == 1:
            c.update({"y_true": vec(yt), "y_pred": vec(yp), "mse": enc(mse),
                      "rmse": enc(rmse), "r2": enc(r2),
                      "rmse_std_ratio": enc(np.float64(rmse) / np.std(yt))})
        else:
            rmse_raw = mean_squared_error(yt, yp, squared=False, multioutput="raw_values")
            ratio_raw = rmse_raw / np.std(yt, axis=0)
            c.update({
                "y_true": cols(yt), "y_pred": cols(yp),
                "mse": enc(mse), "rmse": enc(rmse), "r2": enc(r2),
                "rmse_std_ratio": enc(np.mean(ratio_raw)),
                "mse_raw": vec(mean_squared_error(yt, yp, multioutput="raw_values")),
                "rmse_raw": vec(rmse_raw),
                "r2_raw": vec(r2_score(yt, yp, multioutput="raw_values")),
                "r2_variance_weighted": enc(r2_score(yt, yp, multioutput="variance_weighted")),
                "rmse_std_ratio_raw": vec(ratio_raw)})
    record("metrics " + name, ws)
    metrics.append(c)


add_metric("basic", [3.0, -0.5, 2.0, 7.0], [2.5, 0.0, 2.0, 8.0])
rng = np.random.default_rng(20240606)
yt = rng.normal(10.0, 3.0, size=30)
add_metric("random_n30", yt, yt + rng.normal(0.0, 1.5, size=30))
add_metric("worse_than_mean", [1.0, 2.0, 3.0, 4.0], [4.0, 3.0, 2.0, 1.0])
add_metric("constant_perfect", [4.0, 4.0, 4.0, 4.0], [4.0, 4.0, 4.0, 4.0])
add_metric("constant_imperfect", [4.0, 4.0, 4.0], [4.0, 5.0, 3.5])
add_metric("n2", [1.0, 2.0], [1.5, 1.0])
yt = rng.normal([0.0, 5.0, -3.0], [1.0, 2.0, 0.5], size=(12, 3))
add_metric("multi_output", yt, yt + rng.normal(0.0, [0.5, 1.0, 0.25], size=(12, 3)))
yt = np.column_stack([rng.normal(size=6), np.full(6, 2.0), np.full(6, -1.0)])
yp = np.column_stack([yt[:, 0] + 0.3 * rng.normal(size=6), np.full(6, 2.0),
                      np.array([-1.0, -1.5, -0.5, -1.0, -1.0, 0.0])])
add_metric("multi_output_constant", yt, yp)


# ---------------------------------------------------------------------------
# AUC

auc = []


def add_auc(name, y_true, score):
    yt = np.asarray(y_true, dtype=np.int64)
    s = np.asarray(score, dtype=np.float64)
    auc.append({"name": name, "y_true": [int(v) for v in yt], "score": vec(s),
                "auc": enc(roc_auc_score(yt, s))})


add_auc("n4", [0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
add_auc("ties", [0, 0, 1, 1, 0, 1, 1, 0], [0.1, 0.4, 0.35, 0.8, 0.4, 0.35, 0.9, 0.1])
add_auc("perfect", [0, 0, 0, 1, 1], [-2.0, -1.0, 0.5, 0.6, 3.0])
add_auc("reversed", [1, 1, 0, 0, 0], [-2.0, -1.0, 0.5, 0.6, 3.0])
add_auc("all_tied", [0, 1, 0, 1, 1], [0.3, 0.3, 0.3, 0.3, 0.3])
add_auc("one_positive", [0, 0, 0, 0, 1, 0, 0, 0, 0], [0.1, 0.2, 0.3, 0.4, 0.45, 0.5, 0.6,
                                                     0.7, 0.8])
rng = np.random.default_rng(20240607)
yb = rng.integers(0, 2, size=50)
add_auc("random_n50_ties", yb, np.round(yb * 0.3 + rng.uniform(size=50), 1))


# ---------------------------------------------------------------------------
# AUC at thresholds

THRESHOLDS = np.round(np.arange(0.1, 1.0, 0.1), 1)
auc_at = []


def add_auc_at(name, y_obs, y_pred):
    yo = np.asarray(y_obs, dtype=np.float64)
    yp = np.asarray(y_pred, dtype=np.float64)
    out = []
    for t in THRESHOLDS:
        b = Binarizer(threshold=t).fit_transform(yo.reshape(-1, 1)).ravel()
        assert np.array_equal(b, (yo > t).astype(float))
        out.append(enc(roc_auc_score(b, yp)) if 0 < b.sum() < len(b) else None)
    auc_at.append({"name": name, "y_obs": vec(yo), "y_pred": vec(yp),
                   "thresholds": vec(THRESHOLDS), "rule": ">", "auc": out})


rng = np.random.default_rng(20240608)
v = rng.normal(size=40)
yo = MinMaxScaler().fit_transform(v.reshape(-1, 1)).ravel()
add_auc_at("minmax_normal", yo, v + rng.normal(0.0, 0.7, size=40))
# values in [0.15, 0.65]: every value > 0.1, none > 0.7
v = rng.uniform(0.15, 0.65, size=30)
add_auc_at("narrow_range", v, v + rng.normal(0.0, 0.1, size=30))
# right-skewed: few values above the high thresholds
v = rng.exponential(size=40)
yo = MinMaxScaler().fit_transform(v.reshape(-1, 1)).ravel()
add_auc_at("skewed", yo, np.log1p(v) + rng.normal(0.0, 0.3, size=40))
# values exactly on the thresholds (not positive: the rule is >), tied y_pred
yo = np.concatenate([THRESHOLDS, [0.0, 1.0], np.round(rng.uniform(size=9), 2)])
add_auc_at("on_thresholds_ties", yo, np.round(yo + rng.normal(0.0, 0.2, size=len(yo)), 1))


# ---------------------------------------------------------------------------
# write

meta = {
    "generator": "tests/conformance/gen_models.py",
    "python": platform.python_version(),
    "numpy": np.__version__,
    "scipy": scipy.__version__,
    "sklearn": sklearn.__version__,
    "nsclc": HAVE_NSCLC,
    "notes": [
        "converged: n_iter < max_iter and no ConvergenceWarning (per output: "
        "single-task estimators on several outputs are refitted per output to "
        "attribute the warning); convergence_warning holds the warning alone",
        "linear fits: n_iter and dual_gap are null, converged true; rank and "
        "singular_values are LinearRegression's rank_ and singular_ (scipy lstsq, "
        "gelsd, cutoff eps * largest singular value, on the centred X when "
        "fit_intercept)",
        "multi-task fits: one n_iter and dual_gap repeated per output",
        "grid: candidates in cv_results_ order (ParameterGrid: keys sorted, the "
        "last key varying fastest), each with all params; std_test_score is the "
        "population sd; rank ties share the smallest rank; best_index is the "
        "first candidate of rank 1; refit_coef is the model step's (scaled "
        "features when scale is standard)",
        "select: support is importance >= threshold_value; threshold null is "
        "sklearn's default (1e-5 for Lasso-named estimators and ElasticNet with "
        "l1_ratio 1, else mean)",
        "metrics with several outputs: rmse is sklearn's uniform average of the "
        "per-output RMSEs, rmse_std_ratio the mean of rmse_std_ratio_raw",
        "paths: warm-started along the grid (coef of one alpha starts the next); "
        "dual_gaps divided by n as enet_path does",
    ],
}
if HAVE_NSCLC:
    meta["nsclc_constant_columns"] = NSCLC_RULES["constant_columns"]

doc = [("meta", meta), ("datasets", datasets), ("fits", fits), ("paths", paths),
       ("cv_predict", cv_predict), ("grid", grid), ("select", select),
       ("metrics", metrics), ("auc", auc), ("auc_at_thresholds", auc_at)]



def dumps(o):
    return json.dumps(o, allow_nan=False, separators=(",", ":"))


os.makedirs(os.path.dirname(OUT), exist_ok=True)
with open(OUT, "w", encoding="utf-8") as f:
    f.write("{\n")
    for i, (k, v) in enumerate(doc):
        if isinstance(v, list):
            f.write("  %s: [\n" % json.dumps(k))
            f.write(",\n".join("    " + dumps(c) for c in v))
            f.write("\n  ]")
        elif k == "datasets":
            f.write("  %s: {\n" % json.dumps(k))
            f.write(",\n".join("    %s: %s" % (json.dumps(n), dumps(d))
                               for n, d in v.items()))
            f.write("\n  }")
        else:
            f.write("  %s: %s" % (json.dumps(k), json.dumps(v, allow_nan=False)))
        f.write(",\n" if i + 1 < len(doc) else "\n")
    f.write("}\n")

print("wrote %s (%d bytes), sklearn %s, numpy %s, scipy %s, Python %s"
      % (OUT, os.path.getsize(OUT), sklearn.__version__, np.__version__,
         scipy.__version__, platform.python_version()))
for k, v in doc[1:]:
    print("  %-18s %d" % (k, len(v)))
if not HAVE_NSCLC:
    print("no %s: NSCLC datasets and cases left out" % NSCLC_DIR)
if disagree:
    print("fits converged at the last sweep (no warning, n_iter == max_iter):")
    for n in disagree:
        print("  " + n)
if caught:
    print("warnings scikit-learn/numpy gave:")
    seen = {}
    for where, m in caught:
        seen.setdefault(where, []).append(m)
    for where in seen:
        ms = seen[where]
        print("  %s: %d x %s" % (where, len(ms), ms[0][:110]))
sys.exit(0)
