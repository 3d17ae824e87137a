/* engine/models/enet.h — the lasso and the elastic net, single- and
 * multi-task, by cyclic coordinate descent on scikit-learn's objectives with
 * its stopping rule, so that a converged fit agrees with Lasso, ElasticNet,
 * MultiTaskLasso and MultiTaskElasticNet (and their paths) to rounding.
 *
 * Single task (each output on its own, as scikit-learn does for a 2-D y):
 *     (1 / 2n) ||y - X w - b||^2 + alpha l1_ratio ||w||_1
 *                                + alpha (1 - l1_ratio) / 2 ||w||^2
 * Multi task (W: p x q, one row per feature, penalised as a group):
 *     (1 / 2n) ||Y - X W - b||_F^2 + alpha l1_ratio sum_j ||W_j||_2
 *                                  + alpha (1 - l1_ratio) / 2 ||W||_F^2
 * With an intercept, X and Y are centred and b = mean(y) - mean(X) w.
 *
 * Stopping: a sweep updates every coordinate in order; when the largest
 * coefficient change of the sweep is below tol times the largest
 * coefficient (or every coefficient is 0, or the sweep is the last one) the
 * duality gap is computed, and the fit stops when it is below
 * tol * ||y - mean(y)||^2. A fit that runs out of sweeps first is reported
 * as not converged. Pure C. */
#ifndef RG_ENET_H
#define RG_ENET_H

#include <stddef.h>

typedef struct {
    double alpha;       /* >= 0 */
    double l1_ratio;    /* [0, 1]; 1: the lasso */
    size_t max_iter;    /* sweeps: 1000 */
    double tol;         /* 1e-4 */
    int fit_intercept;  /* 1 */
} rg_enet_opts;

/* scikit-learn's defaults: alpha 1, l1_ratio 0.5, max_iter 1000, tol 1e-4,
 * an intercept. */
rg_enet_opts enet_default_opts(void);

typedef struct {
    size_t n_iter;     /* sweeps run */
    double gap;        /* the last duality gap computed, in the objective's
                          units (scikit-learn's dual_gap_) */
    int converged;
} rg_enet_info;

/* A fit: coef is q x p (output k's coefficients at coef + k * p),
 * intercept q, info q (the multi-task fit repeats one info q times). */
typedef struct {
    size_t p, q;
    double *coef, *intercept;
    rg_enet_info *info;
} rg_enet;

/* Fit the lasso/elastic net of each column of Y (n x q, column-major) on X
 * (n x p, column-major), or the multi-task model of all columns at once
 * when multitask is set. No NaN (the caller checks). coef_init (q x p) or
 * NULL: a warm start. Returns 0, or -1 when out of memory (out left empty).
 * The caller frees out with enet_free. */
int enet_fit(const double *X, size_t n, size_t p, const double *Y, size_t q,
             const rg_enet_opts *o, int multitask, const double *coef_init, rg_enet *out);

void enet_free(rg_enet *m);

/* scikit-learn's default alpha grid (_alpha_grid): alpha_max =
 * max_j ||X_j' Y|| / (n l1_ratio) on the centred data (uncentred without an
 * intercept; ||.|| over the outputs), then n_alphas values from alpha_max
 * down to eps alpha_max evenly on the log scale. When alpha_max is below
 * 1e-15 every value is 1e-15. l1_ratio must be > 0. Returns 0 or -1. */
int enet_alpha_grid(const double *X, size_t n, size_t p, const double *Y, size_t q,
                    double l1_ratio, int fit_intercept, double eps, size_t n_alphas,
                    double *alphas);

/* A path: fits at alphas[0..nalpha) in decreasing order (sorted here), each
 * started from the previous one, as enet_path. coefs is nalpha x q x p
 * (alpha a, output k at coefs + (a * q + k) * p), intercepts nalpha x q,
 * info nalpha x q. Returns 0 or -1 (out of memory). */
typedef struct {
    size_t nalpha, p, q;
    double *alphas, *coefs, *intercepts;
    rg_enet_info *info;
} rg_enet_path;

int enet_path(const double *X, size_t n, size_t p, const double *Y, size_t q,
              const rg_enet_opts *o, int multitask, const double *alphas, size_t nalpha,
              rg_enet_path *out);

void enet_path_free(rg_enet_path *path);

#endif
