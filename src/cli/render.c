/*
 * render.c - one listing, three renderings: an aligned table for people,
 * JSON (an array of objects) and CSV (RFC 4180, one header row) for tools.
 * Every cell goes through the escaper of its target.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "patchline/escape.h"

#include "cli_int.h"

void pl_table_init(struct pl_table *t, const struct pl_col *cols, size_t n_cols)
{
    memset(t, 0, sizeof(*t));
    t->cols = cols;
    t->n_cols = n_cols;
}

static void row_done(struct pl_table *t);

static void push(struct pl_table *t, char *owned)
{
    t->cells = pl_xgrow(t->cells, t->n_cells, &t->cap_cells, 64, sizeof(*t->cells));
    t->cells[t->n_cells++] = owned;
    if (t->out && t->n_cells % t->n_cols == 0)
        row_done(t);
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

static void free_cells(struct pl_table *t)
{
    for (size_t i = 0; i < t->n_cells; i++)
        free(t->cells[i]);
    t->n_cells = 0;
}

void pl_table_release(struct pl_table *t)
{
    free_cells(t);
    free(t->cells);
    t->cells = NULL;
    t->cap_cells = 0;
    free(t->width);
    t->width = NULL;
    if (t->spool)
        fclose(t->spool);
    t->spool = NULL;
}

/* The column types are the report's cell types, in the same order. */
_Static_assert((int)PL_COL_TEXT == (int)PL_CELL_TEXT && (int)PL_COL_INT == (int)PL_CELL_INT &&
                   (int)PL_COL_NUM == (int)PL_CELL_NUM && (int)PL_COL_BOOL == (int)PL_CELL_BOOL,
               "pl_col_type follows pl_cell_type");

/* One JSON object for a row (the caller writes the separators): the listing writer of the API. */
static void json_row(const struct pl_table *t, char *const *row, struct pl_buf *b)
{
    const char *names[64];
    enum pl_cell_type types[64];

    if (t->n_cols > PL_ARRAY_LEN(names))
        PL_BUG("table of %zu columns", t->n_cols);
    for (size_t c = 0; c < t->n_cols; c++) {
        names[c] = t->cols[c].name;
        types[c] = (enum pl_cell_type)t->cols[c].type;
    }
    pl_json_row(b, names, types, (const char *const *)row, t->n_cols);
}

static void csv_header(const struct pl_table *t, struct pl_buf *b)
{
    for (size_t c = 0; c < t->n_cols; c++) {
        if (c)
            pl_buf_addch(b, ',');
        pl_escape_csv(b, t->cols[c].name);
    }
    pl_buf_adds(b, "\r\n");
}

static void csv_row(const struct pl_table *t, char *const *row, struct pl_buf *b)
{
    for (size_t c = 0; c < t->n_cols; c++) {
        if (c)
            pl_buf_addch(b, ',');
        if (row[c])
            pl_escape_csv(b, row[c]);
    }
    pl_buf_adds(b, "\r\n");
}

/* Widen the columns to a row's cells (a missing value shows as "-"). */
static void text_widths(const struct pl_table *t, char *const *row, size_t *width)
{
    for (size_t c = 0; c < t->n_cols; c++) {
        size_t w = row[c] ? pl_display_width(row[c]) : 1;

        if (w > width[c])
            width[c] = w;
    }
}

static void text_header(const struct pl_table *t, const size_t *width, struct pl_buf *b)
{
    for (size_t c = 0; c < t->n_cols; c++)
        pl_buf_addf(b, "%-*s", c + 1 < t->n_cols ? (int)width[c] + 2 : 0, t->cols[c].name);
    pl_buf_addch(b, '\n');
}

static void text_row(const struct pl_table *t, char *const *row, const size_t *width,
                     struct pl_buf *b)
{
    for (size_t c = 0; c < t->n_cols; c++) {
        const char *v = row[c] ? row[c] : "-";

        pl_escape_terminal(b, v);
        if (c + 1 < t->n_cols) {
            for (size_t pad = pl_display_width(v); pad < width[c] + 2; pad++)
                pl_buf_addch(b, ' ');
        } else {
            pl_buf_addch(b, '\n');
        }
    }
}

static size_t *header_widths(const struct pl_table *t)
{
    size_t *width = pl_xcalloc(t->n_cols, sizeof(*width));

    for (size_t c = 0; c < t->n_cols; c++)
        width[c] = strlen(t->cols[c].name);
    return width;
}

static void render_rows(const struct pl_table *t, const char *format, struct pl_buf *b)
{
    size_t rows = t->n_cells / t->n_cols, *width;

    if (strcmp(format, "json") == 0) {
        pl_buf_adds(b, "[");
        for (size_t r = 0; r < rows; r++) {
            pl_buf_adds(b, r ? ",\n  " : "\n  ");
            json_row(t, &t->cells[r * t->n_cols], b);
        }
        pl_buf_adds(b, rows ? "\n]\n" : "]\n");
        return;
    }
    if (strcmp(format, "csv") == 0) {
        csv_header(t, b);
        for (size_t r = 0; r < rows; r++)
            csv_row(t, &t->cells[r * t->n_cols], b);
        return;
    }
    width = header_widths(t);
    for (size_t r = 0; r < rows; r++)
        text_widths(t, &t->cells[r * t->n_cols], width);
    text_header(t, width, b);
    for (size_t r = 0; r < rows; r++)
        text_row(t, &t->cells[r * t->n_cols], width, b);
    free(width);
}

int pl_table_render(const struct pl_table *t, const char *format, FILE *out)
{
    struct pl_buf b = PL_BUF_INIT(0);
    int rc = PL_EXIT_OK;

    if (t->n_cols == 0 || t->n_cells % t->n_cols != 0)
        PL_BUG("table with a partial row (%zu cells, %zu columns)", t->n_cells, t->n_cols);
    render_rows(t, format, &b);
    if (pl_buf_status(&b) != PL_OK || fwrite(pl_buf_cstr(&b), 1, b.len, out) != b.len) {
        fprintf(stderr, "patchline: cannot write output\n");
        rc = PL_EXIT_ERROR;
    }
    pl_buf_release(&b);
    return rc;
}

/*
 * The first row of rec as a record: table "KEY ID" then "  column value" for
 * every column with a value, a blank line; JSON one object under key.
 */
static void record(const char *key, const struct pl_table *rec, const char *format,
                   struct pl_buf *b)
{
    if (rec->n_cells < rec->n_cols)
        PL_BUG("record with no row");
    if (strcmp(format, "json") == 0) {
        pl_escape_json_quoted(b, key);
        pl_buf_adds(b, ": ");
        json_row(rec, rec->cells, b);
        return;
    }
    pl_buf_adds(b, key);
    pl_buf_addch(b, ' ');
    pl_escape_terminal(b, rec->cells[0] ? rec->cells[0] : "");
    pl_buf_addch(b, '\n');
    for (size_t c = 1; c < rec->n_cols; c++) {
        if (rec->cells[c] == NULL)
            continue;
        pl_buf_addf(b, "  %-14s ", rec->cols[c].name);
        pl_escape_terminal(b, rec->cells[c]);
        pl_buf_addch(b, '\n');
    }
    pl_buf_addch(b, '\n');
}

int pl_table_render_record(const char *key, const struct pl_table *rec, const char *list_key,
                           const struct pl_table *list, const char *format, FILE *out)
{
    struct pl_buf b = PL_BUF_INIT(0);
    bool json = strcmp(format, "json") == 0;
    int rc = PL_EXIT_OK;

    if (list->n_cols == 0 || list->n_cells % list->n_cols != 0)
        PL_BUG("table with a partial row (%zu cells, %zu columns)", list->n_cells, list->n_cols);
    if (json)
        pl_buf_addch(&b, '{');
    if (strcmp(format, "csv") != 0)
        record(key, rec, format, &b);
    if (json) {
        pl_buf_adds(&b, ", ");
        pl_escape_json_quoted(&b, list_key);
        pl_buf_adds(&b, ": ");
    }
    render_rows(list, format, &b);
    if (json)
        pl_buf_adds(&b, "}\n");
    if (pl_buf_status(&b) != PL_OK || fwrite(pl_buf_cstr(&b), 1, b.len, out) != b.len) {
        fprintf(stderr, "patchline: cannot write output\n");
        rc = PL_EXIT_ERROR;
    }
    pl_buf_release(&b);
    return rc;
}

/* ---- streaming ------------------------------------------------------------ */

static void emit(struct pl_table *t, struct pl_buf *b)
{
    if (pl_buf_status(b) != PL_OK || fwrite(pl_buf_cstr(b), 1, b->len, t->out) != b->len)
        t->failed = true;
    pl_buf_reset(b);
}

void pl_table_stream(struct pl_table *t, const struct pl_col *cols, size_t n_cols,
                     const char *format, FILE *out)
{
    pl_table_init(t, cols, n_cols);
    if (n_cols == 0)
        PL_BUG("table without columns");
    t->out = out;
    t->format = format;
    if (strcmp(format, "csv") == 0) {
        struct pl_buf b = PL_BUF_INIT(0);

        csv_header(t, &b);
        emit(t, &b);
        pl_buf_release(&b);
    } else if (strcmp(format, "json") != 0) {
        t->width = header_widths(t);
    }
}

/* A deleted temp file for the rows of a long table; NULL when none can be made. */
static FILE *spool_open(void)
{
    const char *dir = getenv("TMPDIR");
    struct pl_buf path = PL_BUF_INIT(0);
    FILE *f = NULL;
    int fd;

    pl_buf_addf(&path, "%s/patchline-table-XXXXXX", dir && *dir == '/' ? dir : "/tmp");
    if (pl_buf_status(&path) == PL_OK && (fd = mkstemp(path.buf)) >= 0) {
        (void)unlink(path.buf);
        if ((f = fdopen(fd, "w+")) == NULL)
            close(fd);
    }
    pl_buf_release(&path);
    return f;
}

/* Move the rows held in memory to the spool (a cell: 0 for none, else 1, text, 0). */
static void spill(struct pl_table *t)
{
    for (size_t i = 0; i < t->n_cells; i++) {
        if (t->cells[i] == NULL) {
            putc(0, t->spool);
        } else {
            putc(1, t->spool);
            fputs(t->cells[i], t->spool);
            putc(0, t->spool);
        }
    }
    if (ferror(t->spool))
        t->failed = true;
    free_cells(t);
    t->held_bytes = 0;
}

static void row_done(struct pl_table *t)
{
    char **row = &t->cells[t->n_cells - t->n_cols];
    struct pl_buf b = PL_BUF_INIT(0);

    if (t->width == NULL) { /* json, csv: out it goes */
        if (strcmp(t->format, "json") == 0) {
            pl_buf_adds(&b, t->rows ? ",\n  " : "[\n  ");
            json_row(t, row, &b);
        } else {
            csv_row(t, row, &b);
        }
        emit(t, &b);
        free_cells(t);
    } else {
        text_widths(t, row, t->width);
        for (size_t c = 0; c < t->n_cols; c++)
            t->held_bytes += (row[c] ? strlen(row[c]) + 1 : 0) + 32; /* + malloc, pointer */
        if (t->spool == NULL && t->held_bytes > PL_TABLE_HOLD_BYTES)
            t->spool = spool_open();
        if (t->spool)
            spill(t);
    }
    t->rows++;
    pl_buf_release(&b);
}

/* Read the next spooled row into cells (n_cols strings, NULL for none); false at the end. */
static bool spool_row(struct pl_table *t, char **line, size_t *cap, char **cells)
{
    for (size_t c = 0; c < t->n_cols; c++) {
        int ch = getc(t->spool);
        ssize_t n;

        if (ch == EOF)
            return false;
        if (ch == 0)
            continue;
        if ((n = getdelim(line, cap, 0, t->spool)) <= 0 || (*line)[n - 1] != '\0')
            return false;
        cells[c] = pl_xstrdup(*line);
    }
    return true;
}

static void free_row(char **cells, size_t n)
{
    for (size_t c = 0; c < n; c++) {
        free(cells[c]);
        cells[c] = NULL;
    }
}

static void finish_text(struct pl_table *t)
{
    struct pl_buf b = PL_BUF_INIT(0);
    char **cells = pl_xcalloc(t->n_cols, sizeof(*cells)), *line = NULL;
    size_t cap = 0, n = 0;

    text_header(t, t->width, &b);
    if (t->spool && fflush(t->spool) == 0 && fseek(t->spool, 0, SEEK_SET) == 0) {
        while (!t->failed && spool_row(t, &line, &cap, cells)) {
            text_row(t, cells, t->width, &b);
            free_row(cells, t->n_cols);
            if (b.len >= 64 * 1024)
                emit(t, &b);
            n++;
        }
        free_row(cells, t->n_cols);
        if (n + t->n_cells / t->n_cols != t->rows)
            t->failed = true; /* the spool lost rows */
    } else if (t->spool) {
        t->failed = true;
    }
    for (size_t r = 0; r < t->n_cells / t->n_cols; r++) {
        text_row(t, &t->cells[r * t->n_cols], t->width, &b);
        if (b.len >= 64 * 1024)
            emit(t, &b);
    }
    emit(t, &b);
    pl_buf_release(&b);
    free(line);
    free(cells);
}

int pl_table_finish(struct pl_table *t)
{
    int rc = PL_EXIT_OK;

    if (t->n_cells % t->n_cols != 0)
        PL_BUG("table with a partial row (%zu cells, %zu columns)", t->n_cells, t->n_cols);
    if (t->width) {
        finish_text(t);
    } else if (strcmp(t->format, "json") == 0) {
        struct pl_buf b = PL_BUF_INIT(0);

        pl_buf_adds(&b, t->rows ? "\n]\n" : "[]\n");
        emit(t, &b);
        pl_buf_release(&b);
    }
    if (t->failed || fflush(t->out) != 0) {
        fprintf(stderr, "patchline: cannot write output\n");
        rc = PL_EXIT_ERROR;
    }
    pl_table_release(t);
    return rc;
}
