/*
 * test_policy_load.c - reading policies: the loader's errors (exact
 * messages with line and column), caps, fixtures on disk, the built-in
 * texts against their docs/ copies, the show round trip, mutated texts.
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

#define TIERS                                 \
    "policy: t\n"                             \
    "tiers:\n"                                \
    "  - {tier: 0, name: Urgent, sla: 24h}\n" \
    "  - {tier: 1, name: Later, sla: 30d}\n"

static const struct {
    const char *what, *yaml;
    pl_status code;
    const char *msg;
} bad_policies[] = {
    {"unknown condition",
     TIERS "rules:\n  - name: crit-prod\n    tier: 0\n    when: {cvs: \">= 9.0\"}\n", PL_E_PARSE,
     "policy.yaml:8:12: rule 'crit-prod': unknown condition 'cvs'; did you mean 'cvss'?"},
    {"unknown top-level key", TIERS "rulez: []\n", PL_E_PARSE,
     "policy.yaml:5:1: unknown key 'rulez' in the policy; did you mean 'rules'?"},
    {"wrong type", "policy: t\ntiers: many\nrules: []\n", PL_E_PARSE,
     "policy.yaml:2:8: tiers: want a list, not a scalar"},
    {"bad duration", "policy: t\ntiers:\n  - {tier: 0, name: A, sla: 7x}\nrules: []\n", PL_E_PARSE,
     "policy.yaml:3:29: sla: invalid duration '7x': unit must be s, m, h, d or w"},
    {"zero duration", "policy: t\ntiers:\n  - {tier: 0, name: A, sla: 0d}\nrules: []\n", PL_E_PARSE,
     "policy.yaml:3:29: sla: must be longer than 0s"},
    {"tier out of range", TIERS "rules:\n  - name: r\n    tier: 7\n    when: {kev: true}\n",
     PL_E_PARSE, "policy.yaml:7:11: rule 'r': tier 7 is out of range (0-1)"},
    {"tiers out of order", "policy: t\ntiers:\n  - {tier: 1, name: A, sla: 1d}\nrules: []\n",
     PL_E_PARSE, "policy.yaml:3:12: tier '1': tiers are numbered 0, 1, ... in order; want 0"},
    {"YAML syntax error", TIERS "rules: [\n  - name: x\n", PL_E_PARSE,
     "policy.yaml:6:3: YAML syntax error: did not find expected node content while parsing a flow node"},
    {"bad enum value", TIERS "rules:\n  - name: r\n    tier: 0\n    when: {exposure: maybe}\n",
     PL_E_PARSE,
     "policy.yaml:8:22: rule 'r': condition 'exposure': unknown value 'maybe' (want yes, no or unknown)"},
    {"bad range", TIERS "rules:\n  - name: r\n    tier: 0\n    when: {cvss: \">= 11\"}\n",
     PL_E_PARSE,
     "policy.yaml:8:18: rule 'r': condition 'cvss': '>= 11' is outside 0.0-10.0 or empty"},
    {"not a range", TIERS "rules:\n  - name: r\n    tier: 0\n    when: {epss: high}\n", PL_E_PARSE,
     "policy.yaml:8:18: rule 'r': condition 'epss': 'high' is not a range (want e.g. \">= 9.0\", \"< 4.0\" or \"7.0..8.9\")"},
    {"rule without conditions", TIERS "rules:\n  - name: r\n    tier: 0\n", PL_E_PARSE,
     "policy.yaml:6:5: rule 'r': no conditions: give 'when' or 'any' (use 'default' for the rest)"},
    {"duplicate rule",
     TIERS
     "rules:\n  - {name: r, tier: 0, when: {kev: true}}\n  - {name: r, tier: 1, when: {kev: true}}\n",
     PL_E_PARSE, "policy.yaml:7:5: rule 'r': duplicate rule name (first at line 6)"},
    {"duplicate key", "policy: t\npolicy: u\n", PL_E_PARSE,
     "policy.yaml:2:1: duplicate key 'policy' in the policy"},
    {"alias", TIERS "rules:\n  - &a {name: r, tier: 0, when: {kev: true}}\n  - *a\n", PL_E_PARSE,
     "policy.yaml:7:5: YAML aliases are not supported"},
    {"missing tiers", "policy: t\nrules: []\n", PL_E_PARSE, "policy.yaml:1:1: missing key 'tiers'"},
    {"bad name", "policy: \"a b\"\n", PL_E_PARSE,
     "policy.yaml:1:9: policy name 'a b': use letters, digits, '-', '_' and '.'"},
    {"wrong type of when", TIERS "rules:\n  - name: r\n    tier: 0\n    when: [kev]\n", PL_E_PARSE,
     "policy.yaml:8:11: rule 'r': when: want a mapping of conditions, not a list"},
    {"empty", "", PL_E_PARSE, "policy.yaml:1:1: empty policy"},
    {"two documents", "policy: t\n---\npolicy: u\n", PL_E_PARSE,
     "policy.yaml:2:1: a policy is one YAML document"},
    {"binary garbage", "policy: t\n\x01\x02\xff\xfe", PL_E_PARSE,
     "policy.yaml:2:1: YAML syntax error: control characters are not allowed"},
    {"invalid UTF-8", "policy: t\ndescription: caf\xe9\n", PL_E_PARSE,
     "policy.yaml:2:17: YAML syntax error: incomplete UTF-8 octet sequence"},
    {"deep nesting", "a: [[[[[[[[[1]]]]]]]]]\n", PL_E_PARSE,
     "policy.yaml:1:11: nested deeper than 8 levels"},
};

static void bad_policy_messages(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(bad_policies) / sizeof(bad_policies[0]); i++) {
        struct pl_error err = PL_ERROR_INIT;
        struct pl_policy *p = NULL;
        pl_status rc = pl_policy_parse("policy.yaml", bad_policies[i].yaml,
                                       strlen(bad_policies[i].yaml), &p, &err);

        if (rc != bad_policies[i].code || strcmp(err.msg, bad_policies[i].msg) != 0)
            fail_msg("%s: got %d '%s'", bad_policies[i].what, rc, err.msg);
        assert_null(p);
    }
}

/* A 10 MB file: refused before any parsing. */
static void huge_policy_is_refused(void **state)
{
    size_t n = (size_t)10 * 1024 * 1024;
    char *big = malloc(n + 1);
    struct pl_error err = PL_ERROR_INIT;
    struct pl_policy *p = NULL;
    (void)state;

    assert_non_null(big);
    memset(big, '#', n);
    big[n] = '\0';
    assert_int_equal(pl_policy_parse("big.yaml", big, n, &p, &err), PL_E_TOOBIG);
    assert_string_equal(err.msg, "big.yaml: policy is larger than 1048576 bytes");
    assert_null(p);
    free(big);
}

/* Fixtures on disk: the loader reads through the front door and names the path. */
static void fixture_files(void **state)
{
    const char *src = getenv("PL_SOURCE_DIR");
    struct pl_error err = PL_ERROR_INIT;
    struct pl_policy *p = NULL;
    char path[1024];
    (void)state;

    assert_non_null(src);
    assert_true(snprintf(path, sizeof(path), "%s/tests/fixtures/policy/custom.yaml", src) <
                (int)sizeof(path));
    assert_int_equal(pl_policy_load_file(path, &p, &err), PL_OK);
    assert_string_equal(pl_policy_name(p), "custom");
    pl_policy_free(p);
    assert_true(snprintf(path, sizeof(path), "%s/tests/fixtures/policy/absent.yaml", src) <
                (int)sizeof(path));
    assert_int_equal(pl_policy_load_file(path, &p, &err), PL_E_IO);
}

/* Every built-in loads, equals its docs/ copy, and round-trips through show. */
static void builtins(void **state)
{
    const char *src = getenv("PL_SOURCE_DIR");
    (void)state;

    assert_non_null(src);
    for (size_t i = 0; pl_policy_builtin_names[i]; i++) {
        const char *name = pl_policy_builtin_names[i];
        struct pl_buf doc = PL_BUF_INIT(0), y1 = PL_BUF_INIT(0), y2 = PL_BUF_INIT(0);
        struct pl_error err = PL_ERROR_INIT;
        struct pl_policy *p = NULL, *q = NULL;
        char path[1024];

        assert_true(snprintf(path, sizeof(path), "%s/docs/policy-%s.yaml", src, name) <
                    (int)sizeof(path));
        assert_int_equal(pl_file_read(path, 0, &doc, &err), PL_OK);
        assert_string_equal(pl_buf_cstr(&doc), pl_policy_builtin_text(name));
        assert_int_equal(pl_policy_load_builtin(name, &p, &err), PL_OK);
        assert_string_equal(pl_policy_name(p), name);
        pl_policy_render_yaml(p, &y1);
        assert_int_equal(pl_policy_parse("shown", pl_buf_cstr(&y1), y1.len, &q, &err), PL_OK);
        pl_policy_render_yaml(q, &y2);
        /* the first line names the origin */
        assert_string_equal(strchr(pl_buf_cstr(&y1), '\n'), strchr(pl_buf_cstr(&y2), '\n'));
        pl_policy_free(p);
        pl_policy_free(q);
        pl_buf_release(&doc);
        pl_buf_release(&y1);
        pl_buf_release(&y2);
    }
    assert_null(pl_policy_builtin_text("nope"));
}

/* Mutate a built-in text at random (fixed seed): never a crash, every error names its place. */
static void mutated_policies_fail_cleanly(void **state)
{
    static const char pool[] = "{}[]:,-&*!|>'\"#\n \t0x9yesno.";
    const char *base = pl_policy_builtin_text("ssvc");
    size_t n = strlen(base);
    char *buf = malloc(n + 16);
    uint64_t s = 12345;
    int ok = 0, bad = 0;
    (void)state;

    assert_non_null(buf);
    for (int it = 0; it < 2000; it++) {
        struct pl_policy *p = NULL, *q = NULL;
        struct pl_error err = PL_ERROR_INIT;
        size_t len = n;

        memcpy(buf, base, n + 1);
        for (int m = 0; m <= it % 4; m++) {
            size_t pos;
            char c;

            s = s * 6364136223846793005ULL + 1442695040888963407ULL;
            pos = (size_t)(s >> 20) % len;
            c = pool[(s >> 40) % (sizeof(pool) - 1)];
            if ((s >> 50) % 3 == 0) {
                buf[pos] = c;
            } else if ((s >> 50) % 3 == 1) {
                memmove(buf + pos, buf + pos + 1, len - pos);
                len--;
            } else {
                memmove(buf + pos + 1, buf + pos, len - pos + 1);
                buf[pos] = c;
                len++;
            }
        }
        if (pl_policy_parse("m.yaml", buf, len, &p, &err) == PL_OK) {
            struct pl_buf y = PL_BUF_INIT(0);

            pl_policy_render_yaml(p, &y);
            if (pl_policy_parse("r", pl_buf_cstr(&y), y.len, &q, &err) != PL_OK)
                fail_msg("mutation %d: shown policy does not parse: %s", it, err.msg);
            pl_policy_free(q);
            pl_policy_free(p);
            pl_buf_release(&y);
            ok++;
        } else {
            assert_int_equal(err.code, PL_E_PARSE);
            assert_true(strncmp(err.msg, "m.yaml:", 7) == 0);
            bad++;
        }
    }
    assert_int_equal(ok + bad, 2000);
    assert_true(ok > 100 && bad > 100); /* both paths exercised */
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bad_policy_messages),
        cmocka_unit_test(huge_policy_is_refused),
        cmocka_unit_test(fixture_files),
        cmocka_unit_test(builtins),
        cmocka_unit_test(mutated_policies_fail_cleanly),
    };
    return cmocka_run_group_tests_name("policy_load", tests, NULL, NULL);
}
