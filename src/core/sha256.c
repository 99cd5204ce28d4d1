/*
 * sha256.c - SHA-256 as specified in FIPS 180-4 §6.2.
 */
#include "patchline/sha256.h"

#include <stdbool.h>
#include <string.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <cpuid.h>
#include <immintrin.h>
#define HAVE_SHA_NI 1
#endif

/* Tests set this to exercise the portable rounds on machines with SHA extensions. */
bool pl__sha256_portable_only;

static const uint32_t k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void compress(struct pl_sha256 *c, const unsigned char *p)
{
    uint32_t w[64], a, b, cc, d, e, f, g, h;

    for (size_t i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
               (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);

        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    a = c->h[0], b = c->h[1], cc = c->h[2], d = c->h[3];
    e = c->h[4], f = c->h[5], g = c->h[6], h = c->h[7];
    for (int i = 0; i < 64; i++) {
        uint32_t t1 =
            h + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) + ((e & f) ^ (~e & g)) + k[i] + w[i];
        uint32_t t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) + ((a & b) ^ (a & cc) ^ (b & cc));

        h = g, g = f, f = e, e = d + t1;
        d = cc, cc = b, b = a, a = t1 + t2;
    }
    c->h[0] += a, c->h[1] += b, c->h[2] += cc, c->h[3] += d;
    c->h[4] += e, c->h[5] += f, c->h[6] += g, c->h[7] += h;
}

#ifdef HAVE_SHA_NI
/*
 * The same rounds with the x86 SHA extensions: the state is kept as the
 * register pairs ABEF/CDGH that sha256rnds2 works on; message words W[16..63]
 * come from sha256msg1/msg2 four at a time (FIPS 180-4 §6.2.2 step 1).
 */
__attribute__((target("sha,sse4.1"))) static void compress_ni(uint32_t h[8], const unsigned char *p,
                                                              size_t blocks)
{
    const __m128i mask = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
    __m128i tmp = _mm_loadu_si128((const __m128i *)(const void *)&h[0]);
    __m128i st1 = _mm_loadu_si128((const __m128i *)(const void *)&h[4]);
    __m128i st0;

    tmp = _mm_shuffle_epi32(tmp, 0xb1);    /* CDAB */
    st1 = _mm_shuffle_epi32(st1, 0x1b);    /* EFGH */
    st0 = _mm_alignr_epi8(tmp, st1, 8);    /* ABEF */
    st1 = _mm_blend_epi16(st1, tmp, 0xf0); /* CDGH */
    for (; blocks; blocks--, p += 64) {
        __m128i save0 = st0, save1 = st1, msg[4];

        for (int g = 0; g < 16; g++) {
            __m128i w, kw;

            if (g < 4) {
                w = _mm_shuffle_epi8(
                    _mm_loadu_si128((const __m128i *)(const void *)(p + (size_t)16 * g)), mask);
            } else {
                w = _mm_sha256msg1_epu32(msg[g % 4], msg[(g + 1) % 4]);
                w = _mm_add_epi32(w, _mm_alignr_epi8(msg[(g + 3) % 4], msg[(g + 2) % 4], 4));
                w = _mm_sha256msg2_epu32(w, msg[(g + 3) % 4]);
            }
            msg[g % 4] = w;
            kw =
                _mm_add_epi32(w, _mm_loadu_si128((const __m128i *)(const void *)&k[(size_t)4 * g]));
            st1 = _mm_sha256rnds2_epu32(st1, st0, kw);
            st0 = _mm_sha256rnds2_epu32(st0, st1, _mm_shuffle_epi32(kw, 0x0e));
        }
        st0 = _mm_add_epi32(st0, save0);
        st1 = _mm_add_epi32(st1, save1);
    }
    tmp = _mm_shuffle_epi32(st0, 0x1b);    /* FEBA */
    st1 = _mm_shuffle_epi32(st1, 0xb1);    /* DCHG */
    st0 = _mm_blend_epi16(tmp, st1, 0xf0); /* DCBA */
    st1 = _mm_alignr_epi8(st1, tmp, 8);    /* HGFE */
    _mm_storeu_si128((__m128i *)(void *)&h[0], st0);
    _mm_storeu_si128((__m128i *)(void *)&h[4], st1);
}

static bool use_ni(void)
{
    static int have = -1;

    if (have < 0) {
        unsigned a, b, c, d;

        /* CPUID leaf 1 ECX bit 19: SSE4.1; leaf 7 EBX bit 29: SHA extensions */
        have = __get_cpuid(1, &a, &b, &c, &d) && (c >> 19 & 1) &&
               __get_cpuid_count(7, 0, &a, &b, &c, &d) && (b >> 29 & 1);
    }
    return have && !pl__sha256_portable_only;
}
#endif

/* Run the rounds over `blocks` whole 64-byte blocks at p. */
static void compress_blocks(struct pl_sha256 *c, const unsigned char *p, size_t blocks)
{
#ifdef HAVE_SHA_NI
    if (use_ni()) {
        compress_ni(c->h, p, blocks);
        return;
    }
#endif
    for (; blocks; blocks--, p += 64)
        compress(c, p);
}

void pl_sha256_init(struct pl_sha256 *c)
{
    static const uint32_t iv[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};

    memcpy(c->h, iv, sizeof(iv));
    c->total = 0;
    c->used = 0;
}

void pl_sha256_update(struct pl_sha256 *c, const void *data, size_t n)
{
    const unsigned char *p = data;

    c->total += n;
    if (c->used) {
        size_t take = 64 - c->used < n ? 64 - c->used : n;

        memcpy(c->block + c->used, p, take);
        c->used += take;
        p += take;
        n -= take;
        if (c->used < 64)
            return;
        compress_blocks(c, c->block, 1);
        c->used = 0;
    }
    compress_blocks(c, p, n / 64);
    p += n / 64 * 64;
    n %= 64;
    memcpy(c->block, p, n);
    c->used = n;
}

void pl_sha256_final(struct pl_sha256 *c, unsigned char digest[32])
{
    uint64_t bits = c->total * 8;
    unsigned char pad = 0x80;
    unsigned char len[8];

    pl_sha256_update(c, &pad, 1);
    pad = 0;
    while (c->used != 56)
        pl_sha256_update(c, &pad, 1);
    for (int i = 0; i < 8; i++)
        len[i] = (unsigned char)(bits >> (56 - 8 * i));
    pl_sha256_update(c, len, 8);
    for (size_t i = 0; i < 8; i++) {
        digest[4 * i] = (unsigned char)(c->h[i] >> 24);
        digest[4 * i + 1] = (unsigned char)(c->h[i] >> 16);
        digest[4 * i + 2] = (unsigned char)(c->h[i] >> 8);
        digest[4 * i + 3] = (unsigned char)c->h[i];
    }
}

void pl_sha256_hex(struct pl_sha256 *c, char hex[65])
{
    static const char digits[] = "0123456789abcdef";
    unsigned char d[32];

    pl_sha256_final(c, d);
    for (size_t i = 0; i < 32; i++) {
        hex[2 * i] = digits[d[i] >> 4];
        hex[2 * i + 1] = digits[d[i] & 15];
    }
    hex[64] = '\0';
}
