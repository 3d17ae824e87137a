/* engine/lua_bindings.h — what the lua_*.c binding files offer each other and
 * the host: the module openers, and conversions between Lua values and
 * rg_value trees. */
#ifndef RG_LUA_BINDINGS_H
#define RG_LUA_BINDINGS_H

#include <lua.h>

#include "doc.h"
#include "frame.h"
#include "table.h"
#include "value.h"

/* Set up a fresh state for doc: the sandboxed standard libraries, the base
 * replacements, rg, plot, and the read-only globals params and study. Runs
 * protected; returns a Lua status with the message on top when it fails. */
int lua_bindings_open(lua_State *L, const rg_doc *doc);

int luaopen_rg_base(lua_State *L); /* print, tostring, pairs, load, require, warn, show */
int luaopen_rg(lua_State *L);      /* the rg table */
int luaopen_rg_rng(lua_State *L);  /* rg.rng and math.random */
int luaopen_rg_stats(lua_State *L); /* rg.cor, rg.p_adjust, ...: copied into rg */
int luaopen_rg_frame(lua_State *L); /* rg.read_csv, rg.frame, rg.join, rg.bind: into rg */
int luaopen_rg_surv(lua_State *L);  /* rg.km, rg.logrank, rg.cox, ...: into rg */
int luaopen_rg_model(lua_State *L); /* rg.model, rg.split, rg.kfold, rg.metrics, rg.perm.model */
int luaopen_rg_plot(lua_State *L);  /* the plot table: plot.km, plot.forest */

/* Frames for other bindings (lua_frame.c). luaf_check raises unless the
 * value at idx is a frame; luaf_test returns NULL instead. luaf_new pushes
 * an empty frame (ID column "id") for the caller to fill with frame.h
 * functions, then account for with luaf_charge (which may raise: the frame
 * is owned by its userdata by then). */
const rg_frame *luaf_check(lua_State *L, int idx);
const rg_frame *luaf_test(lua_State *L, int idx);
rg_frame *luaf_new(lua_State *L);
void luaf_charge(lua_State *L, int idx);

/* Push a value tree as Lua values (maps as tables, lists as sequences).
 * Can raise (memory). */
void luav_push(lua_State *L, const rg_value *v);

/* Convert the Lua value at idx: numbers, strings, booleans, and tables that
 * are arrays (keys 1..n) or maps with string keys (sorted), nested up to 32
 * levels. Raises a Lua error starting with `what` for anything else. The
 * result is owned by the caller; while it is built it sits in a box, so an
 * error frees it. */
rg_value *luav_to_value(lua_State *L, int idx, const char *what);

/* Push an empty box: a userdata whose slot (returned) owns whatever pointer
 * is stored in it, freed with free_fn when collected. Create the box first
 * and allocate into its slot second: box_new can raise, and nothing is lost
 * when it does. box_take gives ownership back. */
void **box_new(lua_State *L, void (*free_fn)(void *));
/* Give up ownership of the boxed pointer (the box then frees nothing). */
void *box_take(void **slot);

/* Build a table from the Lua value at idx for show()/rg.table: an array of
 * records (one column per key: each record's keys sorted, columns in
 * first-seen order) or, when cols_idx != 0, the columns named by the array
 * at cols_idx. Boxed on the stack; returns the table (owned by the box). */
rg_table *luav_records_table(lua_State *L, int idx, int cols_idx);

/* Sorted keys of the table at idx pushed as a new array table: numbers
 * ascending, then strings bytewise, then booleans, then other keys in
 * traversal order. The deterministic order of pairs(). */
void luav_sorted_keys(lua_State *L, int idx);

/* "params" or "study" when the study stored a key in that read-only proxy
 * with rawset, else NULL. Cannot raise. */
const char *luav_readonly_changed(lua_State *L);

/* The Lua array at idx (a sequence of numbers; NaN is a missing value) as a
 * C array in a new userdata pushed on the stack (collected with it); *n is
 * its length. Raises "WHAT: NAME[i] is a string, not a number" and the like.
 * An empty array gives a valid pointer and *n = 0. */
double *luav_numbers(lua_State *L, int idx, const char *what, const char *name, size_t *n);

/* The columns of a design matrix at idx (a frame in its column order, a
 * table of named arrays in sorted name order, or an array of arrays named
 * x1, x2, ...) with their names, as two userdata arrays pushed on the stack:
 * *k columns of n values each (n: the length of the argument len_arg).
 * Messages call the matrix arg ("X"). Raises for text columns and wrong
 * lengths. (lua_stats.c, for rg.ols, rg.cox and rg.model.) */
const double **luav_design_columns(lua_State *L, int idx, size_t n, const char *who,
                                   const char *arg, const char *len_arg, const char ***names,
                                   size_t *k);

/* Push the HTML of table t as the report shows it (lua_rg.c): v->caption
 * (may be NULL) or else the chunk's tbl-cap captions it, and a captioned
 * table, or any table of a chunk labelled "tbl-...", gets a number and an
 * id (host_number); without a caption, `fallback` (may be NULL) is shown
 * unnumbered. The whole table is attached as a CSV download when rows are
 * cut (download 0), always (1) or never (-1); v->csv may hold the CSV
 * already. Raises on memory errors only. */
#include "table.h"
void luav_push_table_html(lua_State *L, const rg_table *t, rg_table_view *v,
                          const char *fallback, int download);

/* Push the text of the value at idx and return it: __tostring when present,
 * Lua's form for numbers, strings, booleans and nil, else the type (or
 * __name) alone, never an address (addresses change from run to run). */
const char *luav_push_text(lua_State *L, int idx);

/* Push the whole content of the regular file at path as a string and
 * return 1, or push nothing and return 0 when it cannot be read. Raises only
 * for memory, before the file is opened. */
int luav_readfile(lua_State *L, const char *path);

/* Options tables of the rg functions. luav_check_options raises "WHAT:
 * options must be a table" or "WHAT: unknown option 'K' (the known ones)"
 * (nil or none: nothing to check). luav_opt_* return option `key` of the
 * table at idx, or def when it (or the table) is absent, and raise "WHAT:
 * option KEY must be ..." for another type. */
void luav_check_options(lua_State *L, int idx, const char *what, const char *const *known);
const char *luav_opt_string(lua_State *L, int idx, const char *key, const char *def,
                            const char *what);
double luav_opt_number(lua_State *L, int idx, const char *key, double def, const char *what);
int luav_opt_bool(lua_State *L, int idx, const char *key, int def, const char *what);

/* Fields of the result table on top of the stack: a number, an integer, a
 * string, an array of n numbers. */
void luav_set_number(lua_State *L, const char *k, double v);
void luav_set_integer(lua_State *L, const char *k, size_t v);
void luav_set_string(lua_State *L, const char *k, const char *v);
void luav_set_numbers(lua_State *L, const char *k, const double *v, size_t n);

/* A note in the report from a lua_pushfstring-style format. */
void luav_notef(lua_State *L, const char *fmt, ...);

#endif
