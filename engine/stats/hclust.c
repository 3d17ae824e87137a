/* engine/stats/hclust.c — hierarchical clustering as R's hclust (hclust.h).
 *
 * The agglomeration follows the scheme R's Fortran (F. Murtagh's routine)
 * uses, so that results agree merge for merge, ties included:
 *  - each live observation i keeps its nearest live neighbour to the right
 *    (nn[i] > i) and that dissimilarity; scans take the first minimum (a
 *    later candidate must be strictly smaller);
 *  - every step merges the pair of the smallest recorded dissimilarity (the
 *    first such i), keeps the smaller index i2 as the cluster, retires j2;
 *  - dissimilarities of i2 to every other live k are updated in place with
 *    the Lance-Williams formula of the linkage; k > i2 yields i2's new
 *    neighbour, and k < i2 takes i2 as its neighbour when strictly closer
 *    (R's fix for non-monotone linkages);
 *  - every live i whose neighbour was i2 or j2 scans for it again.
 * The merge matrix and the leaf order are those of R's hcass2: a cluster is
 * named by its latest merge, singletons go first in a row, two clusters in
 * increasing order, and the order lists the leaves of the tree left to
 * right. */
#include "hclust.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cor.h"

static const char *const link_names[] = {"average", "complete", "single", "mcquitty",
                                         "median",  "centroid", "ward.D2"};
static const char *const dist_names[] = {"euclidean", "manhattan", "correlation",
                                         "abs_correlation"};

const char hclust_linkage_names[] =
    "average, complete, single, mcquitty, median, centroid, ward.D2";
const char hclust_distance_names[] = "euclidean, manhattan, correlation, abs_correlation";

int hclust_linkage(const char *name, rg_linkage *l)
{
    for (size_t i = 0; i < sizeof link_names / sizeof *link_names; i++)
        if (strcmp(name, link_names[i]) == 0) {
            *l = (rg_linkage)i;
            return 0;
        }
    return -1;
}

int hclust_distance(const char *name, rg_distance *d)
{
    for (size_t i = 0; i < sizeof dist_names / sizeof *dist_names; i++)
        if (strcmp(name, dist_names[i]) == 0) {
            *d = (rg_distance)i;
            return 0;
        }
    return -1;
}

const char *hclust_linkage_name(rg_linkage l) { return link_names[l]; }
const char *hclust_distance_name(rg_distance d) { return dist_names[d]; }

size_t hclust_dist_index(size_t n, size_t i, size_t j)
{
    if (i > j) {
        size_t t = i;
        i = j;
        j = t;
    }
    return n * i - i * (i + 1) / 2 + (j - i - 1);
}

void hclust_free(rg_hclust *h)
{
    if (!h)
        return;
    free(h->merge);
    free(h->height);
    free(h->order);
    h->merge = h->order = NULL;
    h->height = NULL;
}

/* The Lance-Williams update of d(i2 u j2, k) from dik = d(i2, k),
 * djk = d(j2, k), dij = d(i2, j2) and the cluster sizes, written in the
 * order of operations of R's Fortran so that the doubles agree. */
static double update(rg_linkage l, double dik, double djk, double dij, double mi, double mj,
                     double mk)
{
    switch (l) {
    case RG_LINK_WARD_D2:
        return ((mi + mk) * dik + (mj + mk) * djk - mk * dij) / (mi + mj + mk);
    case RG_LINK_SINGLE:
        return djk < dik ? djk : dik;
    case RG_LINK_COMPLETE:
        return djk > dik ? djk : dik;
    case RG_LINK_AVERAGE:
        return (mi * dik + mj * djk) / (mi + mj);
    case RG_LINK_MCQUITTY:
        return (dik + djk) / 2;
    case RG_LINK_MEDIAN:
        return ((dik + djk) - dij / 2) / 2;
    case RG_LINK_CENTROID:
        return (mi * dik + mj * djk - mi * mj * dij / (mi + mj)) / (mi + mj);
    }
    return NAN;
}

/* Nearest live neighbour of i to its right: the first strict minimum. */
static void rescan(const double *d, size_t n, const unsigned char *live, size_t i, size_t *nn,
                   double *disnn)
{
    double best = INFINITY;
    size_t at = i; /* none */
    const double *row = d + hclust_dist_index(n, i, i + 1); /* d(i, j) is row[j - i - 1] */
    for (size_t j = i + 1; j < n; j++)
        if (live[j] && row[j - i - 1] < best) {
            best = row[j - i - 1];
            at = j;
        }
    nn[i] = at;
    disnn[i] = best;
}

/* The merge matrix (R's convention) and leaf order from the pairs (ia[s],
 * ib[s]), ia < ib, merged at step s. */
static int assemble(const size_t *ia, const size_t *ib, size_t n, rg_hclust *out)
{
    size_t *last = calloc(n, sizeof *last); /* 1 + the latest merge kept at obs i */
    int *stack = malloc((n + 1) * sizeof *stack); /* pending branches */
    if (!last || !stack) {
        free(last);
        free(stack);
        return -1;
    }
    for (size_t s = 0; s + 1 < n; s++) {
        int a = last[ia[s]] ? (int)last[ia[s]] : -(int)(ia[s] + 1);
        int b = last[ib[s]] ? (int)last[ib[s]] : -(int)(ib[s] + 1);
        last[ia[s]] = s + 1;
        if ((a > 0 && b < 0) || (a > 0 && b > 0 && b < a)) {
            int t = a;
            a = b;
            b = t;
        }
        out->merge[2 * s] = a;
        out->merge[2 * s + 1] = b;
    }
    /* leaves left to right: depth first from the last merge, the left
       branch first */
    size_t top = 0, k = 0;
    stack[top++] = (int)n - 1;
    while (top) {
        int v = stack[--top];
        if (v < 0) {
            out->order[k++] = -v;
            continue;
        }
        stack[top++] = out->merge[2 * (size_t)(v - 1) + 1];
        stack[top++] = out->merge[2 * (size_t)(v - 1)];
    }
    free(last);
    free(stack);
    return 0;
}

int hclust_compute(double *d, size_t n, rg_linkage l, rg_hclust *out)
{
    memset(out, 0, sizeof *out);
    if (n < 2)
        return -1;
    size_t m = n - 1;
    out->n = n;
    out->merge = malloc(2 * m * sizeof *out->merge);
    out->height = malloc(m * sizeof *out->height);
    out->order = malloc(n * sizeof *out->order);
    size_t *nn = malloc(n * sizeof *nn), *ia = malloc(m * sizeof *ia),
           *ib = malloc(m * sizeof *ib);
    double *disnn = malloc(n * sizeof *disnn), *size = malloc(n * sizeof *size);
    unsigned char *live = malloc(n);
    int rc = -1;
    if (!out->merge || !out->height || !out->order || !nn || !ia || !ib || !disnn || !size ||
        !live)
        goto done;
    for (size_t i = 0; i < n; i++) {
        live[i] = 1;
        size[i] = 1;
    }
    if (l == RG_LINK_WARD_D2)
        for (size_t k = 0; k < n * m / 2; k++)
            d[k] = d[k] * d[k];
    for (size_t i = 0; i + 1 < n; i++)
        rescan(d, n, live, i, nn, disnn);
    nn[m] = m;
    disnn[m] = INFINITY;
    for (size_t s = 0; s < m; s++) {
        double best = INFINITY;
        size_t im = 0, jm = 0;
        for (size_t i = 0; i + 1 < n; i++)
            if (live[i] && disnn[i] < best) {
                best = disnn[i];
                im = i;
                jm = nn[i];
            }
        if (!(best < INFINITY) || im == jm) /* cannot happen with finite d */
            goto done;
        size_t i2 = im < jm ? im : jm, j2 = im < jm ? jm : im;
        ia[s] = i2;
        ib[s] = j2;
        out->height[s] = l == RG_LINK_WARD_D2 ? sqrt(best) : best;
        live[j2] = 0;
        double dij = d[hclust_dist_index(n, i2, j2)], near = INFINITY;
        size_t nearest = i2;
        for (size_t k = 0; k < n; k++) {
            if (!live[k] || k == i2)
                continue;
            size_t ik = hclust_dist_index(n, i2, k), jk = hclust_dist_index(n, j2, k);
            d[ik] = update(l, d[ik], d[jk], dij, size[i2], size[j2], size[k]);
            if (i2 < k) {
                if (d[ik] < near) {
                    near = d[ik];
                    nearest = k;
                }
            } else if (d[ik] < disnn[k]) {
                disnn[k] = d[ik];
                nn[k] = i2;
            }
        }
        size[i2] += size[j2];
        disnn[i2] = near;
        nn[i2] = nearest;
        for (size_t i = 0; i + 1 < n; i++)
            if (live[i] && (nn[i] == i2 || nn[i] == j2) && i != i2)
                rescan(d, n, live, i, nn, disnn);
    }
    rc = assemble(ia, ib, n, out);
done:
    free(nn);
    free(ia);
    free(ib);
    free(disnn);
    free(size);
    free(live);
    if (rc != 0)
        hclust_free(out);
    return rc;
}

/* R's dist between rows i and j: over the variables both have; scaled by
 * p / count when some are missing (count 0: NaN). */
static double dist_pair(const double *xi, const double *xj, size_t p, int manhattan)
{
    double sum = 0;
    size_t count = 0;
    for (size_t v = 0; v < p; v++) {
        double dev = xi[v] - xj[v];
        if (isnan(dev))
            continue;
        sum += manhattan ? fabs(dev) : dev * dev;
        count++;
    }
    if (count == 0)
        return NAN;
    if (count != p)
        sum /= (double)count / (double)p;
    return manhattan ? sum : sqrt(sum);
}

/* 1 - r (or 1 - |r|) for every pair, r as R's cor(t(x)) with complete
 * data: means in long double (two passes), cross-products of long double
 * deviations summed in long double over p - 1, sd the double square root of
 * the double variance, r = cov / (sd_i sd_j) in double. */
static int dist_cor(const double *x, size_t n, size_t p, int absolute, double *d, size_t *a)
{
    double *mean = malloc(n * sizeof *mean), *sd = malloc(n * sizeof *sd);
    if (!mean || !sd) {
        free(mean);
        free(sd);
        return -1;
    }
    long double n1 = (long double)(p - 1);
    int rc = RG_HDIST_OK;
    for (size_t i = 0; i < n && rc == RG_HDIST_OK; i++) {
        const double *xi = x + i * p;
        mean[i] = cor_mean(xi, p);
        long double mi = mean[i], ss = 0;
        for (size_t v = 0; v < p; v++)
            ss += (xi[v] - mi) * (xi[v] - mi);
        sd[i] = sqrt((double)(ss / n1));
        if (sd[i] == 0) {
            *a = i;
            rc = RG_HDIST_CONSTANT;
        }
    }
    for (size_t j = 0; j < n && rc == RG_HDIST_OK; j++) {
        const double *xj = x + j * p;
        long double mj = mean[j];
        for (size_t i = j + 1; i < n; i++) {
            const double *xi = x + i * p;
            long double mi = mean[i], s = 0;
            for (size_t v = 0; v < p; v++)
                s += (xi[v] - mi) * (xj[v] - mj);
            double cov = (double)(s / n1);
            double r = cov / (sd[i] * sd[j]);
            r = r >= 1 ? 1 : r <= -1 ? -1 : r;
            *d++ = 1 - (absolute ? fabs(r) : r);
        }
    }
    free(mean);
    free(sd);
    return rc;
}

int hclust_dist(const double *x, size_t n, size_t p, rg_distance kind, double *d, size_t *a,
                size_t *b)
{
    *a = *b = 0;
    if (kind == RG_DIST_CORRELATION || kind == RG_DIST_ABS_CORRELATION) {
        if (p < 2)
            return RG_HDIST_TOO_FEW;
        for (size_t i = 0; i < n; i++)
            for (size_t v = 0; v < p; v++)
                if (isnan(x[i * p + v])) {
                    *a = i;
                    *b = v;
                    return RG_HDIST_MISSING;
                }
        return dist_cor(x, n, p, kind == RG_DIST_ABS_CORRELATION, d, a);
    }
    int manhattan = kind == RG_DIST_MANHATTAN;
    size_t k = 0;
    for (size_t j = 0; j < n; j++)
        for (size_t i = j + 1; i < n; i++) {
            d[k] = dist_pair(x + i * p, x + j * p, p, manhattan);
            if (isnan(d[k])) {
                *a = j;
                *b = i;
                return RG_HDIST_NO_PAIRS;
            }
            k++;
        }
    return RG_HDIST_OK;
}
