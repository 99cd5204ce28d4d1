/*
 * test_ssvc.c - the embedded SSVC decision tables against the CERTCC/SSVC
 * CSV files (when /work/shared/data is present), the mapping from facts to
 * decision points, and the tables' monotonicity.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "patchline/file.h"
#include "patchline/policy.h"

#include "policy/ssvc_tables.h"

static const char *const v_e[] = {"none", "public poc", "active", NULL};
static const char *const v_a[] = {"no", "yes", NULL};
static const char *const v_ti[] = {"partial", "total", NULL};
static const char *const v_mwi[] = {"low", "medium", "high", NULL};
static const char *const v_exp[] = {"small", "controlled", "open", NULL};
static const char *const v_hi[] = {"low", "medium", "high", "very high", NULL};

static int index_of(const char *const *vals, const char *s)
{
    for (int i = 0; vals[i]; i++)
        if (strcmp(vals[i], s) == 0)
            return i;
    return -1;
}

/* Read a CSV under $PL_SHARED_DATA/ssvc/csv into lines; false (skip) when absent. */
static bool read_csv(const char *rel, struct pl_buf *out)
{
    const char *shared = getenv("PL_SHARED_DATA");
    struct pl_error err = PL_ERROR_INIT;
    char path[1024];

    if (shared == NULL)
        return false;
    assert_true(snprintf(path, sizeof(path), "%s/ssvc/csv/%s", shared, rel) < (int)sizeof(path));
    if (!pl_path_exists(path))
        return false;
    assert_int_equal(pl_file_read(path, 0, out, &err), PL_OK);
    return true;
}

/* Split one CSV row of plain fields (no quotes) into at most 8 fields, in place. */
static int split(char *line, char **f)
{
    int n = 0;

    f[n++] = line;
    for (char *p = line; *p && n < 8; p++)
        if (*p == ',') {
            *p = '\0';
            f[n++] = p + 1;
        }
    return n;
}

static void cisa_table_matches_csv(void **state)
{
    struct pl_buf b = PL_BUF_INIT(0);
    char *save = NULL, *line;
    int rows = 0;
    (void)state;

    if (!read_csv("cisa/cisa_coordinator_2_0_3.csv", &b)) {
        pl_buf_release(&b);
        skip();
    }
    line = strtok_r(b.buf, "\n", &save); /* header */
    assert_non_null(strstr(line, "CISA Levels v1.1.0"));
    while ((line = strtok_r(NULL, "\n", &save)) != NULL) {
        char *f[8];
        const struct pl__cisa_row *r;

        assert_int_equal(split(line, f), 6);
        assert_int_equal(strtol(f[0], NULL, 10), rows);
        r = &pl__cisa_table[rows];
        assert_int_equal(r->e, index_of(v_e, f[1]));
        assert_int_equal(r->a, index_of(v_a, f[2]));
        assert_int_equal(r->ti, index_of(v_ti, f[3]));
        assert_int_equal(r->mwi, index_of(v_mwi, f[4]));
        assert_string_equal(pl_ssvc_cisa_name(r->outcome), f[5]);
        assert_int_equal(pl_ssvc_cisa_lookup(r->e, r->a, r->ti, r->mwi), (int)r->outcome);
        rows++;
    }
    assert_int_equal(rows, PL__CISA_ROWS);
    pl_buf_release(&b);
}

static void deployer_table_matches_csv(void **state)
{
    struct pl_buf b = PL_BUF_INIT(0);
    char *save = NULL, *line;
    int rows = 0;
    (void)state;

    if (!read_csv("ssvc/deployer_patch_application_priority_1_0_0.csv", &b)) {
        pl_buf_release(&b);
        skip();
    }
    line = strtok_r(b.buf, "\n", &save); /* header */
    assert_non_null(strstr(line, "Immediate v1.0.0"));
    while ((line = strtok_r(NULL, "\n", &save)) != NULL) {
        char *f[8];
        const struct pl__deployer_row *r;

        assert_int_equal(split(line, f), 6);
        assert_int_equal(strtol(f[0], NULL, 10), rows);
        r = &pl__deployer_table[rows];
        assert_int_equal(r->e, index_of(v_e, f[1]));
        assert_int_equal(r->exp, index_of(v_exp, f[2]));
        assert_int_equal(r->a, index_of(v_a, f[3]));
        assert_int_equal(r->hi, index_of(v_hi, f[4]));
        assert_string_equal(pl_ssvc_deployer_name(r->outcome), f[5]);
        assert_int_equal(pl_ssvc_deployer_lookup(r->e, r->exp, r->a, r->hi), (int)r->outcome);
        rows++;
    }
    assert_int_equal(rows, PL__DEPLOYER_ROWS);
    pl_buf_release(&b);
}

/* Raising any one decision point never lowers the outcome (the policies rely on it). */
static void tables_are_monotone(void **state)
{
    int n = 0;
    (void)state;

    for (int e = 0; e < 3; e++)
        for (int a = 0; a < 2; a++)
            for (int t = 0; t < 2; t++)
                for (int m = 0; m < 3; m++) {
                    int o = pl_ssvc_cisa_lookup(e, a, t, m);

                    if (e < 2)
                        assert_true(pl_ssvc_cisa_lookup(e + 1, a, t, m) >= o);
                    if (a < 1)
                        assert_true(pl_ssvc_cisa_lookup(e, a + 1, t, m) >= o);
                    if (t < 1)
                        assert_true(pl_ssvc_cisa_lookup(e, a, t + 1, m) >= o);
                    if (m < 2)
                        assert_true(pl_ssvc_cisa_lookup(e, a, t, m + 1) >= o);
                    n++;
                }
    for (int e = 0; e < 3; e++)
        for (int x = 0; x < 3; x++)
            for (int a = 0; a < 2; a++)
                for (int h = 0; h < 4; h++) {
                    int o = pl_ssvc_deployer_lookup(e, x, a, h);

                    if (e < 2)
                        assert_true(pl_ssvc_deployer_lookup(e + 1, x, a, h) >= o);
                    if (x < 2)
                        assert_true(pl_ssvc_deployer_lookup(e, x + 1, a, h) >= o);
                    if (a < 1)
                        assert_true(pl_ssvc_deployer_lookup(e, x, a + 1, h) >= o);
                    if (h < 3)
                        assert_true(pl_ssvc_deployer_lookup(e, x, a, h + 1) >= o);
                    n++;
                }
    assert_int_equal(n, PL__CISA_ROWS + PL__DEPLOYER_ROWS);
    assert_int_equal(pl_ssvc_cisa_lookup(3, 0, 0, 0), -1);
    assert_int_equal(pl_ssvc_deployer_lookup(0, 0, 0, 4), -1);
}

/* Facts -> decision points: exposure, criticality, and unknown as an explicit state. */
static void outcomes_from_facts(void **state)
{
    static const struct {
        enum pl_exploitation e;
        enum pl_tri a;
        enum pl_tech_impact ti;
        enum pl_tri exposure;
        enum pl_criticality crit;
        const char *cisa, *deployer;
    } cases[] = {
        /* CISA row 35 (active,yes,total,high); deployer row 71 (active,open,yes,very high) */
        {PL_EXPLOIT_ACTIVE, PL_TRI_YES, PL_TI_TOTAL, PL_TRI_YES, PL_CRIT_CRITICAL, "act",
         "immediate"},
        /* high criticality: MWI high, human impact high -> deployer row 70 immediate */
        {PL_EXPLOIT_ACTIVE, PL_TRI_YES, PL_TI_TOTAL, PL_TRI_YES, PL_CRIT_HIGH, "act", "immediate"},
        /* not internet-facing: controlled -> deployer row 63 out-of-cycle */
        {PL_EXPLOIT_ACTIVE, PL_TRI_YES, PL_TI_TOTAL, PL_TRI_NO, PL_CRIT_CRITICAL, "act",
         "out-of-cycle"},
        /* unknown exposure counts as open: row 23 out-of-cycle */
        {PL_EXPLOIT_NONE, PL_TRI_YES, PL_TI_TOTAL, PL_TRI_UNKNOWN, PL_CRIT_CRITICAL, "attend",
         "out-of-cycle"},
        /* none,no,partial,low: track; none,open,no,low: defer */
        {PL_EXPLOIT_NONE, PL_TRI_NO, PL_TI_PARTIAL, PL_TRI_YES, PL_CRIT_LOW, "track", "defer"},
        /* poc,no,total,medium: track* (row 16); poc,controlled,no,medium: scheduled (row 33) */
        {PL_EXPLOIT_POC, PL_TRI_NO, PL_TI_TOTAL, PL_TRI_NO, PL_CRIT_MEDIUM, "track*", "scheduled"},
        /* a missing decision point: unknown, never a guess */
        {PL_EXPLOIT_UNKNOWN, PL_TRI_YES, PL_TI_TOTAL, PL_TRI_YES, PL_CRIT_HIGH, "unknown",
         "unknown"},
        {PL_EXPLOIT_ACTIVE, PL_TRI_UNKNOWN, PL_TI_TOTAL, PL_TRI_YES, PL_CRIT_HIGH, "unknown",
         "unknown"},
        {PL_EXPLOIT_ACTIVE, PL_TRI_YES, PL_TI_UNKNOWN, PL_TRI_YES, PL_CRIT_HIGH, "unknown",
         "immediate"},
        {PL_EXPLOIT_ACTIVE, PL_TRI_YES, PL_TI_TOTAL, PL_TRI_YES, PL_CRIT_UNKNOWN, "unknown",
         "unknown"},
    };
    (void)state;

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct pl_facts f = {0};

        f.exploitation = cases[i].e;
        f.automatable = cases[i].a;
        f.technical_impact = cases[i].ti;
        f.exposure = cases[i].exposure;
        f.criticality = cases[i].crit;
        assert_string_equal(pl_ssvc_cisa_name(pl_ssvc_cisa_outcome(&f)), cases[i].cisa);
        assert_string_equal(pl_ssvc_deployer_name(pl_ssvc_deployer_outcome(&f)), cases[i].deployer);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(cisa_table_matches_csv),
        cmocka_unit_test(deployer_table_matches_csv),
        cmocka_unit_test(tables_are_monotone),
        cmocka_unit_test(outcomes_from_facts),
    };
    return cmocka_run_group_tests_name("ssvc", tests, NULL, NULL);
}
