/*
 * buf.h - growable, capped byte buffer with a sticky error.
 *
 * A low-level primitive: depends on libc and error.h only, and must never
 * call higher-level Patchline APIs.
 *
 * Invariants: buf is never NULL once any function has run (pl_buf_cstr()
 * returns "" for an empty buffer); the contents are always NUL-terminated;
 * len < alloc when alloc > 0; len + 1 <= max when max > 0. After the first
 * failure (PL_E_TOOBIG, or PL_E_NOMEM) every append does nothing: check
 * pl_buf_status() once at the end.
 */
#ifndef PATCHLINE_BUF_H
#define PATCHLINE_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "patchline/error.h"

struct pl_buf {
    char *buf;     /* owned; NULL until the first append */
    size_t len;    /* bytes used, without the final NUL */
    size_t alloc;  /* bytes allocated */
    size_t max;    /* cap on len, 0 for none */
    pl_status err; /* sticky: first failure */
};

#define PL_BUF_INIT(cap)         \
    {                            \
        NULL, 0, 0, (cap), PL_OK \
    }

/* Set up a caller-owned buffer with cap `max` bytes (0: no cap). Allocates nothing. */
void pl_buf_init(struct pl_buf *b, size_t max);

/* Free the contents, keep the cap, and reset len and the error. */
void pl_buf_release(struct pl_buf *b);

/* Forget the contents (len = 0) but keep the allocation and the cap; clears the error. */
void pl_buf_reset(struct pl_buf *b);

/* Append n bytes of p (may contain NULs). */
void pl_buf_add(struct pl_buf *b, const void *p, size_t n);

/* Append a NUL-terminated string. */
void pl_buf_adds(struct pl_buf *b, const char *s);

/* Append one byte. */
void pl_buf_addch(struct pl_buf *b, char c);

/* Append formatted text. */
void pl_buf_addf(struct pl_buf *b, const char *fmt, ...) PL_PRINTF(2, 3);
void pl_buf_vaddf(struct pl_buf *b, const char *fmt, va_list ap) PL_PRINTF(2, 0);

/* Shorten to len bytes (no-op if already shorter). */
void pl_buf_truncate(struct pl_buf *b, size_t len);

/* The contents, NUL-terminated; borrowed, valid until the next change. Never NULL. */
const char *pl_buf_cstr(const struct pl_buf *b);

/* PL_OK, or the first failure. */
pl_status pl_buf_status(const struct pl_buf *b);

/*
 * Take the contents: returns a malloc'd NUL-terminated string the caller
 * frees with free(), and stores its length in *len_out when not NULL. The
 * buffer is left empty (as after pl_buf_init with the same cap).
 */
char *pl_buf_detach(struct pl_buf *b, size_t *len_out);

#endif /* PATCHLINE_BUF_H */
