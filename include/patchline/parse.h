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

/*
 * The one UTF-8 validator. pl_utf8_seq: the length (1..4) of the valid
 * sequence at s within its n bytes, 0 when there is none (a NUL, a cut or
 * overlong form, a surrogate, a code point above U+10FFFF); on a
 * NUL-terminated string any n >= 4 is safe (the NUL ends a cut sequence).
 * pl_utf8_valid: the n bytes of s are valid UTF-8 without NUL bytes.
 */
size_t pl_utf8_seq(const char *s, size_t n);
bool pl_utf8_valid(const char *s, size_t n);

/*
 * Whether host, an address literal (an IPv6 one with or without its URL
 * brackets), is a loopback address: 127.0.0.0/8 or ::1. Names are not
 * resolved ("localhost" is false).
 */
bool pl_is_loopback_address(const char *host);

#endif /* PATCHLINE_PARSE_H */
