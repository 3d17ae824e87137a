/* engine/par.c — par_for over POSIX threads (par.h). */
#include "par.h"

#include <cblas.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdatomic.h>
#include <unistd.h>

#define MAX_THREADS 64

void par_init(void) { openblas_set_num_threads(1); }

int par_default_threads(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > MAX_THREADS ? MAX_THREADS : (int)n;
}

typedef struct {
    void (*fn)(void *, size_t, size_t);
    void *ctx;
    size_t n, grain;
    atomic_size_t next; /* the next chunk's first index */
} job;

static void *worker(void *arg)
{
    job *j = arg;
    for (;;) {
        size_t lo = atomic_fetch_add(&j->next, j->grain);
        if (lo >= j->n)
            break;
        size_t hi = j->n - lo < j->grain ? j->n : lo + j->grain;
        j->fn(j->ctx, lo, hi);
    }
    return NULL;
}

void par_for(int threads, size_t n, size_t grain, void (*fn)(void *ctx, size_t lo, size_t hi),
             void *ctx)
{
    if (grain == 0)
        grain = 1;
    job j = {fn, ctx, n, grain, 0};
    size_t chunks = n / grain + (n % grain != 0);
    if (threads > MAX_THREADS)
        threads = MAX_THREADS;
    if ((size_t)threads > chunks)
        threads = (int)chunks;
    pthread_t tid[MAX_THREADS];
    int started = 0;
    for (int t = 1; t < threads; t++) {
        if (pthread_create(&tid[started], NULL, worker, &j) != 0)
            break;
        started++;
    }
    worker(&j);
    for (int t = 0; t < started; t++)
        pthread_join(tid[t], NULL);
}

/* ---- progress ---------------------------------------------------------------- */

void progress_start(rg_progress *p, const char *label, size_t total, int enabled)
{
    p->label = label;
    p->total = total;
    p->done = 0;
    p->shown = -1;
    p->enabled = 0;
    p->lock = NULL;
    if (!enabled || total == 0)
        return;
    pthread_mutex_t *m = malloc(sizeof *m);
    if (!m || pthread_mutex_init(m, NULL) != 0) {
        free(m);
        return;
    }
    p->lock = m;
    p->enabled = 1;
}

void progress_step(rg_progress *p, size_t k)
{
    if (!p || !p->enabled)
        return;
    pthread_mutex_lock(p->lock);
    p->done += k;
    int pct = (int)(100.0 * (double)p->done / (double)p->total);
    if (pct != p->shown) {
        p->shown = pct;
        char bar[31];
        int fill = pct * 30 / 100;
        for (int i = 0; i < 30; i++)
            bar[i] = i < fill ? '#' : '.';
        bar[30] = 0;
        fprintf(stderr, "\r%s [%s] %3d%% (%zu/%zu)", p->label, bar, pct, p->done, p->total);
        fflush(stderr);
    }
    pthread_mutex_unlock(p->lock);
}

void progress_end(rg_progress *p)
{
    if (!p || !p->enabled)
        return;
    if (p->shown >= 0)
        fprintf(stderr, "\r\033[K");
    pthread_mutex_destroy(p->lock);
    free(p->lock);
    p->lock = NULL;
    p->enabled = 0;
}
