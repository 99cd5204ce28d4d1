/*
 * session.c - dashboard session ids, their hashes and their CSRF tokens
 * (docs/server.md). The store keeps the hash; the CSRF token is derived
 * from the id, so only the holder of the cookie can know it.
 */
#include <openssl/crypto.h>
#include <string.h>

#include "patchline/auth.h"
#include "patchline/sha256.h"

pl_status pl_auth_session_new(char *id, struct pl_error *err)
{
    return pl_auth_secret_new("pls_", id, err);
}

pl_status pl_auth_session_hash(const char *id, char hex[2 * PL_TOKEN_HASH_LEN + 1],
                               struct pl_error *err)
{
    uint8_t h[PL_TOKEN_HASH_LEN];
    struct pl_sha256 c;

    if (!pl_auth_secret_form("pls_", id))
        return pl_error_set(err, PL_E_DENIED, "not a session id");
    pl_sha256_init(&c);
    pl_sha256_update(&c, id, PL_SESSION_ID_LEN);
    pl_sha256_final(&c, h);
    pl_auth_hex(h, sizeof(h), hex);
    return PL_OK;
}

void pl_auth_session_csrf(const char *id, char csrf[PL_SESSION_CSRF_LEN + 1])
{
    static const char label[] = "patchline csrf";

    pl_auth_hmac_hex((const uint8_t *)id, strlen(id), label, sizeof(label) - 1, csrf);
}

bool pl_auth_session_csrf_ok(const char *id, const char *presented)
{
    char want[PL_SESSION_CSRF_LEN + 1];
    bool ok;

    if (presented == NULL || strlen(presented) != PL_SESSION_CSRF_LEN ||
        !pl_auth_secret_form("pls_", id))
        return false;
    pl_auth_session_csrf(id, want);
    ok = CRYPTO_memcmp(want, presented, PL_SESSION_CSRF_LEN) == 0;
    OPENSSL_cleanse(want, sizeof(want));
    return ok;
}
