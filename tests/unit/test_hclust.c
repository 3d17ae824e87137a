/* tests/unit/test_hclust.c — hierarchical clustering (engine/stats/hclust.h)
 * against R: tests/conformance/hclust.json was written by
 * tests/conformance/gen_hclust.R (stats::hclust on dist() or 1 - cor(t(x)));
 * CI compares without R. Merges and leaf order must be identical, heights
 * agree to 1e-10 relative (absolute below 1). RGLIT_TEST_VERBOSE=1 prints
 * the number of cases and the largest height difference. Plus the small
 * contracts: names, dist indexing, the distance statuses. */
#include <cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "stats/hclust.h"
#include "unit.h"

#define JSON_PATH "tests/conformance/hclust.json"
#define TOL 1e-10

static const cJSON *find_data(const cJSON *j, const char *name)
{
    const cJSON *d;
    cJSON_ArrayForEach(d, cJSON_GetObjectItem(j, "data"))
    {
        if (strcmp(cJSON_GetObjectItem(d, "name")->valuestring, name) == 0)
            return d;
    }
    return NULL;
}

/* The dissimilarities of a case (dist order; caller frees), NULL on failure. */
static double *case_dist(const cJSON *data, const char *distance, size_t n)
{
    size_t m = n * (n - 1) / 2, len;
    if (strcmp(distance, "given") == 0) {
        double *d = unit_json_nums(cJSON_GetObjectItem(data, "dist"), &len);
        CHECK(len == m);
        return d;
    }
    rg_distance kind;
    CHECK(hclust_distance(distance, &kind) == 0);
    size_t p = (size_t)unit_json_num(cJSON_GetObjectItem(data, "p"));
    double *x = unit_json_nums(cJSON_GetObjectItem(data, "x"), &len);
    CHECK(len == n * p);
    double *d = malloc(m * sizeof *d);
    size_t a, b;
    int rc = hclust_dist(x, n, p, kind, d, &a, &b);
    CHECK(rc == RG_HDIST_OK);
    free(x);
    if (rc != RG_HDIST_OK) {
        free(d);
        return NULL;
    }
    return d;
}

static void test_conformance(void)
{
    cJSON *j = unit_load_json(JSON_PATH);
    CHECK(j != NULL);
    if (!j)
        return;
    const cJSON *c;
    int count = 0;
    double worst = 0;
    const char *worst_case = "";
    cJSON_ArrayForEach(c, cJSON_GetObjectItem(j, "cases"))
    {
        const char *name = cJSON_GetObjectItem(c, "case")->valuestring;
        size_t n = (size_t)unit_json_num(cJSON_GetObjectItem(c, "n"));
        const cJSON *data = find_data(j, cJSON_GetObjectItem(c, "data")->valuestring);
        CHECK(data != NULL);
        rg_linkage l;
        CHECK(hclust_linkage(cJSON_GetObjectItem(c, "linkage")->valuestring, &l) == 0);
        double *d = data ? case_dist(data, cJSON_GetObjectItem(c, "distance")->valuestring, n)
                         : NULL;
        if (!d)
            continue;
        rg_hclust h;
        CHECK(hclust_compute(d, n, l, &h) == 0);
        size_t nm, nh, no;
        double *merge = unit_json_nums(cJSON_GetObjectItem(c, "merge"), &nm);
        double *height = unit_json_nums(cJSON_GetObjectItem(c, "height"), &nh);
        double *order = unit_json_nums(cJSON_GetObjectItem(c, "order"), &no);
        CHECK(nm == 2 * (n - 1) && nh == n - 1 && no == n);
        int bad = 0;
        for (size_t i = 0; i < nm && !bad; i++)
            if (h.merge[i] != (int)merge[i]) {
                fprintf(stderr, "%s: case %s: merge[%zu, %zu] = %d, R gives %d\n", JSON_PATH,
                        name, i / 2 + 1, i % 2 + 1, h.merge[i], (int)merge[i]);
                bad = 1;
            }
        for (size_t i = 0; i < no && !bad; i++)
            if (h.order[i] != (int)order[i]) {
                fprintf(stderr, "%s: case %s: order[%zu] = %d, R gives %d\n", JSON_PATH, name,
                        i + 1, h.order[i], (int)order[i]);
                bad = 1;
            }
        for (size_t i = 0; i < nh && !bad; i++) {
            double scale = fabs(height[i]) > 1 ? fabs(height[i]) : 1;
            double diff = fabs(h.height[i] - height[i]) / scale;
            if (diff > worst) {
                worst = diff;
                worst_case = name;
            }
            if (!(diff <= TOL)) {
                fprintf(stderr, "%s: case %s: height[%zu] = %.17g, R gives %.17g\n", JSON_PATH,
                        name, i + 1, h.height[i], height[i]);
                bad = 1;
            }
        }
        unit_failures += bad;
        count++;
        hclust_free(&h);
        free(d);
        free(merge);
        free(height);
        free(order);
    }
    CHECK(count >= 200);
    if (getenv("RGLIT_TEST_VERBOSE"))
        fprintf(stderr, "hclust: %d cases; largest height difference %.3g (%s)\n", count,
                worst, worst_case);
    cJSON_Delete(j);
}

static void test_names(void)
{
    rg_linkage l;
    rg_distance d;
    CHECK(hclust_linkage("ward.D2", &l) == 0 && l == RG_LINK_WARD_D2);
    CHECK(strcmp(hclust_linkage_name(l), "ward.D2") == 0);
    CHECK(hclust_linkage("ward.D", &l) == -1);
    CHECK(hclust_linkage("Average", &l) == -1);
    CHECK(hclust_distance("abs_correlation", &d) == 0 && d == RG_DIST_ABS_CORRELATION);
    CHECK(strcmp(hclust_distance_name(d), "abs_correlation") == 0);
    CHECK(hclust_distance("pearson", &d) == -1);
    /* R's dist order for n = 4: d21 d31 d41 d32 d42 d43 */
    CHECK(hclust_dist_index(4, 1, 0) == 0 && hclust_dist_index(4, 0, 3) == 2);
    CHECK(hclust_dist_index(4, 2, 1) == 3 && hclust_dist_index(4, 3, 2) == 5);
}

/* Two points, and a hand-checked case: 1 - 2 close, 3 - 4 close, the
 * second pair first in R's merge numbering because it is closer. */
static void test_small(void)
{
    rg_hclust h;
    double two[] = {5};
    CHECK(hclust_compute(two, 2, RG_LINK_AVERAGE, &h) == 0);
    CHECK(h.merge[0] == -1 && h.merge[1] == -2 && h.height[0] == 5);
    CHECK(h.order[0] == 1 && h.order[1] == 2);
    hclust_free(&h);
    /* points 0, 1, 10, 10.5 on a line; dist order d21 d31 d41 d32 d42 d43 */
    double d[] = {1, 10, 10.5, 9, 9.5, 0.5};
    CHECK(hclust_compute(d, 4, RG_LINK_COMPLETE, &h) == 0);
    int want[] = {-3, -4, -1, -2, 1, 2};
    for (int i = 0; i < 6; i++)
        CHECK(h.merge[i] == want[i]);
    CHECK(h.height[0] == 0.5 && h.height[1] == 1 && h.height[2] == 10.5);
    int order[] = {3, 4, 1, 2};
    for (int i = 0; i < 4; i++)
        CHECK(h.order[i] == order[i]);
    hclust_free(&h);
    CHECK(hclust_compute(two, 1, RG_LINK_AVERAGE, &h) == -1);
}

static void test_dist_status(void)
{
    double d[3];
    size_t a, b;
    /* rows 1 and 3 (0-based 0 and 2) share no variable */
    double x[] = {1, NAN, 2, 3, NAN, 4};
    CHECK(hclust_dist(x, 3, 2, RG_DIST_EUCLIDEAN, d, &a, &b) == RG_HDIST_NO_PAIRS);
    CHECK(a == 0 && b == 2);
    double y[] = {1, 2, 3, 5, 5, 5, 1, 0, 2};
    CHECK(hclust_dist(y, 3, 3, RG_DIST_CORRELATION, d, &a, &b) == RG_HDIST_CONSTANT);
    CHECK(a == 1);
    y[7] = NAN;
    CHECK(hclust_dist(y, 3, 3, RG_DIST_CORRELATION, d, &a, &b) == RG_HDIST_MISSING);
    CHECK(a == 2 && b == 1);
    CHECK(hclust_dist(y, 3, 1, RG_DIST_CORRELATION, d, &a, &b) == RG_HDIST_TOO_FEW);
    /* R: dist(rbind(c(1, NA, 3), c(4, 5, 9))) = sqrt((9 + 36) * 3 / 2) */
    double z[] = {1, NAN, 3, 4, 5, 9};
    CHECK(hclust_dist(z, 2, 3, RG_DIST_EUCLIDEAN, d, &a, &b) == RG_HDIST_OK);
    CHECK_NEAR(d[0], sqrt(45 * 1.5), 1e-15);
    CHECK(hclust_dist(z, 2, 3, RG_DIST_MANHATTAN, d, &a, &b) == RG_HDIST_OK);
    CHECK_NEAR(d[0], 9 * 1.5, 1e-15);
}

const unit_test hclust_tests[] = {{"hclust_conformance", test_conformance},
                                  {"hclust_names", test_names},
                                  {"hclust_small", test_small},
                                  {"hclust_dist_status", test_dist_status},
                                  {NULL, NULL}};
