/* engine/stats/roc.c — ROC curves as pROC computes them (roc.h).
 *
 * Thresholds (pROC's roc_utils_thresholds): the sorted distinct scores u_1
 * < ... < u_k give -Inf, (u_i + u_{i+1}) / 2, +Inf (halves added first when
 * a sum would pass 1e100; a midpoint that rounds onto a score moves onto the
 * upper score for "<", the lower for ">", as pROC). For "<" a score at or
 * above the threshold is called a case: sensitivity = #{cases >= t} /
 * n_cases, specificity = #{controls < t} / n_controls; ">" mirrors it. The AUC is the Mann-Whitney statistic
 * (ties count 1/2) and its DeLong variance comes from the placement values
 * V10 (each case against the controls) and V01 (each control against the
 * cases): var = s^2(V10) / n_cases + s^2(V01) / n_controls with sample
 * variances; the CI is AUC -+ z_0.975 sqrt(var), cut to [0, 1] (pROC's
 * ci.auc(method = "delong")). Youden's index is sens + spec, largest first
 * in pROC's order (increasing specificity: thresholds up for "<", down for
 * ">"); the +-Inf thresholds take part as in pROC's coords. */
#include "roc.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* #{v[0..n) < x} and #{v[0..n) == x} in the sorted v, by bisection. */
static void count_below(const double *v, size_t n, double x, size_t *below, size_t *equal)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    *below = lo;
    size_t e = lo;
    while (e < n && v[e] == x)
        e++;
    *equal = e - lo;
}

static double median_sorted(const double *v, size_t n)
{
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* The sample variance of v[0..n) (n - 1), NaN for n < 2. */
static double sample_var(const double *v, size_t n)
{
    if (n < 2)
        return NAN;
    long double s = 0;
    for (size_t i = 0; i < n; i++)
        s += v[i];
    long double m = s / (long double)n, ss = 0;
    for (size_t i = 0; i < n; i++)
        ss += (v[i] - m) * (v[i] - m);
    return (double)(ss / (long double)(n - 1));
}

void roc_free(rg_roc *r)
{
    free(r->thresholds);
    free(r->sens);
    free(r->spec);
    memset(r, 0, sizeof *r);
}

int roc_compute(const double *scores, const int *labels, size_t n, char direction,
                rg_roc *out)
{
    memset(out, 0, sizeof *out);
    size_t nn = n ? n : 1;
    double *cases = malloc(nn * sizeof *cases), *controls = malloc(nn * sizeof *controls);
    double *u = malloc(nn * sizeof *u), *v10 = malloc(nn * sizeof *v10),
           *v01 = malloc(nn * sizeof *v01);
    out->thresholds = malloc((n + 2) * sizeof *out->thresholds);
    out->sens = malloc((n + 2) * sizeof *out->sens);
    out->spec = malloc((n + 2) * sizeof *out->spec);
    int rc = -1;
    if (!cases || !controls || !u || !v10 || !v01 || !out->thresholds || !out->sens ||
        !out->spec)
        goto done;
    size_t nc = 0, nk = 0;
    for (size_t i = 0; i < n; i++) {
        if (labels[i])
            cases[nc++] = scores[i];
        else
            controls[nk++] = scores[i];
    }
    out->n_cases = nc;
    out->n_controls = nk;
    qsort(cases, nc, sizeof *cases, by_value);
    qsort(controls, nk, sizeof *controls, by_value);
    if (direction == 'a')
        direction = median_sorted(controls, nk) <= median_sorted(cases, nc) ? '<' : '>';
    int gt = out->greater = direction == '>';

    /* distinct scores, then thresholds */
    memcpy(u, scores, n * sizeof *u);
    qsort(u, n, sizeof *u, by_value);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (k == 0 || u[i] != u[k - 1])
            u[k++] = u[i];
    out->m = k + 1;
    for (size_t i = 0; i <= k; i++) {
        double lo = i == 0 ? -INFINITY : u[i - 1], hi = i == k ? INFINITY : u[i];
        double t = (lo + hi) / 2;
        if (fabs(t) > 1e100)
            t = lo / 2 + hi / 2;
        if (i > 0 && i < k && (t == lo || t == hi)) /* adjacent doubles: pROC moves
                                                      it onto a score */
            t = gt ? lo : hi;
        out->thresholds[i] = t;
    }
    /* sensitivity and specificity: threshold i splits the distinct scores
     * between u[i-1] and u[i]; count by that split, never against t */
    size_t ci = 0, ki = 0; /* cases and controls below u[i] */
    for (size_t i = 0; i < out->m; i++) {
        while (ci < nc && (i == k || cases[ci] < u[i]))
            ci++;
        while (ki < nk && (i == k || controls[ki] < u[i]))
            ki++;
        if (!gt) {
            out->sens[i] = (double)(nc - ci) / (double)nc;
            out->spec[i] = (double)ki / (double)nk;
        } else {
            out->sens[i] = (double)ci / (double)nc;
            out->spec[i] = (double)(nk - ki) / (double)nk;
        }
    }
    /* DeLong placements */
    long double auc = 0;
    for (size_t i = 0; i < nc; i++) {
        size_t below, equal;
        count_below(controls, nk, cases[i], &below, &equal);
        double beat = gt ? (double)(nk - below - equal) : (double)below;
        v10[i] = (beat + 0.5 * (double)equal) / (double)nk;
        auc += v10[i];
    }
    for (size_t i = 0; i < nk; i++) {
        size_t below, equal;
        count_below(cases, nc, controls[i], &below, &equal);
        double beat = gt ? (double)below : (double)(nc - below - equal);
        v01[i] = (beat + 0.5 * (double)equal) / (double)nc;
    }
    out->auc = (double)(auc / (long double)nc);
    out->var = sample_var(v10, nc) / (double)nc + sample_var(v01, nk) / (double)nk;
    double z = gsl_cdf_ugaussian_Pinv(0.975), sd = sqrt(out->var);
    out->lower = out->auc - z * sd;
    out->upper = out->auc + z * sd;
    if (out->lower < 0)
        out->lower = 0;
    if (out->upper > 1)
        out->upper = 1;
    /* Youden */
    double best = -INFINITY;
    for (size_t step = 0; step < out->m; step++) {
        size_t i = gt ? out->m - 1 - step : step; /* pROC's order: specificity rising */
        double j = out->sens[i] + out->spec[i];
        if (j > best) {
            best = j;
            out->youden_threshold = out->thresholds[i];
            out->youden_sens = out->sens[i];
            out->youden_spec = out->spec[i];
            out->youden_ties = 1;
        } else if (j == best) {
            out->youden_ties++;
        }
    }
    rc = 0;
done:
    free(cases);
    free(controls);
    free(u);
    free(v10);
    free(v01);
    if (rc != 0)
        roc_free(out);
    return rc;
}
