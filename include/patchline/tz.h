/*
 * tz.h - IANA time zones read from TZif files, without the C library's
 * global time-zone state (no TZ variable, no tzset, no localtime).
 *
 * A zone is loaded from $TZDIR/NAME (default /usr/share/zoneinfo/NAME)
 * through pl_file_read. TZif versions 1 to 4 are read: version 1 data, the
 * 64-bit data of version 2+ and the POSIX TZ footer string, which governs
 * instants after the last transition in the table. "UTC" and "Etc/UTC" are
 * built in and need no tzdata. Leap-second ("right/") zones are refused.
 *
 * Local civil time is carried as "local seconds": the seconds since the
 * epoch that the wall-clock reading would have in UTC (local midnight of
 * 1970-01-01 is 0). A loaded zone is immutable: lookups are thread-safe.
 */
#ifndef PATCHLINE_TZ_H
#define PATCHLINE_TZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "patchline/clock.h"
#include "patchline/error.h"

/* An abbreviation ("EST", "+0530") plus NUL. */
#define PL_TZ_ABBR_BYTES 16

/* What is in effect at one instant. */
struct pl_tz_info {
    int32_t utoff; /* seconds east of UTC */
    bool is_dst;
    char abbr[PL_TZ_ABBR_BYTES];
};

/* A rule date of a POSIX TZ string: Jn, n or Mm.w.d, with a local time. */
struct pl_tz_rule_date {
    char kind; /* 'J' (1-365, no Feb 29), 'N' (0-365), 'M' (month.week.day) */
    int n, mon, week, wday;
    int32_t secs; /* local time of day of the change, -167h..167h */
};

/* A parsed POSIX TZ string ("EST5EDT,M3.2.0,M11.1.0"). */
struct pl_tz_posix {
    struct pl_tz_info std, dst; /* dst unused when !has_dst */
    bool has_dst;
    struct pl_tz_rule_date start, end; /* start: std -> dst; end: dst -> std */
};

/* A loaded zone; opaque. */
struct pl_tz;

/* What to do with a local time that falls in a gap (clocks moved forward). */
enum pl_tz_gap {
    PL_TZ_GAP_AFTER, /* the first instant after the gap (the transition itself) */
    PL_TZ_GAP_SHIFT, /* read it with the offset before the gap (02:30 -> 03:30) */
    PL_TZ_GAP_ERROR, /* PL_E_NOTFOUND */
};

/* What to do with a local time that occurs twice (clocks moved back). */
enum pl_tz_fold {
    PL_TZ_FOLD_FIRST,  /* the earlier instant */
    PL_TZ_FOLD_SECOND, /* the later instant */
    PL_TZ_FOLD_ERROR,  /* PL_E_CONFLICT */
};

/* How a local time resolved: 0 instants (gap), 1, or 2 (fold). */
enum pl_tz_kind {
    PL_TZ_UNIQUE,
    PL_TZ_GAP,
    PL_TZ_FOLD,
};

/*
 * True when name is a safe zone name: 1 to PL_MAX_TZ_NAME_BYTES-1 bytes of
 * [A-Za-z0-9/_+-], no leading "/", no "." at all (so no ".."), no "//".
 */
bool pl_tz_name_valid(const char *name);

/*
 * Load zone `name` from $TZDIR or /usr/share/zoneinfo (UTC and Etc/UTC are
 * built in). PL_E_INVALID for a bad name, PL_E_NOTFOUND for an unknown zone,
 * PL_E_PARSE / PL_E_TOOBIG / PL_E_UNSUPPORTED for a bad file; the message
 * names the zone and the file. On success *out owns the zone (pl_tz_free).
 */
PL_NODISCARD pl_status pl_tz_load(const char *name, struct pl_tz **out, struct pl_error *err);

/*
 * Parse TZif bytes (the contents of a zoneinfo file) as zone `name`; `name`
 * is used in messages and by pl_tz_name only. Same errors as pl_tz_load.
 */
PL_NODISCARD pl_status pl_tz_parse(const char *name, const void *data, size_t len,
                                   struct pl_tz **out, struct pl_error *err);

/* Free a zone; NULL is a no-op. */
void pl_tz_free(struct pl_tz *tz);

/* The zone's name; borrowed. */
const char *pl_tz_name(const struct pl_tz *tz);

/* The offset, DST flag and abbreviation in effect at UTC instant t. */
void pl_tz_lookup(const struct pl_tz *tz, pl_time_t t, struct pl_tz_info *out);

/* Local seconds at UTC instant t (t + offset). */
int64_t pl_tz_to_local(const struct pl_tz *tz, pl_time_t t);

/*
 * Every instant whose local time is `local`, ascending, into out[0..1]; the
 * count (0, 1 or 2) in *n. When the count is 0, *gap_end is the first
 * instant after the gap (the transition) and *gap_before the offset in
 * effect before it.
 */
void pl_tz_instants(const struct pl_tz *tz, int64_t local, pl_time_t out[2], size_t *n,
                    pl_time_t *gap_end, int32_t *gap_before);

/*
 * Local civil time -> UTC with an explicit policy for skipped and repeated
 * local times. *kind_out (may be NULL) tells which case applied.
 */
PL_NODISCARD pl_status pl_tz_from_local(const struct pl_tz *tz, int64_t local, enum pl_tz_gap gap,
                                        enum pl_tz_fold fold, pl_time_t *out,
                                        enum pl_tz_kind *kind_out, struct pl_error *err);

/*
 * Parse a POSIX TZ string (the TZif footer form, with the version 3
 * extensions: hours up to 167 and negative in rule times). A DST zone
 * without rules uses the US rules M3.2.0,M11.1.0. PL_E_PARSE naming the
 * string on anything else.
 */
PL_NODISCARD pl_status pl_tz_posix_parse(const char *s, struct pl_tz_posix *out,
                                         struct pl_error *err);

/* What a POSIX rule has in effect at UTC instant t. */
void pl_tz_posix_lookup(const struct pl_tz_posix *p, pl_time_t t, struct pl_tz_info *out);

/*
 * The first change of offset, DST flag or abbreviation strictly after t
 * under a POSIX rule; false when the rule has no DST.
 */
bool pl_tz_posix_next(const struct pl_tz_posix *p, pl_time_t t, pl_time_t *out);

#endif /* PATCHLINE_TZ_H */
