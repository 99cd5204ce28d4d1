/*
 * intel.h - vulnerability intelligence: feed importers (KEV, EPSS, NVD,
 * CVE JSON 5 / Vulnrichment, OSV, Debian tracker, Alpine secdb, CSAF).
 *
 * Every importer reads through a pl_reader (the input front door), streams
 * (memory stays bounded on multi-GB inputs), and writes through the store
 * inside the caller's transaction: a failure leaves the store unchanged
 * once the caller rolls back. Errors name the file, the record and the field.
 */
#ifndef PATCHLINE_INTEL_H
#define PATCHLINE_INTEL_H

#include <stdbool.h>
#include <stdint.h>

#include "patchline/clock.h"
#include "patchline/error.h"
#include "patchline/escape.h"
#include "patchline/file.h"
#include "patchline/store.h"

/* What one import did. */
struct pl_import_stats {
    uint64_t records;   /* records read */
    uint64_t inserted;  /* new */
    uint64_t updated;   /* replaced by a newer record */
    uint64_t unchanged; /* already known, identical or older */
    uint64_t withdrawn; /* marked withdrawn */
    char version[64];   /* feed/catalogue version when the file has one */
    pl_time_t released; /* feed/catalogue date when the file has one, else 0 */
    /* the latest date the file states (its release date, KEV dateAdded, CSAF document
       dates) and where, for the check against the system clock: "field 'dateAdded' of CVE-..." */
    pl_time_t latest;
    char latest_field[96];
    uint64_t later; /* kev with as_of: entries added after as_of, left out */
};

/* What an import reports as it goes (to be shown as warnings; text from the feed: escape it). */
enum pl_feed_notice {
    PL_FEED_REMOVED, /* text: an entry the catalogue listed before and this file does not */
    PL_FEED_FORCED,  /* text: the message of a check that --force overrode */
};
typedef void (*pl_feed_notice_fn)(enum pl_feed_notice what, const char *kind, const char *text,
                                  void *data);

/* A feed's dates may run ahead of the system clock by this much (time zones, early releases). */
#define PL_FEED_FUTURE_SLACK ((int64_t)24 * 3600)
/* Removals from a catalogue are counted over this span against the shrink limit. */
#define PL_FEED_REMOVAL_WINDOW ((int64_t)30 * 86400)

struct pl_import_opts {
    bool force;               /* accept a feed that fails a check below (audited) */
    bool progress;            /* report progress on stderr (a terminal) */
    int64_t feed_id;          /* the feeds row of this import (set by pl_feed_import) */
    const char *kind;         /* the feed kind being imported (set by pl_feed_import) */
    pl_feed_notice_fn notice; /* may be NULL */
    void *notice_data;
    /* kev only, 0 for none: the catalogue as it stood at this time; entries whose dateAdded
       is later are left out (counted in stats.later) and the release date is at most this */
    pl_time_t as_of;
};

/*
 * An importer: reads the whole of r and records what it finds in s.
 * s is inside a transaction opened by the caller.
 */
typedef pl_status (*pl_intel_import_fn)(struct pl_store *s, struct pl_reader *r,
                                        const struct pl_import_opts *opts,
                                        struct pl_import_stats *stats, struct pl_error *err);

/* ---- feed registry and detection (feed.c) ----------------------------- */

/* Number of feed kinds known (core and distro tables), and each one's name and summary. */
size_t pl_feed_kind_count(void);
const char *pl_feed_kind_name(size_t i);
const char *pl_feed_kind_summary(size_t i);
bool pl_feed_kind_known(const char *kind);

/* First decompressed bytes looked at by detection. */
#define PL_FEED_SNIFF_BYTES ((size_t)64 * 1024)

/*
 * Detect the kind of a feed file from its first bytes (opens and closes it).
 * Stores a static kind name in *kind_out. PL_E_UNSUPPORTED (with the path
 * and "give the KIND") when no kind or several kinds fit equally.
 */
PL_NODISCARD pl_status pl_feed_detect(const char *path, const char **kind_out,
                                      struct pl_error *err);

/* What pl_feed_import did. */
struct pl_feed_result {
    struct pl_import_stats stats;
    char kind[32];
    char sha256[65];
    int64_t feed_id;
};

/*
 * Import one file of kind `kind` (NULL: detect; "-" needs a kind) into s,
 * inside the caller's transaction: records a feeds row (kind, version,
 * release date, counts, sha256 of the file, path, import time, simulated
 * clock) and an audit event. Refused with PL_E_CONFLICT unless opts->force
 * (then each overridden check is a PL_FEED_FORCED notice and in the audit):
 *  - any feed whose release date, or a date it states (KEV dateAdded, CSAF
 *    document dates), is more than PL_FEED_FUTURE_SLACK past the system
 *    clock (the real one: never --now);
 *  - a catalogue (kev, epss) whose version or release date goes backwards
 *    (a previous import dated in the future of the system clock does not
 *    count), or that has more than 1 % fewer records than the previous
 *    import, or whose removals over PL_FEED_REMOVAL_WINDOW (not accepted
 *    with --force) pass 1 % of the entries it ever listed.
 * Every entry a catalogue no longer lists is a PL_FEED_REMOVED notice.
 */
PL_NODISCARD pl_status pl_feed_import(struct pl_store *s, const char *kind, const char *path,
                                      const struct pl_import_opts *opts, struct pl_feed_result *res,
                                      struct pl_error *err);
/* The same, recording record_path (an upload's name on the client) as the feed's path. */
PL_NODISCARD pl_status pl_feed_import_as(struct pl_store *s, const char *kind, const char *path,
                                         const char *record_path, const struct pl_import_opts *opts,
                                         struct pl_feed_result *res, struct pl_error *err);

/*
 * The time a feed import is fresh from (for `feed status` ages and staleness):
 * its release date, unless it has none or it lies more than PL_FEED_FUTURE_SLACK
 * past the system clock `wall` (a feed from the future), then the import time.
 */
pl_time_t pl_feed_fresh_from(const struct pl_feed_row *r, pl_time_t wall);

/* A feed is stale when its data is older than this many days (feed status warns). */
#define PL_FEED_STALE_DAYS 7

/* The row of one feed kind in `feed status` and GET /api/v1/feeds. */
#define PL_FEED_STATUS_N_COLS 8
extern const char *const pl_feed_status_col_names[PL_FEED_STATUS_N_COLS];
extern const enum pl_cell_type pl_feed_status_col_types[PL_FEED_STATUS_N_COLS];
struct pl_feed_status_cells {
    const char *v[PL_FEED_STATUS_N_COLS];
    char released[PL_TIME_STR_LEN], records[24], imported[PL_TIME_STR_LEN], age[24];
    int64_t age_days;
    bool stale;
};
/* The cells of kind's latest import r (NULL: never imported) at now. */
void pl_feed_status_cells(const char *kind, const struct pl_feed_row *r, pl_time_t now,
                          struct pl_feed_status_cells *c);

/* ---- feed sync (sync.c) ------------------------------------------------ */

/* Largest download `feed sync` accepts (compressed bytes). */
#define PL_SYNC_MAX_BYTES ((uint64_t)4 * 1024 * 1024 * 1024)

/* The official URL of a kind (static), or NULL when it has none. */
const char *pl_feed_default_url(const char *kind);

struct pl_sync_opts {
    const char *url;    /* NULL: $PATCHLINE_FEED_<KIND>_URL, else the official URL */
    const char *tmpdir; /* folder for the download (the store's folder) */
    uint64_t max_bytes; /* 0: PL_SYNC_MAX_BYTES */
    struct pl_import_opts import;
};

struct pl_sync_result {
    char url[2048];
    long http_status;    /* 0 for file:// */
    bool not_modified;   /* 304: nothing imported */
    uint64_t downloaded; /* bytes */
    struct pl_feed_result import;
};

/*
 * Fetch kind's feed (https:// with TLS verification always on, or file://)
 * with If-None-Match / If-Modified-Since from the last sync, into a temp
 * file in opts->tmpdir capped at max_bytes, then import it like
 * pl_feed_import. The sync state is stored in s.
 */
PL_NODISCARD pl_status pl_feed_sync(struct pl_store *s, const char *kind,
                                    const struct pl_sync_opts *opts, struct pl_sync_result *res,
                                    struct pl_error *err);

/*
 * The feed kinds `feed sync` fetches when none is named (kev, epss): *n
 * gets their count; the array is static.
 */
const char *const *pl_feed_sync_default_kinds(size_t *n);

/*
 * The folder a sync of the store at store_path downloads into: the store
 * file's folder; for a database URL, $TMPDIR (when absolute) or /tmp.
 * "" when it does not fit in size bytes.
 */
void pl_feed_sync_dir(const char *store_path, char *dir, size_t size);

/* ---- KEV, EPSS, NVD, CVE JSON 5 / Vulnrichment ------------------------ */

/*
 * The importers of the global catalogues (pl_intel_import_fn). opts->feed_id
 * and opts->kind must be set (pl_feed_import does it).
 *  - kev: the CISA KEV catalogue JSON;
 *  - epss: the FIRST EPSS CSV (comment line, header, cve,epss,percentile);
 *  - nvd: NVD CVE API 2.0 responses (one or many pages);
 *  - nvd-cve: NVD CVE records as JSON lines, one bare `cve` object a line;
 *  - cve5: CVE JSON 5 records, one document or JSON lines (Vulnrichment).
 */
PL_NODISCARD pl_status pl_intel_import_kev(struct pl_store *s, struct pl_reader *r,
                                           const struct pl_import_opts *opts,
                                           struct pl_import_stats *stats, struct pl_error *err);
PL_NODISCARD pl_status pl_intel_import_epss(struct pl_store *s, struct pl_reader *r,
                                            const struct pl_import_opts *opts,
                                            struct pl_import_stats *stats, struct pl_error *err);
PL_NODISCARD pl_status pl_intel_import_nvd(struct pl_store *s, struct pl_reader *r,
                                           const struct pl_import_opts *opts,
                                           struct pl_import_stats *stats, struct pl_error *err);
PL_NODISCARD pl_status pl_intel_import_nvd_lines(struct pl_store *s, struct pl_reader *r,
                                                 const struct pl_import_opts *opts,
                                                 struct pl_import_stats *stats,
                                                 struct pl_error *err);
PL_NODISCARD pl_status pl_intel_import_cve5(struct pl_store *s, struct pl_reader *r,
                                            const struct pl_import_opts *opts,
                                            struct pl_import_stats *stats, struct pl_error *err);

/* ---- OSV, Debian tracker, Alpine secdb, CSAF (affected ranges) -------- */

/*
 * OSV: each file one record, a top-level array of records, or JSON lines.
 * One advisory per OSV id (feed "osv"); a newer `modified` replaces the
 * older record's rows. Ranges ECOSYSTEM and SEMVER become rows (one per
 * introduced/fixed or introduced/last_affected pair); GIT ranges are
 * ignored and counted in the log. Withdrawn records keep no rows.
 */
PL_NODISCARD pl_status pl_intel_import_osv(struct pl_store *s, struct pl_reader *r,
                                           const struct pl_import_opts *opts,
                                           struct pl_import_stats *stats, struct pl_error *err);

/*
 * Debian Security Tracker JSON ({source: {CVE: {releases: {codename:
 * {...}}}}}), streamed one source package at a time. One advisory per
 * (source, CVE), id "SOURCE/CVE"; rows per release, ecosystem
 * "debian:CODENAME", package_kind "source".
 */
PL_NODISCARD pl_status pl_intel_import_debian(struct pl_store *s, struct pl_reader *r,
                                              const struct pl_import_opts *opts,
                                              struct pl_import_stats *stats, struct pl_error *err);

/*
 * Alpine secdb (YAML) or its JSON variant (Alpine, Wolfi). One advisory per
 * (ecosystem, package), ecosystem "alpine:v3.15" (or "wolfi").
 */
PL_NODISCARD pl_status pl_intel_import_secdb(struct pl_store *s, struct pl_reader *r,
                                             const struct pl_import_opts *opts,
                                             struct pl_import_stats *stats, struct pl_error *err);

/*
 * CSAF 2.0 advisory or VEX document. One advisory per document
 * (tracking.id); rows per (CVE, ecosystem from the product CPE, package,
 * fixed EVR) for fixed, known_affected and known_not_affected products.
 */
PL_NODISCARD pl_status pl_intel_import_csaf(struct pl_store *s, struct pl_reader *r,
                                            const struct pl_import_opts *opts,
                                            struct pl_import_stats *stats, struct pl_error *err);

/*
 * Vendor bulletins for network appliances (kinds "fortinet", "paloalto",
 * "cisco"): JSON lines of Fortinet PSIRT CVRF, Palo Alto Networks CVE JSON 5
 * and Cisco CSAF 2.0 documents, stored as CPE match rows of that origin with
 * the advisory id (exact affected versions; PAN-OS ranges with their fixing
 * hotfixes) for the CPE matcher. A bulletin replaces its earlier rows.
 */
PL_NODISCARD pl_status pl_intel_import_fortinet(struct pl_store *s, struct pl_reader *r,
                                                const struct pl_import_opts *opts,
                                                struct pl_import_stats *stats,
                                                struct pl_error *err);
PL_NODISCARD pl_status pl_intel_import_paloalto(struct pl_store *s, struct pl_reader *r,
                                                const struct pl_import_opts *opts,
                                                struct pl_import_stats *stats,
                                                struct pl_error *err);
PL_NODISCARD pl_status pl_intel_import_cisco(struct pl_store *s, struct pl_reader *r,
                                             const struct pl_import_opts *opts,
                                             struct pl_import_stats *stats, struct pl_error *err);

/*
 * endoflife.date data (kind "eol"): the product definitions' release cycles
 * (eol_cycles) and the release data's dated versions (eol_versions).
 */
PL_NODISCARD pl_status pl_intel_import_eol(struct pl_store *s, struct pl_reader *r,
                                           const struct pl_import_opts *opts,
                                           struct pl_import_stats *stats, struct pl_error *err);

/*
 * Microsoft security update document (MSRC CVRF 1.1 XML, or the MSRC API's
 * JSON form). Update rows per (CVE, product, KB) in msrc_updates; one
 * advisory per (document, cumulative update) with affected rows in
 * ecosystem "msrc" (package: the product key, fixed: the fixed build);
 * Microsoft's CVSS and exploitation statement as facts of origin "msrc".
 */
PL_NODISCARD pl_status pl_intel_import_msrc(struct pl_store *s, struct pl_reader *r,
                                            const struct pl_import_opts *opts,
                                            struct pl_import_stats *stats, struct pl_error *err);

/*
 * The product key of an MSRC product name, as Windows assets name their
 * product: "Windows Server 2022 (Server Core installation)" -> "Windows
 * Server 2022", "Windows 11 Version 24H2 for x64-based Systems" -> "Windows
 * 11 Version 24H2". false when it does not fit in cap.
 */
bool pl_msrc_product_key(const char *name, char *out, size_t cap);

/*
 * yum/dnf updateinfo.xml (Amazon Linux ALAS, Rocky, Alma, Oracle, Fedora),
 * plain or compressed, or the JSON form of its entries (one per line). One
 * advisory per update id, a fixed row per binary package, ecosystem
 * "amazon:2", "rocky:9", ...; CVE references become aliases.
 */
PL_NODISCARD pl_status pl_intel_import_updateinfo(struct pl_store *s, struct pl_reader *r,
                                                  const struct pl_import_opts *opts,
                                                  struct pl_import_stats *stats,
                                                  struct pl_error *err);

/*
 * The Ubuntu Security CVE API ({"cves": [...]}): one advisory per CVE, a row
 * per (source package, release) with the tracker's status; fixes in Ubuntu
 * Pro pockets are marked "ubuntu-pro".
 */
PL_NODISCARD pl_status pl_intel_import_ubuntu_cve(struct pl_store *s, struct pl_reader *r,
                                                  const struct pl_import_opts *opts,
                                                  struct pl_import_stats *stats,
                                                  struct pl_error *err);

/* Content detection on the first n bytes: confidence 0..100. */
int pl_intel_detect_updateinfo(const char *head, size_t n);
int pl_intel_detect_ubuntu_cve(const char *head, size_t n);
int pl_intel_detect_osv(const char *head, size_t n);
int pl_intel_detect_debian(const char *head, size_t n);
int pl_intel_detect_secdb(const char *head, size_t n);
int pl_intel_detect_csaf(const char *head, size_t n);
int pl_intel_detect_msrc(const char *head, size_t n);

#endif /* PATCHLINE_INTEL_H */
