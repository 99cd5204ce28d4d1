/*
 * json.h - streaming JSON input: large feeds are read record by record,
 * each record a small tree in an arena; never a tree of a whole large file.
 *
 * Built on yajl's event parser. Strings are validated as UTF-8. Trees are
 * read-only and live until the callback returns (records) or until the
 * stream call returns (the rest of the document).
 */
#ifndef PATCHLINE_JSON_H
#define PATCHLINE_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "patchline/error.h"
#include "patchline/file.h"

enum pl_json_type {
    PL_JSON_NULL,
    PL_JSON_BOOL,
    PL_JSON_NUMBER,
    PL_JSON_STRING,
    PL_JSON_ARRAY,
    PL_JSON_OBJECT,
};

/* One value. Plain struct: read its fields, never write them. */
struct pl_json {
    enum pl_json_type type;
    const char *key;             /* member name when inside an object, else NULL */
    const char *str;             /* string contents, number text, "true"/"false"/"null" */
    size_t len;                  /* bytes in str; children count for arrays and objects */
    const struct pl_json *child; /* first element / member */
    const struct pl_json *next;  /* next sibling */
    struct pl_json *last;        /* last element / member (internal use) */
};

/* Member `key` of an object (the first one if repeated); NULL if absent or v is no object. */
const struct pl_json *pl_json_get(const struct pl_json *v, const char *key);

/* Follow a dotted path of member names ("metrics.cvssMetricV31"); NULL when absent. */
const struct pl_json *pl_json_path(const struct pl_json *v, const char *path);

/* String contents, or NULL when v is not a string. */
const char *pl_json_string(const struct pl_json *v);

/* Member `key` as a string, or NULL when absent or not a string. */
const char *pl_json_get_string(const struct pl_json *v, const char *key);

/* Number value; false when v is not a number (or out of range for int64). */
bool pl_json_double(const struct pl_json *v, double *out);
bool pl_json_int(const struct pl_json *v, int64_t *out);

/* Name of a type ("object"), for error messages. */
const char *pl_json_type_name(enum pl_json_type t);

/*
 * Called for each record. `index` counts records from 0. Return PL_OK to go
 * on; any other status stops the parse and is returned by pl_json_stream
 * (fill err with a message naming the record and field).
 */
typedef pl_status (*pl_json_record_fn)(const struct pl_json *record, uint64_t index, void *data,
                                       struct pl_error *err);

struct pl_json_stream_opts {
    /*
     * Where the records are:
     *  - a dotted path of member names to an array ("vulnerabilities",
     *    "a.b"): each element of that array is one record;
     *  - "" : the top-level value is an array of records;
     *  - NULL with `lines` false: the whole document is one record;
     *  - `lines` true: JSON lines / concatenated values, each top-level value
     *    one record (records_path ignored).
     */
    const char *records_path;
    bool lines;
    /*
     * With `members` true, records_path names an OBJECT instead of an array
     * ("" for the top-level value): each member's value is one record, and
     * the member name is the record's `key` (a top-level object of source
     * packages, say). Ignored with `lines`.
     */
    bool members;
    size_t max_record; /* cap on one record's tree (default 64 MiB) */
    size_t max_rest;   /* cap on the rest of the document (default 16 MiB) */
    pl_json_record_fn on_record;
    /* Called once at the end with the document minus the records array (may be NULL). */
    pl_json_record_fn on_rest;
    void *data;
};

/*
 * Parse all of r. Errors: PL_E_PARSE (malformed JSON, invalid UTF-8, records
 * path not an array) with "FILE: byte N: ..." or "FILE: record K: ..." (K from 1);
 * PL_E_TOOBIG past a cap; whatever a callback returned.
 */
PL_NODISCARD pl_status pl_json_stream(struct pl_reader *r, const struct pl_json_stream_opts *opts,
                                      struct pl_error *err);

#endif /* PATCHLINE_JSON_H */
