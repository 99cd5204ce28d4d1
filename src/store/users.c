/*
 * users.c - users, their roles and scopes, and their tokens (only hashes).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/buf.h"

#include "auth_int.h"

static pl_status need_admin(struct pl_store *s, struct pl_error *err)
{
    const struct pl_principal *p;
    pl_status rc;

    if ((rc = pl_store_principal(s, &p, err)) != PL_OK)
        return rc;
    return pl_auth_may(p, PL_ACT_ADMIN, NULL, err);
}

static pl_status check_name(const char *what, const char *v, struct pl_error *err)
{
    size_t n = v ? strlen(v) : 0;

    if (n == 0 || n >= PL_AUTH_NAME_MAX)
        return pl_error_set(err, PL_E_INVALID, "%s: want 1 to %d characters", what,
                            PL_AUTH_NAME_MAX - 1);
    for (size_t i = 0; i < n; i++) {
        char c = v[i];

        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-' || c == '@'))
            return pl_error_set(err, PL_E_INVALID,
                                "%s '%s': only letters, digits and . _ - @ are allowed", what, v);
    }
    if (strcmp(v, PL_AUTH_OWNER_NAME) == 0)
        return pl_error_set(err, PL_E_INVALID, "%s '%s' is the store owner's own name", what, v);
    return PL_OK;
}

/* Run fn in the caller's transaction, or in one of its own. */
static pl_status in_tx(struct pl_store *s, pl_status rc_body, struct pl_error *err)
{
    (void)err;
    if (rc_body != PL_OK) {
        pl_store_rollback(s);
        return rc_body;
    }
    return pl_store_commit(s, err);
}

static pl_status user_id(struct pl_store *s, const char *name, int64_t *id, bool *disabled,
                         struct pl_error *err)
{
    static const char sql[] = "SELECT id, disabled_at FROM users WHERE name = ?";
    struct pl_stmt *st;
    pl_status rc;
    int step;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__store_bind_text(st, 1, name);
    step = pl__db_step(st);
    if (step == PL_DB_ROW) {
        *id = pl__db_column_int64(st, 0);
        if (disabled)
            *disabled = pl__db_column_type(st, 1) != PL_DB_NULL;
    }
    pl__db_finalize(st);
    if (step == PL_DB_DONE)
        return pl_error_set(err, PL_E_NOTFOUND, "no user '%s'", name);
    return step == PL_DB_ROW ? PL_OK : pl__store_fail(s, err, "user");
}

static pl_status exec_bound(struct pl_store *s, const char *sql, const char *what, int64_t a,
                            int64_t b, const char *t, int *changes, struct pl_error *err)
{
    struct pl_stmt *st;
    pl_status rc;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, a);
    pl__db_bind_int64(st, 2, b);
    if (t)
        pl__store_bind_text(st, 3, t);
    if (pl__db_step(st) != PL_DB_DONE)
        rc = pl__store_fail(s, err, what);
    else if (changes)
        *changes = pl__db_changes(s->db);
    pl__db_finalize(st);
    return rc;
}

static pl_status add_tx(struct pl_store *s, const struct pl_user_spec *u, pl_time_t now,
                        int64_t *id, struct pl_error *err)
{
    static const char q_taken[] = "SELECT count(*) FROM users WHERE name = ?1 OR os_user = ?2";
    static const char q_ins[] = "INSERT INTO users (name, roles, os_user, created_at, created_by) "
                                "VALUES (?, ?, ?, ?, ?) RETURNING id";
    static const char q_scope[] = "INSERT INTO user_scopes (user_id, owner) VALUES (?, ?) "
                                  "ON CONFLICT (user_id, owner) DO NOTHING";
    char roles[96];
    struct pl_buf after;
    struct pl_stmt *st;
    pl_status rc;
    int step;

    if ((rc = pl__store_prepare(s, q_taken, &st, err)) != PL_OK)
        return rc;
    pl__store_bind_text(st, 1, u->name);
    pl__store_bind_text(st, 2, u->os_user);
    step = pl__db_step(st);
    if (step == PL_DB_ROW && pl__db_column_int64(st, 0) > 0)
        rc = pl_error_set(err, PL_E_CONFLICT, "user '%s'%s%s%s is taken", u->name,
                          u->os_user ? " or OS account '" : "", u->os_user ? u->os_user : "",
                          u->os_user ? "'" : "");
    else if (step != PL_DB_ROW)
        rc = pl__store_fail(s, err, "user add");
    pl__db_finalize(st);
    if (rc != PL_OK)
        return rc;
    if ((rc = pl__store_prepare(s, q_ins, &st, err)) != PL_OK)
        return rc;
    pl__store_bind_text(st, 1, u->name);
    pl__db_bind_int64(st, 2, u->roles);
    pl__store_bind_text(st, 3, u->os_user);
    pl__db_bind_int64(st, 4, now);
    pl__store_bind_text(st, 5, pl_store_actor());
    if (pl__db_step(st) == PL_DB_ROW)
        *id = pl__db_column_int64(st, 0);
    else
        rc = pl__store_fail(s, err, "user add");
    pl__db_finalize(st);
    if (rc != PL_OK)
        return rc;
    for (size_t i = 0; i < u->n_scopes; i++) {
        if ((rc = pl__store_prepare(s, q_scope, &st, err)) != PL_OK)
            return rc;
        pl__db_bind_int64(st, 1, *id);
        pl__store_bind_text(st, 2, u->scopes[i]);
        if (pl__db_step(st) != PL_DB_DONE)
            rc = pl__store_fail(s, err, "user scope");
        pl__db_finalize(st);
        if (rc != PL_OK)
            return rc;
    }
    pl_buf_init(&after, 4096);
    pl_buf_addf(&after, "roles=%s", pl_auth_roles_format(u->roles, roles, sizeof(roles)));
    for (size_t i = 0; i < u->n_scopes; i++)
        pl_buf_addf(&after, "%sowner=%s", i ? "," : " scope=", u->scopes[i]);
    if (u->os_user)
        pl_buf_addf(&after, " os-user=%s", u->os_user);
    rc = pl_store_audit_change(s, "user.add", u->name, pl_buf_cstr(&after), NULL,
                               pl_buf_cstr(&after), err);
    pl_buf_release(&after);
    return rc;
}

pl_status pl_store_user_add(struct pl_store *s, const struct pl_user_spec *u, pl_time_t now,
                            int64_t *id, struct pl_error *err)
{
    pl_status rc;

    if ((rc = check_name("user name", u->name, err)) != PL_OK ||
        (u->os_user && (rc = check_name("--os-user", u->os_user, err)) != PL_OK))
        return rc;
    if (u->roles == 0 || (u->roles & ~PL_ROLES_ALL))
        return pl_error_set(err, PL_E_INVALID, "a user needs at least one role (--role ROLE)");
    if (u->n_scopes > PL_AUTH_SCOPES_MAX)
        return pl_error_set(err, PL_E_INVALID, "at most %d scopes", PL_AUTH_SCOPES_MAX);
    if ((rc = need_admin(s, err)) != PL_OK || (rc = pl_store_begin(s, err)) != PL_OK)
        return rc;
    return in_tx(s, add_tx(s, u, now, id, err), err);
}

void pl_user_rows_release(struct pl_user_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(rows[i].name);
        free(rows[i].os_user);
        free(rows[i].created_by);
        free(rows[i].scopes);
    }
    free(rows);
}

/* The scopes of user id as "a,b" (NULL: none); an SQLite step code. */
static int scopes_of(struct pl_store *s, int64_t id, char **out)
{
    static const char sql[] = "SELECT owner FROM user_scopes WHERE user_id = ? ORDER BY owner";
    struct pl_buf b;
    struct pl_stmt *st;
    int step;

    if (pl__db_prepare(s->db, sql, &st) != PL_DB_OK)
        return PL_DB_ERROR;
    pl_buf_init(&b, 4096);
    pl__db_bind_int64(st, 1, id);
    while ((step = pl__db_step(st)) == PL_DB_ROW)
        pl_buf_addf(&b, "%s%s", b.len ? "," : "", (const char *)pl__db_column_text(st, 0));
    pl__db_finalize(st);
    *out = b.len ? pl_xstrdup(pl_buf_cstr(&b)) : NULL;
    pl_buf_release(&b);
    return step;
}

pl_status pl_store_user_list(struct pl_store *s, pl_time_t now, struct pl_user_row **rows,
                             size_t *n, struct pl_error *err)
{
    static const char sql[] =
        "SELECT u.id, u.name, u.roles, u.os_user, u.created_at, u.created_by, u.disabled_at, "
        "(SELECT count(*) FROM tokens t WHERE t.user_id = u.id AND t.revoked_at IS NULL AND "
        "t.expires_at > ?) FROM users u ORDER BY u.name";
    struct pl_user_row *l = NULL;
    size_t cap = 0, k = 0;
    struct pl_stmt *st;
    pl_status rc;
    int step;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, now);
    while ((step = pl__db_step(st)) == PL_DB_ROW) {
        struct pl_user_row *r;

        l = pl_xgrow(l, k, &cap, 8, sizeof(*l));
        r = &l[k++];
        r->id = pl__db_column_int64(st, 0);
        r->name = pl__store_col_strdup(st, 1);
        r->roles = (unsigned)pl__db_column_int64(st, 2);
        r->os_user = pl__store_col_strdup(st, 3);
        r->created_at = pl__db_column_int64(st, 4);
        r->created_by = pl__store_col_strdup(st, 5);
        r->disabled_at = pl__db_column_int64(st, 6);
        r->n_tokens = pl__db_column_int64(st, 7);
    }
    pl__db_finalize(st);
    for (size_t i = 0; step == PL_DB_DONE && i < k; i++)
        step = scopes_of(s, l[i].id, &l[i].scopes);
    if (step != PL_DB_DONE) {
        pl_user_rows_release(l, k);
        return pl__store_fail(s, err, "user list");
    }
    *rows = l;
    *n = k;
    return PL_OK;
}

static pl_status disable_tx(struct pl_store *s, const char *name, pl_time_t now,
                            struct pl_error *err)
{
    static const char q_user[] = "UPDATE users SET disabled_at = ?2 WHERE id = ?1";
    static const char q_tok[] =
        "UPDATE tokens SET revoked_at = ?2 WHERE user_id = ?1 AND revoked_at IS NULL";
    char detail[64];
    int64_t id = 0;
    bool disabled = false;
    int n_tok = 0;
    pl_status rc;

    if ((rc = user_id(s, name, &id, &disabled, err)) != PL_OK)
        return rc;
    if (disabled)
        return pl_error_set(err, PL_E_CONFLICT, "user '%s' is already disabled", name);
    if ((rc = exec_bound(s, q_user, "user disable", id, now, NULL, NULL, err)) != PL_OK ||
        (rc = exec_bound(s, q_tok, "user disable", id, now, NULL, &n_tok, err)) != PL_OK)
        return rc;
    if (snprintf(detail, sizeof(detail), "%d token(s) revoked", n_tok) < 0)
        detail[0] = '\0';
    return pl_store_audit_change(s, "user.disable", name, detail, "enabled", "disabled", err);
}

pl_status pl_store_user_disable(struct pl_store *s, const char *name, pl_time_t now,
                                struct pl_error *err)
{
    pl_status rc;

    if ((rc = need_admin(s, err)) != PL_OK || (rc = pl_store_begin(s, err)) != PL_OK)
        return rc;
    return in_tx(s, disable_tx(s, name, now, err), err);
}

static pl_status roles_tx(struct pl_store *s, const char *name, unsigned roles,
                          struct pl_error *err)
{
    static const char q_get[] = "SELECT roles FROM users WHERE id = ?";
    static const char q_set[] = "UPDATE users SET roles = ?2 WHERE id = ?1";
    char before[96], after[96];
    int64_t id = 0, old = 0;
    bool found;
    struct pl_stmt *st;
    pl_status rc;
    int step;

    if ((rc = user_id(s, name, &id, NULL, err)) != PL_OK ||
        (rc = pl__store_prepare(s, q_get, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, id);
    step = pl__db_step(st);
    found = step == PL_DB_ROW;
    old = found ? pl__db_column_int64(st, 0) : 0;
    pl__db_finalize(st);
    if (!found)
        return pl__store_fail(s, err, "user roles");
    if ((rc = exec_bound(s, q_set, "user roles", id, roles, NULL, NULL, err)) != PL_OK)
        return rc;
    return pl_store_audit_change(s, "user.roles", name, NULL,
                                 pl_auth_roles_format((unsigned)old, before, sizeof(before)),
                                 pl_auth_roles_format(roles, after, sizeof(after)), err);
}

pl_status pl_store_user_roles(struct pl_store *s, const char *name, unsigned roles,
                              struct pl_error *err)
{
    pl_status rc;

    if (roles == 0 || (roles & ~PL_ROLES_ALL))
        return pl_error_set(err, PL_E_INVALID, "a user needs at least one role");
    if ((rc = need_admin(s, err)) != PL_OK || (rc = pl_store_begin(s, err)) != PL_OK)
        return rc;
    return in_tx(s, roles_tx(s, name, roles, err), err);
}

static pl_status token_tx(struct pl_store *s, const char *name, int64_t lifetime, pl_time_t now,
                          char *tok, int64_t *id, struct pl_error *err)
{
    static const char sql[] = "INSERT INTO tokens (user_id, lookup, hash, created_at, expires_at) "
                              "VALUES (?, ?, ?, ?, ?) RETURNING id";
    uint8_t hash[PL_TOKEN_HASH_LEN];
    char lookup[PL_TOKEN_LOOKUP_LEN + 1], hex[2 * PL_TOKEN_HASH_LEN + 1], obj[48], detail[96];
    char until[PL_TIME_STR_LEN];
    int64_t uid = 0;
    bool disabled = false;
    struct pl_stmt *st;
    pl_status rc;

    if ((rc = user_id(s, name, &uid, &disabled, err)) != PL_OK)
        return rc;
    if (disabled)
        return pl_error_set(err, PL_E_CONFLICT, "user '%s' is disabled", name);
    if ((rc = pl_auth_token_new(tok, err)) != PL_OK ||
        (rc = pl_auth_token_hash(tok, hash, lookup, err)) != PL_OK ||
        (rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, uid);
    pl__store_bind_text(st, 2, lookup);
    pl__store_bind_text(st, 3, pl_auth_hex(hash, sizeof(hash), hex));
    pl__db_bind_int64(st, 4, now);
    pl__db_bind_int64(st, 5, now + lifetime);
    if (pl__db_step(st) == PL_DB_ROW)
        *id = pl__db_column_int64(st, 0);
    else
        rc = pl__store_fail(s, err, "token create");
    pl__db_finalize(st);
    if (rc != PL_OK)
        return rc;
    if (snprintf(obj, sizeof(obj), "token %lld", (long long)*id) < 0 ||
        snprintf(detail, sizeof(detail), "for %s, expires %s", name,
                 pl_time_format(now + lifetime, until)) < 0)
        PL_BUG("token audit text");
    return pl_store_audit_change(s, "token.create", obj, detail, NULL, NULL, err);
}

pl_status pl_store_token_create(struct pl_store *s, const char *name, int64_t lifetime,
                                pl_time_t now, char *tok, int64_t *id, struct pl_error *err)
{
    pl_status rc;

    if (lifetime <= 0 || lifetime > PL_TOKEN_EXPIRY_MAX)
        return pl_error_set(err, PL_E_INVALID, "a token lives at most 365d");
    if ((rc = need_admin(s, err)) != PL_OK || (rc = pl_store_begin(s, err)) != PL_OK)
        return rc;
    rc = in_tx(s, token_tx(s, name, lifetime, now, tok, id, err), err);
    if (rc != PL_OK)
        memset(tok, 0, PL_TOKEN_LEN + 1);
    return rc;
}

void pl_token_rows_release(struct pl_token_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(rows[i].user);
    free(rows);
}

pl_status pl_store_token_list(struct pl_store *s, struct pl_token_row **rows, size_t *n,
                              struct pl_error *err)
{
    static const char sql[] =
        "SELECT t.id, u.name, t.created_at, t.expires_at, COALESCE(t.revoked_at, 0), "
        "COALESCE(t.last_used_at, 0) FROM tokens t JOIN users u ON u.id = t.user_id ORDER BY t.id";
    struct pl_token_row *l = NULL;
    size_t cap = 0, k = 0;
    struct pl_stmt *st;
    pl_status rc;
    int step;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    while ((step = pl__db_step(st)) == PL_DB_ROW) {
        struct pl_token_row *r;

        l = pl_xgrow(l, k, &cap, 8, sizeof(*l));
        r = &l[k++];
        r->id = pl__db_column_int64(st, 0);
        r->user = pl__store_col_strdup(st, 1);
        r->created_at = pl__db_column_int64(st, 2);
        r->expires_at = pl__db_column_int64(st, 3);
        r->revoked_at = pl__db_column_int64(st, 4);
        r->last_used_at = pl__db_column_int64(st, 5);
    }
    pl__db_finalize(st);
    if (step != PL_DB_DONE) {
        pl_token_rows_release(l, k);
        return pl__store_fail(s, err, "token list");
    }
    *rows = l;
    *n = k;
    return PL_OK;
}

static pl_status revoke_tx(struct pl_store *s, int64_t id, pl_time_t now, struct pl_error *err)
{
    static const char q_get[] = "SELECT revoked_at FROM tokens WHERE id = ?";
    static const char q_set[] = "UPDATE tokens SET revoked_at = ?2 WHERE id = ?1";
    char obj[48];
    struct pl_stmt *st;
    pl_status rc;
    int step;
    bool revoked = false;

    if ((rc = pl__store_prepare(s, q_get, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, id);
    step = pl__db_step(st);
    if (step == PL_DB_ROW)
        revoked = pl__db_column_type(st, 0) != PL_DB_NULL;
    pl__db_finalize(st);
    if (step == PL_DB_DONE)
        return pl_error_set(err, PL_E_NOTFOUND, "no token %lld", (long long)id);
    if (step != PL_DB_ROW)
        return pl__store_fail(s, err, "token revoke");
    if (revoked)
        return pl_error_set(err, PL_E_CONFLICT, "token %lld is already revoked", (long long)id);
    if ((rc = exec_bound(s, q_set, "token revoke", id, now, NULL, NULL, err)) != PL_OK)
        return rc;
    if (snprintf(obj, sizeof(obj), "token %lld", (long long)id) < 0)
        PL_BUG("token object");
    return pl_store_audit_change(s, "token.revoke", obj, NULL, "live", "revoked", err);
}

pl_status pl_store_token_revoke(struct pl_store *s, int64_t id, pl_time_t now, struct pl_error *err)
{
    pl_status rc;

    if ((rc = need_admin(s, err)) != PL_OK || (rc = pl_store_begin(s, err)) != PL_OK)
        return rc;
    return in_tx(s, revoke_tx(s, id, now, err), err);
}

pl_status pl_store_token_verify(struct pl_store *s, const char *tok, pl_time_t now,
                                struct pl_principal *out, struct pl_error *err)
{
    static const char sql[] =
        "SELECT t.hash, t.user_id FROM tokens t JOIN users u ON u.id = t.user_id WHERE "
        "t.lookup = ? AND t.revoked_at IS NULL AND t.expires_at > ? AND u.disabled_at IS NULL";
    static const char denied[] = "refused: the token is not valid (unknown, expired or revoked)";
    uint8_t want[PL_TOKEN_HASH_LEN], have[PL_TOKEN_HASH_LEN];
    char lookup[PL_TOKEN_LOOKUP_LEN + 1];
    int64_t uid = 0;
    struct pl_error ignore = PL_ERROR_INIT;
    struct pl_stmt *st;
    pl_status rc;
    int step;

    if (pl_auth_token_hash(tok, want, lookup, &ignore) != PL_OK)
        return pl_error_set(err, PL_E_DENIED, "%s", denied);
    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__store_bind_text(st, 1, lookup);
    pl__db_bind_int64(st, 2, now);
    while ((step = pl__db_step(st)) == PL_DB_ROW) {
        const char *hex = (const char *)pl__db_column_text(st, 0);

        if (pl_auth_unhex(hex, have, sizeof(have)) && pl_auth_equal(have, want, sizeof(want)))
            uid = pl__db_column_int64(st, 1);
    }
    pl__db_finalize(st);
    if (step != PL_DB_DONE)
        return pl__store_fail(s, err, "token");
    if (uid == 0)
        return pl_error_set(err, PL_E_DENIED, "%s", denied);
    memset(out, 0, sizeof(*out));
    pl__store_copy_name(out->os_user, pl__store_os_user());
    out->by_token = true;
    return pl__store_load_user(s, uid, out, err);
}

/* The token's hash in hex into hex, and whether its last use is due (a read). */
static pl_status touch_due(struct pl_store *s, const char *tok, pl_time_t now, char *hex, bool *due,
                           struct pl_error *err)
{
    /* the other requests of the minute read only: no write lock, no commit */
    static const char sql[] = "SELECT 1 FROM tokens WHERE hash = ?2 AND "
                              "(last_used_at IS NULL OR last_used_at <= ?1 - 60)";
    uint8_t hash[PL_TOKEN_HASH_LEN];
    char lookup[PL_TOKEN_LOOKUP_LEN + 1];
    struct pl_stmt *st;
    pl_status rc;
    int step;

    if ((rc = pl_auth_token_hash(tok, hash, lookup, err)) != PL_OK ||
        (rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, now);
    pl__store_bind_text(st, 2, pl_auth_hex(hash, sizeof(hash), hex));
    step = pl__db_step(st);
    pl__db_finalize(st);
    if (step != PL_DB_DONE && step != PL_DB_ROW)
        return pl__store_fail(s, err, "token touch");
    *due = step == PL_DB_ROW;
    return PL_OK;
}

pl_status pl_store_token_touch_due(struct pl_store *s, const char *tok, pl_time_t now, bool *due,
                                   struct pl_error *err)
{
    char hex[2 * PL_TOKEN_HASH_LEN + 1];

    return touch_due(s, tok, now, hex, due, err);
}

pl_status pl_store_token_touch(struct pl_store *s, const char *tok, pl_time_t now,
                               struct pl_error *err)
{
    /* at most one write a minute per token, whatever the number of requests */
    static const char sql[] = "UPDATE tokens SET last_used_at = ?1 WHERE hash = ?2 AND "
                              "(last_used_at IS NULL OR last_used_at <= ?1 - 60)";
    char hex[2 * PL_TOKEN_HASH_LEN + 1];
    struct pl_stmt *st;
    pl_status rc;
    bool due = false;

    if ((rc = touch_due(s, tok, now, hex, &due, err)) != PL_OK || !due)
        return rc;
    if ((rc = pl_store_begin(s, err)) != PL_OK)
        return rc;
    if ((rc = pl__store_prepare(s, sql, &st, err)) == PL_OK) {
        pl__db_bind_int64(st, 1, now);
        pl__store_bind_text(st, 2, hex);
        if (pl__db_step(st) != PL_DB_DONE)
            rc = pl__store_fail(s, err, "token touch");
        pl__db_finalize(st);
    }
    return in_tx(s, rc, err);
}

const char *const pl_user_col_names[PL_USER_N_COLS] = {
    "name", "roles", "scope", "os_user", "status", "tokens", "created", "created_by",
};
const enum pl_cell_type pl_user_col_types[PL_USER_N_COLS] = {
    PL_CELL_TEXT, PL_CELL_TEXT, PL_CELL_TEXT, PL_CELL_TEXT,
    PL_CELL_TEXT, PL_CELL_INT,  PL_CELL_TEXT, PL_CELL_TEXT,
};

void pl_user_cells(const struct pl_user_row *u, struct pl_user_cells *c)
{
    snprintf(c->tokens, sizeof(c->tokens), "%lld", (long long)u->n_tokens);
    c->v[0] = u->name;
    c->v[1] = pl_auth_roles_format(u->roles, c->roles, sizeof(c->roles));
    c->v[2] = u->scopes ? u->scopes : "";
    c->v[3] = u->os_user ? u->os_user : "";
    c->v[4] = u->disabled_at ? "disabled" : "enabled";
    c->v[5] = c->tokens;
    c->v[6] = pl_time_format(u->created_at, c->created);
    c->v[7] = u->created_by;
}

const char *const pl_token_col_names[PL_TOKEN_N_COLS] = {
    "id", "user", "status", "created", "expires", "revoked", "last_used",
};
const enum pl_cell_type pl_token_col_types[PL_TOKEN_N_COLS] = {
    PL_CELL_INT, PL_CELL_TEXT, PL_CELL_TEXT, PL_CELL_TEXT, PL_CELL_TEXT, PL_CELL_TEXT, PL_CELL_TEXT,
};

void pl_token_cells(const struct pl_token_row *t, pl_time_t now, struct pl_token_cells *c)
{
    snprintf(c->id, sizeof(c->id), "%lld", (long long)t->id);
    c->v[0] = c->id;
    c->v[1] = t->user;
    c->v[2] = t->revoked_at ? "revoked" : t->expires_at <= now ? "expired" : "live";
    c->v[3] = pl_time_format(t->created_at, c->created);
    c->v[4] = pl_time_format(t->expires_at, c->expires);
    c->v[5] = t->revoked_at ? pl_time_format(t->revoked_at, c->revoked) : NULL;
    c->v[6] = t->last_used_at ? pl_time_format(t->last_used_at, c->last_used) : NULL;
}
