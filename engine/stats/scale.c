/* engine/stats/scale.c — scikit-learn's scalers, one column at a time
 * (scale.h). Means and variances use two passes in long double; scikit-learn
 * (NumPy's pairwise sums) agrees to about 1e-15 relative. */
#include "scale.h"

#include <float.h>
#include <math.h>
#include <string.h>

int scale_kind(const char *name, rg_scale_kind *k)
{
    if (strcmp(name, "standard") == 0)
        *k = RG_SCALE_STANDARD;
    else if (strcmp(name, "minmax") == 0)
        *k = RG_SCALE_MINMAX;
    else if (strcmp(name, "maxabs") == 0)
        *k = RG_SCALE_MAXABS;
    else
        return -1;
    return 0;
}

void scale_fit(const double *x, size_t n, rg_scale_kind k, rg_scale_col *out)
{
    memset(out, 0, sizeof *out);
    out->kind = k;
    out->mean = out->var = out->min = out->max = out->min_ = NAN;
    out->scale = NAN;
    long double sum = 0;
    double lo = INFINITY, hi = -INFINITY, amax = 0;
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (isnan(x[i]))
            continue;
        m++;
        sum += x[i];
        lo = x[i] < lo ? x[i] : lo;
        hi = x[i] > hi ? x[i] : hi;
        amax = fabs(x[i]) > amax ? fabs(x[i]) : amax;
    }
    out->n_valid = m;
    if (m == 0)
        return;
    switch (k) {
    case RG_SCALE_STANDARD: {
        long double mean = sum / (long double)m, ss = 0, corr = 0;
        for (size_t i = 0; i < n; i++)
            if (!isnan(x[i])) {
                long double d = x[i] - mean;
                corr += d;
                ss += d * d;
            }
        /* sklearn: (sum d^2 - (sum d)^2 / n) / n */
        double var = (double)((ss - corr * corr / (long double)m) / (long double)m);
        out->mean = (double)mean;
        out->var = var;
        double dm = (double)m, eps = DBL_EPSILON;
        double bound = dm * eps * var + (dm * out->mean * eps) * (dm * out->mean * eps);
        out->constant = var <= bound;
        out->scale = out->constant ? 1 : sqrt(var);
        break;
    }
    case RG_SCALE_MINMAX: {
        out->min = lo;
        out->max = hi;
        double range = hi - lo;
        out->constant = range < 10 * DBL_EPSILON;
        out->scale = 1 / (out->constant ? 1 : range);
        out->min_ = 0 - lo * out->scale;
        break;
    }
    case RG_SCALE_MAXABS:
        out->max = amax;
        out->constant = amax < 10 * DBL_EPSILON;
        out->scale = out->constant ? 1 : amax;
        break;
    }
}

void scale_apply(const rg_scale_col *c, const double *x, size_t n, double *y)
{
    for (size_t i = 0; i < n; i++) {
        double v = x[i];
        switch (c->kind) {
        case RG_SCALE_STANDARD:
            y[i] = (v - c->mean) / c->scale;
            break;
        case RG_SCALE_MINMAX:
            y[i] = v * c->scale + c->min_;
            break;
        case RG_SCALE_MAXABS:
            y[i] = v / c->scale;
            break;
        }
    }
}

void scale_invert(const rg_scale_col *c, const double *y, size_t n, double *x)
{
    for (size_t i = 0; i < n; i++) {
        double v = y[i];
        switch (c->kind) {
        case RG_SCALE_STANDARD:
            x[i] = v * c->scale + c->mean;
            break;
        case RG_SCALE_MINMAX:
            x[i] = (v - c->min_) / c->scale;
            break;
        case RG_SCALE_MAXABS:
            x[i] = v * c->scale;
            break;
        }
    }
}
