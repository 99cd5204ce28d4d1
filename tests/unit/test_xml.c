/*
 * test_xml.c - the XML front door: element walking, attributes, trees,
 * records, and damaged or hostile input (truncated, entities, caps,
 * invalid UTF-8, binary garbage).
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

#include "patchline/file.h"
#include "patchline/xml.h"

struct fx {
    char path[64];
    struct pl_reader *r;
    struct pl_xml *x;
};

/* Write data to a temporary file and open an XML reader on it. */
static void fx_open(struct fx *f, const char *data, size_t n, const struct pl_xml_opts *o)
{
    struct pl_error err = PL_ERROR_INIT;
    int fd;

    snprintf(f->path, sizeof(f->path), "/tmp/pl-xml-XXXXXX");
    fd = mkstemp(f->path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, data, n), (ssize_t)n);
    close(fd);
    assert_int_equal(pl_reader_open(f->path, 0, &f->r, &err), PL_OK);
    assert_int_equal(pl_xml_open(f->r, o, &f->x, &err), PL_OK);
}

static void fx_close(struct fx *f)
{
    pl_xml_close(f->x);
    pl_reader_close(f->r);
    unlink(f->path);
}

static const char doc[] = "<?xml version=\"1.0\"?>\n"
                          "<!DOCTYPE nmaprun>\n"
                          "<nmaprun scanner=\"nmap\" start=\"1700000000\">\n"
                          "<host><status state=\"up\"/>\n"
                          "<address addr=\"10.0.0.5\" addrtype=\"ipv4\"/>\n"
                          "<hostnames><hostname name=\"a &amp; b\"/></hostnames>\n"
                          "<note>one<![CDATA[<two>]]>three</note>\n"
                          "</host>\n"
                          "<host><status state=\"down\"/></host>\n"
                          "</nmaprun>\n";

static void walk_and_attrs(void **state)
{
    struct pl_error err = PL_ERROR_INIT;
    struct fx f;
    bool found = false;

    (void)state;
    fx_open(&f, doc, strlen(doc), NULL);
    assert_int_equal(pl_xml_next(f.x, NULL, &found, &err), PL_OK);
    assert_true(found);
    assert_string_equal(pl_xml_name(f.x), "nmaprun");
    assert_int_equal(pl_xml_depth(f.x), 0);
    assert_string_equal(pl_xml_attr(f.x, "start"), "1700000000");
    assert_null(pl_xml_attr(f.x, "nope"));
    assert_int_equal(pl_xml_next(f.x, "hostname", &found, &err), PL_OK);
    assert_true(found);
    assert_string_equal(pl_xml_attr(f.x, "name"), "a & b");
    assert_int_equal(pl_xml_line(f.x), 6);
    assert_int_equal(pl_xml_next(f.x, "status", &found, &err), PL_OK);
    assert_string_equal(pl_xml_attr(f.x, "state"), "down");
    assert_int_equal(pl_xml_next(f.x, "status", &found, &err), PL_OK);
    assert_false(found);
    fx_close(&f);
}

static void tree_of_one_element(void **state)
{
    struct pl_error err = PL_ERROR_INIT;
    const struct pl_xml_node *h, *c;
    struct fx f;
    bool found = false;

    (void)state;
    fx_open(&f, doc, strlen(doc), NULL);
    assert_int_equal(pl_xml_next(f.x, "host", &found, &err), PL_OK);
    assert_int_equal(pl_xml_tree(f.x, &h, &err), PL_OK);
    assert_string_equal(h->name, "host");
    assert_int_equal(h->line, 4);
    c = pl_xml_child(h, "address");
    assert_non_null(c);
    assert_string_equal(pl_xml_node_attr(c, "addrtype"), "ipv4");
    assert_string_equal(pl_xml_node_attr(pl_xml_child(pl_xml_child(h, "hostnames"), NULL), "name"),
                        "a & b");
    assert_string_equal(pl_xml_child_text(h, "note"), "one<two>three");
    assert_null(pl_xml_child(h, "missing"));
    assert_null(pl_xml_sibling(pl_xml_child(h, "note"), NULL));
    /* the tree was consumed: the next host is the second one */
    assert_int_equal(pl_xml_next(f.x, "host", &found, &err), PL_OK);
    assert_true(found);
    assert_int_equal(pl_xml_tree(f.x, &h, &err), PL_OK);
    assert_string_equal(pl_xml_node_attr(pl_xml_child(h, "status"), "state"), "down");
    fx_close(&f);
}

static pl_status count_up(const struct pl_xml_node *rec, uint64_t index, void *data,
                          struct pl_error *err)
{
    char *states = data;
    const char *s = pl_xml_node_attr(pl_xml_child(rec, "status"), "state");

    (void)err;
    states[index] = s ? s[0] : '?';
    return PL_OK;
}

static pl_status stop_at_second(const struct pl_xml_node *rec, uint64_t index, void *data,
                                struct pl_error *err)
{
    (void)rec;
    (void)data;
    if (index == 1)
        return pl_error_set(err, PL_E_INVALID, "stop");
    return PL_OK;
}

static void each_record(void **state)
{
    struct pl_error err = PL_ERROR_INIT;
    char states[3] = {0};
    uint64_t n = 0;
    struct fx f;

    (void)state;
    fx_open(&f, doc, strlen(doc), NULL);
    assert_int_equal(pl_xml_each(f.x, "host", count_up, states, &n, &err), PL_OK);
    assert_int_equal(n, 2);
    assert_string_equal(states, "ud");
    fx_close(&f);
    fx_open(&f, doc, strlen(doc), NULL);
    assert_int_equal(pl_xml_each(f.x, "host", stop_at_second, NULL, &n, &err), PL_E_INVALID);
    assert_int_equal(n, 1);
    assert_string_equal(err.msg, "stop");
    fx_close(&f);
}

/* Run input through pl_xml_each and expect code with message "PATH" + suffix. */
static void expect_fail(const char *data, size_t len, const struct pl_xml_opts *o, pl_status code,
                        const char *suffix)
{
    struct pl_error err = PL_ERROR_INIT;
    char want[512];
    char states[64] = {0};
    struct fx f;

    fx_open(&f, data, len, o);
    pl_status rc = pl_xml_each(f.x, "host", count_up, states, NULL, &err);
    if (rc != code)
        print_message("%s\n", err.msg);
    assert_int_equal(rc, code);
    snprintf(want, sizeof(want), "%s%s", f.path, suffix);
    assert_string_equal(err.msg, want);
    fx_close(&f);
}

static void damaged_input(void **state)
{
    static const char garbage[] = "\x1f\x00\xff\xfe binary \x01\x02";
    (void)state;
    expect_fail("<nmaprun><host><status state=\"up\"/>", 36, NULL, PL_E_PARSE,
                ":1: truncated XML: input ends inside element 'host'");
    expect_fail("<a><host>\xff\xfe</host></a>", 22, NULL, PL_E_PARSE,
                ":1: malformed XML: Input is not proper UTF-8, indicate encoding !\n"
                "Bytes: 0xFF 0xFE 0x3C 0x2F");
    expect_fail(garbage, sizeof(garbage) - 1, NULL, PL_E_PARSE,
                ":1: malformed XML: Document is empty");
    expect_fail("<a><host></a>", 13, NULL, PL_E_PARSE,
                ":1: malformed XML: Opening and ending tag mismatch: host line 1 and a");
    expect_fail("", 0, NULL, PL_E_PARSE, ": empty document");
}

static void entities_refused(void **state)
{
    static const char internal[] = "<!DOCTYPE a [<!ENTITY e \"x\">]>\n<a><host>&e;</host></a>";
    static const char external[] =
        "<!DOCTYPE a [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>\n<a><host>&e;</host></a>";
    static const char undeclared[] = "<a><host>&e;</host></a>";

    (void)state;
    expect_fail(internal, strlen(internal), NULL, PL_E_PARSE,
                ":2: entity reference '&e;' not allowed");
    expect_fail(external, strlen(external), NULL, PL_E_PARSE,
                ":2: entity reference '&e;' not allowed");
    expect_fail(undeclared, strlen(undeclared), NULL, PL_E_PARSE,
                ":1: malformed XML: Entity 'e' not defined");
}

static void caps(void **state)
{
    struct pl_xml_opts depth = {.max_depth = 3};
    struct pl_xml_opts text = {.max_text = 8};
    struct pl_xml_opts tree = {.max_tree = 256};
    const size_t big = (size_t)10 * 1024 * 1024;
    char *huge = malloc(big + 64);
    size_t n;

    (void)state;
    expect_fail("<a><b><host><c/></host></b></a>", 31, &depth, PL_E_TOOBIG,
                ":1: elements nested deeper than 3");
    expect_fail("<a><host>123456789</host></a>", 29, &text, PL_E_TOOBIG,
                ":1: text exceeds 8 bytes");
    expect_fail("<a><host x=\"123456789\"/></a>", 28, &text, PL_E_TOOBIG,
                ":1: element 'host': attribute 'x' exceeds 8 bytes");
    expect_fail("<a><host><b/><b/><b/><b/><b/><b/><b/><b/><b/><b/></host></a>", 60, &tree,
                PL_E_TOOBIG, ":1: element 'b' exceeds 256 bytes");
    /* a 10 MB attribute with the default caps */
    assert_non_null(huge);
    memcpy(huge, "<a><host x=\"", 12);
    memset(huge + 12, 'A', big);
    memcpy(huge + 12 + big, "\"/></a>", 7);
    n = 12 + big + 7;
    expect_fail(huge, n, NULL, PL_E_TOOBIG, ":1: an item exceeds the XML parser's size limit");
    /* 2 MB: over Patchline's cap, under libxml2's */
    memcpy(huge + 12 + 2 * 1024 * 1024, "\"/></a>", 7);
    expect_fail(huge, 12 + 2 * 1024 * 1024 + 7, NULL, PL_E_TOOBIG,
                ":1: element 'host': attribute 'x' exceeds 1048576 bytes");
    free(huge);
}

static void external_dtd_not_loaded(void **state)
{
    struct pl_error err = PL_ERROR_INIT;
    char dtd[64], text[256];
    struct fx f;
    bool found = false;
    FILE *fp;
    int fd;

    (void)state;
    snprintf(dtd, sizeof(dtd), "/tmp/pl-dtd-XXXXXX");
    fd = mkstemp(dtd);
    assert_true(fd >= 0);
    fp = fdopen(fd, "w");
    assert_non_null(fp);
    fputs("<!ATTLIST host loaded CDATA \"yes\">\n", fp);
    fclose(fp);
    snprintf(text, sizeof(text), "<!DOCTYPE a SYSTEM \"%s\">\n<a><host/></a>", dtd);
    fx_open(&f, text, strlen(text), NULL);
    assert_int_equal(pl_xml_next(f.x, "host", &found, &err), PL_OK);
    assert_true(found);
    assert_null(pl_xml_attr(f.x, "loaded")); /* the DTD was never read */
    fx_close(&f);
    unlink(dtd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(walk_and_attrs),
        cmocka_unit_test(tree_of_one_element),
        cmocka_unit_test(each_record),
        cmocka_unit_test(damaged_input),
        cmocka_unit_test(entities_refused),
        cmocka_unit_test(caps),
        cmocka_unit_test(external_dtd_not_loaded),
    };
    return cmocka_run_group_tests_name("xml", tests, NULL, NULL);
}
