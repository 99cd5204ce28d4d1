/*
 * sha256.h - SHA-256 (FIPS 180-4), for file provenance, digests of records
 * and rings, through OpenSSL's libcrypto (EVP): no hand-written rounds.
 *
 * A context is caller-owned; pl_sha256_init allocates its libcrypto state,
 * which pl_sha256_final / pl_sha256_hex free, and pl_sha256_release frees
 * when a digest is abandoned. Out of memory in libcrypto is a fatal error,
 * as it is for pl_xmalloc.
 */
#ifndef PATCHLINE_SHA256_H
#define PATCHLINE_SHA256_H

#include <stdbool.h>
#include <stddef.h>

struct pl_sha256 {
    void *ctx; /* EVP_MD_CTX; NULL before init and after final */
};

void pl_sha256_init(struct pl_sha256 *c);
void pl_sha256_update(struct pl_sha256 *c, const void *data, size_t n);
/* Finish into 32 bytes of digest; the context must be re-initialised before reuse. */
void pl_sha256_final(struct pl_sha256 *c, unsigned char digest[32]);
/* Finish and write 64 lowercase hex digits plus NUL. */
void pl_sha256_hex(struct pl_sha256 *c, char hex[65]);
/* dst becomes an independent copy of src's running state (dst must not be live). */
void pl_sha256_copy(struct pl_sha256 *dst, const struct pl_sha256 *src);
/* Free a context without finishing it (a no-op on a finished or zeroed one). */
void pl_sha256_release(struct pl_sha256 *c);

/*
 * The digest of a set of byte strings that changes with one member in
 * constant time: the sum modulo 2^256 of the members' SHA-256, each read as
 * a big-endian number. Adding a member then removing it leaves the sum as
 * it was; the order of the members does not matter. acc starts zeroed.
 */
void pl_sha256_sum_add(unsigned char acc[32], const void *data, size_t n);
void pl_sha256_sum_sub(unsigned char acc[32], const void *data, size_t n);
/* acc as 64 lowercase hex digits plus NUL; and back (false: not 64 hex digits). */
void pl_sha256_sum_hex(const unsigned char acc[32], char hex[65]);
bool pl_sha256_sum_parse(const char *hex, unsigned char acc[32]);

#endif /* PATCHLINE_SHA256_H */
