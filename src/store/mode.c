/*
 * mode.c - real and simulated stores: the mode, for life, and the clock
 * rules that every state change passes through (docs/security.md).
 */
#include <stdio.h>
#include <string.h>

#include "store_int.h"

pl_status pl__store_mode_create(struct pl_store *s, bool simulated, struct pl_error *err)
{
    if (!simulated)
        return PL_OK;
    return pl__store_exec(s, "UPDATE store_mode SET mode = 'simulated' WHERE id = 1", err);
}

pl_status pl__store_mode_load(struct pl_store *s, struct pl_error *err)
{
    static const char sql[] = "SELECT mode FROM store_mode WHERE id = 1";
    struct pl_stmt *st;
    pl_status rc;
    int step;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    step = pl__db_step(st);
    if (step == PL_DB_ROW) {
        const unsigned char *m = pl__db_column_text(st, 0);

        s->simulated = m && strcmp((const char *)m, "simulated") == 0;
    } else if (step != PL_DB_DONE) {
        rc = pl__store_fail(s, err, "read store mode");
    }
    pl__db_finalize(st);
    if (rc != PL_OK)
        return rc;
    /* a real store opened with a set clock: what-if reads only, whatever the caller does */
    if (!s->simulated && pl_clock_simulated()) {
        if (pl__db_query_only(s->db, true) != PL_DB_OK)
            return pl__store_fail(s, err, "read-only view");
        s->query_only = true;
    }
    return PL_OK;
}

bool pl_store_simulated(const struct pl_store *s)
{
    return s->simulated;
}

const char *pl_store_mode_name(const struct pl_store *s)
{
    return s->simulated ? "simulated" : "real";
}

pl_status pl_store_latest_event(struct pl_store *s, pl_time_t *at, struct pl_error *err)
{
    static const char sql[] = "SELECT max(at) FROM audit_events";
    struct pl_stmt *st;
    pl_status rc;

    if ((rc = pl__store_cached(s, sql, &st, err)) != PL_OK)
        return rc;
    if (pl__db_step(st) == PL_DB_ROW)
        *at = pl__db_column_int64(st, 0); /* NULL (no event) reads as 0 */
    else
        rc = pl__store_fail(s, err, "latest event");
    pl__store_done(st);
    return rc;
}

pl_status pl_store_clock_check(struct pl_store *s, struct pl_error *err)
{
    char now[PL_TIME_STR_LEN], last[PL_TIME_STR_LEN];
    pl_time_t latest = 0;
    pl_status rc;

    if (!s->simulated) {
        if (!pl_clock_simulated())
            return PL_OK;
        return pl_error_set(err, PL_E_INVALID,
                            "store '%s' is real: it records state changes at the real time only; "
                            "--now and PATCHLINE_NOW serve reads (a what-if view), nothing was "
                            "changed",
                            s->path);
    }
    if ((rc = pl_store_latest_event(s, &latest, err)) != PL_OK)
        return rc;
    if (pl_clock_now() >= latest)
        return PL_OK;
    return pl_error_set(err, PL_E_INVALID,
                        "simulated clock %s is earlier than the latest event of store '%s' (%s): "
                        "a simulated clock never goes back, nothing was changed",
                        pl_time_format(pl_clock_now(), now), s->path, pl_time_format(latest, last));
}

pl_status pl_store_check_order(pl_time_t at, pl_time_t after, const char *what, const char *kind,
                               int64_t id, struct pl_error *err)
{
    char a[PL_TIME_STR_LEN], b[PL_TIME_STR_LEN];

    if (at >= after)
        return PL_OK;
    return pl_error_set(err, PL_E_INVALID, "%s at %s would precede %s %lld (%s): refused", what,
                        pl_time_format(at, a), kind, (long long)id, pl_time_format(after, b));
}

pl_status pl_store_whatif_begin(struct pl_store *s, struct pl_error *err)
{
    pl_status rc;

    if (s->tx_depth > 0)
        return pl_error_set(err, PL_E_INVALID, "a what-if view cannot start inside a transaction");
    if (s->query_only && pl__db_query_only(s->db, false) != PL_DB_OK)
        return pl__store_fail(s, err, "what-if view");
    if ((rc = pl__store_exec(s, "BEGIN", err)) != PL_OK) {
        if (s->query_only)
            (void)pl__db_query_only(s->db, true);
        return rc;
    }
    s->tx_depth = 1;
    s->tx_failed = false;
    s->whatif = true;
    return PL_OK;
}

void pl_store_whatif_end(struct pl_store *s)
{
    if (!s->whatif)
        return;
    (void)pl__db_rollback(s->db);
    s->tx_depth = 0;
    s->whatif = false;
    if (s->query_only)
        (void)pl__db_query_only(s->db, true);
}
