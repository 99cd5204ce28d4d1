/*
 * argv.c - argv arrays for spawn.h and their rendering in the job log.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apply_int.h"

void pl__argv_push(struct pl__argv *a, const char *s)
{
    if (a->n + 2 > a->cap) /* room for s and the NULL after it */
        a->v = pl_xgrow(a->v, a->cap, &a->cap, 16, sizeof(*a->v));
    a->v[a->n++] = pl_xstrdup(s);
    a->v[a->n] = NULL;
}

void pl__argv_pushf(struct pl__argv *a, const char *fmt, ...)
{
    struct pl_buf b = PL_BUF_INIT(0);
    va_list ap;

    va_start(ap, fmt);
    pl_buf_vaddf(&b, fmt, ap);
    va_end(ap);
    pl__argv_push(a, pl_buf_cstr(&b));
    pl_buf_release(&b);
}

void pl__argv_release(struct pl__argv *a)
{
    for (size_t i = 0; i < a->n; i++)
        free(a->v[i]);
    free(a->v);
    a->v = NULL;
    a->n = a->cap = 0;
}

static bool plain_word(const char *s)
{
    if (*s == '\0')
        return false;
    for (; *s; s++)
        if (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._+-=:,@%~",
                   *s) == NULL)
            return false;
    return true;
}

void pl__argv_render(const char *const *v, struct pl_buf *out)
{
    for (size_t i = 0; v[i]; i++) {
        if (i)
            pl_buf_addch(out, ' ');
        if (plain_word(v[i])) {
            pl_buf_adds(out, v[i]);
            continue;
        }
        pl_buf_addch(out, '\'');
        for (const char *p = v[i]; *p; p++) {
            if (*p == '\'')
                pl_buf_adds(out, "'\\''");
            else
                pl_buf_addch(out, *p);
        }
        pl_buf_addch(out, '\'');
    }
}
