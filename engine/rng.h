/* engine/rng.h — deterministic random streams.
 *
 * Every random number in a report comes from an rg_rng stream. A stream is
 * xoshiro256** whose 256-bit state is the SHA-256 digest of
 *     "rglit-rng-v1" NUL <seed in decimal> NUL <stream name>
 * so (seed, name) alone fixes the sequence: each chunk draws from the stream
 * named by its label, and editing one chunk leaves the numbers of the others
 * unchanged. Substream i of a stream (permutation i of a test, fold i, ...)
 * is keyed by the parent's key and i, never by draws already made, so work
 * split over threads gives the same numbers whatever the thread count.
 * The README's "Random numbers" section specifies every step so that a
 * reviewer can re-implement it. Pure C, no Lua. */
#ifndef RG_RNG_H
#define RG_RNG_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint64_t s[4];     /* xoshiro256** state */
    uint8_t key[32];   /* SHA-256 key the stream was made from */
} rg_rng;

/* Initialise the stream (seed, name). name is a NUL-terminated UTF-8 string,
 * borrowed. */
void rng_init(rg_rng *r, uint64_t seed, const char *name);

/* Initialise substream i of parent: key = SHA-256(parent->key || i as 8
 * little-endian bytes). Does not advance parent. */
void rng_substream(rg_rng *r, const rg_rng *parent, uint64_t i);

/* Next raw 64-bit output of xoshiro256**. */
uint64_t rng_next(rg_rng *r);

/* Uniform double in [0, 1): (next >> 11) * 2^-53. */
double rng_uniform(rg_rng *r);

/* Uniform integer in [0, n), n >= 1, without bias (Lemire's multiply-shift
 * with rejection). */
uint64_t rng_below(rg_rng *r, uint64_t n);

/* Normal deviate: mean + sd * Phi^-1(u), u = (2 * (next >> 12) + 1) * 2^-53
 * (exact in double, strictly inside (0, 1) and symmetric about 1/2), by
 * inversion (GSL's gsl_cdf_ugaussian_Pinv). One draw per deviate. */
double rng_normal(rg_rng *r, double mean, double sd);

/* Fill out[0..n-1] with a uniformly random permutation of 0..n-1
 * (Fisher-Yates from the top: for i = n-1 down to 1, j = below(i+1),
 * swap out[i], out[j]). out is caller-owned. */
void rng_permutation(rg_rng *r, size_t *out, size_t n);

/* k distinct values from 0..n-1 (k <= n), in draw order: the first k steps of
 * a Fisher-Yates shuffle from the bottom on the identity (for i = 0..k-1,
 * j = i + below(n - i), swap a[i], a[j]). work has room for n entries and
 * out for k; both caller-owned (out may equal work). */
void rng_sample(rg_rng *r, size_t *work, size_t *out, size_t n, size_t k);

#endif
