/*
 * cron.c - parse five-field (Vixie) cron, AWS cron(...) and rate(...)
 * expressions into a struct pl_cron of bit sets.
 *
 * Every error names the field and the offending token:
 *   cron: field 'day-of-week': '8' out of range 0-7
 */
#include "patchline/cron.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "patchline/parse.h"

enum field_id { F_MIN, F_HOUR, F_MDAY, F_MON, F_WDAY, F_YEAR };

struct field_spec {
    enum field_id id;
    const char *name;
    int min, max;
};

struct field_ctx {
    const struct field_spec *fs;
    bool aws;
    uint64_t bits[4]; /* bit v - min */
    struct pl_cron *c;
    struct pl_error *err;
};

static const char *const month_names[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                          "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
static const char *const day_names[] = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

static const struct field_spec vixie_fields[] = {
    {F_MIN, "minute", 0, 59}, {F_HOUR, "hour", 0, 23},       {F_MDAY, "day-of-month", 1, 31},
    {F_MON, "month", 1, 12},  {F_WDAY, "day-of-week", 0, 7},
};

static const struct field_spec aws_fields[] = {
    {F_MIN, "minute", 0, 59},        {F_HOUR, "hour", 0, 23},
    {F_MDAY, "day-of-month", 1, 31}, {F_MON, "month", 1, 12},
    {F_WDAY, "day-of-week", 1, 7},   {F_YEAR, "year", PL_CRON_YEAR_MIN, PL_CRON_YEAR_MAX},
};

/* "cron: field 'NAME': 'TOKEN' WHAT"; tok is s[0..n), shown up to 40 bytes. */
static pl_status field_err(struct field_ctx *f, const char *s, size_t n, const char *fmt, ...)
    PL_PRINTF(4, 5);

static pl_status field_err(struct field_ctx *f, const char *s, size_t n, const char *fmt, ...)
{
    char what[128], tok[41];
    va_list ap;
    size_t k;

    va_start(ap, fmt);
    (void)vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    /* Show the token as printable ASCII: control and non-ASCII bytes become '?'. */
    for (k = 0; k < n && k + 1 < sizeof(tok); k++) {
        bool printable = (unsigned char)s[k] >= 0x20 && (unsigned char)s[k] <= 0x7e;

        tok[k] = s[k];
        if (!printable)
            tok[k] = '?';
    }
    tok[k] = '\0';
    return pl_error_set(f->err, PL_E_PARSE, "cron: field '%s': '%s' %s", f->fs->name, tok, what);
}

static bool all_digits(const char *s, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

/* A number or (month, day-of-week) a name, in s[0..n); range-checked. */
static pl_status parse_value(struct field_ctx *f, const char *s, size_t n, int lo, int hi, int *out)
{
    char tok[4];

    if (all_digits(s, n)) {
        int v = 0;

        for (size_t i = 0; i < n && i < 6; i++)
            v = v * 10 + (s[i] - '0');
        if (n > 6 || v < lo || v > hi)
            return field_err(f, s, n, "out of range %d-%d", lo, hi);
        *out = v;
        return PL_OK;
    }
    if (n == 3 && (f->fs->id == F_MON || f->fs->id == F_WDAY)) {
        const char *const *names = f->fs->id == F_MON ? month_names : day_names;
        int count = f->fs->id == F_MON ? 12 : 7, base = f->fs->id == F_MON ? 1 : f->fs->min;

        memcpy(tok, s, 3);
        tok[3] = '\0';
        for (int i = 0; i < count; i++)
            if (pl_strcasecmp(tok, names[i]) == 0) {
                *out = i + base;
                return PL_OK;
            }
        return field_err(f, s, n, "is not a %s name", f->fs->id == F_MON ? "month" : "day");
    }
    return field_err(f, s, n, "is not a number");
}

/* The step after '/': 1 up to the size of the field's range. */
static pl_status parse_step(struct field_ctx *f, const char *s, size_t n, int *out)
{
    int hi = f->fs->max - f->fs->min + 1, v = 0;

    if (!all_digits(s, n))
        return field_err(f, s, n, "is not a number");
    for (size_t i = 0; i < n && i < 6; i++)
        v = v * 10 + (s[i] - '0');
    if (n > 6 || v < 1 || v > hi)
        return pl_error_set(f->err, PL_E_PARSE, "cron: field '%s': step '%.*s' out of range 1-%d",
                            f->fs->name, (int)(n < 40 ? n : 40), s, hi);
    *out = v;
    return PL_OK;
}

static void set_bit(uint64_t bits[4], int i)
{
    bits[i / 64] |= (uint64_t)1 << (i % 64);
}

/* Day-of-week in the field's numbering -> 0 (Sunday) to 6. */
static int wday_of(const struct field_ctx *f, int v)
{
    return f->aws ? v - 1 : v % 7;
}

/* L, LW, dW in day-of-month; wL, w#k, L in day-of-week. PL_E_NOTFOUND: not special. */
static pl_status parse_special(struct field_ctx *f, const char *s, size_t n)
{
    const char *hash = memchr(s, '#', n);
    int v, k;
    pl_status rc;

    if (f->fs->id == F_MDAY) {
        if (n == 1 && (s[0] == 'L' || s[0] == 'l'))
            f->c->mday_last = true;
        else if (n == 2 && (s[0] == 'L' || s[0] == 'l') && (s[1] == 'W' || s[1] == 'w'))
            f->c->mday_lw = true;
        else if (n > 1 && (s[n - 1] == 'W' || s[n - 1] == 'w')) {
            if ((rc = parse_value(f, s, n - 1, 1, 31, &v)) != PL_OK)
                return rc;
            f->c->wdays_w |= (uint32_t)1 << v;
        } else
            return PL_E_NOTFOUND;
        return PL_OK;
    }
    if (f->fs->id != F_WDAY)
        return PL_E_NOTFOUND;
    if (hash) {
        if ((rc = parse_value(f, s, (size_t)(hash - s), f->fs->min, f->fs->max, &v)) != PL_OK ||
            (rc = parse_value(f, hash + 1, n - (size_t)(hash - s) - 1, 1, 5, &k)) != PL_OK)
            return rc;
        f->c->nth[wday_of(f, v)] |= (uint8_t)(1u << k);
        return PL_OK;
    }
    if (n == 1 && f->aws && (s[0] == 'L' || s[0] == 'l')) {
        set_bit(f->bits, 7 - f->fs->min); /* L alone: the last day of the week, Saturday */
        return PL_OK;
    }
    if (n > 1 && (s[n - 1] == 'L' || s[n - 1] == 'l')) {
        if ((rc = parse_value(f, s, n - 1, f->fs->min, f->fs->max, &v)) != PL_OK)
            return rc;
        f->c->wdays_l |= (uint8_t)(1u << wday_of(f, v));
        return PL_OK;
    }
    return PL_E_NOTFOUND;
}

/* One list element: *, v, a-b, with an optional /step; or a special form. */
static pl_status parse_elem(struct field_ctx *f, const char *s, size_t n)
{
    const char *slash = memchr(s, '/', n), *dash;
    size_t head = slash ? (size_t)(slash - s) : n;
    int lo = f->fs->min, hi = f->fs->max, step = 1;
    pl_status rc;

    if (!slash && (rc = parse_special(f, s, n)) != PL_E_NOTFOUND)
        return rc;
    if (slash && (rc = parse_step(f, slash + 1, n - head - 1, &step)) != PL_OK)
        return rc;
    if (!(head == 1 && s[0] == '*')) {
        dash = memchr(s, '-', head);
        if ((rc = parse_value(f, s, dash ? (size_t)(dash - s) : head, f->fs->min, f->fs->max,
                              &lo)) != PL_OK)
            return rc;
        if (dash && (rc = parse_value(f, dash + 1, head - (size_t)(dash - s) - 1, f->fs->min,
                                      f->fs->max, &hi)) != PL_OK)
            return rc;
        if (!dash && !slash)
            hi = lo;
        if (hi < lo)
            return field_err(f, s, head, "is a backwards range");
    }
    for (int v = lo; v <= hi; v += step)
        set_bit(f->bits, v - f->fs->min);
    return PL_OK;
}

static bool test_bit(const uint64_t bits[4], int i)
{
    return (bits[i / 64] >> (i % 64)) & 1;
}

/* Move the parsed bit set into the struct field it belongs to. */
static void store_field(struct field_ctx *f)
{
    struct pl_cron *c = f->c;

    for (int v = f->fs->min; v <= f->fs->max; v++) {
        if (!test_bit(f->bits, v - f->fs->min))
            continue;
        switch (f->fs->id) {
        case F_MIN:
            c->minutes |= (uint64_t)1 << v;
            break;
        case F_HOUR:
            c->hours |= (uint32_t)1 << v;
            break;
        case F_MDAY:
            c->mdays |= (uint32_t)1 << v;
            break;
        case F_MON:
            c->months |= (uint16_t)(1u << v);
            break;
        case F_WDAY:
            c->wdays |= (uint8_t)(1u << wday_of(f, v));
            break;
        case F_YEAR:
            set_bit(c->years, v - PL_CRON_YEAR_MIN);
            break;
        }
    }
}

static pl_status parse_field(const struct field_spec *fs, bool aws, const char *s, size_t n,
                             struct pl_cron *c, struct pl_error *err)
{
    struct field_ctx f = {fs, aws, {0, 0, 0, 0}, c, err};
    size_t start = 0;
    pl_status rc;

    if (n == 1 && s[0] == '?') {
        if (!aws || (fs->id != F_MDAY && fs->id != F_WDAY))
            return field_err(&f, s, n, "is only allowed in day-of-month or day-of-week of cron()");
        for (int v = fs->min; v <= fs->max; v++)
            set_bit(f.bits, v - fs->min);
        store_field(&f);
        return PL_OK;
    }
    for (size_t i = 0; i <= n; i++) {
        if (i < n && s[i] != ',')
            continue;
        if (i == start)
            return field_err(&f, s, n, "has an empty list element");
        if ((rc = parse_elem(&f, s + start, i - start)) != PL_OK)
            return rc;
        start = i + 1;
    }
    store_field(&f);
    return PL_OK;
}

static pl_status parse_rate(const char *s, size_t n, struct pl_cron *c, struct pl_error *err)
{
    static const struct {
        const char *one, *many;
        int64_t secs;
    } units[] = {{"minute", "minutes", 60}, {"hour", "hours", 3600}, {"day", "days", 86400}};
    char text[PL_MAX_CRON_BYTES], *sp;
    int64_t v;

    (void)snprintf(text, sizeof(text), "%.*s", (int)n, s);
    sp = strchr(text, ' ');
    if (!sp)
        return pl_error_set(err, PL_E_PARSE, "rate: want 'rate(N unit)', not 'rate(%.40s)'", text);
    *sp++ = '\0';
    while (*sp == ' ')
        sp++;
    if (!all_digits(text, strlen(text)) || strlen(text) > 6 ||
        pl_parse_i64(text, &v, NULL) != PL_OK || v < 1 || v > 100000)
        return pl_error_set(err, PL_E_PARSE, "rate: value '%.40s' out of range 1-100000", text);
    for (size_t i = 0; i < PL_ARRAY_LEN(units); i++) {
        if (strcmp(sp, units[i].one) == 0 || strcmp(sp, units[i].many) == 0) {
            c->kind = PL_CRON_RATE;
            c->rate_secs = v * units[i].secs;
            return PL_OK;
        }
    }
    return pl_error_set(err, PL_E_PARSE, "rate: unit '%.40s' is not minute(s), hour(s) or day(s)",
                        sp);
}

/* Split s[0..n) on blanks into at most max fields; returns the count (max + 1: too many). */
static size_t split_fields(const char *s, size_t n, const char *start[], size_t len[], size_t max)
{
    size_t count = 0, i = 0;

    while (i < n) {
        while (i < n && (s[i] == ' ' || s[i] == '\t'))
            i++;
        if (i == n)
            break;
        if (count == max)
            return max + 1;
        start[count] = s + i;
        while (i < n && s[i] != ' ' && s[i] != '\t')
            i++;
        len[count] = (size_t)(s + i - start[count]);
        count++;
    }
    return count;
}

static const char *macro(const char *s)
{
    static const char *const map[][2] = {
        {"@yearly", "0 0 1 1 *"}, {"@annually", "0 0 1 1 *"}, {"@monthly", "0 0 1 * *"},
        {"@weekly", "0 0 * * 0"}, {"@daily", "0 0 * * *"},    {"@midnight", "0 0 * * *"},
        {"@hourly", "0 * * * *"},
    };

    for (size_t i = 0; i < PL_ARRAY_LEN(map); i++)
        if (strcmp(s, map[i][0]) == 0)
            return map[i][1];
    return s;
}

static pl_status parse_fields(const char *s, size_t n, bool aws, struct pl_cron *c,
                              struct pl_error *err)
{
    const struct field_spec *specs = aws ? aws_fields : vixie_fields;
    size_t want = aws ? 6 : 5, len[6], got;
    const char *start[6];
    pl_status rc;

    got = split_fields(s, n, start, len, want);
    if (got != want)
        return pl_error_set(err, PL_E_PARSE,
                            aws ? "cron: cron() wants 6 fields (minute hour day-of-month month "
                                  "day-of-week year), got %s%zu"
                                : "cron: want 5 fields (minute hour day-of-month month "
                                  "day-of-week), got %s%zu",
                            got > want ? "more than " : "", got > want ? want : got);
    for (size_t i = 0; i < want; i++)
        if ((rc = parse_field(&specs[i], aws, start[i], len[i], c, err)) != PL_OK)
            return rc;
    c->fixed_time = start[0][0] != '*' && start[1][0] != '*';
    c->mday_star = start[2][0] == '*' || start[2][0] == '?';
    c->wday_star = start[4][0] == '*' || start[4][0] == '?';
    if (aws && (len[2] == 1 && start[2][0] == '?') == (len[4] == 1 && start[4][0] == '?'))
        return pl_error_set(err, PL_E_PARSE,
                            "cron: fields 'day-of-month' and 'day-of-week': exactly one must be "
                            "'?' in cron()");
    return PL_OK;
}

pl_status pl_cron_parse(const char *expr, struct pl_cron *out, struct pl_error *err)
{
    size_t n = strlen(expr);
    const char *s = expr;

    memset(out, 0, sizeof(*out));
    if (n >= PL_MAX_CRON_BYTES)
        return pl_error_set(err, PL_E_TOOBIG, "cron: expression longer than %d bytes",
                            PL_MAX_CRON_BYTES - 1);
    while (n > 0 && (*s == ' ' || *s == '\t'))
        s++, n--;
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (n > 6 && strncmp(s, "rate(", 5) == 0 && s[n - 1] == ')')
        return parse_rate(s + 5, n - 6, out, err);
    if (n > 6 && strncmp(s, "cron(", 5) == 0 && s[n - 1] == ')') {
        out->kind = PL_CRON_AWS;
        return parse_fields(s + 5, n - 6, true, out, err);
    }
    if (n > 0 && s[0] == '@') {
        char tmp[16];

        (void)snprintf(tmp, sizeof(tmp), "%.*s", (int)(n < 15 ? n : 15), s);
        if (macro(tmp) == tmp)
            return pl_error_set(err, PL_E_PARSE, "cron: unknown macro '%.40s'", s);
        s = macro(tmp);
        n = strlen(s);
    }
    out->kind = PL_CRON_VIXIE;
    return parse_fields(s, n, false, out, err);
}
