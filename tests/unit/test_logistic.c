/* tests/unit/test_logistic.c — logistic regression (engine/models/
 * logistic.h) against scikit-learn: tests/conformance/logistic.json
 * (gen_logistic.py) holds the inputs, or for the NSCLC data the columns to
 * read from ../shared/data, and the exact optima of scikit-learn's
 * objectives. Coefficients to 1e-6 relative (1e-8 absolute where the
 * reference is 0), probabilities to 1e-8, the objective to 1e-9 relative;
 * where the L1 optimum is not unique ("compare": "objective_proba") only
 * the last two. Then the error codes, determinism, separation without a
 * penalty, and the iteration limit. With RGLIT_TEST_VERBOSE set, the
 * largest differences met are printed to stderr. */
#include <stdlib.h>
#include <string.h>

#include "frame.h"
#include "models/logistic.h"
#include "stats/scale.h"
#include "unit.h"

#define LOGIT_JSON "tests/conformance/logistic.json"
#define NSCLC_DIR "../shared/data/nsclc-radiogenomics/"

#define TOL_COEF 1e-6
#define TOL_ZERO 1e-8
#define TOL_PROBA 1e-8
#define TOL_OBJ 1e-9

static const cJSON *get(const cJSON *o, const char *key)
{
    return cJSON_GetObjectItemCaseSensitive(o, key);
}

static double numk(const cJSON *o, const char *key) { return unit_json_num(get(o, key)); }

/* The largest differences met, for RGLIT_TEST_VERBOSE. */
static double worst_coef, worst_proba, worst_obj;
static const char *worst_coef_case = "", *worst_proba_case = "", *worst_obj_case = "";

static void note_worst(double d, double *worst, const char **where, const char *name)
{
    if (d > *worst) {
        *worst = d;
        *where = name;
    }
}

/* A coefficient against the reference: 1e-6 relative, or 1e-8 absolute
 * where the reference is 0 (to 1e-8: what the fit zeroed, or a column the
 * optimum gives no weight). */
static void check_coef(const char *name, const char *field, size_t j, double got,
                       double want)
{
    double diff = fabs(got - want);
    int ok = fabs(want) <= TOL_ZERO ? diff <= TOL_ZERO : diff <= TOL_COEF * fabs(want);
    if (fabs(want) > TOL_ZERO)
        note_worst(diff / fabs(want), &worst_coef, &worst_coef_case, name);
    if (!ok) {
        fprintf(stderr, "logistic %s: %s[%zu] = %.17g, sklearn %.17g\n", name, field, j,
                got, want);
        unit_failures++;
    }
}

/* Fit one case on X (n x p, column-major) and y and compare with the
 * reference c. */
static void check_case(const cJSON *c, const double *X, size_t n, size_t p,
                       const unsigned char *y)
{
    const char *name = get(c, "case")->valuestring;
    const char *pen = get(c, "penalty")->valuestring;
    rg_logit_opts o = logit_default_opts();
    o.penalty = strcmp(pen, "l1") == 0   ? RG_LOGIT_L1
                : strcmp(pen, "l2") == 0 ? RG_LOGIT_L2
                                         : RG_LOGIT_NONE;
    o.C = numk(c, "C");
    o.fit_intercept = (int)numk(c, "fit_intercept");
    rg_logit m;
    int rc = logit_fit(X, n, p, y, &o, &m);
    if (rc != 0 || !m.converged) {
        fprintf(stderr, "logistic %s: logit_fit gave %d, converged %d\n", name, rc,
                rc == 0 && m.converged);
        unit_failures++;
        if (rc != 0)
            return;
    }
    int coefs = strcmp(get(c, "compare")->valuestring, "coef") == 0;
    size_t nw;
    double *want = unit_json_nums(get(c, "coef"), &nw);
    CHECK(nw == p);
    if (coefs) {
        for (size_t j = 0; j < p && j < nw; j++)
            check_coef(name, "coef", j, m.coef[j], want[j]);
        check_coef(name, "intercept", 0, m.intercept, numk(c, "intercept"));
    }
    free(want);
    double *prob = malloc((n ? n : 1) * sizeof *prob);
    logit_predict_proba(&m, X, n, prob);
    want = unit_json_nums(get(c, "proba"), &nw);
    CHECK(nw == n);
    for (size_t i = 0; i < n && i < nw; i++) {
        double diff = fabs(prob[i] - want[i]);
        note_worst(diff, &worst_proba, &worst_proba_case, name);
        if (!(diff <= TOL_PROBA)) {
            fprintf(stderr, "logistic %s: proba[%zu] = %.17g, sklearn %.17g\n", name, i,
                    prob[i], want[i]);
            unit_failures++;
        }
    }
    free(want);
    free(prob);
    double obj = numk(c, "objective"), diff = fabs(m.objective - obj) / fabs(obj);
    note_worst(diff, &worst_obj, &worst_obj_case, name);
    if (!(diff <= TOL_OBJ)) {
        fprintf(stderr, "logistic %s: objective = %.17g, sklearn %.17g\n", name,
                m.objective, obj);
        unit_failures++;
    }
    logit_free(&m);
}

/* X (column-major) and y of a JSON data object or case: "X" a list of
 * columns, "y" 0/1. Caller frees both. */
static void read_xy(const cJSON *d, double **X, size_t *n, size_t *p, unsigned char **y)
{
    const cJSON *cols = get(d, "X"), *colj;
    *p = (size_t)cJSON_GetArraySize(cols);
    size_t ny;
    double *yv = unit_json_nums(get(d, "y"), &ny);
    *n = ny;
    *X = malloc((ny * *p > 0 ? ny * *p : 1) * sizeof **X);
    *y = malloc(ny ? ny : 1);
    size_t j = 0;
    cJSON_ArrayForEach(colj, cols)
    {
        size_t m;
        double *v = unit_json_nums(colj, &m);
        CHECK(m == ny);
        memcpy(*X + j * ny, v, (m < ny ? m : ny) * sizeof *v);
        free(v);
        j++;
    }
    for (size_t i = 0; i < ny; i++)
        (*y)[i] = (unsigned char)yv[i];
    free(yv);
}

static void verbose_report(void)
{
    if (getenv("RGLIT_TEST_VERBOSE"))
        fprintf(stderr,
                "logistic: largest differences: coef %.3g relative (%s), proba %.3g (%s), "
                "objective %.3g relative (%s)\n",
                worst_coef, worst_coef_case, worst_proba, worst_proba_case, worst_obj,
                worst_obj_case);
}

static void test_conformance(void)
{
    cJSON *j = unit_load_json(LOGIT_JSON);
    CHECK(j != NULL);
    if (!j)
        return;
    const cJSON *bc = get(get(j, "data"), "breast_cancer");
    double *Xbc;
    unsigned char *ybc;
    size_t nbc, pbc;
    read_xy(bc, &Xbc, &nbc, &pbc, &ybc);
    CHECK(nbc == (size_t)numk(bc, "n") && pbc == (size_t)numk(bc, "p"));
    const cJSON *c;
    int cases = 0;
    worst_coef = worst_proba = worst_obj = 0;
    cJSON_ArrayForEach(c, get(j, "cases"))
    {
        const cJSON *data = get(c, "data");
        if (cJSON_IsString(data)) {
            CHECK(strcmp(data->valuestring, "breast_cancer") == 0);
            check_case(c, Xbc, nbc, pbc, ybc);
        } else {
            double *X;
            unsigned char *y;
            size_t n, p;
            read_xy(c, &X, &n, &p, &y);
            CHECK(n == (size_t)numk(c, "n") && p == (size_t)numk(c, "p"));
            check_case(c, X, n, p, y);
            free(X);
            free(y);
        }
        cases++;
    }
    CHECK(cases >= 32);
    verbose_report();
    free(Xbc);
    free(ybc);
    cJSON_Delete(j);
}

static int by_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The NSCLC cases: the radiomic columns the case names, standardised with
 * scale.h; y = the gene above its median. */
static void test_nsclc(void)
{
    cJSON *j = unit_load_json(LOGIT_JSON);
    CHECK(j != NULL);
    if (!j)
        return;
    const cJSON *d = get(get(j, "data"), "nsclc");
    if (!d || cJSON_GetArraySize(get(j, "nsclc")) == 0) {
        unit_skip = "logistic.json has no nsclc cases (generated without the data)";
        cJSON_Delete(j);
        return;
    }
    char fa[256], fb[256];
    snprintf(fa, sizeof fa, "%s%s", NSCLC_DIR, get(d, "features")->valuestring);
    snprintf(fb, sizeof fb, "%s%s", NSCLC_DIR, get(d, "genes")->valuestring);
    rg_csv_opts copts = {0};
    rg_frame F, G;
    size_t bytes;
    char sha[65], *err = NULL;
    if (frame_read_csv(fa, "features", &copts, &F, &bytes, sha, &err) != 0) {
        free(err);
        unit_skip = "../shared/data/nsclc-radiogenomics is absent";
        cJSON_Delete(j);
        return;
    }
    if (frame_read_csv(fb, "genes", &copts, &G, &bytes, sha, &err) != 0) {
        fprintf(stderr, "%s\n", err);
        free(err);
        unit_failures++;
        frame_free(&F);
        cJSON_Delete(j);
        return;
    }
    size_t n = F.nrow;
    CHECK(G.nrow == n && n == (size_t)numk(d, "n"));
    const rg_col *gene = frame_col(&G, get(d, "gene")->valuestring);
    CHECK(gene != NULL);
    unsigned char *y = malloc(n);
    double *sorted = malloc(n * sizeof *sorted);
    size_t ones = 0;
    if (gene) {
        memcpy(sorted, gene->num, n * sizeof *sorted);
        qsort(sorted, n, sizeof *sorted, by_double);
        double med = n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        CHECK(med == numk(d, "median"));
        for (size_t i = 0; i < n; i++)
            ones += y[i] = gene->num[i] > med;
    }
    CHECK(ones == (size_t)numk(d, "ones"));
    const cJSON *c;
    int cases = 0;
    worst_coef = worst_proba = worst_obj = 0;
    cJSON_ArrayForEach(c, get(j, "nsclc"))
    {
        const cJSON *names = get(get(d, "columns"), get(c, "columns")->valuestring), *nm;
        size_t p = (size_t)cJSON_GetArraySize(names), k = 0;
        CHECK(p == (size_t)numk(c, "p"));
        double *X = malloc(n * p * sizeof *X);
        cJSON_ArrayForEach(nm, names)
        {
            const rg_col *col = frame_col(&F, nm->valuestring);
            CHECK(col != NULL && col->num != NULL);
            if (col && col->num) {
                rg_scale_col s;
                scale_fit(col->num, n, RG_SCALE_STANDARD, &s);
                scale_apply(&s, col->num, n, X + k * n);
            }
            k++;
        }
        if (gene)
            check_case(c, X, n, p, y);
        free(X);
        cases++;
    }
    CHECK(cases == 8);
    verbose_report();
    free(y);
    free(sorted);
    frame_free(&F);
    frame_free(&G);
    cJSON_Delete(j);
}

/* The error codes; *out is empty after each and logit_free on it harmless. */
static void test_errors(void)
{
    double X[] = {1, 2, 3, 4, 0.5, -1, 2, 0};
    unsigned char y[] = {0, 1, 0, 1}, one[] = {1, 1, 1, 1}, bad[] = {0, 1, 2, 1};
    rg_logit m;
    rg_logit_opts o = logit_default_opts();
    CHECK(logit_fit(X, 4, 2, one, &o, &m) == RG_LOGIT_ONE_CLASS && m.coef == NULL);
    logit_free(&m);
    CHECK(logit_fit(X, 0, 2, y, &o, &m) == RG_LOGIT_ONE_CLASS);
    CHECK(logit_fit(X, 4, 2, bad, &o, &m) == RG_LOGIT_BAD_Y);
    double Xn[] = {1, 2, NAN, 4, 0.5, -1, 2, 0};
    CHECK(logit_fit(Xn, 4, 2, y, &o, &m) == RG_LOGIT_NONFINITE);
    Xn[2] = INFINITY;
    CHECK(logit_fit(Xn, 4, 2, y, &o, &m) == RG_LOGIT_NONFINITE);
    o.C = 0;
    CHECK(logit_fit(X, 4, 2, y, &o, &m) == RG_LOGIT_BAD_OPTS);
    o.C = INFINITY;
    CHECK(logit_fit(X, 4, 2, y, &o, &m) == RG_LOGIT_BAD_OPTS);
    o.C = NAN;
    CHECK(logit_fit(X, 4, 2, y, &o, &m) == RG_LOGIT_BAD_OPTS);
    o.penalty = RG_LOGIT_NONE; /* C is not used without a penalty */
    CHECK(logit_fit(X, 4, 2, y, &o, &m) == 0);
    logit_free(&m);
    o = logit_default_opts();
    o.tol = 0;
    CHECK(logit_fit(X, 4, 2, y, &o, &m) == RG_LOGIT_BAD_OPTS);
    o = logit_default_opts();
    o.penalty = (rg_logit_penalty)7;
    CHECK(logit_fit(X, 4, 2, y, &o, &m) == RG_LOGIT_BAD_OPTS);
    CHECK(m.coef == NULL && m.p == 0);
    logit_free(&m);
    /* no columns: the intercept alone, log(2 / 2) = 0 here */
    CHECK(logit_fit(X, 4, 0, y, NULL, &m) == 0 && m.converged && m.p == 0 &&
          fabs(m.intercept) < 1e-15);
    logit_free(&m);
}

/* Two fits of the same data give the same bits. */
static void test_determinism(void)
{
    cJSON *j = unit_load_json(LOGIT_JSON);
    CHECK(j != NULL);
    if (!j)
        return;
    double *X;
    unsigned char *y;
    size_t n, p;
    read_xy(get(get(j, "data"), "breast_cancer"), &X, &n, &p, &y);
    for (int k = 0; k < 3; k++) {
        rg_logit_opts o = logit_default_opts();
        o.penalty = k == 0 ? RG_LOGIT_L2 : k == 1 ? RG_LOGIT_L1 : RG_LOGIT_L2;
        o.C = k == 2 ? 0.3 : 100;
        o.fit_intercept = k != 2;
        rg_logit a, b;
        CHECK(logit_fit(X, n, p, y, &o, &a) == 0);
        CHECK(logit_fit(X, n, p, y, &o, &b) == 0);
        CHECK(memcmp(a.coef, b.coef, p * sizeof *a.coef) == 0);
        CHECK(a.intercept == b.intercept && a.objective == b.objective &&
              a.n_iter == b.n_iter);
        logit_free(&a);
        logit_free(&b);
    }
    free(X);
    free(y);
    cJSON_Delete(j);
}

/* Separable data: no finite optimum without a penalty (the fit stops as
 * soon as its coefficients separate the classes), a finite one with L2. */
static void test_separable(void)
{
    double X[] = {-2,  -1.5, -0.5, 0.4, 1.2,  2.5, /* x1 separates */
                  0.3, -0.2, 1.1,  0.8, -0.6, 0.1};
    unsigned char y[] = {0, 0, 0, 1, 1, 1};
    rg_logit_opts o = logit_default_opts();
    rg_logit m;
    o.penalty = RG_LOGIT_NONE;
    CHECK(logit_fit(X, 6, 2, y, &o, &m) == 0 && m.separated && !m.converged);
    for (size_t i = 0; i < 6; i++) {
        double prob;
        double row[] = {X[i], X[6 + i]};
        logit_predict_proba(&m, row, 1, &prob);
        CHECK((prob > 0.5) == (y[i] == 1));
    }
    logit_free(&m);
    o.penalty = RG_LOGIT_L2;
    o.C = 1e6;
    CHECK(logit_fit(X, 6, 2, y, &o, &m) == 0 && m.converged && !m.separated);
    logit_free(&m);
    /* not separable: converges without a penalty */
    unsigned char y2[] = {0, 1, 0, 1, 0, 1};
    o.penalty = RG_LOGIT_NONE;
    CHECK(logit_fit(X, 6, 2, y2, &o, &m) == 0 && m.converged && !m.separated);
    logit_free(&m);
}

/* Dependent columns: without a penalty the fit converges and the weight of
 * a duplicated column is shared (the sum is that of one copy); with L1 the
 * weight of a column and its double goes all to the double (half the L1
 * cost), as liblinear's optimum. */
static void test_dependent_columns(void)
{
    enum { N = 12 };
    double a[N] = {0.3, -1.2, 0.8, 1.5, -0.4, 2.1, -1.7, 0.1, 0.9, -0.6, 1.1, -2.0};
    double b[N] = {1.0, 0.2, -0.7, 0.4, 1.3, -1.1, 0.6, -0.2, -1.4, 0.8, 0.05, 0.5};
    unsigned char y[N] = {0, 0, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1};
    double X3[3 * N], X2[2 * N], Xl[3 * N], Xs[2 * N];
    for (size_t i = 0; i < N; i++) {
        X3[i] = X3[2 * N + i] = X2[i] = a[i];
        X3[N + i] = X2[N + i] = b[i];
        Xl[i] = Xs[i] = a[i];
        Xl[N + i] = b[i];
        Xl[2 * N + i] = Xs[N + i] = 2 * b[i];
    }
    rg_logit_opts o = logit_default_opts();
    rg_logit m3, m2;
    o.penalty = RG_LOGIT_NONE;
    CHECK(logit_fit(X3, N, 3, y, &o, &m3) == 0 && m3.converged && !m3.separated);
    CHECK(logit_fit(X2, N, 2, y, &o, &m2) == 0 && m2.converged);
    CHECK_NEAR(m3.coef[0] + m3.coef[2], m2.coef[0], 1e-8);
    CHECK_NEAR(m3.coef[1], m2.coef[1], 1e-8);
    CHECK_NEAR(m3.intercept, m2.intercept, 1e-8);
    CHECK_NEAR(m3.objective, m2.objective, 1e-12);
    logit_free(&m3);
    logit_free(&m2);
    o.penalty = RG_LOGIT_L1;
    o.C = 2;
    CHECK(logit_fit(Xl, N, 3, y, &o, &m3) == 0 && m3.converged);
    CHECK(logit_fit(Xs, N, 2, y, &o, &m2) == 0 && m2.converged);
    CHECK(m2.coef[1] != 0 && m3.coef[1] == 0);
    CHECK_NEAR(m3.coef[0], m2.coef[0], 1e-8);
    CHECK_NEAR(m3.coef[2], m2.coef[1], 1e-8);
    CHECK_NEAR(m3.objective, m2.objective, 1e-12);
    logit_free(&m3);
    logit_free(&m2);
}

/* max_iter bounds the iterations; the last iterate is returned. */
static void test_max_iter(void)
{
    double X[] = {-2, -1.5, -0.5, 0.4, 1.2, 2.5, 0.3, -0.2, 1.1, 0.8, -0.6, 0.1};
    unsigned char y[] = {0, 1, 0, 1, 1, 0};
    rg_logit_opts o = logit_default_opts();
    rg_logit m, full;
    for (int k = 0; k < 2; k++) {
        o.penalty = k ? RG_LOGIT_L1 : RG_LOGIT_L2;
        o.C = 10;
        o.max_iter = 1;
        CHECK(logit_fit(X, 6, 2, y, &o, &m) == 0 && !m.converged && m.n_iter == 1);
        o.max_iter = 0;
        CHECK(logit_fit(X, 6, 2, y, &o, &full) == 0 && full.converged);
        CHECK(full.objective < m.objective);
        logit_free(&m);
        logit_free(&full);
    }
}

/* Probabilities far in the tails are exact: no NaN, no 1 - p cancellation. */
static void test_predict_tails(void)
{
    double coef[] = {1.0};
    rg_logit m = {1, coef, 0.5, 0, 1, 0, 0};
    double X[] = {-800, 800, -40.5, 0};
    double prob[4];
    logit_predict_proba(&m, X, 4, prob);
    CHECK(prob[0] == 0 && prob[1] == 1);
    CHECK_NEAR(prob[2], exp(-40), 1e-15);
    CHECK(fabs(prob[2] / exp(-40) - 1) < 1e-14);
    CHECK_NEAR(prob[3], 1 / (1 + exp(-0.5)), 1e-16);
}

const unit_test logistic_tests[] = {{"logistic_conformance", test_conformance},
                                    {"logistic_nsclc", test_nsclc},
                                    {"logistic_errors", test_errors},
                                    {"logistic_determinism", test_determinism},
                                    {"logistic_separable", test_separable},
                                    {"logistic_dependent_columns", test_dependent_columns},
                                    {"logistic_max_iter", test_max_iter},
                                    {"logistic_predict_tails", test_predict_tails},
                                    {NULL, NULL}};
