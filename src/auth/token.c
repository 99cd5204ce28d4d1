/*
 * token.c - random tokens, their hashes, constant-time comparison, hex.
 */
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <string.h>

#include "patchline/auth.h"
#include "patchline/sha256.h"

static const char hexdigits[] = "0123456789abcdef";

char *pl_auth_hex(const uint8_t *in, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = hexdigits[in[i] >> 4];
        out[2 * i + 1] = hexdigits[in[i] & 15];
    }
    out[2 * n] = '\0';
    return out;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

bool pl_auth_unhex(const char *s, uint8_t *out, size_t n)
{
    if (s == NULL || strlen(s) != 2 * n)
        return false;
    for (size_t i = 0; i < n; i++) {
        int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);

        if (hi < 0 || lo < 0)
            return false;
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return true;
}

pl_status pl_auth_secret_new(const char *prefix, char *out, struct pl_error *err)
{
    uint8_t raw[32];

    if (RAND_bytes(raw, sizeof(raw)) != 1)
        return pl_error_set(err, PL_E_INTERNAL, "the random source failed");
    memcpy(out, prefix, 4);
    pl_auth_hex(raw, sizeof(raw), out + 4);
    OPENSSL_cleanse(raw, sizeof(raw));
    return PL_OK;
}

bool pl_auth_secret_form(const char *prefix, const char *s)
{
    if (s == NULL || strlen(s) != PL_AUTH_SECRET_LEN || strncmp(s, prefix, 4) != 0)
        return false;
    for (size_t i = 4; i < PL_AUTH_SECRET_LEN; i++)
        if (hexval(s[i]) < 0)
            return false;
    return true;
}

pl_status pl_auth_token_new(char *tok, struct pl_error *err)
{
    return pl_auth_secret_new("plt_", tok, err);
}

pl_status pl_auth_token_hash(const char *tok, uint8_t hash[PL_TOKEN_HASH_LEN], char *lookup,
                             struct pl_error *err)
{
    char hex[2 * PL_TOKEN_HASH_LEN + 1];
    struct pl_sha256 c;

    if (!pl_auth_secret_form("plt_", tok))
        return pl_error_set(err, PL_E_DENIED,
                            "not a Patchline token (want plt_ and 64 hex digits)");
    pl_sha256_init(&c);
    pl_sha256_update(&c, tok, PL_TOKEN_LEN);
    pl_sha256_final(&c, hash);
    if (lookup) {
        pl_auth_hex(hash, PL_TOKEN_HASH_LEN, hex);
        memcpy(lookup, hex, PL_TOKEN_LOOKUP_LEN);
        lookup[PL_TOKEN_LOOKUP_LEN] = '\0';
    }
    return PL_OK;
}

bool pl_auth_equal(const uint8_t *a, const uint8_t *b, size_t n)
{
    return CRYPTO_memcmp(a, b, n) == 0;
}

pl_status pl_auth_token_lifetime(const char *s, int64_t *secs, struct pl_error *err)
{
    struct pl_error ignore = PL_ERROR_INIT;

    if (s == NULL || *s == '\0') {
        *secs = PL_TOKEN_EXPIRY_DEFAULT;
        return PL_OK;
    }
    if (pl_duration_parse(s, secs, &ignore) != PL_OK)
        return pl_error_set(err, PL_E_INVALID, "--expires '%s': want a duration such as 90d", s);
    if (*secs <= 0 || *secs > PL_TOKEN_EXPIRY_MAX)
        return pl_error_set(err, PL_E_INVALID, "--expires '%s': a token lives at most 365d", s);
    return PL_OK;
}
