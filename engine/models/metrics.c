/* engine/models/metrics.c — prediction scores (metrics.h). Sums in long
 * double: the scores of near-perfect fits are differences of close sums. */
#include "metrics.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

double metric_mse(const double *y, const double *pred, size_t n)
{
    if (n == 0)
        return NAN;
    long double s = 0;
    for (size_t i = 0; i < n; i++) {
        long double d = (long double)y[i] - pred[i];
        s += d * d;
    }
    return (double)(s / (long double)n);
}

/* sum (y - mean y)^2 */
static long double total_ss(const double *y, size_t n)
{
    long double m = 0, s = 0;
    for (size_t i = 0; i < n; i++)
        m += y[i];
    m /= (long double)n;
    for (size_t i = 0; i < n; i++)
        s += (y[i] - m) * (y[i] - m);
    return s;
}

double metric_r2(const double *y, const double *pred, size_t n)
{
    if (n < 2)
        return NAN;
    long double res = 0;
    for (size_t i = 0; i < n; i++) {
        long double d = (long double)y[i] - pred[i];
        res += d * d;
    }
    long double tot = total_ss(y, n);
    if (tot == 0)
        return res == 0 ? 1.0 : 0.0;
    return (double)(1 - res / tot);
}

double metric_rmse_std_ratio(const double *y, const double *pred, size_t n)
{
    if (n == 0)
        return NAN;
    /* a constant y: 0/0 = NaN for a perfect prediction, +Inf otherwise */
    return sqrt(metric_mse(y, pred, n)) / (double)sqrtl(total_ss(y, n) / (long double)n);
}

typedef struct {
    double v;
    unsigned char pos;
} scored;

static int by_value(const void *a, const void *b)
{
    double x = ((const scored *)a)->v, y = ((const scored *)b)->v;
    return (x > y) - (x < y);
}

int metric_auc(const double *score, const unsigned char *positive, size_t n, double *auc)
{
    size_t n1 = 0;
    for (size_t i = 0; i < n; i++)
        n1 += positive[i] != 0;
    size_t n0 = n - n1;
    if (n1 == 0 || n0 == 0) {
        *auc = NAN;
        return 0;
    }
    scored *s = malloc(n * sizeof *s);
    if (!s)
        return -1;
    for (size_t i = 0; i < n; i++) {
        s[i].v = score[i];
        s[i].pos = positive[i] != 0;
    }
    qsort(s, n, sizeof *s, by_value);
    /* the positives' rank sum with midranks for ties */
    long double rsum = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i, pos = 0;
        while (j < n && s[j].v == s[i].v)
            pos += s[j++].pos;
        rsum += (long double)pos * ((long double)(i + 1 + j) / 2);
        i = j;
    }
    free(s);
    long double u = rsum - (long double)n1 * (long double)(n1 + 1) / 2;
    *auc = (double)(u / ((long double)n1 * (long double)n0));
    return 0;
}

static const char *const scoring_names[] = {"neg_mse", "r2", "auc", "rmse_std_ratio"};

int metric_scoring(const char *name, rg_scoring *s)
{
    for (int i = 0; i < 4; i++)
        if (strcmp(name, scoring_names[i]) == 0) {
            *s = (rg_scoring)i;
            return 0;
        }
    return -1;
}

const char *metric_scoring_name(rg_scoring s) { return scoring_names[s]; }

int metric_higher_is_better(rg_scoring s) { return s != RG_SCORE_RMSE_STD; }

int metric_score(rg_scoring s, double threshold, const double *y, const double *pred, size_t n,
                 double *out)
{
    switch (s) {
    case RG_SCORE_NEG_MSE:
        *out = -metric_mse(y, pred, n);
        return 0;
    case RG_SCORE_R2:
        *out = metric_r2(y, pred, n);
        return 0;
    case RG_SCORE_RMSE_STD:
        *out = metric_rmse_std_ratio(y, pred, n);
        return 0;
    case RG_SCORE_AUC: {
        unsigned char *pos = malloc(n ? n : 1);
        if (!pos)
            return -1;
        for (size_t i = 0; i < n; i++)
            pos[i] = y[i] > threshold;
        int rc = metric_auc(pred, pos, n, out);
        free(pos);
        return rc;
    }
    }
    return 0;
}
