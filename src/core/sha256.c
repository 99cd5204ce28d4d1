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

/* The SHA-256 of data in one call, on the process's fetched digest. */
static void sha256_once(const void *data, size_t n, unsigned char d[32])
{
    unsigned int len = 0;

    if (EVP_Digest(data, n, d, &len, sha256_md(), NULL) != 1 || len != 32)
        PL_BUG("SHA-256 failed in libcrypto");
}

void pl_sha256_sum_add(unsigned char acc[32], const void *data, size_t n)
{
    unsigned char d[32];
    unsigned carry = 0;

    sha256_once(data, n, d);
    for (int i = 31; i >= 0; i--) {
        carry += (unsigned)acc[i] + d[i];
        acc[i] = (unsigned char)carry;
        carry >>= 8;
    }
}

void pl_sha256_sum_sub(unsigned char acc[32], const void *data, size_t n)
{
    unsigned char d[32];
    int borrow = 0;

    sha256_once(data, n, d);
    for (int i = 31; i >= 0; i--) {
        int v = (int)acc[i] - d[i] - borrow;

        borrow = v < 0;
        acc[i] = (unsigned char)(v + (borrow ? 256 : 0));
    }
}

void pl_sha256_sum_hex(const unsigned char acc[32], char hex[65])
{
    static const char digits[] = "0123456789abcdef";

    for (int i = 0; i < 32; i++) {
        hex[2 * i] = digits[acc[i] >> 4];
        hex[2 * i + 1] = digits[acc[i] & 15];
    }
    hex[64] = '\0';
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

bool pl_sha256_sum_parse(const char *hex, unsigned char acc[32])
{
    for (int i = 0; i < 32; i++) {
        int hi = hexval(hex[2 * i]), lo = hi < 0 ? -1 : hexval(hex[2 * i + 1]);

        if (hi < 0 || lo < 0)
            return false;
        acc[i] = (unsigned char)(hi << 4 | lo);
    }
    return hex[64] == '\0';
}
