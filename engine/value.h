/* engine/value.h — a small typed value tree.
 *
 * Front-matter params, -P overrides and rg.record values cross module
 * boundaries (doc -> host -> report) as rg_value trees, so that no module but
 * the Lua bindings sees a lua_State. Maps keep their insertion order (YAML
 * order for params, sorted keys for records), which makes every rendering of a
 * tree deterministic. */
#ifndef RG_VALUE_H
#define RG_VALUE_H

#include <stddef.h>
#include <stdint.h>

typedef enum {
    RG_NULL,
    RG_BOOL,
    RG_INT,
    RG_NUM,
    RG_STR,
    RG_LIST,
    RG_MAP
} rg_value_type;

typedef struct rg_value rg_value;
struct rg_value {
    rg_value_type type;
    union {
        int b;
        int64_t i;
        double n;
        char *s; /* RG_STR: NUL-terminated, owned */
    } u;
    size_t len;    /* RG_LIST / RG_MAP: number of items */
    size_t cap;
    char **keys;   /* RG_MAP: owned key strings */
    rg_value **items; /* RG_LIST / RG_MAP: owned children */
};

/* Constructors: return a new value the caller frees with value_free, or NULL
 * when out of memory. value_str copies s (len bytes, or strlen when len is
 * (size_t)-1). */
rg_value *value_new(rg_value_type type);
rg_value *value_bool(int b);
rg_value *value_int(int64_t i);
rg_value *value_num(double n);
rg_value *value_str(const char *s, size_t len);

/* Append item to a list, or key/item to a map; takes ownership of item (freed
 * on failure). Returns 0, or -1 when out of memory. */
int value_push(rg_value *list, rg_value *item);
int value_set(rg_value *map, const char *key, rg_value *item);

/* Map lookup: borrowed child or NULL. */
rg_value *value_get(const rg_value *map, const char *key);

/* Deep copy; NULL when out of memory. */
rg_value *value_copy(const rg_value *v);

/* Free a tree (NULL is allowed). */
void value_free(rg_value *v);

/* Structural equality (maps compare in order; numbers bit-for-bit except
 * that NaN equals NaN). */
int value_equal(const rg_value *a, const rg_value *b);

/* Type a YAML plain scalar as the YAML 1.2 core schema does: null/~/empty ->
 * RG_NULL; true/false (also True, TRUE, ...) -> RG_BOOL; decimal, 0x, 0o
 * integers -> RG_INT (when they fit in 64 bits); decimal floats, .inf, .nan
 * -> RG_NUM; anything else RG_STR. Returns NULL when out of memory. */
rg_value *value_from_plain_scalar(const char *s, size_t len);

/* Name of a type for messages ("number", "string", ...). */
const char *value_type_name(rg_value_type t);

#endif
