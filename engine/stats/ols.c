/* engine/stats/ols.c — least squares as R's lm and summary.lm (ols.h).
 *
 * The QR decomposition is LINPACK's dqrdc2 as R modifies and uses it:
 * Householder reflections, and a column whose norm, after the reflections
 * so far, falls below 1e-7 times its original norm is moved to the end and
 * counted out of the rank. Q'y, the coefficients and the residuals follow
 * dqrsl. The vector operations go through CBLAS (OpenBLAS). Indices below
 * are 1-based like the Fortran, through the macro X(i, j). */
#include "ols.h"

#include "cor.h"

#include <cblas.h>
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define TOL 1e-7
#define X(i, j) a[((j) - 1) * n + ((i) - 1)]

/* dqrdc2 on the n x k column-major a: returns the rank; qraux and jpvt
 * (0-based column numbers) as LINPACK leaves them. */
static size_t qr_dqrdc2(double *a, size_t n, size_t k, double *qraux, size_t *jpvt,
                        double *work1, double *work2)
{
    for (size_t j = 1; j <= k; j++) {
        qraux[j - 1] = cblas_dnrm2((int)n, &X(1, j), 1);
        work1[j - 1] = work2[j - 1] = qraux[j - 1];
        if (work2[j - 1] == 0)
            work2[j - 1] = 1;
        jpvt[j - 1] = j - 1;
    }
    size_t lup = n < k ? n : k, kk = k + 1;
    for (size_t l = 1; l <= lup; l++) {
        /* cycle negligible columns to the end */
        while (l < kk && qraux[l - 1] < work2[l - 1] * TOL) {
            for (size_t i = 1; i <= n; i++) {
                double t = X(i, l);
                for (size_t j = l + 1; j <= k; j++)
                    X(i, j - 1) = X(i, j);
                X(i, k) = t;
            }
            size_t ip = jpvt[l - 1];
            double t = qraux[l - 1], tt = work1[l - 1], ttt = work2[l - 1];
            for (size_t j = l + 1; j <= k; j++) {
                jpvt[j - 2] = jpvt[j - 1];
                qraux[j - 2] = qraux[j - 1];
                work1[j - 2] = work1[j - 1];
                work2[j - 2] = work2[j - 1];
            }
            jpvt[k - 1] = ip;
            qraux[k - 1] = t;
            work1[k - 1] = tt;
            work2[k - 1] = ttt;
            kk--;
        }
        if (l == n)
            break;
        double nrmxl = cblas_dnrm2((int)(n - l + 1), &X(l, l), 1);
        if (nrmxl == 0)
            continue;
        if (X(l, l) != 0)
            nrmxl = copysign(nrmxl, X(l, l));
        cblas_dscal((int)(n - l + 1), 1.0 / nrmxl, &X(l, l), 1);
        X(l, l) = 1 + X(l, l);
        for (size_t j = l + 1; j <= k; j++) {
            double t = -cblas_ddot((int)(n - l + 1), &X(l, l), 1, &X(l, j), 1) / X(l, l);
            cblas_daxpy((int)(n - l + 1), t, &X(l, l), 1, &X(l, j), 1);
            if (qraux[j - 1] == 0)
                continue;
            double r = fabs(X(l, j)) / qraux[j - 1];
            double tt = 1 - r * r;
            tt = tt > 0 ? tt : 0;
            if (fabs(tt) < 1e-6) {
                qraux[j - 1] = cblas_dnrm2((int)(n - l), &X(l + 1, j), 1);
                work1[j - 1] = qraux[j - 1];
            } else {
                qraux[j - 1] = qraux[j - 1] * sqrt(tt);
            }
        }
        qraux[l - 1] = X(l, l);
        X(l, l) = -nrmxl;
    }
    size_t rank = kk - 1;
    return rank < n ? rank : n;
}

/* Apply the reflections 1..ju to v (Q'v when forward, Qv when not), as dqrsl. */
static void qr_apply(double *a, size_t n, const double *qraux, size_t ju, double *v, int forward)
{
    for (size_t jj = 1; jj <= ju; jj++) {
        size_t j = forward ? jj : ju - jj + 1;
        if (qraux[j - 1] == 0)
            continue;
        double temp = X(j, j);
        X(j, j) = qraux[j - 1];
        double t = -cblas_ddot((int)(n - j + 1), &X(j, j), 1, &v[j - 1], 1) / X(j, j);
        cblas_daxpy((int)(n - j + 1), t, &X(j, j), 1, &v[j - 1], 1);
        X(j, j) = temp;
    }
}

void ols_free(rg_ols *o)
{
    free(o->coef);
    free(o->se);
    free(o->t);
    free(o->p);
    free(o->aliased);
    free(o->fitted);
    free(o->resid);
    memset(o, 0, sizeof *o);
}

static double ld_sum_sq(const double *v, size_t n, double center)
{
    long double s = 0;
    for (size_t i = 0; i < n; i++)
        s += (long double)(v[i] - center) * (v[i] - center);
    return (double)s;
}

int ols_fit(const double *y, const double *const *x, size_t n, size_t nx, int intercept,
            rg_ols *out)
{
    memset(out, 0, sizeof *out);
    size_t k = nx + (intercept != 0);
    out->n = n;
    out->k = k;
    size_t kk = k ? k : 1, nn = n ? n : 1;
    double *a = malloc(nn * kk * sizeof *a);
    double *qraux = calloc(kk, sizeof *qraux), *w1 = malloc(kk * sizeof *w1),
           *w2 = malloc(kk * sizeof *w2), *qty = malloc(nn * sizeof *qty),
           *rinv = malloc(kk * kk * sizeof *rinv);
    size_t *jpvt = malloc(kk * sizeof *jpvt);
    out->coef = malloc(kk * sizeof *out->coef);
    out->se = malloc(kk * sizeof *out->se);
    out->t = malloc(kk * sizeof *out->t);
    out->p = malloc(kk * sizeof *out->p);
    out->aliased = calloc(kk, sizeof *out->aliased);
    out->fitted = malloc(nn * sizeof *out->fitted);
    out->resid = malloc(nn * sizeof *out->resid);
    int rc = -1;
    if (!a || !qraux || !w1 || !w2 || !qty || !rinv || !jpvt || !out->coef || !out->se ||
        !out->t || !out->p || !out->aliased || !out->fitted || !out->resid)
        goto done;
    for (size_t i = 0; i < n; i++) {
        if (intercept)
            a[i] = 1;
        for (size_t j = 0; j < nx; j++)
            a[(j + (intercept != 0)) * n + i] = x[j][i];
    }
    size_t rank = out->rank = qr_dqrdc2(a, n, k, qraux, jpvt, w1, w2);
    size_t ju = rank < n - 1 ? rank : n - 1;
    memcpy(qty, y, n * sizeof *qty);
    qr_apply(a, n, qraux, ju, qty, 1);
    /* coefficients: R b = (Q'y)[1..rank] */
    double *b = w1; /* reuse: k >= rank */
    memcpy(b, qty, rank * sizeof *b);
    for (size_t jj = 1; jj <= rank; jj++) {
        size_t j = rank - jj + 1;
        b[j - 1] = b[j - 1] / X(j, j);
        if (j != 1)
            cblas_daxpy((int)(j - 1), -b[j - 1], &X(1, j), 1, b, 1);
    }
    /* residuals: Q applied to Q'y with its first rank entries zeroed */
    memcpy(out->resid, qty, n * sizeof *qty);
    for (size_t i = 0; i < rank; i++)
        out->resid[i] = 0;
    qr_apply(a, n, qraux, ju, out->resid, 0);
    for (size_t i = 0; i < n; i++)
        out->fitted[i] = y[i] - out->resid[i];
    /* (R'R)^-1 of the kept columns: R^-1 (upper triangular), then row norms */
    for (size_t j = 0; j < rank; j++)
        for (size_t i = 0; i < rank; i++)
            rinv[j * rank + i] = i == j ? 1 : 0; /* column j of the identity */
    cblas_dtrsm(CblasColMajor, CblasLeft, CblasUpper, CblasNoTrans, CblasNonUnit, (int)rank,
                (int)rank, 1.0, a, (int)n, rinv, (int)(rank ? rank : 1));
    double df = (double)n - (double)rank;
    out->df = df;
    double rss = ld_sum_sq(out->resid, n, 0);
    double resvar = rss / df;
    out->sigma = sqrt(resvar);
    for (size_t j = 0; j < k; j++)
        out->coef[j] = out->se[j] = out->t[j] = out->p[j] = NAN;
    for (size_t i = 0; i < k; i++)
        out->aliased[jpvt[i]] = i >= rank;
    for (size_t i = 0; i < rank; i++) {
        long double d = 0;
        for (size_t j = i; j < rank; j++)
            d += (long double)rinv[j * rank + i] * rinv[j * rank + i];
        size_t col = jpvt[i];
        out->coef[col] = b[i];
        if (df > 0) {
            out->se[col] = sqrt((double)d * resvar);
            out->t[col] = b[i] / out->se[col];
            out->p[col] = cor_pt2(out->t[col], df);
        }
    }
    /* summary.lm's R^2 and F */
    int df_int = intercept != 0;
    double mf = df_int ? cor_mean(out->fitted, n) : 0;
    double mss = ld_sum_sq(out->fitted, n, mf);
    out->r2 = out->adj_r2 = 0;
    out->fstat = out->fdf1 = out->fdf2 = out->fp = NAN;
    if (rank != (size_t)df_int) {
        out->r2 = mss / (mss + rss);
        out->adj_r2 = 1 - (1 - out->r2) * (((double)n - df_int) / df);
        out->fdf1 = (double)rank - df_int;
        out->fdf2 = df;
        out->fstat = (mss / out->fdf1) / resvar;
        out->fp = df > 0 ? gsl_cdf_fdist_Q(out->fstat, out->fdf1, df) : NAN;
    }
    if (df > 0) {
        double mean_f = cor_mean(out->fitted, n);
        double var_f = n > 1 ? ld_sum_sq(out->fitted, n, mean_f) / ((double)n - 1) : 0;
        out->perfect_fit = isfinite(resvar) && resvar < (mean_f * mean_f + var_f) * 1e-30;
    }
    rc = df > 0 ? 0 : 1;
done:
    free(a);
    free(qraux);
    free(w1);
    free(w2);
    free(qty);
    free(rinv);
    free(jpvt);
    if (rc < 0)
        ols_free(out);
    return rc;
}
