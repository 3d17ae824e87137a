/* engine/lua_frame.c — data frames in Lua: rg.read_csv, rg.frame, rg.join,
 * rg.bind and the rg.Frame methods (nrow, ncol, names, ids, col, meta,
 * select, drop, rows, with, to_table). A frame is a userdata owning an
 * rg_frame (frame.h); its memory is charged to --max-memory while it lives. */
#include <lauxlib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "frame.h"
#include "host.h"
#include "lua_bindings.h"
#include "table.h"

#define FRAME_MT "rg.Frame"
#define SHOW_ROWS 10
#define SHOW_COLS 12

typedef struct {
    rg_frame f;
    size_t charged;
    char *id_name; /* the ID column's name in the file ("id" otherwise) */
} frame_ud;

static int frame_gc(lua_State *L)
{
    frame_ud *u = luaL_checkudata(L, 1, FRAME_MT);
    frame_free(&u->f);
    free(u->id_name);
    u->id_name = NULL;
    host_release(L, u->charged);
    u->charged = 0;
    return 0;
}

/* A new, empty frame userdata on the stack. */
static frame_ud *new_frame(lua_State *L)
{
    frame_ud *u = lua_newuserdatauv(L, sizeof *u, 0);
    memset(u, 0, sizeof *u);
    luaL_setmetatable(L, FRAME_MT);
    return u;
}

/* Account for a filled frame (raises when over --max-memory; the frame is
 * owned by its userdata by then). */
static void charge(lua_State *L, frame_ud *u)
{
    u->charged = frame_bytes(&u->f);
    host_charge(L, u->charged);
}

static frame_ud *check(lua_State *L, int idx)
{
    return luaL_checkudata(L, idx, FRAME_MT);
}

const rg_frame *luaf_check(lua_State *L, int idx) { return &check(L, idx)->f; }

const rg_frame *luaf_test(lua_State *L, int idx)
{
    frame_ud *u = luaL_testudata(L, idx, FRAME_MT);
    return u ? &u->f : NULL;
}

rg_frame *luaf_new(lua_State *L)
{
    frame_ud *u = new_frame(L);
    if (!(u->id_name = strdup("id")))
        luaL_error(L, "out of memory");
    return &u->f;
}

void luaf_charge(lua_State *L, int idx) { charge(L, check(L, idx)); }

/* ---- rg.read_csv ----------------------------------------------------------------- */

/* The strings of the array at idx, as a C array in a userdata pushed on the
 * stack (the strings stay anchored in the array). */
static const char **string_list(lua_State *L, int idx, const char *who, const char *what,
                                size_t *n)
{
    if (lua_type(L, idx) != LUA_TTABLE)
        luaL_error(L, "%s: %s must be a list of strings", who, what);
    size_t len = lua_rawlen(L, idx);
    const char **v = lua_newuserdatauv(L, (len ? len : 1) * sizeof *v, 0);
    for (size_t i = 0; i < len; i++) {
        if (lua_rawgeti(L, idx, (lua_Integer)i + 1) != LUA_TSTRING)
            luaL_error(L, "%s: %s[%d] is not a string", who, what, (int)i + 1);
        v[i] = lua_tostring(L, -1);
        lua_pop(L, 1);
    }
    *n = len;
    return v;
}

static int l_read_csv(lua_State *L)
{
    const char *path = luaL_checkstring(L, 1);
    rg_csv_opts o;
    memset(&o, 0, sizeof o);
    int opts = lua_isnoneornil(L, 2) ? 0 : 2;
    if (opts) {
        luaL_checktype(L, 2, LUA_TTABLE);
        static const char *const known[] = {"id", "sep", "transpose", "na", "string_cols", NULL};
        luav_check_options(L, 2, "rg.read_csv", known);
        int t = lua_getfield(L, 2, "id");
        if (t == LUA_TBOOLEAN && !lua_toboolean(L, -1))
            o.no_id = 1;
        else if (t == LUA_TSTRING)
            o.id = lua_tostring(L, -1);
        else if (t != LUA_TNIL)
            return luaL_error(L, "rg.read_csv: id must be a column name or false");
        t = lua_getfield(L, 2, "sep");
        if (t != LUA_TNIL) {
            size_t len;
            const char *s = lua_tolstring(L, -1, &len);
            if (t != LUA_TSTRING || len != 1 || s[0] == '"' || s[0] == '\n' || s[0] == '\r')
                return luaL_error(L, "rg.read_csv: sep must be one character (',', ';' or '\\t')");
            o.sep = s[0];
        }
        t = lua_getfield(L, 2, "transpose");
        if (t != LUA_TNIL && t != LUA_TBOOLEAN)
            return luaL_error(L, "rg.read_csv: transpose must be true or false");
        o.transpose = lua_toboolean(L, -1);
        if (o.transpose && (o.id || o.no_id))
            return luaL_error(L, "rg.read_csv: with transpose the IDs are the header's "
                                 "column names; id does not apply");
        if (lua_getfield(L, 2, "na") != LUA_TNIL)
            o.na = string_list(L, lua_gettop(L), "rg.read_csv", "na", &o.nna);
        if (lua_getfield(L, 2, "string_cols") != LUA_TNIL)
            o.string_cols = string_list(L, lua_gettop(L), "rg.read_csv", "string_cols", &o.nstring);
    }
    host_resolve_read(L, path); /* real, rel */
    const char *real = lua_tostring(L, -2), *rel = lua_tostring(L, -1);
    void **errbox = box_new(L, free); /* owns the message before anything can raise */
    frame_ud *u = new_frame(L);
    size_t bytes;
    char sha[65], *err = NULL;
    if (frame_read_csv(real, rel, &o, &u->f, &bytes, sha, &err) != 0) {
        *errbox = err;
        host_data_error(L);
        return luaL_error(L, "%s", err ? err : "out of memory");
    }
    charge(L, u);
    u->id_name = strdup(o.id ? o.id : "id");
    if (!u->id_name)
        return luaL_error(L, "out of memory");
    host_add_input_hash(L, rel, "csv", bytes, sha, (long)u->f.nrow, (long)u->f.ncol);
    if (u->f.nmeta) {
        luaL_Buffer b;
        luaL_buffinit(L, &b);
        lua_pushfstring(L, "%s: %d diagnostics_* columns kept apart as metadata (not "
                           "features): ", rel, (int)u->f.nmeta);
        luaL_addvalue(&b);
        for (size_t j = 0; j < u->f.nmeta; j++) {
            if (j)
                luaL_addstring(&b, ", ");
            luaL_addstring(&b, u->f.meta[j].name);
        }
        luaL_pushresult(&b);
        host_note(L, lua_tostring(L, -1));
        lua_pop(L, 1);
    }
    return 1;
}

/* ---- methods --------------------------------------------------------------------- */

static int m_nrow(lua_State *L)
{
    lua_pushinteger(L, (lua_Integer)check(L, 1)->f.nrow);
    return 1;
}

static int m_ncol(lua_State *L)
{
    lua_pushinteger(L, (lua_Integer)check(L, 1)->f.ncol);
    return 1;
}

static void push_names(lua_State *L, const rg_col *c, size_t n)
{
    lua_createtable(L, (int)n, 0);
    for (size_t j = 0; j < n; j++) {
        lua_pushstring(L, c[j].name);
        lua_rawseti(L, -2, (lua_Integer)j + 1);
    }
}

static int m_names(lua_State *L)
{
    frame_ud *u = check(L, 1);
    push_names(L, u->f.cols, u->f.ncol);
    return 1;
}

static int m_meta_names(lua_State *L)
{
    frame_ud *u = check(L, 1);
    push_names(L, u->f.meta, u->f.nmeta);
    return 1;
}

static int m_ids(lua_State *L)
{
    frame_ud *u = check(L, 1);
    lua_createtable(L, (int)u->f.nrow, 0);
    for (size_t i = 0; i < u->f.nrow; i++) {
        lua_pushstring(L, u->f.ids[i]);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

static void push_col(lua_State *L, const rg_col *c, size_t nrow)
{
    lua_createtable(L, (int)nrow, 0);
    for (size_t i = 0; i < nrow; i++) {
        if (c->num)
            lua_pushnumber(L, c->num[i]);
        else if (c->str[i])
            lua_pushstring(L, c->str[i]);
        else
            lua_pushliteral(L, "");
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
}

static int m_col(lua_State *L)
{
    frame_ud *u = check(L, 1);
    const char *name = luaL_checkstring(L, 2);
    long j = frame_col_index(&u->f, name);
    if (j < 0) {
        for (size_t k = 0; k < u->f.nmeta; k++)
            if (strcmp(u->f.meta[k].name, name) == 0) {
                push_col(L, &u->f.meta[k], u->f.nrow);
                return 1;
            }
        return luaL_error(L, "frame:col: no column '%s'", name);
    }
    push_col(L, &u->f.cols[j], u->f.nrow);
    return 1;
}

/* Column indices of the names in the list at idx (a userdata on the stack). */
static size_t *col_indices(lua_State *L, const rg_frame *f, int idx, const char *what,
                           size_t *n)
{
    luaL_checktype(L, idx, LUA_TTABLE);
    size_t len = lua_rawlen(L, idx);
    size_t *v = lua_newuserdatauv(L, (len ? len : 1) * sizeof *v, 0);
    for (size_t i = 0; i < len; i++) {
        if (lua_rawgeti(L, idx, (lua_Integer)i + 1) != LUA_TSTRING)
            luaL_error(L, "%s: names[%d] is not a string", what, (int)i + 1);
        long j = frame_col_index(f, lua_tostring(L, -1));
        if (j < 0)
            luaL_error(L, "%s: no column '%s'", what, lua_tostring(L, -1));
        for (size_t k = 0; k < i; k++)
            if (v[k] == (size_t)j)
                luaL_error(L, "%s: column '%s' is named twice", what, lua_tostring(L, -1));
        v[i] = (size_t)j;
        lua_pop(L, 1);
    }
    *n = len;
    return v;
}

/* Push a new frame made from u's rows and columns. */
static void push_subset(lua_State *L, const frame_ud *u, const size_t *rows, size_t nrow,
                        const size_t *cols, size_t ncol)
{
    frame_ud *v = new_frame(L);
    if (frame_subset(&u->f, rows, nrow, cols, ncol, &v->f) != 0 ||
        !(v->id_name = strdup(u->id_name)))
        luaL_error(L, "out of memory");
    charge(L, v);
}

static int m_select(lua_State *L)
{
    frame_ud *u = check(L, 1);
    size_t n;
    size_t *cols = col_indices(L, &u->f, 2, "frame:select", &n);
    push_subset(L, u, NULL, 0, cols, n);
    return 1;
}

static int m_drop(lua_State *L)
{
    frame_ud *u = check(L, 1);
    size_t n;
    size_t *gone = col_indices(L, &u->f, 2, "frame:drop", &n);
    size_t *keep = lua_newuserdatauv(L, (u->f.ncol ? u->f.ncol : 1) * sizeof *keep, 0);
    size_t k = 0;
    for (size_t j = 0; j < u->f.ncol; j++) {
        int dropped = 0;
        for (size_t i = 0; i < n; i++)
            dropped |= gone[i] == j;
        if (!dropped)
            keep[k++] = j;
    }
    push_subset(L, u, NULL, 0, keep, k);
    return 1;
}

static int m_rows(lua_State *L)
{
    frame_ud *u = check(L, 1);
    luaL_checktype(L, 2, LUA_TTABLE);
    size_t len = lua_rawlen(L, 2);
    size_t *rows = lua_newuserdatauv(L, (len ? len : 1) * sizeof *rows, 0);
    for (size_t i = 0; i < len; i++) {
        int t = lua_rawgeti(L, 2, (lua_Integer)i + 1);
        if (t == LUA_TNUMBER) { /* a position, as rg.split and rg.kfold give */
            lua_Integer k = lua_tointeger(L, -1);
            if (!lua_isinteger(L, -1) || k < 1 || (size_t)k > u->f.nrow)
                return luaL_error(L, "frame:rows: rows[%d] is not a row number from 1 to %d",
                                  (int)i + 1, (int)u->f.nrow);
            rows[i] = (size_t)k - 1;
            lua_pop(L, 1);
            continue;
        }
        if (t != LUA_TSTRING)
            return luaL_error(L, "frame:rows: rows[%d] is neither an ID nor a row number",
                              (int)i + 1);
        const char *id = lua_tostring(L, -1);
        size_t r = 0;
        while (r < u->f.nrow && strcmp(u->f.ids[r], id) != 0)
            r++;
        if (r == u->f.nrow)
            return luaL_error(L, "frame:rows: no row with ID '%s'", id);
        rows[i] = r;
        lua_pop(L, 1);
    }
    push_subset(L, u, rows, len, NULL, 0);
    return 1;
}

/* frame:with(name, values): a new frame with the column added or replaced. */
static int m_with(lua_State *L)
{
    frame_ud *u = check(L, 1);
    const char *name = luaL_checkstring(L, 2);
    luaL_checktype(L, 3, LUA_TTABLE);
    size_t len = lua_rawlen(L, 3);
    if (len != u->f.nrow)
        return luaL_error(L, "frame:with: '%s' has %d values, the frame %d rows", name,
                          (int)len, (int)u->f.nrow);
    int strings = len && lua_rawgeti(L, 3, 1) == LUA_TSTRING;
    if (len)
        lua_pop(L, 1);
    const double *num = NULL;
    const char **str = NULL;
    if (strings) {
        size_t n;
        str = string_list(L, 3, "frame:with", "values", &n);
    } else {
        size_t n;
        num = luav_numbers(L, 3, "frame:with", "values", &n);
    }
    push_subset(L, u, NULL, 0, NULL, 0);
    frame_ud *v = check(L, -1);
    host_release(L, v->charged);
    if (frame_set_col(&v->f, name, num, str) != 0)
        return luaL_error(L, "out of memory");
    charge(L, v);
    return 1;
}

/* frame:to_table(): an array of records {id = ..., name = value, ...} */
static int m_to_table(lua_State *L)
{
    frame_ud *u = check(L, 1);
    lua_createtable(L, (int)u->f.nrow, 0);
    for (size_t i = 0; i < u->f.nrow; i++) {
        lua_createtable(L, 0, (int)u->f.ncol + 1);
        lua_pushstring(L, u->f.ids[i]);
        lua_setfield(L, -2, u->id_name);
        for (size_t j = 0; j < u->f.ncol; j++) {
            const rg_col *c = &u->f.cols[j];
            if (c->num)
                lua_pushnumber(L, c->num[i]);
            else
                lua_pushstring(L, c->str[i] ? c->str[i] : "");
            lua_setfield(L, -2, c->name);
        }
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

static int m_tostring(lua_State *L)
{
    frame_ud *u = check(L, 1);
    lua_pushfstring(L, "rg.Frame (%d rows x %d columns)", (int)u->f.nrow, (int)u->f.ncol);
    return 1;
}

static int m_len(lua_State *L)
{
    return m_nrow(L);
}

static void table_free_void(void *p) { table_free(p); }

/* show(frame): the first rows and columns, and the frame's size */
static int m_html(lua_State *L)
{
    frame_ud *u = check(L, 1);
    const rg_frame *f = &u->f;
    size_t nc = f->ncol < SHOW_COLS ? f->ncol : SHOW_COLS;
    size_t nr = f->nrow < SHOW_ROWS ? f->nrow : SHOW_ROWS;
    void **slot = box_new(L, table_free_void);
    rg_table *t = *slot = table_new(0, NULL);
    if (!t || table_add_col(t, u->id_name) != 0)
        return luaL_error(L, "out of memory");
    for (size_t j = 0; j < nc; j++)
        if (table_add_col(t, f->cols[j].name) != 0)
            return luaL_error(L, "out of memory");
    rg_value **row = lua_newuserdatauv(L, (nc + 1) * sizeof *row, 0);
    for (size_t i = 0; i < nr; i++) {
        memset(row, 0, (nc + 1) * sizeof *row);
        if (table_add_row(t, row) != 0)
            return luaL_error(L, "out of memory");
        rg_value **cells = t->cells + (t->nrow - 1) * t->ncol;
        cells[0] = value_str(f->ids[i], (size_t)-1);
        for (size_t j = 0; j < nc; j++) {
            const rg_col *c = &f->cols[j];
            cells[j + 1] = c->num ? value_num(c->num[i])
                                  : value_str(c->str[i] ? c->str[i] : "", (size_t)-1);
        }
    }
    char caption[160];
    int cut = f->nrow > nr || f->ncol > nc;
    snprintf(caption, sizeof caption, "%zu rows x %zu columns%s", f->nrow, f->ncol,
             cut ? " (the first shown)" : "");
    void **cs = box_new(L, free); /* the CSV of the whole frame, when cut */
    rg_buf csv = {0};
    if (cut) {
        frame_csv(&csv, f, u->id_name);
        if (csv.failed) {
            buf_free(&csv);
            return luaL_error(L, "out of memory");
        }
    }
    *cs = csv.data;
    rg_table_view v = {.digits = 3, .csv = csv.data, .csv_len = csv.len};
    luav_push_table_html(L, t, &v, caption, cut ? 1 : -1);
    return 1;
}

/* ---- rg.frame, rg.join, rg.bind ------------------------------------------------------ */

/* rg.frame{ids = {...}, name = {...}, ...}: columns in sorted name order */
static int l_frame(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    if (lua_getfield(L, 1, "ids") != LUA_TTABLE)
        return luaL_error(L, "rg.frame: ids = {...} (the row IDs) is required");
    size_t nrow;
    const char **ids = string_list(L, lua_gettop(L), "rg.frame", "ids", &nrow);
    for (size_t i = 0; i < nrow; i++)
        for (size_t k = 0; k < i; k++)
            if (strcmp(ids[i], ids[k]) == 0)
                return luaL_error(L, "rg.frame: duplicate ID '%s'", ids[i]);
    luav_sorted_keys(L, 1);
    int keys = lua_gettop(L);
    frame_ud *u = new_frame(L);
    u->f.ids = calloc(nrow ? nrow : 1, sizeof *u->f.ids);
    u->id_name = strdup("id");
    if (!u->f.ids || !u->id_name)
        return luaL_error(L, "out of memory");
    u->f.nrow = nrow;
    for (size_t i = 0; i < nrow; i++)
        if (!(u->f.ids[i] = strdup(ids[i])))
            return luaL_error(L, "out of memory");
    lua_Integer nk = (lua_Integer)lua_rawlen(L, keys);
    for (lua_Integer k = 1; k <= nk; k++) {
        lua_rawgeti(L, keys, k);
        if (lua_type(L, -1) != LUA_TSTRING)
            return luaL_error(L, "rg.frame: column names must be strings");
        const char *name = lua_tostring(L, -1);
        if (strcmp(name, "ids") == 0) {
            lua_pop(L, 1);
            continue;
        }
        lua_getfield(L, 1, name);
        int col = lua_gettop(L);
        if (lua_type(L, col) != LUA_TTABLE || lua_rawlen(L, col) != nrow)
            return luaL_error(L, "rg.frame: column '%s' must be a list of %d values", name,
                              (int)nrow);
        int strings = nrow && lua_rawgeti(L, col, 1) == LUA_TSTRING;
        if (nrow)
            lua_pop(L, 1);
        size_t n;
        if (strings) {
            const char **str = string_list(L, col, "rg.frame", name, &n);
            if (frame_set_col(&u->f, name, NULL, str) != 0)
                return luaL_error(L, "out of memory");
        } else {
            const double *num = luav_numbers(L, col, "rg.frame", name, &n);
            if (frame_set_col(&u->f, name, num, NULL) != 0)
                return luaL_error(L, "out of memory");
        }
        lua_pop(L, 3); /* name, column, converted */
    }
    lua_pushvalue(L, keys + 1);
    charge(L, u);
    return 1;
}

/* rg.join(a, b, ...): the frames cut to the IDs they share, in a's order */
static int l_join(lua_State *L)
{
    int nf = lua_gettop(L);
    if (nf < 2)
        return luaL_error(L, "rg.join: give two frames or more");
    const rg_frame **fs = lua_newuserdatauv(L, (size_t)nf * sizeof *fs, 0);
    for (int k = 0; k < nf; k++)
        fs[k] = &check(L, k + 1)->f;
    void **box = box_new(L, free); /* rows[k], then the array itself */
    size_t **rows = NULL, n = 0;
    if (frame_join_rows(fs, (size_t)nf, &rows, &n) != 0)
        return luaL_error(L, "out of memory");
    /* own every array before anything can raise */
    size_t *all = malloc((size_t)nf * (n ? n : 1) * sizeof *all);
    if (all)
        for (int k = 0; k < nf; k++)
            memcpy(all + (size_t)k * n, rows[k], n * sizeof *all);
    for (int k = 0; k < nf; k++)
        free(rows[k]);
    free(rows);
    *box = all;
    if (!all)
        return luaL_error(L, "out of memory");
    for (int k = 0; k < nf; k++) {
        size_t dropped = fs[k]->nrow - n;
        if (dropped) {
            luaL_Buffer b;
            luaL_buffinit(L, &b);
            lua_pushfstring(L, "rg.join: frame %d lost %d of %d rows (IDs not in every "
                               "frame): ", k + 1, (int)dropped, (int)fs[k]->nrow);
            luaL_addvalue(&b);
            size_t shown = 0;
            for (size_t i = 0; i < fs[k]->nrow; i++) {
                int kept = 0;
                for (size_t r = 0; r < n && !kept; r++)
                    kept = all[(size_t)k * n + r] == i;
                if (kept)
                    continue;
                if (shown == 50) {
                    lua_pushfstring(L, " and %d more", (int)(dropped - shown));
                    luaL_addvalue(&b);
                    break;
                }
                if (shown++)
                    luaL_addstring(&b, ", ");
                luaL_addstring(&b, fs[k]->ids[i]);
            }
            luaL_pushresult(&b);
            host_note(L, lua_tostring(L, -1));
            lua_pop(L, 1);
        }
    }
    for (int k = 0; k < nf; k++)
        push_subset(L, check(L, k + 1), all + (size_t)k * n, n, NULL, 0);
    return nf;
}

/* rg.bind(a, b, ...): the columns of frames with the same IDs in the same order */
static int l_bind(lua_State *L)
{
    int nf = lua_gettop(L);
    if (nf < 1)
        return luaL_error(L, "rg.bind: give one frame or more");
    frame_ud *first = check(L, 1);
    for (int k = 2; k <= nf; k++) {
        frame_ud *u = check(L, k);
        int same = u->f.nrow == first->f.nrow;
        for (size_t i = 0; same && i < u->f.nrow; i++)
            same = strcmp(u->f.ids[i], first->f.ids[i]) == 0;
        if (!same)
            return luaL_error(L, "rg.bind: frame %d has other IDs or another order than "
                                 "frame 1 (align them with rg.join first)", k);
    }
    push_subset(L, first, NULL, 0, NULL, 0);
    frame_ud *v = check(L, -1);
    for (int k = 2; k <= nf; k++) {
        frame_ud *u = check(L, k);
        for (size_t j = 0; j < u->f.ncol; j++) {
            const rg_col *c = &u->f.cols[j];
            if (frame_col_index(&v->f, c->name) >= 0)
                return luaL_error(L, "rg.bind: column '%s' is in two frames", c->name);
            if (frame_set_col(&v->f, c->name, c->num, (const char *const *)c->str) != 0)
                return luaL_error(L, "out of memory");
        }
    }
    host_release(L, v->charged);
    charge(L, v);
    return 1;
}

static const luaL_Reg frame_methods[] = {
    {"nrow", m_nrow},       {"ncol", m_ncol},     {"names", m_names},
    {"meta_names", m_meta_names},                 {"ids", m_ids},
    {"col", m_col},         {"select", m_select}, {"drop", m_drop},
    {"rows", m_rows},       {"with", m_with},     {"to_table", m_to_table},
    {NULL, NULL}};

static const luaL_Reg frame_meta[] = {{"__gc", frame_gc},       {"__tostring", m_tostring},
                                      {"__len", m_len},         {"__rg_html", m_html},
                                      {NULL, NULL}};

static const luaL_Reg frame_funcs[] = {{"read_csv", l_read_csv}, {"frame", l_frame},
                                       {"join", l_join},         {"bind", l_bind},
                                       {NULL, NULL}};

int luaopen_rg_frame(lua_State *L)
{
    luaL_newmetatable(L, FRAME_MT);
    luaL_setfuncs(L, frame_meta, 0);
    luaL_newlib(L, frame_methods);
    lua_setfield(L, -2, "__index");
    lua_pop(L, 1);
    luaL_newlib(L, frame_funcs);
    return 1;
}
