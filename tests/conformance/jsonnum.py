"""Numbers for the conformance JSON files that the Python generators
(gen_scale.py, gen_tree.py, gen_logistic.py, gen_models.py) write, in the
encoding tests/unit/replay.c reads (unit_json_num): a double as Python's
shortest round-trip repr, so it is exact; NaN as null; +-Inf as the strings
"Infinity" and "-Infinity". Matrices are lists of columns.

    from jsonnum import codec
    enc, vec, cols = codec()              # or codec(int_zero=True)

int_zero=True writes a zero of either sign as 0 (coordinate descent leaves
many -0.0; "0" is also shorter than "0.0"), for gen_models.py.
"""

import math

import numpy as np


def codec(int_zero=False):
    """The functions enc (one number), vec (a vector) and cols (a 2-D array
    as a list of columns)."""

    def enc(v):
        v = float(v)
        if int_zero and v == 0.0:
            return 0
        if math.isnan(v):
            return None
        if math.isinf(v):
            return "Infinity" if v > 0 else "-Infinity"
        return v

    def vec(a):
        return [enc(v) for v in np.asarray(a, dtype=np.float64).ravel()]

    def cols(m):
        m = np.asarray(m, dtype=np.float64)
        return [vec(m[:, j]) for j in range(m.shape[1])]

    return enc, vec, cols
