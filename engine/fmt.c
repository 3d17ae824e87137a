/* engine/fmt.c — number formatting for reports (fmt.h). */
#include "fmt.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Drop trailing zeros of the fraction in s (and a bare '.'); in place. */
static void trim_fraction(char *s)
{
    char *dot = strchr(s, '.');
    if (!dot)
        return;
    char *end = dot + strlen(dot);
    while (end > dot + 1 && end[-1] == '0')
        end--;
    if (end == dot + 1)
        end = dot;
    *end = '\0';
}

void fmt_num(rg_buf *b, double x, int digits)
{
    char s[64];
    if (digits < 1)
        digits = 1;
    if (digits > 17)
        digits = 17;
    if (isnan(x)) {
        buf_puts(b, "NaN");
        return;
    }
    if (isinf(x)) {
        buf_puts(b, x > 0 ? "Inf" : "-Inf");
        return;
    }
    if (x == 0) {
        buf_puts(b, "0");
        return;
    }
    double ax = fabs(x);
    if (ax >= 1e15 || ax < 1e-4) {
        snprintf(s, sizeof s, "%.*e", digits - 1, x);
        char *e = strchr(s, 'e');
        char exp[16];
        snprintf(exp, sizeof exp, "%s", e);
        *e = '\0';
        trim_fraction(s);
        buf_puts(b, s);
        buf_puts(b, exp);
        return;
    }
    if (x == floor(x)) {
        snprintf(s, sizeof s, "%.0f", x);
        buf_puts(b, s);
        return;
    }
    int e = (int)floor(log10(ax));
    int dec = digits - 1 - e;
    if (dec < 0)
        dec = 0;
    snprintf(s, sizeof s, "%.*f", dec, x);
    trim_fraction(s);
    buf_puts(b, strcmp(s, "-0") == 0 ? "0" : s);
}

void fmt_fixed(rg_buf *b, double x, int decimals, int trim)
{
    char s[48]; /* below 1e15: 16 digits, a sign, a point and 17 decimals */
    if (isnan(x) || isinf(x)) {
        fmt_num(b, x, 1);
        return;
    }
    if (fabs(x) >= 1e15) {
        buf_printf(b, "%.0f", x);
        return;
    }
    if (decimals < 0)
        decimals = 0;
    if (decimals > 17)
        decimals = 17;
    snprintf(s, sizeof s, "%.*f", decimals, x);
    if (trim)
        trim_fraction(s);
    /* a negative value that rounds to zero: "-0", "-0.00" */
    if (s[0] == '-' && strspn(s + 1, "0.") == strlen(s + 1))
        memmove(s, s + 1, strlen(s));
    buf_puts(b, s);
}

void fmt_p(rg_buf *b, double p, int digits, double eps)
{
    if (isnan(p)) {
        buf_puts(b, "NA");
        return;
    }
    if (p < eps) {
        buf_puts(b, "< ");
        fmt_num(b, eps, 3);
        return;
    }
    fmt_num(b, p, digits);
}

void fmt_shortest(rg_buf *b, double x)
{
    if (isnan(x) || isinf(x)) {
        fmt_num(b, x, 1);
        return;
    }
    char s[40];
    for (int p = 15; p <= 17; p++) {
        snprintf(s, sizeof s, "%.*g", p, x);
        if (strtod(s, NULL) == x)
            break;
    }
    buf_puts(b, s);
}
