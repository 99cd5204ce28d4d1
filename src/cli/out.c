/*
 * out.c - every line the CLI prints that holds text from data or from the
 * command line goes through here: the whole formatted line is passed
 * through the terminal escaper that table output uses (pl_escape_terminal),
 * so that a CSV cell, a feed field or an argument cannot reach the screen
 * with a control sequence in it (a title change, a clear screen, a fake
 * line), on stdout and on stderr alike.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "patchline/escape.h"

#include "cli_int.h"

/* Longest line printed whole; a longer one is cut (and says so). */
#define LINE_MAX_BYTES ((size_t)1024 * 1024)

void pl__cli_vline(FILE *out, const char *prefix, const char *fmt, va_list ap)
{
    struct pl_buf raw = PL_BUF_INIT(LINE_MAX_BYTES), safe = PL_BUF_INIT(4 * LINE_MAX_BYTES);

    pl_buf_vaddf(&raw, fmt, ap);
    pl_escape_terminal(&safe, pl_buf_cstr(&raw));
    fputs(prefix, out);
    fwrite(pl_buf_cstr(&safe), 1, safe.len, out);
    if (pl_buf_status(&raw) != PL_OK || pl_buf_status(&safe) != PL_OK)
        fputs(" [cut]", out);
    fputc('\n', out);
    pl_buf_release(&raw);
    pl_buf_release(&safe);
}

void pl__cli_line(FILE *out, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    pl__cli_vline(out, "", fmt, ap);
    va_end(ap);
}

void pl__cli_lines(FILE *out, const char *text)
{
    while (text && *text) {
        size_t n = strcspn(text, "\n");

        pl__cli_line(out, "%.*s", (int)n, text);
        text += n;
        if (*text == '\n')
            text++;
    }
}

void pl__cli_warn(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    pl__cli_vline(stderr, "patchline: ", fmt, ap);
    va_end(ap);
}
