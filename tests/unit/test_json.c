/*
 * test_json.c - the streaming JSON layer: records at a path, top-level
 * arrays, JSON lines, whole documents, damaged input and caps.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cmocka.h>

#include "patchline/buf.h"
#include "patchline/file.h"
#include "patchline/json.h"

struct seen {
    struct pl_buf out; /* "index:summary;" per record */
    uint64_t n;
    char rest[256];
    int stop_at; /* return PL_E_PARSE at this index (-1: never) */
};

/* A short text form of a value: type letter and contents. */
static void describe(const struct pl_json *v, struct pl_buf *b)
{
    switch (v->type) {
    case PL_JSON_OBJECT:
        pl_buf_addch(b, '{');
        for (const struct pl_json *m = v->child; m; m = m->next) {
            pl_buf_addf(b, "%s=", m->key);
            describe(m, b);
            if (m->next)
                pl_buf_addch(b, ',');
        }
        pl_buf_addch(b, '}');
        break;
    case PL_JSON_ARRAY:
        pl_buf_addch(b, '[');
        for (const struct pl_json *m = v->child; m; m = m->next) {
            describe(m, b);
            if (m->next)
                pl_buf_addch(b, ',');
        }
        pl_buf_addch(b, ']');
        break;
    default:
        pl_buf_adds(b, v->str);
        break;
    }
}

static pl_status on_record(const struct pl_json *v, uint64_t index, void *data,
                           struct pl_error *err)
{
    struct seen *s = data;

    if (s->stop_at >= 0 && (uint64_t)s->stop_at == index)
        return pl_error_set(err, PL_E_PARSE, "field 'x': stop here");
    pl_buf_addf(&s->out, "%llu:", (unsigned long long)index);
    describe(v, &s->out);
    pl_buf_addch(&s->out, ';');
    s->n++;
    return PL_OK;
}

static pl_status on_rest(const struct pl_json *v, uint64_t index, void *data, struct pl_error *err)
{
    struct seen *s = data;
    struct pl_buf b = PL_BUF_INIT(sizeof(s->rest) - 1);

    (void)index;
    (void)err;
    describe(v, &b);
    snprintf(s->rest, sizeof(s->rest), "%s", pl_buf_cstr(&b));
    pl_buf_release(&b);
    return PL_OK;
}

static char tmp_path[256];

static void write_file(const char *text, size_t n)
{
    const char *dir = getenv("TMPDIR");
    FILE *fp;
    int fd;

    snprintf(tmp_path, sizeof(tmp_path), "%s/pl-json-XXXXXX", dir && *dir ? dir : "/tmp");
    fd = mkstemp(tmp_path);
    assert_true(fd >= 0);
    fp = fdopen(fd, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(text, 1, n, fp), n);
    assert_int_equal(fclose(fp), 0);
}

/* Parse text with the given options; returns the status, fills s and err. */
static pl_status run(const char *text, struct pl_json_stream_opts *o, struct seen *s,
                     struct pl_error *err)
{
    struct pl_reader *r;
    pl_status rc;

    write_file(text, strlen(text));
    pl_buf_init(&s->out, 0);
    s->n = 0;
    s->rest[0] = '\0';
    o->on_record = on_record;
    o->data = s;
    assert_int_equal(pl_reader_open(tmp_path, 0, &r, NULL), PL_OK);
    rc = pl_json_stream(r, o, err);
    pl_reader_close(r);
    unlink(tmp_path);
    return rc;
}

static void json_records_at_path(void **state)
{
    struct pl_json_stream_opts o = {.records_path = "a.b", .on_rest = on_rest};
    struct seen s = {.stop_at = -1};
    struct pl_error err = PL_ERROR_INIT;
    (void)state;

    assert_int_equal(run("{\"v\": 1, \"a\": {\"x\": true, \"b\": [{\"k\": \"s\"}, [1, 2], 3, "
                         "null]}, \"w\": \"z\"}",
                         &o, &s, &err),
                     PL_OK);
    assert_string_equal(pl_buf_cstr(&s.out), "0:{k=s};1:[1,2];2:3;3:null;");
    assert_string_equal(s.rest, "{v=1,a={x=true,b=[]},w=z}");
    pl_buf_release(&s.out);
}

static void json_path_must_be_array(void **state)
{
    struct pl_json_stream_opts o = {.records_path = "items"};
    struct seen s = {.stop_at = -1};
    struct pl_error err = PL_ERROR_INIT;
    (void)state;

    /* the name at the wrong depth is not the records array */
    assert_int_equal(run("{\"x\": {\"items\": [1]}, \"items\": {\"n\": 1}}", &o, &s, &err),
                     PL_E_PARSE);
    assert_non_null(strstr(err.msg, ": no 'items' array of records"));
    assert_int_equal(s.n, 0);
    pl_buf_release(&s.out);
}

static void json_top_level_array(void **state)
{
    struct pl_json_stream_opts o = {.records_path = ""};
    struct seen s = {.stop_at = -1};
    struct pl_error err = PL_ERROR_INIT;
    (void)state;

    assert_int_equal(run(" [ {\"a\": [\"\\u00e9\"]}, \"t\\n\", -1.5e3 ] ", &o, &s, &err), PL_OK);
    assert_string_equal(pl_buf_cstr(&s.out), "0:{a=[\xc3\xa9]};1:t\n;2:-1.5e3;");
    pl_buf_release(&s.out);
}

/*
 * An escaped NUL becomes U+FFFD (yajl itself turns a lone surrogate escape into '?');
 * raw overlong bytes are refused.
 */
static void json_escaped_junk_and_raw_overlong(void **state)
{
    struct pl_json_stream_opts o = {.records_path = ""};
    struct seen s = {.stop_at = -1};
    struct pl_error err = PL_ERROR_INIT;
    (void)state;

    assert_int_equal(run("[\"a\\u0000b\", \"\\ud800x\"]", &o, &s, &err), PL_OK);
    assert_string_equal(pl_buf_cstr(&s.out), "0:a\xef\xbf\xbd"
                                             "b;1:?x;");
    pl_buf_release(&s.out);
    assert_int_equal(run("[\"\xc0\xaf\"]", &o, &s, &err), PL_E_PARSE);
    assert_non_null(strstr(err.msg, "not valid UTF-8"));
    pl_buf_release(&s.out);
}

static void json_lines(void **state)
{
    struct pl_json_stream_opts o = {.lines = true};
    struct seen s = {.stop_at = -1};
    struct pl_error err = PL_ERROR_INIT;
    (void)state;

    assert_int_equal(run("{\"a\":1}\n{\"a\":2}\n\n[3]\n", &o, &s, &err), PL_OK);
    assert_string_equal(pl_buf_cstr(&s.out), "0:{a=1};1:{a=2};2:[3];");
    pl_buf_release(&s.out);
}

static void json_whole_document(void **state)
{
    struct pl_json_stream_opts o = {0};
    struct seen s = {.stop_at = -1};
    struct pl_error err = PL_ERROR_INIT;
    const char *doc = "{\"cve\": {\"id\": \"CVE-2024-3094\", \"m\": {\"s\": 10}}}";
    (void)state;

    assert_int_equal(run(doc, &o, &s, &err), PL_OK);
    assert_string_equal(pl_buf_cstr(&s.out), "0:{cve={id=CVE-2024-3094,m={s=10}}};");
    pl_buf_release(&s.out);
}

static void json_callback_error_names_record(void **state)
{
    struct pl_json_stream_opts o = {.records_path = ""};
    struct seen s = {.stop_at = 1};
    struct pl_error err = PL_ERROR_INIT;
    char want[300];
    (void)state;

    assert_int_equal(run("[1, 2, 3]", &o, &s, &err), PL_E_PARSE);
    snprintf(want, sizeof(want), "%s: record 2: field 'x': stop here", tmp_path);
    assert_string_equal(err.msg, want);
    assert_int_equal(s.n, 1);
    pl_buf_release(&s.out);
}

static const struct {
    const char *name, *text, *records_path, *msg;
    bool lines;
} damaged[] = {
    {"truncated", "{\"v\": [{\"a\": 1}, {\"a\": ", "v", ": byte 24: parse error: premature EOF",
     false},
    {"bad utf-8", "[\"ok\", \"\xff\xfe\"]", "",
     ": byte 9: lexical error: invalid bytes in UTF8 string.", false},
    {"wrong nesting", "{\"v\": [1, 2}", "v",
     ": byte 12: parse error: after array element, I expect ',' or ']'", false},
    {"garbage", "\x01\x02\x03", "", ": byte 1: lexical error: invalid char in json text.", false},
    {"trailing value", "[1] [2]", "", ": byte 5: parse error: trailing garbage", false},
    {"bad line", "{\"a\":1}\n{\"a\":}\n", NULL,
     ": byte 14: parse error: unallowed token at this point in JSON text", true},
    {"not an array", "{\"v\": 3}", "v", ": no 'v' array of records", false},
};

static void json_damaged_input(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(damaged) / sizeof(damaged[0]); i++) {
        struct pl_json_stream_opts o = {.records_path = damaged[i].records_path,
                                        .lines = damaged[i].lines};
        struct seen s = {.stop_at = -1};
        struct pl_error err = PL_ERROR_INIT;
        char want[400];

        assert_int_equal(run(damaged[i].text, &o, &s, &err), PL_E_PARSE);
        snprintf(want, sizeof(want), "%s%s", tmp_path, damaged[i].msg);
        if (strcmp(err.msg, want) != 0)
            fail_msg("%s: got '%s', want '%s'", damaged[i].name, err.msg, want);
        pl_buf_release(&s.out);
    }
}

static void json_deep_nesting(void **state)
{
    struct pl_json_stream_opts o = {.records_path = ""};
    struct seen s = {.stop_at = -1};
    struct pl_error err = PL_ERROR_INIT;
    size_t depth = 100000;
    char *text = malloc(2 * depth + 1);
    (void)state;

    memset(text, '[', depth);
    memset(text + depth, ']', depth);
    text[2 * depth] = '\0';
    assert_int_equal(run(text, &o, &s, &err), PL_E_PARSE);
    assert_non_null(strstr(err.msg, "nesting deeper than 512 levels"));
    free(text);
    pl_buf_release(&s.out);
}

static long max_rss_kb(void)
{
    struct rusage ru;

    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

/* A 100 MB string stops at the record cap, without buffering the string. */
static void json_huge_string_is_toobig(void **state)
{
    struct pl_json_stream_opts o = {.records_path = "", .max_record = (size_t)1024 * 1024};
    struct seen s = {.stop_at = -1};
    struct pl_error err = PL_ERROR_INIT;
    size_t chunk = (size_t)1024 * 1024;
    char *block = malloc(chunk);
    struct pl_reader *r;
    long before;
    FILE *fp;
    (void)state;

    memset(block, 'a', chunk);
    write_file("[\"", 2);
    fp = fopen(tmp_path, "ab");
    assert_non_null(fp);
    for (int i = 0; i < 100; i++)
        assert_int_equal(fwrite(block, 1, chunk, fp), chunk);
    assert_int_equal(fwrite("\"]", 1, 2, fp), 2);
    assert_int_equal(fclose(fp), 0);
    free(block);
    pl_buf_init(&s.out, 0);
    o.on_record = on_record;
    o.data = &s;
    before = max_rss_kb();
    assert_int_equal(pl_reader_open(tmp_path, 0, &r, NULL), PL_OK);
    assert_int_equal(pl_json_stream(r, &o, &err), PL_E_TOOBIG);
    pl_reader_close(r);
    unlink(tmp_path);
    assert_non_null(strstr(err.msg, ": a single value is larger than 1048576 bytes"));
    /* far below the 100 MB of the string */
    assert_true(max_rss_kb() - before < (long)32 * 1024);
    assert_int_equal(s.n, 0);
    pl_buf_release(&s.out);
}

static void json_record_cap(void **state)
{
    struct pl_json_stream_opts o = {.records_path = "", .max_record = 4096};
    struct seen s = {.stop_at = -1};
    struct pl_error err = PL_ERROR_INIT;
    struct pl_buf text = PL_BUF_INIT(0);
    (void)state;

    /* many small values: each event is fine, the record's tree is not */
    pl_buf_adds(&text, "[[");
    for (int i = 0; i < 2000; i++)
        pl_buf_addf(&text, "%s\"abcdefgh\"", i ? "," : "");
    pl_buf_adds(&text, "], 1]");
    assert_int_equal(run(pl_buf_cstr(&text), &o, &s, &err), PL_E_TOOBIG);
    assert_non_null(strstr(err.msg, "record 1: record larger than 4096 bytes"));
    pl_buf_release(&text);
    pl_buf_release(&s.out);
}

static void json_accessors(void **state)
{
    struct pl_json n = {PL_JSON_NUMBER, "k", "42", 2, NULL, NULL, NULL};
    struct pl_json str = {PL_JSON_STRING, "s", "x", 1, NULL, NULL, NULL};
    struct pl_json obj = {PL_JSON_OBJECT, NULL, NULL, 2, &n, NULL, &str};
    int64_t i = 0;
    double d = 0;
    (void)state;

    n.next = &str;
    assert_ptr_equal(pl_json_get(&obj, "s"), &str);
    assert_null(pl_json_get(&obj, "absent"));
    assert_null(pl_json_get(&n, "k"));
    assert_string_equal(pl_json_get_string(&obj, "s"), "x");
    assert_null(pl_json_get_string(&obj, "k"));
    assert_true(pl_json_int(&n, &i));
    assert_int_equal(i, 42);
    assert_true(pl_json_double(&n, &d));
    assert_false(pl_json_int(&str, &i));
    assert_string_equal(pl_json_type_name(PL_JSON_OBJECT), "object");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(json_records_at_path),
        cmocka_unit_test(json_path_must_be_array),
        cmocka_unit_test(json_top_level_array),
        cmocka_unit_test(json_lines),
        cmocka_unit_test(json_escaped_junk_and_raw_overlong),
        cmocka_unit_test(json_whole_document),
        cmocka_unit_test(json_callback_error_names_record),
        cmocka_unit_test(json_damaged_input),
        cmocka_unit_test(json_deep_nesting),
        cmocka_unit_test(json_huge_string_is_toobig),
        cmocka_unit_test(json_record_cap),
        cmocka_unit_test(json_accessors),
    };
    return cmocka_run_group_tests_name("json", tests, NULL, NULL);
}
