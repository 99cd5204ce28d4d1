/*
 * metrics.c - every SQL statement of the measure stage: the rows a report
 * reads, the daily backlog snapshot, and writers for generated histories.
 */
#include <stdlib.h>
#include <string.h>

#include "patchline/limits.h"

#include "store_obs.h"

static const char *const status_names[PL_MX_N_STATUS] = {
    [PL_MX_OPEN] = "open",
    [PL_MX_FIXED] = "fixed",
    [PL_MX_MITIGATED] = "mitigated",
    [PL_MX_ACCEPTED] = "accepted",
    [PL_MX_FALSE_POSITIVE] = "false-positive",
    [PL_MX_PACKAGE_REMOVED] = "package-removed",
    [PL_MX_ASSET_RETIRED] = "asset-retired",
    [PL_MX_AWAITING_REPO] = "awaiting-repo",
};

const char *pl_mx_status_name(enum pl_mx_status st)
{
    return (unsigned)st < PL_MX_N_STATUS ? status_names[st] : "?";
}

static enum pl_mx_status status_parse(const unsigned char *t)
{
    for (int i = 0; i < PL_MX_N_STATUS; i++)
        if (t && strcmp((const char *)t, status_names[i]) == 0)
            return (enum pl_mx_status)i;
    return PL_MX_OPEN; /* disputed and not-affected findings are not read (findings_sql) */
}

static pl_time_t col_time(struct pl_stmt *st, int i)
{
    return pl__db_column_type(st, i) == PL_DB_NULL ? PL_MX_NONE : pl__db_column_int64(st, i);
}

static const char findings_sql[] =
    "SELECT f.id, f.asset_id, a.name, a.environment, f.vuln_id, f.package, f.installed_version,"
    " f.fixed_version, f.severity, f.mitigated_by, f.status,"
    " CASE WHEN f.unscored = 1 THEN -1 WHEN f.tier IS NULL THEN -2 ELSE f.tier END,"
    " f.first_seen, f.resolved_at, f.due_at, f.kev_added, f.mitigated_until,"
    " COALESCE(f.disclosed_at, v.published, v.first_seen), f.reopened_count, f.marker_ref"
    " FROM findings f JOIN assets a ON a.id = f.asset_id"
    " LEFT JOIN vulnerabilities v ON v.id = f.vuln_id"
    " WHERE f.first_seen <= ?2 AND f.status NOT IN ('disputed', 'not-affected')"
    " AND (f.resolved_at IS NULL OR f.resolved_at >= ?1"
    " OR f.due_at >= ?1 OR f.status IN ('accepted', 'mitigated', 'false-positive')) ORDER BY f.id";

/* The marker by reference (0041): its text through names. */
static pl_status finding_row(struct pl_stmt *st, struct pl__text_names *names,
                             struct pl_mx_finding *f, struct pl_error *err)
{
    f->id = pl__db_column_int64(st, 0);
    f->asset_id = pl__db_column_int64(st, 1);
    f->asset = pl__store_col_strdup(st, 2);
    f->environment = pl__store_col_strdup(st, 3);
    f->vuln_id = pl__store_col_strdup(st, 4);
    f->package = pl__store_col_strdup(st, 5);
    f->installed_version = pl__store_col_strdup(st, 6);
    f->fixed_version = pl__store_col_strdup(st, 7);
    f->severity = pl__store_col_strdup(st, 8);
    f->mitigated_by = pl__store_col_strdup(st, 9);
    f->status = status_parse(pl__db_column_text(st, 10));
    f->tier = pl__db_column_int(st, 11);
    f->first_seen = pl__db_column_int64(st, 12);
    f->resolved_at = col_time(st, 13);
    f->due_at = col_time(st, 14);
    f->kev_added = col_time(st, 15);
    f->mitigated_until = col_time(st, 16);
    f->disclosed = col_time(st, 17);
    f->reopened_count = pl__db_column_int(st, 18);
    return pl__text_names_col(names, st, 19, &f->marker, err);
}

static pl_status load_findings(struct pl_store *s, pl_time_t from, pl_time_t to,
                               struct pl_mx_data *d, struct pl_error *err)
{
    size_t cap = 0;
    struct pl__text_names *names;
    struct pl_stmt *st;
    pl_status rc;
    int step = PL_DB_DONE;

    if ((rc = pl__store_prepare(s, findings_sql, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, from);
    pl__db_bind_int64(st, 2, to);
    names = pl__text_names_open(s);
    while (rc == PL_OK && (step = pl__db_step(st)) == PL_DB_ROW) {
        if (d->n_findings == PL_MAX_REPORT_FINDINGS) {
            rc = pl_error_set(err, PL_E_TOOBIG, "report: more than %zu findings in the period",
                              PL_MAX_REPORT_FINDINGS);
            break;
        }
        d->findings = pl_xgrow(d->findings, d->n_findings, &cap, 64, sizeof(*d->findings));
        rc = finding_row(st, names, &d->findings[d->n_findings++], err);
    }
    pl__text_names_close(names);
    if (rc == PL_OK && step != PL_DB_DONE)
        rc = pl__store_fail(s, err, "report findings");
    pl__db_finalize(st);
    return rc;
}

static pl_status load_assets(struct pl_store *s, pl_time_t to, struct pl_mx_data *d,
                             struct pl_error *err)
{
    static const char sql[] = "SELECT id, name, owner, environment, os_family, os_name, "
                              "os_version, first_seen, last_seen, retired_at, " PL__MANAGED_EXPR
                              ", EXISTS (SELECT 1 FROM packages p WHERE p.asset_id = a.id), "
                              "(SELECT count(*) FROM findings f WHERE f.asset_id = a.id AND "
                              "f.status = 'disputed' AND f.first_seen <= ?1) "
                              "FROM assets a WHERE first_seen <= ?1 ORDER BY id";
    size_t cap = 0;
    struct pl_stmt *st;
    pl_status rc;
    int step;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, to);
    while ((step = pl__db_step(st)) == PL_DB_ROW) {
        struct pl_mx_asset *a;

        if (d->n_assets == PL_MAX_REPORT_FINDINGS) {
            rc = pl_error_set(err, PL_E_TOOBIG, "report: more than %zu assets",
                              PL_MAX_REPORT_FINDINGS);
            break;
        }
        d->assets = pl_xgrow(d->assets, d->n_assets, &cap, 64, sizeof(*d->assets));
        a = &d->assets[d->n_assets++];
        a->id = pl__db_column_int64(st, 0);
        a->name = pl__store_col_strdup(st, 1);
        a->owner = pl__store_col_strdup(st, 2);
        a->environment = pl__store_col_strdup(st, 3);
        a->os_family = pl__store_col_strdup(st, 4);
        a->os_name = pl__store_col_strdup(st, 5);
        a->os_version = pl__store_col_strdup(st, 6);
        a->first_seen = pl__db_column_int64(st, 7);
        a->managed = pl__db_column_int(st, 10) != 0;
        a->last_seen = pl__db_column_int64(st, 8);
        a->retired_at = col_time(st, 9);
        a->assessed = pl__db_column_int(st, 11) != 0;
        a->disputed = pl__db_column_int64(st, 12);
    }
    if (rc == PL_OK && step != PL_DB_DONE)
        rc = pl__store_fail(s, err, "report assets");
    pl__db_finalize(st);
    return rc;
}

static pl_status load_snapshots(struct pl_store *s, pl_time_t from, pl_time_t to,
                                struct pl_mx_data *d, struct pl_error *err)
{
    static const char sql[] = "SELECT day, tier, severity, open_count, overdue_count, kev_count "
                              "FROM finding_snapshots WHERE day >= ? AND day < ? "
                              "ORDER BY day, tier, severity";
    size_t cap = 0;
    struct pl_stmt *st;
    pl_status rc;
    int step;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, from);
    pl__db_bind_int64(st, 2, to);
    while ((step = pl__db_step(st)) == PL_DB_ROW) {
        struct pl_mx_snapshot *p;

        d->snapshots = pl_xgrow(d->snapshots, d->n_snapshots, &cap, 64, sizeof(*d->snapshots));
        p = &d->snapshots[d->n_snapshots++];
        p->day = pl__db_column_int64(st, 0);
        p->tier = pl__db_column_int(st, 1);
        p->severity = pl__store_col_strdup(st, 2);
        p->open = pl__db_column_int64(st, 3);
        p->overdue = pl__db_column_int64(st, 4);
        p->kev = pl__db_column_int64(st, 5);
    }
    if (step != PL_DB_DONE)
        rc = pl__store_fail(s, err, "report snapshots");
    pl__db_finalize(st);
    return rc;
}

static pl_status load_events(struct pl_store *s, pl_time_t from, pl_time_t to, struct pl_mx_data *d,
                             struct pl_error *err)
{
    static const char sql[] = "SELECT action, simulated, count(*) FROM audit_events "
                              "WHERE at >= ? AND at < ? GROUP BY action, simulated "
                              "ORDER BY simulated, action";
    size_t cap = 0;
    struct pl_stmt *st;
    pl_status rc;
    int step;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, from);
    pl__db_bind_int64(st, 2, to);
    while ((step = pl__db_step(st)) == PL_DB_ROW) {
        struct pl_mx_event_count *e;

        d->events = pl_xgrow(d->events, d->n_events, &cap, 64, sizeof(*d->events));
        e = &d->events[d->n_events++];
        e->action = pl__store_col_strdup(st, 0);
        e->simulated = pl__db_column_int(st, 1) != 0;
        e->count = pl__db_column_int64(st, 2);
    }
    if (step != PL_DB_DONE)
        rc = pl__store_fail(s, err, "report audit events");
    pl__db_finalize(st);
    return rc;
}

pl_status pl_store_mx_load(struct pl_store *s, pl_time_t from, pl_time_t to, pl_time_t snap_from,
                           struct pl_mx_data *out, struct pl_error *err)
{
    struct pl_mx_data d = {0};
    pl_status rc;

    if ((rc = load_findings(s, from, to, &d, err)) != PL_OK ||
        (rc = load_assets(s, to, &d, err)) != PL_OK ||
        (rc = load_snapshots(s, snap_from, to, &d, err)) != PL_OK ||
        (rc = load_events(s, from, to, &d, err)) != PL_OK) {
        pl_mx_data_release(&d);
        return rc;
    }
    *out = d;
    return PL_OK;
}

void pl_mx_data_release(struct pl_mx_data *d)
{
    for (size_t i = 0; i < d->n_findings; i++) {
        struct pl_mx_finding *f = &d->findings[i];

        free(f->asset), free(f->environment), free(f->vuln_id), free(f->package);
        free(f->installed_version), free(f->fixed_version), free(f->severity);
        free(f->mitigated_by), free(f->marker);
    }
    for (size_t i = 0; i < d->n_assets; i++) {
        struct pl_mx_asset *a = &d->assets[i];

        free(a->name), free(a->owner), free(a->environment), free(a->os_family);
        free(a->os_name), free(a->os_version);
    }
    for (size_t i = 0; i < d->n_snapshots; i++)
        free(d->snapshots[i].severity);
    for (size_t i = 0; i < d->n_events; i++)
        free(d->events[i].action);
    free(d->findings), free(d->assets), free(d->snapshots), free(d->events);
    memset(d, 0, sizeof(*d));
}

/* The backlog as of ?1 (see store.h); ?2 is the day it is filed under. */
static const char snapshot_sql[] =
    "INSERT INTO finding_snapshots (day, tier, severity, open_count, overdue_count, kev_count,"
    " taken_at) SELECT ?2, CASE WHEN unscored = 1 THEN -1 WHEN tier IS NULL THEN -2 ELSE tier END"
    " AS t, COALESCE(severity, 'unknown') AS sev, count(*),"
    " sum(CASE WHEN due_at IS NOT NULL AND due_at < ?1 THEN 1 ELSE 0 END),"
    " sum(CASE WHEN kev_added IS NOT NULL AND kev_added <= ?1 THEN 1 ELSE 0 END), ?1"
    " FROM findings WHERE first_seen <= ?1"
    " AND status NOT IN ('false-positive', 'disputed', 'not-affected')"
    " AND (resolved_at IS NULL OR resolved_at > ?1) GROUP BY t, sev";

/* Run one statement with ?1 = now and ?2 = day. */
static pl_status snap_step(struct pl_store *s, const char *sql, pl_time_t now, pl_time_t day,
                           struct pl_error *err)
{
    struct pl_stmt *st;
    pl_status rc;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, now);
    pl__db_bind_int64(st, 2, day);
    if (pl__db_step(st) != PL_DB_DONE)
        rc = pl__store_fail(s, err, "snapshot");
    pl__db_finalize(st);
    return rc;
}

/* A day with nothing open still gets a row, so that "zero" differs from "no snapshot". */
static const char snapshot_empty_sql[] =
    "INSERT INTO finding_snapshots (day, tier, severity, open_count, overdue_count, kev_count,"
    " taken_at) SELECT ?2, -2, 'unknown', 0, 0, 0, ?1"
    " WHERE NOT EXISTS (SELECT 1 FROM finding_snapshots WHERE day = ?2)";

static const char snapshot_total_sql[] =
    "SELECT sum(open_count) FROM finding_snapshots WHERE day = ?1";

pl_status pl_store_mx_snapshot(struct pl_store *s, pl_time_t now, int64_t *open,
                               struct pl_error *err)
{
    pl_time_t day = now - (((now % 86400) + 86400) % 86400);
    struct pl_stmt *st;
    pl_status rc;

    if ((rc = pl_store_begin(s, err)) != PL_OK)
        return rc;
    if ((rc = snap_step(s, "DELETE FROM finding_snapshots WHERE day = ?2", now, day, err)) !=
            PL_OK ||
        (rc = snap_step(s, snapshot_sql, now, day, err)) != PL_OK ||
        (rc = snap_step(s, snapshot_empty_sql, now, day, err)) != PL_OK ||
        (rc = pl__store_prepare(s, snapshot_total_sql, &st, err)) != PL_OK)
        goto fail;
    pl__db_bind_int64(st, 1, day);
    if (pl__db_step(st) != PL_DB_ROW)
        rc = pl__store_fail(s, err, "snapshot");
    else if (open)
        *open = pl__db_column_int64(st, 0);
    pl__db_finalize(st);
    if (rc != PL_OK)
        goto fail;
    return pl_store_commit(s, err);
fail:
    pl_store_rollback(s);
    return rc;
}

pl_status pl_store_mx_put_asset(struct pl_store *s, struct pl_mx_asset *a, struct pl_error *err)
{
    static const char sql[] = "INSERT INTO assets (name, owner, environment, os_family, os_name, "
                              "os_version, first_seen, last_seen, retired_at, managed) "
                              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
    struct pl_stmt *st;
    pl_status rc;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__store_bind_text(st, 1, a->name);
    pl__store_bind_text(st, 2, a->owner);
    pl__store_bind_text(st, 3, a->environment);
    pl__store_bind_text(st, 4, a->os_family);
    pl__store_bind_text(st, 5, a->os_name);
    pl__store_bind_text(st, 6, a->os_version);
    pl__db_bind_int64(st, 7, a->first_seen);
    pl__db_bind_int64(st, 8, a->last_seen);
    pl__store_bind_opt_i64(st, 9, a->retired_at, a->retired_at == PL_MX_NONE);
    pl__store_bind_opt_i64(st, 10, 1, !a->managed);
    rc = pl__store_step_id(s, st, "put asset", &a->id, err);
    pl__db_finalize(st);
    return rc;
}

pl_status pl_store_mx_put_vuln(struct pl_store *s, const char *id, pl_time_t published,
                               pl_time_t first_seen, struct pl_error *err)
{
    static const char sql[] = "INSERT INTO vulnerabilities (id, published, first_seen) "
                              "VALUES (?, ?, ?)";
    struct pl_stmt *st;
    pl_status rc;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__store_bind_text(st, 1, id);
    pl__store_bind_opt_i64(st, 2, published, published == PL_MX_NONE);
    pl__db_bind_int64(st, 3, first_seen);
    if (pl__db_step(st) != PL_DB_DONE)
        rc = pl__store_fail(s, err, "put vulnerability");
    pl__db_finalize(st);
    return rc;
}

static void bind_time(struct pl_stmt *st, int i, pl_time_t t)
{
    pl__store_bind_opt_i64(st, i, t, t == PL_MX_NONE);
}

pl_status pl_store_mx_put_finding(struct pl_store *s, struct pl_mx_finding *f, struct pl_error *err)
{
    static const char sql[] =
        "INSERT INTO findings (asset_id, vuln_id, package, installed_version, fixed_version, "
        "status, first_seen, resolved_at, tier, unscored, due_at, severity, kev_added, "
        "mitigated_by, mitigated_until, reopened_count) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
    struct pl_stmt *st;
    pl_status rc;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, f->asset_id);
    pl__store_bind_text(st, 2, f->vuln_id);
    pl__store_bind_text(st, 3, f->package);
    pl__store_bind_text(st, 4, f->installed_version);
    pl__store_bind_text(st, 5, f->fixed_version);
    pl__store_bind_text(st, 6, pl_mx_status_name(f->status));
    pl__db_bind_int64(st, 7, f->first_seen);
    bind_time(st, 8, f->resolved_at);
    pl__store_bind_opt_i64(st, 9, f->tier, f->tier < 0);
    pl__db_bind_int(st, 10, f->tier == PL_MX_TIER_UNSCORED);
    bind_time(st, 11, f->due_at);
    pl__store_bind_text(st, 12, f->severity);
    bind_time(st, 13, f->kev_added);
    pl__store_bind_text(st, 14, f->mitigated_by);
    bind_time(st, 15, f->mitigated_until);
    pl__db_bind_int(st, 16, f->reopened_count);
    rc = pl__store_step_id(s, st, "put finding", &f->id, err);
    pl__db_finalize(st);
    return rc;
}
