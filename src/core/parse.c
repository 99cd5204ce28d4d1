/*
 * parse.c - strict number parsing and small string helpers.
 */
#include "patchline/parse.h"

#include <arpa/inet.h>
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

size_t pl_utf8_seq(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    unsigned c, cp;
    size_t k;

    if (n == 0 || (c = p[0]) == 0)
        return 0;
    if (c < 0x80)
        return 1;
    if ((c & 0xe0) == 0xc0)
        k = 2, cp = c & 0x1f;
    else if ((c & 0xf0) == 0xe0)
        k = 3, cp = c & 0x0f;
    else if ((c & 0xf8) == 0xf0)
        k = 4, cp = c & 0x07;
    else
        return 0;
    if (k > n)
        return 0;
    for (size_t i = 1; i < k; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (p[i] & 0x3f);
    }
    if ((k == 2 && cp < 0x80) || (k == 3 && cp < 0x800) || (k == 4 && cp < 0x10000) ||
        cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return k;
}

bool pl_utf8_valid(const char *s, size_t n)
{
    while (n) {
        size_t k = pl_utf8_seq(s, n);

        if (k == 0)
            return false;
        s += k;
        n -= k;
    }
    return true;
}

bool pl_is_loopback_address(const char *host)
{
    struct in_addr a4;
    struct in6_addr a6;
    char bare[INET6_ADDRSTRLEN + 1];
    size_t n = strlen(host);

    if (inet_pton(AF_INET, host, &a4) == 1)
        return (ntohl(a4.s_addr) >> 24) == 127;
    if (n > 2 && host[0] == '[' && host[n - 1] == ']' && n - 2 < sizeof(bare)) {
        memcpy(bare, host + 1, n - 2);
        bare[n - 2] = '\0';
        host = bare;
    }
    return inet_pton(AF_INET6, host, &a6) == 1 && IN6_IS_ADDR_LOOPBACK(&a6);
}
