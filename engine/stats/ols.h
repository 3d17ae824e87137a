/* engine/stats/ols.h — ordinary least squares as R's lm + summary.lm:
 * Householder QR with R's limited column pivoting (LINPACK dqrdc2,
 * tolerance 1e-7), so that a column that is (numerically) a linear
 * combination of earlier ones is aliased: its coefficient is NaN, as R
 * reports NA, and the others are the fit without it. Pure C (GSL). */
#ifndef RG_OLS_H
#define RG_OLS_H

#include <stddef.h>

typedef struct {
    size_t n, k;        /* rows, columns of the design (intercept included) */
    size_t rank;        /* columns kept */
    double *coef;       /* k: estimates, NaN for aliased columns */
    double *se, *t, *p; /* k: standard errors, t values, two-sided p */
    int *aliased;       /* k: 1 for a column dropped as collinear */
    double sigma;       /* residual standard error */
    double df;          /* residual degrees of freedom n - rank */
    double r2, adj_r2;  /* as summary.lm (intercept form when intercept) */
    double fstat, fdf1, fdf2, fp; /* the overall F test (NaN without terms) */
    double *fitted, *resid; /* n */
    int perfect_fit;    /* R's "essentially perfect fit" warning applies */
} rg_ols;

/* Fit y[0..n) on the columns x[0..nx) (each n doubles, borrowed), after an
 * intercept column when intercept != 0: then k = nx + 1 and coef[0] is the
 * intercept. Rows with a NaN anywhere must have been removed by the caller.
 * Returns 0; -1 when out of memory; 1 when n <= rank (no residual degrees of
 * freedom: coefficients are set, se/t/p NaN). */
int ols_fit(const double *y, const double *const *x, size_t n, size_t nx, int intercept,
            rg_ols *out);

void ols_free(rg_ols *o);

#endif
