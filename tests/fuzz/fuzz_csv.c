/* tests/fuzz/fuzz_csv.c — libFuzzer entry for the CSV reader (engine/frame.c):
 * runs fuzz_csv_target (csv_target.h) and aborts when an invariant breaks.
 * Built by tests/fuzz/build_csv.sh; crashers go to
 * tests/fuzz/regressions_csv/, which the unit tests replay through the same
 * target (test frame_fuzz_regressions). */
#include <stdio.h>
#include <stdlib.h>

#include "csv_target.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *broken = fuzz_csv_target(data, size);
    if (broken) {
        fprintf(stderr, "fuzz_csv: %s\n", broken);
        abort();
    }
    return 0;
}
