/*
 * state.c - skipping assets nothing happened to. An asset whose packages,
 * tiering attributes, tags and findings' statuses did not change (the
 * match_state triggers), under the same feeds and the same policy, would
 * get exactly the findings it has: the scan adds its stored open counts to
 * the summary and does not read it again. Time moves its end-of-life findings only: the
 * state records the window of end-of-life dates its software depends on (eol.c), and an
 * asset whose window the scan's now has left has its end-of-life software checked again
 * (a partial scan of those findings, scan.c), not its advisory matches.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eol_int.h"
#include "scan_int.h"

pl_status pl__match_state_load(struct pl__scan *sc, struct pl_error *err)
{
    struct pl_buf yaml = PL_BUF_INIT(0);
    pl_status rc;

    /* the product map decides which software is matched: a changed rule rescans; so does
     * another build's end-of-life tables (end-of-life dates passing: the window of each state) */
    snprintf(sc->policy_key, sizeof(sc->policy_key), "%.36s@%.16s+%.16s+%08x",
             pl_policy_name(sc->o->policy), pl_policy_digest(sc->o->policy),
             pl__match_product_map_digest(sc->products), pl__match_eol_tables_digest());
    /* the findings this scan tiers record the policy; the store keeps its text */
    pl_policy_render_yaml(sc->o->policy, &yaml);
    rc = pl_buf_status(&yaml) != PL_OK
             ? pl_error_set(err, pl_buf_status(&yaml), "policy %s: %s",
                            pl_policy_name(sc->o->policy), pl_status_str(pl_buf_status(&yaml)))
             : pl_store_policy_put(sc->s, pl_policy_digest(sc->o->policy),
                                   pl_policy_name(sc->o->policy), pl_buf_cstr(&yaml), sc->o->now,
                                   err);
    pl_buf_release(&yaml);
    if (rc != PL_OK)
        return rc;
    if ((rc = pl_store_feeds_max(sc->s, &sc->feeds_max, err)) != PL_OK)
        return rc;
    return pl_store_match_states(sc->s, &sc->states, &sc->n_states, err);
}

static const struct pl_match_state *find_state(const struct pl__scan *sc, int64_t id)
{
    size_t lo = 0, hi = sc->n_states;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (sc->states[mid].asset_id == id)
            return &sc->states[mid];
        if (sc->states[mid].asset_id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static bool parse_counts(const char *p, uint64_t n[PL_MATCH_TIERS + 2])
{
    char *end;

    for (size_t i = 0; i < PL_MATCH_TIERS + 2; i++) {
        n[i] = strtoull(p, &end, 10);
        if (end == p)
            return false; /* not a counts string this build wrote */
        p = end;
    }
    return true;
}

/* How a state's policy record stands against the scan's policy key and now. */
enum key_fit {
    KEY_OTHER,  /* another policy key (or a record this build did not write) */
    KEY_HOLDS,  /* the same key, and now inside its end-of-life window */
    KEY_PASSED, /* the same key, but an end-of-life date passed since (or now went back) */
};

/*
 * Whether a state's policy record is the scan's policy key followed by an end-of-life window
 * "+eLO:HI" (HI "-": no date to come), and whether the window holds at now: no date the
 * asset's software depends on has passed since its scan (LO <= now < HI), nor has now gone
 * back before one.
 */
static enum key_fit same_key(const char *rec, const char *key, pl_time_t now)
{
    size_t n = strlen(key);
    const char *p = rec + n + 2;
    char *end;
    long long lo, hi = INT64_MAX;

    if (strncmp(rec, key, n) != 0 || strncmp(rec + n, "+e", 2) != 0)
        return KEY_OTHER;
    lo = strtoll(p, &end, 10);
    if (end == p || *end != ':')
        return KEY_OTHER;
    p = end + 1;
    if (strcmp(p, "-") != 0) {
        hi = strtoll(p, &end, 10);
        if (end == p || *end != '\0')
            return KEY_OTHER;
    }
    return lo <= now && now < hi ? KEY_HOLDS : KEY_PASSED;
}

enum pl__asset_plan pl__match_state_plan(struct pl__scan *sc, const struct pl_match_asset *a,
                                         uint64_t counts[PL_MATCH_TIERS + 2], bool *feeds,
                                         bool *eol)
{
    const struct pl_match_state *st = find_state(sc, a->id);
    enum key_fit fit = st ? same_key(st->policy, sc->policy_key, sc->o->now) : KEY_OTHER;

    *feeds = *eol = false;
    if (sc->o->full || st == NULL || st->dirty || fit == KEY_OTHER ||
        !parse_counts(st->counts, counts))
        return PL__PLAN_WHOLE;
    *feeds = st->feeds_max != sc->feeds_max;
    *eol = fit == KEY_PASSED;
    if (*feeds || *eol)
        return a->retired ? PL__PLAN_WHOLE : PL__PLAN_DELTA;
    for (size_t i = 0; i <= PL_MATCH_TIERS; i++)
        sc->sum->open.n[i] += counts[i];
    sc->sum->provisional += counts[PL_MATCH_TIERS + 1];
    sc->sum->skipped++;
    return PL__PLAN_SKIP;
}

pl_status pl__match_state_refresh(struct pl__scan *sc, int64_t id, struct pl_error *err)
{
    const struct pl_match_state *known = find_state(sc, id);
    struct pl_match_state *st;
    bool found = false;
    pl_status rc;

    if (known == NULL) /* none when loaded: scanned whole whatever it holds now */
        return PL_OK;
    st = &sc->states[known - sc->states];
    if ((rc = pl_store_match_state_get(sc->s, id, st, &found, err)) == PL_OK && !found)
        st->dirty = true;
    return rc;
}

/* The oldest feeds generation a scan state records (0: none). */
int64_t pl__match_state_oldest(const struct pl__scan *sc)
{
    int64_t m = 0;

    for (size_t i = 0; i < sc->n_states; i++)
        if (i == 0 || sc->states[i].feeds_max < m)
            m = sc->states[i].feeds_max;
    return m;
}

pl_status pl__match_state_put(struct pl__scan *sc, const struct pl__asset_scan *as,
                              const struct pl_match_counts *before, uint64_t prov_before,
                              struct pl_error *err)
{
    struct pl_match_state st;
    size_t used = 0;
    char hi[24] = "-";

    memset(&st, 0, sizeof(st));
    st.asset_id = as->asset->id;
    st.feeds_max = sc->feeds_max;
    if (as->eol_hi != INT64_MAX)
        snprintf(hi, sizeof(hi), "%lld", (long long)as->eol_hi);
    snprintf(st.policy, sizeof(st.policy), "%s+e%lld:%s", sc->policy_key, (long long)as->eol_lo,
             hi);
    for (size_t i = 0; i <= PL_MATCH_TIERS; i++)
        used += (size_t)snprintf(st.counts + used, sizeof(st.counts) - used, "%llu ",
                                 (unsigned long long)(sc->sum->open.n[i] - before->n[i]));
    snprintf(st.counts + used, sizeof(st.counts) - used, "%llu",
             (unsigned long long)(sc->sum->provisional - prov_before));
    return pl_store_match_state_put(sc->s, &st, sc->o->now, err);
}
