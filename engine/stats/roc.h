/* engine/stats/roc.h — receiver operating characteristic as R's pROC: the
 * thresholds pROC places (midpoints between consecutive distinct scores,
 * -Inf and +Inf at the ends), sensitivity and specificity at each, the AUC
 * (Mann-Whitney form, ties counted 1/2), its DeLong variance and 95% CI,
 * and the Youden-optimal threshold. Direction "<": a case (label 1) is
 * predicted when score >= threshold, i.e. higher scores mean cases; ">"
 * the reverse. Pure C. */
#ifndef RG_ROC_H
#define RG_ROC_H

#include <stddef.h>

typedef struct {
    size_t n_cases, n_controls;
    size_t m;              /* thresholds */
    double *thresholds;    /* m, increasing: -Inf, midpoints, +Inf */
    double *sens, *spec;   /* m */
    double auc, var, lower, upper; /* DeLong variance, 95% CI (clipped to [0, 1]) */
    double youden_threshold, youden_sens, youden_spec;
    size_t youden_ties;    /* thresholds that tie on sens + spec (pROC's first kept) */
    int greater;           /* direction ">" */
} rg_roc;

/* The ROC of scores[0..n) against labels[0..n) (1 case, 0 control; the
 * caller has removed NaN and checked both classes are present).
 * direction: '<', '>' or 'a' (auto, as pROC: '>' when the median of the
 * controls exceeds that of the cases). Returns 0, or -1 when out of memory. */
int roc_compute(const double *scores, const int *labels, size_t n, char direction,
                rg_roc *out);

void roc_free(rg_roc *r);

#endif
