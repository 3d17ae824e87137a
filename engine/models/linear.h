/* engine/models/linear.h — least squares, single- and multi-output, as
 * scikit-learn's LinearRegression: X and Y centred when there is an
 * intercept, then the minimum-norm least-squares solution through the
 * singular value decomposition of X, with singular values at or below
 * max(n, p) DBL_EPSILON times the largest counted as zero. So collinear
 * columns and p > n give the minimum-norm solution rather than an error, and
 * the rank says how many directions were used.
 *
 * The cutoff is numpy.linalg.lstsq's, not scipy.linalg.lstsq's (DBL_EPSILON
 * times the largest), which scikit-learn uses: a direction whose singular
 * value lies between the two is rounding noise (a centred X of n rows has
 * rank n - 1 at most, yet its n-th singular value comes out near 1e-16
 * relative), and scipy keeps or drops it by the luck of the rounding, with
 * coefficients multiplied by 1e16 when it keeps it.
 * Pure C (GSL). */
#ifndef RG_LINEAR_H
#define RG_LINEAR_H

#include <stddef.h>

typedef struct {
    size_t p, q;
    double *coef;      /* q x p: output k at coef + k * p */
    double *intercept; /* q */
    size_t rank;       /* of the (centred) X */
    double *singular;  /* min(n, p) singular values, decreasing */
} rg_linear;

/* Fit each column of Y (n x q, column-major) on X (n x p, column-major); no
 * NaN (the caller checks). Returns 0, -1 when out of memory, 1 when the
 * decomposition failed (GSL did not converge). The caller frees out. */
int linear_fit(const double *X, size_t n, size_t p, const double *Y, size_t q,
               int fit_intercept, rg_linear *out);

void linear_free(rg_linear *m);

#endif
