/* tests/fuzz/doc_target.h — the document parser's fuzz target body, shared by
 * the libFuzzer entry (fuzz_doc.c) and the unit tests' replay of
 * tests/fuzz/regressions/, so that a regression input is replayed through
 * exactly what found it. */
#ifndef RG_DOC_TARGET_H
#define RG_DOC_TARGET_H

#include <stddef.h>
#include <stdint.h>

/* Parse data as a study named name, walk what was found and, when the input
 * holds an '=', apply its last line holding one as a -P override twice.
 * Returns NULL when every invariant held, else a description of the one
 * that broke (a static string). */
const char *fuzz_doc_target(const uint8_t *data, size_t size, const char *name);

#endif
