/* engine/stats/surv.h — survival analysis as R's survival package. This
 * first part: the k-group log-rank test of survdiff (rho = 0), optionally
 * stratified. Pure C. */
#ifndef RG_SURV_H
#define RG_SURV_H

#include <stddef.h>

typedef struct {
    size_t k;            /* groups */
    double *n;           /* k: subjects per group */
    double *observed;    /* k: events per group */
    double *expected;    /* k: expected events under the null */
    double *var;         /* k x k: the variance matrix of observed - expected */
    double chisq, df, p; /* df: groups with expected > 0, minus 1 */
} rg_logrank;

/* survdiff(Surv(time, status) ~ group [+ strata(strata)]): time[0..n),
 * status 1 (event) or 0 (censored), group[i] in 0..k-1, strata[i] in
 * 0..s-1 (NULL: one stratum). The caller has checked the values and removed
 * missing ones. Returns 0, or -1 when out of memory. */
int logrank(const double *time, const int *status, const size_t *group, size_t k,
            const size_t *strata, size_t n, rg_logrank *out);

void logrank_free(rg_logrank *r);

#endif
