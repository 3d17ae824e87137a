/* engine/fmt.h — the one number formatter for everything a report shows.
 *
 * Rules (README, "Numbers in reports"): NaN -> "NaN", infinities -> "Inf" /
 * "-Inf", zero -> "0"; integers below 1e15 in full; values with magnitude
 * in [1e-4, 1e15) in fixed notation rounded to `digits` significant digits
 * (never rounding away integer digits) with trailing zeros dropped; others in
 * scientific notation with `digits` significant digits ("1.5e-05").
 * The manifest does not use this: it keeps full precision. Pure C. */
#ifndef RG_FMT_H
#define RG_FMT_H

#include "buf.h"

#define RG_FMT_DIGITS 3        /* tables and rg.fmt */
#define RG_FMT_DIGITS_VALUE 7  /* a single value: inline expressions, show(x) */
#define RG_FMT_P_DIGITS 3
#define RG_FMT_P_EPS 1e-3

/* Append x with `digits` significant digits (clamped to 1..17). */
void fmt_num(rg_buf *b, double x, int digits);

/* Append a p-value: "< EPS" below eps, else fmt_num(p, digits); NaN -> "NA".
 * The caller checks that p is in [0, 1]. */
void fmt_p(rg_buf *b, double p, int digits, double eps);

/* Append x with `decimals` decimals (clamped to 0..17), rounded as printf
 * rounds the stored double (1.005 is 1.00499... and gives "1"); with trim,
 * trailing zeros of the fraction (and a bare point) dropped, as in "1.5"
 * and "3"; never "-0" ("-0.001" with 2 decimals is "0"). Magnitudes of
 * 1e15 and more are written in full without decimals; NaN and infinities
 * as fmt_num. The coordinates and labels of figures (svg.h), and tables
 * with a fixed number of decimals. */
void fmt_fixed(rg_buf *b, double x, int decimals, int trim);

/* Append x in the shortest "%.{15,16,17}g" form that reads back to exactly
 * x (e.g. 0.1, not 0.10000000000000001); NaN and infinities as fmt_num. */
void fmt_shortest(rg_buf *b, double x);

#endif
