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

/* A progress bar for long parallel work (permutations, grid searches) on
 * stderr: "LABEL [#####.....] 45% (450/1000)", redrawn when the percentage
 * changes and erased at the end. Only when enabled (stderr is a terminal and
 * --quiet was not given); otherwise every call does nothing. Safe to call
 * from the threads of par_for. It writes nothing a result depends on. */
typedef struct {
    const char *label;  /* borrowed */
    size_t total;
    int enabled;
    size_t done;        /* guarded by the lock */
    int shown;          /* the last percentage drawn, -1 none */
    void *lock;         /* a pthread mutex, NULL when disabled */
} rg_progress;

/* Start a bar (nothing is drawn until the first step). When the lock cannot
 * be created the bar is disabled. */
void progress_start(rg_progress *p, const char *label, size_t total, int enabled);
/* k more units done. */
void progress_step(rg_progress *p, size_t k);
/* Erase the bar and release it. */
void progress_end(rg_progress *p);

#endif
