/* engine/stats/cor.h — Pearson and Spearman correlation with the two-sided
 * test of R's cor.test: r as R's cor computes it, the t statistic with n - 2
 * degrees of freedom, and for Spearman the t approximation of
 * cor.test(method = "spearman", exact = FALSE) (R's default for n < 1290
 * without ties is the exact AS 89 distribution instead; reports say which).
 * Missing values (NaN) drop their pair (complete cases). Pure C. */
#ifndef RG_COR_H
#define RG_COR_H

#include <stddef.h>

typedef enum { RG_COR_PEARSON, RG_COR_SPEARMAN } rg_cor_method;

typedef enum {
    RG_COR_OK,
    RG_COR_TOO_FEW,  /* fewer than 3 complete pairs: r and p are NaN */
    RG_COR_CONSTANT, /* a variable has zero variance: r and p are NaN */
    RG_COR_UNDERFLOW /* the covariance underflows double (values near 1e-300):
                        r and p are NaN, as in R */
} rg_cor_status;

typedef struct {
    double r;         /* Pearson's r or Spearman's rho */
    double p;         /* two-sided p-value */
    double t;         /* the t statistic the p-value comes from */
    double S;         /* Spearman: R's statistic S = (n^3 - n)(1 - rho)/6; else NaN */
    double df;        /* n - 2 */
    size_t n;         /* complete pairs used */
    rg_cor_status status;
} rg_cor_result;

/* The method named "pearson" or "spearman"; 0, or -1 when unknown. */
int cor_method(const char *name, rg_cor_method *m);

/* Correlation of x[0..len) and y[0..len) (borrowed). Returns 0, or -1 when
 * out of memory; out holds the result (status says when r is NaN). */
int cor_test(const double *x, const double *y, size_t len, rg_cor_method m,
             rg_cor_result *out);

/* Average ranks (R's rank(ties.method = "average")) of x[0..n) into r[0..n).
 * x has no NaN. Returns 0, or -1 when out of memory. */
int cor_rank(const double *x, size_t n, double *r);

/* R's mean of x[0..n) (summary.c): a long double sum, then the mean of the
 * residuals added back. */
double cor_mean(const double *x, size_t n);

/* The two-sided p-value 2 P(T > |t|) of Student's t with df degrees of
 * freedom, as R's pt: the regularised incomplete beta on whichever side
 * keeps the digits (1 - I_{t^2/(df+t^2)}(1/2, df/2) near p = 1, else
 * I_{df/(df+t^2)}(df/2, 1/2)), accurate to about 1e-13 relative also far in
 * the tail, where GSL's gsl_cdf_tdist_Q is not (5e-7 seen at p ~ 1e-27). */
double cor_pt2(double t, double df);

/* The standardised column z = (x - mean) / sqrt(sum (x - mean)^2) of
 * x[0..n) (no NaN), ranked first for Spearman, so that the correlation of
 * two columns is the dot product of their z. The mean is R's (as cor_test).
 * Returns 0; 1 when x is constant (z unset); -1 when out of memory. */
int cor_standardise(const double *x, size_t n, rg_cor_method m, double *z);

#endif
