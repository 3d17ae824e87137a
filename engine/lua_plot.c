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
#include "resources.h"
#include "svg.h"

#define FIGURE_MT "rg.Figure"
#define MIN_SIZE 150.0 /* pixels: less leaves no room for the axes */
#define MAX_SIZE 4000.0

/* ---- figures ------------------------------------------------------------- */

/* A figure's caption and alt text live in its user value, a table
 * {caption =, alt =}; the C struct holds the SVG. */
typedef struct {
    char *svg; /* owned; NULL until drawn and once collected */
    size_t len;
    const char *kind; /* "km", "forest", ... (static) */
    double width, height;
    size_t charged;
    int shown; /* show() placed it: the chunk does not place it again */
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

static figure *check_figure(lua_State *L)
{
    figure *f = luaL_checkudata(L, 1, FIGURE_MT);
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

/* fig:caption(text) and fig:alt(text) -> fig: set the caption (shown under
 * the figure, before the chunk's fig-cap) and the text screen readers say
 * (before the chunk's fig-alt). */
static int fig_set(lua_State *L, const char *key)
{
    check_figure(L);
    luaL_checkstring(L, 2);
    lua_settop(L, 2);
    lua_getiuservalue(L, 1, 1);
    lua_pushvalue(L, 2);
    lua_setfield(L, -2, key);
    lua_settop(L, 1);
    return 1;
}
static int fig_caption(lua_State *L) { return fig_set(L, "caption"); }
static int fig_alt(lua_State *L) { return fig_set(L, "alt"); }

/* The figure's own caption or alt text (pushed; nil when none). */
static const char *fig_text(lua_State *L, const char *key)
{
    lua_getiuservalue(L, 1, 1);
    lua_getfield(L, -1, key);
    lua_remove(L, -2);
    return lua_tostring(L, -1);
}

/* Append the SVG with its aria-label replaced by alt (when not NULL). */
static void svg_with_label(rg_buf *b, const figure *f, const char *alt)
{
    const char *end = memchr(f->svg, '>', f->len);
    const char *at = alt && end ? strstr(f->svg, " aria-label=\"") : NULL;
    if (!at || at > end) {
        buf_put(b, f->svg, f->len);
        return;
    }
    buf_put(b, f->svg, (size_t)(at - f->svg));
    buf_puts(b, " aria-label=\"");
    buf_puts_html(b, alt);
    buf_putc(b, '"');
    const char *q = strchr(at + 13, '"'); /* the end of the old value */
    q = q ? q + 1 : at;
    buf_put(b, q, f->len - (size_t)(q - f->svg));
}

static void free_buf_box(void *p)
{
    buf_free(p);
    free(p);
}

/* The figure as the report shows it: numbered, with its caption and a link
 * that downloads the SVG (with the figure styles inside it, so that it
 * reads the same outside the report). Pushes the HTML. */
static void push_figure_html(lua_State *L)
{
    figure *f = check_figure(L);
    const rg_chunk *c = host_chunk(L);
    const char *caption = fig_text(L, "caption");
    if (!caption && c)
        caption = c->opts.fig_cap;
    const char *alt = fig_text(L, "alt");
    if (!alt && c)
        alt = c->opts.fig_alt;
    const char *id;
    int number = host_number(L, 'f', &id);
    void **slot = box_new(L, free_buf_box); /* owns the HTML while Lua may raise */
    rg_buf *h = *slot = calloc(1, sizeof *h);
    if (!h)
        luaL_error(L, "out of memory");

    buf_printf(h, "<figure class=\"rg-figure\" id=\"%s\">\n", id);
    svg_with_label(h, f, alt);
    buf_printf(h, "<figcaption><span class=\"rg-num\">Figure %d.</span>", number);
    if (caption) {
        buf_putc(h, ' ');
        buf_puts_html(h, caption);
    }
    /* the download: the SVG with a <style> after its opening tag */
    const rg_resource *css = resource_find("templates/plot.css");
    const char *open_end = memchr(f->svg, '>', f->len);
    size_t head = open_end ? (size_t)(open_end - f->svg) + 1 : 0;
    rg_buf doc = {0};
    buf_put(&doc, f->svg, head);
    if (css) {
        buf_puts(&doc, "\n<style>\n");
        buf_put(&doc, (const char *)css->data, css->len);
        buf_puts(&doc, "</style>");
    }
    buf_put(&doc, f->svg + head, f->len - head);
    buf_printf(h, " <a class=\"rg-download\" download=\"%s.svg\" href=\"", id);
    buf_put_data_url(h, "image/svg+xml", doc.data ? doc.data : "", doc.len);
    buf_puts(h, "\">SVG</a></figcaption>\n</figure>\n");
    if (doc.failed)
        h->failed = 1;
    buf_free(&doc);
    if (h->failed)
        luaL_error(L, "out of memory");
    lua_pushlstring(L, h->data, h->len);
    f->shown = 1;
}

/* show(fig): the figure, as trusted HTML */
static int fig_html(lua_State *L)
{
    lua_settop(L, 1);
    push_figure_html(L);
    return 1;
}

/* The end of the chunk that drew it: the figure's HTML unless shown. */
static int fig_pending(lua_State *L)
{
    lua_settop(L, 1);
    const figure *f = luaL_checkudata(L, 1, FIGURE_MT);
    if (f->shown || !f->svg)
        return 0;
    push_figure_html(L);
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
    figure *f = lua_newuserdatauv(L, sizeof *f, 1);
    memset(f, 0, sizeof *f);
    f->kind = kind;
    luaL_setmetatable(L, FIGURE_MT);
    lua_newtable(L);
    lua_setiuservalue(L, -2, 1);
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
    host_pending(L, -1); /* placed after the chunk unless shown */
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

#define PX_PER_INCH 96.0

/* Option width or height in pixels; its default is the chunk's fig-width or
 * fig-height (inches) when given, else def. */
static double size_opt(lua_State *L, const char *key, double def, const char *who)
{
    const rg_chunk *c = host_chunk(L);
    double inches = !c ? 0 : key[0] == 'w' ? c->opts.fig_width : c->opts.fig_height;
    if (inches > 0)
        def = fmin(fmax(inches * PX_PER_INCH, MIN_SIZE), MAX_SIZE);
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

/* ---- opening ------------------------------------------------------------- */

static const luaL_Reg figure_methods[] = {
    {"svg", fig_svg}, {"caption", fig_caption}, {"alt", fig_alt}, {NULL, NULL}};

static const luaL_Reg figure_meta[] = {{"__gc", fig_gc},
                                       {"__rg_html", fig_html},
                                       {"__rg_pending", fig_pending},
                                       {"__tostring", fig_tostring},
                                       {NULL, NULL}};

static const luaL_Reg plot_funcs[] = {
    {"km", l_km}, {"forest", l_forest}, {"scatter", l_scatter}, {NULL, NULL}};

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
