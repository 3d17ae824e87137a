/* engine/models/enet.c — coordinate descent for the lasso and the elastic
 * net (enet.h). The single-task sweep keeps the residual R = y - X w and
 * updates it by one column per changed coefficient, as scikit-learn's
 * enet_coordinate_descent; the multi-task sweep does the same with the
 * residual matrix and a group soft-threshold per feature. The objectives are
 * multiplied by n here (l1 = n alpha l1_ratio, l2 = n alpha (1 - l1_ratio)),
 * as scikit-learn's solver does, and the gap is divided by n on the way out. */
#include "enet.h"
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

rg_enet_opts enet_default_opts(void)
{
    rg_enet_opts o = {1.0, 0.5, 1000, 1e-4, 1};
    return o;
}

/* The inner products of coordinate descent are short (n values) and there
 * are p of them per sweep: four partial sums keep the multiply-adds from
 * waiting on each other (as BLAS ddot does; scikit-learn calls it, so its
 * sums are not in index order either). */
static double dot(const double *restrict a, const double *restrict b, size_t n)
{
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        s0 += a[i] * b[i];
        s1 += a[i + 1] * b[i + 1];
        s2 += a[i + 2] * b[i + 2];
        s3 += a[i + 3] * b[i + 3];
    }
    for (; i < n; i++)
        s0 += a[i] * b[i];
    return (s0 + s1) + (s2 + s3);
}

static void axpy(double a, const double *restrict x, double *restrict y, size_t n)
{
    for (size_t i = 0; i < n; i++)
        y[i] += a * x[i];
}

/* The data as the solver sees it: X and Y centred (when there is an
 * intercept), with their means, and the squared norm of each column. A column
 * whose values are all equal is exactly 0 after centring, so that it never
 * enters the model whatever the rounding of its mean. */
typedef struct {
    size_t n, p, q;
    double *X, *Y;         /* n x p, n x q column-major */
    double *xmean, *ymean; /* p, q (0 without an intercept) */
    double *colsq;         /* p */
} centred;

static void centred_free(centred *c)
{
    free(c->X);
    free(c->Y);
    free(c->xmean);
    free(c->ymean);
    free(c->colsq);
}

static double column_mean(const double *x, size_t n)
{
    long double s = 0;
    for (size_t i = 0; i < n; i++)
        s += x[i];
    return n ? (double)(s / (long double)n) : 0;
}

static int all_equal(const double *x, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if (x[i] != x[0])
            return 0;
    return 1;
}

static int centre(const double *X, size_t n, size_t p, const double *Y, size_t q, int intercept,
                  centred *c)
{
    memset(c, 0, sizeof *c);
    c->n = n;
    c->p = p;
    c->q = q;
    c->X = malloc(nz(n * p) * sizeof *c->X);
    c->Y = malloc(nz(n * q) * sizeof *c->Y);
    c->xmean = calloc(nz(p), sizeof *c->xmean);
    c->ymean = calloc(nz(q), sizeof *c->ymean);
    c->colsq = calloc(nz(p), sizeof *c->colsq);
    if (!c->X || !c->Y || !c->xmean || !c->ymean || !c->colsq) {
        centred_free(c);
        return -1;
    }
    for (size_t j = 0; j < p; j++) {
        const double *x = X + j * n;
        double *o = c->X + j * n;
        if (intercept && all_equal(x, n)) {
            c->xmean[j] = n ? x[0] : 0;
            memset(o, 0, n * sizeof *o);
            continue;
        }
        double m = intercept ? column_mean(x, n) : 0;
        c->xmean[j] = m;
        for (size_t i = 0; i < n; i++)
            o[i] = x[i] - m;
        c->colsq[j] = dot(o, o, n);
    }
    for (size_t k = 0; k < q; k++) {
        const double *y = Y + k * n;
        double m = intercept ? column_mean(y, n) : 0;
        c->ymean[k] = m;
        for (size_t i = 0; i < n; i++)
            c->Y[k * n + i] = y[i] - m;
    }
    return 0;
}

/* One single-task fit on centred data: w (p) in and out, R (n) and xta (p)
 * workspace. l1, l2 are the penalties times n. */
static void cd_single(const centred *c, const double *y, double l1, double l2, size_t max_iter,
                      double tol, double *w, double *R, rg_enet_info *info)
{
    size_t n = c->n, p = c->p;
    const double *X = c->X;
    memcpy(R, y, n * sizeof *R);
    for (size_t j = 0; j < p; j++)
        if (w[j] != 0)
            axpy(-w[j], X + j * n, R, n);
    double tol_gap = tol * dot(y, y, n);
    double gap = INFINITY;
    size_t it;
    info->converged = 0;
    for (it = 0; it < max_iter; it++) {
        double w_max = 0, d_max = 0;
        for (size_t j = 0; j < p; j++) {
            if (c->colsq[j] == 0)
                continue;
            const double *xj = X + j * n;
            double old = w[j];
            if (old != 0)
                axpy(old, xj, R, n);
            double t = dot(xj, R, n);
            double a = fabs(t) - l1;
            double nw = a > 0 ? (t > 0 ? a : -a) / (c->colsq[j] + l2) : 0;
            w[j] = nw;
            if (nw != 0)
                axpy(-nw, xj, R, n);
            double d = fabs(nw - old);
            d_max = d > d_max ? d : d_max;
            w_max = fabs(nw) > w_max ? fabs(nw) : w_max;
        }
        if (w_max == 0 || d_max / w_max < tol || it == max_iter - 1) {
            /* the duality gap of the current w */
            double dual = 0, l1norm = 0, wn2 = 0;
            for (size_t j = 0; j < p; j++) {
                double v = fabs(dot(X + j * n, R, n) - l2 * w[j]);
                dual = v > dual ? v : dual;
                l1norm += fabs(w[j]);
                wn2 += w[j] * w[j];
            }
            double rn2 = dot(R, R, n), k = 1;
            if (dual > l1) {
                k = l1 / dual;
                gap = 0.5 * (rn2 + rn2 * k * k);
            } else {
                gap = rn2;
            }
            gap += l1 * l1norm - k * dot(R, y, n) + 0.5 * l2 * (1 + k * k) * wn2;
            if (gap <= tol_gap) {
                info->converged = 1;
                break;
            }
        }
    }
    info->n_iter = it < max_iter ? it + 1 : max_iter;
    info->gap = n ? gap / (double)n : 0;
}

/* The multi-task fit: W is p x q by feature (W[j * q + k]), R n x q
 * column-major, tmp and old q each. */
static void cd_multi(const centred *c, double l1, double l2, size_t max_iter, double tol,
                     double *W, double *R, double *tmp, double *old, rg_enet_info *info)
{
    size_t n = c->n, p = c->p, q = c->q;
    const double *X = c->X, *Y = c->Y;
    memcpy(R, Y, n * q * sizeof *R);
    for (size_t j = 0; j < p; j++)
        for (size_t k = 0; k < q; k++)
            if (W[j * q + k] != 0)
                axpy(-W[j * q + k], X + j * n, R + k * n, n);
    double tol_gap = tol * dot(Y, Y, n * q);
    double gap = INFINITY;
    size_t it;
    info->converged = 0;
    for (it = 0; it < max_iter; it++) {
        double w_max = 0, d_max = 0;
        for (size_t j = 0; j < p; j++) {
            if (c->colsq[j] == 0)
                continue;
            const double *xj = X + j * n;
            double *wj = W + j * q;
            int was = 0;
            for (size_t k = 0; k < q; k++) {
                old[k] = wj[k];
                was |= wj[k] != 0;
            }
            if (was)
                for (size_t k = 0; k < q; k++)
                    axpy(old[k], xj, R + k * n, n);
            double nn = 0;
            for (size_t k = 0; k < q; k++) {
                tmp[k] = dot(xj, R + k * n, n);
                nn += tmp[k] * tmp[k];
            }
            nn = sqrt(nn);
            double s = nn > 0 && nn > l1 ? (1 - l1 / nn) / (c->colsq[j] + l2) : 0;
            int now = 0;
            for (size_t k = 0; k < q; k++) {
                wj[k] = s > 0 ? tmp[k] * s : 0;
                now |= wj[k] != 0;
            }
            if (now)
                for (size_t k = 0; k < q; k++)
                    axpy(-wj[k], xj, R + k * n, n);
            for (size_t k = 0; k < q; k++) {
                double d = fabs(wj[k] - old[k]);
                d_max = d > d_max ? d : d_max;
                w_max = fabs(wj[k]) > w_max ? fabs(wj[k]) : w_max;
            }
        }
        if (w_max == 0 || d_max / w_max < tol || it == max_iter - 1) {
            double dual = 0, l21 = 0, wn2 = 0;
            for (size_t j = 0; j < p; j++) {
                double a = 0, b = 0;
                for (size_t k = 0; k < q; k++) {
                    double v = dot(X + j * n, R + k * n, n) - l2 * W[j * q + k];
                    a += v * v;
                    b += W[j * q + k] * W[j * q + k];
                }
                a = sqrt(a);
                dual = a > dual ? a : dual;
                l21 += sqrt(b);
                wn2 += b;
            }
            double rn2 = dot(R, R, n * q), k = 1;
            if (dual > l1) {
                k = l1 / dual;
                gap = 0.5 * (rn2 + rn2 * k * k);
            } else {
                gap = rn2;
            }
            gap += l1 * l21 - k * dot(R, Y, n * q) + 0.5 * l2 * (1 + k * k) * wn2;
            if (gap <= tol_gap) {
                info->converged = 1;
                break;
            }
        }
    }
    info->n_iter = it < max_iter ? it + 1 : max_iter;
    info->gap = n ? gap / (double)n : 0;
}

/* Workspace of one fit or path. */
typedef struct {
    double *R, *w, *tmp, *old;
} work;

static void work_free(work *w)
{
    free(w->R);
    free(w->w);
    free(w->tmp);
    free(w->old);
}

static int work_alloc(work *w, size_t n, size_t p, size_t q)
{
    w->R = malloc(nz(n * q) * sizeof *w->R);
    w->w = calloc(nz(p * q), sizeof *w->w);
    w->tmp = malloc(nz(q) * sizeof *w->tmp);
    w->old = malloc(nz(q) * sizeof *w->old);
    if (!w->R || !w->w || !w->tmp || !w->old) {
        work_free(w);
        return -1;
    }
    return 0;
}

/* Fit at one alpha from the coefficients in wk->w (single: q blocks of p;
 * multi: p x q by feature) and write coef (q x p), intercept (q), info (q). */
static void fit_at(const centred *c, const rg_enet_opts *o, double alpha, int multitask,
                   work *wk, double *coef, double *intercept, rg_enet_info *info)
{
    size_t n = c->n, p = c->p, q = c->q;
    double l1 = alpha * o->l1_ratio * (double)n, l2 = alpha * (1 - o->l1_ratio) * (double)n;
    if (multitask) {
        cd_multi(c, l1, l2, o->max_iter, o->tol, wk->w, wk->R, wk->tmp, wk->old, &info[0]);
        for (size_t k = 0; k < q; k++) {
            for (size_t j = 0; j < p; j++)
                coef[k * p + j] = wk->w[j * q + k];
            info[k] = info[0];
        }
    } else {
        for (size_t k = 0; k < q; k++) {
            cd_single(c, c->Y + k * n, l1, l2, o->max_iter, o->tol, wk->w + k * p, wk->R,
                      &info[k]);
            memcpy(coef + k * p, wk->w + k * p, p * sizeof *coef);
        }
    }
    for (size_t k = 0; k < q; k++)
        intercept[k] = o->fit_intercept ? c->ymean[k] - dot(c->xmean, coef + k * p, p) : 0;
}

/* Fit at alphas[0..nalpha) in that order, each from the fit before (the
 * first from coef_init, q x p, or 0): coefs nalpha x q x p, intercepts
 * nalpha x q, info nalpha x q, all caller-owned. Returns 0 or -1 (memory). */
static int run_path(const double *X, size_t n, size_t p, const double *Y, size_t q,
                    const rg_enet_opts *o, int multitask, const double *coef_init,
                    const double *alphas, size_t nalpha, double *coefs, double *intercepts,
                    rg_enet_info *info)
{
    centred c;
    if (centre(X, n, p, Y, q, o->fit_intercept, &c) != 0)
        return -1;
    work wk;
    if (work_alloc(&wk, n, p, q) != 0) {
        centred_free(&c);
        return -1;
    }
    if (coef_init) /* into the solver's layout */
        for (size_t k = 0; k < q; k++)
            for (size_t j = 0; j < p; j++)
                wk.w[multitask ? j * q + k : k * p + j] = coef_init[k * p + j];
    for (size_t a = 0; a < nalpha; a++)
        fit_at(&c, o, alphas[a], multitask, &wk, coefs + a * p * q, intercepts + a * q,
               info + a * q);
    work_free(&wk);
    centred_free(&c);
    return 0;
}

int enet_fit(const double *X, size_t n, size_t p, const double *Y, size_t q,
             const rg_enet_opts *o, int multitask, const double *coef_init, rg_enet *out)
{
    memset(out, 0, sizeof *out);
    out->p = p;
    out->q = q;
    out->coef = malloc(nz(p * q) * sizeof *out->coef);
    out->intercept = malloc(nz(q) * sizeof *out->intercept);
    out->info = calloc(nz(q), sizeof *out->info);
    if (!out->coef || !out->intercept || !out->info ||
        run_path(X, n, p, Y, q, o, multitask, coef_init, &o->alpha, 1, out->coef,
                 out->intercept, out->info) != 0) {
        enet_free(out);
        return -1;
    }
    return 0;
}

void enet_free(rg_enet *m)
{
    free(m->coef);
    free(m->intercept);
    free(m->info);
    memset(m, 0, sizeof *m);
}

int enet_alpha_grid(const double *X, size_t n, size_t p, const double *Y, size_t q,
                    double l1_ratio, int fit_intercept, double eps, size_t n_alphas,
                    double *alphas)
{
    centred c;
    if (centre(X, n, p, Y, q, fit_intercept, &c) != 0)
        return -1;
    double amax = 0;
    for (size_t j = 0; j < p; j++) {
        double s = 0;
        for (size_t k = 0; k < q; k++) {
            double v = dot(c.X + j * n, c.Y + k * n, n);
            s += v * v;
        }
        s = sqrt(s);
        amax = s > amax ? s : amax;
    }
    centred_free(&c);
    amax /= (double)n * l1_ratio;
    if (!(amax > 1e-15)) {
        for (size_t a = 0; a < n_alphas; a++)
            alphas[a] = 1e-15;
        return 0;
    }
    /* numpy.logspace(log10(eps amax), log10(amax), n_alphas)[::-1] */
    double lo = log10(amax * eps), hi = log10(amax);
    if (n_alphas == 1) {
        alphas[0] = pow(10, lo);
        return 0;
    }
    double step = (hi - lo) / (double)(n_alphas - 1);
    for (size_t i = 0; i < n_alphas; i++) {
        double e = i + 1 == n_alphas ? hi : lo + (double)i * step;
        alphas[n_alphas - 1 - i] = pow(10, e);
    }
    return 0;
}

static int by_decreasing(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x < y) - (x > y);
}

int enet_path(const double *X, size_t n, size_t p, const double *Y, size_t q,
              const rg_enet_opts *o, int multitask, const double *alphas, size_t nalpha,
              rg_enet_path *out)
{
    memset(out, 0, sizeof *out);
    out->nalpha = nalpha;
    out->p = p;
    out->q = q;
    out->alphas = malloc(nz(nalpha) * sizeof *out->alphas);
    out->coefs = malloc(nz(nalpha * p * q) * sizeof *out->coefs);
    out->intercepts = malloc(nz(nalpha * q) * sizeof *out->intercepts);
    out->info = calloc(nz(nalpha * q), sizeof *out->info);
    if (!out->alphas || !out->coefs || !out->intercepts || !out->info) {
        enet_path_free(out);
        return -1;
    }
    memcpy(out->alphas, alphas, nalpha * sizeof *alphas);
    qsort(out->alphas, nalpha, sizeof *out->alphas, by_decreasing);
    if (run_path(X, n, p, Y, q, o, multitask, NULL, out->alphas, nalpha, out->coefs,
                 out->intercepts, out->info) != 0) {
        enet_path_free(out);
        return -1;
    }
    return 0;
}

void enet_path_free(rg_enet_path *path)
{
    free(path->alphas);
    free(path->coefs);
    free(path->intercepts);
    free(path->info);
    memset(path, 0, sizeof *path);
}
