/*
 * buf.c - the capped buffer with a sticky error.
 */
#include "patchline/buf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char empty_string[1];

void pl_buf_init(struct pl_buf *b, size_t max)
{
    b->buf = NULL;
    b->len = 0;
    b->alloc = 0;
    b->max = max;
    b->err = PL_OK;
}

void pl_buf_release(struct pl_buf *b)
{
    free(b->buf);
    pl_buf_init(b, b->max);
}

void pl_buf_reset(struct pl_buf *b)
{
    b->len = 0;
    if (b->buf)
        b->buf[0] = '\0';
    b->err = PL_OK;
}

/* Make room for n more bytes plus the NUL; false (and sticky error) if not possible. */
static int grow(struct pl_buf *b, size_t n)
{
    size_t need, alloc;
    char *p;

    if (b->err != PL_OK)
        return 0;
    if (n > SIZE_MAX - b->len - 1 || (b->max && b->len + n > b->max)) {
        b->err = PL_E_TOOBIG;
        return 0;
    }
    need = b->len + n + 1;
    if (need <= b->alloc)
        return 1;
    alloc = b->alloc ? b->alloc : 64;
    while (alloc < need)
        alloc = alloc > SIZE_MAX / 2 ? need : alloc * 2;
    if (b->max && alloc > b->max + 1)
        alloc = b->max + 1 > need ? b->max + 1 : need;
    p = realloc(b->buf, alloc);
    if (p == NULL) {
        b->err = PL_E_NOMEM;
        return 0;
    }
    b->buf = p;
    b->alloc = alloc;
    return 1;
}

/* Room for n more bytes and the NUL without growing, and within the cap: the common case. */
static inline int fits(const struct pl_buf *b, size_t n)
{
    return b->err == PL_OK && n < b->alloc - b->len && (b->max == 0 || n <= b->max - b->len);
}

void pl_buf_add(struct pl_buf *b, const void *p, size_t n)
{
    if (!fits(b, n) && !grow(b, n))
        return;
    if (n)
        memcpy(b->buf + b->len, p, n);
    b->len += n;
    b->buf[b->len] = '\0';
}

void pl_buf_adds(struct pl_buf *b, const char *s)
{
    pl_buf_add(b, s, strlen(s));
}

void pl_buf_addch(struct pl_buf *b, char c)
{
    if (!fits(b, 1) && !grow(b, 1))
        return;
    b->buf[b->len++] = c;
    b->buf[b->len] = '\0';
}

void pl_buf_vaddf(struct pl_buf *b, const char *fmt, va_list ap)
{
    va_list cp;
    int n;

    if (b->err != PL_OK)
        return;
    va_copy(cp, ap);
    n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n < 0) {
        b->err = PL_E_INVALID;
        return;
    }
    if (!grow(b, (size_t)n))
        return;
    n = vsnprintf(b->buf + b->len, (size_t)n + 1, fmt, ap);
    if (n < 0) {
        b->err = PL_E_INVALID;
        b->buf[b->len] = '\0';
        return;
    }
    b->len += (size_t)n;
}

void pl_buf_addf(struct pl_buf *b, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    pl_buf_vaddf(b, fmt, ap);
    va_end(ap);
}

void pl_buf_truncate(struct pl_buf *b, size_t len)
{
    if (len >= b->len)
        return;
    b->len = len;
    b->buf[len] = '\0';
}

const char *pl_buf_cstr(const struct pl_buf *b)
{
    return b->buf ? b->buf : empty_string;
}

pl_status pl_buf_status(const struct pl_buf *b)
{
    return b->err;
}

char *pl_buf_detach(struct pl_buf *b, size_t *len_out)
{
    char *p = b->buf;

    if (p == NULL)
        p = pl_xstrdup("");
    if (len_out)
        *len_out = b->len;
    pl_buf_init(b, b->max);
    return p;
}
