/* engine/stats/surv.h — survival analysis as R's survival package:
 * Kaplan-Meier curves as survfit, and the k-group log-rank test of survdiff
 * (rho = 0), optionally stratified. Pure C. */
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

typedef enum { RG_KM_LOG, RG_KM_LOGLOG, RG_KM_PLAIN } rg_km_conf;

/* One Kaplan-Meier curve, at every distinct time (event or censoring), as
 * survfit(Surv(time, status) ~ 1) stores it. */
typedef struct {
    size_t m;
    double *time, *n_risk, *n_event, *n_censor; /* m each */
    double *surv;     /* product of (1 - d/n) */
    double *std_err;  /* survfit's std.err: the se of log S (Greenwood), Inf once S = 0 */
    double *lower, *upper; /* conf_int limits; NaN where R gives NA */
    double n, events;
    double median, median_lower, median_upper; /* NaN when not reached */
} rg_km;

/* The curve of time[0..n) and status (1 event, 0 censored; the caller has
 * checked them). conf: the level, e.g. 0.95. Returns 0, or -1 when out of
 * memory. */
int km_fit(const double *time, const int *status, size_t n, rg_km_conf ct, double conf,
           rg_km *out);

/* The p-quantile of survival time read from the curve values s (surv, lower
 * or upper; NaN ignored), as survival's findq: NaN when not reached. */
double km_quantile(const rg_km *k, const double *s, double p);

void km_free(rg_km *k);

/* The curve read at given times, as summary.survfit(fit, times = at): surv,
 * std_err (on the survival scale, S * se(log S)) and limits at the last
 * stored time <= t (1, 0, 1, 1 before the first); n_risk at t; n_event and
 * n_censor summed over (previous t, t]. R drops times past the last
 * follow-up; here they stay, with n_risk 0 and NaN values (past_end set). */
typedef struct {
    double time, n_risk, n_event, n_censor, surv, std_err, lower, upper;
    int past_end;
} rg_km_row;

/* at[0..na) strictly increasing (the caller checks); rows has na entries. */
void km_at(const rg_km *k, const double *at, size_t na, rg_km_row *rows);

#endif
