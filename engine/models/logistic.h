/* engine/models/logistic.h — binary logistic regression with the penalties
 * of scikit-learn's LogisticRegression (1.2.1): the fits reach the exact
 * optimum of the objective scikit-learn minimises, so coefficients agree
 * with a tightly converged scikit-learn fit whatever solver either side
 * uses. Pure C.
 *
 * With z_i = x_i'w + b and the log-loss l_i = log(1 + exp(-z_i)) for y_i = 1,
 * log(1 + exp(z_i)) for y_i = 0, the objectives are:
 *   RG_LOGIT_L2   (penalty="l2", the default lbfgs solver):
 *                 C sum_i l_i + ||w||^2 / 2 — the intercept is NOT penalised;
 *   RG_LOGIT_NONE (penalty=None): sum_i l_i (C is ignored). Separable data
 *                 have no finite optimum: the fit stops and says so;
 *   RG_LOGIT_L1   (penalty="l1", solver="liblinear", intercept_scaling=1):
 *                 ||w||_1 + |b| + C sum_i l_i — liblinear fits the intercept
 *                 as the weight of an extra constant feature 1, so the
 *                 intercept IS penalised like the other weights. Without
 *                 fit_intercept there is no such feature (b = 0).
 * L1 optima need not be unique (e.g. duplicated columns); the linear
 * predictor, hence the probabilities and the objective, always is. */
#ifndef RG_LOGISTIC_H
#define RG_LOGISTIC_H

#include <stddef.h>

typedef enum { RG_LOGIT_L2, RG_LOGIT_L1, RG_LOGIT_NONE } rg_logit_penalty;

typedef struct {
    rg_logit_penalty penalty; /* default RG_LOGIT_L2 */
    double C;                 /* inverse regularisation strength (> 0), default 1 */
    int fit_intercept;        /* default 1 */
    double tol;               /* default 1e-10: the largest relative Newton step at
                                 convergence (see below) */
    size_t max_iter;          /* outer iterations: Newton steps (L2, none) or
                                 proximal-Newton steps of at most 200 coordinate-
                                 descent sweeps each (L1); default (0) 100 */
} rg_logit_opts;

/* Convergence: the fit stops when a Newton step (proximal Newton for L1),
 * solved to its accuracy target and taken whole, moves no parameter theta_j
 * (the weights, then the intercept) by more than tol * max(|theta_j|, u_j),
 * u_j = 1 / (the root mean square of column j): 1 for the intercept and for
 * standardised columns, and the test does not depend on the scales of the
 * columns. The iteration converges quadratically, so theta is then
 * far closer than that to the optimum. It also stops, converged, where the
 * optimality conditions hold to within the rounding error of computing
 * them (|dF / dtheta_j| for L2 and none; for L1 the distance of 0 from the
 * subdifferential): nothing can improve theta there. */

/* The defaults above. */
rg_logit_opts logit_default_opts(void);

/* What logit_fit returns besides 0. */
enum {
    RG_LOGIT_NOMEM = -1,
    RG_LOGIT_ONE_CLASS = 1, /* y holds one class only (or n = 0) */
    RG_LOGIT_BAD_Y = 2,     /* a y value other than 0 and 1 */
    RG_LOGIT_NONFINITE = 3, /* X holds NaN or an infinity */
    RG_LOGIT_BAD_OPTS = 4,  /* C not finite and > 0 (L1, L2), tol not > 0, or
                               an unknown penalty */
    RG_LOGIT_TOO_LARGE = 5  /* n or p above INT_MAX (CBLAS counts in int) */
};

typedef struct {
    size_t p;
    double *coef;     /* p weights (caller frees with logit_free) */
    double intercept; /* 0 without fit_intercept */
    size_t n_iter;    /* outer (Newton) iterations done */
    int converged;    /* the tolerance was met within max_iter */
    int separated;    /* RG_LOGIT_NONE only: the current coefficients separate
                         the classes exactly, so there is no finite optimum;
                         the fit stopped there (converged = 0) */
    double objective; /* the objective above at coef, intercept */
} rg_logit;

/* Fit the model: X column-major n x p (column j at X + j * n), y[i] in
 * {0, 1}, both borrowed; o NULL means the defaults. Returns 0 with *out
 * filled (free with logit_free; also when not converged: the last
 * iterate), -1 when out of memory, or one of the positive codes above
 * (*out is then empty and logit_free on it is harmless). Deterministic:
 * no randomness, a fixed order of operations. */
int logit_fit(const double *X, size_t n, size_t p, const unsigned char *y,
              const rg_logit_opts *o, rg_logit *out);

/* P(class 1 | x) for each of the n rows of X (column-major n x p, p =
 * m->p) into prob[0..n). */
void logit_predict_proba(const rg_logit *m, const double *X, size_t n, double *prob);

/* Free what logit_fit allocated; m is left empty. */
void logit_free(rg_logit *m);

#endif
