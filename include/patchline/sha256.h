/*
 * sha256.h - SHA-256 (FIPS 180-4), for file provenance.
 *
 * Depends on libc only. A context is caller-owned; no allocation.
 */
#ifndef PATCHLINE_SHA256_H
#define PATCHLINE_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct pl_sha256 {
    uint32_t h[8];
    uint64_t total;
    unsigned char block[64];
    size_t used;
};

void pl_sha256_init(struct pl_sha256 *c);
void pl_sha256_update(struct pl_sha256 *c, const void *data, size_t n);
/* Finish into 32 bytes of digest; the context must be re-initialised before reuse. */
void pl_sha256_final(struct pl_sha256 *c, unsigned char digest[32]);
/* Finish and write 64 lowercase hex digits plus NUL. */
void pl_sha256_hex(struct pl_sha256 *c, char hex[65]);

#endif /* PATCHLINE_SHA256_H */
