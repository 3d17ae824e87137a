/* engine/models/internal.h — what the model files share and nothing else
 * needs. */
#ifndef RG_MODELS_INTERNAL_H
#define RG_MODELS_INTERNAL_H

#include <stddef.h>

/* An element count for malloc/calloc: never 0, so that a successful
 * allocation of nothing is never mistaken for a failure. */
static inline size_t nz(size_t k) { return k ? k : 1; }

#endif
