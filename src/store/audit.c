/*
 * audit.c - the audit log: every state change, with real and effective time.
 */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "store_int.h"

const char *pl_store_actor(void)
{
    static char name[64];
    struct passwd pw, *res = NULL;
    char buf[1024];
    uid_t uid = geteuid();

    if (name[0])
        return name;
    if (getpwuid_r(uid, &pw, buf, sizeof(buf), &res) == 0 && res && res->pw_name) {
        if (snprintf(name, sizeof(name), "%s", res->pw_name) >= (int)sizeof(name))
            name[sizeof(name) - 1] = '\0';
    } else if (snprintf(name, sizeof(name), "uid:%u", (unsigned)uid) < 0) {
        name[0] = '?';
    }
    return name;
}

pl_status pl_store_audit(struct pl_store *s, const char *action, const char *object,
                         const char *detail, struct pl_error *err)
{
    static const char sql[] = "INSERT INTO audit_events (at, at_real, simulated, actor, action, "
                              "object, detail) VALUES (?, ?, ?, ?, ?, ?, ?)";
    struct pl_stmt *st;
    pl_status rc;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, pl_clock_now());
    pl__db_bind_int64(st, 2, pl_clock_real());
    pl__db_bind_int(st, 3, pl_clock_simulated());
    pl__store_bind_text(st, 4, pl_store_actor());
    pl__store_bind_text(st, 5, action);
    pl__store_bind_text(st, 6, object);
    pl__store_bind_text(st, 7, detail);
    if (pl__db_step(st) != PL_DB_DONE)
        rc = pl__store_fail(s, err, "audit");
    pl__db_finalize(st);
    return rc;
}

pl_status pl_store_audit_list(struct pl_store *s, size_t limit, struct pl_audit_list *out,
                              struct pl_error *err)
{
    static const char sql[] =
        "SELECT id, at, at_real, simulated, actor, action, object, detail FROM "
        "(SELECT * FROM audit_events ORDER BY id DESC LIMIT ?) AS recent ORDER BY id";
    struct pl_audit_list l = {NULL, 0};
    size_t cap = 0;
    struct pl_stmt *st;
    pl_status rc;
    int step;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, (int64_t)limit);
    while ((step = pl__db_step(st)) == PL_DB_ROW) {
        struct pl_audit_event *e;

        l.items = pl_xgrow(l.items, l.n, &cap, 16, sizeof(*l.items));
        e = &l.items[l.n++];
        e->id = pl__db_column_int64(st, 0);
        e->at = pl__db_column_int64(st, 1);
        e->at_real = pl__db_column_int64(st, 2);
        e->simulated = pl__db_column_int(st, 3) != 0;
        e->actor = pl__store_col_strdup(st, 4);
        e->action = pl__store_col_strdup(st, 5);
        e->object = pl__store_col_strdup(st, 6);
        e->detail = pl__store_col_strdup(st, 7);
    }
    if (step != PL_DB_DONE) {
        rc = pl__store_fail(s, err, "audit list");
        pl_audit_list_release(&l);
    } else {
        *out = l;
    }
    pl__db_finalize(st);
    return rc;
}

void pl_audit_list_release(struct pl_audit_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->items[i].actor);
        free(l->items[i].action);
        free(l->items[i].object);
        free(l->items[i].detail);
    }
    free(l->items);
    l->items = NULL;
    l->n = 0;
}
