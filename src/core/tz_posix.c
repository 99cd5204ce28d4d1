/*
 * tz_posix.c - POSIX TZ strings ("EST5EDT,M3.2.0,M11.1.0"), the rule a TZif
 * footer gives for instants after the zone's transition table.
 *
 * Grammar (POSIX.1-2017 8.3 with the TZif version 3 extensions):
 *   std offset [dst [offset] [,start[/time],end[/time]]]
 * where a name is 3+ letters or <[A-Za-z0-9+-]{3,}>, an offset is
 * [+-]hh[:mm[:ss]] west of Greenwich, a date is Jn, n or Mm.w.d, and a
 * rule time is [+-]hh[:mm[:ss]] with hh up to 167.
 */
#include <string.h>

#include "patchline/tz.h"

struct cursor {
    const char *s; /* the whole string, for messages */
    const char *p;
    struct pl_error *err;
};

static pl_status bad(struct cursor *c, const char *what)
{
    return pl_error_set(c->err, PL_E_PARSE, "tz rule '%.64s': %s at offset %d", c->s, what,
                        (int)(c->p - c->s));
}

static bool is_alpha(char ch)
{
    return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z');
}

static bool is_digit(char ch)
{
    return ch >= '0' && ch <= '9';
}

static pl_status parse_name(struct cursor *c, char out[PL_TZ_ABBR_BYTES])
{
    size_t n = 0;

    if (*c->p == '<') {
        c->p++;
        while (is_alpha(*c->p) || is_digit(*c->p) || *c->p == '+' || *c->p == '-') {
            if (n + 1 >= PL_TZ_ABBR_BYTES)
                return bad(c, "abbreviation too long");
            out[n++] = *c->p++;
        }
        if (*c->p != '>')
            return bad(c, "unterminated '<' abbreviation");
        c->p++;
    } else {
        while (is_alpha(*c->p)) {
            if (n + 1 >= PL_TZ_ABBR_BYTES)
                return bad(c, "abbreviation too long");
            out[n++] = *c->p++;
        }
    }
    out[n] = '\0';
    if (n < 3)
        return bad(c, "abbreviation shorter than 3 characters");
    return PL_OK;
}

/* [+-]hh[:mm[:ss]] with hh <= max_h; stores signed seconds. */
static pl_status parse_hms(struct cursor *c, int max_h, int32_t *out)
{
    int sign = 1, parts[3] = {0, 0, 0};

    if (*c->p == '+' || *c->p == '-')
        sign = *c->p++ == '-' ? -1 : 1;
    for (int i = 0; i < 3; i++) {
        int digits = 0, v = 0;

        if (i > 0) {
            if (*c->p != ':')
                break;
            c->p++;
        }
        while (is_digit(*c->p) && digits < 3) {
            v = v * 10 + (*c->p++ - '0');
            digits++;
        }
        if (digits == 0 || (i > 0 && (digits != 2 || v > 59)) || (i == 0 && v > max_h))
            return bad(c, "bad time or offset");
        parts[i] = v;
    }
    *out = (int32_t)(sign * (parts[0] * 3600 + parts[1] * 60 + parts[2]));
    return PL_OK;
}

static pl_status parse_num(struct cursor *c, int lo, int hi, int *out)
{
    int v = 0, digits = 0;

    while (is_digit(*c->p) && digits < 4) {
        v = v * 10 + (*c->p++ - '0');
        digits++;
    }
    if (digits == 0 || v < lo || v > hi)
        return bad(c, "bad rule date");
    *out = v;
    return PL_OK;
}

static pl_status parse_date(struct cursor *c, struct pl_tz_rule_date *d)
{
    pl_status rc;

    memset(d, 0, sizeof(*d));
    d->secs = 2 * 3600;
    if (*c->p == 'J') {
        c->p++;
        d->kind = 'J';
        rc = parse_num(c, 1, 365, &d->n);
    } else if (*c->p == 'M') {
        c->p++;
        d->kind = 'M';
        rc = parse_num(c, 1, 12, &d->mon);
        if (rc == PL_OK && *c->p++ != '.')
            return bad(c, "expected '.' in Mm.w.d");
        if (rc == PL_OK)
            rc = parse_num(c, 1, 5, &d->week);
        if (rc == PL_OK && *c->p++ != '.')
            return bad(c, "expected '.' in Mm.w.d");
        if (rc == PL_OK)
            rc = parse_num(c, 0, 6, &d->wday);
    } else {
        d->kind = 'N';
        rc = parse_num(c, 0, 365, &d->n);
    }
    if (rc == PL_OK && *c->p == '/') {
        c->p++;
        rc = parse_hms(c, 167, &d->secs);
    }
    return rc;
}

static pl_status parse_rules(struct cursor *c, struct pl_tz_posix *out)
{
    pl_status rc;

    if (*c->p == '\0') {
        /* No rules: the US rules, as the reference implementation assumes. */
        out->start = (struct pl_tz_rule_date){'M', 0, 3, 2, 0, 2 * 3600};
        out->end = (struct pl_tz_rule_date){'M', 0, 11, 1, 0, 2 * 3600};
        return PL_OK;
    }
    if (*c->p++ != ',')
        return bad(c, "expected ',' before the start rule");
    if ((rc = parse_date(c, &out->start)) != PL_OK)
        return rc;
    if (*c->p++ != ',')
        return bad(c, "expected ',' before the end rule");
    return parse_date(c, &out->end);
}

pl_status pl_tz_posix_parse(const char *s, struct pl_tz_posix *out, struct pl_error *err)
{
    struct cursor c = {s, s, err};
    int32_t off = 0;
    pl_status rc;

    memset(out, 0, sizeof(*out));
    if (strlen(s) >= PL_MAX_CRON_BYTES)
        return pl_error_set(err, PL_E_TOOBIG, "tz rule longer than %d bytes", PL_MAX_CRON_BYTES);
    if ((rc = parse_name(&c, out->std.abbr)) != PL_OK || (rc = parse_hms(&c, 24, &off)) != PL_OK)
        return rc;
    out->std.utoff = -off;
    if (*c.p == '\0')
        return PL_OK;
    out->has_dst = true;
    out->dst.is_dst = true;
    if ((rc = parse_name(&c, out->dst.abbr)) != PL_OK)
        return rc;
    out->dst.utoff = out->std.utoff + 3600;
    if (*c.p != ',' && *c.p != '\0') {
        if ((rc = parse_hms(&c, 24, &off)) != PL_OK)
            return rc;
        out->dst.utoff = -off;
    }
    if ((rc = parse_rules(&c, out)) != PL_OK)
        return rc;
    if (*c.p != '\0')
        return bad(&c, "unexpected text");
    return PL_OK;
}

static bool is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int64_t floor_div(int64_t a, int64_t b)
{
    return a >= 0 ? a / b : -((-a + b - 1) / b);
}

static unsigned month_days(int64_t y, unsigned m)
{
    static const unsigned days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* Local seconds at which rule date d falls in year y. */
static int64_t rule_local(const struct pl_tz_rule_date *d, int64_t y)
{
    int64_t day = pl_days_from_civil(y, 1, 1);

    if (d->kind == 'J') {
        day += d->n - 1 + (is_leap(y) && d->n >= 60 ? 1 : 0);
    } else if (d->kind == 'N') {
        day += d->n;
    } else {
        int64_t first = pl_days_from_civil(y, (unsigned)d->mon, 1);
        int wd1 = (int)(((first + 4) % 7 + 7) % 7); /* 1970-01-01 was a Thursday */
        int mday = 1 + (d->wday - wd1 + 7) % 7 + (d->week - 1) * 7;

        while (mday > (int)month_days(y, (unsigned)d->mon))
            mday -= 7;
        day = first + mday - 1;
    }
    return day * 86400 + d->secs;
}

static void year_changes(const struct pl_tz_posix *p, int64_t y, pl_time_t *start, pl_time_t *end)
{
    *start = rule_local(&p->start, y) - p->std.utoff;
    *end = rule_local(&p->end, y) - p->dst.utoff;
}

void pl_tz_posix_lookup(const struct pl_tz_posix *p, pl_time_t t, struct pl_tz_info *out)
{
    int64_t y, dummy_days;
    unsigned m, d;
    pl_time_t s, e;
    bool dst;

    if (!p->has_dst) {
        *out = p->std;
        return;
    }
    dummy_days = floor_div(t, 86400);
    pl_civil_from_days(dummy_days, &y, &m, &d);
    year_changes(p, y, &s, &e);
    dst = s < e ? (t >= s && t < e) : !(t >= e && t < s);
    *out = dst ? p->dst : p->std;
}

bool pl_tz_posix_next(const struct pl_tz_posix *p, pl_time_t t, pl_time_t *out)
{
    int64_t y;
    unsigned m, d;
    bool found = false;

    if (!p->has_dst)
        return false;
    pl_civil_from_days(floor_div(t, 86400), &y, &m, &d);
    for (int64_t yy = y - 1; yy <= y + 1; yy++) {
        pl_time_t ch[2];

        year_changes(p, yy, &ch[0], &ch[1]);
        for (int i = 0; i < 2; i++) {
            if (ch[i] > t && (!found || ch[i] < *out)) {
                *out = ch[i];
                found = true;
            }
        }
    }
    return found;
}
