/*
 * warn.c - what a scan could not know: feeds never imported, feeds older
 * than the staleness limit (relative to the effective clock), and releases
 * for which no advisory is stored. A scan runs with whatever is present and
 * names the rest.
 */
#include <stdlib.h>
#include <string.h>

#include "patchline/clock.h"
#include "patchline/escape.h"
#include "patchline/intel.h"

#include "scan_int.h"

#define DAY         86400
#define STALE_AFTER ((pl_time_t)7 * DAY)

/* A feed kind the tiering relies on, and what its absence costs. */
static const struct {
    const char *kinds[4];
    const char *what;
} needed[] = {
    {{"kev", NULL, NULL, NULL}, "no KEV catalogue: no finding can reach Tier 0 through KEV"},
    {{"epss", NULL, NULL, NULL}, "no EPSS scores"},
    {{"nvd", "nvd-cve", "cve5", "vulnrichment"},
     "no CVE records (NVD, CVE JSON 5): no CVSS, findings are unscored unless the advisory has a severity"},
};

static const char *const advisory_kinds[] = {"debian", "osv",        "alpine-secdb",
                                             "csaf",   "updateinfo", "ubuntu-cve"};

static const struct pl_feed_row *latest(const struct pl_feed_row *rows, size_t n, const char *kind)
{
    for (size_t i = 0; kind && i < n; i++)
        if (strcmp(rows[i].kind, kind) == 0)
            return &rows[i];
    return NULL;
}

static void check_stale(struct pl__scan *sc, const struct pl_feed_row *r)
{
    pl_time_t at = pl_feed_fresh_from(r, pl_clock_real());
    pl_time_t limit = sc->o->stale_after ? sc->o->stale_after : STALE_AFTER;
    char date[16];

    if (sc->o->now - at > limit)
        pl_buf_addf(&sc->sum->warnings, "warning: stale: feed '%s' is %lld days old (%s)\n",
                    r->kind, (long long)((sc->o->now - at) / DAY), pl_date_format(at, date));
}

/* At most this many assets are named in the unassessed warning. */
#define UNASSESSED_NAMED 10

/* One unassessed asset into the warning's list (the first UNASSESSED_NAMED of them). */
static void unassessed(struct pl__scan *sc, struct pl_buf *names, const struct pl_match_asset *a,
                       const char *eco)
{
    if (sc->sum->unassessed++ >= UNASSESSED_NAMED)
        return;
    pl_buf_adds(names, sc->sum->unassessed > 1 ? ", " : "");
    pl_escape_terminal(names, a->name);
    pl_buf_adds(names, " (");
    pl_escape_terminal(names, a->os_name ? a->os_name : a->os_family);
    if (a->os_version) {
        pl_buf_addch(names, ' ');
        pl_escape_terminal(names, a->os_version);
    }
    if (eco)
        pl_buf_addf(names, ": no advisories for %s", eco);
    else
        pl_buf_adds(names, ": an OS Patchline maps to no advisory ecosystem");
    pl_buf_addch(names, ')');
}

/*
 * OS ecosystems of the assets with no advisory row, and the assets they
 * leave unassessed (named: an unassessed asset is never clean), with those
 * whose OS maps to no ecosystem at all.
 */
static pl_status check_releases(struct pl__scan *sc, struct pl_error *err)
{
    struct pl_arena arena = PL_ARENA_INIT(0);
    struct pl_buf names = PL_BUF_INIT(64 * 1024);
    struct pl__smap seen;
    pl_status rc = PL_OK;

    pl__match_smap_init(&seen, &arena);
    for (size_t i = 0; rc == PL_OK && i < sc->assets.n; i++) {
        const struct pl_match_asset *a = &sc->assets.items[i];
        char eco[64];
        uint32_t v;
        int64_t n = 0;

        if (a->retired || (a->os_name == NULL && a->os_family == NULL))
            continue;
        if (!pl_match_os_ecosystem(a->os_name, a->os_family, a->os_version, a->os_codename, eco,
                                   sizeof(eco))) {
            unassessed(sc, &names, a, NULL);
            continue;
        }
        if (!pl__match_smap_get(&seen, eco, strlen(eco), &v)) {
            if ((rc = pl_store_affected_count(sc->s, eco, &n, err)) != PL_OK)
                break;
            v = n > 0;
            pl__match_smap_put(&seen, eco, strlen(eco), v);
            if (n == 0)
                pl_buf_addf(&sc->sum->warnings, "warning: missing: no advisories for %s\n", eco);
        }
        if (v == 0)
            unassessed(sc, &names, a, eco);
    }
    if (rc == PL_OK && sc->sum->unassessed)
        pl_buf_addf(&sc->sum->warnings,
                    "warning: unassessed: %llu assets (not clean: nothing to match them "
                    "against): %s%s\n",
                    (unsigned long long)sc->sum->unassessed, pl_buf_cstr(&names),
                    sc->sum->unassessed > UNASSESSED_NAMED ? ", ..." : "");
    pl_buf_release(&names);
    pl__match_smap_release(&seen);
    pl_arena_release(&arena);
    return rc;
}

/* Assets whose sources name disagreeing OSes: matched with the winner, and named. */
static pl_status check_conflicts(struct pl__scan *sc, struct pl_error *err)
{
    struct pl_asset_query q = {.conflicts = true};
    struct pl_asset_info_list l = {NULL, 0};
    pl_status rc;

    if ((rc = pl_store_asset_query(sc->s, &q, &l, err)) != PL_OK)
        return rc;
    for (size_t i = 0; i < l.n; i++) {
        const struct pl_asset *a = &l.items[i].a;

        pl_buf_addf(&sc->sum->warnings,
                    "warning: conflict: asset %s (%lld): sources disagree on the OS (%s); "
                    "matched as %s%s%s\n",
                    a->name, (long long)a->id, l.items[i].os_conflict,
                    a->os_name ? a->os_name : "?", a->os_version ? " " : "",
                    a->os_version ? a->os_version : "");
    }
    pl_asset_info_list_release(&l);
    return PL_OK;
}

pl_status pl__match_scan_warnings(struct pl__scan *sc, struct pl_error *err)
{
    struct pl_feed_row *rows = NULL;
    size_t n = 0;
    pl_status rc;

    if ((rc = pl_store_feed_latest(sc->s, &rows, &n, err)) != PL_OK)
        return rc;
    for (size_t i = 0; i < sizeof(needed) / sizeof(needed[0]); i++) {
        const struct pl_feed_row *r = NULL;

        for (size_t k = 0; r == NULL && k < PL_ARRAY_LEN(needed[i].kinds); k++)
            r = latest(rows, n, needed[i].kinds[k]);
        if (r == NULL)
            pl_buf_addf(&sc->sum->warnings, "warning: missing: %s\n", needed[i].what);
    }
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < sizeof(advisory_kinds) / sizeof(advisory_kinds[0]); k++)
            if (strcmp(rows[i].kind, advisory_kinds[k]) == 0 || strcmp(rows[i].kind, "kev") == 0 ||
                strcmp(rows[i].kind, "epss") == 0) {
                check_stale(sc, &rows[i]);
                break;
            }
    free(rows);
    if (rc == PL_OK)
        rc = check_releases(sc, err);
    if (rc == PL_OK)
        rc = check_conflicts(sc, err);
    if (rc == PL_OK && sc->ix.bad_versions)
        pl_buf_addf(
            &sc->sum->warnings,
            "warning: skipped: %llu version comparisons on unparsable versions (first: %s)\n",
            (unsigned long long)sc->ix.bad_versions, sc->ix.first_bad);
    return rc;
}
