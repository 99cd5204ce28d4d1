/*
 * eol_int.h - private to src/match: the end-of-life table (eol_data.c,
 * generated from endoflife.date) and its look-ups (eol.c).
 */
#ifndef PATCHLINE_EOL_INT_H
#define PATCHLINE_EOL_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "patchline/clock.h"
#include "patchline/store.h"

/* One release cycle of a product; end: "YYYY-MM-DD", "passed" (no date given) or "" (supported). */
struct pl__eol_cycle {
    const char *product, *cycle, *end, *latest;
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

/* How many cycles have ended at now: a scan state key that changes when an end date passes. */
unsigned pl__match_eol_epoch(pl_time_t now);

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
