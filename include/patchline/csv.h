/*
 * csv.h - RFC 4180 CSV input on the file front door (CMDB exports, EPSS,
 * Qualys and Jamf reports). Writing CSV is pl_escape_csv (escape.h).
 *
 * Accepted: quoted fields with doubled quotes, embedded commas and newlines
 * inside quotes, CRLF or LF line ends, a UTF-8 byte-order mark, a last line
 * without a line end. Blank lines are skipped. Refused with "FILE:LINE:
 * column 'X': what is wrong": a quote inside an unquoted field, text after
 * a closing quote, an unterminated quoted field, invalid UTF-8, a field, a
 * row or a field count over its cap. LINE is the line where the row starts.
 *
 * The first row is a header when opts->header is set: its names map to
 * column indexes case-insensitively (surrounding blanks ignored). Rows are
 * streamed: one row is in memory at a time. Not thread-safe per reader.
 */
#ifndef PATCHLINE_CSV_H
#define PATCHLINE_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "patchline/common.h"
#include "patchline/error.h"
#include "patchline/file.h"

/* A streaming CSV reader; opaque. */
struct pl_csv;

struct pl_csv_opts {
    char delim;        /* field separator (0: ',') */
    bool header;       /* the first row names the columns */
    size_t max_fields; /* fields in one row (0: PL_MAX_CSV_FIELDS) */
    size_t max_row;    /* bytes in one row (0: PL_MAX_CSV_ROW_BYTES) */
    size_t max_field;  /* bytes in one field (0: PL_MAX_CSV_FIELD_BYTES) */
};

/*
 * Start reading r (the caller keeps it and closes it after pl_csv_close).
 * With opts->header the header row is read now: an empty input is
 * PL_E_PARSE "FILE: no header row"; a duplicate or empty column name is
 * PL_E_PARSE. On success *out owns a reader.
 */
PL_NODISCARD pl_status pl_csv_open(struct pl_reader *r, const struct pl_csv_opts *opts,
                                   struct pl_csv **out, struct pl_error *err);

/* Free; NULL is a no-op. */
void pl_csv_close(struct pl_csv *c);

/* Read the next row; *eof is true (and the row empty) at the end of input. */
PL_NODISCARD pl_status pl_csv_next(struct pl_csv *c, bool *eof, struct pl_error *err);

/* Fields in the current row. */
size_t pl_csv_nfields(const struct pl_csv *c);

/* Field i of the current row, NUL-terminated (NULL past the last); borrowed until the next row. */
const char *pl_csv_field(const struct pl_csv *c, size_t i);

/* Index of header column `name` (case-insensitive), or -1. */
int pl_csv_column(const struct pl_csv *c, const char *name);

/* Number of header columns (0 without a header). */
size_t pl_csv_ncolumns(const struct pl_csv *c);

/* Name of header column i, or NULL. */
const char *pl_csv_column_name(const struct pl_csv *c, size_t i);

/* Field of the current row under header column `name`; NULL when no such column or field. */
const char *pl_csv_get(const struct pl_csv *c, const char *name);

/* Line where the current row starts (1-based). */
uint64_t pl_csv_line(const struct pl_csv *c);

/* The path of the input; borrowed. */
const char *pl_csv_path(const struct pl_csv *c);

/*
 * Set err to "FILE:LINE: column 'NAME': MESSAGE" for column i of the current
 * row (its header name, else its 1-based number) and return code.
 */
pl_status pl_csv_error(const struct pl_csv *c, size_t i, struct pl_error *err, pl_status code,
                       const char *fmt, ...) PL_PRINTF(5, 6);

#endif /* PATCHLINE_CSV_H */
