/* engine/stats/cormat.c — correlation screens as matrix products (cormat.h).
 *
 * The columns without missing values are standardised once (ranked first
 * for Spearman): z = (x - mean) / sqrt(sum (x - mean)^2), with R's mean
 * (cor.c). Then r(i, j) = z_i . z_j, one CBLAS dgemm per block of 64 rows of
 * A, the blocks shared among threads; each block is the same single-threaded
 * product whatever the thread count (par.h), so r does not depend on it.
 * Pairs that involve a column with missing values go one at a time through
 * cor_test on their complete cases. So do pairs with |r| within 1e-10 of 1:
 * their p-value is so steep in r that the product's last-bit rounding would
 * show (p = 1e-150 where R, with r = 1 exactly, gives 0).
 *
 * p-values. All pairs of the product share df = n - 2, and the two-sided
 * p-value of cor.test is then a function of |r| alone:
 *     p = I_x(df/2, 1/2),  x = 1 - r^2,
 * the regularised incomplete beta function. Evaluating it (GSL) costs a
 * microsecond, too slow for millions of pairs. Instead,
 *     p = x^(df/2) h(|r|),
 * where h is analytic on [0, 1] (h(0) = 1; near r = 1 it tends to
 * 1 / (a B(a, 1/2))): x^(df/2) carries the steep part and is exact to a few
 * ulps by repeated squaring, and h is interpolated by Chebyshev polynomials
 * on PT_K equal intervals, fitted to GSL's incomplete beta at build time.
 * Where p nears the underflow threshold (1e-280; large |r| and df) the
 * table stops and the direct evaluation takes over.
 * tests/unit/test_cormat.c checks the result against the direct evaluation
 * (1e-12 relative) over r in [0, 1] for df from 1 to PT_DF_MAX; beyond it the
 * direct evaluation is used. */
#include "cormat.h"

#include <cblas.h>
#include <gsl/gsl_sf_gamma.h>
#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "../par.h"

#define PT_K 256        /* intervals of [0, 1] */
#define PT_D 11         /* polynomial degree (ptable_eval spells out 11) */
#define PT_DF_MAX 5000  /* larger df: direct evaluation */
#define BLOCK 64        /* rows of A per product */
#define NEAR_ONE 1e-10  /* |r| closer to 1: the pair is redone by cor_test */

/* ---- p-values --------------------------------------------------------------------- */

/* Two-sided p of r with df degrees of freedom, directly. As R's pt, the
 * incomplete beta is taken on whichever side is accurate: for small r,
 * p = 1 - I_{r^2}(1/2, df/2) (1 - r^2 would lose the digits of r^2), else
 * p = I_{1-r^2}(df/2, 1/2) with 1 - r^2 = (1 - r)(1 + r) exact to an ulp. */
static double p_direct(double r, double df)
{
    double ar = fabs(r);
    if (isnan(ar))
        return NAN;
    if (ar >= 1)
        return 0;
    double lower = gsl_sf_beta_inc(0.5, df / 2, ar * ar); /* P(|T| < t) */
    if (lower < 0.5)
        return 1 - lower;
    return gsl_sf_beta_inc(df / 2, 0.5, (1 - ar) * (1 + ar));
}

/* x^(df/2) for a whole number df > 0, by repeated squaring. */
static double pow_half(double x, unsigned long df)
{
    unsigned long e = df / 2;
    double result = df % 2 ? sqrt(x) : 1, base = x;
    while (e) {
        if (e & 1)
            result *= base;
        e >>= 1;
        if (e)
            base *= base;
    }
    return result;
}

typedef struct {
    unsigned long df;
    int direct;                   /* no table: p_direct for every value */
    double r_direct;              /* |r| >= r_direct: p_direct (p near underflow) */
    double c[PT_K][PT_D + 1];     /* h per interval: monomial coefficients in u */
    int nbits;                    /* x^(df/2): the bits of df/2, lowest first */
    unsigned char bit[64];
} ptable;

static void ptable_build(ptable *t, double df)
{
    t->df = (unsigned long)df;
    t->direct = !(df >= 1 && df <= PT_DF_MAX && df == floor(df));
    t->r_direct = 1;
    t->nbits = 0;
    for (unsigned long e = t->df / 2; e; e >>= 1)
        t->bit[t->nbits++] = e & 1;
    if (t->direct)
        return;
    const int m = PT_D + 1;
    double node[PT_D + 1], f[PT_D + 1];
    for (int k = 0; k < m; k++)
        node[k] = cos(M_PI * (k + 0.5) / m);
    for (int i = 0; i < PT_K; i++) {
        double lo = (double)i / PT_K, hi = (double)(i + 1) / PT_K;
        for (int k = 0; k < m; k++) {
            double r = lo + (hi - lo) * (node[k] + 1) / 2;
            double x = (1 - r) * (1 + r);
            /* h = p / x^(df/2); at r = 1 (never a node) it would be 0/0 */
            double pr = p_direct(r, df), pw = pow_half(x, t->df);
            if (pr < 1e-280 || pw < 1e-280) { /* from here on: p_direct */
                t->r_direct = lo;
                return;
            }
            f[k] = pr / pw;
        }
        /* Chebyshev coefficients, then the same polynomial in powers of u
         * (evaluated by Estrin's scheme: short dependency chains) */
        double cheb[PT_D + 1], tprev[PT_D + 1] = {1}, tcur[PT_D + 1] = {0, 1};
        for (int j = 0; j < m; j++) {
            double s = 0;
            for (int k = 0; k < m; k++)
                s += f[k] * cos(M_PI * j * (k + 0.5) / m);
            cheb[j] = (j == 0 ? 1.0 : 2.0) * s / m;
        }
        double *mono = t->c[i];
        for (int j = 0; j < m; j++)
            mono[j] = cheb[0] * tprev[j] + cheb[1] * tcur[j];
        for (int d = 2; d < m; d++) { /* T_d = 2u T_{d-1} - T_{d-2} */
            double tnext[PT_D + 1];
            for (int j = 0; j < m; j++)
                tnext[j] = (j ? 2 * tcur[j - 1] : 0) - tprev[j];
            for (int j = 0; j < m; j++) {
                mono[j] += cheb[d] * tnext[j];
                tprev[j] = tcur[j];
                tcur[j] = tnext[j];
            }
        }
    }
}

static double ptable_eval(const ptable *t, double r)
{
    double ar = fabs(r);
    if (isnan(ar))
        return NAN;
    if (t->direct || ar >= t->r_direct)
        return p_direct(ar, (double)t->df);
    int i = (int)(ar * PT_K);
    double u = 2 * (ar * PT_K - i) - 1; /* [-1, 1] within the interval */
    const double *c = t->c[i];
    double u2 = u * u, u4 = u2 * u2, u8 = u4 * u4;
    double h = (c[0] + c[1] * u) + u2 * (c[2] + c[3] * u) +
               u4 * ((c[4] + c[5] * u) + u2 * (c[6] + c[7] * u)) +
               u8 * ((c[8] + c[9] * u) + u2 * (c[10] + c[11] * u));
    double x = (1 - ar) * (1 + ar);
    double pw = t->df % 2 ? sqrt(x) : 1;
    for (int b = 0; b < t->nbits; b++) { /* same branches for every r */
        if (t->bit[b])
            pw *= x;
        x *= x;
    }
    double p = pw * h;
    return p > 1 ? 1 : p;
}

void cormat_pvalues(const double *r, size_t len, double df, double *p)
{
    ptable *t = malloc(sizeof *t);
    if (!t) { /* no room for the table: the slow way */
        for (size_t i = 0; i < len; i++)
            p[i] = p_direct(r[i], df);
        return;
    }
    ptable_build(t, df);
    for (size_t i = 0; i < len; i++)
        p[i] = ptable_eval(t, r[i]);
    free(t);
}

/* ---- the screen -------------------------------------------------------------------- */

typedef struct {
    const double *const *src;
    const size_t *idx;   /* the complete columns */
    size_t n;
    rg_cor_method m;
    double *z;           /* one row of n per complete column */
    unsigned char *flat; /* 1: constant */
    atomic_int oom;
} std_job;

static void std_chunk(void *ctx, size_t lo, size_t hi)
{
    std_job *j = ctx;
    for (size_t k = lo; k < hi; k++) {
        double *z = j->z + k * j->n;
        int s = cor_standardise(j->src[j->idx[k]], j->n, j->m, z);
        if (s < 0)
            j->oom = 1;
        if (s != 0) /* the product reads it: defined zeros, r set to NaN later */
            memset(z, 0, j->n * sizeof *z);
        j->flat[k] = s == 1;
    }
}

typedef struct {
    const double *za, *zb;
    size_t pc, qc, n;
    double *out;     /* pc x qc, row stride ldc */
    size_t ldc;
} gemm_job;

static void gemm_chunk(void *ctx, size_t lo, size_t hi)
{
    gemm_job *j = ctx;
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)(hi - lo), (int)j->qc, (int)j->n,
                1.0, j->za + lo * j->n, (int)j->n, j->zb, (int)j->n, 0.0,
                j->out + lo * j->ldc, (int)j->ldc);
}

typedef struct {
    const double *const *a, *const *b;
    size_t q, n;
    rg_cor_method m;
    const unsigned char *full_a, *full_b; /* column has no NaN */
    rg_cormat *out;
    atomic_int oom;
} pair_job;

/* The pairs of rows [lo, hi) of A that involve a column with missing values. */
static void pair_chunk(void *ctx, size_t lo, size_t hi)
{
    pair_job *j = ctx;
    for (size_t i = lo; i < hi; i++)
        for (size_t k = 0; k < j->q; k++) {
            if (j->full_a[i] && j->full_b[k])
                continue;
            rg_cor_result res;
            size_t at = i * j->q + k;
            if (cor_test(j->a[i], j->b[k], j->n, j->m, &res) != 0) {
                j->oom = 1;
                return;
            }
            j->out->r[at] = res.r;
            j->out->pval[at] = res.p;
            j->out->n[at] = (unsigned)res.n;
        }
}

/* Spearman p-values go through R's statistic S, as cor_test: r -> S -> r. */
static double spearman_r(double r, double dn)
{
    double S = (dn * dn * dn - dn) * (1 - r) / 6;
    return 1 - S / ((dn * (dn * dn - 1)) / 6);
}

typedef struct {
    const double *block;  /* pc x qc products (may be out->r itself) */
    rg_cormat *out;
    const size_t *idx;    /* complete columns of A, then of B */
    const unsigned char *flat;
    size_t pc, qc, q;
    int all;              /* every column complete: block is out->r */
    rg_cor_method m;
    double dn;
    const ptable *pt;
    const double *const *a, *const *b; /* the source columns */
} finish_job;

/* Rows [lo, hi) of the product into the result: r clamped to [-1, 1] (NaN
 * for a constant column) and its p-value. */
static void finish_chunk(void *ctx, size_t lo, size_t hi)
{
    finish_job *f = ctx;
    for (size_t i = lo; i < hi; i++) {
        size_t row = f->all ? i : f->idx[i];
        for (size_t k = 0; k < f->qc; k++) {
            double r = f->block[i * f->qc + k];
            r = f->flat[i] || f->flat[f->pc + k] ? NAN : r > 1 ? 1 : r < -1 ? -1 : r;
            size_t col = f->all ? k : f->idx[f->pc + k];
            size_t at = row * f->q + col;
            rg_cor_result exact;
            if (fabs(r) > 1 - NEAR_ONE &&
                cor_test(f->a[row], f->b[col], (size_t)f->dn, f->m, &exact) == 0) {
                /* p hangs on the last bits of r here: R's own arithmetic */
                f->out->r[at] = exact.r;
                f->out->pval[at] = exact.p;
                continue;
            }
            f->out->r[at] = r;
            f->out->pval[at] = ptable_eval(f->pt, f->m == RG_COR_SPEARMAN
                                                      ? spearman_r(r, f->dn) : r);
        }
    }
}

void cormat_free(rg_cormat *c)
{
    free(c->r);
    free(c->pval);
    free(c->padj);
    free(c->n);
    memset(c, 0, sizeof *c);
}

int cormat_compute(const double *const *a, size_t p, const double *const *b, size_t q,
                   size_t n, rg_cor_method m, rg_padjust_method adj, int threads,
                   rg_cormat *out)
{
    memset(out, 0, sizeof *out);
    out->p = p;
    out->q = q;
    out->n_common = n;
    size_t pq = p * q > 0 ? p * q : 1;
    out->r = malloc(pq * sizeof *out->r);
    out->pval = malloc(pq * sizeof *out->pval);
    out->padj = malloc(pq * sizeof *out->padj);
    unsigned char *full = calloc(p + q ? p + q : 1, 1);
    size_t *idx = malloc((p + q ? p + q : 1) * sizeof *idx);
    double *z = NULL, *block = NULL;
    unsigned char *flat = NULL;
    ptable *pt = NULL;
    int rc = -1;
    if (!out->r || !out->pval || !out->padj || !full || !idx)
        goto done;

    /* complete columns of A then of B, indexed together */
    size_t pc = 0, qc = 0;
    for (size_t i = 0; i < p + q; i++) {
        const double *x = i < p ? a[i] : b[i - p];
        int ok = 1;
        for (size_t k = 0; k < n && ok; k++)
            ok = !isnan(x[k]);
        full[i] = (unsigned char)ok;
        if (ok) {
            idx[pc + qc] = i < p ? i : i - p;
            if (i < p)
                pc++;
            else
                qc++;
        }
    }
    if (pc < p || qc < q) {
        out->n = malloc(pq * sizeof *out->n);
        if (!out->n)
            goto done;
        for (size_t i = 0; i < p * q; i++)
            out->n[i] = (unsigned)n;
    }
    if (!(pc == p && qc == q && n >= 3)) /* else the product writes every pair */
        for (size_t i = 0; i < p * q; i++)
            out->r[i] = out->pval[i] = NAN;

    if (pc && qc && n >= 3) {
        size_t nz = (pc + qc) * n;
        z = malloc((nz ? nz : 1) * sizeof *z);
        flat = malloc(pc + qc);
        if (!z || !flat)
            goto done;
        std_job sa = {a, idx, n, m, z, flat, 0};
        par_for(threads, pc, 16, std_chunk, &sa);
        std_job sb = {b, idx + pc, n, m, z + pc * n, flat + pc, 0};
        par_for(threads, qc, 16, std_chunk, &sb);
        if (sa.oom || sb.oom)
            goto done;
        int all = pc == p && qc == q;
        double *dst = out->r;
        if (!all && !(dst = block = malloc(pc * qc * sizeof *block)))
            goto done;
        gemm_job g = {z, z + pc * n, pc, qc, n, dst, qc};
        par_for(threads, pc, BLOCK, gemm_chunk, &g);
        pt = malloc(sizeof *pt);
        if (!pt)
            goto done;
        ptable_build(pt, (double)n - 2);
        finish_job f = {dst, out, idx, flat, pc, qc, q, all, m, (double)n, pt, a, b};
        par_for(threads, pc, BLOCK, finish_chunk, &f);
    }
    if (pc < p || qc < q) {
        pair_job pj = {a, b, q, n, m, full, full + p, out, 0};
        par_for(threads, p, 8, pair_chunk, &pj);
        if (pj.oom)
            goto done;
        out->n_pairwise = p * q - pc * qc;
    }
    for (size_t i = 0; i < p * q; i++)
        out->n_nan += isnan(out->r[i]);
    if (padjust(out->pval, p * q, adj, out->padj) != 0)
        goto done;
    rc = 0;
done:
    free(full);
    free(idx);
    free(z);
    free(flat);
    free(block);
    free(pt);
    if (rc != 0)
        cormat_free(out);
    return rc;
}
