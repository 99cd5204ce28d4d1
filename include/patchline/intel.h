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
};

struct pl_import_opts {
    bool force;       /* accept a catalogue that goes backwards or shrinks */
    bool progress;    /* report progress on stderr (a terminal) */
    int64_t feed_id;  /* the feeds row of this import (set by pl_feed_import) */
    const char *kind; /* the feed kind being imported (set by pl_feed_import) */
};

/*
 * An importer: reads the whole of r and records what it finds in s.
 * s is inside a transaction opened by the caller.
 */
typedef pl_status (*pl_intel_import_fn)(struct pl_store *s, struct pl_reader *r,
                                        const struct pl_import_opts *opts,
                                        struct pl_import_stats *stats, struct pl_error *err);

/* ---- feed registry and detection (feed.c) ----------------------------- */

/* ---- KEV, EPSS, NVD, CVE JSON 5 / Vulnrichment ------------------------ */

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

/* Content detection on the first n bytes: confidence 0..100. */
int pl_intel_detect_osv(const char *head, size_t n);
int pl_intel_detect_debian(const char *head, size_t n);
int pl_intel_detect_secdb(const char *head, size_t n);
int pl_intel_detect_csaf(const char *head, size_t n);

#endif /* PATCHLINE_INTEL_H */
