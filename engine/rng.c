/* engine/rng.c — deterministic random streams.
 *
 * Implements rng.h: SHA-256 (nettle) turns (seed, name) or (parent key, i)
 * into a 256-bit key, the key is the xoshiro256** state, and every derived
 * draw (uniform, bounded integer, normal, permutation, sample) uses a fixed
 * number of raw outputs in a fixed order, so a report's numbers depend only
 * on the seeds and stream names. The README's "Random numbers" section is
 * the specification; keep the two in step. */
#include "rng.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <nettle/sha2.h>

__extension__ typedef unsigned __int128 u128;

static const char tag[] = "rglit-rng-v1";

/* State s[0..3] = key bytes 0-7, 8-15, 16-23, 24-31 as little-endian
 * uint64; an all-zero state (never seen in practice) becomes s[0] = 1. */
static void state_from_key(rg_rng *r)
{
    for (int w = 0; w < 4; w++) {
        uint64_t v = 0;
        for (int b = 7; b >= 0; b--)
            v = (v << 8) | r->key[8 * w + b];
        r->s[w] = v;
    }
    if ((r->s[0] | r->s[1] | r->s[2] | r->s[3]) == 0)
        r->s[0] = 1;
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

void rng_init(rg_rng *r, uint64_t seed, const char *name)
{
    char digits[24];
    int nd = snprintf(digits, sizeof digits, "%" PRIu64, seed);
    static const uint8_t nul = 0;
    struct sha256_ctx ctx;

    sha256_init(&ctx);
    sha256_update(&ctx, sizeof tag - 1, (const uint8_t *)tag);
    sha256_update(&ctx, 1, &nul);
    sha256_update(&ctx, (size_t)nd, (const uint8_t *)digits);
    sha256_update(&ctx, 1, &nul);
    sha256_update(&ctx, strlen(name), (const uint8_t *)name);
    sha256_digest(&ctx, sizeof r->key, r->key);
    state_from_key(r);
}

void rng_substream(rg_rng *r, const rg_rng *parent, uint64_t i)
{
    uint8_t msg[40];
    struct sha256_ctx ctx;

    memcpy(msg, parent->key, 32);
    for (int b = 0; b < 8; b++)
        msg[32 + b] = (uint8_t)(i >> (8 * b));
    /* msg is a copy, so r may alias parent. */
    sha256_init(&ctx);
    sha256_update(&ctx, sizeof msg, msg);
    sha256_digest(&ctx, sizeof r->key, r->key);
    state_from_key(r);
}

uint64_t rng_next(rg_rng *r)
{
    uint64_t *s = r->s;
    uint64_t out = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;

    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return out;
}

double rng_uniform(rg_rng *r)
{
    return (double)(rng_next(r) >> 11) * 0x1p-53;
}

uint64_t rng_below(rg_rng *r, uint64_t n)
{
    u128 m = (u128)rng_next(r) * n;
    uint64_t low = (uint64_t)m;

    if (low < n) {
        uint64_t t = (0 - n) % n; /* 2^64 mod n */
        while (low < t) {
            m = (u128)rng_next(r) * n;
            low = (uint64_t)m;
        }
    }
    return (uint64_t)(m >> 64);
}

double rng_normal(rg_rng *r, double mean, double sd)
{
    double u = (double)(2 * (rng_next(r) >> 12) + 1) * 0x1p-53; /* exact, in (0, 1) */
    return mean + sd * gsl_cdf_ugaussian_Pinv(u);
}

void rng_permutation(rg_rng *r, size_t *out, size_t n)
{
    if (n == 0)
        return;
    for (size_t i = 0; i < n; i++)
        out[i] = i;
    for (size_t i = n - 1; i >= 1; i--) {
        size_t j = (size_t)rng_below(r, (uint64_t)i + 1);
        size_t tmp = out[i];
        out[i] = out[j];
        out[j] = tmp;
    }
}

void rng_sample(rg_rng *r, size_t *work, size_t *out, size_t n, size_t k)
{
    if (k == 0)
        return;
    for (size_t i = 0; i < n; i++)
        work[i] = i;
    for (size_t i = 0; i < k; i++) {
        size_t j = i + (size_t)rng_below(r, (uint64_t)(n - i));
        size_t tmp = work[i];
        work[i] = work[j];
        work[j] = tmp;
    }
    if (out != work)
        memcpy(out, work, k * sizeof *out);
}
