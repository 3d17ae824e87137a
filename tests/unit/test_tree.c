/* tests/unit/test_tree.c — the regression tree (engine/models/tree.h)
 * against scikit-learn 1.2.1's DecisionTreeRegressor: tests/conformance/
 * tree.json (gen_tree.py) holds the inputs (or, for the NSCLC cases, the
 * columns to read from ../shared/data/nsclc-radiogenomics) and what
 * scikit-learn fitted. Each case is fitted with x_float32 on the data as
 * given (scikit-learn's own rounding; presorted and sorted per node), and in
 * double precision on the data rounded to float32 beforehand (the same
 * inputs; compared where the generator found that the 1e-7 comparisons
 * cannot differ). Predictions,
 * importances and node values at 1e-10 relative, node counts, depth, leaves
 * and the tree's arrays exactly, each only where the case's tie_free says
 * that scikit-learn gives it whatever its random_state. Then determinism,
 * max_features, the float32 rule, the argument checks and the
 * allocation-failure paths. */
#include <float.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "frame.h"
#include "models/tree.h"
#include "rng.h"
#include "unit.h"

#define TREE_JSON "tests/conformance/tree.json"
#define NSCLC_DIR "../shared/data/nsclc-radiogenomics/"
#define TOL 1e-10

/* the largest relative differences seen, printed for the record */
static double worst_pred, worst_imp, worst_value;

static double rel_diff(double got, double want)
{
    if (got == want)
        return 0;
    double d = fabs(got - want);
    return fabs(want) > 1e-300 ? d / fabs(want) : d;
}

/* got[0..n) against want[0..n) at TOL relative; *worst gets the largest
 * difference. Returns the number of values out of tolerance (the first few
 * are printed). */
static int compare(const char *name, const char *field, const double *got,
                   const double *want, size_t n, double *worst)
{
    int bad = 0;
    for (size_t i = 0; i < n; i++) {
        double r = rel_diff(got[i], want[i]);
        if (r > *worst)
            *worst = r;
        if (!(r <= TOL) && bad++ < 3)
            fprintf(stderr, "tree %s: %s[%zu] = %.17g, scikit-learn %.17g\n", name, field,
                    i, got[i], want[i]);
    }
    return bad;
}

/* A list of columns as one column-major array (caller frees); *nrow, *ncol. */
static double *json_matrix(const cJSON *a, size_t *nrow, size_t *ncol)
{
    *ncol = (size_t)cJSON_GetArraySize(a);
    *nrow = *ncol ? (size_t)cJSON_GetArraySize(cJSON_GetArrayItem(a, 0)) : 0;
    size_t len = *nrow * *ncol;
    double *m = malloc((len > 0 ? len : 1) * sizeof *m);
    size_t j = 0;
    const cJSON *c;
    cJSON_ArrayForEach(c, a)
    {
        size_t n;
        double *col = unit_json_nums(c, &n);
        CHECK(n == *nrow);
        memcpy(m + j * *nrow, col, (n < *nrow ? n : *nrow) * sizeof *m);
        free(col);
        j++;
    }
    return m;
}

static int flag(const cJSON *c, const char *field)
{
    return cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetObjectItem(c, "tie_free"), field));
}

static rg_tree_opts case_opts(const cJSON *c)
{
    const cJSON *o = cJSON_GetObjectItem(c, "options");
    rg_tree_opts t = tree_default_opts();
    const cJSON *md = cJSON_GetObjectItem(o, "max_depth");
    t.max_depth = cJSON_IsNumber(md) ? (size_t)md->valuedouble : 0;
    t.min_samples_split = (size_t)cJSON_GetObjectItem(o, "min_samples_split")->valuedouble;
    t.min_samples_leaf = (size_t)cJSON_GetObjectItem(o, "min_samples_leaf")->valuedouble;
    t.min_impurity_decrease = cJSON_GetObjectItem(o, "min_impurity_decrease")->valuedouble;
    return t;
}

static long json_long(const cJSON *c, const char *field)
{
    return (long)cJSON_GetObjectItem(c, field)->valuedouble;
}

/* The integer array field of the tree object tr against got[0..n). */
static int compare_longs(const char *name, const cJSON *tr, const char *field,
                         const long *got, size_t n)
{
    size_t m;
    double *want = unit_json_nums(cJSON_GetObjectItem(tr, field), &m);
    int bad = m != n;
    for (size_t i = 0; i < m && i < n; i++)
        if (got[i] != (long)want[i] && bad++ < 3)
            fprintf(stderr, "tree %s: %s[%zu] = %ld, scikit-learn %ld\n", name, field, i,
                    got[i], (long)want[i]);
    free(want);
    return bad;
}

/* scikit-learn's tree_ arrays (leaves: feature -2 there, -1 here). */
static void check_arrays(const char *name, const cJSON *tr, const rg_tree *t)
{
    size_t n = t->nnode, m;
    long *feat = calloc(n + 1, sizeof *feat), *ns = calloc(n + 1, sizeof *ns);
    for (size_t k = 0; k < n; k++) {
        feat[k] = t->feature[k] < 0 ? -2 : t->feature[k];
        ns[k] = (long)t->n_samples[k];
    }
    int bad = compare_longs(name, tr, "children_left", t->left, n) +
              compare_longs(name, tr, "children_right", t->right, n) +
              compare_longs(name, tr, "feature", feat, n) +
              compare_longs(name, tr, "n_node_samples", ns, n);
    double *th = unit_json_nums(cJSON_GetObjectItem(tr, "threshold"), &m);
    for (size_t k = 0; k < n && k < m; k++)
        if (t->threshold[k] != th[k] && bad++ < 3)
            fprintf(stderr, "tree %s: threshold[%zu] = %.17g, scikit-learn %.17g\n", name,
                    k, t->threshold[k], th[k]);
    /* impurities: relative to the root's (a pure node's is rounding noise) */
    double *imp = unit_json_nums(cJSON_GetObjectItem(tr, "impurity"), &m);
    for (size_t k = 0; k < n && k < m; k++)
        if (!(fabs(t->impurity[k] - imp[k]) <= TOL * fabs(imp[0]) + TOL * fabs(imp[k])) &&
            bad++ < 3)
            fprintf(stderr, "tree %s: impurity[%zu] = %.17g, scikit-learn %.17g\n", name, k,
                    t->impurity[k], imp[k]);
    size_t vr, vc;
    double *val = json_matrix(cJSON_GetObjectItem(tr, "value"), &vr, &vc);
    CHECK(vr == n && vc == t->q);
    if (vr == n && vc == t->q) {
        double *got = malloc(n * t->q * sizeof *got); /* column-major, as val */
        for (size_t k = 0; k < n; k++)
            for (size_t o = 0; o < t->q; o++)
                got[o * n + k] = t->value[k * t->q + o];
        bad += compare(name, "value", got, val, n * t->q, &worst_value);
        free(got);
    }
    free(val);
    free(th);
    free(imp);
    free(feat);
    free(ns);
    if (bad)
        unit_failures++;
}

/* Fit case c (its train X n x p, Y n x q, test X m x p) and compare with
 * scikit-learn's results, as the file header says. f32: x_float32; presort
 * as opts.presort. */
static void check_case(const char *name, const cJSON *c, const double *X, size_t n,
                       size_t p, const double *Y, size_t q, const double *Xt, size_t m,
                       int f32, int presort)
{
    char label[160];
    snprintf(label, sizeof label, "%s%s%s", name, f32 ? "" : " (double)",
             presort > 0   ? " (presorted)"
             : presort < 0 ? " (sorted per node)"
                           : "");
    rg_tree_opts o = case_opts(c);
    o.x_float32 = f32;
    o.presort = presort;
    rg_rng stream;
    rng_init(&stream, 20240611, "tree");
    rg_tree t;
    int rc = tree_fit(X, n, p, Y, q, &o, &stream, &t);
    CHECK(rc == 0);
    if (rc != 0)
        return;
    int bad = 0;
    size_t len, rows, outs;
    double *want, *got = malloc((n > m ? n : m) * q * sizeof *got + 1);

    want = json_matrix(cJSON_GetObjectItem(c, "pred_train"), &rows, &outs);
    CHECK(rows == n && outs == q);
    tree_predict(&t, X, n, got);
    if (rows == n && outs == q)
        bad += compare(label, "pred_train", got, want, n * q, &worst_pred);
    free(want);
    if (flag(c, "pred_test")) {
        want = json_matrix(cJSON_GetObjectItem(c, "pred_test"), &rows, &outs);
        CHECK(rows == m && outs == q);
        tree_predict(&t, Xt, m, got);
        if (rows == m && outs == q)
            bad += compare(label, "pred_test", got, want, m * q, &worst_pred);
        free(want);
    }
    if (flag(c, "importances")) {
        double *imp = malloc((p ? p : 1) * sizeof *imp);
        tree_importance(&t, imp);
        want = unit_json_nums(cJSON_GetObjectItem(c, "importances"), &len);
        CHECK(len == p);
        bad += compare(label, "importances", imp, want, len < p ? len : p, &worst_imp);
        free(want);
        free(imp);
    }
    if (flag(c, "node_count")) {
        if ((long)t.nnode != json_long(c, "node_count") ||
            (long)t.depth != json_long(c, "depth") ||
            (long)t.nleaves != json_long(c, "n_leaves")) {
            fprintf(stderr,
                    "tree %s: %zu nodes, depth %zu, %zu leaves; scikit-learn %ld %ld %ld\n",
                    label, t.nnode, t.depth, t.nleaves, json_long(c, "node_count"),
                    json_long(c, "depth"), json_long(c, "n_leaves"));
            bad++;
        }
        if (flag(c, "tree") && !bad)
            check_arrays(label, cJSON_GetObjectItem(c, "tree"), &t);
    }
    if (bad)
        unit_failures++;
    free(got);
    tree_free(&t);
}

/* The fits of a case: x_float32 on X (presorted and sorted per node), and
 * double precision on X rounded to float32 (when the generator says the two
 * arithmetics agree on it). */
static void check_both(const char *name, const cJSON *c, double *X, size_t n, size_t p,
                       const double *Y, size_t q, double *Xt, size_t m)
{
    check_case(name, c, X, n, p, Y, q, Xt, m, 1, 1);
    check_case(name, c, X, n, p, Y, q, Xt, m, 1, -1);
    if (!cJSON_IsTrue(cJSON_GetObjectItem(c, "f32_gaps_safe")))
        return;
    for (size_t i = 0; i < n * p; i++)
        X[i] = (double)(float)X[i];
    for (size_t i = 0; i < m * p; i++)
        Xt[i] = (double)(float)Xt[i];
    check_case(name, c, X, n, p, Y, q, Xt, m, 0, 0);
}

static void test_tree_conformance(void)
{
    cJSON *j = unit_load_json(TREE_JSON);
    CHECK(j != NULL);
    if (!j)
        return;
    const cJSON *datasets = cJSON_GetObjectItem(j, "datasets"), *c;
    int cases = 0, ties = 0;
    cJSON_ArrayForEach(c, cJSON_GetObjectItem(j, "cases"))
    {
        const char *name = cJSON_GetObjectItem(c, "case")->valuestring;
        const cJSON *d =
            cJSON_GetObjectItem(datasets, cJSON_GetObjectItem(c, "data")->valuestring);
        CHECK(d != NULL);
        if (!d)
            continue;
        size_t n, p, n2, q, m, p2;
        double *X = json_matrix(cJSON_GetObjectItem(d, "X_train"), &n, &p);
        double *Y = json_matrix(cJSON_GetObjectItem(d, "Y_train"), &n2, &q);
        double *Xt = json_matrix(cJSON_GetObjectItem(d, "X_test"), &m, &p2);
        CHECK(n == n2 && p == p2);
        if (n == n2 && p == p2)
            check_both(name, c, X, n, p, Y, q, Xt, m);
        free(X);
        free(Y);
        free(Xt);
        cases++;
        ties += cJSON_IsTrue(cJSON_GetObjectItem(c, "ties"));
    }
    CHECK(cases >= 25 && ties <= 8);
    fprintf(stderr,
            "tree conformance: %d cases; largest relative differences: predictions "
            "%.3g, importances %.3g, node values %.3g\n",
            cases, worst_pred, worst_imp, worst_value);
    cJSON_Delete(j);
}

/* The NSCLC cases: the columns named in the file, read from the CSVs. */
static void test_tree_nsclc(void)
{
    cJSON *j = unit_load_json(TREE_JSON);
    CHECK(j != NULL);
    if (!j)
        return;
    const cJSON *rules = cJSON_GetObjectItem(j, "nsclc_rules");
    if (!cJSON_IsObject(rules) ||
        cJSON_GetArraySize(cJSON_GetObjectItem(j, "nsclc")) == 0) {
        unit_skip = "tree.json was generated without the NSCLC data";
        cJSON_Delete(j);
        return;
    }
    char fa[256], fb[256];
    snprintf(fa, sizeof fa, "%s%s", NSCLC_DIR,
             cJSON_GetObjectItem(rules, "features_csv")->valuestring);
    snprintf(fb, sizeof fb, "%s%s", NSCLC_DIR,
             cJSON_GetObjectItem(rules, "genes_csv")->valuestring);
    rg_csv_opts co = {0};
    rg_frame A, B;
    size_t bytes;
    char sha[65], *err = NULL;
    if (frame_read_csv(fa, "features", &co, &A, &bytes, sha, &err) != 0) {
        free(err);
        unit_skip = "../shared/data/nsclc-radiogenomics is absent";
        cJSON_Delete(j);
        return;
    }
    CHECK(frame_read_csv(fb, "genes", &co, &B, &bytes, sha, &err) == 0);
    if (err) {
        free(err);
        frame_free(&A);
        cJSON_Delete(j);
        return;
    }
    size_t N = A.nrow, ntr = (size_t)json_long(rules, "n_train");
    size_t nte = (size_t)json_long(rules, "n_test");
    CHECK(B.nrow == N && ntr + nte == N && A.ncol == 1522);
    for (size_t i = 0; i < N && i < B.nrow; i++)
        CHECK(strcmp(A.ids[i], B.ids[i]) == 0);
    const cJSON *c;
    int cases = 0;
    cJSON_ArrayForEach(c, cJSON_GetObjectItem(j, "nsclc"))
    {
        const char *name = cJSON_GetObjectItem(c, "case")->valuestring;
        const cJSON *feats = cJSON_GetObjectItem(c, "features");
        const cJSON *genes = cJSON_GetObjectItem(c, "genes");
        size_t p = cJSON_IsArray(feats) ? (size_t)cJSON_GetArraySize(feats) : A.ncol;
        size_t q = (size_t)cJSON_GetArraySize(genes);
        double *X = malloc(ntr * p * sizeof *X), *Xt = malloc(nte * p * sizeof *Xt);
        double *Y = malloc(ntr * q * sizeof *Y);
        int ok = 1;
        for (size_t k = 0; k < p; k++) {
            long at =
                cJSON_IsArray(feats)
                    ? frame_col_index(&A, cJSON_GetArrayItem(feats, (int)k)->valuestring)
                    : (long)k;
            if (at < 0) {
                ok = 0;
                break;
            }
            const double *col = A.cols[at].num;
            memcpy(X + k * ntr, col, ntr * sizeof *X);
            memcpy(Xt + k * nte, col + ntr, nte * sizeof *Xt);
        }
        for (size_t k = 0; ok && k < q; k++) {
            const rg_col *g = frame_col(&B, cJSON_GetArrayItem(genes, (int)k)->valuestring);
            if (!g) {
                ok = 0;
                break;
            }
            for (size_t i = 0; i < ntr; i++)
                Y[k * ntr + i] = log2(1.0 + g->num[i]);
        }
        CHECK(ok);
        if (ok)
            check_both(name, c, X, ntr, p, Y, q, Xt, nte);
        free(X);
        free(Xt);
        free(Y);
        cases++;
    }
    CHECK(cases >= 10);
    fprintf(stderr,
            "tree nsclc: %d cases; largest relative differences so far: predictions "
            "%.3g, importances %.3g, node values %.3g\n",
            cases, worst_pred, worst_imp, worst_value);
    frame_free(&A);
    frame_free(&B);
    cJSON_Delete(j);
}

/* ---- properties -------------------------------------------------------------- */

/* n x p features from a stream (column-major) and y = a step in column 0
 * plus a smaller one in column 1 plus noise. */
static void make_data(size_t n, size_t p, double *X, double *y, uint64_t seed)
{
    rg_rng r;
    rng_init(&r, seed, "tree-data");
    for (size_t i = 0; i < n * p; i++)
        X[i] = rng_normal(&r, 0, 1);
    for (size_t i = 0; i < n; i++)
        y[i] = 4.0 * (X[i] > 0) + (p > 1 ? 2.0 * (X[n + i] > 0.5) : 0) +
               rng_normal(&r, 0, 0.5);
}

/* Whether two trees are the same, array by array. */
static int same_tree(const rg_tree *a, const rg_tree *b)
{
    size_t n = a->nnode;
    return a->nnode == b->nnode && a->q == b->q && a->depth == b->depth &&
           a->nleaves == b->nleaves && memcmp(a->left, b->left, n * sizeof *a->left) == 0 &&
           memcmp(a->right, b->right, n * sizeof *a->right) == 0 &&
           memcmp(a->feature, b->feature, n * sizeof *a->feature) == 0 &&
           memcmp(a->threshold, b->threshold, n * sizeof *a->threshold) == 0 &&
           memcmp(a->value, b->value, n * a->q * sizeof *a->value) == 0 &&
           memcmp(a->impurity, b->impurity, n * sizeof *a->impurity) == 0 &&
           memcmp(a->n_samples, b->n_samples, n * sizeof *a->n_samples) == 0;
}

/* The invariants of a tree fitted on X (n x p), y (q = 1) with o: children
 * after their parent, sample counts adding up, leaves of at least
 * min_samples_leaf, depth within max_depth, and each training row's
 * prediction the mean of y over the rows that reach its leaf. */
static int valid_tree(const rg_tree *t, const double *X, const double *y, size_t n,
                      const rg_tree_opts *o)
{
    int ok = t->nnode >= 1 && t->n_samples[0] == n && t->q == 1;
    size_t leaves = 0;
    for (size_t k = 0; ok && k < t->nnode; k++) {
        long l = t->left[k], r = t->right[k];
        if (l < 0) {
            ok = r < 0 && t->feature[k] < 0 && t->n_samples[k] >= o->min_samples_leaf;
            leaves++;
            continue;
        }
        ok = (size_t)l > k && (size_t)r > k && (size_t)l < t->nnode &&
             (size_t)r < t->nnode && t->n_samples[l] + t->n_samples[r] == t->n_samples[k] &&
             t->feature[k] >= 0 && (size_t)t->feature[k] < t->p;
    }
    ok = ok && leaves == t->nleaves && (o->max_depth == 0 || t->depth <= o->max_depth);
    if (!ok)
        return 0;
    double *pred = malloc(n * sizeof *pred), *sum = calloc(t->nnode, sizeof *sum);
    size_t *cnt = calloc(t->nnode, sizeof *cnt), *leaf = malloc(n * sizeof *leaf);
    tree_predict(t, X, n, pred);
    for (size_t i = 0; i < n; i++) {
        size_t k = 0;
        while (t->left[k] >= 0)
            k = (size_t)(X[(size_t)t->feature[k] * n + i] <= t->threshold[k] ? t->left[k]
                                                                             : t->right[k]);
        leaf[i] = k;
        sum[k] += y[i];
        cnt[k]++;
    }
    for (size_t i = 0; i < n && ok; i++)
        ok = cnt[leaf[i]] == t->n_samples[leaf[i]] &&
             fabs(pred[i] - sum[leaf[i]] / (double)cnt[leaf[i]]) <=
                 1e-12 * (1 + fabs(pred[i]));
    free(pred);
    free(sum);
    free(cnt);
    free(leaf);
    return ok;
}

static void test_tree_deterministic(void)
{
    enum { N = 200, P = 6 };
    double *X = malloc(N * P * sizeof *X), y[N];
    make_data(N, P, X, y, 1);
    rg_rng s1, s2;
    rng_init(&s1, 7, "tree-a");
    rng_init(&s2, 8, "tree-b");
    rg_tree_opts o = tree_default_opts();
    o.max_features = 2;
    o.min_samples_leaf = 10; /* nodes of 20 or more: no two features split one alike */
    rg_tree a, b, c;
    CHECK(tree_fit(X, N, P, y, 1, &o, &s1, &a) == 0);
    CHECK(tree_fit(X, N, P, y, 1, &o, &s1, &b) == 0);
    CHECK(same_tree(&a, &b)); /* the stream is borrowed, not advanced */
    CHECK(tree_fit(X, N, P, y, 1, &o, &s2, &c) == 0);
    CHECK(!same_tree(&a, &c)); /* another feature order, another tree */
    CHECK(valid_tree(&a, X, y, N, &o));
    CHECK(valid_tree(&c, X, y, N, &o));
    tree_free(&a);
    tree_free(&b);
    tree_free(&c);
    tree_free(&c); /* twice is safe */
    /* every feature: the order only breaks ties, none here */
    o.max_features = 0;
    CHECK(tree_fit(X, N, P, y, 1, &o, &s1, &a) == 0);
    CHECK(tree_fit(X, N, P, y, 1, &o, &s2, &b) == 0);
    CHECK(same_tree(&a, &b));
    CHECK(valid_tree(&a, X, y, N, &o));
    tree_free(&a);
    tree_free(&b);
    /* presorted or sorted per node: the same tree, whatever max_features */
    for (size_t mf = 1; mf <= P; mf++) {
        o.max_features = mf;
        o.min_samples_leaf = mf % 3 + 1;
        o.presort = 1;
        CHECK(tree_fit(X, N, P, y, 1, &o, &s1, &a) == 0);
        o.presort = -1;
        CHECK(tree_fit(X, N, P, y, 1, &o, &s1, &b) == 0);
        CHECK(same_tree(&a, &b));
        CHECK(valid_tree(&a, X, y, N, &o));
        tree_free(&a);
        tree_free(&b);
    }
    free(X);
}

/* max_features = 1: the root splits on the single feature drawn, so over
 * streams it uses several features; with the others constant, the search
 * goes on to the one that is not (constant draws do not end it). */
static void test_tree_max_features(void)
{
    enum { N = 100, P = 4 };
    double *X = malloc(N * P * sizeof *X), y[N];
    make_data(N, P, X, y, 2);
    rg_tree_opts o = tree_default_opts();
    o.max_features = 1;
    o.max_depth = 1;
    int used[P] = {0};
    for (uint64_t s = 0; s < 40; s++) {
        rg_rng r;
        rng_init(&r, s, "tree-max-features");
        rg_tree t;
        CHECK(tree_fit(X, N, P, y, 1, &o, &r, &t) == 0);
        CHECK(t.nnode == 3 && t.feature[0] >= 0);
        if (t.nnode == 3)
            used[t.feature[0]]++;
        tree_free(&t);
    }
    for (int j = 0; j < P; j++)
        CHECK(used[j] > 0);
    /* columns 0, 2, 3 constant */
    for (size_t i = 0; i < N; i++) {
        X[i] = 1.5;
        X[2 * N + i] = -3;
        X[3 * N + i] = 1.5 + 5e-8 * (double)(i % 2); /* within 1e-7: constant */
    }
    for (uint64_t s = 0; s < 40; s++) {
        rg_rng r;
        rng_init(&r, s, "tree-max-features");
        rg_tree t;
        CHECK(tree_fit(X, N, P, y, 1, &o, &r, &t) == 0);
        CHECK(t.nnode == 3 && t.feature[0] == 1);
        tree_free(&t);
    }
    /* all constant: a single leaf, importances 0 */
    for (size_t i = 0; i < N; i++)
        X[N + i] = 2;
    rg_rng r;
    rng_init(&r, 1, "tree-max-features");
    rg_tree t;
    CHECK(tree_fit(X, N, P, y, 1, &o, &r, &t) == 0);
    CHECK(t.nnode == 1 && t.nleaves == 1 && t.depth == 0 && t.left[0] == -1);
    double imp[P];
    tree_importance(&t, imp);
    for (int j = 0; j < P; j++)
        CHECK(imp[j] == 0);
    tree_free(&t);
    free(X);
}

/* scikit-learn's float32: 1 and 1 + 2^-23 are one value with x_float32
 * (1 + 1e-7 rounds up to 1 + 2^-23 in float32), two without; a threshold
 * halfway between neighbouring doubles that rounds up falls back to the
 * lower one; an infinite midpoint too. */
static void test_tree_float32(void)
{
    double x[4] = {1, 1, 1 + 0x1p-23, 1 + 0x1p-23}, y[4] = {0, 0, 10, 10};
    rg_rng r;
    rng_init(&r, 1, "tree-float32");
    rg_tree_opts o = tree_default_opts();
    rg_tree t;
    CHECK(tree_fit(x, 4, 1, y, 1, &o, &r, &t) == 0);
    CHECK(t.nnode == 3 && t.threshold[0] == 1 + 0x1p-24);
    tree_free(&t);
    o.x_float32 = 1;
    CHECK(tree_fit(x, 4, 1, y, 1, &o, &r, &t) == 0);
    CHECK(t.nnode == 1 && t.value[0] == 5);
    tree_free(&t);
    /* 1e10 and the next double (2^-19 apart): the midpoint rounds to even */
    double a = 1e10, b = nextafter(1e10, 2e10);
    double x2[4] = {a, a, b, b};
    o.x_float32 = 0;
    CHECK(tree_fit(x2, 4, 1, y, 1, &o, &r, &t) == 0);
    CHECK(t.nnode == 3 && t.threshold[0] == (a / 2 + b / 2 == b ? a : a / 2 + b / 2));
    CHECK(t.threshold[0] >= a && t.threshold[0] < b);
    double pred[4];
    tree_predict(&t, x2, 4, pred);
    CHECK(pred[0] == 0 && pred[1] == 0 && pred[2] == 10 && pred[3] == 10);
    tree_free(&t);
    double x3[4] = {0, 1, INFINITY, INFINITY};
    double y3[4] = {0, 0, 10, 10};
    CHECK(tree_fit(x3, 4, 1, y3, 1, &o, &r, &t) == 0);
    CHECK(t.nnode == 3 && t.threshold[0] == 1);
    tree_free(&t);
    /* beyond the float32 range: +-inf with x_float32 */
    double x4[4] = {-1e300, -1e39, 1e39, 1e300};
    o.x_float32 = 1;
    CHECK(tree_fit(x4, 4, 1, y3, 1, &o, &r, &t) == 0);
    CHECK(t.nnode == 3 && t.threshold[0] == -INFINITY); /* not -inf / 2 + inf / 2 */
    double pred4[4];
    tree_predict(&t, x4, 4, pred4);
    CHECK(pred4[0] == 0 && pred4[1] == 0 && pred4[2] == 10 && pred4[3] == 10);
    tree_free(&t);
}

/* Two outputs: the impurity is their mean, each leaf's value the mean of
 * each output; tree_predict writes n x q column-major. */
static void test_tree_multi_output(void)
{
    double x[6] = {1, 2, 3, 4, 5, 6};
    double Y[12] = {1, 1, 1, 5, 5, 5, /* output 0 */ 0, 0, 0, 0, 2, 4};
    rg_rng r;
    rng_init(&r, 1, "tree-multi");
    rg_tree_opts o = tree_default_opts();
    o.max_depth = 1;
    rg_tree t;
    CHECK(tree_fit(x, 6, 1, Y, 2, &o, &r, &t) == 0);
    CHECK(t.nnode == 3 && t.threshold[0] == 3.5);
    /* the root's: variances 4 and 20 / 6 - 1 */
    CHECK_NEAR(t.impurity[0], (4 + (20 / 6.0 - 1)) / 2, 1e-15);
    CHECK(t.value[2] == 1 && t.value[3] == 0 && t.value[4] == 5 && t.value[5] == 2);
    double out[12];
    tree_predict(&t, x, 6, out);
    CHECK(out[0] == 1 && out[5] == 5 && out[6] == 0 && out[11] == 2);
    tree_free(&t);
}

static void test_tree_bad_args(void)
{
    double x[3] = {1, 2, 3}, y[3] = {1, 2, 3};
    rg_rng r;
    rng_init(&r, 1, "tree-args");
    rg_tree t;
    rg_tree_opts o = tree_default_opts();
    CHECK(tree_fit(x, 0, 1, y, 1, &o, &r, &t) == RG_TREE_BADARG && t.left == NULL);
    CHECK(tree_fit(x, 3, 1, y, 0, &o, &r, &t) == RG_TREE_BADARG && t.nnode == 0);
    o.min_samples_split = 1;
    CHECK(tree_fit(x, 3, 1, y, 1, &o, &r, &t) == RG_TREE_BADARG);
    o = tree_default_opts();
    o.min_samples_leaf = 0;
    CHECK(tree_fit(x, 3, 1, y, 1, &o, &r, &t) == RG_TREE_BADARG);
    o = tree_default_opts();
    o.min_impurity_decrease = NAN;
    CHECK(tree_fit(x, 3, 1, y, 1, &o, &r, &t) == RG_TREE_BADARG);
    o.min_impurity_decrease = -1;
    CHECK(tree_fit(x, 3, 1, y, 1, &o, &r, &t) == RG_TREE_BADARG);
    /* no features: a single leaf */
    o = tree_default_opts();
    CHECK(tree_fit(NULL, 3, 0, y, 1, &o, &r, &t) == 0);
    CHECK(t.nnode == 1 && t.value[0] == 2);
    tree_free(&t);
}

/* Every allocation of a fit failing in turn: RG_TREE_NOMEM, an empty tree,
 * nothing leaked (LeakSanitizer under make test-asan). */
static void test_tree_alloc_failure(void)
{
    enum { N = 300, P = 3 };
    double *X = malloc(N * P * sizeof *X), y[N];
    make_data(N, P, X, y, 3);
    rg_rng r;
    rng_init(&r, 1, "tree-alloc");
    for (int presort = -1; presort <= 1; presort += 2) {
        rg_tree_opts o = tree_default_opts();
        o.presort = presort;
        rg_tree t;
        unsigned long k;
        for (k = 1; k < 1000; k++) {
            o.fail_alloc = k;
            int rc = tree_fit(X, N, P, y, 1, &o, &r, &t);
            if (rc == 0)
                break;
            CHECK(rc == RG_TREE_NOMEM && t.nnode == 0 && t.left == NULL && t.value == NULL);
        }
        CHECK(k > 10 && k < 1000); /* the node arrays grew a few times */
        CHECK(valid_tree(&t, X, y, N, &o));
        tree_free(&t);
    }
    free(X);
}

const unit_test tree_tests[] = {{"tree_conformance", test_tree_conformance},
                                {"tree_nsclc", test_tree_nsclc},
                                {"tree_deterministic", test_tree_deterministic},
                                {"tree_max_features", test_tree_max_features},
                                {"tree_float32", test_tree_float32},
                                {"tree_multi_output", test_tree_multi_output},
                                {"tree_bad_args", test_tree_bad_args},
                                {"tree_alloc_failure", test_tree_alloc_failure},
                                {NULL, NULL}};
