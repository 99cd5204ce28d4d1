/*
 * csv.c - a byte-at-a-time RFC 4180 state machine over pl_reader chunks.
 *
 * The current row lives in one capped buffer, fields separated by NULs,
 * with their start offsets in a capped array: memory is bounded by the row
 * cap whatever the input.
 */
#include "patchline/csv.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/buf.h"
#include "patchline/parse.h"

#define CSV_CHUNK ((size_t)64 * 1024)

enum csv_state { AT_START, UNQUOTED, QUOTED, QUOTE_SEEN };

struct pl_csv {
    struct pl_reader *in;
    char delim;
    size_t max_fields, max_row, max_field;
    char *chunk;
    size_t clen, cpos;
    bool in_eof, bom_checked;
    struct pl_buf row;
    size_t *offs, nf;
    char **hdr;
    size_t nhdr, hdr_alloc;
    uint64_t line, row_line;
};

/* The next byte, or -1 at the end of input. */
static pl_status get_byte(struct pl_csv *c, int *ch, struct pl_error *err)
{
    pl_status rc;

    if (c->cpos == c->clen) {
        if (c->in_eof) {
            *ch = -1;
            return PL_OK;
        }
        if ((rc = pl_reader_read(c->in, c->chunk, CSV_CHUNK, &c->clen, err)) != PL_OK)
            return rc;
        c->cpos = 0;
        if (c->clen == 0) {
            c->in_eof = true;
            *ch = -1;
            return PL_OK;
        }
        if (!c->bom_checked && c->clen >= 3 && memcmp(c->chunk, "\xEF\xBB\xBF", 3) == 0)
            c->cpos = 3;
        c->bom_checked = true;
        if (c->cpos == c->clen)
            return get_byte(c, ch, err);
    }
    *ch = (unsigned char)c->chunk[c->cpos++];
    return PL_OK;
}

/* Consume a '\n' right after a '\r'. */
static pl_status eat_lf(struct pl_csv *c, struct pl_error *err)
{
    pl_status rc;

    if (c->cpos == c->clen && !c->in_eof) {
        int ch;

        if ((rc = get_byte(c, &ch, err)) != PL_OK)
            return rc;
        if (ch == -1)
            return PL_OK;
        c->cpos--; /* get_byte refilled: put it back */
    }
    if (c->cpos < c->clen && c->chunk[c->cpos] == '\n') {
        c->cpos++;
        c->line++;
    }
    return PL_OK;
}

const char *pl_csv_path(const struct pl_csv *c)
{
    return pl_reader_path(c->in);
}

uint64_t pl_csv_line(const struct pl_csv *c)
{
    return c->row_line;
}

size_t pl_csv_nfields(const struct pl_csv *c)
{
    return c->nf;
}

const char *pl_csv_field(const struct pl_csv *c, size_t i)
{
    return i < c->nf ? c->row.buf + c->offs[i] : NULL;
}

size_t pl_csv_ncolumns(const struct pl_csv *c)
{
    return c->nhdr;
}

const char *pl_csv_column_name(const struct pl_csv *c, size_t i)
{
    return i < c->nhdr ? c->hdr[i] : NULL;
}

int pl_csv_column(const struct pl_csv *c, const char *name)
{
    for (size_t i = 0; i < c->nhdr; i++)
        if (pl_strcasecmp(c->hdr[i], name) == 0)
            return (int)i;
    return -1;
}

const char *pl_csv_get(const struct pl_csv *c, const char *name)
{
    int i = pl_csv_column(c, name);

    return i < 0 ? NULL : pl_csv_field(c, (size_t)i);
}

pl_status pl_csv_error(const struct pl_csv *c, size_t i, struct pl_error *err, pl_status code,
                       const char *fmt, ...)
{
    char what[PL_ERROR_MSG_BYTES];
    va_list ap;

    va_start(ap, fmt);
    if (vsnprintf(what, sizeof(what), fmt, ap) < 0)
        what[0] = '\0';
    va_end(ap);
    if (i < c->nhdr)
        return pl_error_set(err, code, "%s:%llu: column '%s': %s", pl_csv_path(c),
                            (unsigned long long)c->row_line, c->hdr[i], what);
    return pl_error_set(err, code, "%s:%llu: column %zu: %s", pl_csv_path(c),
                        (unsigned long long)c->row_line, i + 1, what);
}

static pl_status start_field(struct pl_csv *c, struct pl_error *err)
{
    if (c->nf == c->max_fields)
        return pl_error_set(err, PL_E_TOOBIG, "%s:%llu: row has more than %zu fields",
                            pl_csv_path(c), (unsigned long long)c->row_line, c->max_fields);
    c->offs[c->nf++] = c->row.len;
    return PL_OK;
}

static pl_status add_byte(struct pl_csv *c, int ch, struct pl_error *err)
{
    if (ch == 0)
        return pl_csv_error(c, c->nf - 1, err, PL_E_PARSE, "NUL byte");
    if (c->row.len - c->offs[c->nf - 1] >= c->max_field)
        return pl_csv_error(c, c->nf - 1, err, PL_E_TOOBIG, "field exceeds %zu bytes",
                            c->max_field);
    pl_buf_addch(&c->row, (char)ch);
    if (pl_buf_status(&c->row) == PL_E_TOOBIG)
        return pl_error_set(err, PL_E_TOOBIG, "%s:%llu: row exceeds %zu bytes", pl_csv_path(c),
                            (unsigned long long)c->row_line, c->max_row);
    if (pl_buf_status(&c->row) != PL_OK)
        return pl_error_set(err, PL_E_NOMEM, "%s: out of memory", pl_csv_path(c));
    return PL_OK;
}

static pl_status end_field(struct pl_csv *c, struct pl_error *err)
{
    size_t start = c->offs[c->nf - 1];

    if (!pl_utf8_valid(c->row.buf ? c->row.buf + start : "", c->row.len - start))
        return pl_csv_error(c, c->nf - 1, err, PL_E_PARSE, "invalid UTF-8");
    pl_buf_add(&c->row, "", 1);
    if (pl_buf_status(&c->row) != PL_OK)
        return pl_error_set(err, pl_buf_status(&c->row), "%s:%llu: row exceeds %zu bytes",
                            pl_csv_path(c), (unsigned long long)c->row_line, c->max_row);
    return PL_OK;
}

/* One byte outside quotes: 1 when it ended the row. */
static pl_status plain_byte(struct pl_csv *c, int ch, enum csv_state *st, int *row_end,
                            struct pl_error *err)
{
    pl_status rc;

    if (ch == c->delim) {
        if ((rc = end_field(c, err)) != PL_OK)
            return rc;
        *st = AT_START;
        return start_field(c, err);
    }
    if (ch == '\n' || ch == '\r') {
        if (ch == '\n')
            c->line++;
        else if ((rc = eat_lf(c, err)) != PL_OK)
            return rc;
        *row_end = 1;
        return end_field(c, err);
    }
    if (*st == QUOTE_SEEN)
        return pl_csv_error(c, c->nf - 1, err, PL_E_PARSE, "text after a closing quote");
    if (ch == '"' && *st == AT_START) {
        *st = QUOTED;
        return PL_OK;
    }
    if (ch == '"')
        return pl_csv_error(c, c->nf - 1, err, PL_E_PARSE, "quote inside an unquoted field");
    *st = UNQUOTED;
    return add_byte(c, ch, err);
}

/* Read one row (possibly blank); *eof when the input had no byte left. */
static pl_status read_row(struct pl_csv *c, bool *eof, bool *blank, struct pl_error *err)
{
    enum csv_state st = AT_START;
    int ch, row_end = 0;
    bool any = false, quoted = false;
    pl_status rc;

    pl_buf_reset(&c->row);
    c->nf = 0;
    c->row_line = c->line + 1;
    *eof = false;
    if ((rc = start_field(c, err)) != PL_OK)
        return rc;
    while (!row_end) {
        if ((rc = get_byte(c, &ch, err)) != PL_OK)
            return rc;
        if (ch == -1) {
            if (st == QUOTED)
                return pl_csv_error(c, c->nf - 1, err, PL_E_PARSE, "unterminated quoted field");
            if (!any) {
                c->nf = 0;
                *eof = true;
                return PL_OK;
            }
            c->line++;
            *blank = false;
            return end_field(c, err);
        }
        any = true;
        if (st == QUOTED) {
            if (ch == '"')
                st = QUOTE_SEEN;
            else if ((rc = add_byte(c, ch, err)) != PL_OK)
                return rc;
            c->line += ch == '\n';
            quoted = true;
            continue;
        }
        if (st == QUOTE_SEEN && ch == '"') {
            st = QUOTED;
            if ((rc = add_byte(c, ch, err)) != PL_OK)
                return rc;
            continue;
        }
        if ((rc = plain_byte(c, ch, &st, &row_end, err)) != PL_OK)
            return rc;
        quoted = quoted || st == QUOTED;
    }
    *blank = c->nf == 1 && !quoted && c->row.len == 1;
    return PL_OK;
}

pl_status pl_csv_next(struct pl_csv *c, bool *eof, struct pl_error *err)
{
    bool blank = false;
    pl_status rc;

    do {
        if ((rc = read_row(c, eof, &blank, err)) != PL_OK) {
            c->nf = 0;
            return rc;
        }
    } while (!*eof && blank);
    return PL_OK;
}

static pl_status read_header(struct pl_csv *c, struct pl_error *err)
{
    bool eof = false;
    pl_status rc;

    if ((rc = pl_csv_next(c, &eof, err)) != PL_OK)
        return rc;
    if (eof)
        return pl_error_set(err, PL_E_PARSE, "%s: no header row", pl_csv_path(c));
    if ((c->hdr = calloc(c->nf, sizeof(*c->hdr))) == NULL)
        return pl_error_set(err, PL_E_NOMEM, "%s: out of memory", pl_csv_path(c));
    c->hdr_alloc = c->nf;
    for (size_t i = 0; i < c->nf; i++) {
        const char *f = pl_csv_field(c, i);
        size_t n;

        while (*f == ' ' || *f == '\t')
            f++;
        n = strlen(f);
        while (n > 0 && (f[n - 1] == ' ' || f[n - 1] == '\t'))
            n--;
        if (n == 0)
            return pl_error_set(err, PL_E_PARSE, "%s:%llu: column %zu: empty column name",
                                pl_csv_path(c), (unsigned long long)c->row_line, i + 1);
        if ((c->hdr[i] = strndup(f, n)) == NULL)
            return pl_error_set(err, PL_E_NOMEM, "%s: out of memory", pl_csv_path(c));
        if (pl_csv_column(c, c->hdr[i]) >= 0)
            return pl_error_set(err, PL_E_PARSE, "%s:%llu: column '%s': duplicate column name",
                                pl_csv_path(c), (unsigned long long)c->row_line, c->hdr[i]);
        c->nhdr = i + 1;
    }
    return PL_OK;
}

pl_status pl_csv_open(struct pl_reader *r, const struct pl_csv_opts *opts, struct pl_csv **out,
                      struct pl_error *err)
{
    struct pl_csv *c = calloc(1, sizeof(*c));
    pl_status rc = PL_OK;

    *out = NULL;
    if (c == NULL)
        return pl_error_set(err, PL_E_NOMEM, "%s: out of memory", pl_reader_path(r));
    c->in = r;
    c->delim = (char)(opts && opts->delim ? opts->delim : ',');
    c->max_fields = opts && opts->max_fields ? opts->max_fields : PL_MAX_CSV_FIELDS;
    c->max_row = opts && opts->max_row ? opts->max_row : PL_MAX_CSV_ROW_BYTES;
    c->max_field = opts && opts->max_field ? opts->max_field : PL_MAX_CSV_FIELD_BYTES;
    pl_buf_init(&c->row, c->max_row);
    c->chunk = malloc(CSV_CHUNK);
    c->offs = calloc(c->max_fields, sizeof(*c->offs));
    if (c->chunk == NULL || c->offs == NULL)
        rc = pl_error_set(err, PL_E_NOMEM, "%s: out of memory", pl_reader_path(r));
    else if (opts && opts->header)
        rc = read_header(c, err);
    if (rc != PL_OK) {
        pl_csv_close(c);
        return rc;
    }
    *out = c;
    return PL_OK;
}

void pl_csv_close(struct pl_csv *c)
{
    if (c == NULL)
        return;
    for (size_t i = 0; i < c->hdr_alloc; i++)
        free(c->hdr[i]);
    free(c->hdr);
    pl_buf_release(&c->row);
    free(c->offs);
    free(c->chunk);
    free(c);
}
