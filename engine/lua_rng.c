/* engine/lua_rng.c — rg.rng and math.random: Lua's view of the deterministic
 * streams of rng.h. Functions of rg.rng draw from the running chunk's stream;
 * rg.rng.stream(name) makes an explicit named stream with the same methods. */
#include <lauxlib.h>
#include <stdint.h>

#include "host.h"
#include "lua_bindings.h"
#include "rng.h"

#define STREAM_MT "rg.Stream"

/* The stream of a method call (self at 1) or of the running chunk. Sets *a
 * to the index of the first real argument. */
static rg_rng *stream_of(lua_State *L, int *a)
{
    rg_rng *r = luaL_testudata(L, 1, STREAM_MT);
    *a = r ? 2 : 1;
    return r ? r : host_rng(L);
}

static lua_Integer checkcount(lua_State *L, int arg, const char *what)
{
    lua_Integer n = luaL_checkinteger(L, arg);
    if (n < 0 || n > ((lua_Integer)1 << 40))
        luaL_error(L, "%s: n must be a count (0 <= n), got %d", what, (int)n);
    return n;
}

/* uniform(n) -> n numbers in [0, 1) */
static int l_uniform(lua_State *L)
{
    int a;
    rg_rng *r = stream_of(L, &a);
    lua_Integer n = checkcount(L, a, "uniform");
    lua_createtable(L, (int)n, 0);
    for (lua_Integer i = 1; i <= n; i++) {
        lua_pushnumber(L, rng_uniform(r));
        lua_rawseti(L, -2, i);
    }
    return 1;
}

/* normal(n [, mean [, sd]]) */
static int l_normal(lua_State *L)
{
    int a;
    rg_rng *r = stream_of(L, &a);
    lua_Integer n = checkcount(L, a, "normal");
    double mean = luaL_optnumber(L, a + 1, 0), sd = luaL_optnumber(L, a + 2, 1);
    if (!(sd >= 0) || mean != mean)
        return luaL_error(L, "normal: sd must be >= 0 and mean a number");
    lua_createtable(L, (int)n, 0);
    for (lua_Integer i = 1; i <= n; i++) {
        lua_pushnumber(L, rng_normal(r, mean, sd));
        lua_rawseti(L, -2, i);
    }
    return 1;
}

/* permutation(n) -> 1..n in random order */
static int l_permutation(lua_State *L)
{
    int a;
    rg_rng *r = stream_of(L, &a);
    lua_Integer n = checkcount(L, a, "permutation");
    size_t *p = lua_newuserdatauv(L, (size_t)(n ? n : 1) * sizeof *p, 0);
    rng_permutation(r, p, (size_t)n);
    lua_createtable(L, (int)n, 0);
    for (lua_Integer i = 0; i < n; i++) {
        lua_pushinteger(L, (lua_Integer)p[i] + 1);
        lua_rawseti(L, -2, i + 1);
    }
    return 1;
}

/* sample(n, k) -> k distinct values of 1..n */
static int l_sample(lua_State *L)
{
    int a;
    rg_rng *r = stream_of(L, &a);
    lua_Integer n = checkcount(L, a, "sample");
    lua_Integer k = luaL_checkinteger(L, a + 1);
    if (k < 0 || k > n)
        return luaL_error(L, "sample: k must be in 0..n (n = %d), got %d", (int)n, (int)k);
    size_t *w = lua_newuserdatauv(L, (size_t)(n ? n : 1) * sizeof *w, 0);
    rng_sample(r, w, w, (size_t)n, (size_t)k);
    lua_createtable(L, (int)k, 0);
    for (lua_Integer i = 0; i < k; i++) {
        lua_pushinteger(L, (lua_Integer)w[i] + 1);
        lua_rawseti(L, -2, i + 1);
    }
    return 1;
}

/* random([m [, n]]) with Lua 5.4's math.random semantics */
static int random_impl(lua_State *L, rg_rng *r, int a)
{
    int nargs = lua_gettop(L) - a + 1;
    lua_Integer lo, hi;
    switch (nargs) {
    case 0:
        lua_pushnumber(L, rng_uniform(r));
        return 1;
    case 1:
        lo = 1;
        hi = luaL_checkinteger(L, a);
        if (hi == 0) { /* all bits, as Lua's math.random(0) */
            lua_pushinteger(L, (lua_Integer)rng_next(r));
            return 1;
        }
        break;
    case 2:
        lo = luaL_checkinteger(L, a);
        hi = luaL_checkinteger(L, a + 1);
        break;
    default:
        return luaL_error(L, "wrong number of arguments");
    }
    luaL_argcheck(L, lo <= hi, a + nargs - 1, "interval is empty");
    uint64_t span = (uint64_t)hi - (uint64_t)lo;
    uint64_t x = span == UINT64_MAX ? rng_next(r) : rng_below(r, span + 1);
    lua_pushinteger(L, (lua_Integer)((uint64_t)lo + x));
    return 1;
}

static int l_random(lua_State *L)
{
    int a;
    rg_rng *r = stream_of(L, &a);
    return random_impl(L, r, a);
}

static int l_math_random(lua_State *L) { return random_impl(L, host_rng(L), 1); }

/* math.randomseed(n): restart the running chunk's stream as (n, "math.randomseed") */
static int l_math_randomseed(lua_State *L)
{
    if (lua_isnoneornil(L, 1))
        return luaL_error(L, "math.randomseed needs a seed in a study (random "
                             "numbers are reproducible: each chunk has its own stream)");
    lua_Integer s = luaL_checkinteger(L, 1);
    rng_init(host_rng(L), (uint64_t)s, "math.randomseed");
    return 0;
}

/* rg.rng.stream(name [, seed]) */
static int l_stream(lua_State *L)
{
    const char *name = luaL_checkstring(L, 1);
    uint64_t seed = lua_isnoneornil(L, 2) ? host_seed(L)
                                          : (uint64_t)luaL_checkinteger(L, 2);
    rg_rng *r = lua_newuserdatauv(L, sizeof *r, 0);
    rng_init(r, seed, name);
    luaL_setmetatable(L, STREAM_MT);
    return 1;
}

static int stream_tostring(lua_State *L)
{
    luaL_checkudata(L, 1, STREAM_MT);
    lua_pushliteral(L, "rg.Stream");
    return 1;
}

static const luaL_Reg stream_methods[] = {
    {"uniform", l_uniform}, {"normal", l_normal}, {"permutation", l_permutation},
    {"sample", l_sample},   {"random", l_random}, {NULL, NULL}};

static const luaL_Reg rng_funcs[] = {
    {"uniform", l_uniform}, {"normal", l_normal}, {"permutation", l_permutation},
    {"sample", l_sample},   {"random", l_random}, {"stream", l_stream},
    {NULL, NULL}};

int luaopen_rg_rng(lua_State *L)
{
    luaL_newmetatable(L, STREAM_MT);
    luaL_newlib(L, stream_methods);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, stream_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pop(L, 1);

    lua_getglobal(L, "math");
    if (lua_istable(L, -1)) {
        lua_pushcfunction(L, l_math_random);
        lua_setfield(L, -2, "random");
        lua_pushcfunction(L, l_math_randomseed);
        lua_setfield(L, -2, "randomseed");
    }
    lua_pop(L, 1);
    luaL_newlib(L, rng_funcs);
    return 1;
}
