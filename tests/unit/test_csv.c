/*
 * test_csv.c - the CSV reader: RFC 4180 quoting, line ends, headers, and
 * damaged input (unterminated quotes, stray quotes, invalid UTF-8, NUL
 * bytes, a 10 MB field, too many fields).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "patchline/csv.h"
#include "patchline/file.h"

struct fx {
    char path[64];
    struct pl_reader *r;
    struct pl_csv *c;
};

static pl_status fx_open(struct fx *f, const char *data, size_t n, const struct pl_csv_opts *o,
                         struct pl_error *err)
{
    int fd;
    pl_status rc;

    snprintf(f->path, sizeof(f->path), "/tmp/pl-csv-XXXXXX");
    fd = mkstemp(f->path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, data, n), (ssize_t)n);
    close(fd);
    assert_int_equal(pl_reader_open(f->path, 0, &f->r, err), PL_OK);
    f->c = NULL;
    rc = pl_csv_open(f->r, o, &f->c, err);
    return rc;
}

static void fx_close(struct fx *f)
{
    pl_csv_close(f->c);
    pl_reader_close(f->r);
    unlink(f->path);
}

static const struct pl_csv_opts with_header = {.header = true};

static void quoting_and_line_ends(void **state)
{
    static const char data[] = "\xEF\xBB\xBF Name ,Owner,Notes\r\n"
                               "web-1,ops,\"a, b\"\r\n"
                               "\r\n"
                               "\"db \"\"main\"\"\",,\"two\nlines\"\n"
                               "\"\"\n"
                               "last,x,y";
    struct pl_error err = PL_ERROR_INIT;
    struct fx f;
    bool eof = true;

    (void)state;
    assert_int_equal(fx_open(&f, data, sizeof(data) - 1, &with_header, &err), PL_OK);
    assert_int_equal(pl_csv_ncolumns(f.c), 3);
    assert_int_equal(pl_csv_column(f.c, "NAME"), 0);
    assert_int_equal(pl_csv_column(f.c, "notes"), 2);
    assert_int_equal(pl_csv_column(f.c, "missing"), -1);
    assert_string_equal(pl_csv_column_name(f.c, 0), "Name");

    assert_int_equal(pl_csv_next(f.c, &eof, &err), PL_OK);
    assert_false(eof);
    assert_int_equal(pl_csv_line(f.c), 2);
    assert_int_equal(pl_csv_nfields(f.c), 3);
    assert_string_equal(pl_csv_get(f.c, "name"), "web-1");
    assert_string_equal(pl_csv_get(f.c, "notes"), "a, b");

    assert_int_equal(pl_csv_next(f.c, &eof, &err), PL_OK); /* the blank line is skipped */
    assert_int_equal(pl_csv_line(f.c), 4);
    assert_string_equal(pl_csv_field(f.c, 0), "db \"main\"");
    assert_string_equal(pl_csv_field(f.c, 1), "");
    assert_string_equal(pl_csv_field(f.c, 2), "two\nlines");

    assert_int_equal(pl_csv_next(f.c, &eof, &err), PL_OK); /* "" is one empty field, not blank */
    assert_int_equal(pl_csv_line(f.c), 6);
    assert_int_equal(pl_csv_nfields(f.c), 1);
    assert_string_equal(pl_csv_field(f.c, 0), "");
    assert_null(pl_csv_get(f.c, "owner"));

    assert_int_equal(pl_csv_next(f.c, &eof, &err), PL_OK); /* no final line end */
    assert_int_equal(pl_csv_line(f.c), 7);
    assert_string_equal(pl_csv_field(f.c, 2), "y");
    assert_null(pl_csv_field(f.c, 3));

    assert_int_equal(pl_csv_next(f.c, &eof, &err), PL_OK);
    assert_true(eof);
    assert_int_equal(pl_csv_nfields(f.c), 0);
    fx_close(&f);
}

static void other_delimiter_no_header(void **state)
{
    static const char data[] = "a;b\n1;\"x;y\"\n";
    struct pl_csv_opts o = {.delim = ';'};
    struct pl_error err = PL_ERROR_INIT;
    struct fx f;
    bool eof = true;

    (void)state;
    assert_int_equal(fx_open(&f, data, sizeof(data) - 1, &o, &err), PL_OK);
    assert_int_equal(pl_csv_ncolumns(f.c), 0);
    assert_int_equal(pl_csv_next(f.c, &eof, &err), PL_OK);
    assert_string_equal(pl_csv_field(f.c, 1), "b");
    assert_int_equal(pl_csv_next(f.c, &eof, &err), PL_OK);
    assert_string_equal(pl_csv_field(f.c, 1), "x;y");
    fx_close(&f);
}

/* Read every row of data and expect code with message PATH + suffix. */
static void expect_fail(const char *data, size_t n, const struct pl_csv_opts *o, pl_status code,
                        const char *suffix)
{
    struct pl_error err = PL_ERROR_INIT;
    char want[512];
    struct fx f;
    bool eof = false;
    pl_status rc = fx_open(&f, data, n, o, &err);

    while (rc == PL_OK && !eof)
        rc = pl_csv_next(f.c, &eof, &err);
    if (rc != code)
        print_message("%s\n", err.msg);
    assert_int_equal(rc, code);
    snprintf(want, sizeof(want), "%s%s", code == PL_OK ? "" : f.path, suffix);
    assert_string_equal(err.msg, want);
    fx_close(&f);
}

static void damaged_input(void **state)
{
    struct pl_csv_opts three = {.header = true, .max_fields = 3};
    const size_t big = (size_t)10 * 1024 * 1024;
    char *huge = malloc(big + 32);

    (void)state;
    expect_fail("", 0, &with_header, PL_E_PARSE, ": no header row");
    expect_fail("a,,b\n", 5, &with_header, PL_E_PARSE, ":1: column 2: empty column name");
    expect_fail("a,A\n", 4, &with_header, PL_E_PARSE, ":1: column 'A': duplicate column name");
    expect_fail("name,os\nx,\"linux\n", 17, &with_header, PL_E_PARSE,
                ":2: column 'os': unterminated quoted field");
    expect_fail("name,os\nx,\"linux\"z\n", 19, &with_header, PL_E_PARSE,
                ":2: column 'os': text after a closing quote");
    expect_fail("name,os\nx,li\"nux\n", 17, &with_header, PL_E_PARSE,
                ":2: column 'os': quote inside an unquoted field");
    expect_fail("name,os\nok,fine\nx,\xff\xfe\n", 21, &with_header, PL_E_PARSE,
                ":3: column 'os': invalid UTF-8");
    expect_fail("name,os\nx,a\0b\n", 14, &with_header, PL_E_PARSE, ":2: column 'os': NUL byte");
    expect_fail("name,os,ip\n1,2,3,4\n", 19, &three, PL_E_TOOBIG, ":2: row has more than 3 fields");
    expect_fail("name,os\nx,y,z\n", 14, &with_header, PL_OK, "");
    /* a 10 MB field */
    assert_non_null(huge);
    memcpy(huge, "name,os\nx,", 10);
    memset(huge + 10, 'A', big);
    expect_fail(huge, big + 10, &with_header, PL_E_TOOBIG,
                ":2: column 'os': field exceeds 1048576 bytes");
    free(huge);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(quoting_and_line_ends),
        cmocka_unit_test(other_delimiter_no_header),
        cmocka_unit_test(damaged_input),
    };
    return cmocka_run_group_tests_name("csv", tests, NULL, NULL);
}
