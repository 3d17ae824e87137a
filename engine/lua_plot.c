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
#include "stats/hclust.h"
#include "svg.h"

#define FIGURE_MT "rg.Figure"
#define MIN_SIZE 150.0 /* pixels: less leaves no room for the axes */
#define MAX_SIZE 4000.0

/* ---- figures ------------------------------------------------------------- */

/* A figure's caption and alt text live in its user value, a table
 * {caption =, alt =} (heat maps add their orders, rows and cols); the C
 * struct holds the SVG. */
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
    if (css) { /* CDATA: the CSS is text to XML, whatever it holds */
        buf_puts(&doc, "\n<style><![CDATA[\n");
        buf_put(&doc, (const char *)css->data, css->len);
        buf_puts(&doc, "]]></style>");
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

/* The value at idx as numbers: an array, or the name of a numeric column
 * of `data` (option of the table at 1). Pushes the numbers (a userdata). */
static const double *numbers_at(lua_State *L, int idx, const char *who, const char *name,
                                size_t *n)
{
    idx = lua_absindex(L, idx);
    if (lua_type(L, idx) == LUA_TTABLE)
        return luav_numbers(L, idx, who, name, n);
    if (lua_type(L, idx) != LUA_TSTRING)
        luaL_error(L, "%s: %s must be an array of numbers or a column name, not a %s", who,
                   name, luaL_typename(L, idx));
    const char *col = lua_tostring(L, idx);
    if (lua_getfield(L, 1, "data") == LUA_TNIL)
        luaL_error(L, "%s: %s = \"%s\" names a column, but there is no data frame (data = ...)",
                   who, name, col);
    const rg_frame *fr = luaf_check(L, -1);
    const rg_col *c = frame_col(fr, col);
    if (!c)
        luaL_error(L, "%s: data has no column \"%s\" (%s)", who, col, name);
    if (!c->num)
        luaL_error(L, "%s: column \"%s\" of data holds text, not numbers (%s)", who, col, name);
    *n = fr->nrow;
    double *copy = lua_newuserdatauv(L, (*n ? *n : 1) * sizeof *copy, 0);
    if (*n)
        memcpy(copy, c->num, *n * sizeof *copy);
    lua_remove(L, -2); /* the frame */
    return copy;
}

/* Option `key` of the options (index 1) as numbers (numbers_at). The
 * numbers stay on the stack (a userdata). NULL when the option is nil and
 * not required; with *n != SIZE_MAX the length must be *n (the length of
 * `len_key`), else *n receives it. */
static const double *opt_vector(lua_State *L, const char *who, const char *key, size_t *n,
                                const char *len_key, int required)
{
    if (lua_getfield(L, 1, key) == LUA_TNIL) {
        lua_pop(L, 1);
        if (required)
            luaL_error(L, "%s: %s is missing", who, key);
        return NULL;
    }
    size_t len;
    const double *v = numbers_at(L, -1, who, key, &len);
    lua_remove(L, -2); /* the option; the numbers stay */
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

/* ---- plot.line, plot.step, plot.volcano, plot.roc, plot.auc_threshold ---- */

/* Move the value on top into the table at anchor, which keeps it alive. */
static void xy_anchor(lua_State *L, int anchor)
{
    lua_rawseti(L, anchor, (lua_Integer)lua_rawlen(L, anchor) + 1);
}

/* Is the table at idx a map with string keys only (and at least one)? */
static int xy_is_map(lua_State *L, int idx)
{
    int any = 0, strings = 1;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        any = 1;
        strings = strings && lua_type(L, -2) == LUA_TSTRING;
        lua_pop(L, 1);
    }
    return any && strings;
}

/* plot.line / plot.step{x =, y =, group =, data =, points =, logx =, logy =,
 * ref_y =, title =, xlab =, ylab =, width =, height =} -> figure */
static int xy_line(lua_State *L, const char *who, int step)
{
    static const char *const known[] = {PANEL_OPTIONS, "x",    "y",     "group", "points",
                                        "logx",        "logy", "ref_y", NULL};
    check_args(L, who, "x", known);
    rg_plot_line o;
    memset(&o, 0, sizeof o);
    o.step = step;
    o.title = luav_opt_string(L, 1, "title", NULL, who);
    o.width = size_opt(L, "width", 560, who);
    o.height = size_opt(L, "height", 400, who);
    o.logx = luav_opt_bool(L, 1, "logx", 0, who);
    o.logy = luav_opt_bool(L, 1, "logy", 0, who);
    o.points = luav_opt_bool(L, 1, "points", 0, who);
    o.xlab = luav_opt_string(L, 1, "xlab", NULL, who);
    o.ylab = luav_opt_string(L, 1, "ylab", NULL, who);
    lua_newtable(L); /* anchors every array and label */
    int anchor = lua_gettop(L);

    if (lua_getfield(L, 1, "ref_y") == LUA_TNUMBER) {
        double *v = lua_newuserdatauv(L, sizeof *v, 0);
        *v = lua_tonumber(L, -2);
        o.ref_y = v;
        o.nref = 1;
    } else if (lua_type(L, -1) == LUA_TTABLE) {
        o.ref_y = luav_numbers(L, -1, who, "ref_y", &o.nref);
    } else if (!lua_isnil(L, -1)) {
        return luaL_error(L, "%s: ref_y must be a number or an array of numbers, not a %s", who,
                          luaL_typename(L, -1));
    } else {
        lua_pushnil(L);
    }
    xy_anchor(L, anchor);
    lua_pop(L, 1);

    if (lua_getfield(L, 1, "x") == LUA_TNIL)
        return luaL_error(L, "%s: x is missing", who);
    if (lua_type(L, -1) == LUA_TSTRING && !o.xlab)
        o.xlab = lua_tostring(L, -1); /* anchored in the options */
    size_t n;
    const double *x = numbers_at(L, -1, who, "x", &n);
    xy_anchor(L, anchor);
    lua_pop(L, 1);

    int yt = lua_getfield(L, 1, "y");
    int y = lua_gettop(L);
    if (yt == LUA_TNIL)
        return luaL_error(L, "%s: y is missing", who);
    size_t k = 1;
    rg_plot_series *se;
    if (yt == LUA_TTABLE && xy_is_map(L, y)) { /* named series, in sorted-name order */
        if (lua_getfield(L, 1, "group") != LUA_TNIL)
            return luaL_error(L, "%s: group needs one y array, not named series", who);
        lua_pop(L, 1);
        luav_sorted_keys(L, y);
        int keys = lua_gettop(L);
        k = lua_rawlen(L, keys);
        se = lua_newuserdatauv(L, k * sizeof *se, 0);
        xy_anchor(L, anchor);
        for (size_t g = 0; g < k; g++) {
            lua_rawgeti(L, keys, (lua_Integer)g + 1);
            const char *name = lua_tostring(L, -1);
            char what[80];
            snprintf(what, sizeof what, "y.%.60s", name);
            lua_gettable(L, y);
            size_t m;
            se[g].y = numbers_at(L, -1, who, what, &m);
            if (m != n)
                return luaL_error(L, "%s: %s has %d values but x has %d", who, what, (int)m,
                                  (int)n);
            xy_anchor(L, anchor);
            lua_pop(L, 1);
            se[g].label = name; /* anchored in keys */
            se[g].n = n;
            se[g].x = x;
        }
        xy_anchor(L, anchor); /* the keys */
    } else {
        if (yt == LUA_TSTRING && !o.ylab)
            o.ylab = lua_tostring(L, -1);
        size_t m;
        const double *yv = numbers_at(L, y, who, "y", &m);
        if (m != n)
            return luaL_error(L, "%s: y has %d values but x has %d", who, (int)m, (int)n);
        xy_anchor(L, anchor);
        const char **grp = opt_labels(L, who, "group", n, "x", 0);
        if (!grp) {
            se = lua_newuserdatauv(L, sizeof *se, 0);
            *se = (rg_plot_series){NULL, n, x, yv};
        } else { /* one series per group, in order of first appearance */
            size_t *first = lua_newuserdatauv(L, (n ? n : 1) * sizeof *first, 0);
            size_t *which = lua_newuserdatauv(L, (n ? n : 1) * sizeof *which, 0);
            plot_groups(grp, n, first, &k, which);
            se = lua_newuserdatauv(L, (k ? k : 1) * sizeof *se, 0);
            double *xs = lua_newuserdatauv(L, (n ? 2 * n : 1) * sizeof *xs, 0);
            double *ys = xs + n;
            size_t at = 0;
            for (size_t g = 0; g < k; g++) {
                se[g] = (rg_plot_series){grp[first[g]], 0, xs + at, ys + at};
                for (size_t i = 0; i < n; i++)
                    if (which[i] == g) {
                        xs[at] = x[i];
                        ys[at++] = yv[i];
                        se[g].n++;
                    }
            }
        } /* everything stays on the stack until the figure is drawn */
    }
    o.series = se;
    o.nseries = k;

    figure *fig = new_figure(L, step ? "step" : "line");
    rg_buf b = {0};
    int st = plot_line(&b, &o);
    finish_figure(L, fig, &b, st, o.width, o.height, who);
    return 1;
}

static int l_line(lua_State *L) { return xy_line(L, "plot.line", 0); }

static int l_step(lua_State *L) { return xy_line(L, "plot.step", 1); }

/* plot.volcano{r =, p =, labels =, data =, r_cut = 0.5, p_cut = 0.05,
 * adjusted = false, label_top = 10, title =, xlab = "r", ylab =, width =,
 * height =} -> figure */
static int l_volcano(lua_State *L)
{
    const char *who = "plot.volcano";
    static const char *const known[] = {PANEL_OPTIONS, "r",        "p",         "labels",
                                        "r_cut",       "p_cut",    "adjusted",  "label_top",
                                        NULL};
    check_args(L, who, "r", known);
    rg_plot_volcano o;
    memset(&o, 0, sizeof o);
    o.title = luav_opt_string(L, 1, "title", NULL, who);
    o.xlab = luav_opt_string(L, 1, "xlab", "r", who);
    o.ylab = luav_opt_string(L, 1, "ylab", NULL, who);
    o.width = size_opt(L, "width", 560, who);
    o.height = size_opt(L, "height", 440, who);
    o.adjusted = luav_opt_bool(L, 1, "adjusted", 0, who);
    o.r_cut = luav_opt_number(L, 1, "r_cut", 0.5, who);
    if (!(isfinite(o.r_cut) && o.r_cut >= 0))
        return luaL_error(L, "%s: r_cut must be a number >= 0, got %f", who, o.r_cut);
    o.p_cut = luav_opt_number(L, 1, "p_cut", 0.05, who);
    if (!(o.p_cut >= 0 && o.p_cut <= 1))
        return luaL_error(L, "%s: p_cut must be in [0, 1], got %f", who, o.p_cut);
    size_t n = (size_t)-1;
    o.r = opt_vector(L, who, "r", &n, NULL, 1);
    o.p = opt_vector(L, who, "p", &n, "r", 1);
    o.n = n;
    for (size_t i = 0; i < n; i++)
        if (!isnan(o.p[i]) && !(o.p[i] >= 0 && o.p[i] <= 1))
            return luaL_error(L, "%s: p[%d] = %f is not a p-value", who, (int)i + 1, o.p[i]);
    o.labels = opt_labels(L, who, "labels", n, "r", 0);
    int has_top = lua_getfield(L, 1, "label_top") != LUA_TNIL;
    lua_pop(L, 1);
    double top = luav_opt_number(L, 1, "label_top", 10, who);
    if (!(top >= 0 && top <= 1e6 && top == floor(top)))
        return luaL_error(L, "%s: label_top must be a count >= 0, got %f", who, top);
    if (has_top && top > 0 && !o.labels)
        return luaL_error(L, "%s: label_top needs labels = {...}", who);
    o.label_top = o.labels ? (size_t)top : 0;

    figure *fig = new_figure(L, "volcano");
    rg_buf b = {0};
    int st = plot_volcano(&b, &o);
    finish_figure(L, fig, &b, st, o.width, o.height, who);
    return 1;
}

/* Field key of the ROC at idx as m numbers (anchored); NULL when nil. */
static const double *roc_field(lua_State *L, int idx, int anchor, const char *who,
                               const char *name, const char *key, size_t *m)
{
    if (lua_getfield(L, idx, key) == LUA_TNIL) {
        lua_pop(L, 1);
        return NULL;
    }
    char what[96];
    snprintf(what, sizeof what, "%.60s.%s", name, key);
    size_t len;
    const double *v = luav_numbers(L, -1, who, what, &len);
    if (*m != (size_t)-1 && len != *m)
        luaL_error(L, "%s: %s has %d values but the other coordinates %d", who, what, (int)len,
                   (int)*m);
    *m = len;
    for (size_t i = 0; i < len; i++)
        if (!isnan(v[i]) && !(v[i] >= 0 && v[i] <= 1))
            luaL_error(L, "%s: %s[%d] = %f is not in [0, 1]", who, what, (int)i + 1, v[i]);
    xy_anchor(L, anchor);
    lua_pop(L, 1);
    return v;
}

/* A number field of the table at idx; NaN when absent. */
static double roc_number(lua_State *L, int idx, const char *key)
{
    double v = lua_getfield(L, idx, key) == LUA_TNUMBER ? lua_tonumber(L, -1) : NAN;
    lua_pop(L, 1);
    return v;
}

/* The result of rg.roc on top (named `name` in messages) into c. */
static void read_roc(lua_State *L, int anchor, const char *who, const char *name,
                     rg_plot_roc_curve *c)
{
    int idx = lua_gettop(L);
    if (lua_type(L, idx) != LUA_TTABLE)
        luaL_error(L, "%s: %s must be the result of rg.roc, not a %s", who, name,
                   luaL_typename(L, idx));
    size_t m = (size_t)-1;
    c->fpr = roc_field(L, idx, anchor, who, name, "fpr", &m);
    c->tpr = roc_field(L, idx, anchor, who, name, "tpr", &m);
    if (!c->fpr || !c->tpr) { /* sensitivities and specificities */
        static const char *const keys[][2] = {{"sens", "spec"},
                                              {"sensitivities", "specificities"}};
        for (int j = 0; j < 2 && (!c->fpr || !c->tpr); j++) {
            m = (size_t)-1;
            const double *se = roc_field(L, idx, anchor, who, name, keys[j][0], &m);
            const double *sp = roc_field(L, idx, anchor, who, name, keys[j][1], &m);
            if (se && sp) {
                double *f = lua_newuserdatauv(L, (m ? m : 1) * sizeof *f, 0);
                for (size_t i = 0; i < m; i++)
                    f[i] = 1 - sp[i];
                xy_anchor(L, anchor);
                c->fpr = f;
                c->tpr = se;
            }
        }
    }
    if (!c->fpr || !c->tpr)
        luaL_error(L, "%s: %s must be the result of rg.roc (fpr and tpr, or sens and spec)",
                   who, name);
    c->m = m;
    c->auc = roc_number(L, idx, "auc");
    c->lower = c->upper = NAN;
    if (lua_getfield(L, idx, "ci") == LUA_TTABLE) {
        int ci = lua_gettop(L);
        c->lower = roc_number(L, ci, "lower");
        c->upper = roc_number(L, ci, "upper");
        if (isnan(c->lower) && lua_rawlen(L, ci) >= 2) { /* {lower, upper} */
            lua_rawgeti(L, ci, 1);
            lua_rawgeti(L, ci, (lua_Integer)lua_rawlen(L, ci));
            c->lower = lua_type(L, -2) == LUA_TNUMBER ? lua_tonumber(L, -2) : NAN;
            c->upper = lua_type(L, -1) == LUA_TNUMBER ? lua_tonumber(L, -1) : NAN;
            lua_pop(L, 2);
        }
    }
    lua_pop(L, 1);
    c->youden_t = c->youden_se = c->youden_sp = NAN;
    if (lua_getfield(L, idx, "youden") == LUA_TTABLE) {
        int y = lua_gettop(L);
        c->youden_t = roc_number(L, y, "threshold");
        c->youden_se = roc_number(L, y, "sensitivity");
        c->youden_sp = roc_number(L, y, "specificity");
    }
    lua_pop(L, 1);
}

/* plot.roc{roc = | rocs =, title =, xlab =, ylab =, width =, height =} -> figure */
static int l_roc(lua_State *L)
{
    const char *who = "plot.roc";
    static const char *const known[] = {"roc", "rocs", "title", "xlab", "ylab", "width",
                                        "height", NULL};
    check_args(L, who, "roc", known);
    rg_plot_roc o;
    memset(&o, 0, sizeof o);
    o.title = luav_opt_string(L, 1, "title", NULL, who);
    o.xlab = luav_opt_string(L, 1, "xlab", NULL, who);
    o.ylab = luav_opt_string(L, 1, "ylab", NULL, who);
    o.width = size_opt(L, "width", 480, who);
    o.height = size_opt(L, "height", 480, who);
    lua_newtable(L);
    int anchor = lua_gettop(L);
    int has_roc = lua_getfield(L, 1, "roc") != LUA_TNIL;
    int rt = lua_getfield(L, 1, "rocs");
    int rocs = lua_gettop(L);
    if (has_roc && rt != LUA_TNIL)
        return luaL_error(L, "%s: give roc = or rocs =, not both", who);
    if (!has_roc && rt == LUA_TNIL)
        return luaL_error(L, "%s: roc is missing (the result of rg.roc; rocs = {...} for "
                             "several)",
                          who);
    rg_plot_roc_curve *cv;
    size_t k = 1;
    if (has_roc) {
        cv = lua_newuserdatauv(L, sizeof *cv, 0);
        memset(cv, 0, sizeof *cv);
        lua_pushvalue(L, rocs - 1);
        read_roc(L, anchor, who, "roc", cv);
    } else if (rt != LUA_TTABLE || (k = lua_rawlen(L, rocs)) == 0) {
        if (rt != LUA_TTABLE || !xy_is_map(L, rocs))
            return luaL_error(L, "%s: rocs must be a table of named results of rg.roc, or an "
                                 "array of {label =, roc =}",
                              who);
        luav_sorted_keys(L, rocs); /* named: in sorted-name order */
        int keys = lua_gettop(L);
        k = lua_rawlen(L, keys);
        cv = lua_newuserdatauv(L, k * sizeof *cv, 0);
        memset(cv, 0, k * sizeof *cv);
        for (size_t g = 0; g < k; g++) {
            lua_rawgeti(L, keys, (lua_Integer)g + 1);
            cv[g].label = lua_tostring(L, -1); /* anchored in keys */
            char what[80];
            snprintf(what, sizeof what, "rocs.%.60s", cv[g].label);
            lua_gettable(L, rocs);
            read_roc(L, anchor, who, what, &cv[g]);
            lua_pop(L, 1);
        }
    } else { /* an array of {label =, roc =} */
        cv = lua_newuserdatauv(L, k * sizeof *cv, 0);
        memset(cv, 0, k * sizeof *cv);
        for (size_t g = 0; g < k; g++) {
            char what[48];
            snprintf(what, sizeof what, "rocs[%d]", (int)g + 1);
            if (lua_rawgeti(L, rocs, (lua_Integer)g + 1) != LUA_TTABLE)
                return luaL_error(L, "%s: %s must be a table {label =, roc =}, not a %s", who,
                                  what, luaL_typename(L, -1));
            int e = lua_gettop(L);
            int lt = lua_getfield(L, e, "label");
            if (lt != LUA_TSTRING && lt != LUA_TNUMBER)
                return luaL_error(L, "%s: %s.label must be a string, not a %s", who, what,
                                  luaL_typename(L, -1));
            cv[g].label = label_text(L);
            xy_anchor(L, anchor);
            lua_getfield(L, e, "roc");
            snprintf(what, sizeof what, "rocs[%d].roc", (int)g + 1);
            read_roc(L, anchor, who, what, &cv[g]);
            lua_pop(L, 2);
        }
    }
    o.curves = cv;
    o.ncurves = k;

    figure *fig = new_figure(L, "roc");
    rg_buf b = {0};
    int st = plot_roc(&b, &o);
    finish_figure(L, fig, &b, st, o.width, o.height, who);
    return 1;
}

/* The AUC array on top as series s of nt values; `what` names it. */
static void auc_series(lua_State *L, int anchor, const char *who, const char *what,
                       const double *t, size_t nt, rg_plot_series *s)
{
    size_t m;
    const double *v = luav_numbers(L, -1, who, what, &m);
    if (m != nt)
        luaL_error(L, "%s: %s has %d values but thresholds has %d", who, what, (int)m, (int)nt);
    for (size_t i = 0; i < m; i++)
        if (!isnan(v[i]) && !(v[i] >= 0 && v[i] <= 1))
            luaL_error(L, "%s: %s[%d] = %f is not an AUC", who, what, (int)i + 1, v[i]);
    xy_anchor(L, anchor);
    s->n = nt;
    s->x = t;
    s->y = v;
}

/* plot.auc_threshold{thresholds =, auc =, pass =, title =, xlab =, ylab =,
 * width =, height =} -> figure */
static int l_auc_threshold(lua_State *L)
{
    const char *who = "plot.auc_threshold";
    static const char *const known[] = {"thresholds", "auc",  "pass",  "title",
                                        "xlab",       "ylab", "width", "height", NULL};
    check_args(L, who, "thresholds", known);
    rg_plot_auc_threshold o;
    memset(&o, 0, sizeof o);
    o.title = luav_opt_string(L, 1, "title", NULL, who);
    o.xlab = luav_opt_string(L, 1, "xlab", NULL, who);
    o.ylab = luav_opt_string(L, 1, "ylab", NULL, who);
    o.width = size_opt(L, "width", 640, who);
    o.height = size_opt(L, "height", 420, who);
    int has_pass = lua_getfield(L, 1, "pass") != LUA_TNIL;
    lua_pop(L, 1);
    o.pass = luav_opt_number(L, 1, "pass", NAN, who);
    if (has_pass && !(o.pass >= 0 && o.pass <= 1))
        return luaL_error(L, "%s: pass must be an AUC in [0, 1], got %f", who, o.pass);
    lua_newtable(L);
    int anchor = lua_gettop(L);
    if (lua_getfield(L, 1, "thresholds") != LUA_TTABLE)
        return luaL_error(L, "%s: thresholds must be an array of numbers", who);
    size_t nt;
    const double *t = luav_numbers(L, -1, who, "thresholds", &nt);
    for (size_t i = 0; i < nt; i++)
        if (!isfinite(t[i]))
            return luaL_error(L, "%s: thresholds[%d] is not a finite number", who, (int)i + 1);
    xy_anchor(L, anchor);
    lua_pop(L, 1);

    int at = lua_getfield(L, 1, "auc");
    int auc = lua_gettop(L);
    if (at != LUA_TTABLE)
        return luaL_error(L, "%s: auc must be an array of AUCs (one output), a table of named "
                             "arrays, or an array of {label =, auc =}, not a %s",
                          who, luaL_typename(L, -1));
    size_t k = lua_rawlen(L, auc);
    rg_plot_series *se;
    int first = k ? lua_rawgeti(L, auc, 1) : LUA_TNIL;
    lua_pop(L, k ? 1 : 0);
    if (k == 0 || first == LUA_TNUMBER) { /* one output, as auc_at_thresholds returns it */
        if (k == 0 && xy_is_map(L, auc)) { /* named outputs, in sorted-name order */
            luav_sorted_keys(L, auc);
            int keys = lua_gettop(L);
            k = lua_rawlen(L, keys);
            se = lua_newuserdatauv(L, k * sizeof *se, 0);
            for (size_t g = 0; g < k; g++) {
                lua_rawgeti(L, keys, (lua_Integer)g + 1);
                se[g].label = lua_tostring(L, -1); /* anchored in keys */
                char what[80];
                snprintf(what, sizeof what, "auc.%.60s", se[g].label);
                if (lua_gettable(L, auc) != LUA_TTABLE)
                    return luaL_error(L, "%s: %s must be an array of AUCs, not a %s", who, what,
                                      luaL_typename(L, -1));
                auc_series(L, anchor, who, what, t, nt, &se[g]);
                lua_pop(L, 1);
            }
        } else {
            k = 1;
            se = lua_newuserdatauv(L, sizeof *se, 0);
            se->label = NULL;
            lua_pushvalue(L, auc);
            auc_series(L, anchor, who, "auc", t, nt, se);
            lua_pop(L, 1);
        }
    } else if (first == LUA_TTABLE) {
        se = lua_newuserdatauv(L, k * sizeof *se, 0);
        for (size_t g = 0; g < k; g++) {
            char what[48];
            snprintf(what, sizeof what, "auc[%d]", (int)g + 1);
            if (lua_rawgeti(L, auc, (lua_Integer)g + 1) != LUA_TTABLE)
                return luaL_error(L, "%s: %s must be a table {label =, auc =}, not a %s", who,
                                  what, luaL_typename(L, -1));
            int e = lua_gettop(L);
            int lt = lua_getfield(L, e, "label");
            if (lt != LUA_TSTRING && lt != LUA_TNUMBER)
                return luaL_error(L, "%s: %s.label must be a string, not a %s", who, what,
                                  luaL_typename(L, -1));
            se[g].label = label_text(L);
            xy_anchor(L, anchor);
            snprintf(what, sizeof what, "auc[%d].auc", (int)g + 1);
            if (lua_getfield(L, e, "auc") != LUA_TTABLE)
                return luaL_error(L, "%s: %s must be an array of AUCs, not a %s", who, what,
                                  luaL_typename(L, -1));
            auc_series(L, anchor, who, what, t, nt, &se[g]);
            lua_pop(L, 2);
        }
    } else {
        return luaL_error(L, "%s: auc[1] is a %s: auc must be an array of AUCs, a table of "
                             "named arrays, or an array of {label =, auc =}",
                          who, lua_typename(L, first));
    }
    o.series = se;
    o.nseries = k;

    figure *fig = new_figure(L, "auc_threshold");
    rg_buf b = {0};
    int st = plot_auc_threshold(&b, &o);
    finish_figure(L, fig, &b, st, o.width, o.height, who);
    return 1;
}

/* ---- plot.heatmap -------------------------------------------------------- */

#define HEATMAP_MAX_CLUSTER 5000 /* rows or columns: n(n-1)/2 dissimilarities */

/* The matrix of plot.heatmap, read into userdata: z (nr x nc, row by row)
 * and the names of rows and columns, anchored in the table at anchor. */
typedef struct {
    size_t nr, nc;
    double *z;
    const char **rn, **cn;
} hm_matrix;

/* Push an array of n names as pointers into a userdata (returned), their
 * strings anchored in the table at anchor. From the table at idx when
 * idx != 0 (labels: strings or numbers; who and key name it in messages),
 * else "1", "2", ... */
static const char **hm_names(lua_State *L, int idx, size_t n, int anchor, const char *who,
                             const char *key)
{
    const char **out = lua_newuserdatauv(L, (n ? n : 1) * sizeof *out, 0);
    for (size_t i = 0; i < n; i++) {
        if (!idx) {
            lua_pushfstring(L, "%d", (int)i + 1);
        } else {
            int t = lua_rawgeti(L, idx, (lua_Integer)i + 1);
            if (t != LUA_TSTRING && t != LUA_TNUMBER)
                luaL_error(L, "%s: %s[%d] is a %s, not a label", who, key, (int)i + 1,
                           luaL_typename(L, -1));
            label_text(L);
        }
        out[i] = lua_tostring(L, -1);
        lua_rawseti(L, anchor, (lua_Integer)lua_rawlen(L, anchor) + 1);
    }
    return out;
}

/* Read option `matrix` (a frame, the result of rg.cor_matrix, or an array
 * of rows with row_names and col_names) into m. *cor: it was a cor_matrix. */
static void hm_read(lua_State *L, const char *who, int anchor, hm_matrix *m, int *cor)
{
    int idx = lua_gettop(L) + 1;
    lua_getfield(L, 1, "matrix");
    *cor = luaL_testudata(L, idx, "rg.CorMatrix") != NULL;
    if (*cor) { /* its r as a frame: rows the first variables, columns the second */
        lua_getfield(L, idx, "matrix");
        lua_pushvalue(L, idx);
        lua_pushstring(L, "r");
        lua_call(L, 2, 1);
        lua_replace(L, idx);
    }
    int has_rn = lua_getfield(L, 1, "row_names") != LUA_TNIL;
    int has_cn = lua_getfield(L, 1, "col_names") != LUA_TNIL;
    lua_pop(L, 2);
    const rg_frame *f = luaf_test(L, idx);
    if (f) {
        if (has_rn || has_cn)
            luaL_error(L, "%s: %s is for an array of rows; a frame names its rows and "
                          "columns itself", who, has_rn ? "row_names" : "col_names");
        m->nr = f->nrow;
        m->nc = f->ncol;
        for (size_t j = 0; j < f->ncol; j++)
            if (!f->cols[j].num)
                luaL_error(L, "%s: column \"%s\" of matrix holds text, not numbers", who,
                           f->cols[j].name);
        m->z = lua_newuserdatauv(L, (m->nr * m->nc > 0 ? m->nr * m->nc : 1) * sizeof *m->z, 0);
        lua_rawseti(L, anchor, (lua_Integer)lua_rawlen(L, anchor) + 1);
        for (size_t i = 0; i < m->nr; i++)
            for (size_t j = 0; j < m->nc; j++)
                m->z[i * m->nc + j] = f->cols[j].num[i];
        m->rn = lua_newuserdatauv(L, (m->nr ? m->nr : 1) * sizeof *m->rn, 0);
        lua_rawseti(L, anchor, (lua_Integer)lua_rawlen(L, anchor) + 1);
        m->cn = lua_newuserdatauv(L, (m->nc ? m->nc : 1) * sizeof *m->cn, 0);
        lua_rawseti(L, anchor, (lua_Integer)lua_rawlen(L, anchor) + 1);
        for (size_t i = 0; i < m->nr; i++)
            m->rn[i] = f->ids[i]; /* the frame is anchored below */
        for (size_t j = 0; j < m->nc; j++)
            m->cn[j] = f->cols[j].name;
        lua_rawseti(L, anchor, (lua_Integer)lua_rawlen(L, anchor) + 1); /* the frame */
        return;
    }
    if (lua_type(L, idx) != LUA_TTABLE)
        luaL_error(L, "%s: matrix must be a frame, the result of rg.cor_matrix or an array "
                      "of rows, not a %s", who, luaL_typename(L, idx));
    m->nr = lua_rawlen(L, idx);
    m->nc = 0;
    for (size_t i = 0; i < m->nr; i++) {
        if (lua_rawgeti(L, idx, (lua_Integer)i + 1) != LUA_TTABLE)
            luaL_error(L, "%s: matrix[%d] is a %s, not an array of numbers (a row)", who,
                       (int)i + 1, luaL_typename(L, -1));
        size_t len = lua_rawlen(L, -1);
        if (i == 0)
            m->nc = len;
        else if (len != m->nc)
            luaL_error(L, "%s: matrix[%d] has %d values but matrix[1] has %d", who, (int)i + 1,
                       (int)len, (int)m->nc);
        lua_pop(L, 1);
    }
    m->z = lua_newuserdatauv(L, (m->nr * m->nc > 0 ? m->nr * m->nc : 1) * sizeof *m->z, 0);
    lua_rawseti(L, anchor, (lua_Integer)lua_rawlen(L, anchor) + 1);
    for (size_t i = 0; i < m->nr; i++) {
        lua_rawgeti(L, idx, (lua_Integer)i + 1);
        for (size_t j = 0; j < m->nc; j++) {
            if (lua_rawgeti(L, -1, (lua_Integer)j + 1) != LUA_TNUMBER)
                luaL_error(L, "%s: matrix[%d][%d] is a %s, not a number (0/0 for a missing "
                              "value)", who, (int)i + 1, (int)j + 1, luaL_typename(L, -1));
            m->z[i * m->nc + j] = lua_tonumber(L, -1);
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
    }
    for (int k = 0; k < 2; k++) {
        const char *key = k ? "col_names" : "row_names";
        size_t n = k ? m->nc : m->nr;
        int t = lua_getfield(L, 1, key), at = lua_gettop(L);
        if (t != LUA_TNIL && (t != LUA_TTABLE || lua_rawlen(L, at) != n))
            luaL_error(L, "%s: %s must be an array of %d labels, one per %s", who, key,
                       (int)n, k ? "column" : "row");
        const char **names = hm_names(L, t == LUA_TNIL ? 0 : at, n, anchor, who, key);
        lua_rawseti(L, anchor, (lua_Integer)lua_rawlen(L, anchor) + 1);
        lua_pop(L, 1);
        if (k)
            m->cn = names;
        else
            m->rn = names;
    }
    lua_pop(L, 1); /* the matrix */
}

/* Option `key` (rows or cols): the places of the names it lists among
 * names[0..n), into a userdata anchored at anchor; *k receives their
 * number. NULL when the option is nil. */
static size_t *hm_subset(lua_State *L, const char *who, const char *key, const char **names,
                         size_t n, int anchor, size_t *k)
{
    if (lua_getfield(L, 1, key) == LUA_TNIL) {
        lua_pop(L, 1);
        return NULL;
    }
    int at = lua_gettop(L);
    if (lua_type(L, at) != LUA_TTABLE)
        luaL_error(L, "%s: %s must be an array of names, not a %s", who, key,
                   luaL_typename(L, at));
    *k = lua_rawlen(L, at);
    if (*k == 0)
        luaL_error(L, "%s: %s is empty", who, key);
    size_t *out = lua_newuserdatauv(L, *k * sizeof *out, 0);
    lua_rawseti(L, anchor, (lua_Integer)lua_rawlen(L, anchor) + 1);
    for (size_t i = 0; i < *k; i++) {
        int t = lua_rawgeti(L, at, (lua_Integer)i + 1);
        if (t != LUA_TSTRING && t != LUA_TNUMBER)
            luaL_error(L, "%s: %s[%d] is a %s, not a name", who, key, (int)i + 1,
                       luaL_typename(L, -1));
        const char *name = label_text(L);
        size_t j = 0;
        while (j < n && strcmp(names[j], name) != 0)
            j++;
        if (j == n)
            luaL_error(L, "%s: %s[%d]: the matrix has no %s named \"%s\"", who, key,
                       (int)i + 1, key[0] == 'r' ? "row" : "column", name);
        for (size_t p = 0; p < i; p++)
            if (out[p] == j)
                luaL_error(L, "%s: %s names \"%s\" twice", who, key, name);
        out[i] = j;
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    return out;
}

/* Cluster the n observations (rows of x, n x p) into a tree whose arrays
 * are userdata anchored at anchor. `what` is "row" or "column", names the
 * observations, vnames the variables. Nothing malloc'd is held while it
 * raises: hclust's result is copied and freed first. */
static void hm_cluster(lua_State *L, const char *who, const double *x, size_t n, size_t p,
                       rg_linkage link, rg_distance kind, const char *what,
                       const char *const *names, const char *const *vnames, int anchor,
                       rg_plot_tree *t)
{
    double *d = lua_newuserdatauv(L, n * (n - 1) / 2 * sizeof *d, 0);
    int *merge = lua_newuserdatauv(L, 2 * (n - 1) * sizeof *merge, 0);
    double *height = lua_newuserdatauv(L, (n - 1) * sizeof *height, 0);
    int *order = lua_newuserdatauv(L, n * sizeof *order, 0);
    for (int k = 0; k < 4; k++) /* the four userdata, anchored */
        lua_rawseti(L, anchor, (lua_Integer)lua_rawlen(L, anchor) + 1);
    size_t a = 0, b = 0;
    int rc = hclust_dist(x, n, p, kind, d, &a, &b);
    const char *dn = hclust_distance_name(kind);
    if (rc < 0)
        luaL_error(L, "%s: out of memory", who);
    if (rc == RG_HDIST_MISSING)
        luaL_error(L, "%s: distance = \"%s\" needs complete %ss, but %s \"%s\" has no value "
                      "for \"%s\"", who, dn, what, what, names[a], vnames[b]);
    if (rc == RG_HDIST_CONSTANT)
        luaL_error(L, "%s: %s \"%s\" is constant: its correlation with the others is "
                      "undefined (distance = \"%s\")", who, what, names[a], dn);
    if (rc == RG_HDIST_TOO_FEW)
        luaL_error(L, "%s: distance = \"%s\" needs at least 2 values per %s to cluster the "
                      "%ss, got %d", who, dn, what, what, (int)p);
    if (rc == RG_HDIST_NO_PAIRS)
        luaL_error(L, "%s: %ss \"%s\" and \"%s\" have no value in the same place, so their "
                      "distance is undefined", who, what, names[a], names[b]);
    rg_hclust h;
    if (hclust_compute(d, n, link, &h) != 0)
        luaL_error(L, "%s: out of memory", who);
    memcpy(merge, h.merge, 2 * (n - 1) * sizeof *merge);
    memcpy(height, h.height, (n - 1) * sizeof *height);
    memcpy(order, h.order, n * sizeof *order);
    hclust_free(&h);
    *t = (rg_plot_tree){n, merge, height, order};
}

/* Push an array of the names in drawing order. */
static void hm_push_order(lua_State *L, const rg_plot_tree *t, const char *const *names,
                          size_t n)
{
    lua_createtable(L, (int)n, 0);
    for (size_t i = 0; i < n; i++) {
        lua_pushstring(L, names[t ? (size_t)t->order[i] - 1 : i]);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
}

/* plot.heatmap{matrix =, rows =, cols =, row_names =, col_names =, cluster =,
 * linkage =, distance =, palette =, zlim =, labels =, legend_title =,
 * title =, xlab =, ylab =, width =, height =} -> figure */
static int l_heatmap(lua_State *L)
{
    const char *who = "plot.heatmap";
    static const char *const known[] = {
        "title",    "xlab",      "ylab",    "width",   "height", "matrix",
        "rows",     "cols",      "row_names", "col_names", "cluster", "linkage",
        "distance", "palette",   "zlim",    "labels",  "legend_title", NULL};
    check_args(L, who, "matrix", known);
    rg_plot_heatmap o;
    memset(&o, 0, sizeof o);
    o.title = luav_opt_string(L, 1, "title", NULL, who);
    o.xlab = luav_opt_string(L, 1, "xlab", NULL, who);
    o.ylab = luav_opt_string(L, 1, "ylab", NULL, who);
    o.width = size_opt(L, "width", 720, who);
    o.height = size_opt(L, "height", 540, who);
    const char *cluster = luav_opt_string(L, 1, "cluster", "both", who);
    int crow = strcmp(cluster, "both") == 0 || strcmp(cluster, "rows") == 0;
    int ccol = strcmp(cluster, "both") == 0 || strcmp(cluster, "cols") == 0;
    if (!crow && !ccol && strcmp(cluster, "none") != 0)
        return luaL_error(L, "%s: cluster must be \"both\", \"rows\", \"cols\" or \"none\", "
                             "got \"%s\"", who, cluster);
    const char *lname = luav_opt_string(L, 1, "linkage", "average", who);
    const char *dname = luav_opt_string(L, 1, "distance", "euclidean", who);
    rg_linkage link;
    rg_distance kind;
    if (hclust_linkage(lname, &link) != 0)
        return luaL_error(L, "%s: linkage must be one of %s, got \"%s\"", who,
                          hclust_linkage_names, lname);
    if (hclust_distance(dname, &kind) != 0)
        return luaL_error(L, "%s: distance must be one of %s, got \"%s\"", who,
                          hclust_distance_names, dname);
    const char *palette = luav_opt_string(L, 1, "palette", "diverging", who);
    o.diverging = strcmp(palette, "diverging") == 0;
    if (!o.diverging && strcmp(palette, "sequential") != 0)
        return luaL_error(L, "%s: palette must be \"diverging\" or \"sequential\", got \"%s\"",
                          who, palette);
    o.zlo = o.zhi = NAN;
    if (lua_getfield(L, 1, "zlim") != LUA_TNIL) {
        size_t n;
        const double *z = luav_numbers(L, -1, who, "zlim", &n);
        if (n != 2 || !(isfinite(z[0]) && isfinite(z[1]) && z[0] < z[1]))
            return luaL_error(L, "%s: zlim must be two finite numbers {low, high} with low < "
                                 "high", who);
        o.zlo = z[0];
        o.zhi = z[1];
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    int lt = lua_getfield(L, 1, "labels");
    if (lt == LUA_TNIL || (lt == LUA_TSTRING && strcmp(lua_tostring(L, -1), "auto") == 0))
        o.cell_labels = -1;
    else if (lt == LUA_TBOOLEAN)
        o.cell_labels = lua_toboolean(L, -1);
    else
        return luaL_error(L, "%s: labels must be \"auto\", true or false", who);
    lua_pop(L, 1);

    lua_newtable(L); /* anchors every array and name the drawing points into */
    int anchor = lua_gettop(L);
    hm_matrix m;
    int cor = 0;
    hm_read(L, who, anchor, &m, &cor);
    o.legend_title = luav_opt_string(L, 1, "legend_title", cor ? "r" : "value", who);
    size_t nr = m.nr, nc = m.nc;
    size_t *ri = hm_subset(L, who, "rows", m.rn, m.nr, anchor, &nr);
    size_t *ci = hm_subset(L, who, "cols", m.cn, m.nc, anchor, &nc);
    if (nr == 0 || nc == 0)
        return luaL_error(L, "%s: the matrix is empty (%d rows, %d columns)", who, (int)nr,
                          (int)nc);
    double *z = lua_newuserdatauv(L, nr * nc * sizeof *z, 0);
    double *zt = lua_newuserdatauv(L, nr * nc * sizeof *zt, 0);
    const char **rn = lua_newuserdatauv(L, nr * sizeof *rn, 0);
    const char **cn = lua_newuserdatauv(L, nc * sizeof *cn, 0);
    for (size_t i = 0; i < nr; i++)
        rn[i] = m.rn[ri ? ri[i] : i];
    for (size_t j = 0; j < nc; j++)
        cn[j] = m.cn[ci ? ci[j] : j];
    for (size_t i = 0; i < nr; i++)
        for (size_t j = 0; j < nc; j++) {
            double v = m.z[(ri ? ri[i] : i) * m.nc + (ci ? ci[j] : j)];
            if (isinf(v))
                return luaL_error(L, "%s: the value of row \"%s\", column \"%s\" is infinite",
                                  who, rn[i], cn[j]);
            z[i * nc + j] = zt[j * nr + i] = v;
        }
    if ((crow && nr > HEATMAP_MAX_CLUSTER) || (ccol && nc > HEATMAP_MAX_CLUSTER))
        return luaL_error(L, "%s: %d %s are more than %d to cluster (cluster = \"none\" "
                             "draws them in their order)", who,
                          (int)(crow && nr > HEATMAP_MAX_CLUSTER ? nr : nc),
                          crow && nr > HEATMAP_MAX_CLUSTER ? "rows" : "columns",
                          HEATMAP_MAX_CLUSTER);
    rg_plot_tree rt, ct;
    if (crow && nr >= 2) {
        hm_cluster(L, who, z, nr, nc, link, kind, "row", rn, cn, anchor, &rt);
        o.row_tree = &rt;
    }
    if (ccol && nc >= 2) {
        hm_cluster(L, who, zt, nc, nr, link, kind, "column", cn, rn, anchor, &ct);
        o.col_tree = &ct;
    }
    o.nrow = nr;
    o.ncol = nc;
    o.z = z;
    o.row_names = rn;
    o.col_names = cn;

    figure *fig = new_figure(L, "heatmap");
    int fidx = lua_gettop(L);
    rg_buf b = {0};
    double height = o.height;
    int st = plot_heatmap(&b, &o, &height);
    finish_figure(L, fig, &b, st, o.width, height, who);
    /* the orders, for fig:order(), in the figure's user value */
    lua_getiuservalue(L, fidx, 1);
    hm_push_order(L, o.row_tree, rn, nr);
    lua_setfield(L, -2, "rows");
    hm_push_order(L, o.col_tree, cn, nc);
    lua_setfield(L, -2, "cols");
    lua_pushvalue(L, fidx);
    return 1;
}

/* fig:order() -> rows, cols: the names of a heat map's rows (top to
 * bottom) and columns (left to right) as drawn */
static int fig_order(lua_State *L)
{
    const figure *f = check_figure(L);
    lua_settop(L, 1);
    lua_getiuservalue(L, 1, 1);
    if (lua_getfield(L, 2, "rows") != LUA_TTABLE)
        return luaL_error(L, "order: a %s figure has no row and column order (only heat maps)",
                          f->kind);
    lua_getfield(L, 2, "cols");
    return 2;
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

static const luaL_Reg figure_methods[] = {
    {"svg", fig_svg}, {"caption", fig_caption}, {"alt", fig_alt}, {"order", fig_order},
    {NULL, NULL}};

static const luaL_Reg figure_meta[] = {{"__gc", fig_gc},
                                       {"__rg_html", fig_html},
                                       {"__rg_pending", fig_pending},
                                       {"__tostring", fig_tostring},
                                       {NULL, NULL}};

static const luaL_Reg plot_funcs[] = {
    {"km", l_km}, {"forest", l_forest}, {"scatter", l_scatter},
    {"line", l_line}, {"step", l_step}, {"volcano", l_volcano}, {"roc", l_roc},
    {"auc_threshold", l_auc_threshold}, {"heatmap", l_heatmap}, {"bar", l_bar},
    {"hist", l_hist}, {"box", l_box}, {NULL, NULL}};

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
