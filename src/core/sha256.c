/*
 * sha256.c - SHA-256 through OpenSSL's libcrypto (EVP_sha256), which uses
 * the CPU's SHA extensions where there are any.
 */
#include "patchline/sha256.h"

#include <openssl/evp.h>
#include <pthread.h>

#include "patchline/error.h"

/*
 * The digest's implementation, fetched from libcrypto once per process:
 * EVP_sha256() looks it up again at every init, which costs more than
 * hashing a token (the server hashes one per request).
 */
static EVP_MD *fetched;
static pthread_once_t fetch_once = PTHREAD_ONCE_INIT;

static void fetch(void)
{
    fetched = EVP_MD_fetch(NULL, "SHA256", NULL);
}

static const EVP_MD *sha256_md(void)
{
    if (pthread_once(&fetch_once, fetch) != 0 || fetched == NULL)
        return EVP_sha256();
    return fetched;
}

void pl_sha256_init(struct pl_sha256 *c)
{
    EVP_MD_CTX *x = EVP_MD_CTX_new();

    if (x == NULL || EVP_DigestInit_ex(x, sha256_md(), NULL) != 1)
        PL_BUG("SHA-256 is not available from libcrypto");
    c->ctx = x;
}

void pl_sha256_update(struct pl_sha256 *c, const void *data, size_t n)
{
    if (n > 0 && EVP_DigestUpdate(c->ctx, data, n) != 1)
        PL_BUG("SHA-256 update failed in libcrypto");
}

void pl_sha256_final(struct pl_sha256 *c, unsigned char digest[32])
{
    unsigned int len = 0;

    if (EVP_DigestFinal_ex(c->ctx, digest, &len) != 1 || len != 32)
        PL_BUG("SHA-256 final failed in libcrypto");
    pl_sha256_release(c);
}

void pl_sha256_hex(struct pl_sha256 *c, char hex[65])
{
    static const char digits[] = "0123456789abcdef";
    unsigned char d[32];

    pl_sha256_final(c, d);
    for (int i = 0; i < 32; i++) {
        hex[2 * i] = digits[d[i] >> 4];
        hex[2 * i + 1] = digits[d[i] & 15];
    }
    hex[64] = '\0';
}

void pl_sha256_copy(struct pl_sha256 *dst, const struct pl_sha256 *src)
{
    EVP_MD_CTX *x = EVP_MD_CTX_new();

    if (x == NULL || EVP_MD_CTX_copy_ex(x, src->ctx) != 1)
        PL_BUG("SHA-256 copy failed in libcrypto");
    dst->ctx = x;
}

void pl_sha256_release(struct pl_sha256 *c)
{
    EVP_MD_CTX_free(c->ctx);
    c->ctx = NULL;
}
