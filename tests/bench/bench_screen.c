/* tests/bench/bench_screen.c — times rglit's correlation screens on two CSV
 * files (samples in rows, first column the ID): every column of the first
 * file against every column of the second.
 *
 *   bench_screen A.csv B.csv OUTDIR [REPEATS]
 *
 * Each step runs once as a warm-up, then REPEATS times (default 3); the best
 * (smallest) wall time, CLOCK_MONOTONIC, is kept. The peak resident set
 * (VmHWM) of each step is measured by resetting it (/proc/self/clear_refs
 * "5") before the step. Writes OUTDIR/rglit.kv (key value lines),
 * OUTDIR/rglit_{pearson,spearman}_{sample,kept}.txt and OUTDIR/rglit_perm.txt
 * for tests/bench/report.py, which compares them with screen.R and
 * screen.py. Not part of rglit: only `make bench` builds it. */
#include <cblas.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "frame.h"
#include "rng.h"
#include "stats/cor.h"
#include "stats/cormat.h"
#include "stats/padjust.h"
#include "stats/perm.h"

#define SAMPLE_STRIDE 1009 /* pairs k = 0, 1009, 2018, ... (row-major i * q + j) */
#define NPERM 1000
#define KEEP_PADJ 0.05
#define KEEP_R 0.5

static FILE *kv;
static int repeats = 3;
static double rss_overall_mb; /* running maximum of VmHWM over the resets */
static double rusage_overall_mb; /* the same for getrusage's ru_maxrss, which the
                                    resets lower too */
static int rss_reset_ok = 1;

static void die(const char *what)
{
    fprintf(stderr, "bench_screen: %s\n", what);
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

/* A field of /proc/self/status in MB ("VmHWM", "VmRSS"), or -1. */
static double proc_status_mb(const char *field)
{
    FILE *f = fopen("/proc/self/status", "r");
    if (!f)
        return -1;
    char line[256];
    size_t len = strlen(field);
    double mb = -1;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, field, len) == 0 && line[len] == ':') {
            mb = strtod(line + len + 1, NULL) / 1024.0; /* kB */
            break;
        }
    }
    fclose(f);
    return mb;
}

static double rusage_mb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_maxrss / 1024.0; /* kB */
}

static void phase_begin(void)
{
    double hwm = proc_status_mb("VmHWM"), ru = rusage_mb();
    if (hwm > rss_overall_mb)
        rss_overall_mb = hwm;
    if (ru > rusage_overall_mb)
        rusage_overall_mb = ru;
    FILE *f = fopen("/proc/self/clear_refs", "w");
    if (!f || fputs("5", f) == EOF)
        rss_reset_ok = 0;
    if (f && fclose(f) != 0)
        rss_reset_ok = 0;
}

static void phase_end(const char *name)
{
    double hwm = proc_status_mb("VmHWM");
    if (hwm > rss_overall_mb)
        rss_overall_mb = hwm;
    fprintf(kv, "rss.%s %.1f\n", name, hwm);
}

/* ---- timing ---------------------------------------------------------------- */

typedef struct {
    void (*reset)(void *); /* untimed, before each run (may be NULL) */
    void (*run)(void *);
    void *ctx;
} job;

static double best_of(const char *name, job j)
{
    double best = INFINITY;
    phase_begin();
    for (int rep = 0; rep <= repeats; rep++) { /* rep 0: warm-up */
        if (j.reset)
            j.reset(j.ctx);
        double t0 = now();
        j.run(j.ctx);
        double t = now() - t0;
        if (rep > 0 && t < best)
            best = t;
    }
    phase_end(name);
    fprintf(kv, "time.%s %.6f\n", name, best);
    printf("rglit  %-22s %9.4f s   peak RSS %7.1f MB\n", name, best,
           proc_status_mb("VmHWM"));
    fflush(stdout);
    return best;
}

/* ---- reading --------------------------------------------------------------- */

typedef struct {
    const char *path_a, *path_b;
    rg_frame fa, fb;
    int loaded;
} read_ctx;

static void read_reset(void *v)
{
    read_ctx *c = v;
    if (c->loaded) {
        frame_free(&c->fa);
        frame_free(&c->fb);
        c->loaded = 0;
    }
}

static void read_one(const char *path, rg_frame *out)
{
    rg_csv_opts o;
    memset(&o, 0, sizeof o);
    size_t bytes;
    char sha[65];
    char *err = NULL;
    if (frame_read_csv(path, path, &o, out, &bytes, sha, &err) != 0) {
        fprintf(stderr, "bench_screen: %s\n", err ? err : path);
        exit(1);
    }
}

static void read_run(void *v)
{
    read_ctx *c = v;
    read_one(c->path_a, &c->fa);
    read_one(c->path_b, &c->fb);
    c->loaded = 1;
}

/* The numeric columns of f, as n-row arrays (borrowed). */
static const double **numeric_cols(const rg_frame *f, size_t *ncol)
{
    const double **cols = xmalloc(f->ncol * sizeof *cols);
    size_t k = 0;
    for (size_t i = 0; i < f->ncol; i++)
        if (f->cols[i].num)
            cols[k++] = f->cols[i].num;
    *ncol = k;
    return cols;
}

/* ---- the bare product -------------------------------------------------------- */

typedef struct {
    const double *const *a, *const *b;
    size_t p, q, n;
    int rank;           /* rank the columns first (Spearman) */
    int skip_standardise; /* time the dgemm only: za, zb already filled */
    double *za, *zb;    /* p x n and q x n, row-major (one column per row) */
    double *rk;         /* n scratch */
    double *c;          /* p x q */
} bare_ctx;

/* z = standardised x (mean 0, sd 1 with n - 1), zeros for a constant x. */
static void standardise(const double *x, size_t n, double *z)
{
    double m = 0;
    for (size_t i = 0; i < n; i++)
        m += x[i];
    m /= (double)n;
    double ss = 0;
    for (size_t i = 0; i < n; i++) {
        z[i] = x[i] - m;
        ss += z[i] * z[i];
    }
    double s = sqrt(ss / (double)(n - 1));
    double inv = s > 0 ? 1.0 / s : 0.0;
    for (size_t i = 0; i < n; i++)
        z[i] *= inv;
}

static void bare_standardise(bare_ctx *c, const double *const *x, size_t m, double *z)
{
    for (size_t j = 0; j < m; j++) {
        const double *col = x[j];
        if (c->rank) {
            if (cor_rank(col, c->n, c->rk) != 0)
                die("cor_rank: out of memory");
            col = c->rk;
        }
        standardise(col, c->n, z + j * c->n);
    }
}

static void bare_run(void *v)
{
    bare_ctx *c = v;
    if (!c->skip_standardise) {
        bare_standardise(c, c->a, c->p, c->za);
        bare_standardise(c, c->b, c->q, c->zb);
    }
    /* C (p x q) = Za (p x n) * Zb^T (n x q) / (n - 1) */
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)c->p, (int)c->q, (int)c->n,
                1.0 / (double)(c->n - 1), c->za, (int)c->n, c->zb, (int)c->n, 0.0, c->c,
                (int)c->q);
}

/* ---- cormat and perm ------------------------------------------------------ */

typedef struct {
    const double *const *a, *const *b;
    size_t p, q, n;
    rg_cor_method m;
    rg_padjust_method adj;
    int threads;
    rg_cormat res;
    int have;
} cormat_ctx;

static void cormat_reset(void *v)
{
    cormat_ctx *c = v;
    if (c->have)
        cormat_free(&c->res);
    c->have = 0;
}

static void cormat_run(void *v)
{
    cormat_ctx *c = v;
    if (cormat_compute(c->a, c->p, c->b, c->q, c->n, c->m, c->adj, c->threads, &c->res) != 0)
        die("cormat_compute failed");
    c->have = 1;
}

typedef struct {
    const double *x;
    const double *const *y;
    size_t q, n;
    int threads;
    rg_rng stream;
    rg_perm res;
    int have;
} perm_ctx;

static void perm_reset(void *v)
{
    perm_ctx *c = v;
    if (c->have)
        perm_free(&c->res);
    c->have = 0;
}

static void perm_run(void *v)
{
    perm_ctx *c = v;
    if (perm_cor(c->x, c->y, c->q, c->n, RG_COR_PEARSON, NPERM, &c->stream, c->threads,
                 &c->res) != 0)
        die("perm_cor failed");
    c->have = 1;
}

/* The parts of the Pearson screen on their own (diagnostics): the p-values
 * of len correlations, then their BH adjustment. */
typedef struct {
    const double *r;
    double *pv, *padj;
    size_t len;
    double df;
} parts_ctx;

static void pvalues_run(void *v)
{
    parts_ctx *c = v;
    cormat_pvalues(c->r, c->len, c->df, c->pv);
}

static void padjust_run(void *v)
{
    parts_ctx *c = v;
    if (padjust(c->pv, c->len, RG_PADJ_BH, c->padj) != 0)
        die("padjust: out of memory");
}

/* ---- checksums ------------------------------------------------------------------ */

static void write_num(FILE *f, double x)
{
    if (isnan(x))
        fputs(" NA", f);
    else
        fprintf(f, " %.17g", x);
}

/* Checksums of a screen, its sampled pairs and its kept pairs. */
static void screen_checksums(const char *outdir, const char *name, const rg_cormat *c)
{
    size_t len = c->p * c->q, n_nan = 0, kept = 0;
    double idsum = 0, sum_abs = 0;
    char path[4096];
    snprintf(path, sizeof path, "%s/rglit_%s_kept.txt", outdir, name);
    FILE *fk = fopen(path, "w");
    snprintf(path, sizeof path, "%s/rglit_%s_sample.txt", outdir, name);
    FILE *fs = fopen(path, "w");
    if (!fk || !fs)
        die("cannot write the checksum files");
    for (size_t k = 0; k < len; k++) {
        double r = c->r[k], pa = c->padj[k];
        if (isnan(r))
            n_nan++;
        else
            sum_abs += fabs(r);
        if (!isnan(pa) && pa < KEEP_PADJ && fabs(r) > KEEP_R) {
            kept++;
            idsum += (double)k;
            fprintf(fk, "%zu", k);
            write_num(fk, r);
            write_num(fk, c->pval[k]);
            write_num(fk, pa);
            fputc('\n', fk);
        }
        if (k % SAMPLE_STRIDE == 0) {
            fprintf(fs, "%zu", k);
            write_num(fs, r);
            write_num(fs, c->pval[k]);
            write_num(fs, pa);
            fputc('\n', fs);
        }
    }
    fclose(fk);
    fclose(fs);
    fprintf(kv, "%s.pairs %zu\n%s.n_nan %zu\n%s.kept %zu\n%s.kept_idsum %.0f\n"
                "%s.sum_abs_r %.10g\n%s.n_pairwise %zu\n",
            name, len, name, n_nan, name, kept, name, idsum, name, sum_abs, name,
            c->n_pairwise);
}

static int same_doubles(const double *x, const double *y, size_t len)
{
    for (size_t k = 0; k < len; k++) {
        if (isnan(x[k]) != isnan(y[k]))
            return 0;
        if (!isnan(x[k]) && memcmp(&x[k], &y[k], sizeof(double)) != 0)
            return 0;
    }
    return 1;
}

/* FNV-1a over the bits of x[0..len) (every NaN hashed alike). */
static uint64_t hash_doubles(uint64_t h, const double *x, size_t len)
{
    for (size_t k = 0; k < len; k++) {
        uint64_t bits = 0x7ff8000000000000u;
        if (!isnan(x[k]))
            memcpy(&bits, &x[k], sizeof bits);
        for (int b = 0; b < 8; b++) {
            h ^= (bits >> (8 * b)) & 0xffu;
            h *= 0x100000001b3u;
        }
    }
    return h;
}

/* A hash of a screen's r, p and adjusted p: threads=1 and threads=2 are
 * compared by it, so that each step's peak memory holds one result only. */
static uint64_t result_hash(const rg_cormat *c)
{
    size_t len = c->p * c->q;
    uint64_t h = 0xcbf29ce484222325u;
    h = hash_doubles(h, c->r, len);
    h = hash_doubles(h, c->pval, len);
    return hash_doubles(h, c->padj, len);
}

/* Largest |x - y| where x is not NaN. */
static double max_abs_diff(const double *x, const double *y, size_t len)
{
    double d = 0;
    for (size_t k = 0; k < len; k++)
        if (!isnan(x[k]) && fabs(x[k] - y[k]) > d)
            d = fabs(x[k] - y[k]);
    return d;
}

int main(int argc, char **argv)
{
    if (argc < 4 || argc > 5) {
        fprintf(stderr, "usage: bench_screen A.csv B.csv OUTDIR [REPEATS]\n");
        return 2;
    }
    const char *outdir = argv[3];
    if (argc == 5)
        repeats = atoi(argv[4]);
    if (repeats < 1)
        repeats = 1;
    char path[4096];
    snprintf(path, sizeof path, "%s/rglit.kv", outdir);
    kv = fopen(path, "w");
    if (!kv)
        die("cannot write OUTDIR/rglit.kv");

    const char *cfg = openblas_get_config();
    int blas_threads = openblas_get_num_threads();
    fprintf(kv, "blas %s | %d threads\n", cfg ? cfg : "OpenBLAS", blas_threads);
    fprintf(kv, "repeats %d\n", repeats);

    /* ---- read ---- */
    read_ctx rd = {.path_a = argv[1], .path_b = argv[2]};
    best_of("read", (job){read_reset, read_run, &rd});

    /* the rows both files share, in the order of the first */
    const rg_frame *fs[2] = {&rd.fa, &rd.fb};
    size_t **rows = NULL, nrow = 0;
    if (frame_join_rows(fs, 2, &rows, &nrow) != 0)
        die("frame_join_rows: out of memory");
    int same_order = nrow == rd.fa.nrow && nrow == rd.fb.nrow;
    for (size_t i = 0; same_order && i < nrow; i++)
        same_order = rows[0][i] == i && rows[1][i] == i;
    rg_frame fa = rd.fa, fb = rd.fb, sa, sb;
    if (!same_order) {
        if (frame_subset(&rd.fa, rows[0], nrow, NULL, rd.fa.ncol, &sa) != 0 ||
            frame_subset(&rd.fb, rows[1], nrow, NULL, rd.fb.ncol, &sb) != 0)
            die("frame_subset: out of memory");
        fa = sa;
        fb = sb;
    }
    free(rows[0]);
    free(rows[1]);
    free(rows);
    fprintf(kv, "ids %s\n", same_order ? "same" : "aligned");
    size_t p, q, n = nrow;
    const double **a = numeric_cols(&fa, &p);
    const double **b = numeric_cols(&fb, &q);
    fprintf(kv, "n %zu\np %zu\nq %zu\nrows_a %zu\nrows_b %zu\n", n, p, q, rd.fa.nrow,
            rd.fb.nrow);
    fprintf(kv, "rss.loaded %.1f\n", proc_status_mb("VmRSS"));
    printf("rglit  %zu rows (%s), %zu x %zu columns = %zu pairs; OpenBLAS %d threads\n", n,
           same_order ? "same IDs in the same order" : "aligned by ID", p, q, p * q,
           blas_threads);
    if (n < 3 || p == 0 || q == 0)
        die("too few rows or columns");

    /* ---- bare standardise + dgemm ---- */
    bare_ctx bc = {.a = a, .b = b, .p = p, .q = q, .n = n};
    bc.za = xmalloc(p * n * sizeof(double));
    bc.zb = xmalloc(q * n * sizeof(double));
    bc.rk = xmalloc(n * sizeof(double));
    bc.c = xmalloc(p * q * sizeof(double));
    best_of("std_dgemm", (job){NULL, bare_run, &bc});
    bc.skip_standardise = 1;
    best_of("dgemm", (job){NULL, bare_run, &bc});
    openblas_set_num_threads(1);
    best_of("dgemm_t1", (job){NULL, bare_run, &bc});
    bc.skip_standardise = 0;
    best_of("std_dgemm_t1", (job){NULL, bare_run, &bc});
    openblas_set_num_threads(blas_threads);
    bc.rank = 1;
    best_of("rank_std_dgemm", (job){NULL, bare_run, &bc});
    bc.rank = 0;
    free(bc.c); /* each step's peak memory: the data and that step's work only */
    bc.c = NULL;

    /* ---- cormat ---- */
    cormat_ctx cp2 = {.a = a, .b = b, .p = p, .q = q, .n = n, .m = RG_COR_PEARSON,
                      .adj = RG_PADJ_BH, .threads = 2};
    cormat_ctx cp1 = cp2, cs2 = cp2, cs1 = cp2;
    cp1.threads = 1;
    cs2.m = cs1.m = RG_COR_SPEARMAN;
    cs1.threads = 1;

    best_of("pearson", (job){cormat_reset, cormat_run, &cp2});
    screen_checksums(outdir, "pearson", &cp2.res);
    uint64_t h2 = result_hash(&cp2.res);
    /* keep column 0 of the Pearson r for the permutation check */
    double *r_gene0 = xmalloc(p * sizeof(double));
    for (size_t i = 0; i < p; i++)
        r_gene0[i] = cp2.res.r[i * q];
    bc.c = xmalloc(p * q * sizeof(double));
    bare_run(&bc); /* the Pearson product, against cormat's r */
    fprintf(kv, "pearson.bare_maxdiff %.3g\n", max_abs_diff(cp2.res.r, bc.c, p * q));
    memcpy(bc.c, cp2.res.r, p * q * sizeof(double));
    cormat_reset(&cp2);
    /* where the time goes: the screen without the adjustment, the p-values
     * alone and the adjustment alone */
    cormat_ctx cn = cp2;
    cn.adj = RG_PADJ_NONE;
    best_of("pearson_noadj", (job){cormat_reset, cormat_run, &cn});
    cormat_reset(&cn);
    parts_ctx pc = {.r = bc.c, .len = p * q, .df = (double)n - 2};
    pc.pv = xmalloc(p * q * sizeof(double));
    pc.padj = xmalloc(p * q * sizeof(double));
    best_of("pvalues", (job){NULL, pvalues_run, &pc});
    best_of("padjust_bh", (job){NULL, padjust_run, &pc});
    free(pc.pv);
    free(pc.padj);
    free(bc.c);
    bc.c = NULL;
    best_of("pearson_t1", (job){cormat_reset, cormat_run, &cp1});
    fprintf(kv, "pearson.t1_eq_t2 %d\n", result_hash(&cp1.res) == h2);
    cormat_reset(&cp1);

    best_of("spearman", (job){cormat_reset, cormat_run, &cs2});
    screen_checksums(outdir, "spearman", &cs2.res);
    h2 = result_hash(&cs2.res);
    cormat_reset(&cs2);
    best_of("spearman_t1", (job){cormat_reset, cormat_run, &cs1});
    fprintf(kv, "spearman.t1_eq_t2 %d\n", result_hash(&cs1.res) == h2);
    cormat_reset(&cs1);

    /* ---- permutations: gene 0 against every feature ---- */
    rg_rng stream;
    rng_init(&stream, 1, "bench");
    perm_ctx pp2 = {.x = b[0], .y = a, .q = p, .n = n, .threads = 2, .stream = stream};
    perm_ctx pp1 = pp2;
    pp1.threads = 1;
    best_of("perm", (job){perm_reset, perm_run, &pp2});
    best_of("perm_t1", (job){perm_reset, perm_run, &pp1});
    int perm_same = same_doubles(pp1.res.r, pp2.res.r, p) && same_doubles(pp1.res.p, pp2.res.p, p);
    fprintf(kv, "perm.t1_eq_t2 %d\n", perm_same);
    fprintf(kv, "perm.r_vs_cormat_maxdiff %.3g\n", max_abs_diff(pp2.res.r, r_gene0, p));
    fprintf(kv, "perm.gene %s\n", fb.cols[0].name);
    snprintf(path, sizeof path, "%s/rglit_perm.txt", outdir);
    FILE *fp = fopen(path, "w");
    if (!fp)
        die("cannot write rglit_perm.txt");
    for (size_t i = 0; i < p; i++) {
        fprintf(fp, "%zu", i);
        write_num(fp, pp2.res.r[i]);
        write_num(fp, pp2.res.p[i]);
        fputc('\n', fp);
    }
    fclose(fp);
    perm_reset(&pp1);
    perm_reset(&pp2);

    /* ---- peak memory of the whole process ---- */
    double hwm = proc_status_mb("VmHWM");
    if (hwm > rss_overall_mb)
        rss_overall_mb = hwm;
    double ru = rusage_mb();
    if (ru > rusage_overall_mb)
        rusage_overall_mb = ru;
    fprintf(kv, "rss.peak %.1f\nrss.getrusage %.1f\nrss.reset_ok %d\n", rss_overall_mb,
            rusage_overall_mb, rss_reset_ok);
    printf("rglit  peak RSS %.1f MB (VmHWM), getrusage ru_maxrss %.1f MB (running maxima over "
           "the per-step resets)%s\n",
           rss_overall_mb, rusage_overall_mb,
           rss_reset_ok ? "" : " (clear_refs unavailable: per-step peaks are cumulative)");

    free(r_gene0);
    free(bc.za);
    free(bc.zb);
    free(bc.rk);
    free(a);
    free(b);
    if (!same_order) {
        frame_free(&sa);
        frame_free(&sb);
    }
    read_reset(&rd);
    fclose(kv);
    return 0;
}
