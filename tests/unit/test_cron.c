/*
 * test_cron.c - cron, AWS cron() and rate() schedules: parsing, exact error
 * messages, and start times across daylight-saving changes, month ends,
 * leap days and the L, W, # and nL extensions.
 *
 * Every expected instant was worked out by hand from a calendar and the
 * zone rules (US 2026: 2026-03-08 02:00 EST -> 03:00 EDT, 2026-11-01 02:00
 * EDT -> 01:00 EST; EU 2026: 2026-03-29 01:00 UTC, 2026-10-25 01:00 UTC).
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "patchline/clock.h"
#include "patchline/cron.h"
#include "patchline/tz.h"

#define MAX_WANT 10

static int setup(void **state)
{
    const char *src = getenv("PL_SOURCE_DIR");
    char dir[4096];

    (void)state;
    if (snprintf(dir, sizeof(dir), "%s/tests/fixtures/cron/zoneinfo", src ? src : ".") >=
        (int)sizeof(dir))
        return -1;
    return setenv("TZDIR", dir, 1);
}

static pl_time_t T(const char *s)
{
    pl_time_t t = 0;

    if (pl_time_parse(s, &t, NULL) != PL_OK)
        fail_msg("bad time in test: %s", s);
    return t;
}

struct next_case {
    const char *expr, *zone, *after;
    const char *want[MAX_WANT]; /* the next starts, in order; NULL-terminated */
};

static const struct next_case next_cases[] = {
    /* New York, spring forward: 02:30 does not exist on 2026-03-08 -> 03:00 EDT */
    {"30 2 * * *",
     "America/New_York",
     "2026-03-06T12:00:00Z",
     {"2026-03-07T07:30:00Z", "2026-03-08T07:00:00Z", "2026-03-09T06:30:00Z",
      "2026-03-10T06:30:00Z"}},
    /* two fixed times in the gap run once, at its end */
    {"0,30 2 * * *",
     "America/New_York",
     "2026-03-08T05:00:00Z",
     {"2026-03-08T07:00:00Z", "2026-03-09T06:00:00Z", "2026-03-09T06:30:00Z"}},
    /* wildcard hour: the real instants only (01:30 EST, 03:00 EDT, 03:30 EDT) */
    {"*/30 * * * *",
     "America/New_York",
     "2026-03-08T06:00:00Z",
     {"2026-03-08T06:30:00Z", "2026-03-08T07:00:00Z", "2026-03-08T07:30:00Z"}},
    {"0 * * * *",
     "America/New_York",
     "2026-03-08T05:30:00Z",
     {"2026-03-08T06:00:00Z", "2026-03-08T07:00:00Z", "2026-03-08T08:00:00Z"}},
    /* wildcard minute with a fixed hour is a wildcard job: nothing on 2026-03-08 */
    {"*/15 2 * * *",
     "America/New_York",
     "2026-03-07T07:40:00Z",
     {"2026-03-07T07:45:00Z", "2026-03-09T06:00:00Z"}},
    /* New York, fall back: 01:30 runs once, at its first (EDT) occurrence */
    {"30 1 * * *",
     "America/New_York",
     "2026-10-31T12:00:00Z",
     {"2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z"}},
    {"30 2 * * *",
     "America/New_York",
     "2026-10-31T12:00:00Z",
     {"2026-11-01T07:30:00Z", "2026-11-02T07:30:00Z"}},
    /* wildcard hour: both passes of 01:xx are real instants, each once */
    {"*/30 * * * *",
     "America/New_York",
     "2026-11-01T04:45:00Z",
     {"2026-11-01T05:00:00Z", "2026-11-01T05:30:00Z", "2026-11-01T06:00:00Z",
      "2026-11-01T06:30:00Z", "2026-11-01T07:00:00Z"}},
    /* a fold that straddles midnight (00:30 XDT -> 23:30 XST): starts stay in real order */
    {"*/30 * * * *",
     "Test/Midnight_Fold",
     "2026-11-01T00:45:00Z",
     {"2026-11-01T01:00:00Z", "2026-11-01T01:30:00Z", "2026-11-01T02:00:00Z",
      "2026-11-01T02:30:00Z", "2026-11-01T03:00:00Z", "2026-11-01T03:30:00Z"}},
    {"15 0 * * *",
     "Test/Midnight_Fold",
     "2026-10-31T12:00:00Z",
     {"2026-11-01T02:15:00Z", "2026-11-02T03:15:00Z"}},
    {"45 23 * * *",
     "Test/Midnight_Fold",
     "2026-10-31T12:00:00Z",
     {"2026-11-01T01:45:00Z", "2026-11-02T02:45:00Z"}},
    /* London: the gap is 01:00-02:00 on 2026-03-29, the fold 01:00-02:00 on 2026-10-25 */
    {"30 2 * * *",
     "Europe/London",
     "2026-03-28T12:00:00Z",
     {"2026-03-29T01:30:00Z", "2026-03-30T01:30:00Z"}},
    {"30 1 * * *",
     "Europe/London",
     "2026-03-28T12:00:00Z",
     {"2026-03-29T01:00:00Z", "2026-03-30T00:30:00Z"}},
    {"30 1 * * *",
     "Europe/London",
     "2026-10-24T12:00:00Z",
     {"2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z"}},
    {"30 2 * * *",
     "Europe/London",
     "2026-10-24T12:00:00Z",
     {"2026-10-25T02:30:00Z", "2026-10-26T02:30:00Z"}},
    /* leap days, including the skipped leap year 2100 */
    {"0 0 29 2 *",
     "UTC",
     "2025-01-01T00:00:00Z",
     {"2028-02-29T00:00:00Z", "2032-02-29T00:00:00Z", "2036-02-29T00:00:00Z"}},
    {"0 0 29 2 *", "UTC", "2096-03-01T00:00:00Z", {"2104-02-29T00:00:00Z"}},
    /* months without a 31st are skipped */
    {"0 0 31 * *",
     "UTC",
     "2026-01-01T00:00:00Z",
     {"2026-01-31T00:00:00Z", "2026-03-31T00:00:00Z", "2026-05-31T00:00:00Z",
      "2026-07-31T00:00:00Z", "2026-08-31T00:00:00Z", "2026-10-31T00:00:00Z",
      "2026-12-31T00:00:00Z"}},
    /* L: the last day of the month */
    {"0 0 L * *",
     "UTC",
     "2026-01-01T00:00:00Z",
     {"2026-01-31T00:00:00Z", "2026-02-28T00:00:00Z", "2026-03-31T00:00:00Z"}},
    {"0 0 L 2 *", "UTC", "2027-03-01T00:00:00Z", {"2028-02-29T00:00:00Z"}},
    /* W: 2026-08-01 is a Saturday -> Monday the 3rd; 2026-02-15 a Sunday -> the 16th */
    {"cron(0 0 1W * ? *)",
     "UTC",
     "2026-07-15T00:00:00Z",
     {"2026-08-03T00:00:00Z", "2026-09-01T00:00:00Z"}},
    {"cron(0 0 15W * ? *)",
     "UTC",
     "2026-02-01T00:00:00Z",
     {"2026-02-16T00:00:00Z", "2026-03-16T00:00:00Z"}},
    /* 31W: 2026-05-31 is a Sunday and the month's end -> Friday the 29th */
    {"cron(0 0 31W * ? *)",
     "UTC",
     "2026-05-01T00:00:00Z",
     {"2026-05-29T00:00:00Z", "2026-07-31T00:00:00Z"}},
    /* LW: the last weekday of the month */
    {"cron(0 0 LW * ? *)",
     "UTC",
     "2026-05-01T00:00:00Z",
     {"2026-05-29T00:00:00Z", "2026-06-30T00:00:00Z"}},
    /* #: the second Tuesday (Patch Tuesday) */
    {"0 2 * * 2#2",
     "UTC",
     "2026-01-01T00:00:00Z",
     {"2026-01-13T02:00:00Z", "2026-02-10T02:00:00Z", "2026-03-10T02:00:00Z"}},
    {"cron(0 2 ? * TUE#2 *)",
     "UTC",
     "2026-01-01T00:00:00Z",
     {"2026-01-13T02:00:00Z", "2026-02-10T02:00:00Z"}},
    /* nL: the last Friday (5 in cron, 6 in cron()) */
    {"0 0 * * 5L",
     "UTC",
     "2026-01-01T00:00:00Z",
     {"2026-01-30T00:00:00Z", "2026-02-27T00:00:00Z", "2026-03-27T00:00:00Z"}},
    {"cron(0 0 ? * 6L *)", "UTC", "2026-01-01T00:00:00Z", {"2026-01-30T00:00:00Z"}},
    /* Vixie: day-of-month and day-of-week both restricted -> either fires */
    {"0 0 13 * 5",
     "UTC",
     "2026-01-01T00:00:00Z",
     {"2026-01-02T00:00:00Z", "2026-01-09T00:00:00Z", "2026-01-13T00:00:00Z",
      "2026-01-16T00:00:00Z", "2026-01-23T00:00:00Z", "2026-01-30T00:00:00Z",
      "2026-02-06T00:00:00Z", "2026-02-13T00:00:00Z", "2026-02-20T00:00:00Z"}},
    /* ... but a field starting with '*' makes it "both": Mondays on odd days */
    {"0 0 */2 * 1",
     "UTC",
     "2026-01-01T00:00:00Z",
     {"2026-01-05T00:00:00Z", "2026-01-19T00:00:00Z", "2026-02-09T00:00:00Z",
      "2026-02-23T00:00:00Z"}},
    /* AWS year field: a list and a range */
    {"cron(0 12 1 1 ? 2027,2029)",
     "UTC",
     "2026-06-01T00:00:00Z",
     {"2027-01-01T12:00:00Z", "2029-01-01T12:00:00Z"}},
    {"cron(0 0 1 1 ? 2030-2032)",
     "UTC",
     "2026-06-01T00:00:00Z",
     {"2030-01-01T00:00:00Z", "2031-01-01T00:00:00Z", "2032-01-01T00:00:00Z"}},
    /* rate(): every period from the anchor (`after`), whatever the zone */
    {"rate(15 minutes)",
     "America/New_York",
     "2026-01-01T00:00:07Z",
     {"2026-01-01T00:15:07Z", "2026-01-01T00:30:07Z", "2026-01-01T00:45:07Z"}},
    {"rate(1 day)", "UTC", "2026-03-08T00:00:00Z", {"2026-03-09T00:00:00Z"}},
    {"rate(2 hours)", "UTC", "2026-03-08T00:00:00Z", {"2026-03-08T02:00:00Z"}},
    /* names, case-insensitive, in ranges */
    {"0 9 * JAN-MAR mon-fri",
     "UTC",
     "2026-03-27T10:00:00Z",
     {"2026-03-30T09:00:00Z", "2026-03-31T09:00:00Z", "2027-01-01T09:00:00Z"}},
    /* steps: a-b/s and a/s */
    {"1-30/10 0 1 1 *",
     "UTC",
     "2026-01-01T00:00:00Z",
     {"2026-01-01T00:01:00Z", "2026-01-01T00:11:00Z", "2026-01-01T00:21:00Z",
      "2027-01-01T00:01:00Z"}},
    {"5/20 0 1 1 *",
     "UTC",
     "2026-01-01T00:00:00Z",
     {"2026-01-01T00:05:00Z", "2026-01-01T00:25:00Z", "2026-01-01T00:45:00Z"}},
    /* 7 is Sunday too; 5-7 is Friday to Sunday */
    {"0 0 * * 5-7",
     "UTC",
     "2026-01-01T00:00:00Z",
     {"2026-01-02T00:00:00Z", "2026-01-03T00:00:00Z", "2026-01-04T00:00:00Z",
      "2026-01-09T00:00:00Z"}},
    /* strictly after: a start at `after` itself is not returned */
    {"@daily", "UTC", "2026-01-01T00:00:00Z", {"2026-01-02T00:00:00Z"}},
};

static void starts_are_exact(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(next_cases) / sizeof(next_cases[0]); i++) {
        const struct next_case *c = &next_cases[i];
        struct pl_error err = PL_ERROR_INIT;
        struct pl_cron cron;
        struct pl_tz *tz = NULL;
        struct pl_cron_iter it;

        if (pl_cron_parse(c->expr, &cron, &err) != PL_OK)
            fail_msg("parse '%s': %s", c->expr, err.msg);
        if (pl_tz_load(c->zone, &tz, &err) != PL_OK)
            fail_msg("zone %s: %s", c->zone, err.msg);
        pl_cron_iter_init(&it, &cron, tz, T(c->after));
        for (size_t k = 0; k < MAX_WANT && c->want[k]; k++) {
            pl_time_t got = 0;
            char buf[PL_TIME_STR_LEN];

            if (pl_cron_iter_next(&it, &got, &err) != PL_OK)
                fail_msg("'%s' in %s after %s, start %zu: %s", c->expr, c->zone, c->after, k,
                         err.msg);
            if (got != T(c->want[k]))
                fail_msg("'%s' in %s after %s, start %zu: got %s, want %s", c->expr, c->zone,
                         c->after, k, pl_time_format(got, buf), c->want[k]);
        }
        pl_tz_free(tz);
    }
}

static void schedules_that_end_say_so(void **state)
{
    static const struct {
        const char *expr, *after, *msg;
    } cases[] = {
        {"0 0 30 2 *", "2026-01-01T00:00:00Z",
         "cron: no start time after 2026-01-01T00:00:00Z within 400 years (the expression "
         "never fires)"},
        {"0 0 31 4,6,9,11 *", "2026-01-01T00:00:00Z",
         "cron: no start time after 2026-01-01T00:00:00Z within 400 years (the expression "
         "never fires)"},
        {"cron(0 12 1 1 ? 2027,2029)", "2029-01-01T12:00:00Z",
         "cron: no start time after 2029-01-01T12:00:00Z up to the year 2199"},
        {"cron(0 0 30 2 ? *)", "2026-01-01T00:00:00Z",
         "cron: no start time after 2026-01-01T00:00:00Z up to the year 2199"},
    };
    struct pl_tz *tz = NULL;

    (void)state;
    assert_int_equal(pl_tz_load("UTC", &tz, NULL), PL_OK);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct pl_error err = PL_ERROR_INIT;
        struct pl_cron cron;
        pl_time_t out = 0;

        assert_int_equal(pl_cron_parse(cases[i].expr, &cron, &err), PL_OK);
        assert_int_equal(pl_cron_next(&cron, tz, T(cases[i].after), &out, &err), PL_E_NOTFOUND);
        assert_string_equal(err.msg, cases[i].msg);
    }
    pl_tz_free(tz);
}

static void bad_expressions_name_field_and_token(void **state)
{
    static const struct {
        const char *expr, *msg;
    } cases[] = {
        {"0 0 * * 8", "cron: field 'day-of-week': '8' out of range 0-7"},
        {"60 * * * *", "cron: field 'minute': '60' out of range 0-59"},
        {"* 24 * * *", "cron: field 'hour': '24' out of range 0-23"},
        {"* * 0 * *", "cron: field 'day-of-month': '0' out of range 1-31"},
        {"* * * 13 *", "cron: field 'month': '13' out of range 1-12"},
        {"* * * FOO *", "cron: field 'month': 'FOO' is not a month name"},
        {"* * * * fun", "cron: field 'day-of-week': 'fun' is not a day name"},
        {"a b c d e", "cron: field 'minute': 'a' is not a number"},
        {"1-60 * * * *", "cron: field 'minute': '60' out of range 0-59"},
        {"*/0 * * * *", "cron: field 'minute': step '0' out of range 1-60"},
        {"0 0 * * 1/9", "cron: field 'day-of-week': step '9' out of range 1-8"},
        {"0 0 * * 1/x", "cron: field 'day-of-week': 'x' is not a number"},
        {"5-1 * * * *", "cron: field 'minute': '5-1' is a backwards range"},
        {"1,,2 * * * *", "cron: field 'minute': '1,,2' has an empty list element"},
        {"* * 32W * *", "cron: field 'day-of-month': '32' out of range 1-31"},
        {"0 0 * * 2#6", "cron: field 'day-of-week': '6' out of range 1-5"},
        {"0 0 * * 8L", "cron: field 'day-of-week': '8' out of range 0-7"},
        {"0 0 ? * *",
         "cron: field 'day-of-month': '?' is only allowed in day-of-month or day-of-week of "
         "cron()"},
        {"* * * *", "cron: want 5 fields (minute hour day-of-month month day-of-week), got 4"},
        {"* * * * * *",
         "cron: want 5 fields (minute hour day-of-month month day-of-week), got more than 5"},
        {"", "cron: want 5 fields (minute hour day-of-month month day-of-week), got 0"},
        {"cron(0 0 * * * *)",
         "cron: fields 'day-of-month' and 'day-of-week': exactly one must be '?' in cron()"},
        {"cron(0 0 ? * ? *)",
         "cron: fields 'day-of-month' and 'day-of-week': exactly one must be '?' in cron()"},
        {"cron(0 0 ? * 0 *)", "cron: field 'day-of-week': '0' out of range 1-7"},
        {"cron(0 0 1 * ? 2200)", "cron: field 'year': '2200' out of range 1970-2199"},
        {"cron(0 0 1 * ?)",
         "cron: cron() wants 6 fields (minute hour day-of-month month day-of-week year), got 5"},
        {"rate(0 minutes)", "rate: value '0' out of range 1-100000"},
        {"rate(5 weeks)", "rate: unit 'weeks' is not minute(s), hour(s) or day(s)"},
        {"rate(5)", "rate: want 'rate(N unit)', not 'rate(5)'"},
        {"rate(-5 hours)", "rate: value '-5' out of range 1-100000"},
        {"@reboot", "cron: unknown macro '@reboot'"},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct pl_error err = PL_ERROR_INIT;
        struct pl_cron cron;

        if (pl_cron_parse(cases[i].expr, &cron, &err) != PL_E_PARSE)
            fail_msg("'%s' parsed", cases[i].expr);
        assert_string_equal(err.msg, cases[i].msg);
    }
}

static void oversized_and_binary_expressions(void **state)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_cron cron;
    char *big = malloc(2 * PL_MAX_CRON_BYTES);

    (void)state;
    assert_non_null(big);
    memset(big, '1', 2 * PL_MAX_CRON_BYTES - 1);
    big[2 * PL_MAX_CRON_BYTES - 1] = '\0';
    assert_int_equal(pl_cron_parse(big, &cron, &err), PL_E_TOOBIG);
    assert_string_equal(err.msg, "cron: expression longer than 1023 bytes");
    free(big);
    assert_int_equal(pl_cron_parse("\xff\xfe * * * *", &cron, &err), PL_E_PARSE);
    assert_string_equal(err.msg, "cron: field 'minute': '?\?' is not a number");
    assert_int_equal(pl_cron_parse("99999999999 * * * *", &cron, &err), PL_E_PARSE);
    assert_string_equal(err.msg, "cron: field 'minute': '99999999999' out of range 0-59");
}

static void parsed_fields(void **state)
{
    struct pl_cron c;

    (void)state;
    assert_int_equal(pl_cron_parse("*/15 9-17 * * MON-FRI", &c, NULL), PL_OK);
    assert_int_equal(c.kind, PL_CRON_VIXIE);
    assert_true(c.minutes == ((1ull << 0) | (1ull << 15) | (1ull << 30) | (1ull << 45)));
    assert_int_equal(c.hours, 0x3fe00);
    assert_int_equal(c.wdays, 0x3e);
    assert_false(c.fixed_time);
    assert_true(c.mday_star);
    assert_false(c.wday_star);
    assert_int_equal(pl_cron_parse("  cron(30 2 ? * SUN,7 *)  ", &c, NULL), PL_OK);
    assert_int_equal(c.kind, PL_CRON_AWS);
    assert_int_equal(c.wdays, 0x41); /* SUN=1 and 7=SAT in cron() */
    assert_true(c.fixed_time);
    assert_int_equal(pl_cron_parse("cron(0 0 ? * L *)", &c, NULL), PL_OK);
    assert_int_equal(c.wdays, 0x40); /* L alone: Saturday */
    assert_int_equal(pl_cron_parse("rate(1 minute)", &c, NULL), PL_OK);
    assert_int_equal(c.rate_secs, 60);
}

static void windows_apply_offset_and_blackouts(void **state)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_tz *ny = NULL;
    struct pl_window w;
    pl_time_t out[4];
    size_t n = 0;
    int64_t blackout = pl_days_from_civil(2026, 2, 14);

    (void)state;
    memset(&w, 0, sizeof(w));
    assert_int_equal(pl_tz_load("America/New_York", &ny, NULL), PL_OK);
    assert_int_equal(pl_cron_parse("cron(0 2 ? * TUE#2 *)", &w.cron, NULL), PL_OK);
    w.tz = ny;
    w.offset_days = 4; /* the Saturday after Patch Tuesday, 02:00 local */
    assert_int_equal(pl_window_next(&w, T("2026-01-14T00:00:00Z"), 3, out, &n, &err), PL_OK);
    assert_int_equal(n, 3);
    assert_int_equal(out[0], T("2026-01-17T07:00:00Z"));
    assert_int_equal(out[1], T("2026-02-14T07:00:00Z"));
    /* Patch Tuesday 2026-03-10 is EDT, so is the Saturday */
    assert_int_equal(out[2], T("2026-03-14T06:00:00Z"));
    /* a Tuesday before `after` whose Saturday is after it still counts */
    assert_int_equal(pl_window_next(&w, T("2026-02-12T00:00:00Z"), 1, out, &n, &err), PL_OK);
    assert_int_equal(out[0], T("2026-02-14T07:00:00Z"));
    w.blackout_days = &blackout;
    w.n_blackout = 1;
    assert_int_equal(pl_window_next(&w, T("2026-02-12T00:00:00Z"), 1, out, &n, &err), PL_OK);
    assert_int_equal(out[0], T("2026-03-14T06:00:00Z"));
    w.n_blackout = PL_MAX_WINDOW_BLACKOUTS + 1;
    assert_int_equal(pl_window_next(&w, 0, 1, out, &n, &err), PL_E_TOOBIG);
    assert_string_equal(err.msg, "1025 blackout dates over the limit of 1024");
    w.n_blackout = 1;
    w.offset_days = 366;
    assert_int_equal(pl_window_next(&w, 0, 1, out, &n, &err), PL_E_INVALID);
    assert_string_equal(err.msg, "offset 366 days out of range 0-365");
    w.offset_days = 4;
    assert_int_equal(pl_window_next(&w, 0, PL_MAX_WINDOW_COUNT + 1, out, &n, &err), PL_E_INVALID);
    assert_string_equal(err.msg, "count 10001 over the limit of 10000");
    assert_int_equal(pl_cron_parse("rate(1 hour)", &w.cron, NULL), PL_OK);
    assert_int_equal(pl_window_next(&w, 0, 1, out, &n, &err), PL_E_INVALID);
    assert_string_equal(err.msg, "a schedule offset needs a cron expression");
    pl_tz_free(ny);
}

static void the_search_bound_moves_with_each_start(void **state)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_tz *utc = NULL;
    struct pl_cron c;
    struct pl_cron_iter it;
    pl_time_t t = 0;

    (void)state;
    assert_int_equal(pl_tz_load("UTC", &utc, NULL), PL_OK);
    assert_int_equal(pl_cron_parse("0 0 1 1 *", &c, NULL), PL_OK);
    pl_cron_iter_init(&it, &c, utc, T("2026-01-01T00:00:00Z"));
    for (int i = 0; i < 500; i++)
        assert_int_equal(pl_cron_iter_next(&it, &t, NULL), PL_OK);
    assert_int_equal(t, T("2526-01-01T00:00:00Z"));
    /* the calendar ends with the year 9999 */
    pl_cron_iter_init(&it, &c, utc, T("9999-01-01T00:00:00Z"));
    assert_int_equal(pl_cron_iter_next(&it, &t, &err), PL_E_NOTFOUND);
    assert_string_equal(err.msg,
                        "cron: no start time after 9999-01-01T00:00:00Z before the year 10000");
    pl_tz_free(utc);
}

static void many_starts_stay_ordered(void **state)
{
    struct pl_tz *ny = NULL;
    struct pl_cron c;
    struct pl_cron_iter it;
    pl_time_t prev, t;

    (void)state;
    assert_int_equal(pl_tz_load("America/New_York", &ny, NULL), PL_OK);
    assert_int_equal(pl_cron_parse("* * * * *", &c, NULL), PL_OK);
    prev = T("2026-10-31T00:00:00Z");
    pl_cron_iter_init(&it, &c, ny, prev);
    /* three days of minutes across the fall-back: each real minute exactly once */
    for (int i = 0; i < 3 * 1440 + 60; i++) {
        assert_int_equal(pl_cron_iter_next(&it, &t, NULL), PL_OK);
        assert_int_equal(t, prev + 60);
        prev = t;
    }
    pl_tz_free(ny);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(starts_are_exact),
        cmocka_unit_test(schedules_that_end_say_so),
        cmocka_unit_test(bad_expressions_name_field_and_token),
        cmocka_unit_test(oversized_and_binary_expressions),
        cmocka_unit_test(parsed_fields),
        cmocka_unit_test(windows_apply_offset_and_blackouts),
        cmocka_unit_test(the_search_bound_moves_with_each_start),
        cmocka_unit_test(many_starts_stay_ordered),
    };
    return cmocka_run_group_tests_name("cron", tests, setup, NULL);
}
