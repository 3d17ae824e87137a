/* engine/lua_stats.c — the statistics of rg: rg.cor, rg.p_adjust,
 * rg.cor_matrix (and its result object), rg.perm.cor, rg.scale.fit (and the
 * scaler), rg.ols, rg.t_test, rg.mann_whitney, rg.roc and rg.hclust.
 * Arguments are checked here, the numbers come from engine/stats/, and
 * conditions a reader must know (too few pairs, a constant variable, aliased
 * columns, dropped rows, missing values) become notes in the report. */
#include <lauxlib.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"
#include "lua_bindings.h"
#include "rng.h"
#include "stats/cor.h"
#include "stats/cormat.h"
#include "stats/hclust.h"
#include "stats/ols.h"
#include "stats/padjust.h"
#include "stats/perm.h"
#include "stats/roc.h"
#include "stats/scale.h"
#include "stats/tests.h"

#define CORMAT_MT "rg.CorMatrix"
#define SCALER_MT "rg.Scaler"
/* Hommel's adjustment takes O(m^2) time: more p-values than this would hang */
#define HOMMEL_MAX 50000

/* Up to 10 names of a list, for a note: "a, b, c and 4 more". */
static void push_name_list(lua_State *L, const char *const *names, const size_t *which,
                           size_t n)
{
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (size_t i = 0; i < n && i < 10; i++) {
        if (i)
            luaL_addstring(&b, ", ");
        luaL_addstring(&b, names[which ? which[i] : i]);
    }
    if (n > 10) {
        lua_pushfstring(L, " and %d more", (int)(n - 10));
        luaL_addvalue(&b);
    }
    luaL_pushresult(&b);
}

/* The numeric columns of the frame at idx as pointers (a userdata pushed on
 * the stack); raises for a text column. */
static const double **frame_numbers(lua_State *L, int idx, const char *what, const char *arg)
{
    const rg_frame *f = luaf_check(L, idx);
    const double **cols = lua_newuserdatauv(L, (f->ncol ? f->ncol : 1) * sizeof *cols, 0);
    for (size_t j = 0; j < f->ncol; j++) {
        if (!f->cols[j].num)
            luaL_error(L, "%s: column '%s' of %s is text (string_cols); select the numeric "
                          "columns first", what, f->cols[j].name, arg);
        cols[j] = f->cols[j].num;
    }
    return cols;
}

/* Raise unless frames a and b have the same IDs in the same order. */
static void same_rows(lua_State *L, const rg_frame *a, const rg_frame *b, const char *what)
{
    int same = a->nrow == b->nrow;
    for (size_t i = 0; same && i < a->nrow; i++)
        same = strcmp(a->ids[i], b->ids[i]) == 0;
    if (!same)
        luaL_error(L, "%s: the frames have other IDs or another order (%d and %d rows); "
                      "align them with rg.join first", what, (int)a->nrow, (int)b->nrow);
}

/* rg.cor(x, y [, {method = "pearson" | "spearman"}]) -> {r, p, n, t, df, method[, S]} */
static int l_cor(lua_State *L)
{
    static const char *const known[] = {"method", NULL};
    luav_check_options(L, 3, "rg.cor", known);
    const char *mname = luav_opt_string(L, 3, "method", "pearson", "rg.cor");
    rg_cor_method m;
    if (cor_method(mname, &m) != 0)
        return luaL_error(L, "rg.cor: method must be pearson or spearman, got '%s'", mname);
    size_t nx, ny;
    const double *x = luav_numbers(L, 1, "rg.cor", "x", &nx);
    const double *y = luav_numbers(L, 2, "rg.cor", "y", &ny);
    if (nx != ny)
        return luaL_error(L, "rg.cor: x and y differ in length (%d and %d)", (int)nx, (int)ny);
    rg_cor_result r;
    if (cor_test(x, y, nx, m, &r) != 0)
        return luaL_error(L, "out of memory");
    if (r.status == RG_COR_TOO_FEW) {
        luav_notef(L, "rg.cor: %d complete pairs (3 needed): r and p are NaN", (int)r.n);
    } else if (r.status == RG_COR_CONSTANT) {
        host_note(L, "rg.cor: a variable is constant (zero variance): r and p are NaN");
    } else if (r.status == RG_COR_UNDERFLOW) {
        host_note(L, "rg.cor: the covariance underflows double precision (values near "
                     "1e-300; rescale them): r and p are NaN");
    }
    lua_createtable(L, 0, 7);
    luav_set_number(L, "r", r.r);
    luav_set_number(L, "p", r.p);
    lua_pushinteger(L, (lua_Integer)r.n);
    lua_setfield(L, -2, "n");
    luav_set_number(L, "t", r.t);
    luav_set_number(L, "df", r.df);
    if (m == RG_COR_SPEARMAN)
        luav_set_number(L, "S", r.S);
    lua_pushstring(L, mname);
    lua_setfield(L, -2, "method");
    return 1;
}

/* rg.p_adjust(p, method) -> adjusted p-values (NaN stays NaN) */
static int l_p_adjust(lua_State *L)
{
    const char *mname = luaL_checkstring(L, 2);
    rg_padjust_method m;
    if (padjust_method(mname, &m) != 0)
        return luaL_error(L, "rg.p_adjust: unknown method '%s' (%s)", mname,
                          padjust_method_names);
    size_t n;
    double *p = luav_numbers(L, 1, "rg.p_adjust", "p", &n);
    for (size_t i = 0; i < n; i++)
        if (!isnan(p[i]) && !(p[i] >= 0 && p[i] <= 1))
            return luaL_error(L, "rg.p_adjust: p[%d] = %f is not a probability", (int)i + 1,
                              p[i]);
    if (padjust(p, n, m, p) != 0)
        return luaL_error(L, "out of memory");
    lua_createtable(L, (int)n, 0);
    for (size_t i = 0; i < n; i++) {
        lua_pushnumber(L, p[i]);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

/* ---- rg.cor_matrix ------------------------------------------------------------------ */

typedef struct {
    rg_cormat c;
    char **a_names, **b_names; /* p and q column names */
    rg_cor_method m;
    char adjust[16];
    double threshold, p_cut;
    size_t charged;
} cormat_ud;

static void free_names(char **names, size_t n)
{
    for (size_t i = 0; names && i < n; i++)
        free(names[i]);
    free(names);
}

static int cormat_gc(lua_State *L)
{
    cormat_ud *u = luaL_checkudata(L, 1, CORMAT_MT);
    free_names(u->a_names, u->c.p);
    free_names(u->b_names, u->c.q);
    u->a_names = u->b_names = NULL;
    cormat_free(&u->c);
    host_release(L, u->charged);
    u->charged = 0;
    return 0;
}

static char **copy_names(const rg_frame *f)
{
    char **v = calloc(f->ncol ? f->ncol : 1, sizeof *v);
    for (size_t j = 0; v && j < f->ncol; j++)
        if (!(v[j] = strdup(f->cols[j].name))) {
            free_names(v, j);
            return NULL;
        }
    return v;
}

/* rg.cor_matrix(A, B [, {method, adjust, threshold, p_cut}]) -> result */
static int l_cor_matrix(lua_State *L)
{
    static const char *const known[] = {"method", "adjust", "threshold", "p_cut", NULL};
    const char *who = "rg.cor_matrix";
    luav_check_options(L, 3, who, known);
    const char *mname = luav_opt_string(L, 3, "method", "pearson", who);
    const char *aname = luav_opt_string(L, 3, "adjust", "BH", who);
    double threshold = luav_opt_number(L, 3, "threshold", 0, who);
    double p_cut = luav_opt_number(L, 3, "p_cut", 1, who);
    rg_cor_method m;
    rg_padjust_method adj;
    if (cor_method(mname, &m) != 0)
        return luaL_error(L, "%s: method must be pearson or spearman, got '%s'", who, mname);
    if (padjust_method(aname, &adj) != 0)
        return luaL_error(L, "%s: unknown adjust method '%s' (%s)", who, aname,
                          padjust_method_names);
    if (!(threshold >= 0 && threshold <= 1))
        return luaL_error(L, "%s: threshold must be in [0, 1] (a bound on |r|)", who);
    if (!(p_cut >= 0 && p_cut <= 1))
        return luaL_error(L, "%s: p_cut must be in [0, 1]", who);
    const rg_frame *A = luaf_check(L, 1), *B = luaf_check(L, 2);
    same_rows(L, A, B, who);
    const double **ca = frame_numbers(L, 1, who, "A");
    const double **cb = frame_numbers(L, 2, who, "B");
    if (adj == RG_PADJ_HOMMEL && A->ncol * B->ncol > HOMMEL_MAX)
        return luaL_error(L, "%s: hommel takes time quadratic in the number of pairs; "
                             "%d pairs is more than %d (use BH or holm)", who,
                          (int)(A->ncol * B->ncol), HOMMEL_MAX);
    cormat_ud *u = lua_newuserdatauv(L, sizeof *u, 0);
    memset(u, 0, sizeof *u);
    luaL_setmetatable(L, CORMAT_MT);
    u->m = m;
    snprintf(u->adjust, sizeof u->adjust, "%s", aname);
    u->threshold = threshold;
    u->p_cut = p_cut;
    /* charged before the work, so --max-memory stops a screen too large */
    size_t pq = A->ncol * B->ncol;
    u->charged = pq * 3 * sizeof(double);
    host_charge(L, u->charged);
    if (cormat_compute(ca, A->ncol, cb, B->ncol, A->nrow, m, adj, host_threads(L), &u->c) != 0)
        return luaL_error(L, "%s: out of memory (%d x %d pairs)", who, (int)A->ncol,
                          (int)B->ncol);
    u->a_names = copy_names(A);
    u->b_names = copy_names(B);
    if (!u->a_names || !u->b_names)
        return luaL_error(L, "out of memory");
    if (u->c.n) {
        u->charged += pq * sizeof(unsigned);
        host_charge(L, pq * sizeof(unsigned));
    }
    if (u->c.n_pairwise) {
        size_t *miss = lua_newuserdatauv(L, (A->ncol + B->ncol + 1) * sizeof *miss, 0);
        const char **names = lua_newuserdatauv(L, (A->ncol + B->ncol + 1) * sizeof *names, 0);
        size_t k = 0;
        for (size_t i = 0; i < A->ncol + B->ncol; i++) {
            const rg_col *c = i < A->ncol ? &A->cols[i] : &B->cols[i - A->ncol];
            int has = 0;
            for (size_t r = 0; r < A->nrow && !has; r++)
                has = isnan(c->num[r]);
            if (has)
                names[k++] = c->name;
        }
        for (size_t i = 0; i < k; i++)
            miss[i] = i;
        push_name_list(L, names, miss, k);
        luav_notef(L, "%s: %d of %d pairs computed on their complete cases (columns with missing "
                 "values: %s)", who, (int)u->c.n_pairwise, (int)pq, lua_tostring(L, -1));
        lua_pop(L, 3);
    }
    if (u->c.n_nan)
        luav_notef(L, "%s: %d of %d pairs have no correlation (a constant column or fewer than 3 "
                 "complete pairs): r and p are NaN, left out of the %s adjustment", who,
              (int)u->c.n_nan, (int)pq, aname);
    return 1;
}

static cormat_ud *check_cormat(lua_State *L) { return luaL_checkudata(L, 1, CORMAT_MT); }

typedef struct {
    double p, ar;
    size_t i;
} kept_pair;

static int by_p(const void *a, const void *b)
{
    const kept_pair *x = a, *y = b;
    if (x->p != y->p)
        return x->p < y->p ? -1 : 1;
    if (x->ar != y->ar)
        return x->ar > y->ar ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

/* result:pairs{threshold, p_cut, by = "p_adj" | "p", max, names = {a, b}} ->
 * frame of the pairs with |r| >= threshold and (adjusted) p <= p_cut,
 * sorted by p (then |r| descending, then position) */
static int cm_pairs(lua_State *L)
{
    static const char *const known[] = {"threshold", "p_cut", "by", "max", "names", NULL};
    const char *who = "pairs";
    cormat_ud *u = check_cormat(L);
    luav_check_options(L, 2, who, known);
    double threshold = luav_opt_number(L, 2, "threshold", u->threshold, who);
    double p_cut = luav_opt_number(L, 2, "p_cut", u->p_cut, who);
    double max = luav_opt_number(L, 2, "max", INFINITY, who);
    const char *by = luav_opt_string(L, 2, "by", "p_adj", who);
    const char *na = "a", *nb = "b";
    if (lua_type(L, 2) == LUA_TTABLE && lua_getfield(L, 2, "names") != LUA_TNIL) {
        if (lua_type(L, -1) != LUA_TTABLE || lua_rawgeti(L, -1, 1) != LUA_TSTRING ||
            lua_rawgeti(L, -2, 2) != LUA_TSTRING)
            return luaL_error(L, "pairs: names must be two strings, e.g. {\"feature\", \"gene\"}");
        na = lua_tostring(L, -2);
        nb = lua_tostring(L, -1);
        if (strcmp(na, nb) == 0)
            return luaL_error(L, "pairs: the two names must differ");
        /* anchored in the options table */
    }
    int use_adj = strcmp(by, "p_adj") == 0;
    if (!use_adj && strcmp(by, "p") != 0)
        return luaL_error(L, "pairs: by must be \"p_adj\" or \"p\", got '%s'", by);
    if (!(max >= 0))
        return luaL_error(L, "pairs: max must be a count >= 0");
    size_t pq = u->c.p * u->c.q, k = 0;
    const double *pv = use_adj ? u->c.padj : u->c.pval;
    for (size_t i = 0; i < pq; i++)
        k += !isnan(u->c.r[i]) && fabs(u->c.r[i]) >= threshold && pv[i] <= p_cut;
    kept_pair *kp = lua_newuserdatauv(L, (k ? k : 1) * sizeof *kp, 0);
    k = 0;
    for (size_t i = 0; i < pq; i++)
        if (!isnan(u->c.r[i]) && fabs(u->c.r[i]) >= threshold && pv[i] <= p_cut)
            kp[k++] = (kept_pair){u->c.pval[i], fabs(u->c.r[i]), i};
    qsort(kp, k, sizeof *kp, by_p);
    if ((double)k > max)
        k = (size_t)max;
    int udidx = lua_gettop(L);
    rg_frame *f = luaf_new(L);
    f->ids = calloc(k ? k : 1, sizeof *f->ids);
    double *v = lua_newuserdatauv(L, (k ? k : 1) * sizeof *v, 0);
    const char **s = lua_newuserdatauv(L, (k ? k : 1) * sizeof *s, 0);
    if (!f->ids)
        return luaL_error(L, "out of memory");
    f->nrow = k;
    for (size_t i = 0; i < k; i++) {
        char id[32];
        snprintf(id, sizeof id, "%zu", i + 1);
        if (!(f->ids[i] = strdup(id)))
            return luaL_error(L, "out of memory");
    }
    int fail = 0;
    for (size_t i = 0; i < k; i++)
        s[i] = u->a_names[kp[i].i / u->c.q];
    fail |= frame_set_col(f, na, NULL, s);
    for (size_t i = 0; i < k; i++)
        s[i] = u->b_names[kp[i].i % u->c.q];
    fail |= frame_set_col(f, nb, NULL, s);
    const double *src[] = {u->c.r, u->c.pval, u->c.padj};
    const char *cname[] = {"r", "p", "p_adj"};
    for (int c = 0; c < 3; c++) {
        for (size_t i = 0; i < k; i++)
            v[i] = src[c][kp[i].i];
        fail |= frame_set_col(f, cname[c], v, NULL);
    }
    for (size_t i = 0; i < k; i++)
        v[i] = u->c.n ? u->c.n[kp[i].i] : (double)u->c.n_common;
    fail |= frame_set_col(f, "n", v, NULL);
    if (fail)
        return luaL_error(L, "out of memory");
    lua_pop(L, 2);
    luaf_charge(L, udidx + 1);
    return 1;
}

/* result:matrix("r" | "p" | "p_adj") -> frame, rows the columns of A */
static int cm_matrix(lua_State *L)
{
    cormat_ud *u = check_cormat(L);
    const char *what = luaL_optstring(L, 2, "r");
    const double *src = strcmp(what, "r") == 0       ? u->c.r
                        : strcmp(what, "p") == 0     ? u->c.pval
                        : strcmp(what, "p_adj") == 0 ? u->c.padj
                                                     : NULL;
    if (!src)
        return luaL_error(L, "matrix: what must be \"r\", \"p\" or \"p_adj\", got '%s'", what);
    size_t p = u->c.p, q = u->c.q;
    int fidx = lua_gettop(L) + 1;
    rg_frame *f = luaf_new(L);
    double *v = lua_newuserdatauv(L, (p ? p : 1) * sizeof *v, 0);
    f->ids = calloc(p ? p : 1, sizeof *f->ids);
    if (!f->ids)
        return luaL_error(L, "out of memory");
    f->nrow = p;
    for (size_t i = 0; i < p; i++)
        if (!(f->ids[i] = strdup(u->a_names[i])))
            return luaL_error(L, "out of memory");
    for (size_t j = 0; j < q; j++) {
        for (size_t i = 0; i < p; i++)
            v[i] = src[i * q + j];
        if (frame_set_col(f, u->b_names[j], v, NULL) != 0)
            return luaL_error(L, "out of memory");
    }
    lua_pop(L, 1);
    luaf_charge(L, fidx);
    return 1;
}

static long name_index(char *const *names, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(names[i], name) == 0)
            return (long)i;
    return -1;
}

/* result:get(a_name, b_name) -> {r, p, p_adj, n} */
static int cm_get(lua_State *L)
{
    cormat_ud *u = check_cormat(L);
    const char *a = luaL_checkstring(L, 2), *b = luaL_checkstring(L, 3);
    long i = name_index(u->a_names, u->c.p, a), j = name_index(u->b_names, u->c.q, b);
    if (i < 0)
        return luaL_error(L, "get: no column '%s' in A", a);
    if (j < 0)
        return luaL_error(L, "get: no column '%s' in B", b);
    size_t at = (size_t)i * u->c.q + (size_t)j;
    lua_createtable(L, 0, 4);
    luav_set_number(L, "r", u->c.r[at]);
    luav_set_number(L, "p", u->c.pval[at]);
    luav_set_number(L, "p_adj", u->c.padj[at]);
    luav_set_integer(L, "n", u->c.n ? u->c.n[at] : u->c.n_common);
    return 1;
}

/* result:summary() -> {pairs, kept, nan, pairwise, method, adjust, threshold, p_cut} */
static int cm_summary(lua_State *L)
{
    cormat_ud *u = check_cormat(L);
    size_t pq = u->c.p * u->c.q, kept = 0;
    for (size_t i = 0; i < pq; i++)
        kept += !isnan(u->c.r[i]) && fabs(u->c.r[i]) >= u->threshold && u->c.padj[i] <= u->p_cut;
    lua_createtable(L, 0, 9);
    luav_set_integer(L, "pairs", pq);
    luav_set_integer(L, "kept", kept);
    luav_set_integer(L, "nan", u->c.n_nan);
    luav_set_integer(L, "pairwise", u->c.n_pairwise);
    luav_set_integer(L, "a", u->c.p);
    luav_set_integer(L, "b", u->c.q);
    luav_set_string(L, "method", u->m == RG_COR_PEARSON ? "pearson" : "spearman");
    luav_set_string(L, "adjust", u->adjust);
    luav_set_number(L, "threshold", u->threshold);
    luav_set_number(L, "p_cut", u->p_cut);
    return 1;
}

static int cm_tostring(lua_State *L)
{
    cormat_ud *u = check_cormat(L);
    lua_pushfstring(L, "rg.CorMatrix: %d x %d pairs (%s, %s)", (int)u->c.p, (int)u->c.q,
                    u->m == RG_COR_PEARSON ? "pearson" : "spearman", u->adjust);
    return 1;
}

/* ---- rg.perm.cor ----------------------------------------------------------------- */

/* Box free functions: the result struct and what it owns (an error while
 * the Lua result is built must not leak them). */
static void perm_box_free(void *p)
{
    if (p)
        perm_free(p);
    free(p);
}

static void ols_box_free(void *p)
{
    if (p)
        ols_free(p);
    free(p);
}

static void roc_box_free(void *p)
{
    if (p)
        roc_free(p);
    free(p);
}

/* rg.perm.cor(x, Y [, {n = 1000, seed, method}]) with Y a frame (every
 * column) or an array -> {r, p, exceed, n, min_p, method[, names]} */
static int l_perm_cor(lua_State *L)
{
    static const char *const known[] = {"n", "seed", "method", NULL};
    const char *who = "rg.perm.cor";
    luav_check_options(L, 3, who, known);
    const char *mname = luav_opt_string(L, 3, "method", "pearson", who);
    rg_cor_method m;
    if (cor_method(mname, &m) != 0)
        return luaL_error(L, "%s: method must be pearson or spearman, got '%s'", who, mname);
    double nperm = luav_opt_number(L, 3, "n", 1000, who);
    if (!(nperm >= 1 && nperm <= 1e8) || nperm != floor(nperm))
        return luaL_error(L, "%s: n must be a whole number of permutations from 1 to 1e8", who);
    int has_seed = lua_type(L, 3) == LUA_TTABLE && lua_getfield(L, 3, "seed") != LUA_TNIL;
    lua_Integer seed = 0;
    if (has_seed) {
        if (!lua_isinteger(L, -1) || lua_tointeger(L, -1) < 0)
            return luaL_error(L, "%s: seed must be an integer >= 0", who);
        seed = lua_tointeger(L, -1);
    }
    if (lua_type(L, 3) == LUA_TTABLE)
        lua_pop(L, 1);
    size_t n;
    const double *x = luav_numbers(L, 1, who, "x", &n);
    for (size_t i = 0; i < n; i++)
        if (isnan(x[i]))
            return luaL_error(L, "%s: x[%d] is missing; permutation tests need complete "
                                 "data (keep the complete rows first)", who, (int)i + 1);
    const rg_frame *Y = luaf_test(L, 2);
    size_t q = 1;
    const double **ys;
    if (Y) {
        if (Y->nrow != n)
            return luaL_error(L, "%s: x has %d values but Y %d rows", who, (int)n, (int)Y->nrow);
        ys = frame_numbers(L, 2, who, "Y");
        q = Y->ncol;
        for (size_t j = 0; j < q; j++)
            for (size_t i = 0; i < n; i++)
                if (isnan(ys[j][i]))
                    return luaL_error(L, "%s: column '%s' of Y is missing a value (row '%s'); "
                                         "permutation tests need complete data",
                                      who, Y->cols[j].name, Y->ids[i]);
    } else {
        size_t ny;
        ys = lua_newuserdatauv(L, sizeof *ys, 0);
        ys[0] = luav_numbers(L, 2, who, "y", &ny);
        if (ny != n)
            return luaL_error(L, "%s: x and y differ in length (%d and %d)", who, (int)n,
                              (int)ny);
        for (size_t i = 0; i < n; i++)
            if (isnan(ys[0][i]))
                return luaL_error(L, "%s: y[%d] is missing; permutation tests need complete "
                                     "data", who, (int)i + 1);
    }
    rg_rng stream;
    rng_init(&stream, has_seed ? (uint64_t)seed : rng_next(host_rng(L)), "perm.cor");
    void **box = box_new(L, perm_box_free);
    rg_perm *res = *box = calloc(1, sizeof *res);
    if (!res || perm_cor(x, ys, q, n, m, (size_t)nperm, &stream, host_threads(L), res) != 0)
        return luaL_error(L, "%s: out of memory", who);
    size_t flat = 0;
    for (size_t j = 0; j < q; j++)
        flat += isnan(res->r[j]);
    if (flat)
        luav_notef(L, "%s: %d of %d columns have no correlation with x (a constant column, a "
                 "constant x or fewer than 3 values): r and p are NaN", who, (int)flat, (int)q);
    lua_createtable(L, 0, 8);
    if (Y) {
        luav_set_numbers(L, "r", res->r, q);
        luav_set_numbers(L, "p", res->p, q);
        lua_createtable(L, (int)q, 0);
        for (size_t j = 0; j < q; j++) {
            lua_pushinteger(L, (lua_Integer)res->exceed[j]);
            lua_rawseti(L, -2, (lua_Integer)j + 1);
        }
        lua_setfield(L, -2, "exceed");
        lua_createtable(L, (int)q, 0);
        for (size_t j = 0; j < q; j++) {
            lua_pushstring(L, Y->cols[j].name);
            lua_rawseti(L, -2, (lua_Integer)j + 1);
        }
        lua_setfield(L, -2, "names");
    } else {
        luav_set_number(L, "r", res->r[0]);
        luav_set_number(L, "stat", res->r[0]);
        luav_set_number(L, "p", res->p[0]);
        luav_set_integer(L, "exceed", res->exceed[0]);
    }
    luav_set_integer(L, "n", (size_t)nperm);
    luav_set_number(L, "min_p", 1 / (1 + nperm));
    luav_set_string(L, "method", mname);
    if (has_seed)
        luav_set_integer(L, "seed", (size_t)seed);
    perm_free(res);
    return 1;
}

/* ---- rg.scale ----------------------------------------------------------------------- */

typedef struct {
    size_t ncol;
    char **names;
    rg_scale_col *cols;
    rg_scale_kind kind;
} scaler_ud;

static int scaler_gc(lua_State *L)
{
    scaler_ud *u = luaL_checkudata(L, 1, SCALER_MT);
    free_names(u->names, u->ncol);
    free(u->cols);
    u->names = NULL;
    u->cols = NULL;
    u->ncol = 0;
    return 0;
}

static const char *const scale_names[] = {"standard", "minmax", "maxabs"};

/* rg.scale.fit(frame [, kind = "standard"]) -> scaler */
static int l_scale_fit(lua_State *L)
{
    const char *who = "rg.scale.fit";
    const rg_frame *f = luaf_check(L, 1);
    const char *kname = luaL_optstring(L, 2, "standard");
    rg_scale_kind k;
    if (scale_kind(kname, &k) != 0)
        return luaL_error(L, "%s: kind must be standard, minmax or maxabs, got '%s'", who,
                          kname);
    const double **cols = frame_numbers(L, 1, who, "the frame");
    scaler_ud *u = lua_newuserdatauv(L, sizeof *u, 0);
    memset(u, 0, sizeof *u);
    luaL_setmetatable(L, SCALER_MT);
    u->kind = k;
    u->cols = calloc(f->ncol ? f->ncol : 1, sizeof *u->cols);
    u->names = copy_names(f);
    if (!u->cols || !u->names)
        return luaL_error(L, "out of memory");
    u->ncol = f->ncol;
    size_t *flat = lua_newuserdatauv(L, (f->ncol ? f->ncol : 1) * sizeof *flat, 0);
    size_t nflat = 0, nempty = 0;
    for (size_t j = 0; j < f->ncol; j++) {
        scale_fit(cols[j], f->nrow, k, &u->cols[j]);
        if (u->cols[j].constant)
            flat[nflat++] = j;
        nempty += u->cols[j].n_valid == 0;
    }
    if (nflat) {
        push_name_list(L, (const char *const *)u->names, flat, nflat);
        luav_notef(L, "%s (%s): %d constant column%s, scaled by 1 as scikit-learn does: %s", who,
              kname, (int)nflat, nflat > 1 ? "s" : "", lua_tostring(L, -1));
        lua_pop(L, 1);
    }
    if (nempty)
        luav_notef(L, "%s: %d column%s without a single value: transformed to NaN", who,
              (int)nempty, nempty > 1 ? "s" : "");
    lua_pop(L, 1);
    return 1;
}

/* scaler:transform(frame) -> frame scaled with the fitted parameters */
static int sc_transform(lua_State *L)
{
    scaler_ud *u = luaL_checkudata(L, 1, SCALER_MT);
    const rg_frame *f = luaf_check(L, 2);
    const char *who = "transform";
    for (size_t j = 0; j < f->ncol; j++)
        if (name_index(u->names, u->ncol, f->cols[j].name) < 0)
            return luaL_error(L, "%s: column '%s' was not in the frame the scaler was fitted "
                                 "on", who, f->cols[j].name);
    int fidx = lua_gettop(L) + 1;
    rg_frame *out = luaf_new(L);
    double *v = lua_newuserdatauv(L, (f->nrow ? f->nrow : 1) * sizeof *v, 0);
    out->ids = calloc(f->nrow ? f->nrow : 1, sizeof *out->ids);
    if (!out->ids)
        return luaL_error(L, "out of memory");
    out->nrow = f->nrow;
    for (size_t i = 0; i < f->nrow; i++)
        if (!(out->ids[i] = strdup(f->ids[i])))
            return luaL_error(L, "out of memory");
    for (size_t j = 0; j < u->ncol; j++) {
        const rg_col *c = frame_col(f, u->names[j]);
        if (!c)
            return luaL_error(L, "%s: the frame lacks column '%s' (fitted on %d columns)", who,
                              u->names[j], (int)u->ncol);
        if (!c->num)
            return luaL_error(L, "%s: column '%s' is text", who, u->names[j]);
        scale_apply(&u->cols[j], c->num, f->nrow, v);
        if (frame_set_col(out, u->names[j], v, NULL) != 0)
            return luaL_error(L, "out of memory");
    }
    lua_pop(L, 1);
    luaf_charge(L, fidx);
    return 1;
}

/* scaler:params() -> {kind, names, scale, mean, var | min, max, min_ | max_abs} */
static int sc_params(lua_State *L)
{
    scaler_ud *u = luaL_checkudata(L, 1, SCALER_MT);
    size_t n = u->ncol;
    double *v = lua_newuserdatauv(L, (n ? n : 1) * sizeof *v, 0);
    lua_createtable(L, 0, 6);
    luav_set_string(L, "kind", scale_names[u->kind]);
    lua_createtable(L, (int)n, 0);
    for (size_t j = 0; j < n; j++) {
        lua_pushstring(L, u->names[j]);
        lua_rawseti(L, -2, (lua_Integer)j + 1);
    }
    lua_setfield(L, -2, "names");
#define FIELD(key, expr)                                                                       \
    do {                                                                                       \
        for (size_t j = 0; j < n; j++)                                                         \
            v[j] = u->cols[j].expr;                                                            \
        luav_set_numbers(L, key, v, n);                                                             \
    } while (0)
    FIELD("scale", scale);
    if (u->kind == RG_SCALE_STANDARD) {
        FIELD("mean", mean);
        FIELD("var", var);
    } else if (u->kind == RG_SCALE_MINMAX) {
        FIELD("min", min);
        FIELD("max", max);
        FIELD("min_", min_);
    } else {
        FIELD("max_abs", max);
    }
#undef FIELD
    return 1;
}

static int sc_tostring(lua_State *L)
{
    scaler_ud *u = luaL_checkudata(L, 1, SCALER_MT);
    lua_pushfstring(L, "rg.Scaler: %s, %d columns", scale_names[u->kind], (int)u->ncol);
    return 1;
}

/* ---- rg.ols ------------------------------------------------------------------------- */

const double **luav_design_columns(lua_State *L, int idx, size_t n, const char *who,
                                   const char *arg, const char *len_arg, const char ***names,
                                   size_t *k)
{
    idx = lua_absindex(L, idx);
    const rg_frame *f = luaf_test(L, idx);
    if (f) {
        if (f->nrow != n)
            luaL_error(L, "%s: %s has %d values but %s %d rows", who, len_arg, (int)n,
                       arg, (int)f->nrow);
        const double **cols = frame_numbers(L, idx, who, arg);
        const char **nm = lua_newuserdatauv(L, (f->ncol ? f->ncol : 1) * sizeof *nm, 0);
        for (size_t j = 0; j < f->ncol; j++)
            nm[j] = f->cols[j].name;
        *names = nm;
        *k = f->ncol;
        return cols;
    }
    if (lua_type(L, idx) != LUA_TTABLE)
        luaL_error(L, "%s: %s must be a frame or a table of columns, got a %s", who,
                   arg, luaL_typename(L, idx));
    size_t len = lua_rawlen(L, idx);
    luav_sorted_keys(L, idx); /* also anchors the names and converted columns */
    int keys = lua_gettop(L);
    size_t nk = lua_rawlen(L, keys);
    if (len != nk && len)
        luaL_error(L, "%s: %s mixes an array of columns with named columns", who, arg);
    const double **cols = lua_newuserdatauv(L, (nk ? nk : 1) * sizeof *cols, 0);
    const char **nm = lua_newuserdatauv(L, (nk ? nk : 1) * sizeof *nm, 0);
    for (size_t j = 0; j < nk; j++) {
        if (len) {
            lua_pushfstring(L, "x%d", (int)j + 1);
            lua_rawseti(L, keys, (lua_Integer)(nk + 2 * j + 1));
            lua_rawgeti(L, keys, (lua_Integer)(nk + 2 * j + 1));
            nm[j] = lua_tostring(L, -1);
            lua_pop(L, 1);
            lua_rawgeti(L, idx, (lua_Integer)j + 1);
        } else {
            if (lua_rawgeti(L, keys, (lua_Integer)j + 1) != LUA_TSTRING)
                luaL_error(L, "%s: the columns of %s must be named by strings", who, arg);
            nm[j] = lua_tostring(L, -1);
            lua_pop(L, 1);
            lua_getfield(L, idx, nm[j]);
        }
        size_t m;
        cols[j] = luav_numbers(L, -1, who, nm[j], &m);
        if (m != n)
            luaL_error(L, "%s: column %s has %d values but %s %d", who, nm[j], (int)m, len_arg,
                       (int)n);
        lua_rawseti(L, keys, (lua_Integer)(nk + 2 * j + 2)); /* anchor the numbers */
        lua_pop(L, 1);
    }
    *names = nm;
    *k = nk;
    return cols;
}

/* rg.ols(y, X [, {intercept = true}]) -> {names, coef, se, t, p, aliased, r2,
 * adj_r2, sigma, df, n, rank, f = {value, df1, df2, p}} */
static int l_ols(lua_State *L)
{
    static const char *const known[] = {"intercept", NULL};
    const char *who = "rg.ols";
    luav_check_options(L, 3, who, known);
    int intercept = luav_opt_bool(L, 3, "intercept", 1, who);
    size_t n, k;
    const double *y = luav_numbers(L, 1, who, "y", &n);
    const char **names;
    const double **cols = luav_design_columns(L, 2, n, who, "X", "y", &names, &k);
    /* complete rows only */
    size_t *keep = lua_newuserdatauv(L, (n ? n : 1) * sizeof *keep, 0);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        int ok = !isnan(y[i]);
        for (size_t j = 0; j < k && ok; j++)
            ok = !isnan(cols[j][i]);
        if (ok)
            keep[m++] = i;
    }
    double *data = lua_newuserdatauv(L, ((k + 1) * m > 0 ? (k + 1) * m : 1) * sizeof *data, 0);
    const double **xc = lua_newuserdatauv(L, (k ? k : 1) * sizeof *xc, 0);
    for (size_t i = 0; i < m; i++)
        data[i] = y[keep[i]];
    for (size_t j = 0; j < k; j++) {
        double *c = data + (j + 1) * m;
        for (size_t i = 0; i < m; i++)
            c[i] = cols[j][keep[i]];
        xc[j] = c;
    }
    if (m < n)
        luav_notef(L, "%s: %d of %d rows dropped for missing values (complete cases, as lm)", who,
              (int)(n - m), (int)n);
    size_t kk = k + (intercept != 0);
    if (m == 0 || kk == 0)
        return luaL_error(L, "%s: nothing to fit (%d complete rows, %d columns)", who, (int)m,
                          (int)kk);
    void **box = box_new(L, ols_box_free);
    rg_ols *o = *box = calloc(1, sizeof *o);
    int rc = o ? ols_fit(data, xc, m, k, intercept, o) : -1;
    if (rc < 0)
        return luaL_error(L, "%s: out of memory", who);
    int res = lua_gettop(L) + 1;
    lua_createtable(L, 0, 14);
    lua_createtable(L, (int)kk, 0);
    for (size_t j = 0; j < kk; j++) {
        lua_pushstring(L, intercept && j == 0 ? "(Intercept)" : names[j - (intercept != 0)]);
        lua_rawseti(L, -2, (lua_Integer)j + 1);
    }
    lua_setfield(L, res, "names");
    luav_set_numbers(L, "coef", o->coef, kk);
    luav_set_numbers(L, "se", o->se, kk);
    luav_set_numbers(L, "t", o->t, kk);
    luav_set_numbers(L, "p", o->p, kk);
    lua_createtable(L, 0, 0);
    int na = 0;
    for (size_t j = 0; j < kk; j++)
        if (o->aliased[j]) {
            lua_getfield(L, res, "names");
            lua_rawgeti(L, -1, (lua_Integer)j + 1);
            lua_rawseti(L, -3, ++na);
            lua_pop(L, 1);
        }
    lua_setfield(L, res, "aliased");
    luav_set_number(L, "r2", o->r2);
    luav_set_number(L, "adj_r2", o->adj_r2);
    luav_set_number(L, "sigma", o->sigma);
    luav_set_number(L, "df", o->df);
    luav_set_integer(L, "n", m);
    luav_set_integer(L, "rank", o->rank);
    lua_createtable(L, 0, 4);
    luav_set_number(L, "value", o->fstat);
    luav_set_number(L, "df1", o->fdf1);
    luav_set_number(L, "df2", o->fdf2);
    luav_set_number(L, "p", o->fp);
    lua_setfield(L, res, "f");
    if (na) {
        const char **an = lua_newuserdatauv(L, (size_t)na * sizeof *an, 0);
        int w = 0;
        for (size_t j = 0; j < kk; j++)
            if (o->aliased[j])
                an[w++] = intercept && j == 0 ? "(Intercept)" : names[j - (intercept != 0)];
        push_name_list(L, an, NULL, (size_t)na);
        luav_notef(L, "%s: %d column%s collinear with earlier ones, coefficient NaN (NA in R): %s",
              who, na, na > 1 ? "s" : "", lua_tostring(L, -1));
        lua_pop(L, 2);
    }
    if (rc == 1)
        luav_notef(L, "%s: %d rows for %d coefficients leave no residual degrees of freedom: "
                 "se, t and p are NaN", who, (int)m, (int)o->rank);
    if (o->perfect_fit)
        luav_notef(L, "%s: essentially perfect fit (residuals near 0): se, t and p are unreliable, "
                 "as R warns", who);
    ols_free(o);
    return 1;
}

/* ---- two-sample tests ------------------------------------------------------------------ */

/* rg.t_test(x, y [, {var_equal = false}]) -> {t, df, p, mean_x, mean_y, se,
 * lower, upper, nx, ny, method} */
static int l_t_test(lua_State *L)
{
    static const char *const known[] = {"var_equal", NULL};
    const char *who = "rg.t_test";
    luav_check_options(L, 3, who, known);
    int pooled = luav_opt_bool(L, 3, "var_equal", 0, who);
    size_t nx, ny;
    const double *x = luav_numbers(L, 1, who, "x", &nx);
    const double *y = luav_numbers(L, 2, who, "y", &ny);
    rg_ttest r;
    if (ttest(x, nx, y, ny, pooled, &r) != 0)
        return luaL_error(L, "%s: out of memory", who);
    if (r.status == RG_TEST_TOO_FEW)
        luav_notef(L, "%s: not enough values (%d and %d; %s): t and p are NaN", who, (int)r.nx,
              (int)r.ny, pooled ? "3 in all needed" : "2 in each group needed");
    else if (r.status == RG_TEST_CONSTANT)
        luav_notef(L, "%s: the data are essentially constant: t and p are NaN", who);
    if (r.nx + r.ny < nx + ny)
        luav_notef(L, "%s: %d missing values left out", who, (int)(nx + ny - r.nx - r.ny));
    lua_createtable(L, 0, 11);
    luav_set_number(L, "t", r.t);
    luav_set_number(L, "df", r.df);
    luav_set_number(L, "p", r.p);
    luav_set_number(L, "mean_x", r.mean_x);
    luav_set_number(L, "mean_y", r.mean_y);
    luav_set_number(L, "se", r.se);
    luav_set_number(L, "lower", r.lower);
    luav_set_number(L, "upper", r.upper);
    luav_set_integer(L, "nx", r.nx);
    luav_set_integer(L, "ny", r.ny);
    luav_set_string(L, "method", pooled ? "pooled" : "welch");
    return 1;
}

/* rg.mann_whitney(x, y [, {exact, correct = true}]) -> {U, p, z, exact, nx, ny} */
static int l_mann_whitney(lua_State *L)
{
    static const char *const known[] = {"exact", "correct", NULL};
    const char *who = "rg.mann_whitney";
    luav_check_options(L, 3, who, known);
    int exact = luav_opt_bool(L, 3, "exact", -1, who);
    int correct = luav_opt_bool(L, 3, "correct", 1, who);
    size_t nx, ny;
    const double *x = luav_numbers(L, 1, who, "x", &nx);
    const double *y = luav_numbers(L, 2, who, "y", &ny);
    rg_mwtest r;
    if (mwtest(x, nx, y, ny, exact, correct, &r) != 0)
        return luaL_error(L, "%s: out of memory", who);
    if (r.status == RG_TEST_TOO_LARGE)
        return luaL_error(L, "%s: the exact distribution for %d and %d values is too large; "
                             "use exact = false (the normal approximation)", who, (int)r.nx,
                          (int)r.ny);
    if (r.status == RG_TEST_TOO_FEW)
        luav_notef(L, "%s: a group has no values (%d and %d): U and p are NaN", who, (int)r.nx,
              (int)r.ny);
    else if (!r.exact && r.ties && (exact == 1 || (exact < 0 && r.nx < 50 && r.ny < 50)))
        luav_notef(L, "%s: ties: the exact p-value cannot be computed, the normal approximation "
                 "is used (as R)", who);
    if (r.nx + r.ny < nx + ny)
        luav_notef(L, "%s: %d missing values left out", who, (int)(nx + ny - r.nx - r.ny));
    lua_createtable(L, 0, 7);
    luav_set_number(L, "U", r.U);
    luav_set_number(L, "p", r.p);
    luav_set_number(L, "z", r.z);
    lua_pushboolean(L, r.exact);
    lua_setfield(L, -2, "exact");
    luav_set_integer(L, "nx", r.nx);
    luav_set_integer(L, "ny", r.ny);
    return 1;
}

/* ---- rg.roc ------------------------------------------------------------------------- */

/* rg.roc(scores, labels [, {direction = "<"}]) -> {auc, var, ci, fpr, tpr,
 * sens, spec, thresholds, youden, n_cases, n_controls, direction} */
static int l_roc(lua_State *L)
{
    static const char *const known[] = {"direction", NULL};
    const char *who = "rg.roc";
    luav_check_options(L, 3, who, known);
    const char *dname = luav_opt_string(L, 3, "direction", "<", who);
    char dir = strcmp(dname, "<") == 0 ? '<' : strcmp(dname, ">") == 0 ? '>'
               : strcmp(dname, "auto") == 0 ? 'a' : 0;
    if (!dir)
        return luaL_error(L, "%s: direction must be \"<\" (higher scores are cases), \">\" or "
                             "\"auto\", got '%s'", who, dname);
    size_t n;
    const double *s = luav_numbers(L, 1, who, "scores", &n);
    luaL_checktype(L, 2, LUA_TTABLE);
    if (lua_rawlen(L, 2) != n)
        return luaL_error(L, "%s: scores and labels differ in length (%d and %d)", who, (int)n,
                          (int)lua_rawlen(L, 2));
    double *sc = lua_newuserdatauv(L, (n ? n : 1) * sizeof *sc, 0);
    int *lab = lua_newuserdatauv(L, (n ? n : 1) * sizeof *lab, 0);
    size_t m = 0, cases = 0;
    for (size_t i = 0; i < n; i++) {
        int t = lua_rawgeti(L, 2, (lua_Integer)i + 1);
        int l;
        if (t == LUA_TBOOLEAN) {
            l = lua_toboolean(L, -1);
        } else if (t == LUA_TNUMBER) {
            double v = lua_tonumber(L, -1);
            if (isnan(v)) {
                lua_pop(L, 1);
                continue;
            }
            if (v != 0 && v != 1)
                return luaL_error(L, "%s: labels[%d] = %f; labels are 1 (case) and 0 "
                                     "(control), or true and false", who, (int)i + 1, v);
            l = v == 1;
        } else {
            return luaL_error(L, "%s: labels[%d] is %s; labels are 1 (case) and 0 (control), "
                                 "or true and false", who, (int)i + 1,
                              t == LUA_TNIL ? "nil" : luaL_typename(L, -1));
        }
        lua_pop(L, 1);
        if (isnan(s[i]))
            continue;
        if (isinf(s[i]))
            return luaL_error(L, "%s: scores[%d] is infinite", who, (int)i + 1);
        sc[m] = s[i];
        lab[m++] = l;
        cases += l;
    }
    if (cases == 0 || cases == m)
        return luaL_error(L, "%s: the labels need both classes (%d cases, %d controls)", who,
                          (int)cases, (int)(m - cases));
    if (m < n)
        luav_notef(L, "%s: %d of %d observations left out for a missing score or label", who,
              (int)(n - m), (int)n);
    void **box = box_new(L, roc_box_free);
    rg_roc *r = *box = calloc(1, sizeof *r);
    if (!r || roc_compute(sc, lab, m, dir, r) != 0)
        return luaL_error(L, "%s: out of memory", who);
    int res = lua_gettop(L) + 1;
    lua_createtable(L, 0, 14);
    luav_set_number(L, "auc", r->auc);
    luav_set_number(L, "var", r->var);
    lua_createtable(L, 0, 3);
    luav_set_number(L, "lower", r->lower);
    luav_set_number(L, "upper", r->upper);
    luav_set_number(L, "level", 0.95);
    lua_setfield(L, res, "ci");
    luav_set_numbers(L, "thresholds", r->thresholds, r->m);
    luav_set_numbers(L, "sens", r->sens, r->m);
    luav_set_numbers(L, "spec", r->spec, r->m);
    luav_set_numbers(L, "tpr", r->sens, r->m);
    for (size_t i = 0; i < r->m; i++)
        r->spec[i] = 1 - r->spec[i];
    luav_set_numbers(L, "fpr", r->spec, r->m);
    lua_createtable(L, 0, 4);
    luav_set_number(L, "threshold", r->youden_threshold);
    luav_set_number(L, "sensitivity", r->youden_sens);
    luav_set_number(L, "specificity", r->youden_spec);
    luav_set_integer(L, "ties", r->youden_ties);
    lua_setfield(L, res, "youden");
    luav_set_integer(L, "n_cases", r->n_cases);
    luav_set_integer(L, "n_controls", r->n_controls);
    luav_set_string(L, "direction", r->greater ? ">" : "<");
    if (r->youden_ties > 1)
        luav_notef(L, "%s: %d thresholds share the largest Youden index; the first in pROC's order (specificity rising) is reported",
              who, (int)r->youden_ties);
    roc_free(r);
    return 1;
}

/* ---- rg.hclust ---------------------------------------------------------------------- */

/* The dissimilarities take n(n-1)/2 doubles: 10 GB at this many */
#define HCLUST_MAX 50000

static void hclust_box_free(void *p)
{
    if (p)
        hclust_free(p);
    free(p);
}

/* Where the observations of rg.hclust came from, to name them in messages:
 * a frame (rows, or columns with on = "cols") or an array of rows. */
typedef struct {
    const rg_frame *f;
    int by_cols;
} hc_input;

/* Push and return the name of cell (observation i, variable v). */
static const char *hc_cell(lua_State *L, const hc_input *in, size_t i, size_t v)
{
    size_t r = in->by_cols ? v : i, c = in->by_cols ? i : v;
    if (in->f)
        return lua_pushfstring(L, "row '%s', column '%s'", in->f->ids[r], in->f->cols[c].name);
    return lua_pushfstring(L, "x[%d][%d]", (int)r + 1, (int)c + 1);
}

/* Push and return the name of observation i. */
static const char *hc_obs(lua_State *L, const hc_input *in, size_t i)
{
    if (in->f && in->by_cols)
        return lua_pushfstring(L, "column '%s'", in->f->cols[i].name);
    if (in->f)
        return lua_pushfstring(L, "row '%s'", in->f->ids[i]);
    return lua_pushfstring(L, in->by_cols ? "column %d" : "row %d", (int)i + 1);
}

static void hc_check_n(lua_State *L, size_t n, const char *who)
{
    if (n < 2)
        luaL_error(L, "%s: %d observation%s; clustering needs at least 2", who, (int)n,
                   n == 1 ? "" : "s");
    if (n > HCLUST_MAX)
        luaL_error(L, "%s: %d observations is more than %d (the dissimilarities take "
                      "n(n-1)/2 doubles)", who, (int)(n > INT_MAX ? INT_MAX : n), HCLUST_MAX);
}

/* The frame at 1 as an n x p row-major matrix in a userdata pushed on the
 * stack: its rows as observations, or its columns when by_cols. */
static double *hc_frame_matrix(lua_State *L, const hc_input *in, size_t *n, size_t *p,
                               const char *who)
{
    const rg_frame *f = in->f;
    const double **cols = frame_numbers(L, 1, who, "x");
    *n = in->by_cols ? f->ncol : f->nrow;
    *p = in->by_cols ? f->nrow : f->ncol;
    hc_check_n(L, *n, who);
    double *x = lua_newuserdatauv(L, (*n * *p > 0 ? *n * *p : 1) * sizeof *x, 0);
    for (size_t r = 0; r < f->nrow; r++)
        for (size_t c = 0; c < f->ncol; c++)
            x[in->by_cols ? c * f->nrow + r : r * f->ncol + c] = cols[c][r];
    return x;
}

/* The array of rows at 1 ({{...}, {...}}, equal lengths) as an n x p
 * row-major matrix (transposed when by_cols) in a userdata pushed on the
 * stack. */
static double *hc_rows_matrix(lua_State *L, int by_cols, size_t *n, size_t *p, const char *who)
{
    size_t nr = lua_rawlen(L, 1), nc = 0;
    for (size_t r = 0; r < nr; r++) {
        if (lua_rawgeti(L, 1, (lua_Integer)r + 1) != LUA_TTABLE)
            luaL_error(L, "%s: x[%d] must be an array of numbers (a row), got a %s", who,
                       (int)r + 1, luaL_typename(L, -1));
        size_t len = lua_rawlen(L, -1);
        if (r == 0)
            nc = len;
        else if (len != nc)
            luaL_error(L, "%s: x[%d] has %d values but x[1] has %d", who, (int)r + 1, (int)len,
                       (int)nc);
        lua_pop(L, 1);
    }
    *n = by_cols ? nc : nr;
    *p = by_cols ? nr : nc;
    hc_check_n(L, *n, who);
    double *x = lua_newuserdatauv(L, (nr * nc > 0 ? nr * nc : 1) * sizeof *x, 0);
    for (size_t r = 0; r < nr; r++) {
        lua_rawgeti(L, 1, (lua_Integer)r + 1);
        for (size_t c = 0; c < nc; c++) {
            int t = lua_rawgeti(L, -1, (lua_Integer)c + 1);
            if (t != LUA_TNUMBER)
                luaL_error(L, "%s: x[%d][%d] is %s, not a number (use 0/0 for a missing "
                              "value)", who, (int)r + 1, (int)c + 1,
                           t == LUA_TNIL ? "nil" : luaL_typename(L, -1));
            x[by_cols ? c * nr + r : r * nc + c] = lua_tonumber(L, -1);
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
    }
    return x;
}

/* {dist = D [, labels = {...}]} at 1, D a symmetric n x n array of arrays
 * with zero diagonal: its lower triangle in dist order in a userdata pushed
 * on the stack, and the labels (anchored in the argument) or NULL. */
static double *hc_given(lua_State *L, size_t *n, const char ***labels, const char *who)
{
    static const char *const keys[] = {"dist", "labels", NULL};
    luav_check_options(L, 1, who, keys);
    int D = lua_gettop(L) + 1;
    lua_getfield(L, 1, "dist");
    if (lua_type(L, D) != LUA_TTABLE)
        luaL_error(L, "%s: dist must be a square matrix (an array of rows), got a %s", who,
                   luaL_typename(L, D));
    size_t m = lua_rawlen(L, D);
    hc_check_n(L, m, who);
    double *full = lua_newuserdatauv(L, m * m * sizeof *full, 0);
    for (size_t i = 0; i < m; i++) {
        int t = lua_rawgeti(L, D, (lua_Integer)i + 1);
        if (t != LUA_TTABLE || lua_rawlen(L, -1) != m)
            luaL_error(L, "%s: dist must be a square matrix: dist[%d] is not an array of %d "
                          "numbers", who, (int)i + 1, (int)m);
        for (size_t j = 0; j < m; j++) {
            if (lua_rawgeti(L, -1, (lua_Integer)j + 1) != LUA_TNUMBER)
                luaL_error(L, "%s: dist[%d][%d] is %s, not a number", who, (int)i + 1,
                           (int)j + 1, luaL_typename(L, -1));
            double v = lua_tonumber(L, -1);
            if (isnan(v))
                luaL_error(L, "%s: dist[%d][%d] is NaN; dissimilarities are finite and >= 0",
                           who, (int)i + 1, (int)j + 1);
            if (!isfinite(v) || v < 0)
                luaL_error(L, "%s: dist[%d][%d] = %f; dissimilarities are finite and >= 0",
                           who, (int)i + 1, (int)j + 1, v);
            full[i * m + j] = v;
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
    }
    for (size_t i = 0; i < m; i++) {
        if (full[i * m + i] != 0)
            luaL_error(L, "%s: dist[%d][%d] = %f; the diagonal must be 0", who, (int)i + 1,
                       (int)i + 1, full[i * m + i]);
        for (size_t j = 0; j < i; j++) {
            double a = full[i * m + j], b = full[j * m + i];
            if (fabs(a - b) > 1e-12 * fmax(a, b))
                luaL_error(L, "%s: dist is not symmetric: dist[%d][%d] = %f but dist[%d][%d] = %f",
                           who, (int)i + 1, (int)j + 1, a, (int)j + 1, (int)i + 1, b);
        }
    }
    double *d = lua_newuserdatauv(L, m * (m - 1) / 2 * sizeof *d, 0);
    for (size_t j = 0; j < m; j++)
        for (size_t i = j + 1; i < m; i++)
            d[hclust_dist_index(m, i, j)] = full[i * m + j];
    *labels = NULL;
    if (lua_getfield(L, 1, "labels") != LUA_TNIL) {
        if (lua_type(L, -1) != LUA_TTABLE || lua_rawlen(L, -1) != m)
            luaL_error(L, "%s: labels must be an array of %d strings, one per row of dist", who,
                       (int)m);
        const char **lab = lua_newuserdatauv(L, m * sizeof *lab, 0);
        for (size_t i = 0; i < m; i++) {
            if (lua_rawgeti(L, -2, (lua_Integer)i + 1) != LUA_TSTRING)
                luaL_error(L, "%s: labels[%d] is %s, not a string", who, (int)i + 1,
                           luaL_typename(L, -1));
            lab[i] = lua_tostring(L, -1); /* anchored in the labels table */
            lua_pop(L, 1);
        }
        *labels = lab;
    }
    *n = m;
    return d;
}

/* rg.hclust(x [, {linkage = "average", distance = "euclidean", on = "rows"}])
 * with x a frame, an array of rows, or {dist = D [, labels]} -> {order,
 * merge, height, labels, linkage, distance, n} */
static int l_hclust(lua_State *L)
{
    static const char *const known[] = {"linkage", "distance", "on", NULL};
    const char *who = "rg.hclust";
    lua_settop(L, 2); /* absent options are nil, not what we push */
    luav_check_options(L, 2, who, known);
    const char *lname = luav_opt_string(L, 2, "linkage", "average", who);
    const char *dname = luav_opt_string(L, 2, "distance", NULL, who);
    const char *on = luav_opt_string(L, 2, "on", NULL, who);
    rg_linkage link;
    rg_distance kind = RG_DIST_EUCLIDEAN;
    if (hclust_linkage(lname, &link) != 0)
        return luaL_error(L, "%s: linkage must be one of %s, got '%s'", who,
                          hclust_linkage_names, lname);
    if (dname && hclust_distance(dname, &kind) != 0)
        return luaL_error(L, "%s: distance must be one of %s, got '%s'", who,
                          hclust_distance_names, dname);
    if (on && strcmp(on, "rows") != 0 && strcmp(on, "cols") != 0)
        return luaL_error(L, "%s: on must be \"rows\" or \"cols\", got '%s'", who, on);
    hc_input in = {luaf_test(L, 1), on && strcmp(on, "cols") == 0};
    int given = 0;
    if (!in.f && lua_type(L, 1) == LUA_TTABLE) {
        lua_pushstring(L, "dist");
        given = lua_rawget(L, 1) != LUA_TNIL;
        lua_pop(L, 1);
    } else if (!in.f) {
        return luaL_error(L, "%s: x must be a frame, an array of rows or {dist = matrix}, got "
                             "a %s", who, luaL_typename(L, 1));
    }
    if (given && (dname || on))
        return luaL_error(L, "%s: option %s does not apply to a dissimilarity matrix "
                             "({dist = ...})", who, dname ? "distance" : "on");
    size_t n = 0, p = 0, missing = 0;
    const char **labels = NULL;
    double *d;
    if (given) {
        d = hc_given(L, &n, &labels, who);
    } else {
        double *x = in.f ? hc_frame_matrix(L, &in, &n, &p, who)
                         : hc_rows_matrix(L, in.by_cols, &n, &p, who);
        if (p == 0)
            return luaL_error(L, "%s: the observations have no variables", who);
        for (size_t i = 0; i < n; i++)
            for (size_t v = 0; v < p; v++) {
                if (isinf(x[i * p + v]))
                    return luaL_error(L, "%s: %s is infinite", who, hc_cell(L, &in, i, v));
                missing += isnan(x[i * p + v]);
            }
        d = lua_newuserdatauv(L, n * (n - 1) / 2 * sizeof *d, 0);
        size_t a, b;
        int rc = hclust_dist(x, n, p, kind, d, &a, &b);
        if (rc < 0)
            return luaL_error(L, "%s: out of memory", who);
        if (rc == RG_HDIST_MISSING)
            return luaL_error(L, "%s: distance %s needs complete data, but %s is missing", who,
                              hclust_distance_name(kind), hc_cell(L, &in, a, b));
        if (rc == RG_HDIST_CONSTANT)
            return luaL_error(L, "%s: %s is constant: its correlation with the others is "
                                 "undefined", who, hc_obs(L, &in, a));
        if (rc == RG_HDIST_TOO_FEW)
            return luaL_error(L, "%s: distance %s needs at least 2 variables, got %d", who,
                              hclust_distance_name(kind), (int)p);
        if (rc == RG_HDIST_NO_PAIRS) {
            const char *first = hc_obs(L, &in, a); /* on the stack */
            const char *second = hc_obs(L, &in, b);
            return luaL_error(L, "%s: %s and %s have no variable where both have a value", who,
                              first, second);
        }
        if (in.f) {
            const char **lab = lua_newuserdatauv(L, n * sizeof *lab, 0);
            for (size_t i = 0; i < n; i++)
                lab[i] = in.by_cols ? in.f->cols[i].name : in.f->ids[i];
            labels = lab;
        }
    }
    void **box = box_new(L, hclust_box_free);
    rg_hclust *h = *box = calloc(1, sizeof *h);
    if (!h || hclust_compute(d, n, link, h) != 0)
        return luaL_error(L, "%s: out of memory", who);
    lua_createtable(L, 0, 7);
    lua_createtable(L, (int)n, 0);
    for (size_t i = 0; i < n; i++) {
        lua_pushinteger(L, h->order[i]);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, -2, "order");
    lua_createtable(L, (int)n - 1, 0);
    for (size_t s = 0; s + 1 < n; s++) {
        lua_createtable(L, 2, 0);
        lua_pushinteger(L, h->merge[2 * s]);
        lua_rawseti(L, -2, 1);
        lua_pushinteger(L, h->merge[2 * s + 1]);
        lua_rawseti(L, -2, 2);
        lua_rawseti(L, -2, (lua_Integer)s + 1);
    }
    lua_setfield(L, -2, "merge");
    luav_set_numbers(L, "height", h->height, n - 1);
    if (labels) {
        lua_createtable(L, (int)n, 0);
        for (size_t i = 0; i < n; i++) {
            lua_pushstring(L, labels[i]);
            lua_rawseti(L, -2, (lua_Integer)i + 1);
        }
        lua_setfield(L, -2, "labels");
    }
    luav_set_string(L, "linkage", hclust_linkage_name(link));
    luav_set_string(L, "distance", given ? "given" : hclust_distance_name(kind));
    luav_set_integer(L, "n", n);
    if (missing)
        luav_notef(L, "%s: %d missing value%s: each %s distance is taken over the variables "
                      "both observations have and scaled up by p / (their number), as R's dist",
                   who, (int)missing, missing > 1 ? "s" : "", hclust_distance_name(kind));
    return 1;
}

static const luaL_Reg cormat_methods[] = {{"pairs", cm_pairs},     {"matrix", cm_matrix},
                                          {"get", cm_get},         {"summary", cm_summary},
                                          {NULL, NULL}};
static const luaL_Reg scaler_methods[] = {{"transform", sc_transform}, {"params", sc_params},
                                          {NULL, NULL}};

static const luaL_Reg stats_funcs[] = {
    {"cor", l_cor},         {"p_adjust", l_p_adjust},         {"cor_matrix", l_cor_matrix},
    {"ols", l_ols},         {"t_test", l_t_test},             {"mann_whitney", l_mann_whitney},
    {"roc", l_roc},         {"hclust", l_hclust},             {NULL, NULL}};

/* A metatable named name with __gc, __tostring and the methods as __index. */
static void new_class(lua_State *L, const char *name, lua_CFunction gc, lua_CFunction tostr,
                      const luaL_Reg *methods)
{
    luaL_newmetatable(L, name);
    lua_pushcfunction(L, gc);
    lua_setfield(L, -2, "__gc");
    lua_pushcfunction(L, tostr);
    lua_setfield(L, -2, "__tostring");
    lua_newtable(L);
    luaL_setfuncs(L, methods, 0);
    lua_setfield(L, -2, "__index");
    lua_pop(L, 1);
}

int luaopen_rg_stats(lua_State *L)
{
    new_class(L, CORMAT_MT, cormat_gc, cm_tostring, cormat_methods);
    new_class(L, SCALER_MT, scaler_gc, sc_tostring, scaler_methods);
    luaL_newlib(L, stats_funcs);
    lua_createtable(L, 0, 1); /* rg.perm */
    lua_pushcfunction(L, l_perm_cor);
    lua_setfield(L, -2, "cor");
    lua_setfield(L, -2, "perm");
    lua_createtable(L, 0, 1); /* rg.scale */
    lua_pushcfunction(L, l_scale_fit);
    lua_setfield(L, -2, "fit");
    lua_setfield(L, -2, "scale");
    return 1;
}
