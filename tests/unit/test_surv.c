/* tests/unit/test_surv.c — survival analysis against R's survival package:
 * tests/conformance/surv.json (gen_surv.R) holds the inputs and what
 * survdiff, survfit, summary.survfit, coxph and cox.zph give. 1e-10
 * relative for the closed forms (log-rank, Kaplan-Meier), 1e-6 for the
 * iterated Cox fits. */
#include <stdlib.h>
#include <string.h>

#include "stats/cox.h"
#include "stats/surv.h"
#include "unit.h"

#define SURV_JSON "tests/conformance/surv.json"

#define TOL_CLOSED 1e-10
#define TOL_COX 1e-6

static int close_to(double got, double want, double tol)
{
    if (got == want) /* infinities too */
        return 1;
    if (isnan(want))
        return isnan(got);
    return fabs(got - want) <= tol * (fabs(want) > 1e-300 ? fabs(want) : 1) ||
           fabs(got - want) <= tol * 1e-3; /* sums that cancel to 0 in R */
}

/* The array field of case c (named name, of test what) against got[0..n):
 * the same length and every value close_to within tol. */
static void check_array_tol(const char *what, const char *name, const cJSON *c,
                            const char *field, const double *got, size_t n, double tol)
{
    size_t m;
    double *want = unit_json_nums(cJSON_GetObjectItem(c, field), &m);
    if (m != n) {
        fprintf(stderr, "%s %s: %s has %zu values, R %zu\n", what, name, field, n, m);
        unit_failures++;
    }
    for (size_t i = 0; i < m && i < n; i++)
        if (!close_to(got[i], want[i], tol)) {
            fprintf(stderr, "%s %s: %s[%zu] = %.17g, R %.17g\n", what, name, field, i, got[i],
                    want[i]);
            unit_failures++;
        }
    free(want);
}

static void check_array(const char *what, const char *name, const cJSON *c, const char *field,
                        const double *got, size_t n)
{
    check_array_tol(what, name, c, field, got, n, TOL_CLOSED);
}

static void check_value(const char *what, const char *name, const char *field, double got,
                        double want, double tol)
{
    if (!close_to(got, want, tol)) {
        fprintf(stderr, "%s %s: %s = %.17g, R %.17g\n", what, name, field, got, want);
        unit_failures++;
    }
}

static void check_scalar(const char *what, const char *name, const cJSON *c, const char *field,
                         double got)
{
    check_value(what, name, field, got, unit_json_num(cJSON_GetObjectItem(c, field)),
                TOL_CLOSED);
}

/* index of the string s in the JSON string array a, or -1 */
static long label_index(const cJSON *a, const char *s)
{
    long i = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, a)
    {
        if (strcmp(e->valuestring, s) == 0)
            return i;
        i++;
    }
    return -1;
}

static void test_logrank(void)
{
    cJSON *j = unit_load_json(SURV_JSON);
    CHECK(j != NULL);
    if (!j)
        return;
    const cJSON *c;
    int cases = 0;
    cJSON_ArrayForEach(c, cJSON_GetObjectItem(j, "logrank"))
    {
        const char *name = cJSON_GetObjectItem(c, "case")->valuestring;
        size_t n, ns, k;
        double *time = unit_json_nums(cJSON_GetObjectItem(c, "time"), &n);
        double *st = unit_json_nums(cJSON_GetObjectItem(c, "status"), &ns);
        const cJSON *levels = cJSON_GetObjectItem(c, "levels");
        const cJSON *groups = cJSON_GetObjectItem(c, "group");
        const cJSON *strata = cJSON_GetObjectItem(c, "strata");
        k = (size_t)cJSON_GetArraySize(levels);
        int *status = malloc(n * sizeof *status);
        size_t *g = malloc(n * sizeof *g), *s = malloc(n * sizeof *s);
        cJSON *seen = cJSON_CreateArray();
        for (size_t i = 0; i < n; i++) {
            status[i] = (int)st[i];
            g[i] = (size_t)label_index(levels, cJSON_GetArrayItem(groups, (int)i)->valuestring);
            if (cJSON_IsArray(strata)) {
                const char *sv = cJSON_GetArrayItem(strata, (int)i)->valuestring;
                long at = label_index(seen, sv);
                if (at < 0) {
                    cJSON_AddItemToArray(seen, cJSON_CreateString(sv));
                    at = cJSON_GetArraySize(seen) - 1;
                }
                s[i] = (size_t)at;
            }
        }
        rg_logrank r;
        CHECK(logrank(time, status, g, k, cJSON_IsArray(strata) ? s : NULL, n, &r) == 0);
        check_array("logrank", name, c, "n", r.n, k);
        check_array("logrank", name, c, "observed", r.observed, k);
        check_array("logrank", name, c, "expected", r.expected, k);
        check_array("logrank", name, c, "var", r.var, k * k);
        check_scalar("logrank", name, c, "chisq", r.chisq);
        check_scalar("logrank", name, c, "df", r.df);
        check_scalar("logrank", name, c, "p", r.p);
        logrank_free(&r);
        cJSON_Delete(seen);
        free(time);
        free(st);
        free(status);
        free(g);
        free(s);
        cases++;
    }
    CHECK(cases >= 14);
    cJSON_Delete(j);
}

/* The curve of a "km" or "km_at" case: survfit of its time_in and status
 * with its conf_type. Returns km_fit's result. */
static int km_case_fit(const cJSON *c, rg_km *k)
{
    const char *ctn = cJSON_GetObjectItem(c, "conf_type")->valuestring;
    rg_km_conf ct = strcmp(ctn, "log") == 0       ? RG_KM_LOG
                    : strcmp(ctn, "log-log") == 0 ? RG_KM_LOGLOG
                                                  : RG_KM_PLAIN;
    size_t n, ns;
    double *time = unit_json_nums(cJSON_GetObjectItem(c, "time_in"), &n);
    double *st = unit_json_nums(cJSON_GetObjectItem(c, "status"), &ns);
    int *status = malloc((n ? n : 1) * sizeof *status);
    for (size_t i = 0; i < n; i++)
        status[i] = (int)st[i];
    int rc = km_fit(time, status, n, ct, 0.95, k);
    free(time);
    free(st);
    free(status);
    return rc;
}

static void test_km(void)
{
    cJSON *j = unit_load_json(SURV_JSON);
    CHECK(j != NULL);
    if (!j)
        return;
    const cJSON *c;
    int cases = 0;
    cJSON_ArrayForEach(c, cJSON_GetObjectItem(j, "km"))
    {
        const char *name = cJSON_GetObjectItem(c, "case")->valuestring;
        const char *ctn = cJSON_GetObjectItem(c, "conf_type")->valuestring;
        rg_km k;
        CHECK(km_case_fit(c, &k) == 0);
        char what[32];
        snprintf(what, sizeof what, "km (%s)", ctn);
        check_array(what, name, c, "time", k.time, k.m);
        check_array(what, name, c, "n_risk", k.n_risk, k.m);
        check_array(what, name, c, "n_event", k.n_event, k.m);
        check_array(what, name, c, "n_censor", k.n_censor, k.m);
        check_array(what, name, c, "surv", k.surv, k.m);
        check_array(what, name, c, "std_err", k.std_err, k.m);
        check_array(what, name, c, "lower", k.lower, k.m);
        check_array(what, name, c, "upper", k.upper, k.m);
        check_scalar(what, name, c, "median", k.median);
        check_scalar(what, name, c, "median_lower", k.median_lower);
        check_scalar(what, name, c, "median_upper", k.median_upper);
        km_free(&k);
        cases++;
    }
    CHECK(cases >= 42);
    cJSON_Delete(j);
}

static void test_km_at(void)
{
    cJSON *j = unit_load_json(SURV_JSON);
    CHECK(j != NULL);
    if (!j)
        return;
    const cJSON *c;
    int cases = 0;
    cJSON_ArrayForEach(c, cJSON_GetObjectItem(j, "km_at"))
    {
        const char *name = cJSON_GetObjectItem(c, "case")->valuestring;
        const char *ctn = cJSON_GetObjectItem(c, "conf_type")->valuestring;
        size_t na;
        double *at = unit_json_nums(cJSON_GetObjectItem(c, "at"), &na);
        rg_km k;
        CHECK(km_case_fit(c, &k) == 0);
        rg_km_row *rows = malloc((na ? na : 1) * sizeof *rows);
        km_at(&k, at, na, rows);
        /* R drops the times past the last follow-up; they are the last rows */
        size_t kept = 0;
        while (kept < na && !rows[kept].past_end)
            kept++;
        for (size_t r = kept; r < na; r++)
            CHECK(rows[r].past_end && isnan(rows[r].surv) && rows[r].n_risk == 0);
        double *col = malloc((na ? na : 1) * sizeof *col);
        static const char *const fields[] = {"time", "n_risk", "n_event", "n_censor",
                                             "surv", "std_err", "lower", "upper"};
        char what[40];
        snprintf(what, sizeof what, "km at (%s)", ctn);
        for (size_t f = 0; f < sizeof fields / sizeof *fields; f++) {
            for (size_t r = 0; r < kept; r++) {
                const rg_km_row *w = &rows[r];
                const double v[] = {w->time, w->n_risk,   w->n_event, w->n_censor,
                                    w->surv, w->std_err, w->lower,   w->upper};
                col[r] = v[f];
            }
            check_array(what, name, c, fields[f], col, kept);
        }
        free(col);
        free(rows);
        km_free(&k);
        free(at);
        cases++;
    }
    CHECK(cases >= 15);
    cJSON_Delete(j);
}

/* A Cox case of surv.json: the data as cox_fit takes them. */
typedef struct {
    const char *name;
    rg_cox_ties ties;
    size_t n, p;
    double *time, *X;
    int *status;
    size_t *strata; /* NULL without */
} cox_case;

static void cox_case_read(const cJSON *c, cox_case *cc)
{
    size_t ns;
    cc->name = cJSON_GetObjectItem(c, "case")->valuestring;
    cc->ties = strcmp(cJSON_GetObjectItem(c, "ties")->valuestring, "breslow") == 0
                   ? RG_COX_BRESLOW
                   : RG_COX_EFRON;
    cc->time = unit_json_nums(cJSON_GetObjectItem(c, "time"), &cc->n);
    double *st = unit_json_nums(cJSON_GetObjectItem(c, "status"), &ns);
    size_t n = cc->n;
    cc->status = malloc((n ? n : 1) * sizeof *cc->status);
    for (size_t i = 0; i < n; i++)
        cc->status[i] = (int)st[i];
    free(st);
    const cJSON *X = cJSON_GetObjectItem(c, "X"), *col;
    cc->p = (size_t)cJSON_GetArraySize(X);
    cc->X = malloc((n * cc->p > 0 ? n * cc->p : 1) * sizeof *cc->X);
    size_t j = 0;
    cJSON_ArrayForEach(col, X)
    {
        size_t m;
        double *v = unit_json_nums(col, &m);
        CHECK(m == n);
        memcpy(cc->X + j * n, v, (m < n ? m : n) * sizeof *v);
        free(v);
        j++;
    }
    const cJSON *strata = cJSON_GetObjectItem(c, "strata");
    cc->strata = NULL;
    if (cJSON_IsArray(strata)) {
        cJSON *seen = cJSON_CreateArray();
        cc->strata = malloc((n ? n : 1) * sizeof *cc->strata);
        for (size_t i = 0; i < n; i++) {
            const char *sv = cJSON_GetArrayItem(strata, (int)i)->valuestring;
            long at = label_index(seen, sv);
            if (at < 0) {
                cJSON_AddItemToArray(seen, cJSON_CreateString(sv));
                at = cJSON_GetArraySize(seen) - 1;
            }
            cc->strata[i] = (size_t)at;
        }
        cJSON_Delete(seen);
    }
}

static void cox_case_free(cox_case *cc)
{
    free(cc->time);
    free(cc->X);
    free(cc->status);
    free(cc->strata);
}

/* [statistic, df, p] of a test */
static void check_test(const char *name, const cJSON *c, const char *field, double stat,
                       double df, double p)
{
    size_t m;
    double *want = unit_json_nums(cJSON_GetObjectItem(c, field), &m);
    CHECK(m == 3);
    if (m == 3) {
        char f[40];
        snprintf(f, sizeof f, "%s statistic", field);
        check_value("cox", name, f, stat, want[0], TOL_COX);
        snprintf(f, sizeof f, "%s df", field);
        check_value("cox", name, f, df, want[1], 0);
        snprintf(f, sizeof f, "%s p", field);
        check_value("cox", name, f, p, want[2], TOL_COX);
    }
    free(want);
}

static int has_warning(const cJSON *c, const char *start)
{
    const cJSON *w;
    cJSON_ArrayForEach(w, cJSON_GetObjectItem(c, "warnings"))
    {
        if (strncmp(w->valuestring, start, strlen(start)) == 0)
            return 1;
    }
    return 0;
}

static void test_cox(void)
{
    cJSON *j = unit_load_json(SURV_JSON);
    CHECK(j != NULL);
    if (!j)
        return;
    const cJSON *c;
    int cases = 0;
    cJSON_ArrayForEach(c, cJSON_GetObjectItem(j, "cox"))
    {
        cox_case cc;
        cox_case_read(c, &cc);
        rg_cox_opts o = cox_default_opts();
        o.ties = cc.ties;
        o.iter_max = (int)unit_json_num(cJSON_GetObjectItem(c, "iter_max"));
        rg_cox f;
        size_t bad;
        int rc = cox_fit(cc.time, cc.status, cc.X, cc.n, cc.p, cc.strata, &o, &f, &bad);
        CHECK(rc == 0);
        if (rc != 0) {
            fprintf(stderr, "cox %s: cox_fit gave %d (column %zu)\n", cc.name, rc, bad);
            cox_case_free(&cc);
            continue;
        }
        char what[40];
        snprintf(what, sizeof what, "cox (%s)", cc.ties == RG_COX_EFRON ? "efron" : "breslow");
        /* a monotone likelihood too: the same iterations stop where R's do */
        int monotone = has_warning(c, "Loglik converged before variable");
        int ran_out = has_warning(c, "Ran out of iterations");
        /* every fit: se = sqrt(diag(inverse information at coef)) */
        check_array_tol(what, cc.name, c, "se_at_coef", f.se, cc.p, TOL_COX);
        check_array_tol(what, cc.name, c, "coef", f.coef, cc.p, TOL_COX);
        if (!ran_out) { /* R's var is not the inverse information at coef then */
            check_array_tol(what, cc.name, c, "se", f.se, cc.p, TOL_COX);
            check_array_tol(what, cc.name, c, "z", f.z, cc.p, TOL_COX);
            check_array_tol(what, cc.name, c, "p", f.pval, cc.p, TOL_COX);
            check_array_tol(what, cc.name, c, "hr", f.hr, cc.p, TOL_COX);
            check_array_tol(what, cc.name, c, "lower", f.lower, cc.p, TOL_COX);
            check_array_tol(what, cc.name, c, "upper", f.upper, cc.p, TOL_COX);
            check_test(cc.name, c, "wald", f.wald, (double)cc.p, f.wald_p);
        }
        const double conc[] = {f.concordance, f.concordance_se};
        check_array_tol(what, cc.name, c, "concordance", conc, 2, TOL_COX);
        const double ll[] = {f.loglik0, f.loglik};
        check_array_tol(what, cc.name, c, "loglik", ll, 2, TOL_COX);
        check_test(cc.name, c, "lr", f.lr, (double)cc.p, f.lr_p);
        check_test(cc.name, c, "score", f.score, (double)cc.p, f.score_p);
        check_value(what, cc.name, "n", (double)f.n, unit_json_num(cJSON_GetObjectItem(c, "n")),
                    0);
        check_value(what, cc.name, "nevent", f.nevent,
                    unit_json_num(cJSON_GetObjectItem(c, "nevent")), 0);
        check_value(what, cc.name, "iter", f.iter, unit_json_num(cJSON_GetObjectItem(c, "iter")),
                    0);
        int inf = 0;
        for (size_t k = 0; k < cc.p; k++)
            inf |= f.infinite[k];
        if (inf != monotone) {
            fprintf(stderr, "cox %s: infinite flag %d, R's warning %d\n", cc.name, inf, monotone);
            unit_failures++;
        }
        if ((o.iter_max > 1 && !f.converged) != ran_out) {
            fprintf(stderr, "cox %s: converged %d, R's warning %d\n", cc.name, f.converged,
                    ran_out);
            unit_failures++;
        }
        cox_free(&f);
        cox_case_free(&cc);
        cases++;
    }
    CHECK(cases >= 43);
    cJSON_Delete(j);
}

static void test_cox_zph(void)
{
    cJSON *j = unit_load_json(SURV_JSON);
    CHECK(j != NULL);
    if (!j)
        return;
    const cJSON *c;
    int cases = 0;
    cJSON_ArrayForEach(c, cJSON_GetObjectItem(j, "zph"))
    {
        cox_case cc;
        cox_case_read(c, &cc);
        rg_cox_opts o = cox_default_opts();
        o.ties = cc.ties;
        rg_cox f;
        rg_cox_zph z;
        size_t bad;
        CHECK(cox_fit(cc.time, cc.status, cc.X, cc.n, cc.p, cc.strata, &o, &f, &bad) == 0);
        CHECK(cox_zph(cc.time, cc.status, cc.X, cc.n, cc.p, cc.strata, f.coef, cc.ties,
                      o.toler_chol, &z) == 0);
        check_array_tol("cox.zph", cc.name, c, "chisq", z.chisq, cc.p + 1, TOL_COX);
        check_array_tol("cox.zph", cc.name, c, "df", z.df, cc.p + 1, 0);
        check_array_tol("cox.zph", cc.name, c, "p", z.pval, cc.p + 1, TOL_COX);
        cox_zph_free(&z);
        cox_free(&f);
        cox_case_free(&cc);
        cases++;
    }
    CHECK(cases >= 7);
    cJSON_Delete(j);
}

/* Errors: no events, a constant column, collinear columns. */
static void test_cox_errors(void)
{
    double time[] = {1, 2, 3, 4, 5, 6};
    int status[] = {1, 0, 1, 1, 0, 1}, none[] = {0, 0, 0, 0, 0, 0};
    double X[] = {2, 1, 5, 1, 3, 4, /* x */ 5, 5, 5, 5, 5, 5 /* constant */};
    rg_cox_opts o = cox_default_opts();
    rg_cox f;
    size_t bad = 99;
    CHECK(cox_fit(time, none, X, 6, 1, NULL, &o, &f, &bad) == RG_COX_NO_EVENTS);
    CHECK(cox_fit(time, status, X, 6, 2, NULL, &o, &f, &bad) == RG_COX_CONSTANT && bad == 1);
    double Xc[] = {1, 2, 3, 4, 5, 7, 2, 4, 6, 8, 10, 14};
    CHECK(cox_fit(time, status, Xc, 6, 2, NULL, &o, &f, &bad) == RG_COX_SINGULAR && bad == 1);
    CHECK(cox_fit(time, status, X, 6, 1, NULL, &o, &f, &bad) == 0 && f.converged &&
          !f.infinite[0]);
    cox_free(&f);
    /* every death has the lowest x of its risk set: the coefficient runs off
     * to -Inf; R: "Ran out of iterations and did not converge", coef
     * -19.26043, iter 21 */
    double mono[] = {1, 2, 3, 4, 5, 7};
    CHECK(cox_fit(time, status, mono, 6, 1, NULL, &o, &f, &bad) == 0 && !f.converged &&
          f.iter == 21 && fabs(f.coef[0] + 19.26043) < 1e-5);
    cox_free(&f);
}

const unit_test surv_tests[] = {{"surv_logrank", test_logrank},
                                {"surv_km", test_km},
                                {"surv_km_at", test_km_at},
                                {"surv_cox", test_cox},
                                {"surv_cox_zph", test_cox_zph},
                                {"surv_cox_errors", test_cox_errors},
                                {NULL, NULL}};
