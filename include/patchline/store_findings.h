/*
 * store_findings.h - the store's findings section (match, policy): the
 * matcher's inputs (assets, packages and affected rows walked through
 * callbacks, the risk facts of many vulnerabilities at once), the findings
 * themselves, their bulk writer and their events.
 *
 * Included by store.h (it is part of the store interface); it includes
 * store.h itself so that it also compiles on its own. Every SQL statement
 * lives in src/store/findings*.c. Ownership as in store.h: filled structs
 * own their strings and are released with the matching *_release.
 */
#ifndef PATCHLINE_STORE_FINDINGS_H
#define PATCHLINE_STORE_FINDINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "patchline/buf.h"
#include "patchline/clock.h"
#include "patchline/error.h"
#include "patchline/store.h"

struct pl_store;

/*
 * One asset as the matcher sees it: its OS (to pick the advisories of its
 * release) and the facts the policy reads. Strings NULL when unknown.
 */
struct pl_match_asset {
    int64_t id;
    char *name, *kind, *environment, *criticality, *exposure;
    char *os_family, *os_name, *os_version, *os_codename;
    char *runtime; /* a function's managed runtime ("python3.9"); NULL: none */
    char *kernel;  /* the running kernel release ("5.15.0-91-generic"); NULL: unknown */
    char **tags;   /* n_tags strings */
    size_t n_tags;
    pl_time_t last_seen;
    bool retired;
};

struct pl_match_asset_list {
    struct pl_match_asset *items;
    size_t n;
};

/*
 * Assets by id: those in ids[0..n_ids) (n_ids 0: every asset), retired ones
 * included (flagged). Unknown ids are left out.
 */
PL_NODISCARD pl_status pl_store_match_assets(struct pl_store *s, const int64_t *ids, size_t n_ids,
                                             struct pl_match_asset_list *out, struct pl_error *err);
void pl_match_asset_list_release(struct pl_match_asset_list *l);

/* One package row handed to a callback; strings borrowed for the call only. */
struct pl_package_view {
    int64_t asset_id;
    const char *ecosystem, *name, *version, *arch, *source_name, *source_version;
};
typedef pl_status (*pl_package_view_fn)(void *ctx, const struct pl_package_view *p,
                                        struct pl_error *err);

/*
 * Call fn for every package of asset_id (0: of every asset), ordered by
 * asset, ecosystem, name, arch. A callback error stops the walk and is
 * returned.
 */
PL_NODISCARD pl_status pl_store_packages_each(struct pl_store *s, int64_t asset_id,
                                              pl_package_view_fn fn, void *ctx,
                                              struct pl_error *err);

/* One affected row handed to a callback; strings borrowed (NULL: none). */
struct pl_affected_view {
    const char *vuln_id, *feed, *advisory, *ecosystem, *package, *package_kind, *status;
    const char *introduced, *fixed, *last_affected, *urgency, *severity, *marker;
    const char *fix_channel; /* "ubuntu-pro" or NULL (see pl_affected_row) */
};
typedef pl_status (*pl_affected_view_fn)(void *ctx, const struct pl_affected_view *a,
                                         struct pl_error *err);

/* Call fn for every affected row of one ecosystem, by package. */
PL_NODISCARD pl_status pl_store_affected_each(struct pl_store *s, const char *ecosystem,
                                              pl_affected_view_fn fn, void *ctx,
                                              struct pl_error *err);
/* The same for the rows of the n packages named (source or binary), in the same order. */
PL_NODISCARD pl_status pl_store_affected_each_named(struct pl_store *s, const char *ecosystem,
                                                    const char *const *names, size_t n,
                                                    pl_affected_view_fn fn, void *ctx,
                                                    struct pl_error *err);

/*
 * A finding as stored. Strings owned (NULL: none); tier is -1 when not
 * tiered; times 0 when unset. asset_name is filled by the listings.
 */
/*
 * A finding's marker when a live patch applied its fix to the asset's running kernel (the
 * host's report, asset_livepatch): mitigated, not fixed by a package; the reboot still due.
 * Not a distribution's decision (pl_finding_marker_decided).
 */
#define PL_MARKER_LIVEPATCH "livepatch"

/* Whether marker m is a distribution's decision not to fix (not NULL, "", "livepatch"). */
static inline bool pl_finding_marker_decided(const char *m)
{
    return m != NULL && m[0] != '\0' && strcmp(m, PL_MARKER_LIVEPATCH) != 0;
}

struct pl_finding {
    int64_t id, asset_id;
    char *asset_name;
    char *vuln_id, *package, *source_package, *installed_version, *fixed_version, *origin;
    char *status;
    pl_time_t first_seen, resolved_at, last_seen, due_at, tiered_at;
    int tier;
    bool unscored, provisional;
    int64_t regressions; /* column reopened_count */
    char *feed, *advisory, *evidence, *fix_proof, *vendor_severity, *marker, *rule;
    pl_time_t kev_added; /* when KEV listed the vulnerability (0: not in KEV) */
    char *severity;      /* critical, high, medium, low, none (NULL: unknown) */
    /* the policy that decided the tier: its name and digest (NULL: not recorded) */
    char *policy_name, *policy_digest;
    bool kev; /* listings only: the vulnerability is in KEV */
};

struct pl_finding_list {
    struct pl_finding *items;
    size_t n, cap;
};

/*
 * Whether a finding of this status and due date (0: none) is overdue at
 * now: open, due before now. The one predicate for every listing;
 * `findings --overdue` (pl_finding_filter.overdue) selects the same in SQL.
 */
bool pl_finding_overdue(const char *status, pl_time_t due_at, pl_time_t now);

/* Append a zeroed finding (tier -1) and return it; the list owns it. */
struct pl_finding *pl_finding_list_add(struct pl_finding_list *l);
void pl_finding_release(struct pl_finding *f);
void pl_finding_list_release(struct pl_finding_list *l);

/* Every stored finding of asset_id (0: all), any status and origin, by id (no asset_name, kev). */
PL_NODISCARD pl_status pl_store_findings_load(struct pl_store *s, int64_t asset_id,
                                              struct pl_finding_list *out, struct pl_error *err);

/*
 * asset_id's findings of the packages names[0..n) (the lean projection of
 * pl_store_findings_load, ordered by id): what an incremental scan diffs.
 */
PL_NODISCARD pl_status pl_store_findings_load_packages(struct pl_store *s, int64_t asset_id,
                                                       const char *const *names, size_t n,
                                                       struct pl_finding_list *out,
                                                       struct pl_error *err);

/* One row of the feed delta (match_delta, 0025); strings valid during the call. */
struct pl_match_delta_view {
    const char *kind;      /* "package", "vuln", "epss" or "all" */
    const char *ecosystem; /* kind "package": the advisory ecosystem; else "" */
    const char *name;      /* the package or the vulnerability */
    bool has_old;          /* kind "epss": the score and percentile before */
    double old_score, old_pct;
    bool has_cur; /* kind "epss": the score and percentile now */
    double cur_score, cur_pct;
};
typedef pl_status (*pl_match_delta_fn)(void *ctx, const struct pl_match_delta_view *v,
                                       struct pl_error *err);

/* Every delta row recorded by the feed imports after feeds row `after`. */
PL_NODISCARD pl_status pl_store_match_delta_each(struct pl_store *s, int64_t after,
                                                 pl_match_delta_fn fn, void *ctx,
                                                 struct pl_error *err);

/* Forget the delta rows every asset's scan state is past. */
PL_NODISCARD pl_status pl_store_match_delta_prune(struct pl_store *s, struct pl_error *err);

/*
 * The vulnerabilities whose facts moved, for pl_store_findings_hit_packages
 * (a temporary table of the connection; replaces the previous set).
 */
PL_NODISCARD pl_status pl_store_match_hit_vulns(struct pl_store *s, const char *const *ids,
                                                size_t n, struct pl_error *err);

typedef pl_status (*pl_name_fn)(void *ctx, const char *name, struct pl_error *err);

/* The packages of asset_id's findings of those vulnerabilities, each once. */
PL_NODISCARD pl_status pl_store_findings_hit_packages(struct pl_store *s, int64_t asset_id,
                                                      pl_name_fn fn, void *ctx,
                                                      struct pl_error *err);

/* What `findings` lists. */
struct pl_finding_filter {
    int64_t asset_id;   /* 0: every asset */
    int tier;           /* -1: any */
    const char *status; /* NULL: open */
    bool overdue;       /* due_at < now (open findings) */
    bool kev;           /* in KEV */
    bool unscored;
    const char *owner; /* the assets' owner (NULL: any) */
    pl_time_t now;
    size_t limit;         /* at most this many (0: all) */
    bool after;           /* only the findings after after_key in the listing's order (pages) */
    int64_t after_key[3]; /* pl_finding_sort_key of the last finding of the previous page */
};

/*
 * The sort key of a finding in the listings (tier, untiered last; due
 * date, none first; id): the cursor of a page resumes after it.
 */
#define PL_FINDING_KEY_NO_TIER 2147483647
#define PL_FINDING_KEY_NO_DUE  (-9223372036854775807)
void pl_finding_sort_key(const struct pl_finding *f, int64_t key[3]);

/* Findings matching f, by tier (untiered last), due date (none first), id; asset_name and kev
 * filled. */
PL_NODISCARD pl_status pl_store_findings_list(struct pl_store *s, const struct pl_finding_filter *f,
                                              struct pl_finding_list *out, struct pl_error *err);

/*
 * The same findings one at a time, without holding them all (listings): fn
 * gets each, borrowed for the call; a status other than PL_OK from fn stops
 * the walk and is returned.
 */
typedef pl_status (*pl_finding_fn)(void *ctx, const struct pl_finding *f, struct pl_error *err);
PL_NODISCARD pl_status pl_store_findings_each(struct pl_store *s, const struct pl_finding_filter *f,
                                              pl_finding_fn fn, void *ctx, struct pl_error *err);

/*
 * The same walk with only the fields of a listing's row (what
 * pl_report_finding_cells, pl_report_finding_json and pl_finding_sort_key
 * read): id, asset_id, asset_name, vuln_id, package, installed_version,
 * fixed_version, marker, status, first_seen, due_at, tier, unscored,
 * provisional and fix_proof. Every other field is zero or NULL (kev false).
 * Cheaper per row than pl_store_findings_each: a page of the API.
 */
PL_NODISCARD pl_status pl_store_findings_rows_each(struct pl_store *s,
                                                   const struct pl_finding_filter *f,
                                                   pl_finding_fn fn, void *ctx,
                                                   struct pl_error *err);

/* One finding by id (asset_name and kev filled); PL_E_NOTFOUND "no finding N". */
PL_NODISCARD pl_status pl_store_finding_get(struct pl_store *s, int64_t id, struct pl_finding *out,
                                            struct pl_error *err);

/*
 * A bulk writer of findings and their events: prepared statements reused,
 * inside the caller's transaction.
 */
struct pl_findings_writer;
PL_NODISCARD pl_status pl_findings_writer_open(struct pl_store *s, struct pl_findings_writer **out,
                                               struct pl_error *err);
void pl_findings_writer_close(struct pl_findings_writer *w);
/* Insert f (its id is ignored) and store the new id in f->id. */
PL_NODISCARD pl_status pl_findings_insert(struct pl_findings_writer *w, struct pl_finding *f,
                                          struct pl_error *err);
/* Write every mutable column of f (all but asset, package, vuln, origin) by f->id. */
PL_NODISCARD pl_status pl_findings_update(struct pl_findings_writer *w, const struct pl_finding *f,
                                          struct pl_error *err);
/*
 * Give finding id another package and origin: a scanner's finding that named
 * no package becomes Patchline's finding of the package the advisories name,
 * the scanner its witness (its id, events and first detection kept).
 */
PL_NODISCARD pl_status pl_findings_rekey(struct pl_findings_writer *w, int64_t id,
                                         const char *package, const char *origin,
                                         struct pl_error *err);
/*
 * Fold finding `from` into finding `into` of the same asset and vulnerability:
 * its events, exceptions and wave and job rows move to `into` (a wave or job
 * that already holds `into` keeps its own row), then `from` is deleted.
 */
PL_NODISCARD pl_status pl_findings_merge(struct pl_findings_writer *w, int64_t from, int64_t into,
                                         struct pl_error *err);
/* Record an event of finding_id (from/to/detail may be NULL; tier -1 and due 0: none). */
PL_NODISCARD pl_status pl_findings_event(struct pl_findings_writer *w, int64_t finding_id,
                                         pl_time_t at, const char *event, const char *from,
                                         const char *to, int tier, pl_time_t due,
                                         const char *detail, struct pl_error *err);

/* One event of a finding, for explain. */
struct pl_finding_event {
    pl_time_t at;
    char *event, *from_status, *to_status, *detail;
    int tier;
    pl_time_t due_at;
};
struct pl_finding_event_list {
    struct pl_finding_event *items;
    size_t n;
};
PL_NODISCARD pl_status pl_store_finding_events(struct pl_store *s, int64_t finding_id,
                                               struct pl_finding_event_list *out,
                                               struct pl_error *err);
void pl_finding_event_list_release(struct pl_finding_event_list *l);

/* One CVSS vector of a vulnerability with its source and import. */
struct pl_risk_cvss {
    int64_t row_id;
    char *version, *source, *source_type, *vector;
    bool has_published, has_computed;
    double published, computed;
    pl_time_t feed_date;
};

/*
 * The risk facts of one vulnerability (owned strings; NULL/false when the
 * store has none), with the feed dates they came from.
 */
struct pl_vuln_risk {
    char *vuln_id;
    bool kev, kev_ransomware;
    pl_time_t kev_added, kev_feed_date;
    char *kev_feed_version;
    bool has_epss;
    double epss, epss_percentile;
    pl_time_t epss_date;
    char *ssvc_exploitation, *ssvc_automatable, *ssvc_technical_impact, *ssvc_origin;
    pl_time_t ssvc_date;
    int64_t exploit_refs; /* exploit-tagged references */
    char *exploit_origin;
    pl_time_t exploit_date;
    /* the vendor's own statement that it is exploited (MSRC "Exploited:Yes"): document, date */
    bool vendor_exploited;
    char *vendor_exploited_doc;
    pl_time_t vendor_exploited_date;
    struct pl_risk_cvss *cvss; /* every vector, in store order */
    size_t n_cvss;
    /* the earliest publication of the vulnerability's record (NVD, CVE 5), its origin; 0: none */
    pl_time_t published;
    char *published_origin;
};

struct pl_vuln_risk_list {
    struct pl_vuln_risk *items; /* one per requested id, in the order given */
    size_t n;
};

/*
 * The risk facts of ids[0..n) (duplicates allowed, each answered). Runs a
 * few set queries through a temporary table, not one per id.
 */
PL_NODISCARD pl_status pl_store_vuln_risk_load(struct pl_store *s, const char *const *ids, size_t n,
                                               struct pl_vuln_risk_list *out, struct pl_error *err);
void pl_vuln_risk_list_release(struct pl_vuln_risk_list *l);

/* Store the score computed from a cvss row's vector (cvss.computed_score). */
PL_NODISCARD pl_status pl_store_cvss_set_computed(struct pl_store *s, int64_t row_id, double score,
                                                  struct pl_error *err);

/* Number of affected rows per ecosystem (for "no advisories for ..." warnings). */
PL_NODISCARD pl_status pl_store_affected_count(struct pl_store *s, const char *ecosystem,
                                               int64_t *out, struct pl_error *err);

/* One scanner-reported vulnerability of an asset (scanner_vulns); strings borrowed. */
struct pl_scanner_view {
    const char *source, *vuln_id, *package, *installed_version, *fixed_version, *severity;
    const char *title, *status;
    pl_time_t last_seen, resolved_at;
    const char *cvss_version, *cvss_vector, *cvss_source, *vendor_severity, *exploit;
    double cvss_score;
    bool has_cvss_score;
    pl_time_t first_seen, first_detected; /* first_detected: as the scanner said (0: not) */
    const char *source_package, *package_ecosystem;
};
typedef pl_status (*pl_scanner_view_fn)(void *ctx, const struct pl_scanner_view *v,
                                        struct pl_error *err);

/* Call fn for every scanner_vulns row of asset_id, by source, vuln, package. */
PL_NODISCARD pl_status pl_store_scanner_vulns_each(struct pl_store *s, int64_t asset_id,
                                                   pl_scanner_view_fn fn, void *ctx,
                                                   struct pl_error *err);

/* One VEX statement handed to a callback; strings borrowed. */
struct pl_vex_view {
    int64_t id, asset_id; /* asset_id 0: the statement names no asset */
    const char *source, *vuln_id, *product, *version, *state, *justification, *detail;
    pl_time_t stated_at; /* the statement's own time, else when it was imported */
};
typedef pl_status (*pl_vex_view_fn)(void *ctx, const struct pl_vex_view *v, struct pl_error *err);

/*
 * Call fn for every VEX statement about asset_id or about no asset (scoped
 * by product alone), oldest statement first.
 */
PL_NODISCARD pl_status pl_store_vex_each(struct pl_store *s, int64_t asset_id, pl_vex_view_fn fn,
                                         void *ctx, struct pl_error *err);

/* The CPEs an asset is known by (asset_cpes: services and OS), distinct, sorted. */
PL_NODISCARD pl_status pl_store_asset_cpes(struct pl_store *s, int64_t asset_id, struct pl_buf *out,
                                           struct pl_error *err);

/* One NVD configuration match row (cpe_matches) handed to a callback; strings borrowed. */
struct pl_cpe_view {
    const char *vuln_id, *criteria, *config_operator;
    const char *start_including, *start_excluding, *end_including, *end_excluding;
    int config, node;
    bool vulnerable, negate;
    /* "nvd", or a vendor bulletin's origin with its advisory id and fixing versions (or NULL) */
    const char *origin, *advisory, *fixed_in;
};
typedef pl_status (*pl_cpe_view_fn)(void *ctx, const struct pl_cpe_view *v, struct pl_error *err);

/*
 * Call fn for every cpe_matches row whose criteria starts with prefix
 * ("cpe:2.3:a:vendor:product:"), then, for each such row in an AND
 * configuration, its sibling nodes' rows are not included: see
 * pl_store_cpe_config_each.
 */
PL_NODISCARD pl_status pl_store_cpe_matches_each(struct pl_store *s, const char *prefix,
                                                 pl_cpe_view_fn fn, void *ctx,
                                                 struct pl_error *err);

/* Every row of one configuration (vuln_id, config), any node. */
PL_NODISCARD pl_status pl_store_cpe_config_each(struct pl_store *s, const char *vuln_id, int config,
                                                pl_cpe_view_fn fn, void *ctx, struct pl_error *err);

/*
 * Keep a policy that decides findings (the policies table): its digest
 * (pl_policy_digest), name and effective YAML. A digest already kept is
 * left as it is.
 */
PL_NODISCARD pl_status pl_store_policy_put(struct pl_store *s, const char *digest, const char *name,
                                           const char *yaml, pl_time_t at, struct pl_error *err);

/*
 * The YAML of a kept policy, appended to yaml: by digest, or with digest
 * NULL the policy that tiered a finding last (the store's deciding
 * policy). *name (may be NULL) gets its name (caller frees).
 * PL_E_NOTFOUND when there is none.
 */
PL_NODISCARD pl_status pl_store_policy_get(struct pl_store *s, const char *digest, char **name,
                                           struct pl_buf *yaml, struct pl_error *err);

/*
 * The digest of the store's deciding policy (that of the finding tiered
 * last, as pl_store_policy_get picks it) into digest (cap bytes): "" when
 * no finding records one. One read of an index: a reader that keeps a
 * parsed policy asks it to know whether its copy is still the one.
 */
PL_NODISCARD pl_status pl_store_policy_deciding(struct pl_store *s, char *digest, size_t cap,
                                                struct pl_error *err);

/* What the last scan of an asset saw (match_state). */
struct pl_match_state {
    int64_t asset_id;
    bool dirty;
    int64_t feeds_max;
    char policy[128]; /* the scan's policy key, then the asset's end-of-life window */
    char counts[256]; /* open findings per tier slot, then provisional: "n0 n1 ... nU p" */
};

/* The latest feeds row id (0: no import yet). */
PL_NODISCARD pl_status pl_store_feeds_max(struct pl_store *s, int64_t *out, struct pl_error *err);

/* Every match_state row, by asset id. *out is malloc'd (free()). */
/* The match_state row of asset_id into *out (*found false when it has none). */
PL_NODISCARD pl_status pl_store_match_state_get(struct pl_store *s, int64_t asset_id,
                                                struct pl_match_state *out, bool *found,
                                                struct pl_error *err);

PL_NODISCARD pl_status pl_store_match_states(struct pl_store *s, struct pl_match_state **out,
                                             size_t *n, struct pl_error *err);

/* Record the state of one asset after a scan (dirty 0). */
PL_NODISCARD pl_status pl_store_match_state_put(struct pl_store *s, const struct pl_match_state *st,
                                                pl_time_t at, struct pl_error *err);

#endif /* PATCHLINE_STORE_FINDINGS_H */
