/* engine/stats/scale.h — feature scaling as scikit-learn's StandardScaler,
 * MinMaxScaler and MaxAbsScaler: parameters fitted on one set of rows,
 * applied to any other. Missing values (NaN) are ignored by the fit and stay
 * NaN in the transform, as scikit-learn does. Pure C. */
#ifndef RG_SCALE_H
#define RG_SCALE_H

#include <stddef.h>

typedef enum { RG_SCALE_STANDARD, RG_SCALE_MINMAX, RG_SCALE_MAXABS } rg_scale_kind;

/* The kind named "standard", "minmax" or "maxabs"; 0, or -1 when unknown. */
int scale_kind(const char *name, rg_scale_kind *k);

/* One column's fit, with scikit-learn's operations and attributes:
 *   standard: y = (x - mean) / scale, scale = population sd (var_ with
 *             ddof = 0), replaced by 1 when var <= n eps var + (n mean eps)^2
 *             (sklearn's _is_constant_feature);
 *   minmax:   y = x * scale + min_, scale = 1 / (max - min), min_ = -min *
 *             scale (feature_range (0, 1)); a range below 10 eps counts as 1;
 *   maxabs:   y = x / scale, scale = max |x|, below 10 eps counts as 1.
 * n_valid counts the non-NaN values; a column with none fits NaN (its
 * transform is NaN). */
typedef struct {
    rg_scale_kind kind;
    double scale;              /* sklearn's scale_ */
    double mean, var;          /* standard: mean_, var_ */
    double min, max;           /* minmax: data_min_, data_max_; maxabs: max = max_abs_ */
    double min_;               /* minmax: sklearn's min_ */
    size_t n_valid;
    int constant;              /* the scale was replaced by 1 */
} rg_scale_col;

/* Fit column x[0..n). */
void scale_fit(const double *x, size_t n, rg_scale_kind k, rg_scale_col *out);

/* Transform x[0..n) into y (may equal x). */
void scale_apply(const rg_scale_col *c, const double *x, size_t n, double *y);

/* The inverse of scale_apply (scikit-learn's inverse_transform): y back into
 * the units of the fitted column, into x (may equal y). */
void scale_invert(const rg_scale_col *c, const double *y, size_t n, double *x);

#endif
