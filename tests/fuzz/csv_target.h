/* tests/fuzz/csv_target.h — the CSV reader's fuzz target body, shared by the
 * libFuzzer entry (fuzz_csv.c) and the unit tests' replay of
 * tests/fuzz/regressions_csv/ (test frame_fuzz_regressions), so that a
 * regression input is replayed through exactly what found it. */
#ifndef RG_CSV_TARGET_H
#define RG_CSV_TARGET_H

#include <stddef.h>
#include <stdint.h>

/* The first byte of data selects reader options (see csv_target.c); the rest
 * is the CSV text. It is parsed with those options and again with the
 * defaults, and every frame (or error) is checked against the contract of
 * engine/frame.h. Returns NULL when every invariant held, else a description
 * of the one that broke (a static string). An empty input is accepted. */
const char *fuzz_csv_target(const uint8_t *data, size_t size);

/* Is the NUL-terminated str strict UTF-8? An oracle independent of the
 * engine's validator, shared by the fuzz target and the unit tests. */
int fuzz_utf8_strict(const char *str);

#endif
