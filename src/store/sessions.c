/*
 * sessions.c - dashboard sessions (docs/server.md): started by a log-in
 * with a token, kept as the SHA-256 of their id, ended by log-out, 30
 * minutes without a request or 12 hours after log-in.
 */
#include <stdio.h>
#include <string.h>

#include "patchline/auth.h"

#include "auth_int.h"

static pl_status run(struct pl_store *s, const char *sql, const char *what, const char *text,
                     int64_t a, int64_t b, struct pl_error *err)
{
    const int64_t v[2] = {a, b};
    struct pl_stmt *st;
    pl_status rc;
    int step, n = 0, k = 0;

    for (const char *p = sql; (p = strchr(p, '?')) != NULL; p++)
        n++;
    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    if (text)
        pl__store_bind_text(st, ++k, text);
    for (int i = 0; k < n && i < 2; i++)
        pl__db_bind_int64(st, ++k, v[i]);
    step = pl__db_step(st);
    pl__db_finalize(st);
    return step == PL_DB_DONE ? PL_OK : pl__store_fail(s, err, what);
}

/* Delete the sessions past their idle or absolute limit (everyone's). */
static pl_status purge(struct pl_store *s, pl_time_t now, struct pl_error *err)
{
    return run(s, "DELETE FROM sessions WHERE last_seen <= ? OR created_at <= ?", "session purge",
               NULL, now - PL_SESSION_IDLE_MAX, now - PL_SESSION_ABSOLUTE_MAX, err);
}

static pl_status start_tx(struct pl_store *s, const char *token, const char *old_id, pl_time_t now,
                          char *sid, struct pl_principal *out, struct pl_error *err)
{
    static const char ins[] = "INSERT INTO sessions (user_id, hash, created_at, last_seen) "
                              "VALUES (?, ?, ?, ?) RETURNING id";
    char hash[2 * PL_TOKEN_HASH_LEN + 1], obj[48];
    struct pl_error ignore = PL_ERROR_INIT;
    struct pl_stmt *st;
    int64_t id;
    pl_status rc;

    if ((rc = pl_store_token_verify(s, token, now, out, err)) != PL_OK)
        return rc;
    if (out->kind != PL_PRINCIPAL_USER || out->user_id <= 0)
        return pl_error_set(err, PL_E_DENIED, "a session belongs to a user");
    /* rotation: the session the browser held before this log-in (if any) ends now */
    if (old_id && pl_auth_session_hash(old_id, hash, &ignore) == PL_OK &&
        (rc = run(s, "DELETE FROM sessions WHERE hash = ?", "session rotate", hash, 0, 0, err)) !=
            PL_OK)
        return rc;
    if ((rc = purge(s, now, err)) != PL_OK || (rc = pl_auth_session_new(sid, err)) != PL_OK ||
        (rc = pl_auth_session_hash(sid, hash, err)) != PL_OK ||
        (rc = pl__store_prepare(s, ins, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, out->user_id);
    pl__store_bind_text(st, 2, hash);
    pl__db_bind_int64(st, 3, now);
    pl__db_bind_int64(st, 4, now);
    rc = pl__store_step_id(s, st, "session", &id, err);
    pl__db_finalize(st);
    if (rc != PL_OK)
        return rc;
    pl_store_set_principal(s, out);
    snprintf(obj, sizeof(obj), "session %lld", (long long)id);
    return pl_store_audit_change(s, "session.login", obj, NULL, NULL, NULL, err);
}

pl_status pl_store_session_start(struct pl_store *s, const char *token, const char *old_id,
                                 pl_time_t now, char sid[PL_SESSION_ID_LEN + 1],
                                 struct pl_principal *out, struct pl_error *err)
{
    pl_status rc;

    if ((rc = pl_store_begin(s, err)) != PL_OK)
        return rc;
    if ((rc = start_tx(s, token, old_id, now, sid, out, err)) != PL_OK) {
        pl_store_rollback(s);
        memset(sid, 0, PL_SESSION_ID_LEN + 1);
        return rc;
    }
    return pl_store_commit(s, err);
}

/* The session sid names, if live: its user into out, whether its last_seen is due. A read. */
pl_status pl_store_session_verify_due(struct pl_store *s, const char *sid, pl_time_t now,
                                      struct pl_principal *out, bool *due, struct pl_error *err)
{
    static const char sql[] = "SELECT id, user_id, hash, created_at, last_seen FROM sessions "
                              "WHERE hash = ?";
    static const char denied[] = "no session: log in again";
    char hash[2 * PL_TOKEN_HASH_LEN + 1];
    uint8_t want[PL_TOKEN_HASH_LEN], have[PL_TOKEN_HASH_LEN];
    struct pl_error ignore = PL_ERROR_INIT;
    struct pl_stmt *st;
    int64_t id = 0, uid = 0, created = 0, seen = 0;
    pl_status rc;
    int step;

    *due = false;
    if (pl_auth_session_hash(sid, hash, &ignore) != PL_OK ||
        !pl_auth_unhex(hash, want, sizeof(want)))
        return pl_error_set(err, PL_E_DENIED, "%s", denied);
    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__store_bind_text(st, 1, hash);
    if ((step = pl__db_step(st)) == PL_DB_ROW &&
        pl_auth_unhex((const char *)pl__db_column_text(st, 2), have, sizeof(have)) &&
        pl_auth_equal(have, want, sizeof(want))) {
        id = pl__db_column_int64(st, 0);
        uid = pl__db_column_int64(st, 1);
        created = pl__db_column_int64(st, 3);
        seen = pl__db_column_int64(st, 4);
    }
    pl__db_finalize(st);
    if (step != PL_DB_ROW && step != PL_DB_DONE)
        return pl__store_fail(s, err, "session");
    if (id == 0 || now - seen >= PL_SESSION_IDLE_MAX || now - created >= PL_SESSION_ABSOLUTE_MAX)
        return pl_error_set(err, PL_E_DENIED, "%s", denied);
    memset(out, 0, sizeof(*out));
    pl__store_copy_name(out->os_user, pl__store_os_user());
    out->by_token = true;
    if ((rc = pl__store_load_user(s, uid, out, err)) != PL_OK)
        return rc == PL_E_DENIED ? pl_error_set(err, PL_E_DENIED, "%s", denied) : rc;
    /* the idle clock restarts at most once a minute: pl_store_session_touch */
    *due = now - seen >= 60;
    return PL_OK;
}

pl_status pl_store_session_touch(struct pl_store *s, const char *sid, pl_time_t now,
                                 struct pl_error *err)
{
    /*
     * Only a session still live at now, and not seen in the last minute: a
     * session that ended or expired since it was verified stays ended.
     */
    static const char sql[] =
        "UPDATE sessions SET last_seen = ?1 WHERE hash = ?2 AND "
        "last_seen <= ?1 - 60 AND last_seen > ?1 - ?3 AND created_at > ?1 - ?4";
    char hash[2 * PL_TOKEN_HASH_LEN + 1];
    struct pl_stmt *st;
    pl_status rc;

    if ((rc = pl_auth_session_hash(sid, hash, err)) != PL_OK ||
        (rc = pl_store_begin(s, err)) != PL_OK)
        return rc;
    if ((rc = pl__store_prepare(s, sql, &st, err)) == PL_OK) {
        pl__db_bind_int64(st, 1, now);
        pl__store_bind_text(st, 2, hash);
        pl__db_bind_int64(st, 3, PL_SESSION_IDLE_MAX);
        pl__db_bind_int64(st, 4, PL_SESSION_ABSOLUTE_MAX);
        if (pl__db_step(st) != PL_DB_DONE)
            rc = pl__store_fail(s, err, "session touch");
        pl__db_finalize(st);
    }
    if (rc != PL_OK) {
        pl_store_rollback(s);
        return rc;
    }
    return pl_store_commit(s, err);
}

pl_status pl_store_session_verify(struct pl_store *s, const char *sid, pl_time_t now,
                                  struct pl_principal *out, struct pl_error *err)
{
    pl_status rc;
    bool due = false;

    if ((rc = pl_store_session_verify_due(s, sid, now, out, &due, err)) != PL_OK || !due)
        return rc;
    return pl_store_session_touch(s, sid, now, err);
}

static pl_status end_tx(struct pl_store *s, const char *hash, struct pl_error *err)
{
    struct pl_stmt *st;
    int64_t id;
    char obj[48];
    pl_status rc;

    if ((rc = pl__store_prepare(s, "DELETE FROM sessions WHERE hash = ? RETURNING id", &st, err)) !=
        PL_OK)
        return rc;
    pl__store_bind_text(st, 1, hash);
    rc = pl__store_step_id(s, st, "session", &id, err);
    pl__db_finalize(st);
    if (rc != PL_OK)
        return rc;
    snprintf(obj, sizeof(obj), "session %lld", (long long)id);
    return pl_store_audit_change(s, "session.logout", obj, NULL, NULL, NULL, err);
}

pl_status pl_store_session_end(struct pl_store *s, const char *sid, struct pl_error *err)
{
    char hash[2 * PL_TOKEN_HASH_LEN + 1];
    pl_status rc;

    if ((rc = pl_auth_session_hash(sid, hash, err)) != PL_OK ||
        (rc = pl_store_begin(s, err)) != PL_OK)
        return rc;
    if ((rc = end_tx(s, hash, err)) != PL_OK) {
        pl_store_rollback(s);
        return rc == PL_E_NOTFOUND ? pl_error_set(err, PL_E_DENIED, "no session") : rc;
    }
    return pl_store_commit(s, err);
}
