/* engine/lua_rg.c — the global `rg`: the report helpers (record, note, fmt,
 * fmt_p, table) and reading text files through the sandbox (read_text).
 * Submodules (rg.rng, and the data and statistics modules of later work) are
 * opened from here. */
#include <lauxlib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "host.h"
#include "lua_bindings.h"
#include "table.h"

#define TABLE_MT "rg.Table"

/* Push the short text of b and free b (copied first: pushing can raise). */
static void push_short(lua_State *L, rg_buf *b)
{
    char s[96];
    int failed = b->failed;
    snprintf(s, sizeof s, "%s", b->data && !failed ? b->data : "");
    buf_free(b);
    if (failed)
        luaL_error(L, "out of memory");
    lua_pushstring(L, s);
}

static int checkdigits(lua_State *L, int arg, int def)
{
    lua_Integer d = luaL_optinteger(L, arg, def);
    luaL_argcheck(L, d >= 1 && d <= 17, arg, "digits must be 1 to 17");
    return (int)d;
}

/* rg.fmt(x [, digits]) */
static int l_fmt(lua_State *L)
{
    int digits = checkdigits(L, 2, RG_FMT_DIGITS);
    rg_buf b = {0};
    if (lua_isnoneornil(L, 1)) {
        lua_pushliteral(L, "NA");
        return 1;
    }
    if (lua_type(L, 1) != LUA_TNUMBER)
        return luaL_error(L, "rg.fmt: expected a number, got a %s", luaL_typename(L, 1));
    if (lua_isinteger(L, 1))
        buf_printf(&b, "%lld", (long long)lua_tointeger(L, 1));
    else
        fmt_num(&b, lua_tonumber(L, 1), digits);
    push_short(L, &b);
    return 1;
}

/* rg.fmt_p(p [, digits [, eps]]) */
static int l_fmt_p(lua_State *L)
{
    int digits = checkdigits(L, 2, RG_FMT_P_DIGITS);
    double eps = luaL_optnumber(L, 3, RG_FMT_P_EPS);
    luaL_argcheck(L, eps > 0 && eps < 1, 3, "eps must be in (0, 1)");
    if (lua_isnoneornil(L, 1)) {
        lua_pushliteral(L, "NA");
        return 1;
    }
    if (lua_type(L, 1) != LUA_TNUMBER)
        return luaL_error(L, "rg.fmt_p: expected a number, got a %s", luaL_typename(L, 1));
    double p = lua_tonumber(L, 1);
    if (!isnan(p) && !(p >= 0 && p <= 1))
        return luaL_error(L, "rg.fmt_p: %f is not a probability (0 <= p <= 1)", p);
    rg_buf b = {0};
    fmt_p(&b, p, digits, eps);
    push_short(L, &b);
    return 1;
}

/* rg.record(name, value) */
static int l_record(lua_State *L)
{
    size_t len;
    const char *name = luaL_checklstring(L, 1, &len);
    luaL_argcheck(L, len > 0, 1, "record names cannot be empty");
    luaL_argcheck(L, !lua_isnoneornil(L, 2), 2, "nothing to record (nil)");
    rg_value *v = luav_to_value(L, 2, "rg.record");
    host_record(L, name, v);
    return 0;
}

/* rg.note(text) */
static int l_note(lua_State *L)
{
    host_note(L, luaL_checkstring(L, 1));
    return 0;
}

/* rg.read_text(path) -> string */
static int l_read_text(lua_State *L)
{
    const char *path = luaL_checkstring(L, 1);
    host_resolve_read(L, path); /* real, rel */
    if (!luav_readfile(L, lua_tostring(L, -2))) {
        host_data_error(L);
        return luaL_error(L, "rg.read_text: cannot read '%s'", path);
    }
    size_t len;
    const char *s = lua_tolstring(L, -1, &len);
    host_add_input(L, lua_tostring(L, -2), "text", s, len, -1, -1);
    return 1;
}

/* ---- tables ------------------------------------------------------------------- */

static void free_buf_box(void *p)
{
    buf_free(p);
    free(p);
}

void luav_push_table_html(lua_State *L, const rg_table *t, rg_table_view *v,
                          const char *fallback, int download)
{
    const rg_chunk *c = host_chunk(L);
    if (!v->caption && c)
        v->caption = c->opts.tbl_cap;
    if (v->caption || (c && strncmp(c->opts.label, "tbl-", 4) == 0))
        v->number = host_number(L, 't', &v->id); /* a numbered table with an id */
    else
        v->caption = fallback;
    void **slot = box_new(L, free_buf_box); /* owns what is built while Lua may raise */
    rg_buf *h = *slot = calloc(1, sizeof *h);
    if (!h)
        luaL_error(L, "out of memory");
    int cut = v->max_rows && t->nrow > v->max_rows;
    rg_buf csv = {0}, name = {0};
    if (!v->csv && download >= 0 && (cut || download > 0)) {
        table_csv(&csv, t);
        v->csv = csv.data ? csv.data : "";
        v->csv_len = csv.len;
    }
    if (v->csv) {
        buf_puts(&name, v->id ? v->id : c ? c->opts.label : "table");
        buf_puts(&name, ".csv");
        v->csv_name = buf_cstr(&name);
    }
    table_html_view(h, t, v);
    if (csv.failed || name.failed)
        h->failed = 1;
    buf_free(&csv);
    buf_free(&name);
    v->csv = NULL;
    if (h->failed)
        luaL_error(L, "out of memory");
    lua_pushlstring(L, h->data, h->len);
    lua_remove(L, -2); /* the box */
}

/* An rg.table: its rows (an rg_table in a box, user value 1), the caption
 * (user value 2) and p-value flags (user value 3, a string of ncol bytes);
 * drawn when shown, so that it is numbered where it appears. */
typedef struct {
    const rg_table *t; /* owned by the box in user value 1 */
    int digits;
    size_t max_rows;
    double p_eps;
    int download;
    size_t charged; /* bytes counted against --max-memory, given back at __gc */
} table_ud;

static int table_gc(lua_State *L)
{
    table_ud *t = luaL_checkudata(L, 1, TABLE_MT);
    host_release(L, t->charged);
    t->charged = 0;
    return 0;
}

static int table_html_mm(lua_State *L)
{
    lua_settop(L, 1);
    table_ud *u = luaL_checkudata(L, 1, TABLE_MT);
    rg_table_view v = {.digits = u->digits, .max_rows = u->max_rows, .p_eps = u->p_eps};
    lua_getiuservalue(L, 1, 2);
    v.caption = lua_tostring(L, -1);
    lua_getiuservalue(L, 1, 3);
    v.p_cols = lua_tostring(L, -1);
    luav_push_table_html(L, u->t, &v, NULL, u->download);
    return 1;
}

static int table_tostring(lua_State *L)
{
    table_ud *t = luaL_checkudata(L, 1, TABLE_MT);
    lua_pushfstring(L, "rg.Table (%d rows, %d columns)", (int)t->t->nrow, (int)t->t->ncol);
    return 1;
}

#define TABLE_MAX_ROWS 50 /* rows shown unless max_rows says otherwise */

/* rg.table(rows [, {digits=, cols=, caption=, max_rows=, p_cols=, p_eps=,
 * download=}]) */
static int l_table(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 2);
    int digits = RG_FMT_DIGITS;
    lua_Integer max_rows = TABLE_MAX_ROWS;
    int cols = 0, download = 0;
    double p_eps = 0.001;
    if (!lua_isnil(L, 2)) {
        luaL_checktype(L, 2, LUA_TTABLE);
        static const char *const known[] = {"digits", "cols",  "caption",  "max_rows",
                                            "p_cols", "p_eps", "download", NULL};
        luav_check_options(L, 2, "rg.table", known);
        if (lua_getfield(L, 2, "digits") != LUA_TNIL) {
            lua_Integer d = lua_isinteger(L, -1) ? lua_tointeger(L, -1) : 0;
            if (d < 1 || d > 17)
                return luaL_error(L, "rg.table: digits must be an integer from 1 to 17");
            digits = (int)d;
        }
        if (lua_getfield(L, 2, "max_rows") != LUA_TNIL) {
            max_rows = lua_isinteger(L, -1) ? lua_tointeger(L, -1) : -1;
            if (max_rows < 0)
                return luaL_error(L, "rg.table: max_rows must be an integer >= 0");
        }
        if (lua_getfield(L, 2, "caption") != LUA_TNIL && lua_type(L, -1) != LUA_TSTRING)
            return luaL_error(L, "rg.table: caption must be a string");
        p_eps = luav_opt_number(L, 2, "p_eps", 0.001, "rg.table");
        if (!(p_eps > 0 && p_eps < 1))
            return luaL_error(L, "rg.table: p_eps must be in (0, 1), got %f", p_eps);
        if (lua_getfield(L, 2, "download") != LUA_TNIL) {
            if (!lua_isboolean(L, -1))
                return luaL_error(L, "rg.table: download must be true or false");
            download = lua_toboolean(L, -1) ? 1 : -1;
        }
        if (lua_getfield(L, 2, "cols") != LUA_TNIL) {
            if (lua_type(L, -1) != LUA_TTABLE)
                return luaL_error(L, "rg.table: cols must be a list of column names");
            cols = lua_gettop(L);
        }
    }
    rg_table *t = luav_records_table(L, 1, cols);
    int box = lua_gettop(L);
    /* the p-value columns: one flag byte per column */
    luaL_Buffer pb;
    int has_p = !lua_isnil(L, 2) && lua_getfield(L, 2, "p_cols") != LUA_TNIL;
    if (!lua_isnil(L, 2) && !has_p)
        lua_pop(L, 1);
    if (has_p) {
        int pc = lua_gettop(L);
        if (lua_type(L, pc) != LUA_TTABLE)
            return luaL_error(L, "rg.table: p_cols must be a list of column names");
        char *flags = luaL_buffinitsize(L, &pb, t->ncol + 1);
        memset(flags, 0, t->ncol + 1);
        for (lua_Integer k = 1; k <= (lua_Integer)lua_rawlen(L, pc); k++) {
            lua_rawgeti(L, pc, k);
            const char *nm = lua_tostring(L, -1);
            size_t j = 0;
            while (nm && j < t->ncol && strcmp(t->names[j], nm) != 0)
                j++;
            if (!nm || j == t->ncol)
                return luaL_error(L, "rg.table: p_cols names '%s', which is not a column",
                                  nm ? nm : luaL_typename(L, -1));
            flags[j] = 1;
            lua_pop(L, 1);
        }
        luaL_pushresultsize(&pb, t->ncol);
    }
    table_ud *ud = lua_newuserdatauv(L, sizeof *ud, 3);
    memset(ud, 0, sizeof *ud);
    luaL_setmetatable(L, TABLE_MT);
    ud->t = t;
    ud->digits = digits;
    ud->max_rows = (size_t)max_rows;
    ud->p_eps = p_eps;
    ud->download = download;
    lua_pushvalue(L, box);
    lua_setiuservalue(L, -2, 1);
    if (!lua_isnil(L, 2)) {
        lua_getfield(L, 2, "caption");
        lua_setiuservalue(L, -2, 2);
    }
    if (has_p) {
        lua_pushvalue(L, -2); /* the flags */
        lua_setiuservalue(L, -2, 3);
    }
    ud->charged = (t->nrow + 1) * (t->ncol + 1) * 48;
    host_charge(L, ud->charged);
    return 1;
}

static const luaL_Reg table_meta[] = {{"__gc", table_gc},
                                      {"__rg_html", table_html_mm},
                                      {"__tostring", table_tostring},
                                      {NULL, NULL}};

static const luaL_Reg rg_funcs[] = {
    {"record", l_record},       {"note", l_note},   {"fmt", l_fmt},
    {"fmt_p", l_fmt_p},         {"table", l_table}, {"read_text", l_read_text},
    {NULL, NULL}};

int luaopen_rg(lua_State *L)
{
    luaL_newmetatable(L, TABLE_MT);
    luaL_setfuncs(L, table_meta, 0);
    lua_pop(L, 1);
    luaL_newlib(L, rg_funcs);
    luaopen_rg_rng(L);
    lua_setfield(L, -2, "rng");
    /* the functions of these modules live directly in rg */
    static const lua_CFunction flat[] = {luaopen_rg_stats, luaopen_rg_frame, luaopen_rg_surv,
                                         luaopen_rg_model};
    for (size_t i = 0; i < sizeof flat / sizeof *flat; i++) {
        flat[i](L);
        lua_pushnil(L);
        while (lua_next(L, -2)) { /* rg, lib, key, value */
            lua_pushvalue(L, -2);
            if (lua_type(L, -2) == LUA_TTABLE && lua_rawget(L, -5) == LUA_TTABLE) {
                /* a table both modules fill (rg.perm): merge its fields */
                lua_pushnil(L);
                while (lua_next(L, -3)) { /* ..., value, existing, k, v */
                    lua_pushvalue(L, -2);
                    lua_insert(L, -2);
                    lua_rawset(L, -4);
                }
                lua_pop(L, 2);
                continue;
            }
            lua_pop(L, 1);
            lua_pushvalue(L, -2);
            lua_insert(L, -2);
            lua_settable(L, -5);
        }
        lua_pop(L, 1);
    }
    return 1;
}
