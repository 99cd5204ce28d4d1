/*
 * match.h - installed packages against affected ranges: findings on an SLA
 * clock.
 *
 * pl_match_scan reads the assets, their packages and the advisories of
 * their releases from the store, matches them in memory (each distinct
 * (ecosystem, package, version) compared once), tiers every open finding
 * with a policy, and writes only what changed: new findings, closed ones
 * (fixed with proof from the inventory, package-removed, asset-retired),
 * regressions (re-opened, first_seen kept) and new tiers or due dates.
 * Nothing is deleted; every change is a finding_events row.
 *
 * Not thread-safe on one store (the store is not); the caller owns the
 * transaction.
 */
#ifndef PATCHLINE_MATCH_H
#define PATCHLINE_MATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "patchline/buf.h"
#include "patchline/clock.h"
#include "patchline/error.h"
#include "patchline/exception.h"
#include "patchline/limits.h"
#include "patchline/policy.h"
#include "patchline/store.h"
#include "patchline/version.h"

/* Tiers counted in a summary: 0..PL_MATCH_TIERS-1, then one slot for "unscored". */
#define PL_MATCH_TIERS 10

struct pl_match_opts {
    const struct pl_policy *policy; /* required */
    const int64_t *asset_ids;       /* n_assets ids; NULL/0: every asset */
    size_t n_assets;
    pl_time_t now;
    pl_time_t stale_after; /* seconds; a feed older than this is named stale (0: 7 days) */
    /*
     * Commit (pl_store_yield) after every `batch` assets, and after a batch
     * that has held the store PL_MATCH_BATCH_MS, so that other writers get
     * in; each batch is whole assets with their findings and scan state.
     * 0: everything in the caller's one transaction.
     */
    size_t batch;
    /* the third-party product map (pl_product_map_load); NULL: the shipped rules */
    const struct pl_product_map *products;
    /*
     * Re-match every asset in scope whole. Otherwise an asset unchanged since its last
     * scan is skipped, or, after a feed import, re-matched only where the import's
     * delta touches it (the result is the same).
     */
    bool full;
};

/* The longest a scan batch holds the store (when opts.batch > 0), in milliseconds. */
#define PL_MATCH_BATCH_MS 2000

/* Counts per tier; index PL_MATCH_TIERS holds the unscored findings. */
struct pl_match_counts {
    uint64_t n[PL_MATCH_TIERS + 1];
};

struct pl_match_summary {
    uint64_t assets, packages;   /* scanned */
    uint64_t skipped;            /* assets unchanged since their last scan, not read again */
    uint64_t partial;            /* assets re-matched only where a feed import changed data */
    uint64_t eol_only;           /* assets whose end-of-life software alone was checked */
    uint64_t distinct_versions;  /* distinct (ecosystem, package, version) compared */
    uint64_t rows;               /* affected rows loaded */
    struct pl_match_counts open; /* every open finding after the scan */
    struct pl_match_counts new_, still_open, fixed, regressed;
    uint64_t removed, retired; /* closed as package-removed / asset-retired */
    uint64_t unproven;         /* no longer matched, fix not proven: left open */
    uint64_t provisional;      /* open findings whose tier is provisional */
    uint64_t written;          /* finding rows inserted or updated */
    uint64_t unsupported;      /* packages of an ecosystem without a version order */
    uint64_t disputed;         /* findings this scan set disputed (scanner vs advisory data) */
    uint64_t not_affected;     /* findings this scan set not-affected (VEX) */
    uint64_t unassessed;       /* assets whose OS has no advisories imported (or no ecosystem) */
    struct pl_buf warnings;    /* one line each: missing or stale feeds, unknown releases */
};

/* Release the summary's buffers (the struct may be reused after pl_match_summary_init). */
void pl_match_summary_init(struct pl_match_summary *s);
void pl_match_summary_release(struct pl_match_summary *s);

/*
 * Match and tier the assets of opts (all when none) inside the caller's
 * transaction (committed between batches when opts.batch > 0: after a
 * failure, the batches before the failing one stay). Fills *sum. PL_E_INVALID without a policy;
 * store errors as the store reports them. Versions a feed or an inventory spells in a way the
 * ecosystem's order rejects are skipped and counted in the warnings.
 */
PL_NODISCARD pl_status pl_match_scan(struct pl_store *s, const struct pl_match_opts *opts,
                                     struct pl_match_summary *sum, struct pl_error *err);

/*
 * The ecosystem name of an asset's OS, as the advisories spell it
 * ("debian:bookworm", "ubuntu:22.04", "alpine:v3.18", "almalinux:9",
 * "rocky:9", "redhat:9"), into out. false when the OS is unknown or not one
 * Patchline has advisories for.
 */
bool pl_match_os_ecosystem(const char *os_name, const char *os_family, const char *version,
                           const char *codename, char *out, size_t cap);

/*
 * The policy a reader uses (report, metrics, findings --tier): the one
 * name_or_path names (a file or a built-in), else the store's deciding
 * policy (that of the finding tiered last, as the store keeps it), else the
 * built-in default. *out owns it (pl_policy_free). Reads only.
 */
PL_NODISCARD pl_status pl_match_policy_load(struct pl_store *s, const char *name_or_path,
                                            struct pl_policy **out, struct pl_error *err);

/*
 * A tier given by number or name (findings --tier, the API's tier=) under the
 * policy pl_match_policy_load picks for name_or_path; PL_E_INVALID names the
 * tiers that policy defines. Reads only.
 */
PL_NODISCARD pl_status pl_match_tier_parse(struct pl_store *s, const char *name_or_path,
                                           const char *text, int *tier, struct pl_error *err);

/*
 * Explain one stored finding: which policy explains it and whether that is
 * the policy that decided it (the name and digest the finding records),
 * the policy's explanation (rule that fired, facts with their sources and
 * dates, why earlier rules did not fire), then the match evidence and the
 * finding's history. policy NULL: the policy that decided the finding,
 * kept in the store (the built-in default for a finding that records
 * none); a policy given is a what-if and is named as such. format "text"
 * or "json". products: the product map that names the software's class
 * (NULL: the shipped rules). PL_E_NOTFOUND for an unknown id. Reads only.
 */
PL_NODISCARD pl_status pl_match_explain(struct pl_store *s, const struct pl_policy *policy,
                                        const struct pl_product_map *products, int64_t finding_id,
                                        pl_time_t now, const char *format, struct pl_buf *out,
                                        struct pl_error *err);

/*
 * Third-party software identity (docs/third-party.md): the product map says
 * which product (CPEs "part:vendor:product", a class, a version order) an
 * installed piece of software is.
 */
struct pl_product_map;

struct pl_product {
    const char *cpes[4]; /* "a:google:chrome", lower case */
    size_t n_cpes;
    const char *class_;     /* browser, runtime, database, network-appliance, ... */
    enum pl_vscheme scheme; /* the version order its CPE versions compare in */
    bool compare;           /* false: identified only, its versions are not the NVD's */
};

/*
 * The shipped rules, preceded by those of user_file (NULL: none) so that a
 * user's rule wins. PL_E_PARSE naming the file, line and field of a bad rule.
 */
PL_NODISCARD pl_status pl_product_map_load(const char *user_file, struct pl_product_map **out,
                                           struct pl_error *err);
void pl_product_map_free(struct pl_product_map *m);

/* The product of an installed package (ecosystem, name); NULL when no rule maps it. */
const struct pl_product *pl_product_lookup(const struct pl_product_map *m, const char *ecosystem,
                                           const char *name);

/* The product a CPE names (part 'a', 'o' or 'h'); NULL when no rule names it. */
const struct pl_product *pl_product_by_cpe(const struct pl_product_map *m, char part,
                                           const char *vendor, const char *product);

/* Whether packages of this ecosystem are the OS's (dpkg, rpm, apk: matched by the distro's data;
 * msrc: a Windows build, matched by Microsoft's documents). */
bool pl_product_os_package(const char *ecosystem);

/* A version as CPEs spell it: blanks trimmed, a leading "v" dropped; false when none. */
bool pl_product_version(const char *in, char *out, size_t cap);

/* One piece of third-party software of an asset; strings borrowed for the callback. */
struct pl_software {
    int64_t asset_id;
    const char *asset;
    const char *name, *version; /* a CPE the asset is known by: name is the CPE, no version */
    const char *ecosystem;      /* the package's; "cpe" for software known by CPE */
    const char *cpe;            /* CPE 2.3 of the product and version; NULL: no rule maps it */
    const char *class_;         /* NULL: no rule names it */
    bool compared;              /* its versions are matched against NVD configurations */
};
typedef pl_status (*pl_software_fn)(void *ctx, const struct pl_software *sw, struct pl_error *err);
/* The row of one piece of software in `software` and GET /api/v1/software. */
#define PL_SOFTWARE_N_COLS 7
extern const char *const pl_software_col_names[PL_SOFTWARE_N_COLS];
extern const enum pl_cell_type pl_software_col_types[PL_SOFTWARE_N_COLS];
/* The cells of sw into v (pointers into sw). */
void pl_software_cells(const struct pl_software *sw, const char *v[PL_SOFTWARE_N_COLS]);
/* The row of `software --unmapped`: count, ecosystem, name. */
#define PL_UNMAPPED_N_COLS 3
extern const char *const pl_unmapped_col_names[PL_UNMAPPED_N_COLS];
extern const enum pl_cell_type pl_unmapped_col_types[PL_UNMAPPED_N_COLS];

/*
 * The third-party software of asset_id (0: of every asset): its packages of
 * non-OS ecosystems with the product m names, then the CPEs it is known by.
 */
PL_NODISCARD pl_status pl_match_software_each(struct pl_store *s, const struct pl_product_map *m,
                                              int64_t asset_id, pl_software_fn fn, void *ctx,
                                              struct pl_error *err);

typedef pl_status (*pl_unmapped_fn)(void *ctx, const char *ecosystem, const char *name,
                                    uint64_t count, struct pl_error *err);
/* The (ecosystem, name) of packages no rule maps, with how many there are, most frequent first. */
PL_NODISCARD pl_status pl_match_software_unmapped(struct pl_store *s,
                                                  const struct pl_product_map *m, pl_unmapped_fn fn,
                                                  void *ctx, struct pl_error *err);

/* ---- the scan workflow (`patchline scan`, the server's scan) ---------------- */

/* At most this many assets named in one scan. */
#define PL_SCAN_MAX_ASSETS 1024

struct pl_scan_opts {
    const struct pl_policy *policy; /* required */
    const char *const *assets;      /* n_assets references (id or name); 0: every asset */
    size_t n_assets;
    pl_time_t now;
    size_t batch;            /* as pl_match_opts.batch */
    const char *product_map; /* a file of product rules before the shipped ones; NULL: none */
    int fail_on;             /* a tier of the policy; -1: no gate */
    bool full;               /* as pl_match_opts.full */
};

struct pl_scan_result {
    struct pl_match_summary match;
    struct pl_exception_apply_summary exceptions;
    bool gate_failed; /* open findings at or above opts.fail_on exist */
};

void pl_scan_result_init(struct pl_scan_result *r);
void pl_scan_result_release(struct pl_scan_result *r);

/*
 * The whole scan, inside the caller's transaction (committed between batches
 * as pl_match_scan does): resolve the named assets, load the product map,
 * match and tier (pl_match_scan), bring the exceptions in line with now
 * (pl_exceptions_apply: cover new findings, expire, review), record the scan
 * in the audit log, and evaluate the --fail-on gate. PL_E_NOTFOUND or
 * PL_E_CONFLICT for an asset reference; PL_E_PARSE for a bad product map.
 */
PL_NODISCARD pl_status pl_scan_run(struct pl_store *s, const struct pl_scan_opts *opts,
                                   struct pl_scan_result *r, struct pl_error *err);

/* ---- the CI gate over Trivy reports ---------------------------------------- */

struct pl_gate_finding {
    char id[64];      /* CVE-... */
    char target[256]; /* image or file the finding is in */
    char pkg[PL_MAX_NAME_BYTES];
    char installed[PL_MAX_VERSION_BYTES];
    char fixed[PL_MAX_VERSION_BYTES];
    char severity[16];
    double score; /* the score the policy saw */
    int tier;     /* or PL_TIER_UNSCORED */
};

struct pl_gate_result {
    char artifact[256];                       /* ArtifactName */
    size_t per_tier[PL_MAX_POLICY_TIERS + 1]; /* [0..n_tiers-1], [PL_MAX_POLICY_TIERS] unscored */
    size_t total;
    struct pl_gate_finding *hits; /* at or above the threshold, malloc'd */
    size_t n_hits;
};

/*
 * Stream a Trivy JSON report and tier every vulnerability with policy p:
 * CVSS from CVSS.nvd then CVSS.redhat (V3Score/V3Vector), else Severity as
 * vendor severity; fix available from FixedVersion; exposure unknown (the
 * policy's fail-safe applies). Findings with tier <= fail_on go to hits.
 * PL_E_PARSE naming the file and record for a report of the wrong shape.
 */
PL_NODISCARD pl_status pl_gate_trivy(const char *path, const struct pl_policy *p, int fail_on,
                                     struct pl_gate_result *out, struct pl_error *err);

/* Free the hits. */
void pl_gate_result_release(struct pl_gate_result *r);

#endif /* PATCHLINE_MATCH_H */
