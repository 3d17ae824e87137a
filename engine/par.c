/* engine/par.c — par_for over POSIX threads (par.h). */
#include "par.h"

#include <cblas.h>
#include <pthread.h>
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
