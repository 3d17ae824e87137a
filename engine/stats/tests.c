/* engine/stats/tests.c — t.test and wilcox.test as R computes them (tests.h).
 *
 * Means and variances follow R (two-pass long double means, sums of squares
 * in long double over n - 1); the t and normal tails come from GSL. The
 * exact Wilcoxon distribution counts, for every rank sum, the subsets of
 * size nx of the ranks 1..nx+ny (a table of additions only, so the counts
 * are exact up to double precision), and sums the shorter tail as R's
 * pwilcox does. */
#include "tests.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cor.h"

/* Copy the non-NaN values of x into out; returns their count. */
static size_t finite_values(const double *x, size_t n, double *out)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(x[i]))
            out[m++] = x[i];
    return m;
}

/* R's var (cov.c, one column): centred squares in long double over n - 1. */
static double r_var(const double *x, size_t n, double mean)
{
    long double s = 0, m = mean;
    for (size_t i = 0; i < n; i++)
        s += (x[i] - m) * (x[i] - m);
    return (double)(s / (long double)(n - 1));
}

int ttest(const double *x, size_t nx, const double *y, size_t ny, int pooled, rg_ttest *out)
{
    *out = (rg_ttest){NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, 0, 0, RG_TEST_OK};
    double *a = malloc((nx + ny ? nx + ny : 1) * sizeof *a);
    if (!a)
        return -1;
    double *b = a + nx;
    nx = out->nx = finite_values(x, nx, a);
    ny = out->ny = finite_values(y, ny, b);
    if (nx < 1 || ny < 1 || (!pooled && (nx < 2 || ny < 2)) || (pooled && nx + ny < 3)) {
        out->status = RG_TEST_TOO_FEW;
        free(a);
        return 0;
    }
    double mx = out->mean_x = cor_mean(a, nx), my = out->mean_y = cor_mean(b, ny);
    double vx = nx > 1 ? r_var(a, nx, mx) : 0, vy = ny > 1 ? r_var(b, ny, my) : 0;
    double dnx = (double)nx, dny = (double)ny, df, se;
    if (pooled) {
        df = dnx + dny - 2;
        double v = 0;
        if (nx > 1)
            v = v + (dnx - 1) * vx;
        if (ny > 1)
            v = v + (dny - 1) * vy;
        v = v / df;
        se = sqrt(v * (1 / dnx + 1 / dny));
    } else {
        double sx = sqrt(vx / dnx), sy = sqrt(vy / dny);
        se = sqrt(sx * sx + sy * sy);
        df = (se * se * se * se) / ((sx * sx * sx * sx) / (dnx - 1) + (sy * sy * sy * sy) / (dny - 1));
    }
    free(a);
    double big = fabs(mx) > fabs(my) ? fabs(mx) : fabs(my);
    if (se < 10 * 2.220446049250313e-16 * big || se == 0) {
        out->status = RG_TEST_CONSTANT; /* R: "data are essentially constant" */
        return 0;
    }
    double t = (mx - my) / se;
    double q = gsl_cdf_tdist_Pinv(0.975, df);
    out->t = t;
    out->df = df;
    out->se = se;
    out->p = cor_pt2(t, df);
    out->lower = (t - q) * se;
    out->upper = (t + q) * se;
    return 0;
}

/* ---- Wilcoxon-Mann-Whitney -------------------------------------------------------- */

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* P(W <= q) (lower) or P(W > q) (!lower) for the statistic W of sizes m, n,
 * as R's pwilcox: the counts of the rank sums of m of the ranks 1..m+n,
 * summed over the shorter side. Returns NaN when out of memory. */
static double pwilcox(double q, size_t m, size_t n, int lower)
{
    if (m > n) { /* the distribution is symmetric in the sizes: use the smaller */
        size_t t = m;
        m = n;
        n = t;
    }
    size_t mn = m * n;
    q = floor(q + 1e-7);
    if (q < 0)
        return lower ? 0 : 1;
    if (q >= (double)mn)
        return lower ? 1 : 0;
    /* c[j][u]: subsets of size j of the ranks seen so far with U-sum u,
     * where U = rank sum - j (j + 1) / 2 and u <= m * n */
    size_t w = mn + 1;
    double *c = calloc((m + 1) * w, sizeof *c);
    if (!c)
        return NAN;
    c[0] = 1;
    for (size_t v = 1; v <= m + n; v++) {
        size_t top = v < m ? v : m;
        for (size_t j = top; j >= 1; j--) {
            /* adding rank v as the j-th smallest chosen: U grows by v - j */
            size_t shift = v - j;
            if (shift > mn)
                continue;
            double *dst = c + j * w, *src = c + (j - 1) * w;
            for (size_t u = mn; u + 1 > shift; u--)
                dst[u] += src[u - shift];
        }
    }
    const double *cnt = c + m * w;
    double total = 0;
    for (size_t u = 0; u <= mn; u++)
        total += cnt[u];
    double p = 0;
    size_t qi = (size_t)q;
    if (q <= (double)mn / 2) {
        for (size_t u = 0; u <= qi; u++)
            p += cnt[u] / total;
    } else {
        size_t qq = mn - qi;
        for (size_t u = 0; u < qq; u++)
            p += cnt[u] / total;
        lower = !lower;
    }
    free(c);
    return lower ? p : 0.5 - p + 0.5;
}

int mwtest(const double *x, size_t nx, const double *y, size_t ny, int exact, int correct,
           rg_mwtest *out)
{
    *out = (rg_mwtest){NAN, NAN, NAN, 0, 0, 0, 0, RG_TEST_OK};
    double *v = malloc((nx + ny ? nx + ny : 1) * sizeof *v);
    double *r = malloc((nx + ny ? nx + ny : 1) * sizeof *r);
    if (!v || !r) {
        free(v);
        free(r);
        return -1;
    }
    nx = out->nx = finite_values(x, nx, v);
    ny = out->ny = finite_values(y, ny, v + nx);
    if (nx < 1 || ny < 1) {
        out->status = RG_TEST_TOO_FEW;
        free(v);
        free(r);
        return 0;
    }
    size_t N = nx + ny;
    if (cor_rank(v, N, r) != 0) {
        free(v);
        free(r);
        return -1;
    }
    double dnx = (double)nx, dny = (double)ny;
    long double rs = 0;
    for (size_t i = 0; i < nx; i++)
        rs += r[i];
    double W = (double)rs - dnx * (dnx + 1) / 2;
    out->U = W;
    /* ties: sum over the groups of equal values of t^3 - t */
    qsort(v, N, sizeof *v, by_value);
    double tie_sum = 0;
    for (size_t i = 0; i < N;) {
        size_t j = i;
        while (j + 1 < N && v[j + 1] == v[i])
            j++;
        double t = (double)(j - i + 1);
        tie_sum += t * t * t - t;
        i = j + 1;
    }
    free(v);
    free(r);
    out->ties = tie_sum > 0;
    int use_exact = exact < 0 ? nx < 50 && ny < 50 : exact;
    if (use_exact && !out->ties) {
        size_t small = nx < ny ? nx : ny;
        if ((double)(small + 1) * (dnx * dny + 1) > 2.5e7) {
            out->status = RG_TEST_TOO_LARGE;
            return 0;
        }
        double p = W > dnx * dny / 2 ? pwilcox(W - 1, nx, ny, 0) : pwilcox(W, nx, ny, 1);
        if (isnan(p))
            return -1;
        out->exact = 1;
        out->p = 2 * p < 1 ? 2 * p : 1;
        return 0;
    }
    double z = W - dnx * dny / 2;
    double dN = dnx + dny;
    double sigma = sqrt((dnx * dny / 12) * ((dN + 1) - tie_sum / (dN * (dN - 1))));
    double corr = correct ? (z > 0 ? 0.5 : z < 0 ? -0.5 : 0) : 0;
    z = (z - corr) / sigma;
    out->z = z;
    double lo = gsl_cdf_ugaussian_P(z), hi = gsl_cdf_ugaussian_Q(z);
    out->p = isnan(z) ? NAN : 2 * (lo < hi ? lo : hi);
    if (out->p > 1)
        out->p = 1;
    return 0;
}

/* ---- Kruskal-Wallis ----------------------------------------------------------------- */

/* kwtest on the m values v[0..m) of groups gi (scratch: r, sum, cnt). */
static int kw_core(double *v, const size_t *gi, size_t m, size_t ngroups, double *r,
                   double *sum, double *cnt, rg_kwtest *out)
{
    if (cor_rank(v, m, r) != 0)
        return -1;
    for (size_t i = 0; i < m; i++) {
        sum[gi[i]] += r[i];
        cnt[gi[i]]++;
    }
    double s = 0;
    for (size_t j = 0; j < ngroups; j++)
        if (cnt[j] > 0) {
            s += sum[j] * sum[j] / cnt[j];
            out->k++;
        }
    if (out->k < 2) {
        out->status = RG_TEST_TOO_FEW;
        return 0;
    }
    qsort(v, m, sizeof *v, by_value);
    double ties = 0, dn = (double)m;
    for (size_t i = 0; i < m;) {
        size_t j = i;
        while (j + 1 < m && v[j + 1] == v[i])
            j++;
        double t = (double)(j - i + 1);
        ties += t * t * t - t;
        i = j + 1;
    }
    out->df = (double)(out->k - 1);
    if (ties == dn * dn * dn - dn) { /* one value: R's H is 0 / 0 */
        out->status = RG_TEST_CONSTANT;
        return 0;
    }
    out->H = (12 * s / (dn * (dn + 1)) - 3 * (dn + 1)) / (1 - ties / (dn * dn * dn - dn));
    out->p = gsl_cdf_chisq_Q(out->H, out->df);
    return 0;
}

int kwtest(const double *x, const size_t *g, size_t n, size_t ngroups, rg_kwtest *out)
{
    *out = (rg_kwtest){NAN, NAN, NAN, 0, 0, RG_TEST_OK};
    size_t len = n ? n : 1, ng = ngroups ? ngroups : 1;
    double *v = calloc(len, sizeof *v), *r = malloc(len * sizeof *r);
    size_t *gi = malloc(len * sizeof *gi);
    double *sum = calloc(ng, sizeof *sum), *cnt = calloc(ng, sizeof *cnt);
    int rc = -1;
    if (v && r && gi && sum && cnt) {
        size_t m = 0;
        for (size_t i = 0; i < n; i++)
            if (!isnan(x[i]) && g[i] < ngroups) {
                v[m] = x[i];
                gi[m++] = g[i];
            }
        out->n = m;
        rc = kw_core(v, gi, m, ngroups, r, sum, cnt, out);
    }
    free(v);
    free(r);
    free(gi);
    free(sum);
    free(cnt);
    return rc;
}
