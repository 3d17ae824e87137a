/* engine/lua_value.c — conversions between Lua values and rg_value trees,
 * boxes that tie C memory to the garbage collector, the deterministic key
 * order of pairs(), and tables of records for show(). Shared by the lua_*.c
 * bindings (lua_bindings.h). */
#include <lauxlib.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>

#include "host.h"
#include "lua_bindings.h"

#define BOX_MT "rg.Box"
#define MAX_DEPTH 32

typedef struct {
    void *p;
    void (*free_fn)(void *);
} box;

static int box_gc(lua_State *L)
{
    box *b = luaL_checkudata(L, 1, BOX_MT);
    if (b->p && b->free_fn)
        b->free_fn(b->p);
    b->p = NULL;
    return 0;
}

void **box_new(lua_State *L, void (*free_fn)(void *))
{
    box *b = lua_newuserdatauv(L, sizeof *b, 0);
    b->p = NULL;
    b->free_fn = free_fn;
    if (luaL_newmetatable(L, BOX_MT)) {
        lua_pushcfunction(L, box_gc);
        lua_setfield(L, -2, "__gc");
    }
    lua_setmetatable(L, -2);
    return &b->p;
}

void *box_take(void **slot)
{
    void *p = *slot;
    *slot = NULL;
    return p;
}

/* ---- text without addresses ------------------------------------------------- */

const char *luav_push_text(lua_State *L, int idx)
{
    idx = lua_absindex(L, idx);
    if (luaL_callmeta(L, idx, "__tostring")) {
        if (!lua_isstring(L, -1))
            luaL_error(L, "'__tostring' must return a string");
        return lua_tostring(L, -1);
    }
    switch (lua_type(L, idx)) {
    case LUA_TNUMBER:
    case LUA_TSTRING:
    case LUA_TBOOLEAN:
    case LUA_TNIL:
        return luaL_tolstring(L, idx, NULL);
    default:
        switch (luaL_getmetafield(L, idx, "__name")) {
        case LUA_TSTRING:
            return lua_tostring(L, -1);
        case LUA_TNIL:
            break; /* nothing pushed */
        default:
            lua_pop(L, 1);
        }
        lua_pushstring(L, luaL_typename(L, idx));
        return lua_tostring(L, -1);
    }
}

/* ---- arrays of numbers ------------------------------------------------------- */

double *luav_numbers(lua_State *L, int idx, const char *what, const char *name, size_t *n)
{
    idx = lua_absindex(L, idx);
    if (lua_type(L, idx) != LUA_TTABLE)
        luaL_error(L, "%s: %s must be an array of numbers, got a %s", what, name,
                   luaL_typename(L, idx));
    size_t len = lua_rawlen(L, idx);
    double *v = lua_newuserdatauv(L, (len ? len : 1) * sizeof *v, 0);
    for (size_t i = 0; i < len; i++) {
        int t = lua_rawgeti(L, idx, (lua_Integer)i + 1);
        if (t != LUA_TNUMBER)
            luaL_error(L, "%s: %s[%d] is %s, not a number (use 0/0 for a missing value)",
                       what, name, (int)i + 1, t == LUA_TNIL ? "nil" : luaL_typename(L, -1));
        v[i] = lua_tonumber(L, -1);
        lua_pop(L, 1);
    }
    *n = len;
    return v;
}

/* ---- rg_value -> Lua ------------------------------------------------------- */

void luav_push(lua_State *L, const rg_value *v)
{
    luaL_checkstack(L, 4, "value too deeply nested");
    switch (v->type) {
    case RG_NULL:
        lua_pushnil(L);
        break;
    case RG_BOOL:
        lua_pushboolean(L, v->u.b);
        break;
    case RG_INT:
        lua_pushinteger(L, (lua_Integer)v->u.i);
        break;
    case RG_NUM:
        lua_pushnumber(L, v->u.n);
        break;
    case RG_STR:
        lua_pushlstring(L, v->u.s, v->len);
        break;
    case RG_LIST:
        lua_createtable(L, (int)v->len, 0);
        for (size_t i = 0; i < v->len; i++) {
            luav_push(L, v->items[i]);
            lua_rawseti(L, -2, (lua_Integer)i + 1);
        }
        break;
    case RG_MAP:
        lua_createtable(L, 0, (int)v->len);
        for (size_t i = 0; i < v->len; i++) {
            luav_push(L, v->items[i]);
            lua_setfield(L, -2, v->keys[i]);
        }
        break;
    }
}

/* ---- key order --------------------------------------------------------------- */

typedef struct {
    int rank;          /* 0 number, 1 string, 2 boolean, 3 other */
    double num;
    const char *s;
    size_t len;
    int b;
    int pos;           /* traversal position: ties and "other" keep it */
} keyref;

static int keycmp(const void *pa, const void *pb)
{
    const keyref *a = pa, *b = pb;
    if (a->rank != b->rank)
        return a->rank - b->rank;
    if (a->rank == 0 && a->num != b->num)
        return a->num < b->num ? -1 : 1;
    if (a->rank == 1) {
        size_t n = a->len < b->len ? a->len : b->len;
        int c = memcmp(a->s, b->s, n);
        if (c)
            return c;
        if (a->len != b->len)
            return a->len < b->len ? -1 : 1;
    }
    if (a->rank == 2 && a->b != b->b)
        return a->b - b->b;
    return a->pos - b->pos;
}

void luav_sorted_keys(lua_State *L, int idx)
{
    idx = lua_absindex(L, idx);
    lua_newtable(L); /* keys in traversal order */
    int keys = lua_gettop(L);
    int n = 0;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        lua_pop(L, 1);
        lua_pushvalue(L, -1);
        lua_rawseti(L, keys, ++n);
    }
    keyref *refs = lua_newuserdatauv(L, (size_t)(n ? n : 1) * sizeof *refs, 0);
    for (int i = 0; i < n; i++) {
        keyref *k = &refs[i];
        memset(k, 0, sizeof *k);
        k->pos = i;
        lua_rawgeti(L, keys, i + 1);
        switch (lua_type(L, -1)) {
        case LUA_TNUMBER:
            k->rank = 0;
            k->num = lua_tonumber(L, -1);
            break;
        case LUA_TSTRING:
            k->rank = 1;
            k->s = lua_tolstring(L, -1, &k->len); /* anchored in keys */
            break;
        case LUA_TBOOLEAN:
            k->rank = 2;
            k->b = lua_toboolean(L, -1);
            break;
        default:
            k->rank = 3;
        }
        lua_pop(L, 1);
    }
    qsort(refs, (size_t)n, sizeof *refs, keycmp);
    lua_createtable(L, n, 0);
    for (int i = 0; i < n; i++) {
        lua_rawgeti(L, keys, refs[i].pos + 1);
        lua_rawseti(L, -2, i + 1);
    }
    lua_replace(L, keys);
    lua_pop(L, 1); /* refs */
}

/* ---- Lua -> rg_value ---------------------------------------------------------- */

/* Number of keys in the table at idx, and whether they are exactly 1..n. */
static int is_array(lua_State *L, int idx, size_t *n)
{
    size_t len = lua_rawlen(L, idx), count = 0;
    int ok = 1;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        lua_pop(L, 1);
        count++;
        if (!lua_isinteger(L, -1)) {
            ok = 0;
        } else {
            lua_Integer k = lua_tointeger(L, -1);
            if (k < 1 || (size_t)k > len)
                ok = 0;
        }
    }
    *n = count;
    return ok && count == len;
}

static rg_value *to_value(lua_State *L, int idx, const char *what, int depth);

static void value_free_void(void *p) { value_free(p); }

static rg_value *checked(lua_State *L, rg_value *v)
{
    if (!v)
        luaL_error(L, "out of memory");
    return v;
}

/* Fill the boxed container c from the table at idx. */
static void fill(lua_State *L, int idx, rg_value *c, const char *what, int depth)
{
    size_t n;
    if (is_array(L, idx, &n)) {
        for (size_t i = 1; i <= n; i++) {
            lua_rawgeti(L, idx, (lua_Integer)i);
            rg_value *item = to_value(L, lua_gettop(L), what, depth + 1);
            lua_pop(L, 1);
            if (value_push(c, item) != 0)
                luaL_error(L, "out of memory");
        }
        return;
    }
    c->type = RG_MAP;
    luav_sorted_keys(L, idx);
    int keys = lua_gettop(L);
    for (lua_Integer i = 1; i <= (lua_Integer)n; i++) {
        lua_rawgeti(L, keys, i);
        if (lua_type(L, -1) != LUA_TSTRING)
            luaL_error(L, "%s: a table must be an array (keys 1..n) or a map with "
                          "string keys", what);
        lua_pushvalue(L, -1);
        lua_rawget(L, idx);
        rg_value *item = to_value(L, lua_gettop(L), what, depth + 1);
        lua_pop(L, 1);
        if (value_set(c, lua_tostring(L, -1), item) != 0)
            luaL_error(L, "out of memory");
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}

/* Returns a value owned by the caller; for tables it is built inside a box
 * that is popped before returning. */
static rg_value *to_value(lua_State *L, int idx, const char *what, int depth)
{
    switch (lua_type(L, idx)) {
    case LUA_TNUMBER:
        if (lua_isinteger(L, idx))
            return checked(L, value_int((int64_t)lua_tointeger(L, idx)));
        return checked(L, value_num(lua_tonumber(L, idx)));
    case LUA_TSTRING: {
        size_t len;
        const char *s = lua_tolstring(L, idx, &len);
        return checked(L, value_str(s, len));
    }
    case LUA_TBOOLEAN:
        return checked(L, value_bool(lua_toboolean(L, idx)));
    case LUA_TTABLE: {
        if (depth >= MAX_DEPTH)
            luaL_error(L, "%s: tables nested deeper than %d levels (a cycle?)", what,
                       MAX_DEPTH);
        luaL_checkstack(L, 8, "table too deeply nested");
        void **slot = box_new(L, value_free_void);
        rg_value *c = checked(L, *slot = value_new(RG_LIST));
        fill(L, idx, c, what, depth);
        box_take(slot);
        lua_pop(L, 1);
        return c;
    }
    default:
        luaL_error(L, "%s: cannot store a %s (numbers, strings, booleans and tables "
                      "of them only)", what, luaL_typename(L, idx));
        return NULL;
    }
}

rg_value *luav_to_value(lua_State *L, int idx, const char *what)
{
    return to_value(L, lua_absindex(L, idx), what, 0);
}

/* ---- tables of records ----------------------------------------------------------- */

static void table_free_void(void *p) { table_free(p); }

static int col_index(const rg_table *t, const char *name)
{
    for (size_t j = 0; j < t->ncol; j++)
        if (strcmp(t->names[j], name) == 0)
            return (int)j;
    return -1;
}

/* A cell from the Lua value on top (popped): scalars as they are, tables
 * without __tostring as "table (n values)", other values as their text. */
static rg_value *cell_value(lua_State *L)
{
    rg_value *v = NULL;
    switch (lua_type(L, -1)) {
    case LUA_TNIL:
        break;
    case LUA_TNUMBER:
    case LUA_TSTRING:
    case LUA_TBOOLEAN:
        v = luav_to_value(L, -1, "show");
        break;
    default:
        if (lua_type(L, -1) == LUA_TTABLE && !luaL_getmetafield(L, -1, "__tostring")) {
            lua_pushfstring(L, "table (%d values)", (int)lua_rawlen(L, -1));
        } else {
            if (lua_type(L, -1) == LUA_TTABLE)
                lua_pop(L, 1); /* the metafield */
            luav_push_text(L, -1);
        }
        v = checked(L, value_str(lua_tostring(L, -1), (size_t)-1));
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    return v;
}

rg_table *luav_records_table(lua_State *L, int idx, int cols_idx)
{
    idx = lua_absindex(L, idx);
    cols_idx = cols_idx ? lua_absindex(L, cols_idx) : 0;
    void **slot = box_new(L, table_free_void);
    rg_table *t = *slot = table_new(0, NULL);
    if (!t)
        luaL_error(L, "out of memory");
    if (cols_idx) {
        lua_Integer nc = luaL_len(L, cols_idx);
        for (lua_Integer j = 1; j <= nc; j++) {
            lua_rawgeti(L, cols_idx, j);
            const char *name = lua_tostring(L, -1);
            if (lua_type(L, -1) != LUA_TSTRING)
                luaL_error(L, "cols: column names must be strings");
            if (col_index(t, name) >= 0)
                luaL_error(L, "cols: column '%s' is named twice", name);
            if (table_add_col(t, name) != 0)
                luaL_error(L, "out of memory");
            lua_pop(L, 1);
        }
    }
    lua_Integer nrow = luaL_len(L, idx);
    /* first pass: columns (each record's keys sorted, first-seen order) */
    for (lua_Integer i = 1; i <= nrow && !cols_idx; i++) {
        if (lua_rawgeti(L, idx, i) != LUA_TTABLE)
            luaL_error(L, "row %d is a %s, not a record (a table of name = value)",
                       (int)i, luaL_typename(L, -1));
        luav_sorted_keys(L, -1);
        lua_Integer nk = (lua_Integer)lua_rawlen(L, -1);
        for (lua_Integer k = 1; k <= nk; k++) {
            lua_rawgeti(L, -1, k);
            if (lua_type(L, -1) != LUA_TSTRING)
                luaL_error(L, "row %d has a key that is not a name", (int)i);
            const char *name = lua_tostring(L, -1);
            if (col_index(t, name) < 0 && table_add_col(t, name) != 0)
                luaL_error(L, "out of memory");
            lua_pop(L, 1);
        }
        lua_pop(L, 2);
    }
    rg_value **row = lua_newuserdatauv(L, (t->ncol ? t->ncol : 1) * sizeof *row, 0);
    for (size_t j = 0; j < t->ncol; j++)
        row[j] = NULL;
    for (lua_Integer i = 1; i <= nrow; i++) {
        if (lua_rawgeti(L, idx, i) != LUA_TTABLE)
            luaL_error(L, "row %d is a %s, not a record (a table of name = value)",
                       (int)i, luaL_typename(L, -1));
        /* the row joins t empty, so each cell is owned by the boxed table as
         * soon as it exists */
        if (table_add_row(t, row) != 0)
            luaL_error(L, "out of memory");
        rg_value **cells = t->cells + (t->nrow - 1) * t->ncol;
        for (size_t j = 0; j < t->ncol; j++) {
            lua_getfield(L, -1, t->names[j]);
            cells[j] = cell_value(L);
        }
        lua_pop(L, 1);
    }
    lua_pop(L, 1); /* row buffer */
    return t;
}

int luav_readfile(lua_State *L, const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return 0;
    size_t size = (size_t)st.st_size;
    luaL_Buffer b;
    char *p = luaL_buffinitsize(L, &b, size); /* may raise: nothing open yet */
    FILE *f = fopen(path, "rb");
    if (!f) {
        luaL_pushresultsize(&b, 0);
        lua_pop(L, 1);
        return 0;
    }
    size_t n = fread(p, 1, size, f);
    int bad = ferror(f) || n != size;
    fclose(f);
    luaL_pushresultsize(&b, n);
    if (bad) {
        lua_pop(L, 1);
        return 0;
    }
    return 1;
}

/* ---- options and result fields ----------------------------------------------- */

void luav_check_options(lua_State *L, int idx, const char *what, const char *const *known)
{
    if (lua_isnoneornil(L, idx))
        return;
    if (lua_type(L, idx) != LUA_TTABLE)
        luaL_error(L, "%s: options must be a table, got a %s", what, luaL_typename(L, idx));
    idx = lua_absindex(L, idx);
    /* in sorted key order, so that the key named is the same on every run
     * (Lua's traversal order follows its per-run string hash seed) */
    luav_sorted_keys(L, idx);
    lua_Integer nk = (lua_Integer)lua_rawlen(L, -1);
    for (lua_Integer i = 1; i <= nk; i++) {
        lua_rawgeti(L, -1, i);
        int ok = 0;
        for (const char *const *k = known; *k && !ok; k++)
            ok = lua_type(L, -1) == LUA_TSTRING && strcmp(lua_tostring(L, -1), *k) == 0;
        if (ok) {
            lua_pop(L, 1);
            continue;
        }
        luaL_Buffer b;
        luaL_buffinit(L, &b);
        for (const char *const *k = known; *k; k++) {
            if (k != known)
                luaL_addstring(&b, ", ");
            luaL_addstring(&b, *k);
        }
        luaL_pushresult(&b);
        luaL_error(L, "%s: unknown option '%s' (%s)", what, luav_push_text(L, -2),
                   lua_tostring(L, -1));
    }
    lua_pop(L, 1); /* the keys */
}

const char *luav_opt_string(lua_State *L, int idx, const char *key, const char *def,
                            const char *what)
{
    if (lua_isnoneornil(L, idx))
        return def;
    if (lua_type(L, idx) != LUA_TTABLE)
        luaL_error(L, "%s: options must be a table, got a %s", what, luaL_typename(L, idx));
    int t = lua_getfield(L, idx, key);
    /* checked before lua_tostring, which turns a number into a string */
    if (t != LUA_TNIL && t != LUA_TSTRING)
        luaL_error(L, "%s: option %s must be a string, got a %s", what, key,
                   luaL_typename(L, -1));
    const char *s = t == LUA_TNIL ? def : lua_tostring(L, -1);
    lua_pop(L, 1); /* the string stays alive in the options table */
    return s;
}

double luav_opt_number(lua_State *L, int idx, const char *key, double def, const char *what)
{
    if (lua_type(L, idx) != LUA_TTABLE)
        return def;
    int t = lua_getfield(L, idx, key);
    if (t != LUA_TNIL && t != LUA_TNUMBER)
        luaL_error(L, "%s: option %s must be a number, got a %s", what, key,
                   luaL_typename(L, -1));
    double v = t == LUA_TNIL ? def : lua_tonumber(L, -1);
    lua_pop(L, 1);
    return v;
}

int luav_opt_bool(lua_State *L, int idx, const char *key, int def, const char *what)
{
    if (lua_type(L, idx) != LUA_TTABLE)
        return def;
    int t = lua_getfield(L, idx, key);
    if (t != LUA_TNIL && t != LUA_TBOOLEAN)
        luaL_error(L, "%s: option %s must be true or false, got a %s", what, key,
                   luaL_typename(L, -1));
    int v = t == LUA_TNIL ? def : lua_toboolean(L, -1);
    lua_pop(L, 1);
    return v;
}

void luav_set_number(lua_State *L, const char *k, double v)
{
    lua_pushnumber(L, v);
    lua_setfield(L, -2, k);
}

void luav_set_integer(lua_State *L, const char *k, size_t v)
{
    lua_pushinteger(L, (lua_Integer)v);
    lua_setfield(L, -2, k);
}

void luav_set_string(lua_State *L, const char *k, const char *v)
{
    lua_pushstring(L, v);
    lua_setfield(L, -2, k);
}

void luav_set_numbers(lua_State *L, const char *k, const double *v, size_t n)
{
    lua_createtable(L, (int)n, 0);
    for (size_t i = 0; i < n; i++) {
        lua_pushnumber(L, v[i]);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, -2, k);
}

void luav_notef(lua_State *L, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    lua_pushvfstring(L, fmt, ap);
    va_end(ap);
    host_note(L, lua_tostring(L, -1));
    lua_pop(L, 1);
}
