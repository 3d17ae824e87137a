/* engine/stats/cor.c — Pearson and Spearman correlation tests (cor.h).
 *
 * r follows R's cov.c: means in long double with a second, correcting pass;
 * centred cross-products in long double divided by n - 1; r = cov / (sd_x *
 * sd_y), clamped to [-1, 1]. The p-values follow R's cor.test: Pearson
 * t = sqrt(df) * r / sqrt(1 - r^2), p = 2 min(P(T <= t), P(T >= t)); Spearman
 * (exact = FALSE) goes through R's statistic S and pspearman's t. */
#include "cor.h"

#include <gsl/gsl_sf_gamma.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int cor_method(const char *name, rg_cor_method *m)
{
    if (strcmp(name, "pearson") == 0)
        *m = RG_COR_PEARSON;
    else if (strcmp(name, "spearman") == 0)
        *m = RG_COR_SPEARMAN;
    else
        return -1;
    return 0;
}

typedef struct {
    double v;
    size_t i;
} ranked;

static int by_value(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->v != y->v)
        return x->v < y->v ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

int cor_rank(const double *x, size_t n, double *r)
{
    ranked *s = malloc((n ? n : 1) * sizeof *s);
    if (!s)
        return -1;
    for (size_t i = 0; i < n; i++)
        s[i] = (ranked){x[i], i};
    qsort(s, n, sizeof *s, by_value);
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j + 1 < n && s[j + 1].v == s[i].v)
            j++;
        double avg = ((double)(i + 1) + (double)(j + 1)) / 2; /* ranks i+1..j+1 */
        for (size_t k = i; k <= j; k++)
            r[s[k].i] = avg;
        i = j + 1;
    }
    free(s);
    return 0;
}

/* Mean as R's cov.c: a long double sum, then the mean of the residuals added
 * back. */
double cor_mean(const double *x, size_t n)
{
    long double sum = 0;
    for (size_t k = 0; k < n; k++)
        sum += x[k];
    long double m = sum / (long double)n;
    if (isfinite((double)m)) {
        sum = 0;
        for (size_t k = 0; k < n; k++)
            sum += (x[k] - m);
        m = m + sum / (long double)n;
    }
    return (double)m;
}

/* R's cor(x, y) for complete data into *r; returns RG_COR_CONSTANT when a
 * standard deviation is 0 and RG_COR_UNDERFLOW when r is 0/0 anyway. The
 * means are rounded to double (R stores them so) but held in long double,
 * so that differences and their products are long double: with x near 1e-300
 * a double product would underflow where R's does not. */
static rg_cor_status pearson(const double *x, const double *y, size_t n, double *out)
{
    long double xm = cor_mean(x, n), ym = cor_mean(y, n);
    long double sxy = 0, sxx = 0, syy = 0;
    for (size_t k = 0; k < n; k++) {
        sxy += (x[k] - xm) * (y[k] - ym);
        sxx += (x[k] - xm) * (x[k] - xm);
        syy += (y[k] - ym) * (y[k] - ym);
    }
    long double n1 = (long double)(n - 1);
    double cov = (double)(sxy / n1);
    double sdx = (double)sqrtl(sxx / n1), sdy = (double)sqrtl(syy / n1);
    *out = NAN;
    if (sdx == 0 || sdy == 0)
        return RG_COR_CONSTANT;
    double r = cov / (sdx * sdy);
    if (isnan(r))
        return RG_COR_UNDERFLOW;
    *out = r > 1 ? 1 : r < -1 ? -1 : r;
    return RG_COR_OK;
}

int cor_standardise(const double *x, size_t n, rg_cor_method m, double *z)
{
    if (m == RG_COR_SPEARMAN) {
        if (cor_rank(x, n, z) != 0)
            return -1;
        x = z;
    }
    long double xm = cor_mean(x, n), ss = 0;
    for (size_t k = 0; k < n; k++)
        ss += (x[k] - xm) * (x[k] - xm);
    double norm = (double)sqrtl(ss);
    if (!(norm > 0) || !isfinite(norm))
        return 1;
    for (size_t k = 0; k < n; k++)
        z[k] = (double)((x[k] - xm) / norm);
    return 0;
}

double cor_pt2(double t, double df)
{
    if (isnan(t) || isnan(df))
        return NAN;
    if (isinf(t))
        return 0;
    double t2 = t * t;
    if (isinf(t2))
        return 0;
    double lower = gsl_sf_beta_inc(0.5, df / 2, t2 / (df + t2)); /* P(|T| < |t|) */
    if (lower < 0.5)
        return 1 - lower;
    return gsl_sf_beta_inc(df / 2, 0.5, df / (df + t2));
}

int cor_test(const double *x, const double *y, size_t len, rg_cor_method m,
             rg_cor_result *out)
{
    *out = (rg_cor_result){NAN, NAN, NAN, NAN, NAN, 0, RG_COR_OK};
    double *a = malloc((len ? len : 1) * sizeof *a);
    double *b = malloc((len ? len : 1) * sizeof *b);
    if (!a || !b) {
        free(a);
        free(b);
        return -1;
    }
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        if (!isnan(x[i]) && !isnan(y[i])) {
            a[n] = x[i];
            b[n] = y[i];
            n++;
        }
    out->n = n;
    if (n < 3) {
        out->status = RG_COR_TOO_FEW;
        goto done;
    }
    if (m == RG_COR_SPEARMAN) {
        double *ra = malloc(n * sizeof *ra), *rb = malloc(n * sizeof *rb);
        if (!ra || !rb || cor_rank(a, n, ra) != 0 || cor_rank(b, n, rb) != 0) {
            free(ra);
            free(rb);
            free(a);
            free(b);
            return -1;
        }
        free(a);
        free(b);
        a = ra;
        b = rb;
    }
    double r;
    out->status = pearson(a, b, n, &r);
    if (out->status != RG_COR_OK)
        goto done;
    double df = (double)n - 2;
    out->r = r;
    out->df = df;
    if (m == RG_COR_PEARSON) {
        double t = sqrt(df) * r / sqrt(1 - r * r);
        out->t = t;
        out->p = cor_pt2(t, df);
    } else {
        double dn = (double)n;
        double S = (dn * dn * dn - dn) * (1 - r) / 6;
        double den = (dn * (dn * dn - 1)) / 6;
        double rr = 1 - S / den;
        double t = rr / sqrt((1 - rr * rr) / (dn - 2));
        out->S = S;
        out->t = t;
        double p = cor_pt2(t, df); /* pspearman's one tail, doubled */
        out->p = p < 1 ? p : 1;
    }
done:
    free(a);
    free(b);
    return 0;
}
