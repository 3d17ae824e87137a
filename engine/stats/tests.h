/* engine/stats/tests.h — two-sample tests as R's t.test and wilcox.test:
 * Welch's and the pooled-variance t test, and the Wilcoxon-Mann-Whitney
 * rank-sum test; and R's kruskal.test for k samples. NaN values are dropped first (as R drops NA). Pure C. */
#ifndef RG_TESTS_H
#define RG_TESTS_H

#include <stddef.h>

typedef enum {
    RG_TEST_OK,
    RG_TEST_TOO_FEW,  /* t: fewer than 2 values in a group (Welch) or 3 in all
                         (pooled); Mann-Whitney: an empty group */
    RG_TEST_CONSTANT, /* t: the data are essentially constant (R stops) */
    RG_TEST_TOO_LARGE /* Mann-Whitney: exact asked for samples whose
                         distribution table would pass 200 MB */
} rg_test_status;

typedef struct {
    double t, df, p;     /* two-sided */
    double mean_x, mean_y;
    double se;           /* standard error of the difference of means */
    double lower, upper; /* 95% confidence interval of mean_x - mean_y */
    size_t nx, ny;
    rg_test_status status;
} rg_ttest;

/* t.test(x, y, var.equal = pooled) (two-sided, mu = 0, conf.level 0.95).
 * Returns 0, or -1 when out of memory. */
int ttest(const double *x, size_t nx, const double *y, size_t ny, int pooled, rg_ttest *out);

typedef struct {
    double U;      /* R's W: the rank sum of x minus nx (nx + 1) / 2 */
    double p;      /* two-sided */
    double z;      /* the normal deviate (NaN when exact) */
    int exact;     /* p from the exact distribution */
    int ties;      /* the pooled sample has ties */
    size_t nx, ny;
    rg_test_status status;
} rg_mwtest;

/* wilcox.test(x, y) two-sided: the exact distribution when asked (exact =
 * 1) or by R's default rule (exact = -1: nx < 50 and ny < 50), unless there
 * are ties, where R too falls back (and warns: out->exact is then 0 and
 * out->ties 1); otherwise the normal approximation with the tie correction
 * and, if correct, the continuity correction. Returns 0, or -1 when out of
 * memory. */
int mwtest(const double *x, size_t nx, const double *y, size_t ny, int exact, int correct,
           rg_mwtest *out);

typedef struct {
    double H;      /* the Kruskal-Wallis chi-squared, corrected for ties */
    double df, p;  /* k - 1 and the upper chi-squared tail */
    size_t n, k;   /* values and groups with values (NaN dropped) */
    rg_test_status status; /* TOO_FEW: fewer than 2 groups with values;
                            * CONSTANT: every value equal (H is NaN, as in R) */
} rg_kwtest;

/* kruskal.test(x, g): x[i] (NaN dropped) belongs to group g[i] (0 to
 * ngroups - 1); groups left without values do not count. Returns 0, or -1
 * when out of memory. */
int kwtest(const double *x, const size_t *g, size_t n, size_t ngroups, rg_kwtest *out);

#endif
