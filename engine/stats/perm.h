/* engine/stats/perm.h — permutation p-values of the correlation of one
 * vector x against many columns: x is permuted n times (permutation i drawn
 * from substream i of the given stream, so it depends on nothing else),
 * every permutation is correlated with every column through one matrix
 * product of standardised (ranked) columns, and
 * p = (1 + #{i : |r_i| >= |r_obs|}) / (1 + n). The observed r comes from the
 * same product (the identity permutation), so ties are exact. Pure C. */
#ifndef RG_PERM_H
#define RG_PERM_H

#include <stddef.h>
#include <stdint.h>

#include "../rng.h"
#include "cor.h"

typedef struct {
    size_t q;          /* columns */
    double *r;         /* q observed correlations (NaN: constant column) */
    double *p;         /* q permutation p-values */
    size_t *exceed;    /* q counts #{|r_i| >= |r_obs|} */
    size_t nperm;
} rg_perm;

/* x[0..n) against y[0..q) (each n doubles; no NaN: the caller checks).
 * threads as cormat_compute. Returns 0, or -1 when out of memory. */
int perm_cor(const double *x, const double *const *y, size_t q, size_t n, rg_cor_method m,
             size_t nperm, const rg_rng *stream, int threads, rg_perm *out);

void perm_free(rg_perm *p);

#endif
