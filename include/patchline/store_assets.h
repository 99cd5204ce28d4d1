/*
 * store_assets.h - the assets and packages part of the store interface (see store.h, which includes
 * this header: include store.h).
 */
#ifndef PATCHLINE_STORE_ASSETS_H
#define PATCHLINE_STORE_ASSETS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "patchline/escape.h"
#include "patchline/store.h"

/* ---- assets and packages (inventory) ---------------------------------- */

/*
 * One installed package of an asset. ecosystem is "dpkg", "rpm", "apk" (or
 * an importer's ecosystem: "npm", "pypi", ...); version is the full version
 * in that ecosystem's syntax (rpm: "[EPOCH:]VERSION-RELEASE"); arch is ""
 * when the ecosystem has none; source_* are NULL when unknown.
 * installed_at (0: unknown) is not stored; collectors use it for
 * last-patched.
 */
struct pl_package {
    int64_t id; /* store row id; 0 before it is stored */
    char *ecosystem, *name, *version, *arch;
    char *source_name, *source_version;
    char *purl;
    pl_time_t installed_at;
};

struct pl_package_list {
    struct pl_package *items;
    size_t n, cap;
};
/* The row of one package in `packages ASSET` and GET /api/v1/packages. */
#define PL_PACKAGE_N_COLS 6
extern const char *const pl_package_col_names[PL_PACKAGE_N_COLS];
extern const enum pl_cell_type pl_package_col_types[PL_PACKAGE_N_COLS];
/* The cells of p into v (pointers into p). */
void pl_package_cells(const struct pl_package *p, const char *v[PL_PACKAGE_N_COLS]);

/* Append a zeroed package (its strings NULL) and return it; the list owns it. */
struct pl_package *pl_package_list_add(struct pl_package_list *l);
/* Free every package and the array; the list is left empty and reusable. */
void pl_package_list_release(struct pl_package_list *l);
/*
 * The digest of a package list is pl_sha256_sum over its packages' lines
 * "name\tarch\tversion\n" (NULL as ""): order-free, and changed by one
 * package in constant time. Add (remove false) or take out p's line.
 */
void pl_package_digest_step(unsigned char acc[32], const struct pl_package *p, bool remove);

/* One identifier that recognises an asset across sources. */
struct pl_identifier {
    const char *kind;  /* machine-id, cloud-id, serial, mac, fqdn, hostname, ip, image */
    const char *value; /* as the source gave it (callers normalise case for mac/fqdn) */
    const char *scope; /* NULL or "": global; else e.g. a VPC id for a private ip */
};

/*
 * What one source saw of one asset. Every string may be NULL: unknown, and
 * the stored value is kept. reboot_required is -1 (unknown), 0 or 1.
 */
struct pl_observation {
    const char *source;     /* "local", "nmap", "aws", ... */
    const char *source_key; /* the source's own key for the asset (required) */
    const struct pl_identifier *ids;
    size_t n_ids;
    pl_time_t seen; /* when the source saw it (usually pl_clock_now()) */
    const char *name, *kind;
    const char *owner, *environment, *criticality, *exposure, *exposure_evidence;
    const char *os_family, *os_name, *os_version, *os_codename, *arch, *kernel;
    int reboot_required;
    bool has_last_patched;
    pl_time_t last_patched;
    const char *fallback_name; /* name of a new asset when name is NULL (never renames) */
};

/*
 * Find or create the asset an observation describes, and record the
 * observation. The asset is found by (source, source_key) first, then by the
 * identifiers in the order given (callers put the strongest first:
 * machine-id, cloud-id, serial, mac, fqdn, hostname, ip); it is created
 * when nothing matches (name is then required). Known fields overwrite
 * stored ones only where they differ; last_seen moves forward to `seen`;
 * identifiers already held by another asset are left with it.
 * Stores the asset id in *asset_id and whether it was created in *created.
 * PL_E_INVALID for a missing source/source_key/name or a bad enum value.
 */
PL_NODISCARD pl_status pl_store_asset_observe(struct pl_store *s, const struct pl_observation *obs,
                                              int64_t *asset_id, bool *created,
                                              struct pl_error *err);

struct pl_package_sync {
    size_t added, updated, removed, unchanged;
};

/*
 * Make the stored packages of one asset in one ecosystem equal to pkgs[0..n)
 * (whose ecosystem fields are ignored): new ones are inserted with
 * first_seen = seen, changed versions or sources are updated, missing ones
 * deleted; unchanged rows are not written. Two entries with the same
 * (name, arch) are PL_E_CONFLICT. Counts go to *out.
 */
PL_NODISCARD pl_status pl_store_packages_sync(struct pl_store *s, int64_t asset_id,
                                              const char *ecosystem, const struct pl_package *pkgs,
                                              size_t n, pl_time_t seen, struct pl_package_sync *out,
                                              struct pl_error *err);

/* One asset as listed. Strings NULL when unknown; reboot_required -1 when unknown. */
struct pl_asset {
    int64_t id;
    char *name, *kind, *owner, *environment, *criticality, *exposure;
    char *os_family, *os_name, *os_version, *os_codename, *arch, *kernel;
    int reboot_required;
    bool has_last_patched;
    pl_time_t last_patched, first_seen, last_seen;
    int64_t n_packages;
};

struct pl_asset_list {
    struct pl_asset *items;
    size_t n;
};

/* Every asset that is not retired, by name then id. */
PL_NODISCARD pl_status pl_store_asset_list(struct pl_store *s, struct pl_asset_list *out,
                                           struct pl_error *err);
void pl_asset_list_release(struct pl_asset_list *l);

/*
 * Resolve a reference given by a user: an id (all digits) or a name. An
 * unknown id or name is PL_E_NOTFOUND ("no asset 'x'"); a name shared by
 * several assets is PL_E_CONFLICT listing their ids.
 */
PL_NODISCARD pl_status pl_store_asset_resolve(struct pl_store *s, const char *ref,
                                              int64_t *asset_id, struct pl_error *err);

/* The packages of one asset, by ecosystem, name, arch. */
PL_NODISCARD pl_status pl_store_package_list(struct pl_store *s, int64_t asset_id,
                                             struct pl_package_list *out, struct pl_error *err);

/* ---- inventory import: facts, services, selectors, curation ---------- */
/* (asset_curation.c, asset_query.c) */

/*
 * Facts that discovery sources add to an asset. NULL / -1 / false: unknown,
 * the stored value is kept. Tags are kept per source (source NULL: "legacy"),
 * seen at `seen` (0: now): a source that states tags closes, with that date,
 * the tags it gave before and no longer states; another source's tags stay.
 */
struct pl_asset_facts {
    const char *cloud_account, *cloud_region, *network_scope, *runtime;
    bool has_runtime_deprecated;
    pl_time_t runtime_deprecated; /* end of standard support of the runtime */
    int64_t patches_missing, patches_failed, patches_installed;
    const char *const *tags;
    size_t n_tags;
    const char *source; /* who states the tags */
    pl_time_t seen;
};

#define PL_ASSET_FACTS_INIT                                            \
    {                                                                  \
        NULL, NULL, NULL, NULL, false, 0, -1, -1, -1, NULL, 0, NULL, 0 \
    }

PL_NODISCARD pl_status pl_store_asset_facts(struct pl_store *s, int64_t asset_id,
                                            const struct pl_asset_facts *f, struct pl_error *err);

/* One open port and the service a scanner saw behind it, with its CPEs. */
struct pl_service {
    const char *protocol; /* "tcp", "udp", "sctp" */
    int port;
    const char *state; /* "open", "open|filtered", ... */
    const char *service, *product, *version, *extrainfo;
    const char *const *cpes;
    size_t n_cpes;
};

/*
 * Record the services and CPEs that `source` reports for an asset, kept per
 * source: rows are upserted (first_seen kept; a scan without banners keeps
 * the earlier ones), this source's ports not seen now are closed with `seen`
 * (another source's are untouched), and CPEs of ports no source sees open
 * are deleted. os_cpes are CPEs of the operating system.
 */
PL_NODISCARD pl_status pl_store_asset_services_sync(struct pl_store *s, int64_t asset_id,
                                                    const char *source,
                                                    const struct pl_service *svc, size_t n,
                                                    const char *const *os_cpes, size_t n_os,
                                                    pl_time_t seen, struct pl_error *err);

/*
 * One CPE an internet scanner (Shodan, Censys) reports for an asset behind
 * protocol/port, upserted with last_seen = seen; and, once the import is
 * done, the deletion of the ones this source reported before and not now.
 */
PL_NODISCARD pl_status pl_store_asset_cpe_put(struct pl_store *s, int64_t asset_id,
                                              const char *source, const char *cpe,
                                              const char *protocol, int port, pl_time_t seen,
                                              struct pl_error *err);
PL_NODISCARD pl_status pl_store_asset_cpes_expire(struct pl_store *s, int64_t asset_id,
                                                  const char *source, pl_time_t seen,
                                                  struct pl_error *err);

/*
 * A selector: comma-separated FIELD=VALUE terms, all of which must hold
 * (env=prod,kind=host,tag=pci,exposure=yes,owner=ops,os=debian,
 * name=web-*, criticality=high). tag= may repeat (all tags required); name
 * is a glob (* ? [..]); os matches the OS family or name; a tag "K"
 * matches a tag "K" or "K=V". The one place selectors are parsed; stages
 * that target assets use it through pl_store_asset_query.
 */
#define PL_SELECTOR_MAX_TAGS 16
struct pl_asset_selector {
    const char *env, *kind, *owner, *exposure, *os, *name, *criticality;
    const char *tags[PL_SELECTOR_MAX_TAGS];
    size_t n_tags;
    char *text; /* owned copy the fields point into */
};

/* Parse text into sel (released with pl_asset_selector_release). Errors name the term. */
PL_NODISCARD pl_status pl_asset_selector_parse(const char *text, struct pl_asset_selector *sel,
                                               struct pl_error *err);
void pl_asset_selector_release(struct pl_asset_selector *sel);

/* One asset with what the curation commands show. */
struct pl_asset_info {
    struct pl_asset a;
    char *exposure_evidence, *tags, *sources; /* tags ';'-joined, sources ','-joined */
    char *cloud_account, *cloud_region, *network_scope, *runtime;
    bool has_runtime_deprecated;
    pl_time_t runtime_deprecated;
    int64_t patches_missing, patches_failed, patches_installed; /* -1 unknown */
    int64_t open_findings;
    bool managed; /* a source that can patch covers it (see pl_store_asset_query) */
    bool retired;
    int64_t merged_into;     /* 0 unless merged into another asset */
    char *os_conflict;       /* NULL, or who said which disagreeing OS ("local: debian 12; ...") */
    int64_t open_by_tier[6]; /* open findings of tiers 0-4, and [5] unscored or not tiered */
    int64_t overdue;         /* open findings past their due date at the query's now */
};

struct pl_asset_info_list {
    struct pl_asset_info *items;
    size_t n;
};

/*
 * What to list. unmanaged: assets no source that can patch covers (host
 * collection or agent, SSM, Intune, Jamf, SCCM, Ansible, a managed node
 * group): only discovery sources saw them, unless `assets set managed=`
 * decided it (the same predicate as the report's coverage). conflicts:
 * assets whose sources name disagreeing OSes. stale: not seen for
 * stale_days before now.
 */
/* The row of one asset in `assets` and GET /api/v1/assets. */
#define PL_ASSET_N_COLS 10
extern const char *const pl_asset_col_names[PL_ASSET_N_COLS];
extern const enum pl_cell_type pl_asset_col_types[PL_ASSET_N_COLS];
struct pl_asset_cells {
    const char *v[PL_ASSET_N_COLS];
    char id[24], os[2 * PL_MAX_NAME_BYTES + 2], packages[24], last_seen[PL_TIME_STR_LEN],
        last_patched[PL_TIME_STR_LEN];
};
/* The cells of a (pointers into a and c). */
void pl_asset_cells(const struct pl_asset *a, struct pl_asset_cells *c);

/*
 * The row of one asset in `inventory export` (a CMDB CSV that `inventory
 * import csv` reads back, and GET /api/v1/inventory/export): its columns,
 * and its cells, which read the asset's identifiers (each kind ';'-joined,
 * each value once). Release with pl_asset_export_cells_release.
 */
#define PL_ASSET_EXPORT_N_COLS 26
extern const char *const pl_asset_export_col_names[PL_ASSET_EXPORT_N_COLS];
extern const enum pl_cell_type pl_asset_export_col_types[PL_ASSET_EXPORT_N_COLS];
struct pl_asset_export_cells {
    const char *v[PL_ASSET_EXPORT_N_COLS];
    struct pl_buf ids; /* the identifier cells, each NUL-ended */
    char last_patched[PL_TIME_STR_LEN], open[7][24];
};
PL_NODISCARD pl_status pl_asset_export_cells(struct pl_store *s, const struct pl_asset_info *x,
                                             struct pl_asset_export_cells *c, struct pl_error *err);
void pl_asset_export_cells_release(struct pl_asset_export_cells *c);

struct pl_asset_query {
    const struct pl_asset_selector *select; /* NULL: every asset */
    bool unmanaged;
    bool conflicts;
    bool stale;
    int64_t stale_days;
    pl_time_t now;
    bool include_retired;
    int64_t id; /* > 0: only this asset */
};

PL_NODISCARD pl_status pl_store_asset_query(struct pl_store *s, const struct pl_asset_query *q,
                                            struct pl_asset_info_list *out, struct pl_error *err);
void pl_asset_info_list_release(struct pl_asset_info_list *l);

/*
 * The same assets, one at a time, without holding them all (listings of
 * large estates): fn gets each in turn, borrowed for the call. fn may read
 * the store. A status other than PL_OK from fn stops the walk and is
 * returned.
 */
typedef pl_status (*pl_asset_info_fn)(void *ctx, const struct pl_asset_info *x,
                                      struct pl_error *err);
PL_NODISCARD pl_status pl_store_asset_each(struct pl_store *s, const struct pl_asset_query *q,
                                           pl_asset_info_fn fn, void *ctx, struct pl_error *err);

/* Rows of text (n_rows * n_cols cells, NULL for none) for a detail view. */
struct pl_text_rows {
    char **cells;
    size_t n_rows, n_cols;
};
void pl_text_rows_release(struct pl_text_rows *r);

/* Everything known of one asset: sources, identifiers, merges, services, CPEs. */
struct pl_asset_detail {
    struct pl_text_rows sources;     /* source, key, first_seen, last_seen */
    struct pl_text_rows identifiers; /* kind, value, scope, source */
    struct pl_text_rows merges;      /* id, at, how, source, key, undone_at */
    struct pl_text_rows services; /* protocol, port, state, service, product, version, banner_seen,
                                    source, closed_at */
    struct pl_text_rows cpes;     /* cpe, protocol, port, source */
};
PL_NODISCARD pl_status pl_store_asset_detail(struct pl_store *s, int64_t asset_id,
                                             struct pl_asset_detail *out, struct pl_error *err);
void pl_asset_detail_release(struct pl_asset_detail *d);

/*
 * `assets show ASSET` (the CLI prints it, GET /api/v1/assets/show answers
 * it): sections of rows, the facts (field, value, without a title), the
 * attributes at `now` (each observation: effective, lost or aged out) and
 * the detail's tables; a section without rows is not printed.
 */
enum {
    PL_ASSET_SHOW_FACTS,
    PL_ASSET_SHOW_ATTRS,
    PL_ASSET_SHOW_SOURCES,
    PL_ASSET_SHOW_IDENTIFIERS,
    PL_ASSET_SHOW_MERGES,
    PL_ASSET_SHOW_SERVICES,
    PL_ASSET_SHOW_CPES,
    PL_ASSET_SHOW_N
};
struct pl_asset_show_section {
    const char *key;   /* its name in the API's answer */
    const char *title; /* NULL: printed without one */
    size_t n_cols;
    const char *const *names;
    const enum pl_cell_type *types;
};
extern const struct pl_asset_show_section pl_asset_show_sections[PL_ASSET_SHOW_N];
struct pl_asset_show {
    struct pl_text_rows s[PL_ASSET_SHOW_N];
};
PL_NODISCARD pl_status pl_store_asset_show(struct pl_store *s, int64_t asset_id, pl_time_t now,
                                           struct pl_asset_show *out, struct pl_error *err);
void pl_asset_show_release(struct pl_asset_show *x);
/* `assets show --format json`'s document into b (its cap bounds it). */
PL_NODISCARD pl_status pl_store_asset_show_json(struct pl_store *s, int64_t asset_id, pl_time_t now,
                                                struct pl_buf *b, struct pl_error *err);

/*
 * The one check of an asset attribute, on every path that writes one
 * (importers through pl_store_asset_observe and pl_store_asset_facts,
 * `assets set`, tags): value NULL or "" passes; otherwise valid UTF-8, at
 * most PL_MAX_IMPORT_FIELD_BYTES bytes, and for kind, environment (env),
 * criticality, exposure and managed one of their values. Fails with
 * PL_E_TOOBIG or PL_E_INVALID "field 'FIELD': ...". So whatever the store
 * holds, `inventory export` writes a CSV that `inventory import` accepts.
 */
PL_NODISCARD pl_status pl_asset_value_check(const char *field, const char *value,
                                            struct pl_error *err);

/*
 * Manual curation, each audited ("asset.set", "asset.retire", ...).
 * pl_store_asset_set: field owner, env, exposure (yes/no/unknown), criticality,
 * kind, name, managed (yes/no/auto); value "" clears (owner, env, criticality).
 * tag: add (true) or remove one tag.
 */
PL_NODISCARD pl_status pl_store_asset_set(struct pl_store *s, int64_t asset_id, const char *field,
                                          const char *value, struct pl_error *err);
PL_NODISCARD pl_status pl_store_asset_tag(struct pl_store *s, int64_t asset_id, const char *tag,
                                          bool add, struct pl_error *err);
PL_NODISCARD pl_status pl_store_asset_retire(struct pl_store *s, int64_t asset_id,
                                             struct pl_error *err);
/* Move every source, identifier, tag, package, service and finding of `from` into `into`;
 * `from` is retired with merged_into set. */
PL_NODISCARD pl_status pl_store_asset_merge(struct pl_store *s, int64_t into, int64_t from,
                                            struct pl_error *err);
/* Detach the observations of `source` (and identifiers it reported) into a new asset. */
PL_NODISCARD pl_status pl_store_asset_split(struct pl_store *s, int64_t asset_id,
                                            const char *source, int64_t *new_id,
                                            struct pl_error *err);

/* ---- observations with provenance (asset_obs.c, asset_resolve.c) ---- */

/*
 * One thing one source said about one attribute of an asset (os, owner,
 * environment, criticality, exposure, last_patched, arch, kernel,
 * reboot_required, managed, packages:ECOSYSTEM), as `assets show` lists it.
 * value: the attribute's text (os: "debian 12 (bookworm)"; last_patched:
 * seconds since the epoch); note: the exposure evidence. rank: the
 * source's precedence for the attribute (0 first). effective: this is the
 * asset's value; aged: not renewed within the maximum age (default 30
 * days); stale: aged while a fresher observation exists, so it does not
 * count; conflict: a specific OS that disagrees with another one.
 */
struct pl_asset_attr {
    char *attr, *value, *note, *source, *source_key;
    pl_time_t first_observed, observed_at;
    int64_t import_id;
    int rank;
    bool effective, aged, stale, conflict;
};

struct pl_asset_attr_list {
    struct pl_asset_attr *items; /* by attribute, then winner first, then by preference */
    size_t n;
};

/* Every observation of an asset, resolved at `now` (aging). Release with the function below. */
PL_NODISCARD pl_status pl_store_asset_attributes(struct pl_store *s, int64_t asset_id,
                                                 pl_time_t now, struct pl_asset_attr_list *out,
                                                 struct pl_error *err);
void pl_asset_attr_list_release(struct pl_asset_attr_list *l);

/* Resolve the effective values of every asset again (after a precedence change). */
PL_NODISCARD pl_status pl_store_asset_reresolve(struct pl_store *s, pl_time_t now,
                                                struct pl_error *err);

/*
 * Load a precedence file (docs/inventory.md): lines "ATTR: SRC > SRC = SRC >
 * ..." (best first, '=' ranks equal) and "max-age: DAYS"; '#' comments.
 * Replaces the stored precedence, resolves every asset again, audited
 * ("asset.precedence"). Errors name the line. path NULL: back to defaults.
 */
PL_NODISCARD pl_status pl_store_asset_precedence_load(struct pl_store *s, const char *path,
                                                      struct pl_error *err);
/* The same, naming the file name (the client's, through the server) in messages and the audit. */
PL_NODISCARD pl_status pl_store_asset_precedence_load_as(struct pl_store *s, const char *path,
                                                         const char *name, struct pl_error *err);

/*
 * Open an import run: the observations recorded until pl_store_import_close
 * carry its id. source: "local", "cmdb", ...; file may be NULL.
 */
PL_NODISCARD pl_status pl_store_import_open(struct pl_store *s, const char *source,
                                            const char *file, int64_t *import_id,
                                            struct pl_error *err);
void pl_store_import_close(struct pl_store *s);

/*
 * Record one source's list of the packages of an ecosystem (kept per source:
 * rows it listed before and not now are closed with `seen`; a list older
 * than one the source gave already changes nothing), then make the asset's
 * effective packages those of the best-ranked source with an open list
 * (latest among equals, then by name): *applied tells whether this source's
 * list is the one in effect; *out counts the changes to the effective rows.
 * Another source's list is never deleted. Records the observation
 * "packages:ECOSYSTEM" either way.
 */
PL_NODISCARD pl_status pl_store_packages_sync_from(struct pl_store *s, int64_t asset_id,
                                                   const char *source, const char *ecosystem,
                                                   const struct pl_package *pkgs, size_t n,
                                                   pl_time_t seen, struct pl_package_sync *out,
                                                   bool *applied, struct pl_error *err);

/*
 * The same when the source lists again exactly what it listed last
 * (an agent's unchanged inventory, known by its digest): its open rows are
 * seen again in one statement and the effective rows resolved again only
 * when they are not already that list's, without reading the list.
 */
PL_NODISCARD pl_status pl_store_packages_seen_from(struct pl_store *s, int64_t asset_id,
                                                   const char *source, const char *ecosystem,
                                                   pl_time_t seen, struct pl_package_sync *out,
                                                   bool *applied, struct pl_error *err);

/*
 * The same for a change to the source's last list: packages removed
 * ((name, arch) pairs; their versions ignored), then packages set (new or
 * of another version). Only the changed names are read and written: the
 * open list gets the change, the list's digest (pl_package_digest_step) is
 * moved by the changed packages alone, and the effective rows are changed
 * for those names alone when this list was and stays the one in effect
 * (else resolved whole). The new digest of the list goes to digest (65
 * bytes). PL_E_CONFLICT when the source has no list of that ecosystem for
 * the asset, or a newer one than seen; a name set twice likewise.
 */
PL_NODISCARD pl_status pl_store_packages_change_from(
    struct pl_store *s, int64_t asset_id, const char *source, const char *ecosystem,
    const struct pl_package *removed, size_t n_removed, const struct pl_package *set, size_t n_set,
    pl_time_t seen, struct pl_package_sync *out, char *digest, struct pl_error *err);
/*
 * The digest of a source's open list of an ecosystem of an asset (65 bytes;
 * "" when it has none), computed from its rows when the store has not kept
 * it yet (a store made before digests were kept), and kept.
 */
PL_NODISCARD pl_status pl_store_packages_digest_from(struct pl_store *s, int64_t asset_id,
                                                     const char *source, const char *ecosystem,
                                                     char *digest, struct pl_error *err);

/* scanner-reported vulnerabilities and discovery evidence (import-scan) */

/*
 * Find the asset an observation would match, without writing: by (source,
 * source_key), then by the identifiers in the order given. *asset_id is 0
 * when nothing matches. Importers whose name for an asset is weak (an IP
 * address) use it to name only new assets.
 */
PL_NODISCARD pl_status pl_store_asset_lookup(struct pl_store *s, const struct pl_observation *obs,
                                             int64_t *asset_id, struct pl_error *err);

/* The tags of an asset, sorted, as one string joined by ","; "" when none. */
PL_NODISCARD pl_status pl_store_asset_tags(struct pl_store *s, int64_t asset_id, struct pl_buf *out,
                                           struct pl_error *err);

/* Relate two assets ("runs-image": workload -> image; "scheduled-on"). */
PL_NODISCARD pl_status pl_store_asset_relate(struct pl_store *s, int64_t from_id, int64_t to_id,
                                             const char *relation, const char *source,
                                             pl_time_t seen, struct pl_error *err);

/* Record one import run (source "trivy", the file and its SHA-256); *run_id for the puts. */
PL_NODISCARD pl_status pl_store_scanner_run(struct pl_store *s, const char *source,
                                            const char *file, const char *sha256, pl_time_t at,
                                            int64_t *run_id, struct pl_error *err);

/* One vulnerability a scanner reported on an asset (strings borrowed; NULL: unknown). */
struct pl_scanner_vuln {
    const char *vuln_id; /* CVE-..., GHSA-..., or the scanner's id (QID, plugin) */
    const char *package; /* NULL or "": the host itself (network scanners) */
    const char *installed_version, *fixed_version;
    const char *severity; /* none, low, medium, high, critical, unknown (NULL: unknown) */
    const char *title, *detail;
    /* facts of this source (NULL / 0: not said) */
    const char *cvss_version, *cvss_vector; /* "3.1", "CVSS:3.1/AV:N/..." */
    const char *cvss_source;                /* whose score: "nvd", "redhat", the scanner */
    double cvss_score;                      /* the published base score, when has_cvss_score */
    bool has_cvss_score;
    const char *vendor_severity;   /* the word as the scanner wrote it ("CRITICAL", "Low") */
    const char *exploit;           /* "exploit available", "frameworks: Metasploit", ... */
    pl_time_t first_detected;      /* when the scanner says it first saw it (0: unknown) */
    const char *source_package;    /* the source package the scanner named */
    const char *package_ecosystem; /* dpkg, rpm, apk, npm, ... (NULL: not said) */
};

/*
 * Upsert (asset, source, vuln_id, package): a new row is 'open' with
 * first_seen = seen; a known one gets the new facts and last_seen, and is
 * reopened if it was resolved. Reported twice in one run, the higher
 * severity is kept.
 */
PL_NODISCARD pl_status pl_store_scanner_vuln_put(struct pl_store *s, int64_t asset_id,
                                                 const char *source, int64_t run_id,
                                                 const struct pl_scanner_vuln *v, pl_time_t seen,
                                                 struct pl_error *err);

/*
 * After a run has reported everything it saw on an asset: mark 'resolved'
 * (resolved_at = seen) the open rows of (asset, source) that run did not
 * write. The count goes to *n.
 */
PL_NODISCARD pl_status pl_store_scanner_vulns_resolve(struct pl_store *s, int64_t asset_id,
                                                      const char *source, int64_t run_id,
                                                      pl_time_t seen, uint64_t *n,
                                                      struct pl_error *err);

/* A stored scanner vulnerability, as listed (strings owned by the list). */
struct pl_scanner_vuln_row {
    int64_t asset_id;
    char *source, *vuln_id, *package, *installed_version, *fixed_version, *severity, *title;
    char *status;
    pl_time_t first_seen, last_seen;
};

struct pl_scanner_vuln_list {
    struct pl_scanner_vuln_row *items;
    size_t n;
};

/* Scanner vulnerabilities of one asset (0: every asset), by asset, source, vuln, package. */
PL_NODISCARD pl_status pl_store_scanner_vuln_list(struct pl_store *s, int64_t asset_id,
                                                  struct pl_scanner_vuln_list *out,
                                                  struct pl_error *err);
void pl_scanner_vuln_list_release(struct pl_scanner_vuln_list *l);

/* A VEX statement (CycloneDX analysis) about one product (strings borrowed). */
struct pl_vex_statement {
    int64_t asset_id;              /* 0: the document names no subject asset */
    const char *source;            /* "cyclonedx-vex:" serial number, else the file */
    const char *vuln_id, *product; /* product: the purl, else the bom-ref */
    const char *state;             /* resolved, resolved_with_pedigree, exploitable, in_triage,
                                      false_positive, not_affected, unknown */
    const char *justification, *response, *detail;
    const char *format;  /* "cyclonedx", "openvex", "csaf" (NULL: cyclonedx) */
    const char *version; /* the product version the statement is scoped to (NULL: any) */
    pl_time_t stated_at; /* the statement's own time (0: the import time) */
};

/* Upsert by (source, vuln_id, product). */
PL_NODISCARD pl_status pl_store_vex_put(struct pl_store *s, const struct pl_vex_statement *v,
                                        pl_time_t seen, struct pl_error *err);

/* An open service seen from the internet (strings borrowed). */
struct pl_exposure {
    const char *source, *ip, *transport; /* transport NULL: "tcp" */
    int64_t port;
    const char *service, *product, *evidence;
};

/* Upsert by (asset, source, ip, port, transport). */
PL_NODISCARD pl_status pl_store_exposure_put(struct pl_store *s, int64_t asset_id,
                                             const struct pl_exposure *e, pl_time_t seen,
                                             struct pl_error *err);

/*
 * The kernel fixes a live patch applied to an asset's running kernel (asset_livepatch), as
 * the host reports them: `source` names the reporter ("canonical-livepatch"), `kernel` the
 * patched kernel as it names it. Strings borrowed for the call only.
 */
struct pl_livepatch_fix {
    const char *source, *vuln, *kernel, *patch_version;
    pl_time_t reported_at;
};
typedef pl_status (*pl_livepatch_fn)(void *ctx, const struct pl_livepatch_fix *f,
                                     struct pl_error *err);

/*
 * Replace the asset's rows of `source` by vulns[0..n) (vulnerability ids) applied to `kernel`
 * by patch `patch_version` (may be NULL), reported at `now`; the asset is matched again by the
 * next scan. Inside the caller's transaction.
 */
PL_NODISCARD pl_status pl_store_livepatch_replace(struct pl_store *s, int64_t asset_id,
                                                  const char *source, const char *kernel,
                                                  const char *patch_version,
                                                  const char *const *vulns, size_t n, pl_time_t now,
                                                  struct pl_error *err);

/* Call fn for every live-patched fix of asset_id, by source and vulnerability. */
PL_NODISCARD pl_status pl_store_livepatch_each(struct pl_store *s, int64_t asset_id,
                                               pl_livepatch_fn fn, void *ctx, struct pl_error *err);

#endif /* PATCHLINE_STORE_ASSETS_H */
