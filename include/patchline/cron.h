/*
 * cron.h - schedule expressions for maintenance windows: five-field cron
 * (Vixie syntax with L, nL and n#k), AWS cron(...) with six fields, and
 * rate(N unit); evaluated in an IANA time zone (tz.h).
 *
 * A parsed expression is a plain value (no pointers): copy it freely.
 * Evaluation is pure and thread-safe. See docs/windows.md for the syntax and
 * the daylight-saving policy, docs/internals/cron.md for the design.
 */
#ifndef PATCHLINE_CRON_H
#define PATCHLINE_CRON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "patchline/clock.h"
#include "patchline/error.h"
#include "patchline/tz.h"

/* Years an AWS cron() year field may name. */
#define PL_CRON_YEAR_MIN 1970
#define PL_CRON_YEAR_MAX 2199
/* Years searched for a start of a five-field expression (the Gregorian cycle). */
#define PL_CRON_SEARCH_YEARS 400

enum pl_cron_kind {
    PL_CRON_VIXIE, /* "m h dom mon dow" */
    PL_CRON_AWS,   /* "cron(m h dom mon dow year)" */
    PL_CRON_RATE,  /* "rate(N unit)" */
};

struct pl_cron {
    enum pl_cron_kind kind;
    uint64_t minutes;  /* bit m: minute m (0-59) */
    uint32_t hours;    /* bit h (0-23) */
    uint32_t mdays;    /* bit d (1-31) */
    uint32_t wdays_w;  /* bit d: nearest weekday to day d (dW) */
    uint16_t months;   /* bit m (1-12) */
    uint8_t wdays;     /* bit w: weekday w, 0 = Sunday */
    uint8_t wdays_l;   /* bit w: last weekday w of the month (wL) */
    uint8_t nth[7];    /* per weekday, bit k: k-th such weekday (w#k), k 1-5 */
    bool mday_last;    /* L in day-of-month */
    bool mday_lw;      /* LW: last weekday (Mon-Fri) of the month */
    bool mday_star;    /* day-of-month starts with '*' (or is '?') */
    bool wday_star;    /* day-of-week starts with '*' (or is '?') */
    bool fixed_time;   /* neither minute nor hour starts with '*' (see docs/windows.md) */
    uint64_t years[4]; /* AWS: bit y-1970 */
    int64_t rate_secs; /* rate(): the period */
};

/*
 * Parse expr: "cron(...)" is AWS, "rate(...)" a rate, anything else five
 * Vixie fields. PL_E_PARSE with a message naming the field and token, e.g.
 * "cron: field 'day-of-week': '8' out of range 0-7".
 */
PL_NODISCARD pl_status pl_cron_parse(const char *expr, struct pl_cron *out, struct pl_error *err);

/*
 * The first start strictly after `after` in zone tz (rate(): after + the
 * period). PL_E_NOTFOUND when there is none within the search bound
 * ("cron: no start time after ... within 400 years ...").
 */
PL_NODISCARD pl_status pl_cron_next(const struct pl_cron *c, const struct pl_tz *tz,
                                    pl_time_t after, pl_time_t *out, struct pl_error *err);

/*
 * An iterator over successive starts; a plain value, no release needed.
 * About 92 KiB (the pending starts of four local days): allocate it rather
 * than putting it on a small stack.
 */
struct pl_cron_iter {
    const struct pl_cron *cron;
    const struct pl_tz *tz;
    pl_time_t last;                 /* the last start returned (or `after`) */
    int64_t day;                    /* next local day to scan (days since the epoch) */
    int64_t end_day;                /* scan bound */
    int64_t end_day_max;            /* 9999-12-31 */
    pl_time_t buf[4 * 2 * 24 * 60]; /* pending starts, sorted: up to 4 local days */
    size_t n_buf, i_buf;
};

/*
 * Start iterating after `after`. rate() starts are after + k * period,
 * k = 1, 2, ...: the schedule is anchored at `after`.
 */
void pl_cron_iter_init(struct pl_cron_iter *it, const struct pl_cron *c, const struct pl_tz *tz,
                       pl_time_t after);

/* The next start; PL_E_NOTFOUND when the schedule has no more within the bound. */
PL_NODISCARD pl_status pl_cron_iter_next(struct pl_cron_iter *it, pl_time_t *out,
                                         struct pl_error *err);

/*
 * A maintenance window: what a plan file will hold. The start times come
 * from the cron expression in tz, moved `offset_days` local days later
 * (AWS ScheduleOffset), skipping starts whose local date is a blackout
 * date. duration, cutoff and the limits are carried for the planner.
 */
struct pl_window {
    struct pl_cron cron;
    const struct pl_tz *tz; /* borrowed */
    int offset_days;        /* 0-6 in AWS; any 0-365 here */
    int64_t duration_secs;
    int64_t cutoff_secs;
    const int64_t *blackout_days; /* local dates (days since the epoch), borrowed */
    size_t n_blackout;
    char max_concurrency[16]; /* "10" or "10%" */
    char max_errors[16];
};

/*
 * The next n starts of w strictly after `after`, ascending, into out.
 * PL_E_NOTFOUND (with the count found so far in *n_out) when the schedule
 * ends first; PL_E_INVALID when n exceeds PL_MAX_WINDOW_COUNT, the offset is
 * outside 0-365 or set on a rate(); PL_E_TOOBIG for more than
 * PL_MAX_WINDOW_BLACKOUTS blackout dates.
 */
PL_NODISCARD pl_status pl_window_next(const struct pl_window *w, pl_time_t after, size_t n,
                                      pl_time_t *out, size_t *n_out, struct pl_error *err);

#endif /* PATCHLINE_CRON_H */
