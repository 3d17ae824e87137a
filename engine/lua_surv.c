/* engine/lua_surv.c — survival analysis in Lua: rg.km and rg.logrank
 * (rg.cox to come). Arguments are checked here, numbers come from
 * engine/stats/surv.c. */
#include <lauxlib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"
#include "lua_bindings.h"
#include "stats/surv.h"

/* Sort keys of group labels: numbers ascending, then strings bytewise. */
static int label_less(lua_State *L, int a, int b)
{
    int ta = lua_type(L, a), tb = lua_type(L, b);
    if (ta != tb)
        return ta == LUA_TNUMBER;
    if (ta == LUA_TNUMBER)
        return lua_tonumber(L, a) < lua_tonumber(L, b);
    return strcmp(lua_tostring(L, a), lua_tostring(L, b)) < 0;
}

/* The labels of the array at idx (numbers or strings; NaN and nil-free) as
 * level indices into out[0..n) (SIZE_MAX for a NaN label). Pushes the sorted
 * array of distinct labels; returns their count. */
static size_t levels_of(lua_State *L, int idx, size_t n, const char *who, const char *what,
                        size_t *out)
{
    idx = lua_absindex(L, idx);
    lua_newtable(L); /* the labels as keys: a set, then label -> level */
    int set = lua_gettop(L);
    for (size_t i = 0; i < n; i++) {
        int t = lua_rawgeti(L, idx, (lua_Integer)i + 1);
        if (t != LUA_TNUMBER && t != LUA_TSTRING)
            luaL_error(L, "%s: %s[%d] is %s; labels are numbers or strings", who, what,
                       (int)i + 1, t == LUA_TNIL ? "nil" : luaL_typename(L, -1));
        if (t == LUA_TNUMBER && isnan(lua_tonumber(L, -1))) {
            lua_pop(L, 1);
            continue;
        }
        lua_pushboolean(L, 1);
        lua_rawset(L, set);
    }
    lua_newtable(L); /* the distinct labels, sorted by insertion */
    int lv = lua_gettop(L);
    size_t k = 0;
    lua_pushnil(L);
    while (lua_next(L, set)) {
        lua_pop(L, 1);
        size_t at = k++;
        while (at > 0) { /* insertion sort: label counts are small */
            lua_rawgeti(L, lv, (lua_Integer)at);
            int less = label_less(L, -2, -1);
            if (!less) {
                lua_pop(L, 1);
                break;
            }
            lua_rawseti(L, lv, (lua_Integer)at + 1);
            at--;
        }
        lua_pushvalue(L, -1);
        lua_rawseti(L, lv, (lua_Integer)at + 1);
    }
    for (size_t g = 0; g < k; g++) { /* set[label] = its level */
        lua_rawgeti(L, lv, (lua_Integer)g + 1);
        lua_pushinteger(L, (lua_Integer)g);
        lua_rawset(L, set);
    }
    for (size_t i = 0; i < n; i++) {
        lua_rawgeti(L, idx, (lua_Integer)i + 1);
        out[i] = lua_rawget(L, set) == LUA_TNUMBER ? (size_t)lua_tointeger(L, -1) : (size_t)-1;
        lua_pop(L, 1);
    }
    lua_remove(L, set);
    return k;
}

/* Check time and status[0..n): status 0/1, or 1/2 as R accepts (2 = event);
 * times >= 0. Returns 1 when status is coded 1/2. NaN is allowed (a missing
 * value, dropped by the caller). */
static int check_surv(lua_State *L, const char *who, const double *time, const double *st,
                      size_t n)
{
    int one_two = n > 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(st[i]) && st[i] != 1 && st[i] != 2)
            one_two = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isnan(st[i]) && st[i] != 0 && st[i] != 1 && !(one_two && st[i] == 2))
            luaL_error(L, "%s: status[%d] = %f; status is 1 (event) or 0 (censored), "
                          "or 2 and 1 as R also accepts", who, (int)i + 1, st[i]);
        if (time[i] < 0)
            luaL_error(L, "%s: time[%d] = %f is negative", who, (int)i + 1, time[i]);
    }
    return one_two;
}

static void km_box_free(void *p)
{
    if (p)
        km_free(p);
    free(p);
}

/* Push one curve as a Lua table. */
static void push_curve(lua_State *L, const rg_km *k)
{
    lua_createtable(L, 0, 16);
    luav_set_numbers(L, "time", k->time, k->m);
    luav_set_numbers(L, "n_risk", k->n_risk, k->m);
    luav_set_numbers(L, "n_event", k->n_event, k->m);
    luav_set_numbers(L, "n_censor", k->n_censor, k->m);
    luav_set_numbers(L, "surv", k->surv, k->m);
    luav_set_numbers(L, "std_err", k->std_err, k->m);
    lua_createtable(L, (int)k->m, 0); /* summary.survfit's std.err: S * se(log S) */
    for (size_t i = 0; i < k->m; i++) {
        double se = k->surv[i] == 0 ? NAN : k->surv[i] * k->std_err[i];
        lua_pushnumber(L, se);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, -2, "se");
    luav_set_numbers(L, "lower", k->lower, k->m);
    luav_set_numbers(L, "upper", k->upper, k->m);
    luav_set_number(L, "n", k->n);
    luav_set_number(L, "events", k->events);
    luav_set_number(L, "median", k->median);
    luav_set_number(L, "median_lower", k->median_lower);
    luav_set_number(L, "median_upper", k->median_upper);
}

/* rg.km(time, status [, group] [, {conf_type = "log", conf_int = 0.95}]) ->
 * {groups, curves = {{group, time, n_risk, n_event, n_censor, surv, std_err,
 * se, lower, upper, n, events, median, median_lower, median_upper}, ...},
 * conf_type, conf_int} */
static int l_km(lua_State *L)
{
    const char *who = "rg.km";
    int opts = 4;
    if (lua_type(L, 3) == LUA_TTABLE && lua_rawlen(L, 3) == 0 && lua_isnoneornil(L, 4)) {
        lua_pushnil(L); /* rg.km(time, status, {options}) */
        lua_insert(L, 3);
    }
    lua_settop(L, 4);
    static const char *const known[] = {"conf_type", "conf_int", NULL};
    luav_check_options(L, opts, who, known);
    const char *ctn = luav_opt_string(L, opts, "conf_type", "log", who);
    double conf = luav_opt_number(L, opts, "conf_int", 0.95, who);
    rg_km_conf ct;
    if (strcmp(ctn, "log") == 0)
        ct = RG_KM_LOG;
    else if (strcmp(ctn, "log-log") == 0)
        ct = RG_KM_LOGLOG;
    else if (strcmp(ctn, "plain") == 0)
        ct = RG_KM_PLAIN;
    else
        return luaL_error(L, "%s: conf_type must be \"log\", \"log-log\" or \"plain\", got '%s'",
                          who, ctn);
    if (!(conf > 0 && conf < 1))
        return luaL_error(L, "%s: conf_int must be in (0, 1)", who);
    size_t n, ns;
    const double *time = luav_numbers(L, 1, who, "time", &n);
    const double *st = luav_numbers(L, 2, who, "status", &ns);
    if (ns != n)
        return luaL_error(L, "%s: time and status differ in length (%d and %d)", who, (int)n,
                          (int)ns);
    int one_two = check_surv(L, who, time, st, n);
    int grouped = !lua_isnil(L, 3);
    size_t *g = lua_newuserdatauv(L, (n ? n : 1) * sizeof *g, 0);
    size_t k = 1;
    if (grouped) {
        luaL_checktype(L, 3, LUA_TTABLE);
        if (lua_rawlen(L, 3) != n)
            return luaL_error(L, "%s: time and group differ in length (%d and %d)", who,
                              (int)n, (int)lua_rawlen(L, 3));
        k = levels_of(L, 3, n, who, "group", g);
    } else {
        for (size_t i = 0; i < n; i++)
            g[i] = 0;
        lua_createtable(L, 1, 0);
        lua_pushliteral(L, "all");
        lua_rawseti(L, -2, 1);
    }
    int groups = lua_gettop(L);
    double *t2 = lua_newuserdatauv(L, (n ? n : 1) * sizeof *t2, 0);
    int *s2 = lua_newuserdatauv(L, (n ? n : 1) * sizeof *s2, 0);
    size_t dropped = 0;
    for (size_t i = 0; i < n; i++)
        dropped += isnan(time[i]) || isnan(st[i]) || g[i] == (size_t)-1;
    if (dropped)
        luav_notef(L, "%s: %d of %d subjects left out for a missing time, status or group",
                   who, (int)dropped, (int)n);
    int res = lua_gettop(L) + 1;
    lua_createtable(L, 0, 4);
    lua_pushvalue(L, groups);
    lua_setfield(L, res, "groups");
    luav_set_string(L, "conf_type", ctn);
    luav_set_number(L, "conf_int", conf);
    lua_createtable(L, (int)k, 0);
    for (size_t grp = 0; grp < k; grp++) {
        size_t m = 0;
        for (size_t i = 0; i < n; i++)
            if (g[i] == grp && !isnan(time[i]) && !isnan(st[i])) {
                t2[m] = time[i];
                s2[m] = one_two ? st[i] == 2 : st[i] == 1;
                m++;
            }
        void **box = box_new(L, km_box_free);
        rg_km *c = *box = calloc(1, sizeof *c);
        if (!c || km_fit(t2, s2, m, ct, conf, c) != 0)
            return luaL_error(L, "%s: out of memory", who);
        push_curve(L, c);
        lua_rawgeti(L, groups, (lua_Integer)grp + 1);
        lua_setfield(L, -2, "group");
        lua_rawseti(L, -3, (lua_Integer)grp + 1);
        lua_pop(L, 1); /* the box */
    }
    lua_setfield(L, res, "curves");
    return 1;
}

static void logrank_box_free(void *p)
{
    if (p)
        logrank_free(p);
    free(p);
}

/* rg.logrank(time, status, group [, {strata = {...}}]) -> {chisq, df, p,
 * groups, n, observed, expected, var} */
static int l_logrank(lua_State *L)
{
    const char *who = "rg.logrank";
    lua_settop(L, 4); /* the options stay at 4 whatever is pushed */
    size_t n, ns;
    const double *time = luav_numbers(L, 1, who, "time", &n);
    const double *st = luav_numbers(L, 2, who, "status", &ns);
    luaL_checktype(L, 3, LUA_TTABLE);
    if (ns != n || lua_rawlen(L, 3) != n)
        return luaL_error(L, "%s: time, status and group differ in length (%d, %d, %d)", who,
                          (int)n, (int)ns, (int)lua_rawlen(L, 3));
    static const char *const known[] = {"strata", NULL};
    luav_check_options(L, 4, who, known);
    int has_strata = lua_type(L, 4) == LUA_TTABLE && lua_getfield(L, 4, "strata") != LUA_TNIL;
    if (has_strata && (lua_type(L, -1) != LUA_TTABLE || lua_rawlen(L, -1) != n))
        return luaL_error(L, "%s: strata must be a list of %d labels", who, (int)n);
    int strata_idx = lua_gettop(L);
    int one_two = check_surv(L, who, time, st, n);
    size_t *g = lua_newuserdatauv(L, (n ? n : 1) * sizeof *g, 0);
    size_t *s = lua_newuserdatauv(L, (n ? n : 1) * sizeof *s, 0);
    size_t k = levels_of(L, 3, n, who, "group", g);
    int groups = lua_gettop(L);
    if (has_strata) {
        levels_of(L, strata_idx, n, who, "strata", s);
        lua_pop(L, 1);
    }
    /* complete cases */
    double *t2 = lua_newuserdatauv(L, (n ? n : 1) * sizeof *t2, 0);
    int *s2 = lua_newuserdatauv(L, (n ? n : 1) * sizeof *s2, 0);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (isnan(time[i]) || isnan(st[i]) || g[i] == (size_t)-1 ||
            (has_strata && s[i] == (size_t)-1))
            continue;
        t2[m] = time[i];
        s2[m] = one_two ? st[i] == 2 : st[i] == 1;
        g[m] = g[i];
        s[m] = s[i];
        m++;
    }
    if (m < n)
        luav_notef(L, "%s: %d of %d subjects left out for a missing time, status or group",
                   who, (int)(n - m), (int)n);
    if (k < 2)
        return luaL_error(L, "%s: the groups need two labels or more, got %d", who, (int)k);
    void **box = box_new(L, logrank_box_free);
    rg_logrank *r = *box = calloc(1, sizeof *r);
    if (!r || logrank(t2, s2, g, k, has_strata ? s : NULL, m, r) != 0)
        return luaL_error(L, "%s: out of memory", who);
    int res = lua_gettop(L) + 1;
    lua_createtable(L, 0, 9);
    luav_set_number(L, "chisq", r->chisq);
    luav_set_number(L, "df", r->df);
    luav_set_number(L, "p", r->p);
    lua_pushvalue(L, groups);
    lua_setfield(L, res, "groups");
    luav_set_numbers(L, "n", r->n, k);
    luav_set_numbers(L, "observed", r->observed, k);
    luav_set_numbers(L, "expected", r->expected, k);
    lua_createtable(L, (int)k, 0);
    for (size_t a = 0; a < k; a++) {
        lua_createtable(L, (int)k, 0);
        for (size_t b = 0; b < k; b++) {
            lua_pushnumber(L, r->var[a * k + b]);
            lua_rawseti(L, -2, (lua_Integer)b + 1);
        }
        lua_rawseti(L, -2, (lua_Integer)a + 1);
    }
    lua_setfield(L, res, "var");
    size_t empty = 0;
    for (size_t a = 0; a < k; a++)
        empty += !(r->expected[a] > 0);
    if (empty)
        luav_notef(L, "%s: %d group%s with no one at risk at any event time, left out of the "
                      "test (as survdiff)", who, (int)empty, empty > 1 ? "s" : "");
    return 1;
}

static const luaL_Reg surv_funcs[] = {{"km", l_km}, {"logrank", l_logrank}, {NULL, NULL}};

int luaopen_rg_surv(lua_State *L)
{
    luaL_newlib(L, surv_funcs);
    return 1;
}
