/*
 * explain.c - why one stored finding exists and has its tier: the facts
 * rebuilt from the store exactly as a scan builds them, the policy's
 * explanation, the match evidence (feed, advisory, version comparison) and
 * the finding's history.
 */
#include <stdio.h>
#include <string.h>

#include "patchline/escape.h"

#include "match_int.h"

struct ex {
    struct pl_finding f;
    struct pl_match_asset_list a;
    struct pl_vuln_risk_list r;
    struct pl_finding_event_list ev;
    struct pl__vfacts vf;
    struct pl_facts facts;
    struct pl_decision d;
    char adate[16];
};

static void kv(struct pl_buf *b, const char *key, const char *val)
{
    pl_buf_addf(b, "  %-16s ", key);
    pl_escape_terminal(b, val ? val : "none");
    pl_buf_addch(b, '\n');
}

static void text(const struct pl_policy *p, const struct ex *x, struct pl_buf *b)
{
    char t1[32], t2[32];

    pl_buf_addf(b, "finding %lld: ", (long long)x->f.id);
    pl_escape_terminal(b, x->f.vuln_id);
    pl_buf_adds(b, " in ");
    pl_escape_terminal(b, x->f.package);
    pl_buf_adds(b, " on ");
    pl_escape_terminal(b, x->f.asset_name);
    pl_buf_addf(b, " (%s, first seen %s", x->f.status, pl_time_format(x->f.first_seen, t1));
    if (x->f.due_at)
        pl_buf_addf(b, ", due %s", pl_time_format(x->f.due_at, t2));
    pl_buf_adds(b, ")\n");
    pl_policy_explain_text(p, &x->facts, &x->d, b);
    pl_buf_adds(b, "match:\n");
    kv(b, "feed", x->f.feed);
    kv(b, "advisory", x->f.advisory);
    kv(b, "source package", x->f.source_package);
    kv(b, "installed", x->f.installed_version);
    kv(b, "fixed", x->f.fixed_version ? x->f.fixed_version : "no fix");
    kv(b, "comparison", x->f.evidence);
    kv(b, "vendor severity", x->f.vendor_severity);
    if (x->f.marker)
        kv(b, "tracker marker", x->f.marker);
    if (x->vf.cvss_note[0])
        kv(b, "cvss", x->vf.cvss_note);
    if (x->f.fix_proof)
        kv(b, "fix proof", x->f.fix_proof);
    pl_buf_addf(b, "history (%lld regressions):\n", (long long)x->f.regressions);
    pl_buf_addf(b, "  %s %-14s\n", pl_time_format(x->f.first_seen, t1), "opened");
    for (size_t i = 0; i < x->ev.n; i++) {
        const struct pl_finding_event *e = &x->ev.items[i];

        pl_buf_addf(b, "  %s %-14s", pl_time_format(e->at, t1), e->event);
        if (e->tier >= 0)
            pl_buf_addf(b, " tier %d", e->tier);
        if (e->due_at)
            pl_buf_addf(b, " due %s", pl_time_format(e->due_at, t2));
        if (e->detail) {
            pl_buf_adds(b, ": ");
            pl_escape_terminal(b, e->detail);
        }
        pl_buf_addch(b, '\n');
    }
}

static void j_str(struct pl_buf *b, const char *key, const char *s, bool comma)
{
    pl_buf_addf(b, "%s\"%s\":", comma ? "," : "", key);
    if (s)
        pl_escape_json_quoted(b, s);
    else
        pl_buf_adds(b, "null");
}

static void json(const struct pl_policy *p, const struct ex *x, struct pl_buf *b)
{
    char t[32];

    pl_buf_addf(b, "{\"finding\":{\"id\":%lld", (long long)x->f.id);
    j_str(b, "asset", x->f.asset_name, true);
    j_str(b, "vuln", x->f.vuln_id, true);
    j_str(b, "package", x->f.package, true);
    j_str(b, "status", x->f.status, true);
    j_str(b, "first_seen", pl_time_format(x->f.first_seen, t), true);
    j_str(b, "due", x->f.due_at ? pl_time_format(x->f.due_at, t) : NULL, true);
    pl_buf_addf(b, ",\"regressions\":%lld},\"policy\":", (long long)x->f.regressions);
    pl_policy_explain_json(p, &x->facts, &x->d, b);
    pl_buf_adds(b, ",\"match\":{");
    j_str(b, "feed", x->f.feed, false);
    j_str(b, "advisory", x->f.advisory, true);
    j_str(b, "source_package", x->f.source_package, true);
    j_str(b, "installed", x->f.installed_version, true);
    j_str(b, "fixed", x->f.fixed_version, true);
    j_str(b, "comparison", x->f.evidence, true);
    j_str(b, "vendor_severity", x->f.vendor_severity, true);
    j_str(b, "marker", x->f.marker, true);
    j_str(b, "cvss", x->vf.cvss_note[0] ? x->vf.cvss_note : NULL, true);
    j_str(b, "fix_proof", x->f.fix_proof, true);
    pl_buf_adds(b, "},\"history\":[");
    for (size_t i = 0; i < x->ev.n; i++) {
        const struct pl_finding_event *e = &x->ev.items[i];

        pl_buf_adds(b, i ? ",{" : "{");
        j_str(b, "at", pl_time_format(e->at, t), false);
        j_str(b, "event", e->event, true);
        j_str(b, "detail", e->detail, true);
        pl_buf_addch(b, '}');
    }
    pl_buf_adds(b, "]}\n");
}

pl_status pl_match_explain(struct pl_store *s, const struct pl_policy *policy, int64_t finding_id,
                           pl_time_t now, const char *format, struct pl_buf *out,
                           struct pl_error *err)
{
    struct ex x;
    const char *vid;
    pl_status rc;

    (void)now;
    memset(&x, 0, sizeof(x));
    if ((rc = pl_store_finding_get(s, finding_id, &x.f, err)) != PL_OK)
        return rc;
    vid = x.f.vuln_id;
    if ((rc = pl_store_match_assets(s, &x.f.asset_id, 1, &x.a, err)) == PL_OK &&
        (rc = pl_store_vuln_risk_load(s, &vid, 1, &x.r, err)) == PL_OK &&
        (rc = pl_store_finding_events(s, finding_id, &x.ev, err)) == PL_OK)
        rc = pl__vfacts_build(NULL, &x.r.items[0], &x.vf, NULL, err);
    if (rc == PL_OK && x.a.n == 1) {
        x.facts = x.vf.f;
        pl__facts_asset(&x.a.items[0], &x.facts, x.adate, sizeof(x.adate));
        pl__facts_finding(&x.f, &x.facts);
        pl_policy_evaluate(policy, &x.facts, &x.d);
        if (strcmp(format, "json") == 0)
            json(policy, &x, out);
        else
            text(policy, &x, out);
        if (pl_buf_status(out) != PL_OK)
            rc = pl_error_set(err, pl_buf_status(out), "explain %lld: %s", (long long)finding_id,
                              pl_status_str(pl_buf_status(out)));
    }
    pl_finding_event_list_release(&x.ev);
    pl_vuln_risk_list_release(&x.r);
    pl_match_asset_list_release(&x.a);
    pl_finding_release(&x.f);
    return rc;
}
