/* engine/lua_plot.c — the global `plot`: plot.km and plot.forest, and the
 * figure objects they return (metatable "rg.Figure"). The results of rg.km,
 * rg.logrank and rg.cox are checked here and handed to engine/plot.c as
 * plain arrays; a figure holds its SVG text, charged to --max-memory, and
 * renders itself in show() through __rg_html. */
#include <lauxlib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "host.h"
#include "lua_bindings.h"
#include "plot.h"
#include "svg.h"

#define FIGURE_MT "rg.Figure"
#define MIN_SIZE 150.0 /* pixels: less leaves no room for the axes */
#define MAX_SIZE 4000.0

/* ---- figures ------------------------------------------------------------- */

typedef struct {
    char *svg; /* owned; NULL until drawn and once collected */
    size_t len;
    const char *kind; /* "km", "forest" (static) */
    double width, height;
    size_t charged;
} figure;

static int fig_gc(lua_State *L)
{
    figure *f = luaL_checkudata(L, 1, FIGURE_MT);
    free(f->svg);
    f->svg = NULL;
    host_release(L, f->charged);
    f->charged = 0;
    return 0;
}

static const figure *check_figure(lua_State *L)
{
    const figure *f = luaL_checkudata(L, 1, FIGURE_MT);
    if (!f->svg)
        luaL_error(L, "figure: no SVG (the figure was not drawn)");
    return f;
}

/* fig:svg() -> the SVG document as text */
static int fig_svg(lua_State *L)
{
    const figure *f = check_figure(L);
    lua_pushlstring(L, f->svg, f->len);
    return 1;
}

/* show(fig): the SVG in a <figure>, as trusted HTML */
static int fig_html(lua_State *L)
{
    const figure *f = check_figure(L);
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    luaL_addstring(&b, "<figure class=\"rg-figure\">");
    luaL_addlstring(&b, f->svg, f->len);
    luaL_addstring(&b, "</figure>\n");
    luaL_pushresult(&b);
    return 1;
}

/* "figure (km, 640 x 420)" */
static int fig_tostring(lua_State *L)
{
    const figure *f = luaL_checkudata(L, 1, FIGURE_MT);
    rg_buf b = {0};
    buf_printf(&b, "figure (%s, ", f->kind);
    fmt_num(&b, f->width, RG_FMT_DIGITS_VALUE);
    buf_puts(&b, " x ");
    fmt_num(&b, f->height, RG_FMT_DIGITS_VALUE);
    buf_putc(&b, ')');
    char s[96];
    snprintf(s, sizeof s, "%s", b.failed || !b.data ? "figure" : b.data);
    buf_free(&b); /* freed before pushing, which can raise */
    lua_pushstring(L, s);
    return 1;
}

/* Push an empty figure of this kind; it owns nothing yet, so raising now
 * loses nothing. */
static figure *new_figure(lua_State *L, const char *kind)
{
    figure *f = lua_newuserdatauv(L, sizeof *f, 0);
    memset(f, 0, sizeof *f);
    f->kind = kind;
    luaL_setmetatable(L, FIGURE_MT);
    return f;
}

/* Give the drawn SVG in b (status: what plot_* returned) to the figure on
 * top of the stack, then charge it: the figure owns the text before
 * host_charge can raise. */
static void finish_figure(lua_State *L, figure *f, rg_buf *b, int status, double width,
                          double height, const char *who)
{
    if (status != 0) {
        buf_free(b);
        luaL_error(L, "%s: out of memory", who);
    }
    f->len = b->len;
    f->svg = buf_take(b);
    if (!f->svg)
        luaL_error(L, "%s: out of memory", who);
    f->width = width;
    f->height = height;
    f->charged = f->len + 1;
    host_charge(L, f->charged);
}

/* ---- arguments ----------------------------------------------------------- */

/* The one argument, a table of options, at index 1 (and nothing above it). */
static void check_args(lua_State *L, const char *who, const char *first,
                       const char *const *known)
{
    if (lua_type(L, 1) != LUA_TTABLE || lua_gettop(L) > 1)
        luaL_error(L, "%s: expects one table, as in %s{%s = ...}", who, who, first);
    luav_check_options(L, 1, who, known);
}

static double size_opt(lua_State *L, const char *key, double def, const char *who)
{
    double v = luav_opt_number(L, 1, key, def, who);
    if (!(v >= MIN_SIZE && v <= MAX_SIZE))
        luaL_error(L, "%s: %s must be from %d to %d (pixels), got %f", who, key,
                   (int)MIN_SIZE, (int)MAX_SIZE, v);
    return v;
}

/* The text of the value on top (a label: a string, or a number as Lua
 * writes it), left on top in its place. */
static const char *label_text(lua_State *L)
{
    luav_push_text(L, -1);
    lua_replace(L, -2);
    return lua_tostring(L, -1);
}

/* Field `key` of the table at idx as a C array of numbers, kept alive in
 * the table at anchor. NULL when the field is nil and not required. With
 * *m != SIZE_MAX the length must be *m (the length of `time`); else *m
 * receives it. */
static const double *curve_field(lua_State *L, int idx, int anchor, int g, const char *key,
                                 size_t *m, int required)
{
    if (lua_getfield(L, idx, key) == LUA_TNIL) {
        if (required)
            luaL_error(L, "plot.km: km.curves[%d].%s is missing", g, key);
        lua_pop(L, 1);
        return NULL;
    }
    char name[64];
    snprintf(name, sizeof name, "km.curves[%d].%s", g, key);
    size_t n;
    const double *v = luav_numbers(L, -1, "plot.km", name, &n);
    if (*m != (size_t)-1 && n != *m)
        luaL_error(L, "plot.km: km.curves[%d].time and %s differ in length (%d and %d)", g,
                   key, (int)*m, (int)n);
    *m = n;
    lua_rawseti(L, anchor, (lua_Integer)lua_rawlen(L, anchor) + 1); /* the numbers */
    lua_pop(L, 1);                                                  /* the field */
    return v;
}

/* Read curve g (1-based) from the table on top into c; strings and arrays
 * are anchored in the table at anchor. */
static void read_curve(lua_State *L, int anchor, int g, int marks, int band,
                       rg_plot_curve *c)
{
    int idx = lua_gettop(L);
    if (lua_type(L, idx) != LUA_TTABLE)
        luaL_error(L, "plot.km: km.curves[%d] is a %s, not a curve of rg.km", g,
                   luaL_typename(L, idx));
    size_t m = (size_t)-1;
    c->time = curve_field(L, idx, anchor, g, "time", &m, 1);
    c->m = m;
    c->surv = curve_field(L, idx, anchor, g, "surv", &m, 1);
    c->n_risk = curve_field(L, idx, anchor, g, "n_risk", &m, 1);
    c->n_censor = curve_field(L, idx, anchor, g, "n_censor", &m, marks);
    c->lower = curve_field(L, idx, anchor, g, "lower", &m, band);
    c->upper = curve_field(L, idx, anchor, g, "upper", &m, band);
    for (size_t i = 0; i < m; i++) {
        int k = (int)i + 1;
        if (!(isfinite(c->time[i]) && c->time[i] >= 0))
            luaL_error(L, "plot.km: km.curves[%d].time[%d] = %f is not a time >= 0", g, k,
                       c->time[i]);
        if (i > 0 && !(c->time[i] > c->time[i - 1]))
            luaL_error(L,
                       "plot.km: km.curves[%d].time must increase (time[%d] = %f after %f)",
                       g, k, c->time[i], c->time[i - 1]);
        if (!(c->surv[i] >= 0 && c->surv[i] <= 1))
            luaL_error(L, "plot.km: km.curves[%d].surv[%d] = %f is not a probability", g, k,
                       c->surv[i]);
        if (!(isfinite(c->n_risk[i]) && c->n_risk[i] >= 0))
            luaL_error(L, "plot.km: km.curves[%d].n_risk[%d] = %f is not a count", g, k,
                       c->n_risk[i]);
    }
    int t = lua_getfield(L, idx, "group");
    if (t == LUA_TSTRING || t == LUA_TNUMBER) {
        c->label = label_text(L);
    } else if (t == LUA_TNIL) {
        lua_pop(L, 1);
        lua_pushfstring(L, "%d", g);
        c->label = lua_tostring(L, -1);
    } else {
        luaL_error(L, "plot.km: km.curves[%d].group is a %s, not a label", g,
                   luaL_typename(L, -1));
    }
    lua_rawseti(L, anchor, (lua_Integer)lua_rawlen(L, anchor) + 1);
}

/* ---- data for every plot kind ------------------------------------------- */

/* Option `key` of the options (index 1) as numbers: a Lua array, or the
 * name of a numeric column of the frame given as `data`. The numbers stay
 * on the stack (a userdata). NULL when the option is nil and not required;
 * with *n != SIZE_MAX the length must be *n (the length of `len_key`), else
 * *n receives it. */
static const double *opt_vector(lua_State *L, const char *who, const char *key, size_t *n,
                                const char *len_key, int required)
{
    int t = lua_getfield(L, 1, key);
    if (t == LUA_TNIL) {
        lua_pop(L, 1);
        if (required)
            luaL_error(L, "%s: %s is missing", who, key);
        return NULL;
    }
    const double *v;
    size_t len;
    if (t == LUA_TSTRING) {
        const char *col = lua_tostring(L, -1);
        if (lua_getfield(L, 1, "data") == LUA_TNIL)
            luaL_error(L, "%s: %s = \"%s\" names a column, but there is no data frame "
                          "(data = ...)",
                       who, key, col);
        const rg_frame *fr = luaf_check(L, -1);
        const rg_col *c = frame_col(fr, col);
        if (!c)
            luaL_error(L, "%s: data has no column \"%s\" (%s)", who, col, key);
        if (!c->num)
            luaL_error(L, "%s: column \"%s\" of data holds text, not numbers (%s)", who,
                       col, key);
        len = fr->nrow;
        double *copy = lua_newuserdatauv(L, (len ? len : 1) * sizeof *copy, 0);
        if (len)
            memcpy(copy, c->num, len * sizeof *copy);
        lua_replace(L, -3); /* over the name; the frame goes */
        lua_pop(L, 1);
        v = copy;
    } else if (t == LUA_TTABLE) {
        v = luav_numbers(L, -1, who, key, &len);
        lua_remove(L, -2);
    } else {
        luaL_error(L, "%s: %s must be an array of numbers or a column name, not a %s", who,
                   key, luaL_typename(L, -1));
        return NULL;
    }
    if (*n != (size_t)-1 && len != *n)
        luaL_error(L, "%s: %s has %d values but %s has %d", who, key, (int)len, len_key,
                   (int)*n);
    *n = len;
    return v;
}

/* Option `key` as n labels: an array of strings or numbers (written as Lua
 * writes them), or the name of a column of `data` (text, or numbers). The
 * strings are anchored in a table left on the stack above the returned
 * array (a userdata of n pointers, also on the stack). NULL when nil and
 * not required. */
static const char **opt_labels(lua_State *L, const char *who, const char *key, size_t n,
                               const char *len_key, int required)
{
    int t = lua_getfield(L, 1, key);
    if (t == LUA_TNIL) {
        lua_pop(L, 1);
        if (required)
            luaL_error(L, "%s: %s is missing", who, key);
        return NULL;
    }
    if (t == LUA_TSTRING) { /* a column of data: its values as an array */
        const char *col = lua_tostring(L, -1);
        if (lua_getfield(L, 1, "data") == LUA_TNIL)
            luaL_error(L, "%s: %s = \"%s\" names a column, but there is no data frame "
                          "(data = ...)",
                       who, key, col);
        const rg_frame *fr = luaf_check(L, -1);
        const rg_col *c = frame_col(fr, col);
        if (!c)
            luaL_error(L, "%s: data has no column \"%s\" (%s)", who, col, key);
        lua_createtable(L, (int)fr->nrow, 0);
        for (size_t i = 0; i < fr->nrow; i++) {
            if (c->str)
                lua_pushstring(L, c->str[i] ? c->str[i] : "");
            else
                lua_pushnumber(L, c->num[i]);
            lua_rawseti(L, -2, (lua_Integer)i + 1);
        }
        lua_replace(L, -3); /* over the name */
        lua_pop(L, 1);      /* the frame */
    } else if (t != LUA_TTABLE) {
        luaL_error(L, "%s: %s must be an array of labels or a column name, not a %s", who, key,
                   luaL_typename(L, -1));
    }
    int arr = lua_gettop(L);
    size_t len = lua_rawlen(L, arr);
    if (len != n)
        luaL_error(L, "%s: %s has %d values but %s has %d", who, key, (int)len, len_key,
                   (int)n);
    const char **out = lua_newuserdatauv(L, (n ? n : 1) * sizeof *out, 0);
    lua_createtable(L, (int)n, 0); /* anchors the texts */
    for (size_t i = 0; i < n; i++) {
        int et = lua_rawgeti(L, arr, (lua_Integer)i + 1);
        if (et != LUA_TSTRING && et != LUA_TNUMBER)
            luaL_error(L, "%s: %s[%d] is a %s, not a label", who, key, (int)i + 1,
                       luaL_typename(L, -1));
        out[i] = label_text(L);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_remove(L, arr); /* the array; the pointers and their anchor stay */
    return out;
}

/* ---- plot.km ------------------------------------------------------------- */

/* plot.km{km =, logrank =, p =, title =, xlab =, ylab =, conf_band =,
 * risk_table =, censor_marks =, width =, height =, xmax =, breaks =} ->
 * figure */
static int l_km(lua_State *L)
{
    const char *who = "plot.km";
    static const char *const known[] = {
        "km",         "logrank",      "p",     "title",  "xlab", "ylab",   "conf_band",
        "risk_table", "censor_marks", "width", "height", "xmax", "breaks", NULL};
    check_args(L, who, "km", known);
    rg_plot_km o;
    memset(&o, 0, sizeof o);
    o.title = luav_opt_string(L, 1, "title", NULL, who);
    o.xlab = luav_opt_string(L, 1, "xlab", "Time", who);
    o.ylab = luav_opt_string(L, 1, "ylab", "Survival probability", who);
    o.conf_band = luav_opt_bool(L, 1, "conf_band", 0, who);
    o.risk_table = luav_opt_bool(L, 1, "risk_table", 1, who);
    o.censor_marks = luav_opt_bool(L, 1, "censor_marks", 1, who);
    o.width = size_opt(L, "width", 640, who);
    o.height = size_opt(L, "height", 420, who);
    int has_xmax = lua_getfield(L, 1, "xmax") != LUA_TNIL;
    lua_pop(L, 1);
    o.xmax = luav_opt_number(L, 1, "xmax", NAN, who); /* NaN: from the curves */
    if (has_xmax && !(isfinite(o.xmax) && o.xmax > 0))
        return luaL_error(L, "%s: xmax must be a time > 0, got %f", who, o.xmax);

    o.p = NAN;
    if (lua_getfield(L, 1, "logrank") != LUA_TNIL) {
        if (lua_type(L, -1) != LUA_TTABLE || lua_getfield(L, -1, "p") != LUA_TNUMBER)
            return luaL_error(
                L, "%s: logrank must be the result of rg.logrank (a table with p)", who);
        o.p = lua_tonumber(L, -1);
        o.p_label = "Log-rank";
        if (!isnan(o.p) && !(o.p >= 0 && o.p <= 1))
            return luaL_error(L, "%s: logrank.p = %f is not a probability", who, o.p);
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    int has_p = lua_getfield(L, 1, "p") != LUA_TNIL;
    lua_pop(L, 1);
    if (has_p) {
        o.p = luav_opt_number(L, 1, "p", NAN, who);
        if (!(o.p >= 0 && o.p <= 1))
            return luaL_error(L, "%s: p must be in [0, 1], got %f", who, o.p);
        o.p_label = NULL; /* the p-value of another test: no name */
    }

    if (lua_getfield(L, 1, "breaks") != LUA_TNIL) {
        o.breaks = luav_numbers(L, -1, who, "breaks", &o.nbreaks); /* stays on the stack */
        if (o.nbreaks == 0 || o.nbreaks > RG_SVG_MAX_TICKS)
            return luaL_error(L, "%s: breaks must hold 1 to %d times", who,
                              RG_SVG_MAX_TICKS);
        for (size_t i = 0; i < o.nbreaks; i++)
            if (!(isfinite(o.breaks[i]) && o.breaks[i] >= 0) ||
                (i > 0 && !(o.breaks[i] > o.breaks[i - 1])))
                return luaL_error(
                    L, "%s: breaks must be increasing times >= 0 (breaks[%d] = %f)", who,
                    (int)i + 1, o.breaks[i]);
    }

    if (lua_getfield(L, 1, "km") != LUA_TTABLE ||
        lua_getfield(L, -1, "curves") != LUA_TTABLE)
        return luaL_error(L, "%s: km must be the result of rg.km (a table with curves)",
                          who);
    int curves = lua_gettop(L);
    size_t n = lua_rawlen(L, curves);
    if (n == 0)
        return luaL_error(L, "%s: km.curves is empty", who);
    lua_newtable(L); /* anchors the arrays and labels the curves point into */
    int anchor = lua_gettop(L);
    rg_plot_curve *cv = lua_newuserdatauv(L, n * sizeof *cv, 0);
    memset(cv, 0, n * sizeof *cv);
    for (size_t g = 0; g < n; g++) {
        lua_rawgeti(L, curves, (lua_Integer)g + 1);
        read_curve(L, anchor, (int)g + 1, o.censor_marks, o.conf_band, &cv[g]);
        lua_pop(L, 1);
    }
    o.curves = cv;
    o.ncurves = n;

    figure *fig = new_figure(L, "km");
    rg_buf b = {0};
    double height = o.height;
    int st = plot_km(&b, &o, &height);
    finish_figure(L, fig, &b, st, o.width, height, who);
    return 1;
}

/* ---- plot.forest --------------------------------------------------------- */

/* cox.KEY as *n numbers (the length of cox.names); NULL when nil and not
 * required. The array stays on the stack. */
static const double *cox_field(lua_State *L, int cox, const char *key, size_t *n,
                               int required)
{
    if (lua_getfield(L, cox, key) == LUA_TNIL) {
        if (required)
            luaL_error(L,
                       "plot.forest: cox.%s is missing (cox must be the result of rg.cox)",
                       key);
        lua_pop(L, 1);
        return NULL;
    }
    char name[32];
    snprintf(name, sizeof name, "cox.%s", key);
    size_t len;
    const double *v = luav_numbers(L, -1, "plot.forest", name, &len);
    lua_remove(L, -2); /* the field; the numbers stay */
    if (len != *n)
        luaL_error(L, "plot.forest: cox.names and cox.%s differ in length (%d and %d)", key,
                   (int)*n, (int)len);
    return v;
}

/* plot.forest{cox =, title =, xlab =, width =, labels =} -> figure */
static int l_forest(lua_State *L)
{
    const char *who = "plot.forest";
    static const char *const known[] = {"cox", "title", "xlab", "width", "labels", NULL};
    check_args(L, who, "cox", known);
    rg_plot_forest o;
    memset(&o, 0, sizeof o);
    o.title = luav_opt_string(L, 1, "title", NULL, who);
    o.xlab = luav_opt_string(L, 1, "xlab", NULL, who);
    o.width = size_opt(L, "width", 640, who);

    if (lua_getfield(L, 1, "cox") != LUA_TTABLE ||
        lua_getfield(L, -1, "names") != LUA_TTABLE)
        return luaL_error(L,
                          "%s: cox must be the result of rg.cox (a table with names, hr, "
                          "lower and upper)",
                          who);
    int names = lua_gettop(L), cox = names - 1;
    size_t n = lua_rawlen(L, names);
    if (n == 0)
        return luaL_error(L, "%s: cox has no coefficients (cox.names is empty)", who);
    const double *hr = cox_field(L, cox, "hr", &n, 1);
    const double *lower = cox_field(L, cox, "lower", &n, 1);
    const double *upper = cox_field(L, cox, "upper", &n, 1);
    const double *p = cox_field(L, cox, "p", &n, 0);
    for (size_t i = 0; p && i < n; i++)
        if (!isnan(p[i]) && !(p[i] >= 0 && p[i] <= 1))
            return luaL_error(L, "%s: cox.p[%d] = %f is not a probability", who, (int)i + 1,
                              p[i]);
    int t = lua_getfield(L, cox, "conf_int");
    o.conf = t == LUA_TNUMBER ? lua_tonumber(L, -1) : 0.95;
    if (t != LUA_TNIL && !(t == LUA_TNUMBER && o.conf > 0 && o.conf < 1))
        return luaL_error(L, "%s: cox.conf_int must be a level in (0, 1)", who);
    lua_pop(L, 1);
    int labels = names;
    const char *lname = "cox.names";
    if (lua_getfield(L, 1, "labels") != LUA_TNIL) {
        if (lua_type(L, -1) != LUA_TTABLE || lua_rawlen(L, -1) != n)
            return luaL_error(L,
                              "%s: labels must be a list of strings, one per coefficient "
                              "(%d)",
                              who, (int)n);
        labels = lua_gettop(L);
        lname = "labels";
    }
    rg_plot_forest_row *rows = lua_newuserdatauv(L, n * sizeof *rows, 0);
    for (size_t i = 0; i < n; i++) {
        if (lua_rawgeti(L, labels, (lua_Integer)i + 1) != LUA_TSTRING)
            return luaL_error(L, "%s: %s[%d] is a %s, not a string", who, lname, (int)i + 1,
                              luaL_typename(L, -1));
        rows[i].label = lua_tostring(L, -1); /* anchored in the labels table */
        lua_pop(L, 1);
        rows[i].hr = hr[i];
        rows[i].lower = lower[i];
        rows[i].upper = upper[i];
        rows[i].p = p ? p[i] : NAN;
    }
    o.rows = rows;
    o.nrows = n;

    figure *fig = new_figure(L, "forest");
    rg_buf b = {0};
    double height = 0;
    int st = plot_forest(&b, &o, &height);
    finish_figure(L, fig, &b, st, o.width, height, who);
    return 1;
}

/* ---- plot.scatter -------------------------------------------------------- */

/* Options every panel figure takes: title, xlab, ylab, width, height. */
#define PANEL_OPTIONS "title", "xlab", "ylab", "width", "height", "data"

/* plot.scatter{x =, y =, data =, group =, labels =, label_top =, line =,
 * logx =, logy =, title =, xlab =, ylab =, width =, height =} -> figure */
static int l_scatter(lua_State *L)
{
    const char *who = "plot.scatter";
    static const char *const known[] = {PANEL_OPTIONS, "x",    "y",    "group", "labels",
                                        "label_top",   "line", "logx", "logy",  NULL};
    check_args(L, who, "x", known);
    rg_plot_scatter o;
    memset(&o, 0, sizeof o);
    o.title = luav_opt_string(L, 1, "title", NULL, who);
    o.width = size_opt(L, "width", 560, who);
    o.height = size_opt(L, "height", 420, who);
    o.logx = luav_opt_bool(L, 1, "logx", 0, who);
    o.logy = luav_opt_bool(L, 1, "logy", 0, who);
    const char *line = luav_opt_string(L, 1, "line", "none", who);
    if (strcmp(line, "ols") != 0 && strcmp(line, "none") != 0)
        return luaL_error(L, "%s: line must be \"ols\" or \"none\", got \"%s\"", who, line);
    o.ols = line[0] == 'o';
    if (o.ols && (o.logx || o.logy))
        return luaL_error(L, "%s: line = \"ols\" needs linear axes (logx and logy false)",
                          who);
    /* axis titles default to the column names */
    o.xlab = luav_opt_string(L, 1, "xlab", NULL, who);
    o.ylab = luav_opt_string(L, 1, "ylab", NULL, who);
    if (lua_getfield(L, 1, "x") == LUA_TSTRING && !o.xlab)
        o.xlab = lua_tostring(L, -1); /* anchored in the options */
    if (lua_getfield(L, 1, "y") == LUA_TSTRING && !o.ylab)
        o.ylab = lua_tostring(L, -1);
    lua_pop(L, 2);
    size_t n = (size_t)-1;
    o.x = opt_vector(L, who, "x", &n, NULL, 1);
    o.y = opt_vector(L, who, "y", &n, "x", 1);
    o.n = n;
    o.group = opt_labels(L, who, "group", n, "x", 0);
    o.labels = opt_labels(L, who, "labels", n, "x", 0);
    double top = luav_opt_number(L, 1, "label_top", o.labels ? 5 : 0, who);
    if (!(top >= 0 && top <= 1e6 && top == floor(top)))
        return luaL_error(L, "%s: label_top must be a count >= 0, got %f", who, top);
    o.nlabel = (size_t)top;
    if (o.nlabel && !o.labels)
        return luaL_error(L, "%s: label_top needs labels = {...}", who);

    figure *fig = new_figure(L, "scatter");
    rg_buf b = {0};
    int st = plot_scatter(&b, &o);
    finish_figure(L, fig, &b, st, o.width, o.height, who);
    return 1;
}

/* ---- plot.bar, plot.hist, plot.box (plot_dist.c) ------------------------- */

/* The column name given for option key (a string, anchored in the
 * options), else NULL: the default title of its axis. */
static const char *column_name(lua_State *L, const char *key)
{
    const char *s = lua_getfield(L, 1, key) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
    lua_pop(L, 1);
    return s;
}

/* A string option that must be one of the words of `one_of` (NULL-ended). */
static int word_opt(lua_State *L, const char *who, const char *key, const char *def,
                    const char *const *one_of, const char *expected)
{
    const char *s = luav_opt_string(L, 1, key, def, who);
    for (int i = 0; one_of[i]; i++)
        if (strcmp(s, one_of[i]) == 0)
            return i;
    return luaL_error(L, "%s: %s must be %s, got \"%s\"", who, key, expected, s);
}

/* plot.bar{labels =, values =, data =, horizontal =, ref =, sort =, err =,
 * group =, color_by_ref =, log =, title =, xlab =, ylab =, width =,
 * height =} -> figure */
static int l_bar(lua_State *L)
{
    const char *who = "plot.bar";
    static const char *const known[] = {PANEL_OPTIONS, "labels", "values", "horizontal",
                                        "ref",         "sort",   "err",    "group",
                                        "color_by_ref", "log",   NULL};
    static const char *const sorts[] = {"none", "asc", "desc", NULL};
    check_args(L, who, "values", known);
    rg_plot_bar o;
    memset(&o, 0, sizeof o);
    o.title = luav_opt_string(L, 1, "title", NULL, who);
    o.horizontal = luav_opt_bool(L, 1, "horizontal", 0, who);
    o.log = luav_opt_bool(L, 1, "log", 0, who);
    o.color_by_ref = luav_opt_bool(L, 1, "color_by_ref", 0, who);
    int sort = word_opt(L, who, "sort", "none", sorts, "\"none\", \"asc\" or \"desc\"");
    o.sort = sort == 1 ? 1 : sort == 2 ? -1 : 0;
    o.width = size_opt(L, "width", 640, who);
    int has_height = lua_getfield(L, 1, "height") != LUA_TNIL;
    lua_pop(L, 1);
    o.height = has_height || !o.horizontal ? size_opt(L, "height", 420, who) : 0;
    const char *cat = column_name(L, "labels"), *val = column_name(L, "values");
    o.xlab = luav_opt_string(L, 1, "xlab", o.horizontal ? val : cat, who);
    o.ylab = luav_opt_string(L, 1, "ylab", o.horizontal ? cat : val, who);
    size_t n = (size_t)-1;
    o.values = opt_vector(L, who, "values", &n, NULL, 1);
    o.n = n;
    o.labels = opt_labels(L, who, "labels", n, "values", 1);
    o.err = opt_vector(L, who, "err", &n, "values", 0);
    for (size_t i = 0; o.err && i < n; i++)
        if (o.err[i] < 0 || isinf(o.err[i]))
            return luaL_error(L, "%s: err[%d] = %f is not a half-width >= 0", who, (int)i + 1,
                              o.err[i]);
    o.group = opt_labels(L, who, "group", n, "values", 0);
    int t = lua_getfield(L, 1, "ref");
    if (t == LUA_TNUMBER) {
        double *r = lua_newuserdatauv(L, sizeof *r, 0); /* stays on the stack */
        *r = lua_tonumber(L, -2);
        o.ref = r;
        o.nref = 1;
    } else if (t == LUA_TTABLE) {
        o.ref = luav_numbers(L, -1, who, "ref", &o.nref);
    } else if (t != LUA_TNIL) {
        return luaL_error(L, "%s: ref must be a number or an array of numbers, not a %s",
                          who, luaL_typename(L, -1));
    }
    for (size_t i = 0; i < o.nref; i++) {
        if (!isfinite(o.ref[i]))
            return luaL_error(L, "%s: ref[%d] is not a finite number", who, (int)i + 1);
        if (o.log && !(o.ref[i] > 0))
            return luaL_error(L, "%s: ref[%d] = %f is not > 0 (log = true)", who, (int)i + 1,
                              o.ref[i]);
    }
    if (o.color_by_ref && o.nref == 0)
        return luaL_error(L, "%s: color_by_ref needs ref = a number", who);
    if (o.color_by_ref && o.group)
        return luaL_error(L, "%s: color_by_ref and group both colour the bars; give one", who);

    figure *fig = new_figure(L, "bar");
    rg_buf b = {0};
    double height = 0;
    int st = plot_bar(&b, &o, &height);
    finish_figure(L, fig, &b, st, o.width, height, who);
    return 1;
}

/* plot.hist{x =, data =, bins =, breaks =, group =, density =, title =,
 * xlab =, ylab =, width =, height =} -> figure */
static int l_hist(lua_State *L)
{
    const char *who = "plot.hist";
    static const char *const known[] = {PANEL_OPTIONS, "x", "bins", "breaks", "group",
                                        "density", NULL};
    check_args(L, who, "x", known);
    rg_plot_hist o;
    memset(&o, 0, sizeof o);
    o.title = luav_opt_string(L, 1, "title", NULL, who);
    o.density = luav_opt_bool(L, 1, "density", 0, who);
    o.xlab = luav_opt_string(L, 1, "xlab", column_name(L, "x"), who);
    o.ylab = luav_opt_string(L, 1, "ylab", o.density ? "Density" : "Count", who);
    o.width = size_opt(L, "width", 560, who);
    o.height = size_opt(L, "height", 420, who);
    int has_bins = lua_getfield(L, 1, "bins") != LUA_TNIL;
    lua_pop(L, 1);
    double bins = luav_opt_number(L, 1, "bins", 0, who); /* 0: Sturges */
    if (has_bins && !(bins >= 1 && bins <= 1000 && bins == floor(bins)))
        return luaL_error(L, "%s: bins must be a whole number from 1 to 1000, got %f", who,
                          bins);
    o.bins = (int)bins;
    size_t n = (size_t)-1;
    o.x = opt_vector(L, who, "x", &n, NULL, 1);
    o.n = n;
    o.group = opt_labels(L, who, "group", n, "x", 0);
    if (lua_getfield(L, 1, "breaks") != LUA_TNIL) {
        if (o.bins)
            return luaL_error(L, "%s: give bins or breaks, not both", who);
        o.breaks = luav_numbers(L, -1, who, "breaks", &o.nbreaks); /* stays on the stack */
        if (o.nbreaks < 2 || o.nbreaks > 10001)
            return luaL_error(L, "%s: breaks must hold 2 to 10001 edges, got %d", who,
                              (int)o.nbreaks);
        for (size_t i = 0; i < o.nbreaks; i++)
            if (!isfinite(o.breaks[i]) || (i > 0 && !(o.breaks[i] > o.breaks[i - 1])))
                return luaL_error(L, "%s: breaks must be increasing finite numbers "
                                     "(breaks[%d] = %f)",
                                  who, (int)i + 1, o.breaks[i]);
    }

    figure *fig = new_figure(L, "hist");
    rg_buf b = {0};
    int st = plot_hist(&b, &o);
    finish_figure(L, fig, &b, st, o.width, o.height, who);
    return 1;
}

/* plot.box{values =, group =, data =, test =, points =, horizontal =,
 * order =, title =, xlab =, ylab =, width =, height =} -> figure */
static int l_box(lua_State *L)
{
    const char *who = "plot.box";
    static const char *const known[] = {PANEL_OPTIONS, "values", "group",      "test",
                                        "points",      "order",  "horizontal", NULL};
    static const char *const tests[] = {"none", "mann_whitney", "t", "kruskal", NULL};
    check_args(L, who, "values", known);
    rg_plot_box o;
    memset(&o, 0, sizeof o);
    o.title = luav_opt_string(L, 1, "title", NULL, who);
    o.points = luav_opt_bool(L, 1, "points", 1, who);
    o.horizontal = luav_opt_bool(L, 1, "horizontal", 0, who);
    o.width = size_opt(L, "width", 560, who);
    o.height = size_opt(L, "height", 420, who);
    const char *cat = column_name(L, "group"), *val = column_name(L, "values");
    o.xlab = luav_opt_string(L, 1, "xlab", o.horizontal ? val : cat, who);
    o.ylab = luav_opt_string(L, 1, "ylab", o.horizontal ? cat : val, who);
    size_t n = (size_t)-1;
    o.values = opt_vector(L, who, "values", &n, NULL, 1);
    o.n = n;
    o.group = opt_labels(L, who, "group", n, "values", 0);
    /* the groups, counted in a set */
    lua_newtable(L);
    int set = lua_gettop(L);
    size_t k = o.group ? 0 : 1;
    for (size_t i = 0; o.group && i < n; i++) {
        if (lua_getfield(L, set, o.group[i]) == LUA_TNIL) {
            lua_pushboolean(L, 1);
            lua_setfield(L, set, o.group[i]);
            k++;
        }
        lua_pop(L, 1);
    }
    if (lua_getfield(L, 1, "order") != LUA_TNIL) {
        if (!o.group)
            return luaL_error(L, "%s: order needs group = ...", who);
        if (lua_type(L, -1) != LUA_TTABLE)
            return luaL_error(L, "%s: order must be an array of group labels, not a %s", who,
                              luaL_typename(L, -1));
        int arr = lua_gettop(L);
        size_t m = lua_rawlen(L, arr);
        const char **ord = lua_newuserdatauv(L, (m ? m : 1) * sizeof *ord, 0);
        lua_newtable(L); /* anchors the labels; seen ones */
        int seen = lua_gettop(L);
        for (size_t j = 0; j < m; j++) {
            int et = lua_rawgeti(L, arr, (lua_Integer)j + 1);
            if (et != LUA_TSTRING && et != LUA_TNUMBER)
                return luaL_error(L, "%s: order[%d] is a %s, not a group label", who,
                                  (int)j + 1, luaL_typename(L, -1));
            ord[j] = label_text(L);
            if (lua_getfield(L, set, ord[j]) == LUA_TNIL)
                return luaL_error(L, "%s: order[%d] = \"%s\" is not a group", who, (int)j + 1,
                                  ord[j]);
            if (lua_getfield(L, seen, ord[j]) != LUA_TNIL)
                return luaL_error(L, "%s: order[%d] = \"%s\" comes twice", who, (int)j + 1,
                                  ord[j]);
            lua_pop(L, 2);
            lua_pushvalue(L, -1);
            lua_setfield(L, seen, ord[j]);
            lua_rawseti(L, seen, (lua_Integer)j + 1); /* the label, anchored */
        }
        o.order = ord;
        o.norder = m;
    }
    static const rg_box_test kinds[] = {RG_BOX_NONE, RG_BOX_MANN_WHITNEY, RG_BOX_T,
                                        RG_BOX_KRUSKAL};
    int has_test = lua_getfield(L, 1, "test") != LUA_TNIL;
    lua_pop(L, 1);
    o.test = k == 2 ? RG_BOX_MANN_WHITNEY : k > 2 ? RG_BOX_KRUSKAL : RG_BOX_NONE;
    if (has_test) {
        o.test = kinds[word_opt(L, who, "test", "none", tests,
                                "\"mann_whitney\", \"t\", \"kruskal\" or \"none\"")];
        if ((o.test == RG_BOX_MANN_WHITNEY || o.test == RG_BOX_T) && k != 2)
            return luaL_error(L, "%s: test = \"%s\" compares two groups, got %d", who,
                              o.test == RG_BOX_T ? "t" : "mann_whitney", (int)k);
        if (o.test == RG_BOX_KRUSKAL && k < 2)
            return luaL_error(L, "%s: test = \"kruskal\" needs two groups or more, got %d",
                              who, (int)k);
    }

    figure *fig = new_figure(L, "box");
    rg_buf b = {0};
    int st = plot_box(&b, &o);
    finish_figure(L, fig, &b, st, o.width, o.height, who);
    return 1;
}

/* ---- opening ------------------------------------------------------------- */

static const luaL_Reg figure_methods[] = {{"svg", fig_svg}, {NULL, NULL}};

static const luaL_Reg figure_meta[] = {
    {"__gc", fig_gc}, {"__rg_html", fig_html}, {"__tostring", fig_tostring}, {NULL, NULL}};

static const luaL_Reg plot_funcs[] = {
    {"km", l_km}, {"forest", l_forest}, {"scatter", l_scatter},
    {"bar", l_bar}, {"hist", l_hist}, {"box", l_box}, /* plot_dist.c */
    {NULL, NULL}};

int luaopen_rg_plot(lua_State *L)
{
    luaL_newmetatable(L, FIGURE_MT); /* sets __name = "rg.Figure" */
    luaL_setfuncs(L, figure_meta, 0);
    luaL_newlib(L, figure_methods);
    lua_setfield(L, -2, "__index");
    lua_pop(L, 1);
    luaL_newlib(L, plot_funcs);
    return 1;
}
