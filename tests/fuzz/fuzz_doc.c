/* tests/fuzz/fuzz_doc.c — libFuzzer entry for the document parser: runs
 * fuzz_doc_target (doc_target.h) and aborts when an invariant breaks.
 * Built by tests/fuzz/build.sh; crashers go to tests/fuzz/regressions/,
 * which the unit tests replay through the same target. */
#include <stdio.h>
#include <stdlib.h>

#include "doc_target.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *broken = fuzz_doc_target(data, size, "fuzz.md");
    if (broken) {
        fprintf(stderr, "fuzz_doc: %s\n", broken);
        abort();
    }
    return 0;
}
