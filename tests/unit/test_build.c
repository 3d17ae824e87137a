/* tests/unit/test_build.c — how the binary is linked: GSL's BLAS calls must
 * reach OpenBLAS's CBLAS, not GSL's reference gslcblas. Debian's libgsl
 * itself needs libgslcblas.so, so both are loaded; the executable links
 * OpenBLAS first, and global symbol lookup then binds cblas_* to it. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <gsl/gsl_blas.h>
#include <string.h>

#include "unit.h"

static void test_cblas_binds_to_openblas(void)
{
    static const char *const syms[] = {"cblas_ddot", "cblas_dgemm", "cblas_dsyrk", NULL};
    for (const char *const *s = syms; *s; s++) {
        void *f = dlsym(RTLD_DEFAULT, *s);
        Dl_info info;
        CHECK(f != NULL);
        CHECK(f && dladdr(f, &info) && info.dli_fname &&
              strstr(info.dli_fname, "openblas") != NULL);
        if (f && dladdr(f, &info) && info.dli_fname && !strstr(info.dli_fname, "openblas"))
            fprintf(stderr, "%s resolves to %s\n", *s, info.dli_fname);
    }
    /* and GSL's wrapper computes through it */
    double a[] = {1, 2, 3}, b[] = {4, 5, 6}, r = 0;
    gsl_vector_view va = gsl_vector_view_array(a, 3), vb = gsl_vector_view_array(b, 3);
    CHECK(gsl_blas_ddot(&va.vector, &vb.vector, &r) == 0);
    CHECK(r == 32);
}

const unit_test build_tests[] = {
    {"build_cblas_is_openblas", test_cblas_binds_to_openblas},
    {NULL, NULL}};
