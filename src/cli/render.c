/*
 * render.c - one listing, three renderings: an aligned table for people,
 * JSON (an array of objects) and CSV (RFC 4180, one header row) for tools.
 * Every cell goes through the escaper of its target.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/escape.h"

#include "cli_int.h"

void pl_table_init(struct pl_table *t, const struct pl_col *cols, size_t n_cols)
{
    t->cols = cols;
    t->n_cols = n_cols;
    t->cells = NULL;
    t->n_cells = 0;
    t->cap_cells = 0;
}

static void push(struct pl_table *t, char *owned)
{
    t->cells = pl_xgrow(t->cells, t->n_cells, &t->cap_cells, 64, sizeof(*t->cells));
    t->cells[t->n_cells++] = owned;
}

void pl_table_cell(struct pl_table *t, const char *s)
{
    push(t, s ? pl_xstrdup(s) : NULL);
}

void pl_table_cellf(struct pl_table *t, const char *fmt, ...)
{
    struct pl_buf b = PL_BUF_INIT(0);
    va_list ap;

    va_start(ap, fmt);
    pl_buf_vaddf(&b, fmt, ap);
    va_end(ap);
    push(t, pl_buf_detach(&b, NULL));
}

void pl_table_cell_i64(struct pl_table *t, int64_t v)
{
    pl_table_cellf(t, "%lld", (long long)v);
}

void pl_table_cell_time(struct pl_table *t, pl_time_t v, bool is_null)
{
    char buf[PL_TIME_STR_LEN];

    pl_table_cell(t, is_null ? NULL : pl_time_format(v, buf));
}

void pl_table_release(struct pl_table *t)
{
    for (size_t i = 0; i < t->n_cells; i++)
        free(t->cells[i]);
    free(t->cells);
    t->cells = NULL;
    t->n_cells = t->cap_cells = 0;
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

static void render_json(const struct pl_table *t, struct pl_buf *b)
{
    size_t rows = t->n_cols ? t->n_cells / t->n_cols : 0;

    pl_buf_adds(b, "[");
    for (size_t r = 0; r < rows; r++) {
        pl_buf_adds(b, r ? ",\n  {" : "\n  {");
        for (size_t c = 0; c < t->n_cols; c++) {
            const char *v = t->cells[r * t->n_cols + c];
            enum pl_col_type ty = t->cols[c].type;

            if (c)
                pl_buf_adds(b, ", ");
            pl_escape_json_quoted(b, t->cols[c].name);
            pl_buf_adds(b, ": ");
            if (v == NULL)
                pl_buf_adds(b, "null");
            else if (((ty == PL_COL_INT || ty == PL_COL_NUM) && is_json_number(v)) ||
                     (ty == PL_COL_BOOL && (strcmp(v, "true") == 0 || strcmp(v, "false") == 0)))
                pl_buf_adds(b, v);
            else
                pl_escape_json_quoted(b, v);
        }
        pl_buf_adds(b, "}");
    }
    pl_buf_adds(b, rows ? "\n]\n" : "]\n");
}

static void render_csv(const struct pl_table *t, struct pl_buf *b)
{
    for (size_t c = 0; c < t->n_cols; c++) {
        if (c)
            pl_buf_addch(b, ',');
        pl_escape_csv(b, t->cols[c].name);
    }
    pl_buf_adds(b, "\r\n");
    for (size_t i = 0; i < t->n_cells; i++) {
        if (i % t->n_cols)
            pl_buf_addch(b, ',');
        if (t->cells[i])
            pl_escape_csv(b, t->cells[i]);
        if (i % t->n_cols == t->n_cols - 1)
            pl_buf_adds(b, "\r\n");
    }
}

static void render_text(const struct pl_table *t, struct pl_buf *b)
{
    size_t *width = pl_xcalloc(t->n_cols, sizeof(*width));
    struct pl_buf cell = PL_BUF_INIT(0);

    for (size_t c = 0; c < t->n_cols; c++)
        width[c] = strlen(t->cols[c].name);
    for (size_t i = 0; i < t->n_cells; i++) {
        size_t w = t->cells[i] ? pl_display_width(t->cells[i]) : 1;

        if (w > width[i % t->n_cols])
            width[i % t->n_cols] = w;
    }
    for (size_t c = 0; c < t->n_cols; c++)
        pl_buf_addf(b, "%-*s", c + 1 < t->n_cols ? (int)width[c] + 2 : 0, t->cols[c].name);
    pl_buf_addch(b, '\n');
    for (size_t i = 0; i < t->n_cells; i++) {
        size_t c = i % t->n_cols;
        const char *v = t->cells[i] ? t->cells[i] : "-";

        pl_buf_reset(&cell);
        pl_escape_terminal(&cell, v);
        pl_buf_adds(b, pl_buf_cstr(&cell));
        if (c + 1 < t->n_cols) {
            for (size_t pad = pl_display_width(v); pad < width[c] + 2; pad++)
                pl_buf_addch(b, ' ');
        } else {
            pl_buf_addch(b, '\n');
        }
    }
    pl_buf_release(&cell);
    free(width);
}

int pl_table_render(const struct pl_table *t, const char *format, FILE *out)
{
    struct pl_buf b = PL_BUF_INIT(0);
    int rc = PL_EXIT_OK;

    if (t->n_cols == 0 || t->n_cells % t->n_cols != 0)
        PL_BUG("table with a partial row (%zu cells, %zu columns)", t->n_cells, t->n_cols);
    if (strcmp(format, "json") == 0)
        render_json(t, &b);
    else if (strcmp(format, "csv") == 0)
        render_csv(t, &b);
    else
        render_text(t, &b);
    if (pl_buf_status(&b) != PL_OK || fwrite(pl_buf_cstr(&b), 1, b.len, out) != b.len) {
        fprintf(stderr, "patchline: cannot write output\n");
        rc = PL_EXIT_ERROR;
    }
    pl_buf_release(&b);
    return rc;
}
