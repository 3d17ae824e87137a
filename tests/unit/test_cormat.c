/* tests/unit/test_cormat.c — the screen's fast paths against the slow ones:
 * the tabulated p-values against the incomplete beta function, every pair
 * of cormat_compute against cor_test (R's cor.test, checked against R in
 * test_conformance.c), the radix-sorted p.adjust against the qsort path,
 * permutation p-values against a count done pair by pair, and all of them
 * bit for bit the same for 1, 2 and 7 threads. */
#include <float.h>
#include <gsl/gsl_sf_gamma.h>
#include <stdlib.h>
#include <string.h>

#include "frame.h"
#include "rng.h"
#include "stats/cor.h"
#include "stats/cormat.h"
#include "stats/padjust.h"
#include "stats/perm.h"
#include "unit.h"

/* |got - want| <= tol |want| (absolute below 1e-300) */
static int close_rel(double got, double want, double tol)
{
    if (isnan(got) || isnan(want))
        return isnan(got) && isnan(want);
    if (fabs(want) < 1e-300)
        return fabs(got - want) <= 1e-300;
    return fabs(got - want) <= tol * fabs(want);
}

static void test_pvalue_table(void)
{
    static const double dfs[] = {1, 2, 3, 4, 5, 7, 10, 20, 42, 43, 100, 114, 500, 1000, 5000, 5001};
    size_t N = 20001;
    double *r = malloc(N * sizeof *r), *p = malloc(N * sizeof *p);
    for (size_t i = 0; i < N; i++) {
        r[i] = (double)i / (double)(N - 1);
        if (i % 7 == 0)
            r[i] = 1 - pow(10, -(double)(i % 16));
        if (i % 11 == 0)
            r[i] = pow(10, -(double)(i % 300) / 20);
        if (i % 2)
            r[i] = -r[i];
    }
    for (size_t d = 0; d < sizeof dfs / sizeof *dfs; d++) {
        double df = dfs[d];
        cormat_pvalues(r, N, df, p);
        int bad = 0;
        for (size_t i = 0; i < N && bad < 3; i++) {
            double ar = fabs(r[i]);
            double t = ar < 1 ? sqrt(df) * ar / sqrt((1 - ar) * (1 + ar)) : INFINITY;
            double want = cor_pt2(t, df);
            if (!close_rel(p[i], want, 1e-12)) {
                fprintf(stderr, "df %g r %.17g: p %.17g, want %.17g\n", df, r[i], p[i], want);
                bad++;
            }
        }
        CHECK(bad == 0);
    }
    free(r);
    free(p);
}

/* A p x q screen with NaN, constant and tied columns, Pearson and Spearman:
 * every pair as cor_test gives it. */
static void test_cormat_pairs(void)
{
    size_t n = 23, p = 9, q = 13;
    rg_rng g;
    rng_init(&g, 7, "cormat");
    double *data = malloc((p + q) * n * sizeof *data);
    const double **a = malloc(p * sizeof *a), **b = malloc(q * sizeof *b);
    for (size_t j = 0; j < p + q; j++) {
        double *c = data + j * n;
        for (size_t i = 0; i < n; i++)
            c[i] = rng_normal(&g, 0, 1) + (j % 3 == 0 ? c[0] : 0);
        if (j == 2 || j == p + 4)
            c[5] = NAN;
        if (j == p + 1)
            c[0] = c[7] = NAN;
        if (j == 3 || j == p + 6)
            for (size_t i = 0; i < n; i++)
                c[i] = 4.25;
        if (j == 4 || j == p + 7)
            for (size_t i = 0; i < n; i++)
                c[i] = (double)(i % 4);
        if (j == p + 8) /* all but 2 missing */
            for (size_t i = 2; i < n; i++)
                c[i] = NAN;
        if (j < p)
            a[j] = c;
        else
            b[j - p] = c;
    }
    for (int m = 0; m < 2; m++) {
        rg_cor_method meth = m ? RG_COR_SPEARMAN : RG_COR_PEARSON;
        rg_cormat c1, c2, c7;
        CHECK(cormat_compute(a, p, b, q, n, meth, RG_PADJ_BH, 1, &c1) == 0);
        CHECK(cormat_compute(a, p, b, q, n, meth, RG_PADJ_BH, 2, &c2) == 0);
        CHECK(cormat_compute(a, p, b, q, n, meth, RG_PADJ_BH, 7, &c7) == 0);
        size_t pq = p * q;
        CHECK(memcmp(c1.r, c2.r, pq * sizeof *c1.r) == 0);
        CHECK(memcmp(c1.r, c7.r, pq * sizeof *c1.r) == 0);
        CHECK(memcmp(c1.padj, c7.padj, pq * sizeof *c1.padj) == 0);
        double *pv = malloc(pq * sizeof *pv);
        int bad = 0;
        size_t nan = 0;
        for (size_t i = 0; i < p; i++)
            for (size_t k = 0; k < q; k++) {
                rg_cor_result want;
                CHECK(cor_test(a[i], b[k], n, meth, &want) == 0);
                size_t at = i * q + k;
                pv[at] = want.p;
                nan += isnan(want.r);
                /* within 1e-13 of |r| = 1, p (< 1e-100) hangs on r's last bit */
                int edge = fabs(want.r) > 1 - 1e-13 && c1.pval[at] < 1e-100 && want.p < 1e-100;
                if (!close_rel(c1.r[at], want.r, 1e-13) ||
                    (!edge && !close_rel(c1.pval[at], want.p, 1e-11)) ||
                    c1.n[at] != want.n) {
                    if (bad++ < 3)
                        fprintf(stderr, "pair %zu,%zu: r %.17g p %.17g n %u; want %.17g %.17g %zu\n",
                                i, k, c1.r[at], c1.pval[at], c1.n[at], want.r, want.p, want.n);
                }
            }
        CHECK(bad == 0);
        CHECK(c1.n_nan == nan && nan > 0);
        CHECK(c1.n_pairwise == 1 * q + 3 * p - 1 * 3); /* 1 column of A, 3 of B with NaN */
        padjust(pv, pq, RG_PADJ_BH, pv);
        for (size_t i = 0; i < pq; i++)
            CHECK(close_rel(c1.padj[i], pv[i], 1e-10) || (c1.padj[i] < 1e-100 && pv[i] < 1e-100));
        free(pv);
        cormat_free(&c1);
        cormat_free(&c2);
        cormat_free(&c7);
    }
    free(data);
    free(a);
    free(b);
}

/* Complete data take the single-product path (no per-pair counts). */
static void test_cormat_complete(void)
{
    size_t n = 44, p = 70, q = 30;
    rg_rng g;
    rng_init(&g, 8, "complete");
    double *data = malloc((p + q) * n * sizeof *data);
    const double **a = malloc(p * sizeof *a), **b = malloc(q * sizeof *b);
    for (size_t j = 0; j < p + q; j++) {
        for (size_t i = 0; i < n; i++)
            data[j * n + i] = rng_normal(&g, 0, 1) + 0.8 * (j % 5 == 0 ? data[i] : 0);
        if (j < p)
            a[j] = data + j * n;
        else
            b[j - p] = data + j * n;
    }
    rg_cormat c;
    CHECK(cormat_compute(a, p, b, q, n, RG_COR_PEARSON, RG_PADJ_HOLM, 3, &c) == 0);
    CHECK(c.n == NULL && c.n_common == n && c.n_pairwise == 0 && c.n_nan == 0);
    for (size_t i = 0; i < p; i += 7)
        for (size_t k = 0; k < q; k += 3) {
            rg_cor_result want;
            cor_test(a[i], b[k], n, RG_COR_PEARSON, &want);
            CHECK(close_rel(c.r[i * q + k], want.r, 1e-13));
            CHECK(close_rel(c.pval[i * q + k], want.p, 1e-11));
        }
    cormat_free(&c);
    free(data);
    free(a);
    free(b);
}

/* p.adjust of more than 4096 values (the radix sort) against a plain
 * qsort of the same values with R's formulas: equal to the last bit. */
typedef struct {
    double p;
    size_t i;
} pe;

static int pe_up(const void *x, const void *y)
{
    const pe *a = x, *b = y;
    if (a->p != b->p)
        return a->p < b->p ? -1 : 1;
    return a->i < b->i ? -1 : a->i > b->i;
}

static void reference_adjust(const double *p, size_t n, rg_padjust_method m, double *out)
{
    pe *e = malloc(n * sizeof *e);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        out[i] = p[i];
        if (!isnan(p[i]))
            e[k++] = (pe){p[i], i};
    }
    qsort(e, k, sizeof *e, pe_up);
    double dk = (double)k;
    if (m == RG_PADJ_HOLM) {
        double c = -INFINITY;
        for (size_t j = 0; j < k; j++) {
            double v = (double)(k - j) * e[j].p;
            c = v > c ? v : c;
            out[e[j].i] = c < 1 ? c : 1;
        }
    } else { /* BH, BY, hochberg: from the largest p down */
        long double acc = 0;
        for (size_t j = 1; j <= k; j++)
            acc += 1.0 / (double)j;
        double q = (double)acc, c = INFINITY;
        for (size_t j = k; j-- > 0;) {
            double i = (double)(j + 1);
            double v = m == RG_PADJ_BH   ? dk / i * e[j].p
                       : m == RG_PADJ_BY ? q * dk / i * e[j].p
                                         : (dk + 1 - i) * e[j].p;
            c = v < c ? v : c;
            out[e[j].i] = c < 1 ? c : 1;
        }
    }
    free(e);
}

static void test_padjust_radix(void)
{
    size_t n = 20000;
    rg_rng g;
    rng_init(&g, 9, "padjust");
    double *p = malloc(n * sizeof *p), *got = malloc(n * sizeof *got),
           *want = malloc(n * sizeof *want);
    for (size_t i = 0; i < n; i++) {
        double u = rng_uniform(&g);
        p[i] = i % 5 == 0 ? round(u * 50) / 50 : u * u * u; /* many ties */
        if (i % 97 == 0)
            p[i] = NAN;
        if (i % 101 == 0)
            p[i] = 0;
        if (i % 103 == 0)
            p[i] = 1e-300 * u;
    }
    rg_padjust_method ms[] = {RG_PADJ_HOLM, RG_PADJ_BH, RG_PADJ_BY, RG_PADJ_HOCHBERG};
    for (int k = 0; k < 4; k++) {
        CHECK(padjust(p, n, ms[k], got) == 0);
        reference_adjust(p, n, ms[k], want);
        int bad = 0;
        for (size_t i = 0; i < n; i++)
            bad += !(got[i] == want[i] || (isnan(got[i]) && isnan(want[i])));
        CHECK(bad == 0);
    }
    free(p);
    free(got);
    free(want);
}

/* Permutation p-values against the same permutations counted pair by pair
 * with cor_test, and the same for any thread count. */
static void test_perm_cor(void)
{
    size_t n = 15, q = 6, nperm = 300;
    rg_rng g, stream;
    rng_init(&g, 11, "perm-data");
    rng_init(&stream, 5, "perm.cor");
    double x[15], y[6][15];
    const double *ys[6];
    for (size_t i = 0; i < n; i++)
        x[i] = rng_normal(&g, 0, 1);
    x[3] = x[4]; /* a tie: swaps of tied values reproduce r exactly */
    for (size_t k = 0; k < q; k++) {
        for (size_t i = 0; i < n; i++)
            y[k][i] = rng_normal(&g, 0, 1) + (double)k * 0.3 * x[i];
        ys[k] = y[k];
    }
    for (size_t i = 0; i < n; i++)
        y[5][i] = 2; /* constant */
    for (int m = 0; m < 2; m++) {
        rg_cor_method meth = m ? RG_COR_SPEARMAN : RG_COR_PEARSON;
        rg_perm a, b;
        CHECK(perm_cor(x, ys, q, n, meth, nperm, &stream, 1, &a) == 0);
        CHECK(perm_cor(x, ys, q, n, meth, nperm, &stream, 4, &b) == 0);
        CHECK(memcmp(a.p, b.p, (q - 1) * sizeof *a.p) == 0);
        CHECK(memcmp(a.r, b.r, (q - 1) * sizeof *a.r) == 0);
        CHECK(isnan(a.r[5]) && isnan(a.p[5]));
        size_t perm[15];
        double xp[15];
        for (size_t k = 0; k + 1 < q; k++) {
            rg_cor_result obs;
            cor_test(x, ys[k], n, meth, &obs);
            CHECK(close_rel(a.r[k], obs.r, 1e-13));
            size_t count = 0;
            for (size_t i = 1; i <= nperm; i++) {
                rg_rng s;
                rng_substream(&s, &stream, i);
                rng_permutation(&s, perm, n);
                for (size_t j = 0; j < n; j++)
                    xp[j] = x[perm[j]];
                rg_cor_result r;
                cor_test(xp, ys[k], n, meth, &r);
                count += fabs(r.r) >= fabs(obs.r) * (1 - 100 * DBL_EPSILON);
            }
            CHECK(a.exceed[k] == count);
            CHECK(a.p[k] == (1 + (double)count) / (1 + (double)nperm));
        }
        perm_free(&a);
        perm_free(&b);
    }
}

/* The NSCLC cohort (44 patients): 120 image features x 150 genes, every
 * pair as cor_test gives it (cor_test itself is checked against R on these
 * files in test_conformance.c). */
static void test_cormat_nsclc(void)
{
    const char *dir = "../shared/data/nsclc-radiogenomics/";
    char fa[256], fb[256];
    snprintf(fa, sizeof fa, "%sLung_radiomic_features_new_cohort_n44.csv", dir);
    snprintf(fb, sizeof fb, "%sLung_gene_expression_new_cohort_n44.csv", dir);
    rg_csv_opts o = {0};
    rg_frame A, B;
    size_t bytes;
    char sha[65], *err = NULL;
    if (frame_read_csv(fa, "features", &o, &A, &bytes, sha, &err) != 0) {
        free(err);
        unit_skip = "../shared/data/nsclc-radiogenomics is absent";
        return;
    }
    CHECK(frame_read_csv(fb, "genes", &o, &B, &bytes, sha, &err) == 0);
    if (err) {
        free(err);
        frame_free(&A);
        return;
    }
    CHECK(A.nrow == B.nrow);
    for (size_t i = 0; i < A.nrow; i++)
        CHECK(strcmp(A.ids[i], B.ids[i]) == 0);
    size_t p = A.ncol < 120 ? A.ncol : 120, q = B.ncol < 150 ? B.ncol : 150;
    const double **a = malloc(p * sizeof *a), **b = malloc(q * sizeof *b);
    for (size_t j = 0; j < p; j++)
        a[j] = A.cols[j * (A.ncol / p)].num; /* spread over the feature classes */
    for (size_t j = 0; j < q; j++)
        b[j] = B.cols[j * (B.ncol / q)].num;
    for (int m = 0; m < 2; m++) {
        rg_cor_method meth = m ? RG_COR_SPEARMAN : RG_COR_PEARSON;
        rg_cormat c;
        CHECK(cormat_compute(a, p, b, q, A.nrow, meth, RG_PADJ_BH, 2, &c) == 0);
        int bad = 0;
        for (size_t i = 0; i < p; i++)
            for (size_t k = 0; k < q; k++) {
                rg_cor_result want;
                cor_test(a[i], b[k], A.nrow, meth, &want);
                size_t at = i * q + k;
                /* r absolutely: where R's arithmetic gives 0 exactly, the product
                 * may give 1e-17 */
                if (!(fabs(c.r[at] - want.r) <= 1e-14 || (isnan(c.r[at]) && isnan(want.r))) ||
                    !close_rel(c.pval[at], want.p, 1e-11))
                    if (bad++ < 3)
                        fprintf(stderr, "nsclc %zu,%zu: r %.17g p %.17g; want %.17g %.17g\n", i,
                                k, c.r[at], c.pval[at], want.r, want.p);
            }
        CHECK(bad == 0);
        cormat_free(&c);
    }
    free(a);
    free(b);
    frame_free(&A);
    frame_free(&B);
}

const unit_test cormat_tests[] = {{"cormat_nsclc", test_cormat_nsclc},{"cormat_pvalue_table", test_pvalue_table},
                                  {"cormat_pairs_vs_cor_test", test_cormat_pairs},
                                  {"cormat_complete", test_cormat_complete},
                                  {"cormat_padjust_radix", test_padjust_radix},
                                  {"cormat_perm_cor", test_perm_cor},
                                  {NULL, NULL}};
