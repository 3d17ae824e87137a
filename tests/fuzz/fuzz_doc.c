/* tests/fuzz/fuzz_doc.c — libFuzzer target for the document parser (doc.h).
 *
 * Every input is parsed as a study with doc_parse. When the parse succeeds
 * the target walks what it found (items, chunk display text) and, if the
 * input holds an '=', applies the last line holding one as a -P override
 * (doc_override_param), then frees everything. Built by tests/fuzz/build.sh;
 * crashers go to tests/fuzz/regressions/, which the unit tests replay. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rg_doc doc;
    char *err = NULL;
    if (doc_parse(&doc, "fuzz.md", (const char *)data, size, &err) != 0) {
        if (!err || !*err)
            abort(); /* a failed parse must say why */
        free(err);
        return 0;
    }
    if (err)
        abort();
    size_t total = 0;
    for (size_t i = 0; i < doc.nitems; i++) {
        const rg_item *it = &doc.items[i];
        if (it->kind == RG_ITEM_CHUNK) {
            if (it->index >= doc.nchunks)
                abort();
            size_t len;
            const char *s = doc_chunk_display(&doc.chunks[it->index], &len);
            for (size_t k = 0; k < len; k++)
                total += (unsigned char)s[k];
            if (!doc.chunks[it->index].opts.label)
                abort();
        } else {
            if (it->index >= doc.ninlines)
                abort();
            total += strlen(doc.inlines[it->index].expr);
        }
    }
    (void)total;
    char *a = assignment_of(data, size);
    if (a) {
        char *perr = NULL;
        if (doc_override_param(&doc, a, &perr) != 0) {
            if (!perr)
                abort();
            free(perr);
        } else if (perr) {
            abort();
        }
        /* a second time: the override list must not grow */
        size_t n = doc.overridden->len;
        perr = NULL;
        if (doc_override_param(&doc, a, &perr) == 0 && doc.overridden->len != n)
            abort();
        free(perr);
        free(a);
    }
    doc_free(&doc);
    return 0;
}
