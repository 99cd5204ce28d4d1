/*
 * cvss.c - CVSS vector dispatch: version detection, the shared field parser,
 * severity bands and the rounding rules of each specification version.
 */
#include "patchline/cvss.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cvss_int.h"

/* Longest metric or value text quoted in an error message. */
#define FIELD_QUOTE_MAX 24

static int find_metric(const struct pl_cvss_metric *defs, size_t n, const char *s, size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(defs[i].name) == len && memcmp(defs[i].name, s, len) == 0)
            return (int)i;
    return -1;
}

static int find_value(const struct pl_cvss_metric *m, const char *s, size_t len)
{
    for (int i = 0; i < m->n_values; i++)
        if (strlen(m->values[i]) == len && memcmp(m->values[i], s, len) == 0)
            return i;
    return -1;
}

/* Parse one "METRIC:VALUE" field of len bytes into vals; *last is the previous index. */
static pl_status parse_field(const char *label, const char *f, size_t len,
                             const struct pl_cvss_metric *defs, size_t n_defs, bool ordered,
                             signed char *vals, int *last, struct pl_error *err)
{
    const char *colon = memchr(f, ':', len);
    size_t nlen;
    int mi, vi;

    if (!colon)
        return pl_error_set(err, PL_E_PARSE, "%s: malformed field '%.*s' (want METRIC:VALUE)",
                            label, (int)(len < FIELD_QUOTE_MAX ? len : FIELD_QUOTE_MAX), f);
    nlen = (size_t)(colon - f);
    mi = find_metric(defs, n_defs, f, nlen);
    if (mi < 0)
        return pl_error_set(err, PL_E_PARSE, "%s: unknown metric '%.*s'", label,
                            (int)(nlen < FIELD_QUOTE_MAX ? nlen : FIELD_QUOTE_MAX), f);
    if (vals[mi] >= 0)
        return pl_error_set(err, PL_E_PARSE, "%s: duplicate metric '%s'", label, defs[mi].name);
    if (ordered && mi < *last)
        return pl_error_set(err, PL_E_PARSE, "%s: metric '%s' out of order (after '%s')", label,
                            defs[mi].name, defs[*last].name);
    vi = find_value(&defs[mi], colon + 1, len - nlen - 1);
    if (vi < 0)
        return pl_error_set(
            err, PL_E_PARSE, "%s: invalid value '%.*s' for metric '%s'", label,
            (int)(len - nlen - 1 < FIELD_QUOTE_MAX ? len - nlen - 1 : FIELD_QUOTE_MAX), colon + 1,
            defs[mi].name);
    vals[mi] = (signed char)vi;
    *last = mi;
    return PL_OK;
}

pl_status pl__core_cvss_parse_fields(const char *label, const char *body, size_t len,
                                     const struct pl_cvss_metric *defs, size_t n_defs, bool ordered,
                                     signed char *vals, struct pl_error *err)
{
    size_t pos = 0;
    int last = 0;

    for (size_t i = 0; i < n_defs; i++)
        vals[i] = -1;
    if (len == 0)
        return pl_error_set(err, PL_E_PARSE, "%s: no metrics", label);
    while (pos <= len) {
        const char *f = body + pos;
        const char *slash = memchr(f, '/', len - pos);
        size_t flen = slash ? (size_t)(slash - f) : len - pos;

        if (flen == 0)
            return pl_error_set(err, PL_E_PARSE,
                                pos == len ? "%s: trailing '/'" : "%s: empty field (\"//\")",
                                label);
        pl_status st = parse_field(label, f, flen, defs, n_defs, ordered, vals, &last, err);

        if (st != PL_OK)
            return st;
        pos += flen + 1;
    }
    for (size_t i = 0; i < n_defs; i++)
        if (defs[i].group == PL_CVSS_G_BASE && vals[i] < 0)
            return pl_error_set(err, PL_E_PARSE, "%s: missing mandatory metric '%s'", label,
                                defs[i].name);
    return PL_OK;
}

double pl__core_cvss_round1_half_up(double x)
{
    /*
     * CVSS v2 guide §3.2 round_to_1_decimal, and the v4.0 final rounding: half
     * up at one decimal, on x in units of 1e-9 so that float noise such as
     * 5.8 - 0.75 = 5.0499999999999998 does not turn a half into a floor.
     */
    int64_t n = (int64_t)llround(x * 1e9);
    int64_t tenths = (n + 50000000) / 100000000; /* floor after adding a half */

    return (double)tenths / 10.0;
}

double pl__core_cvss_ceil1(double x)
{
    /* CVSS v3.0 §7.1: Round up is the smallest one-decimal number >= x */
    int64_t n = (int64_t)llround(x * 1e9);
    int64_t tenths = (n + 99999999) / 100000000; /* ceiling */

    return (double)tenths / 10.0;
}

/* The versioned prefixes: "CVSS:3.0" and so on, followed by '/' and the metrics. */
static const struct {
    const char *prefix;
    enum pl_cvss_version version;
} prefixes[] = {
    {"CVSS:3.0", PL_CVSS_V30},
    {"CVSS:3.1", PL_CVSS_V31},
    {"CVSS:4.0", PL_CVSS_V40},
};

static pl_status score_prefixed(const char *vector, size_t len, struct pl_cvss_score *out,
                                struct pl_error *err)
{
    const char *slash = memchr(vector, '/', len);
    size_t plen = slash ? (size_t)(slash - vector) : len;

    for (size_t i = 0; i < PL_ARRAY_LEN(prefixes); i++) {
        if (plen != 8 || memcmp(vector, prefixes[i].prefix, 8) != 0)
            continue;
        if (!slash) /* "CVSS:3.1" alone */
            return pl_error_set(err, PL_E_PARSE, "cvss %s: no metrics",
                                pl_cvss_version_name(prefixes[i].version));
        if (prefixes[i].version == PL_CVSS_V40)
            return pl__core_cvss_v4_score(slash + 1, len - plen - 1, out, err);
        return pl__core_cvss_v3_score(prefixes[i].version, slash + 1, len - plen - 1, out, err);
    }
    return pl_error_set(err, PL_E_PARSE,
                        "unsupported cvss version prefix '%.*s' (want CVSS:3.0, CVSS:3.1 or "
                        "CVSS:4.0, or a v2 vector without prefix)",
                        (int)(plen < FIELD_QUOTE_MAX ? plen : FIELD_QUOTE_MAX), vector);
}

static pl_status dispatch(const char *vector, size_t len, struct pl_cvss_score *out,
                          struct pl_error *err)
{
    /* "cvss:3.1/..." is a v3 vector with a wrong prefix, not a v2 vector */
    if (len >= 5 && (vector[0] | 0x20) == 'c' && (vector[1] | 0x20) == 'v' &&
        (vector[2] | 0x20) == 's' && (vector[3] | 0x20) == 's' && vector[4] == ':')
        return score_prefixed(vector, len, out, err);
    if (len >= 2 && vector[0] == '(' && vector[len - 1] == ')')
        return pl__core_cvss_v2_score(vector + 1, len - 2, out, err);
    if (vector[0] == '(' || vector[len - 1] == ')')
        return pl_error_set(err, PL_E_PARSE, "cvss 2.0: unbalanced parentheses");
    return pl__core_cvss_v2_score(vector, len, out, err);
}

pl_status pl_cvss_score(const char *vector, struct pl_cvss_score *out, struct pl_error *err)
{
    const char *nul;
    pl_status st;

    memset(out, 0, sizeof(*out));
    if (!vector)
        return pl_error_set(err, PL_E_INVALID, "no cvss vector");
    nul = memchr(vector, '\0', PL_MAX_CVSS_VECTOR_BYTES + 1);
    if (!nul)
        return pl_error_set(err, PL_E_TOOBIG, "cvss vector longer than %d bytes",
                            PL_MAX_CVSS_VECTOR_BYTES);
    if (nul == vector)
        return pl_error_set(err, PL_E_PARSE, "empty cvss vector");
    for (const char *p = vector; p < nul; p++)
        if (*p < 0x21 || *p > 0x7e)
            return pl_error_set(err, PL_E_PARSE,
                                "cvss vector has byte 0x%02x at offset %zu (want printable ASCII)",
                                (unsigned)(unsigned char)*p, (size_t)(p - vector));
    st = dispatch(vector, (size_t)(nul - vector), out, err);
    if (st != PL_OK)
        memset(out, 0, sizeof(*out));
    return st;
}

const char *pl_cvss_severity(double score)
{
    /* CVSS v3.1 §5 / v4.0 §6: qualitative severity rating scale */
    if (score < 0.05)
        return "None";
    if (score < 3.95)
        return "Low";
    if (score < 6.95)
        return "Medium";
    if (score < 8.95)
        return "High";
    return "Critical";
}

const char *pl_cvss_severity_v2(double score)
{
    /* NVD CVSS v2 bands: Low 0.0-3.9, Medium 4.0-6.9, High 7.0-10.0 */
    if (score < 3.95)
        return "Low";
    if (score < 6.95)
        return "Medium";
    return "High";
}

const char *pl_cvss_version_name(enum pl_cvss_version v)
{
    switch (v) {
    case PL_CVSS_V2:
        return "2.0";
    case PL_CVSS_V30:
        return "3.0";
    case PL_CVSS_V31:
        return "3.1";
    case PL_CVSS_V40:
        return "4.0";
    }
    return "?";
}
