/* engine/stats/padjust.c — R's p.adjust (padjust.h).
 *
 * R (src/library/stats/R/p.adjust.R) drops NAs, so that n is the number of
 * non-NA values, orders p (stably; decreasing for the step-up methods), takes
 * a cumulative max or min of the scaled values and caps them at 1. Each
 * product and quotient below is written in R's order of operations, so the
 * results agree to the last bit, not only to a tolerance. */
#include "padjust.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

const char *const padjust_method_names =
    "holm, hochberg, hommel, bonferroni, BH (or fdr), BY, none";

int padjust_method(const char *name, rg_padjust_method *m)
{
    static const struct {
        const char *name;
        rg_padjust_method m;
    } t[] = {{"holm", RG_PADJ_HOLM}, {"hochberg", RG_PADJ_HOCHBERG},
             {"hommel", RG_PADJ_HOMMEL}, {"bonferroni", RG_PADJ_BONFERRONI},
             {"BH", RG_PADJ_BH}, {"fdr", RG_PADJ_BH}, {"BY", RG_PADJ_BY},
             {"none", RG_PADJ_NONE}};
    for (size_t i = 0; i < sizeof t / sizeof *t; i++)
        if (strcmp(name, t[i].name) == 0) {
            *m = t[i].m;
            return 0;
        }
    return -1;
}

typedef struct {
    double p;
    size_t i;
} entry;

/* Stable orders: ascending, or descending, by p with ties by position (as
 * R's order(), which is stable in both directions). */
static int up(const void *a, const void *b)
{
    const entry *x = a, *y = b;
    if (x->p != y->p)
        return x->p < y->p ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

static int down(const void *a, const void *b)
{
    const entry *x = a, *y = b;
    if (x->p != y->p)
        return x->p > y->p ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

/* The positions of the n non-NaN values of p[0..len), in the order R's
 * order() gives (stable; ascending, or descending), as a new array.
 * Small inputs: qsort of (p, position) with up/down. Large ones (a screen has
 * millions of p-values) in two steps: an LSD radix sort, 11 bits a pass, of
 * 64-bit words holding p rounded to float (rounding is monotone, and float
 * bits order like the values for p >= 0) above the position; then each run
 * of equal float keys, mostly one element long, is put in exact order by
 * qsort. Radix passes are stable and positions break ties, so the order is
 * the qsort order. Only positions move, never the values. NULL when out of
 * memory. */
#define RADIX_BITS 11
#define RADIX (1u << RADIX_BITS)
static uint32_t *p_order(const double *p, size_t len, size_t n, int descending)
{
    uint32_t *ord = malloc((n ? n : 1) * sizeof *ord);
    if (!ord)
        return NULL;
    if (n < 4096) {
        entry *e = malloc((n ? n : 1) * sizeof *e);
        if (!e) {
            free(ord);
            return NULL;
        }
        size_t k = 0;
        for (size_t i = 0; i < len; i++)
            if (!isnan(p[i]))
                e[k++] = (entry){p[i], i};
        qsort(e, n, sizeof *e, descending ? down : up);
        for (size_t i = 0; i < n; i++)
            ord[i] = (uint32_t)e[i].i;
        free(e);
        return ord;
    }
    uint64_t *v = malloc(n * sizeof *v), *tmp = malloc(n * sizeof *tmp);
    size_t *count = calloc((size_t)3 * RADIX, sizeof *count);
    entry *run = NULL;
    size_t run_cap = 0;
    if (!v || !tmp || !count)
        goto fail;
    size_t k = 0;
    for (size_t i = 0; i < len; i++) {
        if (isnan(p[i]))
            continue;
        float f = (float)p[i];
        uint32_t key;
        memcpy(&key, &f, sizeof key);
        if (f == 0)
            key = 0; /* -0 sorts as 0 */
        if (descending)
            key = ~key;
        v[k++] = (uint64_t)key << 32 | i;
        for (int d = 0; d < 3; d++)
            count[(size_t)d * RADIX + ((key >> (d * RADIX_BITS)) & (RADIX - 1))]++;
    }
    for (int d = 0; d < 3; d++) {
        size_t *c = count + (size_t)d * RADIX;
        int shift = 32 + d * RADIX_BITS;
        if (c[(v[0] >> shift) & (RADIX - 1)] == n)
            continue; /* one digit everywhere: the order is unchanged */
        size_t sum = 0;
        for (size_t x = 0; x < RADIX; x++) {
            size_t t = c[x];
            c[x] = sum;
            sum += t;
        }
        for (size_t i = 0; i < n; i++)
            tmp[c[(v[i] >> shift) & (RADIX - 1)]++] = v[i];
        uint64_t *t = v;
        v = tmp;
        tmp = t;
    }
    for (size_t i = 0; i < n;) { /* exact order within equal float keys */
        size_t j = i + 1;
        while (j < n && v[j] >> 32 == v[i] >> 32)
            j++;
        if (j - i > 1) {
            if (j - i > run_cap) {
                free(run);
                run_cap = 2 * (j - i);
                if (!(run = malloc(run_cap * sizeof *run)))
                    goto fail;
            }
            for (size_t r = i; r < j; r++) {
                size_t at = v[r] & 0xffffffffu;
                run[r - i] = (entry){p[at], at};
            }
            qsort(run, j - i, sizeof *run, descending ? down : up);
            for (size_t r = i; r < j; r++)
                ord[r] = (uint32_t)run[r - i].i;
        } else {
            ord[i] = (uint32_t)(v[i] & 0xffffffffu);
        }
        i = j;
    }
    free(v);
    free(tmp);
    free(count);
    free(run);
    return ord;
fail:
    free(ord);
    free(v);
    free(tmp);
    free(count);
    free(run);
    return NULL;
}

static double min1(double x) { return x < 1 ? x : 1; }

/* Hommel's method on the n sorted p-values q[0..n), results in adj (sorted
 * order). R: q <- pa <- rep(min(n*p/i), n); for m in (n-1):2 ... */
static void hommel(const double *q, size_t n, double *adj, double *tmp)
{
    double mn = INFINITY;
    for (size_t i = 0; i < n; i++) {
        double v = (double)n * q[i] / (double)(i + 1);
        if (v < mn)
            mn = v;
    }
    for (size_t i = 0; i < n; i++)
        adj[i] = tmp[i] = mn;
    for (size_t m = n - 1; m >= 2; m--) {
        /* i1 = 1..n-m+1, i2 = n-m+2..n (1-based) */
        double q1 = INFINITY;
        for (size_t k = 2; k <= m; k++) {
            double v = (double)m * q[n - m + k - 1] / (double)k;
            if (v < q1)
                q1 = v;
        }
        for (size_t i = 0; i < n - m + 1; i++) {
            double v = (double)m * q[i];
            tmp[i] = v < q1 ? v : q1;
        }
        for (size_t i = n - m + 1; i < n; i++)
            tmp[i] = tmp[n - m];
        for (size_t i = 0; i < n; i++)
            if (tmp[i] > adj[i])
                adj[i] = tmp[i];
    }
    for (size_t i = 0; i < n; i++)
        if (q[i] > adj[i])
            adj[i] = q[i];
}

int padjust(const double *p, size_t len, rg_padjust_method m, double *out)
{
    if (len > UINT32_MAX)
        return -1; /* positions are 32-bit: 4 billion p-values would not fit anyway */
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += !isnan(p[i]);
    if (n == 2 && m == RG_PADJ_HOMMEL)
        m = RG_PADJ_HOCHBERG; /* as R */
    if (m == RG_PADJ_NONE || m == RG_PADJ_BONFERRONI || n <= 1) { /* no order needed */
        double dn = (double)n;
        for (size_t i = 0; i < len; i++)
            out[i] = isnan(p[i]) || m == RG_PADJ_NONE || n <= 1 ? p[i] : min1(dn * p[i]);
        return 0;
    }
    uint32_t *o = p_order(p, len, n, !(m == RG_PADJ_HOLM || m == RG_PADJ_HOMMEL));
    if (!o)
        return -1;
    double dn = (double)n;
    /* Each position is read (p[o[j]]) before it is written (out[o[j]]), in
     * the same step, so out may be p. NAs stay where they are. */
    for (size_t i = 0; i < len; i++)
        if (isnan(p[i]))
            out[i] = p[i];
    switch (m) {
    case RG_PADJ_HOLM: { /* pmin(1, cummax((n + 1 - i) * p[o])) */
        double c = -INFINITY;
        for (size_t i = 0; i < n; i++) {
            double v = (double)(n - i) * p[o[i]];
            c = v > c ? v : c;
            out[o[i]] = min1(c);
        }
        break;
    }
    case RG_PADJ_HOMMEL: {
        double *q = malloc(n * sizeof *q), *a = malloc(n * sizeof *a),
               *b = malloc(n * sizeof *b);
        if (!q || !a || !b) {
            free(q);
            free(a);
            free(b);
            free(o);
            return -1;
        }
        for (size_t i = 0; i < n; i++)
            q[i] = p[o[i]];
        hommel(q, n, a, b);
        for (size_t i = 0; i < n; i++)
            out[o[i]] = a[i];
        free(q);
        free(a);
        free(b);
        break;
    }
    default: { /* hochberg, BH, BY: i <- n:1 on decreasing p, then cummin */
        /* sum(1/(1L:n)): R's sum() accumulates in long double */
        long double acc = 0;
        if (m == RG_PADJ_BY)
            for (size_t j = 1; j <= n; j++)
                acc += 1.0 / (double)j;
        double q = (double)acc;
        double c = INFINITY;
        for (size_t j = 0; j < n; j++) {
            double i = (double)(n - j), v, pj = p[o[j]];
            if (m == RG_PADJ_HOCHBERG)
                v = (dn + 1 - i) * pj;   /* (n + 1L - i) * p[o] */
            else if (m == RG_PADJ_BH)
                v = dn / i * pj;         /* n / i * p[o] */
            else
                v = q * dn / i * pj;     /* q * n / i * p[o] */
            c = v < c ? v : c;
            out[o[j]] = min1(c);
        }
        break;
    }
    }
    free(o);
    return 0;
}
