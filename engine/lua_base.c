/* engine/lua_base.c — the study's global environment: the sandboxed standard
 * libraries and the base functions rglit replaces or adds (print, tostring,
 * pairs, load, require, warn, show), the modules rg and plot, plus the
 * read-only globals params and study. lua_bindings_open builds a whole
 * state from here. */
#include <lauxlib.h>
#include <lualib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "fmt.h"
#include "host.h"
#include "lua_bindings.h"
#include "resources.h"

#define LOADED_KEY "rg.loaded"
static char loading_mark; /* loaded[name] while a module runs */
#define MAX_LIST_SHOWN 100
#define MAX_ROWS_SHOWN 100

/* ---- tostring and print: no addresses in output -------------------------- */

static int l_tostring(lua_State *L)
{
    luaL_checkany(L, 1);
    luav_push_text(L, 1);
    return 1;
}

static int l_print(lua_State *L)
{
    int n = lua_gettop(L);
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (int i = 1; i <= n; i++) {
        luav_push_text(L, i);
        if (i > 1)
            luaL_addchar(&b, '\t');
        luaL_addvalue(&b);
    }
    luaL_addchar(&b, '\n');
    luaL_pushresult(&b);
    size_t len;
    const char *s = lua_tolstring(L, -1, &len);
    host_print(L, s, len);
    return 0;
}

/* ---- pairs in a deterministic order ----------------------------------------- */

static int pairs_next(lua_State *L)
{
    /* upvalues: 1 the table, 2 the sorted keys, 3 the position */
    lua_Integer i = lua_tointeger(L, lua_upvalueindex(3));
    lua_Integer n = (lua_Integer)lua_rawlen(L, lua_upvalueindex(2));
    while (++i <= n) {
        lua_rawgeti(L, lua_upvalueindex(2), i);
        lua_pushvalue(L, -1);
        lua_rawget(L, lua_upvalueindex(1));
        if (!lua_isnil(L, -1)) { /* keys removed during the loop are skipped */
            lua_pushinteger(L, i);
            lua_replace(L, lua_upvalueindex(3));
            return 2;
        }
        lua_pop(L, 2);
    }
    lua_pushinteger(L, n);
    lua_replace(L, lua_upvalueindex(3));
    return 0;
}

static int l_pairs(lua_State *L)
{
    luaL_checkany(L, 1);
    if (luaL_getmetafield(L, 1, "__pairs") != LUA_TNIL) {
        lua_pushvalue(L, 1);
        lua_call(L, 1, 3);
        return 3;
    }
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_pushvalue(L, 1);
    luav_sorted_keys(L, 1);
    lua_pushinteger(L, 0);
    lua_pushcclosure(L, pairs_next, 3);
    lua_pushnil(L);
    lua_pushnil(L);
    return 3;
}

/* ---- load: text chunks only ------------------------------------------------- */

static int l_load(lua_State *L)
{
    /* upvalue 1: the standard load; arguments chunk, chunkname, mode, env */
    int n = lua_gettop(L);
    if (n >= 3 && !lua_isnil(L, 3)) {
        const char *mode = luaL_checkstring(L, 3);
        if (strchr(mode, 'b'))
            return luaL_error(L, "load: binary chunks are refused in a study "
                                 "(mode '%s')", mode);
    }
    if (n < 3)
        lua_settop(L, 3); /* an absent env must stay absent: keep n >= 4 as is */
    lua_pushliteral(L, "t");
    lua_replace(L, 3);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
    return lua_gettop(L);
}

/* ---- warn: a note in the report --------------------------------------------- */

static int l_warn(lua_State *L)
{
    int n = lua_gettop(L);
    luaL_checkstring(L, 1);
    for (int i = 2; i <= n; i++)
        luaL_checkstring(L, i);
    if (n == 1 && lua_tostring(L, 1)[0] == '@')
        return 0; /* a control message ("@on", "@off") */
    lua_concat(L, n);
    host_note(L, lua_tostring(L, -1));
    return 0;
}

/* ---- require: lua/ and the study's folder ------------------------------------ */

static int valid_module_name(const char *s)
{
    int seg = 0;
    for (; *s; s++) {
        if (*s == '.') {
            if (seg == 0)
                return 0;
            seg = 0;
        } else if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
                   (*s >= '0' && *s <= '9') || *s == '_' || *s == '-') {
            seg++;
        } else {
            return 0;
        }
    }
    return seg > 0;
}

static int l_require(lua_State *L)
{
    const char *name = luaL_checkstring(L, 1);
    if (!valid_module_name(name))
        return luaL_error(L, "require: '%s' is not a module name (letters, digits, "
                             "'_', '-', and '.' between parts)", name);
    lua_settop(L, 1);
    lua_getfield(L, LUA_REGISTRYINDEX, LOADED_KEY); /* 2 */
    lua_getfield(L, 2, name);
    if (lua_toboolean(L, -1)) {
        if (lua_type(L, -1) == LUA_TLIGHTUSERDATA)
            return luaL_error(L, "require: module '%s' requires itself (a cycle)", name);
        return 1;
    }
    lua_pop(L, 1);

    luaL_Buffer fb;
    luaL_buffinit(L, &fb);
    for (const char *p = name; *p; p++)
        luaL_addchar(&fb, *p == '.' ? '/' : *p);
    luaL_addstring(&fb, ".lua");
    luaL_pushresult(&fb); /* 3: relative file name */
    const char *file = lua_tostring(L, 3);

    lua_pushfstring(L, "lua/%s", file); /* 4 */
    const rg_resource *res = resource_find(lua_tostring(L, 4));
    int st;
    if (res) {
        lua_pushfstring(L, "@lua/%s", file);
        st = luaL_loadbufferx(L, (const char *)res->data, res->len,
                              lua_tostring(L, -1), "t");
    } else {
        /* modules come from the study's folder only, never --allow-read */
        if (!host_module_path(L, file)) /* 5 real, 6 rel */
            return luaL_error(L, "require: module '%s' not found (looked for lua/%s "
                                 "in rglit's library and %s in the study's folder)",
                              name, file, file);
        lua_rotate(L, 5, 1); /* 5 rel, 6 real */
        if (!luav_readfile(L, lua_tostring(L, 6))) /* 7 */
            return luaL_error(L, "require: cannot read '%s'", lua_tostring(L, 5));
        size_t len;
        const char *src = lua_tolstring(L, 7, &len);
        host_add_input(L, lua_tostring(L, 5), "module", src, len, -1, -1);
        lua_pushfstring(L, "@%s", lua_tostring(L, 5));
        st = luaL_loadbufferx(L, src, len, lua_tostring(L, -1), "t");
    }
    if (st != LUA_OK)
        return lua_error(L);
    /* mark as loading, run (unmarked again if it fails), store */
    lua_pushlightuserdata(L, &loading_mark);
    lua_setfield(L, 2, name);
    lua_pushvalue(L, 1);
    if (lua_pcall(L, 1, 1, 0) != LUA_OK) {
        lua_pushnil(L);
        lua_setfield(L, 2, name);
        return lua_error(L);
    }
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        lua_pushboolean(L, 1);
    }
    lua_pushvalue(L, -1);
    lua_setfield(L, 2, name);
    return 1;
}

/* ---- show ----------------------------------------------------------------- */

static void show_scalar(lua_State *L, rg_buf *b, int idx)
{
    switch (lua_type(L, idx)) {
    case LUA_TNUMBER:
        if (lua_isinteger(L, idx))
            buf_printf(b, "%lld", (long long)lua_tointeger(L, idx));
        else
            fmt_num(b, lua_tonumber(L, idx), RG_FMT_DIGITS_VALUE);
        break;
    case LUA_TSTRING: {
        size_t n;
        const char *s = lua_tolstring(L, idx, &n);
        buf_put_html(b, s, n);
        break;
    }
    default: {
        size_t n;
        const char *s = luav_push_text(L, idx);
        n = strlen(s);
        buf_put_html(b, s, n);
        lua_pop(L, 1);
    }
    }
}

static void table_free_void(void *p) { table_free(p); }

static void buf_free_void(void *p)
{
    buf_free(p);
    free(p);
}

/* A fresh boxed rg_buf on the stack. */
static rg_buf *new_buf(lua_State *L)
{
    void **slot = box_new(L, buf_free_void);
    rg_buf *b = *slot = calloc(1, sizeof *b);
    if (!b)
        luaL_error(L, "out of memory");
    return b;
}

static int is_record_array(lua_State *L, int idx)
{
    lua_Integer n = (lua_Integer)lua_rawlen(L, idx);
    if (n == 0)
        return 0;
    for (lua_Integer i = 1; i <= n; i++) {
        int t = lua_rawgeti(L, idx, i);
        lua_pop(L, 1);
        if (t != LUA_TTABLE)
            return 0;
    }
    return 1;
}

static void show_one(lua_State *L, int idx)
{
    idx = lua_absindex(L, idx);
    int t = lua_type(L, idx);
    if (t == LUA_TUSERDATA && luaL_getmetafield(L, idx, "__rg_html") != LUA_TNIL) {
        /* engine objects render themselves; only C code can set this */
        lua_pushvalue(L, idx);
        lua_call(L, 1, 1);
        size_t n;
        const char *s = luaL_checklstring(L, -1, &n);
        host_show_html(L, s, n);
        lua_pop(L, 1);
        return;
    }
    rg_buf *b = new_buf(L);
    if (t != LUA_TTABLE || luaL_getmetafield(L, idx, "__tostring") != LUA_TNIL) {
        if (t == LUA_TTABLE)
            lua_pop(L, 1);
        buf_puts(b, t == LUA_TSTRING ? "<div class=\"rg-text\">" : "<div class=\"rg-value\">");
        show_scalar(L, b, idx);
        buf_puts(b, "</div>\n");
    } else if (is_record_array(L, idx)) {
        rg_table *tab = luav_records_table(L, idx, 0);
        rg_table_view v = {.digits = RG_FMT_DIGITS, .max_rows = MAX_ROWS_SHOWN};
        luav_push_table_html(L, tab, &v, NULL, 0);
        size_t len;
        const char *html = lua_tolstring(L, -1, &len);
        buf_put(b, html, len);
        lua_pop(L, 2);
    } else {
        size_t n = 0;
        lua_pushnil(L);
        while (lua_next(L, idx)) {
            lua_pop(L, 1);
            n++;
        }
        if (n == lua_rawlen(L, idx)) { /* a list of values, or empty */
            buf_printf(b, "<div class=\"rg-value\">[");
            for (size_t i = 1; i <= n && i <= MAX_LIST_SHOWN; i++) {
                lua_rawgeti(L, idx, (lua_Integer)i);
                if (i > 1)
                    buf_puts(b, ", ");
                if (lua_type(L, -1) == LUA_TNUMBER && !lua_isinteger(L, -1))
                    fmt_num(b, lua_tonumber(L, -1), RG_FMT_DIGITS_VALUE);
                else
                    show_scalar(L, b, -1);
                lua_pop(L, 1);
            }
            if (n > MAX_LIST_SHOWN)
                buf_printf(b, ", &hellip; (%zu values)", n);
            buf_puts(b, "]</div>\n");
        } else { /* a map: name / value rows in key order */
            void **slot = box_new(L, table_free_void);
            rg_table *tab = *slot = table_new(0, NULL);
            if (!tab)
                luaL_error(L, "out of memory");
            if (table_add_col(tab, "name") || table_add_col(tab, "value"))
                luaL_error(L, "out of memory");
            luav_sorted_keys(L, idx);
            lua_Integer nk = (lua_Integer)lua_rawlen(L, -1);
            for (lua_Integer i = 1; i <= nk; i++) {
                rg_value *row[2] = {NULL, NULL};
                if (table_add_row(tab, row) != 0)
                    luaL_error(L, "out of memory");
                rg_value **cells = tab->cells + (tab->nrow - 1) * 2;
                lua_rawgeti(L, -1, i);
                const char *k = luav_push_text(L, -1);
                cells[0] = value_str(k, (size_t)-1);
                lua_pop(L, 1);
                lua_rawget(L, idx);
                int vt = lua_type(L, -1);
                if (vt == LUA_TTABLE) {
                    size_t len = lua_rawlen(L, -1);
                    char tmp[48];
                    snprintf(tmp, sizeof tmp, "table (%zu values)", len);
                    cells[1] = value_str(tmp, (size_t)-1);
                } else if (vt == LUA_TNUMBER || vt == LUA_TBOOLEAN || vt == LUA_TSTRING) {
                    cells[1] = luav_to_value(L, -1, "show");
                } else {
                    cells[1] = value_str(luav_push_text(L, -1), (size_t)-1);
                    lua_pop(L, 1);
                }
                lua_pop(L, 1);
                if (!cells[0] || !cells[1])
                    luaL_error(L, "out of memory");
            }
            lua_pop(L, 1);
            table_html(b, tab, RG_FMT_DIGITS_VALUE, MAX_ROWS_SHOWN, NULL);
            lua_pop(L, 1);
        }
    }
    if (b->failed)
        luaL_error(L, "out of memory");
    host_show_html(L, b->data, b->len);
    lua_pop(L, 1); /* the buffer's box */
}

static int l_show(lua_State *L)
{
    int n = lua_gettop(L);
    if (n == 0)
        return luaL_error(L, "show: nothing to show");
    for (int i = 1; i <= n; i++)
        show_one(L, i);
    return 0;
}

/* ---- read-only globals -------------------------------------------------------- */

#define READONLY_KEY "rg.readonly"

/* A copy of the plain table at idx (nested tables copied too). */
static void copy_table(lua_State *L, int idx, int depth)
{
    idx = lua_absindex(L, idx);
    if (depth > 32)
        luaL_error(L, "params nested deeper than 32 levels");
    luaL_checkstack(L, 4, "params nested too deeply");
    lua_newtable(L);
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        if (lua_type(L, -1) == LUA_TTABLE) {
            copy_table(L, -1, depth + 1);
            lua_replace(L, -2);
        }
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, -4);
    }
}

/* __index of a read-only proxy: values of the hidden table, tables as fresh
 * copies, so that changing params.list[1] changes nothing a later chunk sees. */
static int ro_index(lua_State *L)
{
    lua_pushvalue(L, 2);
    lua_rawget(L, lua_upvalueindex(1));
    if (lua_type(L, -1) == LUA_TTABLE && !lua_getmetatable(L, -1))
        copy_table(L, -1, 0); /* plain tables; proxies (study.params) as they are */
    else if (lua_type(L, -1) == LUA_TTABLE)
        lua_pop(L, 1); /* the metatable */
    return 1;
}

static int ro_newindex(lua_State *L)
{
    return luaL_error(L, "%s is read-only (%s)", lua_tostring(L, lua_upvalueindex(1)),
                      lua_tostring(L, lua_upvalueindex(2)));
}

static int ro_len(lua_State *L)
{
    lua_pushinteger(L, (lua_Integer)lua_rawlen(L, lua_upvalueindex(1)));
    return 1;
}

static int ro_pairs(lua_State *L)
{
    lua_settop(L, 0);
    lua_pushcfunction(L, l_pairs);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_call(L, 1, 3);
    return 3;
}

/* Replace the table on top by a read-only proxy of it. */
static void make_readonly(lua_State *L, const char *name, const char *hint)
{
    int real = lua_gettop(L);
    lua_newtable(L);              /* proxy */
    lua_createtable(L, 0, 5);     /* its metatable */
    lua_pushvalue(L, real);
    lua_pushcclosure(L, ro_index, 1);
    lua_setfield(L, -2, "__index");
    lua_pushstring(L, name);
    lua_pushstring(L, hint);
    lua_pushcclosure(L, ro_newindex, 2);
    lua_setfield(L, -2, "__newindex");
    lua_pushvalue(L, real);
    lua_pushcclosure(L, ro_len, 1);
    lua_setfield(L, -2, "__len");
    lua_pushvalue(L, real);
    lua_pushcclosure(L, ro_pairs, 1);
    lua_setfield(L, -2, "__pairs");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, -2);
    lua_replace(L, real);
    /* remembered, so that rawset on the proxy can be caught afterwards */
    lua_getfield(L, LUA_REGISTRYINDEX, READONLY_KEY);
    lua_pushvalue(L, real);
    lua_pushstring(L, name);
    lua_rawset(L, -3);
    lua_pop(L, 1);
}

const char *luav_readonly_changed(lua_State *L)
{
    const char *changed = NULL;
    lua_getfield(L, LUA_REGISTRYINDEX, READONLY_KEY); /* proxy -> name */
    lua_pushnil(L);
    while (!changed && lua_next(L, -2)) {
        lua_pushnil(L);
        if (lua_next(L, -3)) { /* the proxy holds a key of its own */
            lua_pop(L, 2);
            changed = lua_tostring(L, -1); /* anchored in the registry table */
        }
        lua_pop(L, 1);
    }
    /* left: the registry table, and the last proxy key when stopped early */
    lua_pop(L, changed ? 2 : 1);
    return changed;
}

/* ---- opening -------------------------------------------------------------------- */

static const luaL_Reg base_funcs[] = {
    {"print", l_print},     {"tostring", l_tostring}, {"pairs", l_pairs},
    {"warn", l_warn},       {"require", l_require},   {"show", l_show},
    {NULL, NULL}};

int luaopen_rg_base(lua_State *L)
{
    lua_pushglobaltable(L);
    lua_getfield(L, -1, "load");
    lua_pushcclosure(L, l_load, 1);
    lua_setfield(L, -2, "load");
    luaL_setfuncs(L, base_funcs, 0);
    static const char *const removed[] = {"dofile", "loadfile", NULL};
    for (const char *const *r = removed; *r; r++) {
        lua_pushnil(L);
        lua_setfield(L, -2, *r);
    }
    lua_newtable(L);
    lua_setfield(L, LUA_REGISTRYINDEX, LOADED_KEY);
    lua_newtable(L);
    lua_setfield(L, LUA_REGISTRYINDEX, READONLY_KEY);
    return 1;
}

static int open_all(lua_State *L)
{
    const rg_doc *doc = lua_touserdata(L, 1);
    static const luaL_Reg libs[] = {
        {LUA_GNAME, luaopen_base},         {LUA_TABLIBNAME, luaopen_table},
        {LUA_STRLIBNAME, luaopen_string},  {LUA_MATHLIBNAME, luaopen_math},
        {LUA_UTF8LIBNAME, luaopen_utf8},   {LUA_COLIBNAME, luaopen_coroutine},
        {NULL, NULL}};
    for (const luaL_Reg *l = libs; l->name; l++) {
        luaL_requiref(L, l->name, l->func, 1);
        lua_pop(L, 1);
    }
    luaopen_rg_base(L);
    lua_pop(L, 1);
    luaL_requiref(L, "rg", luaopen_rg, 1);
    lua_pop(L, 1);
    luaL_requiref(L, "plot", luaopen_rg_plot, 1);
    lua_pop(L, 1);

    luav_push(L, doc->params);
    make_readonly(L, "params", "set params in the front matter or with -P");
    lua_pushvalue(L, -1);
    lua_setglobal(L, "params");

    lua_createtable(L, 0, 6);
    lua_insert(L, -2);
    lua_setfield(L, -2, "params");
    if (doc->title) {
        lua_pushstring(L, doc->title);
        lua_setfield(L, -2, "title");
    }
    if (doc->author) {
        lua_pushstring(L, doc->author);
        lua_setfield(L, -2, "author");
    }
    if (doc->date) {
        lua_pushstring(L, doc->date);
        lua_setfield(L, -2, "date");
    }
    lua_pushinteger(L, (lua_Integer)doc->seed);
    lua_setfield(L, -2, "seed");
    lua_pushstring(L, doc->name);
    lua_setfield(L, -2, "path");
    make_readonly(L, "study", "it describes the study file");
    lua_setglobal(L, "study");
    return 0;
}

int lua_bindings_open(lua_State *L, const rg_doc *doc)
{
    lua_pushcfunction(L, open_all);
    lua_pushlightuserdata(L, (void *)doc);
    return lua_pcall(L, 1, 0, 0);
}
