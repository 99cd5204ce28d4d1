/*
 * exceptions.c - the rows of exceptions and compensating controls, and the
 * one query that says which findings they cover at a given time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

#define EXC_COLS                                                                                  \
    "e.id, e.type, e.status, e.scope, e.finding_id, e.vuln_id, e.selector, "                      \
    "(SELECT group_concat(name, ',') FROM (SELECT a.name FROM exception_assets x JOIN assets a "  \
    "ON a.id = x.asset_id WHERE x.exception_id = e.id ORDER BY a.name, a.id)), "                  \
    "e.justification, e.requester, e.approver, e.ended_by, e.end_reason, e.requested_at, "        \
    "e.approved_at, e.expires_at, e.ended_at, "                                                   \
    "(SELECT count(*) FROM findings f WHERE f.exception_id = e.id AND f.status IN ('mitigated', " \
    "'accepted', 'false-positive'))"

static pl_time_t col_time(struct pl_stmt *st, int i)
{
    return pl__db_column_type(st, i) == PL_DB_NULL ? 0 : pl__db_column_int64(st, i);
}

static void read_row(struct pl_stmt *st, struct pl_exception_row *x)
{
    char **text[] = {&x->type,      &x->status,   &x->scope,    NULL,
                     &x->vuln_id,   &x->selector, &x->assets,   &x->justification,
                     &x->requester, &x->approver, &x->ended_by, &x->end_reason};

    memset(x, 0, sizeof(*x));
    x->id = pl__db_column_int64(st, 0);
    for (size_t i = 0; i < PL_ARRAY_LEN(text); i++)
        if (text[i])
            *text[i] = pl__store_col_strdup(st, (int)i + 1);
    x->finding_id = pl__db_column_int64(st, 4);
    x->requested_at = col_time(st, 13);
    x->approved_at = col_time(st, 14);
    x->expires_at = col_time(st, 15);
    x->ended_at = col_time(st, 16);
    x->n_covered = pl__db_column_int64(st, 17);
}

void pl_exception_row_release(struct pl_exception_row *x)
{
    char *text[] = {x->type,     x->status,   x->scope,         x->vuln_id,
                    x->selector, x->assets,   x->justification, x->requester,
                    x->approver, x->ended_by, x->end_reason};

    for (size_t i = 0; i < PL_ARRAY_LEN(text); i++)
        free(text[i]);
    memset(x, 0, sizeof(*x));
}

void pl_exception_list_release(struct pl_exception_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        pl_exception_row_release(&l->items[i]);
    free(l->items);
    l->items = NULL;
    l->n = 0;
}

static pl_status step_done(struct pl_store *s, struct pl_stmt *st, const char *what,
                           struct pl_error *err)
{
    pl_status rc = PL_OK;

    if (pl__db_step(st) != PL_DB_DONE)
        rc = pl__store_fail(s, err, what);
    pl__db_finalize(st);
    return rc;
}

static pl_status set_assets(struct pl_store *s, int64_t id, const int64_t *ids, size_t n,
                            struct pl_error *err)
{
    struct pl_stmt *st;
    pl_status rc;

    if ((rc = pl__store_prepare(s, "DELETE FROM exception_assets WHERE exception_id = ?", &st,
                                err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, id);
    if ((rc = step_done(s, st, "exception assets", err)) != PL_OK)
        return rc;
    if ((rc = pl__store_prepare(s,
                                "INSERT OR IGNORE INTO exception_assets (exception_id, asset_id) "
                                "VALUES (?, ?)",
                                &st, err)) != PL_OK)
        return rc;
    for (size_t i = 0; i < n && rc == PL_OK; i++) {
        pl__db_reset(st);
        pl__db_bind_int64(st, 1, id);
        pl__db_bind_int64(st, 2, ids[i]);
        if (pl__db_step(st) != PL_DB_DONE)
            rc = pl__store_fail(s, err, "exception assets");
    }
    pl__db_finalize(st);
    return rc;
}

pl_status pl_store_exception_add(struct pl_store *s, const struct pl_exception_new *x,
                                 const int64_t *asset_ids, size_t n_assets, int64_t *id_out,
                                 struct pl_error *err)
{
    static const char sql[] =
        "INSERT INTO exceptions (type, scope, finding_id, vuln_id, selector, justification, "
        "requester, requested_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
    struct pl_stmt *st;
    pl_status rc;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__store_bind_text(st, 1, x->type);
    pl__store_bind_text(st, 2, x->scope);
    pl__store_bind_opt_i64(st, 3, x->finding_id, x->finding_id == 0);
    pl__store_bind_text(st, 4, x->vuln_id);
    pl__store_bind_text(st, 5, x->selector);
    pl__store_bind_text(st, 6, x->justification);
    pl__store_bind_text(st, 7, x->requester);
    pl__db_bind_int64(st, 8, x->requested_at);
    pl__db_bind_int64(st, 9, x->expires_at);
    rc = pl__store_step_id(s, st, "exception add", id_out, err);
    pl__db_finalize(st);
    if (rc != PL_OK)
        return rc;
    return set_assets(s, *id_out, asset_ids, n_assets, err);
}

pl_status pl_store_exception_get(struct pl_store *s, int64_t id, struct pl_exception_row *out,
                                 struct pl_error *err)
{
    static const char sql[] = "SELECT " EXC_COLS " FROM exceptions e WHERE e.id = ?";
    struct pl_stmt *st;
    pl_status rc;
    int step;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, id);
    step = pl__db_step(st);
    if (step == PL_DB_ROW)
        read_row(st, out);
    else if (step == PL_DB_DONE)
        rc = pl_error_set(err, PL_E_NOTFOUND, "no exception %lld", (long long)id);
    else
        rc = pl__store_fail(s, err, "exception get");
    pl__db_finalize(st);
    return rc;
}

pl_status pl_store_exception_list(struct pl_store *s, const char *status, pl_time_t expires_before,
                                  struct pl_exception_list *out, struct pl_error *err)
{
    static const char sql[] = "SELECT " EXC_COLS " FROM exceptions e WHERE (?1 IS NULL OR "
                              "e.status = ?1) AND (?2 = 0 OR (e.expires_at < ?2 AND e.status IN "
                              "('pending', 'active', 'needs-review'))) ORDER BY e.id";
    struct pl_exception_list l = {NULL, 0};
    size_t cap = 0;
    struct pl_stmt *st;
    pl_status rc;
    int step;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__store_bind_text(st, 1, status);
    pl__db_bind_int64(st, 2, expires_before);
    while ((step = pl__db_step(st)) == PL_DB_ROW) {
        l.items = pl_xgrow(l.items, l.n, &cap, 16, sizeof(*l.items));
        read_row(st, &l.items[l.n++]);
    }
    if (step != PL_DB_DONE) {
        rc = pl__store_fail(s, err, "exception list");
        pl_exception_list_release(&l);
    } else {
        *out = l;
    }
    pl__db_finalize(st);
    return rc;
}

pl_status pl_store_exception_approve(struct pl_store *s, int64_t id, const char *approver,
                                     pl_time_t at, struct pl_error *err)
{
    static const char sql[] = "UPDATE exceptions SET status = 'active', approver = ?, "
                              "approved_at = ?, ended_at = NULL, ended_by = NULL, end_reason = "
                              "NULL WHERE id = ?";
    struct pl_stmt *st;
    pl_status rc;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__store_bind_text(st, 1, approver);
    pl__db_bind_int64(st, 2, at);
    pl__db_bind_int64(st, 3, id);
    return step_done(s, st, "exception approve", err);
}

pl_status pl_store_exception_end(struct pl_store *s, int64_t id, const char *status, pl_time_t at,
                                 const char *by, const char *reason, struct pl_error *err)
{
    static const char sql[] = "UPDATE exceptions SET status = ?, ended_at = ?, ended_by = ?, "
                              "end_reason = ? WHERE id = ?";
    struct pl_stmt *st;
    pl_status rc;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__store_bind_text(st, 1, status);
    pl__db_bind_int64(st, 2, at);
    pl__store_bind_text(st, 3, by);
    pl__store_bind_text(st, 4, reason);
    pl__db_bind_int64(st, 5, id);
    return step_done(s, st, "exception end", err);
}

pl_status pl_store_exception_caps(struct pl_store *s, int64_t id, const pl_time_t *until, size_t n,
                                  struct pl_error *err)
{
    struct pl_stmt *st;
    pl_status rc;

    if ((rc = pl__store_prepare(s, "DELETE FROM exception_caps WHERE exception_id = ?", &st,
                                err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, id);
    if ((rc = step_done(s, st, "exception caps", err)) != PL_OK)
        return rc;
    if ((rc = pl__store_prepare(s,
                                "INSERT INTO exception_caps (exception_id, tier, until) "
                                "VALUES (?, ?, ?)",
                                &st, err)) != PL_OK)
        return rc;
    for (size_t t = 0; t < n && rc == PL_OK; t++) {
        if (until[t] == 0)
            continue;
        pl__db_reset(st);
        pl__db_bind_int64(st, 1, id);
        pl__db_bind_int64(st, 2, (int64_t)t);
        pl__db_bind_int64(st, 3, until[t]);
        if (pl__db_step(st) != PL_DB_DONE)
            rc = pl__store_fail(s, err, "exception caps");
    }
    pl__db_finalize(st);
    return rc;
}

pl_status pl_store_exception_assets(struct pl_store *s, int64_t id, const int64_t *asset_ids,
                                    size_t n, bool *changed, struct pl_error *err)
{
    static const char sql[] =
        "SELECT count(*), sum(asset_id IN (SELECT value FROM json_each(?2))) FROM "
        "exception_assets WHERE exception_id = ?1";
    struct pl_buf ids = PL_BUF_INIT(0);
    struct pl_stmt *st;
    pl_status rc;
    int64_t have = -1, same = -1;

    pl_buf_addch(&ids, '[');
    for (size_t i = 0; i < n; i++)
        pl_buf_addf(&ids, i ? ",%lld" : "%lld", (long long)asset_ids[i]);
    pl_buf_addch(&ids, ']');
    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK) {
        pl_buf_release(&ids);
        return rc;
    }
    pl__db_bind_int64(st, 1, id);
    pl__store_bind_text(st, 2, pl_buf_cstr(&ids));
    if (pl__db_step(st) == PL_DB_ROW) {
        have = pl__db_column_int64(st, 0);
        same = pl__db_column_int64(st, 1);
    }
    pl__db_finalize(st);
    pl_buf_release(&ids);
    /* the ids given are distinct (asset query rows) */
    *changed = !(have == (int64_t)n && same == (int64_t)n);
    if (!*changed)
        return PL_OK;
    return set_assets(s, id, asset_ids, n, err);
}

void pl_exception_findings_release(struct pl_exception_findings *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->items[i].asset);
        free(l->items[i].vuln_id);
        free(l->items[i].package);
        free(l->items[i].status);
    }
    free(l->items);
    l->items = NULL;
    l->n = 0;
}

/* The findings in the scope of each exception (e), as (eid, fid, tier). */
#define SCOPE_SQL                                                                              \
    "SELECT e.id AS eid, f.id AS fid, f.tier AS tier FROM exceptions e JOIN findings f ON "    \
    "f.id = e.finding_id WHERE e.scope = 'finding' AND %s "                                    \
    "UNION ALL SELECT e.id, f.id, f.tier FROM exceptions e JOIN exception_assets x ON "        \
    "x.exception_id = e.id JOIN findings f ON f.asset_id = x.asset_id AND (e.vuln_id IS NULL " \
    "OR f.vuln_id = e.vuln_id) WHERE e.scope != 'finding' AND %s"

pl_status pl_store_exception_scope(struct pl_store *s, int64_t id,
                                   struct pl_exception_findings *out, struct pl_error *err)
{
    char sql[2048];
    struct pl_exception_findings l = {NULL, 0};
    size_t cap = 0;
    struct pl_stmt *st;
    pl_status rc;
    int step;

    if (snprintf(sql, sizeof(sql),
                 "WITH sc AS (" SCOPE_SQL ") SELECT f.id, f.asset_id, COALESCE(f.exception_id, "
                 "0), a.name, f.vuln_id, f.package, f.status, COALESCE(f.tier, -1), f.due_at, "
                 "f.mitigated_until FROM sc JOIN findings f ON f.id = sc.fid JOIN assets a ON "
                 "a.id = f.asset_id ORDER BY a.name, f.vuln_id, f.package, f.id",
                 "e.id = ?1", "e.id = ?1") >= (int)sizeof(sql))
        PL_BUG("scope sql");
    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, id);
    while ((step = pl__db_step(st)) == PL_DB_ROW) {
        struct pl_exception_finding *f;

        l.items = pl_xgrow(l.items, l.n, &cap, 16, sizeof(*l.items));
        f = &l.items[l.n++];
        f->id = pl__db_column_int64(st, 0);
        f->asset_id = pl__db_column_int64(st, 1);
        f->exception_id = pl__db_column_int64(st, 2);
        f->asset = pl__store_col_strdup(st, 3);
        f->vuln_id = pl__store_col_strdup(st, 4);
        f->package = pl__store_col_strdup(st, 5);
        f->status = pl__store_col_strdup(st, 6);
        f->tier = pl__db_column_int(st, 7);
        f->due_at = col_time(st, 8);
        f->mitigated_until = col_time(st, 9);
    }
    if (step != PL_DB_DONE) {
        rc = pl__store_fail(s, err, "exception scope");
        pl_exception_findings_release(&l);
    } else {
        *out = l;
    }
    pl__db_finalize(st);
    return rc;
}

pl_status pl_store_exception_finding(struct pl_store *s, int64_t id, char *status, size_t cap,
                                     int *tier, struct pl_error *err)
{
    struct pl_stmt *st;
    pl_status rc;
    int step;

    if ((rc = pl__store_prepare(s, "SELECT status, COALESCE(tier, -1) FROM findings WHERE id = ?",
                                &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, id);
    step = pl__db_step(st);
    if (step == PL_DB_ROW) {
        if (snprintf(status, cap, "%s", (const char *)pl__db_column_text(st, 0)) >= (int)cap)
            status[cap - 1] = '\0';
        *tier = pl__db_column_int(st, 1);
    } else if (step == PL_DB_DONE) {
        rc = pl_error_set(err, PL_E_NOTFOUND, "no finding %lld", (long long)id);
    } else {
        rc = pl__store_fail(s, err, "finding");
    }
    pl__db_finalize(st);
    return rc;
}

void pl_exception_changes_release(struct pl_exception_changes *l)
{
    free(l->items);
    l->items = NULL;
    l->n = l->cap = 0;
}

/*
 * best: for each finding in the scope of an active exception whose cover
 * (the expiry, or the per-tier end when earlier) is still running at ?1,
 * the exception that wins.
 */
#define BEST_SQL                                                                                              \
    "WITH sc AS (" SCOPE_SQL "), cov AS (SELECT sc.fid, e.id AS eid, e.type, "                                \
    "min(e.expires_at, COALESCE(c.until, e.expires_at)) AS until, CASE e.type WHEN "                          \
    "'false-positive' THEN 0 WHEN 'risk-acceptance' THEN 2 ELSE 1 END AS prio FROM sc JOIN "                  \
    "exceptions e ON e.id = sc.eid LEFT JOIN exception_caps c ON c.exception_id = e.id AND "                  \
    "c.tier = sc.tier), best AS MATERIALIZED (SELECT fid, eid, type, until, row_number() OVER (PARTITION BY " \
    "fid ORDER BY prio, until DESC, eid) AS rn FROM cov WHERE until > ?1) "

static const char changes_sql[] =
    "SELECT b.fid, b.eid, 1, b.type, f.status, b.until FROM best b JOIN findings f ON f.id = "
    "b.fid WHERE b.rn = 1 AND (f.status = 'open' OR (f.status IN ('mitigated', 'accepted', "
    "'false-positive') AND f.exception_id IS NOT NULL AND (f.exception_id != b.eid OR "
    "f.mitigated_until IS NOT b.until OR f.mitigated_by IS NOT b.type))) "
    "UNION ALL SELECT f.id, f.exception_id, 0, e.type, f.status, CASE WHEN e.status = 'active' "
    "THEN min(f.mitigated_until, ?1) ELSE min(f.mitigated_until, COALESCE(e.ended_at, "
    "e.expires_at)) END FROM findings f JOIN exceptions e ON e.id = f.exception_id LEFT JOIN "
    "best b ON b.fid = f.id AND b.rn = 1 WHERE f.status IN ('mitigated', 'accepted', "
    "'false-positive') AND b.fid IS NULL ORDER BY 2, 1";

static void add_change(struct pl_exception_changes *l, struct pl_stmt *st)
{
    struct pl_exception_change *c;
    const char *type = (const char *)pl__db_column_text(st, 3);
    const char *old = (const char *)pl__db_column_text(st, 4);

    l->items = pl_xgrow(l->items, l->n, &l->cap, 64, sizeof(*l->items));
    c = &l->items[l->n++];
    memset(c, 0, sizeof(*c));
    c->finding_id = pl__db_column_int64(st, 0);
    c->exception_id = pl__db_column_int64(st, 1);
    c->cover = pl__db_column_int(st, 2) != 0;
    if (snprintf(c->type, sizeof(c->type), "%s", type ? type : "") >= (int)sizeof(c->type))
        c->type[sizeof(c->type) - 1] = '\0';
    if (snprintf(c->old_status, sizeof(c->old_status), "%s", old ? old : "") >=
        (int)sizeof(c->old_status))
        c->old_status[sizeof(c->old_status) - 1] = '\0';
    c->until = col_time(st, 5);
}

pl_status pl_store_exception_changes(struct pl_store *s, pl_time_t now,
                                     struct pl_exception_changes *out, struct pl_error *err)
{
    char sql[4096];
    struct pl_exception_changes l = {NULL, 0, 0};
    struct pl_stmt *st;
    pl_status rc;
    int step;

    if (snprintf(sql, sizeof(sql), BEST_SQL "%s", "e.status = 'active'", "e.status = 'active'",
                 changes_sql) >= (int)sizeof(sql))
        PL_BUG("changes sql");
    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, now);
    while ((step = pl__db_step(st)) == PL_DB_ROW)
        add_change(&l, st);
    if (step != PL_DB_DONE) {
        rc = pl__store_fail(s, err, "exception changes");
        pl_exception_changes_release(&l);
    } else {
        *out = l;
    }
    pl__db_finalize(st);
    return rc;
}

pl_status pl_store_exception_apply_change(struct pl_store *s, const struct pl_exception_change *c,
                                          const char *status, pl_time_t now, struct pl_error *err)
{
    static const char cover[] =
        "UPDATE findings SET status = ?2, exception_id = ?3, mitigated_by = ?4, "
        "mitigated_until = ?5, resolved_at = CASE WHEN status = 'open' THEN ?6 ELSE resolved_at "
        "END WHERE id = ?1";
    static const char release[] = "UPDATE findings SET status = 'open', resolved_at = NULL, "
                                  "mitigated_until = ?5 WHERE id = ?1";
    struct pl_stmt *st;
    pl_status rc;

    if ((rc = pl__store_prepare(s, c->cover ? cover : release, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, c->finding_id);
    if (c->cover) {
        pl__store_bind_text(st, 2, status);
        pl__db_bind_int64(st, 3, c->exception_id);
        pl__store_bind_text(st, 4, c->type);
        pl__db_bind_int64(st, 6, now);
    }
    pl__db_bind_int64(st, 5, c->until);
    return step_done(s, st, "exception finding", err);
}

pl_status pl_store_feed_last_import(struct pl_store *s, const char *except, pl_time_t *at,
                                    char *kind, size_t kind_cap, struct pl_error *err)
{
    struct pl_stmt *st;
    pl_status rc;
    int step;

    if ((rc = pl__store_prepare(s,
                                "SELECT imported_at, kind FROM feeds WHERE ?1 IS NULL OR kind != "
                                "?1 ORDER BY imported_at DESC, id DESC LIMIT 1",
                                &st, err)) != PL_OK)
        return rc;
    pl__store_bind_text(st, 1, except);
    *at = 0;
    kind[0] = '\0';
    step = pl__db_step(st);
    if (step == PL_DB_ROW) {
        *at = pl__db_column_int64(st, 0);
        if (snprintf(kind, kind_cap, "%s", (const char *)pl__db_column_text(st, 1)) >=
            (int)kind_cap)
            kind[kind_cap - 1] = '\0';
    } else if (step != PL_DB_DONE) {
        rc = pl__store_fail(s, err, "feeds");
    }
    pl__db_finalize(st);
    return rc;
}
