/*
 * store_intel.h - the vulnerability intelligence part of the store interface (see store.h, which
 * includes this header: include store.h).
 */
#ifndef PATCHLINE_STORE_INTEL_H
#define PATCHLINE_STORE_INTEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "patchline/store.h"

/* ---- vulnerability intelligence (intel) ------------------------------- */
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
    /* where the fix is published when not in the public archive ("ubuntu-pro"); NULL: there */
    const char *fix_channel;
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

/*
 * Entries every catalogue (kev, epss) has ever listed and their removals
 * (feed_entries.c), read after a catalogue import's writer closed, inside
 * the same transaction (the writer noted the entries the file lists).
 */
struct pl_feed_entry_check {
    char **removed; /* entries listed before that the file no longer lists, sorted; owned */
    size_t n_removed;
    uint64_t known;  /* entries of the kind ever listed before this import */
    uint64_t window; /* removals since `since` not accepted with --force, plus n_removed */
};
/* What the import just read would remove (reads only). */
PL_NODISCARD pl_status pl_store_feed_entries_check(struct pl_store *s, const char *kind,
                                                   pl_time_t since, struct pl_feed_entry_check *out,
                                                   struct pl_error *err);
void pl_feed_entry_check_release(struct pl_feed_entry_check *c);
/*
 * Record the import feed_id at time `at`: the entries it lists (new ones are
 * first seen now) and one removal row per entry it no longer lists, marked
 * forced when the import was accepted with --force.
 */
PL_NODISCARD pl_status pl_store_feed_entries_record(struct pl_store *s, const char *kind,
                                                    int64_t feed_id, pl_time_t at, bool forced,
                                                    struct pl_error *err);

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
    /* vendor bulletins: the advisory id, and the ';'-joined versions that fix it (or NULL) */
    const char *advisory, *fixed_in;
};
PL_NODISCARD pl_status pl_intel_put_cpe(struct pl_intel_writer *w, const char *cve,
                                        const char *origin, const struct pl_cpe_entry *e,
                                        struct pl_error *err);

/*
 * Begin (or replace) one vendor bulletin of origin ("fortinet", "paloalto",
 * "cisco"): its stored match rows are deleted and its vulnerabilities are
 * known; the caller then adds its rows with pl_intel_put_cpe (advisory set).
 */
PL_NODISCARD pl_status pl_intel_vendor_advisory(struct pl_intel_writer *w, const char *origin,
                                                const char *advisory, const char *const *vulns,
                                                size_t n_vulns, struct pl_error *err);

/*
 * endoflife.date data (`feed import eol`): one release cycle of a product as
 * the product definitions give it. Dates are YYYY-MM-DD; eol, eoas, eoes
 * may also be "true" (ended, no date given); NULL: none (or false).
 */
struct pl_eol_cycle_row {
    const char *product, *cycle, *release_date, *eol, *eoas, *eoes, *latest, *latest_date;
};
PL_NODISCARD pl_status pl_store_eol_cycle_put(struct pl_store *s, int64_t feed_id,
                                              const struct pl_eol_cycle_row *c,
                                              struct pl_error *err);
/* One released version of a product and its date (release data's `versions`). */
PL_NODISCARD pl_status pl_store_eol_version_put(struct pl_store *s, int64_t feed_id,
                                                const char *product, const char *version,
                                                const char *released, struct pl_error *err);
typedef pl_status (*pl_eol_cycle_fn)(void *ctx, const struct pl_eol_cycle_row *c,
                                     struct pl_error *err);
/* Every imported cycle, by product and cycle (strings borrowed for the call). */
PL_NODISCARD pl_status pl_store_eol_cycles_each(struct pl_store *s, pl_eol_cycle_fn fn, void *ctx,
                                                struct pl_error *err);
/* The release date of an imported version into out ("" when not known). */
PL_NODISCARD pl_status pl_store_eol_version_date(struct pl_store *s, const char *product,
                                                 const char *version, char out[11],
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
/* The row of one fact in `vuln` and GET /api/v1/vulns/{id}. */
#define PL_VULN_N_COLS 8
extern const char *const pl_vuln_col_names[PL_VULN_N_COLS];
extern const enum pl_cell_type pl_vuln_col_types[PL_VULN_N_COLS];
struct pl_vuln_cells {
    const char *v[PL_VULN_N_COLS];
    char date[PL_TIME_STR_LEN];
};
/* The cells of f (pointers into f and c). */
void pl_vuln_cells(const struct pl_vuln_fact *f, struct pl_vuln_cells *c);

/* ---- Microsoft security updates (MSRC documents) ---------------------- */

/* One (CVE, product, vendor fix) of an MSRC document. Strings borrowed; NULL: none. */
struct pl_msrc_update {
    const char *document; /* CVRF id, "2026-Mar" */
    const char *cve, *product_id, *product, *product_key;
    const char *kb; /* "KB5078766", or the fix text */
    const char *subtype, *fixed_build, *supersedes, *restart, *severity, *cvss_vector, *url;
    double cvss_score;  /* < 0: none */
    pl_time_t released; /* the document's current release date, 0: unknown */
};

/* Forget every update row of document (before its rows are put again). */
PL_NODISCARD pl_status pl_store_msrc_clear(struct pl_store *s, const char *document,
                                           struct pl_error *err);
/* Store one update row (a repeated key keeps the first row). */
PL_NODISCARD pl_status pl_store_msrc_put(struct pl_store *s, int64_t feed_id,
                                         const struct pl_msrc_update *u, struct pl_error *err);

/* Microsoft's exploitation statement on one CVE in one document. */
struct pl_msrc_exploit {
    const char *cve, *document;
    pl_time_t released;
    bool publicly_disclosed, exploited;
    const char *assessment; /* "Exploitation Less Likely", or NULL */
};
/* Store e unless a statement from a later document is stored. */
PL_NODISCARD pl_status pl_store_msrc_exploit_put(struct pl_store *s, int64_t feed_id,
                                                 const struct pl_msrc_exploit *e,
                                                 struct pl_error *err);

#endif /* PATCHLINE_STORE_INTEL_H */
