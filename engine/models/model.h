/* engine/models/model.h — one interface over every model kind, with the
 * scaling that belongs to it: a model is a small pipeline (scale X, scale Y,
 * fit) whose scalers are fitted on the model's own training rows and applied
 * to whatever it predicts, so cross-validation, grid search and permutation
 * tests that refit a model per fold never let test rows into the scaling.
 *
 * The options of every kind (names, types, ranges, defaults) are known here
 * alone: the Lua binding passes what the study wrote to model_set_option and
 * the grid search sets candidate values the same way. Pure C. */
#ifndef RG_MODEL_H
#define RG_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "../stats/scale.h"
#include "enet.h"
#include "linear.h"
#include "logistic.h"
#include "tree.h"

typedef enum {
    RG_MODEL_LINEAR,
    RG_MODEL_LASSO,
    RG_MODEL_ELASTIC_NET,
    RG_MODEL_MT_LASSO,
    RG_MODEL_MT_ELASTIC_NET,
    RG_MODEL_TREE,
    RG_MODEL_LOGISTIC,
    RG_MODEL_NKINDS
} rg_model_kind;

/* The kind named name ("linear", "lasso", ...); 0, or -1 when unknown. */
int model_kind(const char *name, rg_model_kind *k);
const char *model_kind_name(rg_model_kind k);
/* The kinds' names separated by ", " (for messages). */
const char *model_kind_list(void);

/* How many features a tree considers at each split. */
typedef enum { RG_MF_ALL, RG_MF_COUNT, RG_MF_FRACTION, RG_MF_SQRT, RG_MF_LOG2 } rg_mf_mode;

typedef struct {
    rg_model_kind kind;
    int scale_x, scale_y;    /* an rg_scale_kind, or -1: none */
    rg_enet_opts enet;       /* linear: fit_intercept only */
    rg_tree_opts tree;
    rg_mf_mode mf_mode;
    double mf_value;
    uint64_t seed;           /* the tree's random feature order */
    rg_logit_opts logit;
} rg_model_spec;

/* The defaults of kind (scikit-learn's, no scaling, seed 0). */
rg_model_spec model_default_spec(rg_model_kind kind);

/* An option value from a study. */
typedef enum { RG_OPT_NUMBER, RG_OPT_STRING, RG_OPT_BOOL } rg_opt_type;
typedef struct {
    rg_opt_type type;
    double num;        /* NUMBER; BOOL: 0 or 1 */
    const char *str;   /* STRING, borrowed */
} rg_opt;

/* Whether name is an option of kind (scale, scale_y, alpha, ...). */
int model_has_option(rg_model_kind kind, const char *name);
/* The option names of kind, NULL-terminated, sorted (static). */
const char *const *model_option_names(rg_model_kind kind);

/* Set option name of s to v. Returns 0, or -1 with err (errlen bytes) set to
 * "option NAME must be ..." or "unknown option ...". */
int model_set_option(rg_model_spec *s, const char *name, const rg_opt *v, char *err,
                     size_t errlen);

/* The value of option name in s for the report: a number (NaN when the
 * option is a string; *str then names it). Returns 0, -1 unknown option. */
int model_get_option(const rg_model_spec *s, const char *name, double *num, const char **str);

typedef struct {
    rg_model_spec spec;
    size_t p, q, n_train;
    rg_scale_col *xs, *ys;  /* p, q fitted scalers, or NULL */
    double *coef;           /* linear kinds, logistic: q x p on the scaled features */
    double *intercept;      /* q */
    rg_enet_info *info;     /* enet kinds: q */
    size_t rank;            /* linear */
    size_t resolved_max_features; /* tree */
    rg_tree tree;
    rg_logit logit;
} rg_model;

/* What model_fit returns besides 0 and -1 (out of memory). */
enum {
    RG_MODEL_ERR_CLASSES = 1, /* logistic: y must be 0/1 with both present */
    RG_MODEL_ERR_OUTPUTS = 2, /* logistic: one output only */
    RG_MODEL_ERR_SVD = 3,     /* linear: the decomposition failed */
    RG_MODEL_ERR_ROWS = 4     /* fewer than 2 rows (1 for linear kinds) */
};

/* Fit s on X (n x p column-major) and Y (n x q column-major), no NaN
 * (the caller checks). The caller frees out with model_free. */
int model_fit(const rg_model_spec *s, const double *X, size_t n, size_t p, const double *Y,
              size_t q, rg_model *out);

/* Predictions for the n rows of X (n x p, the training columns in their
 * order) into out (n x q column-major), in Y's units (scaling undone);
 * logistic: the probability of class 1. Returns 0 or -1 (memory). */
int model_predict(const rg_model *m, const double *X, size_t n, double *out);

/* SelectFromModel's importance of each of the p features: |coef| (summed
 * over outputs, its L1 norm) for the linear kinds and logistic, the impurity
 * importances for a tree. */
void model_importance(const rg_model *m, double *imp);

/* Whether scikit-learn's SelectFromModel would default to the 1e-5
 * threshold (an L1 model: lasso, multitask_lasso, logistic with l1, an
 * elastic net with l1_ratio 1). */
int model_is_l1(const rg_model_spec *s);

/* SelectFromModel: the threshold is value (RG_SEL_VALUE), factor times the
 * mean or median of the importances, or the default (1e-5 for an L1 model,
 * else the mean); keep[j] is set for importance >= threshold, and when
 * max_features < p only among the max_features largest importances (ties
 * in feature order). *threshold gets the number used. Returns 0 or -1
 * (memory). */
typedef enum { RG_SEL_DEFAULT, RG_SEL_VALUE, RG_SEL_MEAN, RG_SEL_MEDIAN } rg_sel_ref;
int model_select(const rg_model *m, rg_sel_ref ref, double value, size_t max_features,
                 unsigned char *keep, double *threshold);

/* Whether any output failed to converge (enet kinds, logistic). */
int model_converged(const rg_model *m);

void model_free(rg_model *m);

#endif
