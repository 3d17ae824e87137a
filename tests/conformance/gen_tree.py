#!/usr/bin/python3
"""Reference values for rglit's regression tree (engine/models/tree.h).

Run from the repository root with Debian's Python and scikit-learn
(python3-sklearn; /usr/bin/python3, not another python3 on PATH):

    /usr/bin/python3 tests/conformance/gen_tree.py

Writes tests/conformance/tree.json: for each case, scikit-learn's
DecisionTreeRegressor (criterion="squared_error", splitter="best", every
feature considered) is fitted on the train rows and predicts the train and
the test rows; its feature_importances_, node count, depth, leaf count and
tree_ arrays are stored. Matrices are stored as lists of columns. Numbers
are written with Python's repr (shortest round-trip, so every double is
exact), NaN as null, as in gen_scale.py. See README.md in this folder.

Ties. Even with every feature considered, scikit-learn visits the features
in a random order and keeps the first of equally good splits, and rglit
draws its order from its own generator. Two checks find what depends on it:

- each case is fitted with random_state 0..19; a quantity (train or test
  predictions, importances, node count/depth/leaves, the tree_ arrays) is
  tie-free only when all 20 fits agree on it;
- near_ties() recomputes every candidate split at every node of the fit
  and counts those within 1e-12 (relative) of the best. Equal candidates
  (one sample split off by two features, or integer targets summing alike)
  differ only by the rounding of sums, which depends on the order of the
  samples: scikit-learn may break such a tie the same way for every
  random_state, and rglit the other way.

"tie_free" says what survives both, and the unit test compares only that.
A case is kept only when everything is tie-free, except the few marked
"ties": true (trees with min_samples_leaf 1 deep down, where small nodes are
split alike by several features, and duplicated columns); those must still
have tie-free train predictions.

The NSCLC cases (when ../shared/data/nsclc-radiogenomics exists) store
only the column names and the rule that chose them, never the data: the C
test reads the CSV files itself.
"""

import csv
import json
import math
import os
import platform
import sys
import time

import numpy as np
import sklearn
from sklearn.datasets import load_diabetes, load_linnerud
from sklearn.tree import DecisionTreeRegressor

from jsonnum import codec

OUT = os.path.join("tests", "conformance", "tree.json")
NSCLC = os.path.join("..", "shared", "data", "nsclc-radiogenomics")
FEATURES_CSV = "Lung_radiomic_features_new_cohort_n44.csv"
GENES_CSV = "Lung_gene_expression_new_cohort_n44.csv"
RANDOM_STATES = list(range(20))
FT = 1e-7  # scikit-learn's FEATURE_THRESHOLD (a float32 there)


enc, vec, cols = codec()


def ints(a):
    return [int(v) for v in np.asarray(a).ravel()]


def options(max_depth=None, min_samples_split=2, min_samples_leaf=1,
            min_impurity_decrease=0.0):
    return {"max_depth": max_depth, "min_samples_split": min_samples_split,
            "min_samples_leaf": min_samples_leaf,
            "min_impurity_decrease": min_impurity_decrease}


def fit(Xtr, Ytr, opts, rs):
    y = Ytr[:, 0] if Ytr.shape[1] == 1 else Ytr
    return DecisionTreeRegressor(random_state=rs, **opts).fit(Xtr, y)


def predict(t, X):
    return np.asarray(t.predict(X), dtype=np.float64).reshape(X.shape[0], -1)


def tree_arrays(t):
    s = t.tree_
    return {"children_left": ints(s.children_left),
            "children_right": ints(s.children_right),
            "feature": ints(s.feature),
            "threshold": vec(s.threshold),
            "n_node_samples": ints(s.n_node_samples),
            "impurity": vec(s.impurity),
            # nnode x q: one list per output
            "value": cols(s.value[:, :, 0])}


def close(a, b, rel):
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    return a.shape == b.shape and bool(
        np.all(np.abs(a - b) <= rel * np.maximum(np.abs(b), 1e-300)))


def same_tree(s, u):
    return (np.array_equal(s.children_left, u.children_left) and
            np.array_equal(s.children_right, u.children_right) and
            np.array_equal(s.feature, u.feature) and
            np.array_equal(s.threshold, u.threshold) and
            np.array_equal(s.n_node_samples, u.n_node_samples))


def equal_y_split(t, Xtr, Ytr):
    """Whether some node whose train targets are all equal was split: it is
    when rounding leaves its one-pass impurity above DBL_EPSILON (then the
    node count depends on rounding; the predictions do not)."""
    path = t.decision_path(Xtr.astype(np.float32)).tocsc()
    for node in range(t.tree_.node_count):
        if t.tree_.children_left[node] < 0:
            continue
        rows = path[:, node].nonzero()[0]
        if np.all(Ytr[rows] == Ytr[rows[0]]):
            return True
    return False


def f32_gaps_safe(Xtr):
    """Whether the 1e-7 comparisons on float32 values give the same answers
    in double arithmetic (rglit without x_float32) as in float32 arithmetic
    (scikit-learn), for every pair of values of every column."""
    ft32 = np.float32(FT)
    for j in range(Xtr.shape[1]):
        v = np.unique(Xtr[:, j].astype(np.float32))
        a32 = (v + ft32).astype(np.float32)  # float32 arithmetic
        a64 = v.astype(np.float64) + FT
        b = v.astype(np.float64)
        for i in range(len(v)):
            if not np.array_equal(b[i + 1:] <= float(a32[i]), b[i + 1:] <= a64[i]):
                return False
    return True


def near_ties(t, Xtr, Ytr, Xte, min_leaf):
    """Ties scikit-learn's rounding hides: at each split of t, every candidate
    split (all features and positions, scikit-learn's rules on the float32
    values) whose proxy is within 1e-12 relative of the best. Mathematically
    equal candidates (the same samples split off by two features) differ
    only by the rounding of sums, which depends on the order of the samples,
    so scikit-learn may pick the same one for every random_state and rglit
    another. Returns (ties, partition_ties, test_ties): nodes with more than
    one such candidate; those where they split the samples differently; and
    those where they send some test row reaching the node different ways."""
    X32 = Xtr.astype(np.float32)
    Xt32 = Xte.astype(np.float32)
    ft32 = np.float32(FT)
    path = t.decision_path(X32).tocsc()
    tpath = t.decision_path(Xt32).tocsc()
    s = t.tree_
    ties = partition_ties = test_ties = 0
    for k in range(s.node_count):
        if s.children_left[k] < 0:
            continue
        rows = path[:, k].nonzero()[0]
        trows = tpath[:, k].nonzero()[0]
        y = Ytr[rows]
        n = len(rows)
        total = y.sum(axis=0)
        cands = []
        for j in range(Xtr.shape[1]):
            v = X32[rows, j]
            order = np.argsort(v, kind="stable")
            vs = v[order]
            sl = np.cumsum(y[order], axis=0)[:-1]
            sr = total - sl
            i = np.arange(1, n)
            proxy = (sl ** 2).sum(axis=1) / i + (sr ** 2).sum(axis=1) / (n - i)
            ok = (vs[1:] > (vs[:-1] + ft32).astype(np.float32)) & (i >= min_leaf) & \
                (n - i >= min_leaf)
            for pos in np.nonzero(ok)[0]:
                cands.append((float(proxy[pos]), j, pos + 1, order, vs))
        best = max(c[0] for c in cands)
        near = [c for c in cands if c[0] >= best - 1e-12 * abs(best)]
        if len(near) == 1:
            continue
        ties += 1
        sides = []
        for _, j, pos, order, vs in near:
            a, b = float(vs[pos - 1]), float(vs[pos])
            th = a / 2.0 + b / 2.0
            if th == b or math.isinf(th):
                th = a
            left = frozenset(rows[order[:pos]].tolist())
            right = frozenset(rows.tolist()) - left
            sides.append((frozenset([left, right]),
                          tuple(left if float(Xt32[r, j]) <= th else right for r in trows)))
        partition_ties += len({p for p, _ in sides}) > 1
        test_ties += len({r for _, r in sides}) > 1
    return ties, partition_ties, test_ties


def reference(Xtr, Ytr, Xte, opts):
    """scikit-learn's fit with random_state 0 and the tie check over all."""
    fits = [fit(Xtr, Ytr, opts, rs) for rs in RANDOM_STATES]
    t = fits[0]
    out = {
        "pred_train": cols(predict(t, Xtr)),
        "pred_test": cols(predict(t, Xte)),
        "importances": vec(t.feature_importances_),
        "node_count": int(t.tree_.node_count),
        "depth": int(t.get_depth()),
        "n_leaves": int(t.get_n_leaves()),
        "tree": tree_arrays(t),
    }
    # leaf means may differ in the last bits between fits (sums in another
    # order), so predictions and importances agree within 1e-12
    ties = {
        "pred_train": all(close(predict(u, Xtr), predict(t, Xtr), 1e-12) for u in fits),
        "pred_test": all(close(predict(u, Xte), predict(t, Xte), 1e-12) for u in fits),
        "importances": all(close(u.feature_importances_, t.feature_importances_, 1e-9)
                           for u in fits),
        "tree": all(same_tree(u.tree_, t.tree_) for u in fits),
    }
    ties["node_count"] = len({u.tree_.node_count for u in fits}) == 1 and \
        len({u.get_depth() for u in fits}) == 1 and len({u.get_n_leaves() for u in fits}) == 1
    near, partition, test = near_ties(t, Xtr, Ytr, Xte, opts["min_samples_leaf"])
    if near:
        ties["importances"] = ties["tree"] = False
    if test:
        ties["pred_test"] = False
    if partition:
        ties = {k: False for k in ties}
        # Except what no choice can change. A fully grown tree splits every
        # node until it is pure or its rows are equal in X, so a train row's
        # prediction is its y, or the mean y of the rows equal to it in X.
        # With all y equal, every split has the same proxy, each feature's
        # first best position splits off the same number of samples, and
        # every node's value is the same mean.
        grown = opts == options()
        equal_y = bool(np.all(Ytr == Ytr[0]))
        ties["pred_train"] = grown or equal_y
        if equal_y:
            ties["pred_test"] = ties["node_count"] = True
    out["tie_free"] = ties
    out["near_ties"] = [near, partition, test]
    out["equal_y_split"] = equal_y_split(t, Xtr, Ytr)
    out["f32_gaps_safe"] = f32_gaps_safe(Xtr)
    return out


dropped = []


def keep(name, ref, ties):
    """Whether to store the case: everything tie-free, or only what "ties" allows."""
    ok = ref["tie_free"]["pred_train"] and (ties or all(ref["tie_free"].values()))
    if not ok:
        dropped.append(name)
    return ok


cases = []
datasets = {}


def add(name, data, names, outputs, Xtr, Ytr, Xte, opts, note=None, ties=False):
    """Case name: the tree of opts on dataset data (stored once, in "datasets")."""
    Xtr = np.asarray(Xtr, dtype=np.float64)
    Ytr = np.asarray(Ytr, dtype=np.float64).reshape(Xtr.shape[0], -1)
    Xte = np.asarray(Xte, dtype=np.float64)
    assert Xtr.shape[1] == Xte.shape[1] == len(names) and Ytr.shape[1] == len(outputs)
    d = {"names": names, "outputs": outputs,
         "n_train": int(Xtr.shape[0]), "n_test": int(Xte.shape[0]),
         "X_train": cols(Xtr), "Y_train": cols(Ytr), "X_test": cols(Xte)}
    ref = reference(Xtr, Ytr, Xte, opts)
    if not keep(name, ref, ties):
        return
    assert datasets.setdefault(data, d) == d
    c = {"case": name, "data": data, "ties": ties, "options": opts}
    c.update(ref)
    if note:
        c["note"] = note
    cases.append(c)


# ---- real data: diabetes (442 x 10), fitted on the first 300 rows ----------------
diabetes = load_diabetes()
dX, dy = diabetes.data, diabetes.target
for name, opts, ties in [
        ("diabetes_depth2", options(max_depth=2), False),
        ("diabetes_depth3", options(max_depth=3), False),
        ("diabetes_depth4_split10", options(max_depth=4, min_samples_split=10), False),
        ("diabetes_depth5_leaf5", options(max_depth=5, min_samples_leaf=5), False),
        ("diabetes_depth5_leaf3_split10",
         options(max_depth=5, min_samples_leaf=3, min_samples_split=10), False),
        ("diabetes_leaf8", options(min_samples_leaf=8), False),
        ("diabetes_leaf3_split10", options(min_samples_leaf=3, min_samples_split=10), False),
        ("diabetes_leaf5_decrease20", options(min_samples_leaf=5, min_impurity_decrease=20.0),
         False),
        ("diabetes_depth5", options(max_depth=5), True),
        ("diabetes_leaf1", options(), True)]:
    add(name, "diabetes", list(diabetes.feature_names), ["target"], dX[:300], dy[:300],
        dX[300:], opts, ties=ties)

# ---- real data: linnerud (20 x 3, 3 outputs), fitted on all 20 rows ---------------
# The test rows are probes, not data: each row plus 0.5 (the features are whole
# numbers, so probes fall on thresholds and between them).
linnerud = load_linnerud()
lX, lY = linnerud.data, linnerud.target
for name, opts, ties in [
        ("linnerud_depth2_leaf2", options(max_depth=2, min_samples_leaf=2), False),
        ("linnerud_depth3_leaf2", options(max_depth=3, min_samples_leaf=2), False),
        ("linnerud_leaf2", options(min_samples_leaf=2), False),
        ("linnerud_leaf3", options(min_samples_leaf=3), False),
        ("linnerud_depth2", options(max_depth=2), True),
        ("linnerud_leaf1", options(), True)]:
    add(name, "linnerud", list(linnerud.feature_names), list(linnerud.target_names), lX, lY,
        lX + 0.5, opts, ties=ties)
add("linnerud_weight_depth3_leaf2", "linnerud_weight", list(linnerud.feature_names),
    ["Weight"], lX, lY[:, :1], lX + 0.5, options(max_depth=3, min_samples_leaf=2))

# ---- edge cases ------------------------------------------------------------------------
rng = np.random.default_rng(20240611)

add("n5", "n5", ["a"], ["y"], [[1.0], [2.0], [3.0], [4.0], [5.0]], [1.5, 3.0, 2.0, 8.0, 7.5],
    [[0.0], [2.5], [3.5], [4.5], [6.0]], options())
add("n5_two_features", "n5_two_features", ["a", "b"], ["y"],
    [[1.0, 5.0], [2.0, 3.0], [3.0, 1.0], [4.0, 4.0], [5.0, 2.0]],
    [1.5, 3.0, 2.0, 8.0, 7.5],
    [[0.0, 0.0], [2.5, 3.5], [4.5, 1.5], [6.0, 6.0]], options(min_samples_leaf=2))

Xc = np.round(rng.normal(size=12), 3)
Xc = np.column_stack([np.full(12, 7.25), Xc, np.zeros(12)])
add("constant_column", "constant_column", ["constant", "x", "zero"], ["y"], Xc,
    np.round(3 * Xc[:, 1] - Xc[:, 1] ** 2 + rng.normal(scale=0.1, size=12), 4),
    [[7.25, 0.0, 0.0], [0.0, 1.0, 0.0], [9.0, -1.0, 1.0]], options(),
    note="columns 1 and 3 are constant: never split on, importance 0")

# values closer than 1e-7 count as one value (in both arithmetics here)
xs = np.array([0.5, 0.5 + 2 ** -24, 1.0, 1.0 + 2 ** -22, 2.0, 2.0 + 2 ** -21, 3.0, 4.0])
add("within_1e-7", "within_1e-7", ["close", "near_constant", "chain"], ["y"],
    np.column_stack([xs, 0.25 + np.array([0, 1, 2, 3, 4, 5, 6, 6]) * 2 ** -26,
                     0.25 + np.arange(8) * 2 ** -25]),
    [1.25, 5.5, 2.0, 6.75, 3.125, 7.0, 4.5, 8.0],
    [[0.5 + 2 ** -25, 0.25, 0.25], [1.5, 0.25, 0.25], [3.5, 0.0, 1.0]], options(),
    note="close: pairs 2^-24 (at 0.5), 2^-22 (at 1) and 2^-21 (at 2) apart, only the last "
         "a split point; near_constant spans 8.9e-8 (constant); chain spans 2.1e-7 in steps "
         "of 3e-8 (not constant, no split point: neighbours are compared)")

# 1 and 1 + 2^-23 are float32 neighbours: 1 + 1e-7 rounds to 1 + 2^-23 in float32,
# so scikit-learn counts them as one value (double arithmetic would split them)
add("float32_merge", "float32_merge", ["a"], ["y"],
    [[1.0], [1.0], [1.0 + 2 ** -23], [1.0 + 2 ** -23], [3.0], [4.0]],
    [0.0, 0.0, 10.0, 10.0, 3.0, 4.0], [[1.0], [1.0 + 2 ** -24], [2.0]], options(),
    note="f32_gaps_safe false: only the x_float32 fit can match")

add("constant_y", "constant_y", ["a", "b"], ["y"], rng.normal(size=(9, 2)).round(4),
    np.full(9, 151.0),
    [[0.0, 0.0], [1.0, -1.0]], options(), note="root is a leaf; importances all 0")

add("equal_y_rounding", "equal_y_rounding", ["a", "b", "c"], ["y"],
    rng.normal(size=(7, 3)).round(4),
    np.full(7, 2.2), [[0.0, 0.0, 0.0], [1.0, -1.0, 2.0]], options(), ties=True,
    note="y all 2.2: the one-pass impurity of the root is 1.8e-15 > DBL_EPSILON, so "
         "scikit-learn splits nodes of equal y; predictions are all 2.2")

Xd = rng.normal(size=(16, 2)).round(3)
Xd = np.column_stack([Xd[:, 0], Xd[:, 1], Xd[:, 0]])
add("duplicate_columns", "duplicate_columns", ["a", "b", "a_copy"], ["y"], Xd,
    np.round(np.where(Xd[:, 0] > 0, 5.0, 1.0) + Xd[:, 1] + rng.normal(scale=0.3, size=16), 3),
    rng.normal(size=(6, 3)).round(3)[:, [0, 1, 0]], options(max_depth=3), ties=True,
    note="a_copy equals a (in the test rows too): the two tie at every split on a, so "
         "the importances and the tree's features are not tie-free; and one node splits "
         "off one sample by a or by b alike, which sends a test row either way")

add("leaf_too_large", "leaf_too_large", ["a"], ["y"], [[float(i)] for i in range(10)],
    [float(i * i) for i in range(10)], [[2.5], [8.5]], options(min_samples_leaf=6),
    note="n = 10 < 2 min_samples_leaf: root is a leaf")

add("no_valid_split", "no_valid_split", ["a"], ["y"], [[1.0]] * 6 + [[2.0]] * 4,
    [1.0, 2.0, 1.5, 2.5, 1.0, 2.0, 9.0, 8.0, 9.5, 8.5], [[1.0], [2.0]],
    options(min_samples_leaf=5),
    note="the only split point leaves 4 samples on one side: root is a leaf")

Xm = rng.normal(size=(40, 3)).round(4)
add("min_decrease", "min_decrease", ["a", "b", "c"], ["y"], Xm,
    np.round(4 * (Xm[:, 0] > 0) + 2 * (Xm[:, 1] > 0.5) + rng.normal(scale=0.5, size=40), 3),
    rng.normal(size=(10, 3)).round(4), options(min_impurity_decrease=0.05))

add("big_values", "big_values", ["energy", "negative"], ["y"],
    np.column_stack([np.round(rng.uniform(1e9, 2e11, 14), -3),
                     np.round(rng.uniform(-1.8e6, -1e3, 14), 1)]),
    np.round(rng.normal(size=14), 4),
    [[1e10, -1e5], [1.5e11, -1.7e6]], options(max_depth=4, min_samples_leaf=2),
    note="radiomics-like magnitudes (float32 spacing 8192 at 1e11)")

# ---- NSCLC (read by the C test; no data stored) -------------------------------------
nsclc = []
nsclc_meta = None
sk_time = None  # an informal timing, printed only


def read_csv(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    ids = [r[0] for r in rows[1:]]
    data = np.array([[float(v) for v in r[1:]] for r in rows[1:]], dtype=np.float64)
    return header[1:], ids, data


if os.path.isdir(NSCLC):
    fnames, fids, F = read_csv(os.path.join(NSCLC, FEATURES_CSV))
    gnames, gids, G = read_csv(os.path.join(NSCLC, GENES_CSV))
    assert fids == gids
    nonconst = [j for j in range(F.shape[1]) if F[:, j].max() > F[:, j].min()]
    chosen = nonconst[::48][:30]
    # log2(1 + x) with the C library's log2, as the C test computes it
    L = np.array([[math.log2(1.0 + v) for v in row] for row in G])
    var = L.var(axis=0)
    top = sorted(range(L.shape[1]), key=lambda j: (-var[j], j))[:3]
    ntr = 34
    nsclc_meta = {
        "features_csv": FEATURES_CSV, "genes_csv": GENES_CSV,
        "n_train": ntr, "n_test": F.shape[0] - ntr,
        "feature_rule": "the non-constant feature columns (max > min over the 44 rows) in "
                        "file order, every 48th from the first: 30 columns",
        "gene_rule": "y = log2(1 + gene); the genes of largest population variance of y, "
                     "largest first",
        "row_rule": "train on the first 34 rows in file order, test on the last 10",
    }

    def add_nsclc(name, feat_cols, genes, opts, ties=False, note=None):
        Xtr, Xte = F[:ntr][:, feat_cols], F[ntr:][:, feat_cols]
        Ytr = L[:ntr][:, genes]
        t0 = time.perf_counter()
        fit(Xtr, Ytr, opts, 0)
        dt = time.perf_counter() - t0
        ref = reference(Xtr, Ytr, Xte, opts)
        if not keep(name, ref, ties):
            return dt
        c = {"case": name, "ties": ties,
             "features": [fnames[j] for j in feat_cols] if len(feat_cols) < len(fnames)
             else "all",
             "genes": [gnames[g] for g in genes], "options": opts}
        c.update(ref)
        if note:
            c["note"] = note
        nsclc.append(c)
        return dt

    for name, opts, ties in [
            ("nsclc_depth2_leaf2", options(max_depth=2, min_samples_leaf=2), False),
            ("nsclc_depth3_leaf5", options(max_depth=3, min_samples_leaf=5), False),
            ("nsclc_depth5_leaf5_split10",
             options(max_depth=5, min_samples_leaf=5, min_samples_split=10), False),
            ("nsclc_depth5", options(max_depth=5), True),
            ("nsclc_leaf1", options(), True)]:
        add_nsclc(name, chosen, top[:1], opts, ties)
    for name, opts, ties in [
            ("nsclc_3genes_depth2_leaf2", options(max_depth=2, min_samples_leaf=2), False),
            ("nsclc_3genes_depth3_leaf3_split10",
             options(max_depth=3, min_samples_leaf=3, min_samples_split=10), False),
            ("nsclc_3genes_depth5_leaf3", options(max_depth=5, min_samples_leaf=3), False),
            ("nsclc_3genes_leaf3", options(min_samples_leaf=3), False),
            ("nsclc_3genes_leaf1", options(), True)]:
        add_nsclc(name, chosen, top, opts, ties)
    everything = list(range(F.shape[1]))
    add_nsclc("nsclc_all_depth3_leaf3", everything, top[:1],
              options(max_depth=3, min_samples_leaf=3),
              note="all 1522 feature columns (84 constant)")
    add_nsclc("nsclc_all_depth5_leaf5", everything, top[:1],
              options(max_depth=5, min_samples_leaf=5),
              note="all 1522 feature columns (84 constant)")
    sk_time = add_nsclc("nsclc_all_depth5", everything, top[:1], options(max_depth=5), True,
                        note="all 1522 feature columns (84 constant); some are duplicates")

doc = {
    "generator": "tests/conformance/gen_tree.py",
    "python": platform.python_version(),
    "numpy": np.__version__,
    "sklearn": sklearn.__version__,
    "random_states": RANDOM_STATES,
    "datasets": datasets,
    "cases": cases,
    "nsclc_rules": nsclc_meta,
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
        elif k == "datasets":
            f.write('  "datasets": {\n')
            f.write(",\n".join("    %s: %s" % (json.dumps(n), json.dumps(d, allow_nan=False))
                                for n, d in doc[k].items()))
            f.write("\n  }")
        else:
            f.write("  %s: %s" % (json.dumps(k), json.dumps(doc[k])))
        f.write(",\n" if i + 1 < len(keys) else "\n")
    f.write("}\n")

print("wrote %s: %d cases, %d NSCLC cases, sklearn %s, numpy %s, Python %s" %
      (OUT, len(cases), len(nsclc), sklearn.__version__, np.__version__,
       platform.python_version()))
for c in cases + nsclc:
    flags = [k for k, v in c["tie_free"].items() if not v]
    extra = []
    if c["equal_y_split"]:
        extra.append("equal_y_split")
    if not c["f32_gaps_safe"]:
        extra.append("f32 gaps unsafe")
    print("  %-24s nodes %4d depth %2d%s%s" % (
        c["case"], c["node_count"], c["depth"],
        "  ties: " + ",".join(flags) if flags else "", "  " + ",".join(extra) if extra else ""))
if dropped:
    print("dropped (they depend on ties): " + ", ".join(dropped))
if sk_time is not None:
    print("scikit-learn fit, 34 x 1522, depth 5: %.2f ms" % (1000 * sk_time))
sys.exit(0)
