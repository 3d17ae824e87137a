/* engine/stats/hclust.h — agglomerative hierarchical clustering as R's
 * stats::hclust: the nearest-neighbour-chain bookkeeping of Murtagh's
 * routine that R runs (hclust.f), with its tie rule (the first minimum in
 * scan order wins), its Lance-Williams updates in the same order of
 * floating-point operations, and hcass2's merge matrix and leaf order.
 * Also the dissimilarities it is usually given: R's dist (euclidean,
 * manhattan, with R's rescaling over pairwise-complete variables) and
 * 1 - Pearson r between observations. Pure C. */
#ifndef RG_HCLUST_H
#define RG_HCLUST_H

#include <stddef.h>

typedef enum {
    RG_LINK_AVERAGE,  /* UPGMA: R's "average" */
    RG_LINK_COMPLETE,
    RG_LINK_SINGLE,
    RG_LINK_MCQUITTY, /* WPGMA */
    RG_LINK_MEDIAN,   /* WPGMC; R expects squared euclidean input */
    RG_LINK_CENTROID, /* UPGMC; likewise */
    RG_LINK_WARD_D2   /* Ward on the squares of the input (R's "ward.D2") */
} rg_linkage;

typedef enum {
    RG_DIST_EUCLIDEAN,
    RG_DIST_MANHATTAN,
    RG_DIST_CORRELATION,    /* 1 - r, r Pearson's between two observations */
    RG_DIST_ABS_CORRELATION /* 1 - |r| */
} rg_distance;

/* "average, complete, single, ..." and "euclidean, ...", for messages */
extern const char hclust_linkage_names[];
extern const char hclust_distance_names[];

/* The linkage or distance of that name (R's spelling); 0, or -1 when
 * unknown. The _name functions give the name back. */
int hclust_linkage(const char *name, rg_linkage *l);
int hclust_distance(const char *name, rg_distance *d);
const char *hclust_linkage_name(rg_linkage l);
const char *hclust_distance_name(rg_distance d);

/* The index of the dissimilarity between observations i != j (0-based) in
 * R's dist vector of n observations (the lower triangle column by column:
 * d(2,1), d(3,1), ..., d(n,1), d(3,2), ...). */
size_t hclust_dist_index(size_t n, size_t i, size_t j);

typedef struct {
    size_t n;
    int *merge;     /* (n - 1) x 2, row by row: R's merge (-i: observation
                       i, +k: the cluster of merge k; 1-based) */
    double *height; /* n - 1 merge heights (R's height) */
    int *order;     /* n observations (1-based) in dendrogram order */
} rg_hclust;

/* Cluster n >= 2 observations from their dissimilarities d[0 .. n(n-1)/2)
 * in dist order (borrowed and overwritten: the updates happen in place, as
 * in R). Every d must be finite; the caller checks. Fills *out (free with
 * hclust_free). Returns 0, or -1 when out of memory or n < 2. */
int hclust_compute(double *d, size_t n, rg_linkage l, rg_hclust *out);

void hclust_free(rg_hclust *h);

typedef enum {
    RG_HDIST_OK,
    RG_HDIST_NO_PAIRS, /* euclidean/manhattan: observations *a and *b share no
                          variable where both have a value */
    RG_HDIST_MISSING,  /* correlation: observation *a misses variable *b */
    RG_HDIST_CONSTANT, /* correlation: observation *a is constant */
    RG_HDIST_TOO_FEW   /* correlation: fewer than 2 variables */
} rg_hdist_status;

/* Dissimilarities between the n rows of x (row-major, n x p, borrowed; NaN
 * a missing value; no infinities: the caller checks) into d[0 ..
 * n(n-1)/2) in dist order. Euclidean and manhattan are R's dist: sums over
 * the variables both rows have, scaled by p / (their number) when some are
 * missing. The correlations are R's cor(t(x)) (long double cross-products
 * about long double two-pass means, r = cov / (sd_i sd_j) clamped to
 * [-1, 1]) and need complete rows. Returns an rg_hdist_status with *a and
 * *b (0-based) saying where, or -1 when out of memory. */
int hclust_dist(const double *x, size_t n, size_t p, rg_distance kind, double *d, size_t *a,
                size_t *b);

#endif
