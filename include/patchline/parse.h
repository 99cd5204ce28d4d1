/*
 * parse.h - strict number parsing and small string helpers.
 *
 * Depends on libc and error.h. Pure functions, thread-safe.
 */
#ifndef PATCHLINE_PARSE_H
#define PATCHLINE_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "patchline/error.h"

/* Parse a whole decimal integer (optional sign, no blanks, no trailing text). */
PL_NODISCARD pl_status pl_parse_i64(const char *s, int64_t *out, struct pl_error *err);

/* Parse a whole finite decimal number ("7.5", "-0.1", "1e3"). */
PL_NODISCARD pl_status pl_parse_double(const char *s, double *out, struct pl_error *err);

/* True when s starts with prefix. */
bool pl_starts_with(const char *s, const char *prefix);

/* Compare ASCII strings case-insensitively (no locale). */
int pl_strcasecmp(const char *a, const char *b);

/* True when the n bytes of s are valid UTF-8 without NUL bytes. */
bool pl_utf8_valid(const char *s, size_t n);

#endif /* PATCHLINE_PARSE_H */
