/*
 * test_cvss.c - CVSS v2, v3.0, v3.1 and v4.0 scoring: specification examples,
 * strict validation with exact messages, and every vector of the shared
 * test-vector files (skipped when PL_SHARED_DATA is absent).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "patchline/buf.h"
#include "patchline/cvss.h"
#include "patchline/file.h"
#include "patchline/parse.h"

#include "core/cvss_int.h"

#define NONE (-1.0) /* no temporal / environmental metrics in the vector */

struct good_case {
    const char *vector;
    enum pl_cvss_version version;
    double base, temporal, environmental; /* NONE: the flag must be false */
};

static const struct good_case good_cases[] = {
    /* CVSS v2 guide §3.3 examples: CVE-2002-0392, CVE-2003-0818, CVE-2003-0062 */
    {"AV:N/AC:L/Au:N/C:N/I:N/A:C", PL_CVSS_V2, 7.8, NONE, NONE},
    {"AV:N/AC:L/Au:N/C:N/I:N/A:C/E:F/RL:OF/RC:C", PL_CVSS_V2, 7.8, 6.4, NONE},
    {"AV:N/AC:L/Au:N/C:N/I:N/A:C/E:F/RL:OF/RC:C/CDP:H/TD:H/CR:M/IR:M/AR:H", PL_CVSS_V2, 7.8, 6.4,
     9.2},
    {"AV:N/AC:L/Au:N/C:C/I:C/A:C/E:F/RL:OF/RC:C/CDP:H/TD:H/CR:M/IR:M/AR:L", PL_CVSS_V2, 10.0, 8.3,
     9.0},
    {"AV:L/AC:H/Au:N/C:C/I:C/A:C/E:POC/RL:OF/RC:C/CDP:H/TD:H/CR:M/IR:M/AR:M", PL_CVSS_V2, 6.2, 4.9,
     7.5},
    {"(AV:N/AC:L/Au:N/C:P/I:P/A:P)", PL_CVSS_V2, 7.5, NONE, NONE},
    {"AV:L/AC:H/Au:M/C:N/I:N/A:N", PL_CVSS_V2, 0.0, NONE, NONE},
    /* any order in v2 and v3 */
    {"Au:N/AV:N/AC:L/A:P/I:P/C:P", PL_CVSS_V2, 7.5, NONE, NONE},
    /* CVSS v3.1 examples: Heartbleed (CVE-2014-0160), and the maximum */
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", PL_CVSS_V31, 7.5, 7.5, 7.5},
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", PL_CVSS_V31, 10.0, 10.0, 10.0},
    {"CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", PL_CVSS_V30, 6.1, 6.1, 6.1},
    {"CVSS:3.0/S:U/AV:N/AC:L/PR:H/UI:N/C:L/I:L/A:N/E:F/RL:X", PL_CVSS_V30, 3.8, 3.7, NONE},
    /* v3.1 §7.3 changed the modified impact for scope changed; v3.0 did not */
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:H/CR:X", PL_CVSS_V31, 9.6, 9.6, 9.7},
    {"CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:H/CR:X", PL_CVSS_V30, 9.6, 9.6, 9.6},
    /* worked by hand from v3.1 §7.3: MISS 0.914816, M.Impact 6.128, M.Exploitability 1.835 */
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:H/MAV:L", PL_CVSS_V31, 9.6, 9.6, 8.6},
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:H/E:U", PL_CVSS_V31, 9.6, 8.8,
     8.9}, /* 9.7 x 0.91 */
    {"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H/CR:L/IR:L/AR:L/MPR:H", PL_CVSS_V31, 8.8, 8.8,
     5.3},
    {"CVSS:3.0/AV:L/AC:L/PR:H/UI:R/S:U/C:H/I:N/A:H/E:H/RL:W/RC:U/CR:H/IR:H/AR:M/MAV:L/MAC:L/"
     "MPR:H/MUI:N/MS:C/MC:N/MI:H/MA:L",
     PL_CVSS_V30, 5.8, 5.2, 7.4},
    /* CVSS v4.0 examples */
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H", PL_CVSS_V40, 10.0, NONE,
     NONE},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", PL_CVSS_V40, 9.3, NONE,
     NONE},
    {"CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", PL_CVSS_V40, 8.5, NONE,
     NONE},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N", PL_CVSS_V40, 6.9, NONE,
     NONE},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N", PL_CVSS_V40, 0.0, NONE,
     NONE},
    /* worked by hand: macro 100220 (6.3), mean share 0.105 from EQ3+EQ6 -> 6.2 */
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U/CR:L/MAV:A/S:P",
     PL_CVSS_V40, 6.2, NONE, NONE},
    /* 5.8 - 0.75 is 5.0499999999999998 in binary: still rounds half up to 5.1 */
    {"CVSS:4.0/AV:N/AC:L/AT:P/PR:L/UI:P/VC:N/VI:N/VA:N/SC:H/SI:L/SA:L", PL_CVSS_V40, 5.1, NONE,
     NONE},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N/S:N/AU:N/R:A/V:D/RE:L/"
     "U:Clear",
     PL_CVSS_V40, 0.0, NONE, NONE},
};

struct bad_case {
    const char *vector;
    pl_status code;
    const char *msg;
};

static const struct bad_case bad_cases[] = {
    {"", PL_E_PARSE, "empty cvss vector"},
    {"CVSS:3.1/", PL_E_PARSE, "cvss 3.1: no metrics"},
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/", PL_E_PARSE, "cvss 3.1: trailing '/'"},
    {"CVSS:3.1/AV:N//AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", PL_E_PARSE, "cvss 3.1: empty field (\"//\")"},
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H", PL_E_PARSE,
     "cvss 3.1: missing mandatory metric 'A'"},
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/AV:L", PL_E_PARSE,
     "cvss 3.1: duplicate metric 'AV'"},
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/XX:Y", PL_E_PARSE,
     "cvss 3.1: unknown metric 'XX'"},
    {"CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", PL_E_PARSE,
     "cvss 3.1: invalid value 'Q' for metric 'AV'"},
    {"CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:ND", PL_E_PARSE,
     "cvss 3.0: invalid value 'ND' for metric 'E'"},
    {"CVSS:3.1/AV/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", PL_E_PARSE,
     "cvss 3.1: malformed field 'AV' (want METRIC:VALUE)"},
    {"CVSS:3.1/AV:N:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", PL_E_PARSE,
     "cvss 3.1: invalid value 'N:N' for metric 'AV'"},
    {"CVSS:3.2/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", PL_E_PARSE,
     "unsupported cvss version prefix 'CVSS:3.2' (want CVSS:3.0, CVSS:3.1 or CVSS:4.0, or a v2 "
     "vector without prefix)"},
    {"cvss:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", PL_E_PARSE,
     "unsupported cvss version prefix 'cvss:3.1' (want CVSS:3.0, CVSS:3.1 or CVSS:4.0, or a v2 "
     "vector without prefix)"},
    {"CVSS:4.0", PL_E_PARSE, "cvss 4.0: no metrics"},
    {"CVSS:3.10/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", PL_E_PARSE,
     "unsupported cvss version prefix 'CVSS:3.10' (want CVSS:3.0, CVSS:3.1 or CVSS:4.0, or a v2 "
     "vector without prefix)"},
    {"()", PL_E_PARSE, "cvss 2.0: no metrics"},
    {"AV:N/AC:L/Au:N/C:P/I:P", PL_E_PARSE, "cvss 2.0: missing mandatory metric 'A'"},
    {"AV:N/AC:L/Au:N/C:P/I:P/A:P/E:X", PL_E_PARSE, "cvss 2.0: invalid value 'X' for metric 'E'"},
    {"AV:N/AC:L/AU:N/C:P/I:P/A:P", PL_E_PARSE, "cvss 2.0: unknown metric 'AU'"},
    {"(AV:N/AC:L/Au:N/C:P/I:P/A:P", PL_E_PARSE, "cvss 2.0: unbalanced parentheses"},
    {"CVSS:4.0/AC:L/AV:N/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", PL_E_PARSE,
     "cvss 4.0: metric 'AV' out of order (after 'AC')"},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/CR:H/E:A", PL_E_PARSE,
     "cvss 4.0: metric 'E' out of order (after 'CR')"},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N", PL_E_PARSE,
     "cvss 4.0: missing mandatory metric 'SA'"},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:S/SA:N", PL_E_PARSE,
     "cvss 4.0: invalid value 'S' for metric 'SI'"},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/U:clear", PL_E_PARSE,
     "cvss 4.0: invalid value 'clear' for metric 'U'"},
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H ", PL_E_PARSE,
     "cvss vector has byte 0x20 at offset 44 (want printable ASCII)"},
    {"CVSS:3.1/AV:\xc3\xa9", PL_E_PARSE,
     "cvss vector has byte 0xc3 at offset 12 (want printable ASCII)"},
};

static void good_vectors(void **state)
{
    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(good_cases); i++) {
        const struct good_case *c = &good_cases[i];
        struct pl_error err = PL_ERROR_INIT;
        struct pl_cvss_score s;

        if (pl_cvss_score(c->vector, &s, &err) != PL_OK)
            fail_msg("%s: %s", c->vector, err.msg);
        assert_int_equal(s.version, c->version);
        if (fabs(s.base - c->base) > 1e-9)
            fail_msg("%s: base %.1f, want %.1f", c->vector, s.base, c->base);
        if (c->version == PL_CVSS_V40)
            continue;
        if (c->temporal != NONE && fabs(s.temporal - c->temporal) > 1e-9)
            fail_msg("%s: temporal %.1f, want %.1f", c->vector, s.temporal, c->temporal);
        if (c->environmental != NONE && fabs(s.environmental - c->environmental) > 1e-9)
            fail_msg("%s: environmental %.1f, want %.1f", c->vector, s.environmental,
                     c->environmental);
        if (c->version == PL_CVSS_V2) {
            assert_int_equal(s.has_temporal, c->temporal != NONE);
            assert_int_equal(s.has_environmental, c->environmental != NONE);
        }
    }
}

static void bad_vectors(void **state)
{
    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(bad_cases); i++) {
        const struct bad_case *c = &bad_cases[i];
        struct pl_error err = PL_ERROR_INIT;
        struct pl_cvss_score s;

        if (pl_cvss_score(c->vector, &s, &err) == PL_OK)
            fail_msg("'%s' was accepted", c->vector);
        assert_int_equal(err.code, c->code);
        assert_string_equal(err.msg, c->msg);
        assert_true(s.base == 0.0 && !s.has_temporal && !s.has_environmental);
    }
}

static void caps_and_garbage(void **state)
{
    char big[PL_MAX_CVSS_VECTOR_BYTES + 2];
    struct pl_error err = PL_ERROR_INIT;
    struct pl_cvss_score s;
    char *huge;

    (void)state;
    memset(big, 'A', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0'; /* 513 bytes */
    assert_int_equal(pl_cvss_score(big, &s, &err), PL_E_TOOBIG);
    assert_string_equal(err.msg, "cvss vector longer than 512 bytes");
    big[PL_MAX_CVSS_VECTOR_BYTES] = '\0'; /* exactly at the cap: parsed, then refused */
    assert_int_equal(pl_cvss_score(big, &s, &err), PL_E_PARSE);
    assert_string_equal(err.msg, "cvss 2.0: malformed field 'AAAAAAAAAAAAAAAAAAAAAAAA' (want "
                                 "METRIC:VALUE)");
    huge = malloc((size_t)10 * 1024 * 1024 + 1); /* a 10 MB field */
    assert_non_null(huge);
    memset(huge, 'Z', (size_t)10 * 1024 * 1024);
    huge[(size_t)10 * 1024 * 1024] = '\0';
    assert_int_equal(pl_cvss_score(huge, &s, &err), PL_E_TOOBIG);
    free(huge);
    assert_int_equal(pl_cvss_score("\x01\x02\xff", &s, &err), PL_E_PARSE);
    assert_string_equal(err.msg, "cvss vector has byte 0x01 at offset 0 (want printable ASCII)");
    assert_int_equal(pl_cvss_score(NULL, &s, NULL), PL_E_INVALID);
    assert_int_equal(pl_cvss_score("CVSS:4.0", &s, NULL), PL_E_PARSE);
}

static void severities_and_names(void **state)
{
    (void)state;
    assert_string_equal(pl_cvss_severity(0.0), "None");
    assert_string_equal(pl_cvss_severity(0.1), "Low");
    assert_string_equal(pl_cvss_severity(3.9), "Low");
    assert_string_equal(pl_cvss_severity(4.0), "Medium");
    assert_string_equal(pl_cvss_severity(6.9), "Medium");
    assert_string_equal(pl_cvss_severity(7.0), "High");
    assert_string_equal(pl_cvss_severity(8.9), "High");
    assert_string_equal(pl_cvss_severity(9.0), "Critical");
    assert_string_equal(pl_cvss_severity(10.0), "Critical");
    assert_string_equal(pl_cvss_severity_v2(0.0), "Low");
    assert_string_equal(pl_cvss_severity_v2(3.9), "Low");
    assert_string_equal(pl_cvss_severity_v2(4.0), "Medium");
    assert_string_equal(pl_cvss_severity_v2(6.9), "Medium");
    assert_string_equal(pl_cvss_severity_v2(7.0), "High");
    assert_string_equal(pl_cvss_severity_v2(10.0), "High");
    assert_string_equal(pl_cvss_version_name(PL_CVSS_V2), "2.0");
    assert_string_equal(pl_cvss_version_name(PL_CVSS_V30), "3.0");
    assert_string_equal(pl_cvss_version_name(PL_CVSS_V31), "3.1");
    assert_string_equal(pl_cvss_version_name(PL_CVSS_V40), "4.0");
}

static void rounding_rules(void **state)
{
    (void)state;
    /* CVSS v3.1 Appendix A examples: Roundup(4.000001) is 4.0, Roundup(4.02) is 4.1 */
    assert_true(pl__core_cvss_ceil1(4.02) == 4.1);
    assert_true(pl__core_cvss_ceil1(4.0) == 4.0);
    assert_true(pl__core_cvss_ceil1(4.0000000000001) == 4.0); /* float noise, not a real excess */
    assert_true(pl__core_cvss_round1_half_up(5.05) == 5.1);
    assert_true(pl__core_cvss_round1_half_up(5.0499) == 5.0);
    assert_true(pl__core_cvss_round1_half_up(1.4499999999999993) == 1.5);
}

static const char *shared_dir(void)
{
    const char *d = getenv("PL_SHARED_DATA");

    return (d && pl_path_exists(d)) ? d : NULL;
}

/* Split line at tabs or commas into at most max fields (in place); returns the count. */
static size_t split(char *line, char sep, char **f, size_t max)
{
    size_t n = 0;

    f[n++] = line;
    for (char *p = line; *p && n < max; p++)
        if (*p == sep) {
            *p = '\0';
            f[n++] = p + 1;
        }
    return n;
}

/* Compare one expected column ("" = not defined) with a computed score; 0 on agreement. */
static int check_col(const char *want, bool must_have, bool has, double got)
{
    double w;

    if (!*want)
        return (must_have || has) ? 1 : 0;
    if (!has || pl_parse_double(want, &w, NULL) != PL_OK)
        return 1;
    return fabs(w - got) > 1e-9;
}

/* Check every row of one redhat_cvss_vectors_*.tsv file; returns the rows checked. */
static size_t check_file(const char *path, size_t *bad)
{
    struct pl_buf b = PL_BUF_INIT(0);
    struct pl_error err = PL_ERROR_INIT;
    size_t rows = 0;
    char *line, *next;

    if (pl_file_read(path, 0, &b, &err) != PL_OK)
        fail_msg("%s", err.msg);
    line = strchr(b.buf, '\n') + 1; /* skip the header */
    for (; line && *line; line = next) {
        static char empty[1];
        char *f[4] = {empty, empty, empty, empty};
        struct pl_cvss_score s;
        int wrong = 0;

        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        split(line, '\t', f, 4);
        rows++;
        if (pl_cvss_score(f[0], &s, &err) != PL_OK) {
            wrong = 1;
        } else {
            bool v3 = s.version == PL_CVSS_V30 || s.version == PL_CVSS_V31;

            wrong = check_col(f[1], true, true, s.base);
            if (s.version != PL_CVSS_V40) {
                /* v3: the file always gives all three; v2: empty = metrics absent */
                wrong |= check_col(f[2], false, v3 || s.has_temporal, s.temporal);
                wrong |= check_col(f[3], false, v3 || s.has_environmental, s.environmental);
            }
        }
        if (wrong && ++*bad <= 5)
            print_message("mismatch %s: want %s/%s/%s, got %.1f/%.1f/%.1f (%s)\n", f[0], f[1], f[2],
                          f[3], s.base, s.temporal, s.environmental, err.code ? err.msg : "scored");
        pl_error_clear(&err);
    }
    pl_buf_release(&b);
    return rows;
}

static void shared_vector_files(void **state)
{
    static const struct {
        const char *name;
        size_t rows; /* from the shared data README */
    } files[] = {
        {"calculator2", 5}, {"cvsslib2", 24},       {"simple2", 729},   {"calculator3", 2},
        {"cvsslib3", 29},   {"simple3", 2592},      {"simple31", 2592}, {"security4", 54},
        {"simple4", 1058},  {"supplemental4", 576}, {"threat4", 6},
    };
    const char *dir = shared_dir();
    size_t total = 0, bad = 0;
    char path[4096];

    (void)state;
    if (!dir) {
        print_message("PL_SHARED_DATA is absent: skipping the shared CVSS vectors\n");
        skip();
    }
    for (size_t i = 0; i < PL_ARRAY_LEN(files); i++) {
        size_t n;

        assert_true(snprintf(path, sizeof(path), "%s/cvss/redhat_cvss_vectors_%s.tsv", dir,
                             files[i].name) < (int)sizeof(path));
        n = check_file(path, &bad);
        print_message("redhat_cvss_vectors_%s.tsv: %zu vectors checked\n", files[i].name, n);
        assert_int_equal(n, files[i].rows);
        total += n;
    }
    print_message("%zu vectors checked, %zu mismatches\n", total, bad);
    assert_int_equal(total, 7667);
    assert_int_equal(bad, 0);
}

/* The macro vector of one SSVC row: level names to EQ digits; false when unknown. */
static bool ssvc_macro(char *const *f, int eq[6])
{
    static const char *const lvl3[] = {"high", "medium", "low"}; /* EQ level 0, 1, 2 */

    for (int k = 0; k < 6; k++) {
        eq[k] = -1;
        for (int l = 0; l < 3; l++)
            if (strcmp(f[k + 1], lvl3[l]) == 0)
                eq[k] = l;
        if ((k == 1 || k == 5) && eq[k] == 2) /* two-level sets: high = 0, low = 1 */
            eq[k] = 1;
        if (eq[k] < 0)
            return false;
    }
    return true;
}

/* The severity of every embedded v4.0 table score agrees with the SSVC severity table. */
static void v4_table_matches_ssvc(void **state)
{
    const char *dir = shared_dir();
    struct pl_buf b = PL_BUF_INIT(0);
    struct pl_error err = PL_ERROR_INIT;
    size_t agree = 0, absent = 0;
    char path[4096], *line, *next;

    (void)state;
    if (!dir) {
        print_message("PL_SHARED_DATA is absent: skipping the SSVC CVSS v4 table\n");
        skip();
    }
    assert_true(snprintf(path, sizeof(path),
                         "%s/ssvc/csv/cvss/cvss_v4_0_qualitative_severity_ratings_4_0_0.csv",
                         dir) < (int)sizeof(path));
    if (pl_file_read(path, 0, &b, &err) != PL_OK)
        fail_msg("%s", err.msg);
    line = strchr(b.buf, '\n') + 1;
    for (; line && *line; line = next) {
        char *f[8] = {NULL};
        int eq[6] = {0};
        double score;
        char want[16];

        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        if (split(line, ',', f, 8) != 8 || !ssvc_macro(f, eq))
            fail_msg("malformed SSVC row '%s'", line);
        score = pl__core_cvss_v4_lookup(eq[0], eq[1], eq[2], eq[3], eq[4], eq[5]);
        if (score < 0) {
            absent++;
            continue;
        }
        assert_true(snprintf(want, sizeof(want), "%s", pl_cvss_severity(score)) > 0);
        want[0] = (char)(want[0] - 'A' + 'a');
        if (!f[7] || strcmp(want, f[7]) != 0)
            fail_msg("macro vector %d%d%d%d%d%d: %.1f is %s, SSVC says %s", eq[0], eq[1], eq[2],
                     eq[3], eq[4], eq[5], score, want, f[7]);
        agree++;
    }
    pl_buf_release(&b);
    assert_int_equal(agree, 270);
    assert_int_equal(absent, 54);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(good_vectors),          cmocka_unit_test(bad_vectors),
        cmocka_unit_test(caps_and_garbage),      cmocka_unit_test(severities_and_names),
        cmocka_unit_test(rounding_rules),        cmocka_unit_test(shared_vector_files),
        cmocka_unit_test(v4_table_matches_ssvc),
    };
    return cmocka_run_group_tests_name("cvss", tests, NULL, NULL);
}
