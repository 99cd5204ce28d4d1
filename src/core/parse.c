/*
 * parse.c - strict number parsing and small string helpers.
 */
#include "patchline/parse.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

pl_status pl_parse_i64(const char *s, int64_t *out, struct pl_error *err)
{
    char *end;
    long long v;

    if (s == NULL || *s == '\0')
        return pl_error_set(err, PL_E_PARSE, "empty number");
    if (*s == ' ' || *s == '\t' || *s == '\n')
        return pl_error_set(err, PL_E_PARSE, "invalid number '%.40s': leading blank", s);
    errno = 0;
    v = strtoll(s, &end, 10);
    if (errno == ERANGE)
        return pl_error_set(err, PL_E_PARSE, "invalid number '%.40s': out of range", s);
    if (end == s || *end != '\0')
        return pl_error_set(err, PL_E_PARSE, "invalid number '%.40s'", s);
    *out = (int64_t)v;
    return PL_OK;
}

pl_status pl_parse_double(const char *s, double *out, struct pl_error *err)
{
    char *end;
    double v;

    if (s == NULL || *s == '\0')
        return pl_error_set(err, PL_E_PARSE, "empty number");
    if (*s == ' ' || *s == '\t' || *s == '\n')
        return pl_error_set(err, PL_E_PARSE, "invalid number '%.40s': leading blank", s);
    errno = 0;
    v = strtod(s, &end);
    if (errno == ERANGE || !isfinite(v))
        return pl_error_set(err, PL_E_PARSE, "invalid number '%.40s': out of range", s);
    if (end == s || *end != '\0')
        return pl_error_set(err, PL_E_PARSE, "invalid number '%.40s'", s);
    *out = v;
    return PL_OK;
}

bool pl_starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

int pl_strcasecmp(const char *a, const char *b)
{
    for (;; a++, b++) {
        int ca = (unsigned char)*a, cb = (unsigned char)*b;

        if (ca >= 'A' && ca <= 'Z')
            ca += 'a' - 'A';
        if (cb >= 'A' && cb <= 'Z')
            cb += 'a' - 'A';
        if (ca != cb || ca == 0)
            return ca - cb;
    }
}

bool pl_utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s, *e = p + n;

    while (p < e) {
        unsigned c = *p++;
        int more;
        unsigned min;

        if (c == 0)
            return false;
        if (c < 0x80)
            continue;
        if ((c & 0xe0) == 0xc0) {
            more = 1;
            min = 0x80;
            c &= 0x1f;
        } else if ((c & 0xf0) == 0xe0) {
            more = 2;
            min = 0x800;
            c &= 0x0f;
        } else if ((c & 0xf8) == 0xf0) {
            more = 3;
            min = 0x10000;
            c &= 0x07;
        } else {
            return false;
        }
        if (e - p < more)
            return false;
        while (more--) {
            if ((*p & 0xc0) != 0x80)
                return false;
            c = (c << 6) | (*p++ & 0x3f);
        }
        if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
            return false;
    }
    return true;
}
