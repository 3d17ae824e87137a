#!/usr/bin/python3
"""Reference values for rglit's feature scaling (engine/stats/scale.h).

Run from the repository root with Debian's Python and scikit-learn
(python3-sklearn):

    /usr/bin/python3 tests/conformance/gen_scale.py

Writes tests/conformance/scale.json: for each case, scikit-learn's
StandardScaler, MinMaxScaler and MaxAbsScaler (default arguments) are fitted
on a train matrix and applied to a test matrix. Matrices are stored as lists
of columns. Numbers are written with Python's repr (shortest round-trip, so
every double is exact), NaN as null, +-Inf as "Infinity"/"-Infinity", as in
gen_stats.R. See README.md in this folder.
"""

import json
import os
import platform
import sys
import warnings

import numpy as np
import sklearn
from sklearn.preprocessing import MaxAbsScaler, MinMaxScaler, StandardScaler
from sklearn.preprocessing._data import _is_constant_feature

from jsonnum import codec

OUT = os.path.join("tests", "conformance", "scale.json")
EPS = np.finfo(np.float64).eps


enc, vec, cols = codec()


def per_column(v, p):
    """n_samples_seen_ is a scalar without NaN, an array with."""
    v = np.asarray(v)
    return [int(x) for x in (np.repeat(v, p) if v.ndim == 0 else v)]


caught = []


def fit_all(train, test):
    train = np.asarray(train, dtype=np.float64)
    test = np.asarray(test, dtype=np.float64)
    p = train.shape[1]
    out = {}
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")

        s = StandardScaler().fit(train)
        n_seen = per_column(s.n_samples_seen_, p)
        out["standard"] = {
            "mean_": vec(s.mean_),
            "var_": vec(s.var_),
            "scale_": vec(s.scale_),
            "n_samples_seen_": n_seen,
            # the rule behind scale_ = 1 (sklearn's _is_constant_feature)
            "constant": [int(c) for c in
                         _is_constant_feature(s.var_, s.mean_, s.n_samples_seen_)],
            "transformed": cols(s.transform(test)),
        }

        m = MinMaxScaler().fit(train)
        out["minmax"] = {
            "data_min_": vec(m.data_min_),
            "data_max_": vec(m.data_max_),
            "data_range_": vec(m.data_range_),
            "scale_": vec(m.scale_),
            "min_": vec(m.min_),
            # _handle_zeros_in_scale: range < 10 * eps (absolute)
            "constant": [int(r < 10 * EPS) for r in m.data_range_],
            "transformed": cols(m.transform(test)),
        }

        a = MaxAbsScaler().fit(train)
        out["maxabs"] = {
            "max_abs_": vec(a.max_abs_),
            "scale_": vec(a.scale_),
            # _handle_zeros_in_scale: max |x| < 10 * eps (absolute)
            "constant": [int(r < 10 * EPS) for r in a.max_abs_],
            "transformed": cols(a.transform(test)),
        }
    for x in w:
        caught.append(str(x.message))
    return out


cases = []


def add(name, names, train, test, note=None):
    train = np.asarray(train, dtype=np.float64)
    test = np.asarray(test, dtype=np.float64)
    assert train.shape[1] == test.shape[1] == len(names)
    c = {"case": name, "names": names,
         "n_train": int(train.shape[0]), "n_test": int(test.shape[0]),
         "train": cols(train), "test": cols(test)}
    c.update(fit_all(train, test))
    if note:
        c["note"] = note
    cases.append(c)


nan = float("nan")

add("ordinary", ["a", "b", "c"],
    [[1.0, -2.5, 100.0], [2.5, 0.0, 250.0], [3.25, 1.5, 175.5], [4.0, -1.0, 90.0],
     [0.5, 2.25, 310.0], [2.0, 0.75, 205.25]],
    [[1.0, -2.5, 100.0], [5.5, 3.0, 50.0], [-1.0, 0.1, 400.0], [2.2, -0.3, 180.0]])

rng = np.random.default_rng(20240501)
add("random_normal", ["n1", "n2", "n3", "n4"],
    np.round(rng.normal([0.0, 5.0, -3.0, 1000.0], [1.0, 0.1, 10.0, 250.0], (40, 4)), 6),
    np.round(rng.normal([0.0, 5.0, -3.0, 1000.0], [1.0, 0.1, 10.0, 250.0], (15, 4)), 6))

add("constant_columns", ["const5", "zero", "varying"],
    [[5.0, 0.0, 1.0], [5.0, 0.0, 2.0], [5.0, 0.0, 4.0], [5.0, 0.0, 8.0]],
    [[5.0, 0.0, 3.0], [6.0, -1.0, 0.0], [4.5, 2.0, 10.0]])

# 1e9 plus a few units of the last place (ulp(1e9) = 2^-23). numpy's sums of
# the first column round (its mean_ is 1e9, not 1e9 + 2^-23); those of the
# other two are exact. standard's constant rule (sklearn >= 1.0):
# var <= n eps var + (n mean eps)^2, i.e. sd <~ n eps |mean| = 8.9e-7 here.
#   c_sklearn_constant: sd 8.4e-8: constant;
#   c_between_rules:    sd 1.35e-6: NOT constant for sklearn (var 2.3 times
#                       the bound), though below 10 eps |mean| = 2.2e-6;
#   c_not_constant:     sd 1.1e-3.
u23 = 2.0 ** -23
u20 = 2.0 ** -20
u10 = 2.0 ** -10
add("near_constant", ["c_sklearn_constant", "c_between_rules", "c_not_constant"],
    [[1e9 + 0 * u23, 1e9 + 0 * u20, 1e9 + 0 * u10],
     [1e9 + 1 * u23, 1e9 + 2 * u20, 1e9 + 1 * u10],
     [1e9 + 2 * u23, 1e9 + 4 * u20, 1e9 + 2 * u10],
     [1e9 + 1 * u23, 1e9 + 2 * u20, 1e9 + 3 * u10]],
    [[1e9, 1e9, 1e9], [1e9 + 4 * u23, 1e9 + 8 * u20, 1e9 + 4 * u10],
     [1e9 - 1, 1e9 + 1, 1e9 - 0.5]],
    note="near-constant")

# Tiny but not constant: standard's rule is relative (scales it), minmax's and
# maxabs's is absolute (range or max |x| < 10 eps = 2.2e-15: scale_ = 1).
add("tiny_values", ["tiny", "tiny_offset", "small"],
    [[1e-16, 1.0, 1e-12], [5e-16, 1.0 + 2 * EPS, 3e-12], [2e-16, 1.0 + 4 * EPS, 2e-12]],
    [[3e-16, 1.0 + EPS, 2.5e-12], [0.0, 1.0, 0.0], [1e-15, 1.5, -1e-12]],
    note="tiny")

add("nan_in_train_and_test", ["with_nan", "no_nan", "mostly_nan"],
    [[1.0, 10.0, nan], [nan, 20.0, 3.0], [3.0, 30.0, nan], [4.5, 40.0, 7.0],
     [nan, 50.0, nan], [2.0, 60.0, nan]],
    [[nan, 15.0, 5.0], [2.0, nan, nan], [10.0, 0.0, 3.0]])

add("all_nan_column", ["all_nan", "ok"],
    [[nan, 1.0], [nan, 2.0], [nan, 4.0]],
    [[1.0, 3.0], [nan, 0.0]],
    note="all NaN")

add("negative_only", ["neg", "mixed_sign", "pos"],
    [[-3.0, -4.0, 0.5], [-7.5, 2.0, 1.5], [-1.0, 3.0, 2.5], [-2.25, -1.0, 4.0]],
    [[-3.0, -8.0, 1.0], [0.0, 4.0, 8.0], [1.5, 0.0, -2.0]])

add("single_row_train", ["two", "minus_one", "zero"],
    [[2.0, -1.0, 0.0]],
    [[2.0, -1.0, 0.0], [3.0, 1.0, 5.0], [-4.0, 0.0, -0.5]])

doc = {
    "generator": "tests/conformance/gen_scale.py",
    "python": platform.python_version(),
    "numpy": np.__version__,
    "sklearn": sklearn.__version__,
    "cases": cases,
}

os.makedirs(os.path.dirname(OUT), exist_ok=True)
with open(OUT, "w", encoding="utf-8") as f:
    f.write("{\n")
    keys = list(doc)
    for i, k in enumerate(keys):
        if k == "cases":
            f.write('  "cases": [\n')
            f.write(",\n".join("    " + json.dumps(c, allow_nan=False) for c in cases))
            f.write("\n  ]")
        else:
            f.write("  %s: %s" % (json.dumps(k), json.dumps(doc[k])))
        f.write(",\n" if i + 1 < len(keys) else "\n")
    f.write("}\n")

print("wrote %s: %d cases, sklearn %s, numpy %s, Python %s" %
      (OUT, len(cases), sklearn.__version__, np.__version__, platform.python_version()))
if caught:
    print("warnings scikit-learn/numpy gave (expected for all_nan_column):")
    for m in sorted(set(caught)):
        print("  " + m.splitlines()[0])
sys.exit(0)
