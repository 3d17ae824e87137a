/* engine/stats/cox.c — Cox regression (cox.h).
 *
 * The fit follows the numerical decisions of survival's coxph.fit, so that
 * the same data give the same numbers, including when the likelihood is
 * monotone or the iterations run out:
 * - columns are centred on their mean and scaled by n / sum|x - mean|,
 *   except columns whose values are all in {-1, 0, 1} (coxph's nocenter);
 * - the data are sorted by stratum and time, and the partial likelihood, its
 *   score and information are accumulated from the last time down, the
 *   subjects tied at a time entering the risk set together (Breslow), or the
 *   deaths entering in d equal parts (Efron; the same as Breslow for d = 1);
 * - Newton-Raphson from 0, converged when |1 - loglik_old / loglik_new| <=
 *   eps; a step that lowers the likelihood or overflows is pulled back
 *   towards the last good point, more each time (halving h: new =
 *   (new + h old) / (h + 1));
 * - the information is factored as L D L' with pivots below toler_chol times
 *   the largest diagonal taken as 0 (survival's cholesky2): such a column
 *   gets no step and no variance. At coef = 0 it means the columns are
 *   collinear, an error here where R would give NA.
 * Concordance is Harrell's C over comparable pairs as survival's
 * concordance() (reverse = TRUE: the higher risk should die first), with the
 * infinitesimal-jackknife standard error, counted with Fenwick trees over
 * the ranks of the linear predictor in O(n log n). */
#include "cox.h"

#include <float.h>
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

rg_cox_opts cox_default_opts(void)
{
    rg_cox_opts o = {RG_COX_EFRON, 20, 1e-9, 0, 0, 0.95};
    o.toler_chol = pow(DBL_EPSILON, 0.75);
    o.toler_inf = sqrt(o.eps);
    return o;
}

/* ---- L D L' (survival's cholesky2 / chsolve2 / chinv2 semantics) ----------- */

/* Factor the symmetric p x p row-major m in place: L strictly below the
 * diagonal, D on it. A pivot that is not finite or below toler times the
 * largest diagonal becomes 0 and its column of L is cleared, which removes
 * that variable from solves and inverses. Returns the rank; *first is the
 * first such column (p when none). */
static size_t ldl(double *m, size_t p, double toler, size_t *first)
{
    double big = 0;
    for (size_t i = 0; i < p; i++)
        if (m[i * p + i] > big)
            big = m[i * p + i];
    double eps = big == 0 ? toler : big * toler;
    size_t rank = 0;
    *first = p;
    for (size_t i = 0; i < p; i++) {
        double piv = m[i * p + i];
        if (!isfinite(piv) || piv < eps) {
            m[i * p + i] = 0;
            for (size_t j = i + 1; j < p; j++)
                m[j * p + i] = 0;
            if (*first == p)
                *first = i;
            continue;
        }
        rank++;
        for (size_t j = i + 1; j < p; j++) {
            double t = m[j * p + i] / piv;
            m[j * p + i] = t;
            m[j * p + j] -= t * t * piv;
            for (size_t k = j + 1; k < p; k++)
                m[k * p + j] -= t * m[k * p + i];
        }
    }
    return rank;
}

/* Solve (L D L') x = b in place on b, with 0 for removed variables. */
static void ldl_solve(const double *m, size_t p, double *b)
{
    for (size_t i = 0; i < p; i++)
        for (size_t j = 0; j < i; j++)
            b[i] -= m[i * p + j] * b[j];
    for (size_t i = 0; i < p; i++)
        b[i] = m[i * p + i] == 0 ? 0 : b[i] / m[i * p + i];
    for (size_t i = p; i-- > 0;)
        for (size_t j = i + 1; j < p; j++)
            b[i] -= m[j * p + i] * b[j];
}

/* The inverse of the factored m into inv (p x p), zero rows and columns for
 * removed variables. col: p doubles of scratch. */
static void ldl_inverse(const double *m, size_t p, double *inv, double *col)
{
    for (size_t k = 0; k < p; k++) {
        for (size_t i = 0; i < p; i++)
            col[i] = i == k;
        ldl_solve(m, p, col);
        for (size_t i = 0; i < p; i++)
            inv[i * p + k] = col[i];
    }
    for (size_t i = 0; i < p; i++) /* symmetric up to rounding: make it exact */
        for (size_t j = 0; j < i; j++)
            inv[j * p + i] = inv[i * p + j] = (inv[i * p + j] + inv[j * p + i]) / 2;
}

/* ---- the data, sorted --------------------------------------------------------- */

typedef struct {
    size_t n, p;
    int efron;
    size_t *idx;     /* sorted position -> input row */
    double *time;    /* sorted */
    int *status;     /* sorted */
    size_t *stratum; /* sorted; all 0 without strata */
    double *x;       /* n x p row-major, sorted, centred and scaled */
    double *eta;     /* n: the linear predictor of a sweep, sorted */
    double *work;    /* 2 p + 2 p p */
} cdata;

/* Sort keys with the row they belong to: qsort has no context argument in
 * C11, so the keys travel with the indices. */
typedef struct {
    size_t stratum;
    double key;
    size_t i;
} keyed;

/* By stratum, then key, then row (a deterministic order of ties). */
static int by_keyed(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    if (x->stratum != y->stratum)
        return x->stratum < y->stratum ? -1 : 1;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

static void cdata_free(cdata *d)
{
    free(d->idx);
    free(d->time);
    free(d->status);
    free(d->stratum);
    free(d->x);
    free(d->eta);
    free(d->work);
}

/* Sort by stratum and time; x stays unscaled (the caller scales). */
static int cdata_init(cdata *d, const double *time, const int *status, const double *X,
                      size_t n, size_t p, const size_t *strata, int efron)
{
    memset(d, 0, sizeof *d);
    d->n = n;
    d->p = p;
    d->efron = efron;
    size_t nn = n ? n : 1, pp = p ? p : 1;
    d->idx = malloc(nn * sizeof *d->idx);
    d->time = malloc(nn * sizeof *d->time);
    d->status = malloc(nn * sizeof *d->status);
    d->stratum = malloc(nn * sizeof *d->stratum);
    d->x = malloc(nn * pp * sizeof *d->x);
    d->eta = malloc(nn * sizeof *d->eta);
    d->work = malloc((2 * pp + 2 * pp * pp) * sizeof *d->work);
    if (!d->idx || !d->time || !d->status || !d->stratum || !d->x || !d->eta || !d->work) {
        cdata_free(d);
        return -1;
    }
    keyed *key = malloc(nn * sizeof *key);
    if (!key) {
        cdata_free(d);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        key[i] = (keyed){strata ? strata[i] : 0, time[i], i};
    qsort(key, n, sizeof *key, by_keyed);
    for (size_t i = 0; i < n; i++)
        d->idx[i] = key[i].i;
    free(key);
    for (size_t k = 0; k < n; k++) {
        size_t i = d->idx[k];
        d->time[k] = time[i];
        d->status[k] = status[i];
        d->stratum[k] = strata ? strata[i] : 0;
        for (size_t j = 0; j < p; j++)
            d->x[k * p + j] = X[j * n + i];
    }
    return 0;
}

/* What a sweep over the risk sets reports: each death (its sorted row and
 * linear predictor), then each term of the partial likelihood at that time
 * (Breslow: one with all the deaths in, weight d; Efron: d terms, the deaths
 * entering a d-th at a time, weight 1), with the risk set's sums at that
 * term: denom = sum exp(eta), a = sum exp(eta) x, c = sum exp(eta) x x'
 * (lower triangle, p x p). */
typedef struct {
    void (*death)(void *ctx, size_t k, double eta);
    void (*term)(void *ctx, double w, double denom, const double *a, const double *c);
    void *ctx;
} sweep_fns;

/* The risk sets of d at the linear predictor d->eta (sorted order), from the
 * last time down within each stratum; the subjects tied at a time enter
 * together, the deaths as the ties method says. */
static void risk_sweep(const cdata *d, const sweep_fns *f)
{
    size_t n = d->n, p = d->p;
    double *a = d->work, *a2 = a + p, *c = a2 + p, *c2 = c + p * p, denom = 0;
    for (size_t i = n; i > 0;) {
        size_t last = i - 1, s = d->stratum[last];
        if (i == n || d->stratum[i] != s) { /* a new stratum, from its end */
            denom = 0;
            memset(a, 0, p * sizeof *a);
            memset(c, 0, p * p * sizeof *c);
        }
        double t = d->time[last], ndead = 0, denom2 = 0;
        memset(a2, 0, p * sizeof *a2);
        memset(c2, 0, p * p * sizeof *c2);
        size_t j = i;
        while (j > 0 && d->time[j - 1] == t && d->stratum[j - 1] == s) {
            size_t k = j - 1;
            const double *x = d->x + k * p;
            double risk = exp(d->eta[k]);
            double *sa = a, *sc = c;
            if (d->status[k]) {
                ndead += 1;
                denom2 += risk;
                f->death(f->ctx, k, d->eta[k]);
                sa = a2;
                sc = c2;
            } else {
                denom += risk;
            }
            for (size_t r = 0; r < p; r++) {
                double rx = risk * x[r];
                sa[r] += rx;
                for (size_t q = 0; q <= r; q++)
                    sc[r * p + q] += rx * x[q];
            }
            j--;
        }
        if (ndead > 0) {
            size_t terms = d->efron && ndead > 1 ? (size_t)ndead : 1;
            for (size_t k = 0; k < terms; k++) {
                denom += denom2 / (double)terms;
                for (size_t r = 0; r < p; r++) {
                    a[r] += a2[r] / (double)terms;
                    for (size_t q = 0; q <= r; q++)
                        c[r * p + q] += c2[r * p + q] / (double)terms;
                }
                f->term(f->ctx, ndead / (double)terms, denom, a, c);
            }
        }
        i = j;
    }
}

/* ---- the partial likelihood, its score and information ---------------------- */

typedef struct {
    const cdata *d;
    double loglik, *u, *imat;
} lik_ctx;

static void lik_death(void *ctx, size_t k, double eta)
{
    lik_ctx *l = ctx;
    const double *x = l->d->x + k * l->d->p;
    l->loglik += eta;
    for (size_t r = 0; r < l->d->p; r++)
        l->u[r] += x[r];
}

static void lik_term(void *ctx, double w, double denom, const double *a, const double *c)
{
    lik_ctx *l = ctx;
    size_t p = l->d->p;
    l->loglik -= w * log(denom);
    for (size_t r = 0; r < p; r++) {
        double mean = a[r] / denom;
        l->u[r] -= w * mean;
        for (size_t q = 0; q <= r; q++)
            l->imat[r * p + q] += w * (c[r * p + q] - mean * a[q]) / denom;
    }
}

/* The log partial likelihood at beta, with the score u (p) and the
 * information imat (p x p, full) at beta. */
static double cox_iter(const cdata *d, const double *beta, double *u, double *imat)
{
    size_t n = d->n, p = d->p;
    for (size_t k = 0; k < n; k++) {
        double zb = 0;
        for (size_t r = 0; r < p; r++)
            zb += beta[r] * d->x[k * p + r];
        d->eta[k] = zb;
    }
    memset(u, 0, p * sizeof *u);
    memset(imat, 0, p * p * sizeof *imat);
    lik_ctx l = {d, 0, u, imat};
    sweep_fns f = {lik_death, lik_term, &l};
    risk_sweep(d, &f);
    for (size_t r = 0; r < p; r++)
        for (size_t q = 0; q < r; q++)
            imat[q * p + r] = imat[r * p + q];
    return l.loglik;
}

static int all_finite(const double *v, size_t m)
{
    for (size_t i = 0; i < m; i++)
        if (!isfinite(v[i]))
            return 0;
    return 1;
}

/* ---- concordance ---------------------------------------------------------------- */

static void fen_add(double *f, size_t m, size_t r)
{
    for (; r <= m; r += r & (~r + 1))
        f[r] += 1;
}

static double fen_sum(const double *f, size_t r) /* entries of ranks 1..r */
{
    double s = 0;
    for (; r > 0; r -= r & (~r + 1))
        s += f[r];
    return s;
}

/* Harrell's C and its standard error from the linear predictor lp (sorted
 * order, as d). Counts each subject's concordant, discordant and tied-in-lp
 * comparable pairs: i (an event) against every j at risk after it, or
 * censored at the same time. */
static int concordance(const cdata *d, const double *lp, rg_cox *out)
{
    size_t n = d->n, nn = n ? n : 1;
    double *cnt = calloc(3 * nn, sizeof *cnt), *fen = malloc((nn + 1) * sizeof *fen);
    size_t *rank = malloc(nn * sizeof *rank);
    keyed *ord = malloc(nn * sizeof *ord);
    if (!cnt || !fen || !rank || !ord) {
        free(cnt);
        free(fen);
        free(rank);
        free(ord);
        return -1;
    }
    double *cc = cnt, *dd = cnt + nn, *tt = cnt + 2 * nn;
    double C = 0, D = 0, T = 0;
    for (size_t s0 = 0; s0 < n;) {
        size_t s1 = s0;
        while (s1 < n && d->stratum[s1] == d->stratum[s0])
            s1++;
        size_t m = s1 - s0, nr = 0; /* dense ranks 1..nr of lp in the stratum */
        for (size_t k = 0; k < m; k++)
            ord[k] = (keyed){0, lp[s0 + k], s0 + k};
        qsort(ord, m, sizeof *ord, by_keyed);
        for (size_t k = 0; k < m; k++) {
            if (k == 0 || ord[k].key != ord[k - 1].key)
                nr++;
            rank[ord[k].i] = nr;
        }
        /* the events against those after them: from the last time down */
        memset(fen, 0, (nr + 1) * sizeof *fen);
        double in = 0;
        for (size_t i = s1; i > s0;) {
            size_t j = i;
            while (j > s0 && d->time[j - 1] == d->time[i - 1])
                j--;
            for (size_t k = j; k < i; k++)
                if (!d->status[k]) {
                    fen_add(fen, nr, rank[k]);
                    in += 1;
                }
            for (size_t k = j; k < i; k++)
                if (d->status[k]) {
                    double below = fen_sum(fen, rank[k] - 1), upto = fen_sum(fen, rank[k]);
                    cc[k] += below;
                    tt[k] += upto - below;
                    dd[k] += in - upto;
                    C += below;
                    T += upto - below;
                    D += in - upto;
                }
            for (size_t k = j; k < i; k++)
                if (d->status[k]) {
                    fen_add(fen, nr, rank[k]);
                    in += 1;
                }
            i = j;
        }
        /* each subject against the events before it: from the first time up */
        memset(fen, 0, (nr + 1) * sizeof *fen);
        in = 0;
        for (size_t i = s0; i < s1;) {
            size_t j = i;
            while (j < s1 && d->time[j] == d->time[i])
                j++;
            for (int pass = 0; pass < 2; pass++) {
                /* events compare with earlier events only; the censored also
                 * with the events at their own time */
                for (size_t k = i; k < j; k++)
                    if (d->status[k] == (pass == 0)) {
                        double below = fen_sum(fen, rank[k] - 1), upto = fen_sum(fen, rank[k]);
                        cc[k] += in - upto;
                        tt[k] += upto - below;
                        dd[k] += below;
                    }
                if (pass == 0)
                    for (size_t k = i; k < j; k++)
                        if (d->status[k]) {
                            fen_add(fen, nr, rank[k]);
                            in += 1;
                        }
            }
            i = j;
        }
        s0 = s1;
    }
    out->concordant = C;
    out->discordant = D;
    out->tied_x = T;
    double npair = C + D + T;
    if (npair > 0) {
        double somer = (C - D) / npair, v = 0;
        for (size_t k = 0; k < n; k++) {
            double db = (cc[k] - dd[k]) / npair - somer / npair * (cc[k] + dd[k] + tt[k]);
            v += db * db;
        }
        out->concordance = (somer + 1) / 2;
        out->concordance_se = sqrt(v / 4);
    } else {
        out->concordance = out->concordance_se = NAN;
    }
    free(cnt);
    free(fen);
    free(rank);
    free(ord);
    return 0;
}

/* ---- the fit -------------------------------------------------------------------- */

void cox_free(rg_cox *c)
{
    free(c->coef); /* one block: coef, se, z, pval, hr, lower, upper, u, var */
    free(c->lp);
    free(c->infinite);
    memset(c, 0, sizeof *c);
}

int cox_fit(const double *time, const int *status, const double *X, size_t n, size_t p,
            const size_t *strata, const rg_cox_opts *o, rg_cox *out, size_t *bad)
{
    memset(out, 0, sizeof *out);
    *bad = 0;
    out->n = n;
    out->p = p;
    for (size_t i = 0; i < n; i++)
        out->nevent += status[i] != 0;
    if (out->nevent == 0)
        return RG_COX_NO_EVENTS;
    for (size_t j = 0; j < p; j++) {
        const double *col = X + j * n;
        size_t i = 1;
        while (i < n && col[i] == col[0])
            i++;
        if (i >= n) {
            *bad = j;
            return RG_COX_CONSTANT;
        }
    }
    size_t pp = p ? p : 1;
    cdata d;
    out->coef = calloc(9 * pp + pp * pp, sizeof *out->coef);
    out->lp = malloc((n ? n : 1) * sizeof *out->lp);
    out->infinite = calloc(pp, 1);
    double *buf = calloc(6 * pp + 3 * pp * pp, sizeof *buf);
    if (!out->coef || !out->lp || !out->infinite || !buf ||
        cdata_init(&d, time, status, X, n, p, strata, o->ties == RG_COX_EFRON) != 0) {
        free(buf);
        cox_free(out);
        return RG_COX_NOMEM;
    }
    out->se = out->coef + pp;
    out->z = out->se + pp;
    out->pval = out->z + pp;
    out->hr = out->pval + pp;
    out->lower = out->hr + pp;
    out->upper = out->lower + pp;
    out->u = out->upper + pp;
    out->var = out->u + pp;
    double *means = buf, *scale = means + pp, *beta = scale + pp, *newbeta = beta + pp,
           *step = newbeta + pp, *col = step + pp, *imat = col + pp, *u = out->u;
    /* centre and scale, as coxfit6 (columns of -1, 0, 1 left alone) */
    for (size_t j = 0; j < p; j++) {
        int zero_one = 1;
        double sum = 0;
        for (size_t k = 0; k < n; k++) {
            double v = d.x[k * p + j];
            zero_one &= v == 0 || v == 1 || v == -1;
            sum += v;
        }
        means[j] = 0;
        scale[j] = 1;
        if (zero_one)
            continue;
        means[j] = sum / (double)n;
        double dev = 0;
        for (size_t k = 0; k < n; k++) {
            d.x[k * p + j] -= means[j];
            dev += fabs(d.x[k * p + j]);
        }
        scale[j] = dev > 0 ? (double)n / dev : 1;
        for (size_t k = 0; k < n; k++)
            d.x[k * p + j] *= scale[j];
    }
    int rc = 0;
    size_t first;
    memset(beta, 0, p * sizeof *beta);
    out->loglik0 = cox_iter(&d, beta, u, imat);
    if (ldl(imat, p, o->toler_chol, &first) < p) {
        *bad = first;
        rc = RG_COX_SINGULAR;
        goto done;
    }
    memcpy(step, u, p * sizeof *step);
    ldl_solve(imat, p, step);
    out->score = 0;
    for (size_t j = 0; j < p; j++) {
        out->score += u[j] * step[j];
        newbeta[j] = beta[j] + step[j];
    }
    double best = out->loglik0, newlk = out->loglik0;
    int halving = 0;
    out->iter = 0;
    if (o->iter_max > 0 && isfinite(out->loglik0)) {
        for (int it = 1; it <= o->iter_max; it++) {
            out->iter = it;
            newlk = cox_iter(&d, newbeta, u, imat);
            ldl(imat, p, o->toler_chol, &first);
            int finite = isfinite(newlk) && all_finite(u, p) && all_finite(imat, p * p);
            if (finite && fabs(1 - best / newlk) <= o->eps) {
                out->converged = 1;
                memcpy(beta, newbeta, p * sizeof *beta);
                break;
            }
            if (!finite || newlk < best) { /* pull back towards the last good point */
                halving++;
                for (size_t j = 0; j < p; j++)
                    newbeta[j] = (newbeta[j] + halving * beta[j]) / (halving + 1.0);
            } else {
                halving = 0;
                best = newlk;
                memcpy(step, u, p * sizeof *step);
                ldl_solve(imat, p, step);
                for (size_t j = 0; j < p; j++) {
                    beta[j] = newbeta[j];
                    newbeta[j] += step[j];
                }
            }
        }
    } else {
        out->converged = 1; /* nothing asked: the fit at 0 */
    }
    if (out->converged) {
        out->loglik = o->iter_max > 0 ? newlk : out->loglik0;
    } else { /* the last good point, as coxph returns it (iter one past the limit) */
        out->iter = o->iter_max + 1;
        out->loglik = cox_iter(&d, beta, u, imat);
        ldl(imat, p, o->toler_chol, &first);
    }
    ldl_inverse(imat, p, out->var, col);
    for (size_t j = 0; j < p; j++) {
        out->coef[j] = beta[j] * scale[j];
        u[j] /= scale[j];
        for (size_t k = 0; k < p; k++)
            out->var[j * p + k] *= scale[j] * scale[k];
    }
    double zc = gsl_cdf_ugaussian_Pinv((1 + o->conf) / 2);
    for (size_t j = 0; j < p; j++) {
        double b = out->coef[j], se = sqrt(out->var[j * p + j]);
        out->se[j] = se;
        out->z[j] = b / se;
        out->pval[j] = erfc(fabs(b / se) / M_SQRT2); /* pchisq(z^2, 1, lower = FALSE) */
        out->hr[j] = exp(b);
        out->lower[j] = exp(b - zc * se);
        out->upper[j] = exp(b + zc * se);
    }
    /* tests: LR, and Wald = coef' var^-1 coef (coxph.wtest) */
    out->lr = 2 * (out->loglik - out->loglik0);
    memcpy(imat, out->var, p * p * sizeof *imat);
    ldl(imat, p, o->toler_chol, &first);
    memcpy(step, out->coef, p * sizeof *step);
    ldl_solve(imat, p, step);
    out->wald = 0;
    for (size_t j = 0; j < p; j++)
        out->wald += out->coef[j] * step[j];
    out->lr_p = gsl_cdf_chisq_Q(out->lr, (double)p);
    out->wald_p = gsl_cdf_chisq_Q(out->wald, (double)p);
    out->score_p = gsl_cdf_chisq_Q(out->score, (double)p);
    /* linear predictors in input order, and in sorted order for concordance */
    double *lps = malloc((n ? n : 1) * sizeof *lps);
    if (!lps) {
        rc = RG_COX_NOMEM;
        goto done;
    }
    double maxlp = -INFINITY;
    for (size_t k = 0; k < n; k++) {
        double s = 0;
        for (size_t j = 0; j < p; j++)
            s += out->coef[j] * (X[j * n + d.idx[k]] - means[j]);
        lps[k] = s;
        out->lp[d.idx[k]] = s;
        if (s > maxlp)
            maxlp = s;
    }
    /* R's checks for an infinite coefficient (coxph.fit) */
    if (o->iter_max > 1) {
        int nonfinite = 0;
        for (size_t j = 0; j < p; j++) {
            double inf = 0;
            for (size_t k = 0; k < p; k++)
                inf += u[k] * out->var[k * p + j];
            inf = fabs(inf);
            if (!isfinite(inf))
                nonfinite = 1;
            if (out->converged)
                out->infinite[j] =
                    !isfinite(u[j]) || (inf > o->eps && inf > o->toler_inf * fabs(out->coef[j]));
        }
        if (!out->converged)
            out->maybe_infinite = maxlp > 500 || nonfinite;
    }
    if (concordance(&d, lps, out) != 0)
        rc = RG_COX_NOMEM;
    free(lps);
done:
    free(buf);
    cdata_free(&d);
    if (rc != 0)
        cox_free(out);
    return rc;
}

/* ---- cox.zph ---------------------------------------------------------------------- */

void cox_zph_free(rg_cox_zph *z)
{
    free(z->chisq); /* one block */
    memset(z, 0, sizeof *z);
}

/* u' M^-1 u, M the rows and columns kk[0..m) of the p2 x p2 matrix im;
 * work: m * m + m doubles. */
static double quad_inv(const double *im, size_t p2, const size_t *kk, size_t m,
                       const double *u, double toler, double *work)
{
    double *sub = work, *v = work + m * m;
    for (size_t a = 0; a < m; a++)
        for (size_t b = 0; b < m; b++)
            sub[a * m + b] = im[kk[a] * p2 + kk[b]];
    size_t first;
    ldl(sub, m, toler, &first);
    memcpy(v, u, m * sizeof *v);
    ldl_solve(sub, m, v);
    double t = 0;
    for (size_t a = 0; a < m; a++)
        t += u[a] * v[a];
    return t;
}

/* cox.zph's sums over the risk sets: the information of (X, X g(t)) at
 * (coef, 0) (2p x 2p) and the score of the X g(t) part (p). */
typedef struct {
    const cdata *d;
    const double *gs; /* g(t) of each sorted row, centred */
    double gt;        /* g at the current death time */
    double *ug, *im;
} zph_ctx;

static void zph_death(void *ctx, size_t k, double eta)
{
    zph_ctx *z = ctx;
    const double *x = z->d->x + k * z->d->p;
    (void)eta;
    z->gt = z->gs[k];
    for (size_t q = 0; q < z->d->p; q++)
        z->ug[q] += z->gt * x[q];
}

static void zph_term(void *ctx, double w, double denom, const double *a, const double *c)
{
    zph_ctx *z = ctx;
    size_t p = z->d->p, p2 = 2 * p;
    double gt = z->gt, *im = z->im;
    for (size_t q = 0; q < p; q++) {
        z->ug[q] -= w * gt * a[q] / denom;
        for (size_t q2 = 0; q2 <= q; q2++) {
            double v = w * (c[q * p + q2] - a[q] * a[q2] / denom) / denom;
            im[q * p2 + q2] += v;
            im[(p + q) * p2 + q2] += gt * v;
            im[(p + q) * p2 + p + q2] += gt * gt * v;
            if (q2 != q) {
                im[q2 * p2 + q] += v;
                im[(p + q2) * p2 + q] += gt * v;
                im[(p + q2) * p2 + p + q] += gt * gt * v;
            }
        }
    }
}

int cox_zph(const double *time, const int *status, const double *X, size_t n, size_t p,
            const size_t *strata, const double *coef, rg_cox_ties ties, double toler_chol,
            rg_cox_zph *out)
{
    memset(out, 0, sizeof *out);
    size_t nn = n ? n : 1, pp = p ? p : 1, p2 = 2 * pp;
    out->p = p;
    out->chisq = calloc(3 * (pp + 1), sizeof *out->chisq);
    double *g = malloc(nn * sizeof *g), *gs = malloc(nn * sizeof *gs);
    double *ug = calloc(pp, sizeof *ug), *im = calloc(p2 * p2, sizeof *im);
    double *work = malloc((p2 * p2 + 2 * p2) * sizeof *work);
    keyed *ord = malloc(nn * sizeof *ord);
    size_t *kk = malloc(p2 * sizeof *kk);
    cdata d;
    int have_d = 0, rc = -1;
    if (!out->chisq || !g || !gs || !ug || !im || !work || !ord || !kk)
        goto done;
    if (cdata_init(&d, time, status, X, n, p, strata, ties == RG_COX_EFRON) != 0)
        goto done;
    have_d = 1;
    out->df = out->chisq + pp + 1;
    out->pval = out->df + pp + 1;
    /* g = 1 - KM(t-) of all subjects (strata ignored, as cox.zph), centred on
     * its mean over the events */
    for (size_t i = 0; i < n; i++)
        ord[i] = (keyed){0, time[i], i};
    qsort(ord, n, sizeof *ord, by_keyed);
    double s = 1, risk = (double)n, gsum = 0, nev = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        double dth = 0;
        while (j < n && ord[j].key == ord[i].key) {
            g[ord[j].i] = 1 - s;
            dth += status[ord[j].i] != 0;
            j++;
        }
        if (dth > 0)
            s *= 1 - dth / risk;
        risk -= (double)(j - i);
        i = j;
    }
    for (size_t i = 0; i < n; i++)
        if (status[i]) {
            gsum += g[i];
            nev += 1;
        }
    for (size_t k = 0; k < n; k++)
        gs[k] = g[d.idx[k]] - gsum / nev;
    /* eta: the linear predictor, centred for exp's range (ratios are unchanged) */
    double emean = 0;
    for (size_t k = 0; k < n; k++) {
        double e = 0;
        for (size_t j = 0; j < p; j++)
            e += coef[j] * d.x[k * p + j];
        d.eta[k] = e;
        emean += e / (double)n;
    }
    for (size_t k = 0; k < n; k++)
        d.eta[k] -= emean;
    zph_ctx z = {&d, gs, 0, ug, im};
    sweep_fns f = {zph_death, zph_term, &z};
    risk_sweep(&d, &f);
    for (size_t q = 0; q < p; q++) /* the upper-right block mirrors the lower-left */
        for (size_t r = 0; r < p; r++)
            im[q * p2 + p + r] = im[(p + r) * p2 + q];
    /* one test per column: the first p indices and that column's X g(t),
     * the score zero but for the last; then all 2p with the score (0, ug) */
    double *u = work + p2 * p2 + p2;
    for (size_t q = 0; q < 2 * p; q++) {
        kk[q] = q;
        u[q] = q < p ? 0 : ug[q - p];
    }
    for (size_t j = 0; j < p; j++) {
        kk[p] = p + j;
        u[p] = ug[j];
        out->chisq[j] = quad_inv(im, p2, kk, p + 1, u, toler_chol, work);
        out->df[j] = 1;
        out->pval[j] = gsl_cdf_chisq_Q(out->chisq[j], 1);
    }
    for (size_t q = 0; q < 2 * p; q++) {
        kk[q] = q;
        u[q] = q < p ? 0 : ug[q - p];
    }
    out->chisq[p] = quad_inv(im, p2, kk, 2 * p, u, toler_chol, work);
    out->df[p] = (double)p;
    out->pval[p] = gsl_cdf_chisq_Q(out->chisq[p], (double)p);
    rc = 0;
done:
    if (have_d)
        cdata_free(&d);
    free(g);
    free(gs);
    free(ug);
    free(im);
    free(work);
    free(ord);
    free(kk);
    if (rc != 0)
        cox_zph_free(out);
    return rc;
}
