/* engine/stats/surv.c — survival analysis (surv.h).
 *
 * The log-rank test follows survdiff's C code (survdiff2.c, rho = 0): within
 * each stratum, at each distinct time with events, every group contributes
 * expected events n_g d / n and the variance
 *     V_gh += d (n - d) / (n - 1) * (n_g / n) (delta_gh - n_h / n),  n > 1.
 * Observed, expected and V are summed over strata; groups with no expected
 * events are dropped, and chisq = (O - E)' V^-1 (O - E) on the remaining
 * groups without the first, with df their number minus 1 (survdiff.R). */
#include "surv.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_linalg.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    double time;
    int status;
    size_t group, stratum;
} obs;

/* By stratum, then time, events before censorings at the same time. */
static int by_stratum_time(const void *a, const void *b)
{
    const obs *x = a, *y = b;
    if (x->stratum != y->stratum)
        return x->stratum < y->stratum ? -1 : 1;
    if (x->time != y->time)
        return x->time < y->time ? -1 : 1;
    return y->status - x->status;
}

void logrank_free(rg_logrank *r)
{
    free(r->n);
    free(r->observed);
    free(r->expected);
    free(r->var);
    memset(r, 0, sizeof *r);
}

int logrank(const double *time, const int *status, const size_t *group, size_t k,
            const size_t *strata, size_t n, rg_logrank *out)
{
    memset(out, 0, sizeof *out);
    out->k = k;
    size_t kk = k ? k : 1;
    obs *o = malloc((n ? n : 1) * sizeof *o);
    double *risk = calloc(kk, sizeof *risk), *dg = calloc(kk, sizeof *dg);
    out->n = calloc(kk, sizeof *out->n);
    out->observed = calloc(kk, sizeof *out->observed);
    out->expected = calloc(kk, sizeof *out->expected);
    out->var = calloc(kk * kk, sizeof *out->var);
    int rc = -1;
    if (!o || !risk || !dg || !out->n || !out->observed || !out->expected || !out->var)
        goto done;
    for (size_t i = 0; i < n; i++) {
        o[i] = (obs){time[i], status[i], group[i], strata ? strata[i] : 0};
        out->n[group[i]] += 1;
        out->observed[group[i]] += status[i];
    }
    qsort(o, n, sizeof *o, by_stratum_time);
    for (size_t s0 = 0; s0 < n;) {
        size_t s1 = s0; /* the stratum is o[s0..s1) */
        while (s1 < n && o[s1].stratum == o[s0].stratum)
            s1++;
        for (size_t g = 0; g < k; g++)
            risk[g] = 0;
        for (size_t i = s0; i < s1; i++)
            risk[o[i].group] += 1;
        for (size_t i = s0; i < s1;) {
            size_t j = i; /* the subjects with time o[i].time: o[i..j) */
            double d = 0;
            for (size_t g = 0; g < k; g++)
                dg[g] = 0;
            while (j < s1 && o[j].time == o[i].time) {
                if (o[j].status) {
                    d += 1;
                    dg[o[j].group] += 1;
                }
                j++;
            }
            if (d > 0) {
                double nt = 0;
                for (size_t g = 0; g < k; g++)
                    nt += risk[g];
                for (size_t g = 0; g < k; g++)
                    out->expected[g] += risk[g] * d / nt;
                if (nt > 1) {
                    double kv = d * (nt - d) / (nt * (nt - 1));
                    for (size_t g = 0; g < k; g++)
                        for (size_t h = 0; h < k; h++)
                            out->var[g * k + h] += kv * risk[g] * ((g == h) - risk[h] / nt);
                }
            }
            for (size_t r = i; r < j; r++)
                risk[o[r].group] -= 1;
            i = j;
        }
        s0 = s1;
    }
    /* chisq on the groups with expected > 0, the first of them left out */
    size_t *use = malloc(kk * sizeof *use), m = 0;
    if (!use)
        goto done;
    for (size_t g = 0; g < k; g++)
        if (out->expected[g] > 0)
            use[m++] = g;
    out->df = m >= 1 ? (double)m - 1 : 0;
    out->chisq = 0;
    if (m >= 2) {
        size_t r = m - 1;
        gsl_matrix *v = gsl_matrix_alloc(r, r);
        gsl_vector *x = gsl_vector_alloc(r), *sol = gsl_vector_alloc(r);
        gsl_permutation *perm = gsl_permutation_alloc(r);
        if (!v || !x || !sol || !perm) {
            gsl_matrix_free(v);
            gsl_vector_free(x);
            gsl_vector_free(sol);
            gsl_permutation_free(perm);
            free(use);
            goto done;
        }
        for (size_t a = 0; a < r; a++) {
            size_t ga = use[a + 1];
            gsl_vector_set(x, a, out->observed[ga] - out->expected[ga]);
            for (size_t b = 0; b < r; b++)
                gsl_matrix_set(v, a, b, out->var[ga * k + use[b + 1]]);
        }
        int sign;
        if (gsl_linalg_LU_decomp(v, perm, &sign) == 0 &&
            gsl_linalg_LU_solve(v, perm, x, sol) == 0) {
            double chi = 0;
            for (size_t a = 0; a < r; a++)
                chi += gsl_vector_get(sol, a) * gsl_vector_get(x, a);
            out->chisq = chi;
        } else {
            out->chisq = NAN;
        }
        gsl_matrix_free(v);
        gsl_vector_free(x);
        gsl_vector_free(sol);
        gsl_permutation_free(perm);
    }
    free(use);
    out->p = out->df > 0 && !isnan(out->chisq) ? gsl_cdf_chisq_Q(out->chisq, out->df) : NAN;
    rc = 0;
done:
    free(o);
    free(risk);
    free(dg);
    if (rc != 0)
        logrank_free(out);
    return rc;
}

/* ---- Kaplan-Meier ------------------------------------------------------------------ */

typedef struct {
    double time;
    int status;
} tobs;

static int by_time(const void *a, const void *b)
{
    const tobs *x = a, *y = b;
    return x->time < y->time ? -1 : x->time > y->time;
}

void km_free(rg_km *k)
{
    free(k->time); /* one block holds every array */
    memset(k, 0, sizeof *k);
}

/* survival's findq(c(0, time), c(0, 1 - s), p, tol): y = 1 - s is
 * non-decreasing; after dropping repeated values, the quantile is the mean of
 * the first times where y + tol and y - tol reach p; at a last flat part
 * exactly at p it is the mean of that time and the last time. */
double km_quantile(const rg_km *k, const double *s, double p)
{
    const double tol = 1.4901161193847656e-08; /* sqrt(DBL_EPSILON) */
    size_t m = k->m;
    double maxy = 0;
    for (size_t i = 0; i < m; i++)
        if (!isnan(s[i]) && 1 - s[i] > maxy)
            maxy = 1 - s[i];
    if (maxy < p)
        return NAN;
    double xmax = m ? k->time[m - 1] : 0;
    /* points (x, y), the first (0, 0); repeated y dropped (NaN too, after its first) */
    double prev = 0, last_y = 0, x1 = NAN, x2 = NAN;
    int seen_nan = 0;
    for (size_t i = 0; i <= m; i++) {
        double x = i == 0 ? 0 : k->time[i - 1], y = i == 0 ? 0 : 1 - s[i - 1];
        if (i > 0) {
            if (isnan(y)) {
                if (seen_nan)
                    continue;
                seen_nan = 1;
                last_y = NAN;
                continue; /* a pair approx drops */
            }
            if (y == prev) /* duplicated(): y is monotone, so a repeat is of the
                              previous value */
                continue;
        }
        prev = y;
        last_y = y;
        if (isnan(x1) && y + tol >= p)
            x1 = x;
        if (isnan(x2) && y - tol >= p)
            x2 = x;
    }
    double q = (x1 + x2) / 2;
    if (p == 0)
        q = 0;
    if (!isnan(last_y) && fabs(p - last_y) < tol)
        q = (x1 + xmax) / 2;
    return q;
}

int km_fit(const double *time, const int *status, size_t n, rg_km_conf ct, double conf,
           rg_km *out)
{
    memset(out, 0, sizeof *out);
    tobs *o = malloc((n ? n : 1) * sizeof *o);
    size_t nn = n ? n : 1;
    double *block = malloc(8 * nn * sizeof *block);
    if (!o || !block) {
        free(o);
        free(block);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        o[i] = (tobs){time[i], status[i]};
        out->events += status[i];
    }
    out->n = (double)n;
    qsort(o, n, sizeof *o, by_time);
    out->time = block;
    out->n_risk = block + nn;
    out->n_event = block + 2 * nn;
    out->n_censor = block + 3 * nn;
    out->surv = block + 4 * nn;
    out->std_err = block + 5 * nn;
    out->lower = block + 6 * nn;
    out->upper = block + 7 * nn;
    double z = gsl_cdf_ugaussian_Pinv(1 - (1 - conf) / 2);
    double risk = (double)n, s = 1, var = 0;
    size_t m = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        double d = 0, c = 0;
        while (j < n && o[j].time == o[i].time) {
            d += o[j].status;
            c += !o[j].status;
            j++;
        }
        if (d > 0) {
            s *= 1 - d / risk;
            var += d / (risk * (risk - d)); /* Inf when everyone left dies */
        }
        out->time[m] = o[i].time;
        out->n_risk[m] = risk;
        out->n_event[m] = d;
        out->n_censor[m] = c;
        out->surv[m] = s;
        double se = sqrt(var);
        out->std_err[m] = se;
        double lo = NAN, hi = NAN;
        if (ct == RG_KM_LOG) {
            if (s != 0) { /* survfit_confint: xx <- ifelse(p == 0, NA, p) */
                lo = exp(log(s) - z * se);
                hi = exp(log(s) + z * se);
                hi = hi < 1 ? hi : 1;
            }
        } else if (ct == RG_KM_LOGLOG) {
            if (s != 0 && s != 1) {
                double se2 = z * se / log(s);
                lo = exp(-exp(log(-log(s)) - se2));
                hi = exp(-exp(log(-log(s)) + se2));
            }
        } else {
            double se2 = se * s * z; /* Inf * 0 once S = 0: NaN, NA in R */
            if (!isnan(se2)) {
                lo = s - se2 > 0 ? s - se2 : 0;
                hi = s + se2 < 1 ? s + se2 : 1;
            }
        }
        out->lower[m] = lo;
        out->upper[m] = hi;
        m++;
        risk -= (double)(j - i);
        i = j;
    }
    out->m = m;
    free(o);
    out->median = km_quantile(out, out->surv, 0.5);
    out->median_lower = km_quantile(out, out->lower, 0.5);
    out->median_upper = km_quantile(out, out->upper, 0.5);
    return 0;
}

void km_at(const rg_km *k, const double *at, size_t na, rg_km_row *rows)
{
    size_t i = 0; /* the first stored time > at[r - 1] */
    for (size_t r = 0; r < na; r++) {
        double t = at[r];
        rg_km_row *row = &rows[r];
        row->time = t;
        row->n_event = row->n_censor = 0;
        while (i < k->m && k->time[i] <= t) {
            row->n_event += k->n_event[i];
            row->n_censor += k->n_censor[i];
            i++;
        }
        /* i: the first stored time > t, so i - 1 is the last <= t */
        row->past_end = k->m == 0 || t > k->time[k->m - 1];
        if (row->past_end) {
            row->n_risk = 0;
            row->surv = row->std_err = row->lower = row->upper = NAN;
        } else if (i == 0) {
            row->n_risk = k->n;
            row->surv = row->lower = row->upper = 1;
            row->std_err = 0;
        } else {
            size_t j = i - 1;
            row->n_risk = k->time[j] == t ? k->n_risk[j] : k->n_risk[i];
            row->surv = k->surv[j];
            row->std_err = k->surv[j] == 0 ? NAN : k->surv[j] * k->std_err[j];
            row->lower = k->lower[j];
            row->upper = k->upper[j];
        }
    }
}
