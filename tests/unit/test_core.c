/*
 * test_core.c - errors, buffers, clock, durations, the file front door,
 * escaping and SHA-256.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "patchline/buf.h"
#include "patchline/clock.h"
#include "patchline/error.h"
#include "patchline/escape.h"
#include "patchline/file.h"
#include "patchline/parse.h"
#include "patchline/sha256.h"

static char *fixture(const char *name)
{
    static char path[4096];
    const char *src = getenv("PL_SOURCE_DIR");

    if (snprintf(path, sizeof(path), "%s/tests/fixtures/core/%s", src ? src : ".", name) >=
        (int)sizeof(path))
        fail_msg("path too long");
    return path;
}

static void assert_buf_invariants(const struct pl_buf *b)
{
    assert_non_null(pl_buf_cstr(b));
    assert_int_equal(strlen(pl_buf_cstr(b)) <= b->len, 1);
    assert_int_equal(pl_buf_cstr(b)[b->len], '\0');
    if (b->alloc)
        assert_true(b->len < b->alloc);
    if (b->max)
        assert_true(b->len <= b->max);
}

static void error_set_and_prefix(void **state)
{
    struct pl_error err = PL_ERROR_INIT;

    (void)state;
    assert_int_equal(pl_error_set(&err, PL_E_PARSE, "bad '%s'", "x"), PL_E_PARSE);
    assert_string_equal(err.msg, "bad 'x'");
    assert_int_equal(pl_error_prefix(&err, "import %s", "kev"), PL_E_PARSE);
    assert_string_equal(err.msg, "import kev: bad 'x'");
    assert_string_equal(pl_status_name(PL_E_TOOBIG), "E_TOOBIG");
    assert_int_equal(pl_status_http(PL_E_NOTFOUND), 404);
    assert_string_equal(pl_status_str(PL_OK), "success");
    assert_int_equal(pl_error_set(NULL, PL_E_IO, "ignored"), PL_E_IO);
}

static void buf_grows_and_caps(void **state)
{
    struct pl_buf b = PL_BUF_INIT(10);
    char *s;
    size_t len;

    (void)state;
    assert_string_equal(pl_buf_cstr(&b), "");
    pl_buf_adds(&b, "hello");
    assert_buf_invariants(&b);
    pl_buf_addf(&b, "%d", 1234);
    assert_string_equal(pl_buf_cstr(&b), "hello1234");
    assert_int_equal(pl_buf_status(&b), PL_OK);
    pl_buf_adds(&b, "xy"); /* 11 > 10: sticky failure, contents unchanged */
    assert_int_equal(pl_buf_status(&b), PL_E_TOOBIG);
    assert_string_equal(pl_buf_cstr(&b), "hello1234");
    pl_buf_addch(&b, 'z'); /* ignored: the error is sticky */
    assert_string_equal(pl_buf_cstr(&b), "hello1234");
    assert_buf_invariants(&b);
    pl_buf_reset(&b);
    assert_int_equal(pl_buf_status(&b), PL_OK);
    pl_buf_add(&b, "a\0b", 3);
    assert_int_equal(b.len, 3);
    s = pl_buf_detach(&b, &len);
    assert_int_equal(len, 3);
    assert_memory_equal(s, "a\0b", 4);
    free(s);
    assert_int_equal(b.len, 0);
    assert_buf_invariants(&b);
    pl_buf_release(&b);
}

static void clock_parse_and_format(void **state)
{
    static const struct {
        const char *in;
        const char *out; /* NULL: invalid */
    } cases[] = {
        {"2026-11-29", "2026-11-29T00:00:00Z"},
        {"2026-11-29T10:05", "2026-11-29T10:05:00Z"},
        {"2026-11-29T10:05:07Z", "2026-11-29T10:05:07Z"},
        {"2026-11-29 10:05:07.123456Z", "2026-11-29T10:05:07Z"},
        {"2026-11-29T10:05:07+01:30", "2026-11-29T08:35:07Z"},
        {"2026-11-29T00:30:00-0100", "2026-11-29T01:30:00Z"},
        {"2024-02-29T23:59:59Z", "2024-02-29T23:59:59Z"},
        {"1969-12-31T23:59:59Z", "1969-12-31T23:59:59Z"},
        {"0000-01-01", "0000-01-01T00:00:00Z"},
        {"9999-12-31T23:59:59Z", "9999-12-31T23:59:59Z"},
        {"9999-12-31T23:59:59-00:01", NULL}, /* fuzz: year 10000 after the offset */
        {"0000-01-01T00:00:00+00:01", NULL}, /* fuzz: year -1 after the offset */
        {"2023-02-29", NULL},
        {"2026-13-01", NULL},
        {"2026-11-31", NULL},
        {"2026-11-29T24:00", NULL},
        {"2026-11-29T10:00:00X", NULL},
        {"29/11/2026", NULL},
        {"", NULL},
    };
    char buf[PL_TIME_STR_LEN];

    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(cases); i++) {
        struct pl_error err = PL_ERROR_INIT;
        pl_time_t t = 42;
        pl_status rc = pl_time_parse(cases[i].in, &t, &err);

        if (cases[i].out == NULL) {
            assert_int_equal(rc, PL_E_PARSE);
            assert_int_equal(t, 42); /* out untouched on failure */
            assert_non_null(strstr(err.msg, "invalid time"));
        } else {
            assert_int_equal(rc, PL_OK);
            assert_string_equal(pl_time_format(t, buf), cases[i].out);
        }
    }
    assert_int_equal(pl_days_from_civil(1970, 1, 1), 0);
    assert_int_equal(pl_days_from_civil(2000, 3, 1), 11017);
}

static void clock_simulated(void **state)
{
    (void)state;
    pl_clock_unset();
    assert_false(pl_clock_simulated());
    pl_clock_set(1000);
    assert_true(pl_clock_simulated());
    assert_int_equal(pl_clock_now(), 1000);
    assert_true(pl_clock_real() > 1000);
    pl_clock_unset();
}

/* Fuzz regression: 1,600 terms of 9999999999w overflowed the sum (signed overflow). */
static void duration_sum_overflow(void)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_buf b = PL_BUF_INIT(0);
    int64_t v = 42;

    for (int i = 0; i < 1600; i++)
        pl_buf_adds(&b, "9999999999w");
    assert_int_equal(pl_duration_parse(pl_buf_cstr(&b), &v, &err), PL_E_PARSE);
    assert_int_equal(v, 42);
    assert_string_equal(err.msg,
                        "invalid duration '9999999999w9999999999w9999999999w9999999999w9999999999w"
                        "999999999': too large");
    pl_buf_release(&b);
}

static void durations(void **state)
{
    static const struct {
        const char *in;
        int64_t secs; /* -1: invalid */
    } cases[] = {
        {"24h", 86400},  {"7d", 604800}, {"90d", 7776000}, {"1d12h", 129600},
        {"2w", 1209600}, {"30s", 30},    {"5m", 300},      {"", -1},
        {"7", -1},       {"d", -1},      {"7y", -1},       {"-1d", -1},
    };
    char buf[32];

    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(cases); i++) {
        int64_t v = 0;
        pl_status rc = pl_duration_parse(cases[i].in, &v, NULL);

        if (cases[i].secs < 0) {
            assert_int_equal(rc, PL_E_PARSE);
        } else {
            assert_int_equal(rc, PL_OK);
            assert_int_equal(v, cases[i].secs);
        }
    }
    assert_string_equal(pl_duration_format(129600, buf, sizeof(buf)), "1d12h");
    assert_string_equal(pl_duration_format(0, buf, sizeof(buf)), "0s");
    duration_sum_overflow();
}

static void read_lines(const char *name)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_reader *r = NULL;
    struct pl_buf line = PL_BUF_INIT(0);
    const char *want[] = {"line one", "line two", "line three"};
    bool eof = false;

    assert_int_equal(pl_reader_open(fixture(name), 0, &r, &err), PL_OK);
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(pl_reader_line(r, &line, &eof, &err), PL_OK);
        assert_false(eof);
        assert_string_equal(pl_buf_cstr(&line), want[i]);
    }
    assert_int_equal(pl_reader_line(r, &line, &eof, &err), PL_OK);
    assert_true(eof);
    assert_int_equal(pl_reader_lineno(r), 3);
    pl_reader_close(r);
    pl_buf_release(&line);
}

static void file_plain_gzip_xz(void **state)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_buf b = PL_BUF_INIT(0);

    (void)state;
    read_lines("lines.txt");
    read_lines("lines.txt.gz");
    read_lines("lines.txt.xz");
    assert_int_equal(pl_file_read(fixture("two-members.gz"), 0, &b, &err), PL_OK);
    assert_int_equal(b.len, 2 * strlen("line one\nline two\r\nline three"));
    pl_buf_release(&b);
}

static void file_errors(void **state)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_buf b = PL_BUF_INIT(0);

    (void)state;
    pl_buf_adds(&b, "keep");
    assert_int_equal(pl_file_read(fixture("truncated.gz"), 0, &b, &err), PL_E_PARSE);
    assert_non_null(strstr(err.msg, "truncated.gz"));
    assert_string_equal(pl_buf_cstr(&b), "keep"); /* untouched on failure */
    assert_int_equal(pl_file_read(fixture("lines.txt.xz"), 10, &b, &err), PL_E_TOOBIG);
    assert_int_equal(pl_file_read(fixture("absent"), 0, &b, &err), PL_E_IO);
    assert_non_null(strstr(err.msg, "cannot open"));
    pl_buf_release(&b);
}

static void escaping(void **state)
{
    static const struct {
        const char *in, *json, *csv, *term, *html;
    } cases[] = {
        {"plain", "plain", "plain", "plain", "plain"},
        {"a\"b", "a\\\"b", "\"a\"\"b\"", "a\"b", "a&quot;b"},
        {"=cmd|' /C calc'!A0", "=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0", "=cmd|' /C calc'!A0",
         "=cmd|&#39; /C calc&#39;!A0"},
        {"-1,2", "-1,2", "\"'-1,2\"", "-1,2", "-1,2"},
        {"\x1b[31mred", "\\u001b[31mred", "\x1b[31mred", "\\x1b[31mred", "[31mred"},
        {"<script>", "<script>", "<script>", "<script>", "&lt;script&gt;"},
        {"caf\xc3\xa9", "caf\xc3\xa9", "caf\xc3\xa9", "caf\xc3\xa9", "caf\xc3\xa9"},
        {"bad\xff", "bad\\ufffd", "bad\xff", "bad\\xff", "bad&#xfffd;"},
        {"line\nbreak", "line\\nbreak", "\"line\nbreak\"", "line\\x0abreak", "line\nbreak"},
    };

    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(cases); i++) {
        struct pl_buf b = PL_BUF_INIT(0);

        pl_escape_json(&b, cases[i].in);
        assert_string_equal(pl_buf_cstr(&b), cases[i].json);
        pl_buf_reset(&b);
        pl_escape_csv(&b, cases[i].in);
        assert_string_equal(pl_buf_cstr(&b), cases[i].csv);
        pl_buf_reset(&b);
        pl_escape_terminal(&b, cases[i].in);
        assert_string_equal(pl_buf_cstr(&b), cases[i].term);
        pl_buf_reset(&b);
        pl_escape_html(&b, cases[i].in);
        assert_string_equal(pl_buf_cstr(&b), cases[i].html);
        pl_buf_release(&b);
    }
}

static void sha256_vectors(void **state)
{
    struct pl_sha256 c;
    char hex[65];
    struct pl_reader *r = NULL;
    char chunk[64];
    size_t n;

    (void)state;
    pl_sha256_init(&c);
    pl_sha256_hex(&c, hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    pl_sha256_init(&c);
    pl_sha256_update(&c, "abc", 3);
    pl_sha256_hex(&c, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    /* the reader hashes the raw bytes it read */
    assert_int_equal(pl_reader_open(fixture("lines.txt"), 0, &r, NULL), PL_OK);
    while (pl_reader_read(r, chunk, sizeof(chunk), &n, NULL) == PL_OK && n > 0)
        ;
    pl_reader_sha256(r, hex);
    pl_reader_close(r);
    pl_sha256_init(&c);
    pl_sha256_update(&c, "line one\nline two\r\nline three", 29);
    {
        char want[65];

        pl_sha256_hex(&c, want);
        assert_string_equal(hex, want);
    }
}

/* One million 'a' (FIPS 180-2 example), in uneven chunks; a copy taken midway finishes alone. */
static void sha256_long_and_copy(void **state)
{
    static char chunk[1000];
    char hex[65];

    (void)state;
    memset(chunk, 'a', sizeof(chunk));
    {
        struct pl_sha256 c, mid;
        size_t done = 0, step = 1;
        bool copied = false;

        pl_sha256_init(&c);
        while (done < 1000000) {
            size_t n = step < 1000000 - done ? step : 1000000 - done;

            pl_sha256_update(&c, chunk, n > sizeof(chunk) ? sizeof(chunk) : n);
            done += n > sizeof(chunk) ? sizeof(chunk) : n;
            step = step * 7 % 997 + 1;
            if (!copied && done >= 3) {
                pl_sha256_copy(&mid, &c);
                copied = true;
                pl_sha256_hex(&mid, hex);
                assert_int_equal(strlen(hex), 64);
            }
        }
        pl_sha256_hex(&c, hex);
        assert_string_equal(hex,
                            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
        /* a released context can be released again */
        pl_sha256_release(&c);
    }
}

static void parse_numbers(void **state)
{
    int64_t v = 7;
    double d = 0;

    (void)state;
    assert_int_equal(pl_parse_i64("-42", &v, NULL), PL_OK);
    assert_int_equal(v, -42);
    assert_int_equal(pl_parse_i64("42x", &v, NULL), PL_E_PARSE);
    assert_int_equal(pl_parse_i64(" 4", &v, NULL), PL_E_PARSE);
    assert_int_equal(pl_parse_i64("99999999999999999999", &v, NULL), PL_E_PARSE);
    assert_int_equal(v, -42);
    assert_int_equal(pl_parse_double("9.8", &d, NULL), PL_OK);
    assert_true(d > 9.79 && d < 9.81);
    assert_int_equal(pl_parse_double("nan", &d, NULL), PL_E_PARSE);
    assert_true(pl_utf8_valid("caf\xc3\xa9", 5));
    assert_false(pl_utf8_valid("\xc0\xaf", 2));
    assert_int_equal(pl_strcasecmp("Active", "aCTIVE"), 0);
}

static void loopback_addresses(void **state)
{
    static const char *const yes[] = {"127.0.0.1", "127.255.0.9", "::1", "[::1]", "0:0::1"};
    static const char *const no[] = {
        "128.0.0.1", "10.0.0.1", "localhost",         "::2",  "[::1", "::1]",
        "",          "[]",       "::ffff:127.0.0.1x", "1.2.3"};

    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(yes); i++)
        assert_true(pl_is_loopback_address(yes[i]));
    for (size_t i = 0; i < PL_ARRAY_LEN(no); i++)
        assert_false(pl_is_loopback_address(no[i]));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(error_set_and_prefix),
        cmocka_unit_test(loopback_addresses),
        cmocka_unit_test(buf_grows_and_caps),
        cmocka_unit_test(clock_parse_and_format),
        cmocka_unit_test(clock_simulated),
        cmocka_unit_test(durations),
        cmocka_unit_test(file_plain_gzip_xz),
        cmocka_unit_test(file_errors),
        cmocka_unit_test(escaping),
        cmocka_unit_test(sha256_vectors),
        cmocka_unit_test(sha256_long_and_copy),
        cmocka_unit_test(parse_numbers),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
