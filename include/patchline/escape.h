/*
 * escape.h - escaping text from imported data for each output target.
 *
 * Text that comes from input (hostnames, tags, banners, package names) is
 * data everywhere: every renderer passes it through one of these. Each
 * appends to a pl_buf (sticky errors apply). Pure, thread-safe.
 */
#ifndef PATCHLINE_ESCAPE_H
#define PATCHLINE_ESCAPE_H

#include <stddef.h>

#include "patchline/buf.h"

/* JSON string contents (without the quotes): ", \, control characters; invalid UTF-8 bytes become
 * U+FFFD. */
void pl_escape_json(struct pl_buf *b, const char *s);

/* A JSON string with its quotes. */
void pl_escape_json_quoted(struct pl_buf *b, const char *s);

/*
 * One CSV field per RFC 4180: quoted when it holds a comma, quote, CR or LF;
 * a field starting with = + - @ (or TAB/CR) is prefixed with ' so that
 * spreadsheets do not run it as a formula.
 */
void pl_escape_csv(struct pl_buf *b, const char *s);

/* Terminal-safe text: control characters (C0, DEL, C1 as UTF-8) become \xNN; invalid UTF-8 bytes
 * become \xNN. */
void pl_escape_terminal(struct pl_buf *b, const char *s);

/* HTML/SVG text and attribute values: & < > " ' escaped; control characters dropped. */
void pl_escape_html(struct pl_buf *b, const char *s);

/* Number of terminal columns pl_escape_terminal(s) takes (one per code point). */
size_t pl_display_width(const char *s);

/*
 * Listings: one row of cells, rendered for a person (the CLI's table), as
 * CSV or as one JSON object. A cell is text or NULL (no value); its column
 * type says how JSON writes it.
 */
enum pl_cell_type {
    PL_CELL_TEXT,
    PL_CELL_INT, /* unquoted when the cell is a number */
    PL_CELL_NUM,
    PL_CELL_BOOL, /* cells "true"/"false", unquoted */
};

/*
 * One row as a JSON object {"name": value, ...} (", " and ": " between
 * members), the same for `--format json` listings and the API.
 */
void pl_json_row(struct pl_buf *b, const char *const *names, const enum pl_cell_type *types,
                 const char *const *cells, size_t n);

#endif /* PATCHLINE_ESCAPE_H */
