/* engine/lua_surv.c — survival analysis in Lua: rg.km, rg.logrank, rg.cox,
 * rg.cox_zph, and rg.dummies for categorical covariates. Arguments are
 * checked here; the numbers come from engine/stats/surv.c and cox.c. */
#include <lauxlib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"
#include "lua_bindings.h"
#include "stats/cox.h"
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

/* The curve read at the 'at' times: a table of columns. */
static void push_at(lua_State *L, const rg_km_row *rows, size_t n)
{
    static const char *const names[] = {"time",   "n_risk", "n_event", "n_censor",
                                        "surv",   "se",     "lower",   "upper"};
    lua_createtable(L, 0, 8);
    for (size_t f = 0; f < 8; f++) {
        lua_createtable(L, (int)n, 0);
        for (size_t r = 0; r < n; r++) {
            const rg_km_row *w = &rows[r];
            const double v[] = {w->time, w->n_risk,  w->n_event, w->n_censor,
                                w->surv, w->std_err, w->lower,   w->upper};
            lua_pushnumber(L, v[f]);
            lua_rawseti(L, -2, (lua_Integer)r + 1);
        }
        lua_setfield(L, -2, names[f]);
    }
    lua_setfield(L, -2, "at");
}

/* rg.km(time, status [, group] [, {conf_type = "log", conf_int = 0.95, at}]) ->
 * {groups, curves = {{group, time, n_risk, n_event, n_censor, surv, std_err,
 * se, lower, upper, n, events, median, median_lower, median_upper[, at]}, ...},
 * conf_type, conf_int}; `at`: the curve at those times (summary.survfit). */
static int l_km(lua_State *L)
{
    const char *who = "rg.km";
    int opts = 4;
    if (lua_type(L, 3) == LUA_TTABLE && lua_rawlen(L, 3) == 0 && lua_isnoneornil(L, 4)) {
        lua_pushnil(L); /* rg.km(time, status, {options}) */
        lua_insert(L, 3);
    }
    lua_settop(L, 4);
    static const char *const known[] = {"conf_type", "conf_int", "at", NULL};
    luav_check_options(L, opts, who, known);
    size_t nat = 0;
    const double *at = NULL;
    if (lua_type(L, opts) == LUA_TTABLE && lua_getfield(L, opts, "at") != LUA_TNIL) {
        at = luav_numbers(L, -1, who, "at", &nat);
        for (size_t r = 0; r < nat; r++)
            if (!isfinite(at[r]) || (r > 0 && !(at[r] > at[r - 1])))
                return luaL_error(L, "%s: at must be increasing finite times; at[%d] = %f", who,
                                  (int)r + 1, at[r]);
        lua_replace(L, -2); /* keep the numbers, drop the table */
    } else if (lua_type(L, opts) == LUA_TTABLE) {
        lua_pop(L, 1);
    }
    rg_km_row *rows = lua_newuserdatauv(L, (nat ? nat : 1) * sizeof *rows, 0);
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
        if (at) {
            km_at(c, at, nat, rows);
            push_at(L, rows, nat);
            size_t past = 0;
            for (size_t r = 0; r < nat; r++)
                past += rows[r].past_end;
            if (past) {
                lua_rawgeti(L, groups, (lua_Integer)grp + 1);
                luav_notef(L, "%s: group %s is followed up to %f only: no estimate at %d of the "
                              "'at' times (summary.survfit leaves them out)",
                           who, luav_push_text(L, -1), c->m ? c->time[c->m - 1] : 0.0, (int)past);
                lua_pop(L, 2);
            }
        }
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

/* ---- rg.cox and rg.cox_zph -------------------------------------------------------- */

/* The arguments of rg.cox and rg.cox_zph, checked and reduced to complete
 * cases (the arrays live in userdata on the Lua stack). */
typedef struct {
    size_t n, p;
    double *time, *X; /* X column-major, n x p */
    int *status;
    size_t *strata;   /* NULL without */
    const char **names;
    size_t n_in;      /* the subjects given; keep[r]: the input row of subject r */
    const size_t *keep;
    rg_cox_opts o;
} cox_args;

static void cox_read(lua_State *L, const char *who, cox_args *a)
{
    lua_settop(L, 4);
    static const char *const known[] = {"ties", "strata", "conf_int", "iter_max", "eps", NULL};
    luav_check_options(L, 4, who, known);
    a->o = cox_default_opts();
    const char *ties = luav_opt_string(L, 4, "ties", "efron", who);
    if (strcmp(ties, "efron") == 0)
        a->o.ties = RG_COX_EFRON;
    else if (strcmp(ties, "breslow") == 0)
        a->o.ties = RG_COX_BRESLOW;
    else
        luaL_error(L, "%s: ties must be \"efron\" or \"breslow\", got '%s'", who, ties);
    a->o.conf = luav_opt_number(L, 4, "conf_int", 0.95, who);
    if (!(a->o.conf > 0 && a->o.conf < 1))
        luaL_error(L, "%s: conf_int must be in (0, 1)", who);
    double im = luav_opt_number(L, 4, "iter_max", 20, who);
    if (!(im >= 0 && im <= 1000 && im == floor(im)))
        luaL_error(L, "%s: iter_max must be a whole number from 0 to 1000", who);
    a->o.iter_max = (int)im;
    a->o.eps = luav_opt_number(L, 4, "eps", 1e-9, who);
    if (!(a->o.eps > 0 && a->o.eps < 1))
        luaL_error(L, "%s: eps must be in (0, 1)", who);
    a->o.toler_inf = sqrt(a->o.eps);
    size_t n, ns, p;
    const double *time = luav_numbers(L, 1, who, "time", &n);
    const double *st = luav_numbers(L, 2, who, "status", &ns);
    if (ns != n)
        luaL_error(L, "%s: time and status differ in length (%d and %d)", who, (int)n, (int)ns);
    int one_two = check_surv(L, who, time, st, n);
    const char **names;
    const double **cols = luav_design_columns(L, 3, n, who, "X", "time", &names, &p);
    if (p == 0)
        luaL_error(L, "%s: X has no columns", who);
    size_t *sl = NULL;
    if (lua_type(L, 4) == LUA_TTABLE && lua_getfield(L, 4, "strata") != LUA_TNIL) {
        if (lua_type(L, -1) != LUA_TTABLE || lua_rawlen(L, -1) != n)
            luaL_error(L, "%s: strata must be a list of %d labels", who, (int)n);
        int sidx = lua_gettop(L);
        sl = lua_newuserdatauv(L, (n ? n : 1) * sizeof *sl, 0);
        levels_of(L, sidx, n, who, "strata", sl);
        lua_pop(L, 1); /* the labels; the indices stay */
    }
    /* complete cases */
    size_t m = 0;
    size_t *keep = lua_newuserdatauv(L, (n ? n : 1) * sizeof *keep, 0);
    for (size_t i = 0; i < n; i++) {
        int ok = !isnan(time[i]) && !isnan(st[i]) && (!sl || sl[i] != (size_t)-1);
        for (size_t j = 0; j < p && ok; j++)
            ok = !isnan(cols[j][i]);
        if (ok)
            keep[m++] = i;
    }
    if (m < n)
        luav_notef(L, "%s: %d of %d subjects left out for a missing time, status, covariate "
                      "or stratum (complete cases, as coxph)", who, (int)(n - m), (int)n);
    size_t mm = m ? m : 1;
    a->time = lua_newuserdatauv(L, mm * sizeof *a->time, 0);
    a->status = lua_newuserdatauv(L, mm * sizeof *a->status, 0);
    a->X = lua_newuserdatauv(L, mm * p * sizeof *a->X, 0);
    a->strata = sl ? lua_newuserdatauv(L, mm * sizeof *a->strata, 0) : NULL;
    for (size_t r = 0; r < m; r++) {
        size_t i = keep[r];
        a->time[r] = time[i];
        a->status[r] = one_two ? st[i] == 2 : st[i] == 1;
        if (sl)
            a->strata[r] = sl[i];
        for (size_t j = 0; j < p; j++)
            a->X[j * m + r] = cols[j][i];
    }
    a->n = m;
    a->p = p;
    a->names = names;
    a->n_in = n;
    a->keep = keep;
}

static void cox_box_free(void *p)
{
    if (p)
        cox_free(p);
    free(p);
}

/* Fit, or raise with the column's name. The fit is boxed on the stack. */
static rg_cox *cox_run(lua_State *L, const char *who, const cox_args *a)
{
    void **box = box_new(L, cox_box_free);
    rg_cox *f = *box = calloc(1, sizeof *f);
    if (!f)
        luaL_error(L, "%s: out of memory", who);
    /* the fit's working memory (a sorted copy of the data, the counts of the
     * concordance), held only while it runs */
    size_t work = (a->n * (a->p + 12) + 12 * a->p + 4 * a->p * a->p) * sizeof(double);
    host_charge(L, work);
    size_t bad = 0;
    int rc = cox_fit(a->time, a->status, a->X, a->n, a->p, a->strata, &a->o, f, &bad);
    host_release(L, work);
    switch (rc) {
    case 0:
        return f;
    case RG_COX_NO_EVENTS:
        luaL_error(L, "%s: no events among the %d subjects; a Cox model needs events", who,
                   (int)a->n);
        break;
    case RG_COX_CONSTANT:
        luaL_error(L, "%s: covariate '%s' has one value only (%f) over the %d subjects used",
                   who, a->names[bad], a->X[bad * a->n], (int)a->n);
        break;
    case RG_COX_SINGULAR:
        luaL_error(L, "%s: covariate '%s' is collinear with the covariates before it (the "
                      "information matrix is singular over the risk sets); leave it out",
                   who, a->names[bad]);
        break;
    default:
        luaL_error(L, "%s: out of memory", who);
    }
    return NULL;
}

static void push_test(lua_State *L, const char *k, double stat, double df, double p)
{
    lua_createtable(L, 0, 3);
    luav_set_number(L, "chisq", stat);
    luav_set_number(L, "df", df);
    luav_set_number(L, "p", p);
    lua_setfield(L, -2, k);
}

static void push_names(lua_State *L, const char *k, const char *const *names, size_t p)
{
    lua_createtable(L, (int)p, 0);
    for (size_t j = 0; j < p; j++) {
        lua_pushstring(L, names[j]);
        lua_rawseti(L, -2, (lua_Integer)j + 1);
    }
    lua_setfield(L, -2, k);
}

/* rg.cox(time, status, X [, {ties, strata, conf_int, iter_max, eps}]) ->
 * {names, coef, hr, se, z, p, lower, upper, var, lp, loglik, lr, wald, score,
 * concordance, concordance_se, n, nevent, iter, converged, ties, conf_int,
 * warnings} */
static int l_cox(lua_State *L)
{
    const char *who = "rg.cox";
    cox_args a;
    cox_read(L, who, &a);
    const rg_cox *f = cox_run(L, who, &a);
    size_t p = a.p;
    int res = lua_gettop(L) + 1;
    lua_createtable(L, 0, 24);
    push_names(L, "names", a.names, p);
    luav_set_numbers(L, "coef", f->coef, p);
    luav_set_numbers(L, "hr", f->hr, p);
    luav_set_numbers(L, "se", f->se, p);
    luav_set_numbers(L, "z", f->z, p);
    luav_set_numbers(L, "p", f->pval, p);
    luav_set_numbers(L, "lower", f->lower, p);
    luav_set_numbers(L, "upper", f->upper, p);
    lua_createtable(L, (int)p, 0);
    for (size_t j = 0; j < p; j++) {
        lua_createtable(L, (int)p, 0);
        for (size_t k = 0; k < p; k++) {
            lua_pushnumber(L, f->var[j * p + k]);
            lua_rawseti(L, -2, (lua_Integer)k + 1);
        }
        lua_rawseti(L, -2, (lua_Integer)j + 1);
    }
    lua_setfield(L, res, "var");
    lua_createtable(L, (int)a.n_in, 0); /* the linear predictor, NaN for those left out */
    for (size_t i = 0; i < a.n_in; i++) {
        lua_pushnumber(L, NAN);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    for (size_t r = 0; r < a.n; r++) {
        lua_pushnumber(L, f->lp[r]);
        lua_rawseti(L, -2, (lua_Integer)a.keep[r] + 1);
    }
    lua_setfield(L, res, "lp");
    const double ll[] = {f->loglik0, f->loglik};
    luav_set_numbers(L, "loglik", ll, 2);
    push_test(L, "lr", f->lr, (double)p, f->lr_p);
    push_test(L, "wald", f->wald, (double)p, f->wald_p);
    push_test(L, "score", f->score, (double)p, f->score_p);
    luav_set_number(L, "concordance", f->concordance);
    luav_set_number(L, "concordance_se", f->concordance_se);
    luav_set_integer(L, "n", f->n);
    luav_set_number(L, "nevent", f->nevent);
    luav_set_integer(L, "iter", (size_t)f->iter);
    lua_pushboolean(L, f->converged);
    lua_setfield(L, res, "converged");
    luav_set_string(L, "ties", a.o.ties == RG_COX_EFRON ? "efron" : "breslow");
    luav_set_number(L, "conf_int", a.o.conf);
    /* R's warnings, as notes in the report and in the result */
    lua_newtable(L);
    int warn = lua_gettop(L);
    lua_Integer nw = 0;
    if (a.o.iter_max > 1 && !f->converged) {
        lua_pushfstring(L, "%s: did not converge in %d iterations; the estimates are not "
                           "reliable (R: \"Ran out of iterations and did not converge\")",
                        who, a.o.iter_max);
        lua_rawseti(L, warn, ++nw);
        if (f->maybe_infinite) {
            lua_pushfstring(L, "%s: one or more coefficients may be infinite", who);
            lua_rawseti(L, warn, ++nw);
        }
    }
    for (size_t j = 0; j < p; j++)
        if (f->infinite[j]) {
            lua_pushfstring(L, "%s: the log-likelihood converged before the coefficient of '%s'"
                               " (%f); it may be infinite: the covariate separates the events "
                               "(monotone likelihood, as R warns)",
                            who, a.names[j], f->coef[j]);
            lua_rawseti(L, warn, ++nw);
        }
    for (lua_Integer w = 1; w <= nw; w++) {
        lua_rawgeti(L, warn, w);
        host_note(L, lua_tostring(L, -1));
        lua_pop(L, 1);
    }
    lua_setfield(L, res, "warnings");
    return 1;
}

static void zph_box_free(void *p)
{
    if (p)
        cox_zph_free(p);
    free(p);
}

/* rg.cox_zph(time, status, X [, options of rg.cox]) -> {names, chisq, df, p,
 * global = {chisq, df, p}, transform = "km", ties}: cox.zph(fit, "km",
 * terms = FALSE) of the same fit */
static int l_cox_zph(lua_State *L)
{
    const char *who = "rg.cox_zph";
    cox_args a;
    cox_read(L, who, &a);
    const rg_cox *f = cox_run(L, who, &a);
    void **box = box_new(L, zph_box_free);
    rg_cox_zph *z = *box = calloc(1, sizeof *z);
    if (!z || cox_zph(a.time, a.status, a.X, a.n, a.p, a.strata, f->coef, a.o.ties,
                      a.o.toler_chol, z) != 0)
        return luaL_error(L, "%s: out of memory", who);
    if (!f->converged)
        luav_notef(L, "%s: the Cox fit did not converge in %d iterations; the test is taken at "
                      "its last coefficients", who, a.o.iter_max);
    lua_createtable(L, 0, 7);
    push_names(L, "names", a.names, a.p);
    luav_set_numbers(L, "chisq", z->chisq, a.p);
    luav_set_numbers(L, "df", z->df, a.p);
    luav_set_numbers(L, "p", z->pval, a.p);
    push_test(L, "global", z->chisq[a.p], z->df[a.p], z->pval[a.p]);
    luav_set_string(L, "transform", "km");
    luav_set_string(L, "ties", a.o.ties == RG_COX_EFRON ? "efron" : "breslow");
    return 1;
}

/* ---- rg.dummies ------------------------------------------------------------------- */

/* A label as text for a column name: numbers as %.15g, strings as they are. */
static const char *label_text(lua_State *L, int idx, char *tmp, size_t len)
{
    if (lua_type(L, idx) == LUA_TNUMBER) {
        snprintf(tmp, len, "%.15g", lua_tonumber(L, idx));
        return tmp;
    }
    return lua_tostring(L, idx);
}

/* rg.dummies(values [, {levels = {...}, ref = level, prefix = ""}]) -> columns,
 * names, ref: R's treatment coding of a factor. One 0/1 column per level but the
 * reference, named prefix .. level, in level order; a missing value (NaN)
 * gives NaN in every column. Levels: as given, else the distinct values
 * sorted (numbers, then strings); ref: the first level unless given. */
static int l_dummies(lua_State *L)
{
    const char *who = "rg.dummies";
    lua_settop(L, 2);
    luaL_checktype(L, 1, LUA_TTABLE);
    static const char *const known[] = {"levels", "ref", "prefix", NULL};
    luav_check_options(L, 2, who, known);
    const char *prefix = luav_opt_string(L, 2, "prefix", "", who);
    size_t n = lua_rawlen(L, 1);
    size_t *lv = lua_newuserdatauv(L, (n ? n : 1) * sizeof *lv, 0);
    size_t k;
    int given = lua_type(L, 2) == LUA_TTABLE && lua_getfield(L, 2, "levels") != LUA_TNIL;
    if (given) { /* the order given; every value must be one of them */
        if (lua_type(L, -1) != LUA_TTABLE || lua_rawlen(L, -1) == 0)
            return luaL_error(L, "%s: levels must be a list of labels", who);
        int li = lua_gettop(L);
        k = lua_rawlen(L, li);
        lua_newtable(L); /* label -> level */
        for (size_t g = 0; g < k; g++) {
            int t = lua_rawgeti(L, li, (lua_Integer)g + 1);
            if (t != LUA_TNUMBER && t != LUA_TSTRING)
                return luaL_error(L, "%s: levels[%d] is %s; labels are numbers or strings", who,
                                  (int)g + 1, luaL_typename(L, -1));
            lua_pushvalue(L, -1);
            if (lua_rawget(L, li + 1) != LUA_TNIL)
                return luaL_error(L, "%s: levels[%d] repeats a level", who, (int)g + 1);
            lua_pop(L, 1);
            lua_pushinteger(L, (lua_Integer)g);
            lua_rawset(L, li + 1);
        }
        for (size_t i = 0; i < n; i++) {
            int t = lua_rawgeti(L, 1, (lua_Integer)i + 1);
            if (t == LUA_TNUMBER && isnan(lua_tonumber(L, -1))) {
                lv[i] = (size_t)-1;
            } else {
                lua_pushvalue(L, -1);
                if (lua_rawget(L, li + 1) != LUA_TNUMBER) {
                    char tmp[32];
                    return luaL_error(L, "%s: values[%d] = %s is not one of the levels", who,
                                      (int)i + 1,
                                      t == LUA_TNUMBER || t == LUA_TSTRING
                                          ? label_text(L, -2, tmp, sizeof tmp)
                                          : luaL_typename(L, -2));
                }
                lv[i] = (size_t)lua_tointeger(L, -1);
                lua_pop(L, 1);
            }
            lua_pop(L, 1);
        }
        lua_pop(L, 1); /* the map; the levels stay on top */
    } else {
        if (lua_type(L, 2) == LUA_TTABLE)
            lua_pop(L, 1);
        k = levels_of(L, 1, n, who, "values", lv);
    }
    int levels = lua_gettop(L);
    size_t ref = 0;
    if (lua_type(L, 2) == LUA_TTABLE && lua_getfield(L, 2, "ref") != LUA_TNIL) {
        int t = lua_type(L, -1);
        ref = k;
        for (size_t g = 0; g < k && ref == k; g++) {
            lua_rawgeti(L, levels, (lua_Integer)g + 1);
            if (lua_type(L, -1) == t && lua_rawequal(L, -1, -2))
                ref = g;
            lua_pop(L, 1);
        }
        if (ref == k) {
            char tmp[32];
            return luaL_error(L, "%s: ref %s is not one of the levels", who,
                              t == LUA_TNUMBER || t == LUA_TSTRING
                                  ? label_text(L, -1, tmp, sizeof tmp)
                                  : luaL_typename(L, -1));
        }
    }
    lua_settop(L, levels);
    if (k < 2)
        return luaL_error(L, "%s: the values need two levels or more, got %d", who, (int)k);
    lua_createtable(L, 0, (int)k); /* columns */
    lua_createtable(L, (int)k - 1, 0); /* names */
    int cols = levels + 1, names = levels + 2;
    lua_Integer nn = 0;
    for (size_t g = 0; g < k; g++) {
        if (g == ref)
            continue;
        char tmp[32];
        lua_rawgeti(L, levels, (lua_Integer)g + 1);
        lua_pushfstring(L, "%s%s", prefix, label_text(L, -1, tmp, sizeof tmp));
        lua_remove(L, -2);
        lua_pushvalue(L, -1);
        lua_rawseti(L, names, ++nn);
        lua_createtable(L, (int)n, 0);
        for (size_t i = 0; i < n; i++) {
            lua_pushnumber(L, lv[i] == (size_t)-1 ? NAN : (double)(lv[i] == g));
            lua_rawseti(L, -2, (lua_Integer)i + 1);
        }
        lua_rawset(L, cols);
    }
    lua_rawgeti(L, levels, (lua_Integer)ref + 1);
    return 3;
}

static const luaL_Reg surv_funcs[] = {{"km", l_km},           {"logrank", l_logrank},
                                      {"cox", l_cox},         {"cox_zph", l_cox_zph},
                                      {"dummies", l_dummies}, {NULL, NULL}};

int luaopen_rg_surv(lua_State *L)
{
    luaL_newlib(L, surv_funcs);
    return 1;
}
