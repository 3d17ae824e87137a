/* tests/unit/unit.h — a minimal C unit-test harness.
 *
 * Each test is a function registered in the TESTS table of its file; the
 * runner (tests/unit/main.c) runs them all and prints one line per failure
 * plus "unit: N passed, N failed". Checks record a failure and go on, so one
 * run shows every broken expectation. */
#ifndef RG_UNIT_H
#define RG_UNIT_H

#include <math.h>
#include <stdio.h>
#include <string.h>

extern int unit_failures; /* failures in the current test */
extern const char *unit_skip; /* set by a test that cannot run here: the reason */
extern const char *const *unit_args; /* arguments of the test binary */
extern int unit_nargs;

#define CHECK(cond)                                                            \
    do {                                                                       \
        if (!(cond)) {                                                         \
            fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__,   \
                    #cond);                                                    \
            unit_failures++;                                                   \
        }                                                                      \
    } while (0)

#define CHECK_STR(got, want)                                                   \
    do {                                                                       \
        const char *g_ = (got), *w_ = (want);                                  \
        if (!g_ || !w_ || strcmp(g_, w_) != 0) {                               \
            fprintf(stderr, "%s:%d: got \"%s\", want \"%s\"\n", __FILE__,      \
                    __LINE__, g_ ? g_ : "(null)", w_ ? w_ : "(null)");         \
            unit_failures++;                                                   \
        }                                                                      \
    } while (0)

/* |got - want| <= tol * max(1, |want|) */
#define CHECK_NEAR(got, want, tol)                                             \
    do {                                                                       \
        double g_ = (got), w_ = (want);                                        \
        double s_ = fabs(w_) > 1 ? fabs(w_) : 1;                               \
        if (!(fabs(g_ - w_) <= (tol) * s_)) {                                  \
            fprintf(stderr, "%s:%d: got %.17g, want %.17g (tol %g)\n",         \
                    __FILE__, __LINE__, g_, w_, (double)(tol));                \
            unit_failures++;                                                   \
        }                                                                      \
    } while (0)

typedef struct {
    const char *name;
    void (*fn)(void);
} unit_test;

#include <stddef.h>
#include <stdint.h>

/* The whole file at path, NUL-terminated (caller frees), its length in
 * *len; NULL when it cannot be read. (tests/unit/replay.c) */
char *unit_read_file(const char *path, size_t *len);

/* Run target on every regular file of dir (relative to the repository
 * root, where tests/run.sh runs); each broken invariant it reports is a
 * failure, and so is a missing or empty dir. (tests/unit/replay.c) */
void unit_replay(const char *dir,
                 const char *(*target)(const uint8_t *data, size_t len, const char *path));

/* Conformance files (the JSON files of tests/conformance, from R or Python):
 * the parsed file, or NULL with a message; a number, where null is NaN and
 * "Infinity"/"-Infinity" the infinities; an array of those (caller frees;
 * *n its length). (tests/unit/replay.c) */
#include <cJSON.h>
cJSON *unit_load_json(const char *path);
double unit_json_num(const cJSON *v);
double *unit_json_nums(const cJSON *a, size_t *n);

/* Figures (tests/unit/test_svg.c). check_svg records a failure unless svg
 * is one well-formed SVG document with plain numeric attributes and no NaN
 * or infinity in any spelling; `what` names it in the message. golden
 * compares got with tests/golden/svg/FILE byte for byte, or rewrites the
 * file when RGLIT_UPDATE_GOLDEN is set (make golden). */
void check_svg(const char *what, const char *svg);
void golden(const char *file, const char *got);

#endif
