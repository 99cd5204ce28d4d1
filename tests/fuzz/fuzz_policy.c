/*
 * fuzz_policy.c - the policy YAML loader (policy.h). A policy that loads
 * is rendered back to YAML, and the rendering must load again and decide
 * every sample finding the same way; the decisions are explained.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/buf.h"
#include "patchline/policy.h"

#include "fuzz_util.h"

static void samples(struct pl_facts f[3])
{
    static const char *const tags[] = {"pci", "internet"};

    memset(f, 0, 3 * sizeof(f[0]));
    f[0].kev = true, f[0].kev_ransomware = true, f[0].has_cvss = true, f[0].cvss = 9.8;
    f[0].cvss_version = "3.1", f[0].exposure = PL_TRI_YES, f[0].environment = PL_ENV_PROD;
    f[0].criticality = PL_CRIT_CRITICAL, f[0].kind = "host", f[0].tags = tags, f[0].n_tags = 2;
    f[0].kev_prov.source = "cisa-kev";
    f[1].has_epss = true, f[1].epss = 0.42, f[1].epss_percentile = 0.97;
    f[1].vendor_severity = "Important", f[1].exploit_refs = PL_TRI_YES;
    f[1].fix_available = PL_TRI_YES, f[1].environment = PL_ENV_STAGING;
    f[2].has_cvss = true, f[2].cvss = 0.0, f[2].exposure = PL_TRI_UNKNOWN;
}

static void decide(const struct pl_policy *p, const struct pl_policy *back)
{
    struct pl_facts f[3];
    struct pl_decision d, e;
    struct pl_buf b;

    samples(f);
    pl_buf_init(&b, 0);
    for (int i = 0; i < 3; i++) {
        pl_policy_evaluate(p, &f[i], &d);
        pl_policy_evaluate(back, &f[i], &e);
        if (d.tier != e.tier || d.rule != e.rule || d.sla != e.sla) {
            fprintf(stderr, "policy: sample %d: tier %d rule %d sla %lld, rendered: %d %d %lld\n",
                    i, d.tier, d.rule, (long long)d.sla, e.tier, e.rule, (long long)e.sla);
            abort();
        }
        pl_policy_explain_text(p, &f[i], &d, &b);
        pl_policy_explain_json(p, &f[i], &d, &b);
    }
    pl_buf_release(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct pl_policy *p = NULL, *back = NULL;
    struct pl_error err = PL_ERROR_INIT;
    struct pl_buf b;

    pl_fuzz_init();
    if (pl_policy_parse("fuzz", (const char *)data, size, &p, &err) != PL_OK)
        return 0;
    pl_buf_init(&b, 0);
    pl_policy_render_yaml(p, &b);
    if (pl_policy_parse("rendered", b.buf ? b.buf : "", b.len, &back, &err) != PL_OK) {
        fprintf(stderr, "policy: rendering does not load again: %s\n%.*s\n", err.msg, (int)b.len,
                b.buf);
        abort();
    }
    decide(p, back);
    pl_policy_free(back);
    pl_buf_release(&b);
    pl_policy_free(p);
    return 0;
}
