/* tests/unit/test_fmt.c — the report's number formatter (fmt.h). */
#include <stdlib.h>

#include "fmt.h"
#include "unit.h"

static char *num(double x, int digits)
{
    static char out[8][64];
    static int k;
    rg_buf b = {0};
    fmt_num(&b, x, digits);
    char *s = out[k++ % 8];
    snprintf(s, 64, "%s", b.data ? b.data : "(null)");
    buf_free(&b);
    return s;
}

static char *pval(double p, int digits, double eps)
{
    static char out[64];
    rg_buf b = {0};
    fmt_p(&b, p, digits, eps);
    snprintf(out, sizeof out, "%s", b.data ? b.data : "(null)");
    buf_free(&b);
    return out;
}

static char *shortest(double x)
{
    static char out[64];
    rg_buf b = {0};
    fmt_shortest(&b, x);
    snprintf(out, sizeof out, "%s", b.data ? b.data : "(null)");
    buf_free(&b);
    return out;
}

static char *fixed(double x, int decimals, int trim)
{
    static char out[4][64];
    static int k;
    rg_buf b = {0};
    fmt_fixed(&b, x, decimals, trim);
    char *s = out[k++ % 4];
    snprintf(s, 64, "%s", b.data ? b.data : "(null)");
    buf_free(&b);
    return s;
}

static void test_special(void)
{
    CHECK_STR(num(NAN, 3), "NaN");
    CHECK_STR(num(INFINITY, 3), "Inf");
    CHECK_STR(num(-INFINITY, 3), "-Inf");
    CHECK_STR(num(0.0, 3), "0");
    CHECK_STR(num(-0.0, 3), "0");
}

static void test_fixed(void)
{
    CHECK_STR(num(0.5, 3), "0.5");           /* trailing zeros dropped */
    CHECK_STR(num(0.123456, 3), "0.123");
    CHECK_STR(num(-0.0447, 3), "-0.0447");
    CHECK_STR(num(3.14159, 1), "3");
    CHECK_STR(num(9.996, 3), "10");          /* rounding carries into a new digit */
    CHECK_STR(num(123456.7, 3), "123457");   /* integer digits are never lost */
    CHECK_STR(num(0.0001, 3), "0.0001");     /* the lower edge of fixed notation */
    CHECK_STR(num(0.000123456, 3), "0.000123");
    CHECK_STR(num(1.0 / 3.0, 7), "0.3333333");
    CHECK_STR(num(-0.00049, 1), "-0.0005");
}

static void test_integers(void)
{
    CHECK_STR(num(2.0, 3), "2");
    CHECK_STR(num(-60.0, 3), "-60");
    CHECK_STR(num(123456789012345.0, 3), "123456789012345");
}

static void test_scientific(void)
{
    CHECK_STR(num(0.000012345, 3), "1.23e-05");
    CHECK_STR(num(0.00005, 3), "5e-05");      /* mantissa zeros dropped */
    CHECK_STR(num(1e15, 3), "1e+15");
    CHECK_STR(num(-2.5e20, 2), "-2.5e+20");
    CHECK_STR(num(4.94e-324, 3), "4.94e-324");
}

static void test_digits_clamped(void)
{
    CHECK_STR(num(0.123456, 0), "0.1");      /* below 1 acts as 1 */
    CHECK_STR(num(0.1, 40), "0.10000000000000001"); /* above 17 acts as 17 */
}

static void test_p(void)
{
    CHECK_STR(pval(0.0001, 3, 1e-3), "< 0.001");
    CHECK_STR(pval(0.001, 3, 1e-3), "0.001");
    CHECK_STR(pval(0.0123456, 3, 1e-3), "0.0123");
    CHECK_STR(pval(0.04987, 3, 1e-3), "0.0499");
    CHECK_STR(pval(1.0, 3, 1e-3), "1");
    CHECK_STR(pval(NAN, 3, 1e-3), "NA");
    CHECK_STR(pval(1e-9, 2, 1e-4), "< 0.0001");
}

static void test_shortest(void)
{
    CHECK_STR(shortest(0.1), "0.1");
    CHECK_STR(shortest(0.6), "0.6");
    CHECK_STR(shortest(0.1 + 0.2), "0.30000000000000004");
    CHECK_STR(shortest(1e300), "1e+300");
    CHECK_STR(shortest(NAN), "NaN");
    CHECK(strtod(shortest(2.0 / 3.0), NULL) == 2.0 / 3.0);
}

static void test_fixed_decimals(void)
{
    CHECK_STR(fixed(1.1, 2, 0), "1.10"); /* kept zeros: "1.52 (1.10–2.09)" */
    CHECK_STR(fixed(1.1, 2, 1), "1.1");
    CHECK_STR(fixed(3, 2, 1), "3");
    CHECK_STR(fixed(3, 2, 0), "3.00");
    CHECK_STR(fixed(-0.004, 2, 0), "0.00");
    CHECK_STR(fixed(-0.004, 2, 1), "0");
    CHECK_STR(fixed(0.0001, 4, 1), "0.0001");
    CHECK_STR(fixed(1.25, 0, 1), "1");
    CHECK_STR(fixed(1.0 / 3, 30, 1), "0.33333333333333331"); /* at most 17 */
    CHECK_STR(fixed(1.0 / 3, -2, 1), "0");
    CHECK_STR(fixed(NAN, 2, 1), "NaN");
    CHECK_STR(fixed(-INFINITY, 2, 1), "-Inf");
    CHECK_STR(fixed(-2.5e15, 2, 1), "-2500000000000000");
}

const unit_test fmt_tests[] = {
    {"fmt_special", test_special},     {"fmt_fixed", test_fixed},
    {"fmt_integers", test_integers},   {"fmt_scientific", test_scientific},
    {"fmt_digits_clamped", test_digits_clamped},
    {"fmt_p", test_p},                 {"fmt_shortest", test_shortest},
    {"fmt_fixed_decimals", test_fixed_decimals},
    {NULL, NULL}};
