/*
 * seal.c - secrets the store keeps but must give back (a notifier's signing
 * secret): AES-256-GCM through OpenSSL's EVP, under HMAC-SHA-256(audit key,
 * "patchline seal v1"), so the rows of the store (a copy of the database, a
 * backup) never reveal them without the 0600 audit key file (store_int.h).
 */
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/auth.h"

#include "store_int.h"

#define SEAL_KEY    32
#define SEAL_NONCE  12
#define SEAL_TAG    16
#define SEAL_MAX    1024 /* bytes of text */
#define SEAL_PREFIX "v1:"

static pl_status seal_key(struct pl_store *s, uint8_t k[SEAL_KEY], struct pl_error *err)
{
    static const char label[] = "patchline seal v1";
    const uint8_t *key;
    unsigned int n = SEAL_KEY;
    size_t len;
    pl_status rc;

    if ((rc = pl__audit_key(s, &key, &len, err)) != PL_OK)
        return rc;
    if (HMAC(EVP_sha256(), key, (int)len, (const unsigned char *)label, sizeof(label) - 1, k, &n) ==
            NULL ||
        n != SEAL_KEY)
        return pl_error_set(err, PL_E_INTERNAL, "sealing key: HMAC failed");
    return PL_OK;
}

/* One AES-256-GCM pass: encrypt (enc) or decrypt-and-verify in into out. */
static bool gcm(bool enc, const uint8_t *k, const uint8_t *nonce, const uint8_t *in, size_t n,
                uint8_t *out, uint8_t *tag)
{
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    int len = 0, fin = 0;
    bool ok;

    ok = c != NULL && EVP_CipherInit_ex(c, EVP_aes_256_gcm(), NULL, NULL, NULL, enc) == 1 &&
         EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_IVLEN, SEAL_NONCE, NULL) == 1 &&
         EVP_CipherInit_ex(c, NULL, NULL, k, nonce, enc) == 1 &&
         (enc || EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, SEAL_TAG, tag) == 1) &&
         EVP_CipherUpdate(c, out, &len, in, (int)n) == 1 && (size_t)len == n &&
         EVP_CipherFinal_ex(c, out + len, &fin) == 1 && fin == 0 &&
         (!enc || EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, SEAL_TAG, tag) == 1);
    EVP_CIPHER_CTX_free(c);
    return ok;
}

pl_status pl__store_seal(struct pl_store *s, const char *text, struct pl_buf *out,
                         struct pl_error *err)
{
    uint8_t k[SEAL_KEY], blob[SEAL_NONCE + SEAL_MAX + SEAL_TAG];
    char hex[2 * sizeof(blob) + 1];
    size_t n = strlen(text);
    pl_status rc;

    if (n > SEAL_MAX)
        return pl_error_set(err, PL_E_TOOBIG, "a sealed secret holds at most %d bytes", SEAL_MAX);
    if ((rc = seal_key(s, k, err)) != PL_OK)
        return rc;
    if (RAND_bytes(blob, SEAL_NONCE) != 1 ||
        !gcm(true, k, blob, (const uint8_t *)text, n, blob + SEAL_NONCE, blob + SEAL_NONCE + n))
        rc = pl_error_set(err, PL_E_INTERNAL, "sealing a secret failed");
    OPENSSL_cleanse(k, sizeof(k));
    if (rc != PL_OK)
        return rc;
    pl_buf_reset(out);
    pl_buf_adds(out, SEAL_PREFIX);
    pl_buf_adds(out, pl_auth_hex(blob, SEAL_NONCE + n + SEAL_TAG, hex));
    return pl_buf_status(out) == PL_OK ? PL_OK : pl_error_set(err, PL_E_NOMEM, "sealed secret");
}

pl_status pl__store_unseal(struct pl_store *s, const char *sealed, char **plain,
                           struct pl_error *err)
{
    uint8_t k[SEAL_KEY], blob[SEAL_NONCE + SEAL_MAX + SEAL_TAG];
    size_t hn = sealed ? strlen(sealed) : 0, n;
    pl_status rc;
    char *text;

    *plain = NULL;
    if (hn < sizeof(SEAL_PREFIX) - 1 || strncmp(sealed, SEAL_PREFIX, sizeof(SEAL_PREFIX) - 1) != 0)
        return pl_error_set(err, PL_E_STORE, "a stored secret is not sealed");
    sealed += sizeof(SEAL_PREFIX) - 1;
    hn -= sizeof(SEAL_PREFIX) - 1;
    if (hn % 2 || hn / 2 < SEAL_NONCE + SEAL_TAG || hn / 2 > sizeof(blob) ||
        !pl_auth_unhex(sealed, blob, hn / 2))
        return pl_error_set(err, PL_E_STORE, "a stored secret is damaged");
    n = hn / 2 - SEAL_NONCE - SEAL_TAG;
    if ((rc = seal_key(s, k, err)) != PL_OK)
        return rc;
    text = pl_xmalloc(n + 1);
    if (!gcm(false, k, blob, blob + SEAL_NONCE, n, (uint8_t *)text, blob + SEAL_NONCE + n)) {
        OPENSSL_cleanse(text, n + 1);
        free(text);
        rc = pl_error_set(err, PL_E_STORE,
                          "a stored secret does not open with this store's audit key (was the "
                          "key replaced?)");
    } else {
        text[n] = '\0';
        *plain = text;
    }
    OPENSSL_cleanse(k, sizeof(k));
    return rc;
}
