/*
 * explain.c - why one stored finding exists and has its tier: the facts
 * rebuilt from the store exactly as a scan builds them, the policy's
 * explanation, the match evidence (feed, advisory, version comparison) and
 * the finding's history.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/escape.h"

#include "scan_int.h"

struct ex {
    struct pl_finding f;
    struct pl_match_asset_list a;
    struct pl_vuln_risk_list r;
    struct pl_finding_event_list ev;
    struct pl__vfacts vf;
    struct pl_facts facts;
    struct pl_decision d;
    char adate[16], product[260];
    struct pl__release_bufs rb;
    struct pl_arena arena; /* the scanners' reports */
    struct pl__sv *svs;
    size_t n_svs, cap_svs;
    char wnote[256];      /* CVSS a scanner gave, when it is the one used */
    pl_time_t clock;      /* the earliest detection by a scanner (0: none) */
    const char *clock_by; /* and which */
};

static pl_status add_sv(void *ctx, const struct pl_scanner_view *v, struct pl_error *err)
{
    struct ex *x = ctx;

    (void)err;
    /* a report without a package witnesses every package finding of its vulnerability */
    if (strcmp(v->vuln_id, x->f.vuln_id) != 0 ||
        (v->package[0] != '\0' && strcmp(v->package, x->f.package) != 0))
        return PL_OK;
    x->svs = pl_xgrow(x->svs, x->n_svs, &x->cap_svs, 4, sizeof(*x->svs));
    pl__match_sv_copy(&x->arena, v, &x->svs[x->n_svs++]);
    return pl_arena_status(&x->arena);
}

/* Every scanner that reported the finding, with what it said. */
static void witnesses_text(const struct ex *x, struct pl_buf *b)
{
    char t[32];

    pl_buf_addf(b, "witnesses:\n  %-10s %s (first seen %s)\n", "match",
                strcmp(x->f.origin, "match") == 0 ? "Patchline's matching of the inventory"
                                                  : "no advisory row matched the inventory",
                strcmp(x->f.origin, "match") == 0 ? pl_time_format(x->f.first_seen, t) : "-");
    for (size_t i = 0; i < x->n_svs; i++) {
        const struct pl__sv *v = &x->svs[i];

        pl_buf_adds(b, "  ");
        pl_escape_terminal(b, v->source);
        pl_buf_addf(b, " %s%s, first reported %s", v->status,
                    v->package[0] == '\0' && x->f.package[0] != '\0'
                        ? " (on the host, no package named)"
                        : "",
                    pl_time_format(v->first_seen, t));
        if (v->first_detected)
            pl_buf_addf(b, ", first detected %s", pl_time_format(v->first_detected, t));
        if (v->vendor_severity) {
            pl_buf_adds(b, ", severity ");
            pl_escape_terminal(b, v->vendor_severity);
        }
        if (v->cvss_vector || v->has_cvss_score) {
            pl_buf_adds(b, ", CVSS ");
            if (v->has_cvss_score)
                pl_buf_addf(b, "%.1f ", v->cvss_score);
            pl_escape_terminal(b, v->cvss_vector ? v->cvss_vector : "");
            if (v->cvss_source) {
                pl_buf_adds(b, " (");
                pl_escape_terminal(b, v->cvss_source);
                pl_buf_addch(b, ')');
            }
        }
        if (v->exploit) {
            pl_buf_adds(b, ", ");
            pl_escape_terminal(b, v->exploit);
        }
        if (v->installed) {
            pl_buf_adds(b, ", installed ");
            pl_escape_terminal(b, v->installed);
        }
        pl_buf_addch(b, '\n');
    }
}

static void kv(struct pl_buf *b, const char *key, const char *val)
{
    pl_buf_addf(b, "  %-16s ", key);
    pl_escape_terminal(b, val ? val : "none");
    pl_buf_addch(b, '\n');
}

/* Whether p is the policy that decided the finding (the digest it records). */
static bool decided_by(const struct pl_policy *p, const struct ex *x)
{
    return x->f.policy_digest && strcmp(x->f.policy_digest, pl_policy_digest(p)) == 0;
}

/* "policy: NAME (sha256 DIGEST16), ..." : which policy explains, and whether it decided. */
static void policy_text(const struct pl_policy *p, const struct ex *x, struct pl_buf *b)
{
    pl_buf_adds(b, "policy: ");
    pl_escape_terminal(b, pl_policy_name(p));
    pl_buf_addf(b, " (sha256 %.16s)", pl_policy_digest(p));
    if (decided_by(p, x)) {
        pl_buf_adds(b, ", the policy that decided this finding\n");
    } else if (x->f.policy_digest) {
        pl_buf_adds(b, ", a what-if: the finding was decided by ");
        pl_escape_terminal(b, x->f.policy_name);
        pl_buf_addf(b, " (sha256 %.16s)\n", x->f.policy_digest);
    } else {
        pl_buf_adds(b, ": the finding records no deciding policy (tiered before policies were "
                       "recorded, or not tiered yet)\n");
    }
}

/*
 * When the stored due date is not first seen + the SLA of the tier: the tier
 * changed later, and the due date came from that change (an escalation takes
 * the earlier of the previous due date and the escalation time + the new
 * SLA; nothing ever extends a due date). Says so, with the change.
 */
static void due_text(const struct ex *x, struct pl_buf *b)
{
    const struct pl_finding_event *last = NULL;
    char t1[32], t2[32], sla[32];

    if (x->f.due_at == 0 || x->d.tier < 0 || x->f.due_at == x->f.first_seen + x->d.sla)
        return;
    if (x->d.deadline && x->f.due_at == x->d.deadline)
        return; /* the rule's clock from the fixed version's release, said above */
    for (size_t i = 0; i < x->ev.n; i++)
        if (x->ev.items[i].due_at == x->f.due_at && x->ev.items[i].tier >= 0)
            last = &x->ev.items[i]; /* the latest change that left the due date as it is */
    pl_duration_format(x->d.sla, sla, sizeof(sla));
    pl_buf_addf(b, "due %s, not first seen + %s: ", pl_time_format(x->f.due_at, t1), sla);
    if (last && strcmp(last->event, "escalated") == 0)
        pl_buf_addf(b,
                    "escalated to tier %d at %s, due the earlier of its previous due date and "
                    "%s + %s (an escalation never extends a due date)\n",
                    last->tier, pl_time_format(last->at, t2), t2, sla);
    else
        pl_buf_adds(b, "the tier changed after the finding was first seen, and a due date is "
                       "never extended (see its history)\n");
}

/*
 * The kind of upgrade the fix is: an end-of-life finding's remedy is a major
 * upgrade into another release cycle (a project), a lag finding's a minor one.
 */
static const char *upgrade_of(const struct pl_finding *f)
{
    if (f->fixed_version == NULL)
        return NULL;
    if (strncmp(f->vuln_id, "eol:", 4) == 0)
        return "project";
    return strncmp(f->vuln_id, "lag:", 4) == 0 ? "minor" : NULL;
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
    policy_text(p, x, b);
    pl_policy_explain_text(p, &x->facts, &x->d, b);
    due_text(x, b);
    pl_buf_adds(b, "match:\n");
    kv(b, "feed", x->f.feed);
    kv(b, "advisory", x->f.advisory);
    kv(b, "source package", x->f.source_package);
    kv(b, "installed", x->f.installed_version);
    kv(b, "fixed", x->f.fixed_version ? x->f.fixed_version : "no fix");
    if (upgrade_of(&x->f) && strcmp(upgrade_of(&x->f), "project") == 0)
        kv(b, "upgrade",
           "project: a major upgrade into another release cycle - plan and test it "
           "as a project, not a patch in a maintenance window");
    else if (upgrade_of(&x->f))
        kv(b, "upgrade", "minor: the latest minor version of the same release cycle");
    kv(b, "comparison", x->f.evidence);
    kv(b, "vendor severity", x->f.vendor_severity);
    if (x->clock && x->clock <= x->f.first_seen) {
        char c[48];

        pl_buf_addf(b, "  %-16s first detected %s by ", "sla clock", pl_time_format(x->clock, c));
        pl_escape_terminal(b, x->clock_by);
        pl_buf_addch(b, '\n');
    } else {
        pl_buf_addf(b, "  %-16s first seen %s by %s\n", "sla clock",
                    pl_time_format(x->f.first_seen, t1),
                    strcmp(x->f.origin, "match") == 0 ? "match" : x->f.origin);
    }
    if (x->f.marker && strcmp(x->f.marker, PL_MARKER_LIVEPATCH) == 0)
        kv(b, "mitigation", "livepatch on the running kernel (not fixed by a package: reboot)");
    else if (x->f.marker)
        kv(b, "tracker marker", x->f.marker);
    if (x->vf.cvss_note[0])
        kv(b, "cvss", x->vf.cvss_note);
    else if (x->wnote[0])
        kv(b, "cvss", x->wnote);
    if (x->f.fix_proof)
        kv(b,
           pl_finding_status(x->f.status) == PL_MX_NOT_AFFECTED ? "vex"
           : pl_finding_status(x->f.status) == PL_MX_DISPUTED   ? "dispute"
                                                                : "fix proof",
           x->f.fix_proof);
    witnesses_text(x, b);
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
    pl_buf_addf(b, ",\"regressions\":%lld", (long long)x->f.regressions);
    pl_buf_adds(b, ",\"decided_by\":");
    if (x->f.policy_digest) {
        pl_buf_addch(b, '{');
        j_str(b, "name", x->f.policy_name, false);
        j_str(b, "digest", x->f.policy_digest, true);
        pl_buf_addch(b, '}');
    } else {
        pl_buf_adds(b, "null");
    }
    pl_buf_adds(b, "},\"policy\":");
    pl_policy_explain_json(p, &x->facts, &x->d, b);
    pl_buf_adds(b, ",\"explained_by\":{");
    j_str(b, "name", pl_policy_name(p), false);
    j_str(b, "digest", pl_policy_digest(p), true);
    pl_buf_addf(b, ",\"decided\":%s}", decided_by(p, x) ? "true" : "false");
    pl_buf_adds(b, ",\"match\":{");
    j_str(b, "feed", x->f.feed, false);
    j_str(b, "advisory", x->f.advisory, true);
    j_str(b, "source_package", x->f.source_package, true);
    j_str(b, "installed", x->f.installed_version, true);
    j_str(b, "fixed", x->f.fixed_version, true);
    j_str(b, "upgrade", upgrade_of(&x->f), true);
    j_str(b, "comparison", x->f.evidence, true);
    j_str(b, "vendor_severity", x->f.vendor_severity, true);
    j_str(b, "marker", x->f.marker, true);
    j_str(b, "cvss", x->vf.cvss_note[0] ? x->vf.cvss_note : NULL, true);
    j_str(b, "fix_proof", x->f.fix_proof, true);
    j_str(b, "clock_source",
          x->clock && x->clock <= x->f.first_seen ? x->clock_by
          : strcmp(x->f.origin, "match") == 0     ? "match"
                                                  : x->f.origin,
          true);
    pl_buf_adds(b, "},\"witnesses\":[");
    for (size_t i = 0; i < x->n_svs; i++) {
        const struct pl__sv *v = &x->svs[i];

        pl_buf_adds(b, i ? ",{" : "{");
        j_str(b, "source", v->source, false);
        j_str(b, "status", v->status, true);
        j_str(b, "package", v->package[0] ? v->package : NULL, true);
        j_str(b, "first_reported", pl_time_format(v->first_seen, t), true);
        j_str(b, "first_detected", v->first_detected ? pl_time_format(v->first_detected, t) : NULL,
              true);
        j_str(b, "severity", v->vendor_severity, true);
        j_str(b, "cvss_vector", v->cvss_vector, true);
        if (v->has_cvss_score)
            pl_buf_addf(b, ",\"cvss_score\":%.1f", v->cvss_score);
        j_str(b, "cvss_source", v->cvss_source, true);
        j_str(b, "exploit", v->exploit, true);
        pl_buf_addch(b, '}');
    }
    pl_buf_adds(b, "],\"history\":[");
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

/*
 * Parse a policy kept in the store (by digest; NULL: the store's deciding
 * policy). A built-in policy of the same name and digest is loaded as the
 * built-in, so that rule lines cite its file; any other is parsed from the
 * effective YAML the store keeps (lines of `patchline policy show`).
 */
static pl_status stored_policy(struct pl_store *s, const char *digest, struct pl_policy **out,
                               struct pl_error *err)
{
    struct pl_buf yaml = PL_BUF_INIT(0);
    struct pl_policy *p = NULL, *builtin = NULL;
    char origin[96], *name = NULL;
    pl_status rc;

    rc = pl_store_policy_get(s, digest, &name, &yaml, err);
    if (rc == PL_OK) {
        snprintf(origin, sizeof(origin), "store:%.40s", name);
        rc = pl_policy_parse(origin, pl_buf_cstr(&yaml), yaml.len, &p, err);
    }
    if (rc == PL_OK && pl_policy_builtin_text(name) &&
        pl_policy_load_builtin(name, &builtin, NULL) == PL_OK &&
        strcmp(pl_policy_digest(builtin), pl_policy_digest(p)) == 0) {
        pl_policy_free(p);
        p = builtin, builtin = NULL;
    }
    if (rc == PL_OK)
        *out = p;
    pl_policy_free(builtin);
    free(name);
    pl_buf_release(&yaml);
    return rc;
}

pl_status pl_match_policy_load(struct pl_store *s, const char *name_or_path, struct pl_policy **out,
                               struct pl_error *err)
{
    pl_status rc;

    if (name_or_path)
        return pl_policy_load(name_or_path, out, err);
    rc = stored_policy(s, NULL, out, err);
    if (rc == PL_E_NOTFOUND)
        return pl_policy_load_builtin("default", out, err);
    return rc;
}

/*
 * The policy that decided f, from the store (*own owns it): the one its
 * digest names, else the built-in default (a finding tiered before
 * policies were recorded).
 */
static pl_status deciding_policy(struct pl_store *s, const struct pl_finding *f,
                                 struct pl_policy **own, struct pl_error *err)
{
    if (f->policy_digest == NULL)
        return pl_policy_load_builtin("default", own, err);
    return stored_policy(s, f->policy_digest, own, err);
}

pl_status pl_match_explain(struct pl_store *s, const struct pl_policy *policy,
                           const struct pl_product_map *products, int64_t finding_id, pl_time_t now,
                           const char *format, struct pl_buf *out, struct pl_error *err)
{
    struct pl_product_map *own_map = NULL;
    struct pl_policy *own = NULL;
    struct ex x;
    const char *vid;
    pl_status rc;

    memset(&x, 0, sizeof(x));
    pl_arena_init(&x.arena, 0);
    if ((rc = pl_store_finding_get(s, finding_id, &x.f, err)) != PL_OK)
        return rc;
    vid = x.f.vuln_id;
    if (policy == NULL && (rc = deciding_policy(s, &x.f, &own, err)) != PL_OK) {
        pl_finding_release(&x.f);
        return rc;
    }
    if (policy == NULL)
        policy = own;
    if (products == NULL && (rc = pl_product_map_load(NULL, &own_map, err)) != PL_OK) {
        pl_finding_release(&x.f);
        pl_policy_free(own);
        return rc;
    }
    if (products == NULL)
        products = own_map;
    if ((rc = pl_store_match_assets(s, &x.f.asset_id, 1, &x.a, err)) == PL_OK &&
        (rc = pl_store_vuln_risk_load(s, &vid, 1, &x.r, err)) == PL_OK &&
        (rc = pl_store_finding_events(s, finding_id, &x.ev, err)) == PL_OK &&
        (rc = pl_store_scanner_vulns_each(s, x.f.asset_id, add_sv, &x, err)) == PL_OK)
        rc = pl__match_vfacts_build(NULL, &x.r.items[0], &x.vf, NULL, err);
    if (rc == PL_OK && x.a.n == 1) {
        x.facts = x.vf.f;
        pl__match_facts_asset(&x.a.items[0], &x.facts, x.adate, sizeof(x.adate));
        pl__match_facts_finding(&x.f, &x.facts);
        pl__match_facts_product(products, &x.f, &x.facts, x.product, sizeof(x.product));
        pl__match_facts_release(s, &x.f, &x.vf, now, &x.facts, &x.rb);
        pl__match_witness_facts(x.svs, x.n_svs, x.f.package, x.f.vuln_id, &x.facts, x.wnote,
                                sizeof(x.wnote));
        x.clock = pl__match_witness_first(x.svs, x.n_svs, x.f.package, x.f.vuln_id, &x.clock_by);
        pl_policy_evaluate(policy, &x.facts, &x.d);
        if (strcmp(format, "json") == 0)
            json(policy, &x, out);
        else
            text(policy, &x, out);
        if (pl_buf_status(out) != PL_OK)
            rc = pl_error_set(err, pl_buf_status(out), "explain %lld: %s", (long long)finding_id,
                              pl_status_str(pl_buf_status(out)));
    }
    free(x.svs);
    pl_arena_release(&x.arena);
    pl_finding_event_list_release(&x.ev);
    pl_vuln_risk_list_release(&x.r);
    pl_match_asset_list_release(&x.a);
    pl_finding_release(&x.f);
    pl_policy_free(own);
    pl_product_map_free(own_map);
    return rc;
}

pl_status pl_match_tier_parse(struct pl_store *s, const char *name_or_path, const char *text,
                              int *tier, struct pl_error *err)
{
    struct pl_policy *p = NULL;
    pl_status rc;

    if ((rc = pl_match_policy_load(s, name_or_path, &p, err)) != PL_OK)
        return rc;
    rc = pl_policy_tier_parse(p, text, tier, err);
    pl_policy_free(p);
    return rc;
}
