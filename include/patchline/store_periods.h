/*
 * store_periods.h - the figures of closed reporting periods (migration 0026):
 * written once when `patchline snapshot` closes a month or a quarter, read by
 * the reports' trends. Part of the store module (included by store.h).
 */
#ifndef PATCHLINE_STORE_PERIODS_H
#define PATCHLINE_STORE_PERIODS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "patchline/clock.h"
#include "patchline/error.h"

struct pl_store;

/* The headline figures of one closed period, as they were when it closed. */
struct pl_mx_period {
    char period[16]; /* "month" or "quarter" */
    pl_time_t from, to, taken_at;
    char policy[64];
    int64_t sla0_due, sla0_met, sla2_due, sla2_met, kev_due, kev_met;
    int64_t mttp1_n;
    double mttp1_mean; /* seconds, from first seen */
    int64_t assets_known, assets_managed, backlog_open, backlog_overdue, kev_incidents;
    int64_t exceptions_active;
};

/*
 * Record a closed period with its full JSON report (body). A period already
 * recorded stays as it was (*added = 0); else *added = 1. Its own transaction
 * when none is open.
 */
PL_NODISCARD pl_status pl_store_period_put(struct pl_store *s, const struct pl_mx_period *p,
                                           const char *body, int *added, struct pl_error *err);

/* Whether the period of this kind starting at `from` is recorded. */
PL_NODISCARD pl_status pl_store_period_has(struct pl_store *s, const char *period, pl_time_t from,
                                           bool *has, struct pl_error *err);

/*
 * The latest (at most max) recorded periods of a kind that ended by `to`,
 * newest first, into out (caller's array of max).
 */
PL_NODISCARD pl_status pl_store_period_list(struct pl_store *s, const char *period, pl_time_t to,
                                            struct pl_mx_period *out, size_t max, size_t *n,
                                            struct pl_error *err);

#endif /* PATCHLINE_STORE_PERIODS_H */
