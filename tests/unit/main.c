/* tests/unit/main.c — runs every C unit-test suite; one line per test
 * ("ok NAME" or "FAIL NAME"), for tests/run.sh to count. */
#include <gsl/gsl_errno.h>
#include <stdio.h>

#include "par.h"

#include "unit.h"

int unit_failures;
const char *unit_skip;
const char *const *unit_args; /* the command line: spec files for the doc suite */
int unit_nargs;

extern const unit_test rng_tests[], fmt_tests[], value_tests[], doc_tests[], build_tests[],
    conformance_tests[], frame_tests[], stats_ref_tests[], cormat_tests[], surv_tests[],
    svg_tests[], tree_tests[], logistic_tests[], models_tests[], hclust_tests[],
    plot_heatmap_tests[];
extern const unit_test xy_tests[]; /* test_plot_xy.c */
extern const unit_test plot_dist_tests[]; /* plot.bar, plot.hist, plot.box */

int main(int argc, char **argv)
{
    const unit_test *suites[] = {rng_tests,   fmt_tests,         value_tests, doc_tests,
                                  build_tests, conformance_tests, frame_tests,
                                  stats_ref_tests, cormat_tests, surv_tests, svg_tests,
                                  tree_tests, logistic_tests, models_tests, hclust_tests,
                                  xy_tests, plot_heatmap_tests, plot_dist_tests};
    int failed = 0;
    gsl_set_error_handler_off(); /* as the engine: GSL reports, never aborts */
    par_init();
    unit_args = (const char *const *)(argv + 1);
    unit_nargs = argc - 1;
    for (size_t s = 0; s < sizeof suites / sizeof *suites; s++)
        for (const unit_test *t = suites[s]; t->name; t++) {
            unit_failures = 0;
            unit_skip = NULL;
            t->fn();
            if (unit_skip && !unit_failures)
                printf("skip %s: %s\n", t->name, unit_skip);
            else
                printf("%s %s\n", unit_failures ? "FAIL" : "ok", t->name);
            failed += unit_failures != 0;
        }
    return failed != 0;
}
