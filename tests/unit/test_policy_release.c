/*
 * test_policy_release.c - the policy's release facts: the `release_age`
 * condition (days since the running version's release), the default
 * policy's mark on network appliances older than two years, the `lag`
 * condition of a minor-version lag, and a rule's sla counted from the fixed
 * version's release (`sla_from: fix_release`, the 24-hour browser lane).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "patchline/policy.h"

#define DAY ((int64_t)86400)

static struct pl_policy *load_default(void)
{
    struct pl_policy *p = NULL;
    struct pl_error err = PL_ERROR_INIT;

    if (pl_policy_load_builtin("default", &p, &err) != PL_OK)
        fail_msg("%s", err.msg);
    return p;
}

static struct pl_policy *parse(const char *text)
{
    struct pl_policy *p = NULL;
    struct pl_error err = PL_ERROR_INIT;

    if (pl_policy_parse("r.yaml", text, strlen(text), &p, &err) != PL_OK)
        fail_msg("%s", err.msg);
    return p;
}

#define HEAD \
    "policy: r\ntiers:\n  - {tier: 0, name: A, sla: 7d}\n  - {tier: 1, name: B, sla: 30d}\n"

/* `release_age` is a range of whole days; an unknown age fails every range. */
static void release_age_condition(void **state)
{
    struct pl_policy *p = parse(HEAD "rules:\n  - {name: old, tier: 0, when: {release_age: \"> "
                                     "730\"}}\ndefault: {tier: 1}\n");
    struct pl_facts f;
    struct pl_decision d;
    struct pl_buf b = PL_BUF_INIT(0);

    (void)state;
    memset(&f, 0, sizeof(f));
    f.has_cvss = true;
    f.cvss = 5.0;
    pl_policy_evaluate(p, &f, &d);
    assert_string_equal(d.rule_name, "default"); /* unknown age */
    f.has_release_age = true;
    f.release_age = 730.9; /* 730 whole days: not more than two years */
    pl_policy_evaluate(p, &f, &d);
    assert_string_equal(d.rule_name, "default");
    f.release_age = 731.0;
    pl_policy_evaluate(p, &f, &d);
    assert_string_equal(d.rule_name, "old");
    f.release_prov =
        (struct pl_prov){"endoflife.date 2026-08-22", "fortios release line 6.4", "2020-03-31"};
    pl_policy_explain_text(p, &f, &d, &b);
    assert_non_null(strstr(pl_buf_cstr(&b), "release_age = 731 days (fortios release line 6.4 "
                                            "released 2020-03-31) (want > 730) [endoflife.date "
                                            "2026-08-22 fortios release line 6.4 2020-03-31]"));
    pl_buf_release(&b);
    pl_policy_free(p);
}

/*
 * pl_policy_field_next: the next whole number of days at which a rule condition on
 * release_age holds otherwise (a scan's end-of-life window); none when no rule reads it (the
 * default policy reads it in a mark only).
 */
static void release_age_next(void **state)
{
    struct pl_policy *p = parse(HEAD "rules:\n  - {name: old, tier: 0, when: {release_age: \"> "
                                     "730\"}}\n  - {name: mid, tier: 1, when: {release_age: "
                                     "\"100..200\"}}\ndefault: {tier: 1}\n");
    struct pl_policy *def = load_default();
    double next = 0;

    (void)state;
    assert_true(pl_policy_field_next(p, "release_age", 0, &next));
    assert_true(next == 100); /* 100..200 holds from 100 */
    assert_true(pl_policy_field_next(p, "release_age", 100, &next));
    assert_true(next == 201); /* ...to 200 */
    assert_true(pl_policy_field_next(p, "release_age", 201, &next));
    assert_true(next == 731); /* "> 730": 731 whole days */
    assert_true(pl_policy_field_next(p, "release_age", 731, &next));
    assert_true(next > 1e6); /* past the range's ceiling only */
    assert_false(pl_policy_field_next(p, "epss", 0.1, &next));
    assert_false(pl_policy_field_next(def, "release_age", 0, &next));
    pl_policy_free(def);
    pl_policy_free(p);
}

/*
 * The default policy: a network appliance whose OS version is more than two
 * years old carries the mark appliance-os-over-two-years, and its tier stays
 * what the risk says; a younger one, an unknown age or another class do not.
 */
static void appliance_mark(void **state)
{
    struct pl_policy *p = load_default();
    struct pl_facts f;
    struct pl_decision d, plain;
    struct pl_buf b = PL_BUF_INIT(0);

    (void)state;
    memset(&f, 0, sizeof(f));
    f.has_cvss = true;
    f.cvss = 9.8;
    f.exposure = PL_TRI_YES;
    f.environment = PL_ENV_PROD;
    f.fix_available = PL_TRI_YES;
    f.product = "fortinet:fortios";
    f.product_class = "network-appliance";
    pl_policy_evaluate(p, &f, &plain);
    assert_int_equal(plain.mark, -1);
    f.has_release_age = true;
    f.release_age = 2442;
    f.release_prov = (struct pl_prov){"endoflife.date", "fortios release line 6.4", "2020-03-31"};
    pl_policy_evaluate(p, &f, &d);
    assert_string_equal(d.mark_name, "appliance-os-over-two-years");
    assert_int_equal(d.tier, plain.tier);
    assert_string_equal(d.rule_name, plain.rule_name);
    pl_policy_explain_text(p, &f, &d, &b);
    assert_non_null(strstr(pl_buf_cstr(&b), "mark 'appliance-os-over-two-years'"));
    assert_non_null(strstr(pl_buf_cstr(&b), "release_age = 2442 days"));
    pl_buf_release(&b);
    pl_policy_explain_json(p, &f, &d, &b);
    assert_non_null(strstr(pl_buf_cstr(&b), "\"mark\":{\"name\":\"appliance-os-over-two-years\""));
    pl_buf_release(&b);
    f.release_age = 700;
    pl_policy_evaluate(p, &f, &d);
    assert_int_equal(d.mark, -1);
    f.release_age = 2442;
    f.product_class = "browser";
    pl_policy_evaluate(p, &f, &d);
    assert_int_equal(d.mark, -1);
    pl_policy_free(p);
}

/* A minor-version lag (no score) is Tier 3 under minor-version-lag in every built-in policy. */
static void minor_lag(void **state)
{
    static const char *const names[] = {"default", "ssvc", "epss"};
    struct pl_facts f;
    struct pl_decision d;

    (void)state;
    for (size_t i = 0; i < 3; i++) {
        struct pl_policy *p = NULL;
        struct pl_error err = PL_ERROR_INIT;

        assert_int_equal(pl_policy_load_builtin(names[i], &p, &err), PL_OK);
        memset(&f, 0, sizeof(f));
        f.minor_lag = true;
        f.fix_available = PL_TRI_YES;
        f.exposure = PL_TRI_NO;
        f.product = "amazon-rds-postgresql";
        f.product_class = "database";
        pl_policy_evaluate(p, &f, &d);
        assert_string_equal(d.rule_name, "minor-version-lag");
        assert_int_equal(d.tier, 3);
        assert_false(d.unscored);
        f.minor_lag = false;
        f.end_of_life = true; /* the cycle past its end: the project, more urgent */
        pl_policy_evaluate(p, &f, &d);
        assert_string_equal(d.rule_name, "end-of-life");
        pl_policy_free(p);
    }
}

/*
 * The browser lane: a Chrome fix released on D is due D + 24h, whatever the
 * tier and whenever it was first seen (the earlier of the tier's due date and
 * that); with no release date the 24 hours run from first seen.
 */
static void browser_clock(void **state)
{
    struct pl_policy *p = load_default();
    struct pl_facts f;
    struct pl_decision d;
    struct pl_buf b = PL_BUF_INIT(0);
    struct pl_due_prev prev;
    pl_time_t rel, seen, due;
    enum pl_due_change ch;

    (void)state;
    assert_int_equal(pl_time_parse("2023-09-12T15:15:24Z", &rel, NULL), PL_OK);
    seen = rel + 20 * DAY;
    memset(&f, 0, sizeof(f));
    f.has_cvss = true;
    f.cvss = 8.8;
    f.fix_available = PL_TRI_YES;
    f.exposure = PL_TRI_NO;
    f.environment = PL_ENV_PROD;
    f.product = "google:chrome";
    f.product_class = "browser";
    f.fix_released = rel;
    f.fix_release_prov = (struct pl_prov){"nvd", "CVE-2023-4863 published", "2023-09-12"};
    pl_policy_evaluate(p, &f, &d);
    assert_string_equal(d.rule_name, "browser-security-fix");
    assert_int_equal(d.tier, 1);
    assert_int_equal(d.deadline, rel + DAY);
    assert_int_equal(d.sla, 7 * DAY); /* the tier's, from first seen */
    due = pl_policy_due(NULL, seen, seen, &d, false, &ch);
    assert_int_equal(due, rel + DAY); /* overdue from the start: the fix is 20 days old */
    assert_int_equal(ch, PL_DUE_NEW);
    prev = (struct pl_due_prev){1, seen + 7 * DAY};
    assert_int_equal(pl_policy_due(&prev, seen, seen + DAY, &d, false, &ch), rel + DAY);
    /* first seen long before the fix's release: the tier's date is the earlier */
    assert_int_equal(pl_policy_due(NULL, rel - 30 * DAY, rel, &d, false, NULL), rel - 23 * DAY);
    pl_policy_explain_text(p, &f, &d, &b);
    assert_non_null(strstr(pl_buf_cstr(&b), "due 2023-09-13T15:15:24Z (1d after the fixed "
                                            "version's release), or 7d after first seen"));
    assert_non_null(strstr(pl_buf_cstr(&b), "clock: the fixed version's release [nvd "
                                            "CVE-2023-4863 published 2023-09-12]"));
    pl_buf_release(&b);
    pl_policy_explain_json(p, &f, &d, &b);
    assert_non_null(strstr(pl_buf_cstr(&b), "\"deadline\":{\"due\":\"2023-09-13T15:15:24Z\","
                                            "\"from\":\"fix_release\",\"source\":\"nvd\""));
    pl_buf_release(&b);

    f.fix_released = 0; /* no release date: 24 hours from first seen, as before */
    memset(&f.fix_release_prov, 0, sizeof(f.fix_release_prov));
    pl_policy_evaluate(p, &f, &d);
    assert_int_equal(d.deadline, 0);
    assert_int_equal(d.sla, DAY);
    assert_int_equal(pl_policy_due(NULL, seen, seen, &d, false, NULL), seen + DAY);
    pl_policy_explain_text(p, &f, &d, &b);
    assert_non_null(strstr(pl_buf_cstr(&b), "release date is not known"));
    pl_buf_release(&b);

    f.product_class = NULL; /* openssl of the same score: its tier's 30 days, no deadline */
    f.fix_released = rel;
    pl_policy_evaluate(p, &f, &d);
    assert_int_equal(d.tier, 2);
    assert_int_equal(d.deadline, 0);
    assert_int_equal(pl_policy_due(NULL, seen, seen, &d, false, NULL), seen + 30 * DAY);
    pl_policy_free(p);
}

/* sla_from loads, renders and parses back; a bad value or one without sla is an error. */
static void sla_from_load(void **state)
{
    struct pl_policy *p, *q = NULL;
    struct pl_error err = PL_ERROR_INIT;
    struct pl_buf b = PL_BUF_INIT(0);
    static const char bad[] = HEAD "rules:\n  - {name: b, tier: 0, sla: 1d, sla_from: release, "
                                   "when: {class: browser}}\n";
    static const char nosla[] = HEAD "rules:\n  - {name: b, tier: 0, sla_from: fix_release, "
                                     "when: {class: browser}}\n";
    static const char notnum[] = HEAD "rules:\n  - {name: o, tier: 0, when: {release_age: old}}\n";

    (void)state;
    p = parse(HEAD "rules:\n  - {name: b, tier: 0, sla: 1d, sla_from: fix_release, when: {class: "
                   "browser}}\n  - {name: o, tier: 1, when: {release_age: \">= 365\"}}\n");
    pl_policy_render_yaml(p, &b);
    assert_non_null(strstr(pl_buf_cstr(&b), "    sla: 1d\n    sla_from: fix_release\n"));
    assert_non_null(strstr(pl_buf_cstr(&b), "release_age: \">= 365\""));
    assert_int_equal(pl_policy_parse("again.yaml", pl_buf_cstr(&b), b.len, &q, &err), PL_OK);
    assert_string_equal(pl_policy_digest(p), pl_policy_digest(q));
    pl_buf_release(&b);
    pl_policy_free(p);
    pl_policy_free(q);
    q = NULL;
    assert_int_equal(pl_policy_parse("r.yaml", bad, strlen(bad), &q, &err), PL_E_PARSE);
    if (strstr(err.msg, "r.yaml:6:") == NULL)
        fail_msg("%s", err.msg);
    assert_non_null(strstr(err.msg, "'release' is not first_seen or fix_release"));
    assert_int_equal(pl_policy_parse("r.yaml", nosla, strlen(nosla), &q, &err), PL_E_PARSE);
    assert_non_null(strstr(err.msg, "sla_from needs an 'sla'"));
    assert_int_equal(pl_policy_parse("r.yaml", notnum, strlen(notnum), &q, &err), PL_E_PARSE);
    assert_non_null(strstr(err.msg, "release_age"));
}

/* Older is riskier: the built-in policies stay monotone with release_age among the steps. */
static void monotone_with_age(void **state)
{
    struct pl_policy *p = load_default();
    struct pl_monotone_violation v;
    uint64_t tried = 0;

    (void)state;
    assert_true(pl_policy_check_monotone(p, 5000, 7, &tried, &v));
    assert_true(tried > 5000);
    pl_policy_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(release_age_condition), cmocka_unit_test(release_age_next),
        cmocka_unit_test(appliance_mark),        cmocka_unit_test(minor_lag),
        cmocka_unit_test(browser_clock),         cmocka_unit_test(sla_from_load),
        cmocka_unit_test(monotone_with_age),
    };
    return cmocka_run_group_tests_name("policy_release", tests, NULL, NULL);
}
