/*
 * mac.c - the audit chain's HMAC-SHA-256 and webhook signatures (OpenSSL EVP_MAC).
 */
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <string.h>

#include "patchline/auth.h"
#include "patchline/common.h"

static EVP_MAC_CTX *mac_start(const uint8_t *key, size_t key_len)
{
    EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    EVP_MAC_CTX *ctx = mac ? EVP_MAC_CTX_new(mac) : NULL;
    char digest[] = "SHA256";
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
        OSSL_PARAM_construct_end(),
    };

    EVP_MAC_free(mac); /* the context holds its own reference */
    if (ctx == NULL || EVP_MAC_init(ctx, key, key_len, params) != 1)
        PL_BUG("HMAC-SHA-256 is not available from libcrypto");
    return ctx;
}

static void mac_end(EVP_MAC_CTX *ctx, uint8_t out[PL_AUDIT_MAC_LEN])
{
    size_t n = 0;

    if (EVP_MAC_final(ctx, out, &n, PL_AUDIT_MAC_LEN) != 1 || n != PL_AUDIT_MAC_LEN)
        PL_BUG("HMAC-SHA-256 final");
    EVP_MAC_CTX_free(ctx);
}

/* One field: 8 bytes of big-endian length (all ones for NULL), then the bytes. */
static void field(EVP_MAC_CTX *ctx, const void *p, size_t n, bool is_null)
{
    uint8_t len[8];
    uint64_t v = is_null ? UINT64_MAX : (uint64_t)n;

    for (int i = 7; i >= 0; i--, v >>= 8)
        len[i] = (uint8_t)(v & 0xff);
    if (EVP_MAC_update(ctx, len, sizeof(len)) != 1 ||
        (!is_null && n && EVP_MAC_update(ctx, p, n) != 1))
        PL_BUG("HMAC-SHA-256 update");
}

static void text(EVP_MAC_CTX *ctx, const char *s)
{
    field(ctx, s, s ? strlen(s) : 0, s == NULL);
}

static void num(EVP_MAC_CTX *ctx, int64_t v)
{
    uint8_t b[8];
    uint64_t u = (uint64_t)v;

    for (int i = 7; i >= 0; i--, u >>= 8)
        b[i] = (uint8_t)(u & 0xff);
    field(ctx, b, sizeof(b), false);
}

void pl_auth_audit_mac(const uint8_t *key, size_t key_len, const uint8_t prev[PL_AUDIT_MAC_LEN],
                       const struct pl_audit_fields *e, uint8_t mac[PL_AUDIT_MAC_LEN])
{
    EVP_MAC_CTX *ctx = mac_start(key, key_len);

    text(ctx, "patchline-audit-1");
    field(ctx, prev, PL_AUDIT_MAC_LEN, false);
    num(ctx, e->id);
    num(ctx, e->seq);
    num(ctx, e->at);
    num(ctx, e->at_real);
    num(ctx, e->simulated ? 1 : 0);
    text(ctx, e->actor);
    text(ctx, e->os_user);
    text(ctx, e->action);
    text(ctx, e->object);
    text(ctx, e->detail);
    text(ctx, e->before);
    text(ctx, e->after);
    mac_end(ctx, mac);
}

void pl_auth_hmac_hex(const uint8_t *key, size_t key_len, const void *data, size_t n,
                      char out[2 * PL_AUDIT_MAC_LEN + 1])
{
    EVP_MAC_CTX *ctx = mac_start(key, key_len);
    uint8_t mac[PL_AUDIT_MAC_LEN];

    if (n && EVP_MAC_update(ctx, data, n) != 1)
        PL_BUG("HMAC-SHA-256 update");
    mac_end(ctx, mac);
    pl_auth_hex(mac, sizeof(mac), out);
}
