/*
 * clock.c - ISO 8601 parsing and formatting, durations, the settable clock.
 */
#include "patchline/clock.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static bool clock_is_set;
static pl_time_t clock_value;

/* Civil-date algorithms after H. Hinnant's public-domain derivation. */
int64_t pl_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    int64_t era, yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (int64_t)(m > 2 ? m - 3 : m + 9) + 2) / 5 + (int64_t)d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void pl_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    int64_t era, doe, yoe, doy, mp;

    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
    *m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static int days_in_month(int64_t y, unsigned m)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

    return m == 2 && leap ? 29 : mdays[m - 1];
}

/* Read exactly n digits at *p; -1 if not digits. */
static int digits(const char **p, int n)
{
    int v = 0;

    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)(*p)[i]))
            return -1;
        v = v * 10 + ((*p)[i] - '0');
    }
    *p += n;
    return v;
}

static pl_status bad_time(struct pl_error *err, const char *s, const char *why)
{
    return pl_error_set(err, PL_E_PARSE,
                        "invalid time '%.64s': %s (want ISO 8601, e.g. 2026-11-29T10:00:00Z)", s,
                        why);
}

/* Parse the optional "Z" / "+HH:MM" / "-HHMM" suffix into seconds east of UTC. */
static int parse_offset(const char **pp, int64_t *off)
{
    const char *p = *pp;
    int sign, hh, mm = 0;

    *off = 0;
    if (*p == '\0')
        return 0;
    if (*p == 'Z' || *p == 'z') {
        *pp = p + 1;
        return 0;
    }
    if (*p != '+' && *p != '-')
        return -1;
    sign = *p == '-' ? -1 : 1;
    p++;
    if ((hh = digits(&p, 2)) < 0 || hh > 23)
        return -1;
    if (*p == ':')
        p++;
    if (*p && (mm = digits(&p, 2)) < 0)
        return -1;
    if (mm > 59)
        return -1;
    *off = sign * ((int64_t)hh * 3600 + (int64_t)mm * 60);
    *pp = p;
    return 0;
}

pl_status pl_time_parse(const char *s, pl_time_t *out, struct pl_error *err)
{
    const char *p = s;
    int y, mo, d, hh = 0, mi = 0, ss = 0;
    int64_t off = 0, t;

    if (s == NULL || strlen(s) > 64)
        return bad_time(err, s ? s : "", "too long");
    if ((y = digits(&p, 4)) < 0 || *p++ != '-' || (mo = digits(&p, 2)) < 0 || *p++ != '-' ||
        (d = digits(&p, 2)) < 0)
        return bad_time(err, s, "date must be YYYY-MM-DD");
    if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, (unsigned)mo))
        return bad_time(err, s, "no such date");
    if (*p == 'T' || *p == 't' || *p == ' ') {
        p++;
        if ((hh = digits(&p, 2)) < 0 || *p++ != ':' || (mi = digits(&p, 2)) < 0)
            return bad_time(err, s, "time must be HH:MM[:SS]");
        if (*p == ':') {
            p++;
            if ((ss = digits(&p, 2)) < 0)
                return bad_time(err, s, "seconds must be two digits");
            if (*p == '.' || *p == ',') {
                p++;
                if (!isdigit((unsigned char)*p))
                    return bad_time(err, s, "empty fraction");
                while (isdigit((unsigned char)*p))
                    p++;
            }
        }
        if (hh > 23 || mi > 59 || ss > 60)
            return bad_time(err, s, "no such time of day");
        if (parse_offset(&p, &off) < 0)
            return bad_time(err, s, "bad UTC offset");
    }
    if (*p != '\0')
        return bad_time(err, s, "trailing characters");
    t = pl_days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + (int64_t)hh * 3600 +
        (int64_t)mi * 60 + (ss == 60 ? 59 : ss) - off;
    /* An offset can carry the instant out of the years pl_time_format writes. */
    if (t < pl_days_from_civil(0, 1, 1) * 86400 || t >= pl_days_from_civil(10000, 1, 1) * 86400)
        return bad_time(err, s, "outside the years 0000-9999 in UTC");
    *out = t;
    return PL_OK;
}

char *pl_time_format(pl_time_t t, char *buf)
{
    int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
    int64_t rem = t - days * 86400, y;
    unsigned m, d;
    int n;

    pl_civil_from_days(days, &y, &m, &d);
    if (y >= 0 && y <= 9999) { /* written by hand: listings format two per row */
        unsigned v[] = {
            (unsigned)y,         m, d, (unsigned)(rem / 3600), (unsigned)(rem / 60 % 60),
            (unsigned)(rem % 60)};
        static const char sep[] = "--T::"; /* before month, day, hour, minute, second */
        char *o = buf;

        *o++ = (char)('0' + v[0] / 1000), *o++ = (char)('0' + v[0] / 100 % 10);
        *o++ = (char)('0' + v[0] / 10 % 10), *o++ = (char)('0' + v[0] % 10);
        for (size_t i = 1; i < 6; i++) {
            *o++ = sep[i - 1];
            *o++ = (char)('0' + v[i] / 10 % 10), *o++ = (char)('0' + v[i] % 10);
        }
        *o++ = 'Z';
        *o = '\0';
        return buf;
    }
    n = snprintf(buf, PL_TIME_STR_LEN, "%04lld-%02u-%02uT%02d:%02d:%02dZ", (long long)y, m, d,
                 (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60));
    if (n < 0 || n >= PL_TIME_STR_LEN)
        buf[0] = '\0';
    return buf;
}

char *pl_date_format(pl_time_t t, char *buf)
{
    char full[PL_TIME_STR_LEN];

    pl_time_format(t, full);
    memcpy(buf, full, 10);
    buf[10] = '\0';
    return buf;
}

pl_status pl_duration_parse(const char *s, int64_t *out, struct pl_error *err)
{
    const char *p = s;
    int64_t total = 0;

    if (s == NULL || *s == '\0')
        return pl_error_set(err, PL_E_PARSE, "empty duration (want e.g. 24h, 7d, 90d)");
    while (*p) {
        int64_t n = 0, unit;

        if (!isdigit((unsigned char)*p))
            return pl_error_set(err, PL_E_PARSE, "invalid duration '%.64s': expected a number", s);
        while (isdigit((unsigned char)*p)) {
            if (n > 1000000000)
                return pl_error_set(err, PL_E_PARSE, "invalid duration '%.64s': too large", s);
            n = n * 10 + (*p++ - '0');
        }
        switch (*p++) {
        case 's':
            unit = 1;
            break;
        case 'm':
            unit = 60;
            break;
        case 'h':
            unit = 3600;
            break;
        case 'd':
            unit = 86400;
            break;
        case 'w':
            unit = (int64_t)7 * 86400;
            break;
        default:
            return pl_error_set(err, PL_E_PARSE,
                                "invalid duration '%.64s': unit must be s, m, h, d or w", s);
        }
        if (n * unit > INT64_MAX - total) /* fuzz: many terms overflowed the sum */
            return pl_error_set(err, PL_E_PARSE, "invalid duration '%.64s': too large", s);
        total += n * unit;
    }
    *out = total;
    return PL_OK;
}

char *pl_duration_format(int64_t secs, char *buf, size_t size)
{
    static const struct {
        int64_t len;
        char unit;
    } units[] = {{86400, 'd'}, {3600, 'h'}, {60, 'm'}, {1, 's'}};
    size_t used = 0;
    int n;

    buf[0] = '\0';
    if (secs < 0) {
        n = snprintf(buf, size, "-");
        used = n > 0 ? (size_t)n : 0;
        secs = -secs;
    }
    if (secs == 0) {
        if (snprintf(buf + used, size - used, "0s") < 0)
            buf[used] = '\0';
        return buf;
    }
    for (size_t i = 0; i < PL_ARRAY_LEN(units) && used < size; i++) {
        if (secs < units[i].len)
            continue;
        n = snprintf(buf + used, size - used, "%lld%c", (long long)(secs / units[i].len),
                     units[i].unit);
        if (n < 0 || (size_t)n >= size - used)
            break;
        used += (size_t)n;
        secs %= units[i].len;
    }
    return buf;
}

pl_time_t pl_clock_real(void)
{
    struct timespec ts;

    if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
        return 0;
    return (pl_time_t)ts.tv_sec;
}

pl_time_t pl_clock_now(void)
{
    return clock_is_set ? clock_value : pl_clock_real();
}

bool pl_clock_simulated(void)
{
    return clock_is_set;
}

void pl_clock_set(pl_time_t t)
{
    clock_is_set = true;
    clock_value = t;
}

void pl_clock_unset(void)
{
    clock_is_set = false;
}

pl_status pl_clock_from_env(struct pl_error *err)
{
    const char *v = getenv("PATCHLINE_NOW");
    pl_time_t t = 0;

    if (v == NULL || *v == '\0')
        return PL_OK;
    if (pl_time_parse(v, &t, err) != PL_OK)
        return pl_error_prefix(err, "PATCHLINE_NOW");
    pl_clock_set(t);
    return PL_OK;
}
