/* engine/stats/perm.c — permutation p-values of correlations (perm.h).
 *
 * The columns of Y and x are standardised as in cormat.c (ranked first for
 * Spearman; a permutation of ranks is the ranks of the permuted x). Rows of
 * a block are permutations of the standardised x: row 0 of block 0 is x
 * itself (the observed r), row j of the whole is permutation j, drawn from
 * substream j of the stream. A block of PERM_BLOCK rows times Y^T is one
 * single-threaded dgemm; blocks go to threads, and their counts are summed
 * in block order, so nothing depends on the thread count.
 *
 * Ties: |r_i| >= |r_obs| is tested with a relative allowance of
 * 100 * DBL_EPSILON, as scipy.stats.permutation_test does, so that a
 * permutation equal to x up to rounding (one that swaps tied values) counts
 * as at least as extreme. */
#include "perm.h"

#include <cblas.h>
#include <float.h>
#include <math.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../par.h"

#define PERM_BLOCK 128


typedef struct {
    const double *zx, *zy; /* n; q x n */
    size_t n, q, rows;     /* rows = nperm + 1 */
    const rg_rng *stream;
    const double *obs;     /* q observed r (NULL while block 0 makes them) */
    double *obs_out;       /* where block 0 stores them */
    uint8_t *count;        /* per block, q counts (<= PERM_BLOCK) */
    atomic_int oom;
} perm_job;

static void perm_block(perm_job *j, size_t blk)
{
    size_t n = j->n, q = j->q;
    size_t first = blk * PERM_BLOCK;
    size_t nb = j->rows - first < PERM_BLOCK ? j->rows - first : PERM_BLOCK;
    double *xp = malloc(nb * n * sizeof *xp);
    double *r = malloc(nb * q * sizeof *r);
    size_t *perm = malloc(n * sizeof *perm);
    if (!xp || !r || !perm) {
        j->oom = 1;
        goto done;
    }
    for (size_t i = 0; i < nb; i++) {
        size_t row = first + i;
        if (row == 0) { /* the data as they are */
            memcpy(xp, j->zx, n * sizeof *xp);
            continue;
        }
        rg_rng s;
        rng_substream(&s, j->stream, row);
        rng_permutation(&s, perm, n);
        for (size_t k = 0; k < n; k++)
            xp[i * n + k] = j->zx[perm[k]];
    }
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)nb, (int)q, (int)n, 1.0, xp,
                (int)n, j->zy, (int)n, 0.0, r, (int)q);
    const double *obs = j->obs;
    if (first == 0) {
        memcpy(j->obs_out, r, q * sizeof *r);
        obs = r;
    }
    uint8_t *c = j->count + blk * q;
    for (size_t k = 0; k < q; k++) {
        double bar = fabs(obs[k]) - 100 * DBL_EPSILON * fabs(obs[k]);
        unsigned hits = 0;
        for (size_t i = first == 0 ? 1 : 0; i < nb; i++)
            hits += fabs(r[i * q + k]) >= bar;
        c[k] = (uint8_t)hits;
    }
done:
    free(xp);
    free(r);
    free(perm);
}

static void perm_chunk(void *ctx, size_t lo, size_t hi)
{
    perm_job *j = ctx;
    for (size_t blk = lo; blk < hi && !j->oom; blk++)
        perm_block(j, blk + 1); /* block 0 ran first */
}

void perm_free(rg_perm *p)
{
    free(p->r);
    free(p->p);
    free(p->exceed);
    memset(p, 0, sizeof *p);
}

int perm_cor(const double *x, const double *const *y, size_t q, size_t n, rg_cor_method m,
             size_t nperm, const rg_rng *stream, int threads, rg_perm *out)
{
    memset(out, 0, sizeof *out);
    out->q = q;
    out->nperm = nperm;
    size_t rows = nperm + 1, nblk = rows / PERM_BLOCK + (rows % PERM_BLOCK != 0);
    out->r = malloc((q ? q : 1) * sizeof *out->r);
    out->p = malloc((q ? q : 1) * sizeof *out->p);
    out->exceed = calloc(q ? q : 1, sizeof *out->exceed);
    double *zx = malloc((n ? n : 1) * sizeof *zx);
    double *zy = malloc((q * n > 0 ? q * n : 1) * sizeof *zy);
    unsigned char *flat = malloc(q ? q : 1);
    uint8_t *count = malloc((nblk * q > 0 ? nblk * q : 1) * sizeof *count);
    int rc = -1;
    if (!out->r || !out->p || !out->exceed || !zx || !zy || !flat || !count)
        goto done;
    int sx = cor_standardise(x, n, m, zx);
    if (sx < 0)
        goto done;
    for (size_t k = 0; k < q; k++) {
        int s = sx ? 1 : cor_standardise(y[k], n, m, zy + k * n);
        if (s < 0)
            goto done;
        flat[k] = s == 1;
        if (flat[k])
            memset(zy + k * n, 0, n * sizeof *zy);
    }
    if (sx == 0 && n >= 3) {
        perm_job j = {zx, zy, n, q, rows, stream, NULL, out->r, count, 0};
        perm_block(&j, 0);
        j.obs = out->r;
        if (!j.oom && nblk > 1)
            par_for(threads, nblk - 1, 1, perm_chunk, &j);
        if (j.oom)
            goto done;
        for (size_t b = 0; b < nblk; b++)
            for (size_t k = 0; k < q; k++)
                out->exceed[k] += count[b * q + k];
    }
    for (size_t k = 0; k < q; k++) {
        if (sx != 0 || n < 3 || flat[k]) {
            out->r[k] = out->p[k] = NAN;
            out->exceed[k] = 0;
            continue;
        }
        double r = out->r[k];
        out->r[k] = r > 1 ? 1 : r < -1 ? -1 : r;
        out->p[k] = (1 + (double)out->exceed[k]) / (1 + (double)nperm);
    }
    rc = 0;
done:
    free(zx);
    free(zy);
    free(flat);
    free(count);
    if (rc != 0)
        perm_free(out);
    return rc;
}
