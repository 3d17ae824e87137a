/* engine/stats/cox.h — Cox proportional hazards regression as R's
 * survival::coxph (Newton-Raphson with step halving, Efron or Breslow ties,
 * optional strata), its concordance, and the proportional-hazards test of
 * cox.zph with the "km" time transform. Pure C. */
#ifndef RG_COX_H
#define RG_COX_H

#include <stddef.h>

typedef enum { RG_COX_EFRON, RG_COX_BRESLOW } rg_cox_ties;

typedef struct {
    rg_cox_ties ties;
    int iter_max;      /* coxph.control: 20 */
    double eps;        /* relative change of the log-likelihood: 1e-9 */
    double toler_chol; /* Cholesky pivots below this times the largest: singular */
    double toler_inf;  /* the "may be infinite" check: sqrt(eps) */
    double conf;       /* level of the hazard ratios' intervals: 0.95 */
} rg_cox_opts;

/* coxph.control's defaults */
rg_cox_opts cox_default_opts(void);

/* What cox_fit returns besides 0. */
enum {
    RG_COX_NOMEM = -1,
    RG_COX_NO_EVENTS = 1, /* no events at all */
    RG_COX_CONSTANT = 2,  /* column *bad has one value only */
    RG_COX_SINGULAR = 3   /* column *bad is a combination of the columns before it
                             (over the risk sets: the information matrix is singular) */
};

typedef struct {
    size_t n, p;
    double nevent;
    double *coef, *se, *z, *pval; /* p each; p from z as summary.coxph */
    double *hr, *lower, *upper;    /* p each: exp(coef), exp(coef -+ z_conf se) */
    double *var;       /* p x p, row-major: the inverse information at coef */
    double *u;         /* p: the score at coef */
    double *lp;        /* n: linear predictors as R's (X - means) coef */
    double loglik0, loglik; /* at coef = 0 and at coef */
    double lr, wald, score; /* likelihood-ratio, Wald and score (at 0) tests, df = p */
    double lr_p, wald_p, score_p;
    int iter, converged;
    unsigned char *infinite; /* p: R's "Loglik converged before variable j" flags */
    int maybe_infinite;      /* not converged and R's "may be infinite" check fired */
    double concordant, discordant, tied_x; /* comparable pairs, as concordance(fit) */
    double concordance, concordance_se;
} rg_cox;

/* coxph(Surv(time, status) ~ X [+ strata(strata)], ties = ...): time[0..n)
 * (checked, no NaN), status 1 event / 0 censored, X column-major (column j
 * at X + j * n), strata[i] in 0..s-1 or NULL. Returns 0 or one of the codes
 * above (with *bad the column). */
int cox_fit(const double *time, const int *status, const double *X, size_t n, size_t p,
            const size_t *strata, const rg_cox_opts *o, rg_cox *out, size_t *bad);

void cox_free(rg_cox *c);

/* cox.zph(fit, transform = "km", terms = FALSE): the score test of adding
 * X * g(t) at coef, g = 1 - KM(t-) centred over the events; chisq, df and p
 * for each column then the global test (p + 1 entries each). The data and
 * coef are those of a converged cox_fit. Returns 0, or -1 out of memory. */
typedef struct {
    size_t p;
    double *chisq, *df, *pval;
} rg_cox_zph;

int cox_zph(const double *time, const int *status, const double *X, size_t n, size_t p,
            const size_t *strata, const double *coef, rg_cox_ties ties, double toler_chol,
            rg_cox_zph *out);

void cox_zph_free(rg_cox_zph *z);

#endif
