/* engine/models/validate.h — honest validation of a model: train/test
 * splits, K folds, out-of-fold predictions, grid search over model options
 * and permutation tests of a model's performance. Every fit goes through
 * model_fit on the training rows alone, so the scaling (and anything else
 * the model pipeline fits) never sees the rows it is scored on.
 *
 * Randomness comes from engine/rng.c streams: a split or a set of folds from
 * the stream given; permutation i of a test from substream i of its stream,
 * so results do not depend on the number of threads. Pure C. */
#ifndef RG_VALIDATE_H
#define RG_VALIDATE_H

#include <stddef.h>

#include "../par.h"
#include "../rng.h"
#include "metrics.h"
#include "model.h"

/* A train/test split of 0..n-1 as train_test_split: ntest = ceil(test n)
 * rows drawn at random (the first ntest of a random permutation), the rest
 * train; with strata (a class 0..nclass-1 per row, or NULL) each class
 * gives its share, rounded by largest remainders (ties to the lower class).
 * train and test are sorted, caller-owned (n entries each). Returns 0, -1
 * out of memory, 1 when a side would be empty. */
int validate_split(size_t n, double test, const size_t *strata, size_t nclass,
                   const rg_rng *stream, size_t *train, size_t *ntrain, size_t *test_idx,
                   size_t *ntest);

/* K folds as KFold / StratifiedKFold: fold_of[i] in 0..k-1. Without
 * shuffle, contiguous blocks (the first n % k folds one row longer); with
 * shuffle the rows are permuted first. Stratified (strata not NULL): the
 * labels sorted and dealt to the folds in turn give each fold's count per
 * class, and each class's rows (shuffled or in order) fill the folds in
 * order. Returns 0, -1 out of memory, 1 when k < 2 or k > n. */
int validate_kfold(size_t n, size_t k, int shuffle, const size_t *strata, size_t nclass,
                   const rg_rng *stream, size_t *fold_of);

/* How a model is scored: on test rows after fitting on train rows, or as
 * the mean over folds. */
typedef struct {
    const rg_model_spec *spec;
    const size_t *train, *test;   /* a split; NULL for folds */
    size_t ntrain, ntest;
    const size_t *fold_of;        /* folds; NULL for a split */
    size_t k;
    const rg_scoring *scoring;    /* nscoring scores per output */
    size_t nscoring;
    double threshold;             /* auc: y > threshold is positive */
} rg_eval;

/* Where a fit failed: the code of model_fit and the fold (or -1 for a
 * split, -1 for everything when memory ran out). */
typedef struct {
    int code;
    long fold;
    long candidate;
} rg_eval_error;

/* Out-of-fold predictions: for each fold, fit on the other folds and
 * predict it; pred is n x q column-major. threads split the folds. Returns
 * 0, or the code of the first failing fold (in fold order) with *err set. */
int validate_cv_predict(const rg_model_spec *spec, const double *X, size_t n, size_t p,
                        const double *Y, size_t q, const size_t *fold_of, size_t k, int threads,
                        double *pred, rg_eval_error *err);

/* The scores of e: scores[(s * q + j)] for scoring s and output j (a
 * split's test score, or the mean of the fold scores), and with folds the
 * per-fold scores in fold_scores[(f * nscoring + s) * q + j] when not NULL. A
 * score is NaN where it is undefined (a test part with one class for auc).
 * Returns 0 or the code of the failed fit with *err. */
int validate_score(const rg_eval *e, const double *X, size_t n, size_t p, const double *Y,
                   size_t q, int threads, double *scores, double *fold_scores,
                   rg_eval_error *err);

/* A grid search: each of the m candidates scored by e (e->spec ignored) on
 * every fold, one number per fold (the first scoring averaged over the
 * outputs, as scikit-learn's multi-output scorers). split_scores m x k,
 * mean and sd (population) m each, rank m (1 = best; equal means share the
 * lower rank), *best the first candidate with the highest mean. Fits are
 * spread over threads. Returns 0 or the first failure (candidate, fold). */
typedef struct {
    size_t m, k;
    double *split_scores, *mean, *sd;
    size_t *rank;
    size_t best;
} rg_grid;

int validate_grid(const rg_model_spec *cands, size_t m, const rg_eval *e, const double *X,
                  size_t n, size_t p, const double *Y, size_t q, int threads,
                  rg_progress *progress, rg_grid *out, rg_eval_error *err);
void validate_grid_free(rg_grid *g);

/* A permutation test of e: the observed scores, then nperm times the rows
 * of Y permuted together (permutation i from substream i of stream, so it
 * depends on nothing else) and the whole evaluation refitted. For each
 * scoring s and output j, exceed counts the permutations scoring at least
 * as well as observed (>= when higher is better, <= otherwise), nvalid those
 * with a defined score, p = (1 + exceed) / (1 + nvalid). perm holds every
 * permuted score, nperm x nscoring x q. */
typedef struct {
    size_t nperm, nscoring, q;
    double *observed;   /* nscoring x q */
    double *perm;       /* nperm x nscoring x q */
    size_t *exceed, *nvalid;
    double *p;          /* nscoring x q */
} rg_permtest;

int validate_perm(const rg_eval *e, const double *X, size_t n, size_t p, const double *Y,
                  size_t q, size_t nperm, const rg_rng *stream, int threads,
                  rg_progress *progress, rg_permtest *out, rg_eval_error *err);
void validate_perm_free(rg_permtest *t);

#endif
