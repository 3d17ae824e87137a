/* tests/bench/bench_models.c — `make bench`, models part: rglit's lasso
 * paths, elastic-net grid search, regression tree and permutation test
 * through the engine's C API, on the NSCLC radiogenomics n44 pair, for
 * tests/bench/models.py to time scikit-learn on the same work.
 *
 *     bench_models LINE A.csv B.csv OUTDIR [REPEATS [N [M]]]
 *
 * X: the columns of A.csv (radiomic features) standardised (StandardScaler:
 * scale_fit/scale_apply); Y: log2(1 + v) of the first columns of B.csv
 * (genes) in file order; rows joined on the IDs. One LINE per process, so
 * that its peak resident set (getrusage ru_maxrss) is its own:
 *   path  the lasso path (100 alphas, eps 1e-3, enet_alpha_grid + enet_path
 *         with an intercept) of each of N genes (500), one after the other;
 *         the time of the first M genes (default N) is kept too, to
 *         compare with scikit-learn timed on those alone;
 *   grid  5-fold grid search (KFold, no shuffle) of the elastic net with
 *         StandardScaler in the model, 10 alphas x 3 l1_ratios, neg MSE, on
 *         gene 1, then the refit of the best candidate; 1 thread, and all
 *         cores as a second timing;
 *   tree  a regression tree, max_depth 5, all features, genes 1..10 as a
 *         10-output Y; predictions on the training rows;
 *   perm  N (1000) permutations of the 5-fold r2 of Lasso(alpha = 0.1) with
 *         StandardScaler in the model, gene 1; 1 thread, then all cores,
 *         and whether the two give bit-identical permuted scores.
 * Each timing is the best of REPEATS (default 3) after a warm-up, and the
 * process's CPU time of that run; a run whose warm-up takes more than
 * $BENCH_MODELS_ONCE seconds (2) is timed once (the warm-up itself), and
 * REPEATS 0 always times one run. Writes
 * OUTDIR/models.LINE.rglit.kv (key value lines) and, for path and tree,
 * OUTDIR/models.LINE.rglit.txt (vectors) for tests/bench/models_report.py.
 * Not part of rglit: only `make bench` builds it. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "frame.h"
#include "models/enet.h"
#include "models/metrics.h"
#include "models/model.h"
#include "models/validate.h"
#include "par.h"
#include "rng.h"
#include "stats/scale.h"

#define NALPHA 100
#define PATH_EPS 1e-3
#define FOLDS 5
#define TREE_Q 10

static FILE *kv;
static int repeats = 3;

static void die(const char *what)
{
    fprintf(stderr, "bench_models: %s\n", what);
    exit(1);
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        die("out of memory");
    return p;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* The peak resident set of the process so far, MB (ru_maxrss, kB). */
static double peak_mb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_maxrss / 1024.0;
}

/* VmRSS of /proc/self/status in MB, or -1. */
static double rss_mb(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    if (!f)
        return -1;
    char line[256];
    double mb = -1;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, "VmRSS:", 6) == 0) {
            mb = strtod(line + 6, NULL) / 1024.0;
            break;
        }
    fclose(f);
    return mb;
}

/* ---- timing ---------------------------------------------------------------- */

static double once_s = 2; /* BENCH_MODELS_ONCE */

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

typedef struct {
    void (*reset)(void *); /* untimed, before each run (may be NULL) */
    void (*run)(void *);
    void *ctx;
    void (*counted)(void *); /* after each run that counts (may be NULL) */
} job;

/* A warm-up, then the best of `repeats` runs; one run (the warm-up) when
 * repeats is 0 or the warm-up took more than once_s seconds. Writes
 * time.NAME (wall), cpu.NAME (the process's CPU time of that run, all
 * threads) and runs.NAME. */
static double best_of(const char *name, job j)
{
    double best = INFINITY, best_cpu = 0;
    int runs = 0;
    for (int rep = 0; rep <= repeats; rep++) {
        if (j.reset)
            j.reset(j.ctx);
        double c0 = cpu_now(), t0 = now();
        j.run(j.ctx);
        double t = now() - t0, c = cpu_now() - c0;
        int once = repeats == 0 || (rep == 0 && t > once_s);
        if (rep > 0 || once) {
            runs++;
            if (t < best) {
                best = t;
                best_cpu = c;
            }
            if (j.counted)
                j.counted(j.ctx);
        }
        if (once)
            break;
    }
    fprintf(kv, "time.%s %.6f\ncpu.%s %.6f\nruns.%s %d\n", name, best, name, best_cpu, name,
            runs);
    printf("rglit    %-26s %9.4f s   peak RSS %7.1f MB%s\n", name, best, peak_mb(),
           runs == 1 ? "   (timed once)" : "");
    fflush(stdout);
    return best;
}

/* ---- data --------------------------------------------------------------------- */

typedef struct {
    size_t n, p, q; /* rows, features, genes */
    double *X;      /* n x p column-major, standardised */
    double *Y;      /* n x q column-major, log2(1 + v) */
} data;

static void read_one(const char *path, rg_frame *out)
{
    rg_csv_opts o;
    memset(&o, 0, sizeof o);
    size_t bytes;
    char sha[65];
    char *err = NULL;
    if (frame_read_csv(path, path, &o, out, &bytes, sha, &err) != 0) {
        fprintf(stderr, "bench_models: %s\n", err ? err : path);
        exit(1);
    }
}

/* X from the numeric columns of a, Y from the first q numeric columns of b,
 * on the rows whose IDs both files have (in a's order). */
static void load(const char *path_a, const char *path_b, size_t q, data *d)
{
    rg_frame fa, fb;
    read_one(path_a, &fa);
    read_one(path_b, &fb);
    const rg_frame *fs[2] = {&fa, &fb};
    size_t **rows, n;
    if (frame_join_rows(fs, 2, &rows, &n) != 0)
        die("out of memory");
    if (n < 10)
        die("fewer than 10 rows in common");
    size_t p = 0, qb = 0;
    for (size_t j = 0; j < fa.ncol; j++)
        p += fa.cols[j].num != NULL;
    for (size_t j = 0; j < fb.ncol; j++)
        qb += fb.cols[j].num != NULL;
    if (q > qb)
        die("B.csv has fewer numeric columns than asked for");
    d->n = n;
    d->p = p;
    d->q = q;
    d->X = xmalloc(n * p * sizeof *d->X);
    d->Y = xmalloc(n * q * sizeof *d->Y);
    size_t k = 0;
    for (size_t j = 0; j < fa.ncol; j++) {
        const double *x = fa.cols[j].num;
        if (!x)
            continue;
        double *o = d->X + k++ * n;
        for (size_t i = 0; i < n; i++) {
            o[i] = x[rows[0][i]];
            if (isnan(o[i]))
                die("A.csv has missing values");
        }
        rg_scale_col c;
        scale_fit(o, n, RG_SCALE_STANDARD, &c);
        scale_apply(&c, o, n, o);
    }
    k = 0;
    for (size_t j = 0; j < fb.ncol && k < q; j++) {
        const double *y = fb.cols[j].num;
        if (!y)
            continue;
        double *o = d->Y + k++ * n;
        for (size_t i = 0; i < n; i++) {
            o[i] = log2(1 + y[rows[1][i]]);
            if (isnan(o[i]))
                die("B.csv has missing or negative values");
        }
    }
    fprintf(kv, "n %zu\np %zu\nq %zu\nids %s\n", n, p, q,
            n == fa.nrow && n == fb.nrow ? "same" : "aligned");
    free(rows[0]);
    free(rows[1]);
    free(rows);
    frame_free(&fa);
    frame_free(&fb);
}

static FILE *open_out(const char *outdir, const char *line, const char *ext)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/models.%s.rglit.%s", outdir, line, ext);
    FILE *f = fopen(path, "w");
    if (!f)
        die("cannot write to OUTDIR");
    return f;
}

static void write_vec(FILE *f, const double *x, size_t len)
{
    for (size_t i = 0; i < len; i++)
        fprintf(f, " %.17g", x[i]);
    fputc('\n', f);
}

/* ---- 1. lasso paths ------------------------------------------------------------ */

/* the alphas whose coefficients are written for the comparison, for genes
 * 0, M / 2 and M - 1 */
static const size_t path_alpha_sample[] = {0, 10, 25, 50, 75, 99};
#define NPATH_ALPHA_SAMPLE (sizeof path_alpha_sample / sizeof path_alpha_sample[0])

typedef struct {
    const data *d;
    size_t genes, sub;      /* all genes; the first sub are timed apart */
    double t_sub, best_sub; /* the time of the first sub genes: this run, best */
    size_t sample[3];       /* genes kept for the comparison */
    double *kept;           /* per sample: alphas, intercepts, iters (NALPHA
                               each), then NPATH_ALPHA_SAMPLE x p coefs */
    double sum_abs, sum_abs_sub;
    size_t iters, iters_sub, not_conv, not_conv_sub;
} path_ctx;

static void path_reset(void *v)
{
    path_ctx *c = v;
    c->sum_abs = c->sum_abs_sub = 0;
    c->iters = c->iters_sub = c->not_conv = c->not_conv_sub = 0;
}

static void path_counted(void *v)
{
    path_ctx *c = v;
    if (c->t_sub < c->best_sub)
        c->best_sub = c->t_sub;
}

static void path_run(void *v)
{
    path_ctx *c = v;
    const data *d = c->d;
    size_t n = d->n, p = d->p, per = 3 * NALPHA + NPATH_ALPHA_SAMPLE * p;
    rg_enet_opts o = enet_default_opts();
    o.l1_ratio = 1;
    o.fit_intercept = 1;
    double alphas[NALPHA];
    double t0 = now();
    for (size_t g = 0; g < c->genes; g++) {
        const double *y = d->Y + g * n;
        if (enet_alpha_grid(d->X, n, p, y, 1, 1.0, 1, PATH_EPS, NALPHA, alphas) != 0)
            die("enet_alpha_grid: out of memory");
        rg_enet_path path;
        if (enet_path(d->X, n, p, y, 1, &o, 0, alphas, NALPHA, &path) != 0)
            die("enet_path: out of memory");
        /* what a caller keeps of the paths: checksums and a few vectors */
        for (size_t k = 0; k < NALPHA * p; k++)
            c->sum_abs += fabs(path.coefs[k]);
        for (size_t a = 0; a < NALPHA; a++) {
            c->iters += path.info[a].n_iter;
            c->not_conv += !path.info[a].converged;
        }
        for (size_t s = 0; s < 3; s++) {
            if (g != c->sample[s])
                continue;
            double *k = c->kept + s * per;
            memcpy(k, path.alphas, NALPHA * sizeof *k);
            memcpy(k + NALPHA, path.intercepts, NALPHA * sizeof *k);
            for (size_t a = 0; a < NALPHA; a++)
                k[2 * NALPHA + a] = (double)path.info[a].n_iter;
            for (size_t t = 0; t < NPATH_ALPHA_SAMPLE; t++)
                memcpy(k + 3 * NALPHA + t * p, path.coefs + path_alpha_sample[t] * p,
                       p * sizeof *k);
        }
        enet_path_free(&path);
        if (g + 1 == c->sub) {
            c->t_sub = now() - t0;
            c->sum_abs_sub = c->sum_abs;
            c->iters_sub = c->iters;
            c->not_conv_sub = c->not_conv;
        }
    }
}

static void line_path(const data *d, const char *outdir, size_t genes, size_t sub)
{
    size_t p = d->p, per = 3 * NALPHA + NPATH_ALPHA_SAMPLE * p;
    path_ctx c;
    memset(&c, 0, sizeof c);
    c.d = d;
    c.genes = genes;
    c.sub = sub < genes ? sub : genes;
    c.best_sub = INFINITY;
    c.sample[0] = 0;
    c.sample[1] = c.sub / 2;
    c.sample[2] = c.sub - 1;
    c.kept = xmalloc(3 * per * sizeof *c.kept);
    best_of("path", (job){path_reset, path_run, &c, path_counted});
    fprintf(kv, "time.path.sub %.6f\n", c.best_sub);
    if (c.sub < genes)
        printf("rglit    path, first %3zu genes        %9.4f s\n", c.sub, c.best_sub);
    fprintf(kv, "path.genes %zu\npath.sub %zu\npath.nalpha %d\n", genes, c.sub, NALPHA);
    fprintf(kv, "path.sum_abs_coef %.17g\npath.n_iter %zu\npath.not_converged %zu\n", c.sum_abs,
            c.iters, c.not_conv);
    fprintf(kv, "path.sub.sum_abs_coef %.17g\npath.sub.n_iter %zu\npath.sub.not_converged %zu\n",
            c.sum_abs_sub, c.iters_sub, c.not_conv_sub);
    FILE *txt = open_out(outdir, "path", "txt");
    for (size_t s = 0; s < 3; s++) {
        if (s > 0 && c.sample[s] == c.sample[s - 1])
            continue;
        const double *k = c.kept + s * per;
        size_t g = c.sample[s];
        fprintf(txt, "alphas %zu", g);
        write_vec(txt, k, NALPHA);
        fprintf(txt, "intercepts %zu", g);
        write_vec(txt, k + NALPHA, NALPHA);
        fprintf(txt, "iters %zu", g);
        for (size_t a = 0; a < NALPHA; a++)
            fprintf(txt, " %.0f", k[2 * NALPHA + a]);
        fputc('\n', txt);
        for (size_t t = 0; t < NPATH_ALPHA_SAMPLE; t++) {
            fprintf(txt, "coef %zu %zu", g, path_alpha_sample[t]);
            write_vec(txt, k + 3 * NALPHA + t * p, p);
        }
    }
    fclose(txt);
    free(c.kept);
}

/* ---- 2. grid search --------------------------------------------------------------- */

#define NGRID_ALPHA 10
#define NGRID_L1 3
#define NGRID (NGRID_ALPHA * NGRID_L1)

typedef struct {
    const data *d;
    int threads;
    rg_model_spec specs[NGRID];
    size_t fold[4096];
    rg_scoring sc;
    rg_grid grid;
    rg_model refit;
    int have;
} grid_ctx;

static void grid_reset(void *v)
{
    grid_ctx *c = v;
    if (c->have) {
        validate_grid_free(&c->grid);
        model_free(&c->refit);
    }
    c->have = 0;
}

static void grid_run(void *v)
{
    grid_ctx *c = v;
    const data *d = c->d;
    rg_rng r;
    rng_init(&r, 0, "unused");
    if (validate_kfold(d->n, FOLDS, 0, NULL, 0, &r, c->fold) != 0)
        die("validate_kfold failed");
    rg_eval e = {&c->specs[0], NULL, NULL, 0, 0, c->fold, FOLDS, &c->sc, 1, 0.5};
    rg_eval_error err;
    if (validate_grid(c->specs, NGRID, &e, d->X, d->n, d->p, d->Y, 1, c->threads, NULL,
                      &c->grid, &err) != 0)
        die("validate_grid failed");
    if (model_fit(&c->specs[c->grid.best], d->X, d->n, d->p, d->Y, 1, &c->refit) != 0)
        die("model_fit (refit) failed");
    c->have = 1;
}

static void line_grid(const data *d)
{
    if (d->n > 4096)
        die("too many rows for the grid line");
    grid_ctx *c = xmalloc(sizeof *c);
    memset(c, 0, sizeof *c);
    c->d = d;
    c->sc = RG_SCORE_NEG_MSE;
    static const double l1[NGRID_L1] = {0.2, 0.5, 0.8};
    /* ParameterGrid's order: alpha outer, l1_ratio inner (sorted keys);
     * alpha = numpy.logspace(-3, 0, 10) */
    double step = 3.0 / (NGRID_ALPHA - 1);
    for (size_t a = 0; a < NGRID_ALPHA; a++) {
        double alpha = a + 1 == NGRID_ALPHA ? 1.0 : pow(10, (double)a * step - 3.0);
        for (size_t l = 0; l < NGRID_L1; l++) {
            rg_model_spec *s = &c->specs[a * NGRID_L1 + l];
            *s = model_default_spec(RG_MODEL_ELASTIC_NET);
            s->scale_x = RG_SCALE_STANDARD;
            s->enet.alpha = alpha;
            s->enet.l1_ratio = l1[l];
        }
    }
    c->threads = 1;
    best_of("grid", (job){grid_reset, grid_run, c, NULL});
    int threads = par_default_threads();
    if (threads > 1) {
        double *mean1 = xmalloc(NGRID * sizeof *mean1);
        memcpy(mean1, c->grid.mean, NGRID * sizeof *mean1);
        c->threads = threads;
        char name[64];
        snprintf(name, sizeof name, "grid.threads%d", threads);
        best_of(name, (job){grid_reset, grid_run, c, NULL});
        fprintf(kv, "grid.identical %d\n", memcmp(mean1, c->grid.mean, NGRID * sizeof *mean1) == 0);
        free(mean1);
    }
    fprintf(kv, "threads %d\n", threads);
    for (size_t i = 0; i < NGRID; i++)
        fprintf(kv, "grid.alpha.%zu %.17g\ngrid.l1_ratio.%zu %.17g\ngrid.mean.%zu %.17g\n", i,
                c->specs[i].enet.alpha, i, c->specs[i].enet.l1_ratio, i, c->grid.mean[i]);
    size_t nnz = 0;
    for (size_t j = 0; j < d->p; j++)
        nnz += c->refit.coef[j] != 0;
    fprintf(kv, "grid.best %zu\ngrid.refit.intercept %.17g\ngrid.refit.nnz %zu\n", c->grid.best,
            c->refit.intercept[0], nnz);
    printf("rglit    grid: best candidate %zu (alpha %g, l1_ratio %g), mean neg MSE %.6g\n",
           c->grid.best, c->specs[c->grid.best].enet.alpha,
           c->specs[c->grid.best].enet.l1_ratio, c->grid.mean[c->grid.best]);
    grid_reset(c);
    free(c);
}

/* ---- 3. regression tree ---------------------------------------------------------- */

typedef struct {
    const data *d;
    rg_model_spec spec;
    rg_model m;
    int have, rc;
} tree_ctx;

static void tree_reset(void *v)
{
    tree_ctx *c = v;
    if (c->have)
        model_free(&c->m);
    c->have = 0;
}

static void tree_run(void *v)
{
    tree_ctx *c = v;
    const data *d = c->d;
    c->rc = model_fit(&c->spec, d->X, d->n, d->p, d->Y, TREE_Q, &c->m);
    c->have = c->rc == 0;
}

/* 0, or 1 when the fit failed (reported, not timed). */
static int line_tree(const data *d, const char *outdir)
{
    if (d->q < TREE_Q)
        die("the tree line needs 10 genes");
    tree_ctx c;
    memset(&c, 0, sizeof c);
    c.d = d;
    c.spec = model_default_spec(RG_MODEL_TREE);
    c.spec.tree.max_depth = 5;
    c.spec.seed = 0;
    tree_run(&c); /* does it fit at all? */
    if (c.rc != 0) {
        fprintf(kv, "tree.status failed (model_fit returned %d)\n", c.rc);
        printf("rglit    tree: failed (model_fit returned %d)\n", c.rc);
        return 1;
    }
    best_of("tree", (job){tree_reset, tree_run, &c, NULL});
    double *pred = xmalloc(d->n * TREE_Q * sizeof *pred);
    if (model_predict(&c.m, d->X, d->n, pred) != 0)
        die("model_predict: out of memory");
    FILE *txt = open_out(outdir, "tree", "txt");
    for (size_t k = 0; k < TREE_Q; k++) {
        fprintf(txt, "pred %zu", k);
        write_vec(txt, pred + k * d->n, d->n);
    }
    fclose(txt);
    fprintf(kv, "tree.status ok\ntree.nnode %zu\n", (size_t)c.m.tree.nnode);
    free(pred);
    tree_reset(&c);
    return 0;
}

/* ---- 4. permutation test --------------------------------------------------------- */

typedef struct {
    const data *d;
    int threads;
    size_t nperm;
    rg_model_spec spec;
    size_t fold[4096];
    rg_scoring sc;
    rg_rng stream;
    rg_permtest t;
    int have;
} perm_ctx;

static void perm_reset(void *v)
{
    perm_ctx *c = v;
    if (c->have)
        validate_perm_free(&c->t);
    c->have = 0;
}

static void perm_run(void *v)
{
    perm_ctx *c = v;
    const data *d = c->d;
    rg_eval e = {&c->spec, NULL, NULL, 0, 0, c->fold, FOLDS, &c->sc, 1, 0.5};
    rg_eval_error err;
    if (validate_perm(&e, d->X, d->n, d->p, d->Y, 1, c->nperm, &c->stream, c->threads, NULL,
                      &c->t, &err) != 0)
        die("validate_perm failed");
    c->have = 1;
}

static void line_perm(const data *d, size_t nperm)
{
    if (d->n > 4096)
        die("too many rows for the perm line");
    perm_ctx *c = xmalloc(sizeof *c);
    memset(c, 0, sizeof *c);
    c->d = d;
    c->nperm = nperm;
    c->spec = model_default_spec(RG_MODEL_LASSO);
    c->spec.enet.alpha = 0.1;
    c->spec.scale_x = RG_SCALE_STANDARD;
    c->sc = RG_SCORE_R2;
    rng_init(&c->stream, 0, "bench-models-perm");
    rg_rng r;
    rng_init(&r, 0, "unused");
    if (validate_kfold(d->n, FOLDS, 0, NULL, 0, &r, c->fold) != 0)
        die("validate_kfold failed");
    c->threads = 1;
    best_of("perm", (job){perm_reset, perm_run, c, NULL});
    rg_permtest one = c->t;
    c->have = 0; /* keep the 1-thread result */
    int threads = par_default_threads();
    char name[64];
    snprintf(name, sizeof name, "perm.threads%d", threads);
    c->threads = threads;
    best_of(name, (job){perm_reset, perm_run, c, NULL});
    int same = memcmp(one.perm, c->t.perm, nperm * sizeof *one.perm) == 0 &&
               memcmp(one.observed, c->t.observed, sizeof *one.observed) == 0 &&
               memcmp(one.p, c->t.p, sizeof *one.p) == 0;
    double mean = 0;
    for (size_t i = 0; i < nperm; i++)
        mean += one.perm[i];
    mean /= (double)nperm;
    fprintf(kv, "threads %d\nperm.nperm %zu\nperm.observed %.17g\nperm.p %.17g\n", threads,
            nperm, one.observed[0], one.p[0]);
    fprintf(kv, "perm.exceed %zu\nperm.nvalid %zu\nperm.mean_perm %.17g\nperm.identical %d\n",
            one.exceed[0], one.nvalid[0], mean, same);
    printf("rglit    perm: observed r2 %.6g, p %.4g; 1 and %d threads %s\n", one.observed[0],
           one.p[0], threads, same ? "bit-identical" : "DIFFER");
    validate_perm_free(&one);
    perm_reset(c);
    free(c);
}

/* ---- main ---------------------------------------------------------------------- */

int main(int argc, char **argv)
{
    if (argc < 5 || argc > 8) {
        fprintf(stderr, "usage: bench_models path|grid|tree|perm A.csv B.csv OUTDIR "
                        "[REPEATS [N [M]]]\n");
        return 2;
    }
    const char *line = argv[1], *outdir = argv[4];
    repeats = argc > 5 ? atoi(argv[5]) : 3;
    long nn = argc > 6 ? atol(argv[6]) : 0, mm = argc > 7 ? atol(argv[7]) : 0;
    if (repeats < 0 || nn < 0 || mm < 0)
        die("REPEATS, N and M must be >= 0");
    int which = strcmp(line, "path") == 0   ? 1
                : strcmp(line, "grid") == 0 ? 2
                : strcmp(line, "tree") == 0 ? 3
                : strcmp(line, "perm") == 0 ? 4
                                            : 0;
    if (!which)
        die("LINE must be path, grid, tree or perm");
    par_init();
    const char *once = getenv("BENCH_MODELS_ONCE");
    if (once && *once)
        once_s = atof(once);
    kv = open_out(outdir, line, "kv");
    size_t genes = which == 1 ? (nn ? (size_t)nn : 500) : which == 3 ? TREE_Q : 1;
    data d;
    load(argv[2], argv[3], genes, &d);
    fprintf(kv, "repeats %d\nrss.loaded %.1f\n", repeats, rss_mb());
    int rc = 0;
    switch (which) {
    case 1:
        line_path(&d, outdir, genes, mm ? (size_t)mm : genes);
        break;
    case 2:
        line_grid(&d);
        break;
    case 3:
        rc = line_tree(&d, outdir);
        break;
    default:
        line_perm(&d, nn ? (size_t)nn : 1000);
    }
    fprintf(kv, "rss.peak %.1f\n", peak_mb());
    fclose(kv);
    free(d.X);
    free(d.Y);
    return rc;
}
