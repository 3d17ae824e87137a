/* engine/models/validate.c — splits, folds, cross-validated predictions,
 * grid search and permutation tests (validate.h). Work units (a fold, a
 * candidate on a fold, a permutation) run through par_for and write only
 * their own slots, so nothing depends on the thread count. */
#include "validate.h"
#include "internal.h"

#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

static int by_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

/* Largest-remainder shares of total over the class counts: share[c] rows of
 * class c, floor(count total / n) each, then one more for each of the
 * classes with the largest remainders (ties to the lower class) until total
 * is reached. order (nclass) is scratch. */
static void shares(const size_t *count, size_t nclass, size_t n, size_t total, size_t *share,
                   size_t *order)
{
    size_t given = 0;
    for (size_t c = 0; c < nclass; c++) {
        share[c] = count[c] * total / n;
        given += share[c];
        order[c] = c;
    }
    /* classes by decreasing remainder, stable (insertion sort: few classes) */
    for (size_t a = 1; a < nclass; a++) {
        size_t c = order[a], b = a;
        while (b > 0 && count[order[b - 1]] * total % n < count[c] * total % n) {
            order[b] = order[b - 1];
            b--;
        }
        order[b] = c;
    }
    /* the remainders sum to (total - given) n, so fewer than nclass are short */
    for (size_t a = 0; a < nclass && given < total; a++)
        if (share[order[a]] < count[order[a]]) {
            share[order[a]]++;
            given++;
        }
}

int validate_split(size_t n, double test, const size_t *strata, size_t nclass,
                   const rg_rng *stream, size_t *train, size_t *ntrain, size_t *test_idx,
                   size_t *ntest)
{
    size_t nt = (size_t)ceil(test * (double)n);
    if (nt == 0 || nt >= n)
        return 1;
    rg_rng r = *stream;
    size_t *perm = malloc(n * sizeof *perm);
    unsigned char *in_test = calloc(n, 1);
    size_t *count = NULL, *share = NULL;
    int rc = -1;
    if (!perm || !in_test)
        goto done;
    rng_permutation(&r, perm, n);
    if (!strata) {
        for (size_t i = 0; i < nt; i++)
            in_test[perm[i]] = 1;
    } else {
        count = calloc(2 * nz(nclass), sizeof *count); /* and shares' scratch */
        share = calloc(nz(nclass), sizeof *share);
        if (!count || !share)
            goto done;
        for (size_t i = 0; i < n; i++)
            count[strata[i]]++;
        shares(count, nclass, n, nt, share, count + nz(nclass));
        /* each class's test rows: its first rows in the permutation */
        for (size_t i = 0; i < n; i++) {
            size_t c = strata[perm[i]];
            if (share[c]) {
                share[c]--;
                in_test[perm[i]] = 1;
            }
        }
    }
    *ntrain = *ntest = 0;
    for (size_t i = 0; i < n; i++) {
        if (in_test[i])
            test_idx[(*ntest)++] = i;
        else
            train[(*ntrain)++] = i;
    }
    rc = *ntrain && *ntest ? 0 : 1;
done:
    free(perm);
    free(in_test);
    free(count);
    free(share);
    return rc;
}

int validate_kfold(size_t n, size_t k, int shuffle, const size_t *strata, size_t nclass,
                   const rg_rng *stream, size_t *fold_of)
{
    if (k < 2 || k > n)
        return 1;
    size_t *order = malloc(n * sizeof *order);
    if (!order)
        return -1;
    rg_rng r = *stream;
    if (shuffle)
        rng_permutation(&r, order, n);
    else
        for (size_t i = 0; i < n; i++)
            order[i] = i;
    if (!strata) {
        size_t at = 0;
        for (size_t f = 0; f < k; f++) {
            size_t size = n / k + (f < n % k);
            for (size_t i = 0; i < size; i++)
                fold_of[order[at++]] = f;
        }
        free(order);
        return 0;
    }
    /* the sorted labels dealt to the folds in turn: alloc[f * nclass + c] */
    size_t *count = calloc(nz(nclass), sizeof *count);
    size_t *alloc = calloc(k * nz(nclass), sizeof *alloc);
    size_t *sorted = malloc(n * sizeof *sorted);
    if (!count || !alloc || !sorted) {
        free(order);
        free(count);
        free(alloc);
        free(sorted);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        sorted[i] = strata[i];
    qsort(sorted, n, sizeof *sorted, by_size);
    for (size_t i = 0; i < n; i++)
        alloc[(i % k) * nclass + sorted[i]]++;
    /* each class's rows, in (shuffled) order, fill fold 0, 1, ... */
    size_t *fold = calloc(nz(nclass), sizeof *fold);
    if (!fold) {
        free(order);
        free(count);
        free(alloc);
        free(sorted);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        size_t row = order[i], c = strata[row];
        while (fold[c] < k && count[c] >= alloc[fold[c] * nclass + c]) {
            fold[c]++;
            count[c] = 0;
        }
        fold_of[row] = fold[c] < k ? fold[c] : k - 1;
        count[c]++;
    }
    free(fold);
    free(order);
    free(count);
    free(alloc);
    free(sorted);
    return 0;
}

/* ---- one evaluation ----------------------------------------------------------- */

/* rows[0..m) of the n x k column-major M into out (m x k) */
static void take_rows(const double *M, size_t n, size_t k, const size_t *rows, size_t m,
                      double *out)
{
    for (size_t j = 0; j < k; j++)
        for (size_t i = 0; i < m; i++)
            out[j * m + i] = M[j * n + rows[i]];
}

/* Fit spec on the train rows and score the test rows: scores[s * q + j]. A
 * model error gives its code (scores NaN); -1 out of memory. */
static int fit_and_score(const rg_eval *e, const rg_model_spec *spec, const double *X, size_t n,
                         size_t p, const double *Y, size_t q, const size_t *train,
                         size_t ntrain, const size_t *test, size_t ntest, double *scores,
                         double *pred_out)
{
    for (size_t s = 0; s < e->nscoring * q; s++)
        scores[s] = NAN;
    double *Xtr = malloc(nz(ntrain * p) * sizeof *Xtr);
    double *Ytr = malloc(nz(ntrain * q) * sizeof *Ytr);
    double *Xte = malloc(nz(ntest * p) * sizeof *Xte);
    double *Yte = malloc(nz(ntest * q) * sizeof *Yte);
    double *pred = malloc(nz(ntest * q) * sizeof *pred);
    int rc = -1;
    rg_model m;
    memset(&m, 0, sizeof m);
    if (!Xtr || !Ytr || !Xte || !Yte || !pred)
        goto done;
    take_rows(X, n, p, train, ntrain, Xtr);
    take_rows(Y, n, q, train, ntrain, Ytr);
    take_rows(X, n, p, test, ntest, Xte);
    take_rows(Y, n, q, test, ntest, Yte);
    rc = model_fit(spec, Xtr, ntrain, p, Ytr, q, &m);
    if (rc != 0)
        goto done;
    if ((rc = model_predict(&m, Xte, ntest, pred)) != 0)
        goto done;
    for (size_t s = 0; s < e->nscoring && rc == 0; s++)
        for (size_t j = 0; j < q && rc == 0; j++)
            rc = metric_score(e->scoring[s], e->threshold, Yte + j * ntest, pred + j * ntest,
                              ntest, &scores[s * q + j]);
    if (rc == 0 && pred_out)
        for (size_t j = 0; j < q; j++)
            for (size_t i = 0; i < ntest; i++)
                pred_out[j * n + test[i]] = pred[j * ntest + i];
done:
    model_free(&m);
    free(Xtr);
    free(Ytr);
    free(Xte);
    free(Yte);
    free(pred);
    return rc;
}

/* The train and test rows of fold f. */
static void fold_rows(const size_t *fold_of, size_t n, size_t f, size_t *train, size_t *ntrain,
                      size_t *test, size_t *ntest)
{
    *ntrain = *ntest = 0;
    for (size_t i = 0; i < n; i++) {
        if (fold_of[i] == f)
            test[(*ntest)++] = i;
        else
            train[(*ntrain)++] = i;
    }
}

typedef struct {
    const rg_eval *e;
    const rg_model_spec *spec;
    const double *X, *Y;
    size_t n, p, q;
    double *fold_scores; /* k x nscoring x q */
    double *pred;        /* n x q or NULL */
    int *codes;          /* k */
} fold_job;

static void run_folds(void *ctx, size_t lo, size_t hi)
{
    fold_job *j = ctx;
    size_t n = j->n, per = j->e->nscoring * j->q;
    size_t *rows = malloc(2 * nz(n) * sizeof *rows);
    for (size_t f = lo; f < hi; f++) {
        if (!rows) {
            j->codes[f] = -1;
            continue;
        }
        size_t ntr, nte;
        fold_rows(j->e->fold_of, n, f, rows, &ntr, rows + n, &nte);
        j->codes[f] = fit_and_score(j->e, j->spec, j->X, n, j->p, j->Y, j->q, rows, ntr,
                                    rows + n, nte, j->fold_scores + f * per, j->pred);
    }
    free(rows);
}

/* The evaluation of spec under e: scores (nscoring x q) and, with folds,
 * fold_scores (k x nscoring x q, caller's or internal). Model errors: the
 * first failing fold's code with err. */
static int evaluate(const rg_eval *e, const rg_model_spec *spec, const double *X, size_t n,
                    size_t p, const double *Y, size_t q, int threads, double *scores,
                    double *fold_scores, double *pred, rg_eval_error *err)
{
    size_t per = e->nscoring * q;
    if (!e->fold_of) {
        int rc = fit_and_score(e, spec, X, n, p, Y, q, e->train, e->ntrain, e->test, e->ntest,
                               scores, pred);
        if (rc != 0 && err) {
            err->code = rc;
            err->fold = -1;
        }
        return rc;
    }
    double *fs = fold_scores ? fold_scores : malloc(e->k * nz(per) * sizeof *fs);
    int *codes = calloc(e->k, sizeof *codes);
    if (!fs || !codes) {
        if (!fold_scores)
            free(fs);
        free(codes);
        return -1;
    }
    fold_job job = {e, spec, X, Y, n, p, q, fs, pred, codes};
    par_for(threads, e->k, 1, run_folds, &job);
    int rc = 0;
    for (size_t f = 0; f < e->k && rc == 0; f++)
        if (codes[f] != 0) {
            rc = codes[f];
            if (err) {
                err->code = rc;
                err->fold = (long)f;
            }
        }
    if (rc == 0)
        for (size_t s = 0; s < per; s++) {
            double sum = 0;
            for (size_t f = 0; f < e->k; f++)
                sum += fs[f * per + s];
            scores[s] = sum / (double)e->k;
        }
    if (!fold_scores)
        free(fs);
    free(codes);
    return rc;
}

int validate_score(const rg_eval *e, const double *X, size_t n, size_t p, const double *Y,
                   size_t q, int threads, double *scores, double *fold_scores,
                   rg_eval_error *err)
{
    return evaluate(e, e->spec, X, n, p, Y, q, threads, scores, fold_scores, NULL, err);
}

int validate_cv_predict(const rg_model_spec *spec, const double *X, size_t n, size_t p,
                        const double *Y, size_t q, const size_t *fold_of, size_t k, int threads,
                        double *pred, rg_eval_error *err)
{
    rg_scoring none[1] = {RG_SCORE_NEG_MSE};
    rg_eval e = {spec, NULL, NULL, 0, 0, fold_of, k, none, 1, 0.5};
    double *scores = malloc(nz(q) * sizeof *scores);
    if (!scores)
        return -1;
    int rc = evaluate(&e, spec, X, n, p, Y, q, threads, scores, NULL, pred, err);
    free(scores);
    return rc;
}

/* ---- grid search ------------------------------------------------------------------ */

typedef struct {
    const rg_model_spec *cands;
    const rg_eval *e;
    const double *X, *Y;
    size_t n, p, q;
    double *split;  /* m x k */
    int *codes;     /* m x k */
    rg_progress *progress;
} grid_job;

static void run_grid(void *ctx, size_t lo, size_t hi)
{
    grid_job *j = ctx;
    size_t n = j->n, k = j->e->k, q = j->q;
    size_t *rows = malloc(2 * nz(n) * sizeof *rows);
    double *sc = malloc(nz(q) * sizeof *sc);
    rg_eval one = *j->e;
    one.nscoring = 1;
    for (size_t u = lo; u < hi; u++) {
        size_t c = u / k, f = u % k;
        if (!rows || !sc) {
            j->codes[u] = -1;
            continue;
        }
        size_t ntr, nte;
        fold_rows(j->e->fold_of, n, f, rows, &ntr, rows + n, &nte);
        j->codes[u] = fit_and_score(&one, &j->cands[c], j->X, n, j->p, j->Y, q, rows, ntr,
                                    rows + n, nte, sc, NULL);
        double sum = 0;
        for (size_t t = 0; t < q; t++)
            sum += sc[t];
        j->split[u] = sum / (double)q;
        progress_step(j->progress, 1);
    }
    free(rows);
    free(sc);
}

void validate_grid_free(rg_grid *g)
{
    free(g->split_scores);
    free(g->mean);
    free(g->sd);
    free(g->rank);
    memset(g, 0, sizeof *g);
}

int validate_grid(const rg_model_spec *cands, size_t m, const rg_eval *e, const double *X,
                  size_t n, size_t p, const double *Y, size_t q, int threads,
                  rg_progress *progress, rg_grid *out, rg_eval_error *err)
{
    memset(out, 0, sizeof *out);
    size_t k = e->k, units = m * k;
    out->m = m;
    out->k = k;
    out->split_scores = malloc(nz(units) * sizeof *out->split_scores);
    out->mean = malloc(nz(m) * sizeof *out->mean);
    out->sd = malloc(nz(m) * sizeof *out->sd);
    out->rank = malloc(nz(m) * sizeof *out->rank);
    int *codes = calloc(nz(units), sizeof *codes);
    if (!out->split_scores || !out->mean || !out->sd || !out->rank || !codes) {
        free(codes);
        validate_grid_free(out);
        return -1;
    }
    grid_job job = {cands, e, X, Y, n, p, q, out->split_scores, codes, progress};
    par_for(threads, units, 1, run_grid, &job);
    for (size_t u = 0; u < units; u++)
        if (codes[u] != 0) {
            int rc = codes[u];
            if (err) {
                err->code = rc;
                err->candidate = (long)(u / k);
                err->fold = (long)(u % k);
            }
            free(codes);
            validate_grid_free(out);
            return rc;
        }
    free(codes);
    for (size_t c = 0; c < m; c++) {
        double s = 0, ss = 0;
        for (size_t f = 0; f < k; f++)
            s += out->split_scores[c * k + f];
        double mean = s / (double)k;
        for (size_t f = 0; f < k; f++) {
            double d = out->split_scores[c * k + f] - mean;
            ss += d * d;
        }
        out->mean[c] = mean;
        out->sd[c] = sqrt(ss / (double)k);
    }
    /* ranks as scipy's rankdata(-mean, "min"); NaN means rank last */
    size_t best = 0;
    for (size_t c = 0; c < m; c++) {
        size_t above = 0;
        for (size_t d = 0; d < m; d++)
            if (isnan(out->mean[c]) ? !isnan(out->mean[d]) : out->mean[d] > out->mean[c])
                above++;
        out->rank[c] = above + 1;
        if (out->rank[c] < out->rank[best])
            best = c;
    }
    out->best = best;
    return 0;
}

/* ---- permutation tests --------------------------------------------------------------- */

typedef struct {
    const rg_eval *e;
    const double *X, *Y;
    size_t n, p, q;
    const rg_rng *stream;
    double *perm;           /* nperm x nscoring x q */
    atomic_int nomem;
    rg_progress *progress;
} perm_job;

static void run_perms(void *ctx, size_t lo, size_t hi)
{
    perm_job *j = ctx;
    size_t n = j->n, q = j->q, per = j->e->nscoring * q;
    size_t *idx = malloc(nz(n) * sizeof *idx);
    double *Yp = malloc(nz(n * q) * sizeof *Yp);
    for (size_t i = lo; i < hi; i++) {
        double *out = j->perm + i * per;
        if (!idx || !Yp) {
            atomic_store(&j->nomem, 1);
            continue;
        }
        rg_rng r;
        rng_substream(&r, j->stream, i);
        rng_permutation(&r, idx, n);
        for (size_t t = 0; t < q; t++)
            for (size_t a = 0; a < n; a++)
                Yp[t * n + a] = j->Y[t * n + idx[a]];
        int rc = evaluate(j->e, j->e->spec, j->X, n, j->p, Yp, q, 1, out, NULL, NULL, NULL);
        if (rc < 0)
            atomic_store(&j->nomem, 1);
        else if (rc > 0) /* a fit the permuted labels made impossible: no score */
            for (size_t s = 0; s < per; s++)
                out[s] = NAN;
        progress_step(j->progress, 1);
    }
    free(idx);
    free(Yp);
}

void validate_perm_free(rg_permtest *t)
{
    free(t->observed);
    free(t->perm);
    free(t->exceed);
    free(t->nvalid);
    free(t->p);
    memset(t, 0, sizeof *t);
}

int validate_perm(const rg_eval *e, const double *X, size_t n, size_t p, const double *Y,
                  size_t q, size_t nperm, const rg_rng *stream, int threads,
                  rg_progress *progress, rg_permtest *out, rg_eval_error *err)
{
    memset(out, 0, sizeof *out);
    size_t per = e->nscoring * q;
    out->nperm = nperm;
    out->nscoring = e->nscoring;
    out->q = q;
    out->observed = malloc(nz(per) * sizeof *out->observed);
    out->perm = malloc(nz(nperm * per) * sizeof *out->perm);
    out->exceed = calloc(nz(per), sizeof *out->exceed);
    out->nvalid = calloc(nz(per), sizeof *out->nvalid);
    out->p = malloc(nz(per) * sizeof *out->p);
    if (!out->observed || !out->perm || !out->exceed || !out->nvalid || !out->p) {
        validate_perm_free(out);
        return -1;
    }
    int rc = evaluate(e, e->spec, X, n, p, Y, q, threads, out->observed, NULL, NULL, err);
    if (rc != 0) {
        validate_perm_free(out);
        return rc;
    }
    perm_job job = {e, X, Y, n, p, q, stream, out->perm, 0, progress};
    par_for(threads, nperm, 1, run_perms, &job);
    if (atomic_load(&job.nomem)) {
        validate_perm_free(out);
        return -1;
    }
    for (size_t s = 0; s < e->nscoring; s++) {
        int higher = metric_higher_is_better(e->scoring[s]);
        for (size_t j = 0; j < q; j++) {
            size_t at = s * q + j;
            double obs = out->observed[at];
            for (size_t i = 0; i < nperm; i++) {
                double v = out->perm[i * per + at];
                if (isnan(v))
                    continue;
                out->nvalid[at]++;
                out->exceed[at] += higher ? v >= obs : v <= obs;
            }
            out->p[at] = isnan(obs) ? NAN
                                    : (1.0 + (double)out->exceed[at]) /
                                          (1.0 + (double)out->nvalid[at]);
        }
    }
    return 0;
}
