/*
 * store.h - the one store every stage reads and writes (SQLite by default).
 *
 * Every SQL statement of Patchline lives behind this header, in src/store/.
 * Stages exchange plain structs through it. A store handle is not
 * thread-safe; open one per thread.
 *
 * Ownership: functions that fill a struct or list allocate its strings; the
 * caller releases it with the matching *_release function. Strings passed in
 * are copied; the caller keeps them.
 */
#ifndef PATCHLINE_STORE_H
#define PATCHLINE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "patchline/buf.h"
#include "patchline/clock.h"
#include "patchline/error.h"

struct pl_store;

/* Flags for pl_store_open. */
#define PL_STORE_READONLY 0x1 /* open read-only; the file must exist */
#define PL_STORE_CREATE   0x2 /* create the file (and its folder) if missing */

/*
 * Resolve the store path: `explicit_path` when not NULL, else
 * $PATCHLINE_DB, else $XDG_DATA_HOME/patchline/patchline.db, else
 * $HOME/.local/share/patchline/patchline.db. Writes it into out.
 */
PL_NODISCARD pl_status pl_store_default_path(const char *explicit_path, struct pl_buf *out,
                                             struct pl_error *err);

/*
 * Open (and with PL_STORE_CREATE create) the store at path: WAL mode,
 * foreign keys on, pending migrations applied in one transaction. A store
 * written by a newer Patchline is refused (PL_E_UNSUPPORTED). On success
 * *out owns the handle (pl_store_close).
 */
PL_NODISCARD pl_status pl_store_open(const char *path, int flags, struct pl_store **out,
                                     struct pl_error *err);

/* Close; NULL is a no-op. An open transaction is rolled back. */
void pl_store_close(struct pl_store *s);

/* The schema version (number of migrations applied). */
int pl_store_schema_version(struct pl_store *s);

/* Number of migrations this build knows. */
int pl_store_schema_latest(void);

/*
 * Transactions. begin/commit nest: only the outermost pair touches the
 * database. rollback undoes the whole outermost transaction.
 */
PL_NODISCARD pl_status pl_store_begin(struct pl_store *s, struct pl_error *err);
PL_NODISCARD pl_status pl_store_commit(struct pl_store *s, struct pl_error *err);
void pl_store_rollback(struct pl_store *s);

/*
 * Record an audit event: the effective time (pl_clock_now), the real time,
 * whether the clock was simulated, the OS user running the command, and
 * action/object/detail as given (object and detail may be NULL).
 */
PL_NODISCARD pl_status pl_store_audit(struct pl_store *s, const char *action, const char *object,
                                      const char *detail, struct pl_error *err);

/* The OS user name running this process (static storage). */
const char *pl_store_actor(void);

/* One audit event, as listed by pl_store_audit_list. */
struct pl_audit_event {
    int64_t id;
    pl_time_t at, at_real;
    bool simulated;
    char *actor, *action, *object, *detail;
};

struct pl_audit_list {
    struct pl_audit_event *items;
    size_t n;
};

/* The last `limit` audit events, oldest first. */
PL_NODISCARD pl_status pl_store_audit_list(struct pl_store *s, size_t limit,
                                           struct pl_audit_list *out, struct pl_error *err);
void pl_audit_list_release(struct pl_audit_list *l);

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

/* Append a zeroed package (its strings NULL) and return it; the list owns it. */
struct pl_package *pl_package_list_add(struct pl_package_list *l);
/* Free every package and the array; the list is left empty and reusable. */
void pl_package_list_release(struct pl_package_list *l);

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
 * the stored value is kept. Tags are added (an import never removes one).
 */
struct pl_asset_facts {
    const char *cloud_account, *cloud_region, *network_scope, *runtime;
    bool has_runtime_deprecated;
    pl_time_t runtime_deprecated; /* end of standard support of the runtime */
    int64_t patches_missing, patches_failed, patches_installed;
    const char *const *tags;
    size_t n_tags;
};

#define PL_ASSET_FACTS_INIT                                   \
    {                                                         \
        NULL, NULL, NULL, NULL, false, 0, -1, -1, -1, NULL, 0 \
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
 * Make the services and CPEs that `source` reports for an asset equal to
 * the given ones: rows are upserted (first_seen kept), rows of this source
 * not seen now are deleted. os_cpes are CPEs of the operating system.
 */
PL_NODISCARD pl_status pl_store_asset_services_sync(struct pl_store *s, int64_t asset_id,
                                                    const char *source,
                                                    const struct pl_service *svc, size_t n,
                                                    const char *const *os_cpes, size_t n_os,
                                                    pl_time_t seen, struct pl_error *err);

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
    bool managed; /* someone owns and patches it (see pl_store_asset_query) */
    bool retired;
    int64_t merged_into; /* 0 unless merged into another asset */
};

struct pl_asset_info_list {
    struct pl_asset_info *items;
    size_t n;
};

/*
 * What to list. unmanaged: assets nobody owns or patches: no owner, or no
 * package inventory, no patch counts and no patch source (local collect,
 * aws-ssm, intune, jamf), unless `assets set managed=` decided it. stale:
 * not seen for stale_days before now.
 */
struct pl_asset_query {
    const struct pl_asset_selector *select; /* NULL: every asset */
    bool unmanaged;
    bool stale;
    int64_t stale_days;
    pl_time_t now;
    bool include_retired;
    int64_t id; /* > 0: only this asset */
};

PL_NODISCARD pl_status pl_store_asset_query(struct pl_store *s, const struct pl_asset_query *q,
                                            struct pl_asset_info_list *out, struct pl_error *err);
void pl_asset_info_list_release(struct pl_asset_info_list *l);

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
    struct pl_text_rows services;    /* protocol, port, state, service, product, version, source */
    struct pl_text_rows cpes;        /* cpe, protocol, port, source */
};
PL_NODISCARD pl_status pl_store_asset_detail(struct pl_store *s, int64_t asset_id,
                                             struct pl_asset_detail *out, struct pl_error *err);
void pl_asset_detail_release(struct pl_asset_detail *d);

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

/* ---- vulnerability intelligence (intel) ------------------------------- */

/* One import of one feed file (table feeds). */
struct pl_feed_row {
    int64_t id;
    char kind[32];
    char version[64];
    pl_time_t released; /* 0: the file has no date */
    uint64_t records, inserted, updated, unchanged, withdrawn;
    char sha256[65];
    char path[1024];
    pl_time_t imported_at;
    bool simulated;
};

/* Add an import row (id is ignored and stored into *id_out). */
PL_NODISCARD pl_status pl_store_feed_add(struct pl_store *s, const struct pl_feed_row *row,
                                         int64_t *id_out, struct pl_error *err);
/* Store the counts, version and release date of row->id. */
PL_NODISCARD pl_status pl_store_feed_finish(struct pl_store *s, const struct pl_feed_row *row,
                                            struct pl_error *err);
/*
 * The latest import of kind other than exclude_id (0: none excluded) into
 * *out; *found says whether there is one.
 */
PL_NODISCARD pl_status pl_store_feed_last(struct pl_store *s, const char *kind, int64_t exclude_id,
                                          struct pl_feed_row *out, bool *found,
                                          struct pl_error *err);
/* The latest import of every kind, by kind name. *out is malloc'd (free()). */
PL_NODISCARD pl_status pl_store_feed_latest(struct pl_store *s, struct pl_feed_row **out,
                                            size_t *n_out, struct pl_error *err);

/* Conditional-request state of `feed sync` for one kind. */
struct pl_feed_sync_state {
    char url[2048];
    char etag[256];
    char last_modified[128];
    pl_time_t synced_at;
    int http_status;
};
PL_NODISCARD pl_status pl_store_sync_get(struct pl_store *s, const char *kind,
                                         struct pl_feed_sync_state *out, bool *found,
                                         struct pl_error *err);
PL_NODISCARD pl_status pl_store_sync_put(struct pl_store *s, const char *kind,
                                         const struct pl_feed_sync_state *st, struct pl_error *err);

/* What a write did to the stored facts. */
enum pl_intel_outcome {
    PL_INTEL_NEW,
    PL_INTEL_UPDATED,
    PL_INTEL_UNCHANGED,
};

/*
 * A bulk writer for one import: prepared statements reused across records,
 * inside the caller's transaction. Strings passed in are copied by SQLite.
 */
struct pl_intel_writer;
PL_NODISCARD pl_status pl_intel_writer_open(struct pl_store *s, int64_t feed_id, const char *kind,
                                            struct pl_intel_writer **out, struct pl_error *err);
void pl_intel_writer_close(struct pl_intel_writer *w);

struct pl_kev_entry {
    const char *cve, *vendor, *product, *name, *ransomware, *required_action, *description, *notes,
        *cwes;
    pl_time_t date_added, due_date; /* due_date 0: none */
    const char *digest;             /* hex sha256 of the entry's content */
};
PL_NODISCARD pl_status pl_intel_put_kev(struct pl_intel_writer *w, const struct pl_kev_entry *e,
                                        enum pl_intel_outcome *out, struct pl_error *err);
/*
 * After the last pl_intel_put_kev of a full catalogue (writer opened with kind
 * "kev"): delete the KEV entries it did not list; *removed gets their number.
 */
PL_NODISCARD pl_status pl_intel_kev_prune(struct pl_intel_writer *w, uint64_t *removed,
                                          struct pl_error *err);

struct pl_epss_entry {
    const char *cve;
    double score, percentile;
    const char *model_version;
    pl_time_t score_date;
};
/* A newer score_date replaces the stored score; an equal or older one is left alone. */
PL_NODISCARD pl_status pl_intel_put_epss(struct pl_intel_writer *w, const struct pl_epss_entry *e,
                                         enum pl_intel_outcome *out, struct pl_error *err);

/* The CVE record of one origin ("nvd", "cve5"). */
struct pl_vuln_record {
    const char *cve, *origin, *assigner, *summary;
    bool rejected;
    pl_time_t published, modified; /* 0: unknown */
    pl_time_t kev_date_added;      /* ADP kev metric, 0: none */
    const char *kev_reference;
};
/*
 * Record r when it is new or newer (by modified) than the stored one; the
 * facts of the older record (cvss, ssvc, cwes, references, cpe matches of
 * that origin) are deleted, and the caller adds the new ones. *out says
 * which; on PL_INTEL_UNCHANGED the caller adds nothing.
 */
PL_NODISCARD pl_status pl_intel_put_record(struct pl_intel_writer *w,
                                           const struct pl_vuln_record *r,
                                           enum pl_intel_outcome *out, struct pl_error *err);

struct pl_cvss_entry {
    const char *version;     /* "2.0" "3.0" "3.1" "4.0" */
    const char *source;      /* "nvd@nist.gov", a CNA short name, "CISA-ADP" */
    const char *source_type; /* "nvd" "cna" "adp" */
    const char *role;        /* NVD "Primary"/"Secondary", or NULL */
    const char *vector;
    double base_score;
    bool has_score;
    const char *severity;
};
PL_NODISCARD pl_status pl_intel_put_cvss(struct pl_intel_writer *w, const char *cve,
                                         const char *origin, const struct pl_cvss_entry *c,
                                         struct pl_error *err);

struct pl_ssvc_entry {
    const char *role, *version;
    const char *exploitation, *automatable, *technical_impact; /* lower case or NULL */
    pl_time_t assessed;
};
PL_NODISCARD pl_status pl_intel_put_ssvc(struct pl_intel_writer *w, const char *cve,
                                         const char *origin, const struct pl_ssvc_entry *e,
                                         struct pl_error *err);
PL_NODISCARD pl_status pl_intel_put_cwe(struct pl_intel_writer *w, const char *cve,
                                        const char *origin, const char *cwe, const char *source,
                                        struct pl_error *err);
PL_NODISCARD pl_status pl_intel_put_ref(struct pl_intel_writer *w, const char *cve,
                                        const char *origin, const char *url, const char *tags,
                                        bool exploit, struct pl_error *err);

struct pl_cpe_entry {
    int config, node;
    const char *config_operator, *node_operator;
    bool negate, vulnerable;
    const char *criteria, *start_including, *start_excluding, *end_including, *end_excluding,
        *match_id;
};
PL_NODISCARD pl_status pl_intel_put_cpe(struct pl_intel_writer *w, const char *cve,
                                        const char *origin, const struct pl_cpe_entry *e,
                                        struct pl_error *err);

/* Row counts of the intel tables, "table=N ..." into out (for tests and status). */
PL_NODISCARD pl_status pl_store_intel_counts(struct pl_store *s, struct pl_buf *out,
                                             struct pl_error *err);

/* One fact about a vulnerability and the import it came from. */
struct pl_vuln_fact {
    char *fact, *value, *detail, *source;
    char *feed_kind, *feed_version, *feed_sha256;
    pl_time_t feed_date; /* the feed's release date, else its import time */
};
struct pl_vuln_facts {
    struct pl_vuln_fact *items;
    size_t n, cap;
};
/*
 * Everything known about vulnerability id: summary, dates, KEV, EPSS, SSVC,
 * CVSS vectors (in precedence order: v3.1, v4.0, v3.0, v2; NVD, CNA, ADP),
 * CWEs, exploit references, CPE matches. PL_E_NOTFOUND when unknown.
 */
PL_NODISCARD pl_status pl_store_vuln_facts(struct pl_store *s, const char *id,
                                           struct pl_vuln_facts *out, struct pl_error *err);
void pl_vuln_facts_release(struct pl_vuln_facts *f);
/* affected ranges and advisories (distro importers) */

/*
 * One affected row as an importer hands it to the store. Strings are
 * borrowed for the duration of the put call; NULL means "none".
 */
struct pl_affected_row {
    const char *vuln_id;      /* CVE, GHSA, ALSA...; NULL: the advisory id */
    const char *ecosystem;    /* normalised: "debian:bookworm", "almalinux:9", "npm" */
    const char *package;      /* package name as the ecosystem spells it */
    const char *package_kind; /* "source", "binary", "cpe" or "purl" */
    const char *status;       /* "affected", "fixed", "open", "not-affected", "undetermined" */
    const char *introduced, *fixed, *last_affected;
    const char *urgency;  /* Debian urgency as the tracker writes it */
    const char *severity; /* vendor severity of this row ("Important") */
    const char *marker;   /* "no-dsa", "postponed", "ignored" (Debian) */
    const char *note;     /* text that goes with the marker */
};

/* A vulnerability an advisory covers, with the advisory's view of it. */
struct pl_advisory_vuln {
    const char *vuln_id;
    const char *severity;    /* "Important", or NULL */
    const char *cvss_vector; /* or NULL */
    double cvss_score;       /* < 0: none */
};

/*
 * One advisory: the unit an importer replaces as a whole. Build it with
 * pl_advisory_init, add rows, aliases and vulns, put it, then reset it
 * for the next one. Strings are borrowed until the next reset.
 */
struct pl_advisory {
    const char *feed; /* "osv", "debian", "alpine-secdb", "csaf" */
    const char *id;
    pl_time_t published, modified, withdrawn; /* 0: unknown */
    const char *severity, *summary;
    struct pl_affected_row *rows;
    size_t n_rows, cap_rows;
    const char **aliases; /* other ids for the same vulnerability as id */
    size_t n_aliases, cap_aliases;
    struct pl_advisory_vuln *vulns;
    size_t n_vulns, cap_vulns;
};

void pl_advisory_init(struct pl_advisory *a, const char *feed);
/* Forget the id, rows, aliases and vulns (keeps the allocations and feed). */
void pl_advisory_reset(struct pl_advisory *a);
void pl_advisory_release(struct pl_advisory *a);
/* Append a row (copied by value; its strings stay borrowed); returns it for the caller to fill. */
struct pl_affected_row *pl_advisory_add_row(struct pl_advisory *a);
void pl_advisory_add_alias(struct pl_advisory *a, const char *alias);
struct pl_advisory_vuln *pl_advisory_add_vuln(struct pl_advisory *a, const char *vuln_id);

/* What pl_advisory_writer_put did with one advisory. */
enum pl_put_result {
    PL_PUT_INSERTED,  /* not known before */
    PL_PUT_UPDATED,   /* newer (or different) than the stored one: its rows replaced */
    PL_PUT_UNCHANGED, /* the stored one is the same or newer: nothing written */
};

/* Prepared statements for one import; opaque. */
struct pl_advisory_writer;

PL_NODISCARD pl_status pl_advisory_writer_open(struct pl_store *s, struct pl_advisory_writer **out,
                                               struct pl_error *err);
/*
 * Store a, replacing the advisory (feed, id) when a is newer: by `modified`
 * when both have one (equal or older: unchanged), else when the content
 * digest differs. Writes vulnerabilities rows (INSERT OR IGNORE) for every
 * vuln id it mentions, vuln_aliases (id -> alias), advisories,
 * advisory_vulns and affected rows. Call inside a transaction.
 */
PL_NODISCARD pl_status pl_advisory_writer_put(struct pl_advisory_writer *w,
                                              const struct pl_advisory *a,
                                              enum pl_put_result *result, struct pl_error *err);
void pl_advisory_writer_close(struct pl_advisory_writer *w);

/* One stored affected row, as read back (owned strings). */
struct pl_affected {
    char *vuln_id, *feed, *advisory, *ecosystem, *package, *package_kind, *status;
    char *introduced, *fixed, *last_affected, *urgency, *severity, *marker, *note;
};

struct pl_affected_list {
    struct pl_affected *items;
    size_t n;
};

/*
 * Affected rows matching every non-NULL filter, ordered by vuln_id,
 * ecosystem, package, introduced, fixed.
 */
PL_NODISCARD pl_status pl_store_affected_list(struct pl_store *s, const char *vuln_id,
                                              const char *ecosystem, const char *package,
                                              struct pl_affected_list *out, struct pl_error *err);
void pl_affected_list_release(struct pl_affected_list *l);

/* Counts for one feed (NULL: all feeds). */
struct pl_advisory_counts {
    int64_t advisories, withdrawn, rows, vulns, packages, aliases;
};
PL_NODISCARD pl_status pl_store_advisory_counts(struct pl_store *s, const char *feed,
                                                struct pl_advisory_counts *out,
                                                struct pl_error *err);

/* One stored advisory (owned strings); *found false when absent. */
struct pl_advisory_info {
    char *severity, *summary, *digest;
    pl_time_t published, modified, withdrawn;
};
PL_NODISCARD pl_status pl_store_advisory_get(struct pl_store *s, const char *feed, const char *id,
                                             struct pl_advisory_info *out, bool *found,
                                             struct pl_error *err);
void pl_advisory_info_release(struct pl_advisory_info *i);

/* The advisory's view of one vulnerability (owned strings); *found false when absent. */
struct pl_advisory_vuln_info {
    char *severity, *cvss_vector;
    double cvss_score; /* < 0: none */
};
PL_NODISCARD pl_status pl_store_advisory_vuln_get(struct pl_store *s, const char *feed,
                                                  const char *advisory, const char *vuln_id,
                                                  struct pl_advisory_vuln_info *out, bool *found,
                                                  struct pl_error *err);
void pl_advisory_vuln_info_release(struct pl_advisory_vuln_info *i);

/* Aliases recorded for vuln_id (either direction), sorted, as one space-separated string. */
PL_NODISCARD pl_status pl_store_vuln_aliases(struct pl_store *s, const char *vuln_id,
                                             struct pl_buf *out, struct pl_error *err);

/* ---- findings (match, policy) ----------------------------------------- */

/* Findings, their events and the matcher's inputs: see store_findings.h. */
#include "patchline/store_findings.h" /* IWYU pragma: export */

/* ---- plans and jobs (plan, apply) ------------------------------------- */

/* An asset as the planner sees it; tags sorted. Strings NULL when unknown. */
struct pl_plan_asset {
    int64_t id;
    char *name, *owner, *environment;
    char **tags;
    size_t n_tags;
};

/* An open finding as the planner sees it. tier is -1 when not tiered. */
struct pl_plan_finding {
    int64_t id, asset_id;
    char *vuln_id, *package, *fixed_version; /* fixed_version NULL: no fix yet */
    int tier;
    bool has_due;
    pl_time_t due_at, first_seen;
};

struct pl_plan_inputs {
    struct pl_plan_asset *assets; /* every asset not retired, by id */
    size_t n_assets;
    struct pl_plan_finding *findings; /* every open finding, by id */
    size_t n_findings;
};

/* Load the planner's inputs. */
PL_NODISCARD pl_status pl_store_plan_inputs(struct pl_store *s, struct pl_plan_inputs *out,
                                            struct pl_error *err);
void pl_plan_inputs_release(struct pl_plan_inputs *in);

/* A stored plan. */
struct pl_plan_row {
    int64_t id;
    pl_time_t created_at;
    char *requester, *source, *sha256;
    int64_t horizon_secs, n_findings, n_misses, n_waves;
};

/* A stored wave, with its approval state. */
struct pl_wave_row {
    int64_t id, plan_id;
    int seq; /* 1-based within the plan */
    char *lane, *environment, *ring_name, *window_name, *sign_off, *max_errors;
    char *health_check, *regression_test; /* JSON argv arrays, NULL when none */
    int ring, tier;
    pl_time_t starts_at, ends_at;
    bool needs_approval;
    int64_t watch_secs;
    double halt_failure_rate; /* < 0: none */
    int64_t n_assets, n_findings;
    char *packages;                    /* "name=version, ..." */
    char *approved_by, *signed_off_by; /* NULL when not */
    pl_time_t approved_at, signed_off_at;
};

/* One finding of a wave. */
struct pl_wave_item_row {
    int64_t finding_id, asset_id;
    char *asset_name, *vuln_id, *package, *fixed_version;
};

/* Insert a plan (id and created_at ignored: created_at is pl_clock_now()). */
PL_NODISCARD pl_status pl_store_plan_insert(struct pl_store *s, const struct pl_plan_row *p,
                                            int64_t *id, struct pl_error *err);
/* Insert a wave of plan w->plan_id (approval fields and counts ignored). */
PL_NODISCARD pl_status pl_store_wave_insert(struct pl_store *s, const struct pl_wave_row *w,
                                            int64_t *id, struct pl_error *err);
PL_NODISCARD pl_status pl_store_wave_item_insert(struct pl_store *s, int64_t wave_id,
                                                 const struct pl_wave_item_row *it,
                                                 struct pl_error *err);
/* The plan with id (0: the latest). PL_E_NOTFOUND "no plan ID" / "no plan yet". */
PL_NODISCARD pl_status pl_store_plan_get(struct pl_store *s, int64_t id, struct pl_plan_row *out,
                                         struct pl_error *err);
void pl_plan_row_release(struct pl_plan_row *p);
/* The waves of a plan by seq, with counts, packages and approvals. */
PL_NODISCARD pl_status pl_store_wave_list(struct pl_store *s, int64_t plan_id,
                                          struct pl_wave_row **out, size_t *n,
                                          struct pl_error *err);
void pl_wave_rows_release(struct pl_wave_row *w, size_t n);
/* The findings of one wave by asset name, package. */
PL_NODISCARD pl_status pl_store_wave_items(struct pl_store *s, int64_t wave_id,
                                           struct pl_wave_item_row **out, size_t *n,
                                           struct pl_error *err);
void pl_wave_item_rows_release(struct pl_wave_item_row *it, size_t n);
/*
 * Record an approval (kind "approve" or "sign-off") of plan_id, one wave
 * (wave_seq > 0) or all (0), by actor at `at` (the real time is added).
 */
PL_NODISCARD pl_status pl_store_approval_insert(struct pl_store *s, int64_t plan_id, int wave_seq,
                                                const char *kind, const char *actor, pl_time_t at,
                                                struct pl_error *err);

/* ---- metrics (report) ------------------------------------------------- */

/*
 * The measure stage reads plain rows through these (src/store/metrics.c) and
 * computes every metric in C (src/report). Times that may be absent use
 * PL_MX_NONE. Lists are owned by the caller: release with pl_mx_data_release.
 */
#define PL_MX_NONE INT64_MIN

/* Tier values besides 0..4. */
#define PL_MX_TIER_UNSCORED (-1) /* findings.unscored = 1 */
#define PL_MX_TIER_UNTIERED (-2) /* no tier assigned yet */

enum pl_mx_status {
    PL_MX_OPEN,
    PL_MX_FIXED,
    PL_MX_MITIGATED,
    PL_MX_ACCEPTED,
    PL_MX_FALSE_POSITIVE,
    PL_MX_PACKAGE_REMOVED,
    PL_MX_ASSET_RETIRED,
};
#define PL_MX_N_STATUS 7

/* The findings.status text of a status ("open", "package-removed", ...); static. */
const char *pl_mx_status_name(enum pl_mx_status st);

/* One finding with what the metrics need from its asset and vulnerability. */
struct pl_mx_finding {
    int64_t id, asset_id;
    char *asset, *environment; /* environment may be NULL */
    char *vuln_id, *package, *installed_version, *fixed_version;
    char *severity;     /* critical/high/medium/low/none or NULL */
    char *mitigated_by; /* exception type or NULL */
    enum pl_mx_status status;
    int tier; /* 0..4, PL_MX_TIER_UNSCORED or PL_MX_TIER_UNTIERED */
    pl_time_t first_seen, resolved_at, due_at, kev_added, mitigated_until;
    /* findings.disclosed_at, else vulnerabilities.published, else its first_seen, else NONE */
    pl_time_t disclosed;
    int reopened_count;
};

struct pl_mx_asset {
    int64_t id;
    char *name, *owner, *environment, *os_family, *os_name, *os_version;
    pl_time_t first_seen, last_seen, retired_at;
};

/* Backlog of one (day, tier, severity) from finding_snapshots. */
struct pl_mx_snapshot {
    pl_time_t day; /* midnight UTC */
    int tier;
    char *severity;
    int64_t open, overdue, kev;
};

/* Audit events per (action, simulated) in a time range. */
struct pl_mx_event_count {
    char *action;
    bool simulated;
    int64_t count;
};

struct pl_mx_data {
    struct pl_mx_finding *findings;
    size_t n_findings;
    struct pl_mx_asset *assets;
    size_t n_assets;
    struct pl_mx_snapshot *snapshots;
    size_t n_snapshots;
    struct pl_mx_event_count *events;
    size_t n_events;
};

/*
 * Load what a report over [from, to) needs: every finding first seen by
 * `to` that was unresolved at `from`, resolved or due in [from, to), or an
 * exception (accepted, mitigated, false positive), every asset first
 * seen by `to`, the snapshots with day in [snap_from, to), and audit
 * event counts with `at` in [from, to). PL_E_TOOBIG past
 * PL_MAX_REPORT_FINDINGS findings. On failure *out is untouched.
 */
PL_NODISCARD pl_status pl_store_mx_load(struct pl_store *s, pl_time_t from, pl_time_t to,
                                        pl_time_t snap_from, struct pl_mx_data *out,
                                        struct pl_error *err);
void pl_mx_data_release(struct pl_mx_data *d);

/*
 * Take the backlog snapshot of the UTC day holding `now`: open findings as
 * of `now` (first_seen <= now and not resolved by then; false positives
 * never count) per tier and severity, with the overdue (due_at < now) and
 * KEV-listed (kev_added <= now) among them. A day with nothing open gets
 * one all-zero row (tier -2, severity 'unknown'). Replaces that day's
 * snapshot, so it is idempotent. *open (may be NULL) gets the open total.
 */
PL_NODISCARD pl_status pl_store_mx_snapshot(struct pl_store *s, pl_time_t now, int64_t *open,
                                            struct pl_error *err);

/*
 * Writers for generated histories (tests, `patchline demo`): insert one asset,
 * vulnerability or finding as given (ids of 0 are assigned; the assigned id is
 * stored back). Not for production data: the stages have their own writers.
 */
PL_NODISCARD pl_status pl_store_mx_put_asset(struct pl_store *s, struct pl_mx_asset *a,
                                             struct pl_error *err);
PL_NODISCARD pl_status pl_store_mx_put_vuln(struct pl_store *s, const char *id, pl_time_t published,
                                            pl_time_t first_seen, struct pl_error *err);
/* Uses asset_id, vuln_id, package, versions, status, tier, times, severity, mitigation. */
PL_NODISCARD pl_status pl_store_mx_put_finding(struct pl_store *s, struct pl_mx_finding *f,
                                               struct pl_error *err);

#endif /* PATCHLINE_STORE_H */
