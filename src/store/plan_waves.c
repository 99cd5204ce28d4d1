/*
 * plan_waves.c - reading stored waves and their findings; approvals.
 */
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

/* The wave's rejection (plan reject): at most one. */
#define REJECTION(col)                                                                     \
    "(SELECT " col " FROM plan_rejections r WHERE r.plan_id = w.plan_id AND r.wave_seq = " \
    "w.seq ORDER BY r.id LIMIT 1)"

/* The first approval of a kind that covers a wave (its own or the plan's). */
#define APPROVAL(col, kind)                                                                 \
    "(SELECT " col " FROM approvals a WHERE a.plan_id = w.plan_id AND a.kind = '" kind "' " \
    "AND (a.wave_seq IS NULL OR a.wave_seq = w.seq) ORDER BY a.id LIMIT 1)"

static void read_wave(struct pl_stmt *st, struct pl_wave_row *w)
{
    char **text[] = {&w->lane,     &w->environment, &w->ring_name,    &w->window_name,
                     &w->sign_off, &w->max_errors,  &w->health_check, &w->regression_test,
                     &w->packages, &w->approved_by, &w->signed_off_by};

    memset(w, 0, sizeof(*w));
    w->id = pl__db_column_int64(st, 0);
    w->plan_id = pl__db_column_int64(st, 1);
    w->seq = pl__db_column_int(st, 2);
    for (size_t i = 0; i < PL_ARRAY_LEN(text); i++)
        *text[i] = pl__store_col_strdup(st, (int)i + 3);
    w->ring = pl__db_column_int(st, 14);
    w->tier = pl__db_column_int(st, 15);
    w->starts_at = pl__db_column_int64(st, 16);
    w->ends_at = pl__db_column_int64(st, 17);
    w->needs_approval = pl__db_column_int(st, 18) != 0;
    w->watch_secs = pl__db_column_int64(st, 19);
    w->halt_failure_rate =
        pl__db_column_type(st, 20) == PL_DB_NULL ? -1.0 : pl__db_column_double(st, 20);
    w->n_assets = pl__db_column_int64(st, 21);
    w->n_findings = pl__db_column_int64(st, 22);
    w->approved_at = pl__db_column_int64(st, 23);
    w->signed_off_at = pl__db_column_int64(st, 24);
    w->rejected_by = pl__store_col_strdup(st, 25);
    w->reject_reason = pl__store_col_strdup(st, 26);
    w->rejected_at = pl__db_column_int64(st, 27);
}

pl_status pl_store_wave_list(struct pl_store *s, int64_t plan_id, struct pl_wave_row **out,
                             size_t *n, struct pl_error *err)
{
    static const char sql[] =
        "SELECT w.id, w.plan_id, w.seq, w.lane, w.environment, w.ring_name, w.window_name, "
        "w.sign_off, w.max_errors, w.health_check, w.regression_test, "
        "(SELECT group_concat(p, ', ') FROM (SELECT DISTINCT package || '=' || fixed_version "
        "AS p FROM wave_items i WHERE i.wave_id = w.id ORDER BY p) AS ps), " APPROVAL("actor", "approve") ", " APPROVAL(
            "actor",
            "sign-off") ", "
                        "w.ring, w.tier, w.starts_at, "
                        "w.ends_at, w.needs_approval, "
                        "w.watch_secs, "
                        "w.halt_failure_rate, "
                        "(SELECT count(DISTINCT asset_id) FROM wave_items i WHERE i.wave_id = w.id), "
                        "(SELECT count(*) FROM wave_items i WHERE i.wave_id = w.id), " APPROVAL("at", "approve") ", " APPROVAL(
                            "at",
                            "sign-off") ", " REJECTION("actor") ", " REJECTION("reason") ", " REJECTION("at") " FROM waves w WHERE w.plan_id = ? "
                                                                                                              "ORDER BY w.seq";
    struct pl_wave_row *rows = NULL;
    size_t cnt = 0, cap = 0;
    struct pl_stmt *st;
    pl_status rc;
    int step;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, plan_id);
    while ((step = pl__db_step(st)) == PL_DB_ROW) {
        rows = pl_xgrow(rows, cnt, &cap, 16, sizeof(*rows));
        read_wave(st, &rows[cnt++]);
    }
    if (step != PL_DB_DONE) {
        rc = pl__store_fail(s, err, "wave list");
        pl_wave_rows_release(rows, cnt);
    } else {
        *out = rows;
        *n = cnt;
    }
    pl__db_finalize(st);
    return rc;
}

void pl_wave_rows_release(struct pl_wave_row *w, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char *text[] = {w[i].lane,     w[i].environment, w[i].ring_name,    w[i].window_name,
                        w[i].sign_off, w[i].max_errors,  w[i].health_check, w[i].regression_test,
                        w[i].packages, w[i].approved_by, w[i].signed_off_by};

        for (size_t k = 0; k < PL_ARRAY_LEN(text); k++)
            free(text[k]);
        free(w[i].rejected_by);
        free(w[i].reject_reason);
    }
    free(w);
}

pl_status pl_store_wave_items(struct pl_store *s, int64_t wave_id, struct pl_wave_item_row **out,
                              size_t *n, struct pl_error *err)
{
    static const char sql[] =
        "SELECT i.finding_id, i.asset_id, a.name, f.vuln_id, i.package, i.fixed_version, f.feed_ref, "
        "f.advisory_ref, f.installed_version, a.kind FROM wave_items i JOIN assets a ON a.id = i.asset_id "
        "JOIN findings f ON f.id = i.finding_id WHERE i.wave_id = ? "
        "ORDER BY a.name, i.asset_id, i.package, f.vuln_id";
    struct pl_wave_item_row *rows = NULL;
    size_t cnt = 0, cap = 0;
    struct pl__text_names *names;
    struct pl_stmt *st;
    pl_status rc;
    int step = PL_DB_DONE;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, wave_id);
    names = pl__text_names_open(s); /* the feed and advisory by reference (0041) */
    while (rc == PL_OK && (step = pl__db_step(st)) == PL_DB_ROW) {
        struct pl_wave_item_row *r;

        rows = pl_xgrow(rows, cnt, &cap, 16, sizeof(*rows));
        r = &rows[cnt++];
        r->finding_id = pl__db_column_int64(st, 0);
        r->asset_id = pl__db_column_int64(st, 1);
        r->asset_name = pl__store_col_strdup(st, 2);
        r->vuln_id = pl__store_col_strdup(st, 3);
        r->package = pl__store_col_strdup(st, 4);
        r->fixed_version = pl__store_col_strdup(st, 5);
        r->installed = pl__store_col_strdup(st, 8);
        r->asset_kind = pl__store_col_strdup(st, 9);
        if ((rc = pl__text_names_col(names, st, 6, &r->feed, err)) == PL_OK)
            rc = pl__text_names_col(names, st, 7, &r->advisory, err);
    }
    pl__text_names_close(names);
    if (rc == PL_OK && step != PL_DB_DONE)
        rc = pl__store_fail(s, err, "wave items");
    if (rc != PL_OK) {
        pl_wave_item_rows_release(rows, cnt);
    } else {
        *out = rows;
        *n = cnt;
    }
    pl__db_finalize(st);
    return rc;
}

void pl_wave_item_rows_release(struct pl_wave_item_row *it, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(it[i].asset_name);
        free(it[i].vuln_id);
        free(it[i].package);
        free(it[i].fixed_version);
        free(it[i].feed);
        free(it[i].advisory);
        free(it[i].installed);
        free(it[i].asset_kind);
    }
    free(it);
}

pl_status pl_store_approval_insert(struct pl_store *s, int64_t plan_id, int wave_seq,
                                   const char *kind, const char *actor, pl_time_t at,
                                   struct pl_error *err)
{
    static const char sql[] = "INSERT INTO approvals (plan_id, wave_seq, kind, actor, at, at_real) "
                              "VALUES (?, ?, ?, ?, ?, ?)";
    struct pl_stmt *st;
    pl_status rc;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, plan_id);
    pl__store_bind_opt_i64(st, 2, wave_seq, wave_seq <= 0);
    pl__store_bind_text(st, 3, kind);
    pl__store_bind_text(st, 4, actor);
    pl__db_bind_int64(st, 5, at);
    pl__db_bind_int64(st, 6, pl_clock_real());
    if (pl__db_step(st) != PL_DB_DONE)
        rc = pl__store_fail(s, err, "approval insert");
    pl__db_finalize(st);
    return rc;
}

pl_status pl_store_rejection_insert(struct pl_store *s, int64_t plan_id, int wave_seq,
                                    const char *actor, const char *reason, pl_time_t at,
                                    struct pl_error *err)
{
    static const char sql[] = "INSERT INTO plan_rejections (plan_id, wave_seq, actor, reason, at, "
                              "at_real) VALUES (?, ?, ?, ?, ?, ?)";
    struct pl_stmt *st;
    pl_status rc;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, plan_id);
    pl__db_bind_int(st, 2, wave_seq);
    pl__store_bind_text(st, 3, actor);
    pl__store_bind_text(st, 4, reason);
    pl__db_bind_int64(st, 5, at);
    pl__db_bind_int64(st, 6, pl_clock_real());
    if (pl__db_step(st) != PL_DB_DONE)
        rc = pl__store_fail(s, err, "rejection insert");
    pl__db_finalize(st);
    return rc;
}

pl_status pl_store_plans_awaiting(struct pl_store *s, size_t limit, int64_t **ids, size_t *n,
                                  struct pl_error *err)
{
    static const char sql[] =
        "SELECT DISTINCT w.plan_id FROM waves w WHERE w.needs_approval = 1 AND " APPROVAL(
            "actor", "approve") " IS NULL AND " REJECTION("actor") " IS NULL "
                                                                   "ORDER BY w.plan_id DESC "
                                                                   "LIMIT ?";
    int64_t *l = NULL;
    size_t k = 0, cap = 0;
    struct pl_stmt *st;
    pl_status rc;
    int step;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, (int64_t)limit);
    while ((step = pl__db_step(st)) == PL_DB_ROW) {
        l = pl_xgrow(l, k, &cap, 16, sizeof(*l));
        l[k++] = pl__db_column_int64(st, 0);
    }
    if (step != PL_DB_DONE) {
        rc = pl__store_fail(s, err, "plans awaiting approval");
        free(l);
    } else {
        *ids = l;
        *n = k;
    }
    pl__db_finalize(st);
    return rc;
}
