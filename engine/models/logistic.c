/* engine/models/logistic.c — penalised binary logistic regression
 * (logistic.h).
 *
 * The parameters theta are the p weights, then the intercept when there is
 * one: the design A is X with a column of ones appended, never built (the
 * products below add the intercept's column by hand). Both solvers start
 * from theta = 0:
 *
 * - L2 and none (smooth objectives): Newton's method. The direction solves
 *   H d = -g with a dense Cholesky factor of H when the parameters number
 *   at most min(n, 512) (without a penalty, a column that depends on the
 *   ones before it gets no step); otherwise (p > n, e.g. 44 x 1522) by
 *   conjugate gradients preconditioned with diag(H), which need only
 *   products with A and A' (O(n p) each, never a p x p matrix), to a
 *   relative residual that shrinks with the gradient (superlinear
 *   convergence). Then a backtracking (Armijo) line search on the
 *   objective.
 * - L1: proximal Newton as liblinear's newGLMNET: each outer step minimises
 *   a quadratic model of the loss plus the exact L1 term over a working set
 *   (the non-zero parameters and those whose gradient is near the threshold
 *   1), to an accuracy that tightens with the outer violation: coordinate
 *   descent (soft-thresholding) with glmnet's active-set cycles finds the
 *   support, and once its zero pattern holds a primal active-set method
 *   with dense Cholesky steps solves the model exactly, which coordinate
 *   descent alone does slowly on collinear or dependent columns. Then
 *   backtracking on the objective with liblinear's sufficient-decrease
 *   rule.
 *
 * The log-loss and its derivatives are computed in forms that neither
 * overflow nor cancel: log(1 + exp(t)) as max(t, 0) + log1p(exp(-|t|)),
 * sigma(z) - 1 as -sigma(-z), sigma(z) sigma(-z) from exp(-|z|). The linear
 * predictor is recomputed from theta after every step (no drift). Products
 * go through CBLAS; the order of every operation is fixed, so a fit is
 * deterministic. */
#include "logistic.h"

#include <cblas.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ITER 100    /* default outer iterations */
#define MAX_SWEEPS 200  /* coordinate-descent sweeps per L1 outer step */
#define MAX_HALVINGS 60 /* line-search step halvings */
#define ARMIJO 1e-4     /* sufficient decrease, smooth objectives */
#define ARMIJO_L1 0.01  /* sufficient decrease, L1 (liblinear's sigma) */
#define NU 1e-12        /* L1 model: added to the curvatures (as liblinear) */
#define MU 1e-12        /* L1 model: times diag(H), added to H (see l1_active_set) */
#define INNER 0.1       /* L1: subproblem tolerance INNER min(v, v^2), v the outer one */
#define DENSE_MAX 512   /* largest system solved by a dense Cholesky factor */

rg_logit_opts logit_default_opts(void)
{
    rg_logit_opts o = {RG_LOGIT_L2, 1.0, 1, 1e-10, 0};
    return o;
}

/* ---- the loss ----------------------------------------------------------------------- */

/* log(1 + exp(t)) */
static double softplus(double t) { return (t > 0 ? t : 0) + log1p(exp(-fabs(t))); }

/* 1 / (1 + exp(-t)) */
static double sigmoid(double t)
{
    if (t >= 0)
        return 1 / (1 + exp(-t));
    double e = exp(t);
    return e / (1 + e);
}

typedef struct {
    const double *X;
    const unsigned char *y;
    size_t n, p, q; /* q = p + 1 with an intercept, p without */
    double c;       /* weight of the loss: C, or 1 without penalty */
    double lam;     /* weight of ||w||^2 / 2: 1 for L2, else 0 */
    int l1;
    double *z;        /* n: the linear predictor A theta */
    double *r;        /* n: dl/dz = sigma(z) - y */
    double *h;        /* n: d2l/dz2 = sigma(z) sigma(-z) */
    double *ad;       /* n: A d */
    double *zt;       /* n: scratch (trial predictors, products) */
    double *g;        /* q: the gradient (of c sum l for L1, of F otherwise) */
    double *d;        /* q: the step */
    double *hd;       /* q: diag(c A' diag(h) A) (+ lam on the weights) */
    size_t dense_cap; /* min(n, q, DENSE_MAX): largest dense system */
    double *dense;    /* dense_cap^2: a Gram matrix / its Cholesky factor */
    double *sv;       /* dense_cap: a dense right-hand side */
    size_t *idx;      /* q: an index set */
    size_t *nz;       /* q: another */
    double *colabs;   /* q: sum_i |A_ij| */
    double *unit;     /* q: 1 / the root mean square of column j (1 if 0): a
                         coefficient's unit in the step test */
    double xmax;      /* max |A_ij| */
} problem;

/* Column j of A (j == p: the intercept's ones, NULL). */
static const double *col(const problem *P, size_t j)
{
    return j < P->p ? P->X + j * P->n : NULL;
}

/* out = A v */
static void mul(const problem *P, const double *v, double *out)
{
    size_t n = P->n;
    double b = P->q > P->p ? v[P->p] : 0;
    size_t nnz = 0;
    for (size_t j = 0; j < P->p; j++)
        nnz += v[j] != 0;
    for (size_t i = 0; i < n; i++)
        out[i] = b;
    if (nnz > P->p / 4) {
        if (n > 0)
            cblas_dgemv(CblasColMajor, CblasNoTrans, (int)n, (int)P->p, 1.0, P->X, (int)n,
                        v, 1, 1.0, out, 1);
        return;
    }
    for (size_t j = 0; j < P->p; j++)
        if (v[j] != 0)
            cblas_daxpy((int)n, v[j], P->X + j * n, 1, out, 1);
}

/* out = c A' u (q values) */
static void tmul(const problem *P, const double *u, double *out)
{
    size_t n = P->n;
    if (P->p > 0 && n > 0)
        cblas_dgemv(CblasColMajor, CblasTrans, (int)n, (int)P->p, P->c, P->X, (int)n, u, 1,
                    0.0, out, 1);
    else
        for (size_t j = 0; j < P->p; j++)
            out[j] = 0;
    if (P->q > P->p) {
        double s = 0;
        for (size_t i = 0; i < n; i++)
            s += u[i];
        out[P->p] = P->c * s;
    }
}

/* sum_i A_ij u_i */
static double col_dot(const problem *P, size_t j, const double *u)
{
    const double *x = col(P, j);
    if (x)
        return cblas_ddot((int)P->n, x, 1, u, 1);
    double s = 0;
    for (size_t i = 0; i < P->n; i++)
        s += u[i];
    return s;
}

/* sum_i l_i at the linear predictors z */
static double loss(const problem *P, const double *z)
{
    double s = 0;
    for (size_t i = 0; i < P->n; i++)
        s += softplus(P->y[i] ? -z[i] : z[i]);
    return s;
}

/* The penalty at theta: ||w||^2 / 2 (L2), ||theta||_1 (L1) or 0. */
static double penalty(const problem *P, const double *th)
{
    double s = 0;
    if (P->l1)
        for (size_t j = 0; j < P->q; j++)
            s += fabs(th[j]);
    else if (P->lam > 0)
        for (size_t j = 0; j < P->p; j++)
            s += th[j] * th[j];
    return P->l1 ? s : P->lam * s / 2;
}

/* r and h at P->z */
static void derivs(problem *P)
{
    for (size_t i = 0; i < P->n; i++) {
        double z = P->z[i], e = exp(-fabs(z));
        P->r[i] = P->y[i] ? -sigmoid(-z) : sigmoid(z);
        P->h[i] = e / ((1 + e) * (1 + e));
    }
}

/* g = c A' r (+ lam w) and hd = c diag(A' diag(h) A) at P->r, P->h */
static void gradient(problem *P, const double *th)
{
    tmul(P, P->r, P->g);
    for (size_t j = 0; j < P->q; j++) {
        const double *x = col(P, j);
        double t = 0;
        for (size_t i = 0; i < P->n; i++)
            t += (x ? x[i] * x[i] : 1) * P->h[i];
        P->g[j] += j < P->p ? P->lam * th[j] : 0;
        P->hd[j] = P->c * t + (j < P->p ? P->lam : 0);
    }
}

/* An estimate of the rounding error of each P->g[j], written to out[0..q): the
 * error of the predictors (sums of terms of size a_i = sum_k |A_ik theta_k|)
 * carried through r, and that of the sums over the rows. tmp: n doubles. */
static void gradient_noise(const problem *P, const double *th, double *out, double *tmp)
{
    size_t n = P->n;
    double eps = DBL_EPSILON * (8 + sqrt((double)n));
    for (size_t i = 0; i < n; i++)
        tmp[i] = P->q > P->p ? fabs(th[P->p]) : 0;
    for (size_t j = 0; j < P->p; j++)
        for (size_t i = 0; i < n; i++)
            tmp[i] += fabs(P->X[j * n + i] * th[j]);
    for (size_t j = 0; j < P->q; j++) {
        const double *x = col(P, j);
        double s = 0;
        for (size_t i = 0; i < n; i++)
            s += (x ? fabs(x[i]) : 1) * (fabs(P->r[i]) + P->h[i] * tmp[i]);
        out[j] = eps * (P->c * s + (j < P->p ? P->lam * fabs(th[j]) : 0));
    }
}

/* The violation of the optimality condition at theta_j with gradient g_j:
 * |g_j| for smooth objectives; for L1 the distance from 0 to the
 * subdifferential g_j + d|theta_j|. */
static double violation(int l1, double th, double g)
{
    if (!l1)
        return fabs(g);
    if (th > 0)
        return fabs(g + 1);
    if (th < 0)
        return fabs(g - 1);
    return fabs(g) > 1 ? fabs(g) - 1 : 0;
}

/* Whether every violation viol[j] is within the rounding error of
 * computing it (gradient_noise, written to noise). */
static int at_floor(const problem *P, const double *th, const double *viol, double *noise)
{
    /* first a bound on gradient_noise without a pass over X (|r_i| <= 1,
     * h_i <= 1/4, a_i <= xmax ||theta||_1): most iterates are far above it */
    double eps = DBL_EPSILON * (8 + sqrt((double)P->n)), l1 = 0;
    for (size_t j = 0; j < P->q; j++)
        l1 += fabs(th[j]);
    double big = 1 + 0.25 * P->xmax * l1;
    for (size_t j = 0; j < P->q; j++)
        if (viol[j] > eps * (P->c * P->colabs[j] * big + P->lam * fabs(th[j])))
            return 0;
    gradient_noise(P, th, noise, P->zt);
    for (size_t j = 0; j < P->q; j++)
        if (viol[j] > noise[j])
            return 0;
    return 1;
}

/* ---- dense Newton systems ----------------------------------------------------------- */

/* G (k x k, row-major, lower triangle) = c A_S' diag(h) A_S plus rw on the
 * diagonal of weights and rb on that of the intercept, S = S[0..k).
 * tmp: n doubles. */
static void gram(const problem *P, const size_t *S, size_t k, double rw, double rb,
                 double *G, double *tmp)
{
    size_t n = P->n;
    for (size_t a = 0; a < k; a++) {
        const double *x = col(P, S[a]);
        for (size_t i = 0; i < n; i++)
            tmp[i] = P->h[i] * (x ? x[i] : 1);
        for (size_t b = a; b < k; b++)
            G[b * k + a] = P->c * col_dot(P, S[b], tmp);
        G[a * k + a] += S[a] < P->p ? rw : rb;
    }
}

/* Cholesky factor L (lower, in place) of the k x k G. A pivot below 1e-13
 * times its diagonal element (a column that is, to rounding, a combination
 * of the ones before it, whatever the scales of the columns) is skipped:
 * its column of L is set to 0, and chol_solve gives that variable 0.
 * Returns the number skipped (0: G is numerically positive definite). */
static size_t cholesky(double *G, size_t k)
{
    size_t skipped = 0;
    for (size_t j = 0; j < k; j++) {
        double s = G[j * k + j], diag = s;
        for (size_t m = 0; m < j; m++)
            s -= G[j * k + m] * G[j * k + m];
        if (!(s > 1e-13 * diag)) {
            for (size_t i = j; i < k; i++)
                G[i * k + j] = 0;
            skipped++;
            continue;
        }
        s = sqrt(s);
        G[j * k + j] = s;
        for (size_t i = j + 1; i < k; i++) {
            double t = G[i * k + j];
            for (size_t m = 0; m < j; m++)
                t -= G[i * k + m] * G[j * k + m];
            G[i * k + j] = t / s;
        }
    }
    return skipped;
}

/* b = (L L')^-1 b, 0 for the skipped variables */
static void chol_solve(const double *L, size_t k, double *b)
{
    for (size_t i = 0; i < k; i++) {
        double t = b[i];
        for (size_t m = 0; m < i; m++)
            t -= L[i * k + m] * b[m];
        b[i] = L[i * k + i] > 0 ? t / L[i * k + i] : 0;
    }
    for (size_t i = k; i-- > 0;) {
        double t = b[i];
        for (size_t m = i + 1; m < k; m++)
            t -= L[m * k + i] * b[m];
        b[i] = L[i * k + i] > 0 ? t / L[i * k + i] : 0;
    }
}

/* ---- L2 and none: Newton ------------------------------------------------------------ */

/* out = H v, H = c A' diag(h) A + lam I_w */
static void hess_mul(problem *P, const double *v, double *out)
{
    mul(P, v, P->zt);
    for (size_t i = 0; i < P->n; i++)
        P->zt[i] *= P->h[i];
    tmul(P, P->zt, out);
    for (size_t j = 0; j < P->p; j++)
        out[j] += P->lam * v[j];
}

static double dot(const double *a, const double *b, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += a[i] * b[i];
    return s;
}

/* d = -H^-1 g: by a dense Cholesky factor when q <= dense_cap (a column
 * that depends on the ones before it, possible without a penalty, gets no
 * step); otherwise by conjugate gradients preconditioned with 1 / diag(H),
 * to ||residual|| <= eta ||g||. Returns 1 when solved so
 * (0: conjugate gradients broke down or ran out; d is then still a descent
 * direction). work: 4 q doubles. */
static int newton_direction(problem *P, double eta, double *work)
{
    size_t q = P->q;
    double *d = P->d, *pre = P->hd; /* hd holds diag(H) */
    if (q <= P->dense_cap) {
        for (size_t j = 0; j < q; j++)
            P->idx[j] = j;
        gram(P, P->idx, q, P->lam, 0, P->dense, P->zt);
        cholesky(P->dense, q); /* dependent columns (no penalty) are held */
        for (size_t j = 0; j < q; j++)
            d[j] = -P->g[j];
        chol_solve(P->dense, q, d);
        if (dot(d, P->g, q) < 0)
            return 1;
    }
    double *res = work, *zc = work + q, *pc = work + 2 * q, *hp = work + 3 * q;
    for (size_t j = 0; j < q; j++) {
        d[j] = 0;
        res[j] = -P->g[j];
        zc[j] = pre[j] > 0 ? res[j] / pre[j] : res[j];
        pc[j] = zc[j];
    }
    double rz = dot(res, zc, q), target = eta * sqrt(dot(P->g, P->g, q));
    size_t cap = 2 * q + 20;
    int solved = 0;
    for (size_t k = 0; k < cap && !solved; k++) {
        hess_mul(P, pc, hp);
        double php = dot(pc, hp, q);
        if (!(php > 0))
            break; /* no curvature left along pc (a singular H without penalty) */
        double alpha = rz / php;
        for (size_t j = 0; j < q; j++) {
            d[j] += alpha * pc[j];
            res[j] -= alpha * hp[j];
        }
        if (sqrt(dot(res, res, q)) <= target) {
            solved = 1;
            break;
        }
        for (size_t j = 0; j < q; j++)
            zc[j] = pre[j] > 0 ? res[j] / pre[j] : res[j];
        double rz1 = dot(res, zc, q);
        if (!(rz1 > 0))
            break;
        for (size_t j = 0; j < q; j++)
            pc[j] = zc[j] + rz1 / rz * pc[j];
        rz = rz1;
    }
    if (!(dot(d, P->g, q) < 0)) { /* nothing usable: the preconditioned gradient */
        for (size_t j = 0; j < q; j++)
            d[j] = -(pre[j] > 0 ? P->g[j] / pre[j] : P->g[j]);
        solved = 0;
    }
    return solved;
}

/* Every row on its own class's side: margins (2y - 1) z all > 0. */
static int separated(const problem *P)
{
    for (size_t i = 0; i < P->n; i++)
        if (!((P->y[i] ? P->z[i] : -P->z[i]) > 0))
            return 0;
    return 1;
}

/* ---- L1: proximal Newton ------------------------------------------------------------ */

/* argmin_x (x - v)^2 / 2 + k |x| */
static double soft(double v, double k) { return v > k ? v - k : v < -k ? v + k : 0; }

/* The model's gradient in coordinate j at d (P->ad holding diag(h) A d). */
static double model_grad(const problem *P, size_t j)
{
    return P->g[j] + P->c * col_dot(P, j, P->ad) + (MU * P->hd[j] + NU) * P->d[j];
}

/* d_j += step, keeping P->ad = diag(h) A d */
static void model_move(problem *P, size_t j, double step)
{
    const double *x = col(P, j);
    P->d[j] += step;
    for (size_t i = 0; i < P->n; i++)
        P->ad[i] += step * P->h[i] * (x ? x[i] : 1);
}

/* The subproblem: minimise Q(d) + ||theta + d||_1 with Q(d) = g'd + d'Md /
 * 2, M = H + MU diag(H) + NU I, H = c A' diag(h) A, over the coordinates
 * act[0..na) (the others of d stay 0), P->ad holding diag(h) A d. One
 * cyclic coordinate-descent sweep (update 0: only the violations at d);
 * returns the largest violation met (before each coordinate's update);
 * *moved says whether a coordinate of u = theta + d became or stopped
 * being 0. */
static double l1_sweep(problem *P, const double *th, const size_t *act, size_t na,
                       int *moved, int update)
{
    double vmax = 0;
    *moved = 0;
    for (size_t k = 0; k < na; k++) {
        size_t j = act[k];
        double G = model_grad(P, j), H = (1 + MU) * P->hd[j] + NU;
        double u = th[j] + P->d[j];
        double v = violation(1, u, G);
        if (v > vmax)
            vmax = v;
        if (!update)
            continue;
        double u1 = soft(u - G / H, 1 / H);
        if (u1 != u) {
            *moved |= (u == 0) != (u1 == 0);
            model_move(P, j, u1 - u);
        }
    }
    return vmax;
}

/* The subproblem over act[0..na) solved exactly from the current d by a
 * primal active-set method, as for a quadratic programme: on the set S of
 * non-zero coordinates of u = theta + d, their signs s held, the model is
 * a smooth quadratic, minimised by the Newton step M_SS delta = -(grad Q +
 * s)_S (dense Cholesky) — taken whole, or up to the first coordinate that
 * reaches 0, which then leaves S; after a whole step the zero coordinate
 * that most violates its condition |grad Q_j| <= 1 enters S at its own
 * minimiser. Coordinate descent is slow where the columns are collinear and
 * where a coordinate must change sign against the pull of the others; this
 * is not. Where columns of S are dependent (duplicates, a constant column
 * beside the intercept), the MU term of M makes the step run along the
 * direction the loss does not see until a coordinate reaches 0: the weight
 * goes to the column whose L1 cost is lower. Returns 1 when no zero
 * coordinate violates by more than tol, 0 when S would grow past dense_cap
 * or the steps run out (d is then still better than it was). */
static int l1_active_set(problem *P, const double *th, const size_t *act, size_t na,
                         double tol)
{
    double *delta = P->sv, *L = P->dense;
    for (size_t steps = 0; steps < 2 * na + 20; steps++) {
        size_t k = 0;
        for (size_t a = 0; a < na; a++)
            if (th[act[a]] + P->d[act[a]] != 0) {
                if (k == P->dense_cap)
                    return 0;
                P->idx[k++] = act[a];
            }
        if (k > 0) {
            for (size_t a = 0; a < k; a++) {
                size_t j = P->idx[a];
                delta[a] = -(model_grad(P, j) + (th[j] + P->d[j] > 0 ? 1 : -1));
            }
            gram(P, P->idx, k, 0, 0, L, P->zt);
            for (size_t a = 0; a < k; a++)
                L[a * k + a] += MU * P->hd[P->idx[a]] + NU;
            cholesky(L, k); /* only an all-zero column could be skipped (held) */
            chol_solve(L, k, delta);
            double t = 1;
            size_t hit = k;
            for (size_t a = 0; a < k; a++) {
                double u = th[P->idx[a]] + P->d[P->idx[a]];
                if ((u > 0 && u + delta[a] < 0) || (u < 0 && u + delta[a] > 0)) {
                    double ta = -u / delta[a];
                    if (ta < t) {
                        t = ta;
                        hit = a;
                    }
                }
            }
            for (size_t a = 0; a < k; a++) {
                size_t j = P->idx[a];
                double step = a == hit ? -(th[j] + P->d[j]) : t * delta[a];
                if (step != 0)
                    model_move(P, j, step);
                if (a == hit)
                    P->d[j] = -th[j]; /* exactly 0 */
            }
            if (hit < k)
                continue;
        }
        size_t enter = na;
        double worst = tol, G = 0;
        for (size_t a = 0; a < na; a++) {
            size_t j = act[a];
            if (th[j] + P->d[j] != 0)
                continue;
            double Gj = model_grad(P, j);
            if (fabs(Gj) - 1 > worst) {
                worst = fabs(Gj) - 1;
                enter = a;
                G = Gj;
            }
        }
        if (enter == na)
            return 1;
        size_t j = act[enter];
        double H = (1 + MU) * P->hd[j] + NU;
        model_move(P, j, soft(-G / H, 1 / H));
    }
    return 0;
}

/* Solve the subproblem over act[0..na) from d = 0 to a largest violation
 * <= tol. Coordinate descent over the whole set finds the coordinates that
 * leave 0; sweeps over the non-zero ones alone follow (glmnet's active-set
 * cycles) until those settle or, once a sweep leaves the zero pattern as it
 * was, l1_active_set solves the subproblem exactly; then the whole set
 * again, until a sweep over it meets tol. Leaves d and ad = A d (diag(h) A
 * d on the way); returns 1 when tol was met, 0 when the sweeps ran out. */
static int l1_subproblem(problem *P, const double *th, const size_t *act, size_t na,
                         double tol)
{
    memset(P->d, 0, P->q * sizeof *P->d);
    memset(P->ad, 0, P->n * sizeof *P->ad);
    size_t sweeps = 0, *nz = P->nz;
    int moved, solved = 0;
    while (sweeps++ < MAX_SWEEPS) {
        /* a sweep's violations are each met before the coordinates after
         * it move: one within tol is checked at its end */
        if (l1_sweep(P, th, act, na, &moved, 1) <= tol &&
            l1_sweep(P, th, act, na, &moved, 0) <= tol) {
            solved = 1;
            break;
        }
        size_t k = 0;
        for (size_t a = 0; a < na; a++)
            if (th[act[a]] + P->d[act[a]] != 0)
                nz[k++] = act[a];
        while (sweeps++ < MAX_SWEEPS && l1_sweep(P, th, nz, k, &moved, 1) > tol)
            if (!moved && l1_active_set(P, th, act, na, tol))
                break;
    }
    mul(P, P->d, P->ad);
    return solved;
}

/* ---- the outer iterations ----------------------------------------------------------- */

/* Backtracking along d from t = 1 (P->ad = A d): the first t = 2^-k with
 * F(theta + t d) - F <= sigma t pred, pred < 0 the decrease the model
 * predicts; a prediction below the rounding of F takes t = 1 (only the
 * model can still see a decrease there). Returns t, or 0 when none
 * decreased F. trial: q doubles. */
static double line_search(problem *P, const double *th, double F, double pred, double sigma,
                          double *trial)
{
    double t = 1;
    for (int k = 0; k < MAX_HALVINGS; k++, t /= 2) {
        for (size_t i = 0; i < P->n; i++)
            P->zt[i] = P->z[i] + t * P->ad[i];
        for (size_t j = 0; j < P->q; j++)
            trial[j] = th[j] + t * P->d[j];
        double Ft = P->c * loss(P, P->zt) + penalty(P, trial);
        if (Ft - F <= sigma * t * pred || (k == 0 && -pred <= 64 * DBL_EPSILON * fabs(F)))
            return t;
    }
    return 0;
}

/* Newton (L2, none) or proximal Newton (L1) from theta = 0; theta (q) gets
 * the result, out the counts and flags. Converged when a step taken whole
 * is at most tol max(|theta_j|, unit_j) in every coordinate, or when the
 * optimality conditions hold to within their rounding error (logistic.h). Returns 0 or
 * -1 (out of memory). */
static int fit(problem *P, double *th, size_t max_iter, double tol, rg_logit *out)
{
    size_t q = P->q, n = P->n;
    double *work = malloc((7 * q + 1) * sizeof *work);
    size_t *act = malloc((q + 1) * sizeof *act);
    if (!work || !act) {
        free(work);
        free(act);
        return -1;
    }
    double *viol = work + 4 * q, *noise = work + 5 * q, *trial = work + 6 * q;
    memset(th, 0, q * sizeof *th);
    memset(P->z, 0, n * sizeof *P->z);
    double F = P->c * loss(P, P->z), g0 = 0;
    for (size_t it = 0;; it++) {
        derivs(P);
        if (!P->l1 && P->lam == 0 && separated(P)) {
            out->separated = 1;
            break;
        }
        gradient(P, th);
        double vmax = 0;
        for (size_t j = 0; j < q; j++) {
            viol[j] = violation(P->l1, th[j], P->g[j]);
            if (viol[j] > vmax)
                vmax = viol[j];
        }
        if (at_floor(P, th, viol, noise)) {
            out->converged = 1;
            break;
        }
        if (it == max_iter)
            break;
        out->n_iter = it + 1;
        double pred = 0, sigma;
        int solved;
        if (P->l1) {
            /* the working set: non-zero, or a gradient within vmax of the
             * threshold 1 (every violating coordinate is in) */
            double margin = vmax < 0.5 ? vmax : 0.5;
            size_t na = 0;
            for (size_t j = 0; j < q; j++)
                if (th[j] != 0 || fabs(P->g[j]) > 1 - margin)
                    act[na++] = j;
            double inner = INNER * vmax * (vmax < 1 ? vmax : 1);
            solved = l1_subproblem(P, th, act, na, inner > 0.1 * tol ? inner : 0.1 * tol);
            for (size_t j = 0; j < q; j++)
                pred += P->g[j] * P->d[j] + fabs(th[j] + P->d[j]) - fabs(th[j]);
            sigma = ARMIJO_L1;
        } else {
            double gnorm = sqrt(dot(P->g, P->g, q));
            if (it == 0)
                g0 = gnorm;
            double eta = g0 > 0 ? sqrt(gnorm / g0) : 0.1;
            solved = newton_direction(P, eta < 0.1 ? eta : 0.1, work);
            mul(P, P->d, P->ad);
            pred = dot(P->g, P->d, q);
            sigma = ARMIJO;
        }
        int small = solved;
        for (size_t j = 0; j < q && small; j++)
            small = fabs(P->d[j]) <=
                    tol * (fabs(th[j]) > P->unit[j] ? fabs(th[j]) : P->unit[j]);
        double t = line_search(P, th, F, pred, sigma, trial);
        if (t == 0)
            break; /* no decrease found: stuck at rounding level */
        for (size_t j = 0; j < q; j++)
            th[j] += t * P->d[j];
        mul(P, th, P->z);
        F = P->c * loss(P, P->z) + penalty(P, th);
        if (small && t == 1) {
            out->converged = 1;
            break;
        }
    }
    free(work);
    free(act);
    return 0;
}

/* ---- the public functions ----------------------------------------------------------- */

int logit_fit(const double *X, size_t n, size_t p, const unsigned char *y,
              const rg_logit_opts *o, rg_logit *out)
{
    rg_logit_opts def = logit_default_opts();
    if (!o)
        o = &def;
    memset(out, 0, sizeof *out);
    if ((o->penalty != RG_LOGIT_L2 && o->penalty != RG_LOGIT_L1 &&
         o->penalty != RG_LOGIT_NONE) ||
        !(o->tol > 0) || (o->penalty != RG_LOGIT_NONE && !(o->C > 0 && isfinite(o->C))))
        return RG_LOGIT_BAD_OPTS;
    if (n > INT_MAX || p > INT_MAX || (p > 0 && n > SIZE_MAX / p))
        return RG_LOGIT_TOO_LARGE; /* CBLAS counts in int */
    size_t ones = 0;
    for (size_t i = 0; i < n; i++) {
        if (y[i] > 1)
            return RG_LOGIT_BAD_Y;
        ones += y[i];
    }
    if (ones == 0 || ones == n)
        return RG_LOGIT_ONE_CLASS;
    for (size_t k = 0; k < n * p; k++)
        if (!isfinite(X[k]))
            return RG_LOGIT_NONFINITE;

    problem P = {0};
    P.X = X;
    P.y = y;
    P.n = n;
    P.p = p;
    P.q = p + (o->fit_intercept != 0);
    P.l1 = o->penalty == RG_LOGIT_L1;
    P.c = o->penalty == RG_LOGIT_NONE ? 1 : o->C;
    P.lam = o->penalty == RG_LOGIT_L2 ? 1 : 0;
    size_t qq = P.q ? P.q : 1;
    P.dense_cap = n < P.q ? n : P.q;
    if (P.dense_cap > DENSE_MAX)
        P.dense_cap = DENSE_MAX;
    size_t dc = P.dense_cap ? P.dense_cap : 1;
    double *nbuf = malloc(5 * n * sizeof *nbuf), *qbuf = malloc(4 * qq * sizeof *qbuf);
    double *dbuf = malloc((dc * dc + dc) * sizeof *dbuf);
    P.idx = malloc(2 * qq * sizeof *P.idx);
    P.colabs = malloc(2 * qq * sizeof *P.colabs);
    out->coef = malloc((p ? p : 1) * sizeof *out->coef);
    if (!nbuf || !qbuf || !dbuf || !P.idx || !P.colabs || !out->coef) {
        free(nbuf);
        free(qbuf);
        free(dbuf);
        free(P.idx);
        free(P.colabs);
        logit_free(out);
        return -1;
    }
    P.z = nbuf;
    P.r = nbuf + n;
    P.h = nbuf + 2 * n;
    P.ad = nbuf + 3 * n;
    P.zt = nbuf + 4 * n;
    double *th = qbuf;
    P.g = qbuf + qq;
    P.d = qbuf + 2 * qq;
    P.hd = qbuf + 3 * qq;
    P.nz = P.idx + qq;
    P.unit = P.colabs + qq;
    P.xmax = P.q > p ? 1 : 0;
    for (size_t j = 0; j < P.q; j++) {
        double s = 0, s2 = 0;
        for (size_t i = 0; i < n; i++) {
            double a = j < p ? fabs(X[j * n + i]) : 1;
            s += a;
            s2 += a * a;
            if (a > P.xmax)
                P.xmax = a;
        }
        P.colabs[j] = s;
        P.unit[j] = s2 > 0 ? 1 / sqrt(s2 / (double)n) : 1;
    }
    P.dense = dbuf;
    P.sv = dbuf + dc * dc;
    size_t max_iter = o->max_iter ? o->max_iter : MAX_ITER;
    int rc = fit(&P, th, max_iter, o->tol, out);
    if (rc == 0) {
        out->p = p;
        memcpy(out->coef, th, p * sizeof *th);
        out->intercept = P.q > p ? th[p] : 0;
        out->objective = P.c * loss(&P, P.z) + penalty(&P, th);
    }
    free(nbuf);
    free(qbuf);
    free(dbuf);
    free(P.idx);
    free(P.colabs);
    if (rc != 0)
        logit_free(out);
    return rc;
}

void logit_predict_proba(const rg_logit *m, const double *X, size_t n, double *prob)
{
    for (size_t i = 0; i < n; i++)
        prob[i] = m->intercept;
    for (size_t j = 0; j < m->p; j++)
        for (size_t i = 0; i < n; i++)
            prob[i] += m->coef[j] * X[j * n + i];
    for (size_t i = 0; i < n; i++)
        prob[i] = sigmoid(prob[i]);
}

void logit_free(rg_logit *m)
{
    free(m->coef);
    memset(m, 0, sizeof *m);
}
