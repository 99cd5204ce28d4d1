/*
 * agents.c - enrolment tokens and enrolled hosts (store_agents.h). Every
 * use of a secret is one conditional statement, so two servers on one
 * store never both accept one token.
 */
#include <stdlib.h>
#include <string.h>

#include "patchline/store_agents.h"

#include "store_int.h"

/* Run st (already bound) to its end; PL_E_NOTFOUND when it returned no row, else *id. */
static pl_status step_returning(struct pl_store *s, struct pl_stmt *st, const char *what,
                                int64_t *id, struct pl_error *err)
{
    int step = pl__db_step(st);
    pl_status rc = PL_OK;

    if (step == PL_DB_ROW) {
        if (id)
            *id = pl__db_column_int64(st, 0);
        while ((step = pl__db_step(st)) == PL_DB_ROW)
            ;
    } else if (step == PL_DB_DONE) {
        rc = PL_E_NOTFOUND;
    }
    if (step != PL_DB_DONE)
        rc = pl__store_fail(s, err, what);
    pl__db_finalize(st);
    return rc;
}

pl_status pl_store_agent_enrolment_add(struct pl_store *s, const char *lookup, const char *hash,
                                       const char *tags, pl_time_t now, pl_time_t expires_at,
                                       int64_t *id, struct pl_error *err)
{
    static const char sql[] = "INSERT INTO agent_enrolments (lookup, hash, tags, created_by, "
                              "created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id";
    struct pl_stmt *st;
    pl_status rc;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__store_bind_text(st, 1, lookup);
    pl__store_bind_text(st, 2, hash);
    pl__store_bind_text(st, 3, tags ? tags : "");
    pl__store_bind_text(st, 4, pl_store_actor());
    pl__db_bind_int64(st, 5, now);
    pl__db_bind_int64(st, 6, expires_at);
    if ((rc = step_returning(s, st, "agent token create", id, err)) == PL_E_NOTFOUND)
        rc = pl_error_set(err, PL_E_STORE, "agent token create: no row inserted");
    return rc;
}

pl_status pl_store_agent_enrolment_find(struct pl_store *s, const char *lookup, pl_time_t now,
                                        struct pl_agent_enrolment *out, struct pl_error *err)
{
    static const char sql[] = "SELECT id, hash, tags FROM agent_enrolments WHERE lookup = ? AND "
                              "used_at IS NULL AND expires_at > ?";
    struct pl_stmt *st;
    pl_status rc;
    int step;

    memset(out, 0, sizeof(*out));
    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__store_bind_text(st, 1, lookup);
    pl__db_bind_int64(st, 2, now);
    step = pl__db_step(st);
    if (step == PL_DB_ROW) {
        out->id = pl__db_column_int64(st, 0);
        out->hash = pl__store_col_strdup(st, 1);
        out->tags = pl__store_col_strdup(st, 2);
    } else if (step == PL_DB_DONE) {
        rc = pl_error_set(err, PL_E_DENIED, "unknown, used or expired enrolment token");
    } else {
        rc = pl__store_fail(s, err, "agent enrolment");
    }
    pl__db_finalize(st);
    return rc;
}

void pl_agent_enrolment_release(struct pl_agent_enrolment *e)
{
    free(e->hash);
    free(e->tags);
    memset(e, 0, sizeof(*e));
}

pl_status pl_store_agent_enrol(struct pl_store *s, int64_t enrolment_id, const char *host,
                               const char *lookup, const char *hash, pl_time_t now,
                               int64_t *agent_id, struct pl_error *err)
{
    static const char q_use[] = "UPDATE agent_enrolments SET used_at = ?, used_by = ? WHERE id = ? "
                                "AND used_at IS NULL AND expires_at > ? RETURNING id";
    static const char q_host[] =
        "INSERT INTO agents (host, enrolment_id, lookup, hash, tags, created_at) "
        "SELECT ?, id, ?, ?, tags, ? FROM agent_enrolments WHERE id = ? "
        "ON CONFLICT (host) DO UPDATE SET enrolment_id = excluded.enrolment_id, "
        "lookup = excluded.lookup, hash = excluded.hash, tags = excluded.tags, "
        "created_at = excluded.created_at, asset_id = NULL, digest = NULL, last_seen = NULL, "
        "revoked_at = NULL WHERE agents.revoked_at IS NOT NULL RETURNING id";
    struct pl_stmt *st;
    pl_status rc;

    if ((rc = pl__store_prepare(s, q_use, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, now);
    pl__store_bind_text(st, 2, host);
    pl__db_bind_int64(st, 3, enrolment_id);
    pl__db_bind_int64(st, 4, now);
    if ((rc = step_returning(s, st, "agent enrol", NULL, err)) == PL_E_NOTFOUND)
        return pl_error_set(err, PL_E_DENIED, "unknown, used or expired enrolment token");
    if (rc != PL_OK)
        return rc;
    if ((rc = pl__store_prepare(s, q_host, &st, err)) != PL_OK)
        return rc;
    pl__store_bind_text(st, 1, host);
    pl__store_bind_text(st, 2, lookup);
    pl__store_bind_text(st, 3, hash);
    pl__db_bind_int64(st, 4, now);
    pl__db_bind_int64(st, 5, enrolment_id);
    if ((rc = step_returning(s, st, "agent enrol", agent_id, err)) == PL_E_NOTFOUND)
        return pl_error_set(err, PL_E_CONFLICT,
                            "host '%s' is enrolled already (revoke it first: patchline agent "
                            "revoke %s)",
                            host, host);
    return rc;
}

#define AGENT_COLS                                                                    \
    "a.id, COALESCE(a.asset_id, 0), a.host, a.hash, a.tags, a.digest, a.created_at, " \
    "COALESCE(a.last_seen, 0), COALESCE(a.revoked_at, 0) FROM agents a "

static void read_agent(struct pl_stmt *st, struct pl_agent_row *a)
{
    a->id = pl__db_column_int64(st, 0);
    a->asset_id = pl__db_column_int64(st, 1);
    a->host = pl__store_col_strdup(st, 2);
    a->hash = pl__store_col_strdup(st, 3);
    a->tags = pl__store_col_strdup(st, 4);
    a->digest = pl__store_col_strdup(st, 5);
    a->created_at = pl__db_column_int64(st, 6);
    a->last_seen = pl__db_column_int64(st, 7);
    a->revoked_at = pl__db_column_int64(st, 8);
}

void pl_agent_row_release(struct pl_agent_row *a)
{
    free(a->host);
    free(a->hash);
    free(a->tags);
    free(a->digest);
    memset(a, 0, sizeof(*a));
}

void pl_agent_rows_release(struct pl_agent_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++)
        pl_agent_row_release(&rows[i]);
    free(rows);
}

pl_status pl_store_agent_by_lookup(struct pl_store *s, const char *lookup, struct pl_agent_row *out,
                                   struct pl_error *err)
{
    static const char sql[] = "SELECT " AGENT_COLS "WHERE a.lookup = ? AND a.revoked_at IS NULL";
    struct pl_stmt *st;
    pl_status rc;
    int step;

    memset(out, 0, sizeof(*out));
    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__store_bind_text(st, 1, lookup);
    step = pl__db_step(st);
    if (step == PL_DB_ROW)
        read_agent(st, out);
    else if (step == PL_DB_DONE)
        rc = pl_error_set(err, PL_E_NOTFOUND, "no live agent has this credential");
    else
        rc = pl__store_fail(s, err, "agent");
    pl__db_finalize(st);
    return rc;
}

pl_status pl_store_agent_list(struct pl_store *s, struct pl_agent_row **rows, size_t *n,
                              struct pl_error *err)
{
    static const char sql[] = "SELECT " AGENT_COLS "ORDER BY a.host";
    struct pl_agent_row *l = NULL;
    size_t cap = 0, k = 0;
    struct pl_stmt *st;
    pl_status rc;
    int step;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    while ((step = pl__db_step(st)) == PL_DB_ROW) {
        l = pl_xgrow(l, k, &cap, 16, sizeof(*l));
        memset(&l[k], 0, sizeof(l[k]));
        read_agent(st, &l[k++]);
    }
    pl__db_finalize(st);
    if (step != PL_DB_DONE) {
        pl_agent_rows_release(l, k);
        return pl__store_fail(s, err, "agent list");
    }
    *rows = l;
    *n = k;
    return PL_OK;
}

pl_status pl_store_agent_revoke(struct pl_store *s, const char *host, pl_time_t now,
                                struct pl_error *err)
{
    static const char sql[] = "UPDATE agents SET revoked_at = ? WHERE host = ? AND revoked_at IS "
                              "NULL RETURNING id";
    struct pl_stmt *st;
    pl_status rc;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, now);
    pl__store_bind_text(st, 2, host);
    if ((rc = step_returning(s, st, "agent revoke", NULL, err)) == PL_E_NOTFOUND)
        return pl_error_set(err, PL_E_NOTFOUND, "no live agent '%s'", host);
    return rc;
}

pl_status pl_store_agent_accept(struct pl_store *s, int64_t agent_id, int64_t asset_id,
                                const char *digest, pl_time_t now, struct pl_error *err)
{
    static const char q_held[] = "SELECT host FROM agents WHERE asset_id = ? AND id <> ? AND "
                                 "revoked_at IS NULL";
    static const char q_set[] =
        "UPDATE agents SET asset_id = ?, digest = ?, last_seen = ? WHERE id = ? RETURNING id";
    struct pl_stmt *st;
    pl_status rc;
    int step;

    if ((rc = pl__store_prepare(s, q_held, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, asset_id);
    pl__db_bind_int64(st, 2, agent_id);
    step = pl__db_step(st);
    if (step == PL_DB_ROW)
        rc = pl_error_set(err, PL_E_CONFLICT, "asset %lld is held by agent '%s'",
                          (long long)asset_id, (const char *)pl__db_column_text(st, 0));
    else if (step != PL_DB_DONE)
        rc = pl__store_fail(s, err, "agent inventory");
    pl__db_finalize(st);
    if (rc != PL_OK)
        return rc;
    if ((rc = pl__store_prepare(s, q_set, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, asset_id);
    pl__store_bind_text(st, 2, digest);
    pl__db_bind_int64(st, 3, now);
    pl__db_bind_int64(st, 4, agent_id);
    if ((rc = step_returning(s, st, "agent inventory", NULL, err)) == PL_E_NOTFOUND)
        rc = pl_error_set(err, PL_E_NOTFOUND, "no agent %lld", (long long)agent_id);
    return rc;
}
