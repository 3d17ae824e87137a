/* tests/unit/test_stats_ref.c — the two-sample tests, OLS, ROC and feature
 * scaling against their references: tests/conformance/tests.json was written
 * by R (t.test, wilcox.test, lm/summary.lm, pROC; gen_tests.R) and
 * tests/conformance/scale.json by scikit-learn (gen_scale.py). The inputs are
 * stored with the expected values, so no R or Python is needed here.
 *
 * Everything agrees to 1e-10 relative (absolute below 1e-300), p-values of
 * the exact Wilcoxon distribution and the DeLong variance and CI included,
 * with these exceptions, where the reference itself is only that good:
 *   - pROC thresholds are compared exactly: they are (a + b) / 2 of
 *     consecutive distinct scores (a / 2 + b / 2 above 1e100), bit for bit,
 *     except that a midpoint rounding onto a score is moved to b for "<" and
 *     to a for ">" (pROC's roc.utils.thresholds);
 *   - OLS fitted values and residuals also get 1e-10 * max |y| absolute, and
 *     a coefficient 1e-10 * its standard error;
 *   - a perfect OLS fit ("note": "perfect") compares only coef, fitted,
 *     R^2 and that sigma is ~0: R's se, t, p and F there are rounding noise;
 *   - the scalers' statistics and transforms get, besides 1e-10 relative, the
 *     rounding a correctly computed value carries from cancellation:
 *     64 eps (|x| + |mean_|) / scale_ for a StandardScaler transform,
 *     64 eps (|x scale_| + |min_|) for MinMaxScaler's x * scale_ + min_,
 *     64 eps max|x| for mean_ and 8 eps max|x| (sd + eps max|x|) for var_;
 *   - pROC stores a ">" curve with decreasing thresholds; rglit's are always
 *     increasing, so for ">" the reference vectors are read backwards. The
 *     Youden point is pROC's first row of coords(r, "best") in pROC's order
 *     (specificity increasing: for ">" the highest tied threshold). */
#include <cJSON.h>
#include <float.h>
#include <stdlib.h>
#include <string.h>

#include "stats/ols.h"
#include "stats/roc.h"
#include "stats/scale.h"
#include "stats/tests.h"
#include "unit.h"

#define TESTS_JSON "tests/conformance/tests.json"
#define SCALE_JSON "tests/conformance/scale.json"
#define TOL 1e-10

static const cJSON *get(const cJSON *o, const char *key)
{
    return cJSON_GetObjectItemCaseSensitive(o, key);
}

static double numk(const cJSON *o, const char *key) { return unit_json_num(get(o, key)); }

static const char *strk(const cJSON *o, const char *key)
{
    const cJSON *v = get(o, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* got agrees with want: both NaN, equal (infinities included), or within
 * TOL relative (absolute below 1e-300) plus abs_tol. */
static int near(double got, double want, double abs_tol)
{
    if (isnan(want) || isnan(got))
        return isnan(want) && isnan(got);
    if (got == want)
        return 1;
    if (isinf(want) || isinf(got))
        return 0;
    double scale = fabs(want) > 1e-300 ? fabs(want) : 1;
    return fabs(got - want) <= TOL * scale + abs_tol;
}

/* The current file, section and case, for messages. */
static const char *cur_file = "", *cur_section = "", *cur_case = "", *cur_variant = "";

static void report(const char *field, double got, double want, const char *how)
{
    fprintf(stderr, "%s: %s case %s%s%s: %s = %.17g, reference %.17g%s\n", cur_file,
            cur_section, cur_case, *cur_variant ? " " : "", cur_variant, field, got, want,
            how);
    unit_failures++;
}

static void expect(const char *field, double got, double want, double abs_tol)
{
    if (!near(got, want, abs_tol))
        report(field, got, want, "");
}

/* Bit for bit (both NaN, or ==; +0 and -0 alike). */
static void expect_exact(const char *field, double got, double want)
{
    if (!(got == want || (isnan(got) && isnan(want))))
        report(field, got, want, " (exact)");
}

static void expect_int(const char *field, long got, long want)
{
    if (got != want)
        report(field, (double)got, (double)want, "");
}

/* Every element of the JSON array key of c against got[0..n). */
static void expect_vec(const cJSON *c, const char *key, const double *got, size_t n,
                       double abs_tol)
{
    size_t nw;
    double *want = unit_json_nums(get(c, key), &nw);
    char field[64];
    if (nw != n) {
        snprintf(field, sizeof field, "length of %s", key);
        report(field, (double)n, (double)nw, "");
    }
    for (size_t i = 0; i < n && i < nw; i++) {
        snprintf(field, sizeof field, "%s[%zu]", key, i);
        expect(field, got[i], want[i], abs_tol);
    }
    free(want);
}

static void set_case(const char *file, const char *section, const cJSON *c,
                     const char *variant)
{
    cur_file = file;
    cur_section = section;
    cur_case = strk(c, "case") ? strk(c, "case") : "?";
    cur_variant = variant;
}

/* ------------------------------------------------------------- t.test ---- */

static void test_t_test(void)
{
    cJSON *j = unit_load_json(TESTS_JSON);
    CHECK(j != NULL);
    if (!j)
        return;
    int count = 0;
    const cJSON *c;
    cJSON_ArrayForEach(c, get(j, "t_test"))
    {
        int pooled = (int)numk(c, "pooled");
        set_case(TESTS_JSON, "t_test", c, pooled ? "(pooled)" : "(Welch)");
        size_t nx, ny;
        double *x = unit_json_nums(get(c, "x"), &nx);
        double *y = unit_json_nums(get(c, "y"), &ny);
        rg_ttest r;
        memset(&r, 0, sizeof r);
        CHECK(ttest(x, nx, y, ny, pooled, &r) == 0);
        const char *err = strk(c, "error");
        if (err) {
            int want = strcmp(err, "constant") == 0 ? RG_TEST_CONSTANT : RG_TEST_TOO_FEW;
            if ((int)r.status != want) {
                fprintf(stderr, "%s: t_test case %s %s: status %d, want %d (R stops: %s)\n",
                        cur_file, cur_case, cur_variant, (int)r.status, want,
                        strk(c, "r_message"));
                unit_failures++;
            }
        } else {
            expect_int("status", (long)r.status, RG_TEST_OK);
            expect_int("nx", (long)r.nx, (long)numk(c, "nx"));
            expect_int("ny", (long)r.ny, (long)numk(c, "ny"));
            expect("t", r.t, numk(c, "t"), 0);
            expect("df", r.df, numk(c, "df"), 0);
            expect("p", r.p, numk(c, "p"), 0);
            expect("lower", r.lower, numk(c, "lower"), 0);
            expect("upper", r.upper, numk(c, "upper"), 0);
            expect("mean_x", r.mean_x, numk(c, "mean_x"), 0);
            expect("mean_y", r.mean_y, numk(c, "mean_y"), 0);
            expect("stderr", r.se, numk(c, "stderr"), 0);
        }
        free(x);
        free(y);
        count++;
    }
    CHECK(count > 0);
    cJSON_Delete(j);
}

/* -------------------------------------------------------- wilcox.test ---- */

static void test_mann_whitney(void)
{
    cJSON *j = unit_load_json(TESTS_JSON);
    CHECK(j != NULL);
    if (!j)
        return;
    int count = 0;
    const cJSON *c;
    cJSON_ArrayForEach(c, get(j, "mann_whitney"))
    {
        int exact_arg = (int)numk(c, "exact_arg"), correct = (int)numk(c, "correct");
        char variant[48];
        snprintf(variant, sizeof variant, "(exact=%s, correct=%d)",
                 exact_arg < 0 ? "NULL"
                 : exact_arg   ? "TRUE"
                               : "FALSE",
                 correct);
        set_case(TESTS_JSON, "mann_whitney", c, variant);
        size_t nx, ny;
        double *x = unit_json_nums(get(c, "x"), &nx);
        double *y = unit_json_nums(get(c, "y"), &ny);
        rg_mwtest r;
        memset(&r, 0, sizeof r);
        int rc = mwtest(x, nx, y, ny, exact_arg, correct, &r);
        expect_int("return value", rc, 0);
        if (strk(c, "error")) {
            expect_int("status (R stops: not enough observations)", (long)r.status,
                       RG_TEST_TOO_FEW);
        } else if (rc == 0) {
            expect_int("status", (long)r.status, RG_TEST_OK);
            expect_int("nx", (long)r.nx, (long)numk(c, "nx"));
            expect_int("ny", (long)r.ny, (long)numk(c, "ny"));
            expect_int("exact", r.exact, (long)numk(c, "exact"));
            expect_int("ties", r.ties, (long)numk(c, "ties"));
            expect("U (R's W)", r.U, numk(c, "U"), 0);
            expect("p", r.p, numk(c, "p"), 0);
            expect("z", r.z, numk(c, "z"), 0);
        }
        free(x);
        free(y);
        count++;
    }
    CHECK(count > 0);
    cJSON_Delete(j);
}

/* ----------------------------------------------------------------- lm ---- */

static void check_ols(const cJSON *c)
{
    int intercept = (int)numk(c, "intercept");
    const char *note = strk(c, "note");
    int perfect = note && strcmp(note, "perfect") == 0;
    size_t n, kx = (size_t)cJSON_GetArraySize(get(c, "X"));
    double *y = unit_json_nums(get(c, "y"), &n);
    double **cols = calloc(kx ? kx : 1, sizeof *cols);
    const double **ccols = calloc(kx ? kx : 1, sizeof *ccols);
    size_t i = 0;
    const cJSON *col;
    cJSON_ArrayForEach(col, get(c, "X"))
    {
        size_t m;
        cols[i] = unit_json_nums(col, &m);
        CHECK(m == n);
        ccols[i] = cols[i];
        i++;
    }
    size_t k = (size_t)numk(c, "k"); /* design columns, intercept included */
    CHECK(k == kx + (intercept != 0));

    double ymax = 0;
    for (i = 0; i < n; i++)
        ymax = fabs(y[i]) > ymax ? fabs(y[i]) : ymax;

    rg_ols o;
    memset(&o, 0, sizeof o);
    int rc = ols_fit(y, ccols, n, kx, intercept, &o);
    size_t rank = (size_t)numk(c, "rank");
    expect_int("return value", rc, n <= rank ? 1 : 0);
    if (rc >= 0) {
        expect_int("k", (long)o.k, (long)k);
        expect_int("n", (long)o.n, (long)n);
        expect_int("rank", (long)o.rank, (long)rank);
        expect("df", o.df, numk(c, "df"), 0);
        expect_int("perfect_fit", o.perfect_fit, perfect);
        size_t na;
        double *al = unit_json_nums(get(c, "aliased"), &na);
        double *se_want = unit_json_nums(get(c, "se"), &na);
        for (i = 0; i < k && i < na && o.aliased; i++) {
            char field[48];
            snprintf(field, sizeof field, "aliased[%zu]", i);
            expect_int(field, o.aliased[i], (long)al[i]);
        }
        if (o.coef) {
            /* coef: also 1e-10 of its standard error (of 1e-10 max|y| in a
             * perfect fit, where the se is noise) */
            double *cw = unit_json_nums(get(c, "coef"), &na);
            for (i = 0; i < k && i < na; i++) {
                char field[32];
                snprintf(field, sizeof field, "coef[%zu]", i);
                double extra = perfect                ? TOL * ymax
                               : isfinite(se_want[i]) ? TOL * se_want[i]
                                                      : 0;
                expect(field, o.coef[i], cw[i], extra);
            }
            free(cw);
        }
        if (o.fitted)
            expect_vec(c, "fitted", o.fitted, n, TOL * ymax);
        if (o.resid)
            expect_vec(c, "resid", o.resid, n, TOL * ymax);
        if (perfect) {
            if (!(o.sigma <= TOL * ymax))
                report("sigma (perfect fit: ~0)", o.sigma, numk(c, "sigma"), "");
            expect("r_squared", o.r2, numk(c, "r_squared"), TOL);
        } else {
            if (o.se)
                expect_vec(c, "se", o.se, k, 0);
            if (o.t)
                expect_vec(c, "t", o.t, k, 0);
            if (o.p)
                expect_vec(c, "p", o.p, k, 0);
            expect("sigma", o.sigma, numk(c, "sigma"), 0);
            expect("r_squared", o.r2, numk(c, "r_squared"), 0);
            expect("adj_r_squared", o.adj_r2, numk(c, "adj_r_squared"), 0);
            expect("fstatistic", o.fstat, numk(c, "fstatistic"), 0);
            if (!isnan(numk(c, "f_numdf"))) { /* R gives the df even when F is NaN */
                expect("f_numdf", o.fdf1, numk(c, "f_numdf"), 0);
                expect("f_dendf", o.fdf2, numk(c, "f_dendf"), 0);
            }
            expect("f_p", o.fp, numk(c, "f_p"), 0);
        }
        free(al);
        free(se_want);
        ols_free(&o);
    }
    for (i = 0; i < kx; i++)
        free(cols[i]);
    free(cols);
    free(ccols);
    free(y);
}

static void test_ols(void)
{
    cJSON *j = unit_load_json(TESTS_JSON);
    CHECK(j != NULL);
    if (!j)
        return;
    int count = 0;
    const cJSON *c;
    cJSON_ArrayForEach(c, get(j, "ols"))
    {
        set_case(TESTS_JSON, "ols", c, numk(c, "intercept") != 0 ? "" : "(no intercept)");
        check_ols(c);
        count++;
    }
    CHECK(count > 0);
    cJSON_Delete(j);
}

/* --------------------------------------------------------------- pROC ---- */

static void check_roc(const cJSON *c)
{
    size_t n, nl;
    double *scores = unit_json_nums(get(c, "scores"), &n);
    double *lab = unit_json_nums(get(c, "labels"), &nl);
    CHECK(n == nl);
    /* pROC drops the rows with NA (na.rm = TRUE) */
    int *labels = malloc((n ? n : 1) * sizeof *labels);
    size_t m = 0;
    for (size_t i = 0; i < n && i < nl; i++)
        if (!isnan(scores[i]) && !isnan(lab[i])) {
            scores[m] = scores[i];
            labels[m++] = (int)lab[i];
        }
    const char *d = strk(c, "direction");
    char dir = strcmp(d, "<") == 0 ? '<' : strcmp(d, ">") == 0 ? '>' : 'a';

    rg_roc r;
    memset(&r, 0, sizeof r);
    int rc = roc_compute(scores, labels, m, dir, &r);
    expect_int("return value", rc, 0);
    if (rc == 0) {
        expect_int("n_cases", (long)r.n_cases, (long)numk(c, "n_cases"));
        expect_int("n_controls", (long)r.n_controls, (long)numk(c, "n_controls"));
        expect_int("greater (direction \">\" used)", r.greater,
                   strcmp(strk(c, "direction_used"), ">") == 0);
        /* pROC's order has specificity increasing: thresholds increasing for
         * "<", decreasing for ">"; rglit's increase for both. */
        int rev = strcmp(strk(c, "direction_used"), ">") == 0;
        size_t mt, ms, mp;
        double *thr = unit_json_nums(get(c, "thresholds"), &mt);
        double *se = unit_json_nums(get(c, "sensitivities"), &ms);
        double *sp = unit_json_nums(get(c, "specificities"), &mp);
        CHECK(ms == mt && mp == mt);
        expect_int("number of thresholds", (long)r.m, (long)mt);
        for (size_t i = 0; i < mt && i < r.m; i++) {
            size_t ir = rev ? mt - 1 - i : i;
            char field[64];
            snprintf(field, sizeof field, "thresholds[%zu]", i);
            expect_exact(field, r.thresholds[i], thr[ir]);
            snprintf(field, sizeof field, "sensitivities[%zu] (threshold %g)", i, thr[ir]);
            expect(field, r.sens[i], se[ir], 0);
            snprintf(field, sizeof field, "specificities[%zu] (threshold %g)", i, thr[ir]);
            expect(field, r.spec[i], sp[ir], 0);
        }
        free(thr);
        free(se);
        free(sp);
        expect("auc", r.auc, numk(c, "auc"), 0);
        expect("var (DeLong)", r.var, numk(c, "var"), 0);
        expect("ci_lower (DeLong)", r.lower, numk(c, "ci_lower"), 0);
        expect("ci_upper (DeLong)", r.upper, numk(c, "ci_upper"), 0);
        expect_exact("youden_threshold", r.youden_threshold, numk(c, "youden_threshold"));
        expect("youden_sensitivity", r.youden_sens, numk(c, "youden_sensitivity"), 0);
        expect("youden_specificity", r.youden_spec, numk(c, "youden_specificity"), 0);
        expect_int("youden_ties", (long)r.youden_ties, (long)numk(c, "youden_ties"));
        roc_free(&r);
    }
    free(scores);
    free(lab);
    free(labels);
}

static void test_roc(void)
{
    cJSON *j = unit_load_json(TESTS_JSON);
    CHECK(j != NULL);
    if (!j)
        return;
    int count = 0;
    const cJSON *c;
    cJSON_ArrayForEach(c, get(j, "roc"))
    {
        char variant[32];
        snprintf(variant, sizeof variant, "(direction %s)", strk(c, "direction"));
        set_case(TESTS_JSON, "roc", c, variant);
        check_roc(c);
        count++;
    }
    CHECK(count > 0);
    cJSON_Delete(j);
}

/* -------------------------------------------------------------- scale ---- */

/* The reference value i of the array key of the object o. */
static double at(const cJSON *o, const char *key, size_t i)
{
    return unit_json_num(cJSON_GetArrayItem(get(o, key), (int)i));
}

static void check_scale_column(const cJSON *ref, rg_scale_kind kind, size_t jcol,
                               const double *train, size_t ntr, const double *test,
                               size_t nte)
{
    rg_scale_col f;
    memset(&f, 0, sizeof f);
    scale_fit(train, ntr, kind, &f);
    double xmax = 0;
    for (size_t i = 0; i < ntr; i++)
        if (fabs(train[i]) > xmax)
            xmax = fabs(train[i]);
    const double eps = DBL_EPSILON;
    int constant = (int)at(ref, "constant", jcol);
    double scale = at(ref, "scale_", jcol);
    expect_int("kind", (long)f.kind, (long)kind);
    expect_int("constant", f.constant, constant);
    if (constant)
        expect_exact("scale_ (constant column)", f.scale, 1);

    switch (kind) {
    case RG_SCALE_STANDARD: {
        double mean = at(ref, "mean_", jcol), var = at(ref, "var_", jcol);
        double sd = sqrt(var);
        expect_int("n_samples_seen_", (long)f.n_valid,
                   (long)at(ref, "n_samples_seen_", jcol));
        expect("mean_", f.mean, mean, 64 * eps * xmax);
        expect("var_", f.var, var, 8 * eps * xmax * (sd + eps * xmax));
        if (!constant)
            expect("scale_", f.scale, scale, 8 * eps * xmax);
        break;
    }
    case RG_SCALE_MINMAX:
        expect("data_min_", f.min, at(ref, "data_min_", jcol), 0);
        expect("data_max_", f.max, at(ref, "data_max_", jcol), 0);
        if (!constant)
            expect("scale_", f.scale, scale, 0);
        expect("min_", f.min_, at(ref, "min_", jcol), 0);
        break;
    case RG_SCALE_MAXABS:
        expect("max_abs_", f.max, at(ref, "max_abs_", jcol), 0);
        if (!constant)
            expect("scale_", f.scale, scale, 0);
        break;
    }

    double *got = malloc((nte ? nte : 1) * sizeof *got);
    scale_apply(&f, test, nte, got);
    const cJSON *tcol = cJSON_GetArrayItem(get(ref, "transformed"), (int)jcol);
    CHECK((size_t)cJSON_GetArraySize(tcol) == nte);
    for (size_t i = 0; i < nte; i++) {
        char field[64];
        snprintf(field, sizeof field, "transformed[%zu] (x = %.17g)", i, test[i]);
        /* the rounding the reference's own operations carry */
        double cancel = 0;
        if (kind == RG_SCALE_STANDARD)
            cancel =
                64 * eps * (fabs(test[i]) + fabs(at(ref, "mean_", jcol))) / fabs(scale);
        else if (kind == RG_SCALE_MINMAX)
            cancel = 64 * eps * (fabs(test[i] * scale) + fabs(at(ref, "min_", jcol)));
        expect(field, got[i], unit_json_num(cJSON_GetArrayItem(tcol, (int)i)),
               isfinite(cancel) ? cancel : 0);
    }
    free(got);
}

static void test_scale(void)
{
    cJSON *j = unit_load_json(SCALE_JSON);
    CHECK(j != NULL);
    if (!j)
        return;
    static const char *const kinds[] = {"standard", "minmax", "maxabs"};
    int count = 0;
    const cJSON *c;
    cJSON_ArrayForEach(c, get(j, "cases"))
    {
        const cJSON *trc = get(c, "train"), *tec = get(c, "test");
        size_t p = (size_t)cJSON_GetArraySize(trc);
        CHECK((size_t)cJSON_GetArraySize(tec) == p);
        for (size_t k = 0; k < 3; k++) {
            rg_scale_kind kind;
            CHECK(scale_kind(kinds[k], &kind) == 0);
            for (size_t jcol = 0; jcol < p; jcol++) {
                char variant[96];
                const char *cname =
                    cJSON_GetArrayItem(get(c, "names"), (int)jcol)->valuestring;
                snprintf(variant, sizeof variant, "(%s, column %s)", kinds[k], cname);
                set_case(SCALE_JSON, "scale", c, variant);
                size_t ntr, nte;
                double *train = unit_json_nums(cJSON_GetArrayItem(trc, (int)jcol), &ntr);
                double *test = unit_json_nums(cJSON_GetArrayItem(tec, (int)jcol), &nte);
                check_scale_column(get(c, kinds[k]), kind, jcol, train, ntr, test, nte);
                free(train);
                free(test);
            }
        }
        count++;
    }
    rg_scale_kind kind;
    CHECK(scale_kind("robust", &kind) == -1);
    CHECK(count > 0);
    cJSON_Delete(j);
}

const unit_test stats_ref_tests[] = {
    {"ref_t_test", test_t_test}, {"ref_mann_whitney", test_mann_whitney},
    {"ref_ols", test_ols},       {"ref_roc", test_roc},
    {"ref_scale", test_scale},   {NULL, NULL}};
