/*
 * alloc.c - allocation wrappers that abort on out-of-memory, and PL_BUG.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/common.h"

static PL_NORETURN void oom(size_t size)
{
    fprintf(stderr, "patchline: out of memory allocating %zu bytes\n", size);
    abort();
}

void *pl_xmalloc(size_t size)
{
    void *p = malloc(size ? size : 1);

    if (p == NULL)
        oom(size);
    return p;
}

void *pl_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);

    if (p == NULL)
        oom(n * size);
    return p;
}

void *pl_xrealloc(void *p, size_t size)
{
    void *q = realloc(p, size ? size : 1);

    if (q == NULL)
        oom(size);
    return q;
}

char *pl_xstrdup(const char *s)
{
    return pl_xstrndup(s, strlen(s));
}

char *pl_xstrndup(const char *s, size_t n)
{
    size_t len = strnlen(s, n);
    char *p = pl_xmalloc(len + 1);

    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

void *pl_xgrow(void *items, size_t n, size_t *cap, size_t first, size_t size)
{
    size_t want;

    if (n < *cap)
        return items;
    want = *cap ? *cap * 2 : first;
    if (want <= *cap || want > SIZE_MAX / (size ? size : 1))
        oom(SIZE_MAX);
    *cap = want;
    return pl_xrealloc(items, want * size);
}

void pl_bug(const char *file, int line, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "patchline: BUG at %s:%d: ", file, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    abort();
}
