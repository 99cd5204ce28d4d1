/*
 * test_import_sbom.c - the SBOM importers (CycloneDX, SPDX 2 JSON, SPDX
 * tag-value, SPDX 3) on small fixtures, and every importer of import-scan
 * on damaged input: truncated, a field of the wrong type, a 10 MB field,
 * invalid UTF-8. Errors must name the file and the element, and nothing
 * may be stored.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "inventory/scan_int.h"
#include "scan_test_util.h"

/* The same BOM in CycloneDX JSON and XML: the asset, packages, a VEX statement, a finding. */
static void cyclonedx_sbom_and_vex(void **state)
{
    static const struct {
        const char *file;
        pl_inv_import_fn fn;
    } cases[] = {{"sbom/app.cdx.json", pl__inventory_import_cyclonedx},
                 {"sbom/app.cdx.xml", pl__inventory_import_cyclonedx_xml}};

    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(cases); i++) {
        struct pl_inv_import_stats st;
        struct tstore t;
        char buf[1024];

        tstore_open(&t);
        TIMPORT_OK(&t, cases[i].fn, tfix(cases[i].file), &st);
        assert_int_equal(st.records, 5);
        assert_int_equal(st.created, 1);
        assert_int_equal(st.packages, 5);
        assert_int_equal(st.skipped, 1);
        assert_int_equal(st.vulns, 2);
        assert_string_equal(ttext(&t, "SELECT name || '|' || kind FROM assets", buf, sizeof(buf)),
                            "shop-api 2.3.0|host");
        assert_string_equal(ttext(&t,
                                  "SELECT group_concat(x, ' ') FROM (SELECT ecosystem || ':' "
                                  "|| name || '@' || version AS x FROM packages ORDER BY "
                                  "ecosystem, name)",
                                  buf, sizeof(buf)),
                            "maven:org.apache.logging.log4j:log4j-core@2.14.1 "
                            "npm:@babel/core@7.23.0 npm:express@4.18.2 npm:lodash@4.17.20 "
                            "npm:qs@6.11.0");
        assert_string_equal(
            ttext(&t,
                  "SELECT asset_id || '|' || source || '|' || vuln_id || '|' || product || '|' "
                  "|| state || '|' || justification || '|' || response || '|' || detail FROM "
                  "vex_statements",
                  buf, sizeof(buf)),
            "1|cyclonedx-vex:urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79|CVE-2021-44228|pkg:"
            "maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar|not_affected|code_not_"
            "reachable|will_not_fix,update|JndiLookup is removed from the class path.");
        assert_string_equal(ttext(&t,
                                  "SELECT source || '|' || vuln_id || '|' || package || '|' "
                                  "|| installed_version || '|' || severity || '|' || title "
                                  "FROM scanner_vulns",
                                  buf, sizeof(buf)),
                            "cyclonedx|CVE-2021-23337|lodash|4.17.20|high|Command injection via "
                            "template.");
        TIMPORT_OK(&t, cases[i].fn, tfix(cases[i].file), &st);
        assert_int_equal(st.created, 0);
        assert_int_equal(tcount(&t, "SELECT count(*) FROM vex_statements"), 1);
        assert_int_equal(tcount(&t, "SELECT count(*) FROM packages"), 5);
        tstore_close(&t);
    }
}

/* The same SPDX document in three encodings gives the same asset and packages. */
static void spdx_three_ways(void **state)
{
    static const struct {
        const char *file;
        pl_inv_import_fn fn;
        const char *packages;
    } cases[] = {
        {"sbom/app.spdx.json", pl__inventory_import_spdx,
         "dpkg:openssl@3.0.11-1~deb12u2/amd64 npm:express@4.18.2/"},
        {"sbom/app.spdx", pl__inventory_import_spdx_tv,
         "dpkg:openssl@3.0.11-1~deb12u2/amd64 npm:express@4.18.2/"},
        {"sbom/app.spdx3.json", pl__inventory_import_spdx3,
         "npm:express@4.18.2/ pypi:requests@2.31.0/"},
    };

    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(cases); i++) {
        struct pl_inv_import_stats st;
        struct tstore t;
        char buf[512];

        tstore_open(&t);
        TIMPORT_OK(&t, cases[i].fn, tfix(cases[i].file), &st);
        assert_int_equal(st.created, 1);
        assert_string_equal(ttext(&t, "SELECT name FROM assets", buf, sizeof(buf)),
                            "shop-api 2.3.0");
        assert_string_equal(ttext(&t,
                                  "SELECT group_concat(x, ' ') FROM (SELECT ecosystem || ':' "
                                  "|| name || '@' || version || '/' || arch AS x FROM "
                                  "packages ORDER BY ecosystem, name)",
                                  buf, sizeof(buf)),
                            cases[i].packages);
        TIMPORT_OK(&t, cases[i].fn, tfix(cases[i].file), &st);
        assert_int_equal(st.created, 0);
        tstore_close(&t);
    }
}

enum { D_TRUNCATED, D_WRONG_TYPE, D_BIG_FIELD, D_BAD_UTF8, D_N };

struct damage {
    const char *fixture;
    pl_inv_import_fn fn;
    const char *needle;                /* a value made 10 MB long or invalid UTF-8 */
    const char *wrong_from, *wrong_to; /* a field given the wrong type */
    const char *msg[D_N];              /* "{F}" stands for the damaged file */
};

static const struct damage damages[] = {
#include "import_scan_damages.inc"
};

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n = 0;

    if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET))
        fail_msg("read %s", path);
    buf = malloc((size_t)n + 1);
    if (buf == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n)
        fail_msg("read %s", path);
    fclose(f);
    buf[n] = '\0';
    *len = (size_t)n;
    return buf;
}

/* Write data with the first `from` replaced by `to` (to_len bytes). */
static void write_replaced(const char *path, const char *data, size_t len, const char *from,
                           const char *to, size_t to_len)
{
    const char *at = from ? strstr(data, from) : NULL;
    FILE *f = fopen(path, "wb");

    if (f == NULL)
        fail_msg("write %s", path);
    if (from && at == NULL)
        fail_msg("'%s' not in the fixture", from);
    if (at == NULL) {
        fwrite(data, 1, len, f);
    } else {
        fwrite(data, 1, (size_t)(at - data), f);
        fwrite(to, 1, to_len, f);
        fputs(at + strlen(from), f);
    }
    fclose(f);
}

/* "{F}" in want replaced by path. */
static void expect_msg(const char *want, const char *path, const char *got, const char *what)
{
    char full[1024];
    const char *f = strstr(want, "{F}");

    if (f)
        snprintf(full, sizeof(full), "%.*s%s%s", (int)(f - want), want, path, f + 3);
    else
        snprintf(full, sizeof(full), "%s", want);
    if (strcmp(full, got) != 0)
        fail_msg("%s:\n  want: %s\n  got:  %s", what, full, got);
}

static void damaged_inputs(void **state)
{
    static const char *const what[D_N] = {"truncated", "wrong type", "10 MB field", "bad UTF-8"};
    size_t big_len = (size_t)10 * 1024 * 1024;
    char *big = malloc(big_len);

    (void)state;
    memset(big, 'a', big_len);
    for (size_t i = 0; i < PL_ARRAY_LEN(damages); i++) {
        const struct damage *d = &damages[i];
        size_t len;
        char *data = slurp(tfix(d->fixture), &len);
        const char *base = strrchr(d->fixture, '/') + 1;

        for (int k = 0; k < D_N; k++) {
            struct pl_error err = PL_ERROR_INIT;
            struct pl_inv_import_stats st;
            char path[256], label[128], bad[300];
            struct tstore t;
            pl_status rc;

            tstore_open(&t);
            snprintf(path, sizeof(path), "%s/damaged-%s", t.dir, base);
            if (k == D_TRUNCATED)
                write_replaced(path, data, len * 6 / 10, NULL, NULL, 0);
            else if (k == D_WRONG_TYPE)
                write_replaced(path, data, len, d->wrong_from, d->wrong_to, strlen(d->wrong_to));
            else if (k == D_BIG_FIELD)
                write_replaced(path, data, len, d->needle, big, big_len);
            else {
                snprintf(bad, sizeof(bad), "%c\xff%s", d->needle[0], d->needle + 1);
                write_replaced(path, data, len, d->needle, bad, strlen(bad));
            }
            rc = timport(&t, d->fn, path, &st, &err);
            snprintf(label, sizeof(label), "%s %s", d->fixture, what[k]);
            if (rc == PL_OK)
                fail_msg("%s: imported", label);
            if (d->msg[k] == NULL)
                print_message("%s: %s\n", label, err.msg);
            else
                expect_msg(d->msg[k], path, err.msg, label);
            /* nothing stored: the caller's transaction was rolled back */
            assert_int_equal(tcount(&t, "SELECT count(*) FROM assets"), 0);
            assert_int_equal(tcount(&t, "SELECT count(*) FROM scanner_vulns"), 0);
            unlink(path);
            tstore_close(&t);
        }
        free(data);
    }
    free(big);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(cyclonedx_sbom_and_vex),
        cmocka_unit_test(spdx_three_ways),
        cmocka_unit_test(damaged_inputs),
    };
    return cmocka_run_group_tests_name("import_sbom", tests, NULL, NULL);
}
