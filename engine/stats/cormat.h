/* engine/stats/cormat.h — correlation screens: every pair (i, j) of the
 * columns of A (p columns) and B (q columns) over the same n rows, as
 * matrix products (CBLAS) of standardised columns, ranked first for
 * Spearman, with two-sided p-values as R's cor.test and their adjustment as
 * R's p.adjust over all p * q pairs.
 *
 * A column with a missing value (NaN) cannot join the product: its pairs are
 * computed one at a time on their complete cases (cor_test), exactly as
 * rg.cor. Pairs with fewer than 3 complete cases or a constant variable have
 * r = p = NaN (NA for the adjustment). Pure C. */
#ifndef RG_CORMAT_H
#define RG_CORMAT_H

#include <stddef.h>

#include "cor.h"
#include "padjust.h"

typedef struct {
    size_t p, q;       /* columns of A and of B */
    double *r;         /* p * q, pair (i, j) at r[i * q + j] */
    double *pval;      /* p * q two-sided p-values */
    double *padj;      /* p * q adjusted p-values */
    unsigned *n;       /* p * q complete cases of each pair; NULL when every
                          pair has the n_common rows (no missing values) */
    size_t n_common;   /* rows of the pairs computed as one product */
    size_t n_nan;      /* pairs whose r is NaN (too few cases or constant) */
    size_t n_pairwise; /* pairs computed on their own complete cases */
} rg_cormat;

/* The screen of the columns a[0..p) against b[0..q) (each an array of n
 * doubles, borrowed). threads: how many threads may share the work (0 or 1:
 * one); the result does not depend on it. Returns 0, or -1 when out of
 * memory (*out left empty). */
int cormat_compute(const double *const *a, size_t p, const double *const *b, size_t q,
                   size_t n, rg_cor_method m, rg_padjust_method adj, int threads,
                   rg_cormat *out);

void cormat_free(rg_cormat *c);

/* Two-sided p-values of Pearson correlations r[0..len) with df degrees of
 * freedom, as R's cor.test (2 * pt(-|t|, df)), into p (may equal r). Fast
 * for many values with one df; agrees with cor_test to 1e-12 relative. */
void cormat_pvalues(const double *r, size_t len, double df, double *p);

#endif
