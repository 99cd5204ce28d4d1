/*
 * notify.c - notifiers and the webhook outbox (store_notify.h). The
 * enqueue is set-based: one INSERT ... SELECT per kind of event, each
 * ignoring an event the notifier already has (UNIQUE (notifier_id,
 * event_key)), so it can run at every state change and at every delivery.
 */
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/buf.h"
#include "patchline/store_notify.h"

#include "auth_int.h"

static pl_status need_admin(struct pl_store *s, struct pl_error *err)
{
    const struct pl_principal *p;
    pl_status rc;

    if ((rc = pl_store_principal(s, &p, err)) != PL_OK)
        return rc;
    return pl_auth_may(p, PL_ACT_ADMIN, NULL, err);
}

static pl_status finish(struct pl_store *s, pl_status rc, struct pl_error *err)
{
    if (rc != PL_OK) {
        pl_store_rollback(s);
        return rc;
    }
    return pl_store_commit(s, err);
}

static pl_status add_tx(struct pl_store *s, const struct pl_notifier_spec *n, pl_time_t now,
                        int64_t *id, struct pl_error *err)
{
    static const char sql[] = "INSERT INTO notifiers (url, secret, events, expiring_days, "
                              "created_at, created_by) VALUES (?, ?, ?, ?, ?, ?) RETURNING id";
    const struct pl_principal *p;
    struct pl_buf sealed = PL_BUF_INIT(0);
    char obj[48], detail[80];
    struct pl_stmt *st;
    pl_status rc;

    if ((rc = pl_store_principal(s, &p, err)) != PL_OK ||
        (rc = pl__store_seal(s, n->secret_hex, &sealed, err)) != PL_OK ||
        (rc = pl__store_prepare(s, sql, &st, err)) != PL_OK) {
        pl_buf_release(&sealed);
        return rc;
    }
    pl__store_bind_text(st, 1, n->url);
    pl__store_bind_text(st, 2, pl_buf_cstr(&sealed));
    pl__db_bind_int64(st, 3, n->events);
    pl__db_bind_int(st, 4, n->expiring_days);
    pl__db_bind_int64(st, 5, now);
    pl__store_bind_text(st, 6, p->name);
    rc = pl__store_step_id(s, st, "notify add", id, err);
    pl__db_finalize(st);
    pl_buf_release(&sealed);
    if (rc != PL_OK)
        return rc;
    if (snprintf(obj, sizeof(obj), "notifier %lld", (long long)*id) < 0 ||
        snprintf(detail, sizeof(detail), "events 0x%x, expiring within %d days", n->events,
                 n->expiring_days) < 0)
        PL_BUG("notifier audit text");
    return pl_store_audit_change(s, "notify.add", obj, detail, NULL, n->url, err);
}

pl_status pl_store_notifier_add(struct pl_store *s, const struct pl_notifier_spec *n, pl_time_t now,
                                int64_t *id, struct pl_error *err)
{
    pl_status rc;

    if (n == NULL || n->url == NULL || n->secret_hex == NULL || n->events == 0 ||
        (n->events & ~PL_NOTIFY_EV_ALL) || n->expiring_days < 1 || n->expiring_days > 365)
        return pl_error_set(err, PL_E_INVALID, "notify add: bad notifier");
    if ((rc = need_admin(s, err)) != PL_OK || (rc = pl_store_begin(s, err)) != PL_OK)
        return rc;
    return finish(s, add_tx(s, n, now, id, err), err);
}

static pl_status remove_tx(struct pl_store *s, int64_t id, pl_time_t now, struct pl_error *err)
{
    static const char q_get[] = "SELECT url FROM notifiers WHERE id = ? AND removed_at IS NULL";
    static const char q_set[] = "UPDATE notifiers SET removed_at = ? WHERE id = ?";
    struct pl_stmt *st;
    char obj[48], *url = NULL;
    pl_status rc;
    int step;

    if ((rc = pl__store_prepare(s, q_get, &st, err)) != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, id);
    step = pl__db_step(st);
    if (step == PL_DB_ROW)
        url = pl__store_col_strdup(st, 0);
    pl__db_finalize(st);
    if (step == PL_DB_DONE)
        return pl_error_set(err, PL_E_NOTFOUND, "no notifier %lld", (long long)id);
    if (step != PL_DB_ROW)
        return pl__store_fail(s, err, "notify remove");
    if ((rc = pl__store_prepare(s, q_set, &st, err)) == PL_OK) {
        pl__db_bind_int64(st, 1, now);
        pl__db_bind_int64(st, 2, id);
        if (pl__db_step(st) != PL_DB_DONE)
            rc = pl__store_fail(s, err, "notify remove");
        pl__db_finalize(st);
    }
    if (rc == PL_OK) {
        if (snprintf(obj, sizeof(obj), "notifier %lld", (long long)id) < 0)
            PL_BUG("notifier object");
        rc = pl_store_audit_change(s, "notify.remove", obj, NULL, url, NULL, err);
    }
    free(url);
    return rc;
}

pl_status pl_store_notifier_remove(struct pl_store *s, int64_t id, pl_time_t now,
                                   struct pl_error *err)
{
    pl_status rc;

    if ((rc = need_admin(s, err)) != PL_OK || (rc = pl_store_begin(s, err)) != PL_OK)
        return rc;
    return finish(s, remove_tx(s, id, now, err), err);
}

void pl_notifier_rows_release(struct pl_notifier_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(rows[i].url);
        free(rows[i].created_by);
    }
    free(rows);
}

pl_status pl_store_notifier_list(struct pl_store *s, struct pl_notifier_row **rows, size_t *n,
                                 struct pl_error *err)
{
    static const char sql[] =
        "SELECT n.id, n.url, n.events, n.expiring_days, n.created_at, n.created_by, "
        "COALESCE(n.removed_at, 0), "
        "(SELECT count(*) FROM notify_outbox o WHERE o.notifier_id = n.id AND "
        "o.delivered_at IS NULL AND o.dead_at IS NULL), "
        "(SELECT count(*) FROM notify_outbox o WHERE o.notifier_id = n.id AND "
        "o.delivered_at IS NOT NULL), "
        "(SELECT count(*) FROM notify_outbox o WHERE o.notifier_id = n.id AND "
        "o.dead_at IS NOT NULL) FROM notifiers n ORDER BY n.id";
    struct pl_notifier_row *l = NULL;
    size_t cap = 0, k = 0;
    struct pl_stmt *st;
    pl_status rc;
    int step;

    if ((rc = pl__store_prepare(s, sql, &st, err)) != PL_OK)
        return rc;
    while ((step = pl__db_step(st)) == PL_DB_ROW) {
        struct pl_notifier_row *r;

        l = pl_xgrow(l, k, &cap, 8, sizeof(*l));
        r = &l[k++];
        r->id = pl__db_column_int64(st, 0);
        r->url = pl__store_col_strdup(st, 1);
        r->events = (unsigned)pl__db_column_int64(st, 2);
        r->expiring_days = pl__db_column_int(st, 3);
        r->created_at = pl__db_column_int64(st, 4);
        r->created_by = pl__store_col_strdup(st, 5);
        r->removed_at = pl__db_column_int64(st, 6);
        r->waiting = pl__db_column_int64(st, 7);
        r->delivered = pl__db_column_int64(st, 8);
        r->dead = pl__db_column_int64(st, 9);
    }
    pl__db_finalize(st);
    if (step != PL_DB_DONE) {
        pl_notifier_rows_release(l, k);
        return pl__store_fail(s, err, "notify list");
    }
    *rows = l;
    *n = k;
    return PL_OK;
}

#define OUTBOX_INSERT                                                                          \
    "INSERT INTO notify_outbox (notifier_id, event, event_key, object_kind, object_id, vuln, " \
    "asset, owner, tier, due_at, who, kind, occurred_at, created_at, next_attempt_at) "
#define OUTBOX_LIVE(bit) "n.removed_at IS NULL AND (n.events & " bit ") <> 0"
#define OUTBOX_SKIP      " ON CONFLICT (notifier_id, event_key) DO NOTHING"

/*
 * One statement per kind of event; ?1 is now. A finding's Tier 0 event is
 * keyed by how often it reopened (a reopened finding is a new event), an
 * SLA breach by the due date it missed, an expiring exception by its expiry.
 */
static const char *const enqueue_sql[] = {
    OUTBOX_INSERT
    "SELECT n.id, 'tier0-opened', 'tier0-opened:finding:' || CAST(f.id AS TEXT) || "
    "':' || CAST(f.reopened_count AS TEXT), 'finding', f.id, f.vuln_id, a.name, "
    "a.owner, f.tier, f.due_at, CAST(NULL AS TEXT), CAST(NULL AS TEXT), COALESCE(f.tiered_at, f.first_seen), "
    "?1, ?1 FROM notifiers n JOIN findings f ON f.status = 'open' AND f.tier = 0 AND "
    "COALESCE(f.tiered_at, f.first_seen) >= n.created_at JOIN assets a ON a.id = "
    "f.asset_id WHERE " OUTBOX_LIVE("1") OUTBOX_SKIP,
    OUTBOX_INSERT
    "SELECT n.id, 'sla-breached', 'sla-breached:finding:' || CAST(f.id AS TEXT) || "
    "':' || CAST(f.due_at AS TEXT), 'finding', f.id, f.vuln_id, a.name, a.owner, "
    "f.tier, f.due_at, CAST(NULL AS TEXT), CAST(NULL AS TEXT), f.due_at, ?1, ?1 FROM notifiers n JOIN findings f "
    "ON f.due_at <= ?1 AND f.due_at > n.created_at AND f.status = 'open' JOIN assets "
    "a ON a.id = f.asset_id WHERE " OUTBOX_LIVE("2") OUTBOX_SKIP,
    OUTBOX_INSERT
    "SELECT n.id, 'approval-waiting', 'approval-waiting:exception:' || CAST(e.id AS "
    "TEXT), 'exception', e.id, e.vuln_id, CAST(NULL AS TEXT), CAST(NULL AS TEXT), CAST(NULL AS INTEGER), e.expires_at, "
    "e.requester, e.type, e.requested_at, ?1, ?1 FROM notifiers n JOIN exceptions e "
    "ON e.status = 'pending' AND e.requested_at >= n.created_at WHERE " OUTBOX_LIVE("4")
        OUTBOX_SKIP,
    OUTBOX_INSERT
    "SELECT n.id, 'approval-waiting', 'approval-waiting:plan:' || CAST(p.id AS TEXT), "
    "'plan', p.id, CAST(NULL AS TEXT), CAST(NULL AS TEXT), CAST(NULL AS TEXT), CAST(NULL AS INTEGER), CAST(NULL AS INTEGER), p.requester, CAST(NULL AS TEXT), p.created_at, "
    "?1, ?1 FROM notifiers n JOIN plans p ON p.created_at >= n.created_at WHERE " OUTBOX_LIVE(
        "4") " AND EXISTS (SELECT 1 FROM waves w WHERE w.plan_id = p.id AND "
             "w.needs_approval = 1) AND NOT EXISTS (SELECT 1 FROM approvals ap WHERE "
             "ap.plan_id = p.id AND ap.kind = 'approve')" OUTBOX_SKIP,
    OUTBOX_INSERT
    "SELECT n.id, 'exception-expiring', 'exception-expiring:exception:' || CAST(e.id "
    "AS TEXT) || ':' || CAST(e.expires_at AS TEXT), 'exception', e.id, e.vuln_id, "
    "CAST(NULL AS TEXT), CAST(NULL AS TEXT), CAST(NULL AS INTEGER), e.expires_at, e.requester, e.type, ?1, ?1, ?1 FROM notifiers "
    "n JOIN exceptions e ON e.status = 'active' AND e.expires_at > ?1 AND "
    "e.expires_at <= ?1 + n.expiring_days * 86400 WHERE " OUTBOX_LIVE("8") OUTBOX_SKIP,
};

pl_status pl_store_notify_enqueue(struct pl_store *s, pl_time_t now, int64_t *added,
                                  struct pl_error *err)
{
    static const char q_any[] = "SELECT count(*) FROM notifiers WHERE removed_at IS NULL";
    struct pl_stmt *st;
    int64_t live = 0, total = 0;
    pl_status rc;

    if (added)
        *added = 0;
    if ((rc = pl__store_prepare(s, q_any, &st, err)) != PL_OK)
        return rc;
    if (pl__db_step(st) == PL_DB_ROW)
        live = pl__db_column_int64(st, 0);
    else
        rc = pl__store_fail(s, err, "notify enqueue");
    pl__db_finalize(st);
    if (rc != PL_OK || live == 0)
        return rc;
    for (size_t i = 0; i < PL_ARRAY_LEN(enqueue_sql) && rc == PL_OK; i++) {
        if ((rc = pl__store_prepare(s, enqueue_sql[i], &st, err)) != PL_OK)
            return rc;
        pl__db_bind_int64(st, 1, now);
        if (pl__db_step(st) != PL_DB_DONE)
            rc = pl__store_fail(s, err, "notify enqueue");
        else
            total += pl__db_changes(pl__db_handle(st));
        pl__db_finalize(st);
    }
    if (rc == PL_OK && added)
        *added = total;
    return rc;
}

static void item_clear(struct pl_notify_item *it)
{
    free(it->url);
    if (it->secret_hex) { /* the secret does not outlive its use in freed memory */
        OPENSSL_cleanse(it->secret_hex, strlen(it->secret_hex));
        free(it->secret_hex);
    }
    free(it->event);
    free(it->event_key);
    free(it->object_kind);
    free(it->vuln);
    free(it->asset);
    free(it->owner);
    free(it->who);
    free(it->kind);
}

void pl_notify_items_release(struct pl_notify_item *items, size_t n)
{
    for (size_t i = 0; i < n; i++)
        item_clear(&items[i]);
    free(items);
}

static void read_item(struct pl_stmt *st, struct pl_notify_item *it)
{
    it->id = pl__db_column_int64(st, 0);
    it->notifier_id = pl__db_column_int64(st, 1);
    it->url = pl__store_col_strdup(st, 2);
    it->secret_hex = pl__store_col_strdup(st, 3);
    it->event = pl__store_col_strdup(st, 4);
    it->event_key = pl__store_col_strdup(st, 5);
    it->object_kind = pl__store_col_strdup(st, 6);
    it->object_id = pl__db_column_int64(st, 7);
    it->vuln = pl__store_col_strdup(st, 8);
    it->asset = pl__store_col_strdup(st, 9);
    it->owner = pl__store_col_strdup(st, 10);
    it->tier = pl__db_column_type(st, 11) == PL_DB_NULL ? -1 : pl__db_column_int(st, 11);
    it->due_at = pl__db_column_int64(st, 12);
    it->who = pl__store_col_strdup(st, 13);
    it->kind = pl__store_col_strdup(st, 14);
    it->occurred_at = pl__db_column_int64(st, 15);
    it->attempts = pl__db_column_int(st, 16);
}

/* Take the claimed ones: a conditional move of next_attempt_at, so two deliverers never share. */
static pl_status claim_tx(struct pl_store *s, pl_time_t now, int64_t lease, size_t max,
                          struct pl_notify_item **items, size_t *n, struct pl_error *err)
{
    static const char q_due_sql[] =
        "SELECT o.id, o.notifier_id, n.url, n.secret, o.event, o.event_key, o.object_kind, "
        "o.object_id, o.vuln, o.asset, o.owner, o.tier, COALESCE(o.due_at, 0), o.who, o.kind, "
        "o.occurred_at, o.attempts, o.next_attempt_at FROM notify_outbox o JOIN notifiers n ON "
        "n.id = o.notifier_id WHERE o.next_attempt_at <= ? AND o.delivered_at IS NULL AND "
        "o.dead_at IS NULL AND n.removed_at IS NULL ORDER BY o.next_attempt_at, o.id LIMIT ?";
    struct pl_buf q_due = PL_BUF_INIT(0);
    static const char q_take[] =
        "UPDATE notify_outbox SET next_attempt_at = ? WHERE id = ? AND next_attempt_at = ?";
    struct pl_notify_item *l = NULL;
    int64_t *was = NULL;
    size_t cap = 0, k = 0, kept = 0;
    struct pl_stmt *st;
    pl_status rc;
    int step;

    /* PostgreSQL: the rows another deliverer is taking are passed over, not waited for */
    pl_buf_adds(&q_due, q_due_sql);
    pl__db_sql_skip_locked(s->db, &q_due, "o");
    if (pl_buf_status(&q_due) != PL_OK)
        rc = pl_error_set(err, PL_E_NOMEM, "notify claim: out of memory");
    else
        rc = pl__store_prepare(s, pl_buf_cstr(&q_due), &st, err);
    pl_buf_release(&q_due);
    if (rc != PL_OK)
        return rc;
    pl__db_bind_int64(st, 1, now);
    pl__db_bind_int64(st, 2, (int64_t)max);
    while ((step = pl__db_step(st)) == PL_DB_ROW) {
        size_t old = cap;

        l = pl_xgrow(l, k, &cap, 16, sizeof(*l));
        if (cap != old)
            was = pl_xrealloc(was, cap * sizeof(*was));
        memset(&l[k], 0, sizeof(l[k]));
        read_item(st, &l[k]);
        was[k++] = pl__db_column_int64(st, 17);
    }
    pl__db_finalize(st);
    if (step != PL_DB_DONE)
        rc = pl__store_fail(s, err, "notify claim");
    for (size_t i = 0; rc == PL_OK && i < k; i++) { /* stored sealed (seal.c) */
        char *plain = NULL;

        rc = pl__store_unseal(s, l[i].secret_hex, &plain, err);
        if (l[i].secret_hex)
            OPENSSL_cleanse(l[i].secret_hex, strlen(l[i].secret_hex));
        free(l[i].secret_hex);
        l[i].secret_hex = plain;
    }
    if (rc == PL_OK && k > 0)
        rc = pl__store_prepare(s, q_take, &st, err);
    for (size_t i = 0; rc == PL_OK && i < k; i++) {
        pl__db_reset(st);
        pl__db_bind_int64(st, 1, now + lease);
        pl__db_bind_int64(st, 2, l[i].id);
        pl__db_bind_int64(st, 3, was[i]);
        if (pl__db_step(st) != PL_DB_DONE)
            rc = pl__store_fail(s, err, "notify claim");
        else if (pl__db_changes(pl__db_handle(st)) == 1)
            l[kept++] = l[i];
        else
            item_clear(&l[i]); /* another deliverer took it */
    }
    if (k > 0 && rc == PL_OK)
        pl__db_finalize(st);
    free(was);
    if (rc != PL_OK) {
        for (size_t i = kept; i < k; i++)
            item_clear(&l[i]);
        pl_notify_items_release(l, kept);
        return rc;
    }
    *items = l;
    *n = kept;
    return PL_OK;
}

pl_status pl_store_notify_claim(struct pl_store *s, pl_time_t now, int64_t lease, size_t max,
                                struct pl_notify_item **items, size_t *n, struct pl_error *err)
{
    pl_status rc;

    *items = NULL;
    *n = 0;
    if ((rc = pl_store_begin(s, err)) != PL_OK)
        return rc;
    return finish(s, claim_tx(s, now, lease, max, items, n, err), err);
}

pl_status pl_store_notify_record(struct pl_store *s, const struct pl_notify_outcome *o,
                                 struct pl_error *err)
{
    static const char sql[] =
        "UPDATE notify_outbox SET attempts = ?2, last_status = ?3, last_error = ?4, "
        "delivered_at = ?5, next_attempt_at = ?6, dead_at = ?7 WHERE id = ?1";
    struct pl_stmt *st;
    pl_status rc;

    if ((rc = pl_store_begin(s, err)) != PL_OK)
        return rc;
    if ((rc = pl__store_prepare(s, sql, &st, err)) == PL_OK) {
        pl__db_bind_int64(st, 1, o->id);
        pl__db_bind_int(st, 2, o->attempts);
        pl__store_bind_opt_i64(st, 3, o->status, o->status == 0);
        pl__store_bind_text(st, 4, o->error);
        pl__store_bind_opt_i64(st, 5, o->delivered_at, o->delivered_at == 0);
        pl__db_bind_int64(st, 6, o->next_attempt_at);
        pl__store_bind_opt_i64(st, 7, o->dead_at, o->dead_at == 0);
        if (pl__db_step(st) != PL_DB_DONE)
            rc = pl__store_fail(s, err, "notify record");
        pl__db_finalize(st);
    }
    return finish(s, rc, err);
}
