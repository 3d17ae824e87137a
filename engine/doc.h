/* engine/doc.h — the study document: YAML front matter, the cmark AST, the
 * Lua chunks with their options, and the inline `{lua} expr` expressions.
 *
 * doc_parse reads nothing but the bytes it is given and runs nothing; the
 * host (host.h) executes what it finds and the report (report.h) renders the
 * AST. Line numbers are lines of the study file (1-based), front matter
 * included, whatever the line endings. */
#ifndef RG_DOC_H
#define RG_DOC_H

#include <cmark.h>
#include <stddef.h>
#include <stdint.h>

#include "value.h"

typedef enum { RG_OUTPUT_TRUE, RG_OUTPUT_FALSE, RG_OUTPUT_ASIS } rg_output_mode;

typedef struct {
    char *label;       /* owned; "chunk-N" when not given */
    int label_given;
    int label_line;    /* line of the label option, or of the fence */
    int echo, eval, error, cache;
    rg_output_mode output;
    char *fig_cap;     /* owned or NULL: the caption of the chunk's figures */
    char *fig_alt;     /* owned or NULL: their text for screen readers */
    char *tbl_cap;     /* owned or NULL: the caption of the chunk's tables */
    double fig_width, fig_height; /* inches; 0 when not given */
    int has_seed;
    uint64_t seed;
} rg_chunk_opts;

typedef struct {
    cmark_node *node;  /* the code block in doc->root (borrowed) */
    int index;         /* 1-based position among chunks */
    int line;          /* line of the opening fence */
    int code_line;     /* line of the first line of code */
    const char *code;  /* the whole literal, option lines included (borrowed from node) */
    size_t body_offset;/* offset in code where the lines after the options start */
    rg_chunk_opts opts;
} rg_chunk;

typedef struct {
    cmark_node *node;  /* the inline code node (borrowed) */
    int line;
    char *expr;        /* owned: the text after "{lua}" */
} rg_inline;

typedef enum { RG_ITEM_CHUNK, RG_ITEM_INLINE } rg_item_kind;

/* Chunks and inline expressions in document order. */
typedef struct {
    rg_item_kind kind;
    size_t index; /* into doc->chunks or doc->inlines */
} rg_item;

typedef struct {
    char *path;        /* as given (owned) */
    char *name;        /* basename, used in messages written into reports */
    unsigned char sha256[32]; /* of the file's bytes as read */
    size_t bytes;
    char *title, *author, *date; /* owned or NULL; author lists joined by ", " */
    uint64_t seed;     /* front matter seed (default 1), after --seed */
    int seed_overridden;
    rg_value *params;  /* RG_MAP, YAML order, after -P (owned) */
    rg_value *overridden; /* RG_LIST of RG_STR keys changed by -P, in order */
    cmark_node *root;
    rg_chunk *chunks;
    size_t nchunks;
    rg_inline *inlines;
    size_t ninlines;
    rg_item *items;
    size_t nitems;
} rg_doc;

/* Parse a study. path names it in messages (borrowed; copied). text/len are
 * the file's bytes (borrowed). On success returns 0 and fills *doc (free with
 * doc_free). On failure returns -1, leaves *doc empty and sets *err to a
 * malloc'd one-line message "PATH:LINE: ..." (caller frees). */
int doc_parse(rg_doc *doc, const char *path, const char *text, size_t len,
              char **err);

/* Apply "key=value" from -P: value is typed as YAML (so 0.01 is a number,
 * [a, b] a list). The key must exist in the front matter's params and the
 * new value must have a compatible type. Returns 0, or -1 with *err set
 * (caller frees). */
int doc_override_param(rg_doc *doc, const char *assignment, char **err);

/* Text of the chunk shown in the report: the code without option lines,
 * without trailing blank lines. Borrowed pointer into chunk->code; *len set. */
const char *doc_chunk_display(const rg_chunk *chunk, size_t *len);

void doc_free(rg_doc *doc);

#endif
