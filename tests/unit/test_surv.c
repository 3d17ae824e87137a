/* tests/unit/test_surv.c — survival analysis against R's survival package:
 * tests/conformance/surv.json (gen_surv.R) holds the inputs and survdiff's
 * results; 1e-10 relative, as for closed forms. */
#include <stdlib.h>
#include <string.h>

#include "stats/surv.h"
#include "unit.h"

#define SURV_JSON "tests/conformance/surv.json"

static int close10(double got, double want)
{
    if (got == want) /* infinities too */
        return 1;
    if (isnan(want))
        return isnan(got);
    return fabs(got - want) <= 1e-10 * (fabs(want) > 1e-300 ? fabs(want) : 1) ||
           fabs(got - want) <= 1e-13; /* sums that cancel to 0 in R */
}

/* The array field of case c (named name, of test what) against got[0..n):
 * the same length and every value close10. */
static void check_array(const char *what, const char *name, const cJSON *c, const char *field,
                        const double *got, size_t n)
{
    size_t m;
    double *want = unit_json_nums(cJSON_GetObjectItem(c, field), &m);
    if (m != n) {
        fprintf(stderr, "%s %s: %s has %zu values, R %zu\n", what, name, field, n, m);
        unit_failures++;
    }
    for (size_t i = 0; i < m && i < n; i++)
        if (!close10(got[i], want[i])) {
            fprintf(stderr, "%s %s: %s[%zu] = %.17g, R %.17g\n", what, name, field, i, got[i],
                    want[i]);
            unit_failures++;
        }
    free(want);
}

static void check_scalar(const char *what, const char *name, const cJSON *c, const char *field,
                         double got)
{
    double want = unit_json_num(cJSON_GetObjectItem(c, field));
    if (!close10(got, want)) {
        fprintf(stderr, "%s %s: %s = %.17g, R %.17g\n", what, name, field, got, want);
        unit_failures++;
    }
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
        rg_km_conf ct = strcmp(ctn, "log") == 0       ? RG_KM_LOG
                        : strcmp(ctn, "log-log") == 0 ? RG_KM_LOGLOG
                                                      : RG_KM_PLAIN;
        size_t n, ns;
        double *time = unit_json_nums(cJSON_GetObjectItem(c, "time_in"), &n);
        double *st = unit_json_nums(cJSON_GetObjectItem(c, "status"), &ns);
        int *status = malloc((n ? n : 1) * sizeof *status);
        for (size_t i = 0; i < n; i++)
            status[i] = (int)st[i];
        rg_km k;
        CHECK(km_fit(time, status, n, ct, 0.95, &k) == 0);
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
        free(time);
        free(st);
        free(status);
        cases++;
    }
    CHECK(cases >= 42);
    cJSON_Delete(j);
}

const unit_test surv_tests[] = {
    {"surv_logrank", test_logrank}, {"surv_km", test_km}, {NULL, NULL}};
