/*
 * test_tz.c - time zones: name validation, TZif loading (v1, v2+ with the
 * footer rule), UTC <-> local with the gap and fold policies, POSIX TZ
 * strings, and damaged TZif files.
 *
 * Zones come from tests/fixtures/cron/zoneinfo (copies of the IANA files
 * plus built ones, see make-fixtures.py), through $TZDIR. Expected instants
 * were worked out by hand from the published rules (US: second Sunday of
 * March / first Sunday of November at 02:00; EU: last Sunday of March /
 * October at 01:00 UTC).
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
#include "patchline/tz.h"

static char zonedir[4096];

static int setup(void **state)
{
    const char *src = getenv("PL_SOURCE_DIR");

    (void)state;
    if (snprintf(zonedir, sizeof(zonedir), "%s/tests/fixtures/cron/zoneinfo", src ? src : ".") >=
        (int)sizeof(zonedir))
        return -1;
    return setenv("TZDIR", zonedir, 1);
}

static pl_time_t T(const char *s)
{
    pl_time_t t = 0;

    if (pl_time_parse(s, &t, NULL) != PL_OK)
        fail_msg("bad time in test: %s", s);
    return t;
}

static struct pl_tz *load(const char *name)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_tz *tz = NULL;

    if (pl_tz_load(name, &tz, &err) != PL_OK)
        fail_msg("load %s: %s", name, err.msg);
    return tz;
}

static void names_are_validated(void **state)
{
    static const struct {
        const char *name;
        bool ok;
    } cases[] = {
        {"UTC", true},
        {"America/New_York", true},
        {"America/Argentina/Buenos_Aires", true},
        {"America/Port-au-Prince", true},
        {"Etc/GMT+5", true},
        {"../../etc/passwd", false},
        {"/etc/passwd", false},
        {"America/../Europe/London", false},
        {"Europe/London.bak", false},
        {"America//New_York", false},
        {"America/", false},
        {"", false},
        {"New York", false},
        {"$HOME", false},
        {"Europe/London\n", false},
    };
    char longname[PL_MAX_TZ_NAME_BYTES + 1];

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        if (pl_tz_name_valid(cases[i].name) != cases[i].ok)
            fail_msg("name '%s': want %s", cases[i].name, cases[i].ok ? "valid" : "invalid");
    memset(longname, 'A', sizeof(longname) - 1);
    longname[sizeof(longname) - 1] = '\0';
    assert_false(pl_tz_name_valid(longname));
}

static void bad_names_never_reach_the_disk(void **state)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_tz *tz = NULL;

    (void)state;
    assert_int_equal(pl_tz_load("../../etc/passwd", &tz, &err), PL_E_INVALID);
    assert_string_equal(err.msg, "invalid time zone name '../../etc/passwd' (want letters, "
                                 "digits, '/', '_', '+', '-')");
    assert_null(tz);
    assert_int_equal(pl_tz_load("Mars/Olympus_Mons", &tz, &err), PL_E_NOTFOUND);
    assert_non_null(strstr(err.msg, "unknown time zone 'Mars/Olympus_Mons' (no file "));
    assert_non_null(strstr(err.msg, "/tests/fixtures/cron/zoneinfo/Mars/Olympus_Mons)"));
    assert_null(tz);
    /* a folder of zones is not a zone */
    assert_int_equal(pl_tz_load("America", &tz, &err), PL_E_NOTFOUND);
    assert_non_null(strstr(err.msg, "unknown time zone 'America' (no file "));
    assert_null(tz);
}

static void utc_is_built_in(void **state)
{
    static const char *const names[] = {"UTC", "Etc/UTC"};
    struct pl_tz_info info;

    (void)state;
    assert_int_equal(setenv("TZDIR", "/nonexistent/zoneinfo", 1), 0);
    for (size_t i = 0; i < 2; i++) {
        struct pl_tz *tz = load(names[i]);
        pl_time_t out = 0;

        assert_string_equal(pl_tz_name(tz), names[i]);
        pl_tz_lookup(tz, T("2026-07-01T12:00:00Z"), &info);
        assert_int_equal(info.utoff, 0);
        assert_false(info.is_dst);
        assert_string_equal(info.abbr, "UTC");
        assert_int_equal(pl_tz_from_local(tz, T("2026-03-08T02:30:00Z"), PL_TZ_GAP_ERROR,
                                          PL_TZ_FOLD_ERROR, &out, NULL, NULL),
                         PL_OK);
        assert_int_equal(out, T("2026-03-08T02:30:00Z"));
        pl_tz_free(tz);
    }
    assert_int_equal(setenv("TZDIR", zonedir, 1), 0);
}

struct lookup_case {
    const char *zone, *utc;
    int32_t utoff;
    bool dst;
    const char *abbr;
};

static void lookups_match_the_rules(void **state)
{
    static const struct lookup_case cases[] = {
        /* US 2026: 2026-03-08 02:00 EST = 07:00Z, 2026-11-01 02:00 EDT = 06:00Z */
        {"America/New_York", "2026-03-08T06:59:59Z", -18000, false, "EST"},
        {"America/New_York", "2026-03-08T07:00:00Z", -14400, true, "EDT"},
        {"America/New_York", "2026-11-01T05:59:59Z", -14400, true, "EDT"},
        {"America/New_York", "2026-11-01T06:00:00Z", -18000, false, "EST"},
        {"America/New_York", "1945-08-14T23:00:00Z", -14400, true, "EPT"},
        {"America/New_York", "1800-01-01T00:00:00Z", -17762, false, "LMT"},
        /* beyond any table: the footer rule (2100-03-14 and 2100-11-07) */
        {"America/New_York", "2100-03-14T06:59:59Z", -18000, false, "EST"},
        {"America/New_York", "2100-03-14T07:00:00Z", -14400, true, "EDT"},
        {"America/New_York", "2100-11-07T06:00:00Z", -18000, false, "EST"},
        /* EU 2026: 2026-03-29 01:00Z, 2026-10-25 01:00Z */
        {"Europe/London", "2026-03-29T00:59:59Z", 0, false, "GMT"},
        {"Europe/London", "2026-03-29T01:00:00Z", 3600, true, "BST"},
        {"Europe/London", "2026-10-25T00:59:59Z", 3600, true, "BST"},
        {"Europe/London", "2026-10-25T01:00:00Z", 0, false, "GMT"},
        {"Europe/London", "1970-06-01T00:00:00Z", 3600, false, "BST"}, /* British Standard Time */
        /* the footer alone (no transitions in the table) */
        {"Test/Footer_Only", "2026-03-08T06:59:59Z", -18000, false, "EST"},
        {"Test/Footer_Only", "2026-03-08T07:00:00Z", -14400, true, "EDT"},
        {"Test/Footer_Only", "2026-11-01T06:00:00Z", -18000, false, "EST"},
        /* version 1 data: 32-bit transitions up to 2037, then the last type */
        {"Test/V1_New_York", "2026-03-08T07:00:00Z", -14400, true, "EDT"},
        {"Test/V1_New_York", "2037-11-01T06:00:00Z", -18000, false, "EST"},
        {"Test/V1_New_York", "2040-07-01T00:00:00Z", -18000, false, "EST"},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct lookup_case *c = &cases[i];
        struct pl_tz *tz = load(c->zone);
        struct pl_tz_info info;

        pl_tz_lookup(tz, T(c->utc), &info);
        if (info.utoff != c->utoff || info.is_dst != c->dst || strcmp(info.abbr, c->abbr) != 0)
            fail_msg("%s at %s: got %d %d %s, want %d %d %s", c->zone, c->utc, info.utoff,
                     info.is_dst, info.abbr, c->utoff, c->dst, c->abbr);
        assert_int_equal(pl_tz_to_local(tz, T(c->utc)), T(c->utc) + c->utoff);
        pl_tz_free(tz);
    }
}

struct local_case {
    const char *zone, *local; /* the wall-clock reading, written as if UTC */
    enum pl_tz_gap gap;
    enum pl_tz_fold fold;
    pl_status rc;
    enum pl_tz_kind kind;
    const char *utc;
};

static void local_times_resolve_by_policy(void **state)
{
    static const struct local_case cases[] = {
        {"America/New_York", "2026-03-07T02:30:00Z", PL_TZ_GAP_ERROR, PL_TZ_FOLD_ERROR, PL_OK,
         PL_TZ_UNIQUE, "2026-03-07T07:30:00Z"},
        /* 02:30 does not exist on 2026-03-08 */
        {"America/New_York", "2026-03-08T02:30:00Z", PL_TZ_GAP_AFTER, PL_TZ_FOLD_ERROR, PL_OK,
         PL_TZ_GAP, "2026-03-08T07:00:00Z"},
        {"America/New_York", "2026-03-08T02:30:00Z", PL_TZ_GAP_SHIFT, PL_TZ_FOLD_ERROR, PL_OK,
         PL_TZ_GAP, "2026-03-08T07:30:00Z"},
        {"America/New_York", "2026-03-08T02:00:00Z", PL_TZ_GAP_AFTER, PL_TZ_FOLD_ERROR, PL_OK,
         PL_TZ_GAP, "2026-03-08T07:00:00Z"},
        {"America/New_York", "2026-03-08T03:00:00Z", PL_TZ_GAP_ERROR, PL_TZ_FOLD_ERROR, PL_OK,
         PL_TZ_UNIQUE, "2026-03-08T07:00:00Z"},
        {"America/New_York", "2026-03-08T02:30:00Z", PL_TZ_GAP_ERROR, PL_TZ_FOLD_ERROR,
         PL_E_NOTFOUND, PL_TZ_GAP, NULL},
        /* 01:30 happens twice on 2026-11-01: EDT (05:30Z), then EST (06:30Z) */
        {"America/New_York", "2026-11-01T01:30:00Z", PL_TZ_GAP_ERROR, PL_TZ_FOLD_FIRST, PL_OK,
         PL_TZ_FOLD, "2026-11-01T05:30:00Z"},
        {"America/New_York", "2026-11-01T01:30:00Z", PL_TZ_GAP_ERROR, PL_TZ_FOLD_SECOND, PL_OK,
         PL_TZ_FOLD, "2026-11-01T06:30:00Z"},
        {"America/New_York", "2026-11-01T01:30:00Z", PL_TZ_GAP_ERROR, PL_TZ_FOLD_ERROR,
         PL_E_CONFLICT, PL_TZ_FOLD, NULL},
        {"America/New_York", "2026-11-01T02:30:00Z", PL_TZ_GAP_ERROR, PL_TZ_FOLD_ERROR, PL_OK,
         PL_TZ_UNIQUE, "2026-11-01T07:30:00Z"},
        /* London: the gap is 01:00-02:00 local, so 02:30 is an ordinary time */
        {"Europe/London", "2026-03-29T02:30:00Z", PL_TZ_GAP_ERROR, PL_TZ_FOLD_ERROR, PL_OK,
         PL_TZ_UNIQUE, "2026-03-29T01:30:00Z"},
        {"Europe/London", "2026-03-29T01:30:00Z", PL_TZ_GAP_AFTER, PL_TZ_FOLD_ERROR, PL_OK,
         PL_TZ_GAP, "2026-03-29T01:00:00Z"},
        {"Europe/London", "2026-10-25T01:30:00Z", PL_TZ_GAP_ERROR, PL_TZ_FOLD_FIRST, PL_OK,
         PL_TZ_FOLD, "2026-10-25T00:30:00Z"},
        {"Europe/London", "2026-10-25T01:30:00Z", PL_TZ_GAP_ERROR, PL_TZ_FOLD_SECOND, PL_OK,
         PL_TZ_FOLD, "2026-10-25T01:30:00Z"},
        {"Europe/London", "2026-10-25T02:30:00Z", PL_TZ_GAP_ERROR, PL_TZ_FOLD_ERROR, PL_OK,
         PL_TZ_UNIQUE, "2026-10-25T02:30:00Z"},
        /* far future, through the footer */
        {"America/New_York", "2100-03-14T02:30:00Z", PL_TZ_GAP_AFTER, PL_TZ_FOLD_ERROR, PL_OK,
         PL_TZ_GAP, "2100-03-14T07:00:00Z"},
        {"Test/Footer_Only", "2026-11-01T01:30:00Z", PL_TZ_GAP_ERROR, PL_TZ_FOLD_SECOND, PL_OK,
         PL_TZ_FOLD, "2026-11-01T06:30:00Z"},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct local_case *c = &cases[i];
        struct pl_error err = PL_ERROR_INIT;
        struct pl_tz *tz = load(c->zone);
        enum pl_tz_kind kind;
        pl_time_t out = 0;
        pl_status rc = pl_tz_from_local(tz, T(c->local), c->gap, c->fold, &out, &kind, &err);

        if (rc != c->rc || kind != c->kind || (c->utc && out != T(c->utc)))
            fail_msg("case %zu (%s %s): rc %d kind %d out %lld", i, c->zone, c->local, (int)rc,
                     (int)kind, (long long)out);
        pl_tz_free(tz);
    }
}

static void gap_and_fold_errors_name_the_zone(void **state)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_tz *tz = load("America/New_York");
    pl_time_t out;

    (void)state;
    assert_int_equal(pl_tz_from_local(tz, T("2026-03-08T02:30:00Z"), PL_TZ_GAP_ERROR,
                                      PL_TZ_FOLD_ERROR, &out, NULL, &err),
                     PL_E_NOTFOUND);
    assert_string_equal(err.msg, "local time does not exist in zone 'America/New_York'");
    assert_int_equal(pl_tz_from_local(tz, T("2026-11-01T01:00:00Z"), PL_TZ_GAP_ERROR,
                                      PL_TZ_FOLD_ERROR, &out, NULL, &err),
                     PL_E_CONFLICT);
    assert_string_equal(err.msg, "local time occurs twice in zone 'America/New_York'");
    pl_tz_free(tz);
}

static void posix_strings_parse(void **state)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_tz_posix p;
    struct pl_tz_info info;
    pl_time_t next = 0;

    (void)state;
    assert_int_equal(pl_tz_posix_parse("<+0530>-5:30", &p, &err), PL_OK);
    assert_false(p.has_dst);
    assert_int_equal(p.std.utoff, 19800);
    assert_string_equal(p.std.abbr, "+0530");
    assert_false(pl_tz_posix_next(&p, 0, &next));

    /* southern hemisphere: DST from the first Sunday of October to the first of April */
    assert_int_equal(pl_tz_posix_parse("AEST-10AEDT,M10.1.0,M4.1.0/3", &p, &err), PL_OK);
    pl_tz_posix_lookup(&p, T("2026-01-15T00:00:00Z"), &info);
    assert_int_equal(info.utoff, 39600);
    assert_string_equal(info.abbr, "AEDT");
    pl_tz_posix_lookup(&p, T("2026-07-15T00:00:00Z"), &info);
    assert_int_equal(info.utoff, 36000);
    assert_false(info.is_dst);
    /* 2026-04-05 03:00 AEDT = 2026-04-04T16:00:00Z */
    assert_true(pl_tz_posix_next(&p, T("2026-02-01T00:00:00Z"), &next));
    assert_int_equal(next, T("2026-04-04T16:00:00Z"));

    /* no rules: US rules; J and zero-based day forms; explicit DST offset */
    assert_int_equal(pl_tz_posix_parse("EST5EDT", &p, &err), PL_OK);
    assert_int_equal(p.start.mon, 3);
    assert_int_equal(p.end.mon, 11);
    assert_int_equal(pl_tz_posix_parse("XXX3YYY2,J60/1:30,300/-1", &p, &err), PL_OK);
    assert_int_equal(p.dst.utoff, -7200);
    assert_int_equal(p.start.kind, 'J');
    assert_int_equal(p.start.secs, 5400);
    assert_int_equal(p.end.kind, 'N');
    assert_int_equal(p.end.secs, -3600);
    /* J60 is 1 March even in a leap year: 2028-03-01 01:30 local (-3h) = 04:30Z */
    assert_true(pl_tz_posix_next(&p, T("2028-01-01T00:00:00Z"), &next));
    assert_int_equal(next, T("2028-03-01T04:30:00Z"));
}

static void posix_strings_refuse_garbage(void **state)
{
    static const struct {
        const char *s, *msg;
    } cases[] = {
        {"EST", "tz rule 'EST': bad time or offset at offset 3"},
        {"ES5", "tz rule 'ES5': abbreviation shorter than 3 characters at offset 2"},
        {"EST25", "tz rule 'EST25': bad time or offset at offset 5"},
        {"<EST5", "tz rule '<EST5': unterminated '<' abbreviation at offset 5"},
        {"EST5EDT,M3.2.0", "tz rule 'EST5EDT,M3.2.0': expected ',' before the end rule at offset "
                           "15"},
        {"EST5EDT,M13.2.0,M11.1.0",
         "tz rule 'EST5EDT,M13.2.0,M11.1.0': bad rule date at offset 11"},
        {"EST5EDT,J366,M11.1.0", "tz rule 'EST5EDT,J366,M11.1.0': bad rule date at offset 12"},
        {"EST5EDT,M3.2.0/168,M11.1.0",
         "tz rule 'EST5EDT,M3.2.0/168,M11.1.0': bad time or offset at offset 18"},
        {"EST5EDT,M3.2.0,M11.1.0x",
         "tz rule 'EST5EDT,M3.2.0,M11.1.0x': unexpected text at offset 22"},
    };
    struct pl_error err = PL_ERROR_INIT;
    struct pl_tz_posix p;

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        assert_int_equal(pl_tz_posix_parse(cases[i].s, &p, &err), PL_E_PARSE);
        assert_string_equal(err.msg, cases[i].msg);
    }
}

static void damaged_files_are_refused(void **state)
{
    static const struct {
        const char *zone;
        pl_status rc;
        const char *msg; /* after "DIR/ZONE: zone 'ZONE': " */
    } cases[] = {
        {"Bad/truncated_header", PL_E_PARSE, "truncated TZif header (30 bytes)"},
        {"Bad/truncated_data", PL_E_PARSE, "truncated TZif data (1000 of 1292 bytes)"},
        {"Bad/bad_magic", PL_E_PARSE, "not a TZif file (bad magic)"},
        {"Bad/garbage", PL_E_PARSE, "not a TZif file (bad magic)"},
        {"Bad/bad_footer", PL_E_PARSE,
         "tz rule 'EST5EDT,M13.2.0,M11.1.0': bad rule date at offset 11"},
        {"Bad/no_footer_end", PL_E_PARSE, "truncated TZif footer"},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct pl_error err = PL_ERROR_INIT;
        struct pl_tz *tz = NULL;
        char want[8192];

        assert_int_equal(pl_tz_load(cases[i].zone, &tz, &err), cases[i].rc);
        assert_null(tz);
        (void)snprintf(want, sizeof(want), "%s/%s: zone '%s': %s", zonedir, cases[i].zone,
                       cases[i].zone, cases[i].msg);
        if (strlen(want) < sizeof(err.msg))
            assert_string_equal(err.msg, want);
        else
            assert_non_null(strstr(err.msg, cases[i].msg));
    }
}

static void oversized_and_odd_data(void **state)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_tz *tz = NULL;
    unsigned char *big = calloc(1, PL_MAX_TZIF_BYTES + 1);
    unsigned char hdr[44] = "TZif2";

    (void)state;
    assert_non_null(big);
    memcpy(big, "TZif2", 5);
    assert_int_equal(pl_tz_parse("Big/Zone", big, PL_MAX_TZIF_BYTES + 1, &tz, &err), PL_E_TOOBIG);
    assert_string_equal(err.msg, "zone 'Big/Zone': TZif file over 262144 bytes");
    free(big);
    /* a header that promises no local time types */
    assert_int_equal(pl_tz_parse("Odd/Zone", hdr, sizeof(hdr), &tz, &err), PL_E_PARSE);
    assert_string_equal(err.msg, "zone 'Odd/Zone': inconsistent TZif header counts");
    /* leap-second data is refused, not misread */
    hdr[31] = 1; /* leapcnt */
    hdr[39] = 1; /* typecnt */
    hdr[43] = 4; /* charcnt */
    assert_int_equal(pl_tz_parse("right/UTC", hdr, sizeof(hdr), &tz, &err), PL_E_UNSUPPORTED);
    assert_string_equal(err.msg, "zone 'right/UTC': leap-second zones are not supported");
    hdr[4] = '9';
    assert_int_equal(pl_tz_parse("Odd/Zone", hdr, sizeof(hdr), &tz, &err), PL_E_UNSUPPORTED);
    assert_string_equal(err.msg, "zone 'Odd/Zone': unknown TZif version 0x39");
    assert_null(tz);
}

static void system_zones_when_present(void **state)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_tz *tz = NULL;
    struct pl_tz_info info;

    (void)state;
    assert_int_equal(setenv("TZDIR", "/usr/share/zoneinfo", 1), 0);
    if (pl_tz_load("Asia/Kolkata", &tz, &err) != PL_OK) {
        assert_int_equal(setenv("TZDIR", zonedir, 1), 0);
        skip();
    }
    pl_tz_lookup(tz, T("2026-06-01T00:00:00Z"), &info);
    assert_int_equal(info.utoff, 19800);
    assert_string_equal(info.abbr, "IST");
    pl_tz_free(tz);
    assert_int_equal(setenv("TZDIR", zonedir, 1), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(names_are_validated),
        cmocka_unit_test(bad_names_never_reach_the_disk),
        cmocka_unit_test(utc_is_built_in),
        cmocka_unit_test(lookups_match_the_rules),
        cmocka_unit_test(local_times_resolve_by_policy),
        cmocka_unit_test(gap_and_fold_errors_name_the_zone),
        cmocka_unit_test(posix_strings_parse),
        cmocka_unit_test(posix_strings_refuse_garbage),
        cmocka_unit_test(damaged_files_are_refused),
        cmocka_unit_test(oversized_and_odd_data),
        cmocka_unit_test(system_zones_when_present),
    };
    return cmocka_run_group_tests_name("tz", tests, setup, NULL);
}
