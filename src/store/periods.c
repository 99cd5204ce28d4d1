/*
 * periods.c - the figures of closed reporting periods (period_reports,
 * migration 0026): written once, never updated.
 */
#include <stdio.h>
#include <string.h>

#include "patchline/store.h"

#include "db.h"
#include "store_int.h"

#define PERIOD_COLS                                                                               \
    "period, from_at, to_at, policy, taken_at, sla0_due, sla0_met, sla2_due, sla2_met, kev_due, " \
    "kev_met, mttp1_n, mttp1_mean_s, assets_known, assets_managed, backlog_open, "                \
    "backlog_overdue, kev_incidents, exceptions_active"

pl_status pl_store_period_put(struct pl_store *s, const struct pl_mx_period *p, const char *body,
                              int *added, struct pl_error *err)
{
    static const char sql[] =
        "INSERT INTO period_reports (" PERIOD_COLS ", body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (period, from_at) DO NOTHING RETURNING id";
    struct pl_stmt *st;
    int64_t id = 0;
    pl_status rc;
    int i = 1;

    *added = 0;
    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__store_bind_text(st, i++, p->period);
    pl__db_bind_int64(st, i++, p->from);
    pl__db_bind_int64(st, i++, p->to);
    pl__store_bind_text(st, i++, p->policy);
    pl__db_bind_int64(st, i++, p->taken_at);
    pl__db_bind_int64(st, i++, p->sla0_due);
    pl__db_bind_int64(st, i++, p->sla0_met);
    pl__db_bind_int64(st, i++, p->sla2_due);
    pl__db_bind_int64(st, i++, p->sla2_met);
    pl__db_bind_int64(st, i++, p->kev_due);
    pl__db_bind_int64(st, i++, p->kev_met);
    pl__db_bind_int64(st, i++, p->mttp1_n);
    pl__db_bind_double(st, i++, p->mttp1_mean);
    pl__db_bind_int64(st, i++, p->assets_known);
    pl__db_bind_int64(st, i++, p->assets_managed);
    pl__db_bind_int64(st, i++, p->backlog_open);
    pl__db_bind_int64(st, i++, p->backlog_overdue);
    pl__db_bind_int64(st, i++, p->kev_incidents);
    pl__db_bind_int64(st, i++, p->exceptions_active);
    pl__store_bind_text(st, i, body);
    rc = pl__store_step_id(s, st, "record a closed period", &id, err);
    pl__db_finalize(st);
    if (rc == PL_E_NOTFOUND) { /* recorded before: a closed period stays as it was */
        pl_error_clear(err);
        return PL_OK;
    }
    *added = rc == PL_OK;
    return rc;
}

pl_status pl_store_period_has(struct pl_store *s, const char *period, pl_time_t from, bool *has,
                              struct pl_error *err)
{
    static const char sql[] = "SELECT 1 FROM period_reports WHERE period = ? AND from_at = ?";
    struct pl_stmt *st;
    pl_status rc;
    int step;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__store_bind_text(st, 1, period);
    pl__db_bind_int64(st, 2, from);
    step = pl__db_step(st);
    *has = step == PL_DB_ROW;
    if (step != PL_DB_ROW && step != PL_DB_DONE)
        rc = pl__store_fail(s, err, "read closed periods");
    pl__db_finalize(st);
    return rc;
}

static void copy_text(char *dst, size_t size, const unsigned char *src)
{
    snprintf(dst, size, "%s", src ? (const char *)src : "");
}

pl_status pl_store_period_list(struct pl_store *s, const char *period, pl_time_t to,
                               struct pl_mx_period *out, size_t max, size_t *n,
                               struct pl_error *err)
{
    static const char sql[] = "SELECT " PERIOD_COLS " FROM period_reports WHERE period = ? AND "
                              "to_at <= ? ORDER BY from_at DESC LIMIT ?";
    struct pl_stmt *st;
    pl_status rc;
    int step;

    *n = 0;
    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__store_bind_text(st, 1, period);
    pl__db_bind_int64(st, 2, to);
    pl__db_bind_int64(st, 3, (int64_t)max);
    while ((step = pl__db_step(st)) == PL_DB_ROW && *n < max) {
        struct pl_mx_period *p = &out[(*n)++];
        int c = 0;

        memset(p, 0, sizeof(*p));
        copy_text(p->period, sizeof(p->period), pl__db_column_text(st, c++));
        p->from = pl__db_column_int64(st, c++);
        p->to = pl__db_column_int64(st, c++);
        copy_text(p->policy, sizeof(p->policy), pl__db_column_text(st, c++));
        p->taken_at = pl__db_column_int64(st, c++);
        p->sla0_due = pl__db_column_int64(st, c++);
        p->sla0_met = pl__db_column_int64(st, c++);
        p->sla2_due = pl__db_column_int64(st, c++);
        p->sla2_met = pl__db_column_int64(st, c++);
        p->kev_due = pl__db_column_int64(st, c++);
        p->kev_met = pl__db_column_int64(st, c++);
        p->mttp1_n = pl__db_column_int64(st, c++);
        p->mttp1_mean = pl__db_column_double(st, c++);
        p->assets_known = pl__db_column_int64(st, c++);
        p->assets_managed = pl__db_column_int64(st, c++);
        p->backlog_open = pl__db_column_int64(st, c++);
        p->backlog_overdue = pl__db_column_int64(st, c++);
        p->kev_incidents = pl__db_column_int64(st, c++);
        p->exceptions_active = pl__db_column_int64(st, c);
    }
    if (step != PL_DB_ROW && step != PL_DB_DONE)
        rc = pl__store_fail(s, err, "read closed periods");
    pl__db_finalize(st);
    return rc;
}
