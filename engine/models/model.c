/* engine/models/model.c — the model pipeline (model.h): options, scaling
 * fitted on the training rows, and the dispatch to linear.c, enet.c, tree.c
 * and logistic.c. */
#include "model.h"
#include "internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../rng.h"

static const char *const kind_names[RG_MODEL_NKINDS] = {
    "linear", "lasso", "elastic_net", "multitask_lasso", "multitask_elastic_net", "tree",
    "logistic"};

int model_kind(const char *name, rg_model_kind *k)
{
    for (int i = 0; i < RG_MODEL_NKINDS; i++)
        if (strcmp(name, kind_names[i]) == 0) {
            *k = (rg_model_kind)i;
            return 0;
        }
    return -1;
}

const char *model_kind_name(rg_model_kind k) { return kind_names[k]; }

const char *model_kind_list(void)
{
    return "linear, lasso, elastic_net, multitask_lasso, multitask_elastic_net, tree, logistic";
}

static int is_enet(rg_model_kind k)
{
    return k == RG_MODEL_LASSO || k == RG_MODEL_ELASTIC_NET || k == RG_MODEL_MT_LASSO ||
           k == RG_MODEL_MT_ELASTIC_NET;
}

static int is_multitask(rg_model_kind k)
{
    return k == RG_MODEL_MT_LASSO || k == RG_MODEL_MT_ELASTIC_NET;
}

rg_model_spec model_default_spec(rg_model_kind kind)
{
    rg_model_spec s;
    memset(&s, 0, sizeof s);
    s.kind = kind;
    s.scale_x = s.scale_y = -1;
    s.enet = enet_default_opts();
    if (kind == RG_MODEL_LASSO || kind == RG_MODEL_MT_LASSO)
        s.enet.l1_ratio = 1;
    s.tree = tree_default_opts();
    s.mf_mode = RG_MF_ALL;
    s.logit = logit_default_opts();
    if (s.logit.max_iter == 0) /* "the default": 100 outer steps, shown as such */
        s.logit.max_iter = 100;
    return s;
}

/* ---- options ----------------------------------------------------------------- */

/* Sorted, per kind. */
static const char *const opts_linear[] = {"fit_intercept", "scale", "scale_y", NULL};
static const char *const opts_lasso[] = {"alpha", "fit_intercept", "max_iter", "scale",
                                         "scale_y", "tol", NULL};
static const char *const opts_enet[] = {"alpha", "fit_intercept", "l1_ratio", "max_iter",
                                        "scale", "scale_y", "tol", NULL};
static const char *const opts_tree[] = {"max_depth", "max_features", "min_impurity_decrease",
                                        "min_samples_leaf", "min_samples_split", "scale",
                                        "scale_y", "seed", "x_float32", NULL};
static const char *const opts_logit[] = {"C", "fit_intercept", "max_iter", "penalty", "scale",
                                         "tol", NULL};

const char *const *model_option_names(rg_model_kind kind)
{
    switch (kind) {
    case RG_MODEL_LINEAR:
        return opts_linear;
    case RG_MODEL_LASSO:
    case RG_MODEL_MT_LASSO:
        return opts_lasso;
    case RG_MODEL_ELASTIC_NET:
    case RG_MODEL_MT_ELASTIC_NET:
        return opts_enet;
    case RG_MODEL_TREE:
        return opts_tree;
    default:
        return opts_logit;
    }
}

int model_has_option(rg_model_kind kind, const char *name)
{
    for (const char *const *o = model_option_names(kind); *o; o++)
        if (strcmp(*o, name) == 0)
            return 1;
    return 0;
}

static int fail(char *err, size_t errlen, const char *fmt, const char *name)
{
    snprintf(err, errlen, fmt, name);
    return -1;
}

/* A whole number in [lo, hi]. */
static int whole(const rg_opt *v, double lo, double hi, double *out)
{
    if (v->type != RG_OPT_NUMBER || !(v->num >= lo && v->num <= hi) || v->num != floor(v->num))
        return -1;
    *out = v->num;
    return 0;
}

static int scale_option(const rg_opt *v, int *out)
{
    if (v->type == RG_OPT_BOOL && v->num == 0) {
        *out = -1;
        return 0;
    }
    if (v->type != RG_OPT_STRING)
        return -1;
    if (strcmp(v->str, "none") == 0) {
        *out = -1;
        return 0;
    }
    rg_scale_kind k;
    if (scale_kind(v->str, &k) != 0)
        return -1;
    *out = (int)k;
    return 0;
}

int model_set_option(rg_model_spec *s, const char *name, const rg_opt *v, char *err,
                     size_t errlen)
{
    if (!model_has_option(s->kind, name)) {
        snprintf(err, errlen, "unknown option '%s' for a %s model", name,
                 kind_names[s->kind]);
        return -1;
    }
    double x;
    int isnum = v->type == RG_OPT_NUMBER;
    if (strcmp(name, "scale") == 0 || strcmp(name, "scale_y") == 0) {
        if (scale_option(v, strcmp(name, "scale") == 0 ? &s->scale_x : &s->scale_y) != 0)
            return fail(err, errlen,
                        "option %s must be \"standard\", \"minmax\", \"maxabs\" or \"none\"",
                        name);
    } else if (strcmp(name, "fit_intercept") == 0) {
        if (v->type != RG_OPT_BOOL)
            return fail(err, errlen, "option %s must be true or false", name);
        s->enet.fit_intercept = s->logit.fit_intercept = v->num != 0;
    } else if (strcmp(name, "alpha") == 0) {
        if (!isnum || !(v->num >= 0) || isinf(v->num))
            return fail(err, errlen, "option %s must be a number >= 0", name);
        s->enet.alpha = v->num;
    } else if (strcmp(name, "l1_ratio") == 0) {
        if (!isnum || !(v->num >= 0 && v->num <= 1))
            return fail(err, errlen, "option %s must be a number from 0 to 1", name);
        s->enet.l1_ratio = v->num;
    } else if (strcmp(name, "max_iter") == 0) {
        if (whole(v, 1, 1e9, &x) != 0)
            return fail(err, errlen, "option %s must be a whole number from 1 to 1e9", name);
        s->enet.max_iter = s->logit.max_iter = (size_t)x;
    } else if (strcmp(name, "tol") == 0) {
        if (!isnum || !(v->num > 0) || isinf(v->num))
            return fail(err, errlen, "option %s must be a number > 0", name);
        s->enet.tol = s->logit.tol = v->num;
    } else if (strcmp(name, "max_depth") == 0) {
        if (v->type == RG_OPT_STRING && strcmp(v->str, "none") == 0)
            s->tree.max_depth = 0;
        else if (whole(v, 1, 1e6, &x) == 0)
            s->tree.max_depth = (size_t)x;
        else
            return fail(err, errlen, "option %s must be a whole number >= 1 or \"none\"", name);
    } else if (strcmp(name, "min_samples_split") == 0) {
        if (whole(v, 2, 1e9, &x) != 0)
            return fail(err, errlen, "option %s must be a whole number >= 2", name);
        s->tree.min_samples_split = (size_t)x;
    } else if (strcmp(name, "min_samples_leaf") == 0) {
        if (whole(v, 1, 1e9, &x) != 0)
            return fail(err, errlen, "option %s must be a whole number >= 1", name);
        s->tree.min_samples_leaf = (size_t)x;
    } else if (strcmp(name, "min_impurity_decrease") == 0) {
        if (!isnum || !(v->num >= 0) || isinf(v->num))
            return fail(err, errlen, "option %s must be a number >= 0", name);
        s->tree.min_impurity_decrease = v->num;
    } else if (strcmp(name, "max_features") == 0) {
        if (v->type == RG_OPT_STRING && (strcmp(v->str, "sqrt") == 0 ||
                                         strcmp(v->str, "log2") == 0 ||
                                         strcmp(v->str, "all") == 0)) {
            s->mf_mode = v->str[0] == 's' ? RG_MF_SQRT : v->str[0] == 'l' ? RG_MF_LOG2
                                                                          : RG_MF_ALL;
        } else if (isnum && v->num > 0 && v->num < 1) {
            s->mf_mode = RG_MF_FRACTION;
            s->mf_value = v->num;
        } else if (whole(v, 1, 1e9, &x) == 0) {
            s->mf_mode = RG_MF_COUNT;
            s->mf_value = x;
        } else {
            return fail(err, errlen,
                        "option %s must be a whole number >= 1, a fraction between 0 and 1, "
                        "\"sqrt\", \"log2\" or \"all\"", name);
        }
    } else if (strcmp(name, "x_float32") == 0) {
        if (v->type != RG_OPT_BOOL)
            return fail(err, errlen, "option %s must be true or false", name);
        s->tree.x_float32 = v->num != 0;
    } else if (strcmp(name, "seed") == 0) {
        if (whole(v, 0, 9007199254740992.0, &x) != 0)
            return fail(err, errlen, "option %s must be a whole number >= 0", name);
        s->seed = (uint64_t)x;
    } else if (strcmp(name, "penalty") == 0) {
        if (v->type != RG_OPT_STRING)
            return fail(err, errlen, "option %s must be \"l2\", \"l1\" or \"none\"", name);
        if (strcmp(v->str, "l2") == 0)
            s->logit.penalty = RG_LOGIT_L2;
        else if (strcmp(v->str, "l1") == 0)
            s->logit.penalty = RG_LOGIT_L1;
        else if (strcmp(v->str, "none") == 0)
            s->logit.penalty = RG_LOGIT_NONE;
        else
            return fail(err, errlen, "option %s must be \"l2\", \"l1\" or \"none\"", name);
    } else if (strcmp(name, "C") == 0) {
        if (!isnum || !(v->num > 0) || isinf(v->num))
            return fail(err, errlen, "option %s must be a number > 0", name);
        s->logit.C = v->num;
    }
    return 0;
}

static const char *scale_name(int k)
{
    static const char *const names[] = {"standard", "minmax", "maxabs"};
    return k < 0 ? "none" : names[k];
}

int model_get_option(const rg_model_spec *s, const char *name, double *num, const char **str)
{
    *num = NAN;
    *str = NULL;
    if (!model_has_option(s->kind, name))
        return -1;
    if (strcmp(name, "scale") == 0)
        *str = scale_name(s->scale_x);
    else if (strcmp(name, "scale_y") == 0)
        *str = scale_name(s->scale_y);
    else if (strcmp(name, "fit_intercept") == 0)
        *str = (s->kind == RG_MODEL_LOGISTIC ? s->logit.fit_intercept : s->enet.fit_intercept)
                   ? "true"
                   : "false";
    else if (strcmp(name, "alpha") == 0)
        *num = s->enet.alpha;
    else if (strcmp(name, "l1_ratio") == 0)
        *num = s->enet.l1_ratio;
    else if (strcmp(name, "max_iter") == 0)
        *num = (double)(s->kind == RG_MODEL_LOGISTIC ? s->logit.max_iter : s->enet.max_iter);
    else if (strcmp(name, "tol") == 0)
        *num = s->kind == RG_MODEL_LOGISTIC ? s->logit.tol : s->enet.tol;
    else if (strcmp(name, "max_depth") == 0) {
        if (s->tree.max_depth)
            *num = (double)s->tree.max_depth;
        else
            *str = "none";
    } else if (strcmp(name, "min_samples_split") == 0)
        *num = (double)s->tree.min_samples_split;
    else if (strcmp(name, "min_samples_leaf") == 0)
        *num = (double)s->tree.min_samples_leaf;
    else if (strcmp(name, "min_impurity_decrease") == 0)
        *num = s->tree.min_impurity_decrease;
    else if (strcmp(name, "max_features") == 0) {
        if (s->mf_mode == RG_MF_COUNT || s->mf_mode == RG_MF_FRACTION)
            *num = s->mf_value;
        else
            *str = s->mf_mode == RG_MF_SQRT ? "sqrt" : s->mf_mode == RG_MF_LOG2 ? "log2" : "all";
    } else if (strcmp(name, "seed") == 0)
        *num = (double)s->seed;
    else if (strcmp(name, "penalty") == 0)
        *str = s->logit.penalty == RG_LOGIT_L2 ? "l2" : s->logit.penalty == RG_LOGIT_L1 ? "l1"
                                                                                      : "none";
    else if (strcmp(name, "C") == 0)
        *num = s->logit.C;
    return 0;
}

int model_is_l1(const rg_model_spec *s)
{
    /* scikit-learn: Lasso in the name, penalty "l1", or an ElasticNet whose
     * l1_ratio is 1 (np.isclose) */
    return s->kind == RG_MODEL_LASSO || s->kind == RG_MODEL_MT_LASSO ||
           (s->kind == RG_MODEL_LOGISTIC && s->logit.penalty == RG_LOGIT_L1) ||
           ((s->kind == RG_MODEL_ELASTIC_NET || s->kind == RG_MODEL_MT_ELASTIC_NET) &&
            fabs(s->enet.l1_ratio - 1) <= 1e-8 + 1e-5);
}

/* ---- fit and predict --------------------------------------------------------------- */

void model_free(rg_model *m)
{
    free(m->xs);
    free(m->ys);
    free(m->coef);
    free(m->intercept);
    free(m->info);
    tree_free(&m->tree);
    logit_free(&m->logit);
    memset(m, 0, sizeof *m);
}

/* scikit-learn's resolution of max_features for p features. */
static size_t resolve_max_features(const rg_model_spec *s, size_t p)
{
    double v;
    switch (s->mf_mode) {
    case RG_MF_COUNT:
        v = s->mf_value;
        break;
    case RG_MF_FRACTION:
        v = floor(s->mf_value * (double)p);
        break;
    case RG_MF_SQRT:
        v = floor(sqrt((double)p));
        break;
    case RG_MF_LOG2:
        v = floor(log2((double)p));
        break;
    default:
        v = (double)p;
    }
    if (v < 1)
        v = 1;
    return v > (double)p ? p : (size_t)v;
}

/* With kind >= 0: scalers fitted on the columns of M (n x k) into *cols and
 * M scaled into *buf (new); without scaling both stay NULL and the caller
 * uses M as it is (no copy: cross-validation and permutation tests fit
 * thousands of models). Returns 0 or -1 (memory). */
static int scaled(int kind, const double *M, size_t n, size_t k, rg_scale_col **cols,
                  double **buf)
{
    *cols = NULL;
    *buf = NULL;
    if (kind < 0)
        return 0;
    rg_scale_col *c = calloc(nz(k), sizeof *c);
    double *b = malloc(nz(n * k) * sizeof *b);
    if (!c || !b) {
        free(c);
        free(b);
        return -1;
    }
    for (size_t j = 0; j < k; j++) {
        scale_fit(M + j * n, n, (rg_scale_kind)kind, &c[j]);
        scale_apply(&c[j], M + j * n, n, b + j * n);
    }
    *cols = c;
    *buf = b;
    return 0;
}

int model_fit(const rg_model_spec *s, const double *X, size_t n, size_t p, const double *Y,
              size_t q, rg_model *out)
{
    memset(out, 0, sizeof *out);
    out->spec = *s;
    out->p = p;
    out->q = q;
    out->n_train = n;
    if (n < 2 && (s->kind == RG_MODEL_TREE || s->kind == RG_MODEL_LOGISTIC || n < 1))
        return RG_MODEL_ERR_ROWS;
    if (s->kind == RG_MODEL_LOGISTIC) {
        if (q != 1)
            return RG_MODEL_ERR_OUTPUTS;
        size_t ones = 0;
        for (size_t i = 0; i < n; i++) {
            if (Y[i] != 0 && Y[i] != 1)
                return RG_MODEL_ERR_CLASSES;
            ones += Y[i] == 1;
        }
        if (ones == 0 || ones == n)
            return RG_MODEL_ERR_CLASSES;
    }
    double *xbuf = NULL, *ybuf = NULL;
    int rc = -1;
    if (scaled(s->scale_x, X, n, p, &out->xs, &xbuf) != 0 ||
        scaled(s->kind == RG_MODEL_LOGISTIC ? -1 : s->scale_y, Y, n, q, &out->ys, &ybuf) != 0)
        goto done;
    const double *Xs = xbuf ? xbuf : X, *Ys = ybuf ? ybuf : Y;
    if (s->kind == RG_MODEL_LINEAR) {
        rg_linear lm;
        rc = linear_fit(Xs, n, p, Ys, q, s->enet.fit_intercept, &lm);
        if (rc == 1)
            rc = RG_MODEL_ERR_SVD;
        if (rc == 0) {
            out->coef = lm.coef;
            out->intercept = lm.intercept;
            out->rank = lm.rank;
            free(lm.singular);
        }
    } else if (is_enet(s->kind)) {
        rg_enet e;
        rg_enet_opts o = s->enet;
        if (s->kind == RG_MODEL_LASSO || s->kind == RG_MODEL_MT_LASSO)
            o.l1_ratio = 1;
        rc = enet_fit(Xs, n, p, Ys, q, &o, is_multitask(s->kind), NULL, &e);
        if (rc == 0) {
            out->coef = e.coef;
            out->intercept = e.intercept;
            out->info = e.info;
        }
    } else if (s->kind == RG_MODEL_TREE) {
        rg_tree_opts o = s->tree;
        o.max_features = out->resolved_max_features = resolve_max_features(s, p);
        rg_rng stream;
        rng_init(&stream, s->seed, "model.tree");
        rc = tree_fit(Xs, n, p, Ys, q, &o, &stream, &out->tree);
        if (rc == RG_TREE_BADARG) /* options are checked: no rows or no outputs */
            rc = RG_MODEL_ERR_ROWS;
    } else {
        unsigned char *y = malloc(nz(n));
        if (!y)
            goto done;
        for (size_t i = 0; i < n; i++)
            y[i] = Y[i] == 1;
        rc = logit_fit(Xs, n, p, y, &s->logit, &out->logit);
        free(y);
        if (rc == 0) {
            out->coef = malloc(nz(p) * sizeof *out->coef);
            out->intercept = malloc(sizeof *out->intercept);
            if (!out->coef || !out->intercept)
                rc = -1;
            else {
                memcpy(out->coef, out->logit.coef, p * sizeof *out->coef);
                out->intercept[0] = out->logit.intercept;
            }
        } else if (rc == RG_LOGIT_ONE_CLASS || rc == RG_LOGIT_BAD_Y) {
            rc = RG_MODEL_ERR_CLASSES; /* checked above; kept for safety */
        }
    }
done:
    free(xbuf);
    free(ybuf);
    if (rc != 0)
        model_free(out);
    return rc;
}

int model_predict(const rg_model *m, const double *X, size_t n, double *out)
{
    size_t p = m->p, q = m->q;
    const double *Xs = X;
    double *buf = NULL;
    if (m->xs) {
        buf = malloc(nz(n * p) * sizeof *buf);
        if (!buf)
            return -1;
        for (size_t j = 0; j < p; j++)
            scale_apply(&m->xs[j], X + j * n, n, buf + j * n);
        Xs = buf;
    }
    switch (m->spec.kind) {
    case RG_MODEL_TREE:
        tree_predict(&m->tree, Xs, n, out);
        break;
    case RG_MODEL_LOGISTIC:
        logit_predict_proba(&m->logit, Xs, n, out);
        break;
    default:
        for (size_t k = 0; k < q; k++) {
            double *o = out + k * n;
            const double *b = m->coef + k * p;
            for (size_t i = 0; i < n; i++)
                o[i] = m->intercept[k];
            for (size_t j = 0; j < p; j++)
                if (b[j] != 0) {
                    const double *x = Xs + j * n;
                    for (size_t i = 0; i < n; i++)
                        o[i] += b[j] * x[i];
                }
        }
    }
    if (m->ys)
        for (size_t k = 0; k < q; k++)
            scale_invert(&m->ys[k], out + k * n, n, out + k * n);
    free(buf);
    return 0;
}

void model_importance(const rg_model *m, double *imp)
{
    if (m->spec.kind == RG_MODEL_TREE) {
        tree_importance(&m->tree, imp);
        return;
    }
    for (size_t j = 0; j < m->p; j++) {
        double s = 0;
        for (size_t k = 0; k < m->q; k++)
            s += fabs(m->coef[k * m->p + j]);
        imp[j] = s;
    }
}

static int by_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int model_select(const rg_model *m, rg_sel_ref ref, double value, size_t max_features,
                 unsigned char *keep, double *threshold)
{
    size_t p = m->p;
    double *imp = malloc(nz(p) * sizeof *imp), *sorted = malloc(nz(p) * sizeof *sorted);
    if (!imp || !sorted) {
        free(imp);
        free(sorted);
        return -1;
    }
    model_importance(m, imp);
    double mean = 0;
    for (size_t j = 0; j < p; j++)
        mean += imp[j];
    mean = p ? mean / (double)p : NAN;
    memcpy(sorted, imp, p * sizeof *imp);
    qsort(sorted, p, sizeof *sorted, by_double);
    double median = p == 0       ? NAN
                    : p % 2 == 1 ? sorted[p / 2]
                                 : (sorted[p / 2 - 1] + sorted[p / 2]) / 2;
    double t = ref == RG_SEL_VALUE    ? value
               : ref == RG_SEL_MEAN   ? value * mean
               : ref == RG_SEL_MEDIAN ? value * median
               : model_is_l1(&m->spec) ? 1e-5
                                       : mean;
    for (size_t j = 0; j < p; j++) {
        size_t above = 0; /* features ranked before j: larger, or equal and earlier */
        for (size_t i = 0; i < p && above < max_features; i++)
            above += imp[i] > imp[j] || (i < j && imp[i] == imp[j]);
        keep[j] = imp[j] >= t && above < max_features;
    }
    *threshold = t;
    free(imp);
    free(sorted);
    return 0;
}

int model_converged(const rg_model *m)
{
    if (m->info)
        for (size_t k = 0; k < m->q; k++)
            if (!m->info[k].converged)
                return 0;
    if (m->spec.kind == RG_MODEL_LOGISTIC)
        return m->logit.converged;
    return 1;
}
