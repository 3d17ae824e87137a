/* engine/models/tree.c — CART regression trees (tree.h).
 *
 * The tree grows as scikit-learn 1.2.1's DepthFirstTreeBuilder with the
 * BestSplitter and the squared-error criterion, so that the same data and
 * options give the same tree:
 * - a node is a leaf when depth >= max_depth, n < min_samples_split,
 *   n < 2 min_samples_leaf or its impurity <= DBL_EPSILON; otherwise the best
 *   split is searched, and the node stays a leaf when there is none or when
 *   its weighted improvement + DBL_EPSILON < min_impurity_decrease;
 * - impurity is the one-pass mean over outputs of sum y^2 / n - (sum y / n)^2,
 *   the root's from its own sums, a child's from the split that made it
 *   (its right side from the parent's sums minus the left's), as scikit-learn
 *   computes them (so a node of equal y's is a leaf exactly when scikit-learn
 *   would make it one, up to the order of the sums);
 * - the split search draws features without replacement (Fisher-Yates from
 *   substream k of the caller's stream for node k). Every draw counts
 *   against max_features, constant ones too, but the search goes on until
 *   at least one non-constant feature has been evaluated (scikit-learn's
 *   n_visited_features rule). A feature is constant in the node when
 *   max <= min + 1e-7; the node's values are sorted and a split may fall
 *   between sorted neighbours a < b only when b > a + 1e-7 and both sides
 *   keep min_samples_leaf samples. Splits are ranked by the proxy
 *   sum_k (L_k^2 / n_left + R_k^2 / n_right) of the left and right sums; the
 *   first strictly better one wins, so ties go to the feature drawn first.
 *   The threshold is a / 2 + b / 2, or a when that rounds to b or is not
 *   finite (b infinite);
 * - nodes are numbered in the order they are made: depth first, left first.
 *
 * What differs from scikit-learn: its random feature order (its own RNG),
 * the order of sums (its introsort is not stable), and, unless x_float32,
 * the precision of X. scikit-learn rounds X to float32 and adds the 1e-7 in
 * float32 (1 and 1 + 2^-23 count as equal there, not here); with
 * opts.x_float32 the values are rounded to float32 before anything else
 * (fit and predict; beyond the float32 range to +-inf, where scikit-learn
 * refuses) and the comparisons made in float32, which reproduces it.
 *
 * Cost: each split search sorts the node's values once per visited feature,
 * O(m log m) for m samples (introsort); memory is O(n + p + nodes). Or,
 * when most features are visited (opts.presort), each feature is sorted once
 * and each split partitions every feature's order, O(m p) per split and n p
 * indices of memory. Both ways give the same tree: the samples of a node
 * are visited in the same order (by value, then index) and summed in it. */
#include "tree.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define FEATURE_THRESHOLD 1e-7
#define LEAF_THRESHOLD (-2.0) /* scikit-learn's TREE_UNDEFINED in tree_.threshold */

rg_tree_opts tree_default_opts(void)
{
    rg_tree_opts o = {.max_depth = 0,
                      .min_samples_split = 2,
                      .min_samples_leaf = 1,
                      .max_features = 0,
                      .min_impurity_decrease = 0.0,
                      .x_float32 = 0,
                      .presort = 0,
                      .fail_alloc = 0};
    return o;
}

/* ---- allocation, with the failure hook of opts.fail_alloc ------------------ */

typedef struct {
    unsigned long count, fail_at;
} allocs;

/* room for nmemb * size bytes (at least 1), or NULL: out of memory, an
 * overflowing size, or the hook's allocation and every one after it */
static void *grow_block(allocs *a, void *old, size_t nmemb, size_t size)
{
    if (size && nmemb > SIZE_MAX / size)
        return NULL;
    if (a->fail_at && ++a->count >= a->fail_at)
        return NULL;
    size_t bytes = nmemb * size;
    return realloc(old, bytes ? bytes : 1);
}

/* ---- values ------------------------------------------------------------------- */

/* x as numpy's astype(float32): round to nearest even, +-inf beyond the
 * halfway point past FLT_MAX (converting out-of-range values is undefined
 * in C, so those are done by hand). */
static double round_f32(double x)
{
    if (fabs(x) <= FLT_MAX)
        return (double)(float)x;
    const double top = (double)FLT_MAX + 0x1p103; /* FLT_MAX + half its ulp */
    if (x >= top)
        return INFINITY;
    if (x <= -top)
        return -INFINITY;
    if (x > FLT_MAX)
        return FLT_MAX;
    if (x < -FLT_MAX)
        return -FLT_MAX;
    return x; /* NaN */
}

static double value_at(double x, int f32) { return f32 ? round_f32(x) : x; }

/* The largest value that counts as equal to v: v + 1e-7, in float32
 * arithmetic when f32 (v then a float32 value; the exact sum of two floats
 * rounded to double then to float is their float sum, 53 >= 2 * 24 + 2). */
static double same_upto(double v, int f32)
{
    if (!f32)
        return v + FEATURE_THRESHOLD;
    const double ft = (double)(float)FEATURE_THRESHOLD;
    double s = v + ft;
    return isinf(s) ? s : round_f32(s);
}

/* ---- fitting --------------------------------------------------------------------- */

/* A value of one feature with its sample. */
typedef struct {
    double v;
    size_t s;
} keyed;

/* By value, then sample: a total order, so any correct sort gives the same
 * sequence. (No NaN: the caller checks.) */
static int before(const keyed *x, const keyed *y)
{
    return x->v < y->v || (x->v == y->v && x->s < y->s);
}

static void swap_keyed(keyed *a, size_t i, size_t j)
{
    keyed t = a[i];
    a[i] = a[j];
    a[j] = t;
}

static void insertion_sort(keyed *a, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        keyed k = a[i];
        size_t j = i;
        for (; j > 0 && before(&k, &a[j - 1]); j--)
            a[j] = a[j - 1];
        a[j] = k;
    }
}

static void sift_down(keyed *a, size_t root, size_t n)
{
    for (;;) {
        size_t c = 2 * root + 1;
        if (c >= n)
            return;
        if (c + 1 < n && before(&a[c], &a[c + 1]))
            c++;
        if (!before(&a[root], &a[c]))
            return;
        swap_keyed(a, root, c);
        root = c;
    }
}

static void heap_sort(keyed *a, size_t n)
{
    for (size_t i = n / 2; i-- > 0;)
        sift_down(a, i, n);
    for (size_t end = n; end-- > 1;) {
        swap_keyed(a, 0, end);
        sift_down(a, 0, end);
    }
}

/* Introsort: quicksort on the median of three, the smaller side first by
 * recursion (depth O(log n)), heapsort past 2 log2(n) levels, insertion sort
 * below 16 elements. The split search sorts once per feature and node, so
 * this is the fit's inner loop; qsort's indirect comparisons cost twice as
 * much. */
static void sort_keyed(keyed *a, size_t n, unsigned depth)
{
    while (n > 16) {
        if (depth-- == 0) {
            heap_sort(a, n);
            return;
        }
        size_t mid = n / 2;
        if (before(&a[mid], &a[0]))
            swap_keyed(a, mid, 0);
        if (before(&a[n - 1], &a[mid])) {
            swap_keyed(a, n - 1, mid);
            if (before(&a[mid], &a[0]))
                swap_keyed(a, mid, 0);
        }
        keyed pivot = a[mid]; /* a[0] <= pivot <= a[n - 1]: sentinels */
        size_t i = 0, j = n - 1;
        for (;;) {
            while (before(&a[++i], &pivot))
                ;
            while (before(&pivot, &a[--j]))
                ;
            if (i >= j)
                break;
            swap_keyed(a, i, j);
        }
        /* a[0, j] <= pivot <= a[j + 1, n) */
        size_t left = j + 1;
        if (left < n - left) {
            sort_keyed(a, left, depth);
            a += left;
            n -= left;
        } else {
            sort_keyed(a + left, n - left, depth);
            n = left;
        }
    }
    insertion_sort(a, n);
}

static unsigned sort_depth(size_t n)
{
    unsigned d = 0;
    while (n > 1) {
        n >>= 1;
        d += 2;
    }
    return d;
}

/* A node waiting to be made. */
typedef struct {
    size_t start, end, depth;
    long parent;
    int is_left;
    double impurity; /* from the parent's split; the root's is computed */
} pending;

typedef struct {
    const double *X, *Y;
    size_t n, p, q;
    size_t max_depth, min_split, min_leaf, max_features;
    double min_decrease;
    int f32;
    const rg_rng *stream;
    allocs a;
    size_t *idx;            /* n: the samples, each node owning idx[start, end) */
    size_t *scratch;        /* n: partitioning */
    keyed *kv;              /* n: one feature's values in the node, sorted */
    size_t *sorted;         /* presorting: n x p, column j the samples in the order of
                               feature j, each node's idx[start, end) at [start, end) */
    unsigned char *left;    /* presorting: n, the samples going left at a split */
    size_t *feat;           /* p: the draw order */
    double *sum, *sum_left; /* q each */
    pending *stack;
    size_t nstack, capstack;
    rg_tree *t;
    size_t cap; /* nodes the tree's arrays have room for */
} fitter;

typedef struct {
    long feature;
    size_t pos; /* samples going left */
    double threshold;
} split;

/* Room for one more node. 0 or -1. */
static int room_for_node(fitter *f)
{
    rg_tree *t = f->t;
    if (t->nnode < f->cap)
        return 0;
    size_t cap = f->cap ? 2 * f->cap : 16;
    long *l = grow_block(&f->a, t->left, cap, sizeof *l);
    if (!l)
        return -1;
    t->left = l;
    long *r = grow_block(&f->a, t->right, cap, sizeof *r);
    if (!r)
        return -1;
    t->right = r;
    long *ft = grow_block(&f->a, t->feature, cap, sizeof *ft);
    if (!ft)
        return -1;
    t->feature = ft;
    double *th = grow_block(&f->a, t->threshold, cap, sizeof *th);
    if (!th)
        return -1;
    t->threshold = th;
    double *imp = grow_block(&f->a, t->impurity, cap, sizeof *imp);
    if (!imp)
        return -1;
    t->impurity = imp;
    size_t *ns = grow_block(&f->a, t->n_samples, cap, sizeof *ns);
    if (!ns)
        return -1;
    t->n_samples = ns;
    if (f->q && cap > SIZE_MAX / f->q)
        return -1;
    double *v = grow_block(&f->a, t->value, cap * f->q, sizeof *v);
    if (!v)
        return -1;
    t->value = v;
    f->cap = cap;
    return 0;
}

static int push(fitter *f, pending e)
{
    if (f->nstack == f->capstack) {
        size_t cap = f->capstack ? 2 * f->capstack : 32;
        pending *s = grow_block(&f->a, f->stack, cap, sizeof *s);
        if (!s)
            return -1;
        f->stack = s;
        f->capstack = cap;
    }
    f->stack[f->nstack++] = e;
    return 0;
}

/* The best split of the samples idx[start, end), whose output sums are
 * f->sum; node is the node's number (its substream). Returns 1 with *best,
 * or 0 when no split is valid. */
static int best_split(fitter *f, size_t start, size_t end, size_t node, split *best)
{
    const size_t m = end - start, n = f->n, q = f->q, p = f->p;
    const size_t *idx = f->idx + start;
    double *sl = f->sum_left;
    keyed *kv = f->kv;
    rg_rng r;
    rng_substream(&r, f->stream, node);
    for (size_t j = 0; j < p; j++)
        f->feat[j] = j;
    size_t visited = 0, nonconstant = 0;
    double best_proxy = -INFINITY;
    int found = 0;
    for (size_t d = 0; d < p; d++) {
        if (visited >= f->max_features && nonconstant > 0)
            break;
        visited++;
        size_t pick = d + (size_t)rng_below(&r, (uint64_t)(p - d));
        size_t j = f->feat[pick];
        f->feat[pick] = f->feat[d];
        f->feat[d] = j;

        const double *x = f->X + j * n;
        if (f->sorted) {
            const size_t *ord = f->sorted + j * n + start;
            if (value_at(x[ord[m - 1]], f->f32) <=
                same_upto(value_at(x[ord[0]], f->f32), f->f32))
                continue; /* constant in the node */
            for (size_t i = 0; i < m; i++)
                kv[i] = (keyed){value_at(x[ord[i]], f->f32), ord[i]};
        } else {
            double lo = INFINITY, hi = -INFINITY;
            for (size_t i = 0; i < m; i++) {
                double v = value_at(x[idx[i]], f->f32);
                kv[i] = (keyed){v, idx[i]};
                lo = v < lo ? v : lo;
                hi = v > hi ? v : hi;
            }
            if (hi <= same_upto(lo, f->f32))
                continue; /* constant in the node */
            sort_keyed(kv, m, sort_depth(m));
        }
        nonconstant++;
        for (size_t k = 0; k < q; k++)
            sl[k] = 0;
        size_t added = 0; /* kv[0, added) are in sl */
        size_t i = 0;
        while (i < m) {
            while (i + 1 < m && kv[i + 1].v <= same_upto(kv[i].v, f->f32))
                i++;
            i++; /* kv[i - 1] < kv[i] beyond the threshold, or i == m */
            if (i >= m)
                break;
            if (i < f->min_leaf || m - i < f->min_leaf)
                continue;
            for (; added < i; added++) {
                const double *y = f->Y + kv[added].s;
                for (size_t k = 0; k < q; k++)
                    sl[k] += y[k * n];
            }
            double pl = 0, pr = 0;
            for (size_t k = 0; k < q; k++) {
                double sr = f->sum[k] - sl[k];
                pl += sl[k] * sl[k];
                pr += sr * sr;
            }
            double proxy = pl / (double)i + pr / (double)(m - i);
            if (proxy > best_proxy) {
                best_proxy = proxy;
                double a = kv[i - 1].v, b = kv[i].v;
                double th = a / 2.0 + b / 2.0;
                if (!(th < b) || isinf(th)) /* rounded to b, or +-inf, or -inf + inf */
                    th = a;
                *best = (split){(long)j, i, th};
                found = 1;
            }
        }
    }
    return found;
}

/* Sums of the outputs (sum[k]) and of their squares (all outputs together)
 * over the samples idx[0, m), sample by sample as scikit-learn's criterion. */
static double node_sums(const fitter *f, const size_t *idx, size_t m, double *sum)
{
    double sq = 0;
    for (size_t k = 0; k < f->q; k++)
        sum[k] = 0;
    for (size_t i = 0; i < m; i++)
        for (size_t k = 0; k < f->q; k++) {
            double y = f->Y[k * f->n + idx[i]];
            sq += y * y;
            sum[k] += y;
        }
    return sq;
}

/* mean over outputs of sq / m - (sum_k / m)^2, with sq summed over outputs */
static double impurity_of(double sq, const double *sum, size_t q, size_t m)
{
    double w = (double)m, imp = sq / w;
    for (size_t k = 0; k < q; k++)
        imp -= (sum[k] / w) * (sum[k] / w);
    return imp / (double)q;
}

/* Presorting: after idx[start, end) was partitioned (nl samples left), the
 * same partition of each feature's order, each side keeping its order. */
static void partition_sorted(fitter *f, size_t start, size_t end, size_t nl)
{
    for (size_t i = start; i < start + nl; i++)
        f->left[f->idx[i]] = 1;
    for (size_t i = start + nl; i < end; i++)
        f->left[f->idx[i]] = 0;
    for (size_t j = 0; j < f->p; j++) {
        size_t *ord = f->sorted + j * f->n, a = start, b = 0;
        for (size_t i = start; i < end; i++) {
            if (f->left[ord[i]])
                ord[a++] = ord[i];
            else
                f->scratch[b++] = ord[i];
        }
        memcpy(ord + a, f->scratch, b * sizeof *ord);
    }
}

/* Presorting: each feature's order of all the samples. */
static void presort(fitter *f)
{
    for (size_t j = 0; j < f->p; j++) {
        const double *x = f->X + j * f->n;
        for (size_t i = 0; i < f->n; i++)
            f->kv[i] = (keyed){value_at(x[i], f->f32), i};
        sort_keyed(f->kv, f->n, sort_depth(f->n));
        for (size_t i = 0; i < f->n; i++)
            f->sorted[j * f->n + i] = f->kv[i].s;
    }
}

/* Whether to presort: sorting each node's values costs about max_features
 * m log2 m per node, partitioning the presorted orders p m; and the orders
 * take n p indices (at most 2^25 of them, 256 MB). */
static int should_presort(const fitter *f, int presort_opt)
{
    if (presort_opt != 0 || f->p == 0 || f->n > ((size_t)1 << 25) / f->p)
        return presort_opt > 0;
    return (double)f->max_features * log2((double)f->n) >= (double)f->p;
}

/* Make the node on top of the stack, and push its children if it splits. */
static int grow_node(fitter *f)
{
    pending e = f->stack[--f->nstack];
    rg_tree *t = f->t;
    const size_t m = e.end - e.start, q = f->q;
    if (room_for_node(f) != 0)
        return -1;
    size_t id = t->nnode;
    double sq = node_sums(f, f->idx + e.start, m, f->sum);
    double imp = e.parent < 0 ? impurity_of(sq, f->sum, q, m) : e.impurity;
    int leaf = (f->max_depth && e.depth >= f->max_depth) || m < f->min_split ||
               m < 2 * f->min_leaf || imp <= DBL_EPSILON;
    split s = {-1, 0, LEAF_THRESHOLD};
    double imp_left = 0, imp_right = 0;
    if (!leaf && best_split(f, e.start, e.end, id, &s)) {
        /* partition by the threshold, each side in its former order */
        size_t *idx = f->idx + e.start, nl = 0, nr = 0;
        const double *x = f->X + (size_t)s.feature * f->n;
        for (size_t i = 0; i < m; i++) {
            if (value_at(x[idx[i]], f->f32) <= s.threshold)
                idx[nl++] = idx[i];
            else
                f->scratch[nr++] = idx[i];
        }
        memcpy(idx + nl, f->scratch, nr * sizeof *idx);
        /* nl == s.pos: the threshold lies between the sorted neighbours */
        if (f->sorted)
            partition_sorted(f, e.start, e.end, nl);
        double sq_left = node_sums(f, idx, nl, f->sum_left);
        imp_left = impurity_of(sq_left, f->sum_left, q, nl);
        for (size_t k = 0; k < q; k++)
            f->sum_left[k] = f->sum[k] - f->sum_left[k]; /* now the right's */
        imp_right = impurity_of(sq - sq_left, f->sum_left, q, nr);
        double w = (double)m;
        double improvement = (w / (double)f->n) *
                             (imp - (double)nr / w * imp_right - (double)nl / w * imp_left);
        s.pos = nl;
        leaf = improvement + DBL_EPSILON < f->min_decrease;
    } else {
        leaf = 1;
    }
    if (e.parent >= 0) {
        if (e.is_left)
            t->left[e.parent] = (long)id;
        else
            t->right[e.parent] = (long)id;
    }
    t->left[id] = t->right[id] = -1;
    t->feature[id] = leaf ? -1 : s.feature;
    t->threshold[id] = leaf ? LEAF_THRESHOLD : s.threshold;
    t->impurity[id] = imp;
    t->n_samples[id] = m;
    for (size_t k = 0; k < q; k++)
        t->value[id * q + k] = f->sum[k] / (double)m;
    t->nnode++;
    if (e.depth > t->depth)
        t->depth = e.depth;
    if (leaf) {
        t->nleaves++;
        return 0;
    }
    size_t mid = e.start + s.pos;
    if (push(f, (pending){mid, e.end, e.depth + 1, (long)id, 0, imp_right}) != 0 ||
        push(f, (pending){e.start, mid, e.depth + 1, (long)id, 1, imp_left}) != 0)
        return -1;
    return 0;
}

int tree_fit(const double *X, size_t n, size_t p, const double *Y, size_t q,
             const rg_tree_opts *o, const rg_rng *stream, rg_tree *out)
{
    memset(out, 0, sizeof *out);
    if (n == 0 || q == 0 || o->min_samples_split < 2 || o->min_samples_leaf < 1 ||
        !(o->min_impurity_decrease >= 0))
        return RG_TREE_BADARG;
    fitter f = {0};
    f.X = X;
    f.Y = Y;
    f.n = n;
    f.p = p;
    f.q = q;
    f.max_depth = o->max_depth;
    f.min_split = o->min_samples_split;
    f.min_leaf = o->min_samples_leaf;
    f.max_features = o->max_features == 0 || o->max_features > p ? p : o->max_features;
    f.min_decrease = o->min_impurity_decrease;
    f.f32 = o->x_float32 != 0;
    f.stream = stream;
    f.a.fail_at = o->fail_alloc;
    f.t = out;
    out->q = q;
    out->p = p;
    out->x_float32 = f.f32;
    int rc = RG_TREE_NOMEM;
    f.idx = grow_block(&f.a, NULL, n, sizeof *f.idx);
    if (!f.idx)
        goto done;
    f.scratch = grow_block(&f.a, NULL, n, sizeof *f.scratch);
    if (!f.scratch)
        goto done;
    f.kv = grow_block(&f.a, NULL, n, sizeof *f.kv);
    if (!f.kv)
        goto done;
    f.feat = grow_block(&f.a, NULL, p, sizeof *f.feat);
    if (!f.feat)
        goto done;
    f.sum = grow_block(&f.a, NULL, 2 * q, sizeof *f.sum);
    if (!f.sum)
        goto done;
    f.sum_left = f.sum + q;
    if (should_presort(&f, o->presort)) {
        if (p && n > SIZE_MAX / p)
            goto done;
        f.sorted = grow_block(&f.a, NULL, n * p, sizeof *f.sorted);
        if (!f.sorted)
            goto done;
        f.left = grow_block(&f.a, NULL, n, sizeof *f.left);
        if (!f.left)
            goto done;
        presort(&f);
    }
    for (size_t i = 0; i < n; i++)
        f.idx[i] = i;
    if (push(&f, (pending){0, n, 0, -1, 0, 0}) != 0)
        goto done;
    while (f.nstack > 0)
        if (grow_node(&f) != 0)
            goto done;
    rc = 0;
done:
    free(f.idx);
    free(f.scratch);
    free(f.kv);
    free(f.feat);
    free(f.sum);
    free(f.sorted);
    free(f.left);
    free(f.stack);
    if (rc != 0)
        tree_free(out);
    return rc;
}

/* ---- using a tree ------------------------------------------------------------------ */

void tree_predict(const rg_tree *t, const double *X, size_t n, double *out)
{
    for (size_t i = 0; i < n; i++) {
        size_t node = 0;
        while (t->left[node] >= 0) {
            double x = value_at(X[(size_t)t->feature[node] * n + i], t->x_float32);
            node = (size_t)(x <= t->threshold[node] ? t->left[node] : t->right[node]);
        }
        for (size_t k = 0; k < t->q; k++)
            out[k * n + i] = t->value[node * t->q + k];
    }
}

void tree_importance(const rg_tree *t, double *imp)
{
    for (size_t j = 0; j < t->p; j++)
        imp[j] = 0;
    if (t->nnode == 0)
        return;
    for (size_t k = 0; k < t->nnode; k++) {
        if (t->left[k] < 0)
            continue;
        size_t l = (size_t)t->left[k], r = (size_t)t->right[k];
        imp[(size_t)t->feature[k]] += (double)t->n_samples[k] * t->impurity[k] -
                                      (double)t->n_samples[l] * t->impurity[l] -
                                      (double)t->n_samples[r] * t->impurity[r];
    }
    double total = 0;
    for (size_t j = 0; j < t->p; j++) {
        imp[j] /= (double)t->n_samples[0];
        total += imp[j];
    }
    if (total > 0)
        for (size_t j = 0; j < t->p; j++)
            imp[j] /= total;
}

void tree_free(rg_tree *t)
{
    free(t->left);
    free(t->right);
    free(t->feature);
    free(t->threshold);
    free(t->value);
    free(t->impurity);
    free(t->n_samples);
    memset(t, 0, sizeof *t);
}
