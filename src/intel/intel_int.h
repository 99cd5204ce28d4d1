/*
 * intel_int.h - private to src/intel: the registry of feed kinds.
 *
 * Kinds are listed in two tables so that the global catalogues (kinds_core.c:
 * kev, epss, nvd, cve5, vulnrichment) and the distribution/ecosystem
 * advisories (kinds_distro.c: osv, debian, alpine-secdb, csaf) can grow
 * independently; feed.c looks in both.
 */
#ifndef PATCHLINE_INTEL_INT_H
#define PATCHLINE_INTEL_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "patchline/intel.h"

struct pl__feed_kind {
    const char *name;    /* "kev", "osv", ... as given to `feed import KIND` */
    const char *summary; /* one line for help and `feed status` */
    pl_intel_import_fn import;
    /*
     * Content detection: given the first bytes of the (decompressed) file,
     * return a confidence 0 (not this kind) .. 100 (certainly). The highest
     * wins; ties and all-zero are an error asking for an explicit KIND.
     */
    int (*detect)(const char *head, size_t n);
};

/*
 * Note a date the feed states (its release date, an entry's date) for the
 * check against the system clock: kept in stats->latest with its field
 * (formatted only when t is a new latest).
 */
void pl__intel_note_date(struct pl_import_stats *stats, pl_time_t t, const char *fmt, ...)
    PL_PRINTF(3, 4);

/* Vendor bulletins (vendor.c): detection. */
int pl__intel_detect_fortinet(const char *head, size_t n);
int pl__intel_detect_paloalto(const char *head, size_t n);
int pl__intel_detect_cisco(const char *head, size_t n);
/* endoflife.date data (eol.c). */
int pl__intel_detect_eol(const char *head, size_t n);

/* NULL-name terminated tables. */
extern const struct pl__feed_kind pl__feed_kinds_core[];
extern const struct pl__feed_kind pl__feed_kinds_distro[];

#endif /* PATCHLINE_INTEL_INT_H */
