/* engine/models/metrics.h — scores of predictions as scikit-learn's
 * sklearn.metrics defines them: mean squared error, r2_score, the ratio of
 * the RMSE to the population standard deviation of the observed values
 * (ImaGene's RMSE:STDEV; r2 = 1 - ratio^2 on the same data), and the area
 * under the ROC curve (roc_auc_score: the Mann-Whitney form, tied scores
 * counted 1/2). Pure C. */
#ifndef RG_METRICS_H
#define RG_METRICS_H

#include <stddef.h>

double metric_mse(const double *y, const double *pred, size_t n);

/* r2_score: 1 - SS_res / SS_tot; when SS_tot is 0 (constant y), 1 for a
 * perfect prediction and 0 otherwise, as scikit-learn's force_finite. */
double metric_r2(const double *y, const double *pred, size_t n);

/* sqrt(mse) / sd(y) with sd the population standard deviation; for a
 * constant y NaN (a perfect prediction) or +Inf. */
double metric_rmse_std_ratio(const double *y, const double *pred, size_t n);

/* The AUC of score for the rows with positive[i] set against the others,
 * into *auc (NaN when a class is empty). Returns 0, or -1 when out of
 * memory. */
int metric_auc(const double *score, const unsigned char *positive, size_t n, double *auc);

typedef enum { RG_SCORE_NEG_MSE, RG_SCORE_R2, RG_SCORE_AUC, RG_SCORE_RMSE_STD } rg_scoring;

/* The scoring named "neg_mse", "r2", "auc" or "rmse_std_ratio"; 0 or -1. */
int metric_scoring(const char *name, rg_scoring *s);
const char *metric_scoring_name(rg_scoring s);
/* Whether a higher score is better (all but rmse_std_ratio). */
int metric_higher_is_better(rg_scoring s);

/* One score of pred against y (n values). For auc the observed values are
 * binarised as y > threshold (0/1 labels with threshold 0.5). Returns 0 or
 * -1 (memory). */
int metric_score(rg_scoring s, double threshold, const double *y, const double *pred, size_t n,
                 double *out);

#endif
