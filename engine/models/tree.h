/* engine/models/tree.h — a CART regression tree as scikit-learn 1.2.1's
 * DecisionTreeRegressor(criterion="squared_error", splitter="best",
 * max_leaf_nodes=None): best splits on the mean squared error, grown depth
 * first, the features of each split search visited in a random order drawn
 * from an rg_rng stream. Single or multiple outputs; no sample weights, no
 * missing values. Pure C.
 *
 * scikit-learn converts X to float32 before fitting and predicting and makes
 * its 1e-7 "same value" comparisons in float32. By default this tree works
 * on the doubles as given; opts.x_float32 reproduces scikit-learn's rounding
 * (tree.c's header comment says what differs). */
#ifndef RG_TREE_H
#define RG_TREE_H

#include <stddef.h>

#include "rng.h"

typedef struct {
    size_t max_depth;             /* 0: unlimited */
    size_t min_samples_split;     /* >= 2; default 2 */
    size_t min_samples_leaf;      /* >= 1; default 1 */
    size_t max_features;          /* features drawn per split search; 0 or >= p: all
                                     (the caller resolves "sqrt", "log2", fractions) */
    double min_impurity_decrease; /* >= 0; default 0 */
    int x_float32;                /* 1: X rounded to float32 as scikit-learn does */
    int presort;                  /* sort each feature once, not per node: 0 when
                                     it pays (most features drawn), 1 always, -1
                                     never; the tree is the same either way */
    unsigned long fail_alloc;     /* tests: the fit's allocations from number
                                     fail_alloc on fail (0: none) */
} rg_tree_opts;

/* The defaults above (scikit-learn's, except x_float32 = 0). */
rg_tree_opts tree_default_opts(void);

/* What tree_fit returns besides 0. */
enum {
    RG_TREE_NOMEM = -1,
    RG_TREE_BADARG = 1 /* n or q is 0, or an option is out of range */
};

/* A fitted tree. Nodes are numbered in depth-first order, left child first
 * (node 0 is the root), as scikit-learn's tree_ arrays. */
typedef struct {
    size_t nnode, q, p; /* nodes, outputs, features */
    long *left, *right; /* children; -1 for leaves */
    long *feature;      /* the split's feature (0-based); -1 for leaves */
    double *threshold;  /* go left when x <= threshold; -2 for leaves (as
                           scikit-learn's tree_.threshold) */
    double *value;      /* nnode x q, row-major: each output's mean in the node */
    double *impurity;   /* per node: the squared error averaged over outputs */
    size_t *n_samples;  /* per node */
    size_t depth;       /* the deepest node's depth (root 0) */
    size_t nleaves;
    int x_float32; /* fitted with opts.x_float32: tree_predict rounds too */
} rg_tree;

/* Fit a tree to the n x p matrix X (column-major: column j at X + j * n) and
 * the n x q targets Y (column-major), neither with NaN (the caller checks;
 * X may be NULL when p is 0: the tree is one leaf).
 * stream (borrowed, not advanced) orders the features of each split search:
 * node k uses rng_substream(stream, k), so the same data, options and
 * stream give the same tree. X, Y and o are borrowed; *out is filled on
 * success (free with tree_free) and left empty otherwise. Returns 0,
 * RG_TREE_NOMEM or RG_TREE_BADARG. */
int tree_fit(const double *X, size_t n, size_t p, const double *Y, size_t q,
             const rg_tree_opts *o, const rg_rng *stream, rg_tree *out);

/* Predictions of a fitted tree for the n rows of X (n x t->p, column-major,
 * no NaN; borrowed) into out (n x t->q, column-major, caller-owned). */
void tree_predict(const rg_tree *t, const double *X, size_t n, double *out);

/* scikit-learn's feature_importances_ of a fitted tree: for each feature,
 * the sum over the nodes split on it of n_node imp - n_left imp_left -
 * n_right imp_right, divided by the root's n, then normalised to sum 1
 * unless that sum is not positive (a single leaf: all 0). imp: t->p
 * doubles, caller-owned. */
void tree_importance(const rg_tree *t, double *imp);

/* Free what tree_fit allocated; t is left empty (freeing twice is safe). */
void tree_free(rg_tree *t);

#endif
