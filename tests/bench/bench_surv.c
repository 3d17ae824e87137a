/* tests/bench/bench_surv.c — `make bench`, survival part: rglit's Cox
 * regression (Efron), Kaplan-Meier and log-rank through the engine's C API
 * on simulated data, which it also writes as CSV for tests/bench/surv.R to
 * time R's coxph, survfit and survdiff on the same rows.
 *
 *     bench_surv OUTDIR [REPEATS [N]]
 *
 * Data (seed 20261121, stream "bench-surv"): N rows (100000), ten
 * covariates (five standard normal, three 0/1 with P = 0.4, two whole numbers
 * 0..4), exponential event times with hazard 0.01 exp(x'b), uniform
 * censoring on (0, 300), both rounded up to whole days so that times tie as
 * in clinical data; group = x6 + x7 (three levels). Writes OUTDIR/surv.csv
 * and OUTDIR/surv.rglit.kv (timings, best of REPEATS after a warm-up, and
 * the results surv_report.py compares with R's). */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rng.h"
#include "stats/cox.h"
#include "stats/surv.h"

#define P 10

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void die(const char *what)
{
    fprintf(stderr, "bench_surv: %s\n", what);
    exit(1);
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 4) {
        fprintf(stderr, "usage: bench_surv OUTDIR [REPEATS [N]]\n");
        return 2;
    }
    const char *out = argv[1];
    int repeats = argc > 2 ? atoi(argv[2]) : 3;
    size_t n = argc > 3 ? (size_t)atol(argv[3]) : 100000;
    if (repeats < 1 || n < 10)
        die("REPEATS must be >= 1 and N >= 10");
    double *time = malloc(n * sizeof *time), *X = malloc(n * P * sizeof *X);
    int *status = malloc(n * sizeof *status);
    size_t *group = malloc(n * sizeof *group);
    if (!time || !X || !status || !group)
        die("out of memory");
    static const double beta[P] = {0.3, -0.2, 0.1, 0.05, 0, 0.4, -0.3, 0.2, 0.1, -0.05};
    rg_rng r;
    rng_init(&r, 20261121, "bench-surv");
    for (size_t i = 0; i < n; i++) {
        double lp = 0;
        for (size_t j = 0; j < P; j++) {
            double v = j < 5   ? rng_normal(&r, 0, 1)
                       : j < 8 ? (double)(rng_uniform(&r) < 0.4)
                               : (double)rng_below(&r, 5);
            X[j * n + i] = v;
            lp += beta[j] * v;
        }
        double t = ceil(-log(1 - rng_uniform(&r)) / (0.01 * exp(lp)));
        double c = ceil(300 * rng_uniform(&r));
        time[i] = t < c ? t : c;
        status[i] = t <= c;
        group[i] = (size_t)(X[5 * n + i] + X[6 * n + i]);
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/surv.csv", out);
    FILE *f = fopen(path, "w");
    if (!f)
        die("cannot write surv.csv");
    fprintf(f, "time,status,group");
    for (size_t j = 0; j < P; j++)
        fprintf(f, ",x%zu", j + 1);
    fputc('\n', f);
    for (size_t i = 0; i < n; i++) {
        fprintf(f, "%.17g,%d,%zu", time[i], status[i], group[i]);
        for (size_t j = 0; j < P; j++)
            fprintf(f, ",%.17g", X[j * n + i]);
        fputc('\n', f);
    }
    if (fclose(f) != 0)
        die("cannot write surv.csv");
    snprintf(path, sizeof path, "%s/surv.rglit.kv", out);
    FILE *kv = fopen(path, "w");
    if (!kv)
        die("cannot write surv.rglit.kv");
    double events = 0;
    for (size_t i = 0; i < n; i++)
        events += status[i];
    fprintf(kv, "n %zu\nevents %.0f\nrepeats %d\n", n, events, repeats);

    /* Cox, Efron: the fit with its tests and concordance, as coxph returns them */
    rg_cox_opts o = cox_default_opts();
    rg_cox fit;
    double best = INFINITY;
    for (int rep = 0; rep <= repeats; rep++) {
        size_t bad;
        double t0 = now();
        if (cox_fit(time, status, X, n, P, NULL, &o, &fit, &bad) != 0)
            die("cox_fit failed");
        double t = now() - t0;
        if (rep > 0 && t < best)
            best = t;
        if (rep < repeats)
            cox_free(&fit);
    }
    fprintf(kv, "time.cox %.6f\n", best);
    printf("rglit  cox (efron, %d covariates) %9.4f s\n", P, best);
    for (size_t j = 0; j < P; j++)
        fprintf(kv, "cox.coef.%zu %.17g\ncox.se.%zu %.17g\n", j + 1, fit.coef[j], j + 1,
                fit.se[j]);
    fprintf(kv, "cox.loglik %.17g\ncox.score %.17g\ncox.concordance %.17g\ncox.iter %d\n",
            fit.loglik, fit.score, fit.concordance, fit.iter);
    cox_free(&fit);

    /* Kaplan-Meier per group (the split is untimed in both programs) */
    double *tg = malloc(n * sizeof *tg);
    int *sg = malloc(n * sizeof *sg);
    if (!tg || !sg)
        die("out of memory");
    size_t start[4] = {0}, m = 0;
    for (size_t g = 0; g < 3; g++) {
        start[g] = m;
        for (size_t i = 0; i < n; i++)
            if (group[i] == g) {
                tg[m] = time[i];
                sg[m] = status[i];
                m++;
            }
    }
    start[3] = m;
    rg_km km[3];
    best = INFINITY;
    for (int rep = 0; rep <= repeats; rep++) {
        double t0 = now();
        for (size_t g = 0; g < 3; g++)
            if (km_fit(tg + start[g], sg + start[g], start[g + 1] - start[g], RG_KM_LOG, 0.95,
                       &km[g]) != 0)
                die("km_fit failed");
        double t = now() - t0;
        if (rep > 0 && t < best)
            best = t;
        if (rep < repeats)
            for (size_t g = 0; g < 3; g++)
                km_free(&km[g]);
    }
    fprintf(kv, "time.km %.6f\n", best);
    printf("rglit  km (3 curves)               %9.4f s\n", best);
    for (size_t g = 0; g < 3; g++) {
        fprintf(kv, "km.median.%zu %.17g\nkm.surv100.%zu %.17g\n", g, km[g].median, g,
                km[g].surv[km[g].m / 2]);
        fprintf(kv, "km.time_mid.%zu %.17g\n", g, km[g].time[km[g].m / 2]);
        km_free(&km[g]);
    }

    /* log-rank over the three groups */
    rg_logrank lr;
    best = INFINITY;
    for (int rep = 0; rep <= repeats; rep++) {
        double t0 = now();
        if (logrank(time, status, group, 3, NULL, n, &lr) != 0)
            die("logrank failed");
        double t = now() - t0;
        if (rep > 0 && t < best)
            best = t;
        if (rep < repeats)
            logrank_free(&lr);
    }
    fprintf(kv, "time.logrank %.6f\nlogrank.chisq %.17g\n", best, lr.chisq);
    printf("rglit  log-rank (3 groups)         %9.4f s\n", best);
    logrank_free(&lr);
    fclose(kv);
    free(time);
    free(X);
    free(status);
    free(group);
    free(tg);
    free(sg);
    return 0;
}
