/* tests/unit/test_conformance.c — the statistics against R: the expected
 * values in tests/conformance/stats.json were written by R
 * (tests/conformance/gen_stats.R); CI compares against them without R.
 * Closed forms must agree to 1e-10 relative (p-values below 1e-300, where
 * the two t-distribution codes part, to 1e-10 absolute). Cases on the real
 * NSCLC data read ../shared/data and are skipped, with a message, where it
 * is absent. */
#include <cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "stats/cor.h"
#include "stats/padjust.h"
#include "unit.h"

#define JSON_PATH "tests/conformance/stats.json"
#define DATA_DIR "../shared/data/"
#define TOL 1e-10

/* got agrees with want: both NaN, equal, or within TOL relative (absolute
 * for values below 1e-300). */
static int agrees(double got, double want)
{
    if (isnan(want) || isnan(got))
        return isnan(want) && isnan(got);
    if (got == want)
        return 1;
    double scale = fabs(want) > 1e-300 ? fabs(want) : 1;
    return fabs(got - want) <= TOL * scale;
}

static int mismatch(const char *c, const char *what, double got, double want)
{
    if (agrees(got, want))
        return 0;
    fprintf(stderr, "%s: case %s: %s = %.17g, R gives %.17g\n", JSON_PATH, c, what, got,
            want);
    return 1;
}

static void test_p_adjust(void)
{
    cJSON *j = unit_load_json(JSON_PATH);
    CHECK(j != NULL);
    if (!j)
        return;
    const cJSON *cases = cJSON_GetObjectItem(j, "p_adjust"), *c;
    int count = 0;
    cJSON_ArrayForEach(c, cases)
    {
        const char *name = cJSON_GetObjectItem(c, "case")->valuestring;
        rg_padjust_method m;
        CHECK(padjust_method(cJSON_GetObjectItem(c, "method")->valuestring, &m) == 0);
        size_t n, ne;
        double *p = unit_json_nums(cJSON_GetObjectItem(c, "p"), &n);
        double *want = unit_json_nums(cJSON_GetObjectItem(c, "expected"), &ne);
        CHECK(n == ne);
        double *got = malloc((n ? n : 1) * sizeof *got);
        CHECK(padjust(p, n, m, got) == 0);
        int bad = 0;
        for (size_t i = 0; i < n && i < ne && !bad; i++) {
            char what[32];
            snprintf(what, sizeof what, "p_adj[%zu]", i + 1);
            bad = mismatch(name, what, got[i], want[i]);
        }
        unit_failures += bad;
        count++;
        free(p);
        free(want);
        free(got);
    }
    CHECK(count > 0);
    cJSON_Delete(j);
}

static void check_cor(const char *name, const cJSON *c, const double *x, const double *y,
                      size_t n)
{
    rg_cor_method m;
    CHECK(cor_method(cJSON_GetObjectItem(c, "method")->valuestring, &m) == 0);
    rg_cor_result r;
    CHECK(cor_test(x, y, n, m, &r) == 0);
    const cJSON *note = cJSON_GetObjectItem(c, "note");
    if (note && (strcmp(note->valuestring, "constant") == 0 ||
                 strcmp(note->valuestring, "too few") == 0)) { /* R gives NA */
        CHECK(isnan(r.r) && isnan(r.p));
        CHECK(r.status == (strcmp(note->valuestring, "constant") == 0 ? RG_COR_CONSTANT
                                                                      : RG_COR_TOO_FEW));
        return;
    }
    if (isnan(unit_json_num(cJSON_GetObjectItem(c, "r")))) { /* NA in R for another reason */
        CHECK(isnan(r.r) && isnan(r.p) && r.status == RG_COR_UNDERFLOW);
        return;
    }
    unit_failures += (size_t)unit_json_num(cJSON_GetObjectItem(c, "n")) != r.n;
    unit_failures += mismatch(name, "r", r.r, unit_json_num(cJSON_GetObjectItem(c, "r")));
    unit_failures += mismatch(name, "p", r.p, unit_json_num(cJSON_GetObjectItem(c, "p")));
    const cJSON *t = cJSON_GetObjectItem(c, m == RG_COR_PEARSON ? "statistic" : "t");
    if (t)
        unit_failures += mismatch(name, "t", r.t, unit_json_num(t));
    const cJSON *S = cJSON_GetObjectItem(c, "S");
    if (S && m == RG_COR_SPEARMAN)
        unit_failures += mismatch(name, "S", r.S, unit_json_num(S));
}

static void test_cor(void)
{
    cJSON *j = unit_load_json(JSON_PATH);
    CHECK(j != NULL);
    if (!j)
        return;
    const cJSON *c;
    int count = 0;
    cJSON_ArrayForEach(c, cJSON_GetObjectItem(j, "cor"))
    {
        size_t nx, ny;
        double *x = unit_json_nums(cJSON_GetObjectItem(c, "x"), &nx);
        double *y = unit_json_nums(cJSON_GetObjectItem(c, "y"), &ny);
        CHECK(nx == ny);
        check_cor(cJSON_GetObjectItem(c, "case")->valuestring, c, x, y, nx < ny ? nx : ny);
        free(x);
        free(y);
        count++;
    }
    CHECK(count > 0);
    cJSON_Delete(j);
}

/* Column col of a plain CSV file (header row, no quotes) as doubles; NULL
 * when the file or column is absent. */
static double *csv_column(const char *file, const char *col, size_t *n)
{
    rg_buf path = {0};
    buf_printf(&path, "%s%s", DATA_DIR, file);
    FILE *f = fopen(buf_cstr(&path), "rb");
    buf_free(&path);
    if (!f)
        return NULL;
    size_t cap = 1 << 20, len = 0;
    char *line = malloc(cap);
    double *v = NULL;
    long idx = -1;
    *n = 0;
    int c, first = 1;
    while (1) {
        len = 0;
        while ((c = fgetc(f)) != EOF && c != '\n')
            if (c != '\r' && len + 1 < cap)
                line[len++] = (char)c;
        line[len] = '\0';
        if (len == 0 && c == EOF)
            break;
        long k = 0;
        char *save = NULL;
        for (char *tok = strtok_r(line, ",", &save); tok; tok = strtok_r(NULL, ",", &save), k++) {
            if (first && strcmp(tok, col) == 0)
                idx = k;
            else if (!first && k == idx) {
                v = realloc(v, (*n + 1) * sizeof *v);
                v[(*n)++] = strtod(tok, NULL);
            }
        }
        if (first && idx < 0)
            break;
        first = 0;
        if (c == EOF)
            break;
    }
    fclose(f);
    free(line);
    if (idx < 0) {
        free(v);
        return NULL;
    }
    return v;
}

static void test_cor_real_data(void)
{
    cJSON *j = unit_load_json(JSON_PATH);
    CHECK(j != NULL);
    if (!j)
        return;
    const cJSON *c;
    int count = 0, missing = 0;
    cJSON_ArrayForEach(c, cJSON_GetObjectItem(j, "cor_data"))
    {
        size_t nx = 0, ny = 0;
        double *x = csv_column(cJSON_GetObjectItem(c, "file_x")->valuestring,
                               cJSON_GetObjectItem(c, "col_x")->valuestring, &nx);
        double *y = csv_column(cJSON_GetObjectItem(c, "file_y")->valuestring,
                               cJSON_GetObjectItem(c, "col_y")->valuestring, &ny);
        if (!x || !y) {
            missing++;
        } else {
            CHECK(nx == ny);
            check_cor(cJSON_GetObjectItem(c, "case")->valuestring, c, x, y,
                      nx < ny ? nx : ny);
            count++;
        }
        free(x);
        free(y);
    }
    if (count == 0 && missing > 0)
        unit_skip = "../shared/data/nsclc-radiogenomics is absent";
    else
        CHECK(count > 0 && missing == 0);
    cJSON_Delete(j);
}

const unit_test conformance_tests[] = {
    {"conformance_p_adjust", test_p_adjust},
    {"conformance_cor", test_cor},
    {"conformance_cor_nsclc", test_cor_real_data},
    {NULL, NULL}};
