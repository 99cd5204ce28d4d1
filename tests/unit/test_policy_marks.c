/*
 * test_policy_marks.c - marks (docs/policy.md): annotations that never
 * decide the tier, and the default policy's reading of the distribution's
 * decisions not to fix (Debian no-dsa / postponed / ignored, Ubuntu
 * deferred / ignored): the tier stays what the risk says, the finding is
 * marked, and an ignored one on an internet-facing asset is at least Tier 2.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "patchline/policy.h"

static struct pl_policy *load_default(void)
{
    struct pl_policy *p = NULL;
    struct pl_error err = PL_ERROR_INIT;

    if (pl_policy_load_builtin("default", &p, &err) != PL_OK)
        fail_msg("%s", err.msg);
    return p;
}

static void facts(struct pl_facts *f, double cvss, enum pl_tri exposure, enum pl_env env,
                  const char *decision)
{
    memset(f, 0, sizeof(*f));
    f->has_cvss = true;
    f->cvss = cvss;
    f->cvss_version = "3.1";
    f->fix_available = PL_TRI_NO;
    f->fix_prov = (struct pl_prov){"debian", NULL, "2025-02-12"};
    f->distro_decision = decision;
    f->exposure = exposure;
    f->environment = env;
    f->criticality = PL_CRIT_HIGH;
}

/* no-dsa / postponed: the tier of the same finding without the decision, plus the mark. */
static void no_dsa_keeps_the_tier(void **state)
{
    static const char *const decisions[] = {"no-dsa", "postponed"};
    static const double scores[] = {9.8, 7.5, 5.0, 2.0};
    struct pl_policy *p = load_default();

    (void)state;
    for (size_t i = 0; i < 2; i++)
        for (size_t k = 0; k < 4; k++)
            for (int exp = PL_TRI_UNKNOWN; exp <= PL_TRI_YES; exp++) {
                struct pl_facts with, without;
                struct pl_decision a, b;

                facts(&with, scores[k], (enum pl_tri)exp, PL_ENV_PROD, decisions[i]);
                facts(&without, scores[k], (enum pl_tri)exp, PL_ENV_PROD, NULL);
                pl_policy_evaluate(p, &with, &a);
                pl_policy_evaluate(p, &without, &b);
                assert_int_equal(a.tier, b.tier);
                assert_string_equal(a.rule_name, b.rule_name);
                assert_int_equal(a.remedy, PL_REMEDY_COMPENSATE);
                assert_string_equal(a.mark_name, "distro-no-security-update");
                assert_non_null(strstr(a.mark_note, "point release"));
                assert_int_equal(b.mark, -1);
                assert_null(b.mark_name);
            }
    pl_policy_free(p);
}

/* ignored: Tier 2 at the latest when internet-facing, a floor that never lowers a tier. */
static void ignored_has_a_floor(void **state)
{
    struct pl_policy *p = load_default();
    struct pl_facts f;
    struct pl_decision d;

    (void)state;
    facts(&f, 2.0, PL_TRI_YES, PL_ENV_DEV, "ignored"); /* would be Tier 4 */
    pl_policy_evaluate(p, &f, &d);
    assert_int_equal(d.tier, 2);
    assert_string_equal(d.rule_name, "distro-will-not-fix-exposed");
    assert_string_equal(d.mark_name, "distro-will-not-fix");
    facts(&f, 9.8, PL_TRI_YES, PL_ENV_PROD, "ignored"); /* Tier 1 stays Tier 1 */
    pl_policy_evaluate(p, &f, &d);
    assert_int_equal(d.tier, 1);
    assert_string_equal(d.rule_name, "critical-exposed-or-prod");
    assert_string_equal(d.mark_name, "distro-will-not-fix");
    facts(&f, 2.0, PL_TRI_NO, PL_ENV_DEV, "ignored"); /* internal: the risk decides */
    pl_policy_evaluate(p, &f, &d);
    assert_int_equal(d.tier, 4);
    assert_string_equal(d.mark_name, "distro-will-not-fix");
    pl_policy_free(p);
}

/* explain names the mark, its note and the fact with its provenance, in text and JSON. */
static void explain_shows_the_mark(void **state)
{
    struct pl_policy *p = load_default();
    struct pl_buf b = PL_BUF_INIT(0);
    struct pl_facts f;
    struct pl_decision d;

    (void)state;
    facts(&f, 7.5, PL_TRI_NO, PL_ENV_PROD, "no-dsa");
    pl_policy_evaluate(p, &f, &d);
    assert_int_equal(d.tier, 2);
    pl_policy_explain_text(p, &f, &d, &b);
    assert_non_null(strstr(pl_buf_cstr(&b), "  mark 'distro-no-security-update' (builtin:default"));
    assert_non_null(strstr(pl_buf_cstr(&b), "(the tier stays)\n"));
    assert_non_null(strstr(pl_buf_cstr(&b), "facts of mark 'distro-no-security-update':\n"
                                            "  distro_decision = no-dsa (want [no-dsa, postponed])"
                                            " [debian 2025-02-12]\n"));
    pl_buf_reset(&b);
    pl_policy_explain_json(p, &f, &d, &b);
    assert_non_null(strstr(pl_buf_cstr(&b), "\"mark\":{\"name\":\"distro-no-security-update\""));
    assert_non_null(strstr(pl_buf_cstr(&b), "\"distro_decision\":\"no-dsa\""));
    pl_buf_release(&b);
    pl_policy_free(p);
}

static pl_status parse(const char *yaml, struct pl_policy **p, struct pl_error *err)
{
    return pl_policy_parse("m.yaml", yaml, strlen(yaml), p, err);
}

#define HEAD "policy: m\ntiers:\n  - {tier: 0, name: A, sla: 1d}\n  - {tier: 1, name: B, sla: 7d}\n"

/* A mark has no tier and needs a note; `policy show` renders it and reads back the same. */
static void marks_load_and_render(void **state)
{
    struct pl_policy *p = NULL, *q = NULL;
    struct pl_error err = PL_ERROR_INIT;
    struct pl_buf b = PL_BUF_INIT(0);

    (void)state;
    assert_int_equal(parse(HEAD "rules:\n  - {name: r, tier: 0, when: {kev: true}}\n"
                                "marks:\n  - {name: m, tier: 0, when: {kev: true}, note: x}\n",
                           &p, &err),
                     PL_E_PARSE);
    assert_non_null(strstr(err.msg, "m.yaml:8:"));
    assert_non_null(strstr(err.msg, "'tier'"));
    assert_int_equal(parse(HEAD "rules:\n  - {name: r, tier: 0, when: {kev: true}}\n"
                                "marks:\n  - {name: m, when: {kev: true}}\n",
                           &p, &err),
                     PL_E_PARSE);
    assert_non_null(strstr(err.msg, "missing key 'note'"));
    assert_int_equal(parse(HEAD "rules:\n  - {name: r, tier: 0, when: {kev: true}}\n"
                                "marks:\n  - {name: m, when: {distro_decision: ignored}, note: x}\n"
                                "  - {name: m, when: {kev: true}, note: y}\n",
                           &p, &err),
                     PL_E_PARSE);
    assert_non_null(strstr(err.msg, "duplicate mark name"));
    assert_int_equal(parse(HEAD
                           "rules:\n  - {name: r, tier: 0, when: {kev: true}}\n"
                           "marks:\n  - {name: m, when: {distro_decision: ignored}, note: x}\n",
                           &p, &err),
                     PL_OK);
    pl_policy_render_yaml(p, &b);
    assert_non_null(strstr(pl_buf_cstr(&b), "marks:\n  - name: m\n    when: {distro_decision: "
                                            "ignored}\n    note: x\n"));
    assert_int_equal(pl_policy_parse("again.yaml", pl_buf_cstr(&b), b.len, &q, &err), PL_OK);
    assert_string_equal(pl_policy_digest(p), pl_policy_digest(q));
    pl_buf_release(&b);
    pl_policy_free(p);
    pl_policy_free(q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(no_dsa_keeps_the_tier),
        cmocka_unit_test(ignored_has_a_floor),
        cmocka_unit_test(explain_shows_the_mark),
        cmocka_unit_test(marks_load_and_render),
    };
    return cmocka_run_group_tests_name("policy_marks", tests, NULL, NULL);
}
