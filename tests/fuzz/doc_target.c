/* tests/fuzz/doc_target.c — the body of the document parser's fuzz target
 * (doc_target.h): doc_parse, a walk of the items and chunk display text,
 * and doc_override_param with the input's last line holding an '='. */
#include "doc_target.h"

#include <stdlib.h>
#include <string.h>

#include "doc.h"

/* The last line of data[0..size) that holds an '=' (bounded by newlines and
 * NULs), as a malloc'd C string; NULL when there is none. */
static char *assignment_of(const uint8_t *data, size_t size)
{
    const uint8_t *eq = NULL;
    for (size_t i = size; i-- > 0;)
        if (data[i] == '=') {
            eq = data + i;
            break;
        }
    if (!eq)
        return NULL;
    const uint8_t *b = eq, *e = eq;
    while (b > data && b[-1] != '\n' && b[-1] != '\0')
        b--;
    while (e < data + size && *e != '\n' && *e != '\0')
        e++;
    char *s = malloc((size_t)(e - b) + 1);
    if (!s)
        return NULL;
    memcpy(s, b, (size_t)(e - b));
    s[e - b] = '\0';
    return s;
}

static const char *overrides(rg_doc *doc, const char *a)
{
    char *perr = NULL;
    if (doc_override_param(doc, a, &perr) != 0) {
        if (!perr)
            return "a failed -P override gave no message";
        free(perr);
    } else if (perr) {
        return "a -P override that worked set a message";
    }
    /* a second time: the override list must not grow */
    size_t n = doc->overridden->len;
    perr = NULL;
    int rc = doc_override_param(doc, a, &perr);
    free(perr);
    if (rc == 0 && doc->overridden->len != n)
        return "overriding a param twice listed it twice";
    return NULL;
}

const char *fuzz_doc_target(const uint8_t *data, size_t size, const char *name)
{
    rg_doc doc;
    char *err = NULL;
    if (doc_parse(&doc, name, (const char *)data, size, &err) != 0) {
        int said = err && strncmp(err, name, strlen(name)) == 0;
        free(err);
        return said ? NULL : "a failed parse did not say 'PATH...: why'";
    }
    if (err)
        return "a successful parse set a message";
    const char *broken = NULL;
    for (size_t i = 0; i < doc.nitems && !broken; i++) {
        const rg_item *it = &doc.items[i];
        if (it->kind == RG_ITEM_CHUNK) {
            if (it->index >= doc.nchunks)
                broken = "an item names a chunk that does not exist";
            else if (!doc.chunks[it->index].opts.label)
                broken = "a chunk has no label";
            else {
                size_t len;
                const char *s = doc_chunk_display(&doc.chunks[it->index], &len);
                if (!s || len > strlen(doc.chunks[it->index].code))
                    broken = "a chunk's display text overruns its code";
            }
        } else if (it->index >= doc.ninlines || !doc.inlines[it->index].expr) {
            broken = "an item names an inline expression that does not exist";
        }
    }
    char *a = broken ? NULL : assignment_of(data, size);
    if (a) {
        broken = overrides(&doc, a);
        free(a);
    }
    doc_free(&doc);
    return broken;
}
