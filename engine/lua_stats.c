/* engine/lua_stats.c — the statistics of rg: rg.cor and rg.p_adjust (more
 * with the data layer). Arguments are checked here, the numbers come from
 * engine/stats/, and conditions a reader must know (too few pairs, a
 * constant variable) become notes in the report. */
#include <lauxlib.h>
#include <math.h>
#include <string.h>

#include "host.h"
#include "lua_bindings.h"
#include "stats/cor.h"
#include "stats/padjust.h"

/* The string option `key` of the options table at idx, or def. */
static const char *opt_string(lua_State *L, int idx, const char *key, const char *def,
                              const char *what)
{
    if (lua_isnoneornil(L, idx))
        return def;
    if (lua_type(L, idx) != LUA_TTABLE)
        luaL_error(L, "%s: options must be a table, got a %s", what, luaL_typename(L, idx));
    int t = lua_getfield(L, idx, key);
    const char *s = t == LUA_TNIL ? def : lua_tostring(L, -1);
    if (t != LUA_TNIL && t != LUA_TSTRING)
        luaL_error(L, "%s: option %s must be a string, got a %s", what, key,
                   luaL_typename(L, -1));
    lua_pop(L, 1); /* the string stays alive in the options table */
    return s;
}

/* Reject option names other than those listed. */
static void known_options(lua_State *L, int idx, const char *what, const char *const *known)
{
    if (lua_type(L, idx) != LUA_TTABLE)
        return;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        lua_pop(L, 1);
        int ok = 0;
        for (const char *const *k = known; *k && !ok; k++)
            ok = lua_type(L, -1) == LUA_TSTRING && strcmp(lua_tostring(L, -1), *k) == 0;
        if (!ok)
            luaL_error(L, "%s: unknown option '%s'", what, luav_push_text(L, -1));
    }
}

static void set_number(lua_State *L, const char *k, double v)
{
    lua_pushnumber(L, v);
    lua_setfield(L, -2, k);
}

/* rg.cor(x, y [, {method = "pearson" | "spearman"}]) -> {r, p, n, t, df, method[, S]} */
static int l_cor(lua_State *L)
{
    static const char *const known[] = {"method", NULL};
    known_options(L, 3, "rg.cor", known);
    const char *mname = opt_string(L, 3, "method", "pearson", "rg.cor");
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
        lua_pushfstring(L, "rg.cor: %d complete pairs (3 needed): r and p are NaN",
                        (int)r.n);
        host_note(L, lua_tostring(L, -1));
        lua_pop(L, 1);
    } else if (r.status == RG_COR_CONSTANT) {
        host_note(L, "rg.cor: a variable is constant (zero variance): r and p are NaN");
    } else if (r.status == RG_COR_UNDERFLOW) {
        host_note(L, "rg.cor: the covariance underflows double precision (values near "
                     "1e-300; rescale them): r and p are NaN");
    }
    lua_createtable(L, 0, 7);
    set_number(L, "r", r.r);
    set_number(L, "p", r.p);
    lua_pushinteger(L, (lua_Integer)r.n);
    lua_setfield(L, -2, "n");
    set_number(L, "t", r.t);
    set_number(L, "df", r.df);
    if (m == RG_COR_SPEARMAN)
        set_number(L, "S", r.S);
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

static const luaL_Reg stats_funcs[] = {
    {"cor", l_cor}, {"p_adjust", l_p_adjust}, {NULL, NULL}};

int luaopen_rg_stats(lua_State *L)
{
    luaL_newlib(L, stats_funcs);
    return 1;
}
