/*
 * match_int.h - private to src/match: the string map, the in-memory index
 * of affected rows, the per-version match cache and the facts builder.
 */
#ifndef PATCHLINE_MATCH_INT_H
#define PATCHLINE_MATCH_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "patchline/arena.h"
#include "patchline/match.h"
#include "patchline/policy.h"
#include "patchline/store.h"
#include "patchline/version.h"

/* ---- string map: byte keys -> uint32 values (open addressing) ---------- */

struct pl__smap_slot {
    const char *key; /* arena copy; NULL: empty */
    uint32_t len, hash, value;
};

struct pl__smap {
    struct pl__smap_slot *slots;
    size_t cap, n; /* cap is a power of two */
    struct pl_arena *arena;
};

void pl__match_smap_init(struct pl__smap *m, struct pl_arena *arena);
void pl__match_smap_release(struct pl__smap *m);
/* Forget every key (the capacity stays: a map reused per asset stops growing). */
void pl__match_smap_clear(struct pl__smap *m);
/* The value of key, or false when absent. */
bool pl__match_smap_get(const struct pl__smap *m, const char *key, size_t len, uint32_t *value);
/* Insert key -> value unless present; returns the stored value either way. */
uint32_t pl__match_smap_put(struct pl__smap *m, const char *key, size_t len, uint32_t value);

/* ---- the index of affected rows ----------------------------------------- */

/* One affected row, strings in the index arena (NULL: none). */
struct pl__row {
    const char *vuln, *feed, *advisory, *status;
    const char *introduced, *fixed, *last_affected, *urgency, *severity, *marker;
    uint32_t next; /* the next row of the same (ecosystem, kind, package); UINT32_MAX ends */
};

struct pl__index {
    struct pl_arena arena;
    struct pl__row *rows;
    size_t n_rows, cap_rows;
    struct pl__smap heads; /* "eco\x1fkind\x1fpackage" -> first row */
    struct pl__smap ecos;  /* ecosystems loaded whole -> number of rows */
    struct pl__smap named; /* "eco\x1fpackage" loaded by name (a scan of a few assets) */
    /* the match cache: "eco\x1fkind\x1fpackage\x1fversion" -> hits slice */
    struct pl__smap cache;
    uint32_t *hits; /* row indexes; a slice is [off+1 .. off+1+hits[off]) */
    size_t n_hits, cap_hits;
    struct pl_store *s;          /* for alias look-ups while loading */
    struct pl__smap alias_cache; /* advisory id -> alias_strs index */
    const char **alias_strs;     /* space-separated CVE ids, or NULL */
    size_t n_alias;
    uint64_t distinct, bad_versions;
    char first_bad[256];
};

void pl__match_index_init(struct pl__index *ix);
void pl__match_index_release(struct pl__index *ix);
/* Load the affected rows of ecosystem eco once (no-op when loaded). */
PL_NODISCARD pl_status pl__match_index_load(struct pl__index *ix, struct pl_store *s,
                                            const char *eco, struct pl_error *err);
/*
 * Load the affected rows of the named packages of eco not loaded yet (a no-op for an
 * ecosystem loaded whole); their chains are what a whole load gives for those names.
 */
PL_NODISCARD pl_status pl__match_index_load_named(struct pl__index *ix, struct pl_store *s,
                                                  const char *eco, const char *const *names,
                                                  size_t n, struct pl_error *err);
/* Rows loaded for eco (0 when none or not loaded). */
uint32_t pl__match_index_eco_rows(const struct pl__index *ix, const char *eco);

/* The version order of an ecosystem; false when Patchline has none for it. */
bool pl__match_eco_scheme(const char *eco, enum pl_vscheme *out);

/*
 * The rows of (eco, kind, package) that make `version` vulnerable: a slice
 * of row indexes (*n_out of them at *out), computed once per distinct
 * version and cached.
 */
void pl__match_index_match(struct pl__index *ix, const char *eco, const char *kind,
                           const char *package, const char *version, const uint32_t **out,
                           uint32_t *n_out);

/*
 * Whether version is at or past a fix of vuln in (eco, kind, package): the
 * fixed version that proves it into proof (NULL row when none).
 */
bool pl__match_index_fix_proven(struct pl__index *ix, const char *eco, const char *kind,
                                const char *package, const char *vuln, const char *version,
                                char *proof, size_t cap);

/*
 * Does an advisory state that package (eco, kind) is not affected by vuln
 * (Debian "resolved" in version 0, Ubuntu "not-affected", CSAF
 * known_not_affected)? The statement that proves it into proof.
 */
bool pl__match_index_not_affected(struct pl__index *ix, const char *eco, const char *kind,
                                  const char *package, const char *vuln, char *proof, size_t cap);

/*
 * The first row of (eco, kind, package), or UINT32_MAX when none; the next ones follow
 * ix->rows[i].next.
 */
uint32_t pl__match_index_first(const struct pl__index *ix, const char *eco, const char *kind,
                               const char *package);

/* Is version vulnerable per row r under scheme (false on unparsable versions). */
bool pl__match_row_affects(struct pl__index *ix, enum pl_vscheme scheme, const struct pl__row *r,
                           const char *version);

/* The advisory ecosystem of a package of ecosystem pkg_eco on an OS of os_eco (os.c). */
const char *pl__match_package_ecosystem(const char *pkg_eco, const char *os_eco, char *buf,
                                        size_t cap);

/* ---- facts -------------------------------------------------------------- */

/* The facts of one vulnerability, with the text its provenance points to. */
struct pl__vfacts {
    struct pl_facts f; /* vulnerability part only */
    char kev_date[24], cvss_date[24], epss_date[24], ssvc_date[24], exploit_date[24];
    char vendor_date[24];
    char cvss_note[160]; /* "published 9.8, computed 9.8" and any disagreement */
    bool disagree;
    pl_time_t published;          /* the vulnerability record's first publication; 0: unknown */
    const char *published_origin; /* "nvd", "cve5" */
};

/*
 * Fill v from the stored risk r: KEV, CVSS by precedence (3.1, 4.0, 3.0,
 * 2.0; NVD, CNA, ADP) scored from the vector, EPSS, SSVC, exploit
 * references. The computed score of each vector whose stored one is missing
 * or different is written back when s is not NULL. v borrows r's strings.
 */
PL_NODISCARD pl_status pl__match_vfacts_build(struct pl_store *s, const struct pl_vuln_risk *r,
                                              struct pl__vfacts *v, uint64_t *scored,
                                              struct pl_error *err);

/* The asset's part of the facts (borrows a's strings). */
void pl__match_facts_asset(const struct pl_match_asset *a, struct pl_facts *f, char *date,
                           size_t cap);

/*
 * The finding's part: fix available, vendor severity. Borrows fnd's strings.
 */
void pl__match_facts_finding(const struct pl_finding *fnd, struct pl_facts *f);

/*
 * The software part: the finding's package, and for third-party software
 * matched by CPE its product ("google:chrome", from the match evidence) and
 * the class the product map m gives it (NULL map or no rule: no class).
 * The product is written to buf (cap bytes); f borrows it and fnd's strings.
 */
void pl__match_facts_product(const struct pl_product_map *m, const struct pl_finding *fnd,
                             struct pl_facts *f, char *buf, size_t cap);

/* Storage for the release facts' strings (pl__match_facts_release). */
struct pl__release_bufs {
    char age_date[11], age_what[160], age_src[64];
    char fix_date[24], fix_what[160], fix_src[64];
};

/*
 * The release facts of a finding about software endoflife.date dates (an
 * end-of-life or lag finding's product, or a CPE product it names):
 * release_age at now from the installed version's release (or its release
 * line's), and fix_released from the fixed version's release, else from the
 * vulnerability's publication (vf; NULL: none). The release data's dated
 * versions are read from s (NULL: the cycles only). Call after
 * pl__match_facts_product; f borrows rb's strings.
 */
void pl__match_facts_release(struct pl_store *s, const struct pl_finding *fnd,
                             const struct pl__vfacts *vf, pl_time_t now, struct pl_facts *f,
                             struct pl__release_bufs *rb);

/* The shipped product map, TSV (products_data.c). */
extern const char *const pl__product_map_builtin[]; /* one rule a string, then NULL */
/* The SHA-256 (hex) of a map's rules: part of the scan state's key, so a new rule rescans. */
const char *pl__match_product_map_digest(const struct pl_product_map *m);

/* Whether a finding's feed is CPE matching (cpe.c): "nvd", or a vendor bulletin's origin. */
bool pl__match_cpe_feed(const char *feed);

#endif /* PATCHLINE_MATCH_INT_H */
