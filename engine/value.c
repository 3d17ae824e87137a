/* engine/value.c — the typed value tree of value.h: constructors, ownership
 * and the YAML core-schema typing of plain scalars. */
#include "value.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

rg_value *value_new(rg_value_type type)
{
    rg_value *v = calloc(1, sizeof *v);
    if (v)
        v->type = type;
    return v;
}

rg_value *value_bool(int b)
{
    rg_value *v = value_new(RG_BOOL);
    if (v)
        v->u.b = b != 0;
    return v;
}

rg_value *value_int(int64_t i)
{
    rg_value *v = value_new(RG_INT);
    if (v)
        v->u.i = i;
    return v;
}

rg_value *value_num(double n)
{
    rg_value *v = value_new(RG_NUM);
    if (v)
        v->u.n = n;
    return v;
}

rg_value *value_str(const char *s, size_t len)
{
    if (len == (size_t)-1)
        len = strlen(s);
    rg_value *v = value_new(RG_STR);
    if (!v)
        return NULL;
    v->u.s = malloc(len + 1);
    if (!v->u.s) {
        free(v);
        return NULL;
    }
    memcpy(v->u.s, s, len);
    v->u.s[len] = '\0';
    v->len = len;
    return v;
}

static int grow(rg_value *c)
{
    if (c->len < c->cap)
        return 0;
    size_t cap = c->cap ? 2 * c->cap : 4;
    rg_value **items = realloc(c->items, cap * sizeof *items);
    if (!items)
        return -1;
    c->items = items;
    if (c->type == RG_MAP) {
        char **keys = realloc(c->keys, cap * sizeof *keys);
        if (!keys)
            return -1;
        c->keys = keys;
    }
    c->cap = cap;
    return 0;
}

int value_push(rg_value *list, rg_value *item)
{
    if (!item || grow(list) != 0) {
        value_free(item);
        return -1;
    }
    list->items[list->len++] = item;
    return 0;
}

int value_set(rg_value *map, const char *key, rg_value *item)
{
    char *k = item ? strdup(key) : NULL;
    if (!k || grow(map) != 0) {
        free(k);
        value_free(item);
        return -1;
    }
    map->keys[map->len] = k;
    map->items[map->len++] = item;
    return 0;
}

rg_value *value_get(const rg_value *map, const char *key)
{
    if (!map || map->type != RG_MAP)
        return NULL;
    for (size_t i = 0; i < map->len; i++)
        if (strcmp(map->keys[i], key) == 0)
            return map->items[i];
    return NULL;
}

rg_value *value_copy(const rg_value *v)
{
    if (!v)
        return NULL;
    rg_value *c;
    switch (v->type) {
    case RG_STR:
        return value_str(v->u.s, v->len);
    case RG_LIST:
    case RG_MAP:
        c = value_new(v->type);
        if (!c)
            return NULL;
        for (size_t i = 0; i < v->len; i++) {
            int rc = v->type == RG_LIST
                         ? value_push(c, value_copy(v->items[i]))
                         : value_set(c, v->keys[i], value_copy(v->items[i]));
            if (rc != 0) {
                value_free(c);
                return NULL;
            }
        }
        return c;
    default:
        c = value_new(v->type);
        if (c)
            c->u = v->u;
        return c;
    }
}

void value_free(rg_value *v)
{
    if (!v)
        return;
    if (v->type == RG_STR)
        free(v->u.s);
    for (size_t i = 0; i < v->len && (v->type == RG_LIST || v->type == RG_MAP);
         i++) {
        value_free(v->items[i]);
        if (v->keys)
            free(v->keys[i]);
    }
    free(v->items);
    free(v->keys);
    free(v);
}

int value_equal(const rg_value *a, const rg_value *b)
{
    if (a->type != b->type)
        return 0;
    switch (a->type) {
    case RG_NULL:
        return 1;
    case RG_BOOL:
        return a->u.b == b->u.b;
    case RG_INT:
        return a->u.i == b->u.i;
    case RG_NUM:
        return (isnan(a->u.n) && isnan(b->u.n)) ||
               memcmp(&a->u.n, &b->u.n, sizeof a->u.n) == 0;
    case RG_STR:
        return a->len == b->len && memcmp(a->u.s, b->u.s, a->len) == 0;
    case RG_LIST:
    case RG_MAP:
        if (a->len != b->len)
            return 0;
        for (size_t i = 0; i < a->len; i++) {
            if (a->type == RG_MAP && strcmp(a->keys[i], b->keys[i]) != 0)
                return 0;
            if (!value_equal(a->items[i], b->items[i]))
                return 0;
        }
        return 1;
    }
    return 0;
}

static int is_one_of(const char *s, size_t len, const char *const *words)
{
    for (; *words; words++)
        if (strlen(*words) == len && memcmp(s, *words, len) == 0)
            return 1;
    return 0;
}

/* Strict integer parse of s[0..len) in base (10, 16 or 8) with an optional
 * sign for base 10; 0 on success. */
static int parse_int(const char *s, size_t len, int base, int64_t *out)
{
    char buf[64];
    if (len == 0 || len >= sizeof buf)
        return -1;
    memcpy(buf, s, len);
    buf[len] = '\0';
    for (size_t i = 0; i < len; i++) {
        char c = buf[i];
        int ok = (base == 16 && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
                                 (c >= 'A' && c <= 'F'))) ||
                 (base == 8 && c >= '0' && c <= '7') ||
                 (base == 10 && ((c >= '0' && c <= '9') ||
                                 (i == 0 && (c == '-' || c == '+') && len > 1)));
        if (!ok)
            return -1;
    }
    errno = 0;
    char *end;
    long long v = strtoll(buf, &end, base);
    if (errno || *end)
        return -1;
    *out = v;
    return 0;
}

/* YAML 1.2 core float: [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )? */
static int parse_float(const char *s, size_t len, double *out)
{
    size_t i = 0, digits = 0;
    if (i < len && (s[i] == '-' || s[i] == '+'))
        i++;
    while (i < len && s[i] >= '0' && s[i] <= '9')
        i++, digits++;
    if (i < len && s[i] == '.') {
        i++;
        while (i < len && s[i] >= '0' && s[i] <= '9')
            i++, digits++;
    }
    if (digits == 0)
        return -1;
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < len && (s[i] == '-' || s[i] == '+'))
            i++;
        size_t e = i;
        while (i < len && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == e)
            return -1;
    }
    if (i != len)
        return -1;
    char *buf = strndup(s, len); /* any length: 150 digits is still a number */
    if (!buf)
        return -1;
    *out = strtod(buf, NULL);
    free(buf);
    return 0;
}

rg_value *value_from_plain_scalar(const char *s, size_t len)
{
    static const char *const nulls[] = {"", "~", "null", "Null", "NULL", NULL};
    static const char *const trues[] = {"true", "True", "TRUE", NULL};
    static const char *const falses[] = {"false", "False", "FALSE", NULL};
    static const char *const infs[] = {".inf", ".Inf", ".INF", "+.inf",
                                       "+.Inf", "+.INF", NULL};
    static const char *const ninfs[] = {"-.inf", "-.Inf", "-.INF", NULL};
    static const char *const nans[] = {".nan", ".NaN", ".NAN", NULL};
    int64_t i;
    double d;
    if (is_one_of(s, len, nulls))
        return value_new(RG_NULL);
    if (is_one_of(s, len, trues))
        return value_bool(1);
    if (is_one_of(s, len, falses))
        return value_bool(0);
    if (is_one_of(s, len, infs))
        return value_num(HUGE_VAL);
    if (is_one_of(s, len, ninfs))
        return value_num(-HUGE_VAL);
    if (is_one_of(s, len, nans))
        return value_num(NAN);
    if (len > 2 && s[0] == '0' && s[1] == 'x' && parse_int(s + 2, len - 2, 16, &i) == 0)
        return value_int(i);
    if (len > 2 && s[0] == '0' && s[1] == 'o' && parse_int(s + 2, len - 2, 8, &i) == 0)
        return value_int(i);
    if (parse_int(s, len, 10, &i) == 0)
        return value_int(i);
    if (parse_float(s, len, &d) == 0)
        return value_num(d);
    return value_str(s, len);
}

const char *value_type_name(rg_value_type t)
{
    switch (t) {
    case RG_NULL:
        return "null";
    case RG_BOOL:
        return "boolean";
    case RG_INT:
        return "integer";
    case RG_NUM:
        return "number";
    case RG_STR:
        return "string";
    case RG_LIST:
        return "list";
    case RG_MAP:
        return "map";
    }
    return "?";
}
