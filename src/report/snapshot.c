/*
 * snapshot.c - the daily backlog snapshot (`patchline snapshot`, the
 * server's), the trend's data point: taken and audited in one call.
 */
#include "patchline/report.h"

pl_status pl_report_snapshot(struct pl_store *s, pl_time_t now, int64_t *open, struct pl_error *err)
{
    char day[PL_TIME_STR_LEN];
    pl_status rc = pl_store_mx_snapshot(s, now, open, err);

    if (rc != PL_OK)
        return rc;
    return pl_store_audit(s, "snapshot", pl_date_format(now, day), NULL, err);
}

pl_status pl_report_snapshot_day(struct pl_store *s, pl_time_t now, const struct pl_policy *policy,
                                 int64_t *open, int *closed, struct pl_error *err)
{
    pl_status rc = pl_report_snapshot(s, now, open, err);

    if (rc != PL_OK)
        return rc;
    return pl_report_close_periods(s, now, policy, closed, err);
}
