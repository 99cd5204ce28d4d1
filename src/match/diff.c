/*
 * diff.c - one asset's candidates against its stored findings: new ones
 * are inserted, matched ones updated only when a field changed, closed ones
 * need proof from the inventory (the installed version at or past a fixed
 * version) or the package's absence; a closed finding that matches again
 * is re-opened with its first_seen kept. Open findings are tiered here.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/common.h"
#include "patchline/limits.h"
#include "patchline/parse.h"

#include "scan_int.h"

/* Replace *dst by a copy of src when they differ; returns whether it changed. */
bool pl__match_set_str(char **dst, const char *src)
{
    if (*dst == NULL ? src == NULL : (src && strcmp(*dst, src) == 0))
        return false;
    free(*dst);
    *dst = src ? pl_xstrdup(src) : NULL;
    return true;
}

static size_t slot(const struct pl_finding *f)
{
    if (f->unscored || f->tier < 0)
        return PL_MATCH_TIERS;
    return f->tier < PL_MATCH_TIERS ? (size_t)f->tier : PL_MATCH_TIERS - 1;
}

/* The severity the metrics group by: CVSS bands, else the vendor's word mapped, else the
 * scanners' severity (a band, never a vendor emergency: witness.c). */
static const char *severity_of(const struct pl_facts *f)
{
    static const char *const vendor[][2] = {
        {"critical", "critical"}, {"emergency", "critical"}, {"important", "high"},
        {"high", "high"},         {"moderate", "medium"},    {"medium", "medium"},
        {"low", "low"},           {"unimportant", "low"},    {"negligible", "low"},
    };

    if (f->has_cvss) {
        if (f->cvss >= 9.0 && strcmp(f->cvss_version, "2.0") != 0)
            return "critical";
        return f->cvss >= 7.0 ? "high" : f->cvss >= 4.0 ? "medium" : f->cvss > 0 ? "low" : "none";
    }
    for (size_t i = 0; f->vendor_severity && i < PL_ARRAY_LEN(vendor); i++)
        if (pl_strcasecmp(f->vendor_severity, vendor[i][0]) == 0)
            return vendor[i][1];
    return f->scanner_severity;
}

/*
 * A release age the policy reads (release_age: whole days since the running version's release,
 * from endoflife.date data) grows with now: the dates it reaches the next value a rule reads
 * otherwise, and its current value, bound the asset's end-of-life window (scan_int.h).
 */
static void release_window(const struct pl_policy *p, const struct pl_facts *facts,
                           const struct pl__release_bufs *rb, pl_time_t now,
                           struct pl__asset_scan *as)
{
    pl_time_t t, at;
    double next;

    if (!facts->has_release_age || pl_time_parse(rb->age_date, &t, NULL) != PL_OK ||
        !pl_policy_field_next(p, "release_age", floor(facts->release_age), &next))
        return;
    if (next * 86400.0 < (double)(INT64_MAX - t) && (at = t + (pl_time_t)next * 86400) > now &&
        at < as->eol_hi)
        as->eol_hi = at;
    /* the age has had its value since that date; before it (now going back) it is another */
    at = t + (pl_time_t)floor(facts->release_age) * 86400;
    if (now > t && at <= now && at > as->eol_lo)
        as->eol_lo = at;
}

bool pl__match_tier_finding(struct pl_store *s, const struct pl_policy *p,
                            const struct pl_product_map *m, const struct pl__vfacts *vf,
                            const struct pl_match_asset *a, const struct pl__sv *svs, size_t n_svs,
                            struct pl_finding *f, pl_time_t now, enum pl_due_change *change,
                            struct pl__asset_scan *win)
{
    struct pl_facts facts;
    struct pl_decision d;
    struct pl_due_prev prev = {f->unscored ? PL_TIER_UNSCORED : f->tier, f->due_at};
    char adate[16], product[260];
    struct pl__release_bufs rb;
    pl_time_t due;
    int tier;
    bool changed;

    if (vf)
        facts = vf->f;
    else
        memset(&facts, 0, sizeof(facts));
    pl__match_facts_asset(a, &facts, adate, sizeof(adate));
    pl__match_facts_finding(f, &facts);
    pl__match_facts_product(m, f, &facts, product, sizeof(product));
    pl__match_facts_release(s, f, vf, now, &facts, &rb);
    pl__match_witness_facts(svs, n_svs, f->package, f->vuln_id, &facts, NULL, 0);
    pl_policy_evaluate(p, &facts, &d);
    if (win)
        release_window(p, &facts, &rb, now, win);
    tier = d.unscored ? -1 : d.tier;
    due = pl_policy_due(f->tiered_at ? &prev : NULL, f->first_seen, now, &d, false, change);
    if (f->tiered_at == 0 && f->due_at && due > f->due_at && f->tier >= 0 && tier == f->tier)
        due = f->due_at; /* an earlier clock never extends a due date */
    changed = tier != f->tier || d.unscored != f->unscored || d.provisional != f->provisional ||
              due != f->due_at || f->tiered_at == 0;
    changed |= pl__match_set_str(&f->rule, d.rule_name);
    changed |= pl__match_set_str(&f->policy_name, pl_policy_name(p));
    changed |= pl__match_set_str(&f->policy_digest, pl_policy_digest(p));
    changed |= pl__match_set_str(&f->severity, severity_of(&facts));
    changed |= f->kev_added != facts.kev_added;
    f->kev_added = facts.kev_added;
    if (changed) {
        f->tier = tier;
        f->unscored = d.unscored;
        f->provisional = d.provisional;
        f->due_at = due;
        f->tiered_at = now;
    }
    return changed;
}

/* The match fields of candidate c into f; returns whether any changed. */
static bool fill_match(struct pl__scan *sc, struct pl__asset_scan *as, const struct pl__cand *c,
                       struct pl_finding *f)
{
    const struct pl__pkg *k = &as->pkgs[c->pkg];
    const struct pl__row *r = &sc->ix.rows[c->row];
    bool src = strcmp(c->kind, "source") == 0;
    const char *ver = src && k->srcver ? k->srcver : k->version;
    const char *fixed =
        r->fixed && r->fixed[0] && strcmp(r->status, "fixed") == 0 ? r->fixed : NULL;
    enum pl_vscheme scheme = PL_VSCHEME_DPKG;
    char ev[8 * PL_MAX_VERSION_BYTES];
    bool ch = false, lp = false;
    uint32_t one;

    (void)pl__match_eco_scheme(k->eco, &scheme);
    /* a kernel fix a live patch applied to the running kernel: mitigated, the reboot due */
    if (as->livepatch_note && ((long)c->pkg == as->kernel_pkg || k->kernel_running))
        lp = pl__match_smap_get(&as->livepatch, r->vuln, strlen(r->vuln), &one);
    if (fixed)
        snprintf(ev, sizeof(ev), "%s %s %s < fixed %s (%s order, %s)", c->kind,
                 src && k->src ? k->src : k->name, ver, fixed, pl_vscheme_name(scheme), k->eco);
    else if (r->last_affected && r->last_affected[0])
        snprintf(ev, sizeof(ev), "%s %s %s <= last affected %s (%s order, %s)", c->kind,
                 src && k->src ? k->src : k->name, ver, r->last_affected, pl_vscheme_name(scheme),
                 k->eco);
    else
        snprintf(ev, sizeof(ev), "%s %s %s: %s, no fix yet (%s)", c->kind,
                 src && k->src ? k->src : k->name, ver, r->status, k->eco);
    if (k->note) {
        size_t used = strlen(ev);

        snprintf(ev + used, sizeof(ev) - used, "; %s", k->note);
    }
    if (lp) {
        size_t used = strlen(ev);

        snprintf(ev + used, sizeof(ev) - used, "; %s", as->livepatch_note);
    }
    ch |= pl__match_set_str(&f->source_package, k->src ? k->src : k->name);
    ch |= pl__match_set_str(&f->installed_version, k->version);
    ch |= pl__match_set_str(&f->fixed_version, fixed);
    ch |= pl__match_set_str(&f->feed, r->feed);
    ch |= pl__match_set_str(&f->advisory, r->advisory);
    ch |= pl__match_set_str(&f->evidence, ev);
    ch |= pl__match_set_str(&f->vendor_severity, r->severity ? r->severity : r->urgency);
    ch |= pl__match_set_str(&f->marker, lp ? PL_MARKER_LIVEPATCH : r->marker);
    return ch;
}

pl_status pl__match_move_status(struct pl__scan *sc, struct pl_finding *f, const char *to,
                                const char *why, bool *moved, struct pl_error *err)
{
    pl_status rc;

    *moved = false;
    if (strcmp(f->status, to) == 0)
        return PL_OK;
    if ((rc = pl_findings_event(sc->w, f->id, sc->o->now, strcmp(to, "open") == 0 ? "reopened" : to,
                                f->status, to, f->tier, f->due_at, why && why[0] ? why : NULL,
                                err)) != PL_OK)
        return rc;
    sc->sum->disputed += strcmp(to, "disputed") == 0;
    sc->sum->not_affected += strcmp(to, "not-affected") == 0;
    pl__match_set_str(&f->status, to);
    pl__match_set_str(&f->fix_proof, strcmp(to, "open") == 0 ? NULL : why);
    f->resolved_at = strcmp(to, "not-affected") == 0 ? sc->o->now : 0;
    *moved = true;
    return PL_OK;
}

static pl_status put_finding(struct pl__scan *sc, struct pl_finding *f, bool insert,
                             struct pl_error *err)
{
    sc->sum->written++;
    return insert ? pl_findings_insert(sc->w, f, err) : pl_findings_update(sc->w, f, err);
}

/* Tier an open finding and write it when anything changed. */
static pl_status settle(struct pl__scan *sc, struct pl__asset_scan *as, struct pl_finding *f,
                        const char *vuln, bool dirty, bool insert, struct pl_error *err)
{
    enum pl_due_change chg = PL_DUE_UNCHANGED;
    pl_time_t now = sc->o->now;
    bool tiered = false;
    pl_status rc;

    if (pl_finding_status(f->status) == PL_MX_OPEN)
        tiered = pl__match_tier_finding(sc->s, sc->o->policy, sc->products,
                                        pl__match_scan_vfacts(sc, vuln), as->asset, as->svs,
                                        as->n_svs, f, now, &chg, as);
    if (!dirty && !tiered && !insert)
        return PL_OK;
    f->last_seen = now;
    if ((rc = put_finding(sc, f, insert, err)) != PL_OK)
        return rc;
    /* a new finding is its own record of opening (first_seen, evidence): no event row */
    if (tiered && !insert && chg != PL_DUE_UNCHANGED)
        rc = pl_findings_event(sc->w, f->id, now, pl_due_change_name(chg), NULL, NULL, f->tier,
                               f->due_at, f->rule, err);
    return rc;
}

pl_status pl__match_settle_seen(struct pl__scan *sc, struct pl__asset_scan *as,
                                struct pl_finding *f, bool dirty, struct pl_error *err)
{
    pl_status rc;

    if (pl_finding_status(f->status) == PL_MX_FIXED ||
        pl_finding_status(f->status) == PL_MX_PACKAGE_REMOVED ||
        pl_finding_status(f->status) == PL_MX_ASSET_RETIRED) {
        rc = pl_findings_event(sc->w, f->id, sc->o->now, "regressed", f->status, "open", f->tier,
                               f->due_at, f->evidence, err);
        if (rc != PL_OK)
            return rc;
        pl__match_set_str(&f->status, "open");
        pl__match_set_str(&f->fix_proof, NULL);
        f->resolved_at = 0;
        f->regressions++;
        sc->sum->regressed.n[slot(f)]++;
        dirty = true;
    } else if (pl_finding_status(f->status) == PL_MX_OPEN) {
        sc->sum->still_open.n[slot(f)]++;
    }
    return settle(sc, as, f, f->vuln_id, dirty, false, err);
}

pl_status pl__match_settle_new(struct pl__scan *sc, struct pl__asset_scan *as,
                               struct pl_finding *nf, struct pl_error *err)
{
    pl_status rc = settle(sc, as, nf, nf->vuln_id, true, true, err);

    if (rc == PL_OK && pl_finding_status(nf->status) == PL_MX_OPEN) {
        sc->sum->new_.n[slot(nf)]++;
        sc->sum->open.n[slot(nf)]++;
        sc->sum->provisional += nf->provisional;
    }
    return rc;
}

/*
 * A live stored finding of vuln that its scanner reported without a package,
 * and still reports: it becomes Patchline's finding of package `name` (id,
 * events and clock kept; the scanner its witness). *at: its index.
 */
static pl_status adopt(struct pl__scan *sc, struct pl__asset_scan *as,
                       struct pl_finding_list *stored, const bool *seen, const char *name,
                       const char *vuln, uint32_t *at, bool *found, struct pl_error *err)
{
    char key[PL_MAX_NAME_BYTES + 8], detail[PL_MAX_NAME_BYTES + 160];
    int n = snprintf(key, sizeof(key), "\x1f%s", vuln);
    struct pl_finding *f;
    pl_status rc;

    if (n <= 0 || (size_t)n >= sizeof(key) ||
        !pl__match_smap_get(&as->stored_map, key, (size_t)n, at))
        return PL_OK;
    f = &stored->items[*at];
    if (seen[*at] || f->package[0] != '\0' || strcmp(f->origin, "match") == 0 ||
        !pl__match_live(f->status) || !pl__match_hostwide(as, vuln))
        return PL_OK;
    snprintf(detail, sizeof(detail),
             "%.60s reported it without a package: Patchline's finding of %.200s now, %.60s "
             "its witness",
             f->origin, name, f->origin);
    if ((rc = pl_findings_rekey(sc->w, f->id, name, "match", err)) != PL_OK ||
        (rc = pl_findings_event(sc->w, f->id, sc->o->now, "witnessed", f->status, f->status,
                                f->tier, f->due_at, detail, err)) != PL_OK)
        return rc;
    pl__match_set_str(&f->package, name);
    pl__match_set_str(&f->origin, "match");
    f->tiered_at = 0; /* tiered afresh as the package's finding */
    *found = true;
    return PL_OK;
}

static pl_status on_cand(struct pl__scan *sc, struct pl__asset_scan *as, const struct pl__cand *c,
                         struct pl_finding_list *stored, bool *seen, struct pl_error *err)
{
    const struct pl__row *r = &sc->ix.rows[c->row];
    const char *name = as->pkgs[c->pkg].name;
    char key[2 * PL_MAX_NAME_BYTES + 8];
    int n = snprintf(key, sizeof(key), "%s\x1f%s", name, r->vuln);
    struct pl_finding nf;
    uint32_t at;
    bool found = n > 0 && (size_t)n < sizeof(key) &&
                 pl__match_smap_get(&as->stored_map, key, (size_t)n, &at);
    pl_status rc;

    if (!found && (rc = adopt(sc, as, stored, seen, name, r->vuln, &at, &found, err)) != PL_OK)
        return rc;
    if (found) {
        struct pl_finding *f = &stored->items[at];
        bool dirty = fill_match(sc, as, c, f);
        char why[1024];
        bool moved = false;

        seen[at] = true;
        dirty |= pl__match_witness_clock(as, f);
        rc = pl__match_move_status(sc, f, pl__match_verdict(as, f, NULL, why, sizeof(why)), why,
                                   &moved, err);
        if (rc != PL_OK || (rc = pl__match_settle_seen(sc, as, f, dirty || moved, err)) != PL_OK)
            return rc;
        pl__match_target_put(as, f->vuln_id, f->id);
        return PL_OK;
    }
    memset(&nf, 0, sizeof(nf));
    nf.tier = -1;
    nf.asset_id = as->asset->id;
    nf.vuln_id = pl_xstrdup(r->vuln);
    nf.package = pl_xstrdup(name);
    nf.origin = pl_xstrdup("match");
    nf.status = pl_xstrdup("open");
    nf.first_seen = sc->o->now;
    fill_match(sc, as, c, &nf);
    (void)pl__match_witness_clock(as, &nf);
    {
        char why[1024];
        const char *to = pl__match_verdict(as, &nf, NULL, why, sizeof(why));

        if (strcmp(to, "open") != 0) {
            pl__match_set_str(&nf.status, to);
            pl__match_set_str(&nf.fix_proof, why);
            sc->sum->not_affected++;
        }
    }
    rc = pl__match_settle_new(sc, as, &nf, err);
    if (rc == PL_OK)
        pl__match_target_put(as, nf.vuln_id, nf.id);
    pl_finding_release(&nf);
    return rc;
}

static pl_status index_stored(struct pl__asset_scan *as, const struct pl_finding_list *stored)
{
    for (size_t i = 0; i < stored->n; i++) {
        const struct pl_finding *f = &stored->items[i];
        char key[2 * PL_MAX_NAME_BYTES + 8];
        int n;

        n = snprintf(key, sizeof(key), "%s\x1f%s", f->package, f->vuln_id);
        if (n > 0 && (size_t)n < sizeof(key))
            pl__match_smap_put(&as->stored_map, key, (size_t)n, (uint32_t)i);
    }
    return PL_OK;
}

/* A partial scan: the asset's other open findings stand as stored, counted from its state. */
static void count_rest(struct pl__scan *sc, const struct pl_finding_list *stored,
                       const uint64_t *counts)
{
    uint64_t sub[PL_MATCH_TIERS + 2] = {0};

    for (size_t i = 0; i < stored->n; i++)
        if (strcmp(stored->items[i].status, "open") == 0) {
            sub[slot(&stored->items[i])]++;
            sub[PL_MATCH_TIERS + 1] += stored->items[i].provisional;
        }
    for (size_t i = 0; i <= PL_MATCH_TIERS; i++) {
        uint64_t rest = counts[i] > sub[i] ? counts[i] - sub[i] : 0;

        sc->sum->open.n[i] += rest;
        sc->sum->still_open.n[i] += rest;
    }
    if (counts[PL_MATCH_TIERS + 1] > sub[PL_MATCH_TIERS + 1])
        sc->sum->provisional += counts[PL_MATCH_TIERS + 1] - sub[PL_MATCH_TIERS + 1];
}

pl_status pl__match_scan_diff(struct pl__scan *sc, struct pl__asset_scan *as,
                              const uint64_t *counts, struct pl_error *err)
{
    struct pl_finding_list stored = {NULL, 0, 0};
    bool *seen = NULL;
    pl_status rc;

    rc = as->partial ? pl_store_findings_load_packages(sc->s, as->asset->id, as->only_names,
                                                       as->n_only, &stored, err)
                     : pl_store_findings_load(sc->s, as->asset->id, &stored, err);
    if (rc != PL_OK)
        return rc;
    if (as->partial)
        count_rest(sc, &stored, counts);
    if ((rc = pl__match_scan_need_asset_vulns(sc, as, &stored, err)) != PL_OK) {
        pl_finding_list_release(&stored);
        return rc;
    }
    seen = pl_xcalloc(stored.n + 1, sizeof(*seen));
    rc = index_stored(as, &stored);
    for (size_t i = 0; rc == PL_OK && i < as->n_cands; i++)
        rc = on_cand(sc, as, &as->cands[i], &stored, seen, err);
    if (rc == PL_OK)
        rc = pl__match_scanner_diff(sc, as, &stored, seen, false, err);
    for (size_t i = 0; rc == PL_OK && i < stored.n; i++) {
        struct pl_finding *f = &stored.items[i];

        /* open findings, those under an exception, disputed, not affected or awaiting: a fix ends
         * all; a scanner's finding without a package it still reports: the witnesses' turn */
        if (seen[i] || !pl__match_live(f->status) ||
            (f->package[0] == '\0' && strcmp(f->origin, "match") != 0 &&
             pl__match_hostwide(as, f->vuln_id)))
            continue;
        rc = pl__match_scan_close(sc, as, f, err);
        if (rc == PL_OK && f->package[0] != '\0' && pl__match_live(f->status))
            pl__match_target_put(as, f->vuln_id, f->id);
    }
    if (rc == PL_OK)
        rc = pl__match_scanner_diff(sc, as, &stored, seen, true, err);
    for (size_t i = 0; rc == PL_OK && i < stored.n; i++)
        if (seen[i] && strcmp(stored.items[i].status, "open") == 0) {
            sc->sum->open.n[slot(&stored.items[i])]++;
            sc->sum->provisional += stored.items[i].provisional;
        }
    free(seen);
    pl_finding_list_release(&stored);
    return rc;
}
