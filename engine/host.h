/* engine/host.h — the Lua host: one sandboxed Lua 5.4 state per document.
 *
 * The host owns the state, its limits (--timeout through an instruction-count
 * hook, --max-memory through the allocator plus charged C buffers), the
 * capture of each chunk's output, and what a run leaves for the report:
 * records, notes, input files and study modules. Errors come back as one line
 * "study.md:LINE: message" with the line of the Markdown file, whichever
 * chunk, inline expression or required module raised them.
 * The Lua-facing functions live in the lua_*.c bindings; they reach the host
 * through host_of(L). */
#ifndef RG_HOST_H
#define RG_HOST_H

#include <lua.h>
#include <stddef.h>

#include "buf.h"
#include "doc.h"
#include "rng.h"
#include "value.h"

/* Exit codes (DESIGN.md, Command line). */
enum {
    RG_EXIT_OK = 0,
    RG_EXIT_STUDY = 1,
    RG_EXIT_USAGE = 2,
    RG_EXIT_DATA = 3,
    RG_EXIT_DIFF = 4
};

typedef struct {
    double timeout;          /* seconds of running Lua; 0: no limit */
    size_t max_memory;       /* bytes; 0: no limit */
    const char *const *allow_read; /* extra readable folders, as given */
    size_t nallow_read;
    int threads;             /* threads for the numerical work; 0: one */
    int progress;            /* progress bars on stderr for long work */
} rg_host_opts;

typedef enum { RG_OUT_TEXT, RG_OUT_HTML } rg_out_kind;

typedef struct {
    rg_out_kind kind;  /* TEXT: printed text; HTML: trusted markup from show() */
    rg_buf buf;
} rg_out;

typedef struct {
    rg_out *out;
    size_t nout;
    char *error;  /* the message of a failed chunk with error: true; owned */
    int ran;
} rg_chunk_result;

typedef struct {
    char *path;       /* relative to the study's folder */
    char *kind;       /* "text", "csv", "module" */
    char sha256[65];
    size_t bytes;
    long rows, cols;  /* -1 when not a table */
    char *source;     /* modules: their code, shown in the report; else NULL */
} rg_input;

typedef struct {
    char *where;      /* "study.md:12 (chunk screen)" */
    char *text;
    char *chunk;      /* the label of the chunk that raised it; NULL outside chunks */
} rg_note;

/* A numbered figure or table, the target of @fig-... and @tbl-... in prose. */
typedef struct {
    char *id;         /* "fig-km", "tbl-cox-2" */
    int kind;         /* 'f' figure, 't' table */
    int number;       /* 1, 2, ... per kind, in the order shown */
} rg_xref;

typedef struct rg_host rg_host;

/* Create the state for doc (borrowed; must outlive the host). study_dir is
 * the folder of the study file. Returns NULL on failure with *err set
 * (caller frees) and *code the exit code (RG_EXIT_USAGE for a bad
 * --allow-read folder, RG_EXIT_STUDY otherwise). */
rg_host *host_new(const rg_doc *doc, const char *study_dir,
                  const rg_host_opts *opts, char **err, int *code);
void host_free(rg_host *h);

/* Run one chunk (it must be evaluated: opts.eval). Output goes to res (the
 * caller zero-initialises it and frees it with host_result_free). Returns
 * RG_EXIT_OK, also when the chunk failed with error: true (res->error is
 * set); otherwise RG_EXIT_STUDY or RG_EXIT_DATA with *err set. */
int host_run_chunk(rg_host *h, const rg_chunk *c, rg_chunk_result *res, char **err);

/* Evaluate an inline expression to text (plain text, not HTML; caller frees
 * *text). Returns as host_run_chunk. */
int host_eval_inline(rg_host *h, const rg_inline *in, char **text, char **err);

/* Compile (without running) every chunk that would run and every inline
 * expression of doc.
 * Returns RG_EXIT_OK or RG_EXIT_STUDY with *err set. */
int host_check_syntax(rg_host *h, char **err);

void host_result_free(rg_chunk_result *res);

/* What the run left (borrowed, valid until host_free). */
const rg_value *host_records(const rg_host *h);   /* RG_MAP, in recording order */
const rg_note *host_notes(const rg_host *h, size_t *n);
const rg_input *host_inputs(const rg_host *h, size_t *n);
const rg_xref *host_xrefs(const rg_host *h, size_t *n);

/* ---- for the bindings ---------------------------------------------------- */

rg_host *host_of(lua_State *L);

/* Text printed by the running chunk. Raises a Lua error when the output
 * would pass --max-memory. */
void host_print(lua_State *L, const char *s, size_t len);
/* Trusted HTML from show() and engine objects. Raises as host_print. */
void host_show_html(lua_State *L, const char *html, size_t len);

/* Number the next figure (kind 'f') or table ('t') shown and name it after
 * the running chunk: "fig-LABEL" ("LABEL" when it starts with "fig-"
 * already; "tbl-" likewise), then "-2", "-3", ... for more of the kind in
 * the same chunk. Returns the number; *id is borrowed until host_free.
 * Raises on memory errors only. */
int host_number(lua_State *L, int kind, const char **id);

/* The running chunk (its options: captions, sizes), or NULL. */
const rg_chunk *host_chunk(lua_State *L);

/* Keep the value at idx to be shown after the running chunk when the chunk
 * does not show it: at the chunk's end, its metafield __rg_pending(value)
 * returns the HTML to show, or nil when it was shown. Figures do this.
 * Raises on memory errors only. */
void host_pending(lua_State *L, int idx);

/* Add a note at the calling study line. Raises on memory errors only. */
void host_note(lua_State *L, const char *text);

/* Store rg.record(name, value): takes ownership of v. Raises a Lua error
 * (after freeing v) when name was recorded before. */
void host_record(lua_State *L, const char *name, rg_value *v);

/* Charge bytes of C memory (buffers held for the rest of the render) against
 * --max-memory; raises a Lua error when over the limit. */
void host_charge(lua_State *L, size_t bytes);

/* Resolve a path given by the study for reading: relative paths are taken
 * from the study's folder; the real path (symlinks followed) must lie below
 * the study's folder or an --allow-read folder. On success pushes two
 * strings: the real path, then the path relative to the study's folder. On
 * failure raises a Lua error, with data-error status (exit 3) when the file
 * does not exist or is not a regular file. */
void host_resolve_read(lua_State *L, const char *path);

/* The path of target relative to dir (both absolute and normalised, as
 * realpath gives them), e.g. "data/x.csv" or "../shared/x.csv". Caller frees;
 * NULL when out of memory. */
char *path_relative(const char *target, const char *dir);

/* The file a study module `file` ("x.lua", "sub/x.lua") names in the
 * study's folder: pushes the real and the relative path as
 * host_resolve_read and returns 1, or pushes nothing and returns 0 when there
 * is no such file. Raises when the file is a link leading outside the
 * study's folder. */
int host_module_path(lua_State *L, const char *file);

/* Record an input file for the provenance (path relative to the study).
 * rows/cols -1 when not a table. Copies everything. */
void host_add_input(lua_State *L, const char *rel, const char *kind,
                    const void *data, size_t len, long rows, long cols);

/* The same with the size and SHA-256 (hex) already known (a file that was
 * streamed). */
void host_add_input_hash(lua_State *L, const char *rel, const char *kind, size_t bytes,
                         const char *sha256_hex, long rows, long cols);

/* Give back memory charged with host_charge (an object was collected). */
void host_release(lua_State *L, size_t bytes);

/* Mark the error about to be raised as an input-data error (exit 3). */
void host_data_error(lua_State *L);

/* The random stream of the running chunk (or inline expression). */
rg_rng *host_rng(lua_State *L);
/* The document seed (after --seed). */
uint64_t host_seed(lua_State *L);
/* The threads numerical work may use (--threads; results never depend on it). */
int host_threads(lua_State *L);

/* Whether long work may draw a progress bar on stderr (a terminal, no
 * --quiet). */
int host_progress(lua_State *L);

/* The study line of the innermost study frame on the stack, or 0. */
int host_study_line(lua_State *L);

#endif
