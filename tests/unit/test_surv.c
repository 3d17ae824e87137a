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
        size_t m;
        const char *fields[] = {"n", "observed", "expected", "var"};
        const double *got[] = {r.n, r.observed, r.expected, r.var};
        for (int f = 0; f < 4; f++) {
            double *want = unit_json_nums(cJSON_GetObjectItem(c, fields[f]), &m);
            CHECK(m == (f == 3 ? k * k : k));
            for (size_t i = 0; i < m; i++)
                if (!close10(got[f][i], want[i])) {
                    fprintf(stderr, "logrank %s: %s[%zu] = %.17g, R %.17g\n", name, fields[f], i,
                            got[f][i], want[i]);
                    unit_failures++;
                }
            free(want);
        }
        const char *scal[] = {"chisq", "df", "p"};
        const double sgot[] = {r.chisq, r.df, r.p};
        for (int f = 0; f < 3; f++) {
            double want = unit_json_num(cJSON_GetObjectItem(c, scal[f]));
            if (!close10(sgot[f], want)) {
                fprintf(stderr, "logrank %s: %s = %.17g, R %.17g\n", name, scal[f], sgot[f], want);
                unit_failures++;
            }
        }
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
        size_t n, ns, m;
        double *time = unit_json_nums(cJSON_GetObjectItem(c, "time_in"), &n);
        double *st = unit_json_nums(cJSON_GetObjectItem(c, "status"), &ns);
        int *status = malloc((n ? n : 1) * sizeof *status);
        for (size_t i = 0; i < n; i++)
            status[i] = (int)st[i];
        rg_km k;
        CHECK(km_fit(time, status, n, ct, 0.95, &k) == 0);
        const char *fields[] = {"time", "n_risk", "n_event", "n_censor", "surv",
                                "std_err", "lower", "upper"};
        const double *got[] = {k.time, k.n_risk, k.n_event, k.n_censor,
                               k.surv, k.std_err, k.lower, k.upper};
        for (int f = 0; f < 8; f++) {
            double *want = unit_json_nums(cJSON_GetObjectItem(c, fields[f]), &m);
            if (m != k.m) {
                fprintf(stderr, "km %s %s: %zu times, R %zu\n", name, ctn, k.m, m);
                unit_failures++;
            }
            for (size_t i = 0; i < m && i < k.m; i++)
                if (!close10(got[f][i], want[i])) {
                    fprintf(stderr, "km %s %s: %s[%zu] = %.17g, R %.17g\n", name, ctn,
                            fields[f], i, got[f][i], want[i]);
                    unit_failures++;
                }
            free(want);
        }
        const char *scal[] = {"median", "median_lower", "median_upper"};
        const double sgot[] = {k.median, k.median_lower, k.median_upper};
        for (int f = 0; f < 3; f++) {
            double want = unit_json_num(cJSON_GetObjectItem(c, scal[f]));
            if (!close10(sgot[f], want)) {
                fprintf(stderr, "km %s %s: %s = %.17g, R %.17g\n", name, ctn, scal[f], sgot[f],
                        want);
                unit_failures++;
            }
        }
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
