/*
 * test_version.c - version orders: table-driven cases per scheme, every row
 * of the shared version_compare data, and hostile input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "patchline/buf.h"
#include "patchline/error.h"
#include "patchline/file.h"
#include "patchline/version.h"

struct cmp_case {
    const char *a, *b;
    int want;
};

static void check_cmp(enum pl_vscheme scheme, const struct cmp_case *c, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        struct pl_error err = PL_ERROR_INIT;
        int got = 99, back = 99;

        if (pl_version_cmp(scheme, c[i].a, c[i].b, &got, &err) != PL_OK)
            fail_msg("%s: '%s' vs '%s': %s", pl_vscheme_name(scheme), c[i].a, c[i].b, err.msg);
        if (got != c[i].want)
            fail_msg("%s: '%s' vs '%s': got %d, want %d", pl_vscheme_name(scheme), c[i].a, c[i].b,
                     got, c[i].want);
        assert_int_equal(pl_version_cmp(scheme, c[i].b, c[i].a, &back, &err), PL_OK);
        assert_int_equal(back, -got);
    }
}

struct bad_case {
    const char *v;
    const char *msg; /* the exact error message */
};

static void check_bad(enum pl_vscheme scheme, const struct bad_case *c, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        struct pl_error err = PL_ERROR_INIT;
        int cmp = 42;

        assert_int_equal(pl_version_valid(scheme, c[i].v, &err), PL_E_PARSE);
        if (strcmp(err.msg, c[i].msg) != 0)
            fail_msg("'%s': got message \"%s\", want \"%s\"", c[i].v, err.msg, c[i].msg);
        assert_int_equal(pl_version_cmp(scheme, "1", c[i].v, &cmp, &err), PL_E_PARSE);
        assert_int_equal(cmp, 42);
    }
}

static void check_good(enum pl_vscheme scheme, const char *const *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        struct pl_error err = PL_ERROR_INIT;
        if (pl_version_valid(scheme, v[i], &err) != PL_OK)
            fail_msg("%s: '%s' should be valid: %s", pl_vscheme_name(scheme), v[i], err.msg);
    }
}

static void names_round_trip(void **state)
{
    static const char *const names[] = {"dpkg", "rpm",    "rpmvercmp", "apk",
                                        "apk3", "semver", "pep440",    "maven"};
    enum pl_vscheme s;

    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(names); i++) {
        assert_true(pl_vscheme_from_name(names[i], &s));
        assert_int_equal(s, (int)i);
        assert_string_equal(pl_vscheme_name(s), names[i]);
    }
    assert_false(pl_vscheme_from_name("DPKG", &s));
    assert_false(pl_vscheme_from_name(NULL, &s));
    assert_string_equal(pl_vscheme_name((enum pl_vscheme)99), "?");
}

static void dpkg_order(void **state)
{
    static const struct cmp_case c[] = {
        {"1.0", "1.0-0", 0},
        {"1.0~rc1", "1.0", -1},
        {"1.0~~", "1.0~", -1},
        {"1:0.1", "2.0", 1},
        {"0:1.0", "1.0", 0},
        {"1.0a", "1.0+", -1},
        {"1.0-1", "1.0-1~deb12u1", 1},
        {" 1.0\t", "1.0", 0},
        {"a", "b", -1},
        {"1.0-1-2", "1.0-1-1", 1},
        {"1:2:3", "1:2:2", 1},
        {"+1:2", "1:2", 0},
        {"-0:1", "1", 0},
        {"2147483647:1", "1:9", 1},
    };
    (void)state;
    check_cmp(PL_VSCHEME_DPKG, c, PL_ARRAY_LEN(c));
}

static void dpkg_invalid(void **state)
{
    static const struct bad_case c[] = {
        {"", "invalid dpkg version '': version string is empty"},
        {" \t ", "invalid dpkg version ' ? ': version string is empty"},
        {"1 0", "invalid dpkg version '1 0': version string has embedded spaces"},
        {":1", "invalid dpkg version ':1': epoch in version is empty"},
        {"a:1", "invalid dpkg version 'a:1': epoch in version is empty"},
        {"1a:1", "invalid dpkg version '1a:1': epoch in version is not number"},
        {"-1:1", "invalid dpkg version '-1:1': epoch in version is negative"},
        {"2147483648:1", "invalid dpkg version '2147483648:1': epoch in version is too big"},
        {"1:", "invalid dpkg version '1:': nothing after colon in version number"},
        {"1-", "invalid dpkg version '1-': revision number is empty"},
        {"1:-1", "invalid dpkg version '1:-1': version number is empty"},
        {"1.0!", "invalid dpkg version '1.0!': invalid character in version number"},
        {"1.0\n", "invalid dpkg version '1.0?': invalid character in version number"},
        {"1.0-a!b", "invalid dpkg version '1.0-a!b': invalid character in revision number"},
    };
    (void)state;
    check_bad(PL_VSCHEME_DPKG, c, PL_ARRAY_LEN(c));
}

static void dpkg_parsed_form(void **state)
{
    struct pl_dpkg_version a, b;
    struct pl_error err = PL_ERROR_INIT;
    const char *s = "2:1.0-3";

    (void)state;
    assert_int_equal(pl_version_dpkg_parse(s, strlen(s), &a, &err), PL_OK);
    assert_int_equal(a.epoch, 2);
    assert_int_equal(a.upstream_len, 3);
    assert_memory_equal(a.upstream, "1.0", 3);
    assert_int_equal(a.revision_len, 1);
    assert_int_equal(pl_version_dpkg_parse("1.0", 3, &b, &err), PL_OK);
    assert_int_equal(b.revision_len, 0);
    assert_int_equal(pl_version_dpkg_cmp_parsed(&a, &b), 1);
    assert_int_equal(pl_version_dpkg_cmp_parsed(&b, &a), -1);
    assert_int_equal(pl_version_dpkg_parse("1:", 2, &b, &err), PL_E_PARSE);
}

static void rpm_parsed_form(void **state)
{
    struct pl_rpm_version a, b;
    struct pl_error err = PL_ERROR_INIT;

    (void)state;
    assert_int_equal(pl_version_rpm_parse("2:1.0-3.el9", 11, &a, &err), PL_OK);
    assert_memory_equal(a.epoch, "2", a.epoch_len);
    assert_int_equal(a.version_len, 3);
    assert_memory_equal(a.release, "3.el9", a.release_len);
    assert_int_equal(pl_version_rpm_parse("1.0", 3, &b, &err), PL_OK);
    assert_null(b.release);
    assert_memory_equal(b.epoch, "0", 1);
    assert_int_equal(pl_version_rpm_cmp_parsed(&a, &b), 1);
    assert_int_equal(pl_version_rpm_parse("2:1.0-3", 7, &b, &err), PL_OK);
    assert_int_equal(pl_version_rpm_cmp_parsed(&b, &a), -1);
    /* An empty release is a release, as in librpm: above a missing one, below any other. */
    assert_int_equal(pl_version_rpm_parse("1.0-", 4, &b, &err), PL_OK);
    assert_non_null(b.release);
    assert_int_equal(b.release_len, 0);
    assert_int_equal(pl_version_rpm_parse("1.0", 3, &a, &err), PL_OK);
    assert_int_equal(pl_version_rpm_cmp_parsed(&b, &a), 1);
}

static void rpm_order(void **state)
{
    static const struct cmp_case evr[] = {
        {"1.0-1", "1.0-2", -1},
        {"1:1.0-1", "2.0-1", 1},
        {"0:1.0-1", "1.0-1", 0},
        {"1.0", "1.0-1", -1},
        {"1.0~rc1-1", "1.0-1", -1},
        {"1.0^git1-1", "1.0-1", 1},
        {"1.0-1.el9", "1.0-1.el9_2", -1},
        {"2.02-1", "2.2-1", 0},
        {":1.0-1", "1.0-1", 0},
        {"1.0-2:3", "1.0-2:4", -1},
        /* what librpm's rpmverParse/rpmverCmp compare: empty versions and releases */
        {"a6-", "a6", 1},
        {"a6-", "a6-1", -1},
        {"Z57^^--", "Z57^^-", 0},
        {"-1", "1", -1},
        {"1:", "1", 1},
        {"1.0-", "1.0-0", -1},
    };
    static const struct cmp_case bare[] = {
        {"1.0", "1.0", 0}, {"1.0a", "1.0", 1}, {"1.0~rc1", "1.0", -1}, {"1.0^", "1.0", 1},
        {"a", "1", -1},    {"1_0", "1.0", 0},  {"", "+", 0},           {"", "^-", -1},
        {"", "", 0},       {"~", "", -1},
    };
    static const struct bad_case bad[] = {
        {"", "invalid rpm version '': version is empty"},
        {"1.0 1", "invalid rpm version '1.0 1': blank or control byte in version"},
        {"\xc3\xa9", "invalid rpm version '?"
                     "?': non-ASCII byte in version"},
    };
    (void)state;
    check_cmp(PL_VSCHEME_RPM, evr, PL_ARRAY_LEN(evr));
    check_cmp(PL_VSCHEME_RPMVERCMP, bare, PL_ARRAY_LEN(bare));
    check_bad(PL_VSCHEME_RPM, bad, PL_ARRAY_LEN(bad));
}

/* Every consecutive pair of list sorts ascending (and equal to itself). */
static void check_ascending(enum pl_vscheme scheme, const char *const *list, size_t n)
{
    for (size_t i = 0; i + 1 < n; i++) {
        struct cmp_case c[2] = {{list[i], list[i + 1], -1}, {list[i], list[i], 0}};
        check_cmp(scheme, c, 2);
    }
}

static void apk_generations_differ(void **state)
{
    static const struct cmp_case both[] = {
        {"1.0.4-r3", "1.0.4-r4", -1}, {"1.3_alpha", "1.3_alpha2", -1},
        {"1.2.2-r1", "1.2.2", 1},     {"1.1_rc1", "1.1", -1},
        {"1.1_p1", "1.1", 1},         {"1.06-r6", "006", -1},
    };
    static const struct cmp_case apk2[] = {{"1.0", "1.00", 1},
                                           {"1.09", "1.010", -1},
                                           {"6.0_pre1", "6.0", -1},
                                           {"6.1_pre1", "6.1", -1},
                                           {"1.0_rc1", "1.0", -1},
                                           {"7.36.0_alpha", "7.36.0", -1},
                                           {"3.20.0_beta_p1", "3.20.0", -1},
                                           {"1.00_rc1", "1.00", -1},
                                           {"1.0_p1", "1.0", 1},
                                           {"8.2.0", "8.2.001", 1}};
    static const struct cmp_case apk3[] = {{"1.0", "1.00", -1},
                                           {"1.09", "1.010", 1},
                                           {"1.0~abc", "1.0~abd", -1},
                                           {"1.0~abc-r1", "1.0-r1", 1}};
    static const char *const only3[] = {"0.1_pre2~1234abcd"};
    static const char *const only2[] = {"0.1-r", "a"};
    struct pl_error err = PL_ERROR_INIT;

    (void)state;
    check_cmp(PL_VSCHEME_APK, both, PL_ARRAY_LEN(both));
    check_cmp(PL_VSCHEME_APK3, both, PL_ARRAY_LEN(both));
    check_cmp(PL_VSCHEME_APK, apk2, PL_ARRAY_LEN(apk2));
    check_cmp(PL_VSCHEME_APK3, apk3, PL_ARRAY_LEN(apk3));
    check_good(PL_VSCHEME_APK3, only3, PL_ARRAY_LEN(only3));
    check_good(PL_VSCHEME_APK, only2, PL_ARRAY_LEN(only2));
    assert_int_equal(pl_version_valid(PL_VSCHEME_APK, only3[0], &err), PL_E_PARSE);
    assert_string_equal(err.msg, "invalid apk version '0.1_pre2~1234abcd': not an apk version "
                                 "(digit{.digit}{letter}{_suffix{#}}{-r#})");
    for (size_t i = 0; i < PL_ARRAY_LEN(only2); i++)
        assert_int_equal(pl_version_valid(PL_VSCHEME_APK3, only2[i], &err), PL_E_PARSE);
    assert_int_equal(pl_version_valid(PL_VSCHEME_APK, "", &err), PL_E_PARSE);
    assert_string_equal(err.msg, "invalid apk version '': version is empty");
}

static void apk_operators(void **state)
{
    struct pl_error err = PL_ERROR_INIT;
    bool m = false;

    (void)state;
    assert_int_equal(pl_version_apk_match(PL_VSCHEME_APK3, "3.6.9", "~", "3.6", &m, &err), PL_OK);
    assert_true(m);
    assert_int_equal(pl_version_apk_match(PL_VSCHEME_APK3, "3.6.9", "!~", "3.6", &m, &err), PL_OK);
    assert_false(m);
    assert_int_equal(pl_version_apk_match(PL_VSCHEME_APK, "1.0", ">=", "1.0", &m, &err), PL_OK);
    assert_true(m);
    assert_int_equal(pl_version_apk_match(PL_VSCHEME_APK3, "1", "<>x", "2", &m, &err),
                     PL_E_INVALID);
    assert_string_equal(err.msg, "unknown apk operator '<>x'");
    assert_int_equal(pl_version_apk_match(PL_VSCHEME_DPKG, "1", "<", "2", &m, &err), PL_E_INVALID);
    assert_string_equal(err.msg, "apk operators need scheme apk or apk3, not dpkg");
}

static void semver_order(void **state)
{
    static const char *const asc[] = {"1.0.0-alpha",
                                      "1.0.0-alpha.1",
                                      "1.0.0-alpha.beta",
                                      "1.0.0-beta",
                                      "1.0.0-beta.2",
                                      "1.0.0-beta.11",
                                      "1.0.0-rc.1",
                                      "1.0.0",
                                      "1.0.1",
                                      "1.1.0",
                                      "2.0.0",
                                      "10.0.0",
                                      "99999999999999999999.0.0"};
    static const struct cmp_case eq[] = {
        {"1.0.0+a", "1.0.0+b.c-d", 0}, {"1.0.0-x+1", "1.0.0-x", 0}, {"1.0.0-1", "1.0.0-a", -1}};
    static const struct bad_case bad[] = {
        {"1.0", "invalid semver version '1.0': expected MAJOR.MINOR.PATCH"},
        {"v1.0.0", "invalid semver version 'v1.0.0': major version is not a number"},
        {"01.0.0", "invalid semver version '01.0.0': number with a leading zero"},
        {"1.0.0-", "invalid semver version '1.0.0-': empty pre-release identifier"},
        {"1.0.0-a..b", "invalid semver version '1.0.0-a..b': empty pre-release identifier"},
        {"1.0.0-01", "invalid semver version '1.0.0-01': numeric pre-release identifier with a "
                     "leading zero"},
        {"1.0.0+", "invalid semver version '1.0.0+': empty build identifier"},
        {"1.0.0+a+b", "invalid semver version '1.0.0+a+b': invalid character in build metadata"},
        {"1.0.0 ", "invalid semver version '1.0.0 ': unexpected character after "
                   "MAJOR.MINOR.PATCH"},
    };
    (void)state;
    check_ascending(PL_VSCHEME_SEMVER, asc, PL_ARRAY_LEN(asc));
    check_cmp(PL_VSCHEME_SEMVER, eq, PL_ARRAY_LEN(eq));
    check_bad(PL_VSCHEME_SEMVER, bad, PL_ARRAY_LEN(bad));
}

static void pep440_order(void **state)
{
    static const char *const asc[] = {"1.0.dev0",    "1.0a1.dev1", "1.0a1",  "1.0a1.post1.dev1",
                                      "1.0a1.post1", "1.0b1",      "1.0rc1", "1.0",
                                      "1.0+abc",     "1.0+abc.5",  "1.0+5",  "1.0.post1.dev0",
                                      "1.0.post1",   "1.1.dev1",   "1.1",    "2.0",
                                      "1!0.1"};
    static const struct cmp_case eq[] = {
        {"1.0", "1.0.0.0", 0},      {"v1.0", "1.0", 0},
        {"1.0alpha1", "1.0a1", 0},  {"1.0-1", "1.0.post1", 0},
        {"1.0c1", "1.0rc1", 0},     {"1.0.RC1", "1.0rc1", 0},
        {"1.0-dev", "1.0.dev0", 0}, {"1.0+Ubuntu.1", "1.0+ubuntu-1", 0},
        {" 1.0\n", "1.0", 0},       {"1.0rev2", "1.0.post2", 0},
        {"0!1.0", "1.0", 0},        {"1.0_preview_2", "1.0rc2", 0}};
    static const struct bad_case bad[] = {
        {"", "invalid pep440 version '': version is empty"},
        {"abc", "invalid pep440 version 'abc': release does not start with a number"},
        {"1.0+", "invalid pep440 version '1.0+': empty local version"},
        {"1.0-foo", "invalid pep440 version '1.0-foo': not a PEP 440 version"},
        {"1..0", "invalid pep440 version '1..0': not a PEP 440 version"},
        {"1.0+a..b", "invalid pep440 version '1.0+a..b': empty segment in local version"},
    };
    (void)state;
    check_ascending(PL_VSCHEME_PEP440, asc, PL_ARRAY_LEN(asc));
    check_cmp(PL_VSCHEME_PEP440, eq, PL_ARRAY_LEN(eq));
    check_bad(PL_VSCHEME_PEP440, bad, PL_ARRAY_LEN(bad));
}

static void maven_order(void **state)
{
    static const char *const qualifiers[] = {"1-alpha2snapshot",
                                             "1-alpha2",
                                             "1-alpha-123",
                                             "1-beta-2",
                                             "1-beta123",
                                             "1-m2",
                                             "1-m11",
                                             "1-rc",
                                             "1-cr2",
                                             "1-rc123",
                                             "1-SNAPSHOT",
                                             "1",
                                             "1-sp",
                                             "1-sp2",
                                             "1-sp123",
                                             "1-abc",
                                             "1-def",
                                             "1-pom-1",
                                             "1-1-snapshot",
                                             "1-1",
                                             "1-2",
                                             "1-123"};
    static const char *const numbers[] = {
        "2.0",   "2-1",    "2.0.a",   "2.0.0.a", "2.0.2", "2.0.123", "2.1.0",  "2.1-a", "2.1b",
        "2.1-c", "2.1-1",  "2.1.0.1", "2.2",     "2.123", "11.a2",   "11.a11", "11.b2", "11.b11",
        "11.m2", "11.m11", "11",      "11.a",    "11b",   "11c",     "11m"};
    static const struct cmp_case eq[] = {{"1", "1.0.0", 0},       {"1", "1-ga", 0},
                                         {"1.0.0-final", "1", 0}, {"1-release", "1", 0},
                                         {"1a1", "1-alpha-1", 0}, {"1cr1", "1rc1", 0},
                                         {"1.0-1", "1-1", 0},     {"1.0.0RC1", "1.0.0-rc-1", 0}};
    static const struct bad_case bad[] = {
        {"", "invalid maven version '': version is empty"},
        {"1 0", "invalid maven version '1 0': blank or control byte in version"},
    };
    (void)state;
    check_ascending(PL_VSCHEME_MAVEN, qualifiers, PL_ARRAY_LEN(qualifiers));
    check_ascending(PL_VSCHEME_MAVEN, numbers, PL_ARRAY_LEN(numbers));
    check_cmp(PL_VSCHEME_MAVEN, eq, PL_ARRAY_LEN(eq));
    check_bad(PL_VSCHEME_MAVEN, bad, PL_ARRAY_LEN(bad));
}

static void hostile_input(void **state)
{
    size_t big = (size_t)10 * 1024 * 1024;
    char *s = malloc(big + 1);
    static const char garbage[] = "\x01\xff\xfe\x80\x7f\x1b[2J";
    static const char bad_utf8[] = "1.0\xc3\x28";
    struct pl_error err = PL_ERROR_INIT;
    int cmp = 7;

    (void)state;
    assert_non_null(s);
    memset(s, '1', big);
    s[big] = '\0';
    for (int k = 0; k < PL_VSCHEME_COUNT; k++) {
        enum pl_vscheme sc = (enum pl_vscheme)k;
        assert_int_equal(pl_version_cmp(sc, s, "1", &cmp, &err), PL_E_TOOBIG);
        assert_int_equal(pl_version_validn(sc, s, big, &err), PL_E_TOOBIG);
        if (sc != PL_VSCHEME_RPMVERCMP) {
            assert_int_equal(pl_version_cmp(sc, garbage, "1", &cmp, &err), PL_E_PARSE);
            assert_int_equal(pl_version_cmp(sc, bad_utf8, "1", &cmp, &err), PL_E_PARSE);
        }
        assert_int_equal(pl_version_cmpn(sc, "1\0002", 3, "1", 1, &cmp, &err), PL_E_PARSE);
        assert_int_equal(cmp, 7);
    }
    assert_int_equal(pl_version_validn(PL_VSCHEME_DPKG, s, big, &err), PL_E_TOOBIG);
    assert_string_equal(err.msg, "dpkg version is 10485760 bytes, over the 256-byte cap");
    assert_int_equal(pl_version_cmpn(PL_VSCHEME_RPM, "1\0002", 3, "1", 1, &cmp, &err), PL_E_PARSE);
    assert_string_equal(err.msg, "invalid rpm version '1?2': contains a NUL byte");
    /* The bare comparator is rpmvercmp(): other bytes only separate segments. */
    assert_int_equal(pl_version_cmp(PL_VSCHEME_RPMVERCMP,
                                    "\x01\xff"
                                    "1",
                                    "1", &cmp, &err),
                     PL_OK);
    assert_int_equal(cmp, 0);
    assert_int_equal(pl_version_cmp(PL_VSCHEME_RPMVERCMP, bad_utf8, "1.0", &cmp, &err), PL_OK);
    assert_int_equal(cmp, 0);
    assert_int_equal(pl_version_cmp(PL_VSCHEME_RPMVERCMP, "", "1", &cmp, &err), PL_OK);
    assert_int_equal(cmp, -1);
    assert_int_equal(pl_version_cmp(PL_VSCHEME_RPM, "1.2.3.4.5.6.7.8.9\x7f", "1", &cmp, &err),
                     PL_E_PARSE);
    assert_string_equal(
        err.msg, "invalid rpm version '1.2.3.4.5.6.7.8.9?': blank or control byte in version");
    assert_int_equal(pl_version_cmp(PL_VSCHEME_RPM, "1.2.3.4.5.6.7.8.9.10.11-1", "1", &cmp, &err),
                     PL_OK);
    free(s);
}

/* Open PL_SHARED_DATA/version_compare/NAME; NULL (and skip) when absent. */
static struct pl_reader *open_shared(const char *name)
{
    static char path[4096];
    const char *dir = getenv("PL_SHARED_DATA");
    struct pl_reader *r = NULL;
    struct pl_error err = PL_ERROR_INIT;

    if (!dir ||
        snprintf(path, sizeof(path), "%s/version_compare/%s", dir, name) >= (int)sizeof(path) ||
        !pl_path_exists(path))
        return NULL;
    if (pl_reader_open(path, 0, &r, &err) != PL_OK)
        fail_msg("%s", err.msg);
    return r;
}

/* Split line in place at tabs into at most max fields; the count. */
static size_t split_tabs(char *line, char **f, size_t max)
{
    size_t n = 0;

    f[n++] = line;
    for (char *p = line; *p && n < max; p++) {
        if (*p == '\t') {
            *p = '\0';
            f[n++] = p + 1;
        }
    }
    return n;
}

/* Run fn over every data row (the header skipped); the number of rows. */
static size_t each_row(const char *name, void (*fn)(char **f, size_t n, uint64_t lineno))
{
    struct pl_reader *r = open_shared(name);
    struct pl_error err = PL_ERROR_INIT;
    struct pl_buf line;
    bool eof = false;
    size_t rows = 0;

    if (!r)
        return 0;
    pl_buf_init(&line, 0);
    for (;;) {
        char *f[4];
        assert_int_equal(pl_reader_line(r, &line, &eof, &err), PL_OK);
        if (eof)
            break;
        if (pl_reader_lineno(r) == 1)
            continue;
        fn(f, split_tabs(line.buf, f, 4), pl_reader_lineno(r));
        rows++;
    }
    pl_buf_release(&line);
    pl_reader_close(r);
    return rows;
}

static enum pl_vscheme row_scheme;

static void cmp_row(char **f, size_t n, uint64_t lineno)
{
    struct pl_error err = PL_ERROR_INIT;
    int got = 9, want = n == 3 ? (int)strtol(f[2], NULL, 10) : 9;

    assert_int_equal(n, 3);
    if (pl_version_cmp(row_scheme, f[0], f[1], &got, &err) != PL_OK)
        fail_msg("line %llu: %s", (unsigned long long)lineno, err.msg);
    if (got != want)
        fail_msg("line %llu: '%s' vs '%s': got %d, want %d", (unsigned long long)lineno, f[0], f[1],
                 got, want);
}

static void apk_row(char **f, size_t n, uint64_t lineno)
{
    struct pl_error err = PL_ERROR_INIT;
    const char *op = n > 1 ? f[1] : "";
    bool m = false;
    int got;

    if (strcmp(op, "valid") == 0 || strcmp(op, "invalid") == 0) {
        pl_status want = strcmp(op, "valid") == 0 ? PL_OK : PL_E_PARSE;
        if (pl_version_valid(PL_VSCHEME_APK3, f[0], &err) != want)
            fail_msg("line %llu: '%s' should be %s", (unsigned long long)lineno, f[0], op);
        return;
    }
    assert_true(n >= 3);
    assert_int_equal(pl_version_apk_match(PL_VSCHEME_APK3, f[0], op, f[2], &m, &err), PL_OK);
    if (!m)
        fail_msg("line %llu: '%s' %s '%s' does not hold", (unsigned long long)lineno, f[0], op,
                 f[2]);
    /* Plain orders: the strict comparison agrees when both strings are valid. */
    if (strlen(op) == 1 && op[0] != '~' &&
        pl_version_cmp(PL_VSCHEME_APK3, f[0], f[2], &got, &err) == PL_OK)
        assert_int_equal(got, op[0] == '<' ? -1 : op[0] == '>' ? 1 : 0);
}

static void shared_dpkg_rows(void **state)
{
    size_t n;

    (void)state;
    row_scheme = PL_VSCHEME_DPKG;
    n = each_row("dpkg_version_cases.tsv", cmp_row);
    if (n == 0)
        skip();
    assert_int_equal(n, 43);
    assert_int_equal(each_row("dpkg_oracle_real_debian_versions.tsv", cmp_row), 1780);
}

static void shared_rpmvercmp_rows(void **state)
{
    size_t n;

    (void)state;
    row_scheme = PL_VSCHEME_RPMVERCMP;
    n = each_row("rpm_rpmvercmp_cases.tsv", cmp_row);
    if (n == 0)
        skip();
    assert_int_equal(n, 91);
}

static void shared_apk_rows(void **state)
{
    size_t n;

    (void)state;
    n = each_row("apk_version_cases.tsv", apk_row);
    if (n == 0)
        skip();
    assert_int_equal(n, 785);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(names_round_trip),
        cmocka_unit_test(dpkg_order),
        cmocka_unit_test(dpkg_invalid),
        cmocka_unit_test(dpkg_parsed_form),
        cmocka_unit_test(rpm_order),
        cmocka_unit_test(rpm_parsed_form),
        cmocka_unit_test(apk_generations_differ),
        cmocka_unit_test(apk_operators),
        cmocka_unit_test(semver_order),
        cmocka_unit_test(pep440_order),
        cmocka_unit_test(maven_order),
        cmocka_unit_test(hostile_input),
        cmocka_unit_test(shared_dpkg_rows),
        cmocka_unit_test(shared_rpmvercmp_rows),
        cmocka_unit_test(shared_apk_rows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
