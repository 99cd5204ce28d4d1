/*
 * clock.h - ISO 8601 timestamps, durations and the clock.
 *
 * Times are seconds since the Unix epoch, UTC (int64_t). The clock can be
 * set (--now, PATCHLINE_NOW): every clock-dependent result then derives from
 * that time, so tests and reports are reproducible; the real time is still
 * available for audit records. Pure functions are thread-safe; the clock
 * setter is not.
 */
#ifndef PATCHLINE_CLOCK_H
#define PATCHLINE_CLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "patchline/error.h"

typedef int64_t pl_time_t;

/* "YYYY-MM-DDTHH:MM:SSZ" plus NUL. */
#define PL_TIME_STR_LEN 21

/*
 * Parse an ISO 8601 time in UTC or with an offset: "2026-11-29",
 * "2026-11-29T10:00", "2026-11-29T10:00:00Z", "2026-11-29 10:00:00+01:00",
 * fractions of a second are accepted and dropped. A date alone is midnight
 * UTC. PL_E_PARSE on anything else (with the offending text in err).
 */
PL_NODISCARD pl_status pl_time_parse(const char *s, pl_time_t *out, struct pl_error *err);

/* Format t as "YYYY-MM-DDTHH:MM:SSZ" into buf (at least PL_TIME_STR_LEN bytes); returns buf. */
char *pl_time_format(pl_time_t t, char *buf);

/* Format only the date "YYYY-MM-DD" into buf (at least 11 bytes); returns buf. */
char *pl_date_format(pl_time_t t, char *buf);

/* Days since the epoch for a civil date, and back (proleptic Gregorian). */
int64_t pl_days_from_civil(int64_t y, unsigned m, unsigned d);
void pl_civil_from_days(int64_t days, int64_t *y, unsigned *m, unsigned *d);

/*
 * Parse a duration: a positive number followed by s, m, h, d or w
 * ("24h", "7d", "90d", "2w"); several parts may follow each other ("1d12h").
 * Stores seconds in *out. PL_E_PARSE on anything else.
 */
PL_NODISCARD pl_status pl_duration_parse(const char *s, int64_t *out, struct pl_error *err);

/* Format a duration compactly ("7d", "1d12h", "0s") into buf (>= 32 bytes); returns buf. */
char *pl_duration_format(int64_t secs, char *buf, size_t size);

/*
 * The effective clock: the set time if one was set, else the real time.
 * pl_clock_simulated() tells whether a time was set.
 */
pl_time_t pl_clock_now(void);
pl_time_t pl_clock_real(void);
bool pl_clock_simulated(void);
void pl_clock_set(pl_time_t t);
void pl_clock_unset(void);

/*
 * Set the clock from PATCHLINE_NOW when present. PL_E_PARSE names the
 * variable when its value is malformed.
 */
PL_NODISCARD pl_status pl_clock_from_env(struct pl_error *err);

#endif /* PATCHLINE_CLOCK_H */
