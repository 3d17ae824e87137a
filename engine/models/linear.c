/* engine/models/linear.c — minimum-norm least squares through GSL's
 * Golub-Reinsch SVD (linear.h), whose small singular values are accurate to
 * about eps times the largest, as the rank decision needs (one-sided Jacobi
 * left the null direction of a centred 44 x 1522 matrix at 5e-12 relative).
 * The SVD is taken of X or of X' (GSL needs at least as many rows as
 * columns): a column-major n x p array is X' stored row-major, so the wide
 * case needs no change of layout. */
#include "linear.h"
#include "internal.h"

#include <float.h>
#include <gsl/gsl_linalg.h>
#include <stdlib.h>
#include <string.h>

void linear_free(rg_linear *m)
{
    free(m->coef);
    free(m->intercept);
    free(m->singular);
    memset(m, 0, sizeof *m);
}

static int all_equal(const double *x, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if (x[i] != x[0])
            return 0;
    return 1;
}

static double mean_of(const double *x, size_t n)
{
    long double s = 0;
    for (size_t i = 0; i < n; i++)
        s += x[i];
    return n ? (double)(s / (long double)n) : 0;
}

int linear_fit(const double *X, size_t n, size_t p, const double *Y, size_t q,
               int fit_intercept, rg_linear *out)
{
    memset(out, 0, sizeof *out);
    size_t m = n < p ? n : p;
    out->p = p;
    out->q = q;
    out->coef = calloc(nz(p * q), sizeof *out->coef);
    out->intercept = calloc(nz(q), sizeof *out->intercept);
    out->singular = calloc(nz(m), sizeof *out->singular);
    double *xm = calloc(nz(p), sizeof *xm), *ym = calloc(nz(q), sizeof *ym);
    gsl_matrix *A = NULL, *V = NULL;
    gsl_vector *S = NULL, *work = NULL;
    double *t = NULL;
    int rc = -1;
    if (!out->coef || !out->intercept || !out->singular || !xm || !ym)
        goto done;
    for (size_t k = 0; k < q; k++)
        ym[k] = fit_intercept ? mean_of(Y + k * n, n) : 0;
    if (m == 0) { /* nothing to solve: the intercept alone */
        rc = 0;
        goto done;
    }
    int wide = p > n;
    /* A: the centred X (n x p), or X' when wide (p x n), row-major */
    A = gsl_matrix_alloc(wide ? p : n, wide ? n : p);
    V = gsl_matrix_alloc(m, m);
    S = gsl_vector_alloc(m);
    work = gsl_vector_alloc(m);
    t = malloc(m * sizeof *t);
    if (!A || !V || !S || !work || !t)
        goto done;
    for (size_t j = 0; j < p; j++) {
        const double *x = X + j * n;
        int flat = fit_intercept && all_equal(x, n);
        xm[j] = fit_intercept ? (flat ? x[0] : mean_of(x, n)) : 0;
        for (size_t i = 0; i < n; i++) {
            double v = flat ? 0 : x[i] - xm[j];
            if (wide)
                gsl_matrix_set(A, j, i, v);
            else
                gsl_matrix_set(A, i, j, v);
        }
    }
    if (gsl_linalg_SV_decomp(A, V, S, work) != 0) {
        rc = 1;
        goto done;
    }
    double smax = 0;
    for (size_t r = 0; r < m; r++) {
        out->singular[r] = gsl_vector_get(S, r);
        smax = out->singular[r] > smax ? out->singular[r] : smax;
    }
    /* max(n, p) eps smax, numpy.linalg.lstsq's and MATLAB pinv's cutoff */
    double cut = (double)(n > p ? n : p) * DBL_EPSILON * smax;
    for (size_t r = 0; r < m; r++)
        out->rank += out->singular[r] > cut;
    /* X = L S R' with L n x m, R p x m: not wide, L = A (U), R = V;
     * wide, L = V, R = A (U of X'). coef = R S^+ L' (y - mean y). */
    const gsl_matrix *L = wide ? V : A, *R = wide ? A : V;
    for (size_t k = 0; k < q; k++) {
        const double *y = Y + k * n;
        for (size_t r = 0; r < m; r++) {
            double s = out->singular[r], acc = 0;
            if (s > cut)
                for (size_t i = 0; i < n; i++)
                    acc += gsl_matrix_get(L, i, r) * (y[i] - ym[k]);
            t[r] = s > cut ? acc / s : 0;
        }
        double *b = out->coef + k * p;
        for (size_t j = 0; j < p; j++) {
            double acc = 0;
            for (size_t r = 0; r < m; r++)
                acc += gsl_matrix_get(R, j, r) * t[r];
            b[j] = acc;
        }
    }
    rc = 0;
done:
    if (rc == 0)
        for (size_t k = 0; k < q; k++) {
            double s = 0;
            for (size_t j = 0; j < p; j++)
                s += xm[j] * out->coef[k * p + j];
            out->intercept[k] = fit_intercept ? ym[k] - s : 0;
        }
    gsl_matrix_free(A);
    gsl_matrix_free(V);
    gsl_vector_free(S);
    gsl_vector_free(work);
    free(t);
    free(xm);
    free(ym);
    if (rc != 0)
        linear_free(out);
    return rc;
}
