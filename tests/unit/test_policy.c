/*
 * test_policy.c - the tiering policy engine: tier boundaries of the default
 * programme, due dates, explanations, the policy loader's errors, the
 * built-in policies and the monotonicity property.
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

static int setup_default(void **state)
{
    struct pl_policy *p = NULL;
    struct pl_error err = PL_ERROR_INIT;

    if (pl_policy_load_builtin("default", &p, &err) != PL_OK) {
        fprintf(stderr, "%s\n", err.msg);
        return -1;
    }
    *state = p;
    return 0;
}

static int teardown_policy(void **state)
{
    pl_policy_free(*state);
    return 0;
}

/* A finding on an asset: the facts the boundary cases vary. */
struct fcase {
    const char *what;
    bool kev;
    double cvss; /* < 0: no CVSS */
    const char *vendor;
    enum pl_exploitation exploitation;
    enum pl_tri exploit_refs, fix, exposure;
    enum pl_env env;
    int tier;
    const char *rule;
    bool provisional;
    enum pl_remedy remedy;
};

static void fill(const struct fcase *c, struct pl_facts *f)
{
    memset(f, 0, sizeof(*f));
    f->kev = c->kev;
    f->has_cvss = c->cvss >= 0.0;
    f->cvss = c->cvss;
    f->cvss_version = "3.1";
    f->vendor_severity = c->vendor;
    f->exploitation = c->exploitation;
    f->exploit_refs = c->exploit_refs;
    f->fix_available = c->fix;
    f->exposure = c->exposure;
    f->environment = c->env;
}

#define NO  PL_TRI_NO
#define YES PL_TRI_YES
#define UNK PL_TRI_UNKNOWN

static const struct fcase boundaries[] = {
    {"9.0 internet-facing dev", false, 9.0, NULL, 0, NO, YES, YES, PL_ENV_DEV, 1,
     "critical-exposed-or-prod", false, PL_REMEDY_PATCH},
    {"8.9 internet-facing dev", false, 8.9, NULL, 0, NO, YES, YES, PL_ENV_DEV, 2,
     "high-exposed-or-prod", false, PL_REMEDY_PATCH},
    {"9.0 internal prod", false, 9.0, NULL, 0, NO, YES, NO, PL_ENV_PROD, 1,
     "critical-exposed-or-prod", false, PL_REMEDY_PATCH},
    {"9.0 internal staging", false, 9.0, NULL, 0, NO, YES, NO, PL_ENV_STAGING, 2,
     "critical-elsewhere", false, PL_REMEDY_PATCH},
    {"8.9 internal staging", false, 8.9, NULL, 0, NO, YES, NO, PL_ENV_STAGING, 3, "high-elsewhere",
     false, PL_REMEDY_PATCH},
    {"7.0 internal prod", false, 7.0, NULL, 0, NO, YES, NO, PL_ENV_PROD, 2, "high-exposed-or-prod",
     false, PL_REMEDY_PATCH},
    {"6.9 internal prod", false, 6.9, NULL, 0, NO, YES, NO, PL_ENV_PROD, 3, "medium-prod", false,
     PL_REMEDY_PATCH},
    {"7.0 internal staging", false, 7.0, NULL, 0, NO, YES, NO, PL_ENV_STAGING, 3, "high-elsewhere",
     false, PL_REMEDY_PATCH},
    {"6.9 internal staging", false, 6.9, NULL, 0, NO, YES, NO, PL_ENV_STAGING, 4, "default", false,
     PL_REMEDY_PATCH},
    {"4.0 internal prod", false, 4.0, NULL, 0, NO, YES, NO, PL_ENV_PROD, 3, "medium-prod", false,
     PL_REMEDY_PATCH},
    {"3.9 internal prod", false, 3.9, NULL, 0, NO, YES, NO, PL_ENV_PROD, 4, "default", false,
     PL_REMEDY_PATCH},
    {"6.9 internet-facing staging", false, 6.9, NULL, 0, NO, YES, YES, PL_ENV_STAGING, 4, "default",
     false, PL_REMEDY_PATCH},
    {"8.95 rounds to 9.0", false, 8.95, NULL, 0, NO, YES, NO, PL_ENV_PROD, 1,
     "critical-exposed-or-prod", false, PL_REMEDY_PATCH},
    {"unknown exposure counts as internet-facing", false, 9.0, NULL, 0, NO, YES, UNK, PL_ENV_DEV, 1,
     "critical-exposed-or-prod", true, PL_REMEDY_PATCH},
    {"unknown exposure, low score", false, 2.0, NULL, 0, NO, YES, UNK, PL_ENV_DEV, 4, "default",
     true, PL_REMEDY_PATCH},
    {"KEV on an internal dev host", true, 2.0, NULL, 0, NO, YES, NO, PL_ENV_DEV, 0, "kev", false,
     PL_REMEDY_PATCH},
    {"KEV without any score", true, -1, NULL, 0, NO, YES, NO, PL_ENV_DEV, 0, "kev", false,
     PL_REMEDY_PATCH},
    {"zero-day: active, no fix, internet-facing", false, 5.0, NULL, PL_EXPLOIT_ACTIVE, NO, NO, YES,
     PL_ENV_DEV, 0, "active-exploitation-exposed", false, PL_REMEDY_COMPENSATE},
    {"active exploitation on an internal dev host", false, 5.0, NULL, PL_EXPLOIT_ACTIVE, NO, YES,
     NO, PL_ENV_DEV, 4, "default", false, PL_REMEDY_PATCH},
    {"vendor emergency (Red Hat Critical), no CVSS", false, -1, "Critical", 0, NO, YES, YES,
     PL_ENV_DEV, 0, "vendor-emergency-exposed", false, PL_REMEDY_PATCH},
    {"vendor emergency (Debian emergency) internal prod: band 9.0", false, -1, "emergency", 0, NO,
     YES, NO, PL_ENV_PROD, 1, "critical-exposed-or-prod", false, PL_REMEDY_PATCH},
    {"vendor Important, no CVSS, prod: band 7.0", false, -1, "Important", 0, NO, YES, NO,
     PL_ENV_PROD, 2, "high-exposed-or-prod", false, PL_REMEDY_PATCH},
    {"vendor Moderate, no CVSS, staging: band 4.0", false, -1, "Moderate", 0, NO, YES, NO,
     PL_ENV_STAGING, 4, "default", false, PL_REMEDY_PATCH},
    {"CVSS wins over the vendor band", false, 3.0, "important", 0, NO, YES, NO, PL_ENV_PROD, 4,
     "default", false, PL_REMEDY_PATCH},
    {"no CVSS, no vendor severity: unscored", false, -1, NULL, 0, NO, YES, YES, PL_ENV_PROD,
     PL_TIER_UNSCORED, "unscored", false, PL_REMEDY_PATCH},
    {"unknown vendor severity: unscored", false, -1, "bogus", 0, NO, NO, NO, PL_ENV_DEV,
     PL_TIER_UNSCORED, "unscored", false, PL_REMEDY_COMPENSATE},
    {"public PoC on internet-facing", false, 5.0, NULL, PL_EXPLOIT_POC, NO, YES, YES, PL_ENV_DEV, 1,
     "exploit-exposed", false, PL_REMEDY_PATCH},
    {"exploit references, unknown exposure", false, 5.0, NULL, 0, YES, YES, UNK, PL_ENV_DEV, 1,
     "exploit-exposed", true, PL_REMEDY_PATCH},
};

static void default_tier_boundaries(void **state)
{
    const struct pl_policy *p = *state;

    for (size_t i = 0; i < sizeof(boundaries) / sizeof(boundaries[0]); i++) {
        const struct fcase *c = &boundaries[i];
        struct pl_decision d;
        struct pl_facts f;

        fill(c, &f);
        pl_policy_evaluate(p, &f, &d);
        if (d.tier != c->tier || strcmp(d.rule_name, c->rule) != 0)
            fail_msg("%s: tier %d by '%s', want %d by '%s'", c->what, d.tier, d.rule_name, c->tier,
                     c->rule);
        assert_int_equal(d.provisional, c->provisional);
        assert_int_equal(d.remedy, c->remedy);
        assert_int_equal(d.unscored, c->tier == PL_TIER_UNSCORED);
    }
}

static void default_slas_and_caps(void **state)
{
    const struct pl_policy *p = *state;
    static const int64_t sla[] = {DAY, 7 * DAY, 30 * DAY, 90 * DAY, 180 * DAY};

    assert_int_equal(pl_policy_n_tiers(p), 5);
    for (int t = 0; t < 5; t++)
        assert_int_equal(pl_policy_tier_sla(p, t), sla[t]);
    assert_int_equal(pl_policy_tier_sla(p, PL_TIER_UNSCORED), 90 * DAY);
    assert_string_equal(pl_policy_tier_name(p, 0), "Emergency");
    assert_string_equal(pl_policy_tier_name(p, PL_TIER_UNSCORED), "Unscored");
    assert_int_equal(pl_policy_exception_cap(p, 0), 30 * DAY);
    assert_int_equal(pl_policy_exception_cap(p, 1), 90 * DAY);
    assert_int_equal(pl_policy_exception_cap(p, 4), 90 * DAY);
}

/*
 * The 24-hour browser lane and end-of-life findings: a Chrome fix (CVSS 8.8,
 * production, not exposed) is Tier 1 due in 24 hours; an openssl finding of
 * the same score on the same asset keeps Tier 2 and its 30 days; a browser
 * in KEV stays Tier 0; end of life is Tier 1 exposed, Tier 2 otherwise.
 */
static void software_conditions(void **state)
{
    const struct pl_policy *p = *state;
    struct pl_facts f;
    struct pl_decision d;

    memset(&f, 0, sizeof(f));
    f.has_cvss = true;
    f.cvss = 8.8;
    f.cvss_version = "3.1";
    f.fix_available = PL_TRI_YES;
    f.exposure = PL_TRI_NO;
    f.environment = PL_ENV_PROD;
    f.package = "Google Chrome";
    f.product = "google:chrome";
    f.product_class = "browser";
    pl_policy_evaluate(p, &f, &d);
    assert_string_equal(d.rule_name, "browser-security-fix");
    assert_int_equal(d.tier, 1);
    assert_int_equal(d.sla, DAY);
    f.package = "openssl";
    f.product = f.product_class = NULL;
    pl_policy_evaluate(p, &f, &d);
    assert_string_equal(d.rule_name, "high-exposed-or-prod");
    assert_int_equal(d.tier, 2);
    assert_int_equal(d.sla, 30 * DAY);
    f.product_class = "browser";
    f.fix_available = PL_TRI_NO; /* no fix yet: nothing to install within the day */
    pl_policy_evaluate(p, &f, &d);
    assert_int_equal(d.tier, 2);
    f.kev = true;
    pl_policy_evaluate(p, &f, &d);
    assert_string_equal(d.rule_name, "kev");
    assert_int_equal(d.sla, DAY);

    memset(&f, 0, sizeof(f));
    f.end_of_life = true;
    f.exposure = PL_TRI_NO;
    pl_policy_evaluate(p, &f, &d);
    assert_string_equal(d.rule_name, "end-of-life");
    assert_int_equal(d.tier, 2);
    assert_false(d.unscored);
    f.exposure = PL_TRI_YES;
    pl_policy_evaluate(p, &f, &d);
    assert_string_equal(d.rule_name, "end-of-life-exposed");
    assert_int_equal(d.sla, 7 * DAY);
}

/* A rule's sla shorter than its tier's wins; it is shown by policy show; a bad one is an error. */
static void rule_sla(void **state)
{
    static const char ok[] = "policy: t\ntiers:\n  - {tier: 0, name: A, sla: 7d}\nrules:\n"
                             "  - {name: pkg, tier: 0, sla: 2h, when: {package: [curl, wget]}}\n"
                             "  - {name: long, tier: 0, sla: 30d, when: {product: 'x:y'}}\n"
                             "default: {tier: 0}\n";
    static const char bad[] = "policy: t\ntiers:\n  - {tier: 0, name: A, sla: 7d}\nrules:\n"
                              "  - {name: pkg, tier: 0, sla: soon, when: {class: browser}}\n";
    struct pl_policy *p = NULL;
    struct pl_error err = PL_ERROR_INIT;
    struct pl_facts f;
    struct pl_decision d;
    struct pl_buf b = PL_BUF_INIT(0);

    (void)state;
    assert_int_equal(pl_policy_parse("t.yaml", ok, strlen(ok), &p, &err), PL_OK);
    memset(&f, 0, sizeof(f));
    f.package = "CURL";
    pl_policy_evaluate(p, &f, &d);
    assert_string_equal(d.rule_name, "pkg");
    assert_int_equal(d.sla, 2 * 3600);
    f.package = "openssl";
    f.product = "x:y";
    pl_policy_evaluate(p, &f, &d);
    assert_string_equal(d.rule_name, "long");
    assert_int_equal(d.sla, 7 * DAY); /* a longer target never extends the tier's SLA */
    pl_policy_render_yaml(p, &b);
    assert_non_null(strstr(pl_buf_cstr(&b), "    sla: 2h\n"));
    pl_buf_release(&b);
    pl_policy_free(p);
    p = NULL;
    assert_int_equal(pl_policy_parse("t.yaml", bad, strlen(bad), &p, &err), PL_E_PARSE);
    assert_non_null(strstr(err.msg, "t.yaml:5:"));
    assert_non_null(strstr(err.msg, "sla"));
}

static void due_dates(void **state)
{
    const pl_time_t seen = 1700000000, now = seen + 20 * DAY;
    struct pl_decision d = {0};
    struct pl_due_prev prev;
    enum pl_due_change ch;
    (void)state;

    d.tier = 2;
    d.sla = 30 * DAY; /* new: first seen + SLA */
    assert_int_equal(pl_policy_due(NULL, seen, now, &d, false, &ch), seen + 30 * DAY);
    assert_int_equal(ch, PL_DUE_NEW);
    prev = (struct pl_due_prev){2, seen + 30 * DAY}; /* same tier: stands */
    assert_int_equal(pl_policy_due(&prev, seen, now, &d, false, &ch), seen + 30 * DAY);
    assert_int_equal(ch, PL_DUE_UNCHANGED);
    d.tier = 0;
    d.sla = DAY; /* escalation: now + 24h is earlier than the old due date */
    assert_int_equal(pl_policy_due(&prev, seen, now, &d, false, &ch), now + DAY);
    assert_int_equal(ch, PL_DUE_ESCALATED);
    d.tier = 1;
    d.sla = 7 * DAY; /* escalation where the old due date is earlier: it stands */
    prev = (struct pl_due_prev){2, now + 3 * DAY};
    assert_int_equal(pl_policy_due(&prev, seen, now, &d, false, &ch), now + 3 * DAY);
    assert_int_equal(ch, PL_DUE_ESCALATED);
    d.tier = 4;
    d.sla = 180 * DAY; /* de-escalation never extends */
    prev = (struct pl_due_prev){1, seen + 7 * DAY};
    assert_int_equal(pl_policy_due(&prev, seen, now, &d, false, &ch), seen + 7 * DAY);
    assert_int_equal(ch, PL_DUE_DEESCALATED);
    /* unless an audited decision lowered it: first seen + the new SLA */
    assert_int_equal(pl_policy_due(&prev, seen, now, &d, true, &ch), seen + 180 * DAY);
    assert_int_equal(ch, PL_DUE_REBASED);
    /* unscored -> a tier is an escalation */
    prev = (struct pl_due_prev){PL_TIER_UNSCORED, seen + 90 * DAY};
    d.tier = 3;
    d.sla = 90 * DAY;
    assert_int_equal(pl_policy_due(&prev, seen, now, &d, false, &ch), seen + 90 * DAY);
    assert_int_equal(ch, PL_DUE_ESCALATED);
    d.tier = PL_TIER_UNSCORED; /* a tier -> unscored is not */
    prev = (struct pl_due_prev){4, seen + 180 * DAY};
    assert_int_equal(pl_policy_due(&prev, seen, now, &d, false, &ch), seen + 180 * DAY);
    assert_int_equal(ch, PL_DUE_DEESCALATED);
    assert_string_equal(pl_due_change_name(PL_DUE_ESCALATED), "escalated");
}

#define EXPLAIN_TEXT                                                                                                                                      \
    "tier 0 Emergency, due 1d after first seen: rule 'active-exploitation-exposed' (builtin:default line 62)\n"                                           \
    "  score: 7.5 (CVSS 3.1 CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N)\n"                                                                              \
    "  ssvc: cisa unknown, deployer unknown\n"                                                                                                            \
    "  note: exploited in the wild and reachable from the internet; with no fix yet this is a zero-day and the compensating control is due in 24 hours\n" \
    "  remedy: no fix is available: a compensating control is due within 1d (zero-day: exploited, no fix yet)\n"                                          \
    "  provisional: exposure is unknown and counted as yes (fail-safe)\n"                                                                                 \
    "facts used:\n"                                                                                                                                       \
    "  exploitation = active (want active) [vulnrichment 2024-10-24]\n"                                                                                   \
    "  exposure = unknown (counted as yes: fail-safe) (want yes) [cmdb 2026-11-28]\n"                                                                     \
    "rules above it that did not fire:\n"                                                                                                                 \
    "  kev (tier 0, line 52): kev is false, want true [cisa-kev 2025.08.25 2025-08-25]\n"                                                                 \
    "  vendor-exploited (tier 0, line 57): vendor_exploited is false, want true [no provenance]\n"
#define EXPLAIN_JSON                                                                            \
    "{\"policy\":\"default\",\"tier\":0,\"tier_name\":\"Emergency\",\"sla\":\"1d\",\"rule\":"   \
    "\"active-exploitation-exposed\",\"rule_line\":62,\"unscored\":false,\"provisional\":true," \
    "\"remedy\":\"compensating-control\",\"note\":\"exploited in the wild and reachable from "  \
    "the internet; with no fix yet this is a zero-day and the compensating control is due in "  \
    "24 hours\",\"score\":{\"value\":7.5,\"source\":\"cvss\"},\"ssvc\":{\"cisa\":\"unknown\","  \
    "\"deployer\":\"unknown\"},\"facts\":[{\"fact\":\"exploitation\",\"want\":\"active\",\"li"  \
    "ne\":64,\"actual\":\"active\",\"provenance\":{\"source\":\"vulnrichment\",\"version\":nu"  \
    "ll,\"date\":\"2024-10-24\"}},{\"fact\":\"exposure\",\"want\":\"yes\",\"line\":64,\"actua"  \
    "l\":\"unknown (counted as yes: fail-safe)\",\"provenance\":{\"source\":\"cmdb\",\"versio"  \
    "n\":null,\"date\":\"2026-11-28\"}}],\"mark\":null,\"distro_decision\":null,"               \
    "\"deadline\":null,"                                                                        \
    "\"not_fired\":[{\"rule\":\"kev\",\"tier\":0,\"line\""                                      \
    ":52,\"failed\":[{\"fact\":\"kev\",\"want\":\"true\",\"line\":54,\"actual\":\"false\",\"p"  \
    "rovenance\":{\"source\":\"cisa-kev\",\"version\":\"2025.08.25\",\"date\":\"2025-08-25\"}"  \
    "}]},{\"rule\":\"vendor-exploited\",\"tier\":0,\"line\":57,\"failed\":[{\"fact\":\"vend"    \
    "or_exploited\",\"want\":\"true\",\"line\":59,\"actual\":\"false\",\"provenance\":{\"source\":null,\"version\":null,\"date\":null}}]}]}"

/* The zero-day case: what fired, the facts with provenance, why earlier rules did not. */
static void explain_zero_day(void **state)
{
    const struct pl_policy *p = *state;
    struct pl_buf b = PL_BUF_INIT(0);
    struct pl_decision d;
    struct pl_facts f = {0};

    f.has_cvss = true;
    f.cvss = 7.5;
    f.cvss_version = "3.1";
    f.cvss_vector = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N";
    f.cvss_prov = (struct pl_prov){"nvd", "2.0", "2026-11-01"};
    f.kev_prov = (struct pl_prov){"cisa-kev", "2025.08.25", "2025-08-25"};
    f.exploitation = PL_EXPLOIT_ACTIVE;
    f.automatable = PL_TRI_YES;
    f.technical_impact = PL_TI_PARTIAL;
    f.ssvc_prov = (struct pl_prov){"vulnrichment", NULL, "2024-10-24"};
    f.fix_available = PL_TRI_NO;
    f.exposure = PL_TRI_UNKNOWN;
    f.environment = PL_ENV_PROD;
    f.asset_prov = (struct pl_prov){"cmdb", NULL, "2026-11-28"};
    pl_policy_evaluate(p, &f, &d);
    assert_int_equal(d.tier, 0);
    pl_policy_explain_text(p, &f, &d, &b);
    assert_int_equal(pl_buf_status(&b), PL_OK);
    assert_string_equal(pl_buf_cstr(&b), EXPLAIN_TEXT);
    pl_buf_reset(&b);
    pl_policy_explain_json(p, &f, &d, &b);
    assert_string_equal(pl_buf_cstr(&b), EXPLAIN_JSON);
    pl_buf_release(&b);
}

#define TIERS                                 \
    "policy: t\n"                             \
    "tiers:\n"                                \
    "  - {tier: 0, name: Urgent, sla: 24h}\n" \
    "  - {tier: 1, name: Later, sla: 30d}\n"

/* The property: >= 100k (facts, risk step) pairs per built-in policy, no tier lowered. */
static void builtins_are_monotone(void **state)
{
    (void)state;
    for (size_t i = 0; pl_policy_builtin_names[i]; i++) {
        struct pl_error err = PL_ERROR_INIT;
        struct pl_monotone_violation v;
        struct pl_policy *p = NULL;
        uint64_t tried = 0;

        assert_int_equal(pl_policy_load_builtin(pl_policy_builtin_names[i], &p, &err), PL_OK);
        if (!pl_policy_check_monotone(p, 40000, 42, &tried, &v))
            fail_msg("%s: after '%s' tier %d -> %d (%s)", pl_policy_builtin_names[i], v.step,
                     v.tier_before, v.tier_after, v.facts);
        assert_true(tried >= 100000);
        pl_policy_free(p);
    }
}

/* A policy that rewards being internal is caught, with the rule and the step. */
static void non_monotone_policy_is_caught(void **state)
{
    static const char yaml[] = TIERS "rules:\n"
                                     "  - {name: ok, tier: 0, when: {kev: true}}\n"
                                     "  - {name: internal-first, tier: 0, when: {exposure: no}}\n"
                                     "default: {tier: 1}\n";
    struct pl_error err = PL_ERROR_INIT;
    struct pl_monotone_violation v;
    struct pl_policy *p = NULL;
    (void)state;

    assert_int_equal(pl_policy_parse("m.yaml", yaml, strlen(yaml), &p, &err), PL_OK);
    assert_false(pl_policy_check_monotone(p, 1000, 1, NULL, &v));
    assert_string_equal(v.step, "exposure no->unknown");
    assert_string_equal(v.rule_before_name, "internal-first");
    assert_int_equal(v.line, 7);
    assert_int_equal(v.col, 5);
    assert_int_equal(v.tier_before, 0);
    assert_true(v.tier_after == 1 || v.tier_after == PL_TIER_UNSCORED);
    pl_policy_free(p);
}

/*
 * Every built-in policy has the rules the default one has: a KEV finding and
 * a vendor-exploited finding (Microsoft "Exploited:Yes") are Tier 0 on an
 * internal dev asset with a low score; a browser's security fix is due within
 * 24 hours; software past its end of life is tiered (1 exposed, 2 otherwise).
 */
static void builtins_share_the_default_lanes(void **state)
{
    (void)state;
    for (size_t i = 0; pl_policy_builtin_names[i]; i++) {
        const char *name = pl_policy_builtin_names[i];
        struct pl_error err = PL_ERROR_INIT;
        struct pl_policy *p = NULL;
        struct pl_decision d;
        struct pl_facts f = {0};

        assert_int_equal(pl_policy_load_builtin(name, &p, &err), PL_OK);
        f.has_cvss = true;
        f.cvss = 3.1;
        f.exposure = PL_TRI_NO;
        f.environment = PL_ENV_DEV;
        f.criticality = PL_CRIT_LOW;
        f.fix_available = PL_TRI_YES;
        pl_policy_evaluate(p, &f, &d);
        if (d.tier == 0)
            fail_msg("%s: a low finding is tier 0", name);
        f.kev = true;
        pl_policy_evaluate(p, &f, &d);
        if (d.tier != 0 || strcmp(d.rule_name, "kev") != 0)
            fail_msg("%s: KEV: tier %d by '%s', want 0 by 'kev'", name, d.tier, d.rule_name);
        f.kev = false;
        f.vendor_exploited = true;
        pl_policy_evaluate(p, &f, &d);
        if (d.tier != 0 || strcmp(d.rule_name, "vendor-exploited") != 0)
            fail_msg("%s: vendor exploited: tier %d by '%s', want 0 by 'vendor-exploited'", name,
                     d.tier, d.rule_name);
        f.vendor_exploited = false;
        f.product = "google:chrome";
        f.product_class = "browser";
        pl_policy_evaluate(p, &f, &d);
        if (d.tier != 1 || d.sla != 86400)
            fail_msg("%s: browser fix: tier %d, sla %lld s by '%s', want tier 1 within 24h", name,
                     d.tier, (long long)d.sla, d.rule_name);
        f.product = "amazon-rds-postgresql";
        f.product_class = "database";
        f.end_of_life = true;
        f.has_cvss = false;
        pl_policy_evaluate(p, &f, &d);
        if (d.tier != 2 || strcmp(d.rule_name, "end-of-life") != 0)
            fail_msg("%s: end of life: tier %d by '%s', want 2 by 'end-of-life'", name, d.tier,
                     d.rule_name);
        f.exposure = PL_TRI_YES;
        pl_policy_evaluate(p, &f, &d);
        if (d.tier != 1 || strcmp(d.rule_name, "end-of-life-exposed") != 0)
            fail_msg("%s: exposed end of life: tier %d by '%s', want 1", name, d.tier, d.rule_name);
        pl_policy_free(p);
    }
}

/* The ssvc policy: outcomes drive the tier; unknown outcomes fall back to CVSS. */
static void ssvc_policy(void **state)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_policy *p = NULL;
    struct pl_decision d;
    struct pl_facts f = {0};
    (void)state;

    assert_int_equal(pl_policy_load_builtin("ssvc", &p, &err), PL_OK);
    f.has_cvss = true;
    f.cvss = 9.8;
    f.environment = PL_ENV_PROD;
    f.exposure = PL_TRI_NO;
    pl_policy_evaluate(p, &f, &d); /* SSVC unknown: the fallback programme */
    assert_string_equal(d.rule_name, "fallback-critical-exposed-or-prod");
    assert_int_equal(d.tier, 1);
    f.exploitation = PL_EXPLOIT_NONE;
    f.automatable = PL_TRI_NO;
    f.technical_impact = PL_TI_PARTIAL;
    f.criticality = PL_CRIT_LOW;
    pl_policy_evaluate(p, &f, &d); /* track + defer */
    assert_string_equal(d.rule_name, "ssvc-defer");
    assert_int_equal(d.tier, 4);
    f.exploitation = PL_EXPLOIT_ACTIVE;
    f.automatable = PL_TRI_YES;
    f.technical_impact = PL_TI_TOTAL;
    f.criticality = PL_CRIT_HIGH;
    pl_policy_evaluate(p, &f, &d); /* act; deployer out-of-cycle (controlled) */
    assert_string_equal(d.rule_name, "ssvc-immediate");
    assert_int_equal(d.cisa, PL_CISA_ACT);
    assert_int_equal(d.deployer, PL_DSOI_OUT_OF_CYCLE);
    pl_policy_free(p);
}

/* The epss policy: EPSS escalates, never lowers. */
static void epss_policy(void **state)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_policy *p = NULL;
    struct pl_decision d;
    struct pl_facts f = {0};
    (void)state;

    assert_int_equal(pl_policy_load_builtin("epss", &p, &err), PL_OK);
    f.has_cvss = true;
    f.cvss = 5.0;
    f.exposure = PL_TRI_NO;
    f.environment = PL_ENV_DEV;
    pl_policy_evaluate(p, &f, &d);
    assert_int_equal(d.tier, 4);
    f.has_epss = true;
    f.epss = 0.2;
    f.epss_percentile = 0.90;
    pl_policy_evaluate(p, &f, &d);
    assert_string_equal(d.rule_name, "epss-top10");
    f.environment = PL_ENV_PROD;
    f.epss_percentile = 0.95;
    pl_policy_evaluate(p, &f, &d);
    assert_string_equal(d.rule_name, "epss-top5-exposed-or-prod");
    assert_int_equal(d.tier, 2);
    f.exposure = PL_TRI_YES;
    f.epss = 0.5;
    pl_policy_evaluate(p, &f, &d);
    assert_string_equal(d.rule_name, "epss-likely-exposed");
    assert_int_equal(d.tier, 1);
    pl_policy_free(p);
}

/* Every kind of condition, `when` with `any`, and the settings of a custom policy. */
static void conditions_of_every_kind(void **state)
{
    static const char yaml[] =
        "policy: kinds\n"
        "tiers:\n"
        "  - {tier: 0, name: A, sla: 1d, max_exception: 7d}\n"
        "  - {tier: 1, name: B, sla: 2d}\n"
        "  - {tier: 2, name: C, sla: 3d}\n"
        "settings:\n"
        "  unknown_exposure: {treat_as: no, provisional: false}\n"
        "  unknown_environment: {treat_as: prod, provisional: false}\n"
        "  unscored_due: 30d\n"
        "  vendor_severity_bands: {severe: 8.0}\n"
        "  vendor_emergency: [Severe]\n"
        "  max_exception: 60d\n"
        "rules:\n"
        "  - {name: ransom, tier: 0, when: {kev_ransomware: yes}}\n"
        "  - {name: pci-v4, tier: 0, when: {tag: [PCI, sox], cvss_version: \"4.0\"}}\n"
        "  - {name: emergency, tier: 0, when: {vendor_emergency: true, scored: true}}\n"
        "  - name: ssvc\n"
        "    tier: 1\n"
        "    when: {kind: [host], criticality: [high, critical]}\n"
        "    any:\n"
        "      - {ssvc_deployer: [out-of-cycle, immediate]}\n"
        "      - {automatable: yes, technical_impact: total}\n"
        "  - {name: nofix, tier: 1, when: {fix_available: [false, unknown], epss: \"> 0.1\"}}\n"
        "  - {name: exposed, tier: 1, when: {exposure: yes, environment: production}}\n"
        "  - {name: low, tier: 2, when: {cvss: \"< 4\"}}\n"
        "default: {tier: 1}\n";
    static const char *const pci[] = {"web", "pci"};
    struct pl_error err = PL_ERROR_INIT;
    struct pl_policy *p = NULL;
    struct pl_decision d;
    struct pl_facts f = {0};
    (void)state;

    if (pl_policy_parse("kinds.yaml", yaml, strlen(yaml), &p, &err) != PL_OK)
        fail_msg("%s", err.msg);
    assert_int_equal(pl_policy_exception_cap(p, 0), 7 * DAY);
    assert_int_equal(pl_policy_exception_cap(p, 2), 60 * DAY);
    f.fix_available = PL_TRI_YES;
    pl_policy_evaluate(p, &f, &d); /* nothing known, no score */
    assert_int_equal(d.tier, PL_TIER_UNSCORED);
    assert_int_equal(d.sla, 30 * DAY);
    assert_false(d.provisional); /* provisional: false */
    f.kev_ransomware = true;
    pl_policy_evaluate(p, &f, &d);
    assert_string_equal(d.rule_name, "ransom");
    f.kev_ransomware = false;
    f.has_cvss = true;
    f.cvss = 5.0;
    f.cvss_version = "4.0";
    f.tags = pci;
    f.n_tags = 2;
    pl_policy_evaluate(p, &f, &d); /* tags compare case-insensitively, any of them */
    assert_string_equal(d.rule_name, "pci-v4");
    f.n_tags = 1;
    f.has_cvss = false;
    f.vendor_severity = "SEVERE";
    pl_policy_evaluate(p, &f, &d); /* the custom band gives a score */
    assert_string_equal(d.rule_name, "emergency");
    assert_int_equal(d.score_src, PL_SCORE_VENDOR);
    assert_true(d.score == 8.0);
    f.vendor_severity = NULL;
    f.has_cvss = true;
    f.kind = "host";
    f.criticality = PL_CRIT_HIGH;
    f.automatable = PL_TRI_YES;
    f.technical_impact = PL_TI_TOTAL;
    pl_policy_evaluate(p, &f, &d); /* when holds and the second any group */
    assert_string_equal(d.rule_name, "ssvc");
    f.kind = "container-image";
    f.fix_available = PL_TRI_UNKNOWN;
    f.has_epss = true;
    f.epss = 0.1;
    pl_policy_evaluate(p, &f, &d); /* epss > 0.1 is strict */
    assert_string_equal(d.rule_name, "default");
    f.epss = 0.11;
    pl_policy_evaluate(p, &f, &d);
    assert_string_equal(d.rule_name, "nofix");
    f.has_epss = false;
    f.environment = PL_ENV_PROD;
    f.exposure = PL_TRI_UNKNOWN; /* counts as no here */
    pl_policy_evaluate(p, &f, &d);
    assert_string_equal(d.rule_name, "default");
    f.exposure = PL_TRI_YES;
    pl_policy_evaluate(p, &f, &d);
    assert_string_equal(d.rule_name, "exposed");
    f.exposure = PL_TRI_NO;
    f.cvss = 3.9;
    pl_policy_evaluate(p, &f, &d);
    assert_string_equal(d.rule_name, "low");
    pl_policy_free(p);
}

/* KEV and EPSS dates appear with the facts; unscored and default decisions say why. */
/* An unknown environment counts as production and marks the decision provisional. */
static void unknown_environment_is_fail_safe(void **state)
{
    static const char yaml[] = "policy: dev-fallback\n"
                               "tiers:\n"
                               "  - {tier: 0, name: A, sla: 1d}\n"
                               "  - {tier: 1, name: B, sla: 2d}\n"
                               "settings:\n"
                               "  unknown_environment: {treat_as: dev, provisional: false}\n"
                               "rules:\n"
                               "  - {name: prod, tier: 0, when: {environment: prod}}\n"
                               "default: {tier: 1}\n";
    struct pl_policy *p = NULL;
    struct pl_error err = PL_ERROR_INIT;
    struct pl_facts f = {0};
    struct pl_decision prod, unknown;
    struct pl_buf b = PL_BUF_INIT(0);

    (void)state;
    assert_int_equal(pl_policy_load_builtin("default", &p, &err), PL_OK);
    f.has_cvss = true;
    f.cvss = 5.0; /* medium */
    f.exposure = PL_TRI_NO;
    f.fix_available = PL_TRI_YES;
    f.environment = PL_ENV_PROD;
    pl_policy_evaluate(p, &f, &prod);
    assert_false(prod.provisional);
    f.environment = PL_ENV_UNKNOWN;
    pl_policy_evaluate(p, &f, &unknown);
    assert_int_equal(unknown.tier, prod.tier); /* not the least urgent case */
    assert_true(unknown.provisional);
    pl_policy_explain_text(p, &f, &unknown, &b);
    assert_non_null(strstr(pl_buf_cstr(&b), "provisional: environment is unknown and counted as "
                                            "prod (fail-safe)"));
    pl_policy_render_yaml(p, (pl_buf_reset(&b), &b));
    assert_non_null(strstr(pl_buf_cstr(&b), "  unknown_environment:\n    treat_as: prod\n"
                                            "    provisional: true\n"));
    pl_policy_free(p);

    /* the setting can say otherwise */
    if (pl_policy_parse("dev.yaml", yaml, strlen(yaml), &p, &err) != PL_OK)
        fail_msg("%s", err.msg);
    pl_policy_evaluate(p, &f, &unknown);
    assert_int_equal(unknown.tier, 1);
    assert_false(unknown.provisional);
    pl_policy_free(p);
    assert_int_equal(pl_policy_parse("bad.yaml",
                                     "policy: x\ntiers:\n  - {tier: 0, name: A, sla: 1d}\n"
                                     "settings:\n  unknown_environment: {treat_as: moon}\n",
                                     99, &p, &err),
                     PL_E_PARSE);
    assert_non_null(strstr(err.msg, "treat_as: want prod, staging, dev or unknown, not 'moon'"));
    pl_buf_release(&b);
}

static void explain_dates_and_fallbacks(void **state)
{
    static const char default_head[] =
        "tier 4 Low, due 180d after first seen: no rule fired: the default tier of policy "
        "'default'\n";
    const struct pl_policy *p = *state;
    struct pl_buf b = PL_BUF_INIT(0);
    struct pl_decision d;
    struct pl_facts f = {0};

    f.kev = true;
    f.kev_added = 1736899200; /* 2025-01-15 */
    f.kev_prov = (struct pl_prov){"cisa-kev", "2025.08.25", NULL};
    pl_policy_evaluate(p, &f, &d);
    pl_policy_explain_text(p, &f, &d, &b);
    assert_non_null(strstr(pl_buf_cstr(&b), "\n  kev = true (added 2025-01-15) (want true) "
                                            "[cisa-kev 2025.08.25]\n"));
    pl_buf_reset(&b);
    f.kev = false; /* nothing else known: unscored */
    pl_policy_evaluate(p, &f, &d);
    pl_policy_explain_json(p, &f, &d, &b);
    assert_non_null(strstr(pl_buf_cstr(&b), "\"tier\":-1,\"tier_name\":\"Unscored\",\"sla\":"
                                            "\"90d\",\"rule\":\"unscored\",\"rule_line\":0,"));
    assert_non_null(strstr(pl_buf_cstr(&b), "\"score\":null"));
    pl_buf_reset(&b);
    f.has_cvss = true;
    f.cvss = 3.0;
    f.has_epss = true;
    f.epss = 0.97;
    f.epss_percentile = 0.999;
    f.epss_date = 1786838400; /* 2026-08-16 */
    f.exposure = PL_TRI_NO;
    f.environment = PL_ENV_DEV;
    pl_policy_evaluate(p, &f, &d); /* a high EPSS alone changes nothing in the default policy */
    assert_int_equal(d.tier, 4);
    assert_false(d.provisional);
    pl_policy_explain_text(p, &f, &d, &b);
    assert_true(strncmp(pl_buf_cstr(&b), default_head, sizeof(default_head) - 1) == 0);
    pl_buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(default_tier_boundaries, setup_default, teardown_policy),
        cmocka_unit_test_setup_teardown(default_slas_and_caps, setup_default, teardown_policy),
        cmocka_unit_test(due_dates),
        cmocka_unit_test_setup_teardown(software_conditions, setup_default, teardown_policy),
        cmocka_unit_test(rule_sla),
        cmocka_unit_test(unknown_environment_is_fail_safe),
        cmocka_unit_test_setup_teardown(explain_zero_day, setup_default, teardown_policy),
        cmocka_unit_test_setup_teardown(explain_dates_and_fallbacks, setup_default,
                                        teardown_policy),
        cmocka_unit_test(builtins_are_monotone),
        cmocka_unit_test(non_monotone_policy_is_caught),
        cmocka_unit_test(builtins_share_the_default_lanes),
        cmocka_unit_test(ssvc_policy),
        cmocka_unit_test(epss_policy),
        cmocka_unit_test(conditions_of_every_kind),
    };
    return cmocka_run_group_tests_name("policy", tests, NULL, NULL);
}
