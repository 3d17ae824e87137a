/* tests/unit/test_rng.c — tests for engine/rng.c.
 *
 * Known-answer values pin the exact byte-level algorithm (key derivation,
 * xoshiro256**, uniform, below, normal) against an independent Python
 * implementation; the rest check the contracts of rng.h: determinism,
 * stream separation, substream independence, ranges, rough distribution
 * and permutation/sample validity.
 *
 * How the constants were computed (Python 3.11, run once; the keys were
 * also checked with the shell, e.g.
 *     printf 'rglit-rng-v1\0%s\0%s' 20201118 screen | sha256sum
 *     printf '<key hex>0300000000000000' | xxd -r -p | sha256sum ):
 *
 *   import hashlib, struct
 *   from statistics import NormalDist
 *   M = (1 << 64) - 1
 *   def rotl(x, k): return ((x << k) | (x >> (64 - k))) & M
 *   def key_of(seed, name):
 *       return hashlib.sha256(b"rglit-rng-v1\0" + str(seed).encode()
 *                             + b"\0" + name.encode()).digest()
 *   def state(key):
 *       s = list(struct.unpack("<4Q", key))
 *       if s == [0, 0, 0, 0]: s[0] = 1
 *       return s
 *   def nxt(s):
 *       r = (rotl((s[1] * 5) & M, 7) * 9) & M
 *       t = (s[1] << 17) & M
 *       s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]; s[2] ^= t
 *       s[3] = rotl(s[3], 45)
 *       return r
 *   def below(s, n):
 *       m = nxt(s) * n; l = m & M
 *       if l < n:
 *           t = ((1 << 64) - n) % n
 *           while l < t:
 *               m = nxt(s) * n; l = m & M
 *       return m >> 64
 *   k = key_of(20201118, "screen")
 *   print("key", k.hex())
 *   s = state(k); print("next", [hex(nxt(s)) for _ in range(4)])
 *   sub = hashlib.sha256(k + struct.pack("<Q", 3)).digest()
 *   print("subkey3", sub.hex()); print("sub3 next", hex(nxt(state(sub))))
 *   s = state(k); print("uniform", repr((nxt(s) >> 11) * 2.0**-53))
 *   s = state(k); print("below10", [below(s, 10) for _ in range(5)])
 *   s = state(k); print("normal", [repr(NormalDist().inv_cdf(
 *       (2 * (nxt(s) >> 12) + 1) * 2.0**-53)) for _ in range(3)])
 *   for seed, name in [(0, ""), (18446744073709551615, "\u00e9t\u00e9")]:
 *       print(seed, key_of(seed, name).hex())
 *   s = state(k); print("below 2^63+1",
 *                       [hex(below(s, (1 << 63) + 1)) for _ in range(5)])
 *   def perm(s, n):
 *       a = list(range(n))
 *       for i in range(n - 1, 0, -1):
 *           j = below(s, i + 1); a[i], a[j] = a[j], a[i]
 *       return a
 *   def sample(s, n, k):
 *       a = list(range(n))
 *       for i in range(k):
 *           j = i + below(s, n - i); a[i], a[j] = a[j], a[i]
 *       return a[:k]
 *   s = state(k); print("perm10", perm(s, 10))
 *   s = state(k); print("sample10,4", sample(s, 10, 4))
 *   inv9 = pow(9, -1, 1 << 64); inv5 = pow(5, -1, 1 << 64)
 *   rotr = lambda x, k: ((x >> k) | (x << (64 - k))) & M
 *   print(hex((inv5 * rotr((inv9 * M) & M, 7)) & M))  # s[1] -> next = 2^64-1
 *   print(repr(NormalDist().inv_cdf(2.0**-53)))
 */
#include "rng.h"
#include "unit.h"

#include <stdint.h>
#include <stdlib.h>

#define KAT_SEED 20201118u
#define KAT_NAME "screen"

static void key_hex(const rg_rng *r, char out[65])
{
    static const char digits[] = "0123456789abcdef";
    for (int i = 0; i < 32; i++) {
        out[2 * i] = digits[r->key[i] >> 4];
        out[2 * i + 1] = digits[r->key[i] & 15];
    }
    out[64] = '\0';
}

static void test_kat_key(void)
{
    rg_rng r;
    char hex[65];

    rng_init(&r, KAT_SEED, KAT_NAME);
    key_hex(&r, hex);
    CHECK_STR(hex,
              "148f644e66608f077d605bc1a38913c9e1809194e84f321765631d561e0b70ca");
    /* State = key as four little-endian words. */
    CHECK(r.s[0] == UINT64_C(0x078f60664e648f14));
    CHECK(r.s[3] == UINT64_C(0xca700b1e561d6365));

    /* Seed 0 prints as "0"; the empty name adds no bytes. */
    rng_init(&r, 0, "");
    key_hex(&r, hex);
    CHECK_STR(hex,
              "35eca6d076482f11263af0dfb27d3a000dfaf1dcad6ebafcfd31b964165ac695");

    /* Full 20-digit seed, UTF-8 name ("été"). */
    rng_init(&r, UINT64_MAX, "\xc3\xa9t\xc3\xa9");
    key_hex(&r, hex);
    CHECK_STR(hex,
              "18bafe5b961dc7e30b2f8ecad3d04be70ce93cc153bcd1171ffd90bd1e962402");
}

static void test_kat_next(void)
{
    static const uint64_t want[4] = {
        UINT64_C(0x3798e47e87fb00a6), UINT64_C(0xd99af6eed4cd7520),
        UINT64_C(0x408cae079847f00c), UINT64_C(0xcb4d31e7e6070d06)};
    rg_rng r;

    rng_init(&r, KAT_SEED, KAT_NAME);
    for (int i = 0; i < 4; i++)
        CHECK(rng_next(&r) == want[i]);
}

static void test_kat_substream(void)
{
    rg_rng parent, sub;
    char hex[65];

    rng_init(&parent, KAT_SEED, KAT_NAME);
    rng_substream(&sub, &parent, 3);
    key_hex(&sub, hex);
    CHECK_STR(hex,
              "a7dc9b6c84d650067964b178cd3e3cffee68a74ce9fd50b72b833eec1d1b2d76");
    CHECK(rng_next(&sub) == UINT64_C(0xcb850f1b9754a6ee));
}

static void test_kat_uniform(void)
{
    rg_rng r;

    rng_init(&r, KAT_SEED, KAT_NAME);
    /* Exact: (next >> 11) * 2^-53 is representable. */
    CHECK(rng_uniform(&r) == 0.2171767052568434);
}

static void test_kat_below(void)
{
    static const uint64_t want[5] = {2, 8, 2, 7, 9};
    rg_rng r;

    rng_init(&r, KAT_SEED, KAT_NAME);
    for (int i = 0; i < 5; i++)
        CHECK(rng_below(&r, 10) == want[i]);
}

static void test_kat_normal(void)
{
    static const double z[3] = {-0.7817637806014911, 1.0365226970017098,
                                -0.6677499700386986};
    rg_rng r;

    rng_init(&r, KAT_SEED, KAT_NAME);
    for (int i = 0; i < 3; i++)
        CHECK_NEAR(rng_normal(&r, 0, 1), z[i], 1e-12);

    /* mean + sd * z, one draw per deviate. */
    rng_init(&r, KAT_SEED, KAT_NAME);
    for (int i = 0; i < 3; i++)
        CHECK_NEAR(rng_normal(&r, 2, 3), 2 + 3 * z[i], 1e-12);
}

/* n = 2^63 + 1 rejects about half the raw draws (these 5 values use 11),
 * so this pins the rejection rule, not only the multiply-shift. */
static void test_kat_below_rejection(void)
{
    static const uint64_t want[5] = {
        UINT64_C(0x6ccd7b776a66ba90), UINT64_C(0x65a698f3f3038683),
        UINT64_C(0x7ed6becc1cb3d782), UINT64_C(0x6e1c00bdd5bae120),
        UINT64_C(0x2a9033f15e336277)};
    rg_rng r;

    rng_init(&r, KAT_SEED, KAT_NAME);
    for (int i = 0; i < 5; i++)
        CHECK(rng_below(&r, (UINT64_C(1) << 63) + 1) == want[i]);
}

static void test_kat_permutation_sample(void)
{
    static const size_t perm[10] = {0, 1, 4, 8, 3, 6, 5, 9, 7, 2};
    static const size_t samp[4] = {2, 8, 4, 1};
    size_t buf[10], out[4];
    rg_rng r;

    rng_init(&r, KAT_SEED, KAT_NAME);
    rng_permutation(&r, buf, 10);
    CHECK(memcmp(buf, perm, sizeof perm) == 0);

    rng_init(&r, KAT_SEED, KAT_NAME);
    rng_sample(&r, buf, out, 10, 4);
    CHECK(memcmp(out, samp, sizeof samp) == 0);
}

/* Extreme raw outputs, forced by setting the state: s[1] = 0 makes the next
 * output 0, s[1] = 0x4fc71c71c71c71c7 makes it 2^64 - 1. */
static void test_extremes(void)
{
    rg_rng lo = {{1, 0, 0, 0}, {0}};
    rg_rng hi = {{0, UINT64_C(0x4fc71c71c71c71c7), 0, 0}, {0}};
    rg_rng r;

    r = lo;
    CHECK(rng_next(&r) == 0);
    r = lo;
    CHECK(rng_uniform(&r) == 0.0);
    r = lo; /* u = 2^-53, not 0: the normal stays finite */
    CHECK_NEAR(rng_normal(&r, 0, 1), -8.209536151601386, 1e-12);
    r = lo;
    CHECK(rng_below(&r, 10) == 0);

    r = hi;
    CHECK(rng_next(&r) == UINT64_MAX);
    r = hi;
    CHECK(rng_uniform(&r) == 1.0 - 0x1p-53);
    r = hi;
    CHECK(rng_below(&r, 10) == 9);
    r = hi; /* u = 1 - 2^-53, not 1: finite and symmetric to the low end */
    CHECK_NEAR(rng_normal(&r, 0, 1), 8.209536151601386, 1e-12);
}

static void test_same_stream_same_sequence(void)
{
    rg_rng a, b;
    int same = 1;

    rng_init(&a, 42, "chunk-a");
    rng_init(&b, 42, "chunk-a");
    CHECK(memcmp(a.key, b.key, sizeof a.key) == 0);
    for (int i = 0; i < 1000; i++)
        if (rng_next(&a) != rng_next(&b))
            same = 0;
    CHECK(same);
}

/* Number of equal outputs among the first 100 of a and b. */
static int count_equal(rg_rng *a, rg_rng *b)
{
    int eq = 0;
    for (int i = 0; i < 100; i++)
        if (rng_next(a) == rng_next(b))
            eq++;
    return eq;
}

static void test_different_stream_differs(void)
{
    rg_rng a, b;

    rng_init(&a, 42, "chunk-a");
    rng_init(&b, 42, "chunk-b");
    CHECK(memcmp(a.key, b.key, sizeof a.key) != 0);
    CHECK(count_equal(&a, &b) == 0);

    rng_init(&a, 42, "chunk-a");
    rng_init(&b, 43, "chunk-a");
    CHECK(memcmp(a.key, b.key, sizeof a.key) != 0);
    CHECK(count_equal(&a, &b) == 0);

    /* The NUL separators keep (1, "2x") and (12, "x") apart. */
    rng_init(&a, 1, "2x");
    rng_init(&b, 12, "x");
    CHECK(memcmp(a.key, b.key, sizeof a.key) != 0);
}

static void test_substream_independent(void)
{
    rg_rng parent, before, s1, s2, other;

    rng_init(&parent, 7, "perm");
    before = parent;
    rng_substream(&s1, &parent, 5);
    /* Making a substream does not advance the parent. */
    CHECK(memcmp(&parent, &before, sizeof parent) == 0);

    /* Drawing from the parent does not change substream 5. */
    for (int i = 0; i < 37; i++)
        (void)rng_next(&parent);
    rng_substream(&s2, &parent, 5);
    CHECK(memcmp(s1.key, s2.key, sizeof s1.key) == 0);
    CHECK(memcmp(s1.s, s2.s, sizeof s1.s) == 0);
    CHECK(count_equal(&s1, &s2) == 100);

    /* Different i, and the parent itself, give different streams. */
    rng_substream(&s1, &parent, 5);
    rng_substream(&other, &parent, 6);
    CHECK(memcmp(s1.key, other.key, sizeof s1.key) != 0);
    CHECK(count_equal(&s1, &other) == 0);
    rng_substream(&s1, &parent, 0);
    rng_init(&parent, 7, "perm");
    CHECK(memcmp(s1.key, parent.key, sizeof s1.key) != 0);
    CHECK(count_equal(&s1, &parent) == 0);
}

static void test_below_range(void)
{
    static const uint64_t ns[] = {
        1, 2, 3, 7, 10, 1000003,
        (UINT64_C(1) << 63) + 1, /* rejection zone near half the range */
        UINT64_C(3) << 62,       /* 3 * 2^62 */
        UINT64_MAX};
    rg_rng r;
    int ok = 1, one_ok = 1, high_seen = 0;

    rng_init(&r, 1, "below");
    for (size_t k = 0; k < sizeof ns / sizeof ns[0]; k++)
        for (int i = 0; i < 20000; i++)
            if (rng_below(&r, ns[k]) >= ns[k])
                ok = 0;
    CHECK(ok);

    for (int i = 0; i < 1000; i++)
        if (rng_below(&r, 1) != 0)
            one_ok = 0;
    CHECK(one_ok);

    /* 3 * 2^62: the top quarter [2^63, 3 * 2^62) is reachable. */
    for (int i = 0; i < 1000; i++)
        if (rng_below(&r, UINT64_C(3) << 62) >= UINT64_C(1) << 63)
            high_seen = 1;
    CHECK(high_seen);
}

static void test_below_chi_square(void)
{
    enum { N = 10, DRAWS = 100000 };
    long count[N] = {0};
    rg_rng r;
    double expect = (double)DRAWS / N, chi2 = 0;

    rng_init(&r, 2, "chi-square");
    for (int i = 0; i < DRAWS; i++)
        count[rng_below(&r, N)]++;
    for (int v = 0; v < N; v++) {
        double d = (double)count[v] - expect;
        chi2 += d * d / expect;
    }
    /* 9 df: P(chi2 > 40) < 1e-5. */
    CHECK(chi2 < 40);
}

static void test_uniform_range_mean(void)
{
    enum { DRAWS = 100000 };
    rg_rng r;
    double sum = 0;
    int ok = 1;

    rng_init(&r, 3, "uniform");
    for (int i = 0; i < DRAWS; i++) {
        double u = rng_uniform(&r);
        if (!(u >= 0 && u < 1))
            ok = 0;
        sum += u;
    }
    CHECK(ok);
    CHECK(fabs(sum / DRAWS - 0.5) < 0.01);
}

static void test_normal_moments(void)
{
    enum { DRAWS = 100000 };
    rg_rng r;
    double sum = 0, sum2 = 0, mean, sd;
    int finite = 1;

    rng_init(&r, 4, "normal");
    for (int i = 0; i < DRAWS; i++) {
        double x = rng_normal(&r, 2, 3);
        if (!isfinite(x))
            finite = 0;
        sum += x;
        sum2 += x * x;
    }
    mean = sum / DRAWS;
    sd = sqrt((sum2 - DRAWS * mean * mean) / (DRAWS - 1));
    CHECK(finite);
    CHECK(fabs(mean - 2) < 0.05); /* se ~ 0.0095 */
    CHECK(fabs(sd - 3) < 0.05);   /* se ~ 0.0067 */
}

/* 1 if a[0..n-1] holds each of 0..n-1 exactly once. */
static int is_permutation(const size_t *a, size_t n)
{
    unsigned char *seen = calloc(n ? n : 1, 1);
    int ok = seen != NULL;

    for (size_t i = 0; ok && i < n; i++) {
        if (a[i] >= n || seen[a[i]])
            ok = 0;
        else
            seen[a[i]] = 1;
    }
    free(seen);
    return ok;
}

static void test_permutation(void)
{
    static const size_t ns[] = {0, 1, 2, 1000};
    size_t buf[1000];
    rg_rng r, before;
    int moved = 0;

    rng_init(&r, 5, "perm");
    before = r;
    rng_permutation(&r, NULL, 0); /* n = 0 touches nothing, draws nothing */
    CHECK(memcmp(&r, &before, sizeof r) == 0);

    for (size_t k = 0; k < sizeof ns / sizeof ns[0]; k++) {
        rng_permutation(&r, buf, ns[k]);
        CHECK(is_permutation(buf, ns[k]));
    }
    for (size_t i = 0; i < 1000; i++)
        if (buf[i] != i)
            moved = 1;
    CHECK(moved);

    /* n = 2 yields both orders. */
    int seen01 = 0, seen10 = 0;
    for (int i = 0; i < 100; i++) {
        rng_permutation(&r, buf, 2);
        if (buf[0] == 0)
            seen01 = 1;
        else
            seen10 = 1;
    }
    CHECK(seen01 && seen10);
}

/* 1 if a[0..k-1] are distinct values below n. */
static int distinct_below(const size_t *a, size_t k, size_t n)
{
    unsigned char *seen = calloc(n ? n : 1, 1);
    int ok = seen != NULL;

    for (size_t i = 0; ok && i < k; i++) {
        if (a[i] >= n || seen[a[i]])
            ok = 0;
        else
            seen[a[i]] = 1;
    }
    free(seen);
    return ok;
}

static void test_sample(void)
{
    enum { N = 500 };
    size_t work[N], out[N], alias[N];
    rg_rng r, before, a, b;

    rng_init(&r, 6, "sample");
    before = r;
    rng_sample(&r, NULL, NULL, 0, 0); /* k = 0 touches nothing */
    rng_sample(&r, work, out, N, 0);
    CHECK(memcmp(&r, &before, sizeof r) == 0);

    rng_sample(&r, work, out, N, 17);
    CHECK(distinct_below(out, 17, N));

    rng_sample(&r, work, out, N, N); /* k = n: a full permutation */
    CHECK(is_permutation(out, N));

    rng_sample(&r, work, out, 1, 1);
    CHECK(out[0] == 0);

    /* out == work gives the same values as separate buffers. */
    rng_init(&a, 6, "alias");
    rng_init(&b, 6, "alias");
    rng_sample(&a, work, out, N, 40);
    rng_sample(&b, alias, alias, N, 40);
    CHECK(memcmp(out, alias, 40 * sizeof out[0]) == 0);
    CHECK(distinct_below(alias, 40, N));
}

const unit_test rng_tests[] = {
    {"rng_kat_key", test_kat_key},
    {"rng_kat_next", test_kat_next},
    {"rng_kat_substream", test_kat_substream},
    {"rng_kat_uniform", test_kat_uniform},
    {"rng_kat_below", test_kat_below},
    {"rng_kat_normal", test_kat_normal},
    {"rng_kat_below_rejection", test_kat_below_rejection},
    {"rng_kat_permutation_sample", test_kat_permutation_sample},
    {"rng_extremes", test_extremes},
    {"rng_same_stream_same_sequence", test_same_stream_same_sequence},
    {"rng_different_stream_differs", test_different_stream_differs},
    {"rng_substream_independent", test_substream_independent},
    {"rng_below_range", test_below_range},
    {"rng_below_chi_square", test_below_chi_square},
    {"rng_uniform_range_mean", test_uniform_range_mean},
    {"rng_normal_moments", test_normal_moments},
    {"rng_permutation", test_permutation},
    {"rng_sample", test_sample},
    {NULL, NULL}};
