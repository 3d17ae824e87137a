/* tests/unit/test_models.c — the linear models, validation, selection and
 * metrics against scikit-learn 1.2.1: tests/conformance/models.json
 * (gen_models.py) holds the inputs (or, for the NSCLC cohort, the columns to
 * read from ../shared/data) and what LinearRegression, Lasso, ElasticNet,
 * MultiTask*, enet_path, cross_val_predict, GridSearchCV, SelectFromModel
 * and sklearn.metrics give. Coefficients of converged fits agree to 1e-6
 * relative (a coefficient near 0 to 1e-6 of its vector's largest); the
 * iteration counts exactly, since the iterations are the same. */
#include <stdlib.h>
#include <string.h>

#include "frame.h"
#include "models/enet.h"
#include "models/linear.h"
#include "models/metrics.h"
#include "models/model.h"
#include "models/validate.h"
#include "unit.h"

#define MODELS_JSON "tests/conformance/models.json"
#define NSCLC_DIR "../shared/data/nsclc-radiogenomics/"
#define TOL 1e-6

/* ---- data ------------------------------------------------------------------ */

typedef struct {
    size_t n, p, q;
    double *X, *Y; /* column-major */
} dataset;

static void dataset_free(dataset *d)
{
    free(d->X);
    free(d->Y);
    memset(d, 0, sizeof *d);
}

/* A JSON list of columns into a column-major matrix; *n rows, *k columns. */
static double *json_columns(const cJSON *cols, size_t *n, size_t *k)
{
    *k = (size_t)cJSON_GetArraySize(cols);
    *n = 0;
    double *M = NULL;
    size_t j = 0;
    const cJSON *c;
    cJSON_ArrayForEach(c, cols)
    {
        size_t m;
        double *v = unit_json_nums(c, &m);
        if (!M) {
            *n = m;
            M = malloc((m * *k > 0 ? m * *k : 1) * sizeof *M);
        }
        if (M && m == *n)
            memcpy(M + j * m, v, m * sizeof *v);
        free(v);
        j++;
    }
    return M;
}

/* The named columns of f (numeric) into a new column-major matrix, or NULL
 * when one is missing; names "all": every column in file order. */
static double *frame_columns(const rg_frame *f, const cJSON *names, size_t *k)
{
    if (cJSON_IsString(names) && strcmp(names->valuestring, "all") == 0) {
        *k = f->ncol;
        double *M = malloc((f->nrow * f->ncol > 0 ? f->nrow * f->ncol : 1) * sizeof *M);
        for (size_t j = 0; M && j < f->ncol; j++)
            memcpy(M + j * f->nrow, f->cols[j].num, f->nrow * sizeof *M);
        return M;
    }
    *k = (size_t)cJSON_GetArraySize(names);
    double *M = malloc((f->nrow * *k > 0 ? f->nrow * *k : 1) * sizeof *M);
    size_t j = 0;
    const cJSON *nm;
    cJSON_ArrayForEach(nm, names)
    {
        const rg_col *c = frame_col(f, nm->valuestring);
        if (!c || !c->num) {
            fprintf(stderr, "models: NSCLC column %s not found\n", nm->valuestring);
            free(M);
            return NULL;
        }
        memcpy(M + j * f->nrow, c->num, f->nrow * sizeof *M);
        j++;
    }
    return M;
}

/* Dataset name of models.json: 0, 1 when it needs the NSCLC files and they
 * are absent, -1 on error. */
static int load_dataset(const cJSON *root, const char *name, dataset *d)
{
    memset(d, 0, sizeof *d);
    const cJSON *ds = cJSON_GetObjectItem(cJSON_GetObjectItem(root, "datasets"), name);
    if (!ds)
        return -1;
    const cJSON *ns = cJSON_GetObjectItem(ds, "nsclc");
    if (!ns) {
        size_t n2;
        d->X = json_columns(cJSON_GetObjectItem(ds, "X"), &d->n, &d->p);
        d->Y = json_columns(cJSON_GetObjectItem(ds, "Y"), &n2, &d->q);
        return d->X && d->Y && n2 == d->n ? 0 : -1;
    }
    char fx[512], fy[512], sha[65], *err = NULL;
    snprintf(fx, sizeof fx, "%s%s", NSCLC_DIR, cJSON_GetObjectItem(ns, "x_file")->valuestring);
    snprintf(fy, sizeof fy, "%s%s", NSCLC_DIR, cJSON_GetObjectItem(ns, "y_file")->valuestring);
    rg_csv_opts o = {0};
    rg_frame A, B;
    size_t bytes;
    if (frame_read_csv(fx, "features", &o, &A, &bytes, sha, &err) != 0) {
        free(err);
        return 1;
    }
    if (frame_read_csv(fy, "genes", &o, &B, &bytes, sha, &err) != 0) {
        free(err);
        frame_free(&A);
        return 1;
    }
    d->n = A.nrow;
    d->X = frame_columns(&A, cJSON_GetObjectItem(ns, "x_names"), &d->p);
    d->Y = frame_columns(&B, cJSON_GetObjectItem(ns, "y_names"), &d->q);
    frame_free(&A);
    frame_free(&B);
    if (!d->X || !d->Y)
        return -1;
    for (size_t j = 0; j < d->p; j++) { /* StandardScaler */
        rg_scale_col c;
        scale_fit(d->X + j * d->n, d->n, RG_SCALE_STANDARD, &c);
        scale_apply(&c, d->X + j * d->n, d->n, d->X + j * d->n);
    }
    for (size_t i = 0; i < d->n * d->q; i++)
        d->Y[i] = log2(1 + d->Y[i]);
    return 0;
}

/* ---- comparisons --------------------------------------------------------------- */

/* The largest difference check_vec saw in the running test, relative to
 * max(|want|, 1e-6 max|want|), for the summary line. */
static double worst;

/* got[0..n) against the JSON array want: |g - w| <= tol max(|w|, 1e-6
 * max|want|) (and NaN/null, infinities equal). Returns the failures. */
static int check_vec(const char *what, const char *field, const double *got, const cJSON *want,
                     double tol)
{
    size_t m;
    double *w = unit_json_nums(want, &m);
    double scale = 0;
    for (size_t i = 0; i < m; i++)
        if (isfinite(w[i]) && fabs(w[i]) > scale)
            scale = fabs(w[i]);
    int bad = 0;
    for (size_t i = 0; i < m; i++) {
        double g = got[i], v = w[i];
        double den = fmax(fabs(v), 1e-6 * scale);
        int ok = (isnan(v) && isnan(g)) || g == v || fabs(g - v) <= tol * den;
        if (isfinite(v) && isfinite(g) && den > 0 && fabs(g - v) / den > worst)
            worst = fabs(g - v) / den;
        if (!ok && bad++ < 3)
            fprintf(stderr, "%s: %s[%zu] = %.17g, sklearn %.17g\n", what, field, i, g, v);
    }
    free(w);
    if (bad)
        unit_failures++;
    return bad;
}

static void check_num(const char *what, const char *field, double got, const cJSON *want,
                      double tol)
{
    double w = unit_json_num(want);
    if ((isnan(w) && isnan(got)) || got == w || fabs(got - w) <= tol * fabs(w))
        return;
    fprintf(stderr, "%s: %s = %.17g, sklearn %.17g\n", what, field, got, w);
    unit_failures++;
}

static rg_model_kind kind_of(const cJSON *c)
{
    rg_model_kind k = RG_MODEL_LINEAR;
    model_kind(cJSON_GetObjectItem(c, "kind")->valuestring, &k);
    return k;
}

/* The model spec of kind with the JSON params object. */
static rg_model_spec spec_of(rg_model_kind kind, const cJSON *params, const char *scale)
{
    rg_model_spec s = model_default_spec(kind);
    const cJSON *v;
    if ((v = cJSON_GetObjectItem(params, "fit_intercept")))
        s.enet.fit_intercept = cJSON_IsTrue(v);
    if ((v = cJSON_GetObjectItem(params, "alpha")))
        s.enet.alpha = v->valuedouble;
    if ((v = cJSON_GetObjectItem(params, "l1_ratio")))
        s.enet.l1_ratio = v->valuedouble;
    if ((v = cJSON_GetObjectItem(params, "max_iter")))
        s.enet.max_iter = (size_t)v->valuedouble;
    if ((v = cJSON_GetObjectItem(params, "tol")))
        s.enet.tol = v->valuedouble;
    if (scale && strcmp(scale, "standard") == 0)
        s.scale_x = RG_SCALE_STANDARD;
    return s;
}

/* Run fn on every case of section sec with its dataset loaded. */
static void each_case(const char *sec,
                      void (*fn)(const cJSON *c, const dataset *d, const char *name))
{
    cJSON *root = unit_load_json(MODELS_JSON);
    if (!root) {
        unit_failures++;
        return;
    }
    int ran = 0, skipped = 0;
    worst = 0;
    const cJSON *c;
    cJSON_ArrayForEach(c, cJSON_GetObjectItem(root, sec))
    {
        const char *name = cJSON_GetObjectItem(c, "name")->valuestring;
        dataset d;
        int rc = load_dataset(root, cJSON_GetObjectItem(c, "data")->valuestring, &d);
        if (rc == 1) {
            skipped++;
            continue;
        }
        if (rc != 0) {
            fprintf(stderr, "models %s: cannot load its data\n", name);
            unit_failures++;
            continue;
        }
        fn(c, &d, name);
        dataset_free(&d);
        ran++;
    }
    CHECK(ran > 0);
    fprintf(stderr, "models %s: %d cases, largest relative difference %.2g\n", sec, ran, worst);
    if (skipped && !unit_failures)
        fprintf(stderr, "models %s: %d NSCLC cases skipped (%s absent)\n", sec, skipped,
                NSCLC_DIR);
    cJSON_Delete(root);
}

/* ---- fits --------------------------------------------------------------------------- */

static void fit_case(const cJSON *c, const dataset *d, const char *name)
{
    rg_model_kind kind = kind_of(c);
    rg_model_spec s = spec_of(kind, cJSON_GetObjectItem(c, "params"), NULL);
    rg_model m;
    if (model_fit(&s, d->X, d->n, d->p, d->Y, d->q, &m) != 0) {
        fprintf(stderr, "models %s: the fit failed\n", name);
        unit_failures++;
        return;
    }
    const cJSON *coef = cJSON_GetObjectItem(c, "coef"), *pred = cJSON_GetObjectItem(c, "pred");
    double *P = malloc(d->n * d->q * sizeof *P);
    model_predict(&m, d->X, d->n, P);
    for (size_t k = 0; k < d->q; k++) {
        check_vec(name, "coef", m.coef + k * d->p, cJSON_GetArrayItem(coef, (int)k), TOL);
        check_vec(name, "pred", P + k * d->n, cJSON_GetArrayItem(pred, (int)k), TOL);
    }
    check_vec(name, "intercept", m.intercept, cJSON_GetObjectItem(c, "intercept"), TOL);
    if (kind == RG_MODEL_LINEAR) {
        const cJSON *r = cJSON_GetObjectItem(c, "rank");
        if (r && (size_t)r->valuedouble != m.rank) {
            fprintf(stderr, "models %s: rank %zu, sklearn %d\n", name, m.rank,
                    (int)r->valuedouble);
            unit_failures++;
        }
    } else {
        const cJSON *it = cJSON_GetObjectItem(c, "n_iter");
        const cJSON *warn = cJSON_GetObjectItem(c, "convergence_warning");
        for (size_t k = 0; k < d->q; k++) {
            size_t want = (size_t)cJSON_GetArrayItem(it, (int)k)->valuedouble;
            int warned = cJSON_IsTrue(cJSON_GetArrayItem(warn, (int)k));
            if (m.info[k].n_iter != want || m.info[k].converged != !warned) {
                fprintf(stderr, "models %s: output %zu: %zu iterations (converged %d), "
                                "sklearn %zu (warned %d)\n",
                        name, k, m.info[k].n_iter, m.info[k].converged, want, warned);
                unit_failures++;
            }
        }
        /* the gap is a difference of near sums: to 1e-3 of itself, or to
         * 1e-9 of the objective's scale (||y - mean y||^2 / n) */
        const cJSON *gaps = cJSON_GetObjectItem(c, "dual_gap");
        for (size_t k = 0; k < d->q; k++) {
            double want = unit_json_num(cJSON_GetArrayItem(gaps, (int)k)), mean = 0, ss = 0;
            const double *y = d->Y + k * d->n;
            for (size_t i = 0; i < d->n; i++)
                mean += y[i] / (double)d->n;
            for (size_t i = 0; i < d->n; i++)
                ss += (y[i] - mean) * (y[i] - mean) / (double)d->n;
            if (!(fabs(m.info[k].gap - want) <= 1e-3 * fabs(want) + 1e-9 * ss)) {
                fprintf(stderr, "models %s: dual gap %.17g, sklearn %.17g\n", name,
                        m.info[k].gap, want);
                unit_failures++;
            }
        }
    }
    free(P);
    model_free(&m);
}

static void test_fits(void) { each_case("fits", fit_case); }

/* ---- paths ---------------------------------------------------------------------------- */

static void path_case(const cJSON *c, const dataset *d, const char *name)
{
    rg_model_kind kind = kind_of(c);
    rg_enet_opts o = enet_default_opts();
    o.l1_ratio = cJSON_GetObjectItem(c, "l1_ratio")->valuedouble;
    o.fit_intercept = cJSON_IsTrue(cJSON_GetObjectItem(c, "fit_intercept"));
    o.max_iter = (size_t)cJSON_GetObjectItem(c, "max_iter")->valuedouble;
    o.tol = cJSON_GetObjectItem(c, "tol")->valuedouble;
    size_t na = (size_t)cJSON_GetObjectItem(c, "n_alphas")->valuedouble;
    double eps = cJSON_GetObjectItem(c, "eps")->valuedouble;
    double *alphas = malloc(na * sizeof *alphas);
    CHECK(enet_alpha_grid(d->X, d->n, d->p, d->Y, 1, o.l1_ratio, o.fit_intercept, eps, na,
                          alphas) == 0);
    check_vec(name, "alphas", alphas, cJSON_GetObjectItem(c, "alphas"), 1e-12);
    rg_enet_path path;
    CHECK(enet_path(d->X, d->n, d->p, d->Y, 1, &o, 0, alphas, na, &path) == 0);
    (void)kind;
    const cJSON *coefs = cJSON_GetObjectItem(c, "coefs");
    const cJSON *conv = cJSON_GetObjectItem(c, "converged");
    const cJSON *iters = cJSON_GetObjectItem(c, "n_iter");
    double *icp = malloc(na * sizeof *icp);
    for (size_t a = 0; a < na; a++) {
        char field[48];
        snprintf(field, sizeof field, "coefs at alpha %zu", a);
        /* non-converged fits stop at the same sweep: same numbers, looser */
        int ok = cJSON_IsTrue(cJSON_GetArrayItem(conv, (int)a));
        /* the JSON lists the non-zero coefficients of each alpha */
        const cJSON *sp = cJSON_GetArrayItem(coefs, (int)a);
        size_t ni, nv;
        double *idx = unit_json_nums(cJSON_GetObjectItem(sp, "index"), &ni);
        double *val = unit_json_nums(cJSON_GetObjectItem(sp, "value"), &nv);
        cJSON *dense = cJSON_CreateArray();
        for (size_t j = 0, at = 0; j < d->p; j++) {
            double v = at < ni && at < nv && (size_t)idx[at] == j ? val[at++] : 0;
            cJSON_AddItemToArray(dense, cJSON_CreateNumber(v));
        }
        CHECK(ni == nv && ni <= d->p);
        check_vec(name, field, path.coefs + a * d->p, dense, ok ? TOL : 1e-4);
        cJSON_Delete(dense);
        free(idx);
        free(val);
        size_t want = (size_t)cJSON_GetArrayItem(iters, (int)a)->valuedouble;
        if (ok && path.info[a].n_iter != want) {
            fprintf(stderr, "models %s: alpha %zu: %zu iterations, sklearn %zu\n", name, a,
                    path.info[a].n_iter, want);
            unit_failures++;
        }
        icp[a] = path.intercepts[a];
    }
    check_vec(name, "intercepts", icp, cJSON_GetObjectItem(c, "intercepts"), TOL);
    free(icp);
    free(alphas);
    enet_path_free(&path);
}

static void test_paths(void) { each_case("paths", path_case); }

/* ---- cross-validation and grid search ------------------------------------------------- */

static const char *scale_of(const cJSON *c)
{
    const cJSON *s = cJSON_GetObjectItem(c, "scale");
    return s && cJSON_IsString(s) ? s->valuestring : NULL;
}

static void cv_case(const cJSON *c, const dataset *d, const char *name)
{
    rg_model_spec s =
        spec_of(kind_of(c), cJSON_GetObjectItem(c, "params"), scale_of(c));
    size_t k = (size_t)cJSON_GetObjectItem(c, "folds")->valuedouble;
    size_t *fold = malloc(d->n * sizeof *fold);
    rg_rng r;
    rng_init(&r, 1, "unused");
    CHECK(validate_kfold(d->n, k, 0, NULL, 0, &r, fold) == 0);
    double *pred = malloc(d->n * d->q * sizeof *pred);
    rg_eval_error err;
    CHECK(validate_cv_predict(&s, d->X, d->n, d->p, d->Y, d->q, fold, k, 2, pred, &err) == 0);
    const cJSON *want = cJSON_GetObjectItem(c, "pred");
    for (size_t j = 0; j < d->q; j++)
        check_vec(name, "pred", pred + j * d->n, cJSON_GetArrayItem(want, (int)j), TOL);
    free(fold);
    free(pred);
}

static void test_cv_predict(void) { each_case("cv_predict", cv_case); }

static void grid_case(const cJSON *c, const dataset *d, const char *name)
{
    rg_model_kind kind = kind_of(c);
    const cJSON *cands = cJSON_GetObjectItem(c, "candidates");
    size_t m = (size_t)cJSON_GetArraySize(cands);
    rg_model_spec *specs = malloc(m * sizeof *specs);
    for (size_t i = 0; i < m; i++)
        specs[i] = spec_of(kind, cJSON_GetArrayItem(cands, (int)i), scale_of(c));
    size_t k = (size_t)cJSON_GetObjectItem(c, "folds")->valuedouble;
    size_t *fold = malloc(d->n * sizeof *fold);
    rg_rng r;
    rng_init(&r, 1, "unused");
    CHECK(validate_kfold(d->n, k, 0, NULL, 0, &r, fold) == 0);
    const char *sname = cJSON_GetObjectItem(c, "scoring")->valuestring;
    rg_scoring sc = strcmp(sname, "r2") == 0 ? RG_SCORE_R2 : RG_SCORE_NEG_MSE;
    rg_eval e = {&specs[0], NULL, NULL, 0, 0, fold, k, &sc, 1, 0.5};
    rg_grid g;
    rg_eval_error err;
    if (validate_grid(specs, m, &e, d->X, d->n, d->p, d->Y, d->q, 2, NULL, &g, &err) != 0) {
        fprintf(stderr, "models %s: the grid search failed\n", name);
        unit_failures++;
    } else {
        const cJSON *split = cJSON_GetObjectItem(c, "split_test_scores");
        for (size_t i = 0; i < m; i++)
            check_vec(name, "split scores", g.split_scores + i * k,
                      cJSON_GetArrayItem(split, (int)i), TOL);
        check_vec(name, "mean", g.mean, cJSON_GetObjectItem(c, "mean_test_score"), TOL);
        check_vec(name, "sd", g.sd, cJSON_GetObjectItem(c, "std_test_score"), 1e-5);
        double *rank = malloc(m * sizeof *rank);
        for (size_t i = 0; i < m; i++)
            rank[i] = (double)g.rank[i];
        check_vec(name, "rank", rank, cJSON_GetObjectItem(c, "rank_test_score"), 0);
        free(rank);
        CHECK(g.best == (size_t)cJSON_GetObjectItem(c, "best_index")->valuedouble);
        rg_model fit;
        CHECK(model_fit(&specs[g.best], d->X, d->n, d->p, d->Y, d->q, &fit) == 0);
        const cJSON *rc = cJSON_GetObjectItem(c, "refit_coef");
        for (size_t j = 0; j < d->q; j++)
            check_vec(name, "refit coef", fit.coef + j * d->p, cJSON_GetArrayItem(rc, (int)j),
                      TOL);
        check_vec(name, "refit intercept", fit.intercept,
                  cJSON_GetObjectItem(c, "refit_intercept"), TOL);
        model_free(&fit);
        validate_grid_free(&g);
    }
    free(specs);
    free(fold);
}

static void test_grid(void) { each_case("grid", grid_case); }

/* ---- selection ------------------------------------------------------------------------- */

static void select_case(const cJSON *c, const dataset *d, const char *name)
{
    rg_model_spec s = spec_of(kind_of(c), cJSON_GetObjectItem(c, "params"), NULL);
    rg_model m;
    CHECK(model_fit(&s, d->X, d->n, d->p, d->Y, d->q, &m) == 0);
    const cJSON *t = cJSON_GetObjectItem(c, "threshold");
    rg_sel_ref ref = RG_SEL_DEFAULT;
    double value = 1;
    if (cJSON_IsNumber(t)) {
        ref = RG_SEL_VALUE;
        value = t->valuedouble;
    } else if (cJSON_IsString(t)) {
        const char *star = strchr(t->valuestring, '*');
        if (star)
            value = strtod(t->valuestring, NULL);
        ref = strstr(t->valuestring, "median") ? RG_SEL_MEDIAN : RG_SEL_MEAN;
    }
    double *imp = malloc(d->p * sizeof *imp), thr;
    unsigned char *keep = malloc(d->p);
    model_importance(&m, imp);
    check_vec(name, "importances", imp, cJSON_GetObjectItem(c, "importances"), TOL);
    CHECK(model_select(&m, ref, value, d->p, keep, &thr) == 0);
    check_num(name, "threshold", thr, cJSON_GetObjectItem(c, "threshold_value"), TOL);
    size_t j = 0;
    const cJSON *b;
    cJSON_ArrayForEach(b, cJSON_GetObjectItem(c, "support"))
    {
        if (keep[j] != cJSON_IsTrue(b)) {
            fprintf(stderr, "models %s: feature %zu kept %d, sklearn %d\n", name, j, keep[j],
                    cJSON_IsTrue(b));
            unit_failures++;
        }
        j++;
    }
    free(imp);
    free(keep);
    model_free(&m);
}

static void test_select(void) { each_case("select", select_case); }

/* ---- metrics --------------------------------------------------------------------------- */

static void test_metrics(void)
{
    cJSON *root = unit_load_json(MODELS_JSON);
    if (!root) {
        unit_failures++;
        return;
    }
    const cJSON *c;
    cJSON_ArrayForEach(c, cJSON_GetObjectItem(root, "metrics"))
    {
        const char *name = cJSON_GetObjectItem(c, "name")->valuestring;
        const cJSON *yt = cJSON_GetObjectItem(c, "y_true"), *yp = cJSON_GetObjectItem(c, "y_pred");
        if (cJSON_IsArray(cJSON_GetArrayItem(yt, 0))) { /* several outputs */
            size_t n, q, n2, q2;
            double *Y = json_columns(yt, &n, &q), *P = json_columns(yp, &n2, &q2);
            double mse[8], r2[8], ratio[8], rmse[8];
            for (size_t j = 0; j < q && j < 8; j++) {
                mse[j] = metric_mse(Y + j * n, P + j * n, n);
                rmse[j] = sqrt(mse[j]);
                r2[j] = metric_r2(Y + j * n, P + j * n, n);
                ratio[j] = metric_rmse_std_ratio(Y + j * n, P + j * n, n);
            }
            check_vec(name, "mse_raw", mse, cJSON_GetObjectItem(c, "mse_raw"), 1e-12);
            check_vec(name, "rmse_raw", rmse, cJSON_GetObjectItem(c, "rmse_raw"), 1e-12);
            check_vec(name, "r2_raw", r2, cJSON_GetObjectItem(c, "r2_raw"), 1e-12);
            check_vec(name, "ratio_raw", ratio, cJSON_GetObjectItem(c, "rmse_std_ratio_raw"),
                      1e-12);
            free(Y);
            free(P);
            continue;
        }
        size_t n, m;
        double *y = unit_json_nums(yt, &n), *p = unit_json_nums(yp, &m);
        CHECK(n == m);
        check_num(name, "mse", metric_mse(y, p, n), cJSON_GetObjectItem(c, "mse"), 1e-12);
        check_num(name, "rmse", sqrt(metric_mse(y, p, n)), cJSON_GetObjectItem(c, "rmse"),
                  1e-12);
        check_num(name, "r2", metric_r2(y, p, n), cJSON_GetObjectItem(c, "r2"), 1e-12);
        check_num(name, "rmse_std_ratio", metric_rmse_std_ratio(y, p, n),
                  cJSON_GetObjectItem(c, "rmse_std_ratio"), 1e-12);
        free(y);
        free(p);
    }
    cJSON_ArrayForEach(c, cJSON_GetObjectItem(root, "auc"))
    {
        const char *name = cJSON_GetObjectItem(c, "name")->valuestring;
        size_t n, m;
        double *y = unit_json_nums(cJSON_GetObjectItem(c, "y_true"), &n);
        double *s = unit_json_nums(cJSON_GetObjectItem(c, "score"), &m);
        unsigned char *pos = malloc(n ? n : 1);
        for (size_t i = 0; i < n; i++)
            pos[i] = y[i] == 1;
        double auc;
        CHECK(n == m && metric_auc(s, pos, n, &auc) == 0);
        check_num(name, "auc", auc, cJSON_GetObjectItem(c, "auc"), 1e-12);
        free(y);
        free(s);
        free(pos);
    }
    cJSON_ArrayForEach(c, cJSON_GetObjectItem(root, "auc_at_thresholds"))
    {
        const char *name = cJSON_GetObjectItem(c, "name")->valuestring;
        size_t n, m, nt;
        double *y = unit_json_nums(cJSON_GetObjectItem(c, "y_obs"), &n);
        double *p = unit_json_nums(cJSON_GetObjectItem(c, "y_pred"), &m);
        double *t = unit_json_nums(cJSON_GetObjectItem(c, "thresholds"), &nt);
        double *auc = malloc(nt * sizeof *auc);
        for (size_t k = 0; k < nt; k++)
            CHECK(metric_score(RG_SCORE_AUC, t[k], y, p, n, &auc[k]) == 0);
        check_vec(name, "auc", auc, cJSON_GetObjectItem(c, "auc"), 1e-12);
        free(y);
        free(p);
        free(t);
        free(auc);
    }
    cJSON_Delete(root);
}

/* ---- validation by construction -------------------------------------------------------- */

/* Splits and folds: sizes as scikit-learn's, every row once, strata kept
 * in proportion, the same stream giving the same rows. */
static void test_split_kfold(void)
{
    rg_rng r;
    rng_init(&r, 42, "split");
    size_t n = 44, train[44], test[44], ntr, nte;
    CHECK(validate_split(n, 0.1, NULL, 0, &r, train, &ntr, test, &nte) == 0);
    CHECK(nte == 5 && ntr == 39); /* ceil(4.4) */
    size_t strata[44], cnt[2] = {0, 0};
    for (size_t i = 0; i < n; i++)
        strata[i] = i % 4 == 0; /* 11 of class 1 */
    CHECK(validate_split(n, 0.25, strata, 2, &r, train, &ntr, test, &nte) == 0);
    for (size_t i = 0; i < nte; i++)
        cnt[strata[test[i]]]++;
    CHECK(nte == 11 && cnt[1] == 3 && cnt[0] == 8); /* 2.75 -> 3, 8.25 -> 8 */
    CHECK(validate_split(3, 0.01, NULL, 0, &r, train, &ntr, test, &nte) == 0 && nte == 1);
    CHECK(validate_split(3, 0.99, NULL, 0, &r, train, &ntr, test, &nte) == 1);
    size_t fold[44], size[5] = {0};
    CHECK(validate_kfold(n, 5, 1, NULL, 0, &r, fold) == 0);
    for (size_t i = 0; i < n; i++)
        size[fold[i]]++;
    CHECK(size[0] == 9 && size[3] == 9 && size[4] == 8);
    size_t fold2[44], per[5][2] = {{0}};
    CHECK(validate_kfold(n, 5, 1, strata, 2, &r, fold2) == 0);
    for (size_t i = 0; i < n; i++)
        per[fold2[i]][strata[i]]++;
    for (size_t f = 0; f < 5; f++)
        CHECK(per[f][1] >= 2 && per[f][1] <= 3 && per[f][0] + per[f][1] >= 8);
    CHECK(validate_kfold(n, 1, 1, NULL, 0, &r, fold) == 1);
    CHECK(validate_kfold(3, 4, 1, NULL, 0, &r, fold) == 1);
}

/* A permutation test gives the same numbers on 1 and 3 threads, and a
 * strong signal has the smallest attainable p. */
static void test_perm_threads(void)
{
    size_t n = 40, p = 6;
    double X[240], Y[80];
    rg_rng r;
    rng_init(&r, 7, "data");
    for (size_t i = 0; i < n * p; i++)
        X[i] = rng_normal(&r, 0, 1);
    for (size_t i = 0; i < n; i++) {
        Y[i] = 2 * X[i] - X[n + i] + rng_normal(&r, 0, 0.3); /* signal */
        Y[n + i] = rng_normal(&r, 0, 1);                     /* noise */
    }
    rg_model_spec s = model_default_spec(RG_MODEL_LASSO);
    s.enet.alpha = 0.05;
    s.scale_x = RG_SCALE_STANDARD;
    size_t fold[40];
    CHECK(validate_kfold(n, 4, 1, NULL, 0, &r, fold) == 0);
    rg_scoring sc[2] = {RG_SCORE_R2, RG_SCORE_NEG_MSE};
    rg_eval e = {&s, NULL, NULL, 0, 0, fold, 4, sc, 2, 0.5};
    rg_rng stream;
    rng_init(&stream, 11, "perm");
    rg_permtest a, b;
    rg_eval_error err;
    CHECK(validate_perm(&e, X, n, p, Y, 2, 99, &stream, 1, NULL, &a, &err) == 0);
    CHECK(validate_perm(&e, X, n, p, Y, 2, 99, &stream, 3, NULL, &b, &err) == 0);
    CHECK(memcmp(a.perm, b.perm, 99 * 4 * sizeof *a.perm) == 0);
    CHECK(memcmp(a.p, b.p, 4 * sizeof *a.p) == 0);
    CHECK(a.p[0] == 0.01 && a.exceed[0] == 0); /* r2 of the signal */
    CHECK(a.p[1] > 0.05);                      /* r2 of the noise */
    CHECK(a.nvalid[0] == 99);
    validate_perm_free(&a);
    validate_perm_free(&b);
}

/* Options: names per kind, ranges, and the messages. */
static void test_options(void)
{
    rg_model_spec s = model_default_spec(RG_MODEL_LASSO);
    char err[200];
    rg_opt v = {RG_OPT_NUMBER, -1, NULL};
    CHECK(model_set_option(&s, "alpha", &v, err, sizeof err) == -1);
    CHECK_STR(err, "option alpha must be a number >= 0");
    CHECK(model_set_option(&s, "l1_ratio", &v, err, sizeof err) == -1);
    CHECK_STR(err, "unknown option 'l1_ratio' for a lasso model");
    rg_opt str = {RG_OPT_STRING, 0, "robust"};
    CHECK(model_set_option(&s, "scale", &str, err, sizeof err) == -1);
    CHECK_STR(err, "option scale must be \"standard\", \"minmax\", \"maxabs\" or \"none\"");
    rg_model_spec t = model_default_spec(RG_MODEL_TREE);
    rg_opt frac = {RG_OPT_NUMBER, 0.3, NULL}, bad = {RG_OPT_NUMBER, 1.5, NULL};
    CHECK(model_set_option(&t, "max_features", &frac, err, sizeof err) == 0);
    CHECK(t.mf_mode == RG_MF_FRACTION);
    CHECK(model_set_option(&t, "max_features", &bad, err, sizeof err) == -1);
    rg_model_kind k;
    CHECK(model_kind("multitask_elastic_net", &k) == 0 && k == RG_MODEL_MT_ELASTIC_NET);
    CHECK(model_kind("ridge", &k) == -1);
}

const unit_test models_tests[] = {{"models_fits_sklearn", test_fits},
                                  {"models_paths_sklearn", test_paths},
                                  {"models_cv_predict_sklearn", test_cv_predict},
                                  {"models_grid_sklearn", test_grid},
                                  {"models_select_sklearn", test_select},
                                  {"models_metrics_sklearn", test_metrics},
                                  {"models_split_kfold", test_split_kfold},
                                  {"models_perm_threads", test_perm_threads},
                                  {"models_options", test_options},
                                  {NULL, NULL}};
