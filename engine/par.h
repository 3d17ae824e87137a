/* engine/par.h — work split over threads without changing any result.
 *
 * par_for cuts [0, n) into fixed chunks of `grain` indices; up to `threads`
 * threads take chunks in any order. A chunk's result must depend only on its
 * indices (each writes its own outputs), so the numbers are the same for any
 * thread count, including 1, and for any scheduling. BLAS runs
 * single-threaded inside chunks (par_init), so its blocking never depends
 * on the thread count either. Pure C (POSIX threads). */
#ifndef RG_PAR_H
#define RG_PAR_H

#include <stddef.h>

/* Pin OpenBLAS to one thread per call (our threads split the work instead).
 * Call once, before any BLAS call. */
void par_init(void);

/* The default thread count: the online processors, at most 64. */
int par_default_threads(void);

/* Run fn(ctx, lo, hi) for the chunks [lo, hi) of [0, n). If threads cannot be
 * started the remaining chunks run on the calling thread: it never fails. */
void par_for(int threads, size_t n, size_t grain, void (*fn)(void *ctx, size_t lo, size_t hi),
             void *ctx);

#endif
