#!/usr/bin/python3
"""Reference values for rglit's logistic regression (engine/models/logistic.h).

Run from the repository root with Debian's Python and scikit-learn
(python3-sklearn):

    /usr/bin/python3 tests/conformance/gen_logistic.py

Writes tests/conformance/logistic.json: for each case the inputs (or, for
the NSCLC data, the rule that picks them), the options, and scikit-learn's
LogisticRegression fit: coef_, intercept_, predict_proba on the training
rows and the value of the objective at the fit. Matrices are stored as lists
of columns; numbers with Python's repr (every double exact), NaN as null, as
in gen_scale.py. See README.md in this folder.

The objectives (scikit-learn 1.2.1), with l_i the log-loss of row i:
  l2   (solver lbfgs):     C sum l_i + ||w||^2 / 2, intercept not penalised;
  none (solver lbfgs):     sum l_i;
  l1   (solver liblinear): ||w||_1 + |b| + C sum l_i, the intercept being the
                           weight of a constant feature 1 (intercept_scaling
                           1), penalised like the others.
The references must be the exact optima, to about 1e-10. scikit-learn's
default lbfgs does not get there: scipy's L-BFGS-B also stops when the
objective changes by less than ftol = 2.2e-9 relative, which
LogisticRegression does not let one change, and that happens with
gradients of 1e-5 to 1e-2 here. So each l2/none fit is tried with lbfgs
(tol=1e-12, max_iter=100000) and, when its optimality conditions are off by
more than 1e-8, refitted with scikit-learn's newton-cholesky solver (same
objective; tol=1e-12); liblinear for l1 (tol=1e-12, max_iter=1000,
random_state=0). Then every reference is polished by a few Newton steps on
the same objective in numpy (for l1 on its non-zero coefficients, signs
held), which moves it by at most `polish` (recorded), and the optimality
conditions are checked to hold to 1e-9: the largest violation is recorded
(`kkt`) and printed.
"""

import csv
import json
import os
import platform
import sys
import warnings

import numpy as np
import scipy
import sklearn
from scipy.special import expit
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from jsonnum import codec

OUT = os.path.join("tests", "conformance", "logistic.json")
NSCLC = os.path.join("..", "shared", "data", "nsclc-radiogenomics")
KKT_MAX = 1e-9


enc, vec, cols = codec()


# ---- the objectives, their gradients and optimality conditions ----------------

def design(X, fit_intercept):
    """X with the intercept's column of ones appended."""
    return np.hstack([X, np.ones((X.shape[0], 1))]) if fit_intercept else X


def loss_terms(z, y):
    """log(1 + exp(-z)) for y = 1, log(1 + exp(z)) for y = 0."""
    return np.logaddexp(0.0, np.where(y == 1, -z, z))


def objective(pen, C, X, y, coef, intercept):
    z = X @ coef + intercept
    total = loss_terms(z, y).sum()
    if pen == "l2":
        return C * total + 0.5 * coef @ coef
    if pen == "l1":
        return np.abs(coef).sum() + abs(intercept) + C * total
    return total


def grad_hess(pen, C, A, y, theta, fit_intercept):
    """Gradient of the smooth part (the whole objective for l2/none, the
    loss term for l1) and its Hessian, over theta = (w, b)."""
    c = 1.0 if pen == "none" else C
    z = A @ theta
    p = expit(z)
    g = c * A.T @ (p - y)
    H = c * (A.T * (p * (1 - p))) @ A
    if pen == "l2":
        q = A.shape[1] - (1 if fit_intercept else 0)
        g[:q] += theta[:q]
        H[np.arange(q), np.arange(q)] += 1.0
    return g, H


def kkt(pen, C, A, y, theta, fit_intercept):
    """The largest violation of the optimality conditions: |gradient| for
    l2/none; for l1 the distance from 0 to the subdifferential."""
    g, _ = grad_hess(pen, C, A, y, theta, fit_intercept)
    if pen != "l1":
        return float(np.abs(g).max()) if g.size else 0.0
    v = np.where(theta != 0, np.abs(g + np.sign(theta)), np.maximum(np.abs(g) - 1, 0))
    return float(v.max()) if v.size else 0.0


def polish(pen, C, A, y, theta, fit_intercept):
    """Newton steps on the objective from theta (for l1 on the non-zero
    coordinates with their signs held) while they lower the violation."""
    theta = theta.copy()
    best = kkt(pen, C, A, y, theta, fit_intercept)
    for _ in range(50):
        if best < 1e-13:
            break
        g, H = grad_hess(pen, C, A, y, theta, fit_intercept)
        new = theta.copy()
        if pen == "l1":
            S = np.flatnonzero(theta)
            if S.size == 0:
                break
            # least squares: H_SS is singular when non-zero columns coincide
            step = np.linalg.lstsq(H[np.ix_(S, S)], -(g[S] + np.sign(theta[S])),
                                   rcond=None)[0]
            new[S] += step
            if np.any(np.sign(new[S]) != np.sign(theta[S])):
                break
        else:
            new += np.linalg.solve(H, -g)
        v = kkt(pen, C, A, y, new, fit_intercept)
        if not v < best:
            break
        theta, best = new, v
    return theta, best


def l1_determined(C, A, y, theta):
    """The sufficient conditions for a unique L1 optimum (Tibshirani 2013,
    "The lasso problem and uniqueness"), with margins: the Hessian of the
    loss on the non-zero coefficients well conditioned, and every zero
    coefficient strictly inside its threshold (|g_j| < 1). Returns
    (determined, condition number, least margin 1 - |g_j|)."""
    S = np.flatnonzero(theta)
    Z = np.flatnonzero(theta == 0)
    g, H = grad_hess("l1", C, A, y, theta, False)
    cond = float(np.linalg.cond(H[np.ix_(S, S)])) if S.size else 1.0
    margin = float(1 - np.abs(g[Z]).max()) if Z.size else 1.0
    return cond < 1e10 and margin > 1e-6, cond, margin


# ---- the cases ---------------------------------------------------------------------

caught = []
cases = []
worst = []


def fit(name, X, y, pen, C, fit_intercept, data=None, names=None, compare="coef", note=None,
        extra=None):
    """Fit with scikit-learn, polish, check, and add the case. data: the
    name of a shared input (X and y are then not stored in the case)."""
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.int64)
    n, p = X.shape
    A = design(X, fit_intercept)
    base = dict(C=C, fit_intercept=fit_intercept)
    if pen == "none":
        base = dict(fit_intercept=fit_intercept)
    info = {}
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        if pen == "l1":
            solver = "liblinear"
            m = LogisticRegression(penalty="l1", solver="liblinear", tol=1e-12, max_iter=1000,
                                   random_state=0, **base).fit(X, y)
        else:
            penalty = "l2" if pen == "l2" else None
            solver = "lbfgs"
            m = LogisticRegression(penalty=penalty, solver="lbfgs", tol=1e-12, max_iter=100000,
                                   **base).fit(X, y)
            th = np.append(m.coef_[0], m.intercept_[0]) if fit_intercept else m.coef_[0].copy()
            lbfgs_theta = th
            info["lbfgs_kkt"] = kkt(pen, C, A, y, th, fit_intercept)
            if info["lbfgs_kkt"] > 1e-8:
                solver = "newton-cholesky"
                m = LogisticRegression(penalty=penalty, solver="newton-cholesky", tol=1e-12,
                                       max_iter=1000, **base).fit(X, y)
    for x in w:
        caught.append("%s: %s" % (name, str(x.message).splitlines()[0]))
    theta = np.append(m.coef_[0], m.intercept_[0]) if fit_intercept else m.coef_[0].copy()
    raw_kkt = kkt(pen, C, A, y, theta, fit_intercept)
    pol, v = polish(pen, C, A, y, theta, fit_intercept)
    shift = float(np.abs(pol - theta).max()) if theta.size else 0.0
    if pen != "l1" and solver != "lbfgs":
        info["lbfgs_max_abs_diff"] = float(np.abs(lbfgs_theta - pol).max())
    worst.append((v, name, raw_kkt, shift))
    if not v <= KKT_MAX:
        sys.exit("%s: the optimality conditions are off by %g" % (name, v))
    coef = pol[:p]
    intercept = float(pol[p]) if fit_intercept else 0.0
    m.coef_ = coef.reshape(1, -1).copy()
    m.intercept_ = np.array([intercept])
    proba = m.predict_proba(X)[:, 1]
    if pen == "l1":
        determined, cond, margin = l1_determined(C, A, y, pol)
        info["support_cond"] = cond
        info["zero_margin"] = margin
        if not determined:
            compare = "objective_proba"
            note = (note + "; " if note else "") + \
                "the L1 optimum is not unique or not well determined (support_cond, " \
                "zero_margin): only the objective and the probabilities are compared"
    c = {"case": name, "penalty": pen, "C": enc(C), "fit_intercept": int(fit_intercept),
         "n": n, "p": p, "solver": solver, "compare": compare}
    if data:
        c["data"] = data
    else:
        c["names"] = names or ["x%d" % (j + 1) for j in range(p)]
        c["X"] = cols(X)
        c["y"] = [int(v) for v in y]
    if extra:
        c.update(extra)
    c.update({"coef": vec(coef), "intercept": enc(intercept), "proba": vec(proba),
              "objective": enc(objective(pen, C, X, y, coef, intercept)),
              "kkt": enc(v), "sklearn_kkt": enc(raw_kkt), "polish": enc(shift)})
    c.update({k: enc(x) for k, x in info.items()})
    if note:
        c["note"] = note
    cases.append(c)


# 1. breast_cancer: every third row (0, 3, 6, ...; 190 of 569) so that the
#    file stays small, all 30 columns, standardised on those rows.
bc = load_breast_cancer()
BC_ROWS = np.arange(0, bc.data.shape[0], 3)
Xbc = StandardScaler().fit_transform(bc.data[BC_ROWS])
ybc = bc.target[BC_ROWS]
shared = {"breast_cancer": {
    "rule": "sklearn.datasets.load_breast_cancer(): rows 0, 3, 6, ... (every third), "
            "all 30 columns, StandardScaler fitted on those rows; y = target",
    "n": int(Xbc.shape[0]), "p": int(Xbc.shape[1]),
    "names": [str(s) for s in bc.feature_names],
    "X": cols(Xbc), "y": [int(v) for v in ybc]}}

for pen in ("l2", "l1"):
    for C in (0.01, 1.0, 100.0):
        for fi in (True, False):
            fit("breast_cancer_%s_C%g_%s" % (pen, C, "icpt" if fi else "noicpt"),
                Xbc, ybc, pen, C, fi, data="breast_cancer")

# penalty none: five weakly correlated columns and the first 60 of the rows
# above (not separable: the optimum is finite)
NONE_COLS = ["mean texture", "mean smoothness", "mean symmetry", "texture error",
             "worst fractal dimension"]
idx = [list(bc.feature_names).index(s) for s in NONE_COLS]
Xs = Xbc[:60][:, idx]
fit("breast_cancer_none_icpt", Xs, ybc[:60], "none", 1.0, True, names=NONE_COLS,
    note="the first 60 rows of the shared breast_cancer data (rows 0, 3, ..., 177 of "
         "the dataset), five of its columns")
fit("breast_cancer_none_noicpt", Xs, ybc[:60], "none", 1.0, False, names=NONE_COLS)


# 2. NSCLC radiogenomics (read from ../shared/data when present; never stored)
def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    head = rows[0]
    ids = [r[0] for r in rows[1:]]
    vals = np.array([[float(v) for v in r[1:]] for r in rows[1:]], dtype=np.float64)
    return head[1:], ids, vals


nsclc = []
if os.path.isdir(NSCLC):
    fnames, fids, F = read_csv(os.path.join(NSCLC, "Lung_radiomic_features_new_cohort_n44.csv"))
    gnames, gids, G = read_csv(os.path.join(NSCLC, "Lung_gene_expression_new_cohort_n44.csv"))
    assert fids == gids
    gene = gnames[0]
    gy = G[:, 0]
    med = float(np.median(gy))
    y = (gy > med).astype(np.int64)
    nonconst = [j for j in range(F.shape[1]) if F[:, j].max() > F[:, j].min()]
    columns = {}
    for k in (20, 300):
        step = len(nonconst) // k
        pick = [nonconst[i * step] for i in range(k)]
        columns[str(k)] = [fnames[j] for j in pick]
        X = StandardScaler().fit_transform(F[:, pick])
        for pen in ("l2", "l1"):
            for C in (1.0, 10.0):
                fit("nsclc_%d_%s_C%g" % (k, pen, C), X, y, pen, C, True, data="nsclc",
                    extra={"columns": str(k)})
                nsclc.append(cases.pop())
    shared["nsclc"] = {
        "rule": "X: of the columns of Lung_radiomic_features_new_cohort_n44.csv that are "
                "not constant (max > min), in file order, every (count // k)-th from the "
                "first, k columns (k = 20 or 300: the case's columns names them), "
                "StandardScaler; "
                "y: the first gene of Lung_gene_expression_new_cohort_n44.csv, 1 when "
                "above its median (numpy), else 0",
        "features": "Lung_radiomic_features_new_cohort_n44.csv",
        "genes": "Lung_gene_expression_new_cohort_n44.csv",
        "gene": gene, "median": enc(med), "n": int(F.shape[0]), "ones": int(y.sum()),
        "nonconstant": len(nonconst), "columns": columns}

# 3. edge cases
rng = np.random.default_rng(20251122)

# perfectly separable (two clusters in 2-D): L2 has a finite optimum
Xsep = np.round(np.vstack([rng.normal([-1.5, 0.5], 0.6, (8, 2)),
                           rng.normal([1.5, -0.5], 0.6, (8, 2))]), 3)
ysep = np.array([0] * 8 + [1] * 8)
assert np.all((Xsep[:, 0] > 0) == (ysep == 1)), "not separated by x1 = 0"
for C in (1.0, 1e4):
    fit("separable_l2_C%g" % C, Xsep, ysep, "l2", C, True,
        note="separated by x1 = 0: no finite optimum without a penalty")
fit("separable_l1_C10", Xsep, ysep, "l1", 10.0, True)

# p > n: 12 rows, 30 columns
Xw = np.round(rng.normal(size=(12, 30)), 4)
yw = (Xw[:, 0] - Xw[:, 1] + rng.normal(0, 1, 12) > 0).astype(np.int64)
for pen in ("l2", "l1"):
    for fi in (True, False):
        fit("wide_%s_%s" % (pen, "icpt" if fi else "noicpt"), Xw, yw, pen, 1.0, fi)

# a constant column (2.5): with an intercept L2 gives it 0; L1 moves the
# intercept onto it (cheaper: |b| = 2.5 |w|); without an intercept it is one
Xc = np.round(rng.normal(size=(20, 3)), 4)
Xc = np.hstack([Xc[:, :1], np.full((20, 1), 2.5), Xc[:, 1:]])
yc = (Xc[:, 0] + 0.8 * Xc[:, 2] + rng.normal(0, 1, 20) > 0.5).astype(np.int64)
for pen in ("l2", "l1"):
    for fi in (True, False):
        fit("constant_column_%s_%s" % (pen, "icpt" if fi else "noicpt"), Xc, yc, pen, 1.0,
            fi)

# a duplicated column: L2 splits the weight equally; the L1 optimum is not
# unique (any split with the same signs), so only the objective and the
# probabilities are compared
Xd = np.round(rng.normal(size=(25, 3)), 4)
Xd = np.hstack([Xd, Xd[:, 1:2]])
yd = (Xd[:, 0] + Xd[:, 1] + rng.normal(0, 1, 25) > 0).astype(np.int64)
fit("duplicated_column_l2", Xd, yd, "l2", 1.0, True)
fit("duplicated_column_l1", Xd, yd, "l1", 5.0, True, note="x4 = x2")

# n = 5
Xn5 = np.array([[0.5, -1.2], [1.5, 0.3], [-0.7, 0.8], [2.1, -0.4], [-1.3, -0.9]])
yn5 = np.array([0, 1, 0, 1, 1])
fit("n5_l2", Xn5, yn5, "l2", 1.0, True)
fit("n5_l1", Xn5, yn5, "l1", 5.0, True)
fit("n5_none", Xn5, yn5, "none", 1.0, True)

# very small C: every L1 coefficient (the intercept too) is 0
fit("tiny_C_l1", Xc[:, [0, 2, 3]], yc, "l1", 1e-3, True)
fit("tiny_C_l2", Xc[:, [0, 2, 3]], yc, "l2", 1e-6, True)

doc = {
    "generator": "tests/conformance/gen_logistic.py",
    "python": platform.python_version(),
    "numpy": np.__version__,
    "scipy": scipy.__version__,
    "sklearn": sklearn.__version__,
    "data": shared,
    "cases": cases,
    "nsclc": nsclc,
}

os.makedirs(os.path.dirname(OUT), exist_ok=True)
with open(OUT, "w", encoding="utf-8") as f:
    f.write("{\n")
    keys = list(doc)
    for i, k in enumerate(keys):
        if k in ("cases", "nsclc"):
            f.write('  "%s": [\n' % k)
            f.write(",\n".join("    " + json.dumps(c, allow_nan=False) for c in doc[k]))
            f.write("\n  ]")
        elif k == "data":
            f.write('  "data": {\n')
            f.write(",\n".join("    %s: %s" % (json.dumps(d), json.dumps(v, allow_nan=False))
                               for d, v in shared.items()))
            f.write("\n  }")
        else:
            f.write("  %s: %s" % (json.dumps(k), json.dumps(doc[k])))
        f.write(",\n" if i + 1 < len(keys) else "\n")
    f.write("}\n")

size = os.path.getsize(OUT)
print("wrote %s (%d bytes): %d cases, %d nsclc cases, sklearn %s, numpy %s, scipy %s, "
      "Python %s" % (OUT, size, len(cases), len(nsclc), sklearn.__version__, np.__version__,
                     scipy.__version__, platform.python_version()))
if not nsclc:
    print("no nsclc cases: %s is absent" % NSCLC)
print("optimality conditions (largest violation after polishing; scikit-learn's own; "
      "how far the polish moved it):")
for v, name, raw, shift in sorted(worst, reverse=True):
    print("  %-34s %.2e  (sklearn %.2e, polish %.2e)" % (name, v, raw, shift))
if caught:
    print("warnings scikit-learn gave:")
    for msg in sorted(set(caught)):
        print("  " + msg)
assert size < 300 * 1024, "logistic.json is larger than 300 KB"
sys.exit(0)
