/* engine/stats/padjust.h — multiple-testing adjustment of p-values, identical
 * to R's p.adjust (stats package): the same methods, the same order of
 * floating-point operations, NA (NaN) values kept in place and left out of
 * the count n. Pure C. */
#ifndef RG_PADJUST_H
#define RG_PADJUST_H

#include <stddef.h>

typedef enum {
    RG_PADJ_HOLM,
    RG_PADJ_HOCHBERG,
    RG_PADJ_HOMMEL,
    RG_PADJ_BONFERRONI,
    RG_PADJ_BH,
    RG_PADJ_BY,
    RG_PADJ_NONE
} rg_padjust_method;

/* The method named name ("holm", "hochberg", "hommel", "bonferroni", "BH" or
 * its alias "fdr", "BY", "none"); 0, or -1 for an unknown name. */
int padjust_method(const char *name, rg_padjust_method *m);

/* The names accepted by padjust_method, for messages. */
extern const char *const padjust_method_names;

/* Adjust p[0..len) into out[0..len) (out may equal p). NaN entries are NA:
 * they stay NaN and do not count in n. p-values must be in [0, 1] or NaN
 * (the caller checks). Returns 0, or -1 when out of memory. */
int padjust(const double *p, size_t len, rg_padjust_method m, double *out);

#endif
