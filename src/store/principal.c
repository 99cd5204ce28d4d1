/*
 * principal.c - who acts on the store: a token's user, the user mapped to
 * the OS account, the store owner's administrative identity, or (on a store
 * with no users) the OS account as before. Also the owners an object
 * touches, for scoped roles.
 */
#include <openssl/crypto.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "auth_int.h"

void pl__store_copy_name(char *dst, const char *src)
{
    size_t n = src ? strlen(src) : 0;

    if (n >= PL_AUTH_NAME_MAX)
        n = PL_AUTH_NAME_MAX - 1;
    if (n)
        memcpy(dst, src, n);
    dst[n] = '\0';
}

/* The OS account running this process (cached). */
const char *pl__store_os_user(void)
{
    static char name[PL_AUTH_NAME_MAX];
    struct passwd pw, *res = NULL;
    char buf[1024];
    uid_t uid = geteuid();

    if (name[0])
        return name;
    if (getpwuid_r(uid, &pw, buf, sizeof(buf), &res) == 0 && res && res->pw_name)
        pl__store_copy_name(name, res->pw_name);
    else if (snprintf(name, sizeof(name), "uid:%u", (unsigned)uid) < 0)
        name[0] = '?';
    return name;
}

/* The name later records carry; set with the handle's principal (per thread). */
static _Thread_local char acting[PL_AUTH_NAME_MAX];

const char *pl_store_actor(void)
{
    return acting[0] ? acting : pl__store_os_user();
}

struct pl__auth *pl__store_auth(struct pl_store *s)
{
    if (s->auth == NULL)
        s->auth = pl_xcalloc(1, sizeof(*s->auth));
    return s->auth;
}

void pl__store_auth_free(struct pl_store *s)
{
    if (s->auth == NULL)
        return;
    OPENSSL_cleanse(s->auth->key, sizeof(s->auth->key));
    free(s->auth);
    s->auth = NULL;
}

void pl_store_set_principal(struct pl_store *s, const struct pl_principal *p)
{
    struct pl__auth *a = pl__store_auth(s);

    a->principal = *p;
    a->resolved = true;
    pl__store_copy_name(acting, p->name);
}

/* Roles and scopes of user id into p. */
pl_status pl__store_load_user(struct pl_store *s, int64_t id, struct pl_principal *p,
                              struct pl_error *err)
{
    static const char q_user[] = "SELECT name, roles, disabled_at FROM users WHERE id = ?";
    static const char q_scopes[] = "SELECT owner FROM user_scopes WHERE user_id = ? ORDER BY owner";
    struct pl_stmt *st;
    pl_status rc;
    int step;
    bool disabled = false;

    if ((rc = pl__store_prepare(s, q_user, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, id);
    step = pl__db_step(st);
    if (step == PL_DB_ROW) {
        pl__store_copy_name(p->name, (const char *)pl__db_column_text(st, 0));
        p->roles = (unsigned)pl__db_column_int64(st, 1) & PL_ROLES_ALL;
        disabled = pl__db_column_type(st, 2) != PL_DB_NULL;
    }
    pl__db_finalize(st);
    if (step != PL_DB_ROW)
        return step == PL_DB_DONE ? pl_error_set(err, PL_E_DENIED, "refused: no such user")
                                  : pl__store_fail(s, err, "user");
    if (disabled)
        return pl_error_set(err, PL_E_DENIED, "refused: user '%s' is disabled", p->name);
    p->kind = PL_PRINCIPAL_USER;
    p->user_id = id;
    if ((rc = pl__store_prepare(s, q_scopes, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, id);
    p->n_scopes = 0;
    while ((step = pl__db_step(st)) == PL_DB_ROW && p->n_scopes < PL_AUTH_SCOPES_MAX)
        pl__store_copy_name(p->scopes[p->n_scopes++], (const char *)pl__db_column_text(st, 0));
    pl__db_finalize(st);
    return step == PL_DB_ROW || step == PL_DB_DONE ? PL_OK : pl__store_fail(s, err, "user scopes");
}

/* A single integer from sql with one optional text binding. */
static pl_status scalar(struct pl_store *s, const char *sql, const char *arg, int64_t *out,
                        bool *found, struct pl_error *err)
{
    struct pl_stmt *st;
    pl_status rc;
    int step;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    if (arg)
        pl__store_bind_text(st, 1, arg);
    step = pl__db_step(st);
    *found = step == PL_DB_ROW && pl__db_column_type(st, 0) != PL_DB_NULL;
    *out = *found ? pl__db_column_int64(st, 0) : 0;
    pl__db_finalize(st);
    if (step != PL_DB_ROW && step != PL_DB_DONE)
        return pl__store_fail(s, err, "principal");
    return PL_OK;
}

static bool owns_store(const struct pl_store *s)
{
    struct stat sb;
    uid_t uid = geteuid();

    if (uid == 0)
        return true;
    return s->path && stat(s->path, &sb) == 0 && sb.st_uid == uid;
}

static pl_status resolve(struct pl_store *s, const char *token, struct pl_principal *p,
                         struct pl_error *err)
{
    int64_t n_users = 0, id = 0;
    bool found;
    pl_status rc;

    memset(p, 0, sizeof(*p));
    pl__store_copy_name(p->os_user, pl__store_os_user());
    p->owner_account = owns_store(s);
    if (token) {
        bool owner = p->owner_account;

        if ((rc = pl_store_token_verify(s, token, pl_clock_now(), p, err)) != PL_OK)
            return rc;
        p->owner_account = owner;
        return PL_OK;
    }
    if ((rc = scalar(s, "SELECT count(*) FROM users", NULL, &n_users, &found, err)) != PL_OK)
        return rc;
    if (n_users == 0) {
        p->kind = PL_PRINCIPAL_LEGACY;
        p->roles = PL_ROLES_ALL;
        pl__store_copy_name(p->name, p->os_user);
        return PL_OK;
    }
    if ((rc = scalar(s, "SELECT id FROM users WHERE os_user = ?", p->os_user, &id, &found, err)) !=
        PL_OK)
        return rc;
    if (found)
        return pl__store_load_user(s, id, p, err);
    if (p->owner_account) {
        p->kind = PL_PRINCIPAL_OWNER;
        p->roles = PL_ROLE_ADMIN | PL_ROLE_OPERATOR | PL_ROLE_VIEWER;
        pl__store_copy_name(p->name, PL_AUTH_OWNER_NAME);
        return PL_OK;
    }
    return pl_error_set(err, PL_E_DENIED,
                        "refused: OS account '%s' is no Patchline user of this store (its owner "
                        "maps one: patchline user add NAME --role ROLE --os-user %s)",
                        p->os_user, p->os_user);
}

pl_status pl_store_principal(struct pl_store *s, const struct pl_principal **out,
                             struct pl_error *err)
{
    struct pl__auth *a = pl__store_auth(s);
    struct pl_principal p;
    pl_status rc;

    if (!a->resolved) {
        if ((rc = resolve(s, NULL, &p, err)) != PL_OK)
            return rc;
        pl_store_set_principal(s, &p);
    }
    *out = &a->principal;
    return PL_OK;
}

pl_status pl_store_act(struct pl_store *s, const char *token, enum pl_action action,
                       struct pl_error *err)
{
    struct pl_principal p;
    pl_status rc;

    if ((rc = resolve(s, token, &p, err)) != PL_OK)
        return rc;
    pl_store_set_principal(s, &p);
    return pl_auth_may(&p, action, NULL, err);
}

void pl_owner_set_release(struct pl_owner_set *o)
{
    for (size_t i = 0; i < o->n; i++)
        free(o->owners[i]);
    free(o->owners);
    o->owners = NULL;
    o->n = 0;
    o->unowned = false;
}

static pl_status owners(struct pl_store *s, const char *sql, int64_t id, struct pl_owner_set *out,
                        struct pl_error *err)
{
    struct pl_owner_set o = {NULL, 0, false};
    size_t cap = 0;
    struct pl_stmt *st;
    pl_status rc;
    int step;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, id);
    while ((step = pl__db_step(st)) == PL_DB_ROW) {
        const char *v = (const char *)pl__db_column_text(st, 0);

        if (v == NULL || *v == '\0') {
            o.unowned = true;
            continue;
        }
        o.owners = pl_xgrow(o.owners, o.n, &cap, 8, sizeof(*o.owners));
        o.owners[o.n++] = pl_xstrdup(v);
    }
    pl__db_finalize(st);
    if (step != PL_DB_DONE) {
        pl_owner_set_release(&o);
        return pl__store_fail(s, err, "owners");
    }
    *out = o;
    return PL_OK;
}

pl_status pl_store_plan_owners(struct pl_store *s, int64_t plan_id, struct pl_owner_set *out,
                               struct pl_error *err)
{
    static const char sql[] =
        "SELECT DISTINCT a.owner FROM waves w JOIN wave_items i ON i.wave_id = w.id "
        "JOIN assets a ON a.id = i.asset_id WHERE w.plan_id = ? ORDER BY a.owner";

    return owners(s, sql, plan_id, out, err);
}

pl_status pl_store_exception_owners(struct pl_store *s, int64_t exception_id,
                                    struct pl_owner_set *out, struct pl_error *err)
{
    static const char sql[] =
        "SELECT DISTINCT a.owner FROM assets a WHERE a.id IN (SELECT f.asset_id FROM exceptions "
        "e JOIN findings f ON f.id = e.finding_id WHERE e.id = ?1 UNION SELECT x.asset_id FROM "
        "exception_assets x WHERE x.exception_id = ?1) ORDER BY a.owner";

    return owners(s, sql, exception_id, out, err);
}
