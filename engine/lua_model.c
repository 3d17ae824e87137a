/* engine/lua_model.c — the Lua face of engine/models: rg.model (fit, path,
 * cv_predict, cv_score, grid_search, select), rg.split, rg.kfold,
 * rg.metrics and rg.perm.model. Arguments are checked and converted here;
 * every number comes from the C modules. Matrices live in userdata on the
 * stack while a call runs, so an error raised at any point frees them. */
#include <lauxlib.h>
#include <lua.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"
#include "lua_bindings.h"
#include "models/metrics.h"
#include "models/model.h"
#include "models/validate.h"
#include "rng.h"

#define MODEL_MT "rg.Model"

/* ---- matrices ----------------------------------------------------------------- */

/* A numeric matrix argument: n x k column-major in a userdata on the stack,
 * its column names, and the frame it came from (for row IDs) or NULL. */
typedef struct {
    size_t n, k;
    double *data;
    const char **names;
    const rg_frame *frame;
} mat;

/* The length of the first column of the table of columns at idx. */
static size_t first_column_length(lua_State *L, int idx)
{
    size_t n = 0;
    if (lua_rawlen(L, idx) > 0) {
        if (lua_rawgeti(L, idx, 1) == LUA_TTABLE)
            n = lua_rawlen(L, -1);
        lua_pop(L, 1);
        return n;
    }
    lua_pushnil(L);
    if (lua_next(L, idx)) {
        if (lua_type(L, -1) == LUA_TTABLE)
            n = lua_rawlen(L, -1);
        lua_pop(L, 2);
    }
    return n;
}

/* The matrix at idx: a frame, a table of named columns, an array of columns,
 * or (vector_ok) one array of numbers named vname. Raises for text, ragged
 * columns and missing values (naming the column and the row). */
static void get_mat(lua_State *L, int idx, const char *who, const char *arg, int vector_ok,
                    const char *vname, mat *m)
{
    idx = lua_absindex(L, idx);
    memset(m, 0, sizeof *m);
    m->frame = luaf_test(L, idx);
    const double **cols;
    if (m->frame) {
        m->n = m->frame->nrow;
        cols = luav_design_columns(L, idx, m->n, who, arg, arg, &m->names, &m->k);
    } else if (lua_type(L, idx) != LUA_TTABLE) {
        luaL_error(L, "%s: %s must be a frame or a table of columns, got a %s", who, arg,
                   luaL_typename(L, idx));
        return;
    } else {
        int vec = 0;
        if (vector_ok) {
            if (lua_rawlen(L, idx) == 0) {
                lua_pushnil(L);
                vec = !lua_next(L, idx);
                if (!vec)
                    lua_pop(L, 2);
            } else {
                vec = lua_rawgeti(L, idx, 1) != LUA_TTABLE;
                lua_pop(L, 1);
            }
        }
        if (vec) {
            cols = lua_newuserdatauv(L, sizeof *cols, 0);
            m->names = lua_newuserdatauv(L, sizeof *m->names, 0);
            m->names[0] = vname;
            cols[0] = luav_numbers(L, idx, who, arg, &m->n);
            m->k = 1;
        } else {
            m->n = first_column_length(L, idx);
            cols = luav_design_columns(L, idx, m->n, who, arg, "the first column", &m->names,
                                       &m->k);
        }
    }
    if (vector_ok && m->k == 0)
        luaL_error(L, "%s: %s has no columns", who, arg);
    m->data = lua_newuserdatauv(L, (m->n * m->k > 0 ? m->n * m->k : 1) * sizeof *m->data, 0);
    for (size_t j = 0; j < m->k; j++)
        for (size_t i = 0; i < m->n; i++) {
            double v = cols[j][i];
            if (isnan(v)) {
                if (m->frame)
                    luaL_error(L, "%s: %s column '%s' is missing a value at row '%s'; models "
                                  "need complete rows (keep the complete ones first)",
                               who, arg, m->names[j], m->frame->ids[i]);
                luaL_error(L, "%s: %s column '%s' is missing a value at row %d; models need "
                              "complete rows", who, arg, m->names[j], (int)i + 1);
            }
            if (isinf(v))
                luaL_error(L, "%s: %s column '%s' has an infinite value at row %d", who, arg,
                           m->names[j], (int)i + 1);
            m->data[j * m->n + i] = v;
        }
}

/* X and Y must describe the same rows. */
static void same_rows(lua_State *L, const mat *X, const mat *Y, const char *who)
{
    if (X->n != Y->n)
        luaL_error(L, "%s: X has %d rows but Y %d", who, (int)X->n, (int)Y->n);
    if (X->frame && Y->frame)
        for (size_t i = 0; i < X->n; i++)
            if (strcmp(X->frame->ids[i], Y->frame->ids[i]) != 0)
                luaL_error(L, "%s: X and Y have other IDs or another order (row %d: '%s' and "
                              "'%s'); align them with rg.join first",
                           who, (int)i + 1, X->frame->ids[i], Y->frame->ids[i]);
}

/* ---- options ---------------------------------------------------------------------- */

static rg_model_kind check_kind(lua_State *L, int idx, const char *who)
{
    const char *name = luaL_checkstring(L, idx);
    rg_model_kind k;
    if (model_kind(name, &k) != 0)
        luaL_error(L, "%s: unknown model kind '%s' (the kinds: %s)", who, name,
                   model_kind_list());
    return k;
}

/* Set the option at the top of the stack (key name) on s. */
static void set_option(lua_State *L, rg_model_spec *s, const char *name, const char *who)
{
    rg_opt v = {RG_OPT_NUMBER, 0, NULL};
    switch (lua_type(L, -1)) {
    case LUA_TNUMBER:
        v.num = lua_tonumber(L, -1);
        break;
    case LUA_TSTRING:
        v.type = RG_OPT_STRING;
        v.str = lua_tostring(L, -1);
        break;
    case LUA_TBOOLEAN:
        v.type = RG_OPT_BOOL;
        v.num = lua_toboolean(L, -1);
        break;
    default:
        luaL_error(L, "%s: option %s must be a number, a string or a boolean, got a %s", who,
                   name, luaL_typename(L, -1));
    }
    char err[200];
    if (model_set_option(s, name, &v, err, sizeof err) != 0)
        luaL_error(L, "%s: %s", who, err);
}

/* The model options in the table at idx (all of its keys; idx 0: none) on
 * top of the defaults of kind; a tree without a seed draws one from the
 * chunk's stream. */
static rg_model_spec spec_from(lua_State *L, int idx, rg_model_kind kind, const char *who)
{
    rg_model_spec s = model_default_spec(kind);
    if (idx == 0 || lua_isnoneornil(L, idx)) {
        if (kind == RG_MODEL_TREE)
            s.seed = rng_next(host_rng(L)) >> 11;
        return s;
    }
    luav_check_options(L, idx, who, model_option_names(kind));
    idx = lua_absindex(L, idx);
    luav_sorted_keys(L, idx);
    size_t nk = lua_rawlen(L, -1);
    for (size_t i = 1; i <= nk; i++) {
        lua_rawgeti(L, -1, (lua_Integer)i);
        const char *key = lua_tostring(L, -1);
        lua_getfield(L, idx, key);
        set_option(L, &s, key, who);
        lua_pop(L, 2);
    }
    lua_pop(L, 1);
    if (kind == RG_MODEL_TREE) {
        lua_getfield(L, idx, "seed");
        if (lua_isnil(L, -1))
            s.seed = rng_next(host_rng(L)) >> 11;
        lua_pop(L, 1);
    }
    return s;
}

/* An optional seed option: *seed and 1, or 0 when absent. */
static int opt_seed(lua_State *L, int idx, const char *who, uint64_t *seed)
{
    if (lua_type(L, idx) != LUA_TTABLE)
        return 0;
    int t = lua_getfield(L, idx, "seed");
    if (t == LUA_TNIL) {
        lua_pop(L, 1);
        return 0;
    }
    if (!lua_isinteger(L, -1) || lua_tointeger(L, -1) < 0)
        luaL_error(L, "%s: seed must be an integer >= 0", who);
    *seed = (uint64_t)lua_tointeger(L, -1);
    lua_pop(L, 1);
    return 1;
}

/* The stream named name from the seed option, or from a seed drawn from the
 * chunk's stream; *seed_out the seed used. */
static void opt_stream(lua_State *L, int idx, const char *who, const char *name, rg_rng *r,
                       uint64_t *seed_out)
{
    uint64_t seed;
    if (!opt_seed(L, idx, who, &seed))
        seed = rng_next(host_rng(L)) >> 11;
    rng_init(r, seed, name);
    *seed_out = seed;
}

/* Class labels from the array at idx (numbers, strings or booleans) as
 * 0..nclass-1 in sorted order of the labels; a userdata pushed. */
static size_t *strata_from(lua_State *L, int idx, size_t n, const char *who, size_t *nclass)
{
    idx = lua_absindex(L, idx);
    if (lua_type(L, idx) != LUA_TTABLE || lua_rawlen(L, idx) != n)
        luaL_error(L, "%s: stratify must be an array of %d labels", who, (int)n);
    lua_newtable(L); /* label -> true */
    int set = lua_gettop(L);
    for (size_t i = 1; i <= n; i++) {
        int t = lua_rawgeti(L, idx, (lua_Integer)i);
        if (t != LUA_TNUMBER && t != LUA_TSTRING && t != LUA_TBOOLEAN)
            luaL_error(L, "%s: stratify[%d] is a %s, not a label", who, (int)i,
                       luaL_typename(L, -1));
        if (t == LUA_TNUMBER && isnan(lua_tonumber(L, -1)))
            luaL_error(L, "%s: stratify[%d] is missing", who, (int)i);
        lua_pushboolean(L, 1);
        lua_rawset(L, set);
    }
    luav_sorted_keys(L, set);
    int keys = lua_gettop(L);
    size_t nk = lua_rawlen(L, keys);
    for (size_t c = 1; c <= nk; c++) { /* label -> class number */
        lua_rawgeti(L, keys, (lua_Integer)c);
        lua_pushinteger(L, (lua_Integer)c - 1);
        lua_rawset(L, set);
    }
    size_t *cls = lua_newuserdatauv(L, (n ? n : 1) * sizeof *cls, 0);
    for (size_t i = 1; i <= n; i++) {
        lua_rawgeti(L, idx, (lua_Integer)i);
        lua_rawget(L, set);
        cls[i - 1] = (size_t)lua_tointeger(L, -1);
        lua_pop(L, 1);
    }
    lua_replace(L, set);
    lua_settop(L, set);
    *nclass = nk;
    return cls;
}

/* Push an array of the strings names[0..n). */
static void push_names(lua_State *L, const char *const *names, size_t n)
{
    lua_createtable(L, (int)n, 0);
    for (size_t j = 0; j < n; j++) {
        lua_pushstring(L, names[j]);
        lua_rawseti(L, -2, (lua_Integer)j + 1);
    }
}

/* Push a 1-based index array of idx[0..m). */
static void push_index(lua_State *L, const size_t *idx, size_t m)
{
    lua_createtable(L, (int)m, 0);
    for (size_t i = 0; i < m; i++) {
        lua_pushinteger(L, (lua_Integer)idx[i] + 1);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
}

/* ---- rg.split and rg.kfold ---------------------------------------------------------- */

/* n from a number or a frame at idx */
static size_t check_n(lua_State *L, int idx, const char *who)
{
    const rg_frame *f = luaf_test(L, idx);
    if (f)
        return f->nrow;
    if (!lua_isinteger(L, idx) || lua_tointeger(L, idx) < 0)
        luaL_error(L, "%s: n must be a whole number of rows or a frame", who);
    return (size_t)lua_tointeger(L, idx);
}

/* rg.split(n | frame [, {test = 0.2, seed, stratify}]) -> train, test */
static int l_split(lua_State *L)
{
    lua_settop(L, 2); /* absent options are nil, not what we push */
    static const char *const known[] = {"seed", "stratify", "test", NULL};
    const char *who = "rg.split";
    size_t n = check_n(L, 1, who);
    luav_check_options(L, 2, who, known);
    double test = luav_opt_number(L, 2, "test", 0.2, who);
    if (!(test > 0 && test < 1))
        return luaL_error(L, "%s: test must be a fraction between 0 and 1, got %f", who, test);
    size_t nclass = 0, *strata = NULL;
    if (lua_type(L, 2) == LUA_TTABLE) {
        lua_getfield(L, 2, "stratify");
        if (!lua_isnil(L, -1))
            strata = strata_from(L, -1, n, who, &nclass);
    }
    rg_rng r;
    uint64_t seed;
    opt_stream(L, 2, who, "split", &r, &seed);
    size_t *idx = lua_newuserdatauv(L, 2 * (n ? n : 1) * sizeof *idx, 0);
    size_t ntr = 0, nte = 0;
    int rc = validate_split(n, test, strata, nclass, &r, idx, &ntr, idx + n, &nte);
    if (rc < 0)
        return luaL_error(L, "%s: out of memory", who);
    if (rc > 0)
        return luaL_error(L, "%s: a test fraction of %f leaves no rows on one side of %d", who,
                          test, (int)n);
    push_index(L, idx, ntr);
    push_index(L, idx + n, nte);
    return 2;
}

/* rg.kfold(n | frame, k [, {shuffle = true, seed, stratify}]) -> folds: k
 * arrays of the test rows of each fold */
static int l_kfold(lua_State *L)
{
    lua_settop(L, 3); /* absent options are nil, not what we push */
    static const char *const known[] = {"seed", "shuffle", "stratify", NULL};
    const char *who = "rg.kfold";
    size_t n = check_n(L, 1, who);
    lua_Integer k = luaL_checkinteger(L, 2);
    luav_check_options(L, 3, who, known);
    int shuffle = luav_opt_bool(L, 3, "shuffle", 1, who);
    if (k < 2 || (size_t)k > n)
        return luaL_error(L, "%s: k must be from 2 to the number of rows (%d), got %d", who,
                          (int)n, (int)k);
    size_t nclass = 0, *strata = NULL;
    if (lua_type(L, 3) == LUA_TTABLE) {
        lua_getfield(L, 3, "stratify");
        if (!lua_isnil(L, -1))
            strata = strata_from(L, -1, n, who, &nclass);
    }
    rg_rng r;
    uint64_t seed;
    opt_stream(L, 3, who, "kfold", &r, &seed);
    size_t *fold = lua_newuserdatauv(L, (n ? n : 1) * sizeof *fold, 0);
    if (validate_kfold(n, (size_t)k, shuffle, strata, nclass, &r, fold) != 0)
        return luaL_error(L, "%s: out of memory", who);
    lua_createtable(L, (int)k, 0);
    for (lua_Integer f = 0; f < k; f++) {
        lua_newtable(L);
        lua_Integer at = 0;
        for (size_t i = 0; i < n; i++)
            if (fold[i] == (size_t)f) {
                lua_pushinteger(L, (lua_Integer)i + 1);
                lua_rawseti(L, -2, ++at);
            }
        lua_rawseti(L, -2, f + 1);
    }
    return 1;
}

/* The folds of option `folds` at opts (a count, default 5, or the arrays
 * rg.kfold gives) as fold_of (a userdata pushed); *k the count. Drawn folds
 * come from the stream (seed, "kfold"): seed *given when not NULL, else the
 * seed option or a draw of the chunk's stream (*seed_used). */
static size_t *folds_from(lua_State *L, int opts, size_t n, const char *who, size_t *k,
                          const uint64_t *given, uint64_t *seed_used)
{
    int t = lua_type(L, opts) == LUA_TTABLE ? lua_getfield(L, opts, "folds") : LUA_TNIL;
    size_t *fold = NULL;
    if (t == LUA_TTABLE) {
        size_t nf = lua_rawlen(L, -1);
        if (nf < 2)
            luaL_error(L, "%s: folds must list at least 2 folds", who);
        fold = lua_newuserdatauv(L, (n ? n : 1) * sizeof *fold, 0);
        for (size_t i = 0; i < n; i++)
            fold[i] = (size_t)-1;
        for (size_t f = 0; f < nf; f++) {
            lua_rawgeti(L, -2, (lua_Integer)f + 1);
            size_t m = lua_rawlen(L, -1);
            for (size_t i = 1; i <= m; i++) {
                lua_rawgeti(L, -1, (lua_Integer)i);
                lua_Integer r = lua_tointeger(L, -1);
                if (!lua_isinteger(L, -1) || r < 1 || (size_t)r > n)
                    luaL_error(L, "%s: folds[%d][%d] is not a row number from 1 to %d", who,
                               (int)f + 1, (int)i, (int)n);
                if (fold[r - 1] != (size_t)-1)
                    luaL_error(L, "%s: row %d is in two folds", who, (int)r);
                fold[r - 1] = f;
                lua_pop(L, 1);
            }
            lua_pop(L, 1);
        }
        for (size_t i = 0; i < n; i++)
            if (fold[i] == (size_t)-1)
                luaL_error(L, "%s: row %d is in no fold", who, (int)i + 1);
        *k = nf;
        *seed_used = 0;
    } else {
        lua_Integer kk = 5;
        if (t != LUA_TNIL && (!lua_isinteger(L, -1) || (kk = lua_tointeger(L, -1)) < 2))
            luaL_error(L, "%s: folds must be a whole number >= 2 or the folds of rg.kfold", who);
        if ((size_t)kk > n)
            luaL_error(L, "%s: %d folds of %d rows", who, (int)kk, (int)n);
        int shuffle = luav_opt_bool(L, opts, "shuffle", 1, who);
        size_t nclass = 0, *strata = NULL;
        if (lua_type(L, opts) == LUA_TTABLE) {
            lua_getfield(L, opts, "stratify");
            if (!lua_isnil(L, -1))
                strata = strata_from(L, -1, n, who, &nclass);
        }
        rg_rng r;
        if (given) {
            *seed_used = *given;
            rng_init(&r, *given, "kfold");
        } else {
            opt_stream(L, opts, who, "kfold", &r, seed_used);
        }
        fold = lua_newuserdatauv(L, (n ? n : 1) * sizeof *fold, 0);
        if (validate_kfold(n, (size_t)kk, shuffle, strata, nclass, &r, fold) != 0)
            luaL_error(L, "%s: out of memory", who);
        *k = (size_t)kk;
    }
    return fold;
}

/* ---- the model object --------------------------------------------------------------- */

typedef struct {
    rg_model m;
    char **xnames, **ynames;
    size_t charged;
} model_ud;

static void free_names(char **names, size_t n)
{
    for (size_t i = 0; names && i < n; i++)
        free(names[i]);
    free(names);
}

static int model_gc(lua_State *L)
{
    model_ud *u = luaL_checkudata(L, 1, MODEL_MT);
    free_names(u->xnames, u->m.p);
    free_names(u->ynames, u->m.q);
    model_free(&u->m);
    u->xnames = u->ynames = NULL;
    host_release(L, u->charged);
    u->charged = 0;
    return 0;
}

static char **copy_names(const char **names, size_t n)
{
    char **c = calloc(n ? n : 1, sizeof *c);
    for (size_t i = 0; c && i < n; i++)
        if (!(c[i] = strdup(names[i]))) {
            free_names(c, i);
            return NULL;
        }
    return c;
}

/* The message of a model_fit code. */
static const char *fit_error(int code, rg_model_kind kind)
{
    switch (code) {
    case -1:
        return "out of memory";
    case RG_MODEL_ERR_CLASSES:
        return "a logistic model needs Y of 0/1 labels with both classes present";
    case RG_MODEL_ERR_OUTPUTS:
        return "a logistic model has one output: give Y as one array";
    case RG_MODEL_ERR_SVD:
        return "the singular value decomposition did not converge";
    case RG_MODEL_ERR_ROWS:
        return kind == RG_MODEL_TREE || kind == RG_MODEL_LOGISTIC ? "needs at least 2 rows"
                                                                   : "needs at least 1 row";
    default:
        return "the fit failed";
    }
}

/* Notes for what a fit should tell the reader: non-convergence. */
static void fit_notes(lua_State *L, const model_ud *u, const char *who)
{
    const rg_model *m = &u->m;
    if (m->info && m->spec.enet.alpha == 0)
        luav_notef(L, "%s: %s with alpha = 0 is least squares by coordinate descent, which "
                      "converges poorly (as scikit-learn warns); the linear kind solves it "
                      "directly", who, model_kind_name(m->spec.kind));
    if (m->info)
        for (size_t k = 0; k < m->q; k++)
            if (!m->info[k].converged) {
                luav_notef(L, "%s: %s did not converge for output '%s' in %d iterations "
                              "(duality gap %f, tol %f); raise max_iter or tol",
                           who, model_kind_name(m->spec.kind), u->ynames[k],
                           (int)m->info[k].n_iter, m->info[k].gap, m->spec.enet.tol);
                if (m->spec.kind == RG_MODEL_MT_LASSO || m->spec.kind == RG_MODEL_MT_ELASTIC_NET)
                    break;
            }
    if (m->spec.kind == RG_MODEL_LOGISTIC && m->logit.separated)
        luav_notef(L, "%s: the coefficients separate the classes exactly: without a penalty "
                      "the likelihood has no finite optimum (use the l2 or l1 penalty)", who);
    else if (m->spec.kind == RG_MODEL_LOGISTIC && !m->logit.converged)
        luav_notef(L, "%s: logistic did not converge in %d iterations; raise max_iter", who,
                   (int)m->logit.n_iter);
}

/* Fit kind on X, Y with spec and push the model object. */
static model_ud *push_model(lua_State *L, const rg_model_spec *s, const mat *X, const mat *Y,
                            const char *who)
{
    model_ud *u = lua_newuserdatauv(L, sizeof *u, 0);
    memset(u, 0, sizeof *u);
    luaL_setmetatable(L, MODEL_MT);
    int rc = model_fit(s, X->data, X->n, X->k, Y->data, Y->k, &u->m);
    if (rc != 0) {
        luaL_error(L, "%s: %s: %s", who, model_kind_name(s->kind), fit_error(rc, s->kind));
        return NULL;
    }
    u->xnames = copy_names(X->names, X->k);
    u->ynames = copy_names(Y->names, Y->k);
    if (!u->xnames || !u->ynames)
        luaL_error(L, "%s: out of memory", who);
    size_t bytes = (X->k * Y->k + Y->k) * sizeof(double) * 2 + X->k * 64;
    if (s->kind == RG_MODEL_TREE)
        bytes += u->m.tree.nnode * (Y->k + 6) * sizeof(double);
    host_charge(L, bytes);
    u->charged = bytes;
    return u;
}

/* rg.model.fit(kind, X, Y [, opts]) -> model */
static int l_fit(lua_State *L)
{
    lua_settop(L, 4); /* absent options are nil, not what we push */
    const char *who = "rg.model.fit";
    rg_model_kind kind = check_kind(L, 1, who);
    rg_model_spec s = spec_from(L, 4, kind, who);
    mat X, Y;
    get_mat(L, 2, who, "X", 0, NULL, &X);
    get_mat(L, 3, who, "Y", 1, "y", &Y);
    same_rows(L, &X, &Y, who);
    model_ud *u = push_model(L, &s, &X, &Y, who);
    fit_notes(L, u, who);
    return 1;
}

static model_ud *check_model(lua_State *L, int idx)
{
    model_ud *u = luaL_checkudata(L, idx, MODEL_MT);
    if (!u->xnames)
        luaL_error(L, "the model was collected");
    return u;
}

/* The columns of X named as the model's features, in its order (frames and
 * named tables by name). */
static double *features_for(lua_State *L, const model_ud *u, int idx, const char *who,
                            size_t *n, const rg_frame **frame)
{
    mat X;
    get_mat(L, idx, who, "X", 0, NULL, &X);
    double *out = lua_newuserdatauv(L, (X.n * u->m.p > 0 ? X.n * u->m.p : 1) * sizeof *out, 0);
    for (size_t j = 0; j < u->m.p; j++) {
        size_t c = 0;
        while (c < X.k && strcmp(X.names[c], u->xnames[j]) != 0)
            c++;
        if (c == X.k)
            luaL_error(L, "%s: X lacks the feature '%s' the model was fitted on", who,
                       u->xnames[j]);
        memcpy(out + j * X.n, X.data + c * X.n, X.n * sizeof *out);
    }
    *n = X.n;
    *frame = X.frame;
    return out;
}

/* Push predictions (n x q): an array for one output, else a frame with the
 * outputs' names (and the rows' IDs when X was a frame). */
static void push_predictions(lua_State *L, const double *pred, size_t n, size_t q,
                             char *const *ynames, const rg_frame *ids_from)
{
    if (q == 1) {
        lua_createtable(L, (int)n, 0);
        for (size_t i = 0; i < n; i++) {
            lua_pushnumber(L, pred[i]);
            lua_rawseti(L, -2, (lua_Integer)i + 1);
        }
        return;
    }
    int fidx = lua_gettop(L) + 1;
    rg_frame *f = luaf_new(L);
    f->ids = calloc(n ? n : 1, sizeof *f->ids);
    if (!f->ids)
        luaL_error(L, "out of memory");
    f->nrow = n;
    for (size_t i = 0; i < n; i++) {
        char num[32];
        snprintf(num, sizeof num, "%zu", i + 1);
        if (!(f->ids[i] = strdup(ids_from ? ids_from->ids[i] : num)))
            luaL_error(L, "out of memory");
    }
    for (size_t k = 0; k < q; k++)
        if (frame_set_col(f, ynames[k], pred + k * n, NULL) != 0)
            luaL_error(L, "out of memory");
    luaf_charge(L, fidx);
}

/* model:predict(X) -> predictions (an array, or a frame for several outputs);
 * logistic: the probability of class 1 */
static int m_predict(lua_State *L)
{
    lua_settop(L, 2); /* absent options are nil, not what we push */
    model_ud *u = check_model(L, 1);
    const char *who = "model:predict";
    size_t n;
    const rg_frame *frame;
    double *X = features_for(L, u, 2, who, &n, &frame);
    double *pred = lua_newuserdatauv(L, (n * u->m.q > 0 ? n * u->m.q : 1) * sizeof *pred, 0);
    if (model_predict(&u->m, X, n, pred) != 0)
        return luaL_error(L, "%s: out of memory", who);
    push_predictions(L, pred, n, u->m.q, u->ynames, frame);
    return 1;
}

/* model:coef([{nonzero = false}]) -> rows {feature, coef} (one output) or
 * {feature, <output>...}, the intercept first as "(intercept)" */
static int m_coef(lua_State *L)
{
    lua_settop(L, 2); /* absent options are nil, not what we push */
    static const char *const known[] = {"nonzero", NULL};
    model_ud *u = check_model(L, 1);
    const char *who = "model:coef";
    luav_check_options(L, 2, who, known);
    int nonzero = luav_opt_bool(L, 2, "nonzero", 0, who);
    const rg_model *m = &u->m;
    if (!m->coef)
        return luaL_error(L, "%s: a %s model has no coefficients; use model:importance()", who,
                          model_kind_name(m->spec.kind));
    lua_createtable(L, (int)m->p + 1, 0);
    lua_Integer row = 0;
    for (long j = -1; j < (long)m->p; j++) {
        int any = j < 0;
        for (size_t k = 0; k < m->q && !any; k++)
            any = m->coef[k * m->p + (size_t)j] != 0;
        if (nonzero && !any)
            continue;
        lua_createtable(L, 0, (int)m->q + 1);
        luav_set_string(L, "feature", j < 0 ? "(intercept)" : u->xnames[j]);
        for (size_t k = 0; k < m->q; k++) {
            double v = j < 0 ? m->intercept[k] : m->coef[k * m->p + (size_t)j];
            luav_set_number(L, m->q == 1 ? "coef" : u->ynames[k], v == 0 ? 0 : v);
        }
        lua_rawseti(L, -2, ++row);
    }
    return 1;
}

/* model:importance([{sort = false}]) -> rows {feature, importance}:
 * SelectFromModel's importances (|coef|, summed over outputs, or a tree's
 * impurity importances) */
static int m_importance(lua_State *L)
{
    lua_settop(L, 2); /* absent options are nil, not what we push */
    static const char *const known[] = {"sort", NULL};
    model_ud *u = check_model(L, 1);
    const char *who = "model:importance";
    luav_check_options(L, 2, who, known);
    int sort = luav_opt_bool(L, 2, "sort", 0, who);
    size_t p = u->m.p;
    double *imp = lua_newuserdatauv(L, (p ? p : 1) * sizeof *imp, 0);
    size_t *order = lua_newuserdatauv(L, (p ? p : 1) * sizeof *order, 0);
    model_importance(&u->m, imp);
    for (size_t j = 0; j < p; j++)
        order[j] = j;
    if (sort) /* decreasing importance, ties in feature order (insertion: stable) */
        for (size_t a = 1; a < p; a++) {
            size_t v = order[a], b = a;
            while (b > 0 && imp[order[b - 1]] < imp[v]) {
                order[b] = order[b - 1];
                b--;
            }
            order[b] = v;
        }
    lua_createtable(L, (int)p, 0);
    for (size_t j = 0; j < p; j++) {
        lua_createtable(L, 0, 2);
        luav_set_string(L, "feature", u->xnames[order[j]]);
        luav_set_number(L, "importance", imp[order[j]]);
        lua_rawseti(L, -2, (lua_Integer)j + 1);
    }
    return 1;
}

/* Push the options of s as a table {name = value}. */
static void push_spec(lua_State *L, const rg_model_spec *s)
{
    lua_newtable(L);
    for (const char *const *o = model_option_names(s->kind); *o; o++) {
        double num;
        const char *str;
        model_get_option(s, *o, &num, &str);
        if (str && (strcmp(str, "true") == 0 || strcmp(str, "false") == 0))
            lua_pushboolean(L, str[0] == 't');
        else if (str)
            lua_pushstring(L, str);
        else if (num == floor(num) && fabs(num) < 9007199254740992.0)
            lua_pushinteger(L, (lua_Integer)num);
        else
            lua_pushnumber(L, num);
        lua_setfield(L, -2, *o);
    }
}

/* model:params() -> {kind, options..., n_train, features, outputs, and what
 * the fit did: converged, n_iter, dual_gap (per output), rank, depth,
 * leaves, max_features} */
static int m_params(lua_State *L)
{
    model_ud *u = check_model(L, 1);
    const rg_model *m = &u->m;
    double *v = lua_newuserdatauv(L, (m->q ? m->q : 1) * sizeof *v, 0); /* below the result */
    push_spec(L, &m->spec);
    luav_set_string(L, "kind", model_kind_name(m->spec.kind));
    luav_set_integer(L, "n_train", m->n_train);
    luav_set_integer(L, "features", m->p);
    luav_set_integer(L, "outputs", m->q);
    lua_pushboolean(L, model_converged(m));
    lua_setfield(L, -2, "converged");
    if (m->info) {
        for (size_t k = 0; k < m->q; k++)
            v[k] = (double)m->info[k].n_iter;
        luav_set_numbers(L, "n_iter", v, m->q);
        for (size_t k = 0; k < m->q; k++)
            v[k] = m->info[k].gap;
        luav_set_numbers(L, "dual_gap", v, m->q);
    }
    if (m->spec.kind == RG_MODEL_LINEAR)
        luav_set_integer(L, "rank", m->rank);
    if (m->spec.kind == RG_MODEL_TREE) {
        luav_set_integer(L, "depth", m->tree.depth);
        luav_set_integer(L, "leaves", m->tree.nleaves);
        luav_set_integer(L, "nodes", m->tree.nnode);
        luav_set_integer(L, "max_features_used", m->resolved_max_features);
    }
    if (m->spec.kind == RG_MODEL_LOGISTIC) {
        luav_set_integer(L, "n_iter", m->logit.n_iter);
        luav_set_number(L, "objective", m->logit.objective);
    }
    return 1;
}

static int m_tostring(lua_State *L)
{
    model_ud *u = luaL_checkudata(L, 1, MODEL_MT);
    if (!u->xnames) {
        lua_pushliteral(L, "rg.Model (collected)");
        return 1;
    }
    lua_pushfstring(L, "rg.Model: %s, %d feature%s, %d output%s, fitted on %d rows",
                    model_kind_name(u->m.spec.kind), (int)u->m.p, u->m.p == 1 ? "" : "s",
                    (int)u->m.q, u->m.q == 1 ? "" : "s", (int)u->m.n_train);
    return 1;
}

/* ---- paths ---------------------------------------------------------------------------- */

static void enet_box_free(void *p)
{
    if (p)
        enet_path_free(p);
    free(p);
}

/* rg.model.path(kind, X, Y [, {alphas | n_alphas = 100, eps = 1e-3, l1_ratio,
 * fit_intercept, max_iter, tol, scale}]) -> {alphas, coefs, intercepts,
 * n_iter, dual_gaps, nonzero, names, outputs} as enet_path */
static int l_path(lua_State *L)
{
    const char *who = "rg.model.path";
    rg_model_kind kind = check_kind(L, 1, who);
    if (kind != RG_MODEL_LASSO && kind != RG_MODEL_ELASTIC_NET && kind != RG_MODEL_MT_LASSO &&
        kind != RG_MODEL_MT_ELASTIC_NET)
        return luaL_error(L, "%s: paths are for lasso, elastic_net and their multitask kinds, "
                             "not %s", who, model_kind_name(kind));
    /* the path's own options, then the model's (alpha excluded) */
    lua_settop(L, 4);
    lua_newtable(L); /* the model options */
    int mopts = lua_gettop(L);
    size_t nalpha = 100;
    double eps = 1e-3;
    int has_alphas = 0;
    if (!lua_isnil(L, 4)) {
        luaL_checktype(L, 4, LUA_TTABLE);
        lua_pushnil(L);
        while (lua_next(L, 4)) {
            if (lua_type(L, -2) != LUA_TSTRING)
                return luaL_error(L, "%s: option names must be strings", who);
            const char *k = lua_tostring(L, -2);
            if (strcmp(k, "alphas") == 0 || strcmp(k, "n_alphas") == 0 || strcmp(k, "eps") == 0)
                has_alphas |= strcmp(k, "alphas") == 0;
            else if (strcmp(k, "alpha") == 0)
                return luaL_error(L, "%s: give alphas (a list) or n_alphas, not alpha", who);
            else {
                lua_pushvalue(L, -2);
                lua_pushvalue(L, -2);
                lua_rawset(L, mopts);
            }
            lua_pop(L, 1);
        }
        double na = luav_opt_number(L, 4, "n_alphas", 100, who);
        if (!(na >= 1 && na <= 1e6) || na != floor(na))
            return luaL_error(L, "%s: n_alphas must be a whole number from 1 to 1e6", who);
        nalpha = (size_t)na;
        eps = luav_opt_number(L, 4, "eps", 1e-3, who);
        if (!(eps > 0 && eps <= 1))
            return luaL_error(L, "%s: eps must be in (0, 1]", who);
    }
    rg_model_spec s = spec_from(L, mopts, kind, who);
    rg_enet_opts o = s.enet;
    int multitask = kind == RG_MODEL_MT_LASSO || kind == RG_MODEL_MT_ELASTIC_NET;
    if (kind == RG_MODEL_LASSO || kind == RG_MODEL_MT_LASSO)
        o.l1_ratio = 1;
    mat X, Y;
    get_mat(L, 2, who, "X", 0, NULL, &X);
    get_mat(L, 3, who, "Y", 1, "y", &Y);
    same_rows(L, &X, &Y, who);
    if (s.scale_x >= 0 || s.scale_y >= 0) { /* the whole data: a path is not validation */
        for (size_t j = 0; j < X.k && s.scale_x >= 0; j++) {
            rg_scale_col c;
            scale_fit(X.data + j * X.n, X.n, (rg_scale_kind)s.scale_x, &c);
            scale_apply(&c, X.data + j * X.n, X.n, X.data + j * X.n);
        }
        for (size_t j = 0; j < Y.k && s.scale_y >= 0; j++) {
            rg_scale_col c;
            scale_fit(Y.data + j * Y.n, Y.n, (rg_scale_kind)s.scale_y, &c);
            scale_apply(&c, Y.data + j * Y.n, Y.n, Y.data + j * Y.n);
        }
    }
    double *alphas;
    if (has_alphas) {
        lua_getfield(L, 4, "alphas");
        alphas = luav_numbers(L, -1, who, "alphas", &nalpha);
        if (nalpha == 0)
            return luaL_error(L, "%s: alphas is empty", who);
        for (size_t a = 0; a < nalpha; a++)
            if (!(alphas[a] >= 0) || isinf(alphas[a]))
                return luaL_error(L, "%s: alphas[%d] must be a number >= 0", who, (int)a + 1);
    } else {
        if (o.l1_ratio == 0)
            return luaL_error(L, "%s: the automatic alpha grid needs l1_ratio > 0; give "
                                 "alphas", who);
        alphas = lua_newuserdatauv(L, nalpha * sizeof *alphas, 0);
        if (enet_alpha_grid(X.data, X.n, X.k, Y.data, Y.k, o.l1_ratio, o.fit_intercept, eps,
                            nalpha, alphas) != 0)
            return luaL_error(L, "%s: out of memory", who);
    }
    void **box = box_new(L, enet_box_free);
    rg_enet_path *path = *box = calloc(1, sizeof *path);
    if (!path ||
        enet_path(X.data, X.n, X.k, Y.data, Y.k, &o, multitask, alphas, nalpha, path) != 0)
        return luaL_error(L, "%s: out of memory", who);
    size_t p = X.k, q = Y.k, nc = 0;
    for (size_t a = 0; a < nalpha; a++)
        for (size_t k = 0; k < q; k++)
            if (!path->info[a * q + k].converged)
                nc++;
    if (nc)
        luav_notef(L, "%s: %d of %d fits did not converge in %d iterations; raise max_iter or "
                      "tol", who, (int)nc, (int)(nalpha * q), (int)o.max_iter);
    lua_createtable(L, 0, 8);
    luav_set_numbers(L, "alphas", path->alphas, nalpha);
    const char *fields[] = {"coefs", "intercepts", "n_iter", "dual_gaps", "nonzero"};
    for (int fi = 0; fi < 5; fi++) {
        lua_createtable(L, (int)nalpha, 0);
        for (size_t a = 0; a < nalpha; a++) {
            if (q > 1 || fi == 0)
                lua_createtable(L, (int)(fi == 0 && q == 1 ? p : q), 0);
            for (size_t k = 0; k < q; k++) {
                const rg_enet_info *in = &path->info[a * q + k];
                const double *b = path->coefs + (a * q + k) * p;
                if (fi == 0) {
                    if (q > 1)
                        lua_createtable(L, (int)p, 0);
                    for (size_t j = 0; j < p; j++) {
                        lua_pushnumber(L, b[j] == 0 ? 0 : b[j]);
                        lua_rawseti(L, -2, (lua_Integer)j + 1);
                    }
                    if (q > 1)
                        lua_rawseti(L, -2, (lua_Integer)k + 1);
                    continue;
                }
                size_t nz = 0;
                for (size_t j = 0; j < p; j++)
                    nz += b[j] != 0;
                if (fi == 1)
                    lua_pushnumber(L, path->intercepts[a * q + k]);
                else if (fi == 2)
                    lua_pushinteger(L, (lua_Integer)in->n_iter);
                else if (fi == 3)
                    lua_pushnumber(L, in->gap);
                else
                    lua_pushinteger(L, (lua_Integer)nz);
                if (q > 1)
                    lua_rawseti(L, -2, (lua_Integer)k + 1);
            }
            lua_rawseti(L, -2, (lua_Integer)a + 1);
        }
        lua_setfield(L, -2, fields[fi]);
    }
    push_names(L, X.names, p);
    lua_setfield(L, -2, "names");
    push_names(L, Y.names, q);
    lua_setfield(L, -2, "outputs");
    return 1;
}

/* ---- validation ------------------------------------------------------------------------ */

/* The scorings of option `scoring` at opts (a name or a list; default def)
 * into a userdata pushed; *ns their count. */
static rg_scoring *scorings_from(lua_State *L, int opts, const char *def, const char *who,
                                 size_t *ns)
{
    int t = lua_type(L, opts) == LUA_TTABLE ? lua_getfield(L, opts, "scoring") : LUA_TNIL;
    size_t m = t == LUA_TTABLE ? lua_rawlen(L, -1) : 1;
    if (m == 0)
        luaL_error(L, "%s: scoring is an empty list", who);
    rg_scoring *s = lua_newuserdatauv(L, m * sizeof *s, 0);
    for (size_t i = 0; i < m; i++) {
        const char *name = def;
        if (t == LUA_TTABLE) {
            lua_rawgeti(L, -2, (lua_Integer)i + 1);
            name = lua_tostring(L, -1);
            lua_pop(L, 1);
        } else if (t != LUA_TNIL) {
            name = lua_tostring(L, -2);
        }
        if (!name || metric_scoring(name, &s[i]) != 0)
            luaL_error(L, "%s: scoring must be neg_mse, r2, auc or rmse_std_ratio (or a list "
                          "of them)", who);
    }
    *ns = m;
    return s;
}

/* The threshold for auc scoring: given, or 0.5 when every Y value is 0 or 1. */
static double auc_threshold(lua_State *L, int opts, const mat *Y, const rg_scoring *s,
                            size_t ns, const char *who)
{
    double t = luav_opt_number(L, opts, "threshold", NAN, who);
    int auc = 0;
    for (size_t i = 0; i < ns; i++)
        auc |= s[i] == RG_SCORE_AUC;
    if (!auc || !isnan(t))
        return t;
    for (size_t i = 0; i < Y->n * Y->k; i++)
        if (Y->data[i] != 0 && Y->data[i] != 1)
            luaL_error(L, "%s: auc scoring of continuous Y needs a threshold (Y > threshold "
                          "is the positive class)", who);
    return 0.5;
}

/* The model options at opts.opts. */
static rg_model_spec spec_of_opts(lua_State *L, int opts, rg_model_kind kind, const char *who)
{
    if (lua_type(L, opts) != LUA_TTABLE)
        return spec_from(L, 0 /* none */, kind, who);
    lua_getfield(L, opts, "opts");
    rg_model_spec s = spec_from(L, -1, kind, who);
    lua_pop(L, 1);
    return s;
}

/* A note saying how the pipeline was validated, for the report. */
static void validation_note(lua_State *L, const char *who, const rg_model_spec *s, size_t k,
                            const char *scheme)
{
    static const char *const names[] = {"standard", "minmax", "maxabs"};
    if (s->scale_x < 0 && s->scale_y < 0)
        return;
    luav_notef(L, "%s: %s scaling of %s fitted on the training rows of each of %d %s only and "
                  "applied to the held-out rows",
               who, names[s->scale_x >= 0 ? s->scale_x : s->scale_y],
               s->scale_x >= 0 && s->scale_y >= 0 ? "X and Y" : s->scale_x >= 0 ? "X" : "Y",
               (int)k, scheme);
}

static void raise_eval(lua_State *L, const rg_eval_error *e, rg_model_kind kind,
                       const char *who)
{
    if (e->code < 0)
        luaL_error(L, "%s: out of memory", who);
    if (e->fold >= 0)
        luaL_error(L, "%s: the fit on the training rows of fold %d failed: %s", who,
                   (int)e->fold + 1, fit_error(e->code, kind));
    luaL_error(L, "%s: the fit on the training rows failed: %s", who, fit_error(e->code, kind));
}

/* rg.model.cv_predict(kind, X, Y [, {folds = 5, shuffle = true, seed,
 * stratify, opts}]) -> out-of-fold predictions (array, or frame) */
static int l_cv_predict(lua_State *L)
{
    lua_settop(L, 4); /* absent options are nil, not what we push */
    static const char *const known[] = {"folds", "opts", "seed", "shuffle", "stratify", NULL};
    const char *who = "rg.model.cv_predict";
    rg_model_kind kind = check_kind(L, 1, who);
    luav_check_options(L, 4, who, known);
    rg_model_spec s = spec_of_opts(L, 4, kind, who);
    mat X, Y;
    get_mat(L, 2, who, "X", 0, NULL, &X);
    get_mat(L, 3, who, "Y", 1, "y", &Y);
    same_rows(L, &X, &Y, who);
    size_t k;
    uint64_t seed;
    size_t *fold = folds_from(L, 4, X.n, who, &k, NULL, &seed);
    double *pred = lua_newuserdatauv(L, (X.n * Y.k > 0 ? X.n * Y.k : 1) * sizeof *pred, 0);
    rg_eval_error err = {0, -1, -1};
    if (validate_cv_predict(&s, X.data, X.n, X.k, Y.data, Y.k, fold, k, host_threads(L), pred,
                            &err) != 0)
        raise_eval(L, &err, kind, who);
    validation_note(L, who, &s, k, "folds");
    char **yn = lua_newuserdatauv(L, Y.k * sizeof *yn, 0);
    for (size_t j = 0; j < Y.k; j++)
        yn[j] = (char *)Y.names[j];
    push_predictions(L, pred, X.n, Y.k, yn, X.frame);
    return 1;
}

/* rg.model.cv_score(kind, X, Y [, {folds = 5, shuffle, seed, stratify,
 * scoring = "r2", threshold, opts}]) -> {scoring, scores (per fold, averaged
 * over outputs), mean, sd, outputs = {names}, output_mean = {per output}} */
static int l_cv_score(lua_State *L)
{
    lua_settop(L, 4); /* absent options are nil, not what we push */
    static const char *const known[] = {"folds",    "opts",      "scoring", "seed",
                                        "shuffle",  "stratify",  "threshold", NULL};
    const char *who = "rg.model.cv_score";
    rg_model_kind kind = check_kind(L, 1, who);
    luav_check_options(L, 4, who, known);
    rg_model_spec s = spec_of_opts(L, 4, kind, who);
    mat X, Y;
    get_mat(L, 2, who, "X", 0, NULL, &X);
    get_mat(L, 3, who, "Y", 1, "y", &Y);
    same_rows(L, &X, &Y, who);
    size_t ns;
    rg_scoring *sc = scorings_from(L, 4, "r2", who, &ns);
    if (ns != 1)
        return luaL_error(L, "%s: one scoring at a time", who);
    double thr = auc_threshold(L, 4, &Y, sc, ns, who);
    size_t k;
    uint64_t seed;
    size_t *fold = folds_from(L, 4, X.n, who, &k, NULL, &seed);
    rg_eval e = {&s, NULL, NULL, 0, 0, fold, k, sc, 1, thr};
    size_t q = Y.k;
    double *scores = lua_newuserdatauv(L, q * sizeof *scores, 0);
    double *fs = lua_newuserdatauv(L, k * q * sizeof *fs, 0);
    rg_eval_error err = {0, -1, -1};
    if (validate_score(&e, X.data, X.n, X.k, Y.data, q, host_threads(L), scores, fs, &err) != 0)
        raise_eval(L, &err, kind, who);
    validation_note(L, who, &s, k, "folds");
    double *per_fold = lua_newuserdatauv(L, k * sizeof *per_fold, 0); /* below the result */
    lua_createtable(L, 0, 6);
    luav_set_string(L, "scoring", metric_scoring_name(sc[0]));
    double mean = 0, ss = 0;
    for (size_t f = 0; f < k; f++) {
        double v = 0;
        for (size_t j = 0; j < q; j++)
            v += fs[f * q + j];
        per_fold[f] = v / (double)q;
        mean += per_fold[f];
    }
    mean /= (double)k;
    for (size_t f = 0; f < k; f++)
        ss += (per_fold[f] - mean) * (per_fold[f] - mean);
    if (isnan(mean))
        luav_notef(L, "%s: %s is undefined on some folds (a test fold with one class for auc, "
                      "or one row for r2): the mean is NaN", who, metric_scoring_name(sc[0]));
    luav_set_numbers(L, "scores", per_fold, k);
    luav_set_number(L, "mean", mean);
    luav_set_number(L, "sd", sqrt(ss / (double)k));
    luav_set_integer(L, "folds", k);
    luav_set_numbers(L, "output_mean", scores, q);
    push_names(L, Y.names, q);
    lua_setfield(L, -2, "outputs");
    return 1;
}

static void grid_box_free(void *p)
{
    if (p)
        validate_grid_free(p);
    free(p);
}

/* rg.model.grid_search(kind, X, Y, {grid = {option = {values}...}, folds = 5,
 * shuffle, seed, stratify, scoring = "neg_mse", threshold, opts}) ->
 * {best = {options}, best_score, best_index, scoring, results = rows
 * {options..., mean, sd, rank, split1..k}, model = refitted on all rows} */
static int l_grid_search(lua_State *L)
{
    lua_settop(L, 4); /* absent options are nil, not what we push */
    static const char *const known[] = {"folds",   "grid",     "opts",      "scoring", "seed",
                                        "shuffle", "stratify", "threshold", NULL};
    const char *who = "rg.model.grid_search";
    rg_model_kind kind = check_kind(L, 1, who);
    luaL_checktype(L, 4, LUA_TTABLE);
    luav_check_options(L, 4, who, known);
    rg_model_spec base = spec_of_opts(L, 4, kind, who);
    mat X, Y;
    get_mat(L, 2, who, "X", 0, NULL, &X);
    get_mat(L, 3, who, "Y", 1, "y", &Y);
    same_rows(L, &X, &Y, who);
    size_t ns;
    rg_scoring *sc = scorings_from(L, 4, "neg_mse", who, &ns);
    if (ns != 1)
        return luaL_error(L, "%s: one scoring at a time", who);
    double thr = auc_threshold(L, 4, &Y, sc, ns, who);
    /* the grid: option names sorted, the last varying fastest (ParameterGrid) */
    if (lua_getfield(L, 4, "grid") != LUA_TTABLE)
        return luaL_error(L, "%s: grid must be a table of option = {values}", who);
    int grid = lua_gettop(L);
    luav_sorted_keys(L, grid);
    int keys = lua_gettop(L);
    size_t nk = lua_rawlen(L, keys), m = 1;
    if (nk == 0)
        return luaL_error(L, "%s: grid is empty", who);
    for (size_t i = 1; i <= nk; i++) {
        lua_rawgeti(L, keys, (lua_Integer)i);
        const char *name = lua_tostring(L, -1);
        if (!name || lua_type(L, -1) != LUA_TSTRING)
            return luaL_error(L, "%s: grid keys must be option names", who);
        if (!model_has_option(kind, name))
            return luaL_error(L, "%s: unknown option '%s' in grid for a %s model", who, name,
                              model_kind_name(kind));
        if (lua_getfield(L, grid, name) != LUA_TTABLE || lua_rawlen(L, -1) == 0)
            return luaL_error(L, "%s: grid.%s must be a non-empty list of values", who, name);
        size_t len = lua_rawlen(L, -1);
        if (m > 100000 / len)
            return luaL_error(L, "%s: the grid has more than 100000 candidates", who);
        m *= len;
        lua_pop(L, 2);
    }
    rg_model_spec *cands = lua_newuserdatauv(L, m * sizeof *cands, 0);
    for (size_t c = 0; c < m; c++) {
        cands[c] = base;
        size_t rest = c;
        for (size_t i = nk; i >= 1; i--) {
            lua_rawgeti(L, keys, (lua_Integer)i);
            const char *name = lua_tostring(L, -1);
            lua_getfield(L, grid, name);
            size_t len = lua_rawlen(L, -1);
            lua_rawgeti(L, -1, (lua_Integer)(rest % len) + 1);
            rest /= len;
            set_option(L, &cands[c], name, who);
            lua_pop(L, 3);
        }
    }
    size_t k;
    uint64_t seed;
    size_t *fold = folds_from(L, 4, X.n, who, &k, NULL, &seed);
    rg_eval e = {&base, NULL, NULL, 0, 0, fold, k, sc, 1, thr};
    void **box = box_new(L, grid_box_free); /* the results, while Lua copies them */
    rg_grid *gp = *box = calloc(1, sizeof *gp);
    if (!gp)
        return luaL_error(L, "%s: out of memory", who);
    rg_progress pg;
    progress_start(&pg, who, m * k, host_progress(L));
    rg_eval_error err = {0, -1, -1};
    int rc = validate_grid(cands, m, &e, X.data, X.n, X.k, Y.data, Y.k, host_threads(L), &pg, gp,
                           &err);
    progress_end(&pg);
    const rg_grid g = *gp;
    if (rc != 0) {
        if (rc < 0)
            return luaL_error(L, "%s: out of memory", who);
        return luaL_error(L, "%s: candidate %d, fold %d: %s", who, (int)err.candidate + 1,
                          (int)err.fold + 1, fit_error(err.code, kind));
    }
    /* g's buffers: copy into Lua right away, then free */
    lua_createtable(L, 0, 8);
    int res = lua_gettop(L);
    lua_createtable(L, (int)m, 0);
    for (size_t c = 0; c < m; c++) {
        push_spec(L, &cands[c]);
        /* keep only the grid's options in each row */
        lua_createtable(L, 0, (int)(nk + 4 + k));
        for (size_t i = 1; i <= nk; i++) {
            lua_rawgeti(L, keys, (lua_Integer)i);
            lua_pushvalue(L, -1);
            lua_gettable(L, -4);
            lua_rawset(L, -3);
        }
        lua_remove(L, -2);
        luav_set_number(L, "mean", g.mean[c]);
        luav_set_number(L, "sd", g.sd[c]);
        luav_set_integer(L, "rank", g.rank[c]);
        for (size_t f = 0; f < k; f++) {
            char key[32];
            snprintf(key, sizeof key, "split%zu", f + 1);
            luav_set_number(L, key, g.split_scores[c * k + f]);
        }
        lua_rawseti(L, -2, (lua_Integer)c + 1);
    }
    lua_setfield(L, res, "results");
    size_t best = g.best;
    double best_score = g.mean[best];
    lua_getfield(L, res, "results");
    lua_rawgeti(L, -1, (lua_Integer)best + 1);
    lua_createtable(L, 0, (int)nk); /* best: the grid's options of the best row */
    for (size_t i = 1; i <= nk; i++) {
        lua_rawgeti(L, keys, (lua_Integer)i);
        lua_pushvalue(L, -1);
        lua_gettable(L, -4);
        lua_rawset(L, -3);
    }
    lua_setfield(L, res, "best");
    lua_pop(L, 2);
    luav_set_number(L, "best_score", best_score);
    luav_set_integer(L, "best_index", best + 1);
    luav_set_string(L, "scoring", metric_scoring_name(sc[0]));
    luav_set_integer(L, "folds", k);
    luav_set_integer(L, "candidates", m);
    validation_note(L, who, &base, k, "folds");
    model_ud *u = push_model(L, &cands[best], &X, &Y, who);
    fit_notes(L, u, who);
    lua_setfield(L, res, "model");
    lua_settop(L, res);
    return 1;
}

/* rg.model.select(model [, X] [, {threshold, max_features}]) -> names, threshold:
 * the features SelectFromModel keeps (importance >= threshold; threshold
 * "mean", "median", "<factor>*mean|median", a number, or by default 1e-5 for
 * L1 models and "mean" otherwise) in the model's feature order */
static int l_select(lua_State *L)
{
    lua_settop(L, 3); /* absent options are nil, not what we push */
    static const char *const known[] = {"max_features", "threshold", NULL};
    const char *who = "rg.model.select";
    model_ud *u = check_model(L, 1);
    int opts = lua_type(L, 2) == LUA_TTABLE && !luaf_test(L, 2) ? 2 : 3;
    luav_check_options(L, opts, who, known);
    size_t p = u->m.p;
    rg_sel_ref ref = RG_SEL_DEFAULT;
    double value = 1;
    int t = lua_type(L, opts) == LUA_TTABLE ? lua_getfield(L, opts, "threshold") : LUA_TNIL;
    if (t == LUA_TNUMBER) {
        ref = RG_SEL_VALUE;
        value = lua_tonumber(L, -1);
    } else if (t == LUA_TSTRING) {
        const char *s = lua_tostring(L, -1);
        const char *star = strchr(s, '*');
        if (star) {
            char *end;
            value = strtod(s, &end);
            if (end != star || !(value > 0))
                return luaL_error(L, "%s: threshold '%s' is not FACTOR*mean or FACTOR*median",
                                  who, s);
            s = star + 1;
        }
        if (strcmp(s, "mean") == 0)
            ref = RG_SEL_MEAN;
        else if (strcmp(s, "median") == 0)
            ref = RG_SEL_MEDIAN;
        else
            return luaL_error(L, "%s: threshold must be a number, \"mean\", \"median\" or "
                                 "\"FACTOR*mean\", got '%s'", who, lua_tostring(L, -1));
    } else if (t != LUA_TNIL) {
        return luaL_error(L, "%s: threshold must be a number or a string", who);
    }
    double maxf = luav_opt_number(L, opts, "max_features", (double)p, who);
    if (!(maxf >= 0) || maxf != floor(maxf))
        return luaL_error(L, "%s: max_features must be a whole number >= 0", who);
    unsigned char *keep = lua_newuserdatauv(L, p ? p : 1, 0);
    double thr;
    if (model_select(&u->m, ref, value, maxf > (double)p ? p : (size_t)maxf, keep, &thr) != 0)
        return luaL_error(L, "%s: out of memory", who);
    lua_newtable(L);
    lua_Integer at = 0;
    for (size_t j = 0; j < p; j++)
        if (keep[j]) {
            lua_pushstring(L, u->xnames[j]);
            lua_rawseti(L, -2, ++at);
        }
    lua_pushnumber(L, thr);
    return 2;
}

/* ---- rg.metrics ------------------------------------------------------------------------ */

/* Two arrays of equal length without missing values. */
static size_t two_arrays(lua_State *L, const char *who, const char *a, const char *b,
                         const double **x, const double **y)
{
    size_t n, m;
    *x = luav_numbers(L, 1, who, a, &n);
    *y = luav_numbers(L, 2, who, b, &m);
    if (n != m)
        luaL_error(L, "%s: %s has %d values but %s %d", who, a, (int)n, b, (int)m);
    if (n == 0)
        luaL_error(L, "%s: no values", who);
    for (size_t i = 0; i < n; i++)
        if (isnan((*x)[i]) || isnan((*y)[i]))
            luaL_error(L, "%s: value %d is missing; score complete pairs", who, (int)i + 1);
    return n;
}

static int l_mse(lua_State *L)
{
    const double *y, *p;
    size_t n = two_arrays(L, "rg.metrics.mse", "y_obs", "y_pred", &y, &p);
    lua_pushnumber(L, metric_mse(y, p, n));
    return 1;
}

static int l_rmse(lua_State *L)
{
    const double *y, *p;
    size_t n = two_arrays(L, "rg.metrics.rmse", "y_obs", "y_pred", &y, &p);
    lua_pushnumber(L, sqrt(metric_mse(y, p, n)));
    return 1;
}

static int l_r2(lua_State *L)
{
    const double *y, *p;
    size_t n = two_arrays(L, "rg.metrics.r2", "y_obs", "y_pred", &y, &p);
    if (n < 2)
        return luaL_error(L, "rg.metrics.r2: needs at least 2 values");
    lua_pushnumber(L, metric_r2(y, p, n));
    return 1;
}

static int l_rmse_std_ratio(lua_State *L)
{
    const char *who = "rg.metrics.rmse_std_ratio";
    const double *y, *p;
    size_t n = two_arrays(L, who, "y_obs", "y_pred", &y, &p);
    double r = metric_rmse_std_ratio(y, p, n);
    if (isnan(r))
        luav_notef(L, "%s: the observed values are constant: no standard deviation, the ratio "
                      "is NaN", who);
    lua_pushnumber(L, r);
    return 1;
}

/* rg.metrics.auc(labels, scores): labels 0/1 or booleans */
static int l_auc(lua_State *L)
{
    const char *who = "rg.metrics.auc";
    luaL_checktype(L, 1, LUA_TTABLE);
    size_t n = lua_rawlen(L, 1), m;
    const double *s = luav_numbers(L, 2, who, "scores", &m);
    if (n != m)
        return luaL_error(L, "%s: labels has %d values but scores %d", who, (int)n, (int)m);
    unsigned char *pos = lua_newuserdatauv(L, n ? n : 1, 0);
    for (size_t i = 0; i < n; i++) {
        int t = lua_rawgeti(L, 1, (lua_Integer)i + 1);
        if (t == LUA_TBOOLEAN)
            pos[i] = (unsigned char)lua_toboolean(L, -1);
        else if (t == LUA_TNUMBER && (lua_tonumber(L, -1) == 0 || lua_tonumber(L, -1) == 1))
            pos[i] = lua_tonumber(L, -1) == 1;
        else
            return luaL_error(L, "%s: labels[%d] must be 0, 1 or a boolean", who, (int)i + 1);
        lua_pop(L, 1);
        if (isnan(s[i]))
            return luaL_error(L, "%s: scores[%d] is missing", who, (int)i + 1);
    }
    double auc;
    if (metric_auc(s, pos, n, &auc) != 0)
        return luaL_error(L, "%s: out of memory", who);
    if (isnan(auc))
        return luaL_error(L, "%s: the labels have one class only", who);
    lua_pushnumber(L, auc);
    return 1;
}

/* rg.metrics.auc_at_thresholds(y_obs, y_pred, thresholds [, {rule = ">"}]) ->
 * AUC per threshold of y_obs binarised (y_obs > t, or >= t) against the
 * continuous y_pred; NaN with a note where a class is empty */
static int l_auc_at(lua_State *L)
{
    lua_settop(L, 4); /* absent options are nil, not what we push */
    static const char *const known[] = {"rule", NULL};
    const char *who = "rg.metrics.auc_at_thresholds";
    const double *y, *p;
    size_t n = two_arrays(L, who, "y_obs", "y_pred", &y, &p), nt;
    const double *t = luav_numbers(L, 3, who, "thresholds", &nt);
    luav_check_options(L, 4, who, known);
    const char *rule = luav_opt_string(L, 4, "rule", ">", who);
    int ge = strcmp(rule, ">=") == 0;
    if (!ge && strcmp(rule, ">") != 0)
        return luaL_error(L, "%s: rule must be \">\" or \">=\"", who);
    unsigned char *pos = lua_newuserdatauv(L, n, 0);
    double *auc = lua_newuserdatauv(L, (nt ? nt : 1) * sizeof *auc, 0);
    size_t empty = 0;
    for (size_t k = 0; k < nt; k++) {
        if (isnan(t[k]))
            return luaL_error(L, "%s: thresholds[%d] is missing", who, (int)k + 1);
        for (size_t i = 0; i < n; i++)
            pos[i] = ge ? y[i] >= t[k] : y[i] > t[k];
        if (metric_auc(p, pos, n, &auc[k]) != 0)
            return luaL_error(L, "%s: out of memory", who);
        empty += isnan(auc[k]);
    }
    if (empty)
        luav_notef(L, "%s: at %d of %d thresholds every observed value falls on one side: "
                      "AUC is NaN there", who, (int)empty, (int)nt);
    lua_createtable(L, (int)nt, 0);
    for (size_t k = 0; k < nt; k++) {
        lua_pushnumber(L, auc[k]);
        lua_rawseti(L, -2, (lua_Integer)k + 1);
    }
    return 1;
}

/* ---- rg.perm.model -------------------------------------------------------------------- */

static void perm_box_free(void *p)
{
    if (p)
        validate_perm_free(p);
    free(p);
}

/* An index array option (1-based row numbers) into a userdata. */
static size_t *index_option(lua_State *L, int opts, const char *key, size_t n, const char *who,
                            size_t *m)
{
    lua_getfield(L, opts, key);
    if (lua_type(L, -1) != LUA_TTABLE)
        luaL_error(L, "%s: %s must be an array of row numbers", who, key);
    *m = lua_rawlen(L, -1);
    size_t *idx = lua_newuserdatauv(L, (*m ? *m : 1) * sizeof *idx, 0);
    for (size_t i = 0; i < *m; i++) {
        lua_rawgeti(L, -2, (lua_Integer)i + 1);
        lua_Integer r = lua_tointeger(L, -1);
        if (!lua_isinteger(L, -1) || r < 1 || (size_t)r > n)
            luaL_error(L, "%s: %s[%d] is not a row number from 1 to %d", who, key, (int)i + 1,
                       (int)n);
        idx[i] = (size_t)r - 1;
        lua_pop(L, 1);
    }
    lua_remove(L, -2);
    return idx;
}

/* rg.perm.model(kind, X, Y, {n = 1000, seed, scoring = "r2" | {...},
 * threshold, train + test | test = fraction | folds, shuffle, stratify,
 * opts}) -> {n, min_p, scoring, outputs, observed, p, exceed, n_valid,
 * mc_se (each [scoring][output]), rows} */
static int l_perm_model(lua_State *L)
{
    lua_settop(L, 4); /* absent options are nil, not what we push */
    static const char *const known[] = {"folds",    "n",         "opts",  "scoring",
                                        "seed",     "shuffle",   "stratify", "test",
                                        "threshold", "train",    NULL};
    const char *who = "rg.perm.model";
    rg_model_kind kind = check_kind(L, 1, who);
    luaL_checktype(L, 4, LUA_TTABLE);
    luav_check_options(L, 4, who, known);
    rg_model_spec s = spec_of_opts(L, 4, kind, who);
    double nperm = luav_opt_number(L, 4, "n", 1000, who);
    if (!(nperm >= 1 && nperm <= 1e7) || nperm != floor(nperm))
        return luaL_error(L, "%s: n must be a whole number of permutations from 1 to 1e7", who);
    mat X, Y;
    get_mat(L, 2, who, "X", 0, NULL, &X);
    get_mat(L, 3, who, "Y", 1, "y", &Y);
    same_rows(L, &X, &Y, who);
    size_t ns;
    rg_scoring *sc = scorings_from(L, 4, "r2", who, &ns);
    double thr = auc_threshold(L, 4, &Y, sc, ns, who);
    rg_eval e = {&s, NULL, NULL, 0, 0, NULL, 0, sc, ns, thr};
    uint64_t seed;
    rg_rng stream;
    opt_stream(L, 4, who, "perm.model", &stream, &seed);
    char scheme[96];
    lua_getfield(L, 4, "train");
    int has_train = !lua_isnil(L, -1);
    lua_pop(L, 1);
    lua_getfield(L, 4, "test");
    int test_type = lua_type(L, -1);
    lua_pop(L, 1);
    if (has_train || test_type == LUA_TTABLE) {
        if (!has_train || test_type != LUA_TTABLE)
            return luaL_error(L, "%s: give both train and test rows (or test = a fraction)",
                              who);
        e.train = index_option(L, 4, "train", X.n, who, &e.ntrain);
        e.test = index_option(L, 4, "test", X.n, who, &e.ntest);
        snprintf(scheme, sizeof scheme, "a split of %zu training and %zu test rows", e.ntrain,
                 e.ntest);
    } else if (test_type == LUA_TNUMBER) {
        double test = luav_opt_number(L, 4, "test", 0.2, who);
        if (!(test > 0 && test < 1))
            return luaL_error(L, "%s: test must be a fraction between 0 and 1", who);
        size_t nclass = 0, *strata = NULL;
        lua_getfield(L, 4, "stratify");
        if (!lua_isnil(L, -1))
            strata = strata_from(L, -1, X.n, who, &nclass);
        rg_rng split;
        rng_init(&split, seed, "perm.model.split");
        size_t *idx = lua_newuserdatauv(L, 2 * (X.n ? X.n : 1) * sizeof *idx, 0);
        int rc = validate_split(X.n, test, strata, nclass, &split, idx, &e.ntrain, idx + X.n,
                                &e.ntest);
        if (rc != 0)
            return luaL_error(L, rc < 0 ? "%s: out of memory"
                                        : "%s: the test fraction leaves one side empty", who);
        e.train = idx;
        e.test = idx + X.n;
        snprintf(scheme, sizeof scheme, "a split of %zu training and %zu test rows", e.ntrain,
                 e.ntest);
    } else {
        uint64_t fseed;
        e.fold_of = folds_from(L, 4, X.n, who, &e.k, &seed, &fseed);
        snprintf(scheme, sizeof scheme, "%zu-fold cross-validation", e.k);
    }
    rg_progress pg;
    progress_start(&pg, who, (size_t)nperm, host_progress(L));
    void **box = box_new(L, perm_box_free);
    rg_permtest *t = *box = calloc(1, sizeof *t);
    rg_eval_error err = {0, -1, -1};
    int rc = t ? validate_perm(&e, X.data, X.n, X.k, Y.data, Y.k, (size_t)nperm, &stream,
                               host_threads(L), &pg, t, &err)
               : -1;
    progress_end(&pg);
    if (rc != 0)
        raise_eval(L, &err, kind, who);
    size_t q = Y.k;
    size_t invalid = 0;
    for (size_t i = 0; i < ns * q; i++)
        invalid += t->nvalid[i] < (size_t)nperm;
    if (invalid)
        luav_notef(L, "%s: some permutations gave no score (a class missing from a test part, "
                      "or a fit the permuted labels made impossible); their p-values count "
                      "the permutations with a score", who);
    validation_note(L, who, &s, e.fold_of ? e.k : 1, e.fold_of ? "folds" : "training parts");
    lua_createtable(L, 0, 12);
    int res = lua_gettop(L);
    luav_set_integer(L, "n", (size_t)nperm);
    luav_set_number(L, "min_p", 1 / (1 + nperm));
    luav_set_integer(L, "seed", seed);
    luav_set_string(L, "scheme", scheme);
    lua_createtable(L, (int)ns, 0);
    for (size_t i = 0; i < ns; i++) {
        lua_pushstring(L, metric_scoring_name(sc[i]));
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, res, "scoring");
    push_names(L, Y.names, q);
    lua_setfield(L, res, "outputs");
    const char *fields[] = {"observed", "p", "exceed", "n_valid", "mc_se"};
    for (int fi = 0; fi < 5; fi++) {
        lua_createtable(L, 0, (int)ns);
        for (size_t i = 0; i < ns; i++) {
            lua_createtable(L, (int)q, 0);
            for (size_t j = 0; j < q; j++) {
                size_t at = i * q + j;
                double pv = t->p[at], nv = (double)t->nvalid[at];
                if (fi == 0)
                    lua_pushnumber(L, t->observed[at]);
                else if (fi == 1)
                    lua_pushnumber(L, pv);
                else if (fi == 2)
                    lua_pushinteger(L, (lua_Integer)t->exceed[at]);
                else if (fi == 3)
                    lua_pushinteger(L, (lua_Integer)t->nvalid[at]);
                else
                    lua_pushnumber(L, nv > 0 ? sqrt(pv * (1 - pv) / nv) : NAN);
                lua_rawseti(L, -2, (lua_Integer)j + 1);
            }
            lua_setfield(L, -2, metric_scoring_name(sc[i]));
        }
        lua_setfield(L, res, fields[fi]);
    }
    /* rows for show(): one per output and scoring */
    lua_createtable(L, (int)(ns * q), 0);
    for (size_t j = 0; j < q; j++)
        for (size_t i = 0; i < ns; i++) {
            size_t at = i * q + j;
            double pv = t->p[at], nv = (double)t->nvalid[at];
            lua_createtable(L, 0, 6);
            luav_set_string(L, "output", Y.names[j]);
            luav_set_string(L, "scoring", metric_scoring_name(sc[i]));
            luav_set_number(L, "observed", t->observed[at]);
            luav_set_number(L, "p", pv);
            luav_set_integer(L, "exceed", t->exceed[at]);
            luav_set_number(L, "mc_se", nv > 0 ? sqrt(pv * (1 - pv) / nv) : NAN);
            lua_rawseti(L, -2, (lua_Integer)(j * ns + i) + 1);
        }
    lua_setfield(L, res, "rows");
    return 1;
}

/* ---- registration ---------------------------------------------------------------------- */

static const luaL_Reg model_methods[] = {{"predict", m_predict},
                                         {"coef", m_coef},
                                         {"importance", m_importance},
                                         {"params", m_params},
                                         {NULL, NULL}};

static const luaL_Reg model_funcs[] = {{"fit", l_fit},
                                       {"path", l_path},
                                       {"cv_predict", l_cv_predict},
                                       {"cv_score", l_cv_score},
                                       {"grid_search", l_grid_search},
                                       {"select", l_select},
                                       {NULL, NULL}};

static const luaL_Reg metric_funcs[] = {{"mse", l_mse},
                                        {"rmse", l_rmse},
                                        {"r2", l_r2},
                                        {"rmse_std_ratio", l_rmse_std_ratio},
                                        {"auc", l_auc},
                                        {"auc_at_thresholds", l_auc_at},
                                        {NULL, NULL}};

int luaopen_rg_model(lua_State *L)
{
    luaL_newmetatable(L, MODEL_MT);
    lua_pushcfunction(L, model_gc);
    lua_setfield(L, -2, "__gc");
    lua_pushcfunction(L, m_tostring);
    lua_setfield(L, -2, "__tostring");
    luaL_newlib(L, model_methods);
    lua_setfield(L, -2, "__index");
    lua_pop(L, 1);
    lua_createtable(L, 0, 5);
    luaL_newlib(L, model_funcs);
    lua_setfield(L, -2, "model");
    luaL_newlib(L, metric_funcs);
    lua_setfield(L, -2, "metrics");
    lua_pushcfunction(L, l_split);
    lua_setfield(L, -2, "split");
    lua_pushcfunction(L, l_kfold);
    lua_setfield(L, -2, "kfold");
    lua_createtable(L, 0, 1);
    lua_pushcfunction(L, l_perm_model);
    lua_setfield(L, -2, "model");
    lua_setfield(L, -2, "perm");
    return 1;
}
