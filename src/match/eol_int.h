/*
 * eol_int.h - private to src/match: the end-of-life table (eol_data.c,
 * generated from endoflife.date) and its look-ups (eol.c).
 */
#ifndef PATCHLINE_EOL_INT_H
#define PATCHLINE_EOL_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "patchline/clock.h"
#include "patchline/store.h"

/*
 * One release cycle of a product; end: "YYYY-MM-DD", "passed" (no date given) or "" (supported);
 * released: the cycle's first release, latest_date: its latest version's ("YYYY-MM-DD" or "").
 */
struct pl__eol_cycle {
    const char *product, *cycle, *end, *latest, *released, *latest_date;
};

extern const struct pl__eol_cycle pl__eol_cycles[];
extern const size_t pl__eol_n_cycles;

/* The date the table was taken from endoflife.date (its provenance in evidence). */
extern const char pl__eol_table_date[];

/*
 * Use the cycles `feed import eol` stored (pl_store_eol_cycles_each): each
 * imported product's cycles replace the shipped ones; the shipped table
 * stays for the rest. Nothing imported: the shipped table. Released by
 * pl__match_eol_release (the shipped table again).
 */
PL_NODISCARD pl_status pl__match_eol_load(struct pl_store *s, struct pl_error *err);
void pl__match_eol_release(void);
/* Where the table in use comes from: the shipped table's date, or "feed import". */
const char *pl__match_eol_source(void);

/*
 * The cycle of product that version belongs to: the shortest cycle equal to
 * the version or a prefix of it up to a dot ("11" for 11.22, "5.7" for
 * 5.7.44); NULL when none.
 */
const struct pl__eol_cycle *pl__match_eol_cycle_of(const char *product, const char *version);

/* Whether the cycle's security support has ended at now; its end date into *when (0: none given).
 */
bool pl__match_eol_ended(const struct pl__eol_cycle *c, pl_time_t now, pl_time_t *when);

/*
 * The remedy for cycle: product's supported cycle of the same family (the
 * letters before the first digit: python for python3.8, none for 11) whose
 * support ends first after now (shortest name on ties); NULL when none.
 */
const struct pl__eol_cycle *pl__match_eol_remedy(const char *product, const char *cycle,
                                                 pl_time_t now);

/* The endoflife.date product of software known by CPE "vendor:product" ("fortios"); NULL: none. */
const char *pl__match_eol_cpe_product(const char *vendor_product);

/* The product map's class of an endoflife.date product ("network-appliance" for fortios). */
const char *pl__match_eol_class(const char *product);

/* A release date and what was dated, for the policy's release_age and fix clock. */
struct pl__eol_date {
    char date[11];   /* YYYY-MM-DD */
    char what[160];  /* "fortios 6.4.4", "fortios release line 6.4 (first release; ...)" */
    char source[64]; /* "endoflife.date release data", "endoflife.date 2026-08-22" */
};

/*
 * When product's version was released: the imported release data's date (s; NULL: none) of
 * the version, else the cycle's latest version's date when it is that
 * version, else the cycle's first release when the version is the cycle
 * itself; with line, else the first release of the version's release line
 * (the cycle: an upper bound of the version's age). false when not known.
 */
bool pl__match_eol_released(struct pl_store *s, const char *product, const char *version, bool line,
                            struct pl__eol_date *out);

/*
 * A 32-bit digest of the shipped end-of-life tables this build carries (their dates and
 * versions): part of the scan state key, so that another build's tables rescan every asset.
 * Dates passing are followed per asset (the window of pl__asset_scan), imported tables by the
 * feeds generation.
 */
uint32_t pl__match_eol_tables_digest(void);

/*
 * A Debian source package whose security support ended before its
 * release's end (debian-security-support, dss_data.c): release "12",
 * source name (prefix: every source starting with it), the last supported
 * version, the end date YYYY-MM-DD, the details.
 */
struct pl__dss_ended {
    const char *release, *source;
    bool prefix;
    const char *last_version, *end, *details;
};

extern const struct pl__dss_ended pl__dss_ended[];
extern const size_t pl__dss_n_ended;
extern const char pl__dss_version[]; /* the debian-security-support version */

#endif /* PATCHLINE_EOL_INT_H */
