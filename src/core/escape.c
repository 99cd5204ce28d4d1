/*
 * escape.c - per-target escaping of untrusted text.
 */
#include "patchline/escape.h"

#include <stdbool.h>
#include <string.h>

#include "patchline/parse.h"

/* The length of the valid UTF-8 sequence at p, 0 when invalid (the one validator). */
#define utf8_seq(p) pl_utf8_seq((const char *)(p), 4)

/* The bytes that a JSON string holds as they are: printable ASCII but '"' and '\\'. */
#define R16(v) v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v
static const unsigned char json_plain[256] = {
    R16(0), R16(0),                                                 /* controls */
    1,      1,      0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,       /* ' ' '!' '"' ... */
    R16(1), R16(1), 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, /* 'P' ... '\\' ... */
    R16(1), 1,      1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0,    /* ... 0x7f */
    /* 0x80-0xff: 0, checked as UTF-8 */
};
#undef R16

void pl_escape_json(struct pl_buf *b, const char *s)
{
    const unsigned char *p = (const unsigned char *)s, *run = p;

    /* what needs no escaping is copied a run at a time */
    while (*p) {
        size_t n;

        if (json_plain[*p]) {
            p++;
            continue;
        }
        if (*p >= 0x80 && (n = utf8_seq(p)) != 0) {
            p += n;
            continue;
        }
        if (p > run)
            pl_buf_add(b, run, (size_t)(p - run));
        if (*p == '"' || *p == '\\') {
            pl_buf_addch(b, '\\');
            pl_buf_addch(b, (char)*p);
        } else if (*p == '\n') {
            pl_buf_adds(b, "\\n");
        } else if (*p == '\t') {
            pl_buf_adds(b, "\\t");
        } else if (*p == '\r') {
            pl_buf_adds(b, "\\r");
        } else if (*p < 0x20 || *p == 0x7f) {
            pl_buf_addf(b, "\\u%04x", *p);
        } else { /* not valid UTF-8 */
            pl_buf_adds(b, "\\ufffd");
        }
        run = ++p;
    }
    if (p > run)
        pl_buf_add(b, run, (size_t)(p - run));
}

void pl_escape_json_quoted(struct pl_buf *b, const char *s)
{
    pl_buf_addch(b, '"');
    pl_escape_json(b, s);
    pl_buf_addch(b, '"');
}

void pl_escape_csv(struct pl_buf *b, const char *s)
{
    bool formula = strchr("=+-@\t\r", s[0]) != NULL && s[0] != '\0';
    bool quote = strpbrk(s, ",\"\r\n") != NULL;

    if (quote)
        pl_buf_addch(b, '"');
    if (formula)
        pl_buf_addch(b, '\'');
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            pl_buf_addch(b, '"');
        pl_buf_addch(b, *p);
    }
    if (quote)
        pl_buf_addch(b, '"');
}

void pl_escape_terminal(struct pl_buf *b, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;

    while (*p) {
        size_t n = utf8_seq(p);

        if (n == 0 || *p < 0x20 || *p == 0x7f) {
            pl_buf_addf(b, "\\x%02x", *p++);
        } else if (n == 2 && p[0] == 0xc2 && p[1] < 0xa0) {
            /* C1 controls U+0080..U+009F, which some terminals act on */
            pl_buf_addf(b, "\\x%02x", p[1]);
            p += 2;
        } else {
            pl_buf_add(b, p, n);
            p += n;
        }
    }
}

void pl_escape_html(struct pl_buf *b, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;

    while (*p) {
        size_t n;

        switch (*p) {
        case '&':
            pl_buf_adds(b, "&amp;");
            p++;
            continue;
        case '<':
            pl_buf_adds(b, "&lt;");
            p++;
            continue;
        case '>':
            pl_buf_adds(b, "&gt;");
            p++;
            continue;
        case '"':
            pl_buf_adds(b, "&quot;");
            p++;
            continue;
        case '\'':
            pl_buf_adds(b, "&#39;");
            p++;
            continue;
        default:
            break;
        }
        if ((*p < 0x20 && *p != '\n' && *p != '\t') || *p == 0x7f) {
            p++;
        } else if ((n = utf8_seq(p)) == 0) {
            pl_buf_adds(b, "&#xfffd;");
            p++;
        } else {
            pl_buf_add(b, p, n);
            p += n;
        }
    }
}

size_t pl_display_width(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t w = 0;

    while (*p) {
        size_t n = utf8_seq(p);

        if (n == 0 || *p < 0x20 || *p == 0x7f) {
            w += 4, p++;
        } else if (n == 2 && p[0] == 0xc2 && p[1] < 0xa0) {
            w += 4, p += 2;
        } else {
            w += 1, p += n;
        }
    }
    return w;
}

static bool is_json_number(const char *s)
{
    const char *p = s;

    if (*p == '-')
        p++;
    if (*p < '0' || *p > '9')
        return false;
    if (*p == '0' && p[1] >= '0' && p[1] <= '9')
        return false;
    while (*p >= '0' && *p <= '9')
        p++;
    if (*p == '.') {
        p++;
        if (*p < '0' || *p > '9')
            return false;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    return *p == '\0';
}

void pl_json_row(struct pl_buf *b, const char *const *names, const enum pl_cell_type *types,
                 const char *const *cells, size_t n)
{
    pl_buf_addch(b, '{');
    for (size_t c = 0; c < n; c++) {
        const char *v = cells[c];
        enum pl_cell_type ty = types[c];

        if (c)
            pl_buf_add(b, ", ", 2);
        pl_escape_json_quoted(b, names[c]);
        pl_buf_add(b, ": ", 2);
        if (v == NULL)
            pl_buf_add(b, "null", 4);
        else if (((ty == PL_CELL_INT || ty == PL_CELL_NUM) && is_json_number(v)) ||
                 (ty == PL_CELL_BOOL && (strcmp(v, "true") == 0 || strcmp(v, "false") == 0)))
            pl_buf_adds(b, v);
        else
            pl_escape_json_quoted(b, v);
    }
    pl_buf_addch(b, '}');
}
